-- Continuation turns (ContinueTask): an attempt may take several turns, each
-- under its own lease, with the checkpoint its agent left handed to the next.
-- `next_turn` > 0 says the task's next claim is that turn of its current
-- attempt, not a fresh attempt.
ALTER TABLE tasks ADD COLUMN next_turn INTEGER NOT NULL DEFAULT 0;
ALTER TABLE attempts ADD COLUMN turn INTEGER NOT NULL DEFAULT 1;
ALTER TABLE attempts ADD COLUMN checkpoint_json TEXT;
-- The usage of the attempt's earlier turns: agents report a turn's own totals.
ALTER TABLE attempts ADD COLUMN banked_usage_json TEXT;
-- When the current turn was claimed (NULL on the first: `started_at`); a
-- turn's timeout runs from here.
ALTER TABLE attempts ADD COLUMN turn_started_at BIGINT;
-- Tasks waiting out a continuation's delay, by when their next turn is due.
CREATE INDEX tasks_turn_due ON tasks (retry_at) WHERE status = 'CONTINUING';
