//! Frames the UI pays for up to 30 times a second: the dashboard at 160×50
//! with 16 workers and 200 jobs, and the browser on a directory of 200,000
//! entries while the scan goes on.
//!
//!     cargo bench --bench render

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use dirdash::scan::listing::{
    Base, Entry, EntryKind, Listing, ListingEnd, NO_NODE, NodeChain, Sums, Writer,
};
use dirdash::scan::{JobId, Progress, ScanEvent, Totals, WorkerId, WorkerState, WorkerStatus};
use dirdash::tui::app::{App, Msg, update};
use dirdash::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

fn main() {
    divan::main();
}

fn busy_app() -> App {
    let t0 = Instant::now();
    let mut app = App::new(16, t0, Theme::new(true));
    for id in 1..=200u32 {
        let root: Arc<Path> = Arc::from(Path::new(&format!("/data/projects/team-{id}/checkout")));
        update(
            &mut app,
            Msg::Submitted {
                id: JobId(id),
                root,
                keep_tree: false,
            },
        );
        update(
            &mut app,
            Msg::Scan(ScanEvent::JobStarted {
                job: JobId(id),
                at: t0,
            }),
        );
        update(
            &mut app,
            Msg::Scan(ScanEvent::Progress(Progress {
                worker: WorkerId(id as usize % 16),
                job: JobId(id),
                dir: Arc::from(Path::new("/x")),
                delta: Totals {
                    files: 1_000 * u64::from(id),
                    dirs: 90 * u64::from(id),
                    bytes: 123_456_789 * u64::from(id),
                    disk_bytes: 23_456_789 * u64::from(id),
                    ..Totals::default()
                },
                dirs_read: 90,
                entries: 1_100 * u64::from(id),
                stats: Default::default(),
                listings: Vec::new(),
            })),
        );
    }
    let now = t0 + Duration::from_secs(42);
    let workers = (0..16)
        .map(|id| WorkerStatus {
            id: WorkerId(id),
            state: WorkerState::Scanning,
            job: Some(JobId(1 + id as u32)),
            dir: Some(Arc::from(Path::new(&format!(
                "/data/projects/team-{id}/checkout/src/deeply/nested/module/{id}"
            )))),
            since: now - Duration::from_millis(300 * id as u64),
        })
        .collect();
    update(&mut app, Msg::Tick { now, workers });
    app.rates_mut().history = (0..60).map(|i| i * 5_000).collect();
    for _ in 0..15 {
        update(
            &mut app,
            Msg::Key(KeyEvent::new(KeyCode::PageDown, KeyModifiers::NONE)),
        );
    }
    assert_eq!(app.jobs().selected(), 150);
    app
}

#[divan::bench]
fn frame_160x50_16_workers_200_jobs(bencher: divan::Bencher) {
    let app = busy_app();
    let area = Rect::new(0, 0, 160, 50);
    let mut buffer = Buffer::empty(area);
    bencher.bench_local(|| {
        buffer.reset();
        (&app).render(area, &mut buffer);
        divan::black_box(&buffer);
    });
}

/// A job whose root holds 200,000 entries: 199,900 files and 100
/// directories still being read. `grow(i)` adds a file to directory i.
struct BigDir {
    app: App,
    dirs: Vec<Arc<NodeChain>>,
    grown: u64,
}

const BIG_FILES: u64 = 199_900;
const BIG_DIRS: u32 = 100;

fn big_dir_app() -> BigDir {
    let t0 = Instant::now();
    let mut app = App::new(16, t0, Theme::new(true));
    let job = JobId(1);
    update(
        &mut app,
        Msg::Submitted {
            id: job,
            root: Arc::from(Path::new("/data/huge")),
            keep_tree: true,
        },
    );
    update(&mut app, Msg::Scan(ScanEvent::JobStarted { job, at: t0 }));
    let root = NodeChain::root();
    let base = Base {
        dev: 1,
        ino: 1_000,
        mtime: 1_700_000_000,
    };
    let mut writer = Writer::new(base, Vec::new());
    let mut dirs = Vec::new();
    for i in 0..BIG_FILES + u64::from(BIG_DIRS) {
        let name = format!("entry{i:07}.dat");
        let is_dir = i % 2_000 == 0 && dirs.len() < BIG_DIRS as usize;
        let node = if is_dir {
            dirs.len() as u32 + 1
        } else {
            NO_NODE
        };
        let size = (i * 7_919) % 10_000_000;
        let entry = Entry {
            name: name.as_bytes(),
            kind: if is_dir {
                EntryKind::Dir
            } else {
                EntryKind::File
            },
            size,
            blocks: size / 512,
            mtime: 1_700_000_000 - i as i64,
            ino: 1_001 + i,
            dev: 1,
            nlink: 1,
            node,
            counted: true,
            other_fs: false,
        };
        writer.push(&entry);
        if is_dir {
            dirs.push(root.child(node));
        }
    }
    let sums = writer.sums;
    let listing = writer.piece(&root, Some(ListingEnd::Complete));
    update(&mut app, Msg::Scan(progress(job, listing, sums)));
    update(
        &mut app,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    BigDir {
        app,
        dirs,
        grown: 0,
    }
}

fn progress(job: JobId, listing: Listing, sums: Sums) -> ScanEvent {
    ScanEvent::Progress(Progress {
        worker: WorkerId(0),
        job,
        dir: Arc::from(Path::new("/data/huge")),
        delta: Totals {
            files: sums.files,
            dirs: sums.dirs,
            bytes: sums.bytes,
            disk_bytes: sums.disk,
            ..Totals::default()
        },
        dirs_read: 0,
        entries: sums.entries,
        stats: Default::default(),
        listings: vec![listing],
    })
}

impl BigDir {
    /// A piece of one subdirectory's listing arrives: it grows, and the
    /// rows must re-sort.
    fn grow(&mut self) {
        let chain = Arc::clone(&self.dirs[(self.grown % u64::from(BIG_DIRS)) as usize]);
        self.grown += 1;
        let base = Base {
            dev: 1,
            ino: 10_000_000,
            mtime: 1_700_000_000,
        };
        let name = format!("part{}", self.grown);
        let entry = Entry {
            name: name.as_bytes(),
            kind: EntryKind::File,
            size: 3_000_000,
            blocks: 6_000,
            mtime: 1_700_000_000,
            ino: 10_000_001 + self.grown,
            dev: 1,
            nlink: 1,
            node: NO_NODE,
            counted: true,
            other_fs: false,
        };
        let mut writer = Writer::new(base, Vec::new());
        writer.push(&entry);
        let sums = writer.sums;
        let listing = writer.piece(&chain, None);
        update(&mut self.app, Msg::Scan(progress(JobId(1), listing, sums)));
    }
}

/// One frame of the browser on a directory of 200,000 entries while its
/// subdirectories are read: a listing piece arrives, the clock ticks (the
/// rows re-sort), the screen is drawn at 160×50.
#[divan::bench]
fn browser_frame_200k_entries_mid_scan(bencher: divan::Bencher) {
    let mut big = big_dir_app();
    let area = Rect::new(0, 0, 160, 50);
    let mut buffer = Buffer::empty(area);
    let mut now = big.app.now();
    bencher.bench_local(|| {
        big.grow();
        now += Duration::from_millis(33);
        update(
            &mut big.app,
            Msg::Tick {
                now,
                workers: Vec::new(),
            },
        );
        buffer.reset();
        (&big.app).render(area, &mut buffer);
        divan::black_box(&buffer);
    });
    assert_eq!(big.app.browser().map(|b| b.rows().len()), Some(200_000));
}
