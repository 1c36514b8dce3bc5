package io.metagrad.spark.ingest;

/** A value that does not fit its pool field; {@code field} is null for a problem with the whole record. */
final class BadField extends Exception {

    private final String field;

    BadField(String field, String message) {
        super(message, null, false, false);
        this.field = field;
    }

    String field() {
        return field;
    }
}
