DROP INDEX task_deps_reverse;
CREATE INDEX task_deps_reverse ON task_deps (run_id, depends_on);
