#!/usr/bin/env python3
"""Peak RSS of an interactive program opening an export in a pseudo-terminal.

    importrss.py [--enter] CMD [ARG]...

`ptybench.py peak-rss`, for reading a file instead of scanning: the program
counts as settled once its CPU time has not moved for 2 s, with no minimum
(ptybench waits for 0.5 s of CPU first, a scan's; reading the export of
mixed1m takes about that, ncdu's less on a quick day, and it would then sit
until its 600 s timeout). With --enter, once settled, Enter is pressed (in
dirdash, it opens the browser on the selected job) and the program is left
to settle again before its VmHWM is read.

Prints one line, as ptybench does.
"""
import os
import select
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ptybench import proc_cpu, spawn_in_pty, vm_hwm  # noqa: E402


def settle(pid, fd, start, settle_s=2.0, min_cpu=0.05, timeout=600.0):
    """Reads the pty (answering cursor queries) until the CPU time of pid has
    not moved for settle_s seconds; returns (settled at, CPU seconds)."""
    last_cpu, still_since = -1.0, time.monotonic()
    while True:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                if b"\x1b[6n" in os.read(fd, 65536):
                    os.write(fd, b"\x1b[1;1R")
            except OSError:
                pass
        now = time.monotonic()
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            sys.exit("exited before it was done reading")
        cpu = proc_cpu(pid)
        if cpu != last_cpu:
            last_cpu, still_since = cpu, now
        elif cpu >= min_cpu and now - still_since >= settle_s:
            return still_since - start, last_cpu
        if now - start > timeout:
            return still_since - start, last_cpu


def main():
    argv = sys.argv[1:]
    enter = bool(argv) and argv[0] == "--enter"
    if enter:
        argv = argv[1:]
    pid, fd = spawn_in_pty(argv, None)
    start = time.monotonic()
    done_at, cpu = settle(pid, fd, start)
    if enter:
        os.write(fd, b"\r")
        _, cpu = settle(pid, fd, start, min_cpu=0.0)
    hwm = vm_hwm(pid)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    os.close(fd)
    then = ", Enter pressed" if enter else ""
    print(f"peak RSS (VmHWM) {hwm} KiB = {hwm / 1024:.1f} MiB, read after {done_at:.1f}s, "
          f"CPU {cpu:.1f}s{then}: {' '.join(argv)}")


if __name__ == "__main__":
    main()
