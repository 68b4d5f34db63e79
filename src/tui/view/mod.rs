//! Drawing the dashboard: `impl Widget for &App`, pure. This module lays
//! out the regions and picks the screen; each screen and overlay draws
//! itself in its own module, with the pieces in `widgets`. Only visible
//! rows are formatted.

mod browser;
mod dashboard;
mod deletion;
mod detail;
mod errors;
mod footer;
mod header;
mod help;
mod prompt;
mod stopping;
mod widgets;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Widget;

use super::app::{App, Overlay, Screen};
use super::fit::truncate_end;

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let prompt_rows = prompt::rows(self.prompt(), area.height);
        let progress = deletion::progress_line(self);
        let notice_rows = u16::from(self.notice().is_some() || progress.is_some());
        let [title, totals, body, notice, prompt_area, footer_area] =
            area.layout(&Layout::vertical([
                Constraint::Length(1),
                Constraint::Length(1),
                Constraint::Fill(1),
                Constraint::Length(notice_rows),
                Constraint::Length(prompt_rows),
                Constraint::Length(1),
            ]));
        header::title_bar(self, title, buf);
        header::totals_line(self, totals, buf);
        match self.screen() {
            Screen::Dashboard => dashboard::render(self, body, buf),
            Screen::Browser(_) => browser::render(self, body, buf),
            Screen::Detail(job) => detail::render(self, job, body, buf),
            Screen::Errors => errors::render(self, body, buf),
        }
        if let Some(line) = progress
            .as_deref()
            .or(self.notice().map(|n| n.text.as_str()))
        {
            Line::styled(
                truncate_end(line, usize::from(notice.width)),
                self.theme().warn,
            )
            .render(notice, buf);
        }
        prompt::render(self, prompt_area, buf);
        footer::render(self, footer_area, buf);
        if let Overlay::Help { from } = self.overlay() {
            help::render(self, *from, area, buf);
        } else if let Overlay::Confirm(confirm) = self.overlay() {
            deletion::confirm(self, confirm, area, buf);
        } else if let Some(waiting) = self.stop_waits_on() {
            stopping::render(self, &waiting, area, buf);
        }
    }
}
