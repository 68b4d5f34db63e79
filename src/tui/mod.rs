//! The interactive dashboard.

pub mod app;
pub mod detail;
pub mod exporter;
pub mod fit;
pub mod input;
pub mod prompt;
pub mod rates;
pub mod runtime;
pub mod terminal;
pub mod theme;
pub mod view;
