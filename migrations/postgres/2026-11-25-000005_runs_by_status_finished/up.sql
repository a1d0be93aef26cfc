-- Retention: finding terminal runs that finished before a time without visiting the rest.
CREATE INDEX runs_by_status_finished ON runs (status, finished_at);
