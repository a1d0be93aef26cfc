ALTER TABLE runs ADD COLUMN plan_json TEXT;
UPDATE runs SET plan_json = (SELECT plan_json FROM run_plans WHERE run_plans.run_id = runs.id);
DROP TABLE run_plans;
