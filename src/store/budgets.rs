//! Budgets: charging usage to a run, its exhaustion policy (decided by
//! `domain::decide::budget`), wall-clock deadlines.

use diesel::prelude::*;

use super::apply::apply;
use super::models::*;
use super::schema::*;
use super::sql::CachedExt;
use super::{runs::*, shared::*};
use super::{with_conn, Tx};
use crate::domain::{self, decide, EventKind, Micros, NewEvent, RunStatus, Usage};
use crate::error::Result;

/// The first exhausted budget of a run, if any.
pub fn budget_exhausted(run: &RunRow, now: Micros) -> Result<Option<domain::run::Exhausted>> {
    let spec = run_spec(run)?;
    let elapsed = run.active_micros(now).map(|us| (us / 1000) as u64);
    Ok(domain::run::exhausted(&spec.budget, &run.usage(), elapsed))
}

/// Applies the run's exhaustion policy if a budget ran out; returns whether
/// new work may still be dispatched (true unless the run was failed or paused).
pub fn enforce_budget(tx: &mut Tx<'_>, run_id: &str) -> Result<bool> {
    let run = lock_run(tx, run_id)?;
    enforce_budget_on(tx, &run)
}

/// [`enforce_budget`] for a run row already locked in this transaction: the
/// facts for [`decide::budget`], and its effects applied.
pub(super) fn enforce_budget_on(tx: &mut Tx<'_>, run: &RunRow) -> Result<bool> {
    let status = run.status;
    // The spec is read only for a run whose budget is checked, its policy only
    // for a spent budget.
    let exhausted = if decide::budget_is_checked(status) { budget_exhausted(run, tx.now)? } else { None };
    let spent = match exhausted {
        Some(ex) => Some((ex, run_spec(run)?.budget.on_exhausted)),
        None => None,
    };
    let decision = decide::budget(status, spent, run.degraded);
    apply(tx, &run.id, None, decision.effects)?;
    Ok(decision.may_dispatch)
}

pub(super) fn exhausted_event(
    ex: &domain::run::Exhausted,
    reason: &str,
    policy: domain::BudgetPolicy,
) -> Result<NewEvent> {
    Ok(NewEvent::new(EventKind::BudgetExhausted, reason)
        .with("budget", ex.budget)
        .with("limit", ex.limit)
        .with("used", ex.used)
        .with("overshoot", ex.used.saturating_sub(ex.limit))
        .with("policy", serde_json::to_value(policy)?))
}

/// Charges one planner call to a PLANNING run. Some(reason) when planning must
/// stop: the call ran a budget out (a `run.budget_exhausted` event; planning
/// has no cheaper mode to degrade to and nothing to pause, so the caller
/// fails the run), or the run is no longer planning (cancelled meanwhile).
/// With `revising` (the failed task), the run is EXECUTING and awaits that
/// task's revision instead, and the charge is `replanning`.
pub fn charge_planning(tx: &mut Tx<'_>, run_id: &str, usage: Usage, revising: Option<&str>) -> Result<Option<String>> {
    let run = lock_run(tx, run_id)?;
    let still = match revising {
        None => run.status == RunStatus::Planning,
        Some(task) => super::replans::still_awaits(tx, run_id, task)?,
    };
    if !still {
        return Ok(Some(format!("the run is {} now", run.status.as_str().to_lowercase())));
    }
    let what = if revising.is_some() { "replanning" } else { "planning" };
    charge_run(tx, run_id, usage, what)?;
    let run = lock_run(tx, run_id)?;
    let Some(ex) = budget_exhausted(&run, tx.now)? else { return Ok(None) };
    let reason = format!("{} while {what}", ex.describe());
    tx.event(run_id, &run.workspace_id, exhausted_event(&ex, &reason, domain::BudgetPolicy::Fail)?);
    Ok(Some(reason))
}

/// Applies exhaustion policies to runs past their wall-clock deadline.
pub fn enforce_deadlines(tx: &mut Tx<'_>) -> Result<usize> {
    let due: Vec<String> = with_conn!(&mut tx.conn, c => runs::table
        .filter(runs::status.eq(RunStatus::Executing))
        .filter(runs::deadline_at.le(tx.now))
        .filter(runs::degraded.eq(false))
        .select(runs::id)
        .limit(100)
        .load(c))?;
    let mut n = 0;
    for id in due {
        // A run another transaction holds waits for the next pass.
        let Some(run) = lock_run_unless_busy(tx, &id)? else { continue };
        enforce_budget_on(tx, &run)?;
        n += 1;
    }
    Ok(n)
}

/// Adds usage to a run's totals, atomically; returns the run as updated.
pub(super) fn add_run_usage(tx: &mut Tx<'_>, run_id: &str, delta: &Usage) -> Result<RunRow> {
    let row: RunRow = with_conn!(&mut tx.conn, c => diesel::update(runs::table.find(run_id))
        .set((
            runs::prompt_tokens.eq(runs::prompt_tokens + delta.prompt_tokens),
            runs::completion_tokens.eq(runs::completion_tokens + delta.completion_tokens),
            runs::tool_calls.eq(runs::tool_calls + delta.tool_calls),
            runs::cost_micros.eq(runs::cost_micros + delta.cost_micros),
        ))
        .returning(RunRow::as_returning())
        .cached().get_result(c))?;
    // The update locked the row (PostgreSQL) and returned it as it is now.
    tx.remember_run(&row);
    Ok(row)
}

/// Charges usage that belongs to the run rather than to an attempt (planning).
pub fn charge_run(tx: &mut Tx<'_>, run_id: &str, usage: Usage, what: &str) -> Result<()> {
    if usage.is_zero() {
        return Ok(());
    }
    let r = add_run_usage(tx, run_id, &usage)?;
    tx.event(
        run_id,
        &r.workspace_id,
        NewEvent::new(EventKind::UsageCharged, format!("{} tokens charged for {what}", usage.tokens()))
            .with("delta", serde_json::to_value(usage)?)
            .with("for", what),
    );
    Ok(())
}
