//! What keeps runs moving and what steers them: expired leases, due retries,
//! stalled runs and deadlines (the reconciler's passes); cancel, pause, resume,
//! retry and the approval gate.

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;
use serde_json::Value;

use super::apply::apply;
use super::models::*;
use super::schema::*;
use super::sql::{CachedExt, LimitN};
use super::{dispatch::*, progress::*, runs::*, shared::*, tasks::*};
use super::{with_conn, Conn, Tx};
use crate::domain::decide::{self, Steer, Steering};
use crate::domain::{self, AttemptStatus, EventKind, Micros, NewEvent, RunSpec, RunStatus, TaskStatus};
use crate::error::{Error, Result};

// ---------------------------------------------------------------- reconciler

/// Fails, as lost, up to `limit` attempts whose lease ran out; returns how many.
pub fn expire_leases(tx: &mut Tx<'_>, limit: i64) -> Result<usize> {
    let expired: Vec<(String, String, Option<String>)> = with_conn!(&mut tx.conn, c => tasks::table
        .filter(task_is(TaskStatus::Running))
        .filter(tasks::lease_expires_at.lt(tx.now))
        .select((tasks::run_id, tasks::task_id, tasks::lease_id))
        .limit(limit)
        .cached()
        .load(c))?;
    let mut n = 0;
    for (run_id, task_id, lease) in expired {
        let Some(lease) = lease else { continue };
        // A run another transaction holds waits for the next pass.
        if lock_run_unless_busy(tx, &run_id)?.is_none() {
            continue;
        }
        let (run, att) = live_attempt(tx, &lease)?;
        if att.status != AttemptStatus::Running.as_str() || att.lease_expires_at >= tx.now {
            continue;
        }
        // A timeout is the attempt's failure (FAILED, as the contract says); a lease
        // that ran out before it means the agent is gone (LOST).
        // By the lease, not the clock: a lease that ran out before the deadline
        // is a lost agent, even when the reconciler looks only later.
        let timed_out = att.lease_expires_at >= att.deadline_at;
        let (status, kind, verb, why) = if timed_out {
            let why = format!("attempt timed out after {} ms", (att.deadline_at - att.started_at) / 1000);
            (AttemptStatus::Failed, EventKind::AttemptFailed, "failed", why)
        } else {
            let why = "lease expired: the agent stopped heartbeating".to_string();
            (AttemptStatus::Lost, EventKind::AttemptLost, "lost", why)
        };
        end_attempt(tx, &run, &att, status, None, Some(&why))?;
        tx.event(
            &run_id,
            &run.workspace_id,
            NewEvent::new(kind, format!("attempt {} {verb}: {why}", att.number))
                .task(&task_id)
                .attempt(att.number)
                .with("agent_instance", att.agent_instance.clone())
                .with("timed_out", timed_out),
        );
        after_failed_attempt(tx, &run_id, &task_id, att.number, &why, true)?;
        n += 1;
    }
    Ok(n)
}

/// Makes due retries READY; returns how many, and the next due time.
pub fn promote_due_retries(tx: &mut Tx<'_>, limit: i64) -> Result<(usize, Option<Micros>)> {
    let due: Vec<(String, String)> = with_conn!(&mut tx.conn, c => tasks::table
        .filter(task_is(TaskStatus::RetryScheduled))
        .filter(tasks::retry_at.le(tx.now))
        .select((tasks::run_id, tasks::task_id))
        .limit(limit)
        .cached()
        .load(c))?;
    let mut n = 0;
    for (run_id, task_id) in due {
        // A run another transaction holds waits for the next pass.
        if lock_run_unless_busy(tx, &run_id)?.is_none() {
            continue;
        }
        let task = load_task(tx, &run_id, &task_id)?;
        if task.status != TaskStatus::RetryScheduled.as_str() {
            continue;
        }
        with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((&run_id, &task_id)))
            .set(tasks::ready_at.eq(Some(tx.now)))
            .cached().run(c))?;
        set_task_status(tx, &task, TaskStatus::RetryScheduled, TaskStatus::Ready, "backoff elapsed")?;
        tx.wake_agent(&task.workspace_id, &task.agent);
        n += 1;
    }
    let next: Option<Option<i64>> = with_conn!(&mut tx.conn, c => tasks::table
        .filter(task_is(TaskStatus::RetryScheduled))
        .select(diesel::dsl::min(tasks::retry_at))
        .cached()
        .get_result(c)
        .optional())?;
    Ok((n, next.flatten()))
}

