//! A deletion on screen: the confirmation that names what will go, the
//! progress line while it runs, and the panel of what is marked and of
//! what the last deletion did.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

use super::widgets::section;
use crate::delete::Mode;
use crate::report::{text, units};
use crate::scan::JobId;
use crate::tui::app::{App, Confirm, describe};
use crate::tui::fit::{elide_middle, truncate_end};

/// Targets named one by one before "and N more".
const NAMED: usize = 8;

pub fn confirm(app: &App, confirm: &Confirm, area: Rect, buf: &mut Buffer) {
    let t = app.theme();
    let shown = confirm.targets.len().min(NAMED);
    let more = confirm.targets.len() - shown;
    let height = (shown as u16 + 5 + u16::from(more > 0)).min(area.height);
    let width = area.width.saturating_sub(4).min(100);
    let popup = area.centered(Constraint::Length(width), Constraint::Length(height));
    Clear.render(popup, buf);
    let (title, verb) = match confirm.mode {
        Mode::Delete => (" delete for good? ", "delete them for good"),
        Mode::Trash => (" move to the trash? ", "move them to the trash"),
    };
    let block = Block::bordered()
        .border_style(t.error)
        .title(Span::styled(title, t.error));
    let room = usize::from(width.saturating_sub(4));
    let mut lines: Vec<Line> = confirm
        .targets
        .iter()
        .take(shown)
        .map(|target| Line::raw(format!(" {}", elide_middle(&describe(target), room))))
        .collect();
    if more > 0 {
        lines.push(Line::styled(
            format!(" and {} more", units::count(more as u64)),
            t.dim,
        ));
    }
    let totals = &confirm.totals;
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!(
            " {} entries: {} files, {} directories, {} on disk",
            units::count(totals.entries),
            units::count(totals.files),
            units::count(totals.dirs),
            units::size(totals.disk)
        ),
        t.value,
    ));
    lines.push(Line::from(vec![
        Span::styled(" y", t.key),
        Span::styled(format!(": {verb}   any other key: cancel"), t.label),
    ]));
    Paragraph::new(lines).block(block).render(popup, buf);
}

/// The line a running deletion shows, on every screen.
pub fn progress_line(app: &App) -> Option<String> {
    let running = app.deletions().running()?;
    let seconds = app.now().saturating_duration_since(running.started);
    let rate = units::per_second(running.removed, seconds);
    let share = if running.entries == 0 {
        0.0
    } else {
        (running.removed as f64 / running.entries as f64).min(1.0)
    };
    let verb = match running.mode {
        Mode::Delete => "deleting",
        Mode::Trash => "moving to the trash",
    };
    let stop = if running.stopping {
        "stopping…"
    } else {
        "Esc or q stops it"
    };
    Some(format!(
        "{verb}: {} of {} entries, about {} of {} freed, {}/s — {stop}",
        units::count(running.removed),
        units::count(running.entries),
        units::size((running.disk as f64 * share) as u64),
        units::size(running.disk),
        units::short_count(rate),
    ))
}

/// Rows the browser's bottom panel takes for `job`.
pub fn panel_rows(app: &App, job: JobId) -> u16 {
    let marked = app.marks().totals(job).count;
    let problems = app
        .deletions()
        .report()
        .filter(|r| r.job == job)
        .map_or(0, |r| r.problems.len().min(3));
    if marked == 0 && problems == 0 {
        0
    } else {
        2 + marked.min(3) as u16 + problems as u16
    }
}

/// What is marked in `job` (the first few, and the totals), and what the
/// last deletion could not remove.
pub fn panel(app: &App, job: JobId, area: Rect, buf: &mut Buffer) {
    if area.height == 0 {
        return;
    }
    let t = app.theme();
    let totals = app.marks().totals(job);
    let title = if totals.count > 0 {
        format!(
            "MARKED {}: {} files, {} on disk (d delete, t trash, space unmark)",
            units::count(totals.count as u64),
            units::count(totals.files),
            units::size(totals.disk)
        )
    } else {
        "NOT REMOVED".to_owned()
    };
    let block = section(&title, t);
    let inner = block.inner(area);
    block.render(area, buf);
    let width = usize::from(inner.width);
    let mut lines: Vec<Line> = app
        .marks()
        .of(job)
        .into_iter()
        .take(3)
        .map(|(_, mark)| {
            Line::from(vec![
                Span::styled(format!("{:>10} ", units::size(mark.disk)), t.value),
                Span::raw(
                    elide_middle(&text::path(&mark.path), width.saturating_sub(11)).into_owned(),
                ),
            ])
        })
        .collect();
    if let Some(report) = app.deletions().report().filter(|r| r.job == job) {
        for problem in report.problems.iter().rev().take(3) {
            lines.push(Line::styled(
                truncate_end(problem, width).into_owned(),
                t.error,
            ));
        }
    }
    Paragraph::new(lines).render(inner, buf);
}
