//! The prompt above the footer: what it asks, the text with its cursor,
//! why the last Enter was refused, and the candidates of a second Tab.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::tui::app::{App, Prompt, Purpose};
use crate::tui::fit::truncate_end;

/// Rows the prompt takes in a screen `height` high.
pub fn rows(prompt: Option<&Prompt>, height: u16) -> u16 {
    prompt.map_or(0, |p| {
        2 + p.candidates().len().min(usize::from(height / 4)) as u16
    })
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let Some(prompt) = app.prompt() else {
        return;
    };
    if area.height == 0 {
        return;
    }
    let t = app.theme();
    let label = match prompt.purpose() {
        Purpose::AddRoot => "add directory: ",
        Purpose::Export { .. } => "export to: ",
        Purpose::Filter => "filter: ",
    };
    let [input, message, list] = area.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
    ]));
    let width = usize::from(input.width).saturating_sub(label.len() + 1);
    let editor = prompt.input();
    let scroll = editor.visual_scroll(width);
    let visible: String = editor.value().chars().skip(scroll).collect();
    Line::from(vec![
        Span::styled(label, t.heading),
        Span::raw(truncate_end(&visible, width).into_owned()),
    ])
    .render(input, buf);
    // The cursor cell, drawn reversed (the real cursor stays hidden).
    let cursor_x = input.x + label.len() as u16 + (editor.visual_cursor() - scroll) as u16;
    if let Some(cell) = buf.cell_mut((cursor_x.min(input.right().saturating_sub(1)), input.y)) {
        cell.set_style(t.selected);
    }
    if let Some(text) = prompt.message() {
        Line::styled(
            truncate_end(text, usize::from(message.width)).into_owned(),
            t.warn,
        )
        .render(message, buf);
    }
    if !prompt.candidates().is_empty() {
        let per_row = (usize::from(list.width) / 24).max(1);
        let lines: Vec<Line> = prompt
            .candidates()
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
