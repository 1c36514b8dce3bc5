package io.metagrad.spark.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Markdown the jobs write ({@code evaluate.md}, {@code lds.md}, {@code report.md}) into a page: pipe
 * tables become tables, {@code #} lines headings, other lines paragraphs; inside them only {@code `code`}
 * and {@code **bold**} are marked up, after the text is escaped. That is all the jobs' Markdown uses.
 */
final class MarkdownText {

    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern BOLD = Pattern.compile("\\*\\*([^*]+)\\*\\*");
    private static final Pattern RULE = Pattern.compile("\\|?\\s*:?-{3,}:?\\s*(\\|\\s*:?-{3,}:?\\s*)*\\|?");

    private MarkdownText() {}

    /** Appends {@code markdown} to {@code page}. */
    static void append(Html page, String markdown) {
        List<String> paragraph = new ArrayList<>();
        List<List<String>> table = new ArrayList<>();
        for (String raw : markdown.split("\\R", -1)) {
            String line = raw.strip();
            if (line.startsWith("|")) {
                flushParagraph(page, paragraph);
                if (!RULE.matcher(line).matches()) {
                    table.add(cells(line));
                }
                continue;
            }
            flushTable(page, table);
            if (line.isEmpty()) {
                flushParagraph(page, paragraph);
            } else if (line.startsWith("#")) {
                flushParagraph(page, paragraph);
                page.heading(line.replaceFirst("^#+\\s*", ""));
            } else {
                paragraph.add(line);
            }
        }
        flushTable(page, table);
        flushParagraph(page, paragraph);
    }

    /** {@code text} escaped, with {@code `code`} and {@code **bold**} marked up. */
    static String inline(String text) {
        String escaped = Html.escape(text);
        Matcher code = CODE.matcher(escaped);
        escaped = code.replaceAll("<code>$1</code>");
        return BOLD.matcher(escaped).replaceAll("<b>$1</b>");
    }

    private static List<String> cells(String line) {
        String inner = line.substring(1, line.endsWith("|") && line.length() > 1 ? line.length() - 1 : line.length());
        return Arrays.stream(inner.split("\\|", -1)).map(String::strip).map(MarkdownText::inline).toList();
    }

    private static void flushTable(Html page, List<List<String>> table) {
        if (!table.isEmpty()) {
            page.table(table.get(0), table.subList(1, table.size()), true);
            table.clear();
        }
    }

    private static void flushParagraph(Html page, List<String> lines) {
        if (!lines.isEmpty()) {
            page.markup(inline(String.join(" ", lines)));
            lines.clear();
        }
    }
}
