-- Tasks that spawn tasks: a completion may add tasks to its run. Each
-- remembers the task that added it (its span hangs under that task's) and
-- how deeply spawns nest above it (bounded).
ALTER TABLE tasks ADD COLUMN spawned_by TEXT;
ALTER TABLE tasks ADD COLUMN spawn_depth INTEGER NOT NULL DEFAULT 0;
