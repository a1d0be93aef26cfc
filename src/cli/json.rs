//! The JSON objects that `--output json` prints, one per line.
//!
//! Every object has an `object` field naming what it is (`run`, `task`,
//! `event`, `trace`, `plan_analysis`, `verdict`, `criterion_kind`, `error`), so a
//! stream of JSON lines (`run watch`) can mix events and the final run.
//! Statuses are short names (`COMPLETED`, `WAITING_APPROVAL`), times RFC 3339.

use serde_json::{json, Value};

use crate::api::convert as cv;
use crate::proto::v1 as pb;

fn time(t: &Option<prost_types::Timestamp>) -> Value {
    match t {
        Some(t) if t.seconds >= 0 && t.nanos >= 0 => {
            let at = std::time::UNIX_EPOCH + std::time::Duration::new(t.seconds as u64, t.nanos as u32);
            Value::String(humantime::format_rfc3339_micros(at).to_string())
        }
        _ => Value::Null,
    }
}

fn value(v: &Option<prost_types::Value>) -> Value {
    v.as_ref().and_then(|v| cv::value_to_json(v, "value", 0).ok()).unwrap_or(Value::Null)
}

fn structure(s: &Option<prost_types::Struct>) -> Value {
    s.as_ref().and_then(|s| cv::struct_to_json(s, "struct", 0).ok()).map(Value::Object).unwrap_or(Value::Null)
}

fn seconds(d: &Option<prost_types::Duration>) -> Value {
    d.as_ref().map(|d| json!(d.seconds as f64 + f64::from(d.nanos) / 1e9)).unwrap_or(Value::Null)
}

/// A run.
pub fn run(r: &pb::Run) -> Value {
    let budget = r.budget.as_ref().map(|b| {
        json!({
            "max_tokens": b.max_tokens, "max_tool_calls": b.max_tool_calls,
            "max_duration_s": seconds(&b.max_duration), "max_cost_usd": b.max_cost_usd,
            "on_exhausted": pb::BudgetPolicy::try_from(b.on_exhausted)
                .map(|p| p.as_str_name().trim_start_matches("BUDGET_POLICY_")).unwrap_or("UNKNOWN"),
        })
    });
    json!({
        "object": "run",
        "id": r.id,
        "status": super::run_status_name(r.status),
        "goal": r.goal,
        "workspace": r.workspace,
        "failure_reason": r.failure_reason,
        "task_counts": r.task_counts,
        "usage": r.usage.as_ref().map(usage),
        "budget": budget,
        "output": value(&r.output),
        "verdict": r.verdict.as_ref().map(verdict),
        "labels": r.labels,
        "trace_id": r.trace_id,
        "request_id": r.request_id,
        "last_event_seq": r.last_event_seq,
        "created_at": time(&r.created_at),
        "started_at": time(&r.started_at),
        "finished_at": time(&r.finished_at),
        "active_s": seconds(&r.active_time),
        "waiting": r.waiting.iter().map(|w| json!({
            "agent": w.agent, "ready_tasks": w.ready_tasks, "last_poll": time(&w.last_poll),
        })).collect::<Vec<_>>(),
    })
}

fn usage(u: &pb::Usage) -> Value {
    json!({
        "prompt_tokens": u.prompt_tokens, "completion_tokens": u.completion_tokens,
        "tool_calls": u.tool_calls, "cost_usd": u.cost_usd,
    })
}

/// A task.
pub fn task(t: &pb::Task) -> Value {
    json!({
        "object": "task",
        "run_id": t.run_id,
        "id": t.id,
        "status": super::task_status_name(t.status),
        "agent": t.spec.as_ref().map(|s| s.agent.as_str()).unwrap_or_default(),
        "attempt_count": t.attempt_count,
        "error": t.error,
        "output": value(&t.output),
        "verdict": t.verdict.as_ref().map(verdict),
        "retry_at": time(&t.retry_at),
    })
}

/// A run event.
pub fn event(e: &pb::RunEvent) -> Value {
    json!({
        "object": "event",
        "run_id": e.run_id, "seq": e.seq, "type": e.r#type, "time": time(&e.time),
        "task_id": e.task_id, "attempt": e.attempt,
        "from_status": e.from_status, "to_status": e.to_status, "message": e.message,
        "data": structure(&e.data),
    })
}

