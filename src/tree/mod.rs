//! The kept tree of one job, built on the consumer's side (one owner, no
//! lock shared with the workers) from the listings the workers send. Each
//! directory is a record with its packed listing and its cumulative sums;
//! entries are not objects, only bytes in their directory's listing, found
//! again by offset. About 30 bytes an entry on a tree of short names.
//!
//! The sums of a directory are everything below it, its own blocks
//! included, as `du -s DIR` counts; the root's equal the job's totals after
//! every event, because each listing piece travels with the counts of the
//! same entries (see `build.rs`).

mod build;
mod paths;
pub mod sorted;
mod store;

use std::path::Path;
use std::sync::Arc;

use crate::scan::listing::{self, Base, Entry, NO_NODE, OwnSize, Sums};
use store::Store;

/// A directory's node; the root is `ROOT`.
pub type Node = u32;
pub const ROOT: Node = 0;

#[derive(Clone, Debug)]
pub struct JobTree {
    root: Arc<Path>,
    /// The root's own size and blocks (every other directory's are in its
    /// parent's listing).
    root_size: OwnSize,
    dirs: Store,
}

/// One directory of the tree.
#[derive(Clone, Debug)]
pub struct DirRecord {
    listing: Vec<u8>,
    parent: Node,
    /// Its entry's offset in the parent's listing, once that arrived.
    slot: u32,
    base: Base,
    sums: Sums,
    /// Directories of its subtree, itself included, not yet read to the end.
    open: u32,
    state: State,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum State {
    /// No listing or mention of it has arrived.
    #[default]
    Unknown,
    /// Named (by its parent, or a descendant's chain), not read to the end.
    Pending,
    Complete,
    /// Its listing ended early: unreadable, or the scan stopped in it.
    Incomplete,
}

/// `DirRecord::slot` before the parent's listing placed it.
const NO_SLOT: u32 = u32::MAX;

impl Default for DirRecord {
    fn default() -> DirRecord {
        DirRecord {
            listing: Vec::new(),
            parent: NO_NODE,
            slot: NO_SLOT,
            base: Base::default(),
            sums: Sums::default(),
            open: 0,
            state: State::Unknown,
        }
    }
}

impl JobTree {
    /// A tree whose root is about to be read.
    pub fn new(root: Arc<Path>) -> JobTree {
        let mut dirs = Store::default();
        let record = dirs.get_or_create(ROOT);
        record.state = State::Pending;
        record.open = 1;
        JobTree {
            root,
            root_size: OwnSize::default(),
            dirs,
        }
    }

    pub fn root_path(&self) -> &Arc<Path> {
        &self.root
    }

    pub fn root_size(&self) -> OwnSize {
        self.root_size
    }

    pub fn root(&self) -> &DirRecord {
        self.dir(ROOT)
            .expect("the root record is made with the tree")
    }

    /// The directory `node`, once anything of it is known.
    pub fn dir(&self, node: Node) -> Option<&DirRecord> {
        self.dirs.get(node).filter(|d| d.state != State::Unknown)
    }

    /// The entries of `node` with their offsets, in the order read.
    pub fn entries(&self, node: Node) -> impl Iterator<Item = (u32, Entry<'_>)> {
        let (bytes, base) = match self.dir(node) {
            Some(d) => (d.listing.as_slice(), &d.base),
            None => (&[][..], &EMPTY_BASE),
        };
        listing::entries(bytes, base)
    }

    /// The entry at `offset` of `node`'s listing.
    pub fn entry(&self, node: Node, offset: u32) -> Option<Entry<'_>> {
        let dir = self.dir(node)?;
        listing::decode(&dir.listing, offset as usize, &dir.base).map(|(e, _)| e)
    }

    /// Directories known, read or not.
    pub fn dir_count(&self) -> usize {
        self.dirs.len()
    }

    /// Bytes this tree holds on the heap (listings and records).
    pub fn heap_bytes(&self) -> usize {
        self.dirs.heap_bytes()
    }
}

static EMPTY_BASE: Base = Base {
    dev: 0,
    ino: 0,
    mtime: 0,
};

impl DirRecord {
    /// Everything below it, its own blocks included.
    pub fn sums(&self) -> &Sums {
        &self.sums
    }

    pub fn parent(&self) -> Option<Node> {
        (self.parent != NO_NODE).then_some(self.parent)
    }

    /// Its entry's offset in its parent's listing.
    pub fn slot(&self) -> Option<u32> {
        (self.slot != NO_SLOT).then_some(self.slot)
    }

    /// Its own device, inode and time.
    pub fn base(&self) -> &Base {
        &self.base
    }

    pub fn listing(&self) -> &[u8] {
        &self.listing
    }

    /// Something below it (or it) is still to be read.
    pub fn is_open(&self) -> bool {
        self.open > 0
    }

    /// Its own listing was read to the end.
    pub fn is_read(&self) -> bool {
        self.state == State::Complete
    }

    /// Its own listing ended early (or never came, for a stopped scan).
    pub fn is_incomplete(&self) -> bool {
        matches!(self.state, State::Incomplete)
    }

    /// It or something below it had an error.
    pub fn has_errors(&self) -> bool {
        self.sums.errors > 0
    }
}

#[cfg(test)]
mod tests;
