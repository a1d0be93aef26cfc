-- Dispatch picks the first READY tasks in (priority, ready_at, position) order. Tasks
-- made ready together share ready_at, so without position in the index every claim
-- sorted all of them (a wide run's claims grew with its width).
CREATE INDEX tasks_dispatch_ordered ON tasks (workspace_id, agent, status, run_priority DESC, priority DESC, ready_at, position);
DROP INDEX tasks_dispatch;
