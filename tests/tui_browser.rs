//! The browser's `update`: a job's tree from listing events, navigated,
//! sorted both ways, filtered, followed while it grows, and reached from
//! a large file.

mod support;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use dirdash::scan::listing::EntryKind;
use dirdash::scan::{JobId, JobStats, LargeFile, Progress, ScanEvent, Totals, WorkerId};
use dirdash::tui::app::{App, Msg, Screen, update};
use dirdash::tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use support::listings::{Dir, Item, progress, submit};

const JOB: JobId = JobId(1);

fn key(app: &mut App, code: KeyCode) {
    update(app, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn ch(app: &mut App, c: char) {
    key(app, KeyCode::Char(c));
}

fn tick(app: &mut App, ms: u64) {
    let now = app.now() + Duration::from_millis(ms);
    update(
        app,
        Msg::Tick {
            now,
            workers: vec![],
        },
    );
}

/// /data: big.iso (5 GB), photos/ (three pictures), src/ (code, lib/ below
/// it), notes.txt; every listing arrived.
fn app_with_tree() -> App {
    let mut app = App::new(4, Instant::now(), Theme::new(true));
    submit(&mut app, JOB, "/data", true);
    let at = app.now();
    update(&mut app, Msg::Scan(ScanEvent::JobStarted { job: JOB, at }));
    let mut root = Dir::root();
    root.file("big.iso", 5_000_000_000);
    let mut photos = root.dir(b"photos");
    let mut src = root.dir(b"src");
    root.file("notes.txt", 3_000);
    for (i, size) in [2_000_000u64, 3_500_000, 1_200_000].iter().enumerate() {
        photos.file(&format!("IMG_{i}.jpg"), *size);
    }
    src.file("main.rs", 40_000).file("zz.rs", 100);
    let mut lib = src.dir(b"lib");
    for i in 0..30 {
        lib.file(&format!("m{i:02}.rs"), 10_000);
    }
    let pieces = vec![root.done(), photos.done(), src.done(), lib.done()];
    update(&mut app, Msg::Scan(progress(JOB, pieces)));
    app
}

/// The names shown, in order.
fn names(app: &App) -> Vec<String> {
    let browser = app.browser().expect("the browser is open");
    let tree = app
        .tally()
        .job(browser.job())
        .unwrap()
        .tree
        .as_ref()
        .unwrap();
    browser
        .rows()
        .iter()
        .map(|&o| String::from_utf8_lossy(tree.entry(browser.node(), o).unwrap().name).into_owned())
        .collect()
}

fn selected(app: &App) -> String {
    let browser = app.browser().unwrap();
    let tree = app
        .tally()
        .job(browser.job())
        .unwrap()
        .tree
        .as_ref()
        .unwrap();
    let offset = browser.selected().expect("a selection");
    String::from_utf8_lossy(tree.entry(browser.node(), offset).unwrap().name).into_owned()
}

fn where_is(app: &App) -> PathBuf {
    let browser = app.browser().unwrap();
    let tree = app
        .tally()
        .job(browser.job())
        .unwrap()
        .tree
        .as_ref()
        .unwrap();
    tree.path_of(browser.node()).unwrap()
}

#[test]
fn enter_on_a_job_opens_its_tree_at_the_root_largest_first() {
    let mut app = app_with_tree();
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.screen(), Screen::Browser(JOB));
    assert_eq!(where_is(&app), Path::new("/data"));
    assert_eq!(names(&app), ["big.iso", "photos", "src", "notes.txt"]);
    assert_eq!(selected(&app), "big.iso");
}

#[test]
fn into_a_directory_and_back_up_to_the_one_left() {
    let mut app = app_with_tree();
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    assert_eq!(selected(&app), "src");
    key(&mut app, KeyCode::Enter);
    assert_eq!(where_is(&app), Path::new("/data/src"));
    assert_eq!(names(&app), ["lib", "main.rs", "zz.rs"]);
    ch(&mut app, 'l');
    assert_eq!(where_is(&app), Path::new("/data/src/lib"));
    key(&mut app, KeyCode::End);
    assert_eq!(selected(&app), "m29.rs");
    key(&mut app, KeyCode::Home);
    assert_eq!(selected(&app), "m00.rs");
    key(&mut app, KeyCode::Backspace);
    assert_eq!(where_is(&app), Path::new("/data/src"));
    assert_eq!(selected(&app), "lib", "the directory left is selected");
    ch(&mut app, 'h');
    assert_eq!(selected(&app), "src");
    key(&mut app, KeyCode::Left);
    assert_eq!(where_is(&app), Path::new("/data"), "the root has no parent");
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.screen(), Screen::Dashboard);
}

