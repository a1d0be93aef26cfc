//! Child runs in the store: a task of kind `run` is claimed like any task
//! (an attempt, with a lease nobody holds and no expiry but the task's own
//! timeout), and in the same transaction its child run is created, with a
//! budget carved out of its parent's (`domain::child::carve`). The child's
//! end reaches the task through that attempt's lease, by the same completion
//! and failure as an agent's; a task that ended first has its child
//! cancelled (and its usage charged to the parent run when it ends). A
//! parent's pause is handed down and lifted by the same pass. `child_runs`
//! records each child, whether its parent's pause is on it, and whether it
//! is settled. Each of these transactions locks one run.

use diesel::prelude::*;
use serde_json::json;

use super::budgets::{charge_run, enforce_budget};
use super::dispatch::{claim_task, complete, fail, ClaimLimits, Completed};
use super::models::*;
use super::schema::*;
use super::sql::LimitN;
use super::steering::{cancel_run, pause_run, resume_run};
use super::{runs::*, shared::*};
use super::{with_conn, Conn, Tx};
use crate::domain::child::{carve, ParentBudget, Shortfall};
use crate::domain::{AttemptStatus, Budget, EventKind, NewEvent, RunParent, RunStatus, TaskKind, TaskSpec, TaskStatus};
use crate::error::{Error, Result};

/// The agent instance an attempt that is a child run names.
pub const CHILD_RUN_INSTANCE: &str = "child-run";

/// A lease no heartbeat renews: a child run's attempt ends with its child
/// (or at the task's own timeout), not because nobody reported.
const NO_EXPIRY_MS: i64 = 100 * 365 * 24 * 3600 * 1000;

