package io.metagrad.spark.curate;

import io.metagrad.spark.io.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * The id of a select run as curate records it (Iceberg snapshot summary, {@code summary.json}): the first 128
 * bits of a SHA-256 over the run's parameters and its selection (uid, count, rank and metagradient bits of every
 * row, in rank order). Rerunning select on a finished run keeps it; any other parameters or selection change it.
 */
final class SelectRunId {

    private SelectRunId() {}

    /**
     * @param params the select parameters (the selection's {@code _metagrad.json} {@code params})
     * @param selection rows {@code uid, count, rank, metagrad} (metagrad nullable), in rank order
     */
    static String of(Object params, List<Row> selection) {
        MessageDigest d;
        try {
            d = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
        d.update(Json.compact(params).getBytes(StandardCharsets.UTF_8));
        ByteBuffer b = ByteBuffer.allocate(24);
        for (Row r : selection) {
            d.update((byte) 0);
            d.update(r.getString(0).getBytes(StandardCharsets.UTF_8));
            b.clear();
            b.putInt(r.getInt(1)).putInt(r.getInt(2));
            b.putLong(r.isNullAt(3) ? 0x7ff8000000000001L : Double.doubleToRawLongBits(r.getDouble(3)));
            d.update(b.array(), 0, b.position());
        }
        return HexFormat.of().formatHex(d.digest(), 0, 16);
    }
}
