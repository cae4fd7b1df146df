package io.tapeflow.training;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class JobQueuePostgresTests extends JobQueueTests {

    @Override
    QueueFixture database() {
        return QueueFixture.postgres();
    }

    @Test
    void twoReplicasSharingOneDatabaseRunEachJobExactlyOnce() throws Exception {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(db.queue());
        }
        CountingRunner first = new CountingRunner(Duration.ofMillis(5));
        CountingRunner second = new CountingRunner(Duration.ofMillis(5));
        try (QueueFixture otherReplica = db.sameDatabase()) {
            TrainingWorkerPool a = new TrainingWorkerPool(db.jobs, first, QueueFixture.settings(2, Duration.ofSeconds(30)));
            TrainingWorkerPool b = new TrainingWorkerPool(otherReplica.jobs, second,
                    QueueFixture.settings(2, Duration.ofSeconds(30)));
            a.start();
            b.start();
            try {
                awaitFinished(ids, Duration.ofSeconds(60));
            } finally {
                a.stop();
                b.stop();
            }
        }
        assertAllSucceededOnce(ids, first, second);
    }
}
