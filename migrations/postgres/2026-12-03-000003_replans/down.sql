DROP TABLE run_replans;
