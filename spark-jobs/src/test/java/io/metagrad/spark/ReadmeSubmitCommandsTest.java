package io.metagrad.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The README's spark-submit lines ("Three ways to run") stay runnable as the code changes: every {@code --class}
 * names a job main, every job option after the jar parses with that job's options (what {@link JobMain} does
 * first), and nothing but spark-submit's {@code --conf} comes between {@code $SUBMIT} and {@code --class}. The
 * commands themselves were run as written on a loopback cluster by {@code scripts/readme-commands.sh}.
 */
class ReadmeSubmitCommandsTest {

    private static final String SECTION = "## Three ways to run";

    @Test
    void everySubmitLineNamesAJobAndParsesWithItsOptions() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int from = readme.indexOf(SECTION);
        assertTrue(from >= 0, "README.md has no section '" + SECTION + "'");
        int to = readme.indexOf("\n## ", from + SECTION.length());
        Matcher blocks = Pattern.compile("```bash\n(.*?)```", Pattern.DOTALL).matcher(readme.substring(from, to));
        int lines = 0;
        while (blocks.find()) {
            String d = null;
            for (String line : blocks.group(1).split("\n")) {
                if (line.startsWith("D=")) {
                    d = line.substring(2).split("\\s")[0];
                } else if (line.startsWith("eval ")) {
                    check(line, d);
                    lines++;
                }
            }
        }
        assertTrue(lines >= 12, "expected the cluster and the s3a:// pipelines' submit lines, found " + lines);
    }

    private static void check(String line, String d) throws Exception {
        List<String> tokens = new ArrayList<>(Arrays.asList(line.replace("$D", d).trim().split("\\s+")));
        int at = tokens.indexOf("--class");
        assertTrue(at > 0 && at + 2 < tokens.size() && "$JAR".equals(tokens.get(at + 2)), "no '--class MAIN $JAR' in: " + line);
        for (int i = 1; i < at; i++) {
            String t = tokens.get(i);
            if ("--conf".equals(t)) {
                assertTrue(tokens.get(++i).contains("="), "--conf without KEY=VALUE in: " + line);
            } else if (!t.equals("$SUBMIT") && !t.equals("$S3")) {
                fail("'" + t + "' before --class is not a spark-submit setting in: " + line);
            }
        }
        String main = tokens.get(at + 1);
        Class<?> job = Class.forName(main);
        job.getMethod("main", String[].class);
        Object options = Class.forName(main.replaceAll("Job$", "Options")).getDeclaredConstructor().newInstance();
        String[] args = tokens.subList(at + 3, tokens.size()).toArray(String[]::new);
        CommandLine.ParseResult parsed;
        try {
            parsed = new CommandLine(options).parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new AssertionError(main + " rejects the README's options: " + e.getMessage() + "\n  " + line, e);
        }
        assertEquals(List.of(), parsed.unmatched(), "unmatched options in: " + line);
    }
}
