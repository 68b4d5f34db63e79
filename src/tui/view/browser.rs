//! The browser screen: where you are, then the directory's entries in
//! order with their size, a bar and share of the directory, their items,
//! and a marker. Only the rows on screen are decoded.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::deletion;
use super::widgets::{Column, Columns, bar, section};
use crate::report::{JobRecord, units};
use crate::scan::JobState;
use crate::scan::listing::{Entry, EntryKind};
use crate::tree::sorted::SortKey;
use crate::tree::{JobTree, Node};
use crate::tui::app::{App, Browser, Drawn, EarlierDir};
use crate::tui::fit::elide_middle;
use crate::tui::theme::Theme;

/// The change column, shown when there is an earlier scan.
const CHANGE_WIDTH: usize = 10;

const COLUMNS: Columns = Columns {
    fixed: &[
        Column::right("size", 10),
        Column::left("", 12),
        Column::right("%", 6),
        Column::right("items", 7),
        // Marked for deletion.
        Column::left("", 1),
        Column::left("", 1),
    ],
    spacing: 1,
    lead: 0,
};

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let t = app.theme();
    let Some(browser) = app.browser() else {
        return;
    };
    let Some(job) = app.tally().job(browser.job()) else {
        return;
    };
    let Some(tree) = job.tree.as_deref() else {
        Line::styled("no tree was kept for this job", t.dim).render(area, buf);
        return;
    };
    let [path_line, list, panel] = area.layout(&Layout::vertical([
        Constraint::Length(2),
        Constraint::Fill(1),
        Constraint::Length(deletion::panel_rows(app, browser.job())),
    ]));
    where_line(app, job, tree, browser, path_line, buf);
    deletion::panel(app, browser.job(), panel, buf);
    let block = section(&title(browser), t);
    let inner = block.inner(list);
    block.render(list, buf);
    let [header, rows] = inner.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
    ]));
    let size_label = if browser.order().apparent {
        "apparent"
    } else {
        "disk"
    };
    let mut head: Vec<String> = vec![
        format!("{size_label:>10} "),
        format!("{:<12} ", ""),
        format!("{:>6} ", "%"),
        format!("{:>7} ", "items"),
    ];
    if browser.earlier().is_some() {
        head.push(format!("{:>CHANGE_WIDTH$} ", "change"));
    }
    head.push("   name".to_owned());
    let head: Vec<Span> = head
        .into_iter()
        .map(|text| Span::styled(text, t.label))
        .collect();
    Line::from(head).render(header, buf);
    entries(app, job, tree, browser, rows, buf);
}

fn title(browser: &Browser) -> String {
    let order = browser.order();
    let key = match order.key {
        SortKey::Size => "size",
        SortKey::Count => "items",
        SortKey::Name => "name",
        SortKey::Mtime => "time",
        SortKey::Change => "change",
    };
    let way = if order.reversed { "↑" } else { "↓" };
    let mut title = format!("BY {} {way}", key.to_uppercase());
    if !browser.filter().is_empty() {
        title.push_str(&format!("  FILTER \"{}\"", browser.filter()));
    }
    title
}

/// The path of the directory shown, and what it holds.
fn where_line(
    app: &App,
    job: &JobRecord,
    tree: &JobTree,
    browser: &Browser,
    area: Rect,
    buf: &mut Buffer,
) {
    let t = app.theme();
    let node = browser.node();
    let path = tree
        .path_of(node)
        .unwrap_or_else(|| tree.root_path().to_path_buf());
    let Some(dir) = tree.dir(node) else {
        return;
    };
    let sums = dir.sums();
    let size = if browser.order().apparent {
        sums.bytes
    } else {
        sums.disk
    };
    let state = if dir.is_open() && !job.state.is_finished() {
        "  scanning…"
    } else if dir.is_incomplete() {
        "  incomplete"
    } else {
        ""
    };
    let facts = format!(
        "{}  {} files  {} dirs  {} items{state}",
        units::size(size),
        units::count(sums.files),
        units::count(sums.dirs),
        units::count(sums.entries),
    );
    let width = usize::from(area.width);
    let path_text = crate::report::text::path(&path);
    Line::from(Span::styled(
        elide_middle(&path_text, width).into_owned(),
        t.value,
    ))
    .render(area, buf);
    let second = Rect {
        y: area.y + 1,
        height: area.height.saturating_sub(1),
        ..area
    };
    let style = if dir.has_errors() { t.error } else { t.label };
    Line::styled(facts, style).render(second, buf);
}

/// What one row shows of an entry.
struct Shown {
    size: u64,
    items: Option<u64>,
    marker: (char, Style),
    name: String,
}

