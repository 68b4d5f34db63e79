//! The interactive dashboard: its state and `update` (`app`), its drawing
//! (`view`), its keys (`keymap`), and the loop that owns the terminal and
//! performs the actions (`runtime`, with `paths`, `exporter`, `input` and
//! `terminal`).

pub mod app;
pub mod effects;
pub mod exporter;
pub mod fit;
pub mod input;
pub mod keymap;
pub mod paths;
pub mod rates;
pub mod runtime;
pub mod terminal;
pub mod theme;
pub mod view;
