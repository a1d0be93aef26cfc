//! The built-in `llm` executor: one chat call per attempt with a sealed
//! context (the agent's system prompt, the run's goal, the task's
//! instructions, its dependencies' outputs and the feedback on its previous
//! attempt; never another task's conversation). Token usage from the answer
//! is charged to the run; a degraded run uses the utility model, a
//! `model: cascade` agent the cascade's model for the attempt (`cascade`).

use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};

use super::agents::{Assignment, ReadCompletion};
use super::trace::SpanParent;
use super::Engine;
use crate::config::AgentPolicy;
use crate::domain::Directive;
use crate::domain::TaskSpec;
use crate::error::Error;
use crate::llm::{extract_json, CallOptions, Message};
use crate::store;

const DEFAULT_SYSTEM_PROMPT: &str =
    "You are a careful assistant executing one task of a larger plan. Answer with the task's result only.";

/// Longest quote of the previous answer in a retry's prompt, in bytes.
const MAX_QUOTED_ANSWER: usize = 2_000;
/// Longest schema shown in a retry's prompt, in bytes.
const MAX_SHOWN_SCHEMA: usize = 2_000;

/// The JSON schema a task's answer must match (sent as the response format,
/// so a model that supports it cannot answer in another shape): its first
/// required `json_schema` criterion's or, without one, the object that its
/// `json_path_equals` criteria on plain paths (`$.a.b`) describe, each key
/// of its expected value's type.
pub fn answer_schema(spec: &TaskSpec) -> Option<Value> {
    let schemas = || spec.criteria.iter().filter(|c| c.kind == "json_schema");
    if let Some(first) = schemas().find(|c| !c.advisory).or_else(|| schemas().next()) {
        return first.params.get("schema").filter(|s| s.is_object()).cloned();
    }
    let mut root = json!({"type": "object", "properties": {}, "required": []});
    let mut any = false;
    for c in spec.criteria.iter().filter(|c| c.kind == "json_path_equals" && !c.advisory) {
        let Some(path) = c.params.get("path").and_then(Value::as_str).and_then(|p| p.strip_prefix("$.")) else {
            continue;
        };
        let keys: Vec<&str> = path.split('.').collect();
        let plain = |k: &&str| !k.is_empty() && k.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_');
        if keys.len() > 4 || !keys.iter().all(plain) {
            continue;
        }
        let leaf = match c.params.get("value") {
            Some(Value::Number(_)) => json!({"type": "number"}),
            Some(Value::String(_)) => json!({"type": "string"}),
            Some(Value::Bool(_)) => json!({"type": "boolean"}),
            _ => json!({}),
        };
        any |= add_path(&mut root, &keys, leaf);
    }
    any.then_some(root)
}

/// Adds `keys` (all required) to an object schema, ending in `leaf`; false
/// when the path crosses a key already given another type.
fn add_path(node: &mut Value, keys: &[&str], leaf: Value) -> bool {
    let Some((first, rest)) = keys.split_first() else { return false };
    if node["type"] != "object" {
        return false;
    }
    if !node["required"].as_array().is_some_and(|r| r.iter().any(|k| k == first)) {
        if let Some(r) = node["required"].as_array_mut() {
            r.push(json!(first));
        }
    }
    let props = &mut node["properties"];
    if rest.is_empty() {
        props[*first] = leaf;
        return true;
    }
    if props.get(*first).is_none() {
        props[*first] = json!({"type": "object", "properties": {}, "required": []});
    }
    add_path(&mut props[*first], rest, leaf)
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
        match answer_schema(&a.spec).as_ref() {
            Some(schema) => text.push_str(&format!(
                "\nAnswer again with JSON matching this schema, and nothing else:\n{}\n",
                crate::domain::plan::truncate(&schema.to_string(), MAX_SHOWN_SCHEMA)
            )),
            None => text.push_str("\nAnswer again with the corrected result only; do not repeat these checks.\n"),
        }
    }
    text
}

/// Runs one attempt of an llm agent (the worker loop is `executors::worker`).
pub(super) async fn execute(engine: &Arc<Engine>, agent: &AgentPolicy, a: Assignment) {
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
    let model = match engine.model_for_attempt(agent, &a, degraded).await {
        Ok(Some(model)) => model,
        Ok(None) => {
            let _ = engine.fail_task(None, &a.lease_id, "no model is configured for this llm agent", false, None).await;
            return;
        }
        Err(e @ Error::FailedPrecondition(_)) => {
            tracing::warn!(error = %e, "lease lost before the LLM call");
            return;
        }
        Err(e) => {
            // The store failed (the outcomes read, the model's record): a
            // retry may not, and no model was called.
            let why = format!("choosing the model failed: {e}");
            let _ = engine.fail_task(None, &a.lease_id, &why, true, None).await;
            return;
        }
    };
    let system = if agent.system_prompt.is_empty() { DEFAULT_SYSTEM_PROMPT } else { &agent.system_prompt };
    let messages = vec![Message::system(system), Message::user(sealed_prompt(&a))];
    let parent =
        a.trace_context.get("traceparent").and_then(|tp| SpanParent::from_traceparent(&a.run_id, &a.workspace, tp));
    let schema = answer_schema(&a.spec);
    let call = engine.traced_chat(&model, &messages, schema.as_ref(), CallOptions::default(), parent.as_ref());
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
            if let Err(e) = engine.complete_task(None, &a.lease_id, ReadCompletion::of(output, Some(r.usage)), 0).await
            {
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn spec(criteria: Value) -> TaskSpec {
        TaskSpec { criteria: serde_json::from_value(criteria).expect("criteria"), ..TaskSpec::default() }
    }

    #[test]
    fn the_answer_schema_comes_from_a_schema_or_from_plain_json_paths() {
        let given = json!({"type": "array"});
        let s = spec(json!([{"id": "a", "kind": "json_schema", "params": {"schema": given}}]));
        assert_eq!(answer_schema(&s), Some(json!({"type": "array"})));
        let s = spec(json!([
            {"id": "a", "kind": "json_path_equals", "params": {"path": "$.legs", "value": 8}},
            {"id": "b", "kind": "json_path_equals", "params": {"path": "$.animal.name", "value": "spider"}},
            {"id": "c", "kind": "json_path_equals", "params": {"path": "$..deep[0]", "value": 1}},
            {"id": "d", "kind": "contains", "params": {"value": "x"}}
        ]));
        assert_eq!(
            answer_schema(&s),
            Some(json!({"type": "object", "properties": {
                "legs": {"type": "number"},
                "animal": {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}
            }, "required": ["legs", "animal"]}))
        );
        assert_eq!(answer_schema(&spec(json!([{"id": "d", "kind": "contains", "params": {"value": "x"}}]))), None);
    }

    #[test]
    fn json_is_taken_from_prose_only_when_the_criteria_read_json() {
        assert_eq!(answer_output("JSON: {\"a\": 1}", true), json!({"a": 1}));
        assert_eq!(answer_output("JSON: {\"a\": 1}", false), json!("JSON: {\"a\": 1}"));
        assert_eq!(answer_output("```json\n[1]\n```", false), json!([1]));
        assert_eq!(answer_output("  plain  ", true), json!("plain"));
    }
}
