//! The dashboard's `update`: keys and scan events in, state and actions out.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use dirdash::report::ERRORS_KEPT;
use dirdash::report::ncdu::TargetError;
use dirdash::scan::{
    Cause, JobEnd, JobId, JobState, Progress, ScanError, ScanEvent, Totals, WorkerId, WorkerState,
    WorkerStatus,
};
use dirdash::tree::ROOT;
use dirdash::tui::app::{Action, App, Ending, ExportState, Exports, Msg, Overlay, Screen, update};
use dirdash::tui::theme::Theme;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn app() -> App {
    App::new(4, Instant::now(), Theme::new(true))
}

fn key(app: &mut App, code: KeyCode) -> Vec<Action> {
    update(app, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn ch(app: &mut App, c: char) -> Vec<Action> {
    key(app, KeyCode::Char(c))
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        ch(app, c);
    }
}

fn submitted(app: &mut App, id: u32, root: &str) -> JobId {
    let id = JobId(id);
    update(
        app,
        Msg::Submitted {
            id,
            root: Arc::from(Path::new(root)),
            keep_tree: false,
        },
    );
    id
}

fn started(app: &mut App, job: JobId) {
    update(
        app,
        Msg::Scan(ScanEvent::JobStarted {
            job,
            at: Instant::now(),
        }),
    );
}

fn progress(app: &mut App, job: JobId, worker: usize, files: u64) {
    update(
        app,
        Msg::Scan(ScanEvent::Progress(Progress {
            worker: WorkerId(worker),
            job,
            dir: Arc::from(Path::new("/x")),
            delta: Totals {
                files,
                bytes: files * 10,
                ..Totals::default()
            },
            dirs_read: 1,
            entries: files,
            stats: Default::default(),
            listings: Vec::new(),
        })),
    );
}

fn finished(app: &mut App, job: JobId, state: JobState, files: u64) -> Vec<Action> {
    update(
        app,
        Msg::Scan(ScanEvent::JobFinished(JobEnd {
            job,
            state,
            totals: Totals {
                files,
                bytes: files * 10,
                ..Totals::default()
            },
            elapsed: Duration::from_millis(5),
            stats: Default::default(),
        })),
    )
}

#[test]
fn q_stops_and_a_second_q_exits_without_waiting() {
    let mut app = app();
    assert_eq!(ch(&mut app, 'q'), [Action::Stop]);
    assert!(app.stopping().is_some());
    assert_eq!(app.activity(), "stopping");
    assert_eq!(ch(&mut app, 'q'), [Action::Exit(Ending::Abandoned)]);
}

#[test]
fn once_every_worker_left_the_dashboard_exits_and_joins() {
    let mut app = app();
    ch(&mut app, 'q');
    assert_eq!(
        update(&mut app, Msg::Scan(ScanEvent::Stopped)),
        [Action::Exit(Ending::Joined)]
    );
}

#[test]
fn ctrl_c_stops_even_while_typing_in_the_prompt() {
    let mut app = app();
    app.open_prompt();
    typed(&mut app, "q");
    assert_eq!(
        app.prompt().unwrap().value(),
        "q",
        "q is text in the prompt"
    );
    let actions = update(
        &mut app,
        Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
    );
    assert_eq!(actions, [Action::Stop]);
    assert!(app.prompt().is_none());
}

#[test]
fn a_signal_stops_like_q_and_is_remembered_for_the_exit_code() {
    let mut app = app();
    assert_eq!(update(&mut app, Msg::Signal(15)), [Action::Stop]);
    assert_eq!(app.stop_signal(), Some(15));
    assert_eq!(
        update(&mut app, Msg::Signal(1)),
        [Action::Exit(Ending::Abandoned)]
    );
    assert_eq!(app.stop_signal(), Some(15));
}

#[test]
fn the_prompt_checks_then_queues_a_directory_and_closes() {
    let mut app = app();
    assert!(app.prompt().is_none());
    ch(&mut app, 'a');
    typed(&mut app, "~/src");
    assert_eq!(
        key(&mut app, KeyCode::Enter),
        [Action::CheckRoot("~/src".into())]
    );
    let actions = root_checked(&mut app, "~/src", Ok(PathBuf::from("/home/u/src")));
    assert_eq!(
        actions,
        [Action::Submit {
            root: PathBuf::from("/home/u/src"),
            keep_tree: true
        }],
        "a job keeps its tree for the browser"
    );
    assert!(app.prompt().is_none());
}

#[test]
fn bad_input_keeps_the_text_and_shows_why() {
    let mut app = app();
    ch(&mut app, 'a');
    typed(&mut app, "/nope");
    key(&mut app, KeyCode::Enter);
    let actions = root_checked(&mut app, "/nope", Err("no such directory: /nope".into()));
    assert!(actions.is_empty());
    let prompt = app.prompt().expect("still open");
    assert_eq!(prompt.value(), "/nope");
    assert_eq!(prompt.message(), Some("no such directory: /nope"));
}

#[test]
fn a_directory_already_queued_is_refused() {
    let mut app = app();
    let job = submitted(&mut app, 1, "/data");
    started(&mut app, job);
    ch(&mut app, 'a');
    typed(&mut app, "/data");
    key(&mut app, KeyCode::Enter);
    let actions = root_checked(&mut app, "/data", Ok(PathBuf::from("/data")));
    assert!(actions.is_empty());
    assert_eq!(
        app.prompt().unwrap().message(),
        Some("already queued: /data")
    );
    // Once it is done, scanning it again is allowed.
    finished(&mut app, job, JobState::Done, 1);
    let actions = root_checked(&mut app, "/data", Ok(PathBuf::from("/data")));
    assert_eq!(
        actions,
        [Action::Submit {
            root: PathBuf::from("/data"),
            keep_tree: true
        }]
    );
}

#[test]
fn esc_closes_the_prompt_and_tab_asks_for_completions() {
    let mut app = app();
    ch(&mut app, 'a');
    typed(&mut app, "/sr");
    assert_eq!(
        key(&mut app, KeyCode::Tab),
        [Action::Complete("/sr".into())]
    );
    update(
        &mut app,
        Msg::Completions {
            typed: "/sr".into(),
            names: vec!["srv".into()],
        },
    );
    assert_eq!(app.prompt().unwrap().value(), "/srv/");
    key(&mut app, KeyCode::Esc);
    assert!(app.prompt().is_none());
}

#[test]
fn x_cancels_the_selected_running_job_once() {
    let mut app = app();
    let a = submitted(&mut app, 1, "/a");
    let b = submitted(&mut app, 2, "/b");
    started(&mut app, a);
    started(&mut app, b);
    key(&mut app, KeyCode::Down);
    assert_eq!(ch(&mut app, 'x'), [Action::Cancel(b)]);
    assert!(ch(&mut app, 'x').is_empty(), "already cancelling");
    finished(&mut app, b, JobState::Cancelled, 3);
    assert!(!app.jobs().is_cancelling(b));
    finished(&mut app, a, JobState::Done, 3);
    key(&mut app, KeyCode::Up);
    assert!(
        ch(&mut app, 'x').is_empty(),
        "a finished job cannot be cancelled"
    );
}

#[test]
fn p_pauses_and_resumes_and_plus_minus_change_the_workers() {
    let mut app = app();
    assert_eq!(ch(&mut app, 'p'), [Action::Pause]);
    assert_eq!(app.activity(), "paused");
    assert_eq!(ch(&mut app, 'p'), [Action::Resume]);
    assert_eq!(ch(&mut app, '+'), [Action::SetThreads(5)]);
    update(&mut app, Msg::Threads(5));
    assert_eq!(ch(&mut app, '-'), [Action::SetThreads(4)]);
    update(&mut app, Msg::Threads(1));
    assert!(ch(&mut app, '-').is_empty(), "at least one worker");
}

#[test]
fn selection_stays_within_the_jobs_and_enter_opens_the_detail() {
    let mut app = app();
    for id in 1..=3 {
        submitted(&mut app, id, &format!("/{id}"));
    }
    for _ in 0..10 {
        ch(&mut app, 'j');
    }
    assert_eq!(app.jobs().selected(), 2);
    ch(&mut app, 'k');
    assert_eq!(app.jobs().selected(), 1);
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.screen(), Screen::Detail(JobId(2)));
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.screen(), Screen::Dashboard);
    ch(&mut app, '?');
    assert!(matches!(app.overlay(), Overlay::Help { .. }));
    key(&mut app, KeyCode::Esc);
    assert!(matches!(app.overlay(), Overlay::None));
}

