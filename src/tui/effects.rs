//! What the runtime does for `update`: each `Action` performed, its answer
//! fed back as a `Msg`. It holds what outlives one action: the export
//! threads, the deletion under way, the history's thread.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Instant, SystemTime};

use crossbeam_channel::{Receiver, never};

use super::app::{Action, App, Ending, Msg, update};
use super::exporter::Exporter;
use super::paths;
use crate::delete::{DeleteEvent, Deletion};
use crate::history::{Open, Recorder, Recording, Reply, Request};
use crate::scan::{JobId, JobOptions};
use crate::session::Session;
use crate::tree::Node;

#[derive(Default)]
pub struct Effects {
    pub exporter: Exporter,
    deletion: Option<(Deletion, Receiver<DeleteEvent>)>,
    home: Option<PathBuf>,
    /// The history's thread, unless `--no-history`.
    history: Option<Recorder>,
    /// `Counting::key` of the scan's options.
    counting: String,
}

pub enum Performed {
    Done,
    Reply(Msg),
    Exit(Ending),
}

impl Effects {
    pub fn new() -> Effects {
        Effects {
            home: paths::home_dir(),
            ..Effects::default()
        }
    }

    /// Records ended jobs in `file` (and reads their baselines from it),
    /// on a thread of its own; `None` if that thread cannot start.
    pub fn with_history(mut self, file: PathBuf, keep: usize, counting: String) -> Effects {
        self.history = Recorder::start(Open::Create(file), keep).ok();
        self.counting = counting;
        self
    }

    /// The history's answers, or none.
    pub fn history_replies(&self) -> Receiver<Reply> {
        match &self.history {
            Some(recorder) => recorder.replies().clone(),
            None => never(),
        }
    }

    /// Waits for the recordings still under way; their failures, as
    /// messages.
    pub fn finish_history(&mut self) -> Vec<Msg> {
        match self.history.take() {
            Some(recorder) => recorder.finish().into_iter().filter_map(reply).collect(),
            None => Vec::new(),
        }
    }

    /// The deletion's events, or none.
    pub fn deletion_events(&self) -> Receiver<DeleteEvent> {
        match &self.deletion {
            Some((_, events)) => events.clone(),
            None => never(),
        }
    }

    /// What the running deletion removed so far, for the clock's tick.
    pub fn deletion_progress(&self) -> Option<Msg> {
        self.deletion
            .as_ref()
            .map(|(deletion, _)| Msg::DeletionProgress(deletion.removed()))
    }

    /// An event of the deletion; at its end the deletion's threads are
    /// joined.
    pub fn deletion_event(&mut self, event: DeleteEvent) -> Msg {
        if let DeleteEvent::Finished { .. } = event {
            self.deletion = None;
        }
        Msg::Deletion(event)
    }

    /// Stops a deletion still running and hands back all it said.
    pub fn finish_deletion(&mut self) -> Vec<Msg> {
        let Some((deletion, events)) = self.deletion.take() else {
            return Vec::new();
        };
        deletion.stop();
        let removed = deletion.removed();
        // Joins its threads: every event is sent by then.
        drop(deletion);
        let mut messages = vec![Msg::DeletionProgress(removed)];
        messages.extend(events.try_iter().map(Msg::Deletion));
        messages
    }

    /// Feeds messages to `update` and performs the actions that come back,
    /// with their answers; `Some` when the dashboard must end.
    pub fn apply(
        &mut self,
        app: &mut App,
        messages: Vec<Msg>,
        session: &Session,
    ) -> Option<Ending> {
        for msg in messages {
            let mut actions = update(app, msg);
            while !actions.is_empty() {
                let mut follow_ups = Vec::new();
                for action in actions {
                    match self.perform(action, session, app) {
                        Performed::Reply(msg) => follow_ups.push(msg),
                        Performed::Exit(ending) => return Some(ending),
                        Performed::Done => {}
                    }
                }
                actions = follow_ups
                    .into_iter()
                    .flat_map(|m| update(app, m))
                    .collect();
            }
        }
        None
    }

