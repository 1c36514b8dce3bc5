package io.metagrad.spark.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/** Debian's Chromium, headless, as a reader of our pages would open them: screenshots and the DOM after load. */
final class HeadlessChromium {

    private static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final long TIMEOUT_SECONDS = 120;

    private final Path work;

    /** Fails (does not skip) when Chromium is missing: these checks are part of the suite. */
    HeadlessChromium(Path work) {
        if (!Files.isExecutable(BINARY)) {
            fail(BINARY + " is missing: run scripts/test (it installs Debian's chromium) or apt-get install -y chromium");
        }
        this.work = work;
    }

    /** The page at {@code html} drawn in a 1200×1600 window. */
    BufferedImage screenshot(Path html, String name) throws IOException, InterruptedException {
        Path png = work.resolve(name + ".png");
        run(name, "--screenshot=" + png, "--window-size=1200,1600", html.toUri().toString());
        BufferedImage image = ImageIO.read(png.toFile());
        if (image == null) {
            fail("chromium wrote no PNG at " + png);
        }
        return image;
    }

    /** The DOM of the page at {@code html} after it loaded (and its scripts ran). */
    String dumpDom(Path html, String name) throws IOException, InterruptedException {
        return run(name, "--dump-dom", "--virtual-time-budget=5000", html.toUri().toString());
    }

    private String run(String name, String... args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(work, "chromium-profile-");
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + profile));
        command.addAll(List.of(args));
        Path out = work.resolve(name + ".stdout");
        Path err = work.resolve(name + ".stderr");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                fail("chromium did not finish within " + TIMEOUT_SECONDS + " s: " + command);
            }
            assertEquals(0, p.exitValue(), "chromium failed: " + Files.readString(err, StandardCharsets.UTF_8));
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
