//! The threads of a deletion and their queue: a directory to empty, or a
//! batch of names to unlink, is a piece of work; idle threads wait for
//! the next one until the crew is closed.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;

use crossbeam_channel::Sender;

use super::empty::{DIRENT_BUFFER, DirTask};
use super::{DeleteEvent, Problem};

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A queue of tasks stays a queue whatever a panicking thread did.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// What the threads share.
pub(super) struct Crew {
    pub(super) stop: Arc<AtomicBool>,
    /// Entries removed so far.
    pub(super) removed: Arc<AtomicU64>,
    events: Sender<DeleteEvent>,
    queue: Mutex<Queue>,
    wake: Condvar,
}

struct Queue {
    tasks: Vec<Work>,
    /// Threads waiting for work.
    idle: usize,
    closing: bool,
}

enum Work {
    /// List the directory, unlink what it holds, queue its subdirectories.
    Empty(Arc<DirTask>),
    /// Unlink these names (each ended by a NUL) in the open directory.
    Unlink(Arc<DirTask>, Vec<u8>),
}

impl Crew {
    pub(super) fn new(
        stop: Arc<AtomicBool>,
        removed: Arc<AtomicU64>,
        events: Sender<DeleteEvent>,
    ) -> Arc<Crew> {
        Arc::new(Crew {
            stop,
            removed,
            events,
            queue: Mutex::new(Queue {
                tasks: Vec::new(),
                idle: 0,
                closing: false,
            }),
            wake: Condvar::new(),
        })
    }

    /// `n` threads that work until `close`.
    pub(super) fn spawn(self: &Arc<Crew>, n: usize) -> std::io::Result<Vec<JoinHandle<()>>> {
        (0..n)
            .map(|i| {
                let crew = Arc::clone(self);
                std::thread::Builder::new()
                    .name(format!("dirdash-delete-{i}"))
                    .spawn(move || crew.work())
            })
            .collect()
    }

    pub(super) fn close(&self) {
        lock(&self.queue).closing = true;
        self.wake.notify_all();
    }

    pub(super) fn problem(&self, problem: Problem) {
        let _ = self.events.send(DeleteEvent::Problem(problem));
    }

    pub(super) fn push(&self, task: Arc<DirTask>) {
        lock(&self.queue).tasks.push(Work::Empty(task));
        self.wake.notify_one();
    }

    /// Hands `names` to an idle thread, or gives them back if none is.
    pub(super) fn offer(&self, task: &Arc<DirTask>, names: Vec<u8>) -> Option<Vec<u8>> {
        let mut queue = lock(&self.queue);
        if queue.idle == 0 {
            return Some(names);
        }
        task.pending.fetch_add(1, Ordering::AcqRel);
        queue.tasks.push(Work::Unlink(Arc::clone(task), names));
        drop(queue);
        self.wake.notify_one();
        None
    }

    fn work(&self) {
        let mut buffer: Vec<u8> = Vec::with_capacity(DIRENT_BUFFER);
        loop {
            let work = {
                let mut queue = lock(&self.queue);
                loop {
                    if let Some(work) = queue.tasks.pop() {
                        break Some(work);
                    }
                    if queue.closing {
                        break None;
                    }
                    queue.idle += 1;
                    queue = self
                        .wake
                        .wait(queue)
                        .unwrap_or_else(PoisonError::into_inner);
                    queue.idle -= 1;
                }
            };
            match work {
                Some(Work::Empty(task)) => {
                    self.empty(&task, &mut buffer);
                    self.complete(task);
                }
                Some(Work::Unlink(task, names)) => {
                    self.unlink_all(&task, &names);
                    self.complete(task);
                }
                None => return,
            }
        }
    }
}
