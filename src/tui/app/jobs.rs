//! The jobs of the dashboard: what the scan found so far (the tally), which
//! job is selected, and which are being cancelled.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use super::Action;
use crate::report::progress::Expected;
use crate::report::{JobRecord, Tally};
use crate::scan::{JobId, JobState, ScanEvent, Totals};
use crate::tree::{JobTree, Node};
use crate::tui::keymap::Command;

/// Rows a page key moves.
const PAGE: usize = 10;

#[derive(Debug)]
pub struct Jobs {
    tally: Tally,
    /// Index into the tally's jobs.
    selected: usize,
    cancelling: HashSet<JobId>,
}

impl Jobs {
    pub fn new(started: Instant) -> Jobs {
        Jobs {
            tally: Tally::new(started),
            selected: 0,
            cancelling: HashSet::new(),
        }
    }

    pub fn tally(&self) -> &Tally {
        &self.tally
    }

    pub fn selected(&self) -> usize {
        self.selected
    }

    pub fn selected_job(&self) -> Option<&JobRecord> {
        self.tally.jobs.get(self.selected)
    }

    pub fn is_cancelling(&self, job: JobId) -> bool {
        self.cancelling.contains(&job)
    }

    /// Queued or being scanned.
    pub fn is_busy(&self) -> bool {
        !self.tally.all_finished()
    }

    pub(super) fn is_queued_or_scanning(&self, root: &Path) -> bool {
        self.tally
            .jobs
            .iter()
            .any(|j| &*j.root == root && !j.state.is_finished())
    }

    pub(super) fn submitted(&mut self, id: JobId, root: Arc<Path>, keep_tree: bool) {
        self.tally.submitted(id, root, keep_tree);
    }

    pub(super) fn apply(&mut self, event: &ScanEvent) {
        self.tally.apply(event);
        if let ScanEvent::JobFinished(end) = event {
            self.cancelling.remove(&end.job);
        }
    }

    pub(super) fn imported(&mut self, id: JobId, imported: crate::import::Imported, now: Instant) {
        self.tally.imported(id, imported, now);
    }

    /// What `job` is expected to count.
    pub(super) fn expect(&mut self, job: JobId, expected: Expected) {
        self.tally.expect(job, expected);
    }

    /// The clock: running jobs' entries, for their rates.
    pub(super) fn sample_pace(&mut self, now: Instant) {
        self.tally.sample_pace(now);
    }

    /// An entry of `job`'s tree was deleted.
    pub(super) fn deleted(&mut self, job: JobId, parent: Node, offset: u32) {
        self.tally.deleted(job, parent, offset);
    }

    /// What a deletion left in directory `node` of `job`, scanned again.
    pub(super) fn remeasured(&mut self, job: JobId, node: Node, fresh: &JobTree, totals: Totals) {
        self.tally.remeasured(job, node, fresh, totals);
    }

    /// The workers were left without waiting: jobs still running stopped.
    pub(super) fn abandon(&mut self, now: Instant) {
        self.tally.abandon(now);
    }

    /// Moves the selection as a navigation command says.
    pub(super) fn navigate(&mut self, command: Command) {
        let last = self.tally.jobs.len().saturating_sub(1);
        self.selected = match command {
            Command::Up => self.selected.saturating_sub(1),
            Command::Down => self.selected + 1,
            Command::PageUp => self.selected.saturating_sub(PAGE),
            Command::PageDown => self.selected + PAGE,
            Command::First => 0,
            Command::Last => last,
            _ => self.selected,
        }
        .min(last);
    }

    /// Asks to cancel `job`, once, while it runs.
    pub(super) fn cancel(&mut self, job: JobId) -> Vec<Action> {
        let running = self
            .tally
            .job(job)
            .is_some_and(|j| matches!(j.state, JobState::Queued | JobState::Scanning));
        if running && self.cancelling.insert(job) {
            return vec![Action::Cancel(job)];
        }
        Vec::new()
    }
}
