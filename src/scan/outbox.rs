//! The engine's one way out: every event a worker or the pool sends goes
//! through here, so the consumer's channel has one writer type and the
//! `--list` backpressure lives in one place.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use crossbeam_channel::Sender;

use super::error::{Cause, ScanError};
use super::event::{FileList, InFlight, JobEnd, JobId, Progress, ScanEvent, WorkerId};

/// Listed paths sent but not yet consumed, beyond which workers wait.
const LISTED_IN_FLIGHT: usize = 16 * 1024;

pub(crate) struct Outbox {
    events: Sender<ScanEvent>,
    /// Paths of `Files` events not yet dropped by the consumer.
    listed: Arc<AtomicUsize>,
}

impl Outbox {
    pub(crate) fn new(events: Sender<ScanEvent>) -> Outbox {
        Outbox {
            events,
            listed: Arc::new(AtomicUsize::new(0)),
        }
    }

    // A send fails only once the consumer dropped its receiver: nobody is
    // listening, and the scan has nothing left to tell.
    fn send(&self, event: ScanEvent) {
        let _ = self.events.send(event);
    }

    pub(crate) fn job_started(&self, job: JobId, at: Instant) {
        self.send(ScanEvent::JobStarted { job, at });
    }

    pub(crate) fn progress(&self, progress: Progress) {
        self.send(ScanEvent::Progress(progress));
    }

    pub(crate) fn error(&self, job: JobId, path: PathBuf, cause: Cause) {
        self.send(ScanEvent::Error(ScanError { job, path, cause }));
    }

    pub(crate) fn worker_panicked(
        &self,
        worker: WorkerId,
        job: JobId,
        dir: Arc<Path>,
        message: String,
    ) {
        self.send(ScanEvent::WorkerPanicked {
            worker,
            job,
            dir,
            message,
        });
    }

    pub(crate) fn job_finished(&self, end: JobEnd) {
        self.send(ScanEvent::JobFinished(end));
    }

    pub(crate) fn stopped(&self) {
        self.send(ScanEvent::Stopped);
    }

    /// Sends listed paths, first waiting while the consumer is behind on
    /// them (unless `stopping` says the scan is ending).
    pub(crate) fn files(&self, job: JobId, paths: Vec<PathBuf>, stopping: impl Fn() -> bool) {
        while self.listed.load(Ordering::Acquire) > LISTED_IN_FLIGHT && !stopping() {
            // Backpressure from a slow reader; rare and short, so a nap will do.
            thread::sleep(Duration::from_millis(1));
        }
        self.listed.fetch_add(paths.len(), Ordering::AcqRel);
        let in_flight = InFlight {
            counter: Arc::clone(&self.listed),
            paths: paths.len(),
        };
        self.send(ScanEvent::Files(FileList {
            job,
            paths,
            _in_flight: in_flight,
        }));
    }
}
