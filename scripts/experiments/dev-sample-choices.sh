#!/usr/bin/env bash
# How mgd-prune's settings were chosen without looking at any reported test split: on development
# samples drawn with another seed (99) than the reported ones (17). Prints two tables:
#   1. --mgd-prune-fraction 0.10 / 0.05 / 0.02 / 0.01 on the noisy Fashion-MNIST development sample
#      (budgets 30 % and 50 %, beside loss filtering);
#   2. on the CLIP development sample, what the MGD methods descend: --mgd-target pairs vs zero-shot.
# Writes only under RUN_DIR. About 11 min on 2 cores.
# Usage: scripts/experiments/dev-sample-choices.sh [RUN_DIR]   (default /tmp/metagrad-dev)
set -euo pipefail
cd "$(dirname "$0")/../.."
RUN="$(realpath -m "${1:-/tmp/metagrad-dev}")"
mkdir -p "$RUN"

FM="$RUN/fashion-mnist"
if [ ! -d "$FM/features/test" ]; then
  bin/mgd sample --seed 99 --output "$FM/data" --overwrite
  bin/mgd featurize --input "$FM/data/pool" --output "$FM/features/pool" --featurizer pixels --projection-dim 64 --seed 1 --overwrite
  for split in target test; do
    bin/mgd featurize --input "$FM/data/$split" --output "$FM/features/$split" --featurizer pixels --projection-dim 64 --seed 1 \
      --fitted-from "$FM/features/pool" --target-set --overwrite
  done
fi
for f in 0.10 0.05 0.02 0.01; do
  bin/mgd evaluate --pool "$FM/features/pool" --target "$FM/features/target" --test "$FM/features/test" \
    --output "$FM/prune-$f" --overwrite --methods loss,mgd-prune --budgets 0.3,0.5 --seeds 5 \
    --model LOGISTIC --lr 0.003 --train-steps 400 --mgd-replicas 2 --mgd-prune-fraction "$f" > "$FM/prune-$f.log" 2>&1
  echo "== Fashion-MNIST development sample, --mgd-prune-fraction $f"
  grep '^|' "$FM/prune-$f/evaluate.md"
done

CLIP="$RUN/clip"
if [ ! -d "$CLIP/features/test" ]; then
  bin/mgd sample-clip --output "$CLIP/data" --seed 99 --overwrite
  bin/mgd featurize --input "$CLIP/data/pool" --output "$CLIP/features/pool" --featurizer pixels --projection-dim 64 --seed 1 \
    --target-embedding caption --overwrite
  for split in target test; do
    bin/mgd featurize --input "$CLIP/data/$split" --output "$CLIP/features/$split" --featurizer pixels --projection-dim 64 \
      --seed 1 --target-embedding caption --fitted-from "$CLIP/features/pool" --target-set --overwrite
  done
fi
for target in pairs zero-shot; do
  bin/mgd evaluate --pool "$CLIP/features/pool" --target "$CLIP/features/target" --test "$CLIP/features/test" \
    --prompts "$CLIP/data/prompts" --output "$CLIP/target-$target" --overwrite --methods loss,clip-score,mgd,mgd-prune \
    --budgets 0.3,0.5 --seeds 5 --model CLIP --projection-dim 32 --train-steps 300 --mgd-steps 20 \
    --mgd-mask-probability 0.3 --mgd-replicas 2 --mgd-target "$target" > "$CLIP/target-$target.log" 2>&1
  echo "== CLIP development sample, --mgd-target $target"
  grep '^|' "$CLIP/target-$target/evaluate.md"
done
