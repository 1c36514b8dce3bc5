package io.metagrad.core.mgd;

/**
 * Accuracy and balanced accuracy (the mean over classes of the share of each class's examples that
 * are predicted correctly) of predicted against true classes. Balanced accuracy is what to read when
 * the classes are imbalanced: predicting the majority class everywhere scores 1/C there, whatever
 * the majority's share.
 *
 * @param accuracy share of examples predicted correctly
 * @param balancedAccuracy mean per-class recall over the classes present in {@code labels}
 */
public record ClassificationScores(double accuracy, double balancedAccuracy) implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    public static ClassificationScores of(int[] predicted, int[] labels) {
        if (predicted.length != labels.length || labels.length == 0) {
            throw new IllegalArgumentException(predicted.length + " predictions for " + labels.length + " labels");
        }
        int classes = 0;
        for (int l : labels) {
            if (l < 0) {
                throw new IllegalArgumentException("label " + l + " is negative");
            }
            classes = Math.max(classes, l + 1);
        }
        int[] support = new int[classes];
        int[] hits = new int[classes];
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            support[labels[i]]++;
            if (predicted[i] == labels[i]) {
                hits[labels[i]]++;
                correct++;
            }
        }
        double recall = 0;
        int present = 0;
        for (int c = 0; c < classes; c++) {
            if (support[c] > 0) {
                recall += (double) hits[c] / support[c];
                present++;
            }
        }
        return new ClassificationScores((double) correct / labels.length, recall / present);
    }
}