/// Ready tasks of kind `run` of executing runs, oldest first: (run, task).
pub fn ready_run_tasks(conn: &mut Conn<'_>) -> Result<Vec<(String, String)>> {
    Ok(with_conn!(conn, c => LimitN::<_, 32>(tasks::table
        .inner_join(runs::table)
        // A run task names no agent: the ready tasks of agent "" are where the claims' index has them.
        .filter(tasks::agent.eq(""))
        .filter(task_is(TaskStatus::Ready))
        .filter(tasks::kind.eq(TaskKind::Run.as_str()))
        .filter(runs::status.eq(RunStatus::Executing))
        // As a claim's: a run at its max_parallel holds its tasks back, and
        // they must not crowd out other runs' from the page.
        .filter(runs::running.lt(runs::max_parallel))
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
    /// Whether its budget waits for the parent's other children to end
    /// (nothing to build or start yet).
    pub waits: bool,
}

/// The facts of a ready `run` task's child start.
pub fn child_start_facts(conn: &mut Conn<'_>, run_id: &str, task_id: &str) -> Result<ChildStartFacts> {
    let run: RunRow = with_conn!(conn, c => runs::table.find(run_id).select(RunRow::as_select()).get_result(c))?;
    let task: TaskRow =
        with_conn!(conn, c => tasks::table.find((run_id, task_id)).select(TaskRow::as_select()).get_result(c))?;
    let spec = task_spec(&task)?;
    let depth = parent_of(conn, run_id)?.map_or(0, |p| p.depth) + 1;
    let requested = spec.child.as_ref().map(|c| c.budget.clone()).unwrap_or_default();
    let waits =
        matches!(carve_for(conn, &run, &requested, crate::domain::now_micros())?, Err(Shortfall { held: true, .. }));
    Ok(ChildStartFacts { run, task, spec, depth, waits })
}

/// A child's budget from its parent's row, what the parent used and what
/// its live children hold.
fn carve_for(
    conn: &mut Conn<'_>,
    parent: &RunRow,
    requested: &Budget,
    now: i64,
) -> Result<std::result::Result<Budget, Shortfall>> {
    let held: Vec<Budget> = live_children(conn, &parent.id)?
        .iter()
        .map(|c| serde_json::from_str(&c.budget_json))
        .collect::<std::result::Result<_, _>>()?;
    let budget = run_spec(parent)?.budget;
    let used = parent.usage();
    let time_left_ms = parent.deadline_at.map(|d| ((d - now).max(0) / 1000) as u64);
    Ok(carve(requested, ParentBudget { budget: &budget, used: &used, held: &held, time_left_ms }))
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
pub fn live_children(conn: &mut Conn<'_>, run_id: &str) -> Result<Vec<ChildRunRow>> {
    Ok(with_conn!(conn, c => child_runs::table
        .filter(child_runs::parent_run_id.eq(run_id))
        .filter(child_runs::settled.eq(false))
        .select(ChildRunRow::as_select())
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
    /// The child run.
    Started { child_run_id: String },
    /// The task's attempt failed with this reason.
    Refused(String),
}

/// Claims a ready `run` task and starts its child, in one transaction: the
/// attempt (the child's lifetime), the child run with its carved budget, in
/// the parent's trace under the attempt's span, and its `child_runs` row.
/// None when the task is not startable now (taken, its run busy, paused or
/// full, or its budget held by the parent's other children until they end).
pub fn start_child_run(
    tx: &mut Tx<'_>,
    run_id: &str,
    task_id: &str,
    start: &ChildStart,
) -> Result<Option<ChildStarted>> {
    let Some(run) = lock_run_unless_busy(tx, run_id)? else { return Ok(None) };
    // What to start, or why the task fails; a budget its siblings hold leaves it READY.
    let what = match start {
        ChildStart::Refuse(reason) => Err(reason.clone()),
        ChildStart::Run { child, requested, depth } => match carve_for(&mut tx.conn, &run, requested, tx.now)? {
            Ok(budget) => Ok((child, *depth, budget)),
            Err(Shortfall { held: true, .. }) => return Ok(None),
            Err(Shortfall { reason, .. }) => Err(reason),
        },
    };
    let limits = ClaimLimits { per_agent: None, total: None, lease_ms: NO_EXPIRY_MS, default_timeout_ms: NO_EXPIRY_MS };
    let Some(claimed) = claim_task(tx, run, run_id, task_id, "", CHILD_RUN_INSTANCE, limits)? else { return Ok(None) };
    let (child, depth, budget) = match what {
        Ok(w) => w,
        Err(reason) => return refuse(tx, &claimed.attempt.lease_id, &reason),
    };
    let parent = &claimed.run;
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
        parent_pause: 0,
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
    if created.row.status == RunStatus::Planning {
        // Its planner is started by the reconciler.
        tx.wake_reconciler();
    }
    Ok(Some(ChildStarted::Started { child_run_id }))
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
        // The deepest first: a child is settled after its own children, whose
        // usage it then holds.
        .order((child_runs::depth.desc(), child_runs::created_at.asc()))
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

/// Records that a child's outcome is settled: false when it was already
/// (another replica, or a pass this one repeats).
fn mark_settled(tx: &mut Tx<'_>, child_run_id: &str) -> Result<bool> {
    let n = with_conn!(&mut tx.conn, c => diesel::update(
            child_runs::table.find(child_run_id).filter(child_runs::settled.eq(false)),
        )
        .set(child_runs::settled.eq(true))
        .execute(c))?;
    Ok(n == 1)
}

/// How a due child was settled.
#[derive(Debug, Clone)]
pub enum Settled {
    /// Its task completed with its output (VERIFYING when the task has criteria).
    Completed(Completed),
    /// Its task failed with its failure, or its usage reached the parent run
    /// after the task had ended, or it was settled already.
    Done,
    /// It was cancelled (its task had ended); settled once it has ended.
    Cancelled,
    /// Its own children are not settled yet: it waits for them.
    Waits,
}

/// Settles a due child in one transaction, which locks one run: a child
/// that ended completes its task with its output or fails it with its
/// failure (through the attempt's lease, its usage the attempt's), or, its
/// task having ended first, has its usage charged to the parent run; a child
/// still going whose task ended is cancelled. A child is settled only after
/// its own children, so its usage holds theirs.
pub fn settle_child_run(tx: &mut Tx<'_>, due: &ChildToSettle) -> Result<Settled> {
    let child = &due.child;
    let id = child.id.as_str();
    if !child.status.is_terminal() {
        let why = format!("its parent task {:?} of run {} ended", due.row.parent_task_id, due.row.parent_run_id);
        cancel_run(tx, &child.workspace_id, id, &why, CHILD_RUN_INSTANCE)?;
        return Ok(Settled::Cancelled);
    }
    if !live_children(&mut tx.conn, id)?.is_empty() {
        return Ok(Settled::Waits);
    }
    if !mark_settled(tx, id)? {
        return Ok(Settled::Done);
    }
    // Read inside the transaction: the child ended, its children are settled, so this is final.
    let child = get_run(&mut tx.conn, &child.workspace_id, id)?;
    let usage = child.usage();
    let Some(lease) = &due.lease else {
        charge_run(tx, &due.row.parent_run_id, usage, &format!("child run {id}"))?;
        enforce_budget(tx, &due.row.parent_run_id)?;
        return Ok(Settled::Done);
    };
    if child.status == RunStatus::Completed {
        let output: serde_json::Value = match &child.output_json {
            Some(s) => serde_json::from_str(s)?,
            None => serde_json::Value::Null,
        };
        return Ok(Settled::Completed(complete(tx, lease, &output, Some(usage), None)?));
    }
    let how = if child.status == RunStatus::Cancelled { "was cancelled" } else { "failed" };
    let why = child.failure_reason.clone().unwrap_or_default();
    let error = crate::domain::plan::truncate(&format!("child run {id} {how}: {why}"), 4000);
    fail(tx, lease, &error, false, Some(usage))?;
    Ok(Settled::Done)
}

/// Children out of step with their parent's pause: the parent PAUSED and
/// its pause not handed to the child yet, or the parent going again and
/// its pause still on the child. Up to 32, with whether to pause.
pub fn children_to_steer(conn: &mut Conn<'_>) -> Result<Vec<(ChildRunRow, bool)>> {
    let found: Vec<(ChildRunRow, RunStatus)> = with_conn!(conn, c => LimitN::<_, 32>(child_runs::table
        .inner_join(runs::table.on(runs::id.eq(child_runs::parent_run_id)))
        .filter(child_runs::settled.eq(false))
        .filter(
            runs::status
                .eq(RunStatus::Paused)
                .and(child_runs::parent_pause.eq(0))
                .or(runs::status.eq(RunStatus::Executing).and(child_runs::parent_pause.ne(0))),
        )
        .order(child_runs::depth.asc())
        .select((ChildRunRow::as_select(), runs::status)))
        .load(c))?;
    Ok(found.into_iter().map(|(row, parent)| (row, parent == RunStatus::Paused)).collect())
}

/// Hands a parent's pause down to a child (`pause`) or lifts it, in one
/// transaction that locks the child: a child paused already (for its own
/// reasons) is left paused when the parent goes on, a child that ended is
/// left to be settled.
pub fn steer_child(tx: &mut Tx<'_>, row: &ChildRunRow, pause: bool) -> Result<()> {
    let (ws, id) = (row.workspace_id.as_str(), row.child_run_id.as_str());
    let child = lock_run(tx, id)?;
    let mark = if pause {
        match child.status {
            s if s.is_terminal() => 2,
            RunStatus::Paused => 2,
            _ => {
                let why = format!("its parent run {} was paused", row.parent_run_id);
                pause_run(tx, ws, id, &why, CHILD_RUN_INSTANCE)?;
                1
            }
        }
    } else {
        if row.parent_pause == 1 && child.status == RunStatus::Paused {
            resume_run(tx, ws, id, None, CHILD_RUN_INSTANCE)?;
        }
        0
    };
    with_conn!(&mut tx.conn, c => diesel::update(child_runs::table.find(id))
        .set(child_runs::parent_pause.eq(mark))
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
    match parent_of(&mut tx.conn, &run.id)? {
        Some(p) => Err(Error::FailedPrecondition(format!(
            "run {} is a child run of task {:?} of run {}, and its end is that task's: retry that task instead (it starts a fresh child run)",
            run.id, p.task_id, p.run_id
        ))),
        None => Ok(()),
    }
}
