//! A run's trace, assembled from the store when it is read. Every span is
//! made here from the run's row, its events, its tasks and the attempt rows
//! (nothing writes a span row; an LLM call is an `llm.chat` event); span
//! rows are read only for runs recorded before v2. Span events come from the
//! event log (every state transition, usage charge and verdict lands on the
//! span it concerns). Span ids do not depend
//! on who assembles: a task's is derived from its run and id, an attempt's
//! was chosen at its claim and stored with it. Nothing here lives only in
//! memory, so a run that outlives its server keeps one trace.

use std::collections::HashMap;

use serde_json::{Map, Value};

mod turns;

use super::Engine;
use crate::domain::{self, Event, EventKind, Micros, TaskStatus};
use crate::error::Result;
use crate::llm::{CallOptions, ChatResponse, LlmClient, LlmError, Message};
use crate::store::{self, SpanRow, TraceParts};

/// The most child runs a run's trace includes.
pub const MAX_TRACED_CHILDREN: usize = 100;

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
    /// The span, as stored or assembled.
    pub span: domain::SpanRecord,
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

/// A run's spans with their events: the stored ones, and the task and
/// attempt spans assembled from the tasks, attempts and events, by start time.
/// A run recorded before v2 has task and attempt span rows too, and they may
/// have stayed open (a run in flight at the upgrade: nothing closes them
/// now): the assembled span of the same id takes its place, keeping the
/// stored one's earlier start and the attributes it set that the assembled
/// one does not.
pub fn assemble(mut parts: TraceParts) -> Vec<TraceSpan> {
    let mut spans = derived_spans(&parts);
    let stored = std::mem::take(&mut parts.spans);
    let index: HashMap<&str, usize> = stored.iter().enumerate().map(|(i, s)| (s.span_id.as_str(), i)).collect();
    let mut replaced = vec![false; stored.len()];
    for s in spans.iter_mut() {
        if let Some(&i) = index.get(s.span_id.as_str()) {
            replaced[i] = true;
            let old = &stored[i];
            s.start_time = s.start_time.min(old.start_time);
            if let (Ok(Value::Object(mut a)), Ok(Value::Object(b))) =
                (serde_json::from_str::<Value>(&old.attributes_json), serde_json::from_str::<Value>(&s.attributes_json))
            {
                a.extend(b);
                s.attributes_json = Value::Object(a).to_string();
            }
        }
    }
    // The stored spans in their stored order, so that ties in start time keep it.
    spans.extend(stored.into_iter().zip(replaced).filter(|(_, r)| !r).map(|(s, _)| s));
    spans.sort_by_key(|s| s.start_time);
    let attempt_span: HashMap<(&str, i32), &str> =
        parts.attempts.iter().map(|a| ((a.task_id.as_str(), a.attempt.number), a.span_id.as_str())).collect();
    let mut by_span: HashMap<String, Vec<TraceEvent>> = HashMap::new();
    // A call to a model is a span of its own, not an event of one.
    for e in parts.events.iter().filter(|e| e.kind != EventKind::LlmChat.as_str()) {
        let span = match (&e.task_id, e.attempt) {
            (Some(task), Some(n)) => attempt_span
                .get(&(task.as_str(), n))
                .map(|s| s.to_string())
                .unwrap_or_else(|| store::task_span_id(&e.run_id, task)),
            (Some(task), None) => store::task_span_id(&e.run_id, task),
            (None, _) => parts.run.root_span_id.clone(),
        };
        let event = TraceEvent { name: e.kind.clone(), time: e.created_at, attributes: event_attributes(e) };
        // A claim's and a completion's one event moves the task too: the task's
        // span lists it among its transitions, as the attempt's lists it.
        if let (Some(task), Some(_), Some(_)) = (&e.task_id, e.attempt, &e.to_status) {
            let task_span = store::task_span_id(&e.run_id, task);
            if task_span != span {
                by_span.entry(task_span).or_default().push(event.clone());
            }
        }
        by_span.entry(span).or_default().push(event);
    }
    spans
        .into_iter()
        .map(|row| TraceSpan { events: by_span.remove(&row.span_id).unwrap_or_default(), span: row.into() })
        .collect()
}

/// A span of the run assembled here.
fn span(parts: &TraceParts, span_id: String, parent: String, name: &str, start: Micros) -> SpanRow {
    SpanRow {
        trace_id: parts.run.trace_id.clone(),
        span_id,
        run_id: parts.run.id.clone(),
        workspace_id: parts.run.workspace_id.clone(),
        parent_span_id: Some(parent),
        name: name.into(),
        start_time: start,
        end_time: None,
        status_code: "unset".into(),
        status_message: String::new(),
        attributes_json: String::new(),
        events_json: "[]".into(),
    }
}

