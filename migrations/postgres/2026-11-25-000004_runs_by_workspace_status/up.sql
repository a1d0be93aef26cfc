-- Counting a workspace's unfinished runs (the in-flight quota) without visiting finished ones.
CREATE INDEX runs_by_workspace_status ON runs (workspace_id, status);
