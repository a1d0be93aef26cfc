//! Tasks: reading and listing them, inserting a plan's, and the one place a
//! task's status change is checked and recorded (`task_status_event`).

use diesel::prelude::*;

use super::models::*;
use super::schema::*;
use super::sql::CachedExt;
use super::{runs::*, shared::*};
use super::{with_conn, Conn, Tx};
use crate::domain::{self, NewEvent, RunStatus, TaskSpec, TaskStatus};
use crate::error::{Error, Result};

/// A page of a run's tasks in plan order, after a position.
pub fn list_tasks(
    conn: &mut Conn<'_>,
    ws: &str,
    run_id: &str,
    statuses: &[TaskStatus],
    limit: i64,
    after_position: i32,
) -> Result<Vec<TaskRow>> {
    get_run(conn, ws, run_id)?;
    with_conn!(conn, c => {
        let mut q = tasks::table
            .filter(tasks::run_id.eq(run_id))
            .filter(tasks::position.gt(after_position))
            .into_boxed();
        if !statuses.is_empty() {
            q = q.filter(tasks::status.eq_any(statuses.to_vec()));
        }
        Ok(q.order(tasks::position.asc()).limit(limit).select(TaskRow::as_select()).load(c)?)
    })
}

/// Reads one task with its attempts.
pub fn get_task(conn: &mut Conn<'_>, ws: &str, run_id: &str, task_id: &str) -> Result<(TaskRow, Vec<AttemptRow>)> {
    let task: TaskRow = with_conn!(conn, c => tasks::table
        .filter(tasks::run_id.eq(run_id))
        .filter(tasks::task_id.eq(task_id))
        .filter(tasks::workspace_id.eq(ws))
        .select(TaskRow::as_select())
        .get_result(c)
        .optional())?
    .ok_or_else(|| not_found_task(run_id, task_id))?;
    let attempts: Vec<AttemptRow> = with_conn!(conn, c => attempts::table
        .filter(attempts::run_id.eq(run_id))
        .filter(attempts::task_id.eq(task_id))
        .order(attempts::number.asc())
        .select(AttemptRow::as_select())
        .load(c))?;
    Ok((task, attempts))
}

pub(super) fn set_task_status(
    tx: &mut Tx<'_>,
    task: &TaskRow,
    from: TaskStatus,
    to: TaskStatus,
    message: &str,
) -> Result<()> {
    with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((&task.run_id, &task.task_id)))
        .set((tasks::status.eq(to), tasks::updated_at.eq(tx.now)))
        .cached().run(c))?;
    task_status_changed(tx, task, from, to, message)
}

/// What follows a task's status change once its row says so: the run's open
/// count and the event (the task's span is assembled from its events).
pub(super) fn task_status_changed(
    tx: &mut Tx<'_>,
    task: &TaskRow,
    from: TaskStatus,
    to: TaskStatus,
    message: &str,
) -> Result<()> {
    task_status_event(tx, task, from, to, NewEvent::task_status(&task.task_id, from, to, message))
}

/// [`task_status_changed`] with the event given (to carry more data).
pub(super) fn task_status_event(
    tx: &mut Tx<'_>,
    task: &TaskRow,
    from: TaskStatus,
    to: TaskStatus,
    event: NewEvent,
) -> Result<()> {
    if from != to && !domain::transitions::task_may_go(from, to) {
        return Err(Error::Internal(format!(
            "task {} of run {} cannot go from {from:?} to {to:?}",
            task.task_id, task.run_id
        )));
    }
    if to.is_terminal() && !from.is_terminal() {
        tx.add_run_counters(&task.run_id, 0, -1);
    }
    tx.event(&task.run_id, &task.workspace_id, event);
    Ok(())
}

/// Inserts a plan's tasks and their dependency edges, many rows per
/// statement (on SQLite too: the rows insert no `DEFAULT`, see the models),
/// in chunks of a bounded size.
pub(super) fn insert_tasks(tx: &mut Tx<'_>, tasks: &[TaskRow], deps: &[DepRow]) -> Result<()> {
    for chunk in tasks.chunks(64) {
        with_conn!(&mut tx.conn, c => diesel::insert_into(tasks::table).values(chunk).execute(c))?;
    }
    for chunk in deps.chunks(256) {
        with_conn!(&mut tx.conn, c => diesel::insert_into(task_deps::table).values(chunk).execute(c))?;
    }
    Ok(())
}

