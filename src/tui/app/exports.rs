//! The exports asked for in the dashboard, each job's in one record: where
//! it goes, whether it may replace a file, and where it stands (waiting for
//! its scan, being written, written, failed). A job that kept no tree is
//! scanned again, keeping it, and the export follows that job.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::Action;
use super::prompt::{Prompt, Purpose};
use crate::report::ncdu::TargetError;
use crate::report::{JobRecord, text};
use crate::scan::{JobEnd, JobId};
use crate::tree::{Node, ROOT};

/// Where an export of a job stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Export {
    /// The directory exported: the root, or the one browsed.
    pub node: Node,
    pub path: PathBuf,
    pub overwrite: bool,
    pub state: ExportState,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExportState {
    /// The job is still scanning (keeping its tree).
    Waiting,
    Writing,
    Written,
    Failed(String),
}

#[derive(Debug, Default)]
pub struct Exports {
    by_job: BTreeMap<JobId, Export>,
    /// The export of the next job submitted: `--export FILE` given without
    /// a DIR, or the rescan of a job that kept no tree.
    next: Option<(PathBuf, bool)>,
    /// `--force`: exports replace files without asking.
    force: bool,
}

impl Exports {
    /// `first`: `--export FILE`, for the first directory scanned.
    pub fn new(force: bool, first: Option<PathBuf>) -> Exports {
        Exports {
            next: first.map(|path| (path, force)),
            force,
            ..Exports::default()
        }
    }

    pub fn get(&self, job: JobId) -> Option<&Export> {
        self.by_job.get(&job)
    }

    /// The exports that could not be written.
    pub fn failures(&self) -> impl Iterator<Item = (JobId, &Export, &str)> {
        self.by_job
            .iter()
            .filter_map(|(job, export)| match &export.state {
                ExportState::Failed(why) => Some((*job, export, why.as_str())),
                _ => None,
            })
    }

    /// Whether the next job submitted must keep its tree.
    pub fn next_keeps_tree(&self) -> bool {
        self.next.is_some()
    }

    pub(super) fn submitted(&mut self, id: JobId, keep_tree: bool) {
        if !keep_tree {
            return;
        }
        if let Some((path, overwrite)) = self.next.take() {
            self.by_job.insert(
                id,
                Export {
                    node: ROOT,
                    path,
                    overwrite,
                    state: ExportState::Waiting,
                },
            );
        }
    }

    /// The prompt for an export of `job`'s directory `node`, with a file
    /// name to edit.
    pub(super) fn ask(&self, job: &JobRecord, node: Node) -> Prompt {
        let path = match &job.tree {
            Some(tree) if node != ROOT => tree.path_of(node),
            _ => None,
        }
        .unwrap_or_else(|| job.root.to_path_buf());
        let name = path
            .file_name()
            .map_or_else(|| "root".to_owned(), |n| n.to_string_lossy().into_owned());
        Prompt::new(
            Purpose::Export {
                job: job.id,
                node,
                replace: None,
            },
            format!("{name}.ncdu.json"),
        )
    }

    /// The runtime's answer about the file typed: the path to write and
    /// whether it may replace a file there, or a refusal shown in the prompt.
    pub(super) fn checked(
        &self,
        prompt: &mut Prompt,
        result: Result<PathBuf, TargetError>,
    ) -> Option<(PathBuf, bool)> {
        let force = self.force;
        let Purpose::Export { replace, .. } = prompt.purpose_mut() else {
            return None;
        };
        match result {
            Ok(path) => Some((path, force)),
            Err(TargetError::Exists(path)) if force || replace.as_ref() == Some(&path) => {
                Some((path, true))
            }
            Err(TargetError::Exists(path)) => {
                let message = format!("{} exists: Enter again to replace it", text::path(&path));
                *replace = Some(path);
                prompt.refuse(message);
                None
            }
            Err(other) => {
                prompt.refuse(other.to_string());
                None
            }
        }
    }

    /// Starts the export of `job`'s directory `node` to `path`: once the
    /// job ended, or when it ends; a job that kept no tree is scanned again,
    /// keeping it.
    pub(super) fn start(
        &mut self,
        job: &JobRecord,
        node: Node,
        path: PathBuf,
        overwrite: bool,
    ) -> Vec<Action> {
        let waiting = Export {
            node,
            path: path.clone(),
            overwrite,
            state: ExportState::Waiting,
        };
        if job.tree.is_some() {
            // A tree is written once its job ended: its directories are all
            // read (or known unread) by then.
            if !job.state.is_finished() {
                self.by_job.insert(job.id, waiting);
                return Vec::new();
            }
            self.by_job.insert(
                job.id,
                Export {
                    state: ExportState::Writing,
                    ..waiting
                },
            );
            return vec![Action::WriteExport {
                job: job.id,
                node,
                path,
                overwrite,
            }];
        }
        // The tree was not kept: scan the root again, keeping it this time.
        self.next = Some((path, overwrite));
        vec![Action::Submit {
            root: job.root.to_path_buf(),
            keep_tree: true,
        }]
    }

    /// A job ended: its export, if one waits for it, can be written.
    pub(super) fn job_finished(&mut self, end: &JobEnd) -> Vec<Action> {
        match self.by_job.get_mut(&end.job) {
            Some(export) if export.state == ExportState::Waiting => {
                export.state = ExportState::Writing;
                vec![Action::WriteExport {
                    job: end.job,
                    node: export.node,
                    path: export.path.clone(),
                    overwrite: export.overwrite,
                }]
            }
            _ => Vec::new(),
        }
    }

    /// An export was written or failed; returns the notice to show.
    pub(super) fn exported(
        &mut self,
        job: Option<&JobRecord>,
        id: JobId,
        path: &std::path::Path,
        result: Result<(), String>,
    ) -> String {
        let root = job
            .map(|j| text::path(&j.root).into_owned())
            .unwrap_or_default();
        let (state, notice) = match result {
            Ok(()) => (
                ExportState::Written,
                format!("exported {root} to {}", text::path(path)),
            ),
            Err(e) => {
                let notice = format!("export of {root} to {} failed: {e}", text::path(path));
                (ExportState::Failed(e), notice)
            }
        };
        if let Some(export) = self.by_job.get_mut(&id) {
            export.state = state;
        }
        notice
    }
}
