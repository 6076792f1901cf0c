//! Watching the backend's sources and redeploying: changes are debounced, and a
//! change during a deployment queues exactly one more.

use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use notify_debouncer_mini::notify::RecursiveMode;
use notify_debouncer_mini::{new_debouncer, DebounceEventResult};
use tokio::sync::mpsc;

use crate::errors::{Error, Result};
use crate::interrupt::Interrupt;

/// Quiet time after the last change before a deployment starts: an editor's
/// save (write, rename, touch) and `cargo fmt` come as bursts.
pub const DEBOUNCE: Duration = Duration::from_millis(500);

/// Directories whose changes are ours or the build's, not the backend's.
const IGNORED_DIRS: &[&str] = &["target", ".git", ".amplify", "node_modules", "cdk.out"];

/// Whether a changed path is a backend source (not build output, VCS data, or
/// the files sandbox writes itself).
pub fn is_source(path: &Path, ignored: &[PathBuf]) -> bool {
    if ignored.iter().any(|p| path.starts_with(p)) {
        return false;
    }
    let in_ignored_dir = path.components().any(|c| match c {
        Component::Normal(name) => IGNORED_DIRS.iter().any(|d| name == *d),
        _ => false,
    });
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    !in_ignored_dir && !name.starts_with("amplify_outputs.") && !name.starts_with(".#") && !name.ends_with('~')
}

/// Watches `root` and sends one message per debounced burst of source changes.
/// The watcher stops when the returned guard is dropped.
pub fn watch(root: &Path, ignored: Vec<PathBuf>) -> Result<(impl Drop, mpsc::UnboundedReceiver<()>)> {
    let (tx, rx) = mpsc::unbounded_channel();
    let fail =
        |e: notify_debouncer_mini::notify::Error| Error::Watch { path: root.to_path_buf(), reason: e.to_string() };
    let mut debouncer = new_debouncer(DEBOUNCE, move |events: DebounceEventResult| {
        if let Ok(events) = events {
            if events.iter().any(|e| is_source(&e.path, &ignored)) {
                let _ = tx.send(());
            }
        }
    })
    .map_err(fail)?;
    debouncer.watcher().watch(root, RecursiveMode::Recursive).map_err(fail)?;
    Ok((debouncer, rx))
}

/// Runs `deploy` once, then again after each change, until Ctrl-C or until the
/// changes stop coming. Changes during a run collapse into one more run. A failed
/// run is reported and the loop waits for the fix; a cancelled one ends the loop.
/// Returns how many runs there were.
pub async fn drive<F, Fut>(
    changes: &mut mpsc::UnboundedReceiver<()>,
    interrupt: &Interrupt,
    mut deploy: F,
) -> Result<usize>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<()>>,
{
    let mut runs = 0;
    loop {
        runs += 1;
        let mut queued = false;
        let run = deploy();
        tokio::pin!(run);
        let result = loop {
            tokio::select! {
                result = &mut run => break result,
                Some(()) = changes.recv() => queued = true,
            }
        };
        match result {
            Err(Error::Cancelled(why)) => {
                eprintln!("[sandbox] {why}");
                return Ok(runs);
            }
            Err(e) => eprintln!("[sandbox] deployment failed: {e}\n[sandbox] fix the backend and save to try again"),
            Ok(()) => {}
        }
        if interrupt.count() > 0 {
            return Ok(runs);
        }
        if queued {
            eprintln!("[sandbox] files changed during the deployment; deploying again");
        } else {
            eprintln!("[sandbox] watching for changes (Ctrl-C to stop)");
            tokio::select! {
                change = changes.recv() => if change.is_none() { return Ok(runs) },
                _ = interrupt.reached(1) => return Ok(runs),
            }
            eprintln!("[sandbox] change detected; deploying");
        }
        // Everything that arrived until now is covered by the next run.
        while changes.try_recv().is_ok() {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;
    use std::rc::Rc;

    #[test]
    fn build_output_and_our_own_files_are_not_sources() {
        let ignored = vec![PathBuf::from("/p/out")];
        assert!(is_source(Path::new("/p/src/main.rs"), &ignored));
        assert!(is_source(Path::new("/p/functions/hello/index.js"), &ignored));
        assert!(!is_source(Path::new("/p/target/debug/app"), &ignored));
        assert!(!is_source(Path::new("/p/.amplify/artifacts/cdk.out/manifest.json"), &ignored));
        assert!(!is_source(Path::new("/p/amplify_outputs.json"), &ignored));
        assert!(!is_source(Path::new("/p/out/x"), &ignored));
    }

    async fn quiet(rx: &mut mpsc::UnboundedReceiver<()>) -> bool {
        tokio::time::timeout(DEBOUNCE * 3, rx.recv()).await.is_err()
    }

    #[tokio::test]
    async fn sources_wake_the_watcher_and_build_output_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("target")).unwrap();
        let (_watcher, mut changes) = watch(&root, vec![]).unwrap();
        std::fs::write(root.join("target/build.log"), "ignored").unwrap();
        assert!(quiet(&mut changes).await, "build output is not a change");

        for i in 0..3 {
            std::fs::write(root.join("backend.rs"), format!("// save {i}")).unwrap();
        }
        let first = tokio::time::timeout(Duration::from_secs(10), changes.recv()).await;
        assert_eq!(first.unwrap(), Some(()));
        // The burst settles: messages stop (the redeploy queue collapses any
        // that came in the same burst).
        while tokio::time::timeout(DEBOUNCE * 2, changes.recv()).await.is_ok() {}
        assert!(quiet(&mut changes).await);
    }

    #[tokio::test]
    async fn changes_during_a_run_queue_exactly_one_more() {
        let (tx, mut rx) = mpsc::unbounded_channel();
        let interrupt = Interrupt::default();
        let stopper = interrupt.clone();
        let runs = Rc::new(Cell::new(0));
        let counter = runs.clone();
        let n = drive(&mut rx, &interrupt, move || {
            let (counter, sender, stopper) = (counter.clone(), tx.clone(), stopper.clone());
            async move {
                counter.set(counter.get() + 1);
                if counter.get() == 1 {
                    // Three saves while the first deployment runs.
                    for _ in 0..3 {
                        let _ = sender.send(());
                        tokio::time::sleep(Duration::from_millis(5)).await;
                    }
                } else {
                    stopper.press();
                }
                Ok(())
            }
        })
        .await
        .unwrap();
        assert_eq!(n, 2);
        assert_eq!(runs.get(), 2);
    }

    #[tokio::test]
    async fn a_failed_run_is_retried_after_a_change_and_ctrl_c_stops() {
        let (tx, mut rx) = mpsc::unbounded_channel();
        let interrupt = Interrupt::default();
        let stopper = interrupt.clone();
        let attempts = Rc::new(Cell::new(0));
        let counter = attempts.clone();
        tx.send(()).unwrap();
        let n = drive(&mut rx, &interrupt, move || {
            let (counter, stopper) = (counter.clone(), stopper.clone());
            async move {
                counter.set(counter.get() + 1);
                if counter.get() == 2 {
                    stopper.press();
                }
                Err(Error::Synth("compile error".into()))
            }
        })
        .await
        .unwrap();
        assert_eq!(n, 2);
        drop(tx);
    }
}
