//! The help overlay: the keys of the screen it was opened from, read from
//! the keymap, and what the dashboard's columns mean.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

use crate::tui::app::{App, STUCK_AFTER};
use crate::tui::fit::wrap_words;
use crate::tui::keymap::{self, Context};

/// The column of key names.
const KEYS_WIDTH: usize = 13;

pub fn render(app: &App, from: Context, area: Rect, buf: &mut Buffer) {
    let t = app.theme();
    let width = area.width.saturating_sub(4).min(96).max(area.width.min(30));
    let text_width = usize::from(width).saturating_sub(KEYS_WIDTH + 3).max(10);
    let mut rows: Vec<(String, String)> = keymap::help_rows(keymap::bindings(from))
        .into_iter()
        .map(|(keys, help)| (keymap::names(&keys), help.to_owned()))
        .collect();
    if from == Context::Dashboard {
        rows.push((
            "stuck".to_owned(),
            format!(
                "a worker's time in one directory, once over {} s",
                STUCK_AFTER.as_secs()
            ),
        ));
    }
    let mut lines: Vec<Line> = Vec::new();
    for (keys, help) in &rows {
        for (i, part) in wrap_words(help, text_width).into_iter().enumerate() {
            let keys = if i == 0 { keys.as_str() } else { "" };
            lines.push(Line::from(vec![
                Span::styled(format!(" {keys:<KEYS_WIDTH$} "), t.key),
                Span::styled(part, t.label),
            ]));
        }
    }
    let height = (lines.len() as u16 + 2).min(area.height);
    let popup = area.centered(Constraint::Length(width), Constraint::Length(height));
    Clear.render(popup, buf);
    let title = format!(" keys: {} ", from.title().to_lowercase());
    let block = Block::bordered()
        .border_style(t.heading)
        .title(Span::styled(title, t.heading));
    Paragraph::new(lines).block(block).render(popup, buf);
}
