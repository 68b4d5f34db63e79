//! Drawing the dashboard: `impl Widget for &App`, pure, one function per
//! region. Only visible rows are formatted.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, Cell, Clear, Paragraph, Row, Sparkline, Table, TableState, Widget,
};

use super::app::{App, Asking, STUCK_AFTER, Screen};
use super::fit::{elide_middle, truncate_end};
use super::theme::Theme;
use crate::report::{JobRecord, text, units};
use crate::scan::{JobState, WorkerState, WorkerStatus};

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let prompt_rows = self.prompt.as_ref().map_or(0, |p| {
            2 + p.candidates.len().min(usize::from(area.height / 4)) as u16
        });
        let notice_rows = u16::from(self.notice.is_some());
        let [title, totals, body, notice, prompt, footer] = area.layout(&Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Length(notice_rows),
            Constraint::Length(prompt_rows),
            Constraint::Length(1),
        ]));
        title_bar(self, title, buf);
        totals_line(self, totals, buf);
        match self.screen {
            Screen::Dashboard => dashboard(self, body, buf),
            Screen::Detail(job) => super::detail::render(self, job, body, buf),
            Screen::Errors => error_list(self, body, buf),
        }
        if let Some(n) = &self.notice {
            Line::styled(
                truncate_end(&n.text, usize::from(notice.width)),
                self.theme.warn,
            )
            .render(notice, buf);
        }
        prompt_box(self, prompt, buf);
        footer_keys(self, footer, buf);
        if self.help {
            help_overlay(&self.theme, area, buf);
        } else if let Some(waiting) = self.stop_waits_on() {
            stopping_overlay(self, &waiting, area, buf);
        }
    }
}

fn title_bar(app: &App, area: Rect, buf: &mut Buffer) {
    let t = &app.theme;
    buf.set_style(area, t.title);
    let elapsed = units::duration(app.tally.elapsed_at(app.now));
    let text = format!(
        " dirdash  {}  {} workers  {}  {} entries/s ",
        app.activity(),
        app.threads,
        elapsed,
        units::short_count(app.rates.total),
    );
    Line::styled(text, t.title).render(area, buf);
}

fn totals_line(app: &App, area: Rect, buf: &mut Buffer) {
    let t = &app.theme;
    let sum = app.tally.totals();
    let mut spans = Vec::with_capacity(12);
    let mut item = |value: String, label: &'static str, style: Style| {
        spans.push(Span::styled(value, style));
        spans.push(Span::styled(format!(" {label}  "), t.label));
    };
    item(units::count(sum.files), "files", t.value);
    item(units::count(sum.dirs), "dirs", t.value);
    item(units::size(sum.bytes), "apparent", t.value);
    item(units::size(sum.disk_bytes), "on disk", t.value);
    let error_style = if sum.errors > 0 { t.error } else { t.value };
    let errors = if sum.errors == 1 { "error" } else { "errors" };
    item(units::count(sum.errors), errors, error_style);
    Line::from(spans).render(area, buf);
}

fn dashboard(app: &App, area: Rect, buf: &mut Buffer) {
    let activity_rows = (area.height / 5).clamp(3, 10).min(area.height / 3);
    let [tables, activity] = area.layout(&Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(activity_rows),
    ]));
    let worker_need = 2 + app.workers.len().max(1) as u16;
    let job_need = 2 + app.tally.jobs.len().max(1) as u16;
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

pub(super) fn section(title: &str, theme: &Theme) -> Block<'static> {
    Block::new()
        .borders(Borders::TOP)
        .border_style(theme.dim)
        .title(Span::styled(format!(" {title} "), theme.heading))
}

fn right(text: String) -> Cell<'static> {
    Cell::from(Line::from(text).right_aligned())
}

