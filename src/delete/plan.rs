//! What a deletion is allowed to touch: for each marked entry, the chain of
//! directories from the root down to it, each with the device and inode
//! the scan saw, and the entry's own. Made from the tree on the dashboard's
//! side, before any thread touches a file.

use std::ffi::OsStr;
use std::fmt;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use crate::scan::listing::EntryKind;
use crate::tree::{JobTree, Node, ROOT};

/// A file's identity: what the scan saw must still be there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Identity {
    pub dev: u64,
    pub ino: u64,
}

/// A directory on the way down to a target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub name: Vec<u8>,
    pub identity: Identity,
}

/// One marked entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// Its full path, for messages and for the trash.
    pub path: PathBuf,
    pub root: PathBuf,
    pub root_identity: Identity,
    /// The directories below the root down to its parent.
    pub steps: Vec<Step>,
    pub name: Vec<u8>,
    pub identity: Identity,
    pub kind: EntryKind,
    /// Where it is in the tree: its directory and its offset there.
    pub parent: Node,
    pub offset: u32,
    /// What the scan recorded below it (for a directory), for progress.
    pub entries: u64,
    pub disk: u64,
}

/// Why an entry cannot be a target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotDeletable {
    /// The root of the scan is not deleted from its own browser.
    Root,
    /// The entry is no longer in the tree (it was deleted already).
    Gone,
    /// Excluded or unreadable: the scan does not know what it is.
    Unknown(PathBuf),
}

impl fmt::Display for NotDeletable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotDeletable::Root => {
                f.write_str("the scan's root is not deleted from its own browser")
            }
            NotDeletable::Gone => f.write_str("it was deleted already"),
            NotDeletable::Unknown(path) => write!(
                f,
                "{}: the scan could not see what it is, so it is not deleted",
                path.display()
            ),
        }
    }
}

/// The target for the entry at `offset` of directory `parent`.
pub fn target(tree: &JobTree, parent: Node, offset: u32) -> Result<Target, NotDeletable> {
    let entry = tree.entry(parent, offset).ok_or(NotDeletable::Gone)?;
    let dir_path = tree.path_of(parent).ok_or(NotDeletable::Gone)?;
    let path = dir_path.join(OsStr::from_bytes(entry.name));
    if matches!(entry.kind, EntryKind::Unreadable | EntryKind::Excluded) {
        return Err(NotDeletable::Unknown(path));
    }
    if entry.kind == EntryKind::Removed {
        return Err(NotDeletable::Gone);
    }
    let identity_of = |node: Node| {
        let base = tree.base(node);
        Identity {
            dev: base.dev,
            ino: base.ino,
        }
    };
    let steps = tree
        .ancestry(parent)
        .into_iter()
        .skip(1)
        .map(|node| {
            let name = tree.name_of(node).ok_or(NotDeletable::Gone)?.to_vec();
            Ok(Step {
                name,
                identity: identity_of(node),
            })
        })
        .collect::<Result<Vec<Step>, NotDeletable>>()?;
    let (entries, disk) = match tree.dir(entry.node).filter(|_| entry.entered()) {
        Some(dir) => (dir.sums().entries + 1, dir.sums().disk),
        None => (1, entry.counted_disk()),
    };
    Ok(Target {
        path,
        root: tree.root_path().to_path_buf(),
        root_identity: identity_of(ROOT),
        steps,
        name: entry.name.to_vec(),
        identity: Identity {
            dev: entry.dev,
            ino: entry.ino,
        },
        kind: entry.kind,
        parent,
        offset,
        entries,
        disk,
    })
}

impl Target {
    /// The path of the directory holding it.
    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(&self.root)
    }
}
