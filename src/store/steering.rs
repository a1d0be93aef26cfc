//! What keeps runs moving and what steers them: expired leases, due retries,
//! stalled runs and deadlines (the reconciler's passes); cancel, pause, resume,
//! retry and the approval gate.

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;
use serde_json::Value;

use super::apply::apply;
use super::models::*;
use super::schema::*;
use super::sql::CachedExt;
use super::{dispatch::*, progress::*, runs::*, shared::*, tasks::*};
use super::{with_conn, Conn, Tx};
use crate::domain::decide::{self, Steer, Steering};
use crate::domain::{AttemptStatus, EventKind, Micros, NewEvent, RunSpec, RunStatus, TaskStatus};
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
        if att.status != AttemptStatus::Running || att.lease_expires_at >= tx.now {
            continue;
        }
        // A later turn's timeout runs from its own claim.
        let started = att.turn_started_at.unwrap_or(att.started_at);
        let end = decide::expired_attempt(att.number, started, att.lease_expires_at, att.deadline_at);
        end_attempt(tx, &run, &att, end.status, None, Some(&end.why))?;
        tx.event(
            &run_id,
            &run.workspace_id,
            NewEvent::new(end.kind, end.message)
                .task(&task_id)
                .attempt(att.number)
                .with("agent_instance", att.agent_instance.clone())
                .with("timed_out", end.timed_out),
        );
        after_failed_attempt(tx, &run_id, &task_id, att.number, &end.why, true)?;
        n += 1;
    }
    Ok(n)
}

