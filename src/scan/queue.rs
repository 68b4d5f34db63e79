//! Where directories wait to be read: a LIFO deque per worker (depth first,
//! bounded memory), an injector for new roots and handed-back work, stealing
//! between workers, and sleeping while there is nothing to steal.

use std::sync::atomic::{AtomicUsize, Ordering, fence};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError, RwLock};

use crossbeam_deque::{Injector, Steal, Stealer, Worker as Deque};

use super::event::WorkerId;
use super::task::Task;

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // What these mutexes guard stays consistent across a panic.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[derive(Default)]
pub(crate) struct WorkQueue {
    injector: Injector<Task>,
    stealers: RwLock<Vec<Option<Stealer<Task>>>>,
    /// Guards sleeping; `wake` is signalled for new work and any change of
    /// the pool's state (resume, resize, stop).
    idle: Mutex<()>,
    wake: Condvar,
    sleepers: AtomicUsize,
}

impl WorkQueue {
    /// A deque for worker `id`, open to thieves.
    pub(crate) fn join(&self, id: WorkerId) -> Deque<Task> {
        let local = Deque::new_lifo();
        let mut stealers = self
            .stealers
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        if stealers.len() <= id.0 {
            stealers.resize_with(id.0 + 1, || None);
        }
        stealers[id.0] = Some(local.stealer());
        local
    }

    /// Queues a task no worker owns yet (a new root).
    pub(crate) fn inject(&self, task: Task) {
        self.injector.push(task);
        self.notify_work();
    }

    /// Queues a task on the worker's own deque.
    #[inline]
    pub(crate) fn push(&self, local: &Deque<Task>, task: Task) {
        local.push(task);
        self.notify_work();
    }

    /// Makes a pushed task visible to sleeping workers.
    #[inline]
    fn notify_work(&self) {
        // Pairs with the fence in `sleep`: either the sleeper sees the task
        // or this sees the sleeper.
        fence(Ordering::SeqCst);
        if self.sleepers.load(Ordering::SeqCst) > 0 {
            let _guard = lock(&self.idle);
            self.wake.notify_one();
        }
    }

    /// Wakes every sleeper, to see a change of the pool's state.
    pub(crate) fn wake_all(&self) {
        let _guard = lock(&self.idle);
        self.wake.notify_all();
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

    /// Sleeps until there may be work, unless `must_stay_awake` (the pool's
    /// state changed: a paused or stopped worker has a state to show).
    pub(crate) fn sleep(&self, must_stay_awake: impl Fn() -> bool) {
        let guard = lock(&self.idle);
        self.sleepers.fetch_add(1, Ordering::SeqCst);
        fence(Ordering::SeqCst);
        if !self.has_work() && !must_stay_awake() {
            drop(
                self.wake
                    .wait(guard)
                    .unwrap_or_else(PoisonError::into_inner),
            );
        }
        self.sleepers.fetch_sub(1, Ordering::SeqCst);
    }

    /// Blocks while `waiting` holds; woken by `wake_all`.
    pub(crate) fn wait_while(&self, waiting: impl Fn() -> bool) {
        let mut guard = lock(&self.idle);
        while waiting() {
            guard = self
                .wake
                .wait(guard)
                .unwrap_or_else(PoisonError::into_inner);
        }
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
}
