#!/usr/bin/env bash
# The README's "A tabular pool" example, from scratch: writes a 300-row pool CSV and a 60-row target CSV (uid,
# numeric f0..f9, class names P/N/U in label; f0..f2 shifted by class), then ingests both splits, featurizes and
# runs a 3-step select. Usage: scripts/tabular-example.sh [WORK_DIR [prepare]] (default runs/tab; it must not exist);
# with prepare, one mgd prepare makes the pool and features tables instead of ingest and two featurize launches.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${1:-runs/tab}"
mkdir -p "$WORK/raw"
python3 - "$WORK/raw" <<'PY'
import random, sys
random.seed(0)
def write(path, prefix, n):
    with open(path, "w") as f:
        f.write("uid," + ",".join(f"f{j}" for j in range(10)) + ",label\n")
        for i in range(n):
            c = random.random()
            label = "P" if c < 0.5 else "N" if c < 0.8 else "U"
            centre = {"P": 1.0, "N": -1.0, "U": 0.0}[label]
            xs = [round(random.gauss(centre if j < 3 else 0, 1), 4) for j in range(10)]
            f.write(f"{prefix}{i}," + ",".join(map(str, xs)) + f",{label}\n")
write(sys.argv[1] + "/pool.csv", "p", 300)
write(sys.argv[1] + "/target.csv", "t", 60)
PY
MGD="$ROOT/bin/mgd"
if [ "${2:-}" = prepare ]; then # the same tables in one launch: ingest and featurize in one Spark session
  "$MGD" prepare --split pool="$WORK/raw/pool.csv" --split target="$WORK/raw/target.csv" --vector x='f*' --index-labels \
    --featurizer passthrough --embedding x --target-split target --output "$WORK/prepared"
  "$MGD" show "$WORK/prepared/pool/pool"
  FEATURES="$WORK/prepared/features"
else
  "$MGD" ingest --split pool="$WORK/raw/pool.csv" --split target="$WORK/raw/target.csv" --output "$WORK/tables" \
    --vector x='f*' --index-labels
  "$MGD" show "$WORK/tables/pool"
  "$MGD" featurize --input "$WORK/tables/pool" --output "$WORK/features/pool" --featurizer passthrough --embedding x
  "$MGD" featurize --input "$WORK/tables/target" --output "$WORK/features/target" --featurizer passthrough \
    --embedding x --fitted-from "$WORK/features/pool" --target-set
  FEATURES="$WORK/features"
fi
"$MGD" select --pool "$FEATURES/pool" --target "$FEATURES/target" --output "$WORK/run" --mgd-steps 3
"$MGD" show "$WORK/run"
