-- The wall-clock budget counts only time a run is started and neither PAUSED
-- nor FAILED: when it entered one of those (NULL otherwise), and the total
-- spent in them so far (its deadline moves by each stop when it goes on).
ALTER TABLE runs ADD COLUMN stopped_at BIGINT;
ALTER TABLE runs ADD COLUMN stopped_micros BIGINT NOT NULL DEFAULT 0;
