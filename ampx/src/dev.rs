//! `ampx dev`: the backend run locally. The program is synthesized as a
//! sandbox (Rust functions built for this host), `local::backend::LocalBackend`
//! serves the assembly on one HTTPS port (data API, realtime, user and
//! identity pools, functions, buckets), `amplify_outputs.json` points the
//! frontend at it, and each change to the sources reloads it, keeping data.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use amplify_backend::outputs::{MODEL_INTROSPECTION_OUTPUT, MODEL_INTROSPECTION_S3_URI_OUTPUT};
use amplify_backend::BackendIdentifier;
use ampx_console::{Console, LogBook};
use local::backend::{LocalBackend, Options};
use local::cognito::EventSink;
use local::lambda::LogSink;
use serde_json::{json, Value};

use crate::cli::DevArgs;
use crate::commands::{sandbox_identifier, Context};
use crate::errors::{Error, Result};
use crate::synth::{self, AppSource};
use crate::watch;

/// Where the local stores and CA live, under the project.
pub const DATA_DIR: &str = ".amplify/local";

/// The local Lambda service's directory inside [`DATA_DIR`] (its runtimes
/// and the local secrets).
pub const LAMBDA_DIR: &str = "lambda";

/// What a running `ampx dev` tells the other `ampx dev` commands of the
/// project (`.amplify/local/dev.json`).
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct DevState {
    /// The local Lambda (Invoke) endpoint.
    pub lambda_endpoint: String,
    /// The assembly being served.
    pub assembly_dir: PathBuf,
    /// The region of the local ids.
    pub region: String,
    /// The sandbox it runs as: its namespace and name.
    #[serde(default)]
    pub sandbox: Option<(String, String)>,
    /// The certificate authority of its HTTPS endpoints.
    #[serde(default)]
    pub ca_cert: Option<PathBuf>,
}

const STATE_FILE: &str = "dev.json";

impl DevState {
    /// Reads the state a running `ampx dev` wrote in the project `cwd`.
    pub fn read(cwd: &Path) -> Result<DevState> {
        let path = cwd.join(DATA_DIR).join(STATE_FILE);
        let text = std::fs::read_to_string(&path)
            .map_err(|_| Error::Local(format!("`ampx dev` is not running in {} (start it first)", cwd.display())))?;
        serde_json::from_str(&text).map_err(|e| Error::Local(format!("{} is damaged: {e}", path.display())))
    }

    /// Whether the `ampx dev` that wrote this state still answers (the file
    /// stays behind when it stops).
    pub fn is_running(&self) -> bool {
        let authority =
            self.lambda_endpoint.split("://").last().unwrap_or_default().split('/').next().unwrap_or_default();
        use std::net::ToSocketAddrs;
        let addresses = authority.to_socket_addrs().map(|a| a.collect::<Vec<_>>()).unwrap_or_default();
        addresses.iter().any(|a| std::net::TcpStream::connect_timeout(a, std::time::Duration::from_secs(1)).is_ok())
    }

    fn write(&self, cwd: &Path) -> Result<()> {
        let path = cwd.join(DATA_DIR).join(STATE_FILE);
        let text = serde_json::to_string_pretty(self).unwrap_or_default();
        std::fs::write(&path, text).map_err(Error::io("cannot write", &path))
    }
}

fn local(e: impl std::fmt::Display) -> Error {
    Error::Local(e.to_string())
}

