//! The terminal while the dashboard owns it: raw mode and the alternate
//! screen on stderr, restored on every way out — normal exit, error, and a
//! panic on the UI thread (restored first, so its message can be read).

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use ratatui::crossterm::cursor::{Hide, Show};
use ratatui::crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};

/// Set while the terminal is in raw mode on the alternate screen.
static ACTIVE: AtomicBool = AtomicBool::new(false);

pub struct TerminalGuard(());

impl TerminalGuard {
    pub fn enter() -> io::Result<TerminalGuard> {
        enable_raw_mode()?;
        ACTIVE.store(true, Ordering::SeqCst);
        let guard = TerminalGuard(());
        execute!(
            io::stderr(),
            EnterAlternateScreen,
            Clear(ClearType::All),
            Hide,
            EnableBracketedPaste,
            EnableMouseCapture
        )?;
        Ok(guard)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Leaves the alternate screen and raw mode; does nothing the second time.
pub fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let mut err = io::stderr();
        let _ = execute!(
            err,
            DisableMouseCapture,
            DisableBracketedPaste,
            LeaveAlternateScreen,
            Show
        );
        let _ = err.flush();
        let _ = disable_raw_mode();
    }
}

/// A panic restores the terminal first, then prints as the hook before
/// did. Install it after the scanner started: the engine's hook, which
/// keeps workers' panics quiet (they are reported as events), is then the
/// one called after, and a worker's panic leaves the dashboard as it is.
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !crate::scan::is_worker_thread() {
            restore();
        }
        previous(info);
    }));
}
