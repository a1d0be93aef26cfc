-- How many tasks depend on a task, counted when its plan is stored: a
-- completion of a task nothing depends on (every task of a wide run) then
-- runs no statement to look for dependents. -1: not known (rows stored
-- before this column), looked up as before.
ALTER TABLE tasks ADD COLUMN dependents INTEGER NOT NULL DEFAULT -1;
