-- A run's plan leaves the runs row for a table of its own. In the row it sat
-- before the counters, and a large plan (a wide run's is hundreds of KB) made
-- every read of the run walk its overflow pages and every UPDATE of the run's
-- counters or sequence (one per transaction of the run) copy all of it.
CREATE TABLE run_plans (
    run_id        TEXT PRIMARY KEY NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    workspace_id  TEXT NOT NULL,
    plan_json     TEXT NOT NULL
);
INSERT INTO run_plans (run_id, workspace_id, plan_json)
    SELECT id, workspace_id, plan_json FROM runs WHERE plan_json IS NOT NULL;
ALTER TABLE runs DROP COLUMN plan_json;
