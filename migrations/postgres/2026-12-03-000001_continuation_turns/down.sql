DROP INDEX tasks_turn_due;
ALTER TABLE attempts DROP COLUMN turn_started_at;
ALTER TABLE attempts DROP COLUMN banked_usage_json;
ALTER TABLE attempts DROP COLUMN checkpoint_json;
ALTER TABLE attempts DROP COLUMN turn;
ALTER TABLE tasks DROP COLUMN next_turn;
