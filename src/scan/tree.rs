//! The scanned tree, kept only for an export: per directory, its entries as
//! fixed-size records plus one buffer of their names (about 40 bytes and the
//! name per entry), filled by whichever worker reads that directory.

use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// `Entry::node` of a directory that was not read.
pub const NOT_READ: u32 = u32::MAX;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Dir,
    /// Symlinks, sockets, FIFOs, devices.
    Other,
    /// Could not be stat'ed.
    Unreadable,
}

/// One entry of a directory, as its parent saw it.
#[derive(Clone, Copy, Debug)]
pub struct Entry {
    name_at: u32,
    name_len: u16,
    pub kind: EntryKind,
    /// A directory not entered because it is on another filesystem (`-x`).
    pub other_fs: bool,
    pub asize: u64,
    pub dsize: u64,
    pub ino: u64,
    pub nlink: u32,
    /// The node of a directory's contents, or `NOT_READ`.
    pub node: u32,
}

/// The contents of one directory.
#[derive(Debug, Default)]
pub struct DirNode {
    pub dev: u64,
    /// Its listing failed (or stopped early, for a stopped scan).
    pub read_error: bool,
    names: Vec<u8>,
    entries: Vec<Entry>,
}

impl DirNode {
    pub(crate) fn new(dev: u64) -> DirNode {
        DirNode {
            dev,
            ..DirNode::default()
        }
    }

    pub(crate) fn push(&mut self, name: &[u8], mut entry: Entry) {
        entry.name_at = self.names.len() as u32;
        entry.name_len = name.len() as u16;
        self.names.extend_from_slice(name);
        self.entries.push(entry);
    }

    /// The `i`th entry and its name.
    pub fn get(&self, i: usize) -> Option<(&[u8], &Entry)> {
        self.entries.get(i).map(|e| (self.name(e), e))
    }

    fn name(&self, e: &Entry) -> &[u8] {
        let at = e.name_at as usize;
        &self.names[at..at + usize::from(e.name_len)]
    }
}

impl Entry {
    pub(crate) fn new(kind: EntryKind, asize: u64, dsize: u64) -> Entry {
        Entry {
            name_at: 0,
            name_len: 0,
            kind,
            other_fs: false,
            asize,
            dsize,
            ino: 0,
            nlink: 1,
            node: NOT_READ,
        }
    }
}

/// The root's own sizes and device.
#[derive(Clone, Copy, Debug, Default)]
pub struct RootInfo {
    pub asize: u64,
    pub dsize: u64,
    pub dev: u64,
}

#[derive(Debug)]
pub struct KeptTree {
    pub root: Arc<Path>,
    root_info: Mutex<RootInfo>,
    /// Node 0 is the root's contents.
    nodes: Mutex<Vec<Option<DirNode>>>,
    next: AtomicU32,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl KeptTree {
    pub(crate) fn new(root: Arc<Path>) -> KeptTree {
        KeptTree {
            root,
            root_info: Mutex::new(RootInfo::default()),
            nodes: Mutex::new(Vec::new()),
            next: AtomicU32::new(1),
        }
    }

    /// A node id for a directory about to be queued.
    pub(crate) fn allocate(&self) -> u32 {
        self.next.fetch_add(1, Ordering::Relaxed)
    }

    pub(crate) fn set_root(&self, info: RootInfo) {
        *lock(&self.root_info) = info;
    }

    pub(crate) fn store(&self, id: u32, mut node: DirNode) {
        node.names.shrink_to_fit();
        node.entries.shrink_to_fit();
        let mut nodes = lock(&self.nodes);
        let at = id as usize;
        if nodes.len() <= at {
            nodes.resize_with(at + 1, || None);
        }
        nodes[at] = Some(node);
    }

    /// An empty tree, for tests of code that hands trees around.
    #[doc(hidden)]
    pub fn for_tests(root: Arc<Path>) -> KeptTree {
        KeptTree::new(root)
    }

    pub fn root_info(&self) -> RootInfo {
        *lock(&self.root_info)
    }

    /// Runs `f` over the nodes, by id (`None`: never read, the scan stopped).
    pub fn with_nodes<R>(&self, f: impl FnOnce(&[Option<DirNode>]) -> R) -> R {
        f(&lock(&self.nodes))
    }
}
