DROP INDEX outcomes_kind;
ALTER TABLE attempts DROP COLUMN model;
