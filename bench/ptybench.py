#!/usr/bin/env python3
"""Measurements that need dirdash's dashboard in a real pseudo-terminal, or a
signal at the right moment.

    ptybench.py stop-headless BIN FLATDIR [RUNS]   SIGINT -> exit, headless, mid-scan
    ptybench.py stop-dashboard BIN FLATDIR [RUNS]  q -> exit, dashboard, mid-scan
    ptybench.py overhead BIN TREE [RUNS]           scan time, dashboard vs headless
    ptybench.py idle-cpu BIN [SECONDS] [TREE]      dashboard CPU use with nothing to scan
                                                   (after scanning TREE, if given)
    ptybench.py peak-rss CMD [ARG]...              any interactive scanner (dirdash, ncdu,
                                                   gdu, dua) in a pty: its VmHWM once its
                                                   scan is done (its CPU time stops moving)
    ptybench.py peak-rss-read [--enter] CMD [ARG]...
                                                   the same for a program opening a file
                                                   (an export), with no minimum of CPU;
                                                   --enter: Enter pressed once it settles,
                                                   then measured when it settles again

Prints one line of results per measurement.
"""
import json
import os
import pty
import select
import signal
import statistics
import subprocess
import sys
import tempfile
import time


def spawn_in_pty(argv, stdout_path):
    """Starts argv on a new pty (100x30), stdout to a file (or, with
    stdout_path None, to the pty too, as peers want it). Returns (pid, fd)."""
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        if stdout_path is not None:
            out = os.open(stdout_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(out, 1)
        os.execvp(argv[0], argv)
    import fcntl, struct, termios
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    return pid, fd


def read_until(fd, needle, timeout=60.0):
    """Reads the pty until `needle` (bytes) shows up; returns the bytes read."""
    seen = b""
    deadline = time.monotonic() + timeout
    while needle not in seen:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"{needle!r} not seen")
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
        seen = seen[-65536:]
    return seen


def drain_until_exit(pid, fd, timeout=60.0):
    """Keeps reading the pty (so the child never blocks) until it exits."""
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            raise TimeoutError("no exit")
        ready, _, _ = select.select([fd], [], [], 0.001)
        if ready:
            try:
                os.read(fd, 65536)
            except OSError:
                pass


def summary(values, unit="ms"):
    values = sorted(values)
    return (f"n={len(values)} median={statistics.median(values):.1f}{unit} "
            f"p90={values[int(0.9 * (len(values) - 1))]:.1f}{unit} max={values[-1]:.1f}{unit}")


def stop_headless(bin_, flat, runs):
    """SIGINT 60 ms into the scan of a flat directory (one worker reads it
    entry by entry), then the time until the process has exited."""
    times = []
    for _ in range(runs):
        p = subprocess.Popen([bin_, "--headless", "--json", flat],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        time.sleep(0.06)
        t0 = time.monotonic()
        p.send_signal(signal.SIGINT)
        out, _ = p.communicate()
        elapsed = (time.monotonic() - t0) * 1000
        doc = json.loads(out)
        if p.returncode == 130 and doc["jobs"][0]["state"] == "stopped":
            times.append(elapsed)
    print("headless SIGINT -> exit:", summary(times))


def stop_dashboard(bin_, flat, runs):
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.json")
        for _ in range(runs):
            pid, fd = spawn_in_pty([bin_, "--json", flat], out)
            read_until(fd, b"scanning")
            time.sleep(0.03)
            t0 = time.monotonic()
            os.write(fd, b"q")
            code = drain_until_exit(pid, fd)
            elapsed = (time.monotonic() - t0) * 1000
            os.close(fd)
            with open(out) as f:
                doc = json.load(f)
            if code == 0 and doc["jobs"][0]["state"] == "stopped":
                times.append(elapsed)
    print("dashboard q -> exit:", summary(times))


def overhead(bin_, tree, runs):
    """The engine's own scan time (the job's elapsed_ms), dashboard vs
    headless, alternating runs."""
    headless, dashboard = [], []
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.json")
        for _ in range(runs):
            doc = json.loads(subprocess.run([bin_, "--headless", "--json", tree],
                                            capture_output=True, check=True).stdout)
            headless.append(doc["jobs"][0]["elapsed_ms"])
            pid, fd = spawn_in_pty([bin_, "--json", tree], out)
            # The job row says done (ratatui writes only changed cells, so look for
            # a word that is rewritten whole).
            read_until(fd, b"done")
            os.write(fd, b"q")
            drain_until_exit(pid, fd)
            os.close(fd)
            with open(out) as f:
                dashboard.append(json.load(f)["jobs"][0]["elapsed_ms"])
    h, d = statistics.median(headless), statistics.median(dashboard)
    print(f"scan time headless: {summary(headless)}")
    print(f"scan time dashboard: {summary(dashboard)}")
    print(f"dashboard / headless (medians): {d / h:.3f}")


def idle_cpu(bin_, seconds, tree=None):
    with tempfile.TemporaryDirectory() as tmp:
        if tree:
            pid, fd = spawn_in_pty([bin_, tree], os.path.join(tmp, "out"))
            read_until(fd, b"done")
        else:
            pid, fd = spawn_in_pty([bin_], os.path.join(tmp, "out"))
            read_until(fd, b"add directory")
        time.sleep(1.0)

        def cpu():
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

        before, t0 = cpu(), time.monotonic()
        deadline = t0 + seconds
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.1)
            if ready:
                os.read(fd, 65536)
        used, wall = cpu() - before, time.monotonic() - t0
        os.write(fd, b"\x03")
        drain_until_exit(pid, fd)
        os.close(fd)
    after = f" after scanning {tree}" if tree else ", prompt open"
    print(f"dashboard idle CPU{after}: {100 * used / wall:.2f}% of one core over {wall:.0f}s")


