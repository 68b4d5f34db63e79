//! One frame of the dashboard at 160×50 with 16 workers and 200 jobs: the
//! per-frame cost the UI pays up to 30 times a second.
//!
//!     cargo bench --bench render

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

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
