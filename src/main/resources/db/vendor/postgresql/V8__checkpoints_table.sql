-- Checkpoints move out of the job row into a table of their own (issue #14): the row is rewritten by every
-- progress write (every 250 ms), and with a large checkpoint in it each rewrite carried it along. One row per job:
-- a new checkpoint replaces the previous one, and the row goes when the job finishes (or is deleted).
-- PostgreSQL keeps the bytes in BYTEA; EXTERNAL storage skips compressing float bits, which do not compress.
CREATE TABLE training_job_checkpoints (
    job_id     UUID                     PRIMARY KEY REFERENCES training_jobs (id) ON DELETE CASCADE,
    epoch      INTEGER                  NOT NULL,
    size_bytes BIGINT                   NOT NULL,
    state      BYTEA                    NOT NULL,
    written_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);
ALTER TABLE training_job_checkpoints ALTER COLUMN state SET STORAGE EXTERNAL;

INSERT INTO training_job_checkpoints (job_id, epoch, size_bytes, state)
SELECT id, checkpoint_epoch, OCTET_LENGTH(checkpoint), checkpoint FROM training_jobs
WHERE checkpoint IS NOT NULL AND checkpoint_epoch IS NOT NULL;

ALTER TABLE training_jobs DROP COLUMN checkpoint;
