//! The worker pool: its state (running, paused, stopped), its threads, the
//! table of live jobs, and the one question each worker asks it between
//! tasks: `next_step`.

use std::collections::HashMap;
use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};

use crossbeam_deque::Worker as Deque;

use super::Options;
use super::board::Board;
use super::event::{JobId, WorkerId};
use super::job::Job;
use super::outbox::Outbox;
use super::queue::WorkQueue;
use super::task::Task;
use super::worker::Worker;

/// Bits of `Shared::control`.
const STOP: u8 = 1;
const PAUSE: u8 = 2;

/// More threads than this is a typo, not a configuration.
pub const MAX_THREADS: usize = 256;

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Every structure guarded here stays consistent across a panic.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// What the pool asks of its workers, read between every two entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Control {
    Run,
    Pause,
    Stop,
}

/// What a worker does next.
pub(crate) enum Step {
    Work(Task),
    /// Nothing to do: sleep until there may be.
    Idle,
    Pause,
    /// The pool shrank below this worker: its tasks were handed back.
    Retire,
    Stop,
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
    pub(crate) outbox: Outbox,
    pub(crate) board: Board,
    pub(crate) queue: WorkQueue,
    control: AtomicU8,
    target_threads: AtomicUsize,
    live_workers: AtomicUsize,
    jobs: Mutex<JobTable>,
    threads: Mutex<Threads>,
}

impl Shared {
    pub(crate) fn new(options: Options, outbox: Outbox) -> Arc<Shared> {
        Arc::new(Shared {
            options,
            outbox,
            board: Board::default(),
            queue: WorkQueue::default(),
            control: AtomicU8::new(0),
            target_threads: AtomicUsize::new(0),
            live_workers: AtomicUsize::new(0),
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
        })
    }

    // ---- control ----------------------------------------------------------

    #[inline]
    pub(crate) fn control(&self) -> Control {
        match self.control.load(Ordering::Relaxed) {
            0 => Control::Run,
            bits if bits & STOP != 0 => Control::Stop,
            _ => Control::Pause,
        }
    }

    pub(crate) fn is_stopped(&self) -> bool {
        self.control() == Control::Stop
    }

    pub(crate) fn stop(&self) {
        self.control.fetch_or(STOP, Ordering::SeqCst);
        self.queue.wake_all();
    }

    pub(crate) fn pause(&self) {
        self.control.fetch_or(PAUSE, Ordering::SeqCst);
        // Sleeping workers wake to show themselves paused.
        self.queue.wake_all();
    }

    pub(crate) fn resume(&self) {
        self.control.fetch_and(!PAUSE, Ordering::SeqCst);
        self.queue.wake_all();
    }

    pub(crate) fn is_paused(&self) -> bool {
        self.control() == Control::Pause
    }

    /// Blocks a worker while the pool is paused (and not stopped).
    pub(crate) fn wait_while_paused(&self) {
        self.queue.wait_while(|| self.control() == Control::Pause);
    }

    // ---- the workers' question ----------------------------------------------

    /// What worker `id` should do now.
    pub(crate) fn next_step(&self, id: WorkerId, local: &Deque<Task>) -> Step {
        match self.control() {
            Control::Stop => return Step::Stop,
            Control::Pause => return Step::Pause,
            Control::Run => {}
        }
        if self.should_retire(id) && self.try_leave(id) {
            self.queue.give_back(local);
            return Step::Retire;
        }
        match self.queue.find_task(id, local) {
            Some(task) => Step::Work(task),
            None => Step::Idle,
        }
    }

    /// Sleeps worker `id` until there may be work for it.
    pub(crate) fn idle(&self, id: WorkerId) {
        self.queue
            .sleep(|| self.control() != Control::Run || self.should_retire(id));
    }

    // ---- jobs -------------------------------------------------------------

    /// A job id for a job the workers do not run (an import).
    pub(crate) fn reserve_id(&self) -> JobId {
        let mut jobs = lock(&self.jobs);
        let id = JobId(jobs.next_id);
        jobs.next_id += 1;
        id
    }

    /// Registers a new job and queues its root.
    pub(crate) fn submit(&self, root: Arc<Path>, options: super::JobOptions) -> Option<JobId> {
        let mut jobs = lock(&self.jobs);
        if jobs.closed {
            return None;
        }
        let id = JobId(jobs.next_id);
        jobs.next_id += 1;
        let job = Arc::new(Job::new(id, root, options));
        jobs.live.insert(id, Arc::clone(&job));
        drop(jobs);
        self.queue.inject(Task::root(job));
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
            self.outbox.job_finished(job.end(false));
        }
    }

    /// After a stop: ends every job still live, once, as stopped.
    fn finish_remaining(&self) {
        let mut remaining: Vec<Arc<Job>> = {
            let mut jobs = lock(&self.jobs);
            jobs.closed = true;
            jobs.live.drain().map(|(_, job)| job).collect()
        };
        remaining.sort_by_key(|job| job.id);
        for job in remaining {
            if job.claim_end() {
                self.outbox.job_finished(job.end(true));
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
    fn should_retire(&self, id: WorkerId) -> bool {
        id.0 >= self.target_threads.load(Ordering::Relaxed)
    }

    /// Confirms, under the threads lock, that worker `id` leaves now.
    fn try_leave(&self, id: WorkerId) -> bool {
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
        self.queue.wake_all();
        result
    }

    fn spawn(self: &Arc<Self>, id: WorkerId) -> io::Result<JoinHandle<()>> {
        let local = self.queue.join(id);
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
            self.outbox.stopped();
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
