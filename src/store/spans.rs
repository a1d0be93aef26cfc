//! A run's spans and traces: what a trace is assembled from (see
//! ARCHITECTURE.md, Traces; span rows are only those of runs recorded before
//! v2), the derived span ids, the LLM calls' events and the exporter's
//! bookkeeping.

use diesel::prelude::*;

use super::models::*;
use super::schema::*;
use super::{with_conn, Conn, Tx};
use crate::domain::{self, AttemptStatus, RunStatus, TaskStatus};
use crate::error::Result;

/// A span id derived from its parts, so that a span can be found (and
/// continued after a restart) without storing its id: the plan and task spans.
pub fn derived_span_id(parts: &[&str]) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(parts.join("\u{1f}").as_bytes());
    hex::encode(&digest[..8])
}

/// The span of a run's plan.
pub fn plan_span_id(run_id: &str) -> String {
    derived_span_id(&["plan", run_id])
}

/// The span of a task.
pub fn task_span_id(run_id: &str, task_id: &str) -> String {
    derived_span_id(&["task", run_id, task_id])
}

/// The span of an attempt's turn `turn` (the second and later: the first
/// turn's work is under the attempt's own span until it asks for another).
pub fn turn_span_id(attempt_span_id: &str, turn: i32) -> String {
    derived_span_id(&["turn", attempt_span_id, &turn.to_string()])
}

/// Records a call to a model as its run's event (the call's span, see
/// `engine::trace`), in a transaction of its own: the call took seconds and
/// holds nothing of the run's.
pub fn record_llm_call(tx: &mut Tx<'_>, run_id: &str, workspace: &str, event: domain::NewEvent) -> Result<()> {
    tx.event(run_id, workspace, event);
    Ok(())
}

/// Finished runs whose traces wait for export.
pub fn runs_to_export(conn: &mut Conn<'_>, limit: i64) -> Result<Vec<RunRow>> {
    Ok(with_conn!(conn, c => runs::table
        .filter(runs::trace_exported.eq(false))
        .filter(runs::status.eq_any([RunStatus::Completed, RunStatus::Failed, RunStatus::Cancelled]))
        .order(runs::finished_at.asc())
        .limit(limit)
        .select(RunRow::as_select())
        .load(c))?)
}

/// Marks runs' traces as exported.
pub fn mark_exported(tx: &mut Tx<'_>, run_ids: &[String]) -> Result<()> {
    with_conn!(&mut tx.conn, c => diesel::update(runs::table.filter(runs::id.eq_any(run_ids)))
        .set(runs::trace_exported.eq(true))
        .execute(c))?;
    for id in run_ids {
        tx.forget_run(id);
    }
    Ok(())
}

/// What the trace of a run is made of: its stored spans, its events, its
/// tasks and its attempts (task and attempt spans are assembled from these).
pub struct TraceParts {
    /// The run.
    pub run: RunRow,
    /// Its stored spans by start time: the run, its plan, verifications,
    /// LLM calls and tools (and, for runs from before v2, tasks and attempts).
    pub spans: Vec<SpanRow>,
    /// Its events in order.
    pub events: Vec<domain::Event>,
    /// Its tasks, in plan order.
    pub tasks: Vec<domain::TracedTask>,
    /// Its attempts, by task and number.
    pub attempts: Vec<domain::TracedAttempt>,
}

/// An attempt's columns a trace reads (no output).
#[derive(Queryable, Selectable)]
#[diesel(table_name = attempts)]
struct TracedAttemptRow {
    task_id: String,
    span_id: String,
    number: i32,
    status: AttemptStatus,
    agent_instance: String,
    started_at: i64,
    finished_at: Option<i64>,
    lease_expires_at: i64,
    prompt_tokens: i64,
    completion_tokens: i64,
    tool_calls: i64,
    cost_micros: i64,
    error: Option<String>,
    turn: i32,
    model: String,
}

impl From<TracedAttemptRow> for domain::TracedAttempt {
    fn from(r: TracedAttemptRow) -> Self {
        domain::TracedAttempt {
            task_id: r.task_id,
            span_id: r.span_id,
            attempt: domain::Attempt {
                number: r.number,
                status: r.status,
                agent_instance: r.agent_instance,
                started_at: r.started_at,
                finished_at: r.finished_at,
                lease_expires_at: r.lease_expires_at,
                prompt_tokens: r.prompt_tokens,
                completion_tokens: r.completion_tokens,
                tool_calls: r.tool_calls,
                cost_micros: r.cost_micros,
                output_json: None,
                error: r.error,
                verdict_json: None,
                feedback_json: None,
                turn: r.turn,
                checkpoint_json: None,
                model: r.model,
            },
        }
    }
}

/// Reads everything a run's trace is assembled from.
pub fn trace_parts(conn: &mut Conn<'_>, run: RunRow) -> Result<TraceParts> {
    let spans = with_conn!(conn, c => spans::table
        .filter(spans::run_id.eq(&run.id))
        .order(spans::start_time.asc())
        .select(SpanRow::as_select())
        .load(c))?;
    let events = with_conn!(conn, c => events::table
        .filter(events::run_id.eq(&run.id))
        .order(events::seq.asc())
        .select(EventRow::as_select())
        .load::<EventRow>(c))?
    .into_iter()
    .map(domain::Event::from)
    .collect();
    let tasks: Vec<(String, String, String, TaskStatus, Option<String>)> = with_conn!(conn, c => tasks::table
        .filter(tasks::run_id.eq(&run.id))
        .order(tasks::position.asc())
        .select((tasks::task_id, tasks::agent, tasks::spec_json, tasks::status, tasks::spawned_by))
        .load(c))?;
    let tasks = tasks
        .into_iter()
        .map(|(task_id, agent, spec, status, spawned_by)| {
            // A title is all the trace wants of the spec: a spec that does not parse has none.
            let title = serde_json::from_str::<domain::TaskSpec>(&spec).map(|s| s.title).unwrap_or_default();
            let title = if title.is_empty() { task_id.clone() } else { title };
            domain::TracedTask { task_id, agent, title, status, spawned_by }
        })
        .collect();
    let attempts = with_conn!(conn, c => attempts::table
        .filter(attempts::run_id.eq(&run.id))
        .order((attempts::task_id.asc(), attempts::number.asc()))
        .select(TracedAttemptRow::as_select())
        .load::<TracedAttemptRow>(c))?
    .into_iter()
    .map(domain::TracedAttempt::from)
    .collect();
    Ok(TraceParts { run, spans, events, tasks, attempts })
}
