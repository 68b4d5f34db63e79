//! Exports written on their own threads, so that a large tree does not
//! freeze the dashboard; each answers `Msg::Exported`, and all are joined
//! before the dashboard exits.

use std::path::PathBuf;
use std::sync::Arc;
use std::thread::JoinHandle;

use crossbeam_channel::{Receiver, Sender, unbounded};

use super::app::Msg;
use crate::report::ncdu;
use crate::scan::JobId;
use crate::tree::{JobTree, Node};

pub struct Exporter {
    sender: Sender<Msg>,
    pub results: Receiver<Msg>,
    running: Vec<JoinHandle<()>>,
}

impl Default for Exporter {
    fn default() -> Exporter {
        let (sender, results) = unbounded();
        Exporter {
            sender,
            results,
            running: Vec::new(),
        }
    }
}

impl Exporter {
    pub fn start(
        &mut self,
        job: JobId,
        tree: Arc<JobTree>,
        node: Node,
        path: PathBuf,
        overwrite: bool,
    ) {
        let sender = self.sender.clone();
        let spawned = std::thread::Builder::new()
            .name("dirdash-export".into())
            .spawn({
                let path = path.clone();
                move || {
                    let result =
                        ncdu::write(&tree, node, &path, overwrite).map_err(|e| e.to_string());
                    let _ = sender.send(Msg::Exported { job, path, result });
                }
            });
        match spawned {
            Ok(handle) => self.running.push(handle),
            Err(e) => {
                let _ = self.sender.send(Msg::Exported {
                    job,
                    path,
                    result: Err(e.to_string()),
                });
            }
        }
    }

    /// Waits for every export; returns the answers not yet received.
    pub fn finish(self) -> Vec<Msg> {
        for handle in self.running {
            let _ = handle.join();
        }
        self.results.try_iter().collect()
    }
}
