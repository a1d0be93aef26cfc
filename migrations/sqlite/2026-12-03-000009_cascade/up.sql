-- The model cascade: the model an `llm` attempt ran on (a cascade's choice
-- differs per attempt), recorded when the call starts; and the cascade's
-- question to the outcomes, a kind's pass rate per model.
ALTER TABLE attempts ADD COLUMN model TEXT NOT NULL DEFAULT '';
CREATE INDEX outcomes_kind ON outcomes (workspace_id, task_kind, finished_at);