/// Runs `ampx dev` until Ctrl-C.
pub async fn run(ctx: &Context, args: DevArgs) -> Result<()> {
    let started = Instant::now();
    let source = AppSource::resolve(args.app.app.as_deref(), &ctx.cwd)?;
    let id = sandbox_identifier(&ctx.cwd, args.identifier.as_deref())?;
    let data_dir = ctx.cwd.join(DATA_DIR);
    if args.reset {
        LocalBackend::reset(&data_dir).map_err(local)?;
        eprintln!("[dev] emptied {} (tables, items, users, identities)", data_dir.display());
    }
    let assembly = synth::synthesize_for_host(&source, &args.app.out_dir, &id).await?;
    eprint!("{}", synth::summary(&assembly));
    // The console's Functions page shows the same lines the terminal does.
    let log_book = LogBook::default();
    let book = log_book.clone();
    let options = Options {
        port: args.port,
        events: Some(EventSink::new(|m| println!("[dev] {m}"))),
        function_logs: Some(LogSink::new(move |line| {
            book.push(line);
            if line.is_error {
                eprintln!("{line}");
            } else {
                println!("{line}");
            }
        })),
        ..Options::new(assembly.dir.clone(), data_dir.clone())
    };
    // A damaged store's error already says to run `ampx dev --reset`.
    let backend = Arc::new(LocalBackend::start(options).await.map_err(local)?);
    let console = match args.no_console {
        true => None,
        false => Some(Console::start(backend.clone(), log_book, args.console_port).await.map_err(local)?),
    };
    let mut reported = BTreeSet::new();
    report_not_emulated(&backend, &mut reported);
    report_functions(&backend);
    let state = DevState {
        lambda_endpoint: backend.lambda().endpoint().to_string(),
        assembly_dir: std::path::absolute(&assembly.dir).unwrap_or_else(|_| assembly.dir.clone()),
        region: "us-east-1".into(),
        sandbox: Some((id.namespace.clone(), id.name.clone())),
        ca_cert: Some(backend.ca_cert_path().to_path_buf()),
    };
    state.write(&ctx.cwd)?;
    let outputs = write_files(&backend, &id, &assembly.dir, &args.outputs_out_dir)?;
    if let Some(console) = &console {
        console.set_outputs(outputs);
    }

    // Watching starts before `ready`, so a change made right after it counts.
    let out_dir = std::path::absolute(&args.app.out_dir).unwrap_or_else(|_| args.app.out_dir.clone());
    let root = source.watch_root(&ctx.cwd);
    // What this command writes is not a change to the backend.
    let written = std::path::absolute(&args.outputs_out_dir).unwrap_or_else(|_| args.outputs_out_dir.clone());
    let ignored = vec![
        out_dir,
        ctx.cwd.join(".amplify"),
        ctx.cwd.join("target"),
        written.join("amplify_outputs.json"),
        written.join("amplify_data_schema.ts"),
    ];
    let (_watcher, mut changes) = watch::watch(&root, ignored)?;
    eprintln!("[dev] watching {} (Ctrl-C to stop)", root.display());
    println!("[dev] data API:      {}", backend.graphql_url());
    println!("[dev] realtime:      {}", backend.realtime_url());
    println!("[dev] user pools:    {} (Amplify: Auth.Cognito.userPoolEndpoint)", backend.user_pool_endpoint());
    for bucket in backend.s3().buckets().keys() {
        println!(
            "[dev] bucket:        https://{}/{bucket} (Amplify Storage: options.customEndpoint = \"{}\")",
            backend.storage_endpoint(),
            backend.storage_endpoint()
        );
    }
    if backend.identity_pool_id().is_some() {
        println!(
            "[dev] identity pools: {} (Amplify: Auth.Cognito.identityPoolEndpoint)",
            backend.identity_pool_endpoint()
        );
    }
    if let Some(console) = &console {
        println!("[dev] console:       {}", console.url());
    }
    println!("[dev] CA certificate: {}", backend.ca_cert_path().display());
    println!(
        "[dev] trust it: NODE_EXTRA_CA_CERTS={} for Node; import it as a trusted authority in the browser",
        backend.ca_cert_path().display()
    );
    println!("ready {} in {:.2}s", backend.origin(), started.elapsed().as_secs_f64());

    loop {
        tokio::select! {
            change = changes.recv() => {
                let Some(files) = change else { return Ok(()) };
                while changes.try_recv().is_ok() {}
                eprintln!("[dev] {} file(s) changed; reloading", files.len());
                match reload(&backend, &source, &args, &id).await {
                    Ok(outputs) => {
                        if let Some(console) = &console {
                            console.set_outputs(outputs);
                        }
                        report_not_emulated(&backend, &mut reported);
                        report_functions(&backend);
                    }
                    Err(e) => eprintln!("[dev] reload failed; still serving the last good backend:\n{e}"),
                }
            }
            _ = ctx.interrupt.reached(1) => {
                eprintln!("[dev] stopped");
                return Ok(());
            }
        }
    }
}

/// Reloads the backend; answers the new outputs document.
async fn reload(backend: &LocalBackend, source: &AppSource, args: &DevArgs, id: &BackendIdentifier) -> Result<Value> {
    let started = Instant::now();
    let assembly = synth::synthesize_for_host(source, &args.app.out_dir, id).await?;
    for warning in backend.reload(&assembly.dir).map_err(local)? {
        eprintln!("[dev] warning: {warning}");
    }
    let outputs = write_files(backend, id, &assembly.dir, &args.outputs_out_dir)?;
    println!("[dev] reloaded in {:.2}s", started.elapsed().as_secs_f64());
    Ok(outputs)
}

/// Lists the functions that run locally, and says why any cannot.
fn report_functions(backend: &LocalBackend) {
    let names: Vec<String> = backend.lambda().functions().into_iter().map(|f| f.display_name).collect();
    if !names.is_empty() {
        println!("[dev] functions:     {} (run one with `ampx dev invoke NAME`)", names.join(", "));
    }
    for problem in backend.function_problems() {
        eprintln!("[dev] not run locally: {problem}");
    }
}

