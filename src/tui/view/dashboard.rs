//! The dashboard screen: the workers and what each is reading, the jobs and
//! their totals, the throughput of the last minute and the latest errors.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Cell, HighlightSpacing, Paragraph, Row, Sparkline, Table, TableState, Widget,
};

use super::errors::error_line;
use super::widgets::{Column, Columns, job_state, right, section};
use std::time::Duration;

use crate::report::progress::Basis;
use crate::report::{JobRecord, text, units};
use crate::scan::{JobState, WorkerState, WorkerStatus};
use crate::tui::app::{App, STUCK_AFTER};
use crate::tui::fit::elide_middle;
use crate::tui::theme::Theme;

const WORKER_COLUMNS: Columns = Columns {
    fixed: &[
        Column::right("#", 3),
        Column::left("state", 8),
        Column::right("entries", 7),
        Column::right("rate", 8),
        Column::right("stuck", 6),
    ],
    spacing: 1,
    lead: 0,
};

/// The jobs table's columns before the root; the last ones are left out
/// when the root would be too narrow to read.
const JOB_COLUMNS: Columns = Columns {
    fixed: &[
        Column::left("state", 10),
        Column::right("files", 6),
        Column::right("dirs", 6),
        Column::right("apparent", 8),
        Column::right("on disk", 8),
        Column::right("errors", 6),
        // While it scans, how far along (against the last scan); once done,
        // the change in disk usage since it.
        Column::right("vs last", 10),
        Column::right("time", 6),
        Column::right("rate", 7),
    ],
    spacing: 1,
    // The highlight symbol.
    lead: 2,
};
/// Columns always shown, however narrow the screen.
const JOB_COLUMNS_KEPT: usize = 6;
const ROOT_MIN: usize = 24;

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let activity_rows = (area.height / 5).clamp(3, 10).min(area.height / 3);
    let [tables, activity] = area.layout(&Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(activity_rows),
    ]));
    let worker_need = 2 + app.workers().len().max(1) as u16;
    let job_need = 2 + app.tally().jobs.len().max(1) as u16;
    let worker_rows = if worker_need + job_need <= tables.height {
        worker_need
    } else {
        // Share the room, but never starve the jobs of their first rows.
        worker_need
            .min(tables.height.saturating_sub(job_need.min(7)))
            .max(tables.height / 2)
            .min(worker_need)
    };
    let [workers, jobs] = tables.layout(&Layout::vertical([
        Constraint::Length(worker_rows),
        Constraint::Fill(1),
    ]));
    workers_table(app, workers, buf);
    jobs_table(app, jobs, buf);
    activity_panel(app, activity, buf);
}

fn workers_table(app: &App, area: Rect, buf: &mut Buffer) {
    let t = app.theme();
    let block = section("WORKERS", t);
    let inner = block.inner(area);
    block.render(area, buf);
    let rows_room = usize::from(inner.height.saturating_sub(1));
    // Busy workers first when they do not all fit.
    let mut order: Vec<&WorkerStatus> = app.workers().iter().collect();
    let hidden = order.len().saturating_sub(rows_room);
    if hidden > 0 {
        order.sort_by_key(|w| (w.state != WorkerState::Scanning, w.id));
        order.truncate(rows_room.saturating_sub(1));
    }
    let shown = WORKER_COLUMNS.fixed.len();
    let dir_width = WORKER_COLUMNS.rest(inner.width, shown);
    let stopping = app.stopping().is_some();
    let mut rows: Vec<Row> = order
        .iter()
        .map(|w| {
            let entries = app.tally().workers.get(&w.id).map_or(0, |r| r.entries);
            let rate = app.rates().workers.get(&w.id).copied().unwrap_or(0);
            let in_dir = app.now().saturating_duration_since(w.since);
            let stuck = w.state == WorkerState::Scanning && in_dir >= STUCK_AFTER;
            let (state, style) = match w.state {
                WorkerState::Scanning if stopping => ("stopping", t.warn),
                WorkerState::Scanning => ("scanning", t.busy),
                WorkerState::Paused => ("paused", t.warn),
                WorkerState::Idle => ("idle", t.dim),
            };
            let dir = w
                .dir
                .as_deref()
                .map(|d| elide_middle(&text::path(d), dir_width).into_owned())
                .unwrap_or_default();
            let row = Row::new([
                right(w.id.to_string()),
                Cell::from(Span::styled(state, style)),
                right(units::short_count(entries)),
                right(format!("{}/s", units::short_count(rate))),
                if stuck {
                    right(units::duration(in_dir))
                } else {
                    Cell::from("")
                },
                Cell::from(dir),
            ]);
            if stuck { row.style(t.warn) } else { row }
        })
        .collect();
    if hidden > 0 {
        let more = app.workers().len() - order.len();
        rows.push(Row::new([
            Cell::from(""),
            Cell::from(Span::styled(format!("+{more} more"), t.dim)),
        ]));
    }
    Table::new(rows, WORKER_COLUMNS.constraints(shown))
        .header(WORKER_COLUMNS.header(shown, "directory").style(t.label))
        .column_spacing(WORKER_COLUMNS.spacing)
        .render(inner, buf);
}

