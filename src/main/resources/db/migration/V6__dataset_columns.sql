-- Real tabular data (issue #10): the raw column schema (types, vocabularies, fills) as JSON text, the upload's
-- missing-cell policy, and for a part made by /split its parent and the split as JSON text. No foreign key to the
-- parent: a part owns its rows and the parent may be deleted. Rows from before this migration have no schema
-- (NULL); they are all-numeric and the store derives it from feature_names / label_names.
-- Runs on PostgreSQL and H2 (MODE=PostgreSQL).
ALTER TABLE datasets ADD COLUMN columns_schema TEXT;
ALTER TABLE datasets ADD COLUMN missing VARCHAR(16) DEFAULT 'refuse' NOT NULL;
ALTER TABLE datasets ADD COLUMN parent TEXT;