/// [`insert_tasks`] for a run that starts as it is created: its roots (no
/// dependencies, all of them plain, see `decide::starts_at_once`) are
/// inserted READY with empty inputs. Gives back the roots, in plan order.
pub(super) fn insert_tasks_started(tx: &mut Tx<'_>, tasks: &[TaskRow], deps: &[DepRow]) -> Result<Vec<TaskRow>> {
    let now = tx.now;
    let rows: Vec<TaskRow> = tasks
        .iter()
        .map(|t| {
            let mut t = t.clone();
            if t.remaining_deps == 0 {
                t.status = TaskStatus::Ready;
                t.inputs_json = Some("{}".into());
                t.ready_at = Some(now);
                t.updated_at = now;
            }
            t
        })
        .collect();
    insert_tasks(tx, &rows, deps)?;
    let mut roots: Vec<TaskRow> = rows.into_iter().filter(|t| t.remaining_deps == 0).collect();
    roots.sort_by_key(|t| t.position);
    Ok(roots)
}

/// Runs of a workspace that are not finished.
pub fn runs_in_flight(conn: &mut Conn<'_>, ws: &str) -> Result<i64> {
    // Listed positively so that the (workspace_id, status) index serves it without visiting finished runs.
    let open = [RunStatus::Created, RunStatus::Planning, RunStatus::Executing, RunStatus::Verifying, RunStatus::Paused];
    Ok(with_conn!(conn, c => runs::table
        .filter(runs::workspace_id.eq(ws))
        .filter(runs::status.eq_any(open))
        .count()
        .get_result(c))?)
}

/// The task and edge rows of a plan.
pub fn task_rows(
    ws: &str,
    run_id: &str,
    run_priority: i32,
    default_retry: &crate::domain::RetryPolicy,
    tasks: &[TaskSpec],
    now: i64,
) -> Result<(Vec<TaskRow>, Vec<DepRow>)> {
    let mut rows = Vec::with_capacity(tasks.len());
    let mut deps = Vec::new();
    let mut dependents: std::collections::HashMap<&str, i32> = std::collections::HashMap::new();
    for t in tasks {
        for d in &t.depends_on {
            *dependents.entry(d.as_str()).or_default() += 1;
        }
    }
    for (i, t) in tasks.iter().enumerate() {
        let limit = t.retry.as_ref().unwrap_or(default_retry).max_attempts.max(1);
        rows.push(TaskRow {
            run_id: run_id.to_string(),
            task_id: t.id.clone(),
            workspace_id: ws.to_string(),
            position: i as i32,
            spec_json: serde_json::to_string(t)?,
            agent: t.agent.clone(),
            kind: t.kind.as_str().to_string(),
            optional: t.optional,
            status: TaskStatus::Pending,
            run_priority,
            priority: t.priority,
            remaining_deps: t.depends_on.len() as i32,
            attempts: 0,
            attempt_limit: limit as i32,
            lease_id: None,
            lease_expires_at: None,
            ready_at: None,
            retry_at: None,
            inputs_json: None,
            output_json: None,
            error: None,
            verdict_json: None,
            feedback_json: None,
            created_at: now,
            updated_at: now,
            dependents: dependents.get(t.id.as_str()).copied().unwrap_or(0),
            next_turn: 0,
            spawned_by: None,
            spawn_depth: 0,
        });
        for d in &t.depends_on {
            deps.push(DepRow {
                run_id: run_id.to_string(),
                task_id: t.id.clone(),
                depends_on: d.clone(),
                workspace_id: ws.to_string(),
            });
        }
    }
    Ok((rows, deps))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each row counts the tasks that depend on it: a completion of a task
    /// with none runs no statement to look for them.
    #[test]
    fn task_rows_count_each_tasks_dependents() {
        let t = |id: &str, deps: &[&str]| TaskSpec {
            id: id.into(),
            agent: "w".into(),
            depends_on: deps.iter().map(|d| d.to_string()).collect(),
            ..Default::default()
        };
        let plan = [t("a", &[]), t("b", &["a"]), t("c", &["a"]), t("d", &["b", "c"])];
        let (rows, edges) =
            task_rows("ws", "run_1", 0, &crate::domain::RetryPolicy::default(), &plan, 0).expect("rows");
        let counts: Vec<(&str, i32, i32)> =
            rows.iter().map(|r| (r.task_id.as_str(), r.dependents, r.remaining_deps)).collect();
        assert_eq!(counts, [("a", 2, 0), ("b", 1, 1), ("c", 1, 1), ("d", 0, 2)]);
        assert_eq!(edges.len(), 4);
    }
}
