//! Random sequences of keys, resizes and scan events never panic the
//! dashboard, and leave its state consistent.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use dirdash::delete::{DeleteEvent, Outcome};
use dirdash::report::ncdu::TargetError;
use dirdash::scan::Cause;
use dirdash::scan::{JobEnd, JobId, JobState, Progress, ScanError, ScanEvent, Totals, WorkerId};
use dirdash::tui::app::{Action, App, Msg, Screen, update};
use dirdash::tui::theme::Theme;
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Clone, Debug)]
enum Step {
    Key(KeyCode),
    CtrlC,
    Resize(u16, u16),
    Progress(usize, u64),
    Finish(usize),
    Error(usize),
    Tick(u64),
}

fn step() -> impl Strategy<Value = Step> {
    let keys = prop_oneof![
        Just(KeyCode::Up),
        Just(KeyCode::Down),
        Just(KeyCode::PageUp),
        Just(KeyCode::PageDown),
        Just(KeyCode::Home),
        Just(KeyCode::End),
        Just(KeyCode::Enter),
        Just(KeyCode::Esc),
        Just(KeyCode::Tab),
        Just(KeyCode::Backspace),
        Just(KeyCode::Left),
        prop::sample::select(vec![
            'a', 'x', 'p', '+', '-', 'l', '?', 'j', 'k', 'q', '/', 'z', 'é', ' ', 'd', 'y', 's',
            'n'
        ])
        .prop_map(KeyCode::Char),
    ];
    prop_oneof![
        6 => keys.prop_map(Step::Key),
        1 => Just(Step::CtrlC),
        1 => (0u16..200, 0u16..60).prop_map(|(w, h)| Step::Resize(w, h)),
        3 => (0usize..8, 0u64..1000).prop_map(|(j, n)| Step::Progress(j, n)),
        1 => (0usize..8).prop_map(Step::Finish),
        1 => (0usize..8).prop_map(Step::Error),
        2 => (0u64..3000).prop_map(Step::Tick),
    ]
}

/// Plays an action's effect back as the runtime would, without I/O.
fn perform(action: Action, next_id: &mut u32) -> Vec<Msg> {
    match action {
        Action::CheckRoot(input) => {
            let result = if input.len() % 2 == 0 {
                Ok(PathBuf::from(format!("/r/{input}")))
            } else {
                Err(format!("no such directory: {input}"))
            };
            vec![Msg::RootChecked { input, result }]
        }
        Action::Complete(typed) => vec![Msg::Completions {
            typed,
            names: vec!["aa".into(), "ab".into()],
        }],
        Action::Submit { root, keep_tree } => {
            *next_id += 1;
            vec![Msg::Submitted {
                id: JobId(*next_id),
                root: Arc::from(root),
                keep_tree,
            }]
        }
        Action::CheckExport(input) => {
            let result = if input.ends_with('z') {
                Err(TargetError::Exists(PathBuf::from(format!("/out/{input}"))))
            } else {
                Ok(PathBuf::from(format!("/out/{input}")))
            };
            vec![Msg::ExportChecked { input, result }]
        }
        Action::WriteExport { job, path, .. } => vec![Msg::Exported {
            job,
            path,
            result: Err("disk full".into()),
        }],
        Action::SetThreads(n) => vec![Msg::Threads(n)],
        // Every target removed at once.
        Action::StartDeletion { targets, .. } => (0..targets.len())
            .map(|index| {
                Msg::Deletion(DeleteEvent::TargetDone {
                    index,
                    outcome: Outcome::Removed,
                })
            })
            .chain([Msg::Deletion(DeleteEvent::Finished { stopped: false })])
            .collect(),
        Action::StopDeletion | Action::Remeasure { .. } => vec![],
        // Some jobs expect what the filesystem says; recording fails, once.
        Action::LoadBaseline { job, .. } => vec![Msg::Expected {
            job,
            baseline: None,
            inodes: (job.0 % 2 == 0).then_some(500),
        }],
        Action::Record { job } => vec![Msg::HistoryFailed(format!("cannot record {}", job.0 % 2))],
        Action::Stop => vec![Msg::Scan(ScanEvent::Stopped)],
        Action::Cancel(_) | Action::Pause | Action::Resume | Action::Exit(_) => vec![],
    }
}

fn check(app: &App) {
    let jobs = app.tally().jobs.len();
    assert!(
        app.jobs().selected() < jobs.max(1),
        "selected {} of {jobs}",
        app.jobs().selected()
    );
    if let Screen::Detail(job) = app.screen() {
        assert!(app.tally().job(job).is_some());
    }
    if app.stopping().is_some() {
        assert!(app.prompt().is_none());
    }
    let mut ids: Vec<JobId> = app.tally().jobs.iter().map(|j| j.id).collect();
    ids.dedup();
    assert_eq!(ids.len(), jobs, "job ids are unique and ordered");
    assert!(app.threads() >= 1);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 100, ..ProptestConfig::default() })]

    #[test]
    fn random_input_never_panics_and_keeps_the_state_consistent(steps in prop::collection::vec(step(), 1..120)) {
        let t0 = Instant::now();
        let mut app = App::new(4, t0, Theme::new(true)).with_history();
        app.open_prompt();
        let mut next_id = 0;
        let mut now = t0;
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        for step in steps {
            let job = |app: &App, i: usize| app.tally().jobs.get(i % app.tally().jobs.len().max(1)).map(|j| j.id);
            let msg = match step {
                Step::Key(code) => Some(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))),
                Step::CtrlC => Some(Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL))),
                Step::Resize(w, h) => {
                    terminal.backend_mut().resize(w, h);
                    Some(Msg::Resize)
                }
                Step::Progress(i, n) => job(&app, i).map(|job| {
                    Msg::Scan(ScanEvent::Progress(Progress {
                        worker: WorkerId(i % 4),
                        job,
                        dir: Arc::from(Path::new("/r/x")),
                        delta: Totals { files: n, bytes: n * 3, ..Totals::default() },
                        dirs_read: 1,
                        entries: n,
                        stats: Default::default(),
                        listings: Vec::new(),
                    }))
                }),
                Step::Finish(i) => job(&app, i).map(|job| {
                    Msg::Scan(ScanEvent::JobFinished(JobEnd {
                        job,
                        state: JobState::Done,
                        totals: Totals::default(),
                        elapsed: Duration::from_millis(3),
                        stats: Default::default(),
                    }))
                }),
                Step::Error(i) => job(&app, i).map(|job| {
                    Msg::Scan(ScanEvent::Error(ScanError {
                        job,
                        path: PathBuf::from("/r/new\nline/\u{7}"),
                        cause: Cause::Io(std::io::Error::from_raw_os_error(13)),
                    }))
                }),
                Step::Tick(ms) => {
                    now += Duration::from_millis(ms);
                    Some(Msg::Tick { now, workers: vec![] })
                }
            };
            let mut queue: Vec<Msg> = msg.into_iter().collect();
            while let Some(msg) = queue.pop() {
                for action in update(&mut app, msg) {
                    queue.extend(perform(action, &mut next_id));
                }
            }
            check(&app);
            terminal.draw(|f| f.render_widget(&app, f.area())).unwrap();
        }
    }
}
