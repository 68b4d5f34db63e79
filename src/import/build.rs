//! Entries of an export, as the parser meets them, into the tree a scan
//! would have built: each directory's packed listing (applied to the tree
//! when the directory ends), the job's totals and its files' statistics,
//! counted by the scanner's rules (files every hard link, disk usage every
//! inode once, directories below the root, errors where the export marks
//! them).

use std::collections::HashSet;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;
use std::sync::Arc;

use crate::scan::listing::{
    Base, Entry, EntryKind, ListingEnd, NO_NODE, NodeChain, OwnSize, Writer,
};
use crate::scan::{JobStats, Totals, extension_of};
use crate::tree::JobTree;

/// What an export says of one entry (a directory's own info, or a leaf).
#[derive(Debug, Default)]
pub(super) struct Info {
    pub asize: u64,
    pub dsize: u64,
    pub dev: Option<u64>,
    pub ino: Option<u64>,
    pub hlnkc: bool,
    pub nlink: Option<u64>,
    pub read_error: bool,
    /// `pattern`, `otherfs`, `kernfs`, `frmlink`.
    pub excluded: Option<String>,
    pub notreg: bool,
    pub mode: Option<u32>,
    pub mtime: Option<i64>,
}

const S_IFMT: u32 = 0o170_000;
const S_IFLNK: u32 = 0o120_000;

/// A directory being read: its listing so far.
pub(super) struct DirCtx {
    writer: Writer,
    chain: Arc<NodeChain>,
    read_error: bool,
    /// The root's own size, for its listing.
    root_size: Option<OwnSize>,
}

pub(super) struct Builder {
    pub tree: Option<JobTree>,
    pub totals: Totals,
    pub stats: JobStats,
    next_node: u32,
    /// (device, inode) of hard links already counted.
    sightings: HashSet<(u64, u64)>,
    /// The path of the directory being read, for the largest files.
    path: Vec<u8>,
    /// The name just parsed (one buffer for every entry).
    pub name: Vec<u8>,
    ext: Vec<u8>,
    /// Entries read so far, for a progress line.
    pub entries: u64,
    /// Directories open below the root.
    depth: usize,
}

/// Deeper than any tree a path can name a file of (4096 bytes, a name and a
/// slash a level, is 2048 levels), with room: the parser recurses once a
/// level, and the sums are carried up every level.
pub(super) const MAX_DEPTH: usize = 10_000;

/// How a well-formed export that dirdash will not hold is refused.
pub(super) const BEYOND: &str = "beyond what dirdash reads: ";

impl Builder {
    pub(super) fn new() -> Builder {
        Builder {
            tree: None,
            totals: Totals::default(),
            stats: JobStats::default(),
            next_node: 1,
            sightings: HashSet::new(),
            path: Vec::new(),
            name: Vec::new(),
            ext: Vec::new(),
            entries: 0,
            depth: 0,
        }
    }

    /// Why another directory cannot be entered, if it cannot.
    pub(super) fn refuses_a_dir(&self) -> Option<String> {
        if self.depth >= MAX_DEPTH {
            Some(format!(
                "{BEYOND}directories nested deeper than {MAX_DEPTH} levels"
            ))
        } else if self.next_node == u32::MAX {
            Some(format!("{BEYOND}more than {} directories", u32::MAX - 1))
        } else {
            None
        }
    }

    /// The root's info was read (its name is the scanned path).
    pub(super) fn root(&mut self, info: &Info) -> DirCtx {
        let root = PathBuf::from(OsStr::from_bytes(&self.name));
        self.tree = Some(JobTree::new(Arc::from(root.as_path())));
        self.path = self.name.clone();
        self.totals.disk_bytes += info.dsize;
        let base = base_of(info, info.dev.unwrap_or(0));
        let mut writer = Writer::new(base, Vec::new());
        // No parent lists the root's own blocks.
        writer.sums.disk += info.dsize;
        DirCtx {
            writer,
            chain: NodeChain::root(),
            read_error: info.read_error,
            root_size: Some(OwnSize {
                size: info.asize,
                blocks: info.dsize / 512,
            }),
        }
    }