fn shown(tree: &JobTree, entry: &Entry, apparent: bool, running: bool, t: &Theme) -> Shown {
    let dir = entry.entered().then(|| tree.dir(entry.node)).flatten();
    let size = match dir {
        Some(d) if apparent => d.sums().bytes,
        Some(d) => d.sums().disk,
        None if apparent => entry.size,
        None => entry.disk(),
    };
    let marker = if entry.kind == EntryKind::Unreadable || dir.is_some_and(|d| d.has_errors()) {
        ('!', t.error)
    } else if dir.is_some_and(|d| d.is_open()) && running {
        ('…', t.busy)
    } else if dir.is_some_and(|d| d.is_incomplete()) {
        ('?', t.warn)
    } else if entry.other_fs {
        ('>', t.dim)
    } else if entry.kind == EntryKind::Excluded {
        ('x', t.dim)
    } else if entry.is_hard_link() {
        ('H', t.dim)
    } else if entry.kind == EntryKind::Symlink {
        ('@', t.dim)
    } else {
        (' ', t.dim)
    };
    let mut name = crate::report::text::escaped(&String::from_utf8_lossy(entry.name)).into_owned();
    if entry.kind == EntryKind::Dir {
        name.push('/');
    }
    Shown {
        size,
        items: dir.map(|d| d.sums().entries),
        marker,
        name,
    }
}

fn entries(
    app: &App,
    job: &JobRecord,
    tree: &JobTree,
    browser: &Browser,
    area: Rect,
    buf: &mut Buffer,
) {
    let t = app.theme();
    let rows = browser.rows();
    let height = usize::from(area.height);
    let node: Node = browser.node();
    if rows.is_empty() {
        let text = match tree.dir(node) {
            Some(d) if d.is_open() && !job.state.is_finished() => "not read yet…",
            _ if !browser.filter().is_empty() => "no name holds the filter",
            _ => "empty",
        };
        Line::styled(format!("  {text}"), t.dim).render(area, buf);
        browser.set_drawn(Drawn { top: 0, list: area });
        return;
    }
    let selected = browser.selected_row().unwrap_or(0);
    // The selection stays on screen; otherwise the list stays where it was.
    let mut top = browser.drawn().top.min(rows.len().saturating_sub(height));
    if selected < top {
        top = selected;
    } else if selected >= top + height {
        top = selected + 1 - height;
    }
    browser.set_drawn(Drawn { top, list: area });
    let apparent = browser.order().apparent;
    let running = job.state == JobState::Scanning || job.state == JobState::Queued;
    let total = tree.dir(node).map_or(0, |d| {
        if apparent {
            d.sums().bytes
        } else {
            d.sums().disk
        }
    });
    let earlier = browser.earlier_dir(tree);
    let compared = browser.earlier().is_some();
    let name_width = COLUMNS
        .rest(area.width, COLUMNS.fixed.len())
        .saturating_sub(if compared { CHANGE_WIDTH + 1 } else { 0 });
    let lines: Vec<Line> = rows
        .iter()
        .enumerate()
        .skip(top)
        .take(height)
        .filter_map(|(i, &offset)| {
            let entry = tree.entry(node, offset)?;
            let row = shown(tree, &entry, apparent, running, t);
            let percent = if total == 0 {
                0.0
            } else {
                row.size as f64 * 100.0 / total as f64
            };
            let items = row.items.map(units::short_count).unwrap_or_default();
            let marked = app.marks().is_marked(browser.job(), node, offset);
            let mut spans = vec![
                Span::styled(format!("{:>10} ", units::size(row.size)), t.value),
                Span::styled(format!("{} ", bar(row.size, total, 12)), t.bar),
                Span::raw(format!("{percent:>5.1}% ")),
                Span::styled(format!("{items:>7} "), t.dim),
            ];
            if compared {
                let (text, style) = change(tree, &entry, earlier.as_ref(), t);
                spans.push(Span::styled(format!("{text:>CHANGE_WIDTH$} "), style));
            }
            spans.extend([
                Span::styled(if marked { "*" } else { " " }, t.warn),
                Span::styled(row.marker.0.to_string(), row.marker.1),
                Span::raw(" "),
                Span::raw(elide_middle(&row.name, name_width).into_owned()),
            ]);
            let line = Line::from(spans);
            Some(if i == selected {
                line.style(t.selected)
            } else {
                line
            })
        })
        .collect();
    Paragraph::new(lines).render(area, buf);
}

/// A directory's disk usage against the earlier scan: `+1.20 GiB`, `new`;
/// nothing for entries that are not directories the scan entered (the
/// history keeps directories) or did not change.
fn change(
    tree: &JobTree,
    entry: &Entry,
    earlier: Option<&EarlierDir<'_>>,
    t: &Theme,
) -> (String, Style) {
    let Some(dir) = entry.entered().then(|| tree.dir(entry.node)).flatten() else {
        return (String::new(), t.dim);
    };
    let now = dir.sums().disk;
    match earlier.and_then(|e| e.disk_of(entry.name)) {
        None => ("new".to_owned(), t.warn),
        Some(before) if before == now => (String::new(), t.dim),
        Some(before) => {
            let grew = now > before;
            let text = units::signed_size(i128::from(now) - i128::from(before));
            (text, if grew { t.warn } else { t.dim })
        }
    }
}
