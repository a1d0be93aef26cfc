DROP INDEX attempts_unrecorded;
ALTER TABLE attempts DROP COLUMN outcome_recorded;
DROP TABLE outcomes;