/// The earliest lease expiry among running tasks.
pub fn next_lease_expiry(conn: &mut Conn<'_>) -> Result<Option<Micros>> {
    let next: Option<Option<i64>> = with_conn!(conn, c => tasks::table
        .filter(task_is(TaskStatus::Running))
        .select(diesel::dsl::min(tasks::lease_expires_at))
        .cached()
        .get_result(c)
        .optional())?;
    Ok(next.flatten())
}

/// Runs that are executing with every task terminal (e.g. a crash between
/// two transactions of an older version): finished now.
pub fn resolve_stalled(tx: &mut Tx<'_>) -> Result<usize> {
    let stalled: Vec<String> = with_conn!(&mut tx.conn, c => runs::table
        .filter(runs::status.eq(RunStatus::Executing.as_str()))
        .filter(runs::open_tasks.le(0))
        .select(runs::id)
        .limit(100)
        .load(c))?;
    let n = stalled.len();
    for id in stalled {
        // Re-checked under the lock; a run another transaction holds waits for the next pass.
        let Some(run) = lock_run_unless_busy(tx, &id)? else { continue };
        if run.status == RunStatus::Executing.as_str() && run.open_tasks <= 0 {
            finish_run(tx, &run)?;
        }
    }
    Ok(n)
}

// ---------------------------------------------------------------- steering

/// Cancels a run (idempotent on a cancelled run): [`decide::steer`], applied.
pub fn cancel_run(tx: &mut Tx<'_>, ws: &str, run_id: &str, reason: &str, by: &str) -> Result<RunRow> {
    steer_run(tx, ws, run_id, Steer::Cancel, reason, by)
}

/// Pauses a run (idempotent on a paused run): [`decide::steer`], applied.
pub fn pause_run(tx: &mut Tx<'_>, ws: &str, run_id: &str, reason: &str, by: &str) -> Result<RunRow> {
    steer_run(tx, ws, run_id, Steer::Pause, reason, by)
}

/// Cancels or pauses a run as [`decide::steer`] says.
fn steer_run(tx: &mut Tx<'_>, ws: &str, run_id: &str, call: Steer, reason: &str, by: &str) -> Result<RunRow> {
    get_run(&mut tx.conn, ws, run_id)?;
    let run = lock_run(tx, run_id)?;
    let from = run_status(&run)?;
    match decide::steer(run_id, from, call, reason, run.started_at.is_some()) {
        Steering::AlreadyThere => Ok(run),
        Steering::Refused(why) => Err(Error::FailedPrecondition(why)),
        Steering::Move { to, message, close_open_as, failure_reason } => {
            apply_move(tx, &run, from, to, &message, close_open_as, failure_reason.as_deref(), by)?;
            get_run(&mut tx.conn, ws, run_id)
        }
    }
}

/// A steering call's move of a run: its open tasks closed (a cancel), its
/// failure reason set or cleared, its status changed with the caller named.
#[allow(clippy::too_many_arguments)]
fn apply_move(
    tx: &mut Tx<'_>,
    run: &RunRow,
    from: RunStatus,
    to: RunStatus,
    message: &str,
    close_open_as: Option<TaskStatus>,
    failure_reason: Option<&str>,
    by: &str,
) -> Result<()> {
    if let Some(status) = close_open_as {
        close_open_tasks(tx, run, |_| (status, "the run was cancelled"))?;
    }
    set_failure_reason(tx, &run.id, failure_reason)?;
    if to == RunStatus::Planning {
        // The reconciler starts the planner again.
        tx.wake_reconciler();
    }
    set_run_status(tx, run, from, to, message, |e| {
        e.data.insert("by".into(), by.into());
    })
}

