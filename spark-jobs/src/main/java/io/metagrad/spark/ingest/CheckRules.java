package io.metagrad.spark.ingest;

import java.io.Serializable;
import java.util.Set;

/**
 * What a record must satisfy beyond its types.
 *
 * @param required      fields that must be non-null on every row (uid always is)
 * @param ignoreUnknown drop fields that are not pool fields instead of flagging the row
 * @param tabular       how plain columns become pool fields ({@code --vector}, {@code --label-column}, {@code --index-labels})
 */
record CheckRules(Set<String> required, boolean ignoreUnknown, TabularColumns tabular) implements Serializable {

    CheckRules {
        required = Set.copyOf(required);
        tabular = tabular == null ? TabularColumns.NONE : tabular;
    }

    CheckRules(Set<String> required, boolean ignoreUnknown) {
        this(required, ignoreUnknown, TabularColumns.NONE);
    }

    /** These rules with {@code --vector} prefixes resolved against an input's columns (null: JSONL, none fixed). */
    CheckRules resolve(String file, java.util.List<String> inputColumns) {
        return new CheckRules(required, ignoreUnknown, tabular.resolve(file, inputColumns));
    }
}
