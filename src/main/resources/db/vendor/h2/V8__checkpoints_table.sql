-- Checkpoints move out of the job row into a table of their own (issue #14); see the PostgreSQL twin of this file.
-- H2 keeps the bytes in a BLOB: its LOB storage writes them in small blocks, where a VARBINARY value lives whole in
-- one page of the store (a 200 MB one ran the store out of memory while writing and corrupted the file).
CREATE TABLE training_job_checkpoints (
    job_id     UUID                     PRIMARY KEY REFERENCES training_jobs (id) ON DELETE CASCADE,
    epoch      INTEGER                  NOT NULL,
    size_bytes BIGINT                   NOT NULL,
    state      BINARY LARGE OBJECT      NOT NULL,
    written_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);

INSERT INTO training_job_checkpoints (job_id, epoch, size_bytes, state)
SELECT id, checkpoint_epoch, OCTET_LENGTH(checkpoint), checkpoint FROM training_jobs
WHERE checkpoint IS NOT NULL AND checkpoint_epoch IS NOT NULL;

ALTER TABLE training_jobs DROP COLUMN checkpoint;
