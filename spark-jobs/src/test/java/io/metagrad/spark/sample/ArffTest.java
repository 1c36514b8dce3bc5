package io.metagrad.spark.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArffTest {

    private static final String TINY = """
            @relation 'tiny Reuters-like'
            % a comment

            @attribute Text string
            @attribute class-att {0,1}

            @data

            'GRAIN TALKS Wheat\\nprices rose, traders said \\'firmly\\'.',1
            'STOCK SPLIT &lt;ABC> approved',0
            plain,0
            """;

    private static Arff.Data parse(String text) throws IOException {
        return Arff.parse(new BufferedReader(new StringReader(text)), "tiny.arff");
    }

    @Test
    void readsStringAndNominalAttributesWithEscapes() throws IOException {
        Arff.Data data = parse(TINY);
        assertEquals(List.of("Text", "class-att"), data.attributes().stream().map(Arff.Attribute::name).toList());
        assertEquals(List.of("0", "1"), data.attributes().get(1).nominalValues());
        assertTrue(data.attributes().get(0).nominalValues().isEmpty());
        assertEquals(3, data.rows().size());
        assertArrayEquals(new String[] {"GRAIN TALKS Wheat\nprices rose, traders said 'firmly'.", "1"}, data.rows().get(0));
        assertArrayEquals(new String[] {"plain", "0"}, data.rows().get(2));
        assertEquals(1, data.index("CLASS-ATT"));
    }

    @Test
    void rejectsBadRowsNamingFileLineAndField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse(TINY.replace("plain,0", "plain,2")));
        assertTrue(e.getMessage().contains("tiny.arff line 11 field 'class-att'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> parse(TINY.replace("plain,0", "'open,0")));
        assertTrue(e.getMessage().contains("line 11: unterminated"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> parse(TINY.replace("plain,0", "plain")));
        assertTrue(e.getMessage().contains("line 11: 1 values, expected 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> parse(TINY.replace("@attribute Text string", "@attribute x numeric")));
        assertTrue(e.getMessage().contains("not supported"), e.getMessage());
    }

    @Test
    void cleanUndoesReutersEscapes() {
        assertEquals("STOCK <ABC> & co", TextSampleBuilder.clean("STOCK &lt;ABC> &amp; co\n&#3;"));
    }
}
