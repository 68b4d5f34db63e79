//! Pieces every screen draws with: section headings, right-aligned cells,
//! bars, a job's state in its colour, and tables of fixed columns whose
//! widths are written once.

use ratatui::layout::Constraint;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Row};

use crate::report::JobRecord;
use crate::scan::JobState;
use crate::tui::app::App;
use crate::tui::theme::Theme;

/// A heading rule with a title, above a region.
pub fn section(title: &str, theme: &Theme) -> Block<'static> {
    Block::new()
        .borders(Borders::TOP)
        .border_style(theme.dim)
        .title(Span::styled(format!(" {title} "), theme.heading))
}

pub fn right(text: String) -> Cell<'static> {
    Cell::from(Line::from(text).right_aligned())
}

/// A job's state as the dashboard names it, in its style.
pub fn job_state(app: &App, job: &JobRecord) -> (&'static str, Style) {
    let t = app.theme();
    if app.jobs().is_cancelling(job.id) && !job.state.is_finished() {
        return ("cancelling", t.warn);
    }
    let style = match job.state {
        JobState::Done | JobState::Imported => t.ok,
        JobState::Scanning => t.busy,
        JobState::Queued => t.dim,
        JobState::Cancelled | JobState::Stopped => t.warn,
        JobState::Failed => t.error,
    };
    (job.state.as_str(), style)
}

/// A bar of `value` out of `max` in `width` cells, in eighths of a cell.
pub fn bar(value: u64, max: u64, width: usize) -> String {
    const EIGHTHS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
    if max == 0 || width == 0 {
        return " ".repeat(width);
    }
    let eighths = ((value as u128 * width as u128 * 8) / max as u128) as usize;
    let mut out = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        out.push(EIGHTHS[eighths % 8]);
    }
    let used = out.chars().count();
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(used)));
    out
}

/// A fixed column of a table: its header and width, and whether its cells
/// are right-aligned (numbers are).
#[derive(Clone, Copy, Debug)]
pub struct Column {
    pub name: &'static str,
    pub width: u16,
    pub align_right: bool,
}

impl Column {
    pub const fn left(name: &'static str, width: u16) -> Column {
        Column {
            name,
            width,
            align_right: false,
        }
    }

    pub const fn right(name: &'static str, width: u16) -> Column {
        Column {
            name,
            width,
            align_right: true,
        }
    }
}

/// A table's fixed columns, before one column that takes the rest of the
/// row: the one place their widths are written.
pub struct Columns<'a> {
    pub fixed: &'a [Column],
    /// Cells between columns.
    pub spacing: u16,
    /// Cells before the first column (a highlight symbol).
    pub lead: u16,
}

impl Columns<'_> {
    /// Width left for the last column in a row `width` wide, with the
    /// first `shown` fixed columns.
    pub fn rest(&self, width: u16, shown: usize) -> usize {
        let fixed: usize = self.fixed[..shown]
            .iter()
            .map(|c| usize::from(c.width + self.spacing))
            .sum();
        usize::from(width).saturating_sub(usize::from(self.lead) + fixed)
    }

    /// The constraints of the first `shown` columns and the last.
    pub fn constraints(&self, shown: usize) -> Vec<Constraint> {
        let mut widths: Vec<Constraint> = self.fixed[..shown]
            .iter()
            .map(|c| Constraint::Length(c.width))
            .collect();
        widths.push(Constraint::Fill(1));
        widths
    }

    /// The header row of the first `shown` columns and the last, `last`.
    pub fn header(&self, shown: usize, last: &'static str) -> Row<'static> {
        let mut cells: Vec<Cell> = self.fixed[..shown]
            .iter()
            .map(|c| {
                if c.align_right {
                    right(c.name.into())
                } else {
                    Cell::from(c.name)
                }
            })
            .collect();
        cells.push(Cell::from(last));
        Row::new(cells)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_fill_in_eighths_and_keep_their_width() {
        assert_eq!(bar(0, 10, 4), "    ");
        assert_eq!(bar(10, 10, 4), "████");
        assert_eq!(bar(5, 10, 4), "██  ");
        assert_eq!(bar(1, 16, 2), "▏ ");
        assert_eq!(bar(3, 0, 3), "   ");
    }

    #[test]
    fn the_last_column_gets_what_the_fixed_ones_leave() {
        let columns = Columns {
            fixed: &[Column::left("a", 3), Column::right("b", 8)],
            spacing: 1,
            lead: 2,
        };
        assert_eq!(columns.rest(40, 2), 40 - 2 - 4 - 9);
        assert_eq!(columns.rest(40, 1), 40 - 2 - 4);
        assert_eq!(columns.rest(5, 2), 0);
        assert_eq!(columns.constraints(1).len(), 2);
    }
}