/// Makes due retries and due turns READY; returns how many, and the next due time.
pub fn promote_due_retries(tx: &mut Tx<'_>, limit: i64) -> Result<(usize, Option<Micros>)> {
    let mut n = 0;
    let mut next: Option<Micros> = None;
    for (waiting, why) in
        [(TaskStatus::RetryScheduled, "backoff elapsed"), (TaskStatus::Continuing, "its next turn is due")]
    {
        let due: Vec<(String, String)> = with_conn!(&mut tx.conn, c => tasks::table
            .filter(task_is(waiting))
            .filter(tasks::retry_at.le(tx.now))
            .select((tasks::run_id, tasks::task_id))
            .limit(limit)
            .cached()
            .load(c))?;
        for (run_id, task_id) in due {
            // A run another transaction holds waits for the next pass.
            if lock_run_unless_busy(tx, &run_id)?.is_none() {
                continue;
            }
            let task = load_task(tx, &run_id, &task_id)?;
            if task.status != waiting {
                continue;
            }
            with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((&run_id, &task_id)))
                .set(tasks::ready_at.eq(Some(tx.now)))
                .cached().run(c))?;
            set_task_status(tx, &task, waiting, TaskStatus::Ready, why)?;
            tx.wake_agent(&task.workspace_id, &task.agent);
            n += 1;
        }
        let first: Option<Option<i64>> = with_conn!(&mut tx.conn, c => tasks::table
            .filter(task_is(waiting))
            .select(diesel::dsl::min(tasks::retry_at))
            .cached()
            .get_result(c)
            .optional())?;
        next = match (next, first.flatten()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    Ok((n, next))
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
        .filter(runs::status.eq(RunStatus::Executing))
        .filter(runs::open_tasks.le(0))
        .select(runs::id)
        .limit(100)
        .load(c))?;
    let n = stalled.len();
    for id in stalled {
        // Re-checked under the lock; a run another transaction holds waits for the next pass.
        let Some(run) = lock_run_unless_busy(tx, &id)? else { continue };
        if run.status == RunStatus::Executing && run.open_tasks <= 0 {
            // Unless it awaits a revision of its plan (finish_if_done asks).
            finish_if_done(tx, &id)?;
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
    let from = run.status;
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
    let from = run.status;
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
    let failed: Vec<TaskRow> = with_conn!(&mut tx.conn, c => tasks::table
        .filter(tasks::run_id.eq(run_id))
        .filter(tasks::status.eq(TaskStatus::Failed))
        .filter(tasks::optional.eq(false))
        .order(tasks::position.asc())
        .select(TaskRow::as_select())
        .load(c))?;
    // A failure a revision of the plan answered, or awaits, does not fail the run.
    let mut answered = Vec::new();
    if !failed.is_empty() {
        let replans = super::replans::state(tx, run_id)?;
        answered = replans.revised;
        answered.extend(replans.awaiting);
    }
    let failed = failed
        .iter()
        .find(|t| !answered.contains(&t.task_id))
        .map(|t| (t.task_id.as_str(), t.error.as_deref().unwrap_or_default()));
    apply(tx, run_id, None, decide::after_resume(failed))?;
    get_run(&mut tx.conn, ws, run_id)
}

/// Re-opens a failed task with fresh attempts and resumes its run:
/// [`decide::retry_task`], applied.
pub fn retry_task(tx: &mut Tx<'_>, ws: &str, run_id: &str, task_id: &str, by: &str) -> Result<TaskRow> {
    get_run(&mut tx.conn, ws, run_id)?;
    let run = lock_run(tx, run_id)?;
    let (task, _) = get_task(&mut tx.conn, ws, run_id, task_id)?;
    // A refusal reads nothing more.
    decide::may_retry(run_id, run.status, task_id, task.status).map_err(Error::FailedPrecondition)?;
    super::children::check_retry_in_child(tx, &run)?;
    let policy = effective_retry(&task_spec(&task)?, &run_spec(&run)?);
    // A failure a revision of the plan answered is the revision's to redo.
    let replans = super::replans::state(tx, run_id)?;
    let replaced = &replans.replaced;
    if replans.revised.iter().any(|t| t == task_id) {
        return Err(Error::FailedPrecondition(format!(
            "task {task_id:?}'s failure was answered by a revision of the plan; retry the revision's tasks instead"
        )));
    }
    // Retrying the task whose revision is awaited replaces that revision.
    if replans.awaiting.as_deref() == Some(task_id) {
        super::replans::stop_awaiting(tx, run_id)?;
    }
    let all: Vec<TaskRow> = with_conn!(&mut tx.conn, c => tasks::table
        .filter(tasks::run_id.eq(run_id))
        .order(tasks::position.asc())
        .select(TaskRow::as_select())
        .load(c))?;
    // The edges as stored beside the tasks: no spec is parsed.
    let edges: Vec<(String, String)> = with_conn!(&mut tx.conn, c => task_deps::table
        .filter(task_deps::run_id.eq(run_id))
        .select((task_deps::task_id, task_deps::depends_on))
        .load(c))?;
    let mut deps: HashMap<&str, Vec<String>> = HashMap::new();
    for (t, d) in &edges {
        deps.entry(t.as_str()).or_default().push(d.clone());
    }
    let states: Vec<decide::TaskState<'_>> = all
        .iter()
        .map(|t| decide::TaskState {
            task_id: &t.task_id,
            // A task a revision replaced is not the run's to re-open: it
            // counts as done (only other replaced tasks depend on it).
            status: if replaced.contains(&t.task_id) { TaskStatus::Succeeded } else { t.status },
            optional: t.optional,
            depends_on: deps.get(t.task_id.as_str()).map(Vec::as_slice).unwrap_or_default(),
            remaining_deps: t.remaining_deps,
        })
        .collect();
    let plan = decide::retry_task(run_id, run.status, task_id, task.attempts, policy.max_attempts, &states)
        .map_err(Error::FailedPrecondition)?;
    with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((run_id, task_id)))
        .set((tasks::attempt_limit.eq(plan.attempt_limit), tasks::error.eq(None::<String>)))
        .cached().run(c))?;
    for r in &plan.reopened {
        with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((run_id, &r.task_id)))
            .set((
                tasks::status.eq(TaskStatus::Pending),
                tasks::remaining_deps.eq(r.remaining_deps),
                tasks::retry_at.eq(None::<i64>),
                tasks::updated_at.eq(tx.now),
            ))
            .cached().run(c))?;
        tx.event(
            run_id,
            ws,
            NewEvent::task_status(&r.task_id, r.from, TaskStatus::Pending, "re-opened by RetryTask").with("by", by),
        );
    }
    for (id, remaining) in &plan.recounted {
        with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((run_id, id)))
            .set(tasks::remaining_deps.eq(*remaining))
            .cached().run(c))?;
    }
    with_conn!(&mut tx.conn, c => diesel::update(runs::table.find(run_id))
        .set((runs::open_tasks.eq(plan.open_tasks), runs::finished_at.eq(None::<i64>), runs::failure_reason.eq(None::<String>)))
        .cached().run(c))?;
    tx.counters_set(run_id, false, true);
    tx.forget_run(run_id);
    if let Some(from) = plan.resume_from {
        set_run_status(tx, &run, from, RunStatus::Executing, &format!("task {task_id:?} retried by request"), |_| {})?;
        with_conn!(&mut tx.conn, c => diesel::update(runs::table.find(run_id)).set(runs::finished_at.eq(None::<i64>)).cached().run(c))?;
        tx.forget_run(run_id);
        // Tasks that became ready while the run was paused spent their wake-ups then.
        wake_ready_agents(tx, ws, run_id)?;
    }
    let run = lock_run(tx, run_id)?;
    let ready: HashSet<&str> =
        plan.reopened.iter().filter(|r| r.remaining_deps == 0).map(|r| r.task_id.as_str()).collect();
    for t in all.into_iter().filter(|t| ready.contains(t.task_id.as_str())) {
        // The row as the statements above left it.
        let retried = t.task_id == task_id;
        let row = TaskRow {
            status: TaskStatus::Pending,
            remaining_deps: 0,
            retry_at: None,
            attempt_limit: if retried { plan.attempt_limit } else { t.attempt_limit },
            error: if retried { None } else { t.error.clone() },
            ..t
        };
        make_ready(tx, &run, row)?;
    }
    Ok(get_task(&mut tx.conn, ws, run_id, task_id)?.0)
}

