//! dirdash: scan directory trees in parallel, live in a terminal dashboard or
//! headless for scripts.

pub mod cli;
pub mod headless;
pub mod report;
pub mod scan;
pub mod signals;
pub mod tui;