/// Every span assembled here: the run's, its plan's, a verification's per
/// verdict, an LLM call's per call, each task's and attempt's, and the
/// turns of an attempt that took several.
fn derived_spans(parts: &TraceParts) -> Vec<SpanRow> {
    let mut out = vec![run_span(parts)];
    out.extend(plan_span(parts));
    out.extend(verify_spans(parts));
    out.extend(chat_spans(parts));
    out.extend(task_and_attempt_spans(parts));
    out.extend(turns::turn_spans(parts));
    out
}

/// An event's data object (empty when it has none).
fn data(e: &Event) -> Map<String, Value> {
    match serde_json::from_str(&e.data_json) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    }
}

/// Usage as span attributes (OpenTelemetry GenAI names where there are some).
fn add_usage(a: &mut Map<String, Value>, u: &domain::Usage) {
    a.insert("gen_ai.usage.input_tokens".into(), u.prompt_tokens.into());
    a.insert("gen_ai.usage.output_tokens".into(), u.completion_tokens.into());
    a.insert("orchestrator.tool_calls".into(), u.tool_calls.into());
    a.insert("orchestrator.cost_usd".into(), (u.cost_micros as f64 / 1e6).into());
}

fn usage_in(v: Option<&Value>) -> domain::Usage {
    v.and_then(|v| serde_json::from_value(v.clone()).ok()).unwrap_or_default()
}

/// The run's span: from its creation to its end (open again while a
/// re-opened run goes on), with its usage and status once it ended; a failed
/// run's span is an error with the reason it failed.
fn run_span(parts: &TraceParts) -> SpanRow {
    let r = &parts.run;
    let mut s = span(parts, r.root_span_id.clone(), String::new(), "run", r.created_at);
    s.parent_span_id = r.parent_span_id.clone();
    let mut a = Map::new();
    a.insert("orchestrator.run.id".into(), r.id.clone().into());
    a.insert("orchestrator.run.goal".into(), domain::plan::truncate(&r.goal, 256).into());
    a.insert("orchestrator.workspace".into(), r.workspace_id.clone().into());
    a.insert("orchestrator.run.max_parallel".into(), r.max_parallel.into());
    let status = Some(r.status);
    if let Some(st) = status.filter(|st| st.is_terminal()) {
        s.end_time = Some(r.finished_at.unwrap_or(r.updated_at).max(s.start_time));
        if st == domain::RunStatus::Failed {
            s.status_code = "error".into();
            // The reason it failed, as its move to FAILED said it.
            let failed = parts.events.iter().rev().find(|e| {
                e.kind == EventKind::RunStatusChanged.as_str() && e.to_status.as_deref() == Some(st.as_str())
            });
            s.status_message =
                failed.map(|e| e.message.clone()).or_else(|| r.failure_reason.clone()).unwrap_or_default();
        } else {
            s.status_code = "ok".into();
        }
        add_usage(&mut a, &r.usage());
        a.insert("orchestrator.run.status".into(), r.status.as_str().into());
    }
    s.attributes_json = Value::Object(a).to_string();
    s
}

/// The plan's span. A client's plan is done as the run is created (a span of
/// no length). A planner's runs from the run's creation to the plan's
/// installation, with the planner's usage (the sum of the run's charges for
/// planning) and calls, or to the run's end, as an error, when no plan came.
fn plan_span(parts: &TraceParts) -> Option<SpanRow> {
    let r = &parts.run;
    let created = parts.events.iter().find(|e| e.kind == EventKind::RunCreated.as_str())?;
    let mut s = span(parts, store::plan_span_id(&r.id), r.root_span_id.clone(), "plan", r.created_at);
    let mut a = Map::new();
    let client_tasks = data(created).get("tasks").and_then(Value::as_u64).unwrap_or(0);
    if client_tasks > 0 {
        a.insert("orchestrator.plan.source".into(), "client".into());
        a.insert("orchestrator.plan.tasks".into(), client_tasks.into());
        s.end_time = Some(s.start_time);
        s.status_code = "ok".into();
        s.attributes_json = Value::Object(a).to_string();
        return Some(s);
    }
    a.insert("orchestrator.plan.source".into(), "planner".into());
    let mut usage = domain::Usage::default();
    let mut installed = None;
    // Only charges and audits are read: every other event's data is parsed
    // once, for its span event.
    for e in &parts.events {
        if e.kind == EventKind::UsageCharged.as_str() {
            let d = data(e);
            if d.get("for").and_then(Value::as_str) == Some("planning") {
                usage = usage.plus(&usage_in(d.get("delta")));
            }
        } else if e.kind == EventKind::Audit.as_str() {
            let d = data(e);
            if d.contains_key("planner_calls") {
                installed = Some((e.created_at, d));
            }
        }
    }
    let usage = domain::Usage { tool_calls: 0, ..usage };
    if let Some((at, d)) = installed {
        s.end_time = Some(at.max(s.start_time));
        s.status_code = "ok".into();
        add_usage(&mut a, &usage);
        for (k, attr) in [("tasks", "orchestrator.plan.tasks"), ("planner_calls", "orchestrator.planner.calls")] {
            a.insert(attr.into(), d.get(k).cloned().unwrap_or(Value::Null));
        }
    } else if r.status.is_terminal() {
        s.end_time = Some(r.finished_at.unwrap_or(r.updated_at).max(s.start_time));
        s.status_code = "error".into();
        s.status_message = r.failure_reason.clone().unwrap_or_default();
        add_usage(&mut a, &usage);
    }
    s.attributes_json = Value::Object(a).to_string();
    Some(s)
}

