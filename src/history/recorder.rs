//! The history's own thread: it opens the file, answers requests for
//! baselines and records ended jobs, so neither front end waits on SQLite
//! (the dashboard's loop least of all). Replies come back on a channel.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;

use crossbeam_channel::{Receiver, Sender, unbounded};

use super::{Baseline, History, HistoryError, Recording, ScanId, used_inodes};
use crate::scan::JobId;

pub enum Request {
    /// The newest complete scan of `root` with these options, with its
    /// directories.
    Baseline {
        job: JobId,
        root: Arc<Path>,
        options: String,
    },
    Record(Box<Recording>),
}

pub enum Reply {
    /// What `job` is measured against: its last complete scan, or (none
    /// being there) the used inodes of the filesystem mounted at its root.
    Baseline {
        job: JobId,
        baseline: Option<Arc<Baseline>>,
        inodes: Option<u64>,
    },
    Recorded {
        root: Arc<Path>,
        id: ScanId,
    },
    /// The file could not be opened, read or written: said once per
    /// failure, the scan goes on without it.
    Failed(HistoryError),
}

pub struct Recorder {
    requests: Option<Sender<Request>>,
    replies: Receiver<Reply>,
    thread: Option<JoinHandle<()>>,
}

/// How the file is opened.
pub enum Open {
    /// Opened already (headless opens it before the scan to read).
    Ready(History),
    /// Opened (created if needed) by the thread.
    Create(PathBuf),
}

impl Recorder {
    pub fn start(open: Open, keep: usize) -> std::io::Result<Recorder> {
        let (requests, inbox) = unbounded();
        let (outbox, replies) = unbounded();
        let thread = std::thread::Builder::new()
            .name("dirdash-history".into())
            .spawn(move || serve(open, keep, &inbox, &outbox))?;
        Ok(Recorder {
            requests: Some(requests),
            replies,
            thread: Some(thread),
        })
    }

    pub fn send(&self, request: Request) {
        if let Some(requests) = &self.requests {
            let _ = requests.send(request);
        }
    }

    pub fn replies(&self) -> &Receiver<Reply> {
        &self.replies
    }

    /// Waits for every request sent to be served; returns the replies not
    /// read yet.
    pub fn finish(mut self) -> Vec<Reply> {
        self.close();
        self.replies.try_iter().collect()
    }

    fn close(&mut self) {
        self.requests = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.close();
    }
}

fn serve(open: Open, keep: usize, inbox: &Receiver<Request>, outbox: &Sender<Reply>) {
    let history = match open {
        Open::Ready(history) => Ok(history),
        Open::Create(path) => History::open(&path),
    };
    let mut history = match history {
        Ok(history) => history,
        Err(e) => {
            let _ = outbox.send(Reply::Failed(e));
            // Nothing more can be done; answer baselines with none.
            for request in inbox {
                if let Request::Baseline { job, root, .. } = request {
                    let _ = outbox.send(Reply::Baseline {
                        job,
                        baseline: None,
                        inodes: used_inodes(&root),
                    });
                }
            }
            return;
        }
    };
    for request in inbox {
        let reply = match request {
            Request::Baseline { job, root, options } => match history.baseline(&root, &options) {
                Ok(Some(baseline)) => Reply::Baseline {
                    job,
                    baseline: Some(Arc::new(baseline)),
                    inodes: None,
                },
                Ok(None) => Reply::Baseline {
                    job,
                    baseline: None,
                    inodes: used_inodes(&root),
                },
                Err(e) => {
                    let _ = outbox.send(Reply::Baseline {
                        job,
                        baseline: None,
                        inodes: used_inodes(&root),
                    });
                    Reply::Failed(e)
                }
            },
            Request::Record(recording) => match history.record(&recording, keep) {
                Ok(id) => Reply::Recorded {
                    root: Arc::clone(&recording.root),
                    id,
                },
                Err(e) => Reply::Failed(e),
            },
        };
        let _ = outbox.send(reply);
    }
}