fn jobs_table(app: &App, area: Rect, buf: &mut Buffer) {
    let t = app.theme();
    let block = section("JOBS", t);
    let inner = block.inner(area);
    block.render(area, buf);
    let jobs = &app.tally().jobs;
    if jobs.is_empty() {
        Line::styled("  no directories yet: press a to add one", t.dim).render(inner, buf);
        return;
    }
    let visible = usize::from(inner.height.saturating_sub(1)).max(1);
    let selected = app.jobs().selected();
    let offset = (selected + 1).saturating_sub(visible);
    let mut shown = JOB_COLUMNS.fixed.len();
    while shown > JOB_COLUMNS_KEPT && JOB_COLUMNS.rest(inner.width, shown) < ROOT_MIN {
        shown -= 1;
    }
    let root_width = JOB_COLUMNS.rest(inner.width, shown);
    let rows: Vec<Row> = jobs
        .iter()
        .skip(offset)
        .take(visible)
        .map(|job| {
            let (state, style) = job_state(app, job);
            let totals = &job.totals;
            let errors_style = if totals.errors > 0 {
                t.error
            } else {
                Style::new()
            };
            let mut cells = vec![
                Cell::from(Span::styled(state, style)),
                right(units::short_count(totals.files)),
                right(units::short_count(totals.dirs)),
                right(units::size(totals.bytes)),
                right(units::size(totals.disk_bytes)),
                Cell::from(
                    Line::styled(units::short_count(totals.errors), errors_style).right_aligned(),
                ),
            ];
            if shown > 6 {
                cells.push(vs_last(job, t));
            }
            if shown > 7 {
                cells.push(right(units::duration(job.elapsed_at(app.now()))));
            }
            if shown > 8 {
                cells.push(right(if job.state == JobState::Scanning {
                    let rate = app.rates().jobs.get(&job.id).copied().unwrap_or(0);
                    format!("{}/s", units::short_count(rate))
                } else {
                    String::new()
                }));
            }
            cells.push(Cell::from(
                elide_middle(&text::path(&job.root), root_width).into_owned(),
            ));
            Row::new(cells)
        })
        .collect();
    let mut state = TableState::default().with_selected(Some(selected - offset));
    ratatui::widgets::StatefulWidget::render(
        Table::new(rows, JOB_COLUMNS.constraints(shown))
            .header(JOB_COLUMNS.header(shown, "root").style(t.label))
            .column_spacing(JOB_COLUMNS.spacing)
            .row_highlight_style(t.selected)
            .highlight_symbol("▶ ")
            .highlight_spacing(HighlightSpacing::Always),
        inner,
        buf,
        &mut state,
    );
}

/// `42% 1m03s` (`~42%` from the filesystem's inodes) while it scans;
/// `+1.20 GiB` once done, against its last complete scan.
fn vs_last<'a>(job: &JobRecord, t: &Theme) -> Cell<'a> {
    let Some(expected) = job.expected else {
        return Cell::from("");
    };
    if !job.state.is_finished() {
        let Some(estimate) = job.estimate() else {
            return Cell::from("");
        };
        let mut text = match expected.basis {
            Basis::Inodes => format!("~{}%", estimate.percent),
            Basis::Scan { .. } => format!("{}%", estimate.percent),
        };
        if let Some(left) = estimate.remaining {
            text.push(' ');
            text.push_str(&units::duration(Duration::from_secs(left.as_secs().max(1))));
        }
        return Cell::from(Line::styled(text, t.busy).right_aligned());
    }
    match expected.basis {
        Basis::Scan { disk_bytes, .. } if job.state == JobState::Done => {
            let change = i128::from(job.totals.disk_bytes) - i128::from(disk_bytes);
            let style = if change > 0 { t.warn } else { t.dim };
            Cell::from(Line::styled(units::signed_size(change), style).right_aligned())
        }
        _ => Cell::from(""),
    }
}

fn activity_panel(app: &App, area: Rect, buf: &mut Buffer) {
    if area.height == 0 {
        return;
    }
    let t = app.theme();
    let spark_width = (area.width / 3).clamp(10, 62);
    let [spark, errors] = area.layout(&Layout::horizontal([
        Constraint::Length(spark_width),
        Constraint::Fill(1),
    ]));
    let block = section("ENTRIES/S, LAST MINUTE", t);
    let inner = block.inner(spark);
    block.render(spark, buf);
    let history: Vec<u64> = app
        .rates()
        .history
        .iter()
        .rev()
        .take(usize::from(inner.width))
        .rev()
        .copied()
        .collect();
    Sparkline::default()
        .data(&history)
        .style(t.spark)
        .render(inner, buf);

    let block = section("LATEST ERRORS (l: all)", t);
    let inner = block.inner(errors);
    block.render(errors, buf);
    let lines: Vec<Line> = app
        .tally()
        .errors
        .kept()
        .iter()
        .rev()
        .take(usize::from(inner.height))
        .map(|e| error_line(e, usize::from(inner.width), t))
        .collect();
    if lines.is_empty() {
        Line::styled("none", t.dim).render(inner, buf);
    } else {
        Paragraph::new(lines).render(inner, buf);
    }
}
