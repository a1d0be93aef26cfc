ALTER TABLE runs DROP COLUMN stopped_micros;
ALTER TABLE runs DROP COLUMN stopped_at;
