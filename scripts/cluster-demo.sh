#!/usr/bin/env bash
# A real Spark cluster on loopback, for people: s3proxy (S3 with its in-memory backend) and a standalone Master
# with two Workers started from an emulated SPARK_HOME that holds only Spark's own jars; the shipped sample
# uploaded to s3a://mgd/sample; ingest → featurize → select → curate by spark-submit of
# dist/target/metagrad-*-all.jar in client and in cluster deploy mode (curated rows into an Iceberg table);
# prints what ran where and whether the outputs equal the local run's bit for bit. Stops everything at the end.
#
#   scripts/cluster-demo.sh [WORK_DIR]      (default runs/cluster-demo; replaced on every run)
set -euo pipefail
# shellcheck source=lib/dist-harness.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/dist-harness.sh"
dist_harness_prepare cluster-demo
# shellcheck disable=SC2086
exec java $OPENS -Xmx2g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
  -Dmgd.app.jar="$ROOT/$JAR" -Dmgd.spark.dist.classpath="$ROOT/spark-dist/target/spark-dist.classpath" \
  -Dmgd.s3proxy.jar="$ROOT/dist/target/it/s3proxy.jar" -Dmgd.sample="$ROOT/data/sample" \
  -Dmgd.native.jar="$NATIVE" -Dmgd.aws.bundle="$BUNDLE" \
  -cp "$HARNESS_CP" io.metagrad.cluster.ClusterDemo "${1:-runs/cluster-demo}"
