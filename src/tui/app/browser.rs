//! The tree browser of one job: the directory shown, its rows in order
//! (kept up to date while the scan goes on), the selected entry, held by
//! identity (its offset in the listing) so that it stays the same entry
//! when the rows re-sort, the sort order and the filter.

use std::cell::Cell;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ratatui::layout::Rect;

use crate::history::{BASE_ROOT, Baseline, BaselineDirs};
use crate::scan::JobId;
use crate::tree::sorted::{Earlier, Order, SortKey, SortedDir};
use crate::tree::{JobTree, Node, ROOT};
use crate::tui::keymap::Command;

/// Two clicks on one row this close together open it.
const DOUBLE_CLICK: Duration = Duration::from_millis(500);
/// Rows one turn of the wheel moves.
const WHEEL_ROWS: usize = 3;

/// Where the list was last drawn: the view writes it, the mouse and the
/// page keys read it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Drawn {
    /// The first row shown.
    pub top: usize,
    /// The rows' area on screen.
    pub list: Rect,
}

#[derive(Debug)]
pub struct Browser {
    job: JobId,
    view: SortedDir,
    /// The selected entry's offset in the shown directory's listing.
    selected: Option<u32>,
    filter: String,
    /// The tree's generation the rows were made from: after an edit (a
    /// deletion), they are made again.
    generation: u64,
    drawn: Cell<Drawn>,
    last_click: Option<(Instant, u32)>,
    /// The job's last complete scan, for the change column and its sort.
    earlier: Option<Arc<Baseline>>,
}

/// One directory of an earlier scan: its subdirectories' sizes by name.
#[derive(Clone, Copy)]
pub struct EarlierDir<'a> {
    pub dirs: &'a BaselineDirs,
    pub id: u32,
}

impl EarlierDir<'_> {
    /// The disk usage of subdirectory `name` then; `None` when it was not
    /// there.
    pub fn disk_of(&self, name: &[u8]) -> Option<u64> {
        let child = self.dirs.child(self.id, name)?;
        self.dirs.size(child).map(|s| s.disk)
    }
}

impl Earlier for EarlierDir<'_> {
    fn disk(&self, name: &[u8]) -> Option<u64> {
        self.disk_of(name)
    }
}

/// Directory `node` in `earlier`, found by the names on its way down;
/// `None` when the earlier scan did not have it.
fn earlier_dir<'a>(
    earlier: Option<&'a Baseline>,
    tree: &JobTree,
    node: Node,
) -> Option<EarlierDir<'a>> {
    let dirs = &earlier?.dirs;
    let mut id = BASE_ROOT;
    dirs.size(id)?;
    for &step in tree.ancestry(node).iter().skip(1) {
        id = dirs.child(id, tree.name_of(step)?)?;
    }
    Some(EarlierDir { dirs, id })
}

/// What a click did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Click {
    Nothing,
    Selected,
    /// A second click on the same row: open it.
    Opened,
}

impl Browser {
    /// The browser of `job`, at its root.
    pub fn new(job: JobId, order: Order, earlier: Option<Arc<Baseline>>) -> Browser {
        Browser {
            job,
            view: SortedDir::new(ROOT, order, ""),
            selected: None,
            filter: String::new(),
            generation: 0,
            drawn: Cell::new(Drawn::default()),
            last_click: None,
            earlier,
        }
    }

    /// The job's last complete scan, when there is one.
    pub fn earlier(&self) -> Option<&Baseline> {
        self.earlier.as_deref()
    }

