#!/usr/bin/env bash
# docs/results.md §2.2: CLIP-style selection. Fashion-MNIST images paired with MiniLM-embedded
# captions (30 % wrong-class, 10 % off-topic in the 2,000-item pool; clean 200-pair target split), a CLIP
# projection head (64-d projected pixels ↔ 384-d caption embeddings, 32-d joint space), scored by
# zero-shot accuracy with "a photo of a {class}" prompts on 1,000 official test images.
# Every method at budgets 30/50/70 %, 5 seeds each. Writes only under RUN_DIR.
# Training: the project defaults (SGD, momentum 0.9, lr 0.1, cosine, batch 64), 300 steps (about 10 epochs of the
# full pool), MGD settings of §2.1; fixed before the run, not tuned on the test split.
# Usage: scripts/experiments/selection-clip.sh [RUN_DIR [extra evaluate options]]   (default /tmp/metagrad-selection-clip)
set -euo pipefail
cd "$(dirname "$0")/../.."
RUN="$(realpath -m "${1:-/tmp/metagrad-selection-clip}")"
FEAT="$RUN/features"
mkdir -p "$RUN"
if [ ! -d "$RUN/data/prompts" ]; then
  bin/mgd sample-clip --output "$RUN/data" --seed 17 --overwrite
fi
if [ ! -d "$FEAT/test" ]; then
  bin/mgd featurize --input "$RUN/data/pool" --output "$FEAT/pool" --featurizer pixels --projection-dim 64 --seed 1 \
    --target-embedding caption --overwrite
  for split in target test; do
    bin/mgd featurize --input "$RUN/data/$split" --output "$FEAT/$split" --featurizer pixels --projection-dim 64 --seed 1 \
      --target-embedding caption --fitted-from "$FEAT/pool" --target-set --overwrite
  done
fi
bin/mgd evaluate --pool "$FEAT/pool" --target "$FEAT/target" --test "$FEAT/test" --prompts "$RUN/data/prompts" \
  --output "$RUN/evaluate" --overwrite \
  --methods random,loss,clip-score,grad-sim,influence,mgd,mgd-prune --budgets 0.3,0.5,0.7 --seeds 5 \
  --model CLIP --projection-dim 32 --train-steps 300 --mgd-steps 20 --mgd-mask-probability 0.3 --mgd-replicas 2 \
  --oracle-sources clean "${@:2}"
