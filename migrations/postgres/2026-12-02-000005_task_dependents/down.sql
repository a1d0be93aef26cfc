ALTER TABLE tasks DROP COLUMN dependents;
