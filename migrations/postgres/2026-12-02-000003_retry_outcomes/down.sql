DROP TABLE retry_outcomes;
