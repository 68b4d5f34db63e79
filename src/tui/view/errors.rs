//! Errors on screen: one line each (path elided in the middle, then the
//! reason), the screen of every recent error, and a scrolled list of them
//! that the job detail shares.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::widgets::section;
use crate::report::{ErrorRecord, text, units};
use crate::tui::app::App;
use crate::tui::fit::{elide_middle, truncate_end};
use crate::tui::theme::Theme;

pub fn error_line(e: &ErrorRecord, width: usize, t: &Theme) -> Line<'static> {
    let reason = text::plain_reason(&e.reason);
    let reason_width = reason.len().min(width / 2);
    let path_width = width.saturating_sub(reason_width + 2);
    Line::from(vec![
        Span::raw(elide_middle(&text::path(&e.path), path_width).into_owned()),
        Span::styled(": ", t.dim),
        Span::styled(truncate_end(reason, reason_width).into_owned(), t.error),
    ])
}

/// The screen of every recent error.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let log = &app.tally().errors;
    let kept = log.kept();
    let title = if log.total() as usize > kept.len() {
        format!(
            "ERRORS (the latest {} of {})",
            kept.len(),
            units::count(log.total())
        )
    } else {
        "ERRORS".to_owned()
    };
    scrolled(app, kept.len(), |i| kept.get(i), &title, area, buf);
}

/// `len` errors, the `i`th from `error(i)`, from the app's scroll position.
pub fn scrolled<'a>(
    app: &App,
    len: usize,
    error: impl Fn(usize) -> Option<&'a ErrorRecord>,
    title: &str,
    area: Rect,
    buf: &mut Buffer,
) {
    let t = app.theme();
    let block = section(title, t);
    let inner = block.inner(area);
    block.render(area, buf);
    if len == 0 {
        Line::styled("no errors", t.dim).render(inner, buf);
        return;
    }
    let height = usize::from(inner.height).max(1);
    let top = app.scroll().min(len.saturating_sub(height));
    let lines: Vec<Line> = (top..len.min(top + height))
        .filter_map(&error)
        .map(|e| error_line(e, usize::from(inner.width), t))
        .collect();
    Paragraph::new(lines).render(inner, buf);
}
