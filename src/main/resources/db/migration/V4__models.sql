-- Trained (or imported) models. The document is the self-describing JSON that GET /models/{id}/export returns:
-- architecture, signature and named parameters, so a model never needs its job or data set to answer predictions.
CREATE TABLE models (
    id         UUID PRIMARY KEY,
    -- unique: a job yields at most one model, whichever worker finished it
    job_id     UUID                     REFERENCES training_jobs (id) ON DELETE SET NULL,
    dataset_id UUID,
    kind       VARCHAR(16)              NOT NULL,
    origin     VARCHAR(16)              NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    document   TEXT                     NOT NULL,
    CONSTRAINT models_job_id UNIQUE (job_id)
);

CREATE INDEX models_created ON models (created_at);
