//! Watching the backend's sources and redeploying: changes are debounced, and a
//! change during a deployment queues exactly one more.

use std::path::{Path, PathBuf};
use std::sync::mpsc as std_mpsc;
use std::time::Duration;

use notify::event::{EventKind, ModifyKind};
use notify::{RecursiveMode, Watcher};
use tokio::sync::mpsc;

use crate::errors::{Error, Result};
use crate::interrupt::Interrupt;
use crate::sources::Sources;

/// Quiet time after the last change before a deployment starts: an editor's
/// save (write, rename, touch) and `cargo fmt` come as bursts.
/// `AMPX_WATCH_DEBOUNCE_MS` overrides it (tests use a short one).
pub fn debounce() -> Duration {
    std::env::var("AMPX_WATCH_DEBOUNCE_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map(Duration::from_millis)
        .unwrap_or(Duration::from_millis(500))
}

/// Whether an event can change a file's content: opening, reading, closing
/// without writing and metadata changes (`touch`, `chmod`) cannot.
fn may_change_content(kind: &EventKind) -> bool {
    !matches!(kind, EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(_)))
}

/// Watches `root` and sends, after each burst of events has settled, the source
/// files whose content changed (nothing for a burst that changed no content).
/// The watcher stops when the returned guard is dropped.
pub fn watch(
    root: &Path,
    ignored: Vec<PathBuf>,
) -> Result<(notify::RecommendedWatcher, mpsc::UnboundedReceiver<Vec<PathBuf>>)> {
    watch_excluding(root, ignored, crate::exclude::Exclude::default())
}

/// [`watch`], also ignoring what `exclude` matches (`ampx sandbox --exclude`).
pub fn watch_excluding(
    root: &Path,
    ignored: Vec<PathBuf>,
    exclude: crate::exclude::Exclude,
) -> Result<(notify::RecommendedWatcher, mpsc::UnboundedReceiver<Vec<PathBuf>>)> {
    let fail = |e: notify::Error| Error::Watch { path: root.to_path_buf(), reason: e.to_string() };
    let (raw_tx, raw_rx) = std_mpsc::channel::<PathBuf>();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Some(event) = event.ok().filter(|e| may_change_content(&e.kind)) {
            for path in event.paths {
                let _ = raw_tx.send(path);
            }
        }
    })
    .map_err(fail)?;
    // Read the sources before watching, so that what synthesis does later (it
    // reads them) is measured against what was there at the start.
    let mut sources = Sources::scan_excluding(root, ignored, exclude);
    watcher.watch(root, RecursiveMode::Recursive).map_err(fail)?;
    let (tx, rx) = mpsc::unbounded_channel();
    let quiet = debounce();
    // A thread of its own: hashing files is blocking work, and the deployment
    // runs meanwhile on the async runtime.
    std::thread::spawn(move || {
        while let Ok(first) = raw_rx.recv() {
            let mut burst = vec![first];
            while let Ok(path) = raw_rx.recv_timeout(quiet) {
                burst.push(path);
            }
            let changed = sources.changed(burst);
            if !changed.is_empty() && tx.send(changed).is_err() {
                return;
            }
        }
    });
    Ok((watcher, rx))
}

/// Runs `deploy` once, then again after each change, until Ctrl-C or until the
/// changes stop coming. Changes during a run collapse into one more run. A failed
/// run is reported and the loop waits for the fix; a cancelled one ends the loop.
/// Returns how many runs there were.
pub async fn drive<F, Fut>(
    changes: &mut mpsc::UnboundedReceiver<Vec<PathBuf>>,
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
        let mut queued = Vec::new();
        let run = deploy();
        tokio::pin!(run);
        let result = loop {
            tokio::select! {
                result = &mut run => break result,
                Some(files) = changes.recv() => queued.extend(files),
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
        if !queued.is_empty() {
            eprintln!("[sandbox] {} changed during the deployment; deploying again", list(&queued));
        } else {
            eprintln!("[sandbox] watching for changes (Ctrl-C to stop)");
            let files = tokio::select! {
                change = changes.recv() => match change { Some(files) => files, None => return Ok(runs) },
                _ = interrupt.reached(1) => return Ok(runs),
            };
            eprintln!("[sandbox] {} changed; deploying", list(&files));
        }
        // Everything that arrived until now is covered by the next run.
        while changes.try_recv().is_ok() {}
    }
}

/// `a.rs`, `a.rs and b.rs`, `a.rs and 3 more files`.
fn list(files: &[PathBuf]) -> String {
    let name = |p: &PathBuf| p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    match files {
        [] => "nothing".into(),
        [one] => name(one),
        [a, b] => format!("{} and {}", name(a), name(b)),
        [a, rest @ ..] => format!("{} and {} more files", name(a), rest.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;
    use std::rc::Rc;

    async fn quiet(rx: &mut mpsc::UnboundedReceiver<Vec<PathBuf>>) -> bool {
        tokio::time::timeout(debounce() * 3, rx.recv()).await.is_err()
    }

    #[tokio::test]
    async fn content_changes_wake_the_watcher_and_reads_touches_and_build_output_do_not() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("target")).unwrap();
        std::fs::write(root.join("backend.rs"), "// v1").unwrap();
        let (_watcher, mut changes) = watch(&root, vec![]).unwrap();
        std::fs::write(root.join("target/build.log"), "ignored").unwrap();
        let _ = std::fs::read_to_string(root.join("backend.rs")).unwrap();
        std::fs::File::options()
            .write(true)
            .open(root.join("backend.rs"))
            .unwrap()
            .set_modified(std::time::SystemTime::now())
            .unwrap();
        std::fs::write(root.join("backend.rs"), "// v1").unwrap();
        assert!(quiet(&mut changes).await, "reads, touches, same-content saves and build output are not changes");

        for i in 0..3 {
            std::fs::write(root.join("backend.rs"), format!("// save {i}")).unwrap();
        }
        let first = tokio::time::timeout(Duration::from_secs(10), changes.recv()).await;
        assert_eq!(first.unwrap(), Some(vec![root.join("backend.rs")]), "one message for the burst");
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
                        let _ = sender.send(vec![PathBuf::from("a.rs")]);
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
        tx.send(vec![PathBuf::from("a.rs")]).unwrap();
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

    #[test]
    fn changed_files_are_named() {
        let files: Vec<PathBuf> = ["/p/a.rs", "/p/b.rs", "/p/c.rs"].iter().map(PathBuf::from).collect();
        assert_eq!(list(&files[..1]), "a.rs");
        assert_eq!(list(&files[..2]), "a.rs and b.rs");
        assert_eq!(list(&files), "a.rs and 2 more files");
    }
}