    /// The directory shown, as the earlier scan had it.
    pub fn earlier_dir(&self, tree: &JobTree) -> Option<EarlierDir<'_>> {
        earlier_dir(self.earlier.as_deref(), tree, self.node())
    }

    /// The earlier scan arrived (after the browser opened).
    pub(super) fn set_earlier(&mut self, tree: &JobTree, earlier: Option<Arc<Baseline>>) {
        self.earlier = earlier;
        self.reorder(tree, self.order());
    }

    pub fn job(&self) -> JobId {
        self.job
    }

    /// The directory shown.
    pub fn node(&self) -> Node {
        self.view.node()
    }

    pub fn order(&self) -> Order {
        self.view.order()
    }

    /// The entries' offsets, in order.
    pub fn rows(&self) -> &[u32] {
        self.view.rows()
    }

    pub fn selected(&self) -> Option<u32> {
        self.selected
    }

    /// The selected entry's row.
    pub fn selected_row(&self) -> Option<usize> {
        let selected = self.selected?;
        self.rows().iter().position(|&o| o == selected)
    }

    pub fn filter(&self) -> &str {
        &self.filter
    }

    pub fn drawn(&self) -> Drawn {
        self.drawn.get()
    }

    /// Set by the view as it draws the list.
    pub fn set_drawn(&self, drawn: Drawn) {
        self.drawn.set(drawn);
    }

    /// Brings the rows up to date; true when anything shown changed. The
    /// selection stays on its entry; with none (or one filtered out), the
    /// first row is selected.
    pub(super) fn refresh(&mut self, tree: &JobTree) -> bool {
        if tree.generation() != self.generation {
            self.generation = tree.generation();
            // Gone with a deleted directory: back at the root.
            let node = if tree.dir(self.node()).is_some() {
                self.node()
            } else {
                ROOT
            };
            self.view = SortedDir::new(node, self.order(), &self.filter);
        }
        let earlier = earlier_dir(self.earlier.as_deref(), tree, self.view.node());
        let changed = self
            .view
            .refresh_against(tree, earlier.as_ref().map(|e| e as &dyn Earlier));
        if self.selected_row().is_none() {
            let first = self.rows().first().copied();
            if first != self.selected {
                self.selected = first;
                return true;
            }
        }
        changed
    }

    /// Moves the selection as a navigation command says.
    pub(super) fn navigate(&mut self, command: Command) {
        let len = self.rows().len();
        if len == 0 {
            return;
        }
        let page = usize::from(self.drawn().list.height).max(1);
        let at = self.selected_row().unwrap_or(0);
        let to = match command {
            Command::Up => at.saturating_sub(1),
            Command::Down => at + 1,
            Command::PageUp => at.saturating_sub(page),
            Command::PageDown => at + page,
            Command::First => 0,
            Command::Last => len - 1,
            _ => at,
        }
        .min(len - 1);
        self.selected = Some(self.rows()[to]);
    }

    /// Into the selected directory; false when it is not one the scan
    /// entered.
    pub(super) fn enter(&mut self, tree: &JobTree) -> bool {
        let Some(entry) = self.selected.and_then(|o| tree.entry(self.node(), o)) else {
            return false;
        };
        if !entry.entered() {
            return false;
        }
        self.show(tree, entry.node, None);
        true
    }

    /// Up to the parent, the directory left selected there.
    pub(super) fn up(&mut self, tree: &JobTree) -> bool {
        let node = self.node();
        let Some(dir) = tree.dir(node) else {
            return false;
        };
        match dir.parent() {
            Some(parent) if node != ROOT => {
                self.show(tree, parent, dir.slot());
                true
            }
            _ => false,
        }
    }

    /// Shows `node` with `selected` (an offset in its listing) selected.
    pub(super) fn show(&mut self, tree: &JobTree, node: Node, selected: Option<u32>) {
        self.view = SortedDir::new(node, self.order(), &self.filter);
        self.selected = selected;
        self.drawn.set(Drawn::default());
        self.refresh(tree);
    }

    /// Sorts by `key`; by the same key again, the other way round.
    pub(super) fn sort_by(&mut self, tree: &JobTree, key: SortKey) {
        let mut order = self.order();
        if order.key == key {
            order.reversed = !order.reversed;
        } else {
            order.key = key;
            order.reversed = false;
        }
        self.reorder(tree, order);
    }

    pub(super) fn toggle_apparent(&mut self, tree: &JobTree) {
        let order = Order {
            apparent: !self.order().apparent,
            ..self.order()
        };
        self.reorder(tree, order);
    }

    fn reorder(&mut self, tree: &JobTree, order: Order) {
        self.view = SortedDir::new(self.node(), order, &self.filter);
        self.refresh(tree);
    }

    /// Shows only the entries whose name holds `text` (any case).
    pub(super) fn set_filter(&mut self, tree: &JobTree, text: &str) {
        if self.filter != text {
            self.filter = text.to_owned();
            self.view = SortedDir::new(self.node(), self.order(), &self.filter);
            self.refresh(tree);
        }
    }

    /// A click at a cell of the screen.
    pub(super) fn click(&mut self, column: u16, row: u16, now: Instant) -> Click {
        let drawn = self.drawn();
        let list = drawn.list;
        let inside =
            column >= list.x && column < list.right() && row >= list.y && row < list.bottom();
        let index = drawn.top + usize::from(row.saturating_sub(list.y));
        let Some(&offset) = self.rows().get(index).filter(|_| inside) else {
            return Click::Nothing;
        };
        let again = self.last_click.is_some_and(|(at, o)| {
            o == offset && now.saturating_duration_since(at) <= DOUBLE_CLICK
        });
        self.selected = Some(offset);
        if again {
            self.last_click = None;
            Click::Opened
        } else {
            self.last_click = Some((now, offset));
            Click::Selected
        }
    }

    /// A turn of the wheel.
    pub(super) fn wheel(&mut self, down: bool) {
        let command = if down { Command::Down } else { Command::Up };
        for _ in 0..WHEEL_ROWS {
            self.navigate(command);
        }
    }
}
