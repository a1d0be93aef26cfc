//! A run's spans and traces: written in the same transactions as the state changes they
//! describe (see ARCHITECTURE.md, Traces), and read back for its trace.

use diesel::prelude::*;
use serde_json::{json, Value};

use super::models::*;
use super::schema::*;
use super::sql::CachedExt;
use super::{with_conn, Conn, Tx};
use crate::domain::{self, Micros, RunStatus, Usage};
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

/// Opens a span (or re-opens it, when a task or run is re-opened).
pub fn open_span(
    tx: &mut Tx<'_>,
    run: &RunRow,
    span_id: &str,
    parent: Option<&str>,
    name: &str,
    attributes: serde_json::Map<String, Value>,
) -> Result<()> {
    let owner = SpanOwner { trace_id: &run.trace_id, run_id: &run.id, workspace_id: &run.workspace_id };
    open_span_in(tx, owner, span_id, parent, name, attributes)
}

/// The run a span belongs to.
#[derive(Debug, Clone, Copy)]
pub(super) struct SpanOwner<'a> {
    pub(super) trace_id: &'a str,
    pub(super) run_id: &'a str,
    pub(super) workspace_id: &'a str,
}

/// [`open_span`] given only what the span row needs of its run.
pub(super) fn open_span_in(
    tx: &mut Tx<'_>,
    owner: SpanOwner<'_>,
    span_id: &str,
    parent: Option<&str>,
    name: &str,
    attributes: serde_json::Map<String, Value>,
) -> Result<()> {
    let row = SpanRow {
        trace_id: owner.trace_id.to_string(),
        span_id: span_id.to_string(),
        run_id: owner.run_id.to_string(),
        workspace_id: owner.workspace_id.to_string(),
        parent_span_id: parent.map(str::to_string),
        name: name.to_string(),
        start_time: tx.now,
        end_time: None,
        status_code: "unset".into(),
        status_message: String::new(),
        attributes_json: Value::Object(attributes).to_string(),
        events_json: "[]".into(),
    };
    // A span that exists already is re-opened, keeping its start and attributes.
    with_conn!(&mut tx.conn, c => diesel::insert_into(spans::table)
        .values(&row)
        .on_conflict((spans::trace_id, spans::span_id))
        .do_update()
        .set((spans::end_time.eq(None::<i64>), spans::status_code.eq("unset")))
        .cached().run(c))?;
    Ok(())
}

/// The SQL before and after a bound JSON object that merges it into a span's
/// stored attributes. They are flat, with scalar values, so SQLite's merge
/// patch and PostgreSQL's `||` agree.
pub(super) fn attributes_merge(conn: &Conn<'_>) -> (&'static str, &'static str) {
    match conn {
        Conn::Sqlite(_) => ("json_patch(spans.attributes_json, ", ")"),
        Conn::Pg(_) => ("(spans.attributes_json::jsonb || ", "::jsonb)::text"),
    }
}

/// Ends a span with a status and more attributes (a no-op for a span never opened).
pub fn close_span(
    tx: &mut Tx<'_>,
    trace_id: &str,
    span_id: &str,
    status: &str,
    message: &str,
    attributes: serde_json::Map<String, Value>,
) -> Result<()> {
    let now = tx.now;
    update_span(tx, trace_id, span_id, Some(now), status, message, attributes)
}

/// Sets a span's status and merges attributes into it; `end` moves its end
/// time (None keeps it). A no-op for a span never opened.
///
/// One statement: the database merges the attributes ([`attributes_merge`]).
pub(super) fn update_span(
    tx: &mut Tx<'_>,
    trace_id: &str,
    span_id: &str,
    end: Option<Micros>,
    status: &str,
    message: &str,
    attributes: serde_json::Map<String, Value>,
) -> Result<()> {
    use diesel::dsl::sql;
    use diesel::sql_types::{BigInt, Nullable, Text};
    let patch = Value::Object(attributes).to_string();
    let (merge, merged) = attributes_merge(&tx.conn);
    with_conn!(&mut tx.conn, c => diesel::update(spans::table.find((trace_id, span_id)))
        .set((
            spans::end_time.eq(sql::<Nullable<BigInt>>("COALESCE(").bind::<Nullable<BigInt>, _>(end).sql(", end_time)")),
            spans::status_code.eq(status),
            spans::status_message.eq(message),
            spans::attributes_json.eq(sql::<Text>(merge).bind::<Text, _>(patch).sql(merged)),
        ))
        .cached()
        .run(c))?;
    Ok(())
}

