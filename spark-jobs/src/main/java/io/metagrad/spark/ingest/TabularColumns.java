package io.metagrad.spark.ingest;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How a plain table's columns become pool fields, as Spark ML users shape them: numeric columns gathered into
 * {@code emb_NAME} arrays ({@code --vector}, like {@code VectorAssembler}), the label taken from another column
 * ({@code --label-column}) and, with {@code --index-labels}, label strings numbered by a fitted
 * {@code StringIndexer} (see {@link LabelIndex}).
 *
 * @param vectors           the gathered vectors, in the order given
 * @param labelColumn       the input column holding the label, or null for {@code label}
 * @param indexLabels       labels are strings (or any values) to number, not class ids
 * @param labelOrder        how {@code --index-labels} orders them
 * @param keepUnknownLabels a label the index lacks (a later split's) gets id {@code numLabels} instead of failing the row
 */
public record TabularColumns(List<VectorColumns> vectors, String labelColumn, boolean indexLabels, LabelOrder labelOrder,
        boolean keepUnknownLabels) implements Serializable {

    /** Plain pool input: nothing gathered, renamed or indexed. */
    public static final TabularColumns NONE = new TabularColumns(List.of(), null, false, LabelOrder.frequencyDesc, false);

    public TabularColumns {
        vectors = List.copyOf(vectors);
        if (labelColumn != null && (labelColumn.isBlank() || labelColumn.equals("label"))) {
            labelColumn = null;
        }
        if (labelOrder == null) {
            labelOrder = LabelOrder.frequencyDesc;
        }
        Set<String> names = new HashSet<>();
        for (VectorColumns v : vectors) {
            if (!names.add(v.name())) {
                throw new IllegalArgumentException("ingest --vector " + v.name() + " is given twice");
            }
            for (String c : v.columns()) { // a column may go into several vectors, as with several VectorAssemblers
                if (c.equals(labelColumn == null ? "label" : labelColumn)) {
                    throw new IllegalArgumentException("ingest --vector " + v.name() + " gathers the label column '" + c + "'");
                }
            }
        }
    }

    /** Whether anything here changes how input columns are read. */
    public boolean active() {
        return !vectors.isEmpty() || labelColumn != null || indexLabels;
    }

    /** The input column the label comes from. */
    public String labelSource() {
        return labelColumn == null ? "label" : labelColumn;
    }

    /**
     * Resolves every {@code prefix*} against the input's columns and checks that every named column exists and
     * that no gathered name clashes with a column the input already has.
     *
     * @param inputColumns the columns in order, or null for a format without fixed columns (JSONL)
     */
    TabularColumns resolve(String file, List<String> inputColumns) {
        List<VectorColumns> resolved = new ArrayList<>();
        for (VectorColumns v : vectors) {
            VectorColumns r = v.resolve(file, inputColumns);
            if (inputColumns != null && inputColumns.contains(r.poolColumn())) {
                throw new IllegalArgumentException(file + " field '" + r.poolColumn() + "': the input has this column and --vector "
                        + v.name() + " would write it too; rename one");
            }
            resolved.add(r);
        }
        if (inputColumns != null && labelColumn != null) {
            if (!inputColumns.contains(labelColumn)) {
                throw new IllegalArgumentException(file + " field '" + labelColumn + "': no such column (--label-column)");
            }
            if (inputColumns.contains("label")) {
                throw new IllegalArgumentException(file + " field 'label': the input has a label column besides --label-column "
                        + labelColumn + "; drop or rename one");
            }
        }
        return new TabularColumns(resolved, labelColumn, indexLabels, labelOrder, keepUnknownLabels);
    }

    /** The input column a pool field's problem is reported under (the label's source column). */
    String inputName(String poolField) {
        return poolField.equals("label") ? labelSource() : poolField;
    }

    /** Whether an input column is consumed here (gathered or the label source), so it is no unknown field. */
    boolean consumes(String inputColumn) {
        if (inputColumn.equals(labelColumn)) {
            return true;
        }
        for (VectorColumns v : vectors) {
            if (v.columns().contains(inputColumn)) {
                return true;
            }
        }
        return false;
    }

    /** The pool fields an input with these columns yields (for the column checks). */
    List<String> poolFields(List<String> inputColumns) {
        List<String> out = new ArrayList<>();
        for (String c : inputColumns) {
            if (c.equals(labelColumn)) {
                out.add("label");
            } else if (!consumes(c)) {
                out.add(c);
            }
        }
        for (VectorColumns v : vectors) {
            out.add(v.poolColumn());
        }
        return out;
    }

    /** {@code record} as the pool sees it: gathered vectors in, their columns out, the label renamed. */
    RawRecord apply(RawRecord record) {
        return active() ? new TabularRecord(record, this) : record;
    }
}
