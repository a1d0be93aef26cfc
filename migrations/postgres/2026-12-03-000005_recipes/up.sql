-- Recipes: named, versioned run templates of a workspace. Every edit is a
-- new row (a version is immutable); deleting a recipe marks its versions,
-- and a run made from one keeps its own plan (its spec names the recipe).
CREATE TABLE recipes (
    workspace_id TEXT NOT NULL,
    name         TEXT NOT NULL,
    version      INTEGER NOT NULL,
    -- The version's description, parameters and template (JSON).
    spec_json    TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    created_by   TEXT NOT NULL,
    deleted_at   BIGINT,
    PRIMARY KEY (workspace_id, name, version)
);
