//! Changing a finished tree to what is left after a deletion: an entry
//! taken out (its sums leave every directory above it), or a directory's
//! subtree replaced by a fresh scan of it, for what a deletion left behind.
//! The job's totals change by what these return.

use std::collections::HashSet;

use super::arena::Place;
use super::{JobTree, NO_SLOT, Node, ROOT, State};
use crate::scan::Totals;
use crate::scan::listing::{self, Entry, EntryKind, Sums, Writer};

impl JobTree {
    /// A counter of edits: a view of the tree made before one is stale.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Takes the entry at `offset` of `parent` out, as deleted; returns
    /// what it held, counted as the job's totals count.
    pub fn remove(&mut self, parent: Node, offset: u32) -> Option<Totals> {
        let entry = self.entry(parent, offset)?;
        if matches!(entry.kind, EntryKind::Removed) {
            return None;
        }
        let (totals, sums, links) = self.held(&entry);
        let child = entry.entered().then_some(entry.node);
        let place = self.dirs.get(parent)?.listing;
        listing::mark_removed(self.dirs.listing_mut(place), offset);
        if let Some(node) = child {
            self.forget(node);
        }
        self.subtract_up(parent, &sums);
        self.recount_links(&links);
        self.generation += 1;
        Some(totals)
    }

    /// Replaces what directory `node` holds by `fresh`, a scan of the same
    /// directory made after a deletion, whose totals are `fresh_totals`.
    /// Returns the change of the job's totals: (taken out, put in).
    pub fn graft(
        &mut self,
        node: Node,
        fresh: &JobTree,
        fresh_totals: Totals,
    ) -> Option<(Totals, Totals)> {
        let record = self.dir(node)?;
        let parent = record.parent();
        let old = record.sums();
        let mut old_totals = self.contents(node);
        old_totals.disk_bytes = old.disk;
        // Its own entry in its parent stays; what is below it goes.
        for child in self.children(node) {
            self.forget(child);
        }
        if let Some(parent) = parent {
            self.subtract_up(parent, &old);
        }
        let root = fresh.root().sums();
        self.import(node, fresh);
        if let Some(record) = self.dirs.get_mut(node) {
            record.set_sums(&root);
        }
        if let Some(parent) = parent {
            self.add_up_from(parent, &root);
        }
        self.generation += 1;
        Some((old_totals, fresh_totals))
    }

    /// What `entry` holds: as the job's totals count it, as its directory's
    /// sums count it, and the hard links counted in it.
    fn held(&self, entry: &Entry) -> (Totals, Sums, HashSet<(u64, u64)>) {
        let mut links = HashSet::new();
        match self.dir(entry.node).filter(|_| entry.entered()) {
            Some(dir) => {
                let sums = dir.sums();
                let mut totals = self.contents(entry.node);
                totals.dirs += 1;
                totals.disk_bytes = sums.disk;
                self.walk(entry.node, |e| {
                    if e.counted && e.is_hard_link() {
                        links.insert((e.dev, e.ino));
                    }
                });
                let sums = Sums {
                    dirs: sums.dirs + 1,
                    entries: sums.entries + 1,
                    ..sums
                };
                (totals, sums, links)
            }
            None => {
                let mut sums = Sums::default();
                sums.add_entry(entry);
                let mut totals = Totals::default();
                count(entry, &mut totals);
                if entry.counted && entry.is_hard_link() {
                    links.insert((entry.dev, entry.ino));
                }
                (totals, sums, links)
            }
        }
    }

    /// The totals of what is below `node` (its own blocks left out).
    fn contents(&self, node: Node) -> Totals {
        let mut totals = Totals::default();
        self.walk(node, |e| count(e, &mut totals));
        if let Some(dir) = self.dir(node) {
            totals.errors = dir.sums().errors;
        }
        totals
    }

    /// Every entry below `node`.
    fn walk(&self, node: Node, mut visit: impl FnMut(&Entry)) {
        let mut stack = vec![node];
        while let Some(dir) = stack.pop() {
            for (_, entry) in self.entries(dir) {
                visit(&entry);
                if entry.entered() && self.dir(entry.node).is_some() {
                    stack.push(entry.node);
                }
            }
        }
    }

    fn children(&self, node: Node) -> Vec<Node> {
        self.entries(node)
            .filter(|(_, e)| e.entered())
            .map(|(_, e)| e.node)
            .collect()
    }

