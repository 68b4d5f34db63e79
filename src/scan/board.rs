//! What each worker is doing right now. Workers write their own cell when
//! they enter a directory or change state; consumers read a snapshot each
//! frame. A worker blocked inside a syscall (a hung network mount) cannot send
//! events, so this, not the event stream, is what makes it visible.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use super::event::{JobId, WorkerId};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkerState {
    Idle,
    Scanning,
    Paused,
}

/// A snapshot of one worker.
#[derive(Clone, Debug)]
pub struct WorkerStatus {
    pub id: WorkerId,
    pub state: WorkerState,
    /// The job and directory being read, while `Scanning`.
    pub job: Option<JobId>,
    pub dir: Option<Arc<Path>>,
    /// When the worker entered `state` (and `dir`).
    pub since: Instant,
}

/// One worker's cell; only that worker writes it.
pub(crate) struct WorkerCell {
    status: Mutex<WorkerStatus>,
}

impl WorkerCell {
    fn lock(&self) -> MutexGuard<'_, WorkerStatus> {
        // A status is plain data, valid whatever a panicking writer left.
        self.status.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn scanning(&self, job: JobId, dir: &Arc<Path>) {
        let mut status = self.lock();
        status.state = WorkerState::Scanning;
        status.job = Some(job);
        status.dir = Some(Arc::clone(dir));
        status.since = Instant::now();
    }

    pub(crate) fn set(&self, state: WorkerState) {
        let mut status = self.lock();
        if status.state != state {
            status.state = state;
            status.job = None;
            status.dir = None;
            status.since = Instant::now();
        }
    }
}

/// The cells of the live workers, by id.
#[derive(Default)]
pub(crate) struct Board {
    cells: Mutex<Vec<Option<Arc<WorkerCell>>>>,
}

impl Board {
    fn lock(&self) -> MutexGuard<'_, Vec<Option<Arc<WorkerCell>>>> {
        self.cells.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn join(&self, id: WorkerId) -> Arc<WorkerCell> {
        let cell = Arc::new(WorkerCell {
            status: Mutex::new(WorkerStatus {
                id,
                state: WorkerState::Idle,
                job: None,
                dir: None,
                since: Instant::now(),
            }),
        });
        let mut cells = self.lock();
        if cells.len() <= id.0 {
            cells.resize(id.0 + 1, None);
        }
        cells[id.0] = Some(Arc::clone(&cell));
        cell
    }

    pub(crate) fn leave(&self, id: WorkerId) {
        if let Some(cell) = self.lock().get_mut(id.0) {
            *cell = None;
        }
    }

    pub(crate) fn snapshot(&self) -> Vec<WorkerStatus> {
        self.lock()
            .iter()
            .flatten()
            .map(|cell| cell.lock().clone())
            .collect()
    }
}
