//! The built-in `llm` executor: one chat call per attempt with a sealed
//! context (the agent's system prompt, the run's goal, the task's
//! instructions, its dependencies' outputs and the feedback on its previous
//! attempt; never another task's conversation). Token usage from the answer
//! is charged to the run; a degraded run uses the utility model.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use super::agents::Assignment;
use super::trace::SpanParent;
use super::Engine;
use crate::config::{AgentPolicy, ModelRole};
use crate::domain::TaskSpec;
use crate::error::Error;
use crate::llm::{extract_json, CallOptions, Message};
use crate::store::{self, Directive};

const DEFAULT_SYSTEM_PROMPT: &str =
    "You are a careful assistant executing one task of a larger plan. Answer with the task's result only.";

/// One worker of an `llm` agent: polls and executes until the policy no
/// longer wants it (see `executors`).
pub(crate) async fn worker(engine: &Arc<Engine>, key: &super::executors::WorkerKey, instance: &str) {
    while let Some(agent) = engine.worker_agent(key) {
        match engine.poll_task(None, &agent.name, instance, Duration::from_secs(30)).await {
            Ok(Some(a)) => {
                let agent =
                    engine.policy().agent(&agent.name).filter(|x| x.executor == key.0).cloned().unwrap_or(agent);
                let span = super::trace::attempt_log_span(&a);
                tracing::Instrument::instrument(execute(engine, &agent, a), span).await
            }
            Ok(None) => {}
            Err(e) => {
                tracing::warn!(agent = %agent.name, error = %e, "llm worker could not poll");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

/// Longest quote of the previous answer in a retry's prompt, in bytes.
const MAX_QUOTED_ANSWER: usize = 2_000;
/// Longest schema shown in a retry's prompt, in bytes.
const MAX_SHOWN_SCHEMA: usize = 2_000;

/// The JSON schema a task's answer must match: its first required
/// `json_schema` criterion's (sent as the response format, so a model that
/// supports it cannot answer in another shape).
pub fn answer_schema(spec: &TaskSpec) -> Option<&Value> {
    let schemas = || spec.criteria.iter().filter(|c| c.kind == "json_schema");
    let first = schemas().find(|c| !c.advisory).or_else(|| schemas().next())?;
    first.params.get("schema").filter(|s| s.is_object())
}

/// Whether a task's criteria read its output as JSON.
fn wants_json(spec: &TaskSpec) -> bool {
    spec.criteria.iter().any(|c| matches!(c.kind.as_str(), "json_schema" | "json_path_equals" | "json_valid"))
}

/// The output of an answer: the JSON it is (or, for a task whose criteria
/// read JSON, the first JSON object or array in it: "JSON: {…}" and fenced
/// blocks included), else its text.
pub fn answer_output(text: &str, json_expected: bool) -> Value {
    let text = text.trim();
    match extract_json(text) {
        Some(v @ (Value::Object(_) | Value::Array(_))) if json_expected || text.starts_with(['{', '[', '`']) => v,
        _ => Value::String(text.to_string()),
    }
}

/// The user message of a task: everything the model may know, and nothing more.
pub fn sealed_prompt(a: &Assignment) -> String {
    let mut text =
        format!("Goal of the whole run:\n{}\n\nYour task: {}\n{}\n", a.goal, a.spec.title, a.spec.instructions);
    if !a.inputs.is_empty() {
        text.push_str("\nOutputs of the tasks this one depends on:\n");
        for d in &a.spec.depends_on {
            if let Some(v) = a.inputs.get(d) {
                let shown = match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                text.push_str(&format!("--- {d} ---\n{shown}\n"));
            }
        }
    }
    if !a.feedback.is_empty() {
        // Small models do better with the answer quoted, the failed checks
        // named and the expected shape spelled out, than with reasons alone.
        if let Some(previous) = &a.previous_output {
            let shown = match previous {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let cut = if shown.len() > MAX_QUOTED_ANSWER { " (cut)" } else { "" };
            text.push_str(&format!(
                "\nYour previous answer{cut}:\n<<<\n{}\n>>>\n",
                crate::domain::plan::truncate(&shown, MAX_QUOTED_ANSWER)
            ));
        }
        text.push_str("\nIt was rejected because it failed these checks:\n");
        for f in &a.feedback {
            text.push_str(&format!("- {f}\n"));
        }
        match answer_schema(&a.spec) {
            Some(schema) => text.push_str(&format!(
                "\nAnswer again with JSON matching this schema, and nothing else:\n{}\n",
                crate::domain::plan::truncate(&schema.to_string(), MAX_SHOWN_SCHEMA)
            )),
            None => text.push_str("\nAnswer again with the corrected result only; do not repeat these checks.\n"),
        }
    }
    text
}

async fn execute(engine: &Arc<Engine>, agent: &AgentPolicy, a: Assignment) {
    // The budget and the run's state are checked again right before the call.
    match engine.heartbeat(None, &a.lease_id, Default::default()).await {
        Ok(b) if b.directive == Directive::Cancel => return,
        Ok(b) if b.directive == Directive::Pause => {
            let lease = a.lease_id.clone();
            let _ =
                engine.store().write(move |tx| store::release_attempt(tx, &lease, "released: the run is paused")).await;
            return;
        }
        Ok(_) => {}
        Err(e) => {
            tracing::warn!(error = %e, "lease lost before the LLM call");
            return;
        }
    }
    let degraded = {
        let id = a.run_id.clone();
        engine.store().read(move |c| store::get_run_any(c, &id)).await.map(|r| r.degraded).unwrap_or(false)
    };
    let role = if degraded { ModelRole::Utility } else { agent.model };
    let Some(model) = engine.model(role) else {
        let _ = engine.fail_task(None, &a.lease_id, "no model is configured for this llm agent", false, None).await;
        return;
    };
    let system = if agent.system_prompt.is_empty() { DEFAULT_SYSTEM_PROMPT } else { &agent.system_prompt };
    let messages = vec![Message::system(system), Message::user(sealed_prompt(&a))];
    let parent =
        a.trace_context.get("traceparent").and_then(|tp| SpanParent::from_traceparent(&a.run_id, &a.workspace, tp));
    let schema = answer_schema(&a.spec);
    let call = engine.traced_chat(&model, &messages, schema, CallOptions::default(), parent.as_ref());
    tokio::pin!(call);
    let beat_every = (engine.config().lease / 3).max(Duration::from_millis(100));
    let mut beat = tokio::time::interval_at(tokio::time::Instant::now() + beat_every, beat_every);
    let answer = loop {
        tokio::select! {
            r = &mut call => break r,
            _ = beat.tick() => match engine.heartbeat(None, &a.lease_id, Default::default()).await {
                Ok(b) if b.directive == Directive::Cancel => return,
                Ok(_) => {}
                Err(e @ Error::FailedPrecondition(_)) => {
                    tracing::warn!(error = %e, "lease lost during the LLM call");
                    return;
                }
                Err(e) => tracing::warn!(error = %e, "heartbeat failed; retrying at the next tick"),
            }
        }
    };
    match answer {
        Ok(r) => {
            let output = answer_output(&r.content, schema.is_some() || wants_json(&a.spec));
            if let Err(e) = engine.complete_task(None, &a.lease_id, &[], output, Some(r.usage), false).await {
                tracing::warn!(task_id = %a.task_id, error = %e, "completion not recorded");
            }
        }
        Err(e) => {
            let retryable = !matches!(e, crate::llm::LlmError::Config(_));
            if let Err(err) = engine.fail_task(None, &a.lease_id, &e.to_string(), retryable, None).await {
                tracing::warn!(task_id = %a.task_id, error = %err, "failure not recorded");
            }
        }
    }
}
