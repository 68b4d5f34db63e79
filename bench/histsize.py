#!/usr/bin/env python3
"""The size of a history file and what it holds.

    histsize.py FILE [change]

Checkpoints the WAL into the file first. Prints the file's bytes, the scans
and directory rows it holds, and the bytes per scan. With `change`, copies
FILE to FILE.changed with every directory of its newest scan grown by 4 KiB,
so a diff of the last two scans lists every directory.
"""
import json
import shutil
import sqlite3
import sys


def main():
    path = sys.argv[1]
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    page = db.execute("PRAGMA page_size").fetchone()[0]
    scans = db.execute("SELECT count(*) FROM scans").fetchone()[0]
    rows = db.execute("SELECT count(*) FROM dirs").fetchone()[0]
    size = pages * page
    print(f"{path}: {size / 1e6:.1f} MB, {scans} scans, {rows} directory rows, "
          f"{size / max(scans, 1) / 1e6:.2f} MB a scan")
    db.close()
    if len(sys.argv) > 2 and sys.argv[2] == "change":
        changed = path + ".changed"
        shutil.copy(path, changed)
        db = sqlite3.connect(changed)
        scan, text = db.execute("SELECT scan, dirs FROM scan_dirs ORDER BY scan DESC LIMIT 1").fetchone()
        dirs = json.loads(text)
        for d in dirs:
            d[5] += 4096
        db.execute("UPDATE scan_dirs SET dirs = ? WHERE scan = ?", (json.dumps(dirs), scan))
        db.commit()
        db.close()


if __name__ == "__main__":
    main()
