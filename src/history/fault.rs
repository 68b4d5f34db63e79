//! Fault injection for the tests, compiled only with the `fault-injection`
//! feature: a recording that waits for a signal file before it starts (two
//! processes then race for the file), or that stops for good halfway
//! through its transaction (to be killed there).

use std::path::Path;
use std::time::Duration;

/// `DIRDASH_TEST_HISTORY_WAIT_FOR=FILE`: say so in `FILE.PID`, then wait
/// until FILE exists.
pub(super) fn before_transaction() {
    if let Some(file) = std::env::var_os("DIRDASH_TEST_HISTORY_WAIT_FOR") {
        let mut waiting = file.clone();
        waiting.push(format!(".{}", std::process::id()));
        let _ = std::fs::write(&waiting, b"waiting");
        while !Path::new(&file).exists() {
            std::thread::sleep(Duration::from_millis(2));
        }
    }
}

/// `DIRDASH_TEST_HISTORY_HOLD=FILE`: create FILE, then never go on.
pub(super) fn inside_transaction() {
    if let Some(file) = std::env::var_os("DIRDASH_TEST_HISTORY_HOLD") {
        let _ = std::fs::write(&file, b"recording");
        loop {
            std::thread::sleep(Duration::from_secs(60));
        }
    }
}
