#!/usr/bin/env bash
# A real Spark cluster on loopback, for people: s3proxy (S3 with its in-memory backend) and a standalone Master
# with two Workers started from an emulated SPARK_HOME that holds only Spark's own jars; the shipped sample
# uploaded to s3a://mgd/sample; ingest → featurize → select → curate by spark-submit of
# dist/target/metagrad-*-all.jar in client and in cluster deploy mode (curated rows into an Iceberg table);
# prints what ran where and whether the outputs equal the local run's bit for bit. Stops everything at the end.
#
#   scripts/cluster-demo.sh [WORK_DIR]      (default runs/cluster-demo; replaced on every run)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JAR="$(ls dist/target/metagrad-*-all.jar 2>/dev/null | head -n 1 || true)"
if [ -z "$JAR" ] || [ ! -f dist/target/test.classpath ] || [ ! -f spark-dist/target/spark-dist.classpath ]; then
  echo "cluster-demo: building the application jar and the test harness (mvn package, about 2 min)…" >&2
  mvn -B -q -ntp -DskipTests -Dcluster.skip=true package >&2
  mvn -B -q -ntp -pl dist -am -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false test-compile >&2
  JAR="$(ls dist/target/metagrad-*-all.jar | head -n 1)"
fi
NATIVE="$(tr ':' '\n' < spark-jobs/target/mgd.classpath | grep pytorch-native-cpu)"
BUNDLE="$(tr ':' '\n' < spark-jobs/target/mgd.classpath | grep aws-java-sdk-bundle)"
OPENS="-XX:+IgnoreUnrecognizedVMOptions --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false"
export OPT_OUT_TRACKING=true SPARK_LOCAL_IP=127.0.0.1
# shellcheck disable=SC2086
exec java $OPENS -Xmx2g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
  -Dmgd.app.jar="$ROOT/$JAR" -Dmgd.spark.dist.classpath="$ROOT/spark-dist/target/spark-dist.classpath" \
  -Dmgd.s3proxy.jar="$ROOT/dist/target/it/s3proxy.jar" -Dmgd.sample="$ROOT/data/sample" \
  -Dmgd.native.jar="$NATIVE" -Dmgd.aws.bundle="$BUNDLE" \
  -cp "$ROOT/dist/target/test-classes:$(cat dist/target/test.classpath)" io.metagrad.cluster.ClusterDemo "${1:-runs/cluster-demo}"
