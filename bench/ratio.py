#!/usr/bin/env python3
"""Ratios of wall times measured in interleaved rounds, so that a machine
whose speed drifts (a shared VM) affects every command alike.

    ratio.py ROUNDS 'CMD A' 'CMD B' ['CMD C' 'CMD D' ...]

Commands are taken in pairs (reference, candidate); each round runs every
command 3 times with hyperfine. Prints the median of each command and, per
pair, candidate / reference.
"""
import json
import statistics
import subprocess
import sys
import tempfile


def main():
    rounds, commands = int(sys.argv[1]), sys.argv[2:]
    if len(commands) % 2:
        sys.exit(__doc__)
    times = {c: [] for c in commands}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(rounds):
            out = f"{tmp}/round.json"
            subprocess.run(["hyperfine", "-N", "-r", "3", "--export-json", out, *commands],
                           check=True, capture_output=True)
            with open(out) as f:
                for result in json.load(f)["results"]:
                    times[result["command"]].extend(result["times"])
    medians = {c: statistics.median(t) for c, t in times.items()}
    for c in commands:
        print(f"{medians[c]:.3f} s median of {len(times[c])}  {c}")
    for ref, cand in zip(commands[::2], commands[1::2]):
        print(f"ratio {medians[cand] / medians[ref]:.3f}  ({cand}) / ({ref})")


if __name__ == "__main__":
    main()
