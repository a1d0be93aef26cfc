DROP INDEX runs_by_deadline;
ALTER TABLE runs DROP COLUMN degraded;
ALTER TABLE runs DROP COLUMN deadline_at;
