//! Budgets (charging usage, exhaustion policies, deadlines), planning and
//! verification as steps of a run's lifecycle.

use diesel::prelude::*;

use super::apply::apply;
use super::models::*;
use super::outcomes::count_verified_end;
use super::schema::*;
use super::sql::{CachedExt, LimitN};
use super::{dispatch::*, progress::*, queries::*};
use super::{with_conn, Conn, Tx};
use crate::domain::{self, decide, AttemptStatus, EventKind, Micros, NewEvent, RunStatus, TaskSpec, TaskStatus, Usage};
use crate::error::{Error, Result};

// ---------------------------------------------------------------- budgets

/// The first exhausted budget of a run, if any.
pub fn budget_exhausted(run: &RunRow, now: Micros) -> Result<Option<domain::run::Exhausted>> {
    let spec = run_spec(run)?;
    let usage = Usage {
        prompt_tokens: run.prompt_tokens,
        completion_tokens: run.completion_tokens,
        tool_calls: run.tool_calls,
        cost_micros: run.cost_micros,
    };
    let elapsed = run.active_micros(now).map(|us| (us / 1000) as u64);
    Ok(domain::run::exhausted(&spec.budget, &usage, elapsed))
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
    let status = run_status(run)?;
    // Only a run at work is checked (and the check reads its spec).
    if !matches!(status, RunStatus::Executing | RunStatus::Planning) {
        return Ok(status == RunStatus::Executing);
    }
    let exhausted = budget_exhausted(run, tx.now)?;
    if exhausted.is_none() {
        return Ok(true);
    }
    let policy = run_spec(run)?.budget.on_exhausted;
    let decision = decide::budget(status, exhausted, policy, run.degraded);
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
pub fn charge_planning(tx: &mut Tx<'_>, run_id: &str, usage: Usage) -> Result<Option<String>> {
    let run = lock_run(tx, run_id)?;
    if run.status != RunStatus::Planning.as_str() {
        return Ok(Some(format!("the run is {} now", run.status.to_lowercase())));
    }
    charge_run(tx, run_id, usage, "planning")?;
    let run = lock_run(tx, run_id)?;
    let Some(ex) = budget_exhausted(&run, tx.now)? else { return Ok(None) };
    let reason = format!("{} while planning", ex.describe());
    tx.event(run_id, &run.workspace_id, exhausted_event(&ex, &reason, domain::BudgetPolicy::Fail)?);
    Ok(Some(reason))
}

/// Applies exhaustion policies to runs past their wall-clock deadline.
pub fn enforce_deadlines(tx: &mut Tx<'_>) -> Result<usize> {
    let due: Vec<String> = with_conn!(&mut tx.conn, c => runs::table
        .filter(runs::status.eq(RunStatus::Executing.as_str()))
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

// ---------------------------------------------------------------- planning

/// Runs waiting for a plan.
pub fn planning_runs(conn: &mut Conn<'_>) -> Result<Vec<RunRow>> {
    Ok(with_conn!(conn, c => runs::table
        .filter(runs::status.eq(RunStatus::Planning.as_str()))
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
    if run.status != RunStatus::Planning.as_str() {
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
    if run.status != RunStatus::Planning.as_str() {
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
    set_task_status(tx, &task, task_status(&task)?, TaskStatus::Ready, why)?;
    tx.wake_agent(&task.workspace_id, &task.agent);
    Ok(())
}

/// Reads a run by id alone (for the server's own executors, which serve every workspace).
pub fn get_run_any(conn: &mut Conn<'_>, run_id: &str) -> Result<RunRow> {
    with_conn!(conn, c => runs::table.find(run_id).select(RunRow::as_select()).get_result(c).optional())?
        .ok_or_else(|| not_found_run(run_id))
}

// ---------------------------------------------------------------- verification

/// What the verifier needs about a task awaiting its verdict.
#[derive(Debug, Clone)]
pub struct Pending {
    /// The run.
    pub run: RunRow,
    /// The task (VERIFYING).
    pub task: TaskRow,
    /// The attempt whose output is judged.
    pub attempt: AttemptRow,
}

/// A task in VERIFYING with the attempt to judge.
pub fn pending_verification(conn: &mut Conn<'_>, run_id: &str, task_id: &str) -> Result<Pending> {
    let run = with_conn!(conn, c => runs::table.find(run_id).select(RunRow::as_select()).get_result(c))?;
    let task: TaskRow =
        with_conn!(conn, c => tasks::table.find((run_id, task_id)).select(TaskRow::as_select()).get_result(c))?;
    let attempt: AttemptRow = with_conn!(conn, c => attempts::table
        .find((run_id, task_id, task.attempts))
        .select(AttemptRow::as_select())
        .get_result(c))?;
    Ok(Pending { run, task, attempt })
}

/// Tasks and runs waiting for a verdict: ((run, task) pairs, run ids).
/// (run id, task id) of tasks, and ids of runs, that await a verdict.
pub type Awaiting = (Vec<(String, String)>, Vec<String>);

/// Tasks count only when they have waited since before `tasks_before`.
pub fn awaiting_verdicts(conn: &mut Conn<'_>, tasks_before: Micros) -> Result<Awaiting> {
    let tasks = with_conn!(conn, c => LimitN::<_, 200>(tasks::table
        .filter(task_is(TaskStatus::Verifying))
        .filter(tasks::updated_at.lt(tasks_before))
        .select((tasks::run_id, tasks::task_id)))
        .cached()
        .load(c))?;
    let runs = with_conn!(conn, c => runs::table
        .filter(runs::status.eq(RunStatus::Verifying.as_str()))
        .select(runs::id)
        .limit(200)
        .load(c))?;
    Ok((tasks, runs))
}

/// A verdict's event. It is the verification's span too (assembled by
/// `engine::trace`): the span's id (chosen here, and stored with the event,
/// so every process assembles the same trace) and the judge's usage ride on it.
pub(super) fn verdict_event(
    verdict: &domain::Verdict,
    message: String,
    span_id: String,
    judge_usage: Usage,
) -> Result<NewEvent> {
    Ok(NewEvent::new(EventKind::VerdictRecorded, message)
        .with("passed", verdict.passed)
        .with("score", verdict.score)
        .with("summary", verdict.summary.clone())
        .with("results", serde_json::to_value(&verdict.results)?)
        .with("span_id", span_id)
        .with("judge_usage", serde_json::to_value(judge_usage)?))
}

/// Records a task's verdict: the task succeeds, or the attempt fails with the
/// verdict and the task is retried with its reasons as feedback.
pub fn record_task_verdict(
    tx: &mut Tx<'_>,
    run_id: &str,
    task_id: &str,
    attempt: i32,
    verdict: &domain::Verdict,
    judge_usage: Usage,
    model: &str,
) -> Result<TaskStatus> {
    let run = lock_run(tx, run_id)?;
    let task = load_task(tx, run_id, task_id)?;
    // A failed verdict before this one left its feedback on the task.
    let after_failed_verdict = attempt > 1 && task.feedback_json.is_some();
    let place = (run.workspace_id.as_str(), run_id, task_id);
    if task.status != TaskStatus::Verifying.as_str() || task.attempts != attempt {
        return Err(Error::FailedPrecondition(format!(
            "task {task_id:?} is no longer awaiting the verdict of attempt {attempt}"
        )));
    }
    charge_run(tx, run_id, judge_usage, "verification")?;
    let vj = serde_json::to_string(verdict)?;
    with_conn!(&mut tx.conn, c => diesel::update(attempts::table.find((run_id, task_id, attempt)))
        .set(attempts::verdict_json.eq(Some(&vj)))
        .cached().run(c))?;
    with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((run_id, task_id)))
        .set(tasks::verdict_json.eq(Some(&vj)))
        .cached().run(c))?;
    let message = if verdict.passed {
        format!("attempt {attempt} passed verification")
    } else {
        format!("attempt {attempt} failed verification: {}", verdict.summary)
    };
    let span_id = domain::new_span_id();
    tx.event(
        run_id,
        &run.workspace_id,
        verdict_event(verdict, message, span_id, judge_usage)?.task(task_id).attempt(attempt),
    );
    let decision =
        decide::task_verdict(verdict, attempt, after_failed_verdict, run_spec(&run)?.policy.retry_on_verdict);
    let (error, retry, end_if_final) = match decision {
        decide::TaskVerdict::Passed { end } => {
            let out: Option<String> = with_conn!(&mut tx.conn, c => attempts::table
                .find((run_id, task_id, attempt))
                .select(attempts::output_json)
                .get_result(c))?;
            with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((run_id, task_id)))
                .set((tasks::output_json.eq(out), tasks::error.eq(None::<String>), tasks::feedback_json.eq(None::<String>)))
                .cached().run(c))?;
            set_task_status(tx, &task, TaskStatus::Verifying, TaskStatus::Succeeded, "verification passed")?;
            let agent = task.agent.clone();
            finished(tx, run_id, TaskRow { status: TaskStatus::Succeeded.as_str().to_string(), ..task })?;
            count_verified_end(tx, place, &agent, model, end)?;
            enforce_budget(tx, run_id)?;
            return Ok(TaskStatus::Succeeded);
        }
        decide::TaskVerdict::Failed { error, retry, end_if_final } => (error, retry, end_if_final),
    };
    with_conn!(&mut tx.conn, c => diesel::update(attempts::table.find((run_id, task_id, attempt)))
        .set((attempts::status.eq(AttemptStatus::Failed.as_str()), attempts::error.eq(Some(&error))))
        .cached().run(c))?;
    if retry {
        let feedback = serde_json::to_string(&verdict.feedback())?;
        with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((run_id, task_id)))
            .set(tasks::feedback_json.eq(Some(feedback)))
            .cached().run(c))?;
    }
    let outcome = after_failed_attempt(tx, run_id, task_id, attempt, &error, retry)?;
    if let (true, Some(end)) = (outcome.status.is_terminal(), end_if_final) {
        count_verified_end(tx, place, &task.agent, model, end)?;
    }
    enforce_budget(tx, run_id)?;
    Ok(outcome.status)
}

/// Records the verdict of a run's own criteria: COMPLETED, a single re-run of
/// the sink task with the verdict as feedback (when the run's policy asks for
/// it), or FAILED.
pub fn record_run_verdict(
    tx: &mut Tx<'_>,
    run_id: &str,
    verdict: &domain::Verdict,
    judge_usage: Usage,
) -> Result<RunStatus> {
    let run = lock_run(tx, run_id)?;
    if run.status != RunStatus::Verifying.as_str() {
        return Err(Error::FailedPrecondition(format!("run {run_id} is not awaiting a verdict")));
    }
    let first_verdict = run.verdict_json.is_none();
    charge_run(tx, run_id, judge_usage, "verification")?;
    let vj = serde_json::to_string(verdict)?;
    with_conn!(&mut tx.conn, c => diesel::update(runs::table.find(run_id)).set(runs::verdict_json.eq(Some(&vj))).cached().run(c))?;
    tx.forget_run(run_id);
    let message = if verdict.passed {
        "the run's criteria passed".to_string()
    } else {
        format!("the run's criteria failed: {}", verdict.summary)
    };
    let span_id = domain::new_span_id();
    tx.event(run_id, &run.workspace_id, verdict_event(verdict, message, span_id, judge_usage)?);
    // The plan's final tasks matter only to a failed verdict.
    let plan: Vec<TaskSpec> = match verdict.passed {
        true => Vec::new(),
        false => match plans_of(&mut tx.conn, std::slice::from_ref(&run.id))?.remove(&run.id) {
            Some(p) => serde_json::from_str(&p)?,
            None => Vec::new(),
        },
    };
    let sinks = domain::plan::sinks(&plan);
    let rerun = run_spec(&run)?.policy.rerun_aggregator_on_failed_criteria;
    match decide::run_verdict(verdict, first_verdict, rerun, sinks.len()) {
        decide::RunVerdict::Complete => {
            set_run_status(tx, &run, RunStatus::Verifying, RunStatus::Completed, "the run's criteria passed", |_| {})?;
            Ok(RunStatus::Completed)
        }
        decide::RunVerdict::Fail { reason } => {
            set_failure_reason(tx, run_id, Some(&reason))?;
            set_run_status(tx, &run, RunStatus::Verifying, RunStatus::Failed, &reason, |_| {})?;
            Ok(RunStatus::Failed)
        }
        decide::RunVerdict::RerunSink => rerun_sink(tx, &run, sinks[0], verdict),
    }
}

/// The run's one final task, re-run once with the run's failed verdict as its feedback.
fn rerun_sink(tx: &mut Tx<'_>, run: &RunRow, sink_id: &str, verdict: &domain::Verdict) -> Result<RunStatus> {
    let run_id = run.id.as_str();
    let sink = load_task(tx, run_id, sink_id)?;
    let sink_was = task_status(&sink)?;
    if !domain::transitions::task_may_go(sink_was, TaskStatus::Pending) {
        return Err(Error::Internal(format!("task {} cannot be re-run from {sink_was:?}", sink.task_id)));
    }
    let feedback = serde_json::to_string(&verdict.feedback())?;
    with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((run_id, &sink.task_id)))
        .set((
            tasks::feedback_json.eq(Some(feedback)),
            tasks::attempt_limit.eq(sink.attempts + 1),
            tasks::status.eq(TaskStatus::Pending.as_str()),
        ))
        .cached().run(c))?;
    with_conn!(&mut tx.conn, c => diesel::update(runs::table.find(run_id))
        .set((runs::open_tasks.eq(1), runs::output_json.eq(None::<String>)))
        .cached().run(c))?;
    tx.counters_set(run_id, false, true);
    tx.forget_run(run_id);
    tx.event(
        run_id,
        &run.workspace_id,
        NewEvent::task_status(
            &sink.task_id,
            sink_was,
            TaskStatus::Pending,
            "re-run once with the run's verdict as feedback",
        ),
    );
    set_run_status(
        tx,
        run,
        RunStatus::Verifying,
        RunStatus::Executing,
        "re-running the final task with the verdict as feedback",
        |_| {},
    )?;
    let run = lock_run(tx, run_id)?;
    let sink = load_task(tx, run_id, &sink.task_id)?;
    make_ready(tx, &run, sink)?;
    Ok(RunStatus::Executing)
}
