package io.metagrad.cluster;

import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code scripts/cluster-demo.sh}: the cluster test's scenario for people. Starts s3proxy and a standalone
 * cluster on loopback, runs the sample pipeline by spark-submit in client and in cluster mode with s3a:// in and
 * out (curating into an Iceberg table in cluster mode), prints where every driver and executor ran, and whether
 * the outputs equal the local run's bit for bit. Everything is stopped at the end.
 */
public final class ClusterDemo {

    private ClusterDemo() {}

    public static void main(String[] args) {
        Path work = Path.of(args.length > 0 ? args[0] : "runs/cluster-demo").toAbsolutePath();
        long start = System.nanoTime();
        boolean equal;
        try (ClusterScenario s = ClusterScenario.start(ClusterScenario.Settings.fromSystemProperties(work), System.out)) {
            System.out.println("[1/3] reference: the pipeline on local Spark (file://)");
            Outputs local = s.localRun();
            System.out.println("[2/3] spark-submit, client deploy mode, s3a:// in and out");
            Outputs client = s.clusterRun(Submit.Mode.CLIENT, "client", false);
            System.out.println("[3/3] spark-submit, cluster deploy mode, s3a:// in and out, curated rows into Iceberg " + ClusterScenario.TABLE);
            Outputs cluster = s.clusterRun(Submit.Mode.CLUSTER, "cluster", true);
            System.out.println();
            s.printRuns();
            System.out.println();
            System.out.println("outputs equal to the local run, bit for bit:");
            equal = report("client ", local, client) & report("cluster", local, cluster);
            System.out.println("logs and outputs: " + work);
        }
        System.out.printf(Locale.ROOT, "done in %.0f s%n", (System.nanoTime() - start) / 1e9);
        if (!equal) {
            System.exit(1);
        }
    }

    private static boolean report(String mode, Outputs local, Outputs run) {
        boolean selection = local.selection().equals(run.selection());
        boolean npy = local.npySha256().equals(run.npySha256());
        boolean curated = local.curated().equals(run.curated());
        System.out.printf(Locale.ROOT, "  %s  selection (%d rows): %s   subset.npy: %s   curated rows (%d): %s%n", mode,
                run.selection().size(), yes(selection), yes(npy), run.curated().size(), yes(curated));
        return selection && npy && curated;
    }

    private static String yes(boolean b) {
        return b ? "equal" : "DIFFERENT";
    }
}
