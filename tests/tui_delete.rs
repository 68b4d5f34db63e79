//! Deleting from the browser, as `update` sees it: marks across
//! directories, the confirmation, the run and its stop, the tree and the
//! totals afterwards, and every refusal.

mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use dirdash::delete::{DeleteEvent, Mode, Outcome, Refusal};
use dirdash::scan::{JobEnd, JobId, JobState, ScanEvent};
use dirdash::tui::app::{Action, App, Msg, Overlay, Screen, update};
use dirdash::tui::theme::Theme;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use support::listings::{Dir, progress, submit};

const JOB: JobId = JobId(1);

fn key(app: &mut App, code: KeyCode) -> Vec<Action> {
    update(app, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn ch(app: &mut App, c: char) -> Vec<Action> {
    key(app, KeyCode::Char(c))
}

/// /data: big.iso, photos/ (3 files), src/ (2 files and lib/ with 30), a
/// finished scan; the browser open at the root.
fn browsing(app: App, finished: bool) -> App {
    let mut app = app;
    submit(&mut app, JOB, "/data", true);
    let at = app.now();
    update(&mut app, Msg::Scan(ScanEvent::JobStarted { job: JOB, at }));
    let mut root = Dir::root();
    root.file("big.iso", 5_000_000_000);
    let mut photos = root.dir(b"photos");
    let mut src = root.dir(b"src");
    for i in 0..3 {
        photos.file(&format!("IMG_{i}.jpg"), 2_000_000);
    }
    src.file("main.rs", 40_000).file("zz.rs", 100);
    let mut lib = src.dir(b"lib");
    for i in 0..30 {
        lib.file(&format!("m{i:02}.rs"), 10_000);
    }
    let pieces = vec![root.done(), photos.done(), src.done(), lib.done()];
    update(&mut app, Msg::Scan(progress(JOB, pieces)));
    if finished {
        let totals = app.tally().job(JOB).unwrap().totals;
        update(
            &mut app,
            Msg::Scan(ScanEvent::JobFinished(JobEnd {
                job: JOB,
                state: JobState::Done,
                totals,
                elapsed: Duration::from_millis(5),
                stats: Default::default(),
            })),
        );
    }
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.screen(), Screen::Browser(JOB));
    app
}

fn app() -> App {
    browsing(App::new(4, Instant::now(), Theme::new(true)), true)
}

fn selected_name(app: &App) -> String {
    let b = app.browser().unwrap();
    let tree = app.tally().job(JOB).unwrap().tree.as_ref().unwrap();
    String::from_utf8_lossy(tree.entry(b.node(), b.selected().unwrap()).unwrap().name).into_owned()
}

/// Marks `photos` and, inside `src`, `lib`.
fn mark_two_directories(app: &mut App) {
    key(app, KeyCode::Down);
    assert_eq!(selected_name(app), "photos");
    ch(app, ' ');
    assert_eq!(selected_name(app), "src", "the selection moves on");
    key(app, KeyCode::Enter);
    assert_eq!(selected_name(app), "lib");
    ch(app, ' ');
    key(app, KeyCode::Left);
}

#[test]
fn marks_stay_across_directories_and_a_nested_one_counts_once() {
    let mut app = app();
    mark_two_directories(&mut app);
    let marked = app.marks().totals(JOB);
    assert_eq!((marked.count, marked.files, marked.dirs), (2, 33, 2));
    // src holds lib: marked too, lib counts in it, not twice.
    key(&mut app, KeyCode::Down);
    assert_eq!(selected_name(&app), "src");
    ch(&mut app, ' ');
    let marked = app.marks().totals(JOB);
    assert_eq!((marked.count, marked.files, marked.dirs), (2, 35, 3));
    // Unmarked again.
    key(&mut app, KeyCode::Up);
    ch(&mut app, ' ');
    assert_eq!(app.marks().totals(JOB).count, 1);
}

#[test]
fn d_asks_first_naming_what_goes_and_any_other_key_cancels() {
    let mut app = app();
    mark_two_directories(&mut app);
    assert!(ch(&mut app, 'd').is_empty());
    let Overlay::Confirm(confirm) = app.overlay() else {
        panic!("a confirmation");
    };
    assert_eq!(confirm.mode, Mode::Delete);
    let paths: Vec<&Path> = confirm.targets.iter().map(|t| t.path.as_path()).collect();
    assert_eq!(
        paths,
        [Path::new("/data/photos"), Path::new("/data/src/lib")]
    );
    assert_eq!(confirm.totals.files, 33);
    assert!(ch(&mut app, 'n').is_empty());
    assert!(matches!(app.overlay(), Overlay::None));
    assert!(app.notice().unwrap().text.contains("nothing deleted"));
    assert_eq!(app.marks().totals(JOB).count, 2, "the marks stay");
}

#[test]
fn y_deletes_and_what_went_leaves_the_tree_and_the_totals() {
    let mut app = app();
    let before = app.tally().job(JOB).unwrap().totals;
    mark_two_directories(&mut app);
    ch(&mut app, 'd');
    let actions = ch(&mut app, 'y');
    let [Action::StartDeletion { job, mode, targets }] = actions.as_slice() else {
        panic!("{actions:?}");
    };
    assert_eq!((*job, *mode, targets.len()), (JOB, Mode::Delete, 2));
    assert!(app.deletions().running().is_some());
    update(&mut app, Msg::DeletionProgress(20));
    for index in 0..2 {
        update(
            &mut app,
            Msg::Deletion(DeleteEvent::TargetDone {
                index,
                outcome: Outcome::Removed,
            }),
        );
    }
    update(
        &mut app,
        Msg::Deletion(DeleteEvent::Finished { stopped: false }),
    );
    assert!(app.deletions().running().is_none());
    let after = app.tally().job(JOB).unwrap().totals;
    assert_eq!(after.files, before.files - 33);
    assert_eq!(after.dirs, before.dirs - 2);
    let tree = app.tally().job(JOB).unwrap().tree.as_ref().unwrap();
    assert_eq!(tree.root().sums().files, after.files, "the tree agrees");
    assert!(tree.locate(Path::new("/data/photos")).is_none());
    assert_eq!(app.marks().totals(JOB).count, 0);
    let report = app.deletions().report().unwrap();
    assert!(
        report.text.starts_with("deleted 2 of 2 entries: 33 files"),
        "{}",
        report.text
    );
    // The browser shows what is left.
    let b = app.browser().unwrap();
    let names: Vec<String> = b
        .rows()
        .iter()
        .map(|&o| String::from_utf8_lossy(tree.entry(b.node(), o).unwrap().name).into_owned())
        .collect();
    assert_eq!(names, ["big.iso", "src"]);
    assert_eq!(app.tally().job(JOB).unwrap().deleted.files, 33);
}

#[test]
fn nothing_marked_deletes_the_selected_entry() {
    let mut app = app();
    ch(&mut app, 't');
    let Overlay::Confirm(confirm) = app.overlay() else {
        panic!("a confirmation");
    };
    assert_eq!(confirm.mode, Mode::Trash);
    assert_eq!(confirm.targets[0].path, PathBuf::from("/data/big.iso"));
    assert_eq!(confirm.totals.count, 1);
}

#[test]
fn while_deleting_esc_and_q_stop_the_deletion_not_the_dashboard() {
    let mut app = app();
    ch(&mut app, ' ');
    ch(&mut app, 'd');
    ch(&mut app, 'y');
    assert_eq!(key(&mut app, KeyCode::Esc), [Action::StopDeletion]);
    assert_eq!(app.screen(), Screen::Browser(JOB), "still browsing");
    assert!(ch(&mut app, 'q').is_empty(), "asked once already");
    update(
        &mut app,
        Msg::Deletion(DeleteEvent::TargetDone {
            index: 0,
            outcome: Outcome::Refused(Refusal::Changed(PathBuf::from("/data/big.iso"))),
        }),
    );
    update(
        &mut app,
        Msg::Deletion(DeleteEvent::Finished { stopped: true }),
    );
    let report = app.deletions().report().unwrap();
    assert!(report.text.starts_with("stopped after"), "{}", report.text);
    assert_eq!(
        report.problems,
        ["/data/big.iso: changed since the scan, not touched"]
    );
    assert_eq!(
        app.tally().job(JOB).unwrap().totals.files,
        36,
        "nothing went"
    );
    assert_eq!(ch(&mut app, 'q'), [Action::Stop], "now q quits");
}

#[test]
fn what_a_partial_deletion_left_is_scanned_again_and_put_in_place() {
    let mut app = app();
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    assert_eq!(selected_name(&app), "src");
    ch(&mut app, 'd');
    ch(&mut app, 'y');
    let actions = update(
        &mut app,
        Msg::Deletion(DeleteEvent::TargetDone {
            index: 0,
            outcome: Outcome::Partial,
        }),
    );
    let [Action::Remeasure { job, node, path }] = actions.as_slice() else {
        panic!("{actions:?}");
    };
    assert_eq!((*job, path.as_path()), (JOB, Path::new("/data/src")));
    let (job, node, path) = (*job, *node, path.clone());
    // The runtime's answer: the scan of /data/src, where only lib/m07.rs stayed.
    let sub = JobId(2);
    update(
        &mut app,
        Msg::Remeasuring {
            job,
            node,
            sub,
            path,
        },
    );
    update(
        &mut app,
        Msg::Deletion(DeleteEvent::Finished { stopped: false }),
    );
    assert!(app.deletions().is_measuring());
    assert!(
        app.deletions()
            .report()
            .unwrap()
            .text
            .contains("measuring what is left")
    );
    let mut fresh = Dir::root();
    let mut lib = fresh.dir(b"lib");
    lib.file("m07.rs", 10_000);
    let pieces = vec![fresh.done(), lib.done()];
    let event = progress(sub, pieces);
    let ScanEvent::Progress(p) = &event else {
        unreachable!()
    };
    let totals = p.delta;
    update(&mut app, Msg::Scan(event));
    update(
        &mut app,
        Msg::Scan(ScanEvent::JobFinished(JobEnd {
            job: sub,
            state: JobState::Done,
            totals,
            elapsed: Duration::from_millis(3),
            stats: Default::default(),
        })),
    );
    assert!(!app.deletions().is_measuring());
    assert_eq!(
        app.tally().jobs.len(),
        1,
        "that scan is not a job of its own"
    );
    let record = app.tally().job(JOB).unwrap();
    // big.iso, 3 photos, and the one file left.
    assert_eq!(record.totals.files, 5);
    let tree = record.tree.as_ref().unwrap();
    assert_eq!(tree.root().sums().files, 5);
    assert!(tree.locate(Path::new("/data/src/lib/m07.rs")).is_some());
    assert!(tree.locate(Path::new("/data/src/main.rs")).is_none());
    assert_eq!(record.deleted.files, 31, "32 were there, one stayed");
}

#[test]
fn read_only_refuses_both_keys_and_says_why() {
    let mut app = browsing(
        App::new(4, Instant::now(), Theme::new(true)).read_only(),
        true,
    );
    for c in ['d', 't'] {
        assert!(ch(&mut app, c).is_empty());
        assert!(matches!(app.overlay(), Overlay::None));
        assert!(app.notice().unwrap().text.contains("--read-only"), "{c}");
    }
}

#[test]
fn a_job_still_being_scanned_is_not_deleted_from() {
    let mut app = browsing(App::new(4, Instant::now(), Theme::new(true)), false);
    ch(&mut app, 'd');
    assert!(matches!(app.overlay(), Overlay::None));
    assert!(app.notice().unwrap().text.contains("still being scanned"));
}
