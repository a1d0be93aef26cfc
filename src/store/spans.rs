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

/// A span to end, opening it first (with no length) if it never was.
pub(super) struct FinishedSpan<'a> {
    pub(super) span_id: &'a str,
    pub(super) parent: Option<&'a str>,
    pub(super) name: &'a str,
    /// Attributes of the span if it is created here.
    pub(super) if_new: serde_json::Map<String, Value>,
    pub(super) status: &'a str,
    pub(super) message: &'a str,
    /// Attributes merged into it either way.
    pub(super) attributes: serde_json::Map<String, Value>,
}

/// [`open_span_in`] then [`close_span`], in one statement.
pub(super) fn finish_span_in(tx: &mut Tx<'_>, owner: SpanOwner<'_>, span: FinishedSpan<'_>) -> Result<()> {
    use diesel::dsl::sql;
    use diesel::sql_types::Text;
    use diesel::upsert::excluded;
    let patch = Value::Object(span.attributes.clone()).to_string();
    let mut all = span.if_new;
    all.extend(span.attributes);
    let row = SpanRow {
        trace_id: owner.trace_id.to_string(),
        span_id: span.span_id.to_string(),
        run_id: owner.run_id.to_string(),
        workspace_id: owner.workspace_id.to_string(),
        parent_span_id: span.parent.map(str::to_string),
        name: span.name.to_string(),
        start_time: tx.now,
        end_time: Some(tx.now),
        status_code: span.status.into(),
        status_message: span.message.into(),
        attributes_json: Value::Object(all).to_string(),
        events_json: "[]".into(),
    };
    let (merge, merged) = attributes_merge(&tx.conn);
    with_conn!(&mut tx.conn, c => diesel::insert_into(spans::table)
        .values(&row)
        .on_conflict((spans::trace_id, spans::span_id))
        .do_update()
        .set((
            spans::end_time.eq(excluded(spans::end_time)),
            spans::status_code.eq(excluded(spans::status_code)),
            spans::status_message.eq(excluded(spans::status_message)),
            spans::attributes_json.eq(sql::<Text>(merge).bind::<Text, _>(patch).sql(merged)),
        ))
        .cached()
        .run(c))?;
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

/// What the trace of a run is made of: its spans, its events, and which span
/// each attempt has.
pub struct TraceParts {
    /// The run.
    pub run: RunRow,
    /// Its spans by start time.
    pub spans: Vec<SpanRow>,
    /// Its events in order.
    pub events: Vec<domain::Event>,
    /// (task id, attempt number, span id).
    pub attempts: Vec<(String, i32, String)>,
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
    let attempts = with_conn!(conn, c => attempts::table
        .filter(attempts::run_id.eq(&run.id))
        .select((attempts::task_id, attempts::number, attempts::span_id))
        .load(c))?;
    Ok(TraceParts { run, spans, events, attempts })
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
