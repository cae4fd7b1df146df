package io.tapeflow.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The start-up fits run within their budget and end; off when the budget is zero. */
class TrainingWarmUpTests {

    @Test
    void fitsEachShapeWithinItsBudget() {
        long started = System.nanoTime();
        int fits = new TrainingWarmUp(Duration.ofMillis(3000)).run();
        double seconds = (System.nanoTime() - started) / 1e9;

        assertThat(fits).isGreaterThanOrEqualTo(1);
        assertThat(seconds).as("a fit stops at the deadline, at its next step").isLessThan(10);
    }

    @Test
    void aZeroBudgetFitsNothing() {
        assertThat(new TrainingWarmUp(Duration.ZERO).run()).isZero();
    }
}
