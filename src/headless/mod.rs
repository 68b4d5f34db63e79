//! `--headless`: scan the roots given, print errors and a live progress line
//! on stderr, stream `--list` paths to stdout, then print the summary.

mod history;
mod list;
mod progress_line;

use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{never, select, tick};

use history::Chronicle;
pub use history::HistoryConfig;
use list::ListWriter;
use progress_line::ProgressLine;

use crate::report::{Tally, ncdu, text};
use crate::scan::{self, JobOptions, Options, ScanEvent};
use crate::session::{self, Destination, Ending, Format, Outcome, Session, Summary};
use crate::signals::{SIGINT, SIGTERM};
use crate::tree::ROOT;

/// How often the progress line is redrawn.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

pub struct Config {
    pub roots: Vec<PathBuf>,
    pub json: bool,
    /// `--list`: the separator written after each path.
    pub list: Option<u8>,
    /// `--export FILE`: the tree of the (one) root, in ncdu's format.
    pub export: Option<PathBuf>,
    pub force: bool,
    /// `--depth N`: each root's directories down to depth N in the summary.
    pub depth: Option<usize>,
    /// `-f FILE`: a tree read from an export, as a job.
    pub import: Option<PathBuf>,
    /// `None` with `--no-history`.
    pub history: Option<HistoryConfig>,
}

/// Runs the scan to its end (or a signal) and returns the exit code.
pub fn run(options: Options, config: Config) -> i32 {
    let threads = options.threads;
    let counting = crate::history::Counting::of(&options).key();
    let session = match Session::start(options, &[SIGINT, SIGTERM]) {
        Ok(session) => session,
        Err(e) => {
            crate::say!("dirdash: {e}");
            return 1;
        }
    };
    let mut tally = Tally::new(Instant::now());
    let recording = config.history.as_ref().is_some_and(|h| h.record);
    // Only the outputs that read a tree make the scan keep one.
    let keep_tree = config.export.is_some() || config.depth.is_some() || recording;
    // Sizes per directory are all `--depth` and the history read; only an
    // export needs every entry.
    let dirs_only = config.export.is_none();
    let mut chronicle = Chronicle::open(config.history.as_ref(), counting);
    if let Some(file) = &config.import {
        match import_file(file) {
            Ok(imported) => {
                let id = session.scanner().reserve_job();
                tally.imported(id, imported, Instant::now());
            }
            Err(e) => {
                crate::say!("dirdash: {e}");
                return 2;
            }
        }
    }
    for root in &config.roots {
        let root: Arc<Path> = Arc::from(scan::absolute(root));
        match session.submit(
            &root,
            JobOptions {
                keep_tree,
                dirs_only,
            },
        ) {
            Ok(id) => {
                tally.submitted(id, Arc::clone(&root), keep_tree);
                chronicle.expect(&mut tally, id, &root);
            }
            Err(e) => {
                crate::say!("dirdash: {e}");
                return 1;
            }
        }
    }

    if let Some(history) = &config.history {
        chronicle.start_recording(history.keep);
    }

    let mut progress = ProgressLine::new(io::stderr().is_terminal());
    let ticks = if progress.enabled {
        tick(PROGRESS_EVERY)
    } else {
        never()
    };
    let mut list = config.list.map(ListWriter::new);
    let mut signal: Option<i32> = None;
    let mut ending = Ending::Joined;

    loop {
        if signal.is_none() && tally.all_finished() {
            break;
        }
        select! {
            recv(session.events()) -> event => {
                let Ok(event) = event else { break };
                match &event {
                    ScanEvent::Error(error) => {
                        progress.clear();
                        crate::say!("dirdash: {}: {}", text::path(&error.path), error.cause);
                    }
                    ScanEvent::Files(batch) => {
                        if let Some(writer) = &mut list
                            && writer.write(&batch.paths).is_err()
                        {
                            // The reader went away (`| head`): nobody wants more.
                            list = None;
                            session.scanner().stop();
                        }
                    }
                    ScanEvent::Progress(p) => progress.dir = Some(Arc::clone(&p.dir)),
                    _ => {}
                }
                tally.apply(&event);
                match event {
                    ScanEvent::JobFinished(_) => chronicle.record_ended(&tally),
                    ScanEvent::Stopped => break,
                    _ => {}
                }
            }
            recv(session.signals()) -> received => {
                if signal.is_some() {
                    // Asked twice: do not wait for workers stuck in the kernel.
                    ending = Ending::Abandoned;
                    break;
                }
                signal = received.ok().or(Some(SIGINT));
                session.scanner().stop();
            }
            recv(ticks) -> _ => {
                tally.sample_pace(Instant::now());
                progress.draw(&tally);
            }
        }
    }
    progress.clear();
    for event in session.end(ending) {
        tally.apply(&event);
    }
    if ending == Ending::Abandoned {
        tally.abandon(Instant::now());
    } else {
        chronicle.record_ended(&tally);
    }

    let mut export_failed = false;
    if let Some(file) = &config.export
        && ending == Ending::Joined
        && let Some(tree) = tally.jobs.first().and_then(|job| job.tree.as_ref())
        && let Err(e) = ncdu::write(tree, ROOT, file, config.force)
    {
        crate::say!("dirdash: cannot write the export {}: {e}", file.display());
        export_failed = true;
    }

    let broken_pipe = config.list.is_some() && list.is_none();
    if !broken_pipe {
        let format = if config.json {
            Format::Json
        } else {
            Format::Table
        };
        // With --list (or --export -), stdout belongs to them.
        let exporting_to_stdout = config.export.as_deref().is_some_and(ncdu::is_stdout);
        let to = if config.list.is_some() || exporting_to_stdout {
            Destination::Stderr
        } else {
            Destination::Stdout
        };
        let summary = Summary {
            format,
            depth: config.depth,
        };
        session::print_summary(&tally, threads, summary, to);
    }
    chronicle.finish();
    Outcome {
        signal,
        scan_failed: tally.has_errors(),
        output_failed: export_failed,
    }
    .exit_code()
}

/// Reads an export, with a progress line on a terminal.
pub fn import_file(file: &Path) -> Result<crate::import::Imported, crate::import::ImportError> {
    let shown = io::stderr().is_terminal();
    let result = crate::import::import(file, |entries| {
        if shown {
            crate::say_part!("\r\x1b[2Kreading {}: {} entries", file.display(), entries);
        }
    });
    if shown {
        crate::say_part!("\r\x1b[2K");
    }
    result
}