#[test]
fn scan_events_add_up_in_the_jobs_and_workers() {
    let mut app = app();
    let job = submitted(&mut app, 1, "/a");
    assert_eq!(app.tally().jobs[0].state, JobState::Queued);
    started(&mut app, job);
    assert_eq!(app.tally().jobs[0].state, JobState::Scanning);
    progress(&mut app, job, 0, 5);
    progress(&mut app, job, 1, 7);
    assert_eq!(app.tally().jobs[0].totals.files, 12);
    assert_eq!(app.tally().workers[&WorkerId(1)].entries, 7);
    finished(&mut app, job, JobState::Done, 12);
    assert_eq!(app.tally().jobs[0].state, JobState::Done);
    assert_eq!(app.activity(), "idle");
}

#[test]
fn errors_are_kept_newest_last_up_to_a_bound() {
    let mut app = app();
    let job = submitted(&mut app, 1, "/a");
    for i in 0..ERRORS_KEPT + 5 {
        update(
            &mut app,
            Msg::Scan(ScanEvent::Error(ScanError {
                job,
                path: PathBuf::from(format!("/a/{i}")),
                cause: Cause::Io(std::io::Error::from_raw_os_error(13)),
            })),
        );
    }
    let log = &app.tally().errors;
    assert_eq!(log.kept().len(), ERRORS_KEPT);
    assert_eq!(
        log.kept().back().unwrap().path,
        PathBuf::from(format!("/a/{}", ERRORS_KEPT + 4))
    );
    assert_eq!(log.total(), ERRORS_KEPT as u64 + 5);
    assert_eq!(log.job_kept(job), ERRORS_KEPT);
    assert_eq!(log.job_total(job), ERRORS_KEPT as u64 + 5);
    ch(&mut app, 'l');
    assert_eq!(app.screen(), Screen::Errors);
    assert_eq!(app.scroll(), ERRORS_KEPT - 1, "opens at the newest");
    key(&mut app, KeyCode::Home);
    assert_eq!(app.scroll(), 0);
}

