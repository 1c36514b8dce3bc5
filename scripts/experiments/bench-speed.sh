#!/usr/bin/env bash
# The figures of README.md's "Benchmark" section: bench metagrad per k with the hand-written VJP and the
# recorded graph side by side in one process (T = 400, with native op counts), the growth with T and
# with the pool's rows, Adam's gradient recovery, and bench compare against the PyTorch peer. Each
# command's JSON lines go to OUT/NAME.jsonl, with the machine's load (uptime) before and after it in
# OUT/load.txt. Every line has wall-clock and thread-CPU seconds: on a shared machine, quote the CPU ones.
# Takes about 25 minutes on an idle 2-core machine with REPS=3 and COMPARE_T3200=1 (2026-12-02).
# COMPARE_T3200=1 also compares at T = 3,200, where the PyTorch peer holds its whole graph (9.5 GB peak
# RSS measured) and ours at k = T its 3,200 states (10.9 GB): only with that much memory to spare.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${1:-runs/bench-speed}"
REPS="${REPS:-3}"
mkdir -p "$OUT"
cd "$ROOT"
export MGD_JAVA_OPTS="${MGD_JAVA_OPTS:--Xmx4g}"

run() {
  local name="$1"; shift
  echo "$name: $(uptime)" >> "$OUT/load.txt"
  "$@" | tee "$OUT/$name.jsonl"
  echo "$name done: $(uptime)" >> "$OUT/load.txt"
}

run t400 bin/mgd bench metagrad --steps 400 --k 4,20,400 --reps "$REPS" --vjp EXPLICIT,RECORDED_GRAPH --count-ops
run compare-t400 bin/mgd bench compare --steps 400 --reps "$REPS"
run t3200 bin/mgd bench metagrad --steps 3200 --k 4,57 --reps "$REPS"
for T in 100 800 1600; do
  run "t$T" bin/mgd bench metagrad --steps "$T" --k "4,$(python3 -c "import math; print(math.ceil(math.sqrt($T)))")" --reps "$REPS"
done
for rows in 16384 65536; do
  run "t400-rows$rows" bin/mgd bench metagrad --steps 400 --k 20 --examples "$rows" --reps "$REPS"
done
run t400-adam bin/mgd bench metagrad --optimizer ADAM --steps 400 --k 20,400 --reps "$REPS" \
  --vjp EXPLICIT,EXPLICIT_RECOMPUTING,RECORDED_GRAPH
# intra-op threads: two against one, the k = 20 pair with more repetitions (the spread is the point)
MGD_THREADS=2 run t400-threads2 bin/mgd bench metagrad --steps 400 --k 20,400 --reps "$REPS"
MGD_THREADS=2 run t400-threads2-k20 bin/mgd bench metagrad --steps 400 --k 20 --reps 7
run t400-threads1-k20 bin/mgd bench metagrad --steps 400 --k 20 --reps 7
if [ "${COMPARE_T3200:-0}" = 1 ]; then
  run compare-t3200 bin/mgd bench compare --steps 3200 --k 4,57 --reps "$REPS" --peer-reps 1
  # ours at k = T = 3,200 after the peer, not beside it: the two together would need ~20 GB (9.5 + 10.9)
  run t3200-storeall bin/mgd bench metagrad --steps 3200 --k 3200 --reps "$REPS"
fi
