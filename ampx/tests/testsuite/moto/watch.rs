//! `ampx sandbox` without `--once`: watching, redeploying, stopping.

use super::*;
use common::backend::{self, Options};
/// Copies an assembly over another, `manifest.json` last (it names the rest).
fn copy_assembly(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    let mut entries: Vec<_> = std::fs::read_dir(from).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort_by_key(|p| p.ends_with("manifest.json"));
    for path in entries {
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_assembly(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// Reads lines until one contains `wanted`; returns everything read.
fn read_until(lines: &std::sync::mpsc::Receiver<String>, wanted: &str, seen: &mut String) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while !seen.contains(wanted) {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match lines.recv_timeout(left) {
            Ok(line) => {
                seen.push_str(&line);
                seen.push('\n');
            }
            Err(_) => panic!("no \"{wanted}\" from ampx sandbox:\n{seen}"),
        }
    }
}

#[tokio::test]
async fn sandbox_watches_redeploys_on_change_and_stops_on_ctrl_c() {
    let (moto, tmp, dir, stack) = sandbox_setup().await;
    let v1 = backend::synth(tmp.path(), "v1", &Options::new(&stack));
    let v2 = backend::synth(tmp.path(), "v2", &Options { archive_bucket: true, ..Options::new(&stack) });
    let live = tmp.path().join("live");
    copy_assembly(&v1, &live);

    let mut child = moto
        .ampx_command(&dir)
        .args(["sandbox", "--identifier", "dev", "--app", live.to_str().unwrap()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ampx starts");
    let (tx, lines) = std::sync::mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufRead::lines(std::io::BufReader::new(stderr)).map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut seen = String::new();
    read_until(&lines, "watching for changes", &mut seen);
    assert!(seen.contains(&format!("{stack}: CREATE_COMPLETE")), "{seen}");

    // A change to what is watched: deployed again, without a restart.
    seen.clear();
    copy_assembly(&v2, &live);
    read_until(&lines, &format!("{stack}: UPDATE_COMPLETE"), &mut seen);
    read_until(&lines, "watching for changes", &mut seen);
    assert!(seen.contains(" changed; deploying"), "{seen}");
    assert!(logical_ids(&moto, &stack).await.iter().any(|i| i.starts_with("Archive")));

    // Ctrl-C while watching: a clean exit.
    let pid = child.id().to_string();
    assert!(std::process::Command::new("kill").args(["-INT", &pid]).status().unwrap().success());
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
}

/// A running `ampx sandbox` whose stderr is read line by line.
struct Watching {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
    seen: String,
}

impl Watching {
    fn start(mut cmd: std::process::Command) -> Watching {
        let mut child =
            cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().expect("ampx starts");
        let (tx, lines) = std::sync::mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in std::io::BufRead::lines(std::io::BufReader::new(stderr)).map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        Watching { child, lines, seen: String::new() }
    }

    /// Reads until a line contains `wanted`; returns what was read since the last call.
    fn until(&mut self, wanted: &str) -> String {
        let mut fresh = String::new();
        read_until(&self.lines, wanted, &mut fresh);
        self.seen.push_str(&fresh);
        fresh
    }

    /// Everything printed during the next `time`.
    fn for_a_while(&mut self, time: std::time::Duration) -> String {
        let deadline = std::time::Instant::now() + time;
        let mut fresh = String::new();
        while let Ok(line) = self.lines.recv_timeout(deadline.saturating_duration_since(std::time::Instant::now())) {
            fresh.push_str(&line);
            fresh.push('\n');
        }
        self.seen.push_str(&fresh);
        fresh
    }

    fn stop(mut self) {
        let pid = self.child.id().to_string();
        assert!(std::process::Command::new("kill").args(["-INT", &pid]).status().unwrap().success());
        let status = self.child.wait().unwrap();
        assert!(status.success(), "{status:?}\n{}", self.seen);
    }
}

/// The code of the only function in moto.
async fn function_code_sha(moto: &Moto) -> Option<String> {
    let lambda = moto.lambda().await;
    let name = lambda.list_functions().send().await.unwrap().functions()[0].function_name.clone().unwrap();
    let got = lambda.get_function().function_name(&name).send().await.unwrap();
    got.configuration().and_then(|c| c.code_sha256.clone())
}

/// Issue 11, 1: reads, touches and same-content saves deploy nothing, however
/// long the watcher sits; one real edit deploys once (a hotswap), and going back
/// to the template's code is noticed although CloudFormation's template never
/// changed.
#[tokio::test]
async fn sandbox_stays_quiet_until_a_real_edit_and_deploys_it_once() {
    let (moto, tmp, dir, stack) = sandbox_setup().await;
    backend::synth(tmp.path(), "v1", &Options::new(&stack));
    let v2 = Options { code: "exports.handler = async () => 'v2';".into(), ..Options::new(&stack) };
    backend::synth(tmp.path(), "v2", &v2);
    // The "backend program" reads a project file to pick the assembly it writes.
    std::fs::write(dir.join("version.txt"), "v1").unwrap();
    std::fs::write(dir.join("notes.md"), "# notes").unwrap();
    let app = format!("cp -R '{}'/$(cat version.txt)/. \"$CDK_OUTDIR\"", tmp.path().display());
    let mut cmd = moto.ampx_command(&dir);
    cmd.env("AMPX_WATCH_DEBOUNCE_MS", "100").args(["-v", "sandbox", "--identifier", "dev", "--app", &app]);
    let mut sandbox = Watching::start(cmd);
    let first = sandbox.until("watching for changes");
    assert!(first.contains(&format!("{stack}: CREATE_COMPLETE")), "{first}");
    let sha_v1 = function_code_sha(&moto).await;

    // Reading, touching, saving unchanged: then let it sit.
    for file in ["version.txt", "notes.md"] {
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        std::process::Command::new("cat").arg(&path).stdout(Stdio::null()).status().unwrap();
        std::fs::File::options().write(true).open(&path).unwrap().set_modified(std::time::SystemTime::now()).unwrap();
        std::fs::write(&path, text).unwrap();
    }
    let idle = sandbox.for_a_while(std::time::Duration::from_secs(3));
    assert!(!idle.contains("deploying") && !idle.contains("Synthesized"), "nothing happens:\n{idle}");

    // One real edit: one hotswap, then quiet again.
    std::fs::write(dir.join("version.txt"), "v2").unwrap();
    let round = sandbox.until("watching for changes");
    assert!(round.contains("version.txt changed; deploying"), "{round}");
    assert!(round.contains("hotswapping 1 resource(s)"), "{round}");
    let calls = common::api_calls_in(&round);
    assert!(calls.contains(&("Lambda.UpdateFunctionCode".to_string(), 1)), "{calls:?}");
    let sha_v2 = function_code_sha(&moto).await;
    assert_ne!(sha_v2, sha_v1);
    let after = sandbox.for_a_while(std::time::Duration::from_secs(3));
    assert!(!after.contains("deploying") && !after.contains("Synthesized"), "deployed once only:\n{after}");

    // An edit that leaves the assembly as it was: synthesized, not deployed.
    std::fs::write(dir.join("notes.md"), "# notes, edited").unwrap();
    let same = sandbox.until("watching for changes");
    assert!(same.contains("notes.md changed; deploying"), "{same}");
    assert!(same.contains("the assembly is the one deployed last; nothing deployed"), "{same}");
    assert!(!same.contains("CloudFormation."), "no CloudFormation call: {same}");

    // Back to v1: CloudFormation's template still names v1's code, but v2's runs.
    std::fs::write(dir.join("version.txt"), "v1").unwrap();
    let back = sandbox.until("watching for changes");
    assert!(back.contains("hotswapping 1 resource(s)"), "v1's code goes back in place: {back}");
    assert_eq!(function_code_sha(&moto).await, sha_v1);
    sandbox.stop();
}

/// `--dir-to-watch` chooses what is watched (here not the assembly at all) and
/// `--exclude` leaves out a directory and a glob: changes there deploy nothing,
/// a change elsewhere in the watched directory deploys.
#[tokio::test]
async fn sandbox_watches_the_dir_it_is_given_without_what_is_excluded() {
    let (moto, tmp, dir, stack) = sandbox_setup().await;
    let v1 = backend::synth(tmp.path(), "v1", &Options::new(&stack));
    let watched = dir.join("amplify");
    std::fs::create_dir_all(watched.join("seed")).unwrap();
    std::fs::write(watched.join("backend.rs"), "// v1").unwrap();
    std::fs::write(watched.join("seed/users.json"), "[]").unwrap();
    std::fs::write(watched.join("notes.md"), "# notes").unwrap();
    let mut cmd = moto.ampx_command(&dir);
    cmd.env("AMPX_WATCH_DEBOUNCE_MS", "100").args([
        "sandbox",
        "--identifier",
        "dev",
        "--app",
        v1.to_str().unwrap(),
        "--dir-to-watch",
        "amplify",
        "--exclude",
        "amplify/seed",
        "**/*.md",
    ]);
    let mut sandbox = Watching::start(cmd);
    let first = sandbox.until("watching for changes");
    assert!(first.contains(&format!("watching {}", watched.canonicalize().unwrap().display())), "{first}");

    std::fs::write(watched.join("seed/users.json"), "[{\"name\": \"ana\"}]").unwrap();
    std::fs::write(watched.join("notes.md"), "# notes, edited").unwrap();
    let idle = sandbox.for_a_while(std::time::Duration::from_secs(3));
    assert!(!idle.contains("deploying"), "excluded changes deploy nothing:\n{idle}");

    std::fs::write(watched.join("backend.rs"), "// v2").unwrap();
    let round = sandbox.until("watching for changes");
    assert!(round.contains("backend.rs changed; deploying"), "{round}");
    sandbox.stop();
}

#[test]
fn a_dir_to_watch_that_is_not_a_directory_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::run(
        common::ampx_command(dir.path()),
        &["sandbox", "--identifier", "dev", "--app", "true", "--dir-to-watch", "missing"],
        None,
    );
    assert!(!out.success());
    assert!(
        out.stderr.contains("missing") && out.stderr.contains("--dir-to-watch is not a directory"),
        "{}",
        out.stderr
    );
}