/// A span per verdict: a task's under the attempt it judged, from the
/// attempt's end, a run's under the run, from its move to VERIFYING; each
/// ends when its verdict was recorded, with the judge's usage. The span's id
/// is in the verdict's event (a verdict recorded before v2 has its span as a
/// row instead, and no id here).
fn verify_spans(parts: &TraceParts) -> Vec<SpanRow> {
    let attempts: HashMap<(&str, i32), &domain::TracedAttempt> =
        parts.attempts.iter().map(|a| ((a.task_id.as_str(), a.attempt.number), a)).collect();
    let mut verifying_since = parts.run.created_at;
    let mut out = Vec::new();
    for e in &parts.events {
        if e.kind == EventKind::RunStatusChanged.as_str()
            && e.to_status.as_deref() == Some(domain::RunStatus::Verifying.as_str())
        {
            verifying_since = e.created_at;
        }
        if e.kind != EventKind::VerdictRecorded.as_str() {
            continue;
        }
        let d = data(e);
        let Some(span_id) = d.get("span_id").and_then(Value::as_str) else { continue };
        let judged = match (&e.task_id, e.attempt) {
            (Some(task), Some(n)) => attempts.get(&(task.as_str(), n)).copied(),
            _ => None,
        };
        let (parent, start) = match judged {
            Some(at) => (at.span_id.clone(), at.attempt.finished_at.unwrap_or(e.created_at)),
            None => (parts.run.root_span_id.clone(), verifying_since),
        };
        let mut s = span(parts, span_id.to_string(), parent, "verify", start.min(e.created_at));
        s.end_time = Some(e.created_at);
        let passed = d.get("passed").and_then(Value::as_bool).unwrap_or(false);
        let summary = d.get("summary").and_then(Value::as_str).unwrap_or_default();
        s.status_code = if passed { "ok" } else { "error" }.into();
        s.status_message = summary.to_string();
        let mut a = Map::new();
        add_usage(&mut a, &domain::Usage { tool_calls: 0, ..usage_in(d.get("judge_usage")) });
        let criteria = d.get("results").and_then(Value::as_array).map_or(0, Vec::len);
        a.insert("orchestrator.verify.criteria".into(), criteria.into());
        a.insert("orchestrator.verify.passed".into(), passed.into());
        a.insert("orchestrator.verify.score".into(), d.get("score").cloned().unwrap_or(Value::Null));
        a.insert("orchestrator.verify.summary".into(), domain::plan::truncate(summary, 1000).into());
        s.attributes_json = Value::Object(a).to_string();
        out.push(s);
    }
    out
}

/// A span per call to a model, from its `llm.chat` event: under the span it
/// was made for (the plan, an attempt), with its own times, status and
/// GenAI attributes.
fn chat_spans(parts: &TraceParts) -> Vec<SpanRow> {
    let mut out = Vec::new();
    for e in parts.events.iter().filter(|e| e.kind == EventKind::LlmChat.as_str()) {
        let d = data(e);
        let text = |k: &str| d.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
        let time = |k: &str| d.get(k).and_then(Value::as_i64).unwrap_or(e.created_at);
        let span_id = text("span_id");
        if span_id.is_empty() {
            continue;
        }
        let start = time("start_time");
        let mut s = span(parts, span_id, text("parent_span_id"), "llm.chat", start);
        s.end_time = Some(time("end_time").max(start));
        s.status_code = text("status_code");
        s.status_message = text("status_message");
        s.attributes_json = d.get("attributes").filter(|a| a.is_object()).map_or("{}".into(), Value::to_string);
        out.push(s);
    }
    out
}

