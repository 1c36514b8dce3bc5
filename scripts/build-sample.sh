#!/usr/bin/env bash
# Builds the shipped sample data/sample/ (pool, target, test) from Fashion-MNIST.
# Needs Debian's dataset-fashion-mnist: apt-get install -y dataset-fashion-mnist
# The rows are a deterministic function of the input files and the seed; see data/sample/README.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FMNIST="${FASHION_MNIST:-/usr/share/datasets/fashion-mnist}"
OUT="${1:-data/sample}"   # relative to the repository root, as recorded in the manifests
SEED="${SEED:-17}"

if [ ! -f "$FMNIST/train-images-idx3-ubyte.gz" ]; then
  echo "build-sample: $FMNIST has no Fashion-MNIST; run: apt-get install -y dataset-fashion-mnist" >&2
  exit 3
fi

cd "$ROOT"
bin/mgd sample --fashion-mnist "$FMNIST" --output "$OUT" --seed "$SEED" --overwrite
# Hadoop's local file system leaves .crc checksum files beside each Parquet file; readers do not need them.
find "$OUT" -name '.*.crc' -delete
du -sh "$OUT"/pool "$OUT"/target "$OUT"/test "$OUT"
