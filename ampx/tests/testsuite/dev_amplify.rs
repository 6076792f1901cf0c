//! `ampx dev` judged by Amplify's own JavaScript client (aws-amplify, pinned in
//! scripts/tools-node): the real command serves a chat backend (auth + owner
//! rules + a has-many relationship); Node signs two users up with the codes
//! ampx prints, signs in with SRP, and drives the data client over HTTPS and
//! WSS; then ampx restarts and the data and users are still there. `owner` reads as
//! the signed-in username. A second backend (notes with an `Admins` group rule)
//! shows a group member acting on everyone's records and a non-member on none.
//!
//! Needs `node` and the pinned Node tools: run `scripts/install-tools`, then
//! `source .tools/env`.

use crate::codegen_support::backends;

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

pub(crate) fn node_modules() -> PathBuf {
    let dir = std::env::var_os("TOOLS_NODE_MODULES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.tools/node/node_modules"));
    let node_ok = Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    assert!(node_ok, "`node` is not on PATH: install Node 20+, then run scripts/install-tools");
    assert!(
        dir.join("aws-amplify/package.json").exists(),
        "aws-amplify is missing from {}: run scripts/install-tools (and `source .tools/env`)",
        dir.display()
    );
    dir
}

/// A running `ampx dev`, its stdout and stderr in files.
pub(crate) struct Dev {
    child: Child,
    pub(crate) log: PathBuf,
    errors: PathBuf,
    ready_in: Duration,
}

impl Dev {
    pub(crate) fn start(project: &Path, extra: &[&str]) -> Dev {
        let n = std::fs::read_dir(project).map(|d| d.count()).unwrap_or(0);
        let (log, errors) = (project.join(format!("dev-{n}.out")), project.join(format!("dev-{n}.err")));
        let started = Instant::now();
        let child = Command::new(env!("CARGO_BIN_EXE_ampx"))
            .current_dir(project)
            .args(["dev", "--app", "cdk.out", "--identifier", "test", "--port", "0", "--outputs-out-dir", "web"])
            .args(extra)
            .stdout(std::fs::File::create(&log).unwrap())
            .stderr(std::fs::File::create(&errors).unwrap())
            .spawn()
            .expect("ampx runs");
        let mut dev = Dev { child, log, errors, ready_in: Duration::ZERO };
        while !dev.stdout().lines().any(|l| l.starts_with("ready ")) {
            if let Ok(Some(status)) = dev.child.try_wait() {
                panic!("ampx dev exited ({status}):\n{}\n{}", dev.stdout(), dev.stderr());
            }
            assert!(started.elapsed() < Duration::from_secs(60), "not ready:\n{}\n{}", dev.stdout(), dev.stderr());
            std::thread::sleep(Duration::from_millis(20));
        }
        dev.ready_in = started.elapsed();
        dev
    }

