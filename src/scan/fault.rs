//! Fault injection for the tests, compiled only with the `fault-injection`
//! feature (which the test suite turns on): release builds have none of it.

use std::path::Path;

use super::Options;

/// A worker waits in every directory, as on a slow disk.
pub(crate) fn maybe_wait(options: &Options) {
    if let Some(delay) = options.delay_per_dir {
        std::thread::sleep(delay);
    }
}

/// A worker panics when it enters a directory of this name.
pub(crate) fn maybe_panic_in(options: &Options, dir: &Path) {
    if let Some(name) = &options.panic_on_dir_named
        && dir.file_name() == Some(name.as_os_str())
    {
        panic!("injected fault in {}", dir.display());
    }
}
