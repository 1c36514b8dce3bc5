package io.metagrad.spark.featurize;

import java.util.Locale;

/** The featurizers {@code mgd featurize} offers. */
public enum FeaturizerKind {
    /** Text → Spark MLlib regex tokenizer, hashing TF, IDF, L2 normalization. */
    HASHING_TFIDF("hashing-tfidf"),
    /** Text → the all-MiniLM-L6-v2 (quantized) sentence encoder, 384-d. */
    MINILM("minilm"),
    /** Images (pixels or PNG/JPEG bytes) → standardized pixels, optionally a seeded random projection. */
    PIXELS("pixels"),
    /** A precomputed pool embedding {@code emb_<name>} as is. */
    PASSTHROUGH("passthrough");

    private final String cliName;

    FeaturizerKind(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static FeaturizerKind parse(String name) {
        for (FeaturizerKind k : values()) {
            if (k.cliName.equals(name.strip().toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new IllegalArgumentException("featurize --featurizer '" + name + "' is unknown; use hashing-tfidf, minilm, pixels or passthrough");
    }
}
