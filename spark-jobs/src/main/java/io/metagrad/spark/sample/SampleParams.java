package io.metagrad.spark.sample;

/**
 * How the shipped sample is made from Fashion-MNIST (see {@code data/sample/README.md}).
 *
 * @param fashionMnist     directory with {@code train-images-idx3-ubyte.gz} and friends
 * @param output           directory to write {@code pool/}, {@code target/}, {@code test/} and {@code build.json} into
 * @param seed             seed of every random choice; default 17
 * @param poolSize         candidate pool rows; default 2000
 * @param offClassFraction share of the pool taken from the held-out classes (with a task label); default 0.1
 * @param duplicateFraction share of the pool that are copies of other pool items under new uids; default 0.1
 * @param flipFraction     share of the remaining in-class items whose label is replaced by another class; default 0.4
 * @param targetPerClass   clean target items per task class (from the training images); default 25
 * @param testPerClass     test items per task class (from the test images); default 125
 * @param overwrite        replace existing tables
 */
public record SampleParams(String fashionMnist, String output, long seed, int poolSize, double offClassFraction,
        double duplicateFraction, double flipFraction, int targetPerClass, int testPerClass, boolean overwrite) {

    /** Fashion-MNIST classes 0–7 are the task; 8 (bag) and 9 (ankle boot) only feed off-class noise. */
    public static final int TASK_CLASSES = 8;

    public SampleParams {
        if (fashionMnist == null || output == null) {
            throw new IllegalArgumentException("sample needs --fashion-mnist and --output");
        }
        if (poolSize < 10 || poolSize > 50_000) {
            throw new IllegalArgumentException("sample --pool-size = " + poolSize + " is invalid; must be in 10..50000");
        }
        for (double f : new double[] {offClassFraction, duplicateFraction, flipFraction}) {
            if (!(f >= 0 && f < 1)) {
                throw new IllegalArgumentException("sample fractions must be in [0, 1), got " + f);
            }
        }
        if (offClassFraction + duplicateFraction >= 1) {
            throw new IllegalArgumentException("sample: off-class and duplicate fractions leave no in-class items");
        }
        if (targetPerClass < 1 || testPerClass < 1) {
            throw new IllegalArgumentException("sample: --target-per-class and --test-per-class must be >= 1");
        }
    }

    public static SampleParams defaults(String fashionMnist, String output) {
        return new SampleParams(fashionMnist, output, 17, 2000, 0.1, 0.1, 0.4, 25, 125, false);
    }

    public SampleParams withSizes(int pool, int targetPerClass, int testPerClass) {
        return new SampleParams(fashionMnist, output, seed, pool, offClassFraction, duplicateFraction, flipFraction,
                targetPerClass, testPerClass, overwrite);
    }

    public SampleParams withSeed(long s) {
        return new SampleParams(fashionMnist, output, s, poolSize, offClassFraction, duplicateFraction, flipFraction,
                targetPerClass, testPerClass, overwrite);
    }

    public SampleParams withOverwrite(boolean o) {
        return new SampleParams(fashionMnist, output, seed, poolSize, offClassFraction, duplicateFraction, flipFraction,
                targetPerClass, testPerClass, o);
    }

    int offClass() {
        return (int) Math.round(poolSize * offClassFraction);
    }

    int duplicates() {
        return (int) Math.round(poolSize * duplicateFraction);
    }

    int inClass() {
        return poolSize - offClass() - duplicates();
    }

    int flipped() {
        return (int) Math.round(inClass() * flipFraction);
    }
}
