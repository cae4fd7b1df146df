-- Baseline: the schema starts empty; each feature adds its own migration (V2 datasets, V3 training jobs, ...).
SELECT 1;
