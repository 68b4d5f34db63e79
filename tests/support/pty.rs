//! The real binary in a real pseudo-terminal, its screen read by a terminal
//! emulator (vt100), through `sh` so that stdout goes to a file and the
//! terminal's mode can be read after dirdash exits.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

pub const ROWS: u16 = 30;
pub const COLS: u16 = 110;
/// Generous: only there to turn a hang into a failure.
pub const WAIT: Duration = Duration::from_secs(30);

pub fn open_pty() -> portable_pty::PtyPair {
    native_pty_system()
        .openpty(PtySize {
            rows: ROWS,
            cols: COLS,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap()
}

/// dirdash running in a pty, through `sh` so that stdout goes to a file and
/// the terminal's mode can be read after dirdash exits.
pub struct Session {
    _dir: tempfile::TempDir,
    out: PathBuf,
    status: PathBuf,
    stty: PathBuf,
    screen: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    _master: Box<dyn MasterPty + Send>,
}

impl Session {
    pub fn start(args: &[&str], env: &[(&str, &str)]) -> Session {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("stdout");
        let status = dir.path().join("status");
        let stty = dir.path().join("stty");
        let pty = open_pty();
        let mut cmd = CommandBuilder::new("sh");
        cmd.arg("-c");
        cmd.arg(r#"out=$1; status=$2; stty_file=$3; shift 3; "$@" > "$out"; echo $? > "$status"; stty -a > "$stty_file""#);
        cmd.arg("sh");
        for path in [&out, &status, &stty] {
            cmd.arg(path);
        }
        cmd.arg(env!("CARGO_BIN_EXE_dirdash"));
        for arg in args {
            cmd.arg(arg);
        }
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
        // The dashboard records its scans: in the session's own directory,
        // never in the user's history.
        cmd.env("XDG_STATE_HOME", dir.path().join("state"));
        cmd.env("XDG_CONFIG_HOME", super::NO_CONFIG_HOME);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pty.slave.spawn_command(cmd).unwrap();
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            ROWS.try_into().unwrap(),
            COLS.try_into().unwrap(),
            0,
        )));
        let mut reader = pty.master.try_clone_reader().unwrap();
        let feed = Arc::clone(&screen);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                feed.lock().unwrap().process(&buf[..n]);
            }
        });
        let writer = pty.master.take_writer().unwrap();
        Session {
            _dir: dir,
            out,
            status,
            stty,
            screen,
            writer,
            child,
            _master: pty.master,
        }
    }

    pub fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// How many cells of the screen have a colour of their own.
    pub fn coloured_cells(&self) -> usize {
        let parser = self.screen.lock().unwrap();
        let screen = parser.screen();
        let (rows, cols) = screen.size();
        (0..rows.get())
            .flat_map(|row| (0..cols.get()).map(move |col| (row, col)))
            .filter_map(|(row, col)| screen.cell(row, col))
            .filter(|cell| {
                cell.fgcolor() != vt100::Color::Default || cell.bgcolor() != vt100::Color::Default
            })
            .count()
    }

    /// The directory the session's `XDG_STATE_HOME` points into.
    pub fn state_dir(&self) -> PathBuf {
        self._dir.path().join("state")
    }

    /// Waits until the screen satisfies `ok`; returns the screen.
    pub fn wait_for(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let screen = self.contents();
            if ok(&screen) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    pub fn wait_text(&self, text: &str) -> String {
        self.wait_for(text, |s| s.contains(text))
    }

    pub fn send(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Waits for dirdash (and the wrapper) to end; returns its exit code.
    pub fn wait_exit(&mut self) -> i32 {
        let deadline = Instant::now() + WAIT;
        while self.child.try_wait().unwrap().is_none() {
            assert!(
                Instant::now() < deadline,
                "dirdash did not exit; screen:\n{}",
                self.contents()
            );
            std::thread::sleep(Duration::from_millis(2));
        }
        std::fs::read_to_string(&self.status)
            .unwrap()
            .trim()
            .parse()
            .unwrap()
    }

    pub fn stdout(&self) -> String {
        std::fs::read_to_string(&self.out).unwrap()
    }

    /// The terminal was handed back: main screen, cooked mode, echo on.
    pub fn assert_terminal_restored(&self) {
        // Give the reader thread the last bytes.
        std::thread::sleep(Duration::from_millis(50));
        assert!(
            !self.screen.lock().unwrap().screen().alternate_screen(),
            "still on the alternate screen"
        );
        let stty = std::fs::read_to_string(&self.stty).unwrap();
        let flags: Vec<&str> = stty.split_whitespace().collect();
        for flag in ["icanon", "echo", "isig", "icrnl", "opost"] {
            assert!(
                flags.contains(&flag),
                "terminal left without {flag}: {stty}"
            );
        }
    }

    /// Esc, then waits until the prompt is gone (so that the next key is a
    /// key, not text, nor part of an escape sequence).
    pub fn close_prompt(&mut self) {
        self.send("\x1b");
        self.wait_for("the prompt to close", |screen| {
            !screen.contains("add directory:")
        });
    }

    /// Ends dirdash and the shell if a failed test left them running.
    pub fn kill(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            if let Some(sh) = self.child.process_id() {
                let children = std::fs::read_to_string(format!("/proc/{sh}/task/{sh}/children"))
                    .unwrap_or_default();
                for pid in children.split_whitespace().filter_map(|p| p.parse().ok()) {
                    if let Some(pid) = rustix::process::Pid::from_raw(pid) {
                        let _ = rustix::process::kill_process(pid, rustix::process::Signal::KILL);
                    }
                }
            }
            let _ = self.child.kill();
        }
    }

    /// The pid of dirdash itself (the wrapper shell's child).
    pub fn dirdash_pid(&self) -> i32 {
        let sh = self.child.process_id().unwrap();
        let children = std::fs::read_to_string(format!("/proc/{sh}/task/{sh}/children")).unwrap();
        children
            .split_whitespace()
            .next()
            .expect("dirdash runs")
            .parse()
            .unwrap()
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.kill();
    }
}

pub fn count(n: u64) -> String {
    dirdash::report::units::count(n)
}

/// Whether a line of the screen shows the job of `root` in `state` (the root
/// column may be elided in the middle; its last component stays).
pub fn job_line(screen: &str, state: &str, root: &std::path::Path) -> bool {
    let name = root.file_name().unwrap().to_str().unwrap();
    screen
        .lines()
        .any(|l| l.contains(state) && l.contains(name))
}
