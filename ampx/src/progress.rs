//! The deployment display: one line per resource event, and a progress bar of
//! resources done when stderr is a terminal.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::events::Event;

/// Shows a deployment's events and how far it is.
pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    /// A display for `total` resources of `stack`.
    pub fn new(stack: &str, total: usize) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {prefix} [{bar:30}] {pos}/{len} resources {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_prefix(stack.to_string());
        bar.enable_steady_tick(Duration::from_millis(200));
        Progress { bar }
    }

    /// Prints a line above the bar (or on its own when there is no bar).
    pub fn line(&self, text: &str) {
        if self.bar.is_hidden() {
            eprintln!("{text}");
        } else {
            self.bar.println(text);
        }
    }

    /// Shows an event and counts finished resources.
    pub fn event(&self, e: &Event) {
        let reason = e.reason.as_deref().filter(|r| !r.is_empty()).map(|r| format!("  {r}")).unwrap_or_default();
        self.line(&format!("  {} | {:<28} | {:<32} | {}{reason}", e.time, e.status, e.resource_type, e.label()));
        if e.is_resource() && (e.status.ends_with("_COMPLETE") || e.status.ends_with("_FAILED")) {
            self.bar.inc(1);
        }
    }

    /// Counts every resource as done (the stack finished well, whether or not
    /// each resource reported an event; emulators often report none).
    pub fn complete(&self) -> u64 {
        let total = self.bar.length().unwrap_or(0);
        self.bar.set_position(total);
        total
    }

    /// Removes the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