#[test]
fn each_sort_key_pressed_twice_sorts_the_other_way() {
    let mut app = app_with_tree();
    key(&mut app, KeyCode::Enter);
    ch(&mut app, 's');
    assert_eq!(names(&app), ["notes.txt", "src", "photos", "big.iso"]);
    ch(&mut app, 's');
    assert_eq!(names(&app), ["big.iso", "photos", "src", "notes.txt"]);
    ch(&mut app, 'n');
    assert_eq!(names(&app), ["big.iso", "notes.txt", "photos", "src"]);
    ch(&mut app, 'n');
    assert_eq!(names(&app), ["src", "photos", "notes.txt", "big.iso"]);
    ch(&mut app, 'C');
    assert_eq!(names(&app)[..2], ["src", "photos"], "items below: 33, 3");
    ch(&mut app, 'C');
    assert_eq!(names(&app)[2..], ["photos", "src"]);
    ch(&mut app, 'a');
    ch(&mut app, 's');
    assert_eq!(names(&app)[0], "big.iso");
}

#[test]
fn apparent_sizes_order_by_bytes_not_blocks() {
    let mut app = app_with_tree();
    let mut root = Dir::root();
    // Sparse: a large apparent size in few blocks.
    root.add(Item {
        blocks: 8,
        ..Item::file("sparse.img", 9_000_000_000)
    });
    submit(&mut app, JobId(2), "/vm", true);
    root.file("dense.bin", 1_000_000);
    update(&mut app, Msg::Scan(progress(JobId(2), vec![root.done()])));
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    assert_eq!(names(&app), ["dense.bin", "sparse.img"], "by disk usage");
    ch(&mut app, 'a');
    assert_eq!(names(&app), ["sparse.img", "dense.bin"], "by apparent size");
}

#[test]
fn while_the_scan_runs_the_rows_re_sort_and_the_selection_stays_on_its_entry() {
    let mut app = App::new(4, Instant::now(), Theme::new(true));
    submit(&mut app, JOB, "/data", true);
    let mut root = Dir::root();
    root.file("a.bin", 800_000);
    let mut grows = root.dir(b"grows");
    root.file("b.bin", 400_000);
    update(&mut app, Msg::Scan(progress(JOB, vec![root.done()])));
    key(&mut app, KeyCode::Enter);
    assert_eq!(names(&app), ["a.bin", "b.bin", "grows"]);
    key(&mut app, KeyCode::Down);
    assert_eq!(selected(&app), "b.bin");
    // The directory below fills up, one piece at a time.
    grows.file("part1", 500_000);
    update(&mut app, Msg::Scan(progress(JOB, vec![grows.piece(None)])));
    tick(&mut app, 33);
    assert_eq!(names(&app), ["a.bin", "grows", "b.bin"]);
    assert_eq!(selected(&app), "b.bin", "the same entry, one row lower");
    assert_eq!(app.browser().unwrap().selected_row(), Some(2));
    grows.file("part2", 500_000);
    update(&mut app, Msg::Scan(progress(JOB, vec![grows.done()])));
    tick(&mut app, 33);
    assert_eq!(names(&app), ["grows", "a.bin", "b.bin"]);
    assert_eq!(selected(&app), "b.bin");
}

#[test]
fn a_directory_being_read_shows_its_entries_as_they_arrive() {
    let mut app = App::new(4, Instant::now(), Theme::new(true));
    submit(&mut app, JOB, "/data", true);
    key(&mut app, KeyCode::Enter);
    assert!(names(&app).is_empty(), "nothing read yet");
    let mut root = Dir::root();
    root.file("first", 10);
    update(&mut app, Msg::Scan(progress(JOB, vec![root.piece(None)])));
    tick(&mut app, 33);
    assert_eq!(names(&app), ["first"]);
    root.file("second", 100_000);
    update(&mut app, Msg::Scan(progress(JOB, vec![root.done()])));
    tick(&mut app, 33);
    assert_eq!(names(&app), ["second", "first"]);
    assert_eq!(selected(&app), "first", "the selection stays");
}

#[test]
fn the_filter_shows_only_the_names_holding_its_text() {
    let mut app = app_with_tree();
    key(&mut app, KeyCode::Enter);
    ch(&mut app, '/');
    ch(&mut app, 'O');
    assert_eq!(
        names(&app),
        ["big.iso", "photos", "notes.txt"],
        "any case, as it is typed"
    );
    ch(&mut app, 't');
    assert_eq!(names(&app), ["photos", "notes.txt"]);
    ch(&mut app, 'e');
    assert_eq!(names(&app), ["notes.txt"]);
    key(&mut app, KeyCode::Enter);
    assert!(app.prompt().is_none(), "Enter keeps the filter");
    assert_eq!(names(&app), ["notes.txt"]);
    ch(&mut app, '/');
    key(&mut app, KeyCode::Esc);
    assert_eq!(names(&app).len(), 4, "Esc clears it");
}