def proc_cpu(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def vm_hwm(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def settle(pid, fd, start, argv, min_cpu, settle_s=2.0, timeout=600.0):
    """Reads the pty until the CPU time of pid, once above min_cpu, has not
    moved for settle_s seconds (its work is done and it waits for keys);
    returns (settled at, CPU seconds)."""
    last_cpu, still_since = -1.0, time.monotonic()
    while True:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                # A program that asks where the cursor is gets an answer.
                if b"\x1b[6n" in os.read(fd, 65536):
                    os.write(fd, b"\x1b[1;1R")
            except OSError:
                pass
        now = time.monotonic()
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            sys.exit(f"{argv[0]} exited before it was done")
        cpu = proc_cpu(pid)
        if cpu != last_cpu:
            last_cpu, still_since = cpu, now
        elif cpu >= min_cpu and now - still_since >= settle_s:
            return still_since - start, last_cpu
        if now - start > timeout:
            return still_since - start, last_cpu


def peak_rss(argv, min_cpu=0.5, enter=False, what="scan done"):
    """Runs argv in a pty (100x30) until it settles (see `settle`; a scan
    takes at least min_cpu seconds of CPU), presses Enter and lets it settle
    again if asked, then reads its peak resident set and kills it."""
    with tempfile.TemporaryDirectory():
        pid, fd = spawn_in_pty(argv, None)
        start = time.monotonic()
        done_at, cpu = settle(pid, fd, start, argv, min_cpu)
        if enter:
            os.write(fd, b"\r")
            _, cpu = settle(pid, fd, start, argv, 0.0)
        hwm = vm_hwm(pid)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    then = ", Enter pressed" if enter else ""
    print(f"peak RSS (VmHWM) {hwm} KiB = {hwm / 1024:.1f} MiB, {what} after "
          f"{done_at:.1f}s, CPU {cpu:.1f}s{then}: {' '.join(argv)}")


def main():
    what = sys.argv[1]
    if what == "peak-rss":
        peak_rss(sys.argv[2:])
        return
    if what == "peak-rss-read":
        # Reading a file can take less CPU than a scan: no minimum.
        argv = sys.argv[2:]
        enter = bool(argv) and argv[0] == "--enter"
        peak_rss(argv[1:] if enter else argv, min_cpu=0.05, enter=enter, what="read")
        return
    bin_ = sys.argv[2]
    if what == "stop-headless":
        stop_headless(bin_, sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 20)
    elif what == "stop-dashboard":
        stop_dashboard(bin_, sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 20)
    elif what == "overhead":
        overhead(bin_, sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 10)
    elif what == "idle-cpu":
        idle_cpu(bin_, float(sys.argv[3]) if len(sys.argv) > 3 else 10,
                 sys.argv[4] if len(sys.argv) > 4 else None)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
