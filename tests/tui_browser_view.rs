//! The browser as drawn: mid-scan at 80×24 and 160×50, and a hostile tree
//! of a stopped scan, every marker on screen. Built from listing events
//! with fixed times, so the snapshots need no filtering.

mod support;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use dirdash::scan::listing::EntryKind;
use dirdash::scan::{JobEnd, JobId, JobState, ScanEvent, Totals};
use dirdash::tui::app::{App, Msg, update};
use dirdash::tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use support::listings::{Dir, Item, progress};

const JOB: JobId = JobId(1);

fn draw(app: &App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| f.render_widget(app, f.area())).unwrap();
    terminal
}

fn key(app: &mut App, code: KeyCode) {
    update(app, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn submitted(root: &str) -> (App, Instant) {
    let t0 = Instant::now();
    let mut app = App::new(16, t0, Theme::new(true));
    update(
        &mut app,
        Msg::Submitted {
            id: JOB,
            root: Arc::from(Path::new(root)),
            keep_tree: true,
        },
    );
    update(
        &mut app,
        Msg::Scan(ScanEvent::JobStarted { job: JOB, at: t0 }),
    );
    (app, t0)
}

/// A project being scanned: its build directory done, its dependencies
/// still being read.
fn project_mid_scan() -> App {
    let (mut app, t0) = submitted("/home/ada/projects/dirdash");
    let mut root = Dir::root();
    let mut target = root.dir(b"target");
    let mut deps = root.dir(b"node_modules");
    let mut git = root.dir(b".git");
    let mut src = root.dir(b"src");
    root.file("Cargo.lock", 61_653)
        .file("README.md", 12_450)
        .file("Cargo.toml", 1_282);
    for (i, size) in [310_000_000u64, 95_000_000, 12_000_000].iter().enumerate() {
        target.file(&format!("libdirdash-{i:02}.rlib"), *size);
    }
    for i in 0..40 {
        deps.file(&format!("package-{i:02}.tgz"), 800_000 + i * 10_000);
    }
    git.file("pack-1.pack", 48_000_000).file("index", 200_000);
    for i in 0..12 {
        src.file(&format!("module_{i}.rs"), 8_000 + i * 900);
    }
    let pieces = vec![
        root.done(),
        target.done(),
        deps.piece(None),
        git.done(),
        src.done(),
    ];
    update(&mut app, Msg::Scan(progress(JOB, pieces)));
    update(
        &mut app,
        Msg::Tick {
            now: t0 + Duration::from_secs(3),
            workers: vec![],
        },
    );
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Down);
    app
}

#[test]
fn the_browser_mid_scan_at_80x24() {
    insta::assert_snapshot!(draw(&project_mid_scan(), 80, 24).backend());
}

#[test]
fn the_browser_mid_scan_at_160x50() {
    insta::assert_snapshot!(draw(&project_mid_scan(), 160, 50).backend());
}

#[test]
fn the_browser_sorted_by_name_with_apparent_sizes() {
    let mut app = project_mid_scan();
    key(&mut app, KeyCode::Char('n'));
    key(&mut app, KeyCode::Char('a'));
    insta::assert_snapshot!(draw(&app, 80, 24).backend());
}

/// Every kind of entry a hostile tree holds, in a scan that was stopped.
fn hostile_stopped() -> App {
    let (mut app, t0) = submitted("/srv/hostile");
    let mut root = Dir::root();
    let long = "a_name_far_longer_than_any_screen_is_wide_".repeat(5) + "the_end.txt";
    root.add(Item::file(&long, 5_000_000));
    root.add(Item {
        name: b"bad_\xff\xfe_name",
        ..Item::file("", 30_000)
    });
    root.file("new\nline", 20_000).file("ünïcødé_✓", 10_000);
    root.add(Item {
        kind: EntryKind::Symlink,
        ..Item::file("link_to_file", 10)
    });
    root.add(Item {
        nlink: 3,
        ..Item::file("hardlink_0", 40_000)
    });
    root.add(Item {
        kind: EntryKind::Other,
        ..Item::file("fifo", 0)
    });
    root.add(Item {
        kind: EntryKind::Unreadable,
        ..Item::file("gone_unreadable", 0)
    });
    root.add(Item {
        kind: EntryKind::Dir,
        other_fs: true,
        ..Item::file("mnt_other_fs", 4_096)
    });
    root.add(Item {
        kind: EntryKind::Excluded,
        ..Item::file("excluded_cache", 0)
    });
    let mut locked = root.dir(b"locked");
    let never_read = root.dir(b"never_read");
    drop(never_read);
    let mut half = root.dir(b"half_read");
    half.file("first", 900_000);
    let locked_piece = {
        let (mut piece, mut totals) =
            locked.piece(Some(dirdash::scan::listing::ListingEnd::Incomplete));
        piece.sums.errors += 1;
        totals.errors += 1;
        (piece, totals)
    };
    let pieces = vec![root.done(), locked_piece, half.piece(None)];
    update(&mut app, Msg::Scan(progress(JOB, pieces)));
    let totals = app.tally().job(JOB).unwrap().totals;
    update(
        &mut app,
        Msg::Scan(ScanEvent::JobFinished(JobEnd {
            job: JOB,
            state: JobState::Stopped,
            totals: Totals { ..totals },
            elapsed: Duration::from_millis(900),
            stats: Default::default(),
        })),
    );
    update(
        &mut app,
        Msg::Tick {
            now: t0 + Duration::from_secs(2),
            workers: vec![],
        },
    );
    key(&mut app, KeyCode::Enter);
    app
}

#[test]
fn a_hostile_tree_of_a_stopped_scan_browses_with_its_markers() {
    insta::assert_snapshot!(draw(&hostile_stopped(), 80, 24).backend());
}

#[test]
fn a_hostile_tree_at_160x50() {
    insta::assert_snapshot!(draw(&hostile_stopped(), 160, 50).backend());
}

#[test]
fn the_browser_survives_tiny_terminals() {
    let app = hostile_stopped();
    for (w, h) in [(1, 1), (10, 3), (20, 5), (40, 10), (80, 8), (200, 2)] {
        draw(&app, w, h);
    }
}
