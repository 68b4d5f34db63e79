//! Termination signals as a channel, so a consumer can `select!` on them with
//! its other inputs. The forwarding thread ends (and is joined) on drop.

use std::io;
use std::thread::JoinHandle;

use crossbeam_channel::{Receiver, unbounded};
use signal_hook::iterator::{Handle, Signals};

pub use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM, SIGWINCH};

pub struct SignalChannel {
    receiver: Receiver<i32>,
    handle: Handle,
    thread: Option<JoinHandle<()>>,
}

impl SignalChannel {
    /// From now on, `signals` arrive on `receiver()` instead of killing us.
    pub fn listen(signals: &[i32]) -> io::Result<SignalChannel> {
        let mut iterator = Signals::new(signals)?;
        let handle = iterator.handle();
        let (sender, receiver) = unbounded();
        let thread = std::thread::Builder::new()
            .name("dirdash-signals".into())
            .spawn(move || {
                for signal in iterator.forever() {
                    if sender.send(signal).is_err() {
                        break;
                    }
                }
            })?;
        Ok(SignalChannel {
            receiver,
            handle,
            thread: Some(thread),
        })
    }

    pub fn receiver(&self) -> &Receiver<i32> {
        &self.receiver
    }
}

impl Drop for SignalChannel {
    fn drop(&mut self) {
        self.handle.close();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
