package io.metagrad.spark.ingest;

/** One input record before checking: its raw values by field name, and its original text. */
interface RawRecord {

    /** The names of the fields the record has (null values included). */
    Iterable<String> fields();

    /** The raw value of {@code field} (see {@link PoolValues}), or null when absent. */
    Object value(String field);

    /**
     * The raw value of {@code field} for conversion; a derived field (a gathered {@code --vector}) may fail here,
     * naming the input column at fault.
     */
    default Object checkedValue(String field) throws BadField {
        return value(field);
    }

    /** Whether every value is text to be parsed (CSV). */
    boolean textual();

    /** The record as it was read, for the quarantine table (JSON or the input line). */
    String render();
}
