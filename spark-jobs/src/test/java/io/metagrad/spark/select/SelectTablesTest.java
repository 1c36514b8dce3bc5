package io.metagrad.spark.select;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The schema files in data-schemas/ document exactly what select writes. */
class SelectTablesTest {

    private static StructType file(String name) throws Exception {
        Path p = Path.of("..", "data-schemas", "v" + SelectTables.VERSION, name + ".json");
        return (StructType) DataType.fromJson(Files.readString(p));
    }

    @Test
    void schemaFilesEqualTheCode() throws Exception {
        assertEquals(SelectTables.MGD_STEP, file("mgd_step"));
        assertEquals(SelectTables.MGD_METRICS, file("mgd_metrics"));
        assertEquals(SelectTables.SELECTION, file("selection"));
    }
}
