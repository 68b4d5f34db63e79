//! The dashboard as drawn, snapshotted on a TestBackend at 80×24 and 160×50.
//! The states are built from messages with fixed times and paths, so the
//! snapshots need no filtering.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use dirdash::scan::{
    Cause, JobEnd, JobId, JobState, Progress, ScanError, ScanEvent, Totals, WorkerId, WorkerState,
    WorkerStatus,
};
use dirdash::scan::{JobStats, extension_of};
use dirdash::tui::app::{App, ExportState, Msg, Screen, update};
use dirdash::tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Color;

fn draw(app: &App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| f.render_widget(app, f.area())).unwrap();
    terminal
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn key(app: &mut App, code: KeyCode) {
    update(app, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

/// What the photo archive's files look like: a few large videos, many
/// pictures, some sidecar files.
fn photo_stats() -> JobStats {
    let mut stats = JobStats::default();
    let mut ext = Vec::new();
    let mut file = |name: String, bytes: u64| {
        extension_of(name.as_bytes(), &mut ext);
        let path = PathBuf::from(format!("/mnt/nfs/archive/2024/photos/{name}"));
        stats.add_file(
            &ext,
            bytes,
            bytes / 2,
            1_700_000_000 + bytes as i64 % 1000,
            0,
            || path,
        );
    };
    for i in 0..40u64 {
        file(
            format!("trips/2024-0{}/VID_{i:04}.MP4", i % 9 + 1),
            (900 + i * 37) << 20,
        );
    }
    for i in 0..900u64 {
        file(
            format!("trips/2024-0{}/IMG_{i:04}.jpg", i % 9 + 1),
            (3_000 + i * 11) << 10,
        );
    }
    for i in 0..300u64 {
        file(
            format!("trips/2024-0{}/IMG_{i:04}.xmp", i % 9 + 1),
            2_000 + i,
        );
    }
    file("README".to_owned(), 120);
    stats
}

/// A scan in full swing: 16 workers (two stuck), five jobs in every state,
/// errors, a minute of throughput.
fn busy_app(theme: Theme) -> App {
    let t0 = Instant::now();
    let mut app = App::new(16, t0, theme);
    let roots = [
        "/home/ada/projects",
        "/mnt/nfs/archive/2024/photos",
        "/var/cache/build/target",
        "/srv/does-not-exist",
        "/data/queued/next",
    ];
    for (i, root) in roots.iter().enumerate() {
        update(
            &mut app,
            Msg::Submitted {
                id: JobId(i as u32 + 1),
                root: Arc::from(Path::new(*root)),
                // The photos keep their tree: an export of them waits.
                keep_tree: i == 1,
            },
        );
    }
    // The first is a mount point scanned for the first time, the third was
    // scanned before.
    update(
        &mut app,
        Msg::Expected {
            job: JobId(1),
            baseline: None,
            inodes: Some(400_000),
        },
    );
    update(
        &mut app,
        Msg::Expected {
            job: JobId(3),
            baseline: Some(Arc::new(dirdash::history::Baseline {
                scan: dirdash::history::ScanRow {
                    id: 7,
                    root: PathBuf::from(roots[2]),
                    options: "{}".into(),
                    started: 1_796_000_000,
                    ended: 1_796_000_090,
                    state: "done".into(),
                    complete: true,
                    files: 100_000,
                    dirs: 5_000,
                    bytes: 20 << 30,
                    disk_bytes: 6 << 30,
                    errors: 0,
                    entries: 160_000,
                    elapsed_ms: 90_000,
                },
                dirs: Default::default(),
            })),
            inodes: None,
        },
    );
    for job in 1..=3 {
        update(
            &mut app,
            Msg::Scan(ScanEvent::JobStarted {
                job: JobId(job),
                at: t0 + ms(job as u64 * 100),
            }),
        );
    }
    for worker in 0..16u64 {
        let job = JobId(1 + (worker % 3) as u32);
        update(
            &mut app,
            Msg::Scan(ScanEvent::Progress(Progress {
                worker: WorkerId(worker as usize),
                job,
                dir: Arc::from(Path::new("/x")),
                delta: Totals {
                    files: 10_000 + worker * 1_234,
                    dirs: 800 + worker * 11,
                    symlinks: worker,
                    bytes: (3 << 30) + worker * 77_777_777,
                    disk_bytes: (1 << 30) + worker * 11_111_111,
                    ..Totals::default()
                },
                dirs_read: 800,
                entries: 11_000 + worker * 1_300,
                stats: Default::default(),
                listings: Vec::new(),
            })),
        );
    }
    update(
        &mut app,
        Msg::Scan(ScanEvent::Progress(Progress {
            worker: WorkerId(1),
            job: JobId(2),
            dir: Arc::from(Path::new("/x")),
            delta: Totals {
                errors: 3,
                ..Totals::default()
            },
            dirs_read: 0,
            entries: 0,
            stats: Box::new(photo_stats()),
            listings: Vec::new(),
        })),
    );
    for i in 0..3 {
        update(
            &mut app,
            Msg::Scan(ScanEvent::Error(ScanError {
                job: JobId(2),
                path: PathBuf::from(format!("/mnt/nfs/archive/2024/photos/private/album-{i}")),
                cause: Cause::Io(std::io::Error::from_raw_os_error(13)),
            })),
        );
    }
    update(
        &mut app,
        Msg::Scan(ScanEvent::Error(ScanError {
            job: JobId(4),
            path: PathBuf::from("/srv/does-not-exist"),
            cause: Cause::Io(std::io::Error::from_raw_os_error(2)),
        })),
    );
    update(
        &mut app,
        Msg::Scan(ScanEvent::JobFinished(JobEnd {
            job: JobId(4),
            state: JobState::Failed,
            totals: Totals {
                errors: 1,
                ..Totals::default()
            },
            elapsed: ms(1),
            stats: Default::default(),
        })),
    );
    let now = t0 + Duration::from_secs(75);
    let workers = (0..16)
        .map(|id| {
            let scanning = id < 12;
            WorkerStatus {
                id: WorkerId(id),
                state: if scanning {
                    WorkerState::Scanning
                } else {
                    WorkerState::Idle
                },
                job: scanning.then_some(JobId(1 + (id % 3) as u32)),
                dir: scanning.then(|| {
                    Arc::from(Path::new(&format!(
                        "{}/sub{id}/deeper/and/deeper/still/directory_{id}",
                        roots[id % 3]
                    )))
                }),
                // Workers 4 and 7 have sat in one directory for a while.
                since: if id == 4 || id == 7 {
                    now - Duration::from_secs(12 + id as u64)
                } else {
                    now - ms(40)
                },
            }
        })
        .collect();
    update(&mut app, Msg::Tick { now, workers });
    export_photos_when_done(&mut app);
    let rates = app.rates_mut();
    rates.total = 254_321;
    rates.history = (0..60).map(|i| (i * 7_919 % 300_000) as u64).collect();
    for id in 0..16 {
        rates.workers.insert(WorkerId(id), 15_000 + id as u64 * 100);
    }
    for job in 1..=3 {
        rates.jobs.insert(JobId(job), 80_000 * job as u64);
    }
    app
}

/// `e` on the photo archive while it scans: the export waits for its end.
fn export_photos_when_done(app: &mut App) {
    let file = "/home/ada/photos.ncdu.json";
    key(app, KeyCode::Down);
    key(app, KeyCode::Char('e'));
    update(
        app,
        Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
    );
    for c in file.chars() {
        key(app, KeyCode::Char(c));
    }
    key(app, KeyCode::Enter);
    update(
        app,
        Msg::ExportChecked {
            input: file.into(),
            result: Ok(PathBuf::from(file)),
        },
    );
    assert_eq!(
        app.exports().get(JobId(2)).map(|e| &e.state),
        Some(&ExportState::Waiting)
    );
    key(app, KeyCode::Up);
}

#[test]
fn the_dashboard_at_80x24() {
    insta::assert_snapshot!(draw(&busy_app(Theme::new(true)), 80, 24).backend());
}

#[test]
fn the_dashboard_at_160x50() {
    insta::assert_snapshot!(draw(&busy_app(Theme::new(true)), 160, 50).backend());
}

#[test]
fn the_start_screen_has_the_prompt_open() {
    let mut app = App::new(16, Instant::now(), Theme::new(true));
    app.open_prompt();
    for c in "~/projects".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    insta::assert_snapshot!(draw(&app, 80, 24).backend());
}

#[test]
fn a_refused_directory_is_explained_at_the_prompt() {
    let mut app = busy_app(Theme::new(true));
    key(&mut app, KeyCode::Char('a'));
    for c in "/home/ada/projects".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    update(
        &mut app,
        Msg::RootChecked {
            input: "/home/ada/projects".into(),
            result: Ok(PathBuf::from("/home/ada/projects")),
        },
    );
    insta::assert_snapshot!(draw(&app, 80, 24).backend());
}

#[test]
fn help_overlays_the_dashboard() {
    let mut app = busy_app(Theme::new(true));
    key(&mut app, KeyCode::Char('?'));
    insta::assert_snapshot!(draw(&app, 80, 24).backend());
}

#[test]
fn a_slow_stop_says_which_workers_it_waits_for() {
    let mut app = busy_app(Theme::new(true));
    key(&mut app, KeyCode::Char('q'));
    let now = app.now() + ms(500);
    let workers = app.workers().to_vec();
    update(&mut app, Msg::Tick { now, workers });
    insta::assert_snapshot!(draw(&app, 80, 24).backend());
}

#[test]
fn the_job_detail_shows_totals_and_errors() {
    let mut app = busy_app(Theme::new(true));
    key(&mut app, KeyCode::Down);
    // The photos keep their tree: Enter opens it, Tab the statistics.
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.screen(), Screen::Detail(JobId(2)));
    insta::assert_snapshot!(draw(&app, 80, 24).backend());
}

#[test]
fn the_job_detail_at_160x50() {
    let mut app = busy_app(Theme::new(true));
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Tab);
    insta::assert_snapshot!(draw(&app, 160, 50).backend());
}