/// Resumes a paused run, optionally with a new spec (raised budget):
/// [`decide::steer`], then [`decide::after_resume`], applied.
pub fn resume_run(tx: &mut Tx<'_>, ws: &str, run_id: &str, new_spec_json: Option<String>, by: &str) -> Result<RunRow> {
    get_run(&mut tx.conn, ws, run_id)?;
    let run = lock_run(tx, run_id)?;
    let from = run_status(&run)?;
    let (to, message) = match decide::steer(run_id, from, Steer::Resume, "", run.started_at.is_some()) {
        Steering::AlreadyThere => return Ok(run),
        Steering::Refused(why) => return Err(Error::FailedPrecondition(why)),
        Steering::Move { to, message, .. } => (to, message),
    };
    if let Some(s) = new_spec_json {
        let spec: RunSpec = serde_json::from_str(&s)?;
        // The stop that is ending now is added by the status change below.
        let deadline = match (run.started_at, spec.budget.max_duration_ms) {
            (Some(start), ms) if ms > 0 => Some(start + ms as i64 * 1000 + run.stopped_micros),
            _ => None,
        };
        with_conn!(&mut tx.conn, c => diesel::update(runs::table.find(run_id))
            .set((runs::spec_json.eq(s), runs::deadline_at.eq(deadline)))
            .cached().run(c))?;
        tx.forget_run(run_id);
    }
    apply_move(tx, &run, from, to, &message, None, None, by)?;
    wake_ready_agents(tx, ws, run_id)?;
    let failed: Option<TaskRow> = with_conn!(&mut tx.conn, c => LimitN::<_, 1>(tasks::table
        .filter(tasks::run_id.eq(run_id))
        .filter(tasks::status.eq(TaskStatus::Failed.as_str()))
        .filter(tasks::optional.eq(false))
        .select(TaskRow::as_select()))
        .get_result(c)
        .optional())?;
    let failed = failed.as_ref().map(|t| (t.task_id.as_str(), t.error.as_deref().unwrap_or_default()));
    apply(tx, run_id, None, decide::after_resume(failed))?;
    get_run(&mut tx.conn, ws, run_id)
}

/// Re-opens a failed task with fresh attempts and resumes its run.
pub fn retry_task(tx: &mut Tx<'_>, ws: &str, run_id: &str, task_id: &str, by: &str) -> Result<TaskRow> {
    get_run(&mut tx.conn, ws, run_id)?;
    let run = lock_run(tx, run_id)?;
    let run_st = run_status(&run)?;
    let (task, _) = get_task(&mut tx.conn, ws, run_id, task_id)?;
    if task.status != TaskStatus::Failed.as_str() {
        return Err(Error::FailedPrecondition(format!(
            "task {task_id:?} is {}; only a failed task can be retried",
            task.status
        )));
    }
    if !matches!(run_st, RunStatus::Failed | RunStatus::Paused | RunStatus::Executing) {
        return Err(Error::FailedPrecondition(format!(
            "run {run_id} is {run_st}; RetryTask needs a failed, paused or executing run"
        )));
    }
    let policy = effective_retry(&task_spec(&task)?, &run_spec(&run)?);
    with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((run_id, task_id)))
        .set((tasks::attempt_limit.eq(task.attempts + policy.max_attempts.max(1) as i32), tasks::error.eq(None::<String>)))
        .cached().run(c))?;
    // Every task that did not succeed is looked at again: the retried one,
    // and what the failure skipped or cancelled.
    let all: Vec<TaskRow> = with_conn!(&mut tx.conn, c => tasks::table
        .filter(tasks::run_id.eq(run_id))
        .order(tasks::position.asc())
        .select(TaskRow::as_select())
        .load(c))?;
    let reopen: HashSet<String> = all
        .iter()
        .filter(|t| {
            t.task_id == task_id
                || t.status == TaskStatus::Skipped.as_str()
                || t.status == TaskStatus::Cancelled.as_str()
        })
        .map(|t| t.task_id.clone())
        .collect();
    let status_of: HashMap<&str, (TaskStatus, bool)> = all
        .iter()
        .map(|t| (t.task_id.as_str(), (TaskStatus::parse(&t.status).unwrap_or(TaskStatus::Pending), t.optional)))
        .collect();
    let mut reopened = Vec::new();
    for t in all.iter().filter(|t| reopen.contains(&t.task_id)) {
        let spec = task_spec(t)?;
        let remaining = spec
            .depends_on
            .iter()
            .filter(|d| {
                reopen.contains(*d)
                    || !status_of.get(d.as_str()).is_some_and(|(s, o)| domain::decide::releases_dependents(*s, *o))
            })
            .count() as i32;
        with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((run_id, &t.task_id)))
            .set((tasks::remaining_deps.eq(remaining), tasks::retry_at.eq(None::<i64>)))
            .cached().run(c))?;
        let from = task_status(t)?;
        if !domain::transitions::task_may_go(from, TaskStatus::Pending) {
            return Err(Error::Internal(format!("task {} cannot be re-opened from {from:?}", t.task_id)));
        }
        with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((run_id, &t.task_id)))
            .set((tasks::status.eq(TaskStatus::Pending.as_str()), tasks::updated_at.eq(tx.now)))
            .cached().run(c))?;
        tx.event(
            run_id,
            ws,
            NewEvent::task_status(&t.task_id, from, TaskStatus::Pending, "re-opened by RetryTask").with("by", by),
        );
        reopened.push((t.clone(), remaining));
    }
    let open = all
        .iter()
        .filter(|t| reopen.contains(&t.task_id) || !TaskStatus::parse(&t.status).is_some_and(|s| s.is_terminal()))
        .count();
    with_conn!(&mut tx.conn, c => diesel::update(runs::table.find(run_id))
        .set((runs::open_tasks.eq(open as i32), runs::finished_at.eq(None::<i64>), runs::failure_reason.eq(None::<String>)))
        .cached().run(c))?;
    tx.counters_set(run_id, false, true);
    tx.forget_run(run_id);
    if run_st != RunStatus::Executing {
        set_run_status(
            tx,
            &run,
            run_st,
            RunStatus::Executing,
            &format!("task {task_id:?} retried by request"),
            |_| {},
        )?;
        with_conn!(&mut tx.conn, c => diesel::update(runs::table.find(run_id)).set(runs::finished_at.eq(None::<i64>)).cached().run(c))?;
        tx.forget_run(run_id);
        // Tasks that became ready while the run was paused spent their wake-ups then.
        wake_ready_agents(tx, ws, run_id)?;
    }
    let run = lock_run(tx, run_id)?;
    for (mut t, remaining) in reopened {
        if remaining == 0 {
            t.status = TaskStatus::Pending.as_str().into();
            make_ready(tx, &run, t)?;
        }
    }
    Ok(get_task(&mut tx.conn, ws, run_id, task_id)?.0)
}

