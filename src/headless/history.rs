//! Headless and the history: what each root is expected to count (its last
//! complete scan, or its filesystem's inodes), and, with `--history`, each
//! job recorded on the history's thread as it ends. Anything wrong with the
//! file is a warning; the scan and its exit status do not change.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use crate::history::{self, History, Open, Recorder, Recording, Reply, Request};
use crate::report::Tally;
use crate::report::progress::{Basis, Expected};
use crate::scan::JobId;

/// What headless does with the history.
#[derive(Clone, Debug)]
pub struct HistoryConfig {
    pub file: PathBuf,
    /// `--history`: record the scans (else only read what to expect).
    pub record: bool,
    pub keep: usize,
}

pub(super) struct Chronicle {
    /// Open for reading until the recorder takes it.
    history: Option<History>,
    recorder: Option<Recorder>,
    recorded: HashSet<JobId>,
    /// `Counting::key` of this scan's options.
    options: String,
    record: bool,
}

fn warn(e: &impl std::fmt::Display, record: bool) {
    let consequence = if record {
        "this scan is not recorded"
    } else {
        "no estimate from earlier scans"
    };
    crate::say!("dirdash: history: {e}; {consequence}");
}

impl Chronicle {
    pub(super) fn open(config: Option<&HistoryConfig>, options: String) -> Chronicle {
        let mut chronicle = Chronicle {
            history: None,
            recorder: None,
            recorded: HashSet::new(),
            options,
            record: config.is_some_and(|c| c.record),
        };
        let Some(config) = config else {
            return chronicle;
        };
        let opened = if config.record {
            History::open(&config.file).map(Some)
        } else {
            History::open_existing(&config.file)
        };
        match opened {
            Ok(history) => chronicle.history = history,
            Err(e) => warn(&e, config.record),
        }
        chronicle
    }

    /// What `job` (of `root`) should count: its last complete scan, else
    /// for a mount point, its filesystem's used inodes.
    pub(super) fn expect(&self, tally: &mut Tally, job: JobId, root: &Path) {
        let last = self
            .history
            .as_ref()
            .map(|history| history.latest_complete(root, &self.options));
        let expected = match last {
            Some(Ok(Some(scan))) => Some(Expected {
                entries: scan.entries,
                basis: Basis::Scan {
                    id: scan.id,
                    started: scan.started,
                    disk_bytes: scan.disk_bytes,
                },
            }),
            Some(Err(e)) => {
                warn(&e, false);
                None
            }
            _ => None,
        }
        .or_else(|| {
            history::used_inodes(root).map(|entries| Expected {
                entries,
                basis: Basis::Inodes,
            })
        });
        if let Some(expected) = expected {
            tally.expect(job, expected);
        }
    }

    /// From now on, jobs that end are recorded (with `--history`).
    pub(super) fn start_recording(&mut self, keep: usize) {
        if !self.record {
            return;
        }
        let Some(history) = self.history.take() else {
            return;
        };
        match Recorder::start(Open::Ready(history), keep) {
            Ok(recorder) => self.recorder = Some(recorder),
            Err(e) => warn(&e, true),
        }
    }

    /// Sends every job that ended and was not sent yet.
    pub(super) fn record_ended(&mut self, tally: &Tally) {
        let Some(recorder) = &self.recorder else {
            return;
        };
        let (now, wall_now) = (Instant::now(), SystemTime::now());
        for job in &tally.jobs {
            let imported = job.state == crate::scan::JobState::Imported;
            if !job.state.is_finished() || imported || self.recorded.contains(&job.id) {
                continue;
            }
            if let Some(recording) = Recording::of(job, &self.options, now, wall_now) {
                self.recorded.insert(job.id);
                recorder.send(Request::Record(Box::new(recording)));
            }
        }
    }

    /// Waits for the recordings; warns of those that failed.
    pub(super) fn finish(self) {
        let Some(recorder) = self.recorder else {
            return;
        };
        for reply in recorder.finish() {
            if let Reply::Failed(e) = reply {
                warn(&e, true);
            }
        }
    }
}
