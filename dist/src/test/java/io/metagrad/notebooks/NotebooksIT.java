package io.metagrad.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notebooks under {@code notebooks/} run from a clean checkout: each is executed by Debian's
 * {@code jupyter nbconvert --execute} (which fails when a cell raises) in order, sharing one {@code MGD_RUNS}
 * directory, calling {@code bin/mgd} on the jar this build made; every one must draw its plots.
 */
class NotebooksIT {

    /** In the order they depend on one another: the first makes the runs the others read. */
    private static final List<String> NOTEBOOKS = List.of("select-sample.ipynb", "attribution-lds.ipynb", "selection-runs.ipynb");
    private static final Path JUPYTER = Path.of("/usr/bin/jupyter");
    private static final long TIMEOUT_SECONDS = 900;

    @Test
    void everyNotebookRunsAndDrawsItsPlots(@TempDir Path dir) throws Exception {
        if (!Files.isExecutable(JUPYTER) || !Files.exists(Path.of("/usr/share/jupyter/kernels/python3/kernel.json"))) {
            fail("jupyter nbconvert or the python3 kernel is missing: run scripts/test (it installs Debian's jupyter-nbconvert,"
                    + " python3-ipykernel and python3-matplotlib)");
        }
        Path root = Path.of(System.getProperty("mgd.sample")).toAbsolutePath().getParent().getParent();
        // bin/mgd runs the jar and classpath this build made; it must not start a nested build
        assertTrue(Files.exists(root.resolve("spark-jobs/target/mgd.classpath")), "spark-jobs is packaged before dist's tests");
        Path runs = Files.createDirectories(dir.resolve("runs"));
        for (String name : NOTEBOOKS) {
            Path executed = execute(root, name, runs, dir);
            JsonObject notebook = JsonParser.parseString(Files.readString(executed)).getAsJsonObject();
            int plots = 0;
            for (JsonElement cell : notebook.getAsJsonArray("cells")) {
                JsonObject c = cell.getAsJsonObject();
                if (!c.get("cell_type").getAsString().equals("code")) {
                    continue;
                }
                for (JsonElement o : c.getAsJsonArray("outputs")) {
                    JsonObject output = o.getAsJsonObject();
                    assertFalse(output.get("output_type").getAsString().equals("error"), name + ": a cell raised: " + output);
                    if (output.has("data") && output.getAsJsonObject("data").has("image/png")) {
                        plots++;
                    }
                }
            }
            assertTrue(plots >= 2, name + " drew " + plots + " plots");
        }
        assertTrue(Files.exists(runs.resolve("demo/select/report.html")), "select wrote its report");
        assertTrue(Files.exists(runs.resolve("validate/report.html")), "validate wrote its report");
    }

    private static Path execute(Path root, String name, Path runs, Path dir) throws IOException, InterruptedException {
        Path out = Files.createDirectories(dir.resolve("executed"));
        Path log = dir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(JUPYTER.toString(), "nbconvert", "--to", "notebook", "--execute",
                "--ExecutePreprocessor.timeout=" + TIMEOUT_SECONDS, "--output-dir", out.toString(), "notebooks/" + name)
                .directory(root.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("MGD_RUNS", runs.toString());
        pb.environment().put("MGD_SKIP_BUILD", "1");
        pb.environment().put("MGD_JAVA_OPTS", "-Xmx2g");
        Process p = pb.start();
        try {
            if (!p.waitFor(TIMEOUT_SECONDS + 60, TimeUnit.SECONDS)) {
                fail(name + " did not finish within " + TIMEOUT_SECONDS + " s; log: " + Files.readString(log));
            }
            assertEquals(0, p.exitValue(), name + " failed:\n" + tail(Files.readString(log)));
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        return out.resolve(name);
    }

    private static String tail(String s) {
        return s.length() > 8000 ? s.substring(s.length() - 8000) : s;
    }
}