/// The task and attempt spans. A task's span starts when it first became
/// ready (or waiting for approval) and ends at its last move to a terminal
/// status, if that is its status now (a re-opened task's span is open again);
/// a task that ended without ever being ready gets a span of no length, and
/// a task still pending none. An attempt's span is its row: claimed to
/// ended, with its usage, and for a retry the reason and the backoff.
fn task_and_attempt_spans(parts: &TraceParts) -> Vec<SpanRow> {
    let mut changes: HashMap<&str, Vec<&Event>> = HashMap::new();
    let mut backoffs: HashMap<&str, Vec<(Micros, i64)>> = HashMap::new();
    for e in &parts.events {
        // Every event that moves a task (see `NewEvent::moving_task`), whatever its kind.
        let (Some(task), true) = (&e.task_id, e.to_status.is_some()) else { continue };
        changes.entry(task).or_default().push(e);
        if e.to_status.as_deref() == Some(TaskStatus::RetryScheduled.as_str()) {
            let data: Value = serde_json::from_str(&e.data_json).unwrap_or(Value::Null);
            if let Some(ms) = data.get("backoff_ms").and_then(Value::as_i64) {
                backoffs.entry(task).or_default().push((e.created_at, ms));
            }
        }
    }
    // Each task's first claim (attempts come by task and number).
    let mut first_claim: HashMap<&str, Micros> = HashMap::new();
    for a in &parts.attempts {
        first_claim.entry(a.task_id.as_str()).or_insert(a.attempt.started_at);
    }
    let is = |e: &&&Event, pred: fn(TaskStatus) -> bool| {
        e.to_status.as_deref().and_then(TaskStatus::parse).is_some_and(pred)
    };
    let mut out = Vec::new();
    let mut agents: HashMap<&str, &str> = HashMap::new();
    for t in &parts.tasks {
        agents.insert(&t.task_id, &t.agent);
        let mine = changes.get(t.task_id.as_str()).map(Vec::as_slice).unwrap_or_default();
        let opened = mine
            .iter()
            .find(|e| is(e, |s| matches!(s, TaskStatus::Ready | TaskStatus::WaitingApproval)))
            .map(|e| e.created_at);
        let now = Some(t.status);
        let ended = mine
            .iter()
            .rev()
            .find(|e| is(e, TaskStatus::is_terminal))
            .filter(|_| now.is_some_and(TaskStatus::is_terminal));
        // An attempt's start is its claim's time and the Ready event's its
        // commit's: a task claimed in the transaction that readied it would
        // otherwise start after its attempt.
        let opened = match (opened, first_claim.get(t.task_id.as_str()).copied()) {
            (Some(o), Some(a)) => Some(o.min(a)),
            (o, a) => o.or(a),
        };
        let Some(start) = opened.or(ended.map(|e| e.created_at)) else { continue };
        // A spawned task's span hangs under the task that added it.
        let parent = match &t.spawned_by {
            Some(by) => store::task_span_id(&parts.run.id, by),
            None => parts.run.root_span_id.clone(),
        };
        let mut s = span(parts, store::task_span_id(&parts.run.id, &t.task_id), parent, "task", start);
        let mut a = Map::new();
        a.insert("orchestrator.task.id".into(), t.task_id.clone().into());
        a.insert("orchestrator.task.title".into(), domain::plan::truncate(&t.title, 256).into());
        a.insert("orchestrator.agent.name".into(), t.agent.clone().into());
        if let Some(by) = &t.spawned_by {
            a.insert("orchestrator.task.spawned_by".into(), by.clone().into());
        }
        if let Some(e) = ended {
            s.end_time = Some(e.created_at.max(start));
            let failed = now == Some(TaskStatus::Failed);
            s.status_code = if failed { "error" } else { "ok" }.into();
            s.status_message = if failed { e.message.clone() } else { String::new() };
            a.insert("orchestrator.task.status".into(), t.status.as_str().into());
        }
        s.attributes_json = Value::Object(a).to_string();
        out.push(s);
    }
    let mut previous: Option<&domain::TracedAttempt> = None;
    for at in &parts.attempts {
        let (n, task) = (&at.attempt, at.task_id.as_str());
        let parent = store::task_span_id(&parts.run.id, task);
        let mut s = span(parts, at.span_id.clone(), parent, "attempt", n.started_at);
        let mut a = Map::new();
        a.insert("orchestrator.attempt.number".into(), n.number.into());
        a.insert("orchestrator.agent.name".into(), agents.get(task).copied().unwrap_or_default().into());
        a.insert("orchestrator.agent.instance".into(), n.agent_instance.clone().into());
        a.insert("orchestrator.task.id".into(), task.into());
        if !n.model.is_empty() {
            // The model an `llm` agent's attempt ran on (a cascade's climbs per attempt).
            a.insert("gen_ai.request.model".into(), n.model.clone().into());
        }
        if let Some(prev) = previous.filter(|p| p.task_id == at.task_id && p.attempt.number == n.number - 1) {
            a.insert("orchestrator.retry.reason".into(), prev.attempt.error.clone().unwrap_or_default().into());
            // The backoff chosen when the attempt before failed.
            let after = prev.attempt.finished_at.unwrap_or(prev.attempt.started_at);
            let chosen = backoffs.get(task).and_then(|b| b.iter().find(|(at, _)| *at >= after && *at <= n.started_at));
            if let Some((_, ms)) = chosen {
                a.insert("orchestrator.retry.backoff_ms".into(), (*ms).into());
            }
        }
        if let Some(end) = n.finished_at {
            s.end_time = Some(end.max(n.started_at));
            let ok = n.status == domain::AttemptStatus::Succeeded;
            s.status_code = if ok { "ok" } else { "error" }.into();
            s.status_message = if ok { String::new() } else { n.error.clone().unwrap_or_default() };
            let usage = domain::Usage {
                prompt_tokens: n.prompt_tokens,
                completion_tokens: n.completion_tokens,
                tool_calls: n.tool_calls,
                cost_micros: n.cost_micros,
            };
            add_usage(&mut a, &usage);
            a.insert("orchestrator.attempt.status".into(), n.status.as_str().into());
        }
        s.attributes_json = Value::Object(a).to_string();
        out.push(s);
        previous = Some(at);
    }
    out
}

