package io.metagrad.spark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.core.config.TrainConfig;
import org.junit.jupiter.api.Test;

class TrainingOptionsTest {

    @Test
    void epochsGiveStepsInProportionToTheTrainingSet() {
        TrainingOptions o = TrainingOptions.defaults().withEpochs(2); // batch 64
        assertEquals(2 * (1000 / 64), o.stepsFor(1000, 64));
        TrainConfig small = o.config(4, 3, 0, 40);
        assertEquals(40, small.batchSize(), "a training set smaller than a batch is one batch");
        assertEquals(2, small.steps());
        assertEquals(200, TrainingOptions.defaults().stepsFor(1000, 64), "without epochs: --train-steps");
        IllegalStateException needsSize = assertThrows(IllegalStateException.class, () -> o.config(4, 3, 0));
        assertTrue(needsSize.getMessage().contains("train.epochs"), needsSize.getMessage());
        IllegalArgumentException warmup = assertThrows(IllegalArgumentException.class, () -> new TrainingOptions(
                TrainingOptions.ModelKind.LOGISTIC, null, 8, 0.1, TrainingOptions.ScheduleKind.COSINE, 30, 0.9, 0, 64, 200, 0,
                io.metagrad.core.tensor.Precision.FLOAT32, 1).stepsFor(1000, 64));
        assertTrue(warmup.getMessage().contains("train.warmupSteps"), warmup.getMessage());
    }
}
