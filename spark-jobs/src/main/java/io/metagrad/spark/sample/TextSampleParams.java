package io.metagrad.spark.sample;

/**
 * How the Reuters text-selection data is made from Weka's Reuters "grain" ARFF files
 * (docs/results-text.md). The task is binary: label 1 = the document is about grain.
 *
 * @param train             Weka's {@code ReutersGrain-train.arff} (or {@code .arff.gz})
 * @param test              Weka's {@code ReutersGrain-test.arff}; becomes the test split whole
 * @param output            directory to write {@code pool/}, {@code target/}, {@code test/} (JSONL) and {@code build.json} into
 * @param seed              seed of every random choice; default 17
 * @param poolSize          candidate pool rows, off-domain included; default 1500 (keeps MiniLM under ~1 min)
 * @param targetSize        clean target documents held out from train; default 100
 * @param targetGrainShare  share of grain documents in the target (train has only ~7 %); default 0.25
 * @param flipFraction      share of the pool's Reuters documents whose label is flipped; default 0.3
 * @param offDomainFraction share of the pool that are synthetic non-news sentences with random labels; default 0.1
 * @param overwrite         replace an existing output directory
 */
public record TextSampleParams(String train, String test, String output, long seed, int poolSize, int targetSize,
        double targetGrainShare, double flipFraction, double offDomainFraction, boolean overwrite) {

    public TextSampleParams {
        if (train == null || test == null || output == null) {
            throw new IllegalArgumentException("sample-text needs --train, --test and --output");
        }
        if (poolSize < 10) {
            throw new IllegalArgumentException("sample-text --pool-size = " + poolSize + " is invalid; must be >= 10");
        }
        if (targetSize < 2) {
            throw new IllegalArgumentException("sample-text --target-size = " + targetSize + " is invalid; must be >= 2");
        }
        for (double f : new double[] {targetGrainShare, flipFraction, offDomainFraction}) {
            if (!(f >= 0 && f < 1)) {
                throw new IllegalArgumentException("sample-text fractions must be in [0, 1), got " + f);
            }
        }
    }

    public static TextSampleParams defaults(String train, String test, String output) {
        return new TextSampleParams(train, test, output, 17, 1500, 100, 0.25, 0.3, 0.1, false);
    }

    int offDomain() {
        return (int) Math.round(poolSize * offDomainFraction);
    }

    int inDomain() {
        return poolSize - offDomain();
    }

    int flipped() {
        return (int) Math.round(inDomain() * flipFraction);
    }

    int targetGrain() {
        return (int) Math.round(targetSize * targetGrainShare);
    }
}