    /// Forgets `node` and every directory below it.
    fn forget(&mut self, node: Node) {
        let mut stack = vec![node];
        while let Some(dir) = stack.pop() {
            stack.extend(self.children(dir));
            self.growing.remove(&dir);
            if let Some(record) = self.dirs.get_mut(dir) {
                *record = super::DirRecord::default();
            }
        }
    }

    fn subtract_up(&mut self, from: Node, sums: &Sums) {
        let mut at = Some(from);
        while let Some(n) = at {
            let Some(record) = self.dirs.get_mut(n) else {
                break;
            };
            record.subtract(sums);
            at = (n != ROOT).then_some(record.parent);
        }
    }

    fn add_up_from(&mut self, from: Node, sums: &Sums) {
        let mut at = Some(from);
        while let Some(n) = at {
            let Some(record) = self.dirs.get_mut(n) else {
                break;
            };
            record.add(sums);
            at = (n != ROOT).then_some(record.parent);
        }
    }

    /// Hard links whose blocks were counted at an entry now gone: counted
    /// at another link the tree holds instead, if it holds one.
    fn recount_links(&mut self, links: &HashSet<(u64, u64)>) {
        if links.is_empty() {
            return;
        }
        let mut found: Vec<(Node, u32, u64)> = Vec::new();
        let mut pending = links.clone();
        for node in 0..self.dirs.len() as Node {
            if pending.is_empty() {
                break;
            }
            if self.dir(node).is_none() {
                continue;
            }
            for (offset, e) in self.entries(node) {
                if !e.counted && e.is_hard_link() && pending.remove(&(e.dev, e.ino)) {
                    found.push((node, offset, e.disk()));
                }
            }
        }
        for (node, offset, disk) in found {
            if let Some(place) = self.dirs.get(node).map(|d| d.listing) {
                listing::mark_counted(self.dirs.listing_mut(place), offset);
            }
            let blocks = Sums {
                disk,
                ..Sums::default()
            };
            self.add_up_from(node, &blocks);
        }
    }

    /// `fresh`'s directories as `node`'s subtree: its root becomes `node`,
    /// the others get new nodes; listings are written again with them.
    fn import(&mut self, node: Node, fresh: &JobTree) {
        let offset = self.dirs.len() as Node;
        let map = |f: Node| if f == ROOT { node } else { offset + f };
        for f in 0..fresh.dirs.len() as Node {
            let Some(source) = fresh.dir(f) else {
                continue;
            };
            let base = fresh.base(f);
            let mut writer = Writer::new(base, Vec::new());
            let mut slots = Vec::new();
            for (_, entry) in fresh.entries(f) {
                let mut entry = entry;
                if entry.entered() {
                    entry.node = map(entry.node);
                }
                let at = writer.len();
                writer.push(&entry);
                if entry.entered() {
                    slots.push((entry.node, at as u32));
                }
            }
            let bytes = writer.into_scratch();
            let place: Place = self.dirs.keep_listing(&bytes);
            let dev = self.device_index(base.dev);
            let target = map(f);
            let record = self.dirs.get_or_create(target);
            let sums = source.sums();
            record.listing = place;
            record.set_sums(&sums);
            record.ino = base.ino;
            record.mtime = base.mtime;
            record.dev = dev;
            record.open = 0;
            record.state = if source.is_read() {
                State::Complete
            } else {
                State::Incomplete
            };
            if f != ROOT {
                record.parent = source.parent().map_or(node, map);
                record.slot = NO_SLOT;
            }
            for (child, slot) in slots {
                self.dirs.get_or_create(child).slot = slot;
            }
        }
    }
}

/// Counts one entry as the job's totals do.
fn count(entry: &Entry, totals: &mut Totals) {
    match entry.kind {
        EntryKind::File => {
            totals.files += 1;
            totals.bytes += entry.size;
        }
        EntryKind::Dir => {
            totals.dirs += 1;
            totals.skipped_dirs += u64::from(entry.other_fs);
        }
        EntryKind::Symlink => totals.symlinks += 1,
        EntryKind::Other => totals.other += 1,
        EntryKind::Unreadable | EntryKind::Excluded | EntryKind::Removed => return,
    }
    totals.disk_bytes += entry.counted_disk();
}
