//! The two lines above every screen: what the dashboard is doing, and the
//! totals of every job.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::report::{progress, units};
use crate::tui::app::App;

pub fn title_bar(app: &App, area: Rect, buf: &mut Buffer) {
    let t = app.theme();
    buf.set_style(area, t.title);
    let elapsed = units::duration(app.tally().elapsed_at(app.now()));
    let mut text = format!(
        " dirdash  {}  {} workers  {}  {} entries/s ",
        app.activity(),
        app.threads(),
        elapsed,
        units::short_count(app.rates().total),
    );
    if let Some(estimate) = app.tally().estimate() {
        let from_inodes = app.tally().estimated_from_inodes();
        text.push_str(&format!(" {} ", progress::describe(&estimate, from_inodes)));
    }
    Line::styled(text, t.title).render(area, buf);
}

pub fn totals_line(app: &App, area: Rect, buf: &mut Buffer) {
    let t = app.theme();
    let sum = app.tally().totals();
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
