package io.metagrad.spark.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.cli.Mgd;
import io.metagrad.spark.io.TableManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Text from run directories (parameters, paths, the jobs' Markdown) reaches a report only escaped. */
class HtmlEscapingTest {

    private static final String HOSTILE = "<script>alert('x')</script> & \"quoted\" </td></tr>";

    @Test
    void escapesTheFiveSpecialCharacters() {
        assertEquals("&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;", Html.escape("<a href=\"x\">Tom & Jerry's</a>"));
        assertEquals("plain text, 0.5 ± 0.1 × 2", Html.escape("plain text, 0.5 ± 0.1 × 2"));
        assertEquals("", Html.escape(null));
    }

    @Test
    void everyPieceOfAPageIsEscaped() {
        Html page = new Html(HOSTILE).heading(HOSTILE).paragraph(HOSTILE).note(HOSTILE).preformatted(HOSTILE)
                .table(List.of(HOSTILE), List.of(List.of(HOSTILE))).png(HOSTILE, new byte[] {1, 2, 3});
        String html = page.page();
        assertFalse(html.contains("<script"), html);
        assertEquals(1, count(html, "<td>"), "a cell cannot open another: " + html);
        assertEquals(2, count(html, "</tr>"), "nor close its row: the header row and the one body row");
        assertEquals(10, count(html, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;"),
                "title, h1, heading, paragraph, note, pre, th, td, alt and caption: " + html);
    }

    @Test
    void markdownIsEscapedBeforeItsMarkupIsApplied() {
        Html page = new Html("t");
        MarkdownText.append(page, "# Results <b>\n\n| method | note |\n|---|---|\n| `mgd` | " + "<img src=x> **best** |\n\ntext `a<b` and **bold**\n");
        String html = page.page();
        assertTrue(html.contains("<h2>Results &lt;b&gt;</h2>"), html);
        assertTrue(html.contains("<td><code>mgd</code></td>"), html);
        assertTrue(html.contains("<td>&lt;img src=x&gt; <b>best</b></td>"), html);
        assertTrue(html.contains("<p>text <code>a&lt;b</code> and <b>bold</b></p>"), html);
        assertFalse(html.contains("<img"), "the Markdown's own tags are text");
    }

    @Test
    void aRunsParametersAndPathsAreEscapedInItsReport(@TempDir Path dir) throws Exception {
        Path run = Files.createDirectories(dir.resolve("run"));
        Configuration hadoop = new Configuration();
        TableManifest.of("evaluate", "evaluate_output/v1").params(Map.of("note", HOSTILE, "nested", Map.of("k", HOSTILE)))
                .inputs(List.of("/data/" + HOSTILE)).writeTo(run.toString(), hadoop);
        Files.writeString(run.resolve("evaluate.md"), "| method | x |\n|---|---|\n| " + HOSTILE.replace("|", "") + " | 1 |\n");
        String html = RunReport.render(run.toString(), run.toString(), hadoop);
        assertFalse(html.contains("<script"), html);
        assertTrue(html.contains("<td>nested.k</td>"), "nested parameters by their dotted path");
        assertTrue(count(html, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") >= 4, html);
    }

    @Test
    void reportCommandRendersARunAndNeverReplacesAFileItDidNotWrite(@TempDir Path dir) throws Exception {
        Path run = Files.createDirectories(dir.resolve("run"));
        TableManifest.of("validate", "validate_output/v1").params(Map.of("targets", 3)).writeTo(run.toString(), new Configuration());
        assertEquals(0, Mgd.commandLine().execute("report", run.toString()));
        assertTrue(Files.readString(run.resolve(RunReport.FILE_NAME)).contains(Html.GENERATOR));
        Path mine = Files.writeString(dir.resolve("notes.html"), "my notes");
        assertNotEquals(0, Mgd.commandLine().execute("report", run.toString(), "--out", mine.toString()));
        assertEquals("my notes", Files.readString(mine), "a file metagrad did not write is left alone");
        Path out = dir.resolve("elsewhere.html");
        assertEquals(0, Mgd.commandLine().execute("report", run.toString(), "--out", out.toString()));
        assertEquals(0, Mgd.commandLine().execute("report", run.toString(), "--out", out.toString()), "its own report it replaces");
        assertEquals(3, Mgd.commandLine().execute("report", dir.resolve("nope").toString()), "a missing run: exit 3");
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