#[test]
fn a_large_file_of_the_statistics_opens_in_its_directory() {
    let mut app = app_with_tree();
    let mut stats = JobStats::default();
    for (path, bytes) in [
        ("/data/big.iso", 5_000_000_000u64),
        ("/data/src/lib/m07.rs", 10_000),
    ] {
        stats.largest.push(LargeFile {
            path: PathBuf::from(path),
            bytes,
            disk_bytes: bytes,
        });
    }
    update(
        &mut app,
        Msg::Scan(ScanEvent::Progress(Progress {
            worker: WorkerId(0),
            job: JOB,
            dir: Arc::from(Path::new("/data")),
            delta: Totals::default(),
            dirs_read: 0,
            entries: 0,
            stats: Box::new(stats),
            listings: vec![],
        })),
    );
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.screen(), Screen::Detail(JOB));
    key(&mut app, KeyCode::Down);
    assert_eq!(app.largest_selected(), 1);
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.screen(), Screen::Browser(JOB));
    assert_eq!(where_is(&app), Path::new("/data/src/lib"));
    assert_eq!(selected(&app), "m07.rs");
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.screen(), Screen::Detail(JOB));
    key(&mut app, KeyCode::Tab);
    assert_eq!(
        where_is(&app),
        Path::new("/data/src/lib"),
        "Tab returns where it was"
    );
}

#[test]
fn a_click_selects_a_second_one_opens_and_the_wheel_scrolls() {
    let mut app = app_with_tree();
    key(&mut app, KeyCode::Enter);
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
    terminal.draw(|f| f.render_widget(&app, f.area())).unwrap();
    let list = app.browser().unwrap().drawn().list;
    assert!(list.height > 4, "{list:?}");
    let click = |row: u16| {
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: list.x + 30,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    update(&mut app, click(list.y + 2));
    assert_eq!(selected(&app), "src");
    update(&mut app, click(list.y + 2));
    assert_eq!(
        where_is(&app),
        Path::new("/data/src"),
        "a double click opens"
    );
    key(&mut app, KeyCode::Backspace);
    update(&mut app, click(list.y + 20));
    assert_eq!(
        selected(&app),
        "src",
        "a click below the rows selects nothing"
    );
    update(
        &mut app,
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::ScrollDown,
            column: 0,
            row: 0,
            modifiers: KeyModifiers::NONE,
        }),
    );
    assert_eq!(selected(&app), "notes.txt");
}

#[test]
fn without_trees_enter_opens_the_statistics_and_tab_says_why() {
    let mut app = App::new(4, Instant::now(), Theme::new(true)).without_trees();
    assert!(!app.next_keeps_tree());
    submit(&mut app, JOB, "/data", false);
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.screen(), Screen::Detail(JOB));
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.screen(), Screen::Detail(JOB));
    assert!(app.notice().unwrap().text.contains("--no-tree"));
}

#[test]
fn markers_say_what_an_entry_is() {
    let mut app = App::new(4, Instant::now(), Theme::new(false));
    submit(&mut app, JOB, "/h", true);
    let mut root = Dir::root();
    root.add(Item {
        kind: EntryKind::Symlink,
        ..Item::file("link", 5)
    });
    root.add(Item {
        kind: EntryKind::Unreadable,
        ..Item::file("locked", 0)
    });
    root.add(Item {
        nlink: 3,
        ..Item::file("hard", 7)
    });
    let waiting = root.dir(b"waiting");
    drop(waiting);
    update(&mut app, Msg::Scan(progress(JOB, vec![root.done()])));
    let at = app.now();
    update(&mut app, Msg::Scan(ScanEvent::JobStarted { job: JOB, at }));
    key(&mut app, KeyCode::Enter);
    let mut terminal = Terminal::new(TestBackend::new(80, 20)).unwrap();
    terminal.draw(|f| f.render_widget(&app, f.area())).unwrap();
    let screen = terminal.backend().to_string();
    for (marker, name) in [
        ("@", "link"),
        ("!", "locked"),
        ("H", "hard"),
        ("…", "waiting/"),
    ] {
        assert!(
            screen
                .lines()
                .any(|l| l.contains(&format!("{marker} {name}"))),
            "{marker} {name}:\n{screen}"
        );
    }
}

#[test]
fn e_in_the_browser_exports_the_directory_shown() {
    let mut app = app_with_tree();
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    assert_eq!(where_is(&app), Path::new("/data/src"));
    let node = app.browser().unwrap().node();
    let totals = app.tally().job(JOB).unwrap().totals;
    update(
        &mut app,
        Msg::Scan(ScanEvent::JobFinished(dirdash::scan::JobEnd {
            job: JOB,
            state: dirdash::scan::JobState::Done,
            totals,
            elapsed: Duration::from_millis(5),
            stats: Default::default(),
        })),
    );
    ch(&mut app, 'e');
    assert_eq!(
        app.prompt().unwrap().value(),
        "src.ncdu.json",
        "named after it"
    );
    key(&mut app, KeyCode::Enter);
    let actions = update(
        &mut app,
        Msg::ExportChecked {
            input: "src.ncdu.json".into(),
            result: Ok(PathBuf::from("/tmp/src.ncdu.json")),
        },
    );
    assert_eq!(
        actions,
        [dirdash::tui::app::Action::WriteExport {
            job: JOB,
            node,
            path: PathBuf::from("/tmp/src.ncdu.json"),
            overwrite: false,
        }]
    );
}
