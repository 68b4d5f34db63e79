//! The one log of a scan's errors, for the summary and the dashboard alike:
//! exact counts in all and per job, and the latest `ERRORS_KEPT` errors with
//! their path, kind and reason (the oldest are dropped first), indexed by job
//! so that a job's errors are found without reading the others.

use std::collections::{BTreeMap, VecDeque};
use std::path::PathBuf;

use crate::scan::{JobId, ScanError};

/// Errors kept with their path; the counts stay exact beyond it.
pub const ERRORS_KEPT: usize = 10_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorRecord {
    pub job: JobId,
    pub path: PathBuf,
    /// `Cause::kind`: `permission_denied`, `loop`, `worker_panic`, …
    pub kind: &'static str,
    pub errno: Option<i32>,
    pub reason: String,
}

impl ErrorRecord {
    pub fn of(error: &ScanError) -> ErrorRecord {
        ErrorRecord {
            job: error.job,
            path: error.path.clone(),
            kind: error.cause.kind(),
            errno: error.cause.errno(),
            reason: error.cause.to_string(),
        }
    }
}

#[derive(Debug, Default)]
pub struct ErrorLog {
    /// The latest errors, oldest first; `kept[i]` is error number `dropped + i`.
    kept: VecDeque<ErrorRecord>,
    dropped: u64,
    per_job: BTreeMap<JobId, JobErrors>,
}

#[derive(Debug, Default)]
struct JobErrors {
    total: u64,
    /// Numbers of this job's errors still kept, oldest first.
    kept: VecDeque<u64>,
}

impl ErrorLog {
    pub fn push(&mut self, record: ErrorRecord) {
        if self.kept.len() == ERRORS_KEPT
            && let Some(oldest) = self.kept.pop_front()
        {
            // The oldest error overall is the oldest of its job.
            if let Some(job) = self.per_job.get_mut(&oldest.job) {
                job.kept.pop_front();
            }
            self.dropped += 1;
        }
        let number = self.dropped + self.kept.len() as u64;
        let job = self.per_job.entry(record.job).or_default();
        job.total += 1;
        job.kept.push_back(number);
        self.kept.push_back(record);
    }

    /// Every error, kept or not.
    pub fn total(&self) -> u64 {
        self.dropped + self.kept.len() as u64
    }

    /// The kept errors, oldest first.
    pub fn kept(&self) -> &VecDeque<ErrorRecord> {
        &self.kept
    }

    /// Every error of `job`, kept or not.
    pub fn job_total(&self, job: JobId) -> u64 {
        self.per_job.get(&job).map_or(0, |j| j.total)
    }

    /// How many errors of `job` are kept.
    pub fn job_kept(&self, job: JobId) -> usize {
        self.per_job.get(&job).map_or(0, |j| j.kept.len())
    }

    /// The `i`th kept error of `job`, oldest first.
    pub fn job_error(&self, job: JobId, i: usize) -> Option<&ErrorRecord> {
        let number = *self.per_job.get(&job)?.kept.get(i)?;
        self.kept.get(usize::try_from(number - self.dropped).ok()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(job: u32, i: usize) -> ErrorRecord {
        ErrorRecord {
            job: JobId(job),
            path: PathBuf::from(format!("/{job}/{i}")),
            kind: "permission_denied",
            errno: Some(13),
            reason: "Permission denied (os error 13)".into(),
        }
    }

    #[test]
    fn the_latest_are_kept_and_the_counts_stay_exact() {
        let mut log = ErrorLog::default();
        for i in 0..ERRORS_KEPT + 7 {
            log.push(record(1 + (i % 2) as u32, i));
        }
        assert_eq!(log.total(), ERRORS_KEPT as u64 + 7);
        assert_eq!(log.kept().len(), ERRORS_KEPT);
        assert_eq!(log.kept()[0], record(2, 7));
        assert_eq!(log.kept().back(), Some(&record(1, ERRORS_KEPT + 6)));
        assert_eq!(
            log.job_total(JobId(1)) + log.job_total(JobId(2)),
            log.total()
        );
        assert_eq!(log.job_kept(JobId(1)) + log.job_kept(JobId(2)), ERRORS_KEPT);
    }

    #[test]
    fn a_jobs_errors_are_found_by_index_in_order() {
        let mut log = ErrorLog::default();
        for i in 0..ERRORS_KEPT + 3 {
            // Job 2 has every tenth error.
            log.push(record(if i % 10 == 0 { 2 } else { 1 }, i));
        }
        let kept = log.job_kept(JobId(2));
        let all: Vec<&ErrorRecord> = (0..kept)
            .map(|i| log.job_error(JobId(2), i).unwrap())
            .collect();
        assert!(all.iter().all(|e| e.job == JobId(2)));
        assert_eq!(all[0].path, PathBuf::from("/2/10"), "/2/0 was dropped");
        assert_eq!(
            log.job_total(JobId(2)),
            (ERRORS_KEPT as u64 + 3).div_ceil(10)
        );
        assert!(log.job_error(JobId(2), kept).is_none());
        assert!(log.job_error(JobId(9), 0).is_none());
    }
}
