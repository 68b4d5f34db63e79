//! A directory's entries as the workers send them and the kept tree stores
//! them: packed one after another in a byte string, about 20 bytes an entry
//! on a tree of short names. Each entry:
//!
//! ```text
//! kind and flags (1) · name length (1) · name · size · blocks · mtime − the directory's
//! · ino − the directory's · [node] · [nlink] · [dev]
//! ```
//!
//! Numbers are LEB128 varints, the two differences zigzag-encoded: files
//! made together have close inodes and times, so most take a byte or two.
//! An entry is found again by its byte offset, which never changes while the
//! listing only grows.

use std::sync::Arc;

/// `node` of an entry that is not a directory the scan entered.
pub const NO_NODE: u32 = u32::MAX;
/// The longest name a listing holds (Linux's `NAME_MAX`).
pub const NAME_MAX: usize = 255;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EntryKind {
    File,
    Dir,
    Symlink,
    /// Sockets, FIFOs, devices.
    Other,
    /// Could not be stat'ed.
    Unreadable,
    /// Skipped by `--exclude`: listed, not counted.
    Excluded,
    /// Deleted from the browser: its bytes stay in the listing (offsets
    /// never change), it counts for nothing and is not shown.
    Removed,
}

const KIND_MASK: u8 = 0b111;
/// More than one link: a varint `nlink` follows.
const HARD_LINK: u8 = 1 << 3;
/// Its blocks were counted at another link (or another path, under `-L`).
const UNCOUNTED: u8 = 1 << 4;
/// On another device than the directory: a varint `dev` follows.
const OTHER_DEV: u8 = 1 << 5;
/// A directory on another filesystem, not entered (`-x`).
const OTHER_FS: u8 = 1 << 6;
/// A directory the scan entered: a varint `node` follows.
const NODE: u8 = 1 << 7;

impl EntryKind {
    fn code(self) -> u8 {
        match self {
            EntryKind::File => 0,
            EntryKind::Dir => 1,
            EntryKind::Symlink => 2,
            EntryKind::Other => 3,
            EntryKind::Unreadable => 4,
            EntryKind::Excluded => 5,
            EntryKind::Removed => 6,
        }
    }

    fn of(code: u8) -> EntryKind {
        match code & KIND_MASK {
            0 => EntryKind::File,
            1 => EntryKind::Dir,
            2 => EntryKind::Symlink,
            3 => EntryKind::Other,
            4 => EntryKind::Unreadable,
            5 => EntryKind::Excluded,
            _ => EntryKind::Removed,
        }
    }
}

/// What a directory's entries are encoded against: the directory itself.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Base {
    pub dev: u64,
    pub ino: u64,
    pub mtime: i64,
}

/// One entry, as it is encoded and decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry<'a> {
    pub name: &'a [u8],
    pub kind: EntryKind,
    /// Apparent size.
    pub size: u64,
    /// 512-byte blocks allocated.
    pub blocks: u64,
    pub mtime: i64,
    pub ino: u64,
    pub dev: u64,
    pub nlink: u64,
    /// The directory's node in the tree, or `NO_NODE`.
    pub node: u32,
    /// Its blocks are counted in the sums (false for a second hard link).
    pub counted: bool,
    /// A directory on another filesystem, not entered.
    pub other_fs: bool,
}

impl Entry<'_> {
    /// Bytes allocated on disk for it.
    pub fn disk(&self) -> u64 {
        self.blocks.saturating_mul(512)
    }

    /// What it adds to its directory's disk usage.
    pub fn counted_disk(&self) -> u64 {
        if self.counted { self.disk() } else { 0 }
    }

    pub fn is_hard_link(&self) -> bool {
        self.nlink > 1
    }

    pub fn entered(&self) -> bool {
        self.node != NO_NODE
    }
}

/// Appends `entry` to `out`; names beyond `NAME_MAX` bytes are cut.
pub fn encode(out: &mut Vec<u8>, base: &Base, entry: &Entry) {
    let mut head = entry.kind.code();
    if entry.nlink > 1 {
        head |= HARD_LINK;
    }
    if !entry.counted {
        head |= UNCOUNTED;
    }
    if entry.dev != base.dev {
        head |= OTHER_DEV;
    }
    if entry.other_fs {
        head |= OTHER_FS;
    }
    if entry.node != NO_NODE {
        head |= NODE;
    }
    let name = &entry.name[..entry.name.len().min(NAME_MAX)];
    out.push(head);
    out.push(name.len() as u8);
    out.extend_from_slice(name);
    varint(out, entry.size);
    varint(out, entry.blocks);
    varint(out, zigzag(entry.mtime.wrapping_sub(base.mtime)));
    varint(out, zigzag(entry.ino.wrapping_sub(base.ino) as i64));
    if entry.node != NO_NODE {
        varint(out, u64::from(entry.node));
    }
    if entry.nlink > 1 {
        varint(out, entry.nlink);
    }
    if entry.dev != base.dev {
        varint(out, entry.dev);
    }
}

/// Marks the entry at `offset` deleted, in place: its bytes stay, so every
/// other entry keeps its offset.
pub fn mark_removed(listing: &mut [u8], offset: u32) {
    if let Some(head) = listing.get_mut(offset as usize) {
        *head = (*head & !KIND_MASK) | EntryKind::Removed.code();
    }
}

/// Marks the hard link at `offset` as the one its blocks are counted at.
pub fn mark_counted(listing: &mut [u8], offset: u32) {
    if let Some(head) = listing.get_mut(offset as usize) {
        *head &= !UNCOUNTED;
    }
}

