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
    assert!(seen.contains("change detected; deploying"), "{seen}");
    assert!(logical_ids(&moto, &stack).await.iter().any(|i| i.starts_with("Archive")));

    // Ctrl-C while watching: a clean exit.
    let pid = child.id().to_string();
    assert!(std::process::Command::new("kill").args(["-INT", &pid]).status().unwrap().success());
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
}