impl Engine {
    /// A run's trace id and spans (by start time).
    /// The trace of a run with child runs holds theirs too (their run spans
    /// hang under the attempts that started them): one trace for the tree,
    /// of at most [`MAX_TRACED_CHILDREN`] child runs, breadth first.
    pub async fn run_trace(&self, ws: &str, run_id: &str) -> Result<(String, Vec<TraceSpan>)> {
        let (ws, id) = (ws.to_string(), run_id.to_string());
        let max_depth = self.config.limits.run.plan.max_run_depth as usize;
        let all = self
            .store
            .read(move |c| {
                let run = store::get_run(c, &ws, &id)?;
                let mut parts = vec![store::trace_parts(c, run)?];
                let mut level = vec![id.clone()];
                for _ in 0..max_depth {
                    let mut next = Vec::new();
                    for parent in &level {
                        let room = MAX_TRACED_CHILDREN.saturating_sub(parts.len() - 1);
                        for child in store::children_of(c, parent, room as i64)? {
                            match store::get_run(c, &ws, &child.child_run_id) {
                                Ok(run) => parts.push(store::trace_parts(c, run)?),
                                // Pruned before its parent.
                                Err(crate::error::Error::NotFound(_)) => continue,
                                Err(e) => return Err(e),
                            }
                            next.push(child.child_run_id);
                        }
                    }
                    level = next;
                }
                Ok(parts)
            })
            .await?;
        let trace_id = all[0].run.trace_id.clone();
        let mut spans: Vec<TraceSpan> = all.into_iter().flat_map(assemble).collect();
        spans.sort_by_key(|s| s.span.start_time);
        Ok((trace_id, spans))
    }

    /// One chat call, recorded as an `llm.chat` event of the run (its span in
    /// the trace, OpenTelemetry GenAI conventions) under `parent` when given.
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
        let end = domain::now_micros();
        let ok = status == "ok";
        let what =
            if ok { "answered".to_string() } else { format!("failed: {}", domain::plan::truncate(&message, 200)) };
        let event = domain::NewEvent::new(EventKind::LlmChat, format!("{} {what}", cfg.model))
            .with("span_id", domain::new_span_id())
            .with("parent_span_id", p.span_id.clone())
            .with("start_time", start)
            .with("end_time", end)
            .with("status_code", status)
            .with("status_message", message)
            .with("attributes", Value::Object(a));
        let (run, ws) = (p.run_id.clone(), p.workspace.clone());
        if let Err(e) = self.store.write(move |tx| store::record_llm_call(tx, &run, &ws, event.clone())).await {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Attempt, AttemptStatus, RunStatus, TracedAttempt, TracedTask};
    use crate::store::RunRow;
    use serde_json::json;

    fn run() -> RunRow {
        RunRow::example("run_1", "ws")
    }