#[test]
fn the_export_prompt_suggests_a_file_name() {
    let mut app = busy_app(Theme::new(true));
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Char('e'));
    insta::assert_snapshot!(draw(&app, 80, 24).backend());
}

#[test]
fn the_error_list_shows_paths_and_reasons() {
    let mut app = busy_app(Theme::new(true));
    key(&mut app, KeyCode::Char('l'));
    insta::assert_snapshot!(draw(&app, 80, 24).backend());
}

#[test]
fn no_color_draws_the_same_text_without_any_colour() {
    let colour = draw(&busy_app(Theme::new(true)), 80, 24);
    let plain = draw(&busy_app(Theme::new(false)), 80, 24);
    assert_eq!(colour.backend().to_string(), plain.backend().to_string());
    let buffer = plain.backend().buffer();
    assert!(
        buffer
            .content
            .iter()
            .all(|c| c.fg == Color::Reset && c.bg == Color::Reset),
        "a cell has a colour under NO_COLOR"
    );
    assert!(
        colour
            .backend()
            .buffer()
            .content
            .iter()
            .any(|c| c.fg != Color::Reset)
    );
}

#[test]
fn tiny_terminals_do_not_break_the_drawing() {
    let app = busy_app(Theme::new(true));
    for (w, h) in [(1, 1), (10, 3), (20, 5), (40, 10), (80, 8), (200, 2)] {
        draw(&app, w, h);
    }
}
