#!/usr/bin/env bash
# docs/results.md §2.1b: the issue's recipe for the Fashion-MNIST pool — 40 % symmetric
# label noise and 10 % duplicated items, no off-class items — built with `mgd sample` (seed 17,
# 2,000 pool items, clean 200-item target and 1,000-item test splits), then the same featurization,
# downstream model, methods and MGD settings as selection-fashion-mnist.sh. ~5 min on 2 cores.
# Usage: scripts/experiments/selection-fashion-mnist-recipe.sh [RUN_DIR]   (default runs/selection-fm-recipe)
set -euo pipefail
cd "$(dirname "$0")/../.."
RUN="${1:-runs/selection-fm-recipe}"
FEAT="$RUN/features"
mkdir -p "$RUN"
if [ ! -d "$RUN/data/test" ]; then
  bin/mgd sample --seed 17 --output "$RUN/data" --flip-fraction 0.4 --duplicate-fraction 0.1 --off-class-fraction 0 --overwrite
fi
if [ ! -d "$FEAT/test" ]; then
  bin/mgd featurize --input "$RUN/data/pool" --output "$FEAT/pool" --featurizer pixels --projection-dim 64 --seed 1 --overwrite
  for split in target test; do
    bin/mgd featurize --input "$RUN/data/$split" --output "$FEAT/$split" --featurizer pixels --projection-dim 64 --seed 1 \
      --fitted-from "$FEAT/pool" --target-set --overwrite
  done
fi
bin/mgd evaluate --pool "$FEAT/pool" --target "$FEAT/target" --test "$FEAT/test" --output "$RUN/evaluate" --overwrite \
  --methods random,loss,grad-sim,influence,mgd,mgd-prune --budgets 0.3,0.5,0.7 --seeds 5 \
  --model LOGISTIC --lr 0.003 --train-steps 400 --mgd-steps 20 --mgd-mask-probability 0.3 --mgd-replicas 2 \
  --oracle-sources clean
