//! The entries marked for deletion, per job, across directories, with what
//! they hold as the scan counted it. A marked entry below another marked
//! directory goes with it: it is neither counted nor deleted twice.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::delete::{self, NotDeletable, Target};
use crate::scan::JobId;
use crate::scan::listing::EntryKind;
use crate::tree::{JobTree, Node};

#[derive(Clone, Debug)]
pub struct Mark {
    pub path: PathBuf,
    pub kind: EntryKind,
    /// What it holds (itself included), as the scan counted it.
    pub files: u64,
    pub dirs: u64,
    pub entries: u64,
    pub disk: u64,
}

/// What the marks of a job hold, nested ones counted once.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Marked {
    pub count: usize,
    pub files: u64,
    pub dirs: u64,
    pub entries: u64,
    pub disk: u64,
}

#[derive(Debug, Default)]
pub struct Marks {
    by_job: BTreeMap<JobId, BTreeMap<(Node, u32), Mark>>,
}

impl Marks {
    pub fn is_marked(&self, job: JobId, node: Node, offset: u32) -> bool {
        self.by_job
            .get(&job)
            .is_some_and(|m| m.contains_key(&(node, offset)))
    }

    /// The marks of `job` that count: those not below another.
    pub fn of(&self, job: JobId) -> Vec<(&(Node, u32), &Mark)> {
        let Some(marks) = self.by_job.get(&job) else {
            return Vec::new();
        };
        let mut outer: Vec<(&(Node, u32), &Mark)> = Vec::new();
        let mut sorted: Vec<(&(Node, u32), &Mark)> = marks.iter().collect();
        // Parents sort before what they hold.
        sorted.sort_by(|a, b| a.1.path.cmp(&b.1.path));
        for (place, mark) in sorted {
            let nested = outer
                .last()
                .is_some_and(|(_, o)| o.kind == EntryKind::Dir && mark.path.starts_with(&o.path));
            if !nested {
                outer.push((place, mark));
            }
        }
        outer
    }

    pub fn totals(&self, job: JobId) -> Marked {
        let mut totals = Marked::default();
        for (_, mark) in self.of(job) {
            totals.count += 1;
            totals.files += mark.files;
            totals.dirs += mark.dirs;
            totals.entries += mark.entries;
            totals.disk += mark.disk;
        }
        totals
    }

    /// Marks or unmarks the entry at `offset` of `node`; true when marked.
    pub(super) fn toggle(
        &mut self,
        job: JobId,
        tree: &JobTree,
        node: Node,
        offset: u32,
    ) -> Result<bool, NotDeletable> {
        let marks = self.by_job.entry(job).or_default();
        if marks.remove(&(node, offset)).is_some() {
            return Ok(false);
        }
        let target = delete::target(tree, node, offset)?;
        let entry = tree.entry(node, offset).ok_or(NotDeletable::Gone)?;
        let (files, dirs) = match tree.dir(entry.node).filter(|_| entry.entered()) {
            Some(dir) => (dir.sums().files, dir.sums().dirs + 1),
            None => (
                u64::from(entry.kind == EntryKind::File),
                u64::from(entry.kind == EntryKind::Dir),
            ),
        };
        marks.insert(
            (node, offset),
            Mark {
                path: target.path,
                kind: entry.kind,
                files,
                dirs,
                entries: target.entries,
                disk: target.disk,
            },
        );
        Ok(true)
    }

    /// The targets to delete for `job`'s marks, outermost first.
    pub(super) fn targets(&self, job: JobId, tree: &JobTree) -> Vec<Target> {
        self.of(job)
            .into_iter()
            .filter_map(|((node, offset), _)| delete::target(tree, *node, *offset).ok())
            .collect()
    }

    /// An entry is gone: it is not marked any more.
    pub(super) fn forget(&mut self, job: JobId, node: Node, offset: u32) {
        if let Some(marks) = self.by_job.get_mut(&job) {
            marks.remove(&(node, offset));
        }
    }

    /// Marks that no longer name an entry of the tree (gone with a deleted
    /// directory) are dropped.
    pub(super) fn prune(&mut self, job: JobId, tree: &JobTree) {
        if let Some(marks) = self.by_job.get_mut(&job) {
            marks.retain(|(node, offset), _| {
                tree.entry(*node, *offset)
                    .is_some_and(|e| e.kind != EntryKind::Removed)
            });
        }
    }
}
