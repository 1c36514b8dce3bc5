package io.metagrad.spark.select;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.trim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The rules of DataComp's leaderboard filters that read pool metadata (Gadre et al., 2023,
 * "DataComp: In search of the next generation of multimodal datasets", §4 and appendix), as Spark
 * column expressions over the pool table, so that they run in partitions.
 */
final class FilterRules {

    /** Basic filtering: a caption of more than two words and more than five characters. */
    static final int MIN_WORDS = 3;
    static final int MIN_CHARACTERS = 6;
    /** Basic filtering: the smaller image side at least 200 pixels, aspect ratio below 3. */
    static final int MIN_SIDE = 200;
    static final double MAX_ASPECT = 3.0;

    private FilterRules() {}

    /**
     * DataComp's basic filter on the columns {@code pool} has: caption length ({@code text}), image
     * size and aspect ratio ({@code original_width}, {@code original_height}). Its English-language
     * rule is not applied (no language identifier runs offline here). Null when the pool has none
     * of the columns.
     */
    static Column basic(Dataset<Row> pool) {
        List<String> columns = Arrays.asList(pool.columns());
        List<Column> rules = new ArrayList<>();
        if (columns.contains("text")) {
            Column caption = trim(col("text"));
            rules.add(length(caption).geq(MIN_CHARACTERS).and(size(split(caption, "\\s+")).geq(MIN_WORDS)));
        }
        if (columns.contains("original_width") && columns.contains("original_height")) {
            Column w = col("original_width");
            Column h = col("original_height");
            rules.add(least(w, h).geq(MIN_SIDE).and(greatest(w, h).cast("double").divide(least(w, h)).lt(MAX_ASPECT)));
        }
        return rules.stream().reduce(Column::and).map(c -> org.apache.spark.sql.functions.coalesce(c, lit(false))).orElse(null);
    }

    /** Which basic rules {@link #basic} applies to {@code pool} (for the run's description). */
    static List<String> basicRules(Dataset<Row> pool) {
        List<String> columns = Arrays.asList(pool.columns());
        List<String> rules = new ArrayList<>();
        if (columns.contains("text")) {
            rules.add("caption >= " + MIN_WORDS + " words and >= " + MIN_CHARACTERS + " characters");
        }
        if (columns.contains("original_width") && columns.contains("original_height")) {
            rules.add("min(width, height) >= " + MIN_SIDE + " px and aspect ratio < " + MAX_ASPECT);
        }
        return rules;
    }

    /**
     * Text-based filtering: the caption mentions one of the class names, as a whole word or phrase,
     * ignoring case. DataComp matches ImageNet's class names; here the names come from the class
     * prompts ({@link #classNames}).
     */
    static Column mentionsAny(List<String> names) {
        String alternatives = String.join("|", names.stream().map(n -> Pattern.quote(n.toLowerCase(Locale.ROOT))).toList());
        return org.apache.spark.sql.functions.coalesce(lower(col("text")).rlike("(^|[^\\p{L}\\p{N}])(" + alternatives
                + ")($|[^\\p{L}\\p{N}])"), lit(false));
    }

    /**
     * The class names inside prompts built from one template ("a photo of a sneaker", "a photo of a
     * bag"): each prompt without the words that every prompt starts and ends with.
     */
    static List<String> classNames(List<String> prompts) {
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("text-based filtering needs class prompts (--prompts); the table has none");
        }
        List<String[]> words = prompts.stream().map(p -> p.strip().split("\\s+")).toList();
        int shortest = words.stream().mapToInt(w -> w.length).min().orElse(0);
        int prefix = 0;
        while (prefix < shortest - 1 && same(words, prefix, true)) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < shortest - prefix - 1 && same(words, suffix, false)) {
            suffix++;
        }
        List<String> names = new ArrayList<>();
        for (String[] w : words) {
            String name = String.join(" ", Arrays.copyOfRange(w, prefix, w.length - suffix)).replaceAll("^[\\p{Punct}]+|[\\p{Punct}]+$", "");
            if (prompts.size() == 1 || !name.isEmpty()) {
                names.add(name.isEmpty() ? String.join(" ", w) : name);
            }
        }
        return names;
    }

    /** Whether every prompt has the same word at position {@code i} from the start (or from the end). */
    private static boolean same(List<String[]> words, int i, boolean fromStart) {
        if (words.size() < 2) {
            return false;
        }
        String first = null;
        for (String[] w : words) {
            String word = (fromStart ? w[i] : w[w.length - 1 - i]).toLowerCase(Locale.ROOT);
            if (first == null) {
                first = word;
            } else if (!first.equals(word)) {
                return false;
            }
        }
        return true;
    }
}
