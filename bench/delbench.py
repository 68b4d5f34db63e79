#!/usr/bin/env python3
"""Deleting a tree: dirdash's deletion engine (as the browser runs it, on a
marked directory) against `rm -rf`, the tree recreated by the generator
before every round, rounds interleaved, the cache warmed the same way for
both (a `du -s` of the fresh tree).

    delbench.py MKTREE DELETE_BENCH WORKDIR ROUNDS NAME MKTREE_ARGS...

Also times one stop: a deletion of the same tree stopped after 0.5 s.
Prints one line per tool (median, min, max in seconds), the ratio, and
the stop latency.
"""
import json
import shutil
import statistics
import subprocess
import sys
import time


def fresh(mktree, work, args):
    """A new tree at WORK/root/victim; returns the root."""
    shutil.rmtree(work, ignore_errors=True)
    root = f"{work}/root"
    subprocess.run([mktree, f"{root}/victim", *args], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["du", "-s", root], check=True, stdout=subprocess.DEVNULL)
    return root


def with_rm(root):
    started = time.monotonic()
    subprocess.run(["rm", "-rf", f"{root}/victim"], check=True)
    return time.monotonic() - started


def with_dirdash(delete_bench, root, *extra):
    out = subprocess.run([delete_bench, root, *extra], check=True, capture_output=True, text=True)
    result = json.loads(out.stdout)
    if result["problems"]:
        sys.exit(f"delbench: dirdash reported problems: {out.stderr}")
    return result


def line(name, values):
    return f"{name}: median {statistics.median(values):.3f} s (min {min(values):.3f}, max {max(values):.3f}, {len(values)} rounds)"


def main():
    mktree, delete_bench, work, rounds, name, *args = sys.argv[1:]
    times = {"rm -rf": [], "dirdash": []}
    for _ in range(int(rounds)):
        times["rm -rf"].append(with_rm(fresh(mktree, work, args)))
        root = fresh(mktree, work, args)
        result = with_dirdash(delete_bench, root)
        left = subprocess.run(["find", root, "-mindepth", "1"], capture_output=True, text=True).stdout
        if left:
            sys.exit(f"delbench: dirdash left entries: {left[:200]}")
        times["dirdash"].append(result["seconds"])
    print(f"{name} ({' '.join(args)})")
    for tool, values in times.items():
        print("  " + line(tool, values))
    ratio = statistics.median(times["dirdash"]) / statistics.median(times["rm -rf"])
    print(f"  dirdash / rm -rf: {ratio:.3f}")
    stopped = with_dirdash(delete_bench, fresh(mktree, work, args), "--stop-after", "0.5")
    print(f"  stop after 0.5 s: heard in {stopped['stop_ms']:.2f} ms, {stopped['removed']} entries removed by then")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
