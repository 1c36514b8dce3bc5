#!/usr/bin/env bash
# docs/results.md §3.2: learning-rate schedules by metagradient against a grid of 1,152 schedules and
# random search with MGD's compute, on two real pools:
#   fm   — Fashion-MNIST (Debian dataset-fashion-mnist), the pixels pool of poison-fashion-mnist.sh
#          (train 5,000 / validation 1,000 / test 2,000, 8 classes), MLP 784-64-8, SGD momentum 0.9,
#          batch 256, 300 steps;
#   text — noisy Reuters "grain" (Debian weka) embedded by MiniLM (the pool of selection-text.sh:
#          1,500 train / 100 clean validation / 604 test documents), logistic regression, SGD
#          momentum 0.9, batch 64, 400 steps.
# MGD starts from a constant rate (the pool's usual one), tunes 10 knots in log space, 30 signed steps
# of 0.3 decaying by a cosine to 0.03 (chosen on the text pool's search validation loss); the grid is shape (cosine, linear × final 0/1/10/30 %, constant) × 16 peaks × 8 warmups.
# Every chosen schedule is retrained with 5 evaluation seeds (base+1000…). ~1 h on 2 shared cores.
# Usage: scripts/experiments/tune-lr.sh fm|text [RUN_DIR]   (default runs/tune-fm, runs/tune-text)
set -euo pipefail
cd "$(dirname "$0")/../.."
POOL="${1:?fm or text}"
RUN="${2:-runs/tune-$POOL}"
mkdir -p "$RUN"
case "$POOL" in
  fm)
    FEAT="${FM_FEATURES:-runs/poison-fm/features}"
    if [ ! -d "$FEAT/test" ]; then
      echo "tune-lr: $FEAT is missing; run scripts/experiments/poison-fashion-mnist.sh runs/poison-fm data first (it builds the pool)" >&2
      exit 3
    fi
    RANGE=0.001,1
    COMMON=(--model MLP --hidden 64 --batch-size 256 --train-steps 300 --momentum 0.9 --lr 0.01 --lr-schedule CONSTANT)
    ;;
  text)
    WEKA=/usr/share/doc/weka/examples
    if [ ! -f "$WEKA/ReutersGrain-train.arff" ]; then
      apt-get -o DPkg::Lock::Timeout=600 install -y weka
    fi
    FEAT="$RUN/features"
    if [ ! -d "$FEAT/test" ]; then
      bin/mgd sample-text --train "$WEKA/ReutersGrain-train.arff" --test "$WEKA/ReutersGrain-test.arff" \
        --output "$RUN/raw" --seed 17 --pool-size 1500 --overwrite
      for split in pool target test; do
        bin/mgd ingest --input "$RUN/raw/$split" --format jsonl --output "$RUN/tables/$split" --shards 2 \
          --require label,text,source --overwrite
      done
      bin/mgd featurize --input "$RUN/tables/pool" --output "$FEAT/pool" --featurizer minilm --overwrite
      for split in target test; do
        bin/mgd featurize --input "$RUN/tables/$split" --output "$FEAT/$split" --featurizer minilm \
          --fitted-from "$FEAT/pool" --target-set --overwrite
      done
    fi
    RANGE=0.001,10
    COMMON=(--model LOGISTIC --batch-size 64 --train-steps 400 --momentum 0.9 --lr 0.1 --lr-schedule CONSTANT)
    ;;
  *) echo "tune-lr.sh: first argument must be fm or text" >&2; exit 2 ;;
esac
DATA=(--train "$FEAT/pool" --validation "$FEAT/target" --test "$FEAT/test" --lr-range "$RANGE" --eval-seeds 5)
PEAKS=$(python3 -c "import sys; lo,hi=map(float,sys.argv[1].split(',')); print(','.join('%.4g' % (lo*(hi/lo)**(i/15)) for i in range(16)))" "$RANGE")
bin/mgd tune-lr "${DATA[@]}" "${COMMON[@]}" --method mgd --knots 10 --mgd-steps 30 --step-size 0.3 --step-schedule cosine --output "$RUN/mgd"
bin/mgd tune-lr "${DATA[@]}" "${COMMON[@]}" --method grid --grid-peaks "$PEAKS" \
  --grid-warmups 0,0.02,0.05,0.1,0.15,0.2,0.3,0.4 --output "$RUN/grid" --overwrite
# random search gets the compute MGD used, in training-run equivalents (rounded up)
TRIALS=$(python3 -c "import json,math,sys; print(math.ceil(json.load(open(sys.argv[1]))['compute']['training_run_equivalents']))" \
  "$RUN/mgd/report.json")
bin/mgd tune-lr "${DATA[@]}" "${COMMON[@]}" --method random --trials "$TRIALS" --seed 1 \
  --grid-warmups 0,0.02,0.05,0.1,0.15,0.2,0.3,0.4 --output "$RUN/random" --overwrite
python3 scripts/experiments/results-table.py tune "$RUN"/mgd "$RUN"/grid "$RUN"/random | tee "$RUN/table.md"
