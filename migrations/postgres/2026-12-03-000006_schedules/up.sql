-- Schedules: runs of a recipe started by a clock. `next_fire_at` is the
-- next nominal fire time and `next_due_at` that time plus its jitter (µs;
-- NULL: it fires no more); a replica fires a time by moving `next_fire_at`
-- on from it with a conditional update, in the transaction that records the
-- fire and creates its run, so each time fires once.
CREATE TABLE schedules (
    workspace_id TEXT NOT NULL,
    id           TEXT NOT NULL,
    -- The trigger, zone, jitter, recipe, params, overlap, window and labels (JSON).
    spec_json    TEXT NOT NULL,
    paused       BOOLEAN NOT NULL,
    note         TEXT NOT NULL,
    next_fire_at BIGINT,
    next_due_at  BIGINT,
    -- Fire times older than the catch-up window when a server got to them.
    missed_fires BIGINT NOT NULL,
    created_at   BIGINT NOT NULL,
    created_by   TEXT NOT NULL,
    updated_at   BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, id)
);
CREATE INDEX schedules_due ON schedules (next_due_at) WHERE NOT paused;

-- A schedule's fires: one row per fire, keyed within its schedule by what
-- makes it once (`scheduled:<µs>`, `backfill:<µs>`, `triggered:<request id>`).
-- `live` while the run it started may still be going.
CREATE TABLE schedule_fires (
    workspace_id TEXT NOT NULL,
    schedule_id  TEXT NOT NULL,
    fire_key     TEXT NOT NULL,
    kind         TEXT NOT NULL,
    nominal_at   BIGINT NOT NULL,
    outcome      TEXT NOT NULL,
    run_id       TEXT,
    detail       TEXT NOT NULL,
    live         BOOLEAN NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, schedule_id, fire_key)
);
CREATE INDEX schedule_fires_recent ON schedule_fires (workspace_id, schedule_id, created_at);
CREATE INDEX schedule_fires_live ON schedule_fires (workspace_id, schedule_id) WHERE live;
CREATE INDEX schedule_fires_buffered ON schedule_fires (updated_at) WHERE outcome = 'buffered';
