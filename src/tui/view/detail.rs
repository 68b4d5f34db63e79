//! The detail screen of one job, live while it scans: its totals, its
//! largest files, bytes per extension, the file-size histogram, its errors,
//! and where its export stands.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::errors;
use super::widgets::{bar, job_state, section};
use crate::report::{JobRecord, text, units};
use crate::scan::{ExtKey, HISTOGRAM_BUCKETS, JobId, JobState};
use crate::tui::app::{App, ExportState};
use crate::tui::fit::{elide_middle, truncate_end};
use crate::tui::theme::Theme;

/// Labels of the histogram's buckets (sizes below the value).
const BUCKET_LABELS: [&str; HISTOGRAM_BUCKETS] = [
    "<1K", "<4K", "<16K", "<64K", "<256K", "<1M", "<4M", "<16M", "<64M", "<256M", "<1G", "≥1G",
];

pub fn render(app: &App, id: JobId, area: Rect, buf: &mut Buffer) {
    let Some(job) = app.tally().job(id) else {
        return;
    };
    let [header, middle, bottom] = area.layout(&Layout::vertical([
        Constraint::Length(4),
        Constraint::Fill(3),
        Constraint::Min(7),
    ]));
    header_lines(app, job, header, buf);
    let halves = Layout::horizontal([Constraint::Fill(1); 2]).spacing(2);
    let [largest, extensions] = middle.layout(&halves);
    largest_files(app, job, largest, buf);
    extension_bars(app, job, extensions, buf);
    let [sizes, errors] = bottom.layout(&halves);
    histogram(app, job, sizes, buf);
    let log = &app.tally().errors;
    errors::scrolled(
        app,
        log.job_kept(id),
        |i| log.job_error(id, i),
        "ERRORS (PgUp PgDn scroll)",
        errors,
        buf,
    );
}

fn header_lines(app: &App, job: &JobRecord, area: Rect, buf: &mut Buffer) {
    let t = app.theme();
    let block = section("JOB", t);
    let inner = block.inner(area);
    block.render(area, buf);
    let (state, style) = job_state(app, job);
    let width = usize::from(inner.width);
    let totals = &job.totals;
    let pair = |label: &str, value: String| {
        [
            Span::styled(value, t.value),
            Span::styled(format!(" {label}  "), t.label),
        ]
    };
    let mut counts: Vec<Span> = Vec::new();
    counts.extend(pair("files", units::count(totals.files)));
    counts.extend(pair("dirs", units::count(totals.dirs)));
    counts.extend(pair("symlinks", units::count(totals.symlinks)));
    counts.extend(pair("other", units::count(totals.other)));
    counts.extend(pair(
        if totals.errors == 1 {
            "error"
        } else {
            "errors"
        },
        units::count(totals.errors),
    ));
    let mut sizes: Vec<Span> = Vec::new();
    sizes.extend(pair("apparent", units::size(totals.bytes)));
    sizes.extend(pair("on disk", units::size(totals.disk_bytes)));
    sizes.extend(pair("elapsed", units::duration(job.elapsed_at(app.now()))));
    if job.state == JobState::Scanning {
        let rate = app.rates().jobs.get(&job.id).copied().unwrap_or(0);
        sizes.extend(pair("entries/s", units::short_count(rate)));
    }
    if totals.skipped_dirs > 0 {
        sizes.extend(pair(
            "dirs on other filesystems",
            units::count(totals.skipped_dirs),
        ));
    }
    let lines = vec![
        Line::from(vec![
            Span::styled(format!("{state:<11}"), style),
            Span::styled(
                elide_middle(&text::path(&job.root), width.saturating_sub(11)).into_owned(),
                t.value,
            ),
        ]),
        Line::from(counts),
        Line::from(sizes),
    ];
    Paragraph::new(lines).render(inner, buf);
    if let Some(line) = export_line(app, job.id, width, t) {
        // The export's status replaces the end of the first line.
        let status_width = line.width() as u16;
        let x = inner.right().saturating_sub(status_width);
        let area = Rect::new(x.max(inner.x), inner.y, status_width.min(inner.width), 1);
        line.render(area, buf);
    }
}

/// Where the export of this job stands, if one was asked for.
fn export_line(app: &App, job: JobId, width: usize, t: &Theme) -> Option<Line<'static>> {
    let export = app.exports().get(job)?;
    let (what, style) = match &export.state {
        ExportState::Waiting => ("export when done", t.busy),
        ExportState::Writing => ("exporting", t.busy),
        ExportState::Written => ("exported", t.ok),
        ExportState::Failed(_) => ("export failed", t.error),
    };
    let path = text::path(&export.path).into_owned();
    let room = (width / 2).saturating_sub(what.len() + 4);
    Some(Line::from(vec![
        Span::styled(format!(" {what}: "), style),
        Span::raw(elide_middle(&path, room).into_owned()),
        Span::raw(" "),
    ]))
}

