package io.metagrad.spark.curate;

import java.util.Locale;

/** Where {@code curate} puts the curated rows. */
public enum CurateFormat {
    /** {@code --output/curated/}: a Parquet directory committed with the rest of the output. */
    PARQUET,
    /** {@code --table CATALOG.DB.NAME}: one Iceberg snapshot per curate run, tagged with the select run. */
    ICEBERG;

    /** Parses a format name, case-insensitively. */
    public static CurateFormat parse(String name) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("curate --format '" + name + "' is unknown; use parquet or iceberg");
        }
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
