//! A directory's listing as it travels: the sums a run of entries adds,
//! the chain of nodes up to the root, and the pieces a worker's flush
//! carries, packed by a `Writer`.

use std::sync::Arc;

use super::{Base, Entry, EntryKind, NO_NODE, encode};

/// What a run of entries adds to their directory and its ancestors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sums {
    /// Apparent sizes of regular files.
    pub bytes: u64,
    /// Disk usage, every inode once; directories' own blocks included.
    pub disk: u64,
    pub files: u64,
    /// Directories below.
    pub dirs: u64,
    /// Every entry counted, whatever its kind.
    pub entries: u64,
    pub errors: u64,
    /// The newest modification time below; `i64::MIN` when none.
    pub newest: i64,
}

impl Default for Sums {
    fn default() -> Sums {
        Sums {
            bytes: 0,
            disk: 0,
            files: 0,
            dirs: 0,
            entries: 0,
            errors: 0,
            newest: i64::MIN,
        }
    }
}

impl Sums {
    /// Counts one entry in. An unreadable one counts nothing: its error is
    /// counted where it is reported.
    pub fn add_entry(&mut self, entry: &Entry) {
        match entry.kind {
            EntryKind::Excluded | EntryKind::Unreadable | EntryKind::Removed => return,
            EntryKind::File => {
                self.files += 1;
                self.bytes += entry.size;
            }
            EntryKind::Dir => self.dirs += 1,
            EntryKind::Symlink | EntryKind::Other => {}
        }
        self.entries += 1;
        self.disk += entry.counted_disk();
        self.newest = self.newest.max(entry.mtime);
    }

    pub fn add(&mut self, other: &Sums) {
        self.bytes += other.bytes;
        self.disk += other.disk;
        self.files += other.files;
        self.dirs += other.dirs;
        self.entries += other.entries;
        self.errors += other.errors;
        self.newest = self.newest.max(other.newest);
    }

    /// Takes `other` out again (the newest time cannot be: it is kept).
    pub fn subtract(&mut self, other: &Sums) {
        self.bytes = self.bytes.saturating_sub(other.bytes);
        self.disk = self.disk.saturating_sub(other.disk);
        self.files = self.files.saturating_sub(other.files);
        self.dirs = self.dirs.saturating_sub(other.dirs);
        self.entries = self.entries.saturating_sub(other.entries);
        self.errors = self.errors.saturating_sub(other.errors);
    }
}

/// A directory's node and its ancestors', up to the root (node 0): enough
/// for the tree to place a listing that arrives before its parent's.
#[derive(Debug)]
pub struct NodeChain {
    pub node: u32,
    pub up: Option<Arc<NodeChain>>,
}

impl NodeChain {
    pub fn root() -> Arc<NodeChain> {
        Arc::new(NodeChain { node: 0, up: None })
    }

    pub fn child(self: &Arc<NodeChain>, node: u32) -> Arc<NodeChain> {
        Arc::new(NodeChain {
            node,
            up: Some(Arc::clone(self)),
        })
    }

    pub fn parent(&self) -> Option<u32> {
        self.up.as_ref().map(|up| up.node)
    }
}

/// How a listing's last piece ends it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListingEnd {
    /// Every entry was read.
    Complete,
    /// The directory could not be opened or read to its end, or the scan
    /// was stopped or cancelled in it.
    Incomplete,
}

/// A piece of one directory's listing, sent in a worker's flush with the
/// counts of the same entries: a tree built from these equals the job's
/// totals after every event.
#[derive(Clone, Debug)]
pub struct Listing {
    pub chain: Arc<NodeChain>,
    /// The directory itself (sent with every piece; the first one sets it).
    pub base: Base,
    /// Packed entries, continuing the previous piece.
    pub entries: Vec<u8>,
    /// What these entries add (and, for the root, the root's own blocks;
    /// and the errors met reading the directory).
    pub sums: Sums,
    /// `None` while more pieces follow.
    pub end: Option<ListingEnd>,
    /// The root's own size and blocks, in its first piece (a directory's
    /// are in its parent's listing; the root has none).
    pub root_size: Option<OwnSize>,
    /// The directories entered among these entries, so that the tree
    /// places them without decoding the piece.
    pub subdirs: Vec<Subdir>,
}

/// A directory the scan entered, as its parent's listing holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Subdir {
    pub node: u32,
    /// Its entry's offset in the piece.
    pub offset: u32,
    /// Its own blocks, in bytes, as its parent's sums count them.
    pub disk: u64,
}

/// Entries being packed into pieces: the bytes, their sums and the
/// directories among them, together.
#[derive(Clone, Debug, Default)]
pub struct Writer {
    pub base: Base,
    entries: Vec<u8>,
    pub sums: Sums,
    subdirs: Vec<Subdir>,
    /// Only directories are encoded; the rest is counted in `sums` only.
    pub dirs_only: bool,
}

impl Writer {
    /// A writer for a directory whose entries are encoded against `base`,
    /// reusing `scratch` for the bytes.
    pub fn new(base: Base, scratch: Vec<u8>) -> Writer {
        Writer {
            base,
            entries: scratch,
            sums: Sums::default(),
            subdirs: Vec::new(),
            dirs_only: false,
        }
    }

    #[inline]
    pub fn push(&mut self, entry: &Entry) {
        if entry.kind == EntryKind::Dir && entry.node != NO_NODE {
            self.subdirs.push(Subdir {
                node: entry.node,
                offset: self.entries.len() as u32,
                disk: entry.counted_disk(),
            });
        }
        if !self.dirs_only || entry.kind == EntryKind::Dir {
            encode(&mut self.entries, &self.base, entry);
        }
        self.sums.add_entry(entry);
    }

    /// Bytes written since the last piece.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether anything was pushed (or counted) since the last piece.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty() && self.sums == Sums::default()
    }

    /// What was pushed since the last piece, as a piece of `chain`'s listing.
    pub fn piece(&mut self, chain: &Arc<NodeChain>, end: Option<ListingEnd>) -> Listing {
        let piece = Listing {
            chain: Arc::clone(chain),
            base: self.base,
            entries: self.entries.as_slice().to_vec(),
            sums: std::mem::take(&mut self.sums),
            end,
            root_size: None,
            subdirs: std::mem::take(&mut self.subdirs),
        };
        self.entries.clear();
        piece
    }

    /// The scratch space, for the next directory.
    pub fn into_scratch(self) -> Vec<u8> {
        self.entries
    }
}

/// A directory's own apparent size and blocks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OwnSize {
    pub size: u64,
    pub blocks: u64,
}
