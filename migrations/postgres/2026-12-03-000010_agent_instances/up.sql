-- The fleet: each agent instance a replica has seen polling (its id, the
-- SDK it named, where it polled from, the replica it polled), written with
-- the replica's presence flush every few seconds, never on the poll itself.
CREATE TABLE agent_instances (
    workspace_id TEXT NOT NULL,
    agent        TEXT NOT NULL,
    instance     TEXT NOT NULL,
    sdk          TEXT NOT NULL,
    peer         TEXT NOT NULL,
    replica      TEXT NOT NULL,
    last_poll_at BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, agent, instance)
);
-- Forgetting instances not seen for a day (the listing reads by the key's workspace).
CREATE INDEX agent_instances_by_last_poll ON agent_instances (last_poll_at);
