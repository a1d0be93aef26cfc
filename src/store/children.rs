//! Child runs in the store: a task of kind `run` is claimed like any task
//! (an attempt, with a lease nobody holds and no expiry but the task's own
//! timeout), and in the same transaction its child run is created, with a
//! budget carved out of its parent's (`domain::child::carve`). The child's
//! end reaches the task through that attempt's lease, by the same completion
//! and failure as an agent's; a task that ended first has its child
//! cancelled. `child_runs` records each child and whether it is settled.

use diesel::prelude::*;
use serde_json::json;

use super::dispatch::{claim_task, fail, ClaimLimits};
use super::models::*;
use super::schema::*;
use super::sql::LimitN;
use super::{runs::*, shared::*};
use super::{with_conn, Conn, Tx};
use crate::domain::child::{carve, ParentBudget};
use crate::domain::{AttemptStatus, Budget, EventKind, NewEvent, RunParent, RunStatus, TaskKind, TaskSpec, TaskStatus};
use crate::error::{Error, Result};

/// The agent instance an attempt that is a child run names.
pub const CHILD_RUN_INSTANCE: &str = "child-run";

/// A lease no heartbeat renews: a child run's attempt ends with its child
/// (or at the task's own timeout), not because nobody reported.
const NO_EXPIRY_MS: i64 = 100 * 365 * 24 * 3600 * 1000;

/// Ready tasks of kind `run` of executing runs, oldest first: (run, task).
pub fn ready_run_tasks(conn: &mut Conn<'_>) -> Result<Vec<(String, String)>> {
    let kind = serde_json::to_value(TaskKind::Run)?.as_str().unwrap_or("run").to_string();
    Ok(with_conn!(conn, c => LimitN::<_, 32>(tasks::table
        .inner_join(runs::table)
        // A run task names no agent: the ready tasks of agent "" are where the claims' index has them.
        .filter(tasks::agent.eq(""))
        .filter(task_is(TaskStatus::Ready))
        .filter(tasks::kind.eq(kind))
        .filter(runs::status.eq(RunStatus::Executing))
        .order((tasks::ready_at.asc(), tasks::position.asc()))
        .select((tasks::run_id, tasks::task_id)))
        .load(c))?)
}

/// What a child's start needs, read before its transaction.
#[derive(Debug, Clone)]
pub struct ChildStartFacts {
    /// The parent run as read.
    pub run: RunRow,
    /// The task of kind `run` (READY when read).
    pub task: TaskRow,
    /// Its spec.
    pub spec: TaskSpec,
    /// How deep the child would be (1 under a top-level run).
    pub depth: i32,
}

/// The facts of a ready `run` task's child start.
pub fn child_start_facts(conn: &mut Conn<'_>, run_id: &str, task_id: &str) -> Result<ChildStartFacts> {
    let run: RunRow = with_conn!(conn, c => runs::table.find(run_id).select(RunRow::as_select()).get_result(c))?;
    let task: TaskRow =
        with_conn!(conn, c => tasks::table.find((run_id, task_id)).select(TaskRow::as_select()).get_result(c))?;
    let spec = task_spec(&task)?;
    let depth = parent_of(conn, run_id)?.map_or(0, |p| p.depth) + 1;
    Ok(ChildStartFacts { run, task, spec, depth })
}

/// Where a run hangs when it is a child run.
pub fn parent_of(conn: &mut Conn<'_>, run_id: &str) -> Result<Option<RunParent>> {
    let row: Option<ChildRunRow> = with_conn!(conn, c => child_runs::table
        .find(run_id)
        .select(ChildRunRow::as_select())
        .get_result(c)
        .optional())?;
    Ok(row.map(|r| r.parent()))
}

/// The parents of those of these runs that are child runs.
pub fn parents_of(conn: &mut Conn<'_>, run_ids: &[String]) -> Result<Vec<(String, RunParent)>> {
    let rows: Vec<ChildRunRow> = with_conn!(conn, c => child_runs::table
        .filter(child_runs::child_run_id.eq_any(run_ids))
        .select(ChildRunRow::as_select())
        .load(c))?;
    Ok(rows.into_iter().map(|r| (r.child_run_id.clone(), r.parent())).collect())
}

