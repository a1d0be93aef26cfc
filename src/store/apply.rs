//! The store's half of the state machine: the effects `domain::decide`
//! returns, written as statements, in order, in the caller's transaction.
//! Nothing here chooses between outcomes; an effect that asks for a further
//! decision ([`Effect::Finished`], [`Effect::FinishIfDone`]) reads that
//! decision's facts and applies what it returns.

use std::collections::{HashMap, VecDeque};

use diesel::prelude::*;

use super::budgets::exhausted_event;
use super::dispatch::load_task;
use super::models::*;
use super::progress::*;
use super::schema::*;
use super::sql::CachedExt;
use super::{runs::*, tasks::*};
use super::{with_conn, Tx};
use crate::domain::decide::{self, skipped_when_degraded, Effect};
use crate::domain::{NewEvent, RunStatus, TaskStatus};
use crate::error::{Error, Result};

/// Applies a decision's effects. `task` is the decision's subject as it is
/// now (None for a decision about the run); task effects change it, and the
/// copy here follows, so that a later effect (a failure, then what it
/// releases) sees the task as written.
pub(super) fn apply(tx: &mut Tx<'_>, run_id: &str, mut task: Option<TaskRow>, effects: Vec<Effect>) -> Result<()> {
    for effect in effects {
        match effect {
            Effect::Ready { to, inputs_json } => {
                let t = subject(&mut task, "Ready")?;
                let from = t.status;
                with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((&t.run_id, &t.task_id)))
                    .set((
                        tasks::inputs_json.eq(Some(&inputs_json)),
                        tasks::ready_at.eq(Some(tx.now)),
                        tasks::status.eq(to),
                        tasks::updated_at.eq(tx.now),
                    ))
                    .cached().run(c))?;
                let why = if to == TaskStatus::Ready { "dependencies satisfied" } else { "waiting for approval" };
                task_status_changed(tx, t, from, to, why)?;
                if to == TaskStatus::Ready {
                    tx.wake_agent(&t.workspace_id, &t.agent);
                }
                t.status = to;
                t.inputs_json = Some(inputs_json);
            }
            Effect::Aggregated { inputs_json, output_json } => {
                let t = subject(&mut task, "Aggregated")?;
                let (from, to) = (t.status, TaskStatus::Succeeded);
                with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((&t.run_id, &t.task_id)))
                    .set((
                        tasks::inputs_json.eq(Some(&inputs_json)),
                        tasks::output_json.eq(Some(&output_json)),
                        tasks::status.eq(to),
                        tasks::updated_at.eq(tx.now),
                    ))
                    .cached().run(c))?;
                task_status_changed(tx, t, from, to, "aggregated its dependencies' outputs")?;
                t.status = to;
                t.inputs_json = Some(inputs_json);
                t.output_json = Some(output_json);
            }
            Effect::FailTask { error, why } => {
                end_with_error(tx, subject(&mut task, "FailTask")?, TaskStatus::Failed, error, &why)?;
            }
            Effect::SkipTask { why } => {
                end_with_error(tx, subject(&mut task, "SkipTask")?, TaskStatus::Skipped, why.clone(), &why)?;
            }
            Effect::SkipDependents => {
                let t = subject(&mut task, "SkipDependents")?;
                if t.dependents != 0 {
                    let root = t.task_id.clone();
                    skip_dependents(tx, run_id, &root)?;
                }
            }
            Effect::ScheduleRetry { error, backoff_ms } => {
                let t = subject(&mut task, "ScheduleRetry")?;
                let (from, to) = (t.status, TaskStatus::RetryScheduled);
                let at = tx.now + backoff_ms as i64 * 1000;
                with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((&t.run_id, &t.task_id)))
                    .set((tasks::error.eq(Some(&error)), tasks::retry_at.eq(Some(at)), tasks::status.eq(to), tasks::updated_at.eq(tx.now)))
                    .cached().run(c))?;
                // The attempt span's backoff comes from this event (see engine::trace).
                let event = NewEvent::task_status(&t.task_id, from, to, format!("retry in {backoff_ms} ms"))
                    .with("backoff_ms", backoff_ms);
                task_status_event(tx, t, from, to, event)?;
                tx.wake_reconciler();
                t.status = to;
                t.error = Some(error);
                t.retry_at = Some(at);
            }
            // The subject goes on to its next decision: no effect of this one follows.
            Effect::Finished => {
                let t = task.take().ok_or_else(|| no_subject("Finished"))?;
                finished(tx, run_id, t)?;
            }
            Effect::ReleaseDependents => release_dependents(tx, run_id, subject(&mut task, "ReleaseDependents")?)?,
            Effect::FinishIfDone => finish_if_done(tx, run_id)?,
            Effect::EndRun { output_json, to, why } => {
                let run = lock_run(tx, run_id)?;
                if to == RunStatus::Verifying {
                    tx.wake_reconciler();
                }
                // The output rides on the status change's UPDATE.
                set_run_status_and(tx, &run, run.status, to, why, Some(&output_json), |_| {})?;
            }
            Effect::FailRun { reason, skip_downstream_of } => {
                fail_run(tx, run_id, &reason, skip_downstream_of.as_deref())?;
            }
            Effect::AwaitReplan { task_id, reason } => super::replans::await_revision(tx, run_id, &task_id, &reason)?,
            Effect::PauseRun { why, failure_reason } => {
                let run = lock_run(tx, run_id)?;
                let from = run.status;
                if !from.is_terminal() {
                    set_failure_reason(tx, run_id, Some(&failure_reason))?;
                    set_run_status(tx, &run, from, RunStatus::Paused, &why, |_| {})?;
                }
            }
            Effect::BudgetExhausted { exhausted, reason, policy } => {
                let ws = lock_run(tx, run_id)?.workspace_id;
                tx.event(run_id, &ws, exhausted_event(&exhausted, &reason, policy)?);
            }
            Effect::Degrade => degrade(tx, run_id)?,
        }
    }
    Ok(())
}

