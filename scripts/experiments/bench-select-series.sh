#!/usr/bin/env bash
# The "Measured at scale" table of README.md (Select at any pool size): bench select at N × 128 for each
# N of ROWS (default 1M 2M 4M 8M), one after the other, the whole JVM capped at -Xmx2g as the streaming
# issue asks. Each run's JSON line goes to OUT/select.jsonl, the machine's load before and after it to
# OUT/load.txt, and the JVM's GC log to OUT/gc-N.log (the heap after each collection: what the heap
# held, as against the sampled figures, which count garbage the old generation has not yet collected).
# Each work directory is removed once its run has printed (8M needs about 17 GB of disk while it runs).
# About 75 minutes for the default rows on an idle 2-core machine.
# Usage: scripts/experiments/bench-select-series.sh [OUT] [ROWS...]   (default runs/bench-select)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${1:-runs/bench-select}"
shift || true
ROWS=("$@")
[ "${#ROWS[@]}" -gt 0 ] || ROWS=(1000000 2000000 4000000 8000000)
cd "$ROOT"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/bench-select.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

for rows in "${ROWS[@]}"; do
  echo "rows $rows: $(uptime)" >> "$OUT/load.txt"
  MGD_JAVA_OPTS="-Xmx2g -Xlog:gc:file=$OUT/gc-$rows.log:uptime" \
    bin/mgd bench select --rows "$rows" --dim 128 --work-dir "$WORK/rows-$rows" | tee -a "$OUT/select.jsonl"
  echo "rows $rows done: $(uptime)" >> "$OUT/load.txt"
  rm -rf "$WORK/rows-$rows"
done
