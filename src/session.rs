//! One scan session, the same for both front ends: the signals that stop
//! it, the scanner and its events, the roots it was given, how it ends
//! (workers joined, or abandoned when asked twice), and what it leaves
//! behind: the summary on stdout or stderr, and the exit status.

use std::fmt;
use std::io::{self, Write};
use std::path::Path;
use std::time::Instant;

use crossbeam_channel::Receiver;

use crate::report::{self, Tally};
use crate::scan::{JobId, JobOptions, Options, ScanEvent, Scanner, Stopped};
use crate::signals::SignalChannel;

pub struct Session {
    signals: SignalChannel,
    scanner: Scanner,
    events: Receiver<ScanEvent>,
}

/// Why a session could not start.
#[derive(Debug)]
pub enum StartError {
    Signals(io::Error),
    Workers(io::Error),
}

impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StartError::Signals(e) => write!(f, "cannot install signal handlers: {e}"),
            StartError::Workers(e) => write!(f, "cannot start worker threads: {e}"),
        }
    }
}

/// How the workers were left.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    /// Every worker left and was joined.
    Joined,
    /// Asked twice to stop: the process ends without waiting for workers
    /// stuck in the kernel.
    Abandoned,
}

impl Session {
    /// Listens for `signals` (from now on they arrive on `signals()` instead
    /// of killing the process) and starts the workers.
    pub fn start(options: Options, signals: &[i32]) -> Result<Session, StartError> {
        let signals = SignalChannel::listen(signals).map_err(StartError::Signals)?;
        let (scanner, events) = Scanner::new(options).map_err(StartError::Workers)?;
        Ok(Session {
            signals,
            scanner,
            events,
        })
    }

    pub fn submit(&self, root: &Path, job: JobOptions) -> Result<JobId, Stopped> {
        self.scanner.submit_with(root, job)
    }

    pub fn scanner(&self) -> &Scanner {
        &self.scanner
    }

    pub fn events(&self) -> &Receiver<ScanEvent> {
        &self.events
    }

    pub fn signals(&self) -> &Receiver<i32> {
        self.signals.receiver()
    }

    /// Ends the scan as `ending` says; returns what the workers said before
    /// they left, to be applied like any event. After `Abandoned`, the jobs
    /// that never got their end must be marked stopped (`Tally::abandon`).
    pub fn end(self, ending: Ending) -> Vec<ScanEvent> {
        let Session {
            mut scanner,
            events,
            signals,
        } = self;
        match ending {
            Ending::Joined => scanner.shutdown(),
            Ending::Abandoned => scanner.abandon(),
        }
        drop(signals);
        events.try_iter().collect()
    }
}

/// What decides the exit status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// The signal that stopped the scan.
    pub signal: Option<i32>,
    /// An error in the scan, or a root that could not be read.
    pub scan_failed: bool,
    /// An output asked for (an export) could not be written.
    pub output_failed: bool,
}

impl Outcome {
    /// `128 + signal` when stopped by one; else 1 for any failure; else 0.
    pub fn exit_code(&self) -> i32 {
        match self.signal {
            Some(signal) => 128 + signal,
            None if self.scan_failed || self.output_failed => 1,
            None => 0,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
}

/// What the summary shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Summary {
    pub format: Format,
    /// `--depth N`: each root's directories down to depth N.
    pub depth: Option<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Destination {
    Stdout,
    /// When stdout belongs to something else (`--list`).
    Stderr,
}

/// Prints the summary; a reader that went away (a closed pipe) is not an
/// error worth a message.
pub fn print_summary(tally: &Tally, threads: usize, summary: Summary, to: Destination) {
    let now = Instant::now();
    let summary = match summary.format {
        Format::Json => report::json::render(tally, threads, now, summary.depth),
        Format::Table => report::table::render(tally, threads, now, summary.depth),
    };
    let result = match to {
        Destination::Stderr => io::stderr().write_all(summary.as_bytes()),
        Destination::Stdout => {
            let mut stdout = io::stdout().lock();
            stdout
                .write_all(summary.as_bytes())
                .and_then(|()| stdout.flush())
        }
    };
    if let Err(e) = result
        && e.kind() != io::ErrorKind::BrokenPipe
    {
        crate::say!("dirdash: cannot write the summary: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exit_status_is_the_signal_then_any_failure_then_zero() {
        let failed = Outcome {
            scan_failed: true,
            ..Outcome::default()
        };
        assert_eq!(Outcome::default().exit_code(), 0);
        assert_eq!(failed.exit_code(), 1);
        let export_failed = Outcome {
            output_failed: true,
            ..Outcome::default()
        };
        assert_eq!(export_failed.exit_code(), 1);
        let stopped = Outcome {
            signal: Some(15),
            ..failed
        };
        assert_eq!(stopped.exit_code(), 143);
    }
}
