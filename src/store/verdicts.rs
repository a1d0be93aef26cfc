//! Verification as a step of a run's lifecycle: what awaits a verdict, and
//! a task's or a run's verdict recorded (decided by `domain::decide`).

use diesel::prelude::*;

use super::models::*;
use super::outcomes::count_verified_end;
use super::schema::*;
use super::sql::{CachedExt, LimitN};
use super::{budgets::*, dispatch::*, progress::*, runs::*, shared::*, tasks::*};
use super::{with_conn, Conn, Tx};
use crate::domain::{self, decide, AttemptStatus, EventKind, Micros, NewEvent, RunStatus, TaskSpec, TaskStatus, Usage};
use crate::error::{Error, Result};

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
        .filter(runs::status.eq(RunStatus::Verifying))
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
    if task.status != TaskStatus::Verifying || task.attempts != attempt {
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
            finished(tx, run_id, TaskRow { status: TaskStatus::Succeeded, ..task })?;
            count_verified_end(tx, place, &agent, model, end)?;
            enforce_budget(tx, run_id)?;
            return Ok(TaskStatus::Succeeded);
        }
        decide::TaskVerdict::Failed { error, retry, end_if_final } => (error, retry, end_if_final),
    };
    with_conn!(&mut tx.conn, c => diesel::update(attempts::table.find((run_id, task_id, attempt)))
        .set((attempts::status.eq(AttemptStatus::Failed), attempts::error.eq(Some(&error))))
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
    if run.status != RunStatus::Verifying {
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
    let sink_was = sink.status;
    if !domain::transitions::task_may_go(sink_was, TaskStatus::Pending) {
        return Err(Error::Internal(format!("task {} cannot be re-run from {sink_was:?}", sink.task_id)));
    }
    let feedback = serde_json::to_string(&verdict.feedback())?;
    with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((run_id, &sink.task_id)))
        .set((
            tasks::feedback_json.eq(Some(feedback)),
            tasks::attempt_limit.eq(sink.attempts + 1),
            tasks::status.eq(TaskStatus::Pending),
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