    fn change(seq: i64, task: &str, from: TaskStatus, to: TaskStatus, at: Micros) -> Event {
        let data = if to == TaskStatus::RetryScheduled { r#"{"backoff_ms":250}"# } else { "{}" };
        Event {
            run_id: "run_1".into(),
            workspace_id: "ws".into(),
            seq,
            kind: EventKind::TaskStatusChanged.as_str().into(),
            task_id: Some(task.into()),
            attempt: None,
            from_status: Some(from.as_str().into()),
            to_status: Some(to.as_str().into()),
            message: format!("{} → {}", from.as_str(), to.as_str()),
            data_json: data.into(),
            created_at: at,
        }
    }

    fn task(id: &str, status: TaskStatus) -> TracedTask {
        TracedTask { task_id: id.into(), agent: "w".into(), title: format!("title of {id}"), status, spawned_by: None }
    }

    fn attempt(
        task: &str,
        number: i32,
        status: AttemptStatus,
        started: Micros,
        finished: Option<Micros>,
    ) -> TracedAttempt {
        TracedAttempt {
            task_id: task.into(),
            span_id: format!("{task}-{number}"),
            attempt: Attempt {
                number,
                status,
                agent_instance: "i".into(),
                started_at: started,
                finished_at: finished,
                lease_expires_at: 0,
                prompt_tokens: 3,
                completion_tokens: 4,
                tool_calls: 0,
                cost_micros: 0,
                output_json: None,
                error: (status == AttemptStatus::Failed).then(|| "transient".to_string()),
                verdict_json: None,
                feedback_json: None,
                turn: 1,
                checkpoint_json: None,
                model: String::new(),
            },
        }
    }

    fn attrs(s: &TraceSpan) -> Map<String, Value> {
        serde_json::from_str(&s.span.attributes_json).expect("attributes")
    }

    #[test]
    fn task_and_attempt_spans_are_assembled_from_events_and_attempts() {
        use TaskStatus::*;
        let events = vec![
            change(1, "a", Pending, Ready, 10),
            change(2, "a", Ready, Running, 11),
            change(3, "a", Running, RetryScheduled, 20),
            change(4, "a", RetryScheduled, Ready, 30),
            change(5, "a", Ready, Running, 31),
            change(6, "a", Running, Succeeded, 40),
            // b failed, was re-opened by RetryTask and is running again: its span is open.
            change(7, "b", Pending, Ready, 10),
            change(8, "b", Ready, Running, 12),
            change(9, "b", Running, Failed, 15),
            change(10, "b", Failed, Ready, 50),
            change(11, "b", Ready, Running, 51),
            // c was skipped without ever being ready: a span of no length.
            change(12, "c", Pending, Skipped, 45),
        ];
        let parts = TraceParts {
            run: run(),
            spans: Vec::new(),
            events,
            tasks: vec![task("a", Succeeded), task("b", Running), task("c", Skipped), task("d", Pending)],
            attempts: vec![
                attempt("a", 1, AttemptStatus::Failed, 11, Some(20)),
                attempt("a", 2, AttemptStatus::Succeeded, 31, Some(40)),
                attempt("b", 1, AttemptStatus::Failed, 12, Some(15)),
                attempt("b", 2, AttemptStatus::Running, 51, None),
            ],
        };
        let spans = assemble(parts);
        let find = |id: &str| spans.iter().find(|s| s.span.span_id == id).expect(id);
        let task_span = |t: &str| find(&crate::store::task_span_id("run_1", t));
        assert_eq!(spans.iter().filter(|s| s.span.name == "task").count(), 3, "no span for a task still pending");

        let a = task_span("a");
        assert_eq!((a.span.start_time, a.span.end_time, a.span.status_code.as_str()), (10, Some(40), "ok"));
        assert_eq!(a.span.parent_span_id.as_deref(), Some("root"));
        assert_eq!(attrs(a)["orchestrator.task.title"], "title of a");
        assert_eq!(attrs(a)["orchestrator.task.status"], "SUCCEEDED");
        assert_eq!(a.events.len(), 6, "every transition of the task is an event of its span");
        let b = task_span("b");
        assert_eq!((b.span.start_time, b.span.end_time, b.span.status_code.as_str()), (10, None, "unset"), "re-opened");
        let c = task_span("c");
        assert_eq!((c.span.start_time, c.span.end_time), (45, Some(45)));

        let retry = find("a-2");
        assert_eq!(retry.span.parent_span_id, Some(crate::store::task_span_id("run_1", "a")));
        assert_eq!((retry.span.start_time, retry.span.end_time, retry.span.status_code.as_str()), (31, Some(40), "ok"));
        let ra = attrs(retry);
        assert_eq!(ra["orchestrator.retry.reason"], "transient");
        assert_eq!(ra["orchestrator.retry.backoff_ms"], 250);
        assert_eq!(ra["gen_ai.usage.input_tokens"], 3);
        let failed = find("a-1");
        assert_eq!((failed.span.status_code.as_str(), failed.span.status_message.as_str()), ("error", "transient"));
        assert!(!attrs(failed).contains_key("orchestrator.retry.reason"));
        let running = find("b-2");
        assert_eq!((running.span.end_time, running.span.status_code.as_str()), (None, "unset"));
        assert!(!attrs(running).contains_key("orchestrator.retry.backoff_ms"), "b's retry was by hand, not a backoff");
        assert!(spans.windows(2).all(|w| w[0].span.start_time <= w[1].span.start_time), "by start time");
    }

    #[test]
    fn an_assembled_span_takes_over_a_stored_one_of_the_same_id() {
        use TaskStatus::*;
        let id = crate::store::task_span_id("run_1", "a");
        let stored = SpanRow {
            trace_id: "t".repeat(32),
            span_id: id.clone(),
            run_id: "run_1".into(),
            workspace_id: "ws".into(),
            parent_span_id: Some("root".into()),
            name: "task".into(),
            start_time: 5,
            // Left open by a server from before v2, which closed spans itself.
            end_time: None,
            status_code: "unset".into(),
            status_message: String::new(),
            attributes_json: r#"{"orchestrator.old":1,"orchestrator.task.status":"RUNNING"}"#.into(),
            events_json: "[]".into(),
        };
        let parts = TraceParts {
            run: run(),
            spans: vec![stored],
            events: vec![change(1, "a", Pending, Ready, 10), change(2, "a", Ready, Succeeded, 11)],
            tasks: vec![task("a", Succeeded)],
            attempts: Vec::new(),
        };
        let spans = assemble(parts);
        let names: Vec<&str> = spans.iter().map(|s| s.span.name.as_str()).collect();
        assert_eq!(names, ["run", "task"], "the stored span gave way to the assembled one");
        let s = &spans[1];
        assert_eq!((s.span.start_time, s.span.end_time, s.span.status_code.as_str()), (5, Some(11), "ok"));
        assert_eq!(s.events.len(), 2);
        let a = attrs(s);
        assert_eq!(
            (a["orchestrator.old"].clone(), a["orchestrator.task.status"].clone()),
            (json!(1), json!("SUCCEEDED"))
        );
    }

    fn event(seq: i64, kind: EventKind, task: Option<&str>, attempt: Option<i32>, data: Value, at: Micros) -> Event {
        Event {
            run_id: "run_1".into(),
            workspace_id: "ws".into(),
            seq,
            kind: kind.as_str().into(),
            task_id: task.map(str::to_string),
            attempt,
            from_status: None,
            to_status: None,
            message: format!("event {seq}"),
            data_json: data.to_string(),
            created_at: at,
        }
    }

    fn run_moved(seq: i64, to: domain::RunStatus, message: &str, at: Micros) -> Event {
        Event {
            to_status: Some(to.as_str().into()),
            message: message.into(),
            ..event(seq, EventKind::RunStatusChanged, None, None, json!({}), at)
        }
    }

    fn parts_of(run: RunRow, events: Vec<Event>, attempts: Vec<TracedAttempt>) -> TraceParts {
        TraceParts { run, spans: Vec::new(), events, tasks: Vec::new(), attempts }
    }

    fn named<'a>(spans: &'a [TraceSpan], name: &str) -> Vec<&'a TraceSpan> {
        spans.iter().filter(|s| s.span.name == name).collect()
    }

    #[test]
    fn the_run_span_is_open_while_the_run_goes_on_and_ends_with_its_status_and_usage() {
        let created = event(1, EventKind::RunCreated, None, None, json!({"tasks": 2}), 0);
        let spans = assemble(parts_of(run(), vec![created.clone()], Vec::new()));
        let r = named(&spans, "run")[0];
        assert_eq!((r.span.span_id.as_str(), r.span.parent_span_id.as_deref()), ("root", None));
        assert_eq!((r.span.start_time, r.span.end_time, r.span.status_code.as_str()), (0, None, "unset"));
        assert!(!attrs(r).contains_key("gen_ai.usage.input_tokens"), "no usage before the end");

        let failed = RunRow {
            status: RunStatus::Failed,
            finished_at: Some(90),
            prompt_tokens: 7,
            failure_reason: Some("stored reason".into()),
            parent_span_id: Some("caller".into()),
            ..run()
        };
        let events = vec![created, run_moved(2, domain::RunStatus::Failed, "task \"a\" failed: boom", 90)];
        let spans = assemble(parts_of(failed, events, Vec::new()));
        let r = named(&spans, "run")[0];
        assert_eq!(r.span.parent_span_id.as_deref(), Some("caller"), "a run joins its caller's trace");
        assert_eq!((r.span.end_time, r.span.status_code.as_str()), (Some(90), "error"));
        assert_eq!(r.span.status_message, "task \"a\" failed: boom");
        assert_eq!(attrs(r)["gen_ai.usage.input_tokens"], 7);
        assert_eq!(attrs(r)["orchestrator.run.status"], "FAILED");
        assert_eq!(r.events.len(), 2, "the run's own events are its span's");
    }

    #[test]
    fn a_client_plan_is_a_span_of_no_length_and_a_planners_lasts_until_its_plan_or_the_runs_end() {
        let client = event(1, EventKind::RunCreated, None, None, json!({"tasks": 2}), 3);
        let spans = assemble(parts_of(RunRow { created_at: 3, ..run() }, vec![client], Vec::new()));
        let p = named(&spans, "plan")[0];
        assert_eq!(p.span.span_id, crate::store::plan_span_id("run_1"));
        assert_eq!((p.span.start_time, p.span.end_time, p.span.status_code.as_str()), (3, Some(3), "ok"));
        assert_eq!(
            (attrs(p)["orchestrator.plan.source"].clone(), attrs(p)["orchestrator.plan.tasks"].clone()),
            (json!("client"), json!(2))
        );

        let charge = |seq, tokens: i64, what: &str, at| {
            let delta = json!({"prompt_tokens": tokens, "completion_tokens": 1, "tool_calls": 0, "cost_micros": 0});
            event(seq, EventKind::UsageCharged, None, None, json!({"delta": delta, "for": what}), at)
        };
        let planner = vec![
            event(1, EventKind::RunCreated, None, None, json!({"tasks": 0}), 0),
            charge(2, 10, "planning", 5),
            charge(3, 20, "planning", 8),
            event(4, EventKind::Audit, None, None, json!({"tasks": 3, "planner_calls": 2}), 9),
            charge(5, 100, "verification", 20),
        ];
        let spans = assemble(parts_of(run(), planner.clone(), Vec::new()));
        let p = named(&spans, "plan")[0];
        assert_eq!((p.span.start_time, p.span.end_time, p.span.status_code.as_str()), (0, Some(9), "ok"));
        let a = attrs(p);
        assert_eq!(
            (a["gen_ai.usage.input_tokens"].clone(), a["gen_ai.usage.output_tokens"].clone()),
            (json!(30), json!(2))
        );
        assert_eq!(
            (a["orchestrator.planner.calls"].clone(), a["orchestrator.plan.tasks"].clone()),
            (json!(2), json!(3))
        );

        // No plan came: the span ends with the run, as an error with its reason.
        let gave_up = RunRow {
            status: RunStatus::Failed,
            finished_at: Some(12),
            failure_reason: Some("planning failed: no JSON".into()),
            ..run()
        };
        let spans = assemble(parts_of(gave_up, planner[..3].to_vec(), Vec::new()));
        let p = named(&spans, "plan")[0];
        assert_eq!((p.span.end_time, p.span.status_code.as_str()), (Some(12), "error"));
        assert_eq!(p.span.status_message, "planning failed: no JSON");
        assert_eq!(attrs(p)["gen_ai.usage.input_tokens"], 30);
        // Still planning: open.
        let spans =
            assemble(parts_of(RunRow { status: RunStatus::Planning, ..run() }, planner[..2].to_vec(), Vec::new()));
        assert_eq!(named(&spans, "plan")[0].span.end_time, None);
    }

    #[test]
    fn a_verdict_is_a_span_under_what_it_judged_with_the_judges_usage() {
        let verdict = |seq, task: Option<&str>, attempt, passed: bool, span: Option<&str>, at| {
            let mut d = json!({
                "passed": passed, "score": 0.5, "summary": if passed { "" } else { "too short" },
                "results": [{}, {}],
                "judge_usage": {"prompt_tokens": 5, "completion_tokens": 2, "tool_calls": 0, "cost_micros": 0},
            });
            if let Some(id) = span {
                d["span_id"] = json!(id);
            }
            event(seq, EventKind::VerdictRecorded, task, attempt, d, at)
        };
        let events = vec![
            event(1, EventKind::RunCreated, None, None, json!({"tasks": 1}), 0),
            verdict(2, Some("a"), Some(1), false, Some("v1"), 45),
            run_moved(3, domain::RunStatus::Verifying, "all tasks finished", 60),
            verdict(4, None, None, true, Some("v2"), 70),
            // Recorded before v2: its span is a stored row, none is assembled.
            verdict(5, Some("a"), Some(1), true, None, 80),
        ];
        let spans = assemble(parts_of(run(), events, vec![attempt("a", 1, AttemptStatus::Failed, 10, Some(40))]));
        let verifies = named(&spans, "verify");
        assert_eq!(verifies.len(), 2);
        let (task, whole) = (verifies[0], verifies[1]);
        assert_eq!(task.span.span_id, "v1");
        assert_eq!(task.span.parent_span_id.as_deref(), Some("a-1"), "under the attempt it judged");
        assert_eq!((task.span.start_time, task.span.end_time), (40, Some(45)), "from the attempt's end");
        assert_eq!((task.span.status_code.as_str(), task.span.status_message.as_str()), ("error", "too short"));
        let a = attrs(task);
        assert_eq!(
            (a["gen_ai.usage.input_tokens"].clone(), a["orchestrator.verify.criteria"].clone()),
            (json!(5), json!(2))
        );
        assert_eq!(whole.span.parent_span_id.as_deref(), Some("root"));
        assert_eq!((whole.span.start_time, whole.span.end_time, whole.span.status_code.as_str()), (60, Some(70), "ok"));
    }

    #[test]
    fn a_call_to_a_model_is_a_span_from_its_event_and_no_event_of_another_span() {
        let attrs_in = json!({"gen_ai.request.model": "m", "gen_ai.usage.input_tokens": 11});
        let chat = event(
            2,
            EventKind::LlmChat,
            None,
            None,
            json!({"span_id": "c1", "parent_span_id": "a-1", "start_time": 12, "end_time": 19,
                   "status_code": "error", "status_message": "timed out", "attributes": attrs_in}),
            25,
        );
        let events = vec![event(1, EventKind::RunCreated, None, None, json!({"tasks": 1}), 0), chat];
        let spans = assemble(parts_of(run(), events, vec![attempt("a", 1, AttemptStatus::Running, 10, None)]));
        let c = named(&spans, "llm.chat")[0];
        assert_eq!((c.span.span_id.as_str(), c.span.parent_span_id.as_deref()), ("c1", Some("a-1")));
        assert_eq!((c.span.start_time, c.span.end_time), (12, Some(19)), "the call's own times, not its commit's");
        assert_eq!((c.span.status_code.as_str(), c.span.status_message.as_str()), ("error", "timed out"));
        assert_eq!(attrs(c)["gen_ai.usage.input_tokens"], 11);
        assert!(spans.iter().all(|s| s.events.iter().all(|e| e.name != "llm.chat")), "not a span event too");
    }
}
