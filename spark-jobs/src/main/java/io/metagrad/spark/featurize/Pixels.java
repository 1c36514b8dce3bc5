package io.metagrad.spark.featurize;

import static org.apache.spark.sql.functions.col;

import io.metagrad.spark.schema.TableSchemas;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Images as standardized pixels: {@code (p − mean) / std}, with one mean and one standard
 * deviation over all pixels of the input (or reused from {@code --fitted-from}), then
 * optionally a seeded {@link RandomProjection} to {@code projectionDim} dimensions. Pixels come
 * from the pool's {@code pixels} column, or else from decoding its {@code image}. Every image
 * must have the same number of values.
 */
final class Pixels implements Featurizer {

    private final int projectionDim;
    private final long seed;
    private final String input;

    Pixels(int projectionDim, long seed, String input) {
        this.projectionDim = projectionDim;
        this.seed = seed;
        this.input = input;
    }

    @Override
    public Column missingInput() {
        return col("pixels").isNull().and(col("image").isNull());
    }

    @Override
    public String input() {
        return "pixels or image";
    }

    String name() {
        return projectionDim > 0 ? "pixels+projection" : "pixels";
    }

    @Override
    public Featurized apply(Dataset<Row> pool, FittedReference reference) {
        Map<String, Object> params = new LinkedHashMap<>();
        double mean;
        double std;
        int dim;
        if (reference == null) {
            Stats s = stats(pool);
            mean = s.mean();
            std = s.std() > 0 ? s.std() : 1; // constant images: nothing to scale
            dim = s.dim();
            params.put("fittedOn", input);
        } else {
            reference.require(name());
            mean = reference.number("mean");
            std = reference.number("std");
            dim = (int) reference.number("inputDim");
            if (projectionDim > 0 && ((int) reference.number("projectionDim") != projectionDim
                    || (long) reference.number("seed") != seed)) {
                throw new IllegalArgumentException("featurize --fitted-from " + reference.path() + " projects with projectionDim "
                        + (int) reference.number("projectionDim") + " and seed " + (long) reference.number("seed")
                        + "; pass the same --projection-dim and --seed");
            }
            params.put("fittedOn", reference.params().get("fittedOn").getAsString());
            params.put("fittedFrom", reference.shownPath());
        }
        params.put("mean", mean);
        params.put("std", std);
        params.put("inputDim", dim);
        if (projectionDim > 0) {
            params.put("projectionDim", projectionDim);
            params.put("seed", seed);
        }
        StructType schema = pool.schema().add("features", TableSchemas.floatArray(), false);
        Dataset<Row> rows = pool.mapPartitions(new Transform(mean, std, dim, projectionDim, seed), Encoders.row(schema));
        return new Featurized(rows, name(), "1", params);
    }

    /** Pixel statistics of the input, with the rows where the image size changes. */
    private record Stats(double mean, double std, int dim) {}

    private static Stats stats(Dataset<Row> pool) {
        StructType schema = new StructType().add("n", DataTypes.LongType).add("sum", DataTypes.DoubleType)
                .add("sumsq", DataTypes.DoubleType).add("min", DataTypes.IntegerType).add("min_at", DataTypes.StringType)
                .add("max", DataTypes.IntegerType).add("max_at", DataTypes.StringType);
        List<Row> parts = pool.mapPartitions((MapPartitionsFunction<Row, Row>) it -> {
            long n = 0;
            double sum = 0;
            double sumsq = 0;
            int min = Integer.MAX_VALUE;
            int max = -1;
            String minAt = null;
            String maxAt = null;
            while (it.hasNext()) {
                Row r = it.next();
                String where = Images.where(r);
                float[] p = Images.pixels(r, where);
                for (float v : p) {
                    sum += v;
                    sumsq += (double) v * v;
                }
                n += p.length;
                if (p.length < min) {
                    min = p.length;
                    minAt = where;
                }
                if (p.length > max) {
                    max = p.length;
                    maxAt = where;
                }
            }
            List<Row> out = new ArrayList<>();
            if (max >= 0) {
                out.add(RowFactory.create(n, sum, sumsq, min, minAt, max, maxAt));
            }
            return out.iterator();
        }, Encoders.row(schema)).collectAsList();
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("featurize: the pool has no rows");
        }
        long n = 0;
        double sum = 0;
        double sumsq = 0;
        Row min = parts.get(0);
        Row max = parts.get(0);
        for (Row p : parts) {
            n += p.getLong(0);
            sum += p.getDouble(1);
            sumsq += p.getDouble(2);
            min = p.getInt(3) < min.getInt(3) ? p : min;
            max = p.getInt(5) > max.getInt(5) ? p : max;
        }
        if (min.getInt(3) != max.getInt(5)) {
            throw new IllegalArgumentException(max.getString(6) + " field 'pixels': the image has " + max.getInt(5)
                    + " values, but " + min.getString(4) + " has " + min.getInt(3) + "; every image must have one size");
        }
        double mean = sum / n;
        return new Stats(mean, Math.sqrt(Math.max(0, sumsq / n - mean * mean)), max.getInt(5));
    }

    private static final class Transform implements MapPartitionsFunction<Row, Row> {
        private final double mean;
        private final double std;
        private final int dim;
        private final int projectionDim;
        private final long seed;

        Transform(double mean, double std, int dim, int projectionDim, long seed) {
            this.mean = mean;
            this.std = std;
            this.dim = dim;
            this.projectionDim = projectionDim;
            this.seed = seed;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> input) {
            float[] matrix = projectionDim > 0 ? RandomProjection.matrix(seed, dim, projectionDim) : null;
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return input.hasNext();
                }

                @Override
                public Row next() {
                    Row r = input.next();
                    String where = Images.where(r);
                    float[] p = Images.pixels(r, where);
                    if (p.length != dim) {
                        throw new IllegalArgumentException(where + " field 'pixels': the image has " + p.length
                                + " values, but the featurizer was fitted on images of " + dim);
                    }
                    float[] x = new float[dim];
                    for (int i = 0; i < dim; i++) {
                        x[i] = (float) ((p[i] - mean) / std);
                    }
                    Object[] values = new Object[r.size() + 1];
                    for (int i = 0; i < r.size(); i++) {
                        values[i] = r.get(i);
                    }
                    values[r.size()] = matrix == null ? x : RandomProjection.apply(matrix, x, projectionDim);
                    return RowFactory.create(values);
                }
            };
        }
    }
}
