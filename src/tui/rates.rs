//! Throughput for the dashboard: entries per second over the last second,
//! per worker, per job and in all, and a point a second for the sparkline.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use crate::report::Tally;
use crate::scan::{JobId, WorkerId};

/// Seconds of throughput history in the sparkline.
pub const HISTORY_SECONDS: usize = 60;

/// Entries per second over the last second, per worker, per job and in
/// all; and one point a second of the total for the sparkline.
#[derive(Debug, Default)]
pub struct Rates {
    window: VecDeque<Sample>,
    history_at: Option<Instant>,
    /// One value a second, the newest last.
    pub history: VecDeque<u64>,
    pub total: u64,
    pub workers: HashMap<WorkerId, u64>,
    pub jobs: HashMap<JobId, u64>,
}

#[derive(Debug)]
struct Sample {
    at: Instant,
    total: u64,
    workers: HashMap<WorkerId, u64>,
    jobs: HashMap<JobId, u64>,
}

/// Rates are measured over about this long.
const RATE_WINDOW: Duration = Duration::from_secs(1);

impl Rates {
    /// Samples the counts; true when a shown rate changed.
    pub fn sample(&mut self, now: Instant, tally: &Tally) -> bool {
        let current = Sample {
            at: now,
            total: tally.totals().entries(),
            workers: tally
                .workers
                .iter()
                .map(|(id, w)| (*id, w.entries))
                .collect(),
            jobs: tally
                .jobs
                .iter()
                .map(|j| (j.id, j.totals.entries()))
                .collect(),
        };
        // Keep one sample at least a window old, so that slow ticks still
        // measure over a second.
        while self.window.len() > 1
            && now.saturating_duration_since(self.window[1].at) >= RATE_WINDOW
        {
            self.window.pop_front();
        }
        let mut changed = false;
        if let Some(oldest) = self.window.front() {
            let span = now.saturating_duration_since(oldest.at);
            let rate = |now: u64, before: u64| {
                crate::report::units::per_second(now.saturating_sub(before), span)
            };
            let total = rate(current.total, oldest.total);
            let workers: HashMap<WorkerId, u64> = current
                .workers
                .iter()
                .map(|(id, n)| (*id, rate(*n, oldest.workers.get(id).copied().unwrap_or(0))))
                .collect();
            let jobs: HashMap<JobId, u64> = current
                .jobs
                .iter()
                .map(|(id, n)| (*id, rate(*n, oldest.jobs.get(id).copied().unwrap_or(0))))
                .collect();
            changed = total != self.total || workers != self.workers || jobs != self.jobs;
            self.total = total;
            self.workers = workers;
            self.jobs = jobs;
        }
        self.window.push_back(current);
        let history_due = self
            .history_at
            .is_none_or(|at| now.saturating_duration_since(at) >= Duration::from_secs(1));
        // Once a minute of zeros is shown, idling changes nothing on screen.
        let flat_zero = self.total == 0
            && self.history.len() == HISTORY_SECONDS
            && self.history.iter().all(|&n| n == 0);
        if history_due && !flat_zero {
            self.history_at = Some(now);
            self.history.push_back(self.total);
            while self.history.len() > HISTORY_SECONDS {
                self.history.pop_front();
            }
            changed = true;
        }
        changed
    }
}
