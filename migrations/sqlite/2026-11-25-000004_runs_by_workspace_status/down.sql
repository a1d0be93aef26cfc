DROP INDEX runs_by_workspace_status;
