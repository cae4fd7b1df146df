package io.tapeflow.training;

class JobQueueH2Tests extends JobQueueTests {

    @Override
    QueueFixture database() {
        return QueueFixture.h2();
    }
}