/// Approves or rejects a task held at its approval gate: [`decide::approval`], applied.
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
    lock_run(tx, run_id)?;
    let (task, _) = get_task(&mut tx.conn, ws, run_id, task_id)?;
    decide::may_take_verdict(task_id, task.status).map_err(Error::FailedPrecondition)?;
    let on_reject = if approve { Default::default() } else { task_spec(&task)?.on_reject };
    let verdict = decide::approval(task_id, task.status, task.optional, on_reject, approve, who, comment)
        .map_err(Error::FailedPrecondition)?;
    tx.event(
        run_id,
        ws,
        NewEvent::new(verdict.kind, verdict.message).task(task_id).with("by", who).with("comment", comment),
    );
    if verdict.to == TaskStatus::Ready {
        with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((run_id, task_id))).set(tasks::ready_at.eq(Some(tx.now))).cached().run(c))?;
        set_task_status(tx, &task, task.status, TaskStatus::Ready, verdict.why)?;
        tx.wake_agent(ws, &task.agent);
    } else {
        with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((run_id, task_id)))
            .set((tasks::error.eq(verdict.error.as_deref()), tasks::optional.eq(verdict.optional)))
            .cached().run(c))?;
        set_task_status(tx, &task, task.status, verdict.to, verdict.why)?;
        task_finished(tx, run_id, task_id)?;
    }
    Ok(get_task(&mut tx.conn, ws, run_id, task_id)?.0)
}

/// Non-terminal runs, for recovery at start.
pub fn open_run_count(conn: &mut Conn<'_>) -> Result<i64> {
    Ok(with_conn!(conn, c => runs::table
        .filter(runs::status.ne_all([RunStatus::Completed, RunStatus::Failed, RunStatus::Cancelled]))
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
