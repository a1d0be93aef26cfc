-- Replanning on failure: a run whose required task failed waits for the
-- planner's revision of what is left (`awaiting_task`, the failed task) and
-- counts its revisions (bounded by its policy's max_replans). A table of its
-- own: the runs row is read by every transaction of its run, and this is
-- read only when a required task fails or a run's tasks are all done.
CREATE TABLE run_replans (
    run_id         TEXT PRIMARY KEY NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    workspace_id   TEXT NOT NULL,
    replans        INTEGER NOT NULL DEFAULT 0,
    awaiting_task  TEXT,
    -- The last revision's tasks, for the reason a later failure gives.
    last_revision  TEXT,
    -- The failed tasks a revision answered (JSON array of ids): their failure
    -- no longer fails the run when it ends.
    revised_tasks  TEXT,
    -- The tasks revisions replaced (JSON array of ids): never re-opened.
    replaced_tasks TEXT
);
CREATE INDEX run_replans_awaiting ON run_replans (awaiting_task) WHERE awaiting_task IS NOT NULL;
