#!/usr/bin/env bash
# Reproduces the figures in bench/RESULTS.md on this machine.
#
#   bench/run.sh [warm|cold|stop|rss|dashboard|export|tree|delete|history|import|all]   (default: all)
#
# Builds release, generates the trees with the project's generator (once, in
# $TREES, default /tmp/dirdash-bench), builds the limit probe (bench/limit.c:
# the least work a scan must do), and times everything side by side in the
# same run, warm cache unless the section says cold. Peers that are not
# installed are skipped (apt-get install hyperfine fd-find ncdu gdu bfs;
# cargo install diskus parallel-disk-usage). Cold runs need root (they drop
# the page cache). Output goes to stdout and to bench/out/.
set -euo pipefail
cd "$(dirname "$0")/.."

TREES=${TREES:-/tmp/dirdash-bench}
RUNS=${RUNS:-10}
OUT=bench/out
BIN=target/release/dirdash
LIMIT=target/release/limit
MIXED=$TREES/mixed1m
FLAT=$TREES/flat200k
BIG=$TREES/mixed5m
mkdir -p "$OUT" "$TREES"

need() { command -v "$1" >/dev/null || { echo "bench: $1 is needed ($2)" >&2; exit 1; }; }
need hyperfine "apt-get install hyperfine"
need cc "apt-get install gcc"
need python3 "apt-get install python3"

# Two builds: an example is built with the dev-dependencies, which turn on
# the tests' fault injection; the binary measured must be the plain one.
cargo build --release --quiet --bin dirdash
cargo build --release --quiet --example mktree
cc -O2 -pthread bench/limit.c -o "$LIMIT"
[ -d "$MIXED" ] || target/release/examples/mktree "$MIXED" --files 1000000 --seed 11
[ -d "$FLAT" ] || target/release/examples/mktree "$FLAT" --files 200000 --shape flat --seed 3

machine() {
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr), $(df -T "$TREES" | awk 'NR==2 {print $2}') at $TREES"
  echo "tree $MIXED: $($BIN --headless --json "$MIXED" | python3 -c 'import json,sys; j=json.load(sys.stdin)["jobs"][0]; print(j["files"], "files,", j["dirs"], "dirs")')"
}

# Peers, as each is asked for the least it can do on this tree.
peers() {
  local dir=$1
  command -v find >/dev/null && echo "find $dir -printf %s\\n"
  command -v du >/dev/null && echo "du -s $dir"
  command -v fdfind >/dev/null && echo "fdfind -uu . $dir"
  command -v fd >/dev/null && echo "fd -uu . $dir"
  command -v diskus >/dev/null && echo "diskus $dir"
  command -v pdu >/dev/null && echo "pdu --max-depth=1 $dir"
  command -v ncdu >/dev/null && echo "ncdu -0 -o /dev/null $dir"
  command -v gdu >/dev/null && echo "gdu -n -p $dir"
  command -v bfs >/dev/null && echo "bfs $dir"
  return 0
}

warm() {
  local cmds=("$LIMIT $MIXED 2" "$LIMIT $MIXED 16" "$BIN --headless $MIXED" "$BIN --headless -j 2 $MIXED")
  while read -r peer; do cmds+=("$peer"); done < <(peers "$MIXED")
  hyperfine -N --warmup 2 --runs "$RUNS" --export-markdown "$OUT/warm.md" "${cmds[@]}"
  # The targets are ratios: measure them in interleaved rounds.
  python3 bench/ratio.py "${ROUNDS:-10}" \
    "$LIMIT $MIXED 2" "$BIN --headless -j 2 $MIXED" \
    "$LIMIT $MIXED 16" "$BIN --headless $MIXED" | tee "$OUT/warm-ratio.txt"
}

cold() {
  [ "$(id -u)" = 0 ] || { echo "bench: cold runs need root (drop_caches)"; return 0; }
  hyperfine -N --runs "${COLD_RUNS:-3}" --prepare 'sh -c "sync; echo 3 > /proc/sys/vm/drop_caches"' \
    --export-markdown "$OUT/cold.md" \
    "$LIMIT $MIXED 16" "$BIN --headless $MIXED" "$BIN --headless -j 2 $MIXED" "$LIMIT $MIXED 2"
}

stop() {
  python3 bench/ptybench.py stop-headless "$BIN" "$FLAT" 20 | tee "$OUT/stop.txt"
  python3 bench/ptybench.py stop-dashboard "$BIN" "$FLAT" 20 | tee -a "$OUT/stop.txt"
}