/// The child runs of a run (every one, settled or not), oldest first, at most `limit`.
pub fn children_of(conn: &mut Conn<'_>, run_id: &str, limit: i64) -> Result<Vec<ChildRunRow>> {
    Ok(with_conn!(conn, c => child_runs::table
        .filter(child_runs::parent_run_id.eq(run_id))
        .order(child_runs::created_at.asc())
        .limit(limit)
        .select(ChildRunRow::as_select())
        .load(c))?)
}

/// The child runs of a run whose outcome has not reached it yet.
pub fn live_children_of(conn: &mut Conn<'_>, run_id: &str) -> Result<Vec<String>> {
    Ok(with_conn!(conn, c => child_runs::table
        .filter(child_runs::parent_run_id.eq(run_id))
        .filter(child_runs::settled.eq(false))
        .select(child_runs::child_run_id)
        .load(c))?)
}

/// How a ready `run` task starts: its child run (rows built by the engine,
/// the budget it asks for) or, when the child cannot be made, the reason
/// the task fails with.
#[derive(Debug, Clone)]
pub enum ChildStart {
    /// The child's rows, its requested budget and its depth.
    Run { child: Box<NewRun>, requested: Budget, depth: i32 },
    /// Why there is no child (the attempt fails with it, not retried).
    Refuse(String),
}

/// What starting a child came to.
#[derive(Debug, Clone)]
pub enum ChildStarted {
    /// The child run, and whether it starts by planning.
    Started { child_run_id: String, planning: bool },
    /// The task's attempt failed with this reason.
    Refused(String),
}

/// Claims a ready `run` task and starts its child, in one transaction: the
/// attempt (the child's lifetime), the child run with its carved budget,
/// in the parent's trace under the attempt's span, and its `child_runs`
/// row. None when the task is not startable now (taken, its run busy,
/// paused or full).
pub fn start_child_run(
    tx: &mut Tx<'_>,
    run_id: &str,
    task_id: &str,
    start: &ChildStart,
) -> Result<Option<ChildStarted>> {
    let Some(run) = lock_run_unless_busy(tx, run_id)? else { return Ok(None) };
    let limits = ClaimLimits { per_agent: None, total: None, lease_ms: NO_EXPIRY_MS, default_timeout_ms: NO_EXPIRY_MS };
    let Some(claimed) = claim_task(tx, run, run_id, task_id, "", CHILD_RUN_INSTANCE, limits)? else { return Ok(None) };
    let lease = claimed.attempt.lease_id.clone();
    let (child, requested, depth) = match start {
        ChildStart::Refuse(reason) => return refuse(tx, &lease, reason),
        ChildStart::Run { child, requested, depth } => (child, requested, *depth),
    };
    let parent = &claimed.run;
    let held: Vec<Budget> = with_conn!(&mut tx.conn, c => child_runs::table
        .filter(child_runs::parent_run_id.eq(run_id))
        .filter(child_runs::settled.eq(false))
        .select(child_runs::budget_json)
        .load::<String>(c))?
    .iter()
    .map(|b| serde_json::from_str(b))
    .collect::<std::result::Result<_, _>>()?;
    let parent_budget = run_spec(parent)?.budget;
    let time_left_ms = parent.deadline_at.map(|d| ((d - tx.now).max(0) / 1000) as u64);
    let used = parent.usage();
    let facts = ParentBudget { budget: &parent_budget, used: &used, held: &held, time_left_ms };
    let budget = match carve(requested, facts) {
        Ok(b) => b,
        Err(reason) => return refuse(tx, &lease, &reason),
    };
    let mut new = (**child).clone();
    let mut spec: crate::domain::RunSpec = serde_json::from_str(&new.run.spec_json)?;
    spec.budget = budget.clone();
    new.run.spec_json = serde_json::to_string(&spec)?;
    new.max_duration_ms = budget.max_duration_ms;
    // One trace for the tree: the child's run span hangs under the attempt's.
    new.run.trace_id = parent.trace_id.clone();
    new.run.parent_span_id = Some(claimed.attempt.span_id.clone());
    new.run.tracestate = parent.tracestate.clone();
    let created = create_run(tx, &new)?;
    let child_run_id = created.row.id.clone();
    let row = ChildRunRow {
        child_run_id: child_run_id.clone(),
        workspace_id: parent.workspace_id.clone(),
        parent_run_id: run_id.to_string(),
        parent_task_id: task_id.to_string(),
        attempt: claimed.attempt.number,
        depth,
        budget_json: serde_json::to_string(&budget)?,
        settled: false,
        created_at: tx.now,
    };
    with_conn!(&mut tx.conn, c => diesel::insert_into(child_runs::table).values(&row).execute(c))?;
    tx.event(
        run_id,
        &parent.workspace_id,
        NewEvent::new(
            EventKind::ChildRunStarted,
            format!("attempt {} started child run {child_run_id}", claimed.attempt.number),
        )
        .task(task_id)
        .attempt(claimed.attempt.number)
        .with("child_run_id", child_run_id.clone())
        .with("depth", depth)
        .with("budget", json!(budget)),
    );
    let planning = created.row.status == RunStatus::Planning;
    if planning {
        tx.wake_reconciler();
    }
    Ok(Some(ChildStarted::Started { child_run_id, planning }))
}

