//! The worker pool: threads, their LIFO deques and stealing, sleeping when
//! there is nothing to do, and the table of live jobs.

use std::collections::HashMap;
use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering, fence};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError, RwLock};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use crossbeam_channel::Sender;
use crossbeam_deque::{Injector, Steal, Stealer, Worker as Deque};

use super::Options;
use super::board::Board;
use super::event::{InFlight, JobId, ScanEvent, WorkerId};
use super::job::Job;
use super::task::Task;
use super::worker::Worker;

/// Bits of `Shared::control`, read by every worker between entries.
pub(crate) const STOP: u8 = 1;
pub(crate) const PAUSE: u8 = 2;

/// More threads than this is a typo, not a configuration.
pub const MAX_THREADS: usize = 256;

/// Listed paths sent but not yet consumed, beyond which workers wait.
const LISTED_IN_FLIGHT: usize = 16 * 1024;

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Every structure guarded here stays consistent across a panic.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Submitted jobs that have not yet ended.
struct JobTable {
    next_id: u32,
    live: HashMap<JobId, Arc<Job>>,
    /// Set once the scan is stopped: no more submissions.
    closed: bool,
}

struct Threads {
    target: usize,
    handles: Vec<Option<JoinHandle<()>>>,
    /// Workers that decided to retire and are on their way out.
    leaving: Vec<bool>,
}

pub(crate) struct Shared {
    pub(crate) options: Options,
    pub(crate) events: Sender<ScanEvent>,
    pub(crate) board: Board,
    injector: Injector<Task>,
    stealers: RwLock<Vec<Option<Stealer<Task>>>>,
    control: AtomicU8,
    target_threads: AtomicUsize,
    live_workers: AtomicUsize,
    /// Guards sleeping; `wake` is signalled for new work, resume, resize and stop.
    idle: Mutex<()>,
    wake: Condvar,
    sleepers: AtomicUsize,
    jobs: Mutex<JobTable>,
    threads: Mutex<Threads>,
    /// Paths of `Files` events not yet dropped by the consumer.
    listed: Arc<AtomicUsize>,
}

impl Shared {
    pub(crate) fn new(options: Options, events: Sender<ScanEvent>) -> Arc<Shared> {
        Arc::new(Shared {
            options,
            events,
            board: Board::default(),
            injector: Injector::new(),
            stealers: RwLock::new(Vec::new()),
            control: AtomicU8::new(0),
            target_threads: AtomicUsize::new(0),
            live_workers: AtomicUsize::new(0),
            idle: Mutex::new(()),
            wake: Condvar::new(),
            sleepers: AtomicUsize::new(0),
            jobs: Mutex::new(JobTable {
                next_id: 1,
                live: HashMap::new(),
                closed: false,
            }),
            threads: Mutex::new(Threads {
                target: 0,
                handles: Vec::new(),
                leaving: Vec::new(),
            }),
            listed: Arc::new(AtomicUsize::new(0)),
        })
    }

    // ---- control ----------------------------------------------------------

    /// STOP and PAUSE bits; zero in the common case.
    #[inline]
    pub(crate) fn control(&self) -> u8 {
        self.control.load(Ordering::Relaxed)
    }

    pub(crate) fn is_stopped(&self) -> bool {
        self.control() & STOP != 0
    }

    pub(crate) fn stop(&self) {
        self.control.fetch_or(STOP, Ordering::SeqCst);
        self.wake_all();
    }

    pub(crate) fn pause(&self) {
        self.control.fetch_or(PAUSE, Ordering::SeqCst);
        // Sleeping workers wake to show themselves paused.
        self.wake_all();
    }

    pub(crate) fn resume(&self) {
        self.control.fetch_and(!PAUSE, Ordering::SeqCst);
        self.wake_all();
    }

    pub(crate) fn is_paused(&self) -> bool {
        self.control() & PAUSE != 0
    }

