//! What the store's aggregates share: a stored spec or JSON read
//! back, not-found errors in the API's words, and the literal status filter
//! the partial task indexes need. The aggregates beside it: `runs`, `tasks`,
//! `dispatch` (attempts and the agent protocol), `events`, `budgets`,
//! `planning`, `verdicts`, `steering` (reconciler passes, cancel, pause,
//! resume, retry, approvals), `keys` (workspaces and API keys); `progress`
//! and `apply` carry out the domain's decisions.

use super::models::*;
use crate::domain::{self, RunSpec, TaskSpec, TaskStatus};
use crate::error::{Error, Result};

/// `tasks.status = '<status>'` with the status written into the SQL: the task
/// indexes are partial (one status each), and a planner can only use one when
/// the query names its status as a literal, not as a bound parameter. The one
/// place a status is SQL text, made from the enum's stored name.
pub(super) fn task_is(status: TaskStatus) -> diesel::expression::SqlLiteral<diesel::sql_types::Bool> {
    // A fixed enum name, never input.
    diesel::dsl::sql(&format!("tasks.status = '{}'", status.as_str()))
}

pub(super) fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

pub(super) fn not_found_run(run_id: &str) -> Error {
    Error::NotFound(format!("run {:?} not found", domain::plan::truncate(run_id, 80)))
}

pub(super) fn not_found_task(run_id: &str, task_id: &str) -> Error {
    Error::NotFound(format!(
        "task {:?} of run {:?} not found",
        domain::plan::truncate(task_id, 80),
        domain::plan::truncate(run_id, 80)
    ))
}

/// Parses a stored task spec.
pub fn task_spec(row: &TaskRow) -> Result<TaskSpec> {
    Ok(serde_json::from_str(&row.spec_json)?)
}

/// Parses a stored run spec.
pub fn run_spec(row: &RunRow) -> Result<RunSpec> {
    Ok(serde_json::from_str(&row.spec_json)?)
}
