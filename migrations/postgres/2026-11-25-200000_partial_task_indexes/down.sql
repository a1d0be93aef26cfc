CREATE INDEX tasks_dispatch_ordered ON tasks (workspace_id, agent, status, run_priority DESC, priority DESC, ready_at, position);
DROP INDEX tasks_ready;
CREATE INDEX tasks_by_lease_expiry ON tasks (status, lease_expires_at);
DROP INDEX tasks_running_by_lease_expiry;
CREATE INDEX tasks_by_retry_time ON tasks (status, retry_at);
DROP INDEX tasks_retry_due;
DROP INDEX tasks_running_by_agent;
DROP INDEX tasks_verifying;