rss() {
  for args in "--headless $MIXED" "--headless --list $MIXED"; do
    /usr/bin/time -v $BIN $args 2>&1 >/dev/null | awk -v a="$args" '/Maximum resident/ {print "peak RSS, dirdash " a ": " $6 " KiB"}'
  done | tee "$OUT/rss.txt"
}

dashboard() {
  python3 bench/ptybench.py overhead "$BIN" "$MIXED" "$RUNS" | tee "$OUT/dashboard.txt"
  python3 bench/ptybench.py idle-cpu "$BIN" 10 | tee -a "$OUT/dashboard.txt"
  python3 bench/ptybench.py idle-cpu "$BIN" 10 "$MIXED" | tee -a "$OUT/dashboard.txt"
  cargo bench --quiet --bench render 2>/dev/null | tee -a "$OUT/dashboard.txt"
}

export_() {
  local file=$TREES/export.json ncdu_file=$TREES/ncdu.json
  local pairs=("$BIN --headless $MIXED" "$BIN --headless --force --export $file $MIXED")
  command -v ncdu >/dev/null && pairs+=("$BIN --headless --force --export $file $MIXED" "ncdu -0 -o $ncdu_file $MIXED")
  python3 bench/ratio.py "${ROUNDS:-10}" "${pairs[@]}" | tee "$OUT/export.txt"
  /usr/bin/time -v $BIN --headless --force --export "$file" "$MIXED" 2>&1 >/dev/null \
    | awk '/Maximum resident/ {print "peak RSS, dirdash --export: " $6 " KiB"}' | tee "$OUT/export-rss.txt"
}

# The kept tree: its time, its memory beside the peers' (each browsing the
# same tree, measured once its scan is done), at 1M and 5M files, and the
# browser's frame.
tree_() {
  python3 bench/ratio.py "${ROUNDS:-10}" "$BIN --headless $MIXED" "$BIN --headless --depth 1 $MIXED" \
    | tee "$OUT/tree-time.txt"
  python3 bench/ptybench.py overhead "$BIN" "$MIXED" "$RUNS" | tee -a "$OUT/tree-time.txt"
  {
    for _ in 1 2 3; do python3 bench/ptybench.py peak-rss "$BIN" "$MIXED"; done
    python3 bench/ptybench.py peak-rss "$BIN" --no-tree "$MIXED"
    command -v ncdu >/dev/null && python3 bench/ptybench.py peak-rss ncdu "$MIXED"
    command -v gdu >/dev/null && python3 bench/ptybench.py peak-rss gdu "$MIXED"
    command -v dua >/dev/null && python3 bench/ptybench.py peak-rss dua i "$MIXED"
    [ -d "$BIG" ] || target/release/examples/mktree "$BIG" --files 5000000 --seed 12 >/dev/null
    python3 bench/ptybench.py peak-rss "$BIN" "$BIG"
    python3 bench/ptybench.py peak-rss "$BIN" --no-tree "$BIG"
    echo "entries: $($BIN --headless --json "$MIXED" "$BIG" | python3 -c 'import json,sys; print(*[j["files"]+j["dirs"]+j["symlinks"]+j["other"] for j in json.load(sys.stdin)["jobs"]])')"
  } | tee "$OUT/tree-rss.txt"
  cargo bench --quiet --bench render 2>/dev/null | tee "$OUT/tree-frame.txt"
}

# Deleting a tree as the browser does, against rm -rf, the tree made anew
# before each round (which is most of the section's time).
delete_() {
  cargo build --release --quiet --example delete_bench
  local work=$TREES/delete
  {
    python3 bench/delbench.py target/release/examples/mktree target/release/examples/delete_bench \
      "$work" "${DELETE_ROUNDS:-3}" flat200k --files 200000 --shape flat --seed 3
    python3 bench/delbench.py target/release/examples/mktree target/release/examples/delete_bench \
      "$work" "${DELETE_ROUNDS:-3}" mixed1m --files 1000000 --seed 11
  } | tee "$OUT/delete.txt"
}

