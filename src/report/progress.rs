//! How far along a scan is, when something says how many entries to expect:
//! the last complete scan of the same root, or, for the first scan of a
//! mount point, the filesystem's used inodes. A percentage that only rises
//! (it stays below 100 until the job ends) and the time left at the rate
//! of the last few seconds. Both are estimates and are shown as such.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use super::{JobRecord, Tally};
use crate::scan::{JobId, JobState};

/// What the entries are expected from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Basis {
    /// A complete earlier scan (its id in the history, its start in Unix
    /// seconds, its disk usage).
    Scan {
        id: i64,
        started: i64,
        disk_bytes: u64,
    },
    /// The inodes the filesystem says it uses.
    Inodes,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Expected {
    pub entries: u64,
    pub basis: Basis,
}

/// The rate is measured over this much of the recent past.
const WINDOW: Duration = Duration::from_secs(10);
/// Samples closer than this are not kept.
const SAMPLE_EVERY: Duration = Duration::from_millis(250);

/// Entries seen over time, for the recent rate.
#[derive(Clone, Debug, Default)]
pub struct Pace {
    samples: VecDeque<(Instant, u64)>,
}

impl Pace {
    pub fn sample(&mut self, at: Instant, entries: u64) {
        if let Some(&(last, _)) = self.samples.back()
            && at.saturating_duration_since(last) < SAMPLE_EVERY
        {
            return;
        }
        self.samples.push_back((at, entries));
        while let Some(&(first, _)) = self.samples.front() {
            if at.saturating_duration_since(first) <= WINDOW || self.samples.len() <= 2 {
                break;
            }
            self.samples.pop_front();
        }
    }

    /// Entries a second over the window, once there is a second of it.
    pub fn rate(&self) -> Option<f64> {
        let (&(t0, n0), &(t1, n1)) = (self.samples.front()?, self.samples.back()?);
        let span = t1.saturating_duration_since(t0).as_secs_f64();
        (span >= 1.0).then(|| n1.saturating_sub(n0) as f64 / span)
    }
}

/// Where a scan stands against what it expects.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    /// 0 to 99 while it runs, 100 once it ended.
    pub percent: u8,
    /// At the recent rate; `None` until there is one, or once it ended.
    pub remaining: Option<Duration>,
}

/// `entries` scanned so far out of `expected`.
pub fn estimate(entries: u64, expected: u64, rate: Option<f64>, ended: bool) -> Estimate {
    if ended {
        return Estimate {
            percent: 100,
            remaining: None,
        };
    }
    let percent = if expected == 0 {
        99
    } else {
        (u128::from(entries) * 100 / u128::from(expected)).min(99) as u8
    };
    let left = expected.saturating_sub(entries);
    let remaining = rate
        .filter(|&r| r > 0.0)
        .map(|r| Duration::from_secs_f64(left as f64 / r));
    Estimate { percent, remaining }
}

/// `est. 42%, 12s left`; `est. 42% of used inodes` for a first scan of a
/// mount point.
pub fn describe(estimate: &Estimate, from_inodes: bool) -> String {
    let mut out = format!("est. {}%", estimate.percent);
    if from_inodes {
        out.push_str(" of used inodes");
    }
    if let Some(left) = estimate.remaining {
        // Whole seconds: the estimate is not better than that.
        let left = Duration::from_secs(left.as_secs().max(1));
        out.push_str(&format!(", {} left", super::units::duration(left)));
    }
    out
}

impl JobRecord {
    /// Every entry the scan counted, deleted ones included: it only grows.
    pub fn scanned_entries(&self) -> u64 {
        self.totals.entries() + self.deleted.entries()
    }

    /// Where it stands, when something says what to expect.
    pub fn estimate(&self) -> Option<Estimate> {
        let expected = self.expected?;
        Some(estimate(
            self.scanned_entries(),
            expected.entries,
            self.pace.rate(),
            self.state.is_finished(),
        ))
    }
}

impl Tally {
    /// What `job` is expected to count.
    pub fn expect(&mut self, job: JobId, expected: Expected) {
        if let Some(record) = self.job_mut(job) {
            record.expected = Some(expected);
        }
    }

    /// Notes every running job's entries at `now`, for its rate.
    pub fn sample_pace(&mut self, now: Instant) {
        for job in &mut self.jobs {
            if job.state == JobState::Scanning {
                let entries = job.scanned_entries();
                job.pace.sample(now, entries);
            }
        }
    }

    /// Some running job's estimate is from its filesystem's inodes.
    pub fn estimated_from_inodes(&self) -> bool {
        self.jobs.iter().any(|job| {
            !job.state.is_finished() && job.expected.is_some_and(|e| e.basis == Basis::Inodes)
        })
    }

    /// All running jobs that expect something, together: `None` when none.
    pub fn estimate(&self) -> Option<Estimate> {
        let running: Vec<&JobRecord> = self
            .jobs
            .iter()
            .filter(|job| !job.state.is_finished() && job.expected.is_some())
            .collect();
        if running.is_empty() {
            return None;
        }
        let entries = running.iter().map(|job| job.scanned_entries()).sum();
        let expected = running
            .iter()
            .filter_map(|job| job.expected)
            .map(|e| e.entries)
            .sum();
        let rate = running
            .iter()
            .filter_map(|job| job.pace.rate())
            .sum::<f64>();
        Some(estimate(entries, expected, Some(rate), false))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_percentage_rises_stays_below_100_while_running_and_is_100_at_the_end() {
        let mut last = 0;
        for entries in (0..=1500).step_by(50) {
            let e = estimate(entries, 1000, None, false);
            assert!(e.percent >= last && e.percent <= 99, "{entries}: {e:?}");
            last = e.percent;
        }
        assert_eq!(estimate(1500, 1000, None, true).percent, 100);
        assert_eq!(estimate(0, 0, None, false).percent, 99);
    }

    #[test]
    fn the_time_left_is_what_remains_at_the_recent_rate() {
        let e = estimate(400, 1000, Some(100.0), false);
        assert_eq!(e.remaining, Some(Duration::from_secs(6)));
        assert_eq!(estimate(400, 1000, Some(0.0), false).remaining, None);
    }

    #[test]
    fn the_rate_is_over_the_last_ten_seconds() {
        let t = Instant::now();
        let mut pace = Pace::default();
        pace.sample(t, 0);
        assert_eq!(pace.rate(), None);
        // 1000/s for 20 s, then 100/s for 10 s: the window sees the last.
        for s in 1..=20 {
            pace.sample(t + Duration::from_secs(s), s * 1000);
        }
        for s in 21..=30 {
            pace.sample(t + Duration::from_secs(s), 20_000 + (s - 20) * 100);
        }
        let rate = pace.rate().unwrap();
        assert!((rate - 100.0).abs() < 1e-6, "{rate}");
    }
}
