package io.metagrad.spark.report;

import java.util.Base64;
import java.util.List;

/**
 * A self-contained HTML page, built element by element: every text is escaped here, images are inline
 * {@code data:} URIs and the style sheet is in the page, so it opens offline (no script, no CDN, no font).
 */
public final class Html {

    /** Marks pages this class wrote; {@code mgd report --out} replaces only such a file. */
    public static final String GENERATOR = "<meta name=\"generator\" content=\"metagrad report\">";

    private static final String STYLE = String.join("\n",
            "body{font-family:sans-serif;margin:24px auto;max-width:1100px;color:#222;background:#fff}",
            "h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #ccc;padding-bottom:4px;margin-top:28px}",
            "table{border-collapse:collapse;margin:8px 0 16px}",
            "th,td{border:1px solid #bbb;padding:3px 8px;font-size:13px;text-align:left;vertical-align:top}",
            "th{background:#e4ebf5}td.num{text-align:right;font-variant-numeric:tabular-nums}",
            "img{max-width:100%;border:1px solid #ddd;margin:6px 0}code,pre{font-family:monospace;font-size:12px}",
            "pre{background:#f6f6f6;padding:8px;overflow-x:auto}p.note{color:#555;font-size:13px}");

    private final StringBuilder body = new StringBuilder();
    private final String title;

    public Html(String title) {
        this.title = title;
    }

    /** {@code text} with the five characters HTML gives a meaning to replaced by entities (null: empty). */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    public Html heading(String text) {
        body.append("<h2>").append(escape(text)).append("</h2>\n");
        return this;
    }

    public Html paragraph(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    /** A paragraph of already-marked-up {@code html} (from {@link MarkdownText}, which escapes first). */
    Html markup(String html) {
        body.append("<p>").append(html).append("</p>\n");
        return this;
    }

    public Html note(String text) {
        body.append("<p class=\"note\">").append(escape(text)).append("</p>\n");
        return this;
    }

    public Html preformatted(String text) {
        body.append("<pre>").append(escape(text)).append("</pre>\n");
        return this;
    }

    /** A table: the header row, then one row per list; cells that read as numbers are right-aligned. */
    public Html table(List<String> header, List<List<String>> rows) {
        return table(header, rows, false);
    }

    /** As {@link #table(List, List)}; with {@code markedUp} the cells are HTML made by {@link MarkdownText}. */
    Html table(List<String> header, List<List<String>> rows, boolean markedUp) {
        body.append("<table>\n<thead><tr>");
        for (String h : header) {
            body.append("<th>").append(markedUp ? h : escape(h)).append("</th>");
        }
        body.append("</tr></thead>\n<tbody>\n");
        for (List<String> row : rows) {
            body.append("<tr>");
            for (String cell : row) {
                body.append(numeric(cell) ? "<td class=\"num\">" : "<td>").append(markedUp ? cell : escape(cell)).append("</td>");
            }
            body.append("</tr>\n");
        }
        body.append("</tbody>\n</table>\n");
        return this;
    }

    /** A PNG drawn into the page as a {@code data:} URI, with {@code alt} text for what it shows. */
    public Html png(String alt, byte[] png) {
        body.append("<figure><img alt=\"").append(escape(alt)).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\"><figcaption>").append(escape(alt))
                .append("</figcaption></figure>\n");
        return this;
    }

    /** The whole page. */
    public String page() {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n" + GENERATOR + "\n<title>" + escape(title)
                + "</title>\n<style>\n" + STYLE + "\n</style>\n</head>\n<body>\n<h1>" + escape(title) + "</h1>\n" + body
                + "</body>\n</html>\n";
    }

    private static boolean numeric(String cell) {
        return cell != null && cell.matches("[-+]?[0-9][0-9.,]*([eE][-+]?[0-9]+)?%?( ± [0-9.eE+-]+%?)?");
    }
}