/// The entry at byte `offset` of a listing, and the offset of the next.
/// `None` past the end, or where the bytes are not a listing's.
pub fn decode<'a>(listing: &'a [u8], offset: usize, base: &Base) -> Option<(Entry<'a>, usize)> {
    let mut reader = Reader {
        bytes: listing,
        at: offset,
    };
    let head = reader.byte()?;
    let len = usize::from(reader.byte()?);
    let name = reader.take(len)?;
    let size = reader.varint()?;
    let blocks = reader.varint()?;
    let mtime = base.mtime.wrapping_add(unzigzag(reader.varint()?));
    let ino = base.ino.wrapping_add(unzigzag(reader.varint()?) as u64);
    let node = if head & NODE != 0 {
        u32::try_from(reader.varint()?).ok()?
    } else {
        NO_NODE
    };
    let nlink = if head & HARD_LINK != 0 {
        reader.varint()?
    } else {
        1
    };
    let dev = if head & OTHER_DEV != 0 {
        reader.varint()?
    } else {
        base.dev
    };
    let entry = Entry {
        name,
        kind: EntryKind::of(head),
        size,
        blocks,
        mtime,
        ino,
        dev,
        nlink,
        node,
        counted: head & UNCOUNTED == 0,
        other_fs: head & OTHER_FS != 0,
    };
    Some((entry, reader.at))
}

/// The name of the entry at `offset`, without decoding the rest of it.
pub fn name_at(listing: &[u8], offset: u32) -> &[u8] {
    let at = offset as usize;
    let len = listing.get(at + 1).map_or(0, |&n| usize::from(n));
    listing.get(at + 2..at + 2 + len).unwrap_or(&[])
}

/// Every entry of a listing with its offset, in order.
pub fn entries<'a>(
    listing: &'a [u8],
    base: &'a Base,
) -> impl Iterator<Item = (u32, Entry<'a>)> + 'a {
    let mut at = 0;
    std::iter::from_fn(move || {
        let (entry, next) = decode(listing, at, base)?;
        let offset = at as u32;
        at = next;
        Some((offset, entry))
    })
}

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

fn varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn zigzag(n: i64) -> u64 {
    ((n << 1) ^ (n >> 63)) as u64
}

fn unzigzag(n: u64) -> i64 {
    ((n >> 1) as i64) ^ -((n & 1) as i64)
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let slice = self.bytes.get(self.at..self.at + n)?;
        self.at += n;
        Some(slice)
    }

    fn varint(&mut self) -> Option<u64> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            n |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(n);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: Base = Base {
        dev: 2049,
        ino: 1_000_000,
        mtime: 1_700_000_000,
    };

    fn file(name: &[u8]) -> Entry<'_> {
        Entry {
            name,
            kind: EntryKind::File,
            size: 12_345,
            blocks: 24,
            mtime: 1_699_999_000,
            ino: 1_000_017,
            dev: 2049,
            nlink: 1,
            node: NO_NODE,
            counted: true,
            other_fs: false,
        }
    }

    #[test]
    fn entries_come_back_as_they_went_in() {
        let mut out = Vec::new();
        let plain = file(b"f000001.rs");
        let odd = Entry {
            name: b"bad_\xff\n",
            kind: EntryKind::Dir,
            size: 4096,
            blocks: 8,
            mtime: i64::MIN + 5,
            ino: 3,
            dev: 77,
            nlink: 2,
            node: 12,
            counted: true,
            other_fs: false,
        };
        let linked = Entry {
            nlink: 3,
            counted: false,
            size: u64::MAX,
            ..file(b"hard")
        };
        for e in [&plain, &odd, &linked] {
            encode(&mut out, &BASE, e);
        }
        let back: Vec<(u32, Entry)> = entries(&out, &BASE).collect();
        assert_eq!(back.len(), 3);
        assert_eq!(back[0], (0, plain));
        assert_eq!(back[1].1, odd);
        assert_eq!(back[2].1, linked);
        let (again, _) = decode(&out, back[1].0 as usize, &BASE).unwrap();
        assert_eq!(again, odd);
        assert_eq!(name_at(&out, back[2].0), b"hard");
        assert_eq!(name_at(&out, 9999), b"");
    }

    #[test]
    fn a_file_of_a_typical_tree_takes_about_twenty_bytes() {
        let mut out = Vec::new();
        encode(&mut out, &BASE, &file(b"f000001.rs"));
        assert!(out.len() <= 2 + 10 + 8, "{} bytes", out.len());
    }

    #[test]
    fn truncated_bytes_end_the_listing_instead_of_panicking() {
        let mut out = Vec::new();
        encode(&mut out, &BASE, &file(b"abc"));
        for cut in 0..out.len() {
            assert!(decode(&out[..cut], 0, &BASE).is_none(), "cut at {cut}");
        }
        assert!(decode(&[0xff; 40], 0, &BASE).is_none());
    }

    #[test]
    fn sums_count_each_kind_as_the_totals_do() {
        let mut sums = Sums::default();
        sums.add_entry(&file(b"a"));
        sums.add_entry(&Entry {
            counted: false,
            nlink: 2,
            ..file(b"b")
        });
        sums.add_entry(&Entry {
            kind: EntryKind::Unreadable,
            ..file(b"c")
        });
        sums.add_entry(&Entry {
            kind: EntryKind::Excluded,
            ..file(b"d")
        });
        sums.add_entry(&Entry {
            kind: EntryKind::Symlink,
            size: 7,
            blocks: 0,
            ..file(b"e")
        });
        assert_eq!(
            (sums.files, sums.entries, sums.errors, sums.bytes, sums.disk),
            (2, 3, 0, 2 * 12_345, 24 * 512)
        );
        assert_eq!(sums.newest, 1_699_999_000);
    }
}
