ALTER TABLE tasks DROP COLUMN spawn_depth;
ALTER TABLE tasks DROP COLUMN spawned_by;
