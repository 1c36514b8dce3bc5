package io.metagrad.spark.sample;

/**
 * How the CLIP-style sample is made from Fashion-MNIST: every image of all ten classes gets a
 * short caption; a share of the pool's captions are wrong (another class's caption) or off-topic.
 *
 * @param fashionMnist      directory with {@code train-images-idx3-ubyte.gz} and friends
 * @param output            directory to write {@code pool/}, {@code target/}, {@code test/}, {@code prompts/} and {@code build.json} into
 * @param seed              seed of every random choice; default 17
 * @param poolSize          candidate pool rows (images drawn round-robin over the classes); default 2000
 * @param wrongFraction     share of the pool captioned as another class; default 0.3
 * @param offTopicFraction  share of the pool with an unrelated sentence as caption; default 0.1
 * @param targetPerClass    clean pairs per class in the target split (training images); default 20
 * @param testPerClass      test images per class (official test split); default 100
 * @param overwrite         replace existing tables
 */
public record ClipSampleParams(String fashionMnist, String output, long seed, int poolSize, double wrongFraction,
        double offTopicFraction, int targetPerClass, int testPerClass, boolean overwrite) {

    public ClipSampleParams {
        if (fashionMnist == null || output == null) {
            throw new IllegalArgumentException("sample-clip needs --fashion-mnist and --output");
        }
        if (poolSize < 10 || poolSize > 50_000) {
            throw new IllegalArgumentException("sample-clip --pool-size = " + poolSize + " is invalid; must be in 10..50000");
        }
        if (!(wrongFraction >= 0 && offTopicFraction >= 0 && wrongFraction + offTopicFraction < 1)) {
            throw new IllegalArgumentException("sample-clip: --wrong-fraction " + wrongFraction + " and --off-topic-fraction "
                    + offTopicFraction + " must be >= 0 and leave some clean captions (sum < 1)");
        }
        if (targetPerClass < 1 || testPerClass < 1) {
            throw new IllegalArgumentException("sample-clip: --target-per-class and --test-per-class must be >= 1");
        }
    }

    public static ClipSampleParams defaults(String fashionMnist, String output) {
        return new ClipSampleParams(fashionMnist, output, 17, 2000, 0.3, 0.1, 20, 100, false);
    }

    public ClipSampleParams withSizes(int pool, int target, int test) {
        return new ClipSampleParams(fashionMnist, output, seed, pool, wrongFraction, offTopicFraction, target, test, overwrite);
    }

    public ClipSampleParams withSeed(long s) {
        return new ClipSampleParams(fashionMnist, output, s, poolSize, wrongFraction, offTopicFraction, targetPerClass,
                testPerClass, overwrite);
    }

    public ClipSampleParams withOverwrite(boolean o) {
        return new ClipSampleParams(fashionMnist, output, seed, poolSize, wrongFraction, offTopicFraction, targetPerClass,
                testPerClass, o);
    }

    int wrong() {
        return (int) Math.round(poolSize * wrongFraction);
    }

    int offTopic() {
        return (int) Math.round(poolSize * offTopicFraction);
    }
}
