//! The only reader of terminal input, on its own thread. It sleeps in poll(2)
//! on the terminal and on a wake-up descriptor, so that it costs nothing
//! while no key is pressed and ends at once when asked; crossterm parses the
//! bytes once they are there. It also ends when the terminal hangs up.

use std::fs::File;
use std::io::{self, IsTerminal};
use std::os::fd::{AsFd, OwnedFd};
use std::thread::JoinHandle;
use std::time::Duration;

use crossbeam_channel::{Receiver, Sender, unbounded};
use ratatui::crossterm::event::{self, Event};
use rustix::event::{EventfdFlags, PollFd, PollFlags, eventfd, poll};

/// crossterm's wait for the rest of an escape sequence once bytes arrived.
const PARSE_WAIT: Duration = Duration::from_millis(1);

pub struct InputThread {
    pub events: Receiver<Event>,
    wake: OwnedFd,
    handle: Option<JoinHandle<()>>,
}

impl InputThread {
    pub fn spawn() -> io::Result<InputThread> {
        let (sender, events) = unbounded();
        let wake = eventfd(0, EventfdFlags::CLOEXEC | EventfdFlags::NONBLOCK)?;
        let woken = wake.try_clone()?;
        // crossterm reads stdin when it is a terminal, else /dev/tty.
        let tty = if io::stdin().is_terminal() {
            None
        } else {
            Some(File::open("/dev/tty")?)
        };
        let handle = std::thread::Builder::new()
            .name("dirdash-input".into())
            .spawn(move || read_events(tty, woken, sender))?;
        Ok(InputThread {
            events,
            wake,
            handle: Some(handle),
        })
    }

    /// Asks the thread to end; `drop` joins it.
    pub fn finish(&self) {
        let _ = rustix::io::write(&self.wake, &1u64.to_ne_bytes());
    }
}

impl Drop for InputThread {
    fn drop(&mut self) {
        self.finish();
        if let Some(handle) = self.handle.take() {
            let _ = handle.join();
        }
    }
}

enum Wait {
    Input,
    Finish,
    /// The terminal is gone: crossterm would find it readable forever and
    /// never an event.
    HungUp,
}

fn wait(tty: &Option<File>, wake: &OwnedFd) -> Wait {
    let stdin = io::stdin();
    let tty_fd = match tty {
        Some(file) => file.as_fd(),
        None => stdin.as_fd(),
    };
    let mut fds = [
        PollFd::from_borrowed_fd(tty_fd, PollFlags::IN),
        PollFd::new(wake, PollFlags::IN),
    ];
    loop {
        match poll(&mut fds, None) {
            Ok(_) => break,
            Err(rustix::io::Errno::INTR) => continue,
            Err(_) => return Wait::HungUp,
        }
    }
    if !fds[1].revents().is_empty() {
        Wait::Finish
    } else if fds[0]
        .revents()
        .intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL)
    {
        Wait::HungUp
    } else {
        Wait::Input
    }
}

fn read_events(tty: Option<File>, wake: OwnedFd, sender: Sender<Event>) {
    loop {
        match wait(&tty, &wake) {
            Wait::Finish | Wait::HungUp => return,
            Wait::Input => {}
        }
        // Everything crossterm can parse from what arrived.
        loop {
            match event::poll(PARSE_WAIT) {
                Ok(true) => match event::read() {
                    Ok(event) => {
                        if sender.send(event).is_err() {
                            return;
                        }
                    }
                    Err(_) => return,
                },
                Ok(false) => break,
                Err(_) => return,
            }
        }
    }
}