/// Approves or rejects a task held at its approval gate.
pub fn decide_approval(
    tx: &mut Tx<'_>,
    ws: &str,
    run_id: &str,
    task_id: &str,
    approve: bool,
    who: &str,
    comment: &str,
) -> Result<TaskRow> {
    get_run(&mut tx.conn, ws, run_id)?;
    let run = lock_run(tx, run_id)?;
    let (task, _) = get_task(&mut tx.conn, ws, run_id, task_id)?;
    if task.status != TaskStatus::WaitingApproval.as_str() {
        return Err(Error::FailedPrecondition(format!(
            "task {task_id:?} is {}, not waiting for approval",
            task.status
        )));
    }
    let kind = if approve { EventKind::TaskApproved } else { EventKind::TaskRejected };
    tx.event(
        run_id,
        ws,
        NewEvent::new(kind, format!("{} by {who}", if approve { "approved" } else { "rejected" }))
            .task(task_id)
            .with("by", who)
            .with("comment", comment),
    );
    if approve {
        with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((run_id, task_id))).set(tasks::ready_at.eq(Some(tx.now))).cached().run(c))?;
        set_task_status(tx, &task, TaskStatus::WaitingApproval, TaskStatus::Ready, "approved")?;
        tx.wake_agent(ws, &task.agent);
    } else {
        let spec = task_spec(&task)?;
        let (to, mut optional) = match spec.on_reject {
            domain::RejectionAction::Skip => (TaskStatus::Skipped, true),
            domain::RejectionAction::Fail => (TaskStatus::Failed, task.optional),
        };
        optional |= task.optional;
        let err = format!("rejected by {who}: {comment}");
        with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((run_id, task_id)))
            .set((tasks::error.eq(Some(&err)), tasks::optional.eq(optional)))
            .cached().run(c))?;
        set_task_status(tx, &task, TaskStatus::WaitingApproval, to, "rejected")?;
        let _ = run;
        task_finished(tx, run_id, task_id)?;
    }
    Ok(get_task(&mut tx.conn, ws, run_id, task_id)?.0)
}

/// Non-terminal runs, for recovery at start.
pub fn open_run_count(conn: &mut Conn<'_>) -> Result<i64> {
    Ok(with_conn!(conn, c => runs::table
        .filter(runs::status.ne_all([RunStatus::Completed, RunStatus::Failed, RunStatus::Cancelled].map(|s| s.as_str())))
        .count()
        .get_result(c))?)
}

/// Appends an event (stderr output, a tool violation) to a live attempt found by its lease.
pub fn attempt_event(
    tx: &mut Tx<'_>,
    lease_id: &str,
    kind: EventKind,
    message: String,
    data: serde_json::Map<String, Value>,
) -> Result<()> {
    let (run, att) = live_attempt(tx, lease_id)?;
    let mut ev = NewEvent::new(kind, message).task(&att.task_id).attempt(att.number);
    ev.data = data;
    tx.event(&run.id, &run.workspace_id, ev);
    Ok(())
}
