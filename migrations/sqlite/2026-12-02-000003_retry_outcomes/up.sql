-- Whether retries after a failed verdict ever rescue a task, per workspace,
-- agent and model: counted when a verified task ends (its last verdict, or
-- its first when it passed). The learning layer reads it; so does
-- ListRetryOutcomes. Verifier errors are not counted.
CREATE TABLE retry_outcomes (
    workspace_id TEXT NOT NULL,
    agent TEXT NOT NULL,
    model TEXT NOT NULL,
    verified_tasks BIGINT NOT NULL DEFAULT 0,
    passed_first_try BIGINT NOT NULL DEFAULT 0,
    retried_tasks BIGINT NOT NULL DEFAULT 0,
    rescued_tasks BIGINT NOT NULL DEFAULT 0,
    retry_tokens BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, agent, model)
);
