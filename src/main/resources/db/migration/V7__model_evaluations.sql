-- Evaluation reports of a model: on a dataset (POST /models/{id}/evaluations) or on a training job's validation rows.
-- The report is JSON text (metrics, per-class values, confusion matrix, ROC curve). dataset_id has no foreign key:
-- a report outlives the dataset it was computed on. Runs on PostgreSQL and H2 (MODE=PostgreSQL).
CREATE TABLE model_evaluations (
    id         UUID PRIMARY KEY,
    model_id   UUID                     NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    dataset_id UUID,
    source     VARCHAR(16)              NOT NULL,
    report     TEXT                     NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT model_evaluations_source CHECK (source IN ('dataset', 'validation'))
);

CREATE INDEX model_evaluations_model ON model_evaluations (model_id, created_at DESC, id DESC);
