#!/usr/bin/env bash
# Runs the README's copy-paste blocks of "Three ways to run" (spark-submit to a cluster; the same with s3a:// and
# Iceberg) as written, with only their placeholders filled in: the master is a standalone Master with two Workers
# on loopback, D= a local directory, the S3 endpoint s3proxy (bucket "bucket"; credentials as AWS_* environment
# variables), SPARK_HOME an emulated distribution of Spark's own jars. Checks that the file:// and the
# s3a:// + Iceberg runs give the same selection and curated rows bit for bit. Stops everything at the end.
#
#   scripts/readme-commands.sh [WORK_DIR]      (default runs/readme-commands; replaced on every run)
set -euo pipefail
# shellcheck source=lib/dist-harness.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/dist-harness.sh"
dist_harness_prepare readme-commands
# shellcheck disable=SC2086
exec java $OPENS -Xmx1g -Dai.djl.offline=true \
  -Dmgd.app.jar="$ROOT/$JAR" -Dmgd.spark.dist.classpath="$ROOT/spark-dist/target/spark-dist.classpath" \
  -Dmgd.s3proxy.jar="$ROOT/dist/target/it/s3proxy.jar" -Dmgd.sample="$ROOT/data/sample" -Dmgd.native.jar="$NATIVE" \
  -cp "$HARNESS_CP" io.metagrad.cluster.ReadmeCommands "${1:-runs/readme-commands}"
