//! Planning as a step of a run's lifecycle: runs waiting for a plan, a
//! planner's plan installed, planning given up; and an attempt given back.

use diesel::prelude::*;

use super::models::*;
use super::schema::*;
use super::sql::CachedExt;
use super::{budgets::*, dispatch::*, progress::*, runs::*, shared::*, tasks::*};
use super::{with_conn, Conn, Tx};
use crate::domain::{AttemptStatus, EventKind, NewEvent, RunStatus, TaskStatus};
use crate::error::{Error, Result};

/// Runs waiting for a plan.
pub fn planning_runs(conn: &mut Conn<'_>) -> Result<Vec<RunRow>> {
    Ok(with_conn!(conn, c => runs::table
        .filter(runs::status.eq(RunStatus::Planning))
        .order(runs::created_at.asc())
        .limit(100)
        .select(RunRow::as_select())
        .load(c))?)
}

/// What planning took (its usage is already charged, call by call: the plan
/// span's usage is the sum of those charges) and the changes normalising made
/// to the planner's answer.
#[derive(Debug, Clone, Default)]
pub struct PlanningDone {
    /// Planner calls made.
    pub calls: u32,
    /// One line per change to the answer.
    pub notes: Vec<String>,
}

/// Installs the planner's plan in a PLANNING run and starts it.
pub fn install_plan(
    tx: &mut Tx<'_>,
    run_id: &str,
    plan_json: String,
    tasks: Vec<TaskRow>,
    deps: Vec<DepRow>,
    planned: PlanningDone,
) -> Result<()> {
    let run = lock_run(tx, run_id)?;
    if run.status != RunStatus::Planning {
        return Err(Error::FailedPrecondition(format!("run {run_id} is {}, not planning", run.status)));
    }
    let PlanningDone { calls, notes } = planned;
    if !notes.is_empty() {
        tx.event(
            run_id,
            &run.workspace_id,
            NewEvent::new(
                EventKind::PlanNormalised,
                format!("the planner's answer was normalised: {} change(s)", notes.len()),
            )
            .with("notes", notes),
        );
    }
    let n = tasks.len() as i32;
    insert_tasks(tx, &tasks, &deps)?;
    insert_plan(tx, run_id, &run.workspace_id, &plan_json)?;
    with_conn!(&mut tx.conn, c => diesel::update(runs::table.find(run_id))
        .set(runs::open_tasks.eq(n))
        .cached().run(c))?;
    tx.counters_set(run_id, false, true);
    tx.forget_run(run_id);
    tx.event(
        run_id,
        &run.workspace_id,
        NewEvent::new(EventKind::Audit, format!("plan installed: {n} tasks after {calls} planner call(s)"))
            .with("tasks", n)
            .with("planner_calls", calls),
    );
    start_run(tx, run_id)?;
    enforce_budget(tx, run_id)?;
    Ok(())
}

/// Fails a PLANNING run whose planner gave up (its usage is already charged).
pub fn planning_failed(tx: &mut Tx<'_>, run_id: &str, reason: &str) -> Result<()> {
    let run = lock_run(tx, run_id)?;
    if run.status != RunStatus::Planning {
        return Ok(());
    }
    fail_run(tx, run_id, reason, None)
}

/// Gives a live attempt's task back without spending an attempt (the run was
/// paused before the work started).
pub fn release_attempt(tx: &mut Tx<'_>, lease_id: &str, why: &str) -> Result<()> {
    let (run, att) = live_attempt(tx, lease_id)?;
    check_live(&att, tx.now)?;
    end_attempt(tx, &run, &att, AttemptStatus::Failed, None, Some(why))?;
    let task = load_task(tx, &att.run_id, &att.task_id)?;
    with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((&att.run_id, &att.task_id)))
        .set((tasks::attempt_limit.eq(tasks::attempt_limit + 1), tasks::ready_at.eq(Some(tx.now))))
        .cached().run(c))?;
    set_task_status(tx, &task, task.status, TaskStatus::Ready, why)?;
    tx.wake_agent(&task.workspace_id, &task.agent);
    Ok(())
}

/// Reads a run by id alone (for the server's own executors, which serve every workspace).
pub fn get_run_any(conn: &mut Conn<'_>, run_id: &str) -> Result<RunRow> {
    with_conn!(conn, c => runs::table.find(run_id).select(RunRow::as_select()).get_result(c).optional())?
        .ok_or_else(|| not_found_run(run_id))
}
