//! The history as the dashboard uses it: each job's baseline (what its
//! progress is measured against, and the browser's change column), which
//! ended jobs were sent to be recorded, and what went wrong with the file.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use super::Action;
use super::jobs::Jobs;
use crate::history::Baseline;
use crate::report::progress::{Basis, Expected};
use crate::scan::JobId;

#[derive(Debug, Default)]
pub struct Past {
    /// Off with `--no-history`.
    enabled: bool,
    baselines: HashMap<JobId, Arc<Baseline>>,
    recorded: HashSet<JobId>,
    /// What the history file said, each once.
    failures: Vec<String>,
}

impl Past {
    pub fn enabled() -> Past {
        Past {
            enabled: true,
            ..Past::default()
        }
    }

    /// The last complete scan of `job`'s root, once it is loaded.
    pub fn baseline(&self, job: JobId) -> Option<&Arc<Baseline>> {
        self.baselines.get(&job)
    }

    pub fn failures(&self) -> &[String] {
        &self.failures
    }

    /// A job was submitted: its baseline is asked for.
    pub(super) fn submitted(&self, job: JobId, root: &Arc<Path>) -> Vec<Action> {
        if !self.enabled {
            return Vec::new();
        }
        vec![Action::LoadBaseline {
            job,
            root: Arc::clone(root),
        }]
    }

    /// What `job` is measured against arrived.
    pub(super) fn expected(
        &mut self,
        jobs: &mut Jobs,
        job: JobId,
        baseline: Option<Arc<Baseline>>,
        inodes: Option<u64>,
    ) {
        let expected = match &baseline {
            Some(baseline) => Some(Expected {
                entries: baseline.scan.entries,
                basis: Basis::Scan {
                    id: baseline.scan.id,
                    started: baseline.scan.started,
                    disk_bytes: baseline.scan.disk_bytes,
                },
            }),
            None => inodes.map(|entries| Expected {
                entries,
                basis: Basis::Inodes,
            }),
        };
        if let Some(expected) = expected {
            jobs.expect(job, expected);
        }
        if let Some(baseline) = baseline {
            self.baselines.insert(job, baseline);
        }
    }

    /// `job` ended: it is recorded, once.
    pub(super) fn ended(&mut self, job: JobId) -> Vec<Action> {
        if !self.enabled || !self.recorded.insert(job) {
            return Vec::new();
        }
        vec![Action::Record { job }]
    }

    /// The history file failed; returns the notice to show, the first time.
    pub(super) fn failed(&mut self, message: String) -> Option<String> {
        if self.failures.contains(&message) {
            return None;
        }
        self.failures.push(message.clone());
        Some(format!("history: {message}; scans are not recorded"))
    }
}
