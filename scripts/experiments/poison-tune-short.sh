#!/usr/bin/env bash
# docs/results.md §3: the short versions of the poisoning audit and of schedule tuning, sized to run in
# about 20 minutes on 2 shared cores (the full-size runs are poison-fashion-mnist.sh and tune-lr.sh).
#   data  — Fashion-MNIST (Debian dataset-fashion-mnist): train 2,000 clean images of the 8 task classes
#           (250 each), validation 400 (50 per class), test 800 (100 per class); standardized raw pixels.
#   poison — MLP 784-32-8 (tanh), SGD momentum 0.9, lr 0.01 with 15 warmup steps then cosine, batch 128,
#           150 steps (about 10 epochs); ε = 2.5 % = 50 rows, the same rows for every method (--seed 0),
#           pixels kept in [0, 1] (--box pixels); every poison scored with 3 evaluation seeds.
#   tune  — the same pool and model from a constant rate of 0.01: MGD on 6 knots (12 signed steps of 0.3
#           decaying by a cosine) against a grid of 216 schedules and random search with MGD's compute;
#           and (second pool) noisy Reuters "grain" (Debian weka) embedded by MiniLM, logistic regression,
#           batch 64, 200 steps from a constant 0.1, the same searches.
# Usage: scripts/experiments/poison-tune-short.sh [RUN_DIR] [all|data|poison|poison-baselines|poison-mgd|tune-fm|tune-text
#        |poison-mgd-longer]
#        (default runs/short, all). Every part first builds the Fashion-MNIST data if missing (`data` does only
#        that); once it is there, the other parts may run at the same time (each job measures its own compute);
#        `poison` is poison-baselines, then poison-mgd, then the table.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUN="${1:-runs/short}"
PART="${2:-all}"
FEAT="$RUN/fm/features"
if [ ! -d "$FEAT/test" ]; then
  bin/mgd sample --seed 17 --output "$RUN/fm/data" --pool-size 2000 --flip-fraction 0 --duplicate-fraction 0 \
    --off-class-fraction 0 --target-per-class 50 --test-per-class 100 --overwrite
  bin/mgd featurize --input "$RUN/fm/data/pool" --output "$FEAT/pool" --featurizer pixels --overwrite
  for split in target test; do
    bin/mgd featurize --input "$RUN/fm/data/$split" --output "$FEAT/$split" --featurizer pixels --fitted-from "$FEAT/pool" \
      --target-set --overwrite
  done
fi
[ "$PART" = data ] && exit 0
MODEL=(--model MLP --hidden 32 --batch-size 128 --train-steps 150 --momentum 0.9)
P="$RUN/poison"
COMMON=(--train "$FEAT/pool" --validation "$FEAT/target" --test "$FEAT/test" --fraction 0.025 --seed 0 --box pixels
  "${MODEL[@]}" --lr 0.01 --warmup-steps 15 --eval-seeds 3)
if [ "$PART" = all ] || [ "$PART" = poison ] || [ "$PART" = poison-baselines ]; then
  for method in random-flip adversarial-flip gradient-ascent; do
    bin/mgd poison "${COMMON[@]}" --method "$method" --output "$P/$method" --overwrite
  done
  bin/mgd poison "${COMMON[@]}" --method gradcancel --gc-radius 0.1 --output "$P/gradcancel" --overwrite
fi
if [ "$PART" = all ] || [ "$PART" = poison ] || [ "$PART" = poison-mgd ]; then
  bin/mgd poison "${COMMON[@]}" --method mgd --replicas 2 --mgd-steps 20 --step-size 0.15 --step-schedule cosine \
    --final-step-fraction 0.1 --optimize features,labels --output "$P/mgd" --overwrite
fi
# the lever measured after the short run: three times the steps (the validation loss still rose at step 20)
# and four replicas (half of the ascent did not carry over to fresh training seeds); not part of `all`
if [ "$PART" = poison-mgd-longer ]; then
  bin/mgd poison "${COMMON[@]}" --method mgd --replicas 4 --mgd-steps 60 --step-size 0.15 --step-schedule cosine \
    --final-step-fraction 0.1 --optimize features,labels --output "$P/mgd-60-steps-4-replicas" --overwrite
  python3 scripts/experiments/results-table.py poison "$P"/{random-flip,adversarial-flip,gradient-ascent,gradcancel,mgd} \
    "$P/mgd-60-steps-4-replicas" | tee "$P/table-longer.md"
fi
if [ "$PART" = all ] || [ "$PART" = poison ]; then
  python3 scripts/experiments/results-table.py poison "$P"/{random-flip,adversarial-flip,gradient-ascent,gradcancel,mgd} \
    | tee "$P/table.md"
fi
tune() { # tune OUT LR_RANGE TRAINING... : MGD, the grid, random search with MGD's compute
  local out="$1" range="$2"
  shift 2
  local data=(--lr-range "$range" --eval-seeds 3 "$@")
  local peaks
  peaks=$(python3 -c "import sys; lo,hi=map(float,sys.argv[1].split(',')); print(','.join('%.4g' % (lo*(hi/lo)**(i/7)) for i in range(8)))" "$range")
  bin/mgd tune-lr "${data[@]}" --method mgd --knots 6 --mgd-steps 12 --step-size 0.3 --step-schedule cosine \
    --output "$out/mgd" --overwrite
  bin/mgd tune-lr "${data[@]}" --method grid --grid-peaks "$peaks" --grid-warmups 0,0.05,0.2 --output "$out/grid" --overwrite
  local trials
  trials=$(python3 -c "import json,math,sys; print(math.ceil(json.load(open(sys.argv[1]))['compute']['training_run_equivalents']))" \
    "$out/mgd/report.json")
  bin/mgd tune-lr "${data[@]}" --method random --trials "$trials" --seed 1 --grid-warmups 0,0.05,0.2 --output "$out/random" \
    --overwrite
  python3 scripts/experiments/results-table.py tune "$out"/mgd "$out"/grid "$out"/random | tee "$out/table.md"
}
if [ "$PART" = all ] || [ "$PART" = tune-fm ]; then
  tune "$RUN/tune-fm" 0.001,1 --train "$FEAT/pool" --validation "$FEAT/target" --test "$FEAT/test" "${MODEL[@]}" \
    --lr 0.01 --lr-schedule CONSTANT
fi
if [ "$PART" = all ] || [ "$PART" = tune-text ]; then
  WEKA=/usr/share/doc/weka/examples
  TEXT="$RUN/text/features"
  if [ ! -d "$TEXT/test" ]; then
    bin/mgd sample-text --train "$WEKA/ReutersGrain-train.arff" --test "$WEKA/ReutersGrain-test.arff" \
      --output "$RUN/text/raw" --seed 17 --pool-size 1500 --overwrite
    for split in pool target test; do
      bin/mgd ingest --input "$RUN/text/raw/$split" --format jsonl --output "$RUN/text/tables/$split" --shards 2 \
        --require label,text,source --overwrite
    done
    bin/mgd featurize --input "$RUN/text/tables/pool" --output "$TEXT/pool" --featurizer minilm --overwrite
    for split in target test; do
      bin/mgd featurize --input "$RUN/text/tables/$split" --output "$TEXT/$split" --featurizer minilm \
        --fitted-from "$TEXT/pool" --target-set --overwrite
    done
  fi
  tune "$RUN/tune-text" 0.001,10 --train "$TEXT/pool" --validation "$TEXT/target" --test "$TEXT/test" \
    --model LOGISTIC --batch-size 64 --train-steps 200 --momentum 0.9 --lr 0.1 --lr-schedule CONSTANT
fi
