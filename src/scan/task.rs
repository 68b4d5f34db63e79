//! The unit of work: one directory of one job.

use std::path::Path;
use std::sync::Arc;

use super::job::Job;

pub(crate) struct Task {
    pub(crate) job: Arc<Job>,
    pub(crate) dir: Arc<Path>,
    pub(crate) is_root: bool,
    /// Open the directory even if its last component is a symlink (`-L`).
    pub(crate) follow: bool,
    /// The directories from the root down to this one, kept only with `-L`
    /// so that a link back to an ancestor is reported as a loop.
    pub(crate) ancestry: Option<Arc<Ancestor>>,
    /// Where its contents go in the kept tree (when the job keeps one), and
    /// its device, from the parent's stat.
    pub(crate) node: u32,
    pub(crate) dev: u64,
}

impl Task {
    pub(crate) fn root(job: Arc<Job>) -> Task {
        let dir = Arc::clone(&job.root);
        Task {
            job,
            dir,
            is_root: true,
            follow: true,
            ancestry: None,
            node: 0,
            dev: 0,
        }
    }
}

pub(crate) struct Ancestor {
    pub(crate) dev: u64,
    pub(crate) ino: u64,
    pub(crate) up: Option<Arc<Ancestor>>,
}

impl Ancestor {
    pub(crate) fn contains(chain: &Option<Arc<Ancestor>>, dev: u64, ino: u64) -> bool {
        let mut next = chain.as_deref();
        while let Some(a) = next {
            if a.dev == dev && a.ino == ino {
                return true;
            }
            next = a.up.as_deref();
        }
        false
    }
}
