-- Each task index holds only the tasks of the one status its queries look for.
-- A task changes status three times on its way to SUCCEEDED, and every index
-- keyed on status was rewritten each time (two B-tree edits per index); now a
-- change touches only the indexes it enters or leaves. The queries name the
-- status as a literal so that the planner can prove the index applies.
CREATE INDEX tasks_ready ON tasks (workspace_id, agent, run_priority DESC, priority DESC, ready_at, position)
    WHERE status = 'READY';
DROP INDEX tasks_dispatch_ordered;
CREATE INDEX tasks_running_by_lease_expiry ON tasks (lease_expires_at) WHERE status = 'RUNNING';
DROP INDEX tasks_by_lease_expiry;
CREATE INDEX tasks_retry_due ON tasks (retry_at) WHERE status = 'RETRY_SCHEDULED';
DROP INDEX tasks_by_retry_time;
-- Queries the old (status, ...) indexes served too: an agent's running tasks
-- (its concurrency limit) and outputs waiting for their verdict.
CREATE INDEX tasks_running_by_agent ON tasks (agent, workspace_id) WHERE status = 'RUNNING';
CREATE INDEX tasks_verifying ON tasks (updated_at) WHERE status = 'VERIFYING';
