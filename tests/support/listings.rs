//! Trees made of listing pieces, as the workers would send them, for tests
//! of what consumes them (the tree, the dashboard) without a scan.

use std::path::Path;
use std::sync::Arc;

use dirdash::scan::listing::{
    Base, Entry, EntryKind, Listing, ListingEnd, NO_NODE, NodeChain, OwnSize, Sums, Writer,
};
use dirdash::scan::{JobId, Progress, ScanEvent, Totals, WorkerId};

/// One directory being listed.
pub struct Dir {
    chain: Arc<NodeChain>,
    writer: Writer,
    /// Entries listed so far, for their inode numbers.
    listed: u64,
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
    /// A directory on another filesystem, not entered.
    pub other_fs: bool,
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
            other_fs: false,
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
        let mut writer = Writer::new(base, Vec::new());
        writer.sums = Sums {
            disk: 4096,
            ..Sums::default()
        };
        Dir {
            chain: NodeChain::root(),
            writer,
            listed: 0,
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
            ino: self.writer.base.ino + 1 + self.listed,
            dev: self.writer.base.dev,
            nlink: item.nlink,
            node,
            counted: true,
            other_fs: item.other_fs,
        };
        self.listed += 1;
        self.writer.push(&entry);
        match item.kind {
            EntryKind::File => {
                self.totals.files += 1;
                self.totals.bytes += item.size;
            }
            EntryKind::Dir => self.totals.dirs += 1,
            EntryKind::Symlink => self.totals.symlinks += 1,
            EntryKind::Other => self.totals.other += 1,
            EntryKind::Unreadable => self.totals.errors += 1,
            EntryKind::Excluded | EntryKind::Removed => {}
        }
        if item.kind != EntryKind::Unreadable && item.kind != EntryKind::Excluded {
            self.totals.disk_bytes += item.blocks * 512;
        }
        if item.kind == EntryKind::Unreadable {
            self.writer.sums.errors += 1;
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
            other_fs: false,
        };
        self.push(&item, node);
        let base = Base {
            dev: 1,
            ino: 1000 * u64::from(node),
            mtime: 1_700_000_000,
        };
        Dir {
            chain: self.chain.child(node),
            writer: Writer::new(base, Vec::new()),
            listed: 0,
            totals: Totals::default(),
            next_node: Arc::clone(&self.next_node),
            root_size: None,
        }
    }

    /// What was listed since the last piece, as one piece; `end` ends it.
    pub fn piece(&mut self, end: Option<ListingEnd>) -> (Listing, Totals) {
        let mut piece = self.writer.piece(&self.chain, end);
        piece.root_size = self.root_size.take();
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

/// Tells `app` that job `id` of `root` was submitted, keeping its tree
/// or not.
pub fn submit(app: &mut dirdash::tui::app::App, id: JobId, root: &str, keep_tree: bool) {
    dirdash::tui::app::update(
        app,
        dirdash::tui::app::Msg::Submitted {
            id,
            root: Arc::from(Path::new(root)),
            keep_tree,
        },
    );
}
