package io.metagrad.spark.ingest;

/**
 * The order in which {@code --index-labels} numbers label strings: Spark ML {@code StringIndexer}'s
 * {@code stringOrderType}, by the same names. Ties in frequency are broken alphabetically, as Spark does.
 */
public enum LabelOrder {
    frequencyDesc, frequencyAsc, alphabetDesc, alphabetAsc;

    public static LabelOrder parse(String name) {
        for (LabelOrder o : values()) {
            if (o.name().equalsIgnoreCase(name.strip())) {
                return o;
            }
        }
        throw new IllegalArgumentException("ingest --label-order '" + name
                + "' is unknown; use frequencyDesc, frequencyAsc, alphabetDesc or alphabetAsc (StringIndexer's stringOrderType)");
    }
}