fn workers_table(app: &App, area: Rect, buf: &mut Buffer) {
    let t = &app.theme;
    let block = section("WORKERS", t);
    let inner = block.inner(area);
    block.render(area, buf);
    let rows_room = usize::from(inner.height.saturating_sub(1));
    // Busy workers first when they do not all fit.
    let mut order: Vec<&WorkerStatus> = app.workers.iter().collect();
    let hidden = order.len().saturating_sub(rows_room);
    if hidden > 0 {
        order.sort_by_key(|w| (w.state != WorkerState::Scanning, w.id));
        order.truncate(rows_room.saturating_sub(1));
    }
    let widths = [
        Constraint::Length(3),
        Constraint::Length(8),
        Constraint::Length(7),
        Constraint::Length(8),
        Constraint::Length(6),
        Constraint::Fill(1),
    ];
    let dir_width = usize::from(inner.width).saturating_sub(3 + 8 + 7 + 8 + 6 + 5);
    let mut rows: Vec<Row> = order
        .iter()
        .map(|w| {
            let entries = app.tally.workers.get(&w.id).map_or(0, |r| r.entries);
            let rate = app.rates.workers.get(&w.id).copied().unwrap_or(0);
            let in_dir = app.now.saturating_duration_since(w.since);
            let stuck = w.state == WorkerState::Scanning && in_dir >= STUCK_AFTER;
            let (state, style) = match (w.state, app.stopping.is_some()) {
                (_, true) if w.state == WorkerState::Scanning => ("stopping", t.warn),
                (WorkerState::Scanning, _) => ("scanning", t.busy),
                (WorkerState::Paused, _) => ("paused", t.warn),
                (WorkerState::Idle, _) => ("idle", t.dim),
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
                    Cell::from(Line::from(units::duration(in_dir)).right_aligned())
                } else {
                    Cell::from("")
                },
                Cell::from(dir),
            ]);
            if stuck { row.style(t.warn) } else { row }
        })
        .collect();
    if hidden > 0 {
        let more = app.workers.len() - order.len();
        rows.push(Row::new([
            Cell::from(""),
            Cell::from(Span::styled(format!("+{more} more"), t.dim)),
        ]));
    }
    let header = Row::new([
        right("#".into()),
        Cell::from("state"),
        right("entries".into()),
        right("rate".into()),
        right("stuck".into()),
        Cell::from("directory"),
    ])
    .style(t.label);
    Table::new(rows, widths)
        .header(header)
        .column_spacing(1)
        .render(inner, buf);
}

pub(super) fn job_state(app: &App, job: &JobRecord) -> (&'static str, Style) {
    let t = &app.theme;
    if app.cancelling.contains(&job.id) && !job.state.is_finished() {
        return ("cancelling", t.warn);
    }
    let style = match job.state {
        JobState::Done => t.ok,
        JobState::Scanning => t.busy,
        JobState::Queued => t.dim,
        JobState::Cancelled | JobState::Stopped => t.warn,
        JobState::Failed => t.error,
    };
    (job.state.as_str(), style)
}

/// The jobs table's columns before the root, with their widths; the last
/// ones are left out when the root would be too narrow to read.
const JOB_COLUMNS: [(&str, u16); 8] = [
    ("state", 10),
    ("files", 6),
    ("dirs", 6),
    ("apparent", 8),
    ("on disk", 8),
    ("errors", 6),
    ("time", 6),
    ("rate", 7),
];
const ROOT_MIN: usize = 24;

