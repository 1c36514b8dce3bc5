package io.metagrad.spark.ingest;

import java.util.ArrayList;
import java.util.List;

/**
 * An input record seen through {@link TabularColumns}: the gathered columns replaced by their
 * {@code emb_NAME} arrays and the label column read as {@code label}; the original record is what the
 * quarantine table keeps.
 */
final class TabularRecord implements RawRecord {

    private final RawRecord input;
    private final TabularColumns tabular;

    TabularRecord(RawRecord input, TabularColumns tabular) {
        this.input = input;
        this.tabular = tabular;
    }

    @Override
    public Iterable<String> fields() {
        List<String> fields = new ArrayList<>();
        for (String f : input.fields()) {
            if (f.equals(tabular.labelSource()) || f.equals("label")) {
                if (!fields.contains("label")) {
                    fields.add("label"); // a second label field (JSONL) is refused in checkedValue
                }
            } else if (!tabular.consumes(f)) {
                fields.add(f);
            }
        }
        for (VectorColumns v : tabular.vectors()) {
            fields.add(v.poolColumn());
        }
        return fields;
    }

    @Override
    public Object value(String field) {
        try {
            return checkedValue(field);
        } catch (BadField e) {
            return null;
        }
    }

    @Override
    public Object checkedValue(String field) throws BadField {
        for (VectorColumns v : tabular.vectors()) {
            if (v.poolColumn().equals(field)) {
                float[] values = new float[v.columns().size()];
                for (int i = 0; i < values.length; i++) {
                    String column = v.columns().get(i);
                    values[i] = PoolValues.vectorCell(column, v.name(), input.value(column), input.textual());
                }
                return values;
            }
        }
        if (field.equals("label")) {
            if (tabular.labelColumn() != null && input.value("label") != null) {
                throw new BadField("label", "the record has a label field besides --label-column " + tabular.labelColumn()
                        + "; drop or rename one");
            }
            return input.value(tabular.labelSource());
        }
        return tabular.consumes(field) ? null : input.value(field);
    }

    @Override
    public boolean textual() {
        return input.textual();
    }

    @Override
    public String render() {
        return input.render();
    }
}
