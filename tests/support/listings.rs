//! Trees made of listing pieces, as the workers would send them, for tests
//! of what consumes them (the tree, the dashboard) without a scan.

use std::path::Path;
use std::sync::Arc;

use dirdash::scan::listing::{
    Base, Entry, EntryKind, Listing, ListingEnd, NO_NODE, NodeChain, OwnSize, Sums, encode,
};
use dirdash::scan::{JobId, Progress, ScanEvent, Totals, WorkerId};

/// One directory being listed.
pub struct Dir {
    chain: Arc<NodeChain>,
    base: Base,
    bytes: Vec<u8>,
    sums: Sums,
    totals: Totals,
    next_node: Arc<std::sync::atomic::AtomicU32>,
    root_size: Option<OwnSize>,
}

/// An entry to list: name, kind, apparent size, 512-byte blocks.
pub struct Item<'a> {
    pub name: &'a [u8],
    pub kind: EntryKind,
    pub size: u64,
    pub blocks: u64,
    pub mtime: i64,
    pub nlink: u64,
}

impl<'a> Item<'a> {
    pub fn file(name: &'a str, size: u64) -> Item<'a> {
        Item {
            name: name.as_bytes(),
            kind: EntryKind::File,
            size,
            blocks: size.div_ceil(4096) * 8,
            mtime: 1_700_000_000,
            nlink: 1,
        }
    }
}

impl Dir {
    pub fn root() -> Dir {
        let base = Base {
            dev: 1,
            ino: 2,
            mtime: 1_700_000_000,
        };
        let sums = Sums {
            disk: 4096,
            ..Sums::default()
        };
        Dir {
            chain: NodeChain::root(),
            base,
            bytes: Vec::new(),
            sums,
            totals: Totals {
                disk_bytes: 4096,
                ..Totals::default()
            },
            next_node: Arc::new(std::sync::atomic::AtomicU32::new(1)),
            root_size: Some(OwnSize {
                size: 4096,
                blocks: 8,
            }),
        }
    }

    fn push(&mut self, item: &Item, node: u32) {
        let entry = Entry {
            name: item.name,
            kind: item.kind,
            size: item.size,
            blocks: item.blocks,
            mtime: item.mtime,
            ino: self.base.ino + 1 + self.bytes.len() as u64,
            dev: self.base.dev,
            nlink: item.nlink,
            node,
            counted: true,
            other_fs: false,
        };
        encode(&mut self.bytes, &self.base, &entry);
        self.sums.add_entry(&entry);
        match item.kind {
            EntryKind::File => {
                self.totals.files += 1;
                self.totals.bytes += item.size;
            }
            EntryKind::Dir => self.totals.dirs += 1,
            EntryKind::Symlink => self.totals.symlinks += 1,
            EntryKind::Other => self.totals.other += 1,
            EntryKind::Unreadable => self.totals.errors += 1,
            EntryKind::Excluded => {}
        }
        if item.kind != EntryKind::Unreadable && item.kind != EntryKind::Excluded {
            self.totals.disk_bytes += item.blocks * 512;
        }
        if item.kind == EntryKind::Unreadable {
            self.sums.errors += 1;
        }
    }

    /// Lists an entry that is not a directory the scan enters.
    pub fn add(&mut self, item: Item) -> &mut Dir {
        self.push(&item, NO_NODE);
        self
    }

    pub fn file(&mut self, name: &str, size: u64) -> &mut Dir {
        self.add(Item::file(name, size))
    }

    /// Lists a subdirectory and returns it, to be listed in turn.
    pub fn dir(&mut self, name: &[u8]) -> Dir {
        let node = self
            .next_node
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let item = Item {
            name,
            kind: EntryKind::Dir,
            size: 4096,
            blocks: 8,
            mtime: 1_700_000_000,
            nlink: 1,
        };
        self.push(&item, node);
        Dir {
            chain: self.chain.child(node),
            base: Base {
                dev: 1,
                ino: 1000 * u64::from(node),
                mtime: 1_700_000_000,
            },
            bytes: Vec::new(),
            sums: Sums::default(),
            totals: Totals::default(),
            next_node: Arc::clone(&self.next_node),
            root_size: None,
        }
    }

    /// What was listed since the last piece, as one piece; `end` ends it.
    pub fn piece(&mut self, end: Option<ListingEnd>) -> (Listing, Totals) {
        let piece = Listing {
            chain: Arc::clone(&self.chain),
            base: self.base,
            entries: std::mem::take(&mut self.bytes),
            sums: std::mem::take(&mut self.sums),
            end,
            root_size: self.root_size.take(),
        };
        (piece, std::mem::take(&mut self.totals))
    }

    /// The whole listing, ended complete.
    pub fn done(&mut self) -> (Listing, Totals) {
        self.piece(Some(ListingEnd::Complete))
    }
}

/// A progress event of `job` carrying `pieces` and their counts.
pub fn progress(job: JobId, pieces: Vec<(Listing, Totals)>) -> ScanEvent {
    let mut delta = Totals::default();
    let mut listings = Vec::new();
    for (listing, totals) in pieces {
        delta += totals;
        listings.push(listing);
    }
    ScanEvent::Progress(Progress {
        worker: WorkerId(0),
        job,
        dir: Arc::from(Path::new("/x")),
        entries: delta.entries(),
        delta,
        dirs_read: listings.len() as u64,
        stats: Default::default(),
        listings,
    })
}
