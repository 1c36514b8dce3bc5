# Sourced by the scripts that run the loopback-cluster harness of dist/'s test sources (cluster-demo.sh,
# readme-commands.sh): builds the application jar and the harness when missing, then sets
#   ROOT        the repository (and cd's there)      JAR     dist/target/metagrad-*-all.jar (relative to ROOT)
#   NATIVE      the pytorch-native-cpu jar           BUNDLE  the aws-java-sdk-bundle jar
#   OPENS       the JVM flags Spark needs on Java 17 HARNESS_CP  the harness's classpath
# and exports OPT_OUT_TRACKING and SPARK_LOCAL_IP. Usage: dist_harness_prepare NAME (NAME prefixes its messages).
dist_harness_prepare() {
  local name="$1"
  ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  cd "$ROOT"
  JAR="$(ls dist/target/metagrad-*-all.jar 2>/dev/null | head -n 1 || true)"
  if [ -z "$JAR" ] || [ ! -f dist/target/test.classpath ] || [ ! -f spark-dist/target/spark-dist.classpath ]; then
    echo "$name: building the application jar and the test harness (mvn package, about 2 min)…" >&2
    mvn -B -q -ntp -DskipTests -Dcluster.skip=true package >&2
    mvn -B -q -ntp -pl dist -am -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false test-compile >&2
    JAR="$(ls dist/target/metagrad-*-all.jar | head -n 1)"
  fi
  NATIVE="$(tr ':' '\n' < spark-jobs/target/mgd.classpath | grep pytorch-native-cpu)"
  BUNDLE="$(tr ':' '\n' < spark-jobs/target/mgd.classpath | grep aws-java-sdk-bundle)"
  OPENS="-XX:+IgnoreUnrecognizedVMOptions --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false"
  HARNESS_CP="$ROOT/dist/target/test-classes:$(cat dist/target/test.classpath)"
  export OPT_OUT_TRACKING=true SPARK_LOCAL_IP=127.0.0.1
}
