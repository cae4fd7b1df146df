package io.tapeflow.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapeflow.engine.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TrainerTests {

    private static final ReferenceData RINGS = ReferenceData.rings(7);

    private static Sequential rings(long seed) {
        return Sequential.mlp(2, new int[] {4, 8}, Activation.RELU, 1, Activation.SIGMOID,
                Initializer.TRUNCATED_NORMAL, new Rng(seed));
    }

    private static FitConfig adam(int epochs) {
        return FitConfig.of(Loss.BINARY_CROSSENTROPY, OptimizerConfig.adam(0.01f), epochs, 100, 5);
    }

    private static void assertBitIdentical(Map<String, float[]> expected, Sequential model) {
        assertThat(model.parameters().keySet()).containsExactlyElementsOf(expected.keySet());
        model.parameters().forEach((name, value) -> assertThat(value.toArray()).as(name)
                .isEqualTo(expected.get(name)));
    }

    @ParameterizedTest
    @EnumSource(OptimizerConfig.Kind.class)
    void theSameSeedGivesBitIdenticalParameters(OptimizerConfig.Kind kind) {
        OptimizerConfig optimizer = switch (kind) {
            case SGD -> OptimizerConfig.sgd(0.01f, 0.9f, true);
            case ADAM -> OptimizerConfig.adam(0.01f);
            case RMSPROP -> OptimizerConfig.rmsprop(0.01f);
        };
        FitConfig config = FitConfig.of(Loss.BINARY_CROSSENTROPY, optimizer, 5, 64, 11);
        Sequential first = rings(11);
        Trainer.fit(first, RINGS.features(), RINGS.labels(), config, FitListener.NONE);
        Sequential second = rings(11);
        FitResult result = Trainer.fit(second, RINGS.features(), RINGS.labels(), config, FitListener.NONE);

        assertThat(result.checkpoint().nextEpoch()).isEqualTo(5);
        assertBitIdentical(result.checkpoint().parameters(), first);
        Sequential other = rings(12);
        Trainer.fit(other, RINGS.features(), RINGS.labels(), config, FitListener.NONE);
        assertThat(other.parameters().get("dense_1/kernel").toArray())
                .isNotEqualTo(first.parameters().get("dense_1/kernel").toArray());
    }

    @ParameterizedTest
    @EnumSource(OptimizerConfig.Kind.class)
    void resumingFromACheckpointIsBitIdenticalToAnUninterruptedRun(OptimizerConfig.Kind kind) {
        OptimizerConfig optimizer = switch (kind) {
            case SGD -> OptimizerConfig.sgd(0.01f, 0.5f, false);
            case ADAM -> OptimizerConfig.adam(0.01f);
            case RMSPROP -> OptimizerConfig.rmsprop(0.01f);
        };
        FitConfig config = FitConfig.of(Loss.BINARY_CROSSENTROPY, optimizer, 6, 128, 3)
                .withEarlyStopping(new EarlyStopping("loss", 100, 0f));
        Sequential uninterrupted = rings(3);
        Trainer.fit(uninterrupted, RINGS.features(), RINGS.labels(), config, FitListener.NONE);

        Sequential interrupted = rings(3);
        List<TrainingState> checkpoints = new ArrayList<>();
        FitResult stopped = Trainer.fit(interrupted, RINGS.features(), RINGS.labels(), config, new FitListener() {
            @Override
            public void onEpoch(EpochResult result) {
                checkpoints.add(result.checkpoint());
            }

            @Override
            public boolean stopRequested() {
                return checkpoints.size() == 2;
            }
        });
        assertThat(stopped.status()).isEqualTo(FitResult.Status.CANCELLED);
        assertThat(stopped.checkpoint().nextEpoch()).isEqualTo(2);

        Sequential resumed = rings(99); // different initial values: everything must come from the checkpoint
        FitResult result = Trainer.fit(resumed, RINGS.features(), RINGS.labels(), config, FitListener.NONE,
                stopped.checkpoint());
        assertThat(result.status()).isEqualTo(FitResult.Status.COMPLETED);
        assertThat(result.history()).extracting(EpochResult::epoch).containsExactly(3, 4, 5, 6);
        assertBitIdentical(result.checkpoint().parameters(), uninterrupted);
    }

    @Test
    void reportsStepsEpochsAndValidationMetrics() {
        List<String> steps = new ArrayList<>();
        List<EpochResult> epochs = new ArrayList<>();
        FitConfig config = adam(2).withValidationSplit(0.25f);
        FitResult result = Trainer.fit(rings(1), RINGS.features(), RINGS.labels(), config, new FitListener() {
            @Override
            public void onStep(int epoch, int step, int stepCount, float loss) {
                steps.add(epoch + "/" + step + "/" + stepCount);
            }

            @Override
            public void onEpoch(EpochResult r) {
                epochs.add(r);
            }
        });
        // 3 000 training rows in batches of 100: 30 steps per epoch.
        assertThat(steps).hasSize(60).startsWith("1/1/30").endsWith("2/30/30");
        assertThat(epochs).hasSize(2);
        assertThat(epochs.get(1).metrics()).containsOnlyKeys("loss", "accuracy", "val_loss", "val_accuracy");
        assertThat(epochs.get(1).seconds()).isPositive();
        assertThat(result.lastEpoch()).isSameAs(epochs.get(1));
    }

    @Test
    void includesTheLastPartialBatch() {
        List<Integer> stepCounts = new ArrayList<>();
        FitConfig config = FitConfig.of(Loss.HALF_MSE, OptimizerConfig.sgd(0.001f), 1, 7, 1);
        ReferenceData data = ReferenceData.linear(1); // 400 rows: 57 batches of 7 and one of 1
        Trainer.fit(Sequential.linear(2, 1, Initializer.ZEROS, new Rng(1)), data.features(), data.labels(), config,
                new FitListener() {
                    @Override
                    public void onStep(int epoch, int step, int steps, float loss) {
                        stepCounts.add(steps);
                    }
                });
        assertThat(stepCounts).hasSize(58).containsOnly(58);
    }

    @Test
    void stopsEarlyWhenTheMonitoredLossStopsImproving() {
        FitConfig config = adam(200).withEarlyStopping(new EarlyStopping("loss", 2, 10f));
        FitResult result = Trainer.fit(rings(1), RINGS.features(), RINGS.labels(), config, FitListener.NONE);

        // No epoch can improve by 10, so the first sets the best and the next two exhaust the patience.
        assertThat(result.status()).isEqualTo(FitResult.Status.EARLY_STOPPED);
        assertThat(result.epochsCompleted()).isEqualTo(3);
    }

    @Test
    void aDivergingFitEndsNamingTheEpoch() {
        ReferenceData data = ReferenceData.linear(1);
        FitConfig config = FitConfig.of(Loss.MSE, OptimizerConfig.sgd(1f), 50, 10, 1);
        FitResult result = Trainer.fit(Sequential.linear(2, 1, Initializer.NORMAL, new Rng(1)), data.features(),
                data.labels(), config, FitListener.NONE);

        assertThat(result.status()).isEqualTo(FitResult.Status.DIVERGED);
        assertThat(result.failedEpoch()).isBetween(1, 50);
        assertThat(result.message()).contains("epoch " + result.failedEpoch());
    }

    @Test
    void refusesDataThatDoesNotFitTheModel() {
        assertThatThrownBy(() -> Trainer.fit(rings(1), new float[10], new float[4], adam(1), FitListener.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("10 feature values and 4 label values");
        assertThatThrownBy(() -> adam(1).withEarlyStopping(new EarlyStopping("val_loss", 1, 0f)))
                .hasMessageContaining("validationSplit");
    }
}