fn jobs_table(app: &App, area: Rect, buf: &mut Buffer) {
    let t = &app.theme;
    let block = section("JOBS", t);
    let inner = block.inner(area);
    block.render(area, buf);
    if app.tally.jobs.is_empty() {
        Line::styled("  no directories yet: press a to add one", t.dim).render(inner, buf);
        return;
    }
    let visible = usize::from(inner.height.saturating_sub(1)).max(1);
    let offset = (app.selected + 1).saturating_sub(visible);
    // The highlight symbol, then each column and its space.
    let room_for_root = |columns: usize| {
        let fixed: usize = JOB_COLUMNS[..columns]
            .iter()
            .map(|(_, w)| usize::from(*w) + 1)
            .sum();
        usize::from(inner.width).saturating_sub(2 + fixed)
    };
    let mut columns = JOB_COLUMNS.len();
    while columns > 6 && room_for_root(columns) < ROOT_MIN {
        columns -= 1;
    }
    let root_width = room_for_root(columns);
    let rows: Vec<Row> = app
        .tally
        .jobs
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
            if columns > 6 {
                cells.push(right(units::duration(job.elapsed_at(app.now))));
            }
            if columns > 7 {
                cells.push(right(if job.state == JobState::Scanning {
                    let rate = app.rates.jobs.get(&job.id).copied().unwrap_or(0);
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
    let mut header: Vec<Cell> = JOB_COLUMNS[..columns]
        .iter()
        .enumerate()
        .map(|(i, (name, _))| {
            if i == 0 {
                Cell::from(*name)
            } else {
                right((*name).into())
            }
        })
        .collect();
    header.push(Cell::from("root"));
    let mut widths: Vec<Constraint> = JOB_COLUMNS[..columns]
        .iter()
        .map(|(_, w)| Constraint::Length(*w))
        .collect();
    widths.push(Constraint::Fill(1));
    let mut state = TableState::default().with_selected(Some(app.selected - offset));
    ratatui::widgets::StatefulWidget::render(
        Table::new(rows, widths)
            .header(Row::new(header).style(t.label))
            .column_spacing(1)
            .row_highlight_style(t.selected)
            .highlight_symbol("▶ ")
            .highlight_spacing(ratatui::widgets::HighlightSpacing::Always),
        inner,
        buf,
        &mut state,
    );
}

fn activity_panel(app: &App, area: Rect, buf: &mut Buffer) {
    if area.height == 0 {
        return;
    }
    let t = &app.theme;
    let spark_width = (area.width / 3).clamp(10, 62);
    let [spark, errors] = area.layout(&Layout::horizontal([
        Constraint::Length(spark_width),
        Constraint::Fill(1),
    ]));
    let block = section("ENTRIES/S, LAST MINUTE", t);
    let inner = block.inner(spark);
    block.render(spark, buf);
    let history: Vec<u64> = app
        .rates
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
        .recent_errors
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

pub(super) fn error_line(e: &crate::report::ErrorRecord, width: usize, t: &Theme) -> Line<'static> {
    let reason = text::plain_reason(&e.reason);
    let reason_width = reason.len().min(width / 2);
    let path_width = width.saturating_sub(reason_width + 2);
    Line::from(vec![
        Span::raw(elide_middle(&text::path(&e.path), path_width).into_owned()),
        Span::styled(": ", t.dim),
        Span::styled(truncate_end(reason, reason_width).into_owned(), t.error),
    ])
}

fn error_list(app: &App, area: Rect, buf: &mut Buffer) {
    let all: Vec<&crate::report::ErrorRecord> = app.recent_errors.iter().collect();
    let title = if app.tally.error_count as usize > all.len() {
        format!(
            "ERRORS (the latest {} of {})",
            all.len(),
            units::count(app.tally.error_count)
        )
    } else {
        "ERRORS".to_owned()
    };
    scrolled_errors(app, &all, &title, area, buf);
}

pub(super) fn scrolled_errors(
    app: &App,
    errors: &[&crate::report::ErrorRecord],
    title: &str,
    area: Rect,
    buf: &mut Buffer,
) {
    let t = &app.theme;
    let block = section(title, t);
    let inner = block.inner(area);
    block.render(area, buf);
    if errors.is_empty() {
        Line::styled("no errors", t.dim).render(inner, buf);
        return;
    }
    let height = usize::from(inner.height).max(1);
    let top = app.scroll.min(errors.len().saturating_sub(height));
    let lines: Vec<Line> = errors[top..]
        .iter()
        .take(height)
        .map(|e| error_line(e, usize::from(inner.width), t))
        .collect();
    Paragraph::new(lines).render(inner, buf);
}

fn prompt_box(app: &App, area: Rect, buf: &mut Buffer) {
    let Some(prompt) = &app.prompt else {
        return;
    };
    if area.height == 0 {
        return;
    }
    let t = &app.theme;
    let label = match app.asking {
        Asking::Root => "add directory: ".to_owned(),
        Asking::ExportOf(_) => "export to: ".to_owned(),
    };
    let label = label.as_str();
    let [input, message, list] = area.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
    ]));
    let width = usize::from(input.width).saturating_sub(label.len() + 1);
    let scroll = prompt.input.visual_scroll(width);
    let visible: String = prompt.input.value().chars().skip(scroll).collect();
    Line::from(vec![
        Span::styled(label, t.heading),
        Span::raw(truncate_end(&visible, width).into_owned()),
    ])
    .render(input, buf);
    // The cursor cell, drawn reversed (the real cursor stays hidden).
    let cursor_x = input.x + label.len() as u16 + (prompt.input.visual_cursor() - scroll) as u16;
    if let Some(cell) = buf.cell_mut((cursor_x.min(input.right().saturating_sub(1)), input.y)) {
        cell.set_style(t.selected);
    }
    if let Some(text) = &prompt.message {
        Line::styled(
            truncate_end(text, usize::from(message.width)).into_owned(),
            t.warn,
        )
        .render(message, buf);
    }
    if !prompt.candidates.is_empty() {
        let per_row = (usize::from(list.width) / 24).max(1);
        let lines: Vec<Line> = prompt
            .candidates
            .chunks(per_row)
            .take(usize::from(list.height))
            .map(|names| {
                Line::from(
                    names
                        .iter()
                        .map(|n| format!("{:<24}", truncate_end(n, 23)))
                        .collect::<String>(),
                )
            })
            .collect();
        Paragraph::new(lines).style(t.dim).render(list, buf);
    }
}

/// The keys that work now, most useful first where room is short: each
/// entry is (key, what it does, priority; lower stays longer).
fn footer_keys(app: &App, area: Rect, buf: &mut Buffer) {
    let t = &app.theme;
    let pause = if app.paused { "resume" } else { "pause" };
    let keys: &[(&str, &str, u8)] = if app.stopping.is_some() {
        &[("q", "again: exit now without waiting", 0)]
    } else if app.help {
        &[("Esc", "close help", 0), ("q", "quit", 0)]
    } else if app.prompt.is_some() {
        let enter = if app.asking == Asking::Root {
            "add"
        } else {
            "write"
        };
        &[
            ("Enter", enter, 0),
            ("Tab", "complete", 1),
            ("Esc", "close", 0),
            ("Ctrl-C", "quit", 2),
        ]
    } else {
        match app.screen {
            Screen::Dashboard => &[
                ("a", "add", 0),
                ("↑↓", "select", 3),
                ("Enter", "detail", 2),
                ("x", "cancel", 4),
                ("e", "export", 5),
                ("p", pause, 6),
                ("+-", "workers", 7),
                ("l", "errors", 8),
                ("?", "help", 1),
                ("q", "quit", 0),
            ],
            Screen::Detail(_) => &[
                ("Esc", "back", 0),
                ("↑↓", "scroll errors", 2),
                ("x", "cancel", 3),
                ("e", "export", 1),
                ("q", "quit", 0),
            ],
            Screen::Errors => &[
                ("Esc", "back", 0),
                ("↑↓ PgUp PgDn", "scroll", 1),
                ("q", "quit", 0),
            ],
        }
    };
    let lead = if app.stopping.is_some() {
        "stopping…  "
    } else {
        ""
    };
    let width = |keys: &[&(&str, &str, u8)]| {
        lead.len()
            + keys
                .iter()
                .map(|(k, w, _)| k.chars().count() + w.len() + 3)
                .sum::<usize>()
    };
    let mut shown: Vec<&(&str, &str, u8)> = keys.iter().collect();
    while width(&shown) > usize::from(area.width) && shown.len() > 1 {
        let least = shown
            .iter()
            .enumerate()
            .max_by_key(|(_, k)| k.2)
            .map(|(i, _)| i);
        shown.remove(least.unwrap_or(0));
    }
    let mut spans = Vec::with_capacity(shown.len() * 2 + 1);
    spans.push(Span::styled(lead, t.warn));
    for (key, what, _) in shown {
        spans.push(Span::styled(*key, t.key));
        spans.push(Span::styled(format!(" {what}  "), t.label));
    }
    Line::from(spans).render(area, buf);
}

const HELP: [(&str, &str); 13] = [
    ("a", "add a directory (Tab completes, a second Tab lists)"),
    ("↑ ↓ j k", "select a job"),
    ("Enter", "open the selected job; Esc goes back"),
    ("x", "cancel the selected job"),
    ("e", "export the selected job for ncdu -f / gdu -f"),
    ("p", "pause / resume every worker"),
    ("+ -", "add / remove a worker"),
    ("l", "every recent error, with its path"),
    ("PgUp PgDn", "scroll lists"),
    ("?", "this help"),
    ("q Ctrl-C", "stop: join the workers, print the summary"),
    ("q (again)", "exit at once, without waiting"),
    ("stuck", "a worker's time in one directory, once over 2 s"),
];

fn help_overlay(t: &Theme, area: Rect, buf: &mut Buffer) {
    let height = (HELP.len() as u16 + 2).min(area.height);
    let width = 76.min(area.width);
    let popup = area.centered(Constraint::Length(width), Constraint::Length(height));
    Clear.render(popup, buf);
    let block = Block::bordered()
        .border_style(t.heading)
        .title(Span::styled(" keys ", t.heading));
    let lines: Vec<Line> = HELP
        .iter()
        .map(|(key, what)| {
            Line::from(vec![
                Span::styled(format!(" {key:<11}"), t.key),
                Span::styled(*what, t.label),
            ])
        })
        .collect();
    Paragraph::new(lines).block(block).render(popup, buf);
}

fn stopping_overlay(app: &App, waiting: &[&WorkerStatus], area: Rect, buf: &mut Buffer) {
    let t = &app.theme;
    // The longest-blocked first: those are the ones holding the stop up.
    let mut waiting = waiting.to_vec();
    waiting.sort_by_key(|w| (w.since, w.id));
    let shown = waiting
        .len()
        .min(usize::from(area.height.saturating_sub(6)));
    let height = (shown as u16 + 3).min(area.height);
    let width = area.width.saturating_sub(4).min(100);
    let popup = area.centered(Constraint::Length(width), Constraint::Length(height));
    Clear.render(popup, buf);
    let title = format!(
        " stopping — waiting for {} worker{} ",
        waiting.len(),
        if waiting.len() == 1 { "" } else { "s" }
    );
    let block = Block::bordered()
        .border_style(t.warn)
        .title(Span::styled(title, t.warn));
    let inner_width = usize::from(width.saturating_sub(2));
    let mut lines: Vec<Line> = waiting
        .iter()
        .take(shown)
        .map(|w| {
            let dir = w
                .dir
                .as_deref()
                .map(|d| text::path(d).into_owned())
                .unwrap_or_default();
            let head = format!(
                " worker {} for {} in ",
                w.id,
                units::duration(app.now.saturating_duration_since(w.since))
            );
            let room = inner_width.saturating_sub(head.len());
            Line::from(vec![
                Span::raw(head),
                Span::raw(elide_middle(&dir, room).into_owned()),
            ])
        })
        .collect();
    lines.push(Line::styled(
        " press q again to exit now without waiting",
        t.dim,
    ));
    Paragraph::new(lines).block(block).render(popup, buf);
}
