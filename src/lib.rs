//! dirdash: scan directory trees in parallel, live in a terminal dashboard or
//! headless for scripts. ARCHITECTURE.md maps the modules and their rules.

/// `eprintln!` that does not panic when stderr is gone (a closed terminal,
/// a closed pipe): a message that cannot be shown is dropped.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// `eprint!` with the same care.
#[macro_export]
macro_rules! say_part {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($arg)*);
    }};
}

pub mod cli;
pub mod commands;
pub mod config;
pub mod delete;
pub mod headless;
pub mod history;
pub mod import;
pub mod report;
pub mod scan;
pub mod session;
pub mod settings;
pub mod signals;
pub mod tree;
pub mod tui;
