//! Ctrl-C, counted: the first press asks a deployment to stop at a consistent
//! point, the second stops waiting for it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::sync::Notify;

/// How many times Ctrl-C was pressed, shared by everything that can stop.
#[derive(Clone, Debug, Default)]
pub struct Interrupt(Arc<(AtomicUsize, Notify)>);

impl Interrupt {
    /// Starts counting Ctrl-C presses (instead of the default of exiting at once).
    pub fn install() -> Interrupt {
        let interrupt = Interrupt::default();
        let counter = interrupt.clone();
        tokio::spawn(async move {
            while tokio::signal::ctrl_c().await.is_ok() {
                counter.press();
            }
        });
        interrupt
    }

    /// Records a press (what Ctrl-C does; tests call it directly).
    pub fn press(&self) {
        self.0 .0.fetch_add(1, Ordering::SeqCst);
        self.0 .1.notify_waiters();
    }

    /// Presses so far.
    pub fn count(&self) -> usize {
        self.0 .0.load(Ordering::SeqCst)
    }

    /// Resolves once there have been at least `n` presses.
    pub async fn reached(&self, n: usize) {
        loop {
            let notified = self.0 .1.notified();
            if self.count() >= n {
                return;
            }
            notified.await;
        }
    }
}
