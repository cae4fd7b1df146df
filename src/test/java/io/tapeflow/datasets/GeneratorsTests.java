package io.tapeflow.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class GeneratorsTests {

    private static final LinearSource REFERENCE_LINEAR = new LinearSource(null, null, null, null, null, null);
    private static final RingsSource REFERENCE_RINGS = new RingsSource(null, null, null, null, null);

    @Test
    void omittedFieldsTakeTheReferenceValues() {
        assertThat(REFERENCE_LINEAR.samples()).isEqualTo(400);
        assertThat(REFERENCE_LINEAR.weights()).containsExactly(2f, -3f);
        assertThat(REFERENCE_LINEAR.bias()).isEqualTo(3f);
        assertThat(REFERENCE_LINEAR.noise()).isEqualTo(2f);
        assertThat(REFERENCE_LINEAR.low()).isEqualTo(-10f);
        assertThat(REFERENCE_LINEAR.high()).isEqualTo(10f);
        assertThat(REFERENCE_RINGS.positives()).isEqualTo(2000);
        assertThat(REFERENCE_RINGS.negatives()).isEqualTo(2000);
        assertThat(REFERENCE_RINGS.innerRadius()).isEqualTo(5f);
        assertThat(REFERENCE_RINGS.outerRadius()).isEqualTo(8f);
        assertThat(REFERENCE_RINGS.noise()).isEqualTo(1f);
    }

    /** Pinned values: a change here means every stored seed now gives other rows, which the contract forbids. */
    @Test
    void theSameSeedGivesTheSameRowsForever() {
        DatasetValues linear = Generators.linear(REFERENCE_LINEAR, 42);
        assertThat(linear.features()[0]).isEqualTo(4.831297f);
        assertThat(linear.features()[1]).isEqualTo(-6.801792f);
        assertThat(linear.labels()[0]).isEqualTo(31.532856f);
    }

    @RepeatedTest(20)
    void generationIsAPureFunctionOfTheSeed(RepetitionInfo repetition) {
        long seed = repetition.getCurrentRepetition() * 7919L;
        RingsSource rings = new RingsSource(50, 40, 2f, 6f, 0.5f);
        DatasetValues a = Generators.rings(rings, seed);
        DatasetValues b = Generators.rings(rings, seed);
        assertThat(a.features()).containsExactly(b.features());
        assertThat(a.labels()).containsExactly(b.labels());
        DatasetValues other = Generators.rings(rings, seed + 1);
        assertThat(other.features()).isNotEqualTo(a.features());
    }

    @RepeatedTest(10)
    void linearFeaturesStayInTheirRange(RepetitionInfo repetition) {
        LinearSource source = new LinearSource(500, new float[] {1f, 2f, 3f}, 0f, 0f, -1f, 4f);
        DatasetValues values = Generators.linear(source, repetition.getCurrentRepetition());
        assertThat(values.featureNames()).containsExactly("x1", "x2", "x3");
        for (float x : values.features()) {
            assertThat(x).isGreaterThanOrEqualTo(-1f).isLessThan(4f);
        }
    }

    @Test
    void ringsWithoutNoiseLieExactlyOnTheirCircles() {
        DatasetValues values = Generators.rings(new RingsSource(10, 10, 1f, 3f, 0f), 5);
        for (int i = 0; i < 20; i++) {
            double r = Math.hypot(values.features()[2 * i], values.features()[2 * i + 1]);
            assertThat(r).isCloseTo(i < 10 ? 1.0 : 3.0, org.assertj.core.data.Offset.offset(1e-5));
            assertThat(values.labels()[i]).isEqualTo(i < 10 ? 1f : 0f);
        }
    }

    @Test
    void blobsAreTheirCentresPlusNoiseWithEveryClassInAnyTail() {
        DatasetValues a = Generators.blobs(new BlobsSource(40, 3, 4, 0f), 9);
        DatasetValues b = Generators.blobs(new BlobsSource(40, 3, 4, 0.5f), 9);
        assertThat(a.featureNames()).containsExactly("x1", "x2", "x3");
        assertThat(a.labelNames()).containsExactly("class");
        for (int r = 0; r < 40; r++) {
            assertThat(a.labels()[r]).isEqualTo(r % 4);
            for (int j = 0; j < 3; j++) {
                // without noise every row is its class's centre, a point of [-1, 1)^3
                assertThat(a.features()[r * 3 + j]).isEqualTo(a.features()[(r % 4) * 3 + j]).isBetween(-1f, 1f);
            }
        }
        assertThat(b.features()).isNotEqualTo(a.features());
        assertThat(Generators.blobs(new BlobsSource(40, 3, 4, 0.5f), 9).features()).isEqualTo(b.features());
        BlobsSource defaults = new BlobsSource(null, null, null, null);
        assertThat(defaults.samples()).isEqualTo(10_000);
        assertThat(defaults.features()).isEqualTo(784);
        assertThat(defaults.classes()).isEqualTo(10);
    }
}