    pub(crate) fn stdout(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub(crate) fn stderr(&self) -> String {
        std::fs::read_to_string(&self.errors).unwrap_or_default()
    }

    /// Ctrl-C, as a developer stops it; answers once it has exited.
    pub(crate) fn stop(mut self) {
        let _ = Command::new("kill").args(["-INT", &self.child.id().to_string()]).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.child.try_wait().ok().flatten().is_none() {
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("ampx dev did not stop on Ctrl-C:\n{}", self.stderr());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Dev {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    backends::synth(&dir.path().join("cdk.out"), backends::chat());
    dir
}

fn node(project: &Path, dev: &Dev, phase: &str) -> String {
    run_node(project, dev, "dev_amplify.mjs", phase)
}

/// Runs `tests/testsuite/node/<script>` against `dev`, configured from the
/// outputs it wrote; answers the script's stdout, or fails with everything.
pub(crate) fn run_node(project: &Path, dev: &Dev, script: &str, phase: &str) -> String {
    let outputs: Value =
        serde_json::from_str(&std::fs::read_to_string(project.join("web/amplify_outputs.json")).unwrap()).unwrap();
    let ca = outputs["custom"]["local"]["ca_cert"].as_str().expect("custom.local.ca_cert").to_string();
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/testsuite/node").join(script);
    // Node 20 has WebSocket (which Amplify's realtime needs) behind a flag.
    let mut child = Command::new("node")
        .arg("--experimental-websocket")
        .arg(script)
        .env("TOOLS_NODE_MODULES", node_modules())
        .env("OUTPUTS", project.join("web/amplify_outputs.json"))
        .env("AMPX_LOG", &dev.log)
        .env("PHASE", phase)
        .env("NODE_EXTRA_CA_CERTS", ca)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node runs");
    let status = child.wait().unwrap();
    let (mut out, mut err) = (String::new(), String::new());
    child.stdout.take().unwrap().read_to_string(&mut out).unwrap();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    assert!(
        status.success(),
        "node ({phase}) failed:\n{out}\n{err}\n--- ampx stdout\n{}\n--- ampx stderr\n{}",
        dev.stdout(),
        dev.stderr()
    );
    out
}

#[test]
fn amplify_js_uses_ampx_dev_and_the_data_survives_a_restart() {
    let project = project();
    let dev = Dev::start(project.path(), &[]);
    let stdout = dev.stdout();
    for endpoint in ["data API:", "realtime:", "user pools:", "CA certificate:"] {
        assert!(stdout.contains(endpoint), "{stdout}");
    }
    // Functions, buckets and identity pools run too: nothing is left out.
    assert!(!dev.stderr().contains("not emulated locally"), "{}", dev.stderr());
    assert!(project.path().join("web/amplify_data_schema.ts").is_file(), "types are written");
    eprintln!("ampx dev ready in {:?}", dev.ready_in);
    let out = node(project.path(), &dev, "first");
    assert!(out.contains("step: done"), "{out}");
    // The node script asserts that `owner` is the signed-in username; the stored
    // value stays `sub::username`, which the printed owner must not show.
    let owner = out.lines().find_map(|l| l.strip_prefix("owner: ")).expect("the script prints the owner");
    assert!(!owner.contains("::"), "owner reads as the username, not the stored {owner}");
    dev.stop();

    let again = Dev::start(project.path(), &[]);
    let out = node(project.path(), &again, "restart");
    assert!(out.contains("step: done"), "{out}");
    again.stop();
}

/// `ampx dev` closes the realtime connections of the API a reload replaces;
/// Amplify's client reconnects by itself, and its subscription goes on.
#[test]
fn subscriptions_reconnect_after_a_reload() {
    let project = project();
    let dev = Dev::start(project.path(), &[]);
    let out = node(project.path(), &dev, "reload");
    assert!(out.contains("step: done"), "{out}");
    dev.stop();
}

#[test]
fn a_group_rule_lets_its_members_act_on_everyones_records_and_no_one_else() {
    let project = tempfile::tempdir().unwrap();
    backends::synth_with_groups(&project.path().join("cdk.out"), backends::notes(), &["Admins"]);
    let dev = Dev::start(project.path(), &[]);
    let out = node(project.path(), &dev, "groups");
    assert!(out.contains("step: done"), "{out}");
    dev.stop();
}

#[test]
fn a_port_in_use_is_named_and_reset_empties_the_stores() {
    let project = project();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_ampx"))
        .current_dir(project.path())
        .args(["dev", "--app", "cdk.out", "--identifier", "test", "--port", &port, "--outputs-out-dir", "web"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("port {port} is already in use")), "{stderr}");

    let dev = Dev::start(project.path(), &[]);
    dev.stop();
    let stores = project.path().join(".amplify/local");
    assert!(stores.join("dynamodb").exists() && stores.join("cognito").exists());
    let dev = Dev::start(project.path(), &["--reset"]);
    assert!(dev.stderr().contains("emptied"), "{}", dev.stderr());
    dev.stop();
    assert!(stores.join("ca/rootCA.pem").is_file(), "the CA the developer trusts is kept");
}

#[test]
fn a_change_reloads_and_a_broken_backend_leaves_the_last_good_one_serving() {
    let project = project();
    let dev = Dev::start(project.path(), &[]);
    let wait_for = |what: &str, count: usize| {
        let deadline = Instant::now() + Duration::from_secs(30);
        while (dev.stdout() + &dev.stderr()).matches(what).count() < count {
            assert!(Instant::now() < deadline, "no `{what}`:\n{}\n{}", dev.stdout(), dev.stderr());
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    let manifest = project.path().join("cdk.out/manifest.json");
    let good = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, format!("{good}\n")).unwrap();
    wait_for("reloaded in", 1);
    std::fs::write(&manifest, "{ not json").unwrap();
    wait_for("reload failed; still serving the last good backend", 1);
    assert!(dev.stderr().contains("manifest.json"), "the error names the file:\n{}", dev.stderr());
    std::fs::write(&manifest, &good).unwrap();
    wait_for("reloaded in", 2);
    dev.stop();
}
