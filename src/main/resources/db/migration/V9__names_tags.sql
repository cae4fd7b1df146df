-- Names and tags of jobs and models (issue #12), stop-and-keep, and starting a job from a trained model.
-- tags is the JSON array of the tags as text (["a","b"]): a tag never holds a quote or a backslash, so a filter on
-- one tag is a LIKE on its quoted form. No index on it: lists are small and paged; name and dataset_id get one.
ALTER TABLE training_jobs ADD COLUMN name VARCHAR(200);
ALTER TABLE training_jobs ADD COLUMN tags VARCHAR(2000);
-- The model the job starts from; no foreign key: deleting that model is refused while a queued or running job
-- needs it (a 409), and a finished job keeps the id as history.
ALTER TABLE training_jobs ADD COLUMN initial_model_id UUID;
-- POST /training-jobs/{id}/stop: the worker ends the job at its next epoch boundary, SUCCEEDED with a model.
ALTER TABLE training_jobs ADD COLUMN stop_requested_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE training_jobs ADD COLUMN stopped_early BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE models ADD COLUMN name VARCHAR(200);
ALTER TABLE models ADD COLUMN tags VARCHAR(2000);

CREATE INDEX training_jobs_name ON training_jobs (name);
CREATE INDEX training_jobs_dataset ON training_jobs (dataset_id, state);
CREATE INDEX training_jobs_initial_model ON training_jobs (initial_model_id);
CREATE INDEX models_name ON models (name);
CREATE INDEX models_dataset ON models (dataset_id);