    pub fn perform(&mut self, action: Action, session: &Session, app: &App) -> Performed {
        let scanner = session.scanner();
        let home = self.home.as_deref();
        match action {
            Action::CheckRoot(input) => {
                let result = paths::resolve_root(&input, home);
                Performed::Reply(Msg::RootChecked { input, result })
            }
            Action::Complete(typed) => {
                let names = paths::candidates(&typed, home);
                Performed::Reply(Msg::Completions { typed, names })
            }
            Action::Submit { root, keep_tree } => submit(session, root, keep_tree),
            Action::CheckExport(input) => {
                let result = paths::resolve_export(&input, home);
                Performed::Reply(Msg::ExportChecked { input, result })
            }
            Action::WriteExport {
                job,
                node,
                path,
                overwrite,
            } => match self.start_export(app, job, node, path, overwrite) {
                Some(failed) => Performed::Reply(failed),
                None => Performed::Done,
            },
            Action::StartDeletion { targets, mode, .. } => {
                match Deletion::start(targets, mode) {
                    Ok(running) => {
                        self.deletion = Some(running);
                        Performed::Done
                    }
                    // No thread for it: nothing was touched.
                    Err(_) => {
                        Performed::Reply(Msg::Deletion(DeleteEvent::Finished { stopped: true }))
                    }
                }
            }
            Action::StopDeletion => {
                if let Some((deletion, _)) = &self.deletion {
                    deletion.stop();
                }
                Performed::Done
            }
            Action::Remeasure { job, node, path } => {
                match session.submit(
                    &path,
                    JobOptions {
                        keep_tree: true,
                        dirs_only: false,
                    },
                ) {
                    Ok(sub) => Performed::Reply(Msg::Remeasuring {
                        job,
                        node,
                        sub,
                        path,
                    }),
                    Err(_) => Performed::Done,
                }
            }
            Action::Cancel(job) => {
                scanner.cancel(job);
                Performed::Done
            }
            Action::Pause => {
                scanner.pause();
                Performed::Done
            }
            Action::Resume => {
                scanner.resume();
                Performed::Done
            }
            Action::SetThreads(n) => match scanner.set_threads(n) {
                Ok(n) => Performed::Reply(Msg::Threads(n)),
                Err(_) => Performed::Reply(Msg::Threads(scanner.threads())),
            },
            Action::LoadBaseline { job, root } => {
                if let Some(recorder) = &self.history {
                    recorder.send(Request::Baseline {
                        job,
                        root,
                        options: self.counting.clone(),
                    });
                }
                Performed::Done
            }
            Action::Record { job } => {
                self.record(app, job);
                Performed::Done
            }
            Action::Stop => {
                scanner.stop();
                Performed::Done
            }
            Action::Exit(ending) => Performed::Exit(ending),
        }
    }

    /// Sends ended `job` to the history's thread.
    pub fn record(&self, app: &App, job: JobId) {
        let (Some(recorder), Some(record)) = (&self.history, app.tally().job(job)) else {
            return;
        };
        if let Some(recording) =
            Recording::of(record, &self.counting, Instant::now(), SystemTime::now())
        {
            recorder.send(Request::Record(Box::new(recording)));
        }
    }

    /// Starts writing the tree of `job`; the answer if it cannot start.
    pub fn start_export(
        &mut self,
        app: &App,
        job: JobId,
        node: Node,
        path: PathBuf,
        overwrite: bool,
    ) -> Option<Msg> {
        match app.tally().job(job).and_then(|j| j.tree.clone()) {
            Some(tree) => {
                self.exporter.start(job, tree, node, path, overwrite);
                None
            }
            None => Some(Msg::Exported {
                job,
                path,
                result: Err("the scan kept no tree to export".to_owned()),
            }),
        }
    }
}

pub fn submit(session: &Session, root: PathBuf, keep_tree: bool) -> Performed {
    match session.submit(
        &root,
        JobOptions {
            keep_tree,
            dirs_only: false,
        },
    ) {
        Ok(id) => Performed::Reply(Msg::Submitted {
            id,
            root: Arc::from(root),
            keep_tree,
        }),
        Err(_) => Performed::Done,
    }
}

/// What the history's thread said, for `update`.
pub fn reply(reply: Reply) -> Option<Msg> {
    match reply {
        Reply::Baseline {
            job,
            baseline,
            inodes,
        } => Some(Msg::Expected {
            job,
            baseline,
            inodes,
        }),
        Reply::Recorded { .. } => None,
        Reply::Failed(e) => Some(Msg::HistoryFailed(e.to_string())),
    }
}
