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

mod arena;
mod build;
mod edit;
mod paths;
pub mod sorted;
mod store;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use crate::scan::listing::{self, Base, Entry, EntryKind, NO_NODE, OwnSize, Sums};
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
    /// The listings of directories still being read, growing piece by
    /// piece; a finished one moves into its record, in just its size.
    growing: HashMap<Node, Vec<u8>>,
    /// The devices met, by index (`DirRecord::dev`): a tree spans few.
    devices: Vec<u64>,
    /// Edits since it was built (see `edit.rs`).
    generation: u64,
}

/// One directory of the tree: 96 bytes.
#[derive(Clone, Debug)]
pub struct DirRecord {
    /// Its finished listing, in the store's arena.
    listing: arena::Place,
    // Its sums, unpacked: everything below it, its own blocks included.
    bytes: u64,
    disk: u64,
    files: u64,
    dirs: u64,
    entries: u64,
    newest: i64,
    /// Its own inode and time, which its entries are encoded against.
    ino: u64,
    mtime: i64,
    errors: u32,
    /// Directories of its subtree, itself included, not yet read to the end.
    open: u32,
    parent: Node,
    /// Its entry's offset in the parent's listing, once that arrived.
    slot: u32,
    /// Its device, as an index into `JobTree::devices`.
    dev: u16,
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
            listing: arena::Place::default(),
            bytes: 0,
            disk: 0,
            files: 0,
            dirs: 0,
            entries: 0,
            newest: i64::MIN,
            ino: 0,
            mtime: 0,
            errors: 0,
            open: 0,
            parent: NO_NODE,
            slot: NO_SLOT,
            dev: 0,
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
            growing: HashMap::new(),
            devices: Vec::new(),
            generation: 0,
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

    /// The packed listing of `node` so far.
    pub fn listing(&self, node: Node) -> &[u8] {
        match self.growing.get(&node) {
            Some(growing) => growing,
            None => self
                .dirs
                .get(node)
                .map_or(&[], |d| self.dirs.listing(d.listing)),
        }
    }

    /// What `node`'s entries are encoded against: its own device, inode and
    /// time.
    pub fn base(&self, node: Node) -> Base {
        self.dirs.get(node).map_or(Base::default(), |d| Base {
            dev: self.devices.get(usize::from(d.dev)).copied().unwrap_or(0),
            ino: d.ino,
            mtime: d.mtime,
        })
    }

    /// The entries of `node` with their offsets, in the order read (those
    /// deleted since left out).
    pub fn entries(&self, node: Node) -> impl Iterator<Item = (u32, Entry<'_>)> {
        let base = self.base(node);
        let bytes = self.listing(node);
        let mut at = 0;
        std::iter::from_fn(move || {
            let (entry, next) = listing::decode(bytes, at, &base)?;
            let offset = at as u32;
            at = next;
            Some((offset, entry))
        })
        .filter(|(_, e)| e.kind != EntryKind::Removed)
    }

    /// The entry at `offset` of `node`'s listing.
    pub fn entry(&self, node: Node, offset: u32) -> Option<Entry<'_>> {
        listing::decode(self.listing(node), offset as usize, &self.base(node)).map(|(e, _)| e)
    }

    /// Directories known, read or not.
    pub fn dir_count(&self) -> usize {
        self.dirs.len()
    }

    /// Bytes this tree holds on the heap (listings and records).
    pub fn heap_bytes(&self) -> usize {
        let growing: usize = self.growing.values().map(Vec::capacity).sum();
        self.dirs.heap_bytes() + growing
    }
}

impl DirRecord {
    /// Everything below it, its own blocks included.
    pub fn sums(&self) -> Sums {
        Sums {
            bytes: self.bytes,
            disk: self.disk,
            files: self.files,
            dirs: self.dirs,
            entries: self.entries,
            errors: u64::from(self.errors),
            newest: self.newest,
        }
    }

    fn set_sums(&mut self, sums: &Sums) {
        *self = DirRecord {
            bytes: sums.bytes,
            disk: sums.disk,
            files: sums.files,
            dirs: sums.dirs,
            entries: sums.entries,
            newest: sums.newest,
            errors: u32::try_from(sums.errors).unwrap_or(u32::MAX),
            ..self.clone()
        };
    }

    fn subtract(&mut self, sums: &Sums) {
        let mut mine = self.sums();
        mine.subtract(sums);
        self.set_sums(&mine);
    }

    fn add(&mut self, sums: &Sums) {
        self.bytes += sums.bytes;
        self.disk += sums.disk;
        self.files += sums.files;
        self.dirs += sums.dirs;
        self.entries += sums.entries;
        self.errors = self
            .errors
            .saturating_add(u32::try_from(sums.errors).unwrap_or(u32::MAX));
        self.newest = self.newest.max(sums.newest);
    }

    pub fn parent(&self) -> Option<Node> {
        (self.parent != NO_NODE).then_some(self.parent)
    }

    /// Its entry's offset in its parent's listing.
    pub fn slot(&self) -> Option<u32> {
        (self.slot != NO_SLOT).then_some(self.slot)
    }

    /// Its own modification time.
    pub fn mtime(&self) -> i64 {
        self.mtime
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
        self.errors > 0
    }
}

#[cfg(test)]
mod tests;
