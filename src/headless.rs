//! `--headless`: scan the roots given, print errors and a live progress line
//! on stderr, stream `--list` paths to stdout, then print the summary.

use std::io::{self, IsTerminal, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{never, select, tick};

use crate::report::{Tally, ncdu, text, units};
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
}

/// Runs the scan to its end (or a signal) and returns the exit code.
pub fn run(options: Options, config: Config) -> i32 {
    let threads = options.threads;
    let session = match Session::start(options, &[SIGINT, SIGTERM]) {
        Ok(session) => session,
        Err(e) => {
            crate::say!("dirdash: {e}");
            return 1;
        }
    };
    let mut tally = Tally::new(Instant::now());
    // Only the outputs that read a tree make the scan keep one.
    let keep_tree = config.export.is_some() || config.depth.is_some();
    for root in &config.roots {
        let root: Arc<Path> = Arc::from(scan::absolute(root));
        match session.submit(&root, JobOptions { keep_tree }) {
            Ok(id) => tally.submitted(id, root, keep_tree),
            Err(e) => {
                crate::say!("dirdash: {e}");
                return 1;
            }
        }
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
                if matches!(event, ScanEvent::Stopped) {
                    break;
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
            recv(ticks) -> _ => progress.draw(&tally),
        }
    }
    progress.clear();
    for event in session.end(ending) {
        tally.apply(&event);
    }
    if ending == Ending::Abandoned {
        tally.abandon(Instant::now());
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
        // With --list, stdout belongs to the paths.
        let to = if config.list.is_some() {
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
    Outcome {
        signal,
        scan_failed: tally.has_errors(),
        output_failed: export_failed,
    }
    .exit_code()
}

/// `--list` output: every path followed by the separator, flushed per batch
/// so that a reader sees paths as they are found.
struct ListWriter {
    out: io::BufWriter<io::Stdout>,
    separator: u8,
}

impl ListWriter {
    fn new(separator: u8) -> ListWriter {
        ListWriter {
            out: io::BufWriter::with_capacity(64 * 1024, io::stdout()),
            separator,
        }
    }

    fn write(&mut self, paths: &[PathBuf]) -> io::Result<()> {
        for path in paths {
            self.out.write_all(path.as_os_str().as_bytes())?;
            self.out.write_all(&[self.separator])?;
        }
        self.out.flush()
    }
}

/// One line on stderr, rewritten in place while the scan runs.
struct ProgressLine {
    enabled: bool,
    drawn: bool,
    dir: Option<Arc<Path>>,
    last: Option<(Instant, u64)>,
    rate: u64,
}

impl ProgressLine {
    fn new(enabled: bool) -> ProgressLine {
        ProgressLine {
            enabled,
            drawn: false,
            dir: None,
            last: None,
            rate: 0,
        }
    }

    fn draw(&mut self, tally: &Tally) {
        let now = Instant::now();
        let totals = tally.totals();
        let entries = totals.entries();
        if let Some((at, before)) = self.last {
            self.rate = units::per_second(entries.saturating_sub(before), now - at);
        }
        self.last = Some((now, entries));
        let mut line = format!(
            "{} files  {} dirs  {}  {} errors  {}/s  ",
            units::count(totals.files),
            units::count(totals.dirs),
            units::size(totals.bytes),
            units::count(totals.errors),
            units::short_count(self.rate),
        );
        if let Some(dir) = &self.dir {
            line.push_str(&text::path(dir));
        }
        let width = terminal_width().saturating_sub(1);
        let line: String = line.chars().take(width).collect();
        crate::say_part!("\r\x1b[2K{line}");
        self.drawn = true;
    }

    fn clear(&mut self) {
        if self.drawn {
            crate::say_part!("\r\x1b[2K");
            self.drawn = false;
        }
    }
}

fn terminal_width() -> usize {
    rustix::termios::tcgetwinsize(io::stderr())
        .map(|size| usize::from(size.ws_col))
        .ok()
        .filter(|&cols| cols > 0)
        .unwrap_or(80)
}
