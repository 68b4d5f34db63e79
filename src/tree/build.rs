//! Building the tree from listing pieces, in whatever order they arrive.
//!
//! A piece carries its directory's chain of nodes up to the root, so every
//! record is made knowing its parent, and every sum goes up to the root at
//! once: the root always holds exactly what the pieces applied so far hold,
//! which is what the job's totals hold. A directory's own blocks come in
//! its parent's listing (as its entry); they are added to the parent's sums
//! with that listing, and to the directory's own sums alone.
//!
//! `open` counts, per directory, the directories of its subtree not yet
//! read to the end: one more when a directory is first named (by a chain or
//! by its parent's listing), one less when its last piece arrives.

use super::{JobTree, NO_SLOT, Node, ROOT, State};
use crate::scan::listing::{Base, Listing, ListingEnd, NodeChain, Subdir, Sums};

impl JobTree {
    /// Applies one piece of a directory's listing.
    pub fn apply(&mut self, piece: &Listing) {
        self.ensure_chain(&piece.chain);
        let node = piece.chain.node;
        if let Some(size) = piece.root_size {
            self.root_size = size;
        }
        let first = self.listing(node).is_empty();
        if first {
            self.set_base(node, piece.base);
        }
        let start = self.listing(node).len();
        match piece.end {
            // The whole listing in one piece, the most common case: kept in
            // just its size.
            Some(_) if first && !self.growing.contains_key(&node) => {
                let place = self.dirs.keep_listing(&piece.entries);
                if let Some(record) = self.dirs.get_mut(node) {
                    record.listing = place;
                }
            }
            _ => self
                .growing
                .entry(node)
                .or_default()
                .extend_from_slice(&piece.entries),
        }
        self.place_children(node, start, &piece.subdirs);
        self.add_up(node, &piece.sums);
        if let Some(end) = piece.end {
            self.end_listing(node, end);
        }
    }

    fn set_base(&mut self, node: Node, base: Base) {
        let dev = self.device_index(base.dev);
        if let Some(record) = self.dirs.get_mut(node) {
            record.ino = base.ino;
            record.mtime = base.mtime;
            record.dev = dev;
        }
    }

    /// The index of a device in `devices`, added if new.
    pub(super) fn device_index(&mut self, dev: u64) -> u16 {
        let at = match self.devices.iter().position(|&d| d == dev) {
            Some(at) => at,
            None => {
                self.devices.push(dev);
                self.devices.len() - 1
            }
        };
        // More devices than this in one tree is beyond belief; the last
        // index stands for the rest.
        u16::try_from(at).unwrap_or(u16::MAX)
    }

    /// Makes the records of the chain's directories that are not known yet,
    /// each below its parent, from the top down.
    fn ensure_chain(&mut self, chain: &NodeChain) {
        let mut missing = Vec::new();
        let mut link = Some(chain);
        while let Some(c) = link {
            if self
                .dirs
                .get(c.node)
                .is_some_and(|d| d.state != State::Unknown)
            {
                break;
            }
            missing.push((c.node, c.parent()));
            link = c.up.as_deref();
        }
        for (node, parent) in missing.into_iter().rev() {
            if let Some(parent) = parent {
                self.name(node, parent);
            }
        }
    }

    /// Records `node` as a directory below `parent`, once.
    fn name(&mut self, node: Node, parent: Node) {
        let record = self.dirs.get_or_create(node);
        if record.state != State::Unknown {
            return;
        }
        record.state = State::Pending;
        record.parent = parent;
        self.add_open(node, 1);
    }

    /// The subdirectories of a piece placed at `start` in `node`'s
    /// listing: named below it, placed at their entry, and given their own
    /// blocks.
    fn place_children(&mut self, node: Node, start: usize, subdirs: &[Subdir]) {
        for sub in subdirs {
            self.name(sub.node, node);
            if let Some(record) = self.dirs.get_mut(sub.node)
                && record.slot == NO_SLOT
            {
                record.slot = start as u32 + sub.offset;
                // The parent's sums got these blocks with its listing.
                record.disk += sub.disk;
            }
        }
    }

    fn end_listing(&mut self, node: Node, end: ListingEnd) {
        let place = self.growing.remove(&node).map(|b| self.dirs.keep_grown(b));
        if let Some(record) = self.dirs.get_mut(node) {
            if let Some(place) = place {
                record.listing = place;
            }
            if record.state != State::Pending {
                return;
            }
            record.state = match end {
                ListingEnd::Complete => State::Complete,
                ListingEnd::Incomplete => State::Incomplete,
            };
        }
        self.add_open(node, -1);
    }

    /// Adds `sums` to `node` and every directory above it.
    fn add_up(&mut self, node: Node, sums: &Sums) {
        if *sums == Sums::default() {
            return;
        }
        let mut at = Some(node);
        while let Some(n) = at {
            let Some(record) = self.dirs.get_mut(n) else {
                break;
            };
            record.add(sums);
            at = (n != ROOT).then_some(record.parent);
        }
    }

    fn add_open(&mut self, node: Node, delta: i32) {
        let mut at = Some(node);
        while let Some(n) = at {
            let Some(record) = self.dirs.get_mut(n) else {
                break;
            };
            record.open = record.open.saturating_add_signed(delta);
            at = (n != ROOT).then_some(record.parent);
        }
    }

    /// After a stop or cancel: the directories never read to the end are
    /// incomplete, and nothing is waiting to be read any more.
    pub fn close_unread(&mut self) {
        for (node, bytes) in std::mem::take(&mut self.growing) {
            let place = self.dirs.keep_grown(bytes);
            if let Some(record) = self.dirs.get_mut(node) {
                record.listing = place;
            }
        }
        for node in 0..self.dirs.len() as Node {
            if let Some(record) = self.dirs.get_mut(node) {
                if record.state == State::Pending {
                    record.state = State::Incomplete;
                }
                record.open = 0;
            }
        }
    }
}
