package io.metagrad.spark.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The command line a manifest records keeps what made an output and none of the credentials it was given. */
class TableManifestTest {

    private static final Pattern SPARK_DEFAULT = Pattern.compile("(?i)secret|password|token|access[.]key");

    @Test
    void sparkSubmitCredentialsAreRedactedAndTheRestIsKept() {
        String submit = "org.apache.spark.deploy.SparkSubmit --master spark://h:7077"
                + " --conf spark.hadoop.fs.s3a.access.key=AKIAEXAMPLE --conf spark.hadoop.fs.s3a.secret.key=s3cr3t/Key+x="
                + " --conf=spark.hadoop.fs.s3a.session.token=tok=en --conf spark.sql.shuffle.partitions=8"
                + " -Dmy.db.Password=hunter2 --class io.metagrad.spark.select.SelectJob app.jar"
                + " --pool s3a://AKIAUSER:uripass@bucket/features --target s3a://bucket/target --keep-fraction 0.3";
        String recorded = TableManifest.redacted(submit, SPARK_DEFAULT);
        for (String secret : new String[] {"AKIAEXAMPLE", "s3cr3t", "tok=en", "hunter2", "AKIAUSER", "uripass"}) {
            assertFalse(recorded.contains(secret), secret + " leaked into " + recorded);
        }
        assertTrue(recorded.contains("spark.hadoop.fs.s3a.secret.key=" + TableManifest.REDACTED), recorded);
        assertTrue(recorded.contains("--conf=spark.hadoop.fs.s3a.session.token=" + TableManifest.REDACTED), recorded);
        assertTrue(recorded.contains("--pool s3a://" + TableManifest.REDACTED + "@bucket/features"), recorded);
        assertTrue(recorded.contains("--conf spark.sql.shuffle.partitions=8"), recorded);
        assertTrue(recorded.contains("--target s3a://bucket/target --keep-fraction 0.3"), recorded);
    }

    @Test
    void aCommandWithoutCredentialsIsRecordedAsItIs() {
        String mgd = "io.metagrad.cli.Mgd select --pool runs/f --target runs/t --output runs/sel --conf spark.ui.enabled=false"
                + " --keep-fraction 0.3 --score-column clip_b32_similarity_score";
        assertEquals(mgd, TableManifest.redacted(mgd, SPARK_DEFAULT));
    }

    @Test
    void theJvmsCommandLineIsReadAndRedacted() {
        String before = System.getProperty("sun.java.command");
        try {
            System.setProperty("sun.java.command", "io.metagrad.cli.Mgd select --conf spark.hadoop.fs.s3a.secret.key=XYZ123");
            assertEquals("io.metagrad.cli.Mgd select --conf spark.hadoop.fs.s3a.secret.key=" + TableManifest.REDACTED,
                    TableManifest.commandLine());
        } finally {
            if (before == null) {
                System.clearProperty("sun.java.command");
            } else {
                System.setProperty("sun.java.command", before);
            }
        }
    }
}
