//! The one loop that owns the terminal: it selects over key input, scan
//! events, signals and the clock, feeds them to `update`, performs the
//! actions that come back, and redraws at most ~30 times a second, only when
//! something changed. When the dashboard ends, it joins every thread,
//! restores the terminal and prints the summary on stdout.

use std::io::{self, BufWriter, Stderr};
use std::mem::ManuallyDrop;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crossbeam_channel::select;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::Event;

use super::app::{Action, App, Ending, Exports, Msg, update};
use super::effects::{self, Effects, Performed};
use super::input::InputThread;
use super::terminal::{self, TerminalGuard};
use super::theme::Theme;
use crate::scan::{self, Options};
use crate::session::{self, Destination, Format, Outcome, Session, Summary};
use crate::signals::{SIGHUP, SIGINT, SIGTERM, SIGWINCH};

/// At most this often a frame is drawn (~30 per second).
const FRAME: Duration = Duration::from_millis(33);
/// The clock while nothing runs: idle costs nothing.
const IDLE_TICK: Duration = Duration::from_secs(1);

type Tui = Terminal<CrosstermBackend<BufWriter<Stderr>>>;

pub struct Config {
    pub roots: Vec<PathBuf>,
    pub json: bool,
    /// `--export FILE`: for the root given, or the first one added.
    pub export: Option<PathBuf>,
    pub force: bool,
    /// Jobs keep their tree (`--no-tree` says no).
    pub keep_trees: bool,
    /// `--read-only`: nothing is deleted.
    pub read_only: bool,
    /// Colours (the config file's `color = false`, like `NO_COLOR`, says no).
    pub color: bool,
    /// `-f FILE`: a tree read from an export, as the first job.
    pub import: Option<PathBuf>,
    /// The history file and how many scans it keeps; `None` with
    /// `--no-history`.
    pub history: Option<(PathBuf, usize)>,
    /// Fault injection: pressing this key panics the UI thread.
    #[cfg(feature = "fault-injection")]
    pub panic_on_key: Option<char>,
}

/// Runs the dashboard to its end and returns the exit code.
pub fn run(options: Options, config: Config) -> i32 {
    let threads = options.threads;
    let counting = crate::history::Counting::of(&options).key();
    let session = match Session::start(options, &[SIGINT, SIGTERM, SIGHUP, SIGWINCH]) {
        Ok(session) => session,
        Err(e) => {
            crate::say!("dirdash: {e}");
            return 1;
        }
    };
    // After the engine's hook, which it wraps: workers' panics stay quiet.
    terminal::install_panic_hook();
    let exports = Exports::new(config.force, config.export.as_deref().map(scan::absolute));
    let mut app =
        App::new(threads, Instant::now(), Theme::from_env(config.color)).with_exports(exports);
    if !config.keep_trees {
        app = app.without_trees();
    }
    if config.read_only {
        app = app.read_only();
    }
    let mut effects = Effects::new();
    if let Some((file, keep)) = &config.history {
        app = app.with_history();
        effects = effects.with_history(file.clone(), *keep, counting);
    }
    // Read before the screen is taken: a bad file is refused like bad input.
    if let Some(file) = &config.import {
        match crate::headless::import_file(file) {
            Ok(imported) => {
                let id = session.scanner().reserve_job();
                app.imported(id, imported);
            }
            Err(e) => {
                crate::say!("dirdash: {e}");
                return 2;
            }
        }
    }
    for root in &config.roots {
        let keep_tree = app.next_keeps_tree();
        if let Performed::Reply(msg) = effects::submit(&session, scan::absolute(root), keep_tree) {
            effects.apply(&mut app, vec![msg], &session);
        }
    }
    if app.tally().jobs.is_empty() {
        app.open_prompt();
    }

    let ending = match TerminalGuard::enter() {
        Ok(guard) => {
            let ending = drive(&mut app, &session, &mut effects, &config);
            drop(guard);
            ending
        }
        Err(e) => Err(e),
    };
    let ending = ending.unwrap_or_else(|e| {
        // Most likely the terminal went away: end as a hangup would.
        crate::say!("dirdash: terminal error: {e}");
        update(&mut app, Msg::Signal(SIGHUP));
        session.scanner().stop();
        Ending::Joined
    });
    // A deletion still running stops between two entries; what it did is
    // in the summary.
    for msg in effects.finish_deletion() {
        update(&mut app, msg);
    }
    // Whatever the workers said before they left belongs in the summary,
    // and a stopped job's export is written with what was scanned.
    for event in session.end(ending) {
        for action in update(&mut app, Msg::Scan(event)) {
            if ending == Ending::Joined
                && let Action::WriteExport {
                    job,
                    node,
                    path,
                    overwrite,
                } = action
                && let Some(failed) = effects.start_export(&app, job, node, path, overwrite)
            {
                update(&mut app, failed);
            }
        }
    }
    if ending == Ending::Abandoned {
        app.abandon(Instant::now());
    }
    // Every job that ended is recorded, those the stop ended too.
    for action in app.record_ended() {
        if let Action::Record { job } = action {
            effects.record(&app, job);
        }
    }
    for answer in std::mem::take(&mut effects.exporter).finish() {
        update(&mut app, answer);
    }
    for answer in effects.finish_history() {
        update(&mut app, answer);
    }
    for failure in app.past().failures() {
        crate::say!("dirdash: history: {failure}; scans are not recorded");
    }
    let mut export_failed = false;
    for (job, export, why) in app.exports().failures() {
        let root = app.tally().job(job).map(|j| j.root.display().to_string());
        crate::say!(
            "dirdash: cannot export {} to {}: {why}",
            root.unwrap_or_default(),
            export.path.display()
        );
        export_failed = true;
    }
    for problem in app.deletions().problems() {
        crate::say!("dirdash: not deleted: {problem}");
    }
    let format = if config.json {
        Format::Json
    } else {
        Format::Table
    };
    let summary = Summary {
        format,
        depth: None,
    };
    session::print_summary(app.tally(), app.threads(), summary, Destination::Stdout);
    Outcome {
        signal: app.stop_signal(),
        scan_failed: app.tally().has_errors(),
        output_failed: export_failed,
    }
    .exit_code()
}

