//! The unit of work: one directory of one job.

use std::path::Path;
use std::sync::Arc;

use super::job::Job;
use super::listing::{Base, NodeChain};

pub(crate) struct Task {
    pub(crate) job: Arc<Job>,
    pub(crate) dir: Arc<Path>,
    pub(crate) is_root: bool,
    /// Open the directory even if its last component is a symlink (`-L`).
    pub(crate) follow: bool,
    /// The directories from the root down to this one, kept only with `-L`
    /// so that a link back to an ancestor is reported as a loop.
    pub(crate) ancestry: Option<Arc<Ancestor>>,
    /// Its node and its ancestors', when the job keeps its tree.
    pub(crate) chain: Option<Arc<NodeChain>>,
    /// Its device, inode and time, from the parent's stat (the root's are
    /// read when it is opened).
    pub(crate) base: Base,
}

impl Task {
    pub(crate) fn root(job: Arc<Job>) -> Task {
        let dir = Arc::clone(&job.root);
        Task {
            chain: job.keeps_tree().then(NodeChain::root),
            job,
            dir,
            is_root: true,
            follow: true,
            ancestry: None,
            base: Base::default(),
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
