-- The caller's W3C tracestate (kept with the trace), and whether a finished
-- run's trace has been exported over OTLP.
ALTER TABLE runs ADD COLUMN tracestate TEXT;
ALTER TABLE runs ADD COLUMN trace_exported BOOLEAN NOT NULL DEFAULT FALSE;
