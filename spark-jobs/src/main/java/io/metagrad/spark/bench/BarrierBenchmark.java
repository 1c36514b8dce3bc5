package io.metagrad.spark.bench;

import java.nio.ByteBuffer;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.SparkSession;
import scala.Function1;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * What one synchronisation of Spark barrier-mode data parallelism costs: {@code tasks} tasks of one barrier stage
 * each send a gradient of {@code floats} float32 values through {@link BarrierTaskContext#allGather} (the only
 * collective Spark has; it goes through the driver) {@code rounds} times and sum what they get back, as a
 * data-parallel MGD step would after every training step, forward and in REPLAY. The per-round wall time, set
 * beside a replica's measured per-step compute ({@code bench select}), says whether splitting a step's batch over
 * more executors than replicas pays.
 */
public final class BarrierBenchmark {

    /** What to measure. */
    public record Options(int tasks, int floats, int rounds, int warmup) {}

    private BarrierBenchmark() {}

    public static Map<String, Object> run(SparkSession spark, Options o) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int floats = o.floats();
        int rounds = o.rounds();
        int warmup = o.warmup();
        List<Integer> ids = IntStream.range(0, o.tasks()).boxed().toList();
        spark.sparkContext().setJobDescription("bench barrier: " + o.tasks() + " tasks × " + rounds + " allGather of " + floats + " floats");
        ClassTag<double[]> tag = ClassTag$.MODULE$.apply(double[].class);
        RDD<double[]> timed = jsc.parallelize(ids, o.tasks()).rdd().barrier().mapPartitions(
                (Function1<scala.collection.Iterator<Integer>, scala.collection.Iterator<double[]>> & Serializable) it ->
                        JavaConverters.asScalaIterator(List.of(rounds(it.next(), floats, rounds, warmup)).iterator()),
                false, tag);
        List<double[]> perTask = JavaRDD.fromRDD(timed, tag).collect();
        // a round ends when the slowest task has the others' gradients: the step waits for it
        double[] wall = new double[rounds];
        for (double[] t : perTask) {
            for (int r = 0; r < rounds; r++) {
                wall[r] = Math.max(wall[r], t[r]);
            }
        }
        Arrays.sort(wall);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("benchmark", "barrier-allgather");
        line.put("tasks", o.tasks());
        line.put("floats", floats);
        line.put("message_bytes", (long) floats * 4);
        line.put("rounds", rounds);
        line.put("allgather_ms_median", ms(wall[rounds / 2]));
        line.put("allgather_ms_q1", ms(wall[rounds / 4]));
        line.put("allgather_ms_q3", ms(wall[(3 * rounds) / 4]));
        line.put("allgather_ms_min", ms(wall[0]));
        line.put("allgather_ms_max", ms(wall[rounds - 1]));
        line.put("master", spark.sparkContext().master());
        return line;
    }

    /** One task's rounds: its seconds per allGather-and-sum, after {@code warmup} untimed ones. */
    private static double[] rounds(int task, int floats, int rounds, int warmup) {
        BarrierTaskContext ctx = BarrierTaskContext.get();
        float[] gradient = new float[floats];
        Arrays.fill(gradient, task + 1f);
        String message = encode(gradient);
        float[] sum = new float[floats];
        double[] seconds = new double[rounds];
        for (int r = -warmup; r < rounds; r++) {
            long start = System.nanoTime();
            Arrays.fill(sum, 0f);
            for (String other : ctx.allGather(message)) {
                add(sum, decode(other, floats));
            }
            if (r >= 0) {
                seconds[r] = (System.nanoTime() - start) / 1e9;
            }
        }
        float expected = ctx.numPartitions() * (ctx.numPartitions() + 1) / 2f; // Σ (task + 1): every gradient arrived whole
        for (float v : sum) {
            if (v != expected) {
                throw new IllegalStateException("allGather summed to " + v + ", expected " + expected);
            }
        }
        return seconds;
    }

    private static String encode(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4);
        b.asFloatBuffer().put(v);
        return Base64.getEncoder().encodeToString(b.array());
    }

    private static float[] decode(String s, int floats) {
        float[] v = new float[floats];
        ByteBuffer.wrap(Base64.getDecoder().decode(s)).asFloatBuffer().get(v);
        return v;
    }

    private static void add(float[] into, float[] v) {
        for (int i = 0; i < into.length; i++) {
            into[i] += v[i];
        }
    }

    private static double ms(double seconds) {
        return Math.round(seconds * 1e6) / 1000.0;
    }
}
