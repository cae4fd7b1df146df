-- Graph mode exists now: no job runs differently from what was asked, so the note that said so has gone.
ALTER TABLE training_jobs DROP COLUMN execution_note;