/// The loop; returns how it ended.
fn drive(
    app: &mut App,
    session: &Session,
    effects: &mut Effects,
    #[cfg_attr(not(feature = "fault-injection"), allow(unused_variables))] config: &Config,
) -> io::Result<Ending> {
    // `Terminal::clear` would ask the terminal for the cursor position, on
    // stdout; the guard cleared the screen already. The guard also restores
    // the cursor, so ratatui's Drop, which panics (through eprintln) when the
    // terminal is gone, is not run.
    let mut terminal: ManuallyDrop<Tui> = ManuallyDrop::new(Terminal::new(CrosstermBackend::new(
        BufWriter::new(io::stderr()),
    ))?);
    let input = InputThread::spawn()?;
    let events = session.events();
    let mut last_draw: Option<Instant> = None;
    let mut next_tick = Instant::now();
    let no_events = crossbeam_channel::never();
    loop {
        let now = Instant::now();
        // While a scan runs, its events are taken once a frame, in one
        // batch: the dashboard wakes 30 times a second, not once per event,
        // and leaves the cores to the workers. Stopping, they are taken as
        // they come, so that the exit follows the last worker at once.
        let batched = app.is_busy() && app.stopping().is_none();
        let mut messages = Vec::new();
        if now >= next_tick {
            if batched {
                messages.extend(events.try_iter().map(Msg::Scan));
            }
            let workers = session.scanner().workers();
            messages.extend(effects.deletion_progress());
            messages.push(Msg::Tick { now, workers });
        }
        if let Some(ending) = effects.apply(app, messages, session) {
            input.finish();
            return Ok(ending);
        }
        if now >= next_tick {
            let busy =
                app.is_busy() || app.stopping().is_some() || app.deletions().running().is_some();
            next_tick = now + if busy { FRAME } else { IDLE_TICK };
        }
        if app.is_dirty() && last_draw.is_none_or(|t| now.duration_since(t) >= FRAME) {
            terminal.draw(|frame| frame.render_widget(&*app, frame.area()))?;
            app.drawn();
            last_draw = Some(now);
        }
        let mut wake = next_tick;
        if app.is_dirty()
            && let Some(t) = last_draw
        {
            wake = wake.min(t + FRAME);
        }
        let timeout = wake.saturating_duration_since(Instant::now());
        let scan_events = if batched { &no_events } else { events };
        let deletion_events = effects.deletion_events();
        let history_replies = effects.history_replies();

        let mut messages = Vec::new();
        select! {
            recv(input.events) -> event => match event {
                Ok(event) => {
                    #[cfg(feature = "fault-injection")]
                    if let (Some(c), Some(key)) = (config.panic_on_key, event.as_key_press_event())
                        && key.code == ratatui::crossterm::event::KeyCode::Char(c)
                    {
                        panic!("injected UI fault");
                    }
                    messages.extend(message_of(event));
                }
                // The terminal is gone: stop as if hung up.
                Err(_) => messages.push(Msg::Signal(SIGHUP)),
            },
            recv(scan_events) -> event => {
                if let Ok(event) = event {
                    messages.push(Msg::Scan(event));
                    messages.extend(events.try_iter().map(Msg::Scan));
                }
            },
            recv(effects.exporter.results) -> answer => messages.extend(answer.ok()),
            recv(history_replies) -> reply => {
                messages.extend(reply.ok().and_then(effects::reply));
            },
            recv(deletion_events) -> event => {
                if let Ok(event) = event {
                    messages.push(effects.deletion_event(event));
                }
            },
            recv(session.signals()) -> signal => match signal {
                Ok(SIGWINCH) => messages.push(Msg::Resize),
                Ok(signal) => messages.push(Msg::Signal(signal)),
                Err(_) => {}
            },
            default(timeout) => {}
        }
        if let Some(ending) = effects.apply(app, messages, session) {
            input.finish();
            return Ok(ending);
        }
        // A scan that just started needs frames now, not at the idle tick.
        if app.is_busy() {
            next_tick = next_tick.min(Instant::now() + FRAME);
        }
    }
}

fn message_of(event: Event) -> Option<Msg> {
    if let Some(key) = event.as_key_press_event() {
        return Some(Msg::Key(key));
    }
    match event {
        Event::Mouse(mouse) => Some(Msg::Mouse(mouse)),
        Event::Paste(text) => Some(Msg::Paste(text)),
        Event::Resize(..) => Some(Msg::Resize),
        _ => None,
    }
}
