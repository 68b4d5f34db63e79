//! Styles of the dashboard. With `NO_COLOR` set, emphasis is carried by
//! bold, reverse and underline alone.

use ratatui::style::{Color, Modifier, Style};

#[derive(Clone, Copy, Debug)]
pub struct Theme {
    pub title: Style,
    pub heading: Style,
    pub label: Style,
    pub value: Style,
    pub dim: Style,
    pub selected: Style,
    pub key: Style,
    pub ok: Style,
    pub busy: Style,
    pub warn: Style,
    pub error: Style,
    pub spark: Style,
    pub bar: Style,
}

impl Theme {
    pub fn new(color: bool) -> Theme {
        if color {
            Theme {
                title: Style::new()
                    .fg(Color::Black)
                    .bg(Color::Cyan)
                    .add_modifier(Modifier::BOLD),
                heading: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
                label: Style::new().fg(Color::Gray),
                value: Style::new().add_modifier(Modifier::BOLD),
                dim: Style::new().fg(Color::DarkGray),
                selected: Style::new().add_modifier(Modifier::REVERSED),
                key: Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
                ok: Style::new().fg(Color::Green),
                busy: Style::new().fg(Color::Cyan),
                warn: Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
                error: Style::new().fg(Color::Red),
                spark: Style::new().fg(Color::Cyan),
                bar: Style::new().fg(Color::Blue),
            }
        } else {
            let plain = Style::new();
            Theme {
                title: Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
                heading: Style::new().add_modifier(Modifier::BOLD),
                label: plain,
                value: Style::new().add_modifier(Modifier::BOLD),
                dim: plain,
                selected: Style::new().add_modifier(Modifier::REVERSED),
                key: Style::new().add_modifier(Modifier::BOLD),
                ok: plain,
                busy: plain,
                warn: Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
                error: Style::new().add_modifier(Modifier::BOLD),
                spark: plain,
                bar: plain,
            }
        }
    }

    /// Colours unless `NO_COLOR` is set (https://no-color.org) or `color`
    /// (the config file) says no.
    pub fn from_env(color: bool) -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme::new(color && !no_color)
    }
}
