-- Delegation to child runs: a task of kind `run` starts a child run in the
-- transaction that claims it (the attempt). A table of its own: the runs row
-- is at diesel's column limit and read by every transaction of its run, while
-- this is read only where runs nest (starting, settling, steering children).
CREATE TABLE child_runs (
    child_run_id   TEXT PRIMARY KEY NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    workspace_id   TEXT NOT NULL,
    parent_run_id  TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    parent_task_id TEXT NOT NULL,
    -- The parent task's attempt the child is (its lease completes or fails it).
    attempt        INTEGER NOT NULL,
    -- 1 for a child of a top-level run.
    depth          INTEGER NOT NULL,
    -- The budget carved out for it (JSON): what it holds of its parent's
    -- until it is settled.
    budget_json    TEXT NOT NULL,
    -- Whether its outcome reached its parent's task (or, the task having
    -- ended first, the child was cancelled): nothing more to do.
    settled        BOOLEAN NOT NULL DEFAULT FALSE,
    -- Its parent's pause handed down: 0 not (or lifted), 1 the child was
    -- paused for it (and is resumed with its parent), 2 the child was
    -- paused already, for its own reasons (and stays paused).
    parent_pause   INTEGER NOT NULL DEFAULT 0,
    created_at     BIGINT NOT NULL
);
CREATE INDEX child_runs_parent ON child_runs (parent_run_id);
CREATE INDEX child_runs_unsettled ON child_runs (depth, created_at) WHERE NOT settled;
