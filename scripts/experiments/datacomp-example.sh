#!/usr/bin/env bash
# The DataComp-shaped example (docs/results.md §DataComp): the CLIP-style Fashion-MNIST image–caption pool written
# as DataComp shards, ingested with --format datacomp, every DataComp filter baseline, random and MGD with the CLIP
# head as select runs, a DataComp submission (.npy) per method, and evaluate on zero-shot classification.
# Usage: scripts/experiments/datacomp-example.sh [RUN_DIR]   (writes only under RUN_DIR)
set -euo pipefail
cd "$(dirname "$0")/../.."
RUN="$(realpath -m "${1:-/tmp/metagrad-datacomp-example}")"
FEAT="$RUN/features"
CLIP=(--model CLIP --projection-dim 32 --train-steps 300)
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
# 1. DataComp shards, then the DataComp ingest (caption_kind: a metadata column kept by name)
bin/mgd sample-datacomp --sample "$RUN/data/pool" --pool "$FEAT/pool" --target "$FEAT/target" --output "$RUN/shards" \
  "${CLIP[@]}" --overwrite
bin/mgd ingest --format datacomp --input "$RUN/shards" --output "$RUN/pool" --keep-column caption_kind \
  --require emb_b32_img,emb_b32_txt --overwrite
bin/mgd featurize --input "$RUN/pool" --output "$RUN/pool-features" --featurizer passthrough --embedding b32_img \
  --target-embedding b32_txt --overwrite
# 2. every filter baseline, random and MGD (CLIP head), each a select run, each a submission
P=(--pool "$RUN/pool-features" --target "$FEAT/target" --overwrite)
M=(--metadata "$RUN/pool")
sel() { local name="$1"; shift; bin/mgd select "${P[@]}" --output "$RUN/runs/$name" "$@";
        bin/mgd curate --npy --input "$RUN/pool" --selection "$RUN/runs/$name" --output "$RUN/submissions/$name" --overwrite; }
sel none --method none
sel basic --method basic "${M[@]}"
sel text-based --method text-based "${M[@]}" --prompts "$RUN/data/prompts" "${CLIP[@]}"
sel image-based --method image-based --clusters 10
sel clip-score-30 --method clip-score --score-column clip_b32_similarity_score --keep-fraction 0.3 "${M[@]}"
sel clip-image-30 --method clip-image --score-column clip_b32_similarity_score --keep-fraction 0.3 "${M[@]}" --clusters 10
sel random-30 --method random --keep-fraction 0.3 "${CLIP[@]}"
sel mgd-30 --method mgd --keep-fraction 0.3 "${CLIP[@]}" --mgd-steps 20 --mask-p 0.3 --replicas 2
# 3. (--submissions: every compared selection's .npy and summary, inside evaluate's output, as curate --npy writes them)
# zero-shot classification of the downstream CLIP head trained on each select run as it is (--selection: the same
#    options, steps and seeds for every one), beside evaluate's own reference-head clip-score at 30 %
S=()
for name in none basic text-based image-based clip-score-30 clip-image-30 random-30 mgd-30; do
  S+=(--selection "$name=$RUN/runs/$name")
done
bin/mgd evaluate --pool "$RUN/pool-features" --target "$FEAT/target" --test "$FEAT/test" --prompts "$RUN/data/prompts" \
  --output "$RUN/evaluate" --overwrite --methods clip-score --budgets 0.3 --seeds 3 "${CLIP[@]}" "${S[@]}" --submissions