/// Names each resource type the local services do not run, once per session.
fn report_not_emulated(backend: &LocalBackend, reported: &mut BTreeSet<String>) {
    let new: Vec<String> = backend
        .not_emulated()
        .into_iter()
        .filter(|(t, _)| !reported.contains(t))
        .map(|(t, n)| format!("{t} ({n})"))
        .collect();
    if !new.is_empty() {
        eprintln!("[dev] not emulated locally (calls to them fail): {}", new.join(", "));
        reported.extend(backend.not_emulated().into_keys());
    }
}

/// `amplify_outputs.json` for the local endpoints, and the frontend's types;
/// answers the outputs document.
fn write_files(backend: &LocalBackend, id: &BackendIdentifier, assembly_dir: &Path, out_dir: &Path) -> Result<Value> {
    let outputs = local_outputs(backend, id, assembly_dir)?;
    std::fs::create_dir_all(out_dir).map_err(Error::io("cannot create", out_dir))?;
    let path = out_dir.join("amplify_outputs.json");
    let text = serde_json::to_string_pretty(&outputs).unwrap_or_default() + "\n";
    std::fs::write(&path, text).map_err(Error::io("cannot write", &path))?;
    eprintln!("[dev] wrote {}", path.display());
    match crate::codegen::write_types_if_data(assembly_dir, out_dir) {
        Ok(Some(path)) => eprintln!("[dev] wrote {}", path.display()),
        Ok(None) => {}
        Err(e) => eprintln!("[dev] warning: types not written: {e}"),
    }
    Ok(outputs)
}

/// The outputs document built from the root stack's outputs as the local
/// services resolve them (local ids, the local data URL), plus `custom.local`:
/// what a frontend sets by hand (the user and identity pool endpoints, the CA
/// to trust).
pub fn local_outputs(backend: &LocalBackend, id: &BackendIdentifier, assembly_dir: &Path) -> Result<Value> {
    let stack_name = id.stack_name();
    let read = crate::assembly::Assembly::read(assembly_dir)?;
    // A ready assembly (`--app cdk.out`) may be synthesized for another
    // sandbox name: its one Amplify backend stack is served.
    let stack = read.stack(&stack_name).or_else(|| read.stacks.iter().find(|s| s.is_amplify_backend()));
    let stack_name = stack.map_or(stack_name, |s| s.stack_name.clone());
    let stack = stack.ok_or_else(|| {
        Error::Local(format!("the assembly has no stack {stack_name} (not an Amplify backend?); nothing to serve"))
    })?;
    let metadata = stack.template.get("Metadata").cloned().unwrap_or_else(|| json!({}));
    let assembly = backend.assembly();
    let resolved = assembly
        .stacks
        .iter()
        .find(|s| s.name == stack_name || s.name == stack.artifact_id)
        .ok_or_else(|| Error::Local(format!("the local services did not read stack {stack_name}")))?;
    let mut outputs: BTreeMap<String, String> = resolved
        .outputs
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())))
        .collect();
    if let Some(uri) = outputs.get(MODEL_INTROSPECTION_S3_URI_OUTPUT).filter(|u| !u.is_empty()).cloned() {
        let text = assembly.read_asset(&uri, MODEL_INTROSPECTION_S3_URI_OUTPUT).map_err(local)?;
        outputs.insert(MODEL_INTROSPECTION_OUTPUT.to_string(), text);
    }
    let document = amplify_backend::outputs::from_stack_outputs(&outputs, &metadata)
        .map_err(|e| Error::Outputs { stack: stack_name.clone(), reason: e.to_string() })?;
    let mut value: Value = serde_json::from_str(&document.to_json_pretty()).map_err(local)?;
    // The identity pool's id as served locally; Amplify asks the local
    // identity pools for credentials through `identityPoolEndpoint`.
    if let (Some(auth), Some(id)) = (value.get_mut("auth").and_then(Value::as_object_mut), backend.identity_pool_id()) {
        auth.insert("identity_pool_id".into(), json!(id));
    }
    let custom = value.as_object_mut().map(|o| o.entry("custom").or_insert_with(|| json!({})));
    if let Some(Value::Object(custom)) = custom {
        let mut local = json!({
            "origin": backend.origin(),
            "user_pool_endpoint": backend.user_pool_endpoint(),
            "ca_cert": backend.ca_cert_path(),
            "realtime_url": backend.realtime_url(),
            "storage_endpoint": backend.storage_endpoint(),
        });
        if backend.identity_pool_id().is_some() {
            local["identity_pool_endpoint"] = json!(backend.identity_pool_endpoint());
        }
        custom.insert("local".into(), local);
    }
    Ok(value)
}

/// The project directory's local data (for tests and tools).
pub fn data_dir(cwd: &Path) -> PathBuf {
    cwd.join(DATA_DIR)
}
