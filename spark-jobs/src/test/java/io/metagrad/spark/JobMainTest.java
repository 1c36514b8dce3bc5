package io.metagrad.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.metagrad.spark.evaluate.EvaluateOptions;
import java.io.FileNotFoundException;
import org.junit.jupiter.api.Test;

class JobMainTest {

    @Test
    void helpPrintsTheOptionsAndRunsNothing() {
        // Required options are missing, yet --help wins and neither the body nor System.exit runs.
        JobMain.run("evaluate", new String[] {"--help"}, new EvaluateOptions(), o -> fail("ran the job"));
    }

    @Test
    void exitCodesMatchMgd() {
        assertEquals(2, JobMain.exitCode(new IllegalArgumentException("--mgd-target sideways invalid")));
        assertEquals(3, JobMain.exitCode(new RuntimeException(new FileNotFoundException("x"))));
        assertEquals(1, JobMain.exitCode(new IllegalStateException("boom")));
    }
}