fn refuse(tx: &mut Tx<'_>, lease: &str, reason: &str) -> Result<Option<ChildStarted>> {
    fail(tx, lease, reason, false, None)?;
    Ok(Some(ChildStarted::Refused(reason.to_string())))
}

/// A child run whose outcome is due at its parent: it ended while its
/// attempt is live (`lease` then completes or fails the task), or its
/// attempt ended first (the child is then cancelled, unless it ended too).
#[derive(Debug, Clone)]
pub struct ChildToSettle {
    /// The record.
    pub row: ChildRunRow,
    /// The child run as it is.
    pub child: RunRow,
    /// The parent attempt's lease while the attempt is RUNNING.
    pub lease: Option<String>,
}

/// Up to 32 child runs whose outcome is due at their parent.
pub fn child_runs_to_settle(conn: &mut Conn<'_>) -> Result<Vec<ChildToSettle>> {
    let ended = vec![RunStatus::Completed, RunStatus::Failed, RunStatus::Cancelled];
    let found: Vec<(ChildRunRow, RunRow, String, AttemptStatus)> = with_conn!(conn, c => LimitN::<_, 32>(child_runs::table
        .inner_join(runs::table.on(runs::id.eq(child_runs::child_run_id)))
        .inner_join(
            attempts::table.on(attempts::run_id
                .eq(child_runs::parent_run_id)
                .and(attempts::task_id.eq(child_runs::parent_task_id))
                .and(attempts::number.eq(child_runs::attempt))),
        )
        .filter(child_runs::settled.eq(false))
        .filter(runs::status.eq_any(ended).or(attempts::status.ne(AttemptStatus::Running)))
        .order(child_runs::created_at.asc())
        .select((ChildRunRow::as_select(), RunRow::as_select(), attempts::lease_id, attempts::status)))
        .load(c))?;
    Ok(found
        .into_iter()
        .map(|(row, child, lease, status)| ChildToSettle {
            row,
            child,
            lease: (status == AttemptStatus::Running).then_some(lease),
        })
        .collect())
}

/// Records that a child's outcome is settled (idempotent).
pub fn mark_settled(tx: &mut Tx<'_>, child_run_id: &str) -> Result<()> {
    with_conn!(&mut tx.conn, c => diesel::update(child_runs::table.find(child_run_id))
        .set(child_runs::settled.eq(true))
        .execute(c))?;
    Ok(())
}

/// Refuses RetryTask in a child run that ended: its failure is its
/// parent task's (now or at the next reconciler pass), and a fresh child
/// run is that task's retry.
pub(super) fn check_retry_in_child(tx: &mut Tx<'_>, run: &RunRow) -> Result<()> {
    if !run.status.is_terminal() {
        return Ok(());
    }
    let row: Option<ChildRunRow> = with_conn!(&mut tx.conn, c => child_runs::table
        .find(&run.id)
        .select(ChildRunRow::as_select())
        .get_result(c)
        .optional())?;
    match row {
        Some(r) => Err(Error::FailedPrecondition(format!(
            "run {} is a child run of task {:?} of run {}, and its end is that task's: retry that task instead (it starts a fresh child run)",
            run.id, r.parent_task_id, r.parent_run_id
        ))),
        None => Ok(()),
    }
}
