package io.metagrad.spark.ingest;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8: text is decoded as it is or refused with the offset of the first bad byte. Spark
 * and Java decoders silently turn invalid bytes into U+FFFD, which would rewrite a user's uid or
 * text without a word; ingest never does.
 */
final class Utf8 {

    private Utf8() {}

    /** Bytes that are not valid UTF-8. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(int offset, int value) {
            super(String.format("invalid UTF-8: byte 0x%02X at byte offset %d (it would be replaced by U+FFFD; fix the"
                    + " file's encoding)", value & 0xff, offset));
        }
    }

    /** The text of {@code bytes}. */
    static String decode(byte[] bytes) throws Invalid {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = decoder.decode(in, out, true);
        if (r.isError()) {
            throw new Invalid(in.position(), bytes[in.position()]);
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    /** {@code bytes} for a message or the quarantine: valid text as is, each invalid byte as {@code \xNN}. */
    static String escaped(byte[] bytes) {
        StringBuilder b = new StringBuilder();
        int start = 0;
        while (start < bytes.length) {
            byte[] rest = java.util.Arrays.copyOfRange(bytes, start, bytes.length);
            try {
                b.append(decode(rest));
                break;
            } catch (Invalid e) {
                CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
                ByteBuffer in = ByteBuffer.wrap(rest);
                CharBuffer out = CharBuffer.allocate(rest.length);
                decoder.decode(in, out, true);
                b.append(out.flip());
                b.append(String.format("\\x%02X", rest[in.position()] & 0xff));
                start += in.position() + 1;
            }
        }
        return b.toString();
    }
}
