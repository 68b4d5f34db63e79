//! The live progress line on stderr, when stderr is a terminal.

use std::io;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use crate::report::{Tally, progress, text, units};

/// One line on stderr, rewritten in place while the scan runs.
pub(super) struct ProgressLine {
    pub(super) enabled: bool,
    drawn: bool,
    pub(super) dir: Option<Arc<Path>>,
    last: Option<(Instant, u64)>,
    rate: u64,
}

impl ProgressLine {
    pub(super) fn new(enabled: bool) -> ProgressLine {
        ProgressLine {
            enabled,
            drawn: false,
            dir: None,
            last: None,
            rate: 0,
        }
    }

    pub(super) fn draw(&mut self, tally: &Tally) {
        let now = Instant::now();
        let totals = tally.totals();
        let entries = totals.entries();
        if let Some((at, before)) = self.last {
            self.rate = units::per_second(entries.saturating_sub(before), now - at);
        }
        self.last = Some((now, entries));
        let mut line = format!(
            "{} files  {} dirs  {}  {} errors  {}/s  ",
            units::count(totals.files),
            units::count(totals.dirs),
            units::size(totals.bytes),
            units::count(totals.errors),
            units::short_count(self.rate),
        );
        if let Some(estimate) = tally.estimate() {
            line.push_str(&progress::describe(
                &estimate,
                tally.estimated_from_inodes(),
            ));
            line.push_str("  ");
        }
        if let Some(dir) = &self.dir {
            line.push_str(&text::path(dir));
        }
        let width = terminal_width().saturating_sub(1);
        let line: String = line.chars().take(width).collect();
        crate::say_part!("\r\x1b[2K{line}");
        self.drawn = true;
    }

    pub(super) fn clear(&mut self) {
        if self.drawn {
            crate::say_part!("\r\x1b[2K");
            self.drawn = false;
        }
    }
}

fn terminal_width() -> usize {
    rustix::termios::tcgetwinsize(io::stderr())
        .map(|size| usize::from(size.ws_col))
        .ok()
        .filter(|&cols| cols > 0)
        .unwrap_or(80)
}
