CREATE INDEX tasks_dispatch ON tasks (workspace_id, agent, status, run_priority DESC, priority DESC, ready_at);
DROP INDEX tasks_dispatch_ordered;
