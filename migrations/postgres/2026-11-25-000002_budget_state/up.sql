-- Budget enforcement: the wall-clock deadline of a run (from its budget) and
-- whether it has been degraded after exhausting a budget.
ALTER TABLE runs ADD COLUMN deadline_at BIGINT;
ALTER TABLE runs ADD COLUMN degraded BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX runs_by_deadline ON runs (status, deadline_at);
