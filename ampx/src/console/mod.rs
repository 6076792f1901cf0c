//! `ampx console`: the web console (the `ampx-console` crate, as `ampx dev`
//! serves it) for a deployed sandbox, working through AWS with the user's
//! credentials. The console's pages talk to its
//! [`ConsoleBackend`](ampx_console::ConsoleBackend) trait; [`SandboxConsole`]
//! implements it over AWS, so the AWS SDK stays in `ampx`.

mod backend;
mod data;
pub mod functions;
mod identity_pool;
mod reach;
mod realtime;
pub mod sign_in;
pub mod signed;

use std::sync::Arc;

use amplify_backend::outputs::FormatVersion;
use ampx_console::Console;
use serde_json::Value;

pub use backend::{overview_of, SandboxConsole};
pub use reach::Reach;

use crate::aws::Aws;
use crate::commands::{identifier_flags, sandbox_identifier, Context};
use crate::errors::{Error, Result};
use crate::outputs::{self, Destination, Format};

/// `ampx console`'s flags.
#[derive(Debug, clap::Args)]
pub struct ConsoleArgs {
    /// The sandbox (default: your user name, as `ampx sandbox` names it).
    #[arg(long)]
    pub identifier: Option<String>,
    /// The console's port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
}

fn console_error(e: impl std::fmt::Display) -> Error {
    Error::Local(format!("the console: {e}"))
}

/// The sandbox's `amplify_outputs.json`, read from its stack (as `ampx
/// generate outputs` writes it, into a temporary directory).
pub async fn sandbox_outputs(aws: &Aws, stack: &str, hint: &str) -> Result<Value> {
    let dir = tempfile_dir()?;
    let to = Destination { dir: dir.clone(), format: Format::Json, version: FormatVersion::default() };
    let path = outputs::generate(aws, stack, &to, hint).await;
    let read = path.and_then(|p| std::fs::read_to_string(&p).map_err(Error::io("cannot read", &p)));
    let _ = std::fs::remove_dir_all(&dir);
    serde_json::from_str(&read?).map_err(|e| Error::Outputs { stack: stack.into(), reason: e.to_string() })
}

fn tempfile_dir() -> Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("ampx-console-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(Error::io("cannot create", &dir))?;
    Ok(dir)
}

/// The console `ampx sandbox --console` keeps beside the sandbox: started
/// after the first deployment, then pointed at what each later one deployed.
#[derive(Default)]
pub struct Attached(tokio::sync::Mutex<Option<Console>>);

impl Attached {
    /// Reads what `stack` has now and serves it (starting the console the
    /// first time). A failure is printed, not returned: the sandbox's
    /// deployment worked, and the next one tries again.
    pub async fn refresh(&self, aws: &Aws, stack: &str) {
        if let Err(e) = self.try_refresh(aws, stack).await {
            eprintln!("[console] not updated: {e}");
        }
    }

    async fn try_refresh(&self, aws: &Aws, stack: &str) -> Result<()> {
        let outputs = sandbox_outputs(aws, stack, "the sandbox's deployment did not finish").await?;
        let functions = functions::functions(aws, stack).await?;
        let backend = Arc::new(
            SandboxConsole::new(aws.clone(), outputs.clone(), functions).map_err(|e| console_error(e.message))?,
        );
        let mut slot = self.0.lock().await;
        match &*slot {
            Some(console) => console.set_backend(backend),
            None => {
                let console = Console::serve(backend, 0).await.map_err(console_error)?;
                println!("[console] {stack}: {}", console.url());
                *slot = Some(console);
            }
        }
        if let Some(console) = &*slot {
            console.set_outputs(outputs);
        }
        Ok(())
    }
}

/// Serves the console for a deployed sandbox until Ctrl-C.
pub async fn run(ctx: &Context, args: ConsoleArgs) -> Result<()> {
    let id = sandbox_identifier(&ctx.cwd, args.identifier.as_deref())?;
    let stack = id.stack_name();
    let aws = Aws::connect(&ctx.aws).await?;
    let hint = format!("deploy it with `ampx sandbox{}`", identifier_flags(args.identifier.as_deref()));
    let outputs = sandbox_outputs(&aws, &stack, &hint).await?;
    let functions = functions::functions(&aws, &stack).await?;
    let backend = SandboxConsole::new(aws, outputs.clone(), functions).map_err(|e| console_error(e.message))?;
    let console = Console::serve(Arc::new(backend), args.port).await.map_err(console_error)?;
    console.set_outputs(outputs);
    println!("[console] {stack}: {}", console.url());
    println!("[console] Ctrl-C stops it.");
    ctx.interrupt.reached(1).await;
    Ok(())
}
