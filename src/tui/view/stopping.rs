//! The box a slow stop shows: which workers it still waits for, and where.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

use crate::report::{text, units};
use crate::scan::WorkerStatus;
use crate::tui::app::App;
use crate::tui::fit::elide_middle;

pub fn render(app: &App, waiting: &[&WorkerStatus], area: Rect, buf: &mut Buffer) {
    let t = app.theme();
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
                units::duration(app.now().saturating_duration_since(w.since))
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