    /// Blocks a worker while the pool is paused (and not stopped).
    pub(crate) fn wait_while_paused(&self) {
        let mut guard = lock(&self.idle);
        while self.control() & (PAUSE | STOP) == PAUSE {
            guard = self
                .wake
                .wait(guard)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    fn wake_all(&self) {
        let _guard = lock(&self.idle);
        self.wake.notify_all();
    }

    // ---- work -------------------------------------------------------------

    /// Makes a pushed task visible to sleeping workers.
    #[inline]
    pub(crate) fn notify_work(&self) {
        // Pairs with the fence in `sleep`: either the sleeper sees the task
        // or this sees the sleeper.
        fence(Ordering::SeqCst);
        if self.sleepers.load(Ordering::SeqCst) > 0 {
            let _guard = lock(&self.idle);
            self.wake.notify_one();
        }
    }

    /// The next directory for worker `id`: its own newest, else a new root,
    /// else one stolen from another worker.
    pub(crate) fn find_task(&self, id: WorkerId, local: &Deque<Task>) -> Option<Task> {
        if let Some(task) = local.pop() {
            return Some(task);
        }
        loop {
            let mut retry = false;
            match self.injector.steal_batch_and_pop(local) {
                Steal::Success(task) => return Some(task),
                Steal::Retry => retry = true,
                Steal::Empty => {}
            }
            let stealers = self.stealers.read().unwrap_or_else(PoisonError::into_inner);
            let n = stealers.len();
            // Start after our own slot so that thieves spread over victims.
            for k in 1..n {
                if let Some(victim) = &stealers[(id.0 + k) % n] {
                    match victim.steal_batch_and_pop(local) {
                        Steal::Success(task) => return Some(task),
                        Steal::Retry => retry = true,
                        Steal::Empty => {}
                    }
                }
            }
            if !retry {
                return None;
            }
        }
    }

    fn has_work(&self) -> bool {
        !self.injector.is_empty()
            || self
                .stealers
                .read()
                .unwrap_or_else(PoisonError::into_inner)
                .iter()
                .flatten()
                .any(|s| !s.is_empty())
    }

    /// Sleeps until there may be work, or the pool is stopped or resized.
    pub(crate) fn sleep(&self, id: WorkerId) {
        let guard = lock(&self.idle);
        self.sleepers.fetch_add(1, Ordering::SeqCst);
        fence(Ordering::SeqCst);
        // Paused or stopped workers must not sleep here: they have a state to show.
        if !self.has_work() && self.control() == 0 && !self.should_retire(id) {
            drop(
                self.wake
                    .wait(guard)
                    .unwrap_or_else(PoisonError::into_inner),
            );
        }
        self.sleepers.fetch_sub(1, Ordering::SeqCst);
    }

    /// Hands back the tasks of a retiring worker.
    pub(crate) fn give_back(&self, local: &Deque<Task>) {
        let mut any = false;
        while let Some(task) = local.pop() {
            self.injector.push(task);
            any = true;
        }
        if any {
            self.wake_all();
        }
    }

    /// Waits while the consumer is behind on listed paths (unless the scan
    /// is stopping), then counts `n` more in flight.
    pub(crate) fn admit_listed(&self, n: usize) -> InFlight {
        while self.listed.load(Ordering::Acquire) > LISTED_IN_FLIGHT && !self.is_stopped() {
            // Backpressure from a slow reader; rare and short, so a nap will do.
            thread::sleep(Duration::from_millis(1));
        }
        self.listed.fetch_add(n, Ordering::AcqRel);
        InFlight {
            counter: Arc::clone(&self.listed),
            paths: n,
        }
    }

    // ---- jobs -------------------------------------------------------------

    /// Registers a new job and queues its root.
    pub(crate) fn submit(&self, root: Arc<Path>, keep_tree: bool) -> Option<JobId> {
        let mut jobs = lock(&self.jobs);
        if jobs.closed {
            return None;
        }
        let id = JobId(jobs.next_id);
        jobs.next_id += 1;
        let job = Arc::new(Job::new(id, root, keep_tree));
        jobs.live.insert(id, Arc::clone(&job));
        drop(jobs);
        self.injector.push(Task::root(job));
        self.notify_work();
        Some(id)
    }

    pub(crate) fn cancel(&self, id: JobId) -> bool {
        match lock(&self.jobs).live.get(&id) {
            Some(job) => {
                job.cancel();
                true
            }
            None => false,
        }
    }

    /// Announces the end of a job whose last directory was just flushed.
    pub(crate) fn finish(&self, job: &Job) {
        if job.claim_end() {
            lock(&self.jobs).live.remove(&job.id);
            let _ = self.events.send(ScanEvent::JobFinished(job.end(false)));
        }
    }

    /// After a stop: ends every job still live, once, as stopped.
    fn finish_remaining(&self) {
        let remaining: Vec<Arc<Job>> = {
            let mut jobs = lock(&self.jobs);
            jobs.closed = true;
            jobs.live.drain().map(|(_, job)| job).collect()
        };
        let mut remaining = remaining;
        remaining.sort_by_key(|job| job.id);
        for job in remaining {
            if job.claim_end() {
                let _ = self.events.send(ScanEvent::JobFinished(job.end(true)));
            }
        }
    }

    // ---- threads ----------------------------------------------------------

    pub(crate) fn threads(&self) -> usize {
        self.target_threads.load(Ordering::Relaxed)
    }

    pub(crate) fn live_workers(&self) -> usize {
        self.live_workers.load(Ordering::SeqCst)
    }

    #[inline]
    pub(crate) fn should_retire(&self, id: WorkerId) -> bool {
        id.0 >= self.target_threads.load(Ordering::Relaxed)
    }

    /// Confirms, under the threads lock, that worker `id` leaves now.
    pub(crate) fn try_leave(&self, id: WorkerId) -> bool {
        let mut threads = lock(&self.threads);
        if id.0 >= threads.target {
            threads.leaving[id.0] = true;
            true
        } else {
            false
        }
    }

    /// Starts or retires workers so that `n` run; returns the new count.
    pub(crate) fn set_threads(self: &Arc<Self>, n: usize) -> io::Result<usize> {
        let n = n.clamp(1, MAX_THREADS);
        let mut threads = lock(&self.threads);
        if threads.handles.len() < n {
            threads.handles.resize_with(n, || None);
            threads.leaving.resize(n, false);
        }
        threads.target = n;
        self.target_threads.store(n, Ordering::SeqCst);
        let mut result = Ok(n);
        for id in 0..n {
            if threads.handles[id].is_some() && !threads.leaving[id] {
                continue;
            }
            if let Some(old) = threads.handles[id].take() {
                let _ = old.join();
            }
            threads.leaving[id] = false;
            match self.spawn(WorkerId(id)) {
                Ok(handle) => threads.handles[id] = Some(handle),
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        drop(threads);
        // Workers above the new count notice when they wake.
        self.wake_all();
        result
    }

    fn spawn(self: &Arc<Self>, id: WorkerId) -> io::Result<JoinHandle<()>> {
        let local = Deque::new_lifo();
        {
            let mut stealers = self
                .stealers
                .write()
                .unwrap_or_else(PoisonError::into_inner);
            if stealers.len() <= id.0 {
                stealers.resize_with(id.0 + 1, || None);
            }
            stealers[id.0] = Some(local.stealer());
        }
        let cell = self.board.join(id);
        self.live_workers.fetch_add(1, Ordering::SeqCst);
        let shared = Arc::clone(self);
        thread::Builder::new()
            .name(format!("{}{id}", super::WORKER_THREAD_PREFIX))
            .spawn(move || {
                Worker::new(id, Arc::clone(&shared), local, cell).run();
                shared.board.leave(id);
                shared.worker_left();
            })
            .inspect_err(|_| {
                self.board.leave(id);
                self.live_workers.fetch_sub(1, Ordering::SeqCst);
            })
    }

    fn worker_left(&self) {
        let before = self.live_workers.fetch_sub(1, Ordering::SeqCst);
        if before == 1 && self.is_stopped() {
            self.finish_remaining();
            let _ = self.events.send(ScanEvent::Stopped);
        }
    }

    /// Stops and joins every worker. Idempotent.
    pub(crate) fn shutdown(&self) {
        self.stop();
        let handles: Vec<JoinHandle<()>> = lock(&self.threads)
            .handles
            .iter_mut()
            .filter_map(Option::take)
            .collect();
        for handle in handles {
            let _ = handle.join();
        }
        // Normally the last worker out did this; not if none ever ran.
        self.finish_remaining();
    }
}
