//! What changed between two complete scans of a root: each directory's
//! disk usage before and after, matched by path (new and vanished ones
//! included), largest change first.

use std::fmt;
use std::path::{Path, PathBuf};

use super::baseline::BASE_ROOT;
use super::{BaselineDirs, History, HistoryError, ScanId, ScanRow};

#[derive(Debug)]
pub struct Diff {
    pub from: ScanRow,
    pub to: ScanRow,
    /// Every directory whose disk usage differs, largest change first.
    pub changes: Vec<Change>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub path: PathBuf,
    /// Disk bytes; `None` where the directory did not exist.
    pub before: Option<u64>,
    pub after: Option<u64>,
}

impl Change {
    pub fn delta(&self) -> i128 {
        i128::from(self.after.unwrap_or(0)) - i128::from(self.before.unwrap_or(0))
    }
}

#[derive(Debug)]
pub enum DiffError {
    History(HistoryError),
    /// Fewer than two complete scans of the root (with the same options).
    NotEnough {
        root: PathBuf,
        complete: usize,
    },
    UnknownId(ScanId),
    OtherRoot {
        id: ScanId,
        root: PathBuf,
    },
    /// A scan that was stopped or cancelled: its sizes are not all there.
    Partial(ScanId),
}

impl From<HistoryError> for DiffError {
    fn from(e: HistoryError) -> DiffError {
        DiffError::History(e)
    }
}

impl fmt::Display for DiffError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DiffError::History(e) => e.fmt(f),
            DiffError::NotEnough { root, complete } => write!(
                f,
                "{}: {} complete scan{} recorded with the same options; a diff needs two",
                root.display(),
                complete,
                if *complete == 1 { "" } else { "s" }
            ),
            DiffError::UnknownId(id) => write!(f, "no scan {id} in the history"),
            DiffError::OtherRoot { id, root } => {
                write!(
                    f,
                    "scan {id} is of {}, not of this directory",
                    root.display()
                )
            }
            DiffError::Partial(id) => {
                write!(
                    f,
                    "scan {id} did not finish (stopped or cancelled): it cannot be compared"
                )
            }
        }
    }
}

impl History {
    /// Compares two complete scans of `root`: by default its newest and
    /// the newest before it with the same options.
    pub fn diff(
        &self,
        root: &Path,
        from: Option<ScanId>,
        to: Option<ScanId>,
    ) -> Result<Diff, DiffError> {
        let complete: Vec<ScanRow> = self
            .scans(Some(root))?
            .into_iter()
            .filter(|scan| scan.complete)
            .collect();
        let to = match to {
            Some(id) => self.checked(root, id)?,
            None => match complete.first() {
                Some(scan) => scan.clone(),
                None => return Err(not_enough(root, &complete, None)),
            },
        };
        let from = match from {
            Some(id) => self.checked(root, id)?,
            None => complete
                .iter()
                .find(|scan| scan.id < to.id && scan.options == to.options)
                .cloned()
                .ok_or_else(|| not_enough(root, &complete, Some(&to)))?,
        };
        let changes = changes(&self.dirs(from.id)?, &self.dirs(to.id)?);
        Ok(Diff { from, to, changes })
    }

    fn checked(&self, root: &Path, id: ScanId) -> Result<ScanRow, DiffError> {
        let scan = self.scan(id)?.ok_or(DiffError::UnknownId(id))?;
        if scan.root != root {
            return Err(DiffError::OtherRoot {
                id,
                root: scan.root,
            });
        }
        if !scan.complete {
            return Err(DiffError::Partial(id));
        }
        Ok(scan)
    }
}

fn not_enough(root: &Path, complete: &[ScanRow], to: Option<&ScanRow>) -> DiffError {
    let same = match to {
        Some(to) => complete.iter().filter(|s| s.options == to.options).count(),
        None => complete.len(),
    };
    DiffError::NotEnough {
        root: root.to_path_buf(),
        complete: same,
    }
}

/// Matches `after`'s directories to `before`'s by parent and name, from
/// the root down (a parent's id is below its children's).
fn changes(before: &BaselineDirs, after: &BaselineDirs) -> Vec<Change> {
    let mut matched: Vec<Option<u32>> = vec![None; after.top_id() as usize + 1];
    let mut seen = vec![false; before.top_id() as usize + 1];
    let mut changes = Vec::new();
    for id in after.ids_in_order() {
        let counterpart = if id == BASE_ROOT {
            before.size(BASE_ROOT).map(|_| BASE_ROOT)
        } else {
            after
                .parent(id)
                .and_then(|parent| matched.get(parent as usize).copied().flatten())
                .and_then(|parent| before.child(parent, after.name(id).unwrap_or_default()))
        };
        matched[id as usize] = counterpart;
        if let Some(old) = counterpart {
            seen[old as usize] = true;
        }
        let was = counterpart.and_then(|old| before.size(old)).map(|s| s.disk);
        let now = after.size(id).map(|s| s.disk);
        if was != now {
            changes.push(Change {
                path: after.path(id),
                before: was,
                after: now,
            });
        }
    }
    for id in before.ids_in_order() {
        if !seen[id as usize] {
            changes.push(Change {
                path: before.path(id),
                before: before.size(id).map(|s| s.disk),
                after: None,
            });
        }
    }
    changes.sort_by(|a, b| {
        b.delta()
            .abs()
            .cmp(&a.delta().abs())
            .then_with(|| a.path.cmp(&b.path))
    });
    changes
}
