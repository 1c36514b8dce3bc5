package io.metagrad.spark.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.core.tensor.Precision;
import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.demo.SyntheticSample;
import io.metagrad.spark.evaluate.EvaluateJob;
import io.metagrad.spark.evaluate.EvaluateParams;
import io.metagrad.spark.evaluate.MgdSettings;
import io.metagrad.spark.select.Method;
import io.metagrad.spark.select.SelectJob;
import io.metagrad.spark.select.SelectParams;
import io.metagrad.spark.select.SmoothnessCheck;
import io.metagrad.spark.train.SmoothingKnobs;
import io.metagrad.spark.train.TrainingOptions;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code report.html} that select and evaluate write, opened in headless Chromium: the screenshot shows
 * the plots (pixels of the plots' own palette, absent from the page's style) and the tables (their header
 * colour); the DOM after load holds the table rows, and every image decoded to the size the plot was drawn at.
 */
class ReportInChromiumTest {

    /** The first colour of {@link Plots}' palette (MGD's target loss, evaluate's all-data bars); the page's style has none. */
    private static final int PLOT_BLUE = 0x1f77b4;
    /** The table header background of {@link Html}'s style sheet. */
    private static final int HEADER = 0xe4ebf5;
    /** Appended to a copy of the page (never to the report): writes each image's decoded size into the DOM. */
    private static final String PROBE = "<script>window.addEventListener('load',()=>{const p=document.createElement('pre');"
            + "p.id='decoded';p.textContent=[...document.images].map(i=>i.complete+' '+i.naturalWidth+'x'+i.naturalHeight)"
            + ".join('\\n');document.body.appendChild(p);});</script>";

    private static SparkSession spark;
    private static SyntheticSample.Paths sample;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSessions.getOrCreate("report-chromium-test");
        sample = new SyntheticSample(3, 6, 60, 0.2, 0.1, 30, 45, 1.5, 11).write(spark, dir.resolve("sample").toString());
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static TrainingOptions training() {
        return new TrainingOptions(TrainingOptions.ModelKind.LOGISTIC, null, 8, 0.2, TrainingOptions.ScheduleKind.COSINE, 0, 0.9,
                0, 16, 24, 3, Precision.FLOAT32);
    }

    @Test
    void selectRunsReportShowsTheStepPlotAndTable() throws Exception {
        HeadlessChromium chromium = new HeadlessChromium(Files.createDirectories(dir.resolve("chromium-select")));
        String out = dir.resolve("select").toString();
        SelectJob.Result r = SelectJob.run(spark, SelectParams.builder(sample.poolFeatures(), sample.targetFeatures(), out)
                .training(training()).mgdSteps(2).maskProbability(0.5).replicas(1).seed(5)
                .smoothness(new SmoothnessCheck(0, 0.1, 0.5)).build());
        assertTrue(r.finished());
        Path report = Path.of(out, RunReport.FILE_NAME);
        String html = requireSelfContained(report);

        String dom = chromium.dumpDom(probe(report), "select-dom");
        assertEquals(List.of("true 900x520"), decodedImages(dom), "the one plot decoded at the size Plots draws");
        List<List<String>> steps = rowsOf(dom, "held-out accuracy");
        assertEquals(r.metrics().size(), steps.size(), "one table row per MGD step, step 0 included");
        for (int s = 0; s < steps.size(); s++) {
            assertEquals(Integer.toString(s), steps.get(s).get(0));
            assertEquals(r.metrics().get(s).kept(), Integer.parseInt(steps.get(s).get(4)), "kept at step " + s);
        }
        assertTrue(dom.contains(r.selected() + " items"), "the selection size is shown");

        BufferedImage shot = chromium.screenshot(report, "select");
        assertTrue(near(shot, PLOT_BLUE) > 400, "the target-loss line is drawn: " + near(shot, PLOT_BLUE) + " plot-blue pixels");
        assertTrue(near(shot, HEADER) > 2000, "the tables are drawn: " + near(shot, HEADER) + " header pixels");
        assertFalse(html.contains(".staging-"), "the report names the run, not its staging directory");
        assertTrue(html.contains(out), "the report names the run");
        requireControlFails(chromium, report, html, "select");
    }

