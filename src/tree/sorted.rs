//! A directory's children in the browser's order, kept up to date as the
//! scan goes on without sorting everything on every frame.
//!
//! Entries that are not directories the scan entered have fixed sizes:
//! they are sorted once (and merged with what arrives later, while the
//! directory is being read). Directories grow while their subtrees are
//! read: they are few, re-sorted when a sum changed, and merged with the
//! rest. A refresh with nothing new costs a look at each directory's sums.

use std::cmp::Ordering;

use super::{JobTree, Node};
use crate::scan::listing::{self, Entry, EntryKind};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    /// Disk usage, or apparent size (`Order::apparent`).
    Size,
    /// Items below (directories); other entries have none.
    Count,
    Name,
    /// Modification time; for a directory, the newest below it.
    Mtime,
    /// Disk usage against an earlier scan (`Earlier`), grown most first; a
    /// directory the earlier scan did not have grew by all of it, entries
    /// that are not directories the scan entered did not change.
    Change,
}

/// The disk usage an earlier scan recorded for the subdirectories of the
/// directory shown, by name: what `SortKey::Change` compares with.
pub trait Earlier {
    fn disk(&self, name: &[u8]) -> Option<u64>;
}

/// A signed change as a key that sorts like it.
fn change_key(now: u64, before: Option<u64>) -> u64 {
    let change = i128::from(now) - i128::from(before.unwrap_or(0));
    let change = change.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64;
    (change as u64) ^ (1 << 63)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Order {
    pub key: SortKey,
    /// Reversed: smallest, fewest, oldest first, or names from z.
    pub reversed: bool,
    /// Sizes are apparent sizes, not disk usage.
    pub apparent: bool,
}

impl Default for Order {
    fn default() -> Order {
        Order {
            key: SortKey::Size,
            reversed: false,
            apparent: false,
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct Row {
    offset: u32,
    node: Node,
    key: u64,
}

/// The rows of one directory, in order.
#[derive(Clone, Debug)]
pub struct SortedDir {
    node: Node,
    order: Order,
    /// Lowercased text a name must contain.
    filter: String,
    /// Bytes of the listing already made rows.
    seen: usize,
    /// Entries with fixed keys, sorted.
    fixed: Vec<Row>,
    /// Directories the scan entered, sorted by their last keys.
    dirs: Vec<Row>,
    /// Offsets of every row, in order.
    rows: Vec<u32>,
}

impl SortedDir {
    pub fn new(node: Node, order: Order, filter: &str) -> SortedDir {
        SortedDir {
            node,
            order,
            filter: filter.to_lowercase(),
            seen: 0,
            fixed: Vec::new(),
            dirs: Vec::new(),
            rows: Vec::new(),
        }
    }

    pub fn node(&self) -> Node {
        self.node
    }

    pub fn order(&self) -> Order {
        self.order
    }

    /// The entries' offsets, in order.
    pub fn rows(&self) -> &[u32] {
        &self.rows
    }

    /// Brings the rows up to date with the tree; true when they changed.
    pub fn refresh(&mut self, tree: &JobTree) -> bool {
        self.refresh_against(tree, None)
    }

    /// `refresh`, with the earlier sizes `SortKey::Change` needs.
    pub fn refresh_against(&mut self, tree: &JobTree, earlier: Option<&dyn Earlier>) -> bool {
        if tree.dir(self.node).is_none() {
            let changed = !self.rows.is_empty();
            self.rows.clear();
            return changed;
        }
        let listing = tree.listing(self.node);
        let base = tree.base(self.node);
        let mut new_fixed = Vec::new();
        let mut dirs_changed = false;
        let mut at = self.seen;
        while let Some((entry, next)) = listing::decode(listing, at, &base) {
            if self.keeps(&entry) {
                let row = Row {
                    offset: at as u32,
                    node: entry.node,
                    key: self.fixed_key(&entry),
                };
                if entry.entered() {
                    self.dirs.push(row);
                    dirs_changed = true;
                } else {
                    new_fixed.push(row);
                }
            }
            at = next;
        }
        self.seen = at;
        for row in &mut self.dirs {
            let key = match self.order.key {
                SortKey::Change => {
                    let now = tree.dir(row.node).map_or(0, |d| d.sums().disk);
                    let name = listing::name_at(listing, row.offset);
                    change_key(now, earlier.and_then(|e| e.disk(name)))
                }
                _ => dir_key(tree, row.node, self.order),
            };
            dirs_changed |= key != row.key;
            row.key = key;
        }
        if new_fixed.is_empty() && !dirs_changed {
            return false;
        }
        if !new_fixed.is_empty() {
            new_fixed.sort_by(|a, b| self.compare(listing, a, b));
            self.fixed = merge(std::mem::take(&mut self.fixed), new_fixed, |a, b| {
                self.compare(listing, a, b)
            });
        }
        if dirs_changed {
            let mut dirs = std::mem::take(&mut self.dirs);
            dirs.sort_by(|a, b| self.compare(listing, a, b));
            self.dirs = dirs;
        }
        self.rows.clear();
        self.rows.reserve(self.fixed.len() + self.dirs.len());
        let (mut f, mut d) = (0, 0);
        while f < self.fixed.len() || d < self.dirs.len() {
            let take_dir = match (self.fixed.get(f), self.dirs.get(d)) {
                (Some(a), Some(b)) => self.compare(listing, b, a) == Ordering::Less,
                (None, Some(_)) => true,
                _ => false,
            };
            if take_dir {
                self.rows.push(self.dirs[d].offset);
                d += 1;
            } else {
                self.rows.push(self.fixed[f].offset);
                f += 1;
            }
        }
        true
    }

    fn keeps(&self, entry: &Entry) -> bool {
        if entry.kind == EntryKind::Removed {
            return false;
        }
        self.filter.is_empty()
            || String::from_utf8_lossy(entry.name)
                .to_lowercase()
                .contains(&self.filter)
    }

    /// The key of an entry whose key does not change (directories' keys are
    /// read from their sums).
    fn fixed_key(&self, entry: &Entry) -> u64 {
        match self.order.key {
            SortKey::Size if self.order.apparent => entry.size,
            SortKey::Size => entry.disk(),
            SortKey::Mtime => entry.mtime as u64 ^ (1 << 63),
            SortKey::Count | SortKey::Name => 0,
            SortKey::Change => change_key(0, None),
        }
    }

    /// Largest keys first (names: a to z), ties by name; reversed as asked.
    fn compare(&self, listing: &[u8], a: &Row, b: &Row) -> Ordering {
        let by_name =
            || listing::name_at(listing, a.offset).cmp(listing::name_at(listing, b.offset));
        let ordering = match self.order.key {
            SortKey::Name => by_name(),
            _ => b.key.cmp(&a.key).then_with(by_name),
        };
        if self.order.reversed {
            ordering.reverse()
        } else {
            ordering
        }
    }
}

/// The key of the directory `node` now.
fn dir_key(tree: &JobTree, node: Node, order: Order) -> u64 {
    let Some(dir) = tree.dir(node) else {
        return 0;
    };
    let sums = dir.sums();
    match order.key {
        SortKey::Size if order.apparent => sums.bytes,
        SortKey::Size => sums.disk,
        SortKey::Count => sums.entries,
        SortKey::Mtime => sums.newest.max(dir.mtime()) as u64 ^ (1 << 63),
        SortKey::Name | SortKey::Change => 0,
    }
}

fn merge(a: Vec<Row>, b: Vec<Row>, compare: impl Fn(&Row, &Row) -> Ordering) -> Vec<Row> {
    if a.is_empty() {
        return b;
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if compare(&b[j], &a[i]) == Ordering::Less {
            out.push(b[j]);
            j += 1;
        } else {
            out.push(a[i]);
            i += 1;
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}