#[test]
fn a_worker_panic_is_shown_and_the_scan_goes_on() {
    let mut app = app();
    let job = submitted(&mut app, 1, "/a");
    update(
        &mut app,
        Msg::Scan(ScanEvent::WorkerPanicked {
            worker: WorkerId(3),
            job,
            dir: Arc::from(Path::new("/a/bad")),
            message: "boom".into(),
        }),
    );
    let notice = app.notice().expect("a notice");
    assert!(notice.text.contains("worker 3") && notice.text.contains("/a/bad"));
    assert!(notice.text.contains("boom"));
    assert!(app.stopping().is_none());
}

#[test]
fn a_stop_that_takes_long_names_the_workers_it_waits_for() {
    let mut app = app();
    let t0 = Instant::now();
    let stuck = WorkerStatus {
        id: WorkerId(2),
        state: WorkerState::Scanning,
        job: Some(JobId(1)),
        dir: Some(Arc::from(Path::new("/mnt/nfs/slow"))),
        since: t0,
    };
    update(
        &mut app,
        Msg::Tick {
            now: t0,
            workers: vec![stuck.clone()],
        },
    );
    ch(&mut app, 'q');
    assert!(app.stop_waits_on().is_none(), "not before 100 ms");
    update(
        &mut app,
        Msg::Tick {
            now: t0 + Duration::from_millis(150),
            workers: vec![stuck],
        },
    );
    let waiting = app.stop_waits_on().expect("waiting");
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].id, WorkerId(2));
}

#[test]
fn ticks_mark_the_screen_dirty_only_while_something_moves() {
    let mut app = app();
    let t0 = Instant::now();
    update(
        &mut app,
        Msg::Tick {
            now: t0,
            workers: vec![],
        },
    );
    app.drawn();
    update(
        &mut app,
        Msg::Tick {
            now: t0 + Duration::from_millis(100),
            workers: vec![],
        },
    );
    assert!(!app.is_dirty(), "an idle dashboard has nothing to redraw");
    let job = submitted(&mut app, 1, "/a");
    started(&mut app, job);
    app.drawn();
    update(
        &mut app,
        Msg::Tick {
            now: t0 + Duration::from_millis(200),
            workers: vec![],
        },
    );
    assert!(app.is_dirty(), "elapsed time moves while scanning");
}

/// The runtime's answer to `CheckRoot(input)`.
fn root_checked(app: &mut App, input: &str, result: Result<PathBuf, String>) -> Vec<Action> {
    update(
        app,
        Msg::RootChecked {
            input: input.into(),
            result,
        },
    )
}

/// The runtime's answer to `CheckExport(input)`.
fn export_checked(app: &mut App, input: &str, result: Result<PathBuf, TargetError>) -> Vec<Action> {
    update(
        app,
        Msg::ExportChecked {
            input: input.into(),
            result,
        },
    )
}

/// A job that kept its tree ends.
fn finished_with_tree(app: &mut App, job: JobId) -> Vec<Action> {
    assert!(app.tally().job(job).unwrap().tree.is_some());
    update(
        app,
        Msg::Scan(ScanEvent::JobFinished(JobEnd {
            job,
            state: JobState::Done,
            totals: Totals::default(),
            elapsed: Duration::from_millis(5),
            stats: Default::default(),
        })),
    )
}

/// A job submitted to keep its tree.
fn submitted_keeping_tree(app: &mut App, id: u32, root: &str) -> JobId {
    update(
        app,
        Msg::Submitted {
            id: JobId(id),
            root: Arc::from(Path::new(root)),
            keep_tree: true,
        },
    );
    JobId(id)
}

fn enter_export_path(app: &mut App, path: &str) -> Vec<Action> {
    // Replace the suggested name.
    update(
        app,
        Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
    );
    typed(app, path);
    key(app, KeyCode::Enter)
}