/// A trace with its spans.
pub fn trace(t: &pb::RunTrace) -> Value {
    let spans: Vec<Value> = t
        .spans
        .iter()
        .map(|s| {
            json!({
                "span_id": s.span_id, "parent_span_id": s.parent_span_id, "name": s.name,
                "start_time": time(&s.start_time), "end_time": time(&s.end_time),
                "status_code": s.status_code, "status_message": s.status_message,
                "attributes": structure(&s.attributes), "summary": super::span_line(s),
            })
        })
        .collect();
    json!({ "object": "trace", "trace_id": t.trace_id, "spans": spans })
}

/// The shape of a valid plan.
pub fn analysis(a: &pb::PlanAnalysis) -> Value {
    json!({
        "object": "plan_analysis", "valid": true, "tasks": a.topological_order.len(),
        "topological_order": a.topological_order, "width": a.width, "depth": a.depth,
        "critical_path": a.critical_path,
    })
}

/// A verdict.
pub fn verdict(v: &pb::Verdict) -> Value {
    let results: Vec<Value> = v
        .results
        .iter()
        .map(|r| {
            json!({
                "criterion_id": r.criterion_id, "kind": r.kind, "passed": r.passed, "score": r.score,
                "reason": r.reason, "advisory": r.advisory, "skipped": r.skipped, "error": r.error,
            })
        })
        .collect();
    json!({ "object": "verdict", "passed": v.passed, "score": v.score, "summary": v.summary, "results": results })
}

/// A criterion kind.
pub fn criterion_kind(k: &pb::CriterionKind) -> Value {
    let params: Vec<Value> = k
        .params
        .iter()
        .map(|p| json!({ "name": p.name, "type": p.r#type, "required": p.required, "description": p.description }))
        .collect();
    json!({ "object": "criterion_kind", "name": k.name, "description": k.description, "uses_llm": k.uses_llm, "params": params })
}

/// A failure (`--output json`): the exit code, the gRPC code (null when no
/// RPC failed), the message, the request fields at fault, and what to do.
pub fn error(exit_code: i32, message: &str, status: Option<&tonic::Status>, hint: Option<&str>) -> Value {
    use tonic_types::StatusExt;
    let violations: Vec<Value> = status
        .and_then(|s| s.get_details_bad_request())
        .map(|b| b.field_violations.iter().map(|v| json!({"field": v.field, "description": v.description})).collect())
        .unwrap_or_default();
    let code = status.map(|s| Value::String(grpc_code_name(s.code()).into())).unwrap_or(Value::Null);
    json!({
        "object": "error",
        "exit_code": exit_code,
        "code": code,
        "message": status.map(|s| s.message()).unwrap_or(message),
        "violations": violations,
        "hint": hint,
    })
}

/// A gRPC code as its canonical name ("INVALID_ARGUMENT").
fn grpc_code_name(c: tonic::Code) -> &'static str {
    use tonic::Code;
    match c {
        Code::Ok => "OK",
        Code::Cancelled => "CANCELLED",
        Code::Unknown => "UNKNOWN",
        Code::InvalidArgument => "INVALID_ARGUMENT",
        Code::DeadlineExceeded => "DEADLINE_EXCEEDED",
        Code::NotFound => "NOT_FOUND",
        Code::AlreadyExists => "ALREADY_EXISTS",
        Code::PermissionDenied => "PERMISSION_DENIED",
        Code::ResourceExhausted => "RESOURCE_EXHAUSTED",
        Code::FailedPrecondition => "FAILED_PRECONDITION",
        Code::Aborted => "ABORTED",
        Code::OutOfRange => "OUT_OF_RANGE",
        Code::Unimplemented => "UNIMPLEMENTED",
        Code::Internal => "INTERNAL",
        Code::Unavailable => "UNAVAILABLE",
        Code::DataLoss => "DATA_LOSS",
        Code::Unauthenticated => "UNAUTHENTICATED",
    }
}
