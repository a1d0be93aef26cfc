DROP TABLE child_runs;
