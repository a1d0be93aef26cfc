//! A run's trace, assembled from the store: the span rows its transactions
//! wrote, with span events taken from its event log (every state transition,
//! usage charge and verdict lands on the span it concerns). Nothing here lives
//! only in memory, so a run that outlives its server keeps one trace.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::Engine;
use crate::domain::Event;
use crate::domain::{self, Micros};
use crate::error::Result;
use crate::llm::{CallOptions, ChatResponse, LlmClient, LlmError, Message};
use crate::store::{self, SpanRow, TraceParts};

/// An event on a span.
#[derive(Debug, Clone)]
pub struct TraceEvent {
    /// The event type (`task.status_changed`, `usage.charged`, …).
    pub name: String,
    /// When it was committed.
    pub time: Micros,
    /// Its message, statuses and details.
    pub attributes: Map<String, Value>,
}

/// A span with its events.
#[derive(Debug, Clone)]
pub struct TraceSpan {
    /// The stored span.
    pub row: SpanRow,
    /// Its events, in order.
    pub events: Vec<TraceEvent>,
}

/// Where a span of this process's own making (an LLM call) hangs in a run's trace.
#[derive(Debug, Clone)]
pub struct SpanParent {
    /// The run.
    pub run_id: String,
    /// Its workspace.
    pub workspace: String,
    /// The run's trace.
    pub trace_id: String,
    /// The parent span.
    pub span_id: String,
}

impl SpanParent {
    /// The parent named by a W3C traceparent ("00-trace-span-flags").
    pub fn from_traceparent(run_id: &str, workspace: &str, traceparent: &str) -> Option<SpanParent> {
        let mut parts = traceparent.split('-');
        let (_, trace, span) = (parts.next()?, parts.next()?, parts.next()?);
        Some(SpanParent {
            run_id: run_id.into(),
            workspace: workspace.into(),
            trace_id: trace.into(),
            span_id: span.into(),
        })
    }
}

fn event_attributes(e: &Event) -> Map<String, Value> {
    let mut a = Map::new();
    a.insert("message".into(), Value::String(e.message.clone()));
    if let Some(f) = &e.from_status {
        a.insert("from_status".into(), Value::String(f.clone()));
    }
    if let Some(t) = &e.to_status {
        a.insert("to_status".into(), Value::String(t.clone()));
    }
    if let Ok(Value::Object(data)) = serde_json::from_str::<Value>(&e.data_json) {
        for (k, v) in data {
            a.insert(k, v);
        }
    }
    a
}

/// Puts every event of the log on the span it concerns.
pub fn assemble(parts: TraceParts) -> Vec<TraceSpan> {
    let attempt_span: HashMap<(String, i32), String> =
        parts.attempts.into_iter().map(|(task, n, span)| ((task, n), span)).collect();
    let mut by_span: HashMap<String, Vec<TraceEvent>> = HashMap::new();
    for e in &parts.events {
        let span = match (&e.task_id, e.attempt) {
            (Some(task), Some(n)) => {
                attempt_span.get(&(task.clone(), n)).cloned().unwrap_or_else(|| store::task_span_id(&e.run_id, task))
            }
            (Some(task), None) => store::task_span_id(&e.run_id, task),
            (None, _) => parts.run.root_span_id.clone(),
        };
        by_span.entry(span).or_default().push(TraceEvent {
            name: e.kind.clone(),
            time: e.created_at,
            attributes: event_attributes(e),
        });
    }
    parts
        .spans
        .into_iter()
        .map(|row| TraceSpan { events: by_span.remove(&row.span_id).unwrap_or_default(), row })
        .collect()
}

impl Engine {
    /// A run's trace id and spans (by start time).
    pub async fn run_trace(&self, ws: &str, run_id: &str) -> Result<(String, Vec<TraceSpan>)> {
        let (ws, id) = (ws.to_string(), run_id.to_string());
        let parts = self
            .store
            .read(move |c| {
                let run = store::get_run(c, &ws, &id)?;
                store::trace_parts(c, run)
            })
            .await?;
        let trace_id = parts.run.trace_id.clone();
        Ok((trace_id, assemble(parts)))
    }

    /// One chat call, recorded as an `llm.chat` span (OpenTelemetry GenAI
    /// conventions) under `parent` when given.
    pub async fn traced_chat(
        &self,
        model: &LlmClient,
        messages: &[Message],
        schema: Option<&Value>,
        options: CallOptions,
        parent: Option<&SpanParent>,
    ) -> std::result::Result<ChatResponse, LlmError> {
        let start = domain::now_micros();
        let answer = model.chat_with(messages, schema, options).await;
        let Some(p) = parent else { return answer };
        let cfg = model.config();
        let mut a = Map::new();
        a.insert("gen_ai.operation.name".into(), "chat".into());
        a.insert("gen_ai.system".into(), "openai".into());
        a.insert("gen_ai.request.model".into(), cfg.model.clone().into());
        a.insert("server.address".into(), cfg.base_url.clone().into());
        let (status, message) = match &answer {
            Ok(r) => {
                a.insert("gen_ai.response.model".into(), r.model.clone().into());
                a.insert("gen_ai.usage.input_tokens".into(), r.usage.prompt_tokens.into());
                a.insert("gen_ai.usage.output_tokens".into(), r.usage.completion_tokens.into());
                a.insert("gen_ai.response.finish_reasons".into(), Value::Array(vec![r.finish_reason.clone().into()]));
                if r.usage_estimated {
                    a.insert("orchestrator.usage.estimated".into(), true.into());
                }
                ("ok", String::new())
            }
            Err(e) => ("error", e.to_string()),
        };
        let row = SpanRow {
            trace_id: p.trace_id.clone(),
            span_id: domain::new_span_id(),
            run_id: p.run_id.clone(),
            workspace_id: p.workspace.clone(),
            parent_span_id: Some(p.span_id.clone()),
            name: "llm.chat".into(),
            start_time: start,
            end_time: Some(domain::now_micros()),
            status_code: status.into(),
            status_message: message,
            attributes_json: Value::Object(a).to_string(),
            events_json: "[]".into(),
        };
        if let Err(e) = self.store.write(move |tx| store::insert_span(tx, row)).await {
            tracing::warn!(error = %e, "llm.chat span not recorded");
        }
        answer
    }
}

/// A `tracing` span for the logs of one attempt: they carry the run's trace
/// id and the attempt's span id, so a log line leads to its place in the trace.
pub fn attempt_log_span(a: &super::agents::Assignment) -> tracing::Span {
    let tp = a.trace_context.get("traceparent").map(String::as_str).unwrap_or("");
    let mut parts = tp.split('-').skip(1);
    let (trace_id, span_id) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    tracing::info_span!("attempt", run_id = %a.run_id, task_id = %a.task_id, attempt = a.attempt, trace_id, span_id)
}
