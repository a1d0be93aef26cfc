ALTER TABLE runs DROP COLUMN trace_exported;
ALTER TABLE runs DROP COLUMN tracestate;
