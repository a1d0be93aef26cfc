-- Orchestrator schema. Every row carries its workspace; every time is
-- microseconds since the Unix epoch; JSON documents are stored as text so
-- that one schema serves SQLite and PostgreSQL alike.

CREATE TABLE workspaces (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE,
    retention_secs  BIGINT,
    created_at      BIGINT NOT NULL
);

INSERT INTO workspaces (id, name, retention_secs, created_at) VALUES ('default', 'default', NULL, 0);

CREATE TABLE api_keys (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL,
    key_hash      TEXT NOT NULL UNIQUE,
    created_at    BIGINT NOT NULL,
    revoked_at    BIGINT,
    last_used_at  BIGINT
);

CREATE TABLE runs (
    id                 TEXT PRIMARY KEY,
    workspace_id       TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    request_id         TEXT,
    goal               TEXT NOT NULL,
    spec_json          TEXT NOT NULL,
    plan_json          TEXT,
    status             TEXT NOT NULL,
    priority           INTEGER NOT NULL,
    max_parallel       INTEGER NOT NULL,
    running            INTEGER NOT NULL DEFAULT 0,
    open_tasks         INTEGER NOT NULL DEFAULT 0,
    trace_id           TEXT NOT NULL,
    root_span_id       TEXT NOT NULL,
    parent_span_id     TEXT,
    output_json        TEXT,
    failure_reason     TEXT,
    verdict_json       TEXT,
    prompt_tokens      BIGINT NOT NULL DEFAULT 0,
    completion_tokens  BIGINT NOT NULL DEFAULT 0,
    tool_calls         BIGINT NOT NULL DEFAULT 0,
    cost_micros        BIGINT NOT NULL DEFAULT 0,
    last_seq           BIGINT NOT NULL DEFAULT 0,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    started_at         BIGINT,
    finished_at        BIGINT
);
CREATE INDEX runs_by_workspace_time ON runs (workspace_id, created_at DESC, id DESC);
CREATE INDEX runs_by_status ON runs (status);

CREATE TABLE run_labels (
    run_id        TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    workspace_id  TEXT NOT NULL,
    key           TEXT NOT NULL,
    value         TEXT NOT NULL,
    PRIMARY KEY (run_id, key)
);
CREATE INDEX run_labels_by_value ON run_labels (workspace_id, key, value);

CREATE TABLE idempotency_keys (
    workspace_id  TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    request_id    TEXT NOT NULL,
    body_hash     TEXT NOT NULL,
    run_id        TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, request_id)
);

CREATE TABLE tasks (
    run_id            TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    task_id           TEXT NOT NULL,
    workspace_id      TEXT NOT NULL,
    position          INTEGER NOT NULL,
    spec_json         TEXT NOT NULL,
    agent             TEXT NOT NULL,
    kind              TEXT NOT NULL,
    optional          BOOLEAN NOT NULL,
    status            TEXT NOT NULL,
    run_priority      INTEGER NOT NULL,
    priority          INTEGER NOT NULL,
    remaining_deps    INTEGER NOT NULL,
    attempts          INTEGER NOT NULL DEFAULT 0,
    attempt_limit     INTEGER NOT NULL,
    lease_id          TEXT,
    lease_expires_at  BIGINT,
    ready_at          BIGINT,
    retry_at          BIGINT,
    inputs_json       TEXT,
    output_json       TEXT,
    error             TEXT,
    verdict_json      TEXT,
    feedback_json     TEXT,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    PRIMARY KEY (run_id, task_id)
);
CREATE INDEX tasks_dispatch ON tasks (workspace_id, agent, status, run_priority DESC, priority DESC, ready_at);
CREATE INDEX tasks_by_lease_expiry ON tasks (status, lease_expires_at);
CREATE INDEX tasks_by_retry_time ON tasks (status, retry_at);
CREATE INDEX tasks_by_run_position ON tasks (run_id, position);

CREATE TABLE task_deps (
    run_id        TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    task_id       TEXT NOT NULL,
    depends_on    TEXT NOT NULL,
    workspace_id  TEXT NOT NULL,
    PRIMARY KEY (run_id, task_id, depends_on)
);
CREATE INDEX task_deps_reverse ON task_deps (run_id, depends_on);

CREATE TABLE attempts (
    run_id             TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    task_id            TEXT NOT NULL,
    number             INTEGER NOT NULL,
    workspace_id       TEXT NOT NULL,
    lease_id           TEXT NOT NULL UNIQUE,
    agent_instance     TEXT NOT NULL,
    status             TEXT NOT NULL,
    span_id            TEXT NOT NULL,
    started_at         BIGINT NOT NULL,
    finished_at        BIGINT,
    lease_expires_at   BIGINT NOT NULL,
    deadline_at        BIGINT NOT NULL,
    prompt_tokens      BIGINT NOT NULL DEFAULT 0,
    completion_tokens  BIGINT NOT NULL DEFAULT 0,
    tool_calls         BIGINT NOT NULL DEFAULT 0,
    cost_micros        BIGINT NOT NULL DEFAULT 0,
    output_json        TEXT,
    error              TEXT,
    verdict_json       TEXT,
    feedback_json      TEXT,
    PRIMARY KEY (run_id, task_id, number)
);

CREATE TABLE events (
    run_id        TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    seq           BIGINT NOT NULL,
    workspace_id  TEXT NOT NULL,
    kind          TEXT NOT NULL,
    task_id       TEXT,
    attempt       INTEGER,
    from_status   TEXT,
    to_status     TEXT,
    message       TEXT NOT NULL,
    data_json     TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (run_id, seq)
);

CREATE TABLE spans (
    trace_id         TEXT NOT NULL,
    span_id          TEXT NOT NULL,
    run_id           TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    workspace_id     TEXT NOT NULL,
    parent_span_id   TEXT,
    name             TEXT NOT NULL,
    start_time       BIGINT NOT NULL,
    end_time         BIGINT,
    status_code      TEXT NOT NULL,
    status_message   TEXT NOT NULL,
    attributes_json  TEXT NOT NULL,
    events_json      TEXT NOT NULL,
    PRIMARY KEY (trace_id, span_id)
);
CREATE INDEX spans_by_run ON spans (run_id, start_time);
