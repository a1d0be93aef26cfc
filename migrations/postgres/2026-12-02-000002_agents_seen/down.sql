DROP TABLE agents_seen;
