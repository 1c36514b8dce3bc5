package io.metagrad.spark.ingest;

import java.io.Serializable;
import java.util.Set;

/**
 * What a record must satisfy beyond its types.
 *
 * @param required      fields that must be non-null on every row (uid always is)
 * @param ignoreUnknown drop fields that are not pool fields instead of flagging the row
 */
record CheckRules(Set<String> required, boolean ignoreUnknown) implements Serializable {

    CheckRules {
        required = Set.copyOf(required);
    }
}