fn largest_files(app: &App, job: &JobRecord, area: Rect, buf: &mut Buffer) {
    let t = app.theme();
    let title = if job.tree.is_some() {
        "LARGEST FILES (Enter: show in the tree)"
    } else {
        "LARGEST FILES"
    };
    let block = section(title, t);
    let inner = block.inner(area);
    block.render(area, buf);
    let largest = &job.stats.largest;
    if largest.is_empty() {
        Line::styled("none yet", t.dim).render(inner, buf);
        return;
    }
    let height = usize::from(inner.height).max(1);
    let selected = app.largest_selected().min(largest.len() - 1);
    let top = (selected + 1).saturating_sub(height);
    let path_width = usize::from(inner.width).saturating_sub(10);
    let lines: Vec<Line> = largest
        .iter()
        .enumerate()
        .skip(top)
        .take(height)
        .map(|(i, f)| {
            // Below the root, the path says the most in the least room.
            let shown = f.path.strip_prefix(&job.root).unwrap_or(&f.path);
            let line = Line::from(vec![
                Span::styled(format!("{:>9} ", units::size(f.bytes)), t.value),
                Span::raw(elide_middle(&text::path(shown), path_width).into_owned()),
            ]);
            if i == selected {
                line.style(t.selected)
            } else {
                line
            }
        })
        .collect();
    Paragraph::new(lines).render(inner, buf);
}

fn extension_bars(app: &App, job: &JobRecord, area: Rect, buf: &mut Buffer) {
    let t = app.theme();
    let block = section("BYTES BY EXTENSION", t);
    let inner = block.inner(area);
    block.render(area, buf);
    let groups = job.stats.top_extensions();
    if groups.is_empty() {
        Line::styled("none yet", t.dim).render(inner, buf);
        return;
    }
    let max = groups
        .iter()
        .map(|(_, totals)| totals.bytes)
        .max()
        .unwrap_or(0);
    let width = usize::from(inner.width);
    let with_files = width >= 44;
    let bar_width = width.saturating_sub(8 + 10 + if with_files { 8 } else { 0 });
    let lines: Vec<Line> = groups
        .iter()
        .take(usize::from(inner.height))
        .map(|(key, totals)| {
            let label = match key {
                ExtKey::Rest => "(other)".to_owned(),
                ExtKey::Ext(ext) if ext.is_empty() => "(none)".to_owned(),
                ExtKey::Ext(ext) => truncate_end(&String::from_utf8_lossy(ext), 7).into_owned(),
            };
            let mut spans = vec![
                Span::styled(format!("{label:<7} "), t.label),
                Span::styled(bar(totals.bytes, max, bar_width), t.bar),
                Span::styled(format!("{:>9} ", units::size(totals.bytes)), t.value),
            ];
            if with_files {
                spans.push(Span::styled(
                    format!("{:>6}f", units::short_count(totals.files)),
                    t.dim,
                ));
            }
            Line::from(spans)
        })
        .collect();
    Paragraph::new(lines).render(inner, buf);
}

/// File sizes in two columns of six buckets, so that all twelve fit.
fn histogram(app: &App, job: &JobRecord, area: Rect, buf: &mut Buffer) {
    let t = app.theme();
    let block = section("FILE SIZES", t);
    let inner = block.inner(area);
    block.render(area, buf);
    let counts = job.stats.histogram;
    let max = counts.iter().copied().max().unwrap_or(0);
    let rows = usize::from(inner.height).min(HISTOGRAM_BUCKETS);
    let per_column = HISTOGRAM_BUCKETS
        .div_ceil(2)
        .max(HISTOGRAM_BUCKETS.div_ceil(rows.max(1)));
    let columns = HISTOGRAM_BUCKETS.div_ceil(per_column);
    let column_width = usize::from(inner.width) / columns.max(1);
    let bar_width = column_width.saturating_sub(6 + 7 + 1);
    let lines: Vec<Line> = (0..per_column.min(rows))
        .map(|row| {
            let mut spans = Vec::new();
            for column in 0..columns {
                let bucket = column * per_column + row;
                if bucket >= HISTOGRAM_BUCKETS {
                    continue;
                }
                spans.push(Span::styled(
                    format!("{:>5} ", BUCKET_LABELS[bucket]),
                    t.label,
                ));
                spans.push(Span::styled(bar(counts[bucket], max, bar_width), t.bar));
                spans.push(Span::styled(
                    format!("{:>6} ", units::short_count(counts[bucket])),
                    Style::new(),
                ));
            }
            Line::from(spans)
        })
        .collect();
    Paragraph::new(lines).render(inner, buf);
}
