package io.metagrad.spark.ingest;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code --split NAME=PATH[,PATH…]}: the inputs of one table that one ingest writes beside the others, as
 * {@code <output>/NAME}.
 *
 * @param name   the table's name under the output ({@code pool}, {@code target}, {@code test}, …)
 * @param inputs its files, directories or globs
 */
public record IngestSplit(String name, List<String> inputs) {

    public IngestSplit {
        if (name == null || !name.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("--split: the name '" + name + "' must match [A-Za-z0-9_-]+ (it names a table)");
        }
        if (inputs == null || inputs.isEmpty() || inputs.stream().anyMatch(s -> s == null || s.isBlank())) {
            throw new IllegalArgumentException("--split " + name + " needs a PATH (NAME=PATH)");
        }
        inputs = List.copyOf(inputs);
    }

    /** Parses {@code NAME=PATH[,PATH…]}. */
    public static IngestSplit parse(String spec) {
        int eq = spec.indexOf('=');
        if (eq < 0) {
            throw new IllegalArgumentException("--split '" + spec + "' is invalid; use NAME=PATH, e.g. pool=raw/pool.csv");
        }
        List<String> inputs = new ArrayList<>();
        for (String p : spec.substring(eq + 1).split(",")) {
            if (!p.isBlank()) {
                inputs.add(p.strip());
            }
        }
        return new IngestSplit(spec.substring(0, eq).strip(), inputs);
    }
}
