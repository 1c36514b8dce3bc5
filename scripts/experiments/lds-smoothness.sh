#!/usr/bin/env bash
# LDS of exact influence vs final-model baselines on the shipped Fashion-MNIST sample (MLP 64→32→8),
# for four training configurations from rough to smooth, next to each one's metasmoothness.
# Usage: scripts/experiments/lds-smoothness.sh [RUN_DIR]   (default runs/lds-smoothness; ~5 min on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/../.."
RUN="${1:-runs/lds-smoothness}"
mkdir -p "$RUN"
FEAT="$RUN/features"
if [ ! -d "$FEAT/test" ]; then
  bin/mgd featurize --input data/sample/pool --output "$FEAT/pool" --featurizer pixels --projection-dim 64 --seed 1 --overwrite
  bin/mgd featurize --input data/sample/target --output "$FEAT/target" --featurizer pixels --projection-dim 64 --seed 1 \
    --fitted-from "$FEAT/pool" --target-set --overwrite
  bin/mgd featurize --input data/sample/test --output "$FEAT/test" --featurizer pixels --projection-dim 64 --seed 1 \
    --fitted-from "$FEAT/pool" --target-set --overwrite
fi
COMMON=(--train "$FEAT/pool" --model MLP --hidden 32 --train-steps 200)
declare -A CONFIGS=(
  [1-rough]="--lr 0.1 --momentum 0.9 --batch-size 32 --lr-schedule CONSTANT"
  [2-cosine]="--lr 0.1 --momentum 0.9 --batch-size 64 --lr-schedule COSINE --warmup-steps 20"
  [3-moderate]="--lr 0.03 --momentum 0.9 --batch-size 128 --lr-schedule COSINE --warmup-steps 20"
  [4-smooth]="--lr 0.02 --momentum 0.5 --batch-size 128 --lr-schedule CONSTANT --logit-scale 0.5"
)
echo "| configuration | metasmoothness | LDS exact influence | LDS grad dot | LDS grad cosine |" > "$RUN/summary.md"
echo "|---|---|---|---|---|" >> "$RUN/summary.md"
for name in $(printf '%s\n' "${!CONFIGS[@]}" | sort); do
  read -r -a opts <<< "${CONFIGS[$name]}"
  s=$(bin/mgd smoothness "${COMMON[@]}" "${opts[@]}" --directions 3 --output "$RUN/$name/smoothness" --overwrite | tail -1)
  bin/mgd validate "${COMMON[@]}" "${opts[@]}" --targets "$FEAT/target" --max-targets 16 --subsets 100 \
    --remove-fraction 0.01 --output "$RUN/$name/lds" --overwrite > "$RUN/$name.log"
  lds=$(grep '^| ' "$RUN/$name.log" | tail -3 | awk -F'|' '{gsub(/ /,"",$3); printf "%s|", $3}')
  IFS='|' read -r exact dot cosine _ <<< "$lds"
  smooth=$(echo "$s" | awk '{print $2}')
  echo "| $name: ${CONFIGS[$name]} | $smooth | $exact | $dot | $cosine |" >> "$RUN/summary.md"
done
cat "$RUN/summary.md"
