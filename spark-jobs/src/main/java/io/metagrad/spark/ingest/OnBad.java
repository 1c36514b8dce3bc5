package io.metagrad.spark.ingest;

import java.util.Locale;

/** What ingest does with bad rows. */
public enum OnBad {
    /** Stop with an error naming the first bad row's file, row and field; write nothing. */
    FAIL,
    /** Write bad rows to a separate quarantine table, with the reason, and report their count. */
    QUARANTINE;

    public static OnBad parse(String name) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ingest --on-bad '" + name + "' is unknown; use fail or quarantine");
        }
    }
}
