-- A completion looks up the tasks that depend on it by (run_id, depends_on)
-- and needs only their ids: with task_id in the index the lookup reads the
-- index alone, and SQLite's planner no longer prefers the primary key (which
-- matches run_id only, so it scanned every edge of the run per completion).
DROP INDEX task_deps_reverse;
CREATE INDEX task_deps_reverse ON task_deps (run_id, depends_on, task_id);
