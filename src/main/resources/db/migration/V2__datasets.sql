-- Datasets: metadata in columns and JSON text, values as little-endian float32 blocks (row-major), so a
-- 100 000-row dataset is two BYTEA values rather than millions of rows. Runs on PostgreSQL and H2 (MODE=PostgreSQL).
CREATE TABLE datasets (
    id            UUID PRIMARY KEY,
    name          VARCHAR(200)             NOT NULL,
    source_type   VARCHAR(16)              NOT NULL,
    source        TEXT                     NOT NULL,
    seed          BIGINT,
    row_count     INTEGER                  NOT NULL,
    feature_names TEXT                     NOT NULL,
    label_names   TEXT                     NOT NULL,
    statistics    TEXT                     NOT NULL,
    features      BYTEA                    NOT NULL,
    labels        BYTEA                    NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX datasets_created_at ON datasets (created_at DESC, id DESC);