/// Ends task `t` in `to` (FAILED or SKIPPED) with `error`, its status
/// event saying `why`; the row follows, for the effects after it.
pub(super) fn end_with_error(tx: &mut Tx<'_>, t: &mut TaskRow, to: TaskStatus, error: String, why: &str) -> Result<()> {
    let from = t.status;
    with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((&t.run_id, &t.task_id)))
        .set((tasks::error.eq(Some(&error)), tasks::status.eq(to), tasks::updated_at.eq(tx.now)))
        .cached().run(c))?;
    task_status_changed(tx, t, from, to, why)?;
    t.status = to;
    t.error = Some(error);
    Ok(())
}

/// The decision's subject task, for a task effect.
fn subject<'t>(task: &'t mut Option<TaskRow>, effect: &str) -> Result<&'t mut TaskRow> {
    task.as_mut().ok_or_else(|| no_subject(effect))
}

fn no_subject(effect: &str) -> Error {
    Error::Internal(format!("the effect {effect} needs a task, and the decision had none (or it was finished)"))
}

/// What a required task's skip closes, walked downstream one skipped
/// required task at a time ([`decide::closed_by_skip`] decides each step):
/// each statement reads only the dependents of one task, so a run pays for
/// the part of its graph a skip closes, never a scan of all its tasks per skip.
fn skip_dependents(tx: &mut Tx<'_>, run_id: &str, root: &str) -> Result<()> {
    let mut queue = VecDeque::from([root.to_string()]);
    let mut releasing = Vec::new();
    while let Some(parent) = queue.pop_front() {
        let dependents = task_deps::table
            .filter(task_deps::run_id.eq(run_id))
            .filter(task_deps::depends_on.eq(&parent))
            .select(task_deps::task_id);
        let rows: Vec<TaskRow> = with_conn!(&mut tx.conn, c => tasks::table
            .filter(tasks::run_id.eq(run_id))
            .filter(tasks::task_id.eq_any(dependents))
            .filter(tasks::status.eq(TaskStatus::Pending))
            .order(tasks::position.asc())
            .select(TaskRow::as_select())
            .load(c))?;
        let facts: Vec<decide::Dependent<'_>> = rows
            .iter()
            .map(|t| decide::Dependent { task_id: &t.task_id, status: t.status, optional: t.optional })
            .collect();
        let closed: HashMap<String, decide::SkippedDownstream> =
            decide::closed_by_skip(&parent, &facts).into_iter().map(|s| (s.task_id.clone(), s)).collect();
        for mut t in rows {
            let Some(s) = closed.get(&t.task_id) else { continue };
            let why = format!("skipped: it depends on {:?}, which was skipped", s.because_of);
            end_with_error(tx, &mut t, TaskStatus::Skipped, why.clone(), &why)?;
            if s.closes_its_dependents && t.dependents != 0 {
                queue.push_back(t.task_id.clone());
            }
            if s.releases {
                releasing.push(t);
            }
        }
    }
    // After every skip, so that a release finds the closed ones no longer PENDING.
    for t in releasing {
        release_dependents(tx, run_id, &t)?;
    }
    Ok(())
}

/// A degraded run: its optional tasks that have not started are skipped,
/// each one going on as any finished task.
fn degrade(tx: &mut Tx<'_>, run_id: &str) -> Result<()> {
    with_conn!(&mut tx.conn, c => diesel::update(runs::table.find(run_id)).set(runs::degraded.eq(true)).cached().run(c))?;
    tx.adjust_run(run_id, |r| r.degraded = true);
    let unstarted: Vec<TaskStatus> = TaskStatus::ALL.iter().copied().filter(|s| skipped_when_degraded(*s)).collect();
    let optional: Vec<String> = with_conn!(&mut tx.conn, c => tasks::table
        .filter(tasks::run_id.eq(run_id))
        .filter(tasks::optional.eq(true))
        .filter(tasks::status.eq_any(&unstarted))
        // A task READY for its next turn has started.
        .filter(tasks::next_turn.eq(0))
        .order(tasks::position.asc())
        .select(tasks::task_id)
        .load(c))?;
    for task_id in optional {
        // Read again: skipping an earlier one may have released or ended this one.
        let t = load_task(tx, run_id, &task_id)?;
        let from = t.status;
        if !skipped_when_degraded(from) || t.next_turn > 0 {
            continue;
        }
        let to = TaskStatus::Skipped;
        set_task_status(tx, &t, from, to, "skipped: the run is degraded after exhausting its budget")?;
        finished(tx, run_id, TaskRow { status: to, ..t })?;
    }
    Ok(())
}
