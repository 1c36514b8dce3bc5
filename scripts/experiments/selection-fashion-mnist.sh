#!/usr/bin/env bash
# docs/results.md §2.1: data selection on the shipped noisy Fashion-MNIST sample.
# Every method at budgets 30/50/70 %, downstream logistic regression on 64-d projected pixels,
# 5 seeds each, scored on the 1,000-item clean test split. ~5 min on 2 cores.
# Usage: scripts/experiments/selection-fashion-mnist.sh [RUN_DIR]   (default runs/selection-fm)
set -euo pipefail
cd "$(dirname "$0")/../.."
RUN="${1:-runs/selection-fm}"
FEAT="$RUN/features"
mkdir -p "$RUN"
if [ ! -d "$FEAT/test" ]; then
  bin/mgd featurize --input data/sample/pool --output "$FEAT/pool" --featurizer pixels --projection-dim 64 --seed 1 --overwrite
  for split in target test; do
    bin/mgd featurize --input "data/sample/$split" --output "$FEAT/$split" --featurizer pixels --projection-dim 64 --seed 1 \
      --fitted-from "$FEAT/pool" --target-set --overwrite
  done
fi
bin/mgd evaluate --pool "$FEAT/pool" --target "$FEAT/target" --test "$FEAT/test" --output "$RUN/evaluate" --overwrite \
  --methods random,loss,grad-sim,influence,mgd,mgd-prune --budgets 0.3,0.5,0.7 --seeds 5 \
  --model LOGISTIC --lr 0.003 --train-steps 400 --mgd-steps 20 --mgd-mask-probability 0.3 --mgd-replicas 2 \
  --oracle-sources clean
