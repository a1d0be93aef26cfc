-- Learning: one row per finished attempt (who did what kind of task, on
-- which model, how it went, what it cost), written by a background
-- recorder off the hot path; an attempt is flagged once its row exists.
-- The rows hold ids, names, numbers and a task kind (its title's first words),
-- no input or output, and outlive their runs.
CREATE TABLE outcomes (
    workspace_id   TEXT NOT NULL,
    run_id         TEXT NOT NULL,
    task_id        TEXT NOT NULL,
    attempt        INTEGER NOT NULL,
    finished_at    BIGINT NOT NULL,
    agent          TEXT NOT NULL,
    executor       TEXT NOT NULL,
    model          TEXT NOT NULL,
    recipe         TEXT NOT NULL,
    recipe_version INTEGER NOT NULL,
    task_kind      TEXT NOT NULL,
    status         TEXT NOT NULL,
    passed         BOOLEAN NOT NULL,
    score          DOUBLE PRECISION,
    turns          INTEGER NOT NULL,
    tokens         BIGINT NOT NULL,
    cost_micros    BIGINT NOT NULL,
    latency_ms     BIGINT NOT NULL,
    PRIMARY KEY (run_id, task_id, attempt)
);
CREATE INDEX outcomes_window ON outcomes (workspace_id, finished_at);

ALTER TABLE attempts ADD COLUMN outcome_recorded BOOLEAN NOT NULL DEFAULT FALSE;
-- The recorder's queue: finished attempts without their row.
CREATE INDEX attempts_unrecorded ON attempts (finished_at) WHERE finished_at IS NOT NULL AND NOT outcome_recorded;
