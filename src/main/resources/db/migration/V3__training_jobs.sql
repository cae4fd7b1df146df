-- Training jobs: the queue and the status resource in one table (DESIGN §3). Every time a worker or the reaper
-- compares or sets is CURRENT_TIMESTAMP, the database's clock, so replicas with skewed clocks agree.
CREATE TABLE training_jobs (
    id                  UUID PRIMARY KEY,
    dataset_id          UUID                     NOT NULL,
    state               VARCHAR(16)              NOT NULL,
    -- the request as accepted, defaults filled in (so the seed that was drawn is kept)
    request             TEXT                     NOT NULL,
    execution_note      VARCHAR(500),
    priority            INTEGER                  NOT NULL DEFAULT 0,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    run_at              TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    started_at          TIMESTAMP WITH TIME ZONE,
    finished_at         TIMESTAMP WITH TIME ZONE,
    attempts            INTEGER                  NOT NULL DEFAULT 0,
    max_attempts        INTEGER                  NOT NULL,
    max_runtime_seconds INTEGER                  NOT NULL,
    lease_owner         VARCHAR(200),
    lease_token         UUID,
    lease_until         TIMESTAMP WITH TIME ZONE,
    cancel_requested_at TIMESTAMP WITH TIME ZONE,
    epoch               INTEGER                  NOT NULL DEFAULT 0,
    epochs              INTEGER                  NOT NULL,
    step                BIGINT                   NOT NULL DEFAULT 0,
    steps               BIGINT                   NOT NULL,
    steps_per_second    DOUBLE PRECISION,
    progress_at         TIMESTAMP WITH TIME ZONE,
    latest_metrics      TEXT,
    error_code          VARCHAR(32),
    error_message       VARCHAR(2000),
    error_epoch         INTEGER,
    model_id            UUID,
    idempotency_key     VARCHAR(200),
    request_hash        VARCHAR(64),
    checkpoint          BYTEA,
    checkpoint_epoch    INTEGER,
    checkpoint_at       TIMESTAMP WITH TIME ZONE,
    CONSTRAINT training_jobs_idempotency_key UNIQUE (idempotency_key)
);

-- The claim query's scan: queued jobs that are due, in priority and arrival order.
CREATE INDEX training_jobs_claim ON training_jobs (state, run_at, priority, created_at);
CREATE INDEX training_jobs_created ON training_jobs (created_at);

-- One row per finished epoch; a resumed job rewrites the epochs after its checkpoint.
CREATE TABLE training_job_metrics (
    job_id  UUID             NOT NULL REFERENCES training_jobs (id) ON DELETE CASCADE,
    epoch   INTEGER          NOT NULL,
    metrics TEXT             NOT NULL,
    seconds DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (job_id, epoch)
);
