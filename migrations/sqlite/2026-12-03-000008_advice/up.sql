-- The advice Advise gave, kept so that a run made after it (CreateRun with
-- its advice_id) can be compared with it: the predictions, the recipe it
-- suggested, and, once a run names it, that run and whether it followed it.
CREATE TABLE advice (
    workspace_id     TEXT NOT NULL,
    id               TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    tokens           REAL NOT NULL,
    cost_micros      REAL NOT NULL,
    duration_ms      REAL NOT NULL,
    pass_chance      REAL,
    suggested_recipe TEXT NOT NULL,
    warnings         TEXT NOT NULL,
    run_id           TEXT,
    followed_recipe  BOOLEAN,
    PRIMARY KEY (workspace_id, id)
);
CREATE INDEX advice_window ON advice (workspace_id, created_at);
