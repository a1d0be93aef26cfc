-- When an instance of an agent last polled, per workspace ('*' for the
-- built-in executors, which serve every workspace): so that a run whose ready
-- tasks wait for an agent nobody serves can say so. Written by each replica
-- at most every few seconds, not per poll.
CREATE TABLE agents_seen (
    workspace_id TEXT NOT NULL,
    agent TEXT NOT NULL,
    last_poll_at BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, agent)
);
