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

mod piece;
#[cfg(test)]
mod tests;

pub use piece::{Listing, ListingEnd, NodeChain, OwnSize, Subdir, Sums, Writer};

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