    /// A subdirectory's info was read: listed in its parent, and read next.
    pub(super) fn enter(&mut self, parent: &mut DirCtx, info: &Info) -> DirCtx {
        let node = self.next_node;
        self.next_node += 1;
        let dev = info.dev.unwrap_or(parent.writer.base.dev);
        let entry = Entry {
            name: &self.name,
            kind: EntryKind::Dir,
            size: info.asize,
            blocks: info.dsize / 512,
            mtime: info.mtime.unwrap_or(parent.writer.base.mtime),
            ino: info.ino.unwrap_or(parent.writer.base.ino),
            dev,
            nlink: 1,
            node,
            counted: true,
            other_fs: false,
        };
        parent.writer.push(&entry);
        self.totals.dirs += 1;
        self.totals.disk_bytes += info.dsize;
        self.entries += 1;
        self.path.push(b'/');
        self.path.extend_from_slice(&self.name);
        self.depth += 1;
        DirCtx {
            writer: Writer::new(base_of(info, dev), Vec::new()),
            chain: parent.chain.child(node),
            read_error: info.read_error,
            root_size: None,
        }
    }

    /// The directory ends: its listing goes into the tree.
    pub(super) fn leave(&mut self, mut dir: DirCtx) {
        if dir.read_error {
            dir.writer.sums.errors += 1;
            self.totals.errors += 1;
        }
        let end = if dir.read_error {
            ListingEnd::Incomplete
        } else {
            ListingEnd::Complete
        };
        let mut piece = dir.writer.piece(&dir.chain, Some(end));
        piece.root_size = dir.root_size;
        if let Some(tree) = &mut self.tree {
            tree.apply(&piece);
        }
        if dir.chain.parent().is_some() {
            self.depth -= 1;
            let cut = self.path.iter().rposition(|&b| b == b'/').unwrap_or(0);
            self.path.truncate(cut);
        }
    }

    /// A file, link, special file, or an entry excluded or unreadable.
    pub(super) fn leaf(&mut self, dir: &mut DirCtx, info: &Info) {
        let base = dir.writer.base;
        let dev = info.dev.unwrap_or(base.dev);
        let mut entry = Entry {
            name: &self.name,
            kind: EntryKind::File,
            size: info.asize,
            blocks: info.dsize / 512,
            mtime: info.mtime.unwrap_or(base.mtime),
            ino: info.ino.unwrap_or(base.ino),
            dev,
            nlink: 1,
            node: NO_NODE,
            counted: true,
            other_fs: false,
        };
        self.entries += 1;
        match info.excluded.as_deref() {
            // Another filesystem: a directory counted, not entered (`-x`).
            Some("otherfs") => {
                entry.kind = EntryKind::Dir;
                entry.other_fs = true;
                self.totals.dirs += 1;
                self.totals.skipped_dirs += 1;
                self.totals.disk_bytes += info.dsize;
                dir.writer.push(&entry);
                return;
            }
            Some(_) => {
                entry.kind = EntryKind::Excluded;
                dir.writer.push(&entry);
                return;
            }
            None => {}
        }
        if info.read_error {
            entry.kind = EntryKind::Unreadable;
            dir.writer.push(&entry);
            dir.writer.sums.errors += 1;
            self.totals.errors += 1;
            return;
        }
        if info.notreg {
            let symlink = info.mode.is_some_and(|m| m & S_IFMT == S_IFLNK);
            entry.kind = if symlink {
                self.totals.symlinks += 1;
                EntryKind::Symlink
            } else {
                self.totals.other += 1;
                EntryKind::Other
            };
        } else {
            self.totals.files += 1;
            self.totals.bytes += info.asize;
        }
        if info.hlnkc {
            entry.nlink = info.nlink.unwrap_or(2).max(2);
            entry.counted = self.sightings.insert((dev, entry.ino));
        }
        if entry.counted {
            self.totals.disk_bytes += info.dsize;
        }
        dir.writer.push(&entry);
        if entry.kind == EntryKind::File {
            self.file_stats(info, entry.disk(), entry.mtime);
        }
    }

    fn file_stats(&mut self, info: &Info, disk: u64, mtime: i64) {
        extension_of(&self.name, &mut self.ext);
        let floor = self.stats.largest_floor();
        let (path, name) = (&self.path, &self.name);
        self.stats
            .add_file(&self.ext, info.asize, disk, mtime, floor, || {
                let mut full = path.clone();
                full.push(b'/');
                full.extend_from_slice(name);
                PathBuf::from(OsStr::from_bytes(&full))
            });
    }
}

fn base_of(info: &Info, dev: u64) -> Base {
    Base {
        dev,
        ino: info.ino.unwrap_or(0),
        mtime: info.mtime.unwrap_or(0),
    }
}