#[test]
fn e_asks_for_a_file_name_suggesting_one_from_the_root() {
    let mut app = app();
    let job = submitted_keeping_tree(&mut app, 1, "/data/photos");
    finished_with_tree(&mut app, job);
    ch(&mut app, 'e');
    assert_eq!(app.prompt().unwrap().value(), "photos.ncdu.json");
    assert_eq!(
        key(&mut app, KeyCode::Enter),
        [Action::CheckExport("photos.ncdu.json".into())]
    );
}

#[test]
fn exporting_a_job_that_kept_its_tree_writes_it_and_reports_the_result() {
    let mut app = app();
    let job = JobId(1);
    update(
        &mut app,
        Msg::Submitted {
            id: job,
            root: Arc::from(Path::new("/data")),
            keep_tree: true,
        },
    );
    finished_with_tree(&mut app, job);
    ch(&mut app, 'e');
    assert_eq!(
        enter_export_path(&mut app, "/tmp/x.json"),
        [Action::CheckExport("/tmp/x.json".into())]
    );
    let actions = export_checked(&mut app, "/tmp/x.json", Ok(PathBuf::from("/tmp/x.json")));
    assert_eq!(
        actions,
        [Action::WriteExport {
            job,
            node: ROOT,
            path: PathBuf::from("/tmp/x.json"),
            overwrite: false
        }]
    );
    assert!(app.prompt().is_none());
    assert_eq!(app.exports().get(job).unwrap().state, ExportState::Writing);
    update(
        &mut app,
        Msg::Exported {
            job,
            path: PathBuf::from("/tmp/x.json"),
            result: Ok(()),
        },
    );
    assert_eq!(app.exports().get(job).unwrap().state, ExportState::Written);
    assert!(
        app.notice()
            .unwrap()
            .text
            .contains("exported /data to /tmp/x.json")
    );
}

#[test]
fn an_existing_export_file_is_replaced_only_after_a_second_enter() {
    let mut app = app();
    let job = submitted_keeping_tree(&mut app, 1, "/data");
    finished_with_tree(&mut app, job);
    ch(&mut app, 'e');
    enter_export_path(&mut app, "/tmp/old.json");
    let exists = || Msg::ExportChecked {
        input: "/tmp/old.json".into(),
        result: Err(TargetError::Exists(PathBuf::from("/tmp/old.json"))),
    };
    assert!(update(&mut app, exists()).is_empty());
    assert!(
        app.prompt()
            .unwrap()
            .message()
            .unwrap()
            .contains("Enter again to replace")
    );
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        update(&mut app, exists()),
        [Action::WriteExport {
            job,
            node: ROOT,
            path: PathBuf::from("/tmp/old.json"),
            overwrite: true
        }]
    );
}

#[test]
fn a_job_that_kept_no_tree_is_scanned_again_and_exported_when_done() {
    let mut app = app();
    let first = submitted(&mut app, 1, "/data");
    finished(&mut app, first, JobState::Done, 3);
    ch(&mut app, 'e');
    enter_export_path(&mut app, "/tmp/x.json");
    let actions = export_checked(&mut app, "/tmp/x.json", Ok(PathBuf::from("/tmp/x.json")));
    assert_eq!(
        actions,
        [Action::Submit {
            root: PathBuf::from("/data"),
            keep_tree: true
        }]
    );
    let again = JobId(2);
    update(
        &mut app,
        Msg::Submitted {
            id: again,
            root: Arc::from(Path::new("/data")),
            keep_tree: true,
        },
    );
    assert_eq!(
        app.exports().get(again).unwrap().state,
        ExportState::Waiting
    );
    assert_eq!(
        finished_with_tree(&mut app, again),
        [Action::WriteExport {
            job: again,
            node: ROOT,
            path: PathBuf::from("/tmp/x.json"),
            overwrite: false
        }]
    );
}

#[test]
fn export_on_the_command_line_without_a_dir_applies_to_the_first_directory_added() {
    let mut app = app().with_exports(Exports::new(false, Some(PathBuf::from("/tmp/first.json"))));
    ch(&mut app, 'a');
    typed(&mut app, "/data");
    key(&mut app, KeyCode::Enter);
    let actions = root_checked(&mut app, "/data", Ok(PathBuf::from("/data")));
    assert_eq!(
        actions,
        [Action::Submit {
            root: PathBuf::from("/data"),
            keep_tree: true
        }]
    );
    update(
        &mut app,
        Msg::Submitted {
            id: JobId(1),
            root: Arc::from(Path::new("/data")),
            keep_tree: true,
        },
    );
    assert_eq!(
        app.exports().get(JobId(1)).unwrap().path,
        PathBuf::from("/tmp/first.json")
    );
    assert!(!app.exports().next_keeps_tree(), "only the first");
}
