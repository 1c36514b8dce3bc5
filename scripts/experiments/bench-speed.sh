#!/usr/bin/env bash
# The figures of README.md's "Benchmark" section: bench metagrad per k (T = 400 and 3,200), the
# levers (how VJPs are taken, intra-op threads, Adam's gradient recovery), native op counts, and
# bench compare against the PyTorch peer. Each command's JSON lines go to OUT/NAME.jsonl, with the
# machine's load (uptime) before and after it in OUT/load.txt; run it when the machine is quiet.
# Takes about 40 minutes on an idle 2-core machine. COMPARE_T3200=1 also compares at T = 3,200, where
# the PyTorch peer holds its whole graph (~12 GB): only on a machine with that much memory to spare.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${1:-runs/bench-speed}"
REPS="${REPS:-5}"
mkdir -p "$OUT"
cd "$ROOT"
export MGD_JAVA_OPTS="${MGD_JAVA_OPTS:--Xmx4g}"

run() {
  local name="$1"; shift
  echo "$name: $(uptime)" >> "$OUT/load.txt"
  "$@" | tee "$OUT/$name.jsonl"
  echo "$name done: $(uptime)" >> "$OUT/load.txt"
}

run t400 bin/mgd bench metagrad --steps 400 --reps "$REPS" --count-ops
run t3200 bin/mgd bench metagrad --steps 3200 --k 4,57 --reps 3
run t400-recorded bin/mgd bench metagrad --steps 400 --k 4,20,400 --reps "$REPS" --vjp RECORDED_GRAPH --count-ops
run t400-recomputing bin/mgd bench metagrad --steps 400 --k 4,20,400 --reps "$REPS" --vjp EXPLICIT_RECOMPUTING
run t400-threads2 env MGD_THREADS=2 bin/mgd bench metagrad --steps 400 --k 4,20,400 --reps "$REPS"
for vjp in EXPLICIT EXPLICIT_RECOMPUTING RECORDED_GRAPH; do
  run "t400-adam-$vjp" bin/mgd bench metagrad --optimizer ADAM --steps 400 --k 20,400 --reps "$REPS" --vjp "$vjp"
done
run compare-t400 bin/mgd bench compare --steps 400 --reps "$REPS"
if [ "${COMPARE_T3200:-0}" = 1 ]; then
  run compare-t3200 bin/mgd bench compare --steps 3200 --k 4,57 --reps 3 --peer-reps 1
fi
