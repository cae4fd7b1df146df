package io.tapeflow.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Each fit, the warm-up off, and after a failed start; TrainingWarmUpH2Tests runs it in a service. */
class TrainingWarmUpTests {

    @Test
    void fitsEveryShape() {
        for (TrainingWarmUp.Shape shape : TrainingWarmUp.Shape.values()) {
            TrainingWarmUp.fit(shape, 0); // a fit that throws would only log a warning in the service
        }
    }

    @Test
    void aZeroBudgetFitsNothing() {
        TrainingWarmUp warmUp = new TrainingWarmUp(Duration.ZERO);

        assertThat(warmUp.run()).isZero();
        assertThat(warmUp.requestRounds()).isZero();
    }

    @Test
    void aFailedStartEndsItWithoutTheRequestPath() {
        TrainingWarmUp warmUp = new TrainingWarmUp(Duration.ofMinutes(10));
        warmUp.serviceStarted(null);

        long started = System.nanoTime();
        warmUp.run();

        assertThat(warmUp.ended()).isTrue();
        assertThat(warmUp.requestRounds()).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("not the ten minutes of its budget")
                .isLessThan(Duration.ofSeconds(30));
    }
}