/// Records a finished span (an LLM call, a verification).
pub fn insert_span(tx: &mut Tx<'_>, row: SpanRow) -> Result<()> {
    with_conn!(&mut tx.conn, c => diesel::insert_into(spans::table).values(&row).cached().run(c))?;
    Ok(())
}

pub(super) fn attrs(pairs: &[(&str, Value)]) -> serde_json::Map<String, Value> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
}

pub(super) fn usage_attrs(
    prompt: i64,
    completion: i64,
    tool_calls: i64,
    cost_micros: i64,
) -> serde_json::Map<String, Value> {
    attrs(&[
        ("gen_ai.usage.input_tokens", json!(prompt)),
        ("gen_ai.usage.output_tokens", json!(completion)),
        ("orchestrator.tool_calls", json!(tool_calls)),
        ("orchestrator.cost_usd", json!(cost_micros as f64 / 1e6)),
    ])
}

/// Finished runs whose traces wait for export.
pub fn runs_to_export(conn: &mut Conn<'_>, limit: i64) -> Result<Vec<RunRow>> {
    Ok(with_conn!(conn, c => runs::table
        .filter(runs::trace_exported.eq(false))
        .filter(runs::status.eq_any([RunStatus::Completed, RunStatus::Failed, RunStatus::Cancelled].map(|s| s.as_str())))
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
    status: String,
    agent_instance: String,
    started_at: i64,
    finished_at: Option<i64>,
    lease_expires_at: i64,
    prompt_tokens: i64,
    completion_tokens: i64,
    tool_calls: i64,
    cost_micros: i64,
    error: Option<String>,
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
    let tasks: Vec<(String, String, String, String)> = with_conn!(conn, c => tasks::table
        .filter(tasks::run_id.eq(&run.id))
        .order(tasks::position.asc())
        .select((tasks::task_id, tasks::agent, tasks::spec_json, tasks::status))
        .load(c))?;
    let tasks = tasks
        .into_iter()
        .map(|(task_id, agent, spec, status)| {
            // A title is all the trace wants of the spec: a spec that does not parse has none.
            let title = serde_json::from_str::<domain::TaskSpec>(&spec).map(|s| s.title).unwrap_or_default();
            let title = if title.is_empty() { task_id.clone() } else { title };
            domain::TracedTask { task_id, agent, title, status }
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

pub(super) fn verify_span(
    run: &RunRow,
    parent: Option<&str>,
    start: i64,
    end: i64,
    verdict: &domain::Verdict,
    usage: Usage,
) -> SpanRow {
    let mut a = usage_attrs(usage.prompt_tokens, usage.completion_tokens, 0, usage.cost_micros);
    a.insert("orchestrator.verify.criteria".into(), json!(verdict.results.len()));
    a.insert("orchestrator.verify.passed".into(), json!(verdict.passed));
    a.insert("orchestrator.verify.score".into(), json!(verdict.score));
    a.insert("orchestrator.verify.summary".into(), json!(domain::plan::truncate(&verdict.summary, 1000)));
    SpanRow {
        trace_id: run.trace_id.clone(),
        span_id: domain::new_span_id(),
        run_id: run.id.clone(),
        workspace_id: run.workspace_id.clone(),
        parent_span_id: Some(parent.unwrap_or(&run.root_span_id).to_string()),
        name: "verify".into(),
        start_time: start.min(end),
        end_time: Some(end),
        status_code: if verdict.passed { "ok" } else { "error" }.into(),
        status_message: verdict.summary.clone(),
        attributes_json: Value::Object(a).to_string(),
        events_json: "[]".into(),
    }
}