    @Test
    void evaluateReportShowsTheMethodsTableAndBothPlots() throws Exception {
        HeadlessChromium chromium = new HeadlessChromium(Files.createDirectories(dir.resolve("chromium-evaluate")));
        String out = dir.resolve("evaluate").toString();
        EvaluateJob.Result r = EvaluateJob.run(spark, new EvaluateParams(sample.poolFeatures(), sample.targetFeatures(),
                sample.testFeatures(), null, out, List.of(Method.RANDOM, Method.MGD), new double[] {0.5}, 2,
                training(), SmoothingKnobs.defaults(), 0, new MgdSettings(2, 1, 1, 0.5, 0.2, true), 7, false, java.util.Map.of()));
        Path report = Path.of(out, RunReport.FILE_NAME);
        String html = requireSelfContained(report);

        String dom = chromium.dumpDom(probe(report), "evaluate-dom");
        assertEquals(List.of("true 900x520", "true 900x520"), decodedImages(dom), "evaluate.png and evaluate-balanced.png decoded");
        List<List<String>> rows = rowsOf(dom, "test accuracy (mean ± std)");
        assertEquals(r.rows().size(), rows.size(), "one row per evaluate.json row");
        for (int i = 0; i < rows.size(); i++) {
            EvaluateJob.Row expected = r.rows().get(i);
            assertEquals(expected.method(), rows.get(i).get(0));
            assertEquals(Integer.toString(expected.kept()), rows.get(i).get(2), expected.method() + " kept");
            assertTrue(rows.get(i).get(5).startsWith(String.format(java.util.Locale.ROOT, "%.4f ± ", expected.mean())),
                    expected.method() + ": " + rows.get(i).get(5));
        }
        assertTrue(dom.contains(sample.poolFeatures()), "provenance names the pool");

        BufferedImage shot = chromium.screenshot(report, "evaluate");
        assertTrue(near(shot, PLOT_BLUE) > 3000, "the all-data bars are drawn: " + near(shot, PLOT_BLUE) + " plot-blue pixels");
        assertTrue(near(shot, HEADER) > 2000, "the tables are drawn: " + near(shot, HEADER) + " header pixels");
        requireControlFails(chromium, report, html, "evaluate");
    }

    /** The report loads nothing from elsewhere and runs no script. */
    private static String requireSelfContained(Path report) throws Exception {
        assertTrue(Files.exists(report), report + " written by the job");
        String html = Files.readString(report);
        assertFalse(html.contains("<script"), "no script in a report");
        assertFalse(Pattern.compile("(src|href)\\s*=\\s*\"(?!data:)").matcher(html).find(), "every src is a data: URI, no links");
        assertFalse(html.contains("@import") || html.contains("url("), "no external style or font");
        return html;
    }

    /** The same checks on the page with its images broken must fail: they measure the images, not the page. */
    private static void requireControlFails(HeadlessChromium chromium, Path report, String html, String name) throws Exception {
        Path broken = report.resolveSibling("broken-" + name + ".html");
        Files.writeString(broken, html.replace("data:image/png;base64,", "data:image/png;base64,AAAA"));
        assertTrue(near(chromium.screenshot(broken, name + "-broken"), PLOT_BLUE) < 50, "no plot pixels without the images");
        Path probe = probe(broken);
        assertTrue(decodedImages(chromium.dumpDom(probe, name + "-broken-dom")).stream().allMatch(s -> s.endsWith(" 0x0")),
                "broken images do not decode");
    }

    /** A copy of the page with {@link #PROBE} appended (the report itself stays script-free). */
    private static Path probe(Path report) throws Exception {
        Path probe = report.resolveSibling("probe-" + report.getFileName());
        Files.writeString(probe, Files.readString(report).replace("</body>", PROBE + "</body>"));
        return probe;
    }

    private static List<String> decodedImages(String dom) {
        Matcher m = Pattern.compile("<pre id=\"decoded\">([^<]*)</pre>").matcher(dom);
        assertTrue(m.find(), "the probe ran after load");
        return m.group(1).isEmpty() ? List.of() : List.of(m.group(1).split("\n"));
    }

    /** The body rows (cell texts) of the table whose header has a cell {@code header}. */
    private static List<List<String>> rowsOf(String dom, String header) {
        Matcher tables = Pattern.compile("<table>(.*?)</table>", Pattern.DOTALL).matcher(dom);
        while (tables.find()) {
            String t = tables.group(1);
            if (t.contains("<th>" + header + "</th>")) {
                String body = t.substring(t.indexOf("<tbody>"));
                Matcher rows = Pattern.compile("<tr>(.*?)</tr>", Pattern.DOTALL).matcher(body);
                List<List<String>> out = new java.util.ArrayList<>();
                while (rows.find()) {
                    Matcher cells = Pattern.compile("<td[^>]*>(.*?)</td>", Pattern.DOTALL).matcher(rows.group(1));
                    List<String> row = new java.util.ArrayList<>();
                    while (cells.find()) {
                        row.add(cells.group(1).replaceAll("<[^>]+>", "").replace("&amp;", "&"));
                    }
                    out.add(row);
                }
                return out;
            }
        }
        throw new AssertionError("no table with a '" + header + "' column in the DOM");
    }

    /** Pixels within a small distance of {@code rgb}. */
    private static int near(BufferedImage image, int rgb) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                int d = Math.abs(((p >> 16) & 0xff) - ((rgb >> 16) & 0xff)) + Math.abs(((p >> 8) & 0xff) - ((rgb >> 8) & 0xff))
                        + Math.abs((p & 0xff) - (rgb & 0xff));
                if (d <= 12) {
                    n++;
                }
            }
        }
        return n;
    }
}
