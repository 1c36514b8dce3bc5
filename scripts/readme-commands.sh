#!/usr/bin/env bash
# Runs the README's copy-paste blocks of "Three ways to run" (spark-submit to a cluster; the same with s3a:// and
# Iceberg) as written, with only their placeholders filled in: the master is a standalone Master with two Workers
# on loopback, D= a local directory, the S3 endpoint s3proxy (bucket "bucket"; credentials as AWS_* environment
# variables), SPARK_HOME an emulated distribution of Spark's own jars. Checks that the file:// and the
# s3a:// + Iceberg runs give the same selection and curated rows bit for bit. Stops everything at the end.
#
#   scripts/readme-commands.sh [WORK_DIR]      (default runs/readme-commands; replaced on every run)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JAR="$(ls dist/target/metagrad-*-all.jar 2>/dev/null | head -n 1 || true)"
if [ -z "$JAR" ] || [ ! -f dist/target/test.classpath ] || [ ! -f spark-dist/target/spark-dist.classpath ]; then
  echo "readme-commands: building the application jar and the test harness (mvn package, about 2 min)…" >&2
  mvn -B -q -ntp -DskipTests -Dcluster.skip=true package >&2
  mvn -B -q -ntp -pl dist -am -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false test-compile >&2
  JAR="$(ls dist/target/metagrad-*-all.jar | head -n 1)"
fi
NATIVE="$(tr ':' '\n' < spark-jobs/target/mgd.classpath | grep pytorch-native-cpu)"
OPENS="-XX:+IgnoreUnrecognizedVMOptions --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false"
export OPT_OUT_TRACKING=true SPARK_LOCAL_IP=127.0.0.1
# shellcheck disable=SC2086
exec java $OPENS -Xmx1g -Dai.djl.offline=true \
  -Dmgd.app.jar="$ROOT/$JAR" -Dmgd.spark.dist.classpath="$ROOT/spark-dist/target/spark-dist.classpath" \
  -Dmgd.s3proxy.jar="$ROOT/dist/target/it/s3proxy.jar" -Dmgd.sample="$ROOT/data/sample" -Dmgd.native.jar="$NATIVE" \
  -cp "$ROOT/dist/target/test-classes:$(cat dist/target/test.classpath)" io.metagrad.cluster.ReadmeCommands "${1:-runs/readme-commands}"