# The history: what recording costs a headless scan (steady state: the file
# already holds the 20 scans it keeps, so each run also drops one; and a
# first scan into a new file), the file's size, and diff's time.
history_() {
  local file=$TREES/history.sqlite3 first=$TREES/first.sqlite3
  rm -f "$file"* "$first"*
  for _ in $(seq 20); do
    $BIN --headless --history --history-file "$file" "$MIXED" >/dev/null
  done
  {
    python3 bench/ratio.py "${ROUNDS:-10}" "$BIN --headless --no-history $MIXED" \
      "$BIN --headless --history --history-file $file $MIXED"
    # A first scan: the file is removed before each run (both sides alike).
    local fresh="rm -f $first $first-wal $first-shm; exec"
    python3 bench/ratio.py "${ROUNDS:-10}" "sh -c '$fresh $BIN --headless --no-history $MIXED'" \
      "sh -c '$fresh $BIN --headless --history --history-file $first $MIXED'"
    $BIN --headless --history --history-file "$first" "$MIXED" >/dev/null
    python3 bench/histsize.py "$first"
    python3 bench/histsize.py "$file" change
    hyperfine -N --warmup 2 --runs "$RUNS" \
      "$BIN diff --history-file $file $MIXED" \
      "$BIN diff --json --history-file $file.changed $MIXED" 2>&1 | grep -E 'Time|±|^Benchmark'
    echo "diff --json of every directory: $($BIN diff --json --history-file "$file.changed" "$MIXED" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["changes"]), "changes")')"
  } | tee "$OUT/history.txt"
}

# Opening an export: mixed1m exported once by dirdash (and by `ncdu -e`, its
# extended fields included), then each program's peak RSS browsing the file
# in a pseudo-terminal (ptybench.py peak-rss-read: peak-rss without its
# minimum CPU time, which a quick read stays under), beside the dashboard
# that scanned the tree itself, same run; dirdash's headless import; and the
# time to read the file (ncdu's nearest is to read it and write it back out).
import_() {
  local file=$TREES/import-dirdash.json ncdu_file=$TREES/import-ncdu-e.json
  local files=("$file")
  $BIN --headless --no-history --force --export "$file" "$MIXED" >/dev/null
  if command -v ncdu >/dev/null; then
    ncdu -e -o "$ncdu_file" "$MIXED" </dev/null >/dev/null 2>&1
    files+=("$ncdu_file")
  fi
  {
    for f in "${files[@]}"; do echo "export $f: $(stat -c %s "$f") bytes"; done
    python3 bench/ptybench.py peak-rss "$BIN" --no-history "$MIXED"
    for _ in 1 2 3; do python3 bench/ptybench.py peak-rss-read "$BIN" --no-history -f "$file"; done
    python3 bench/ptybench.py peak-rss-read --enter "$BIN" --no-history -f "$file"
    for f in "${files[@]}"; do
      /usr/bin/time -v $BIN --headless --no-history --json -f "$f" 2>&1 >/dev/null \
        | awk -v f="$f" '/Maximum resident/ {print "peak RSS, dirdash --headless --json -f " f ": " $6 " KiB"}'
      if [ "$f" != "$file" ]; then python3 bench/ptybench.py peak-rss-read "$BIN" --no-history -f "$f"; fi
      if command -v ncdu >/dev/null; then python3 bench/ptybench.py peak-rss-read ncdu -f "$f"; fi
      if command -v gdu >/dev/null; then python3 bench/ptybench.py peak-rss-read gdu -f "$f"; fi
    done
  } | tee "$OUT/import-rss.txt"
  # Never `--export /dev/null`: an export is renamed over its path; `-` is stdout.
  local cmds=("$BIN --headless --no-history -f $file" "$BIN --headless --no-history --export - -f $file")
  [ ${#files[@]} = 1 ] || cmds+=("$BIN --headless --no-history -f $ncdu_file")
  command -v ncdu >/dev/null && cmds+=("ncdu -o /dev/null -f $file")
  command -v gdu >/dev/null && cmds+=("gdu -n -p -f $file")
  hyperfine -N --warmup 1 --runs "${IMPORT_RUNS:-5}" --export-markdown "$OUT/import.md" "${cmds[@]}" \
    | tee "$OUT/import-time.txt"
}

section=${1:-all}
machine | tee "$OUT/machine.txt"
case $section in
  warm) warm ;; cold) cold ;; stop) stop ;; rss) rss ;; dashboard) dashboard ;; export) export_ ;;
  tree) tree_ ;; delete) delete_ ;; history) history_ ;; import) import_ ;;
  all) warm; cold; stop; rss; dashboard; export_; tree_; delete_; history_; import_ ;;
  *) echo "usage: bench/run.sh [warm|cold|stop|rss|dashboard|export|tree|delete|history|import|all]" >&2; exit 2 ;;
esac
