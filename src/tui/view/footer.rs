//! The last line: the keys that work now, read from the keymap, the most
//! useful kept when room is short.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::tui::app::{App, Purpose};
use crate::tui::keymap::{self, Command, Footer};

/// Which of a binding's footer words fits the state now.
fn state(app: &App, command: Command) -> usize {
    match command {
        Command::PauseResume => usize::from(app.is_paused()),
        Command::ToggleApparent => usize::from(app.browser().is_some_and(|b| b.order().apparent)),
        Command::Submit => match app.prompt().map(|p| p.purpose()) {
            Some(Purpose::Export { .. }) => 1,
            Some(Purpose::Filter) => 2,
            _ => 0,
        },
        _ => 0,
    }
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let t = app.theme();
    let keys: Vec<(&Footer, &str)> = keymap::bindings(app.context())
        .filter_map(|b| {
            let footer = b.footer.as_ref()?;
            let label = footer
                .labels
                .get(state(app, b.command))
                .or(footer.labels.first())?;
            Some((footer, *label))
        })
        .collect();
    let lead = if app.stopping().is_some() {
        "stopping…  "
    } else {
        ""
    };
    let width = |keys: &[&(&Footer, &str)]| {
        lead.len()
            + keys
                .iter()
                .map(|(f, label)| f.keys.chars().count() + label.len() + 3)
                .sum::<usize>()
    };
    let mut shown: Vec<&(&Footer, &str)> = keys.iter().collect();
    while width(&shown) > usize::from(area.width) && shown.len() > 1 {
        let least = shown
            .iter()
            .enumerate()
            .max_by_key(|(_, (f, _))| f.priority)
            .map(|(i, _)| i);
        shown.remove(least.unwrap_or(0));
    }
    let mut spans = Vec::with_capacity(shown.len() * 2 + 1);
    spans.push(Span::styled(lead, t.warn));
    for (footer, label) in shown {
        spans.push(Span::styled(footer.keys, t.key));
        spans.push(Span::styled(format!(" {label}  "), t.label));
    }
    Line::from(spans).render(area, buf);
}
