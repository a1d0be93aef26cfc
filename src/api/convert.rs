//! Conversions between protobuf messages and domain types, in one place.
//!
//! Inbound conversions check what the type system of proto3 cannot (negative
//! or non-finite numbers, unknown enum values) and name the offending field,
//! so a malformed request becomes INVALID_ARGUMENT with a field violation.

use std::collections::BTreeMap;

use prost_types::value::Kind;
use serde_json::{Map, Number, Value};

use crate::domain::run::{TaskFailureAction, MAX_REPLANS_LIMIT};
use crate::domain::spawn::{Repoint, SpawnRequest};
use crate::domain::{
    self, AggregateMode, BudgetPolicy, Criterion, Micros, RejectionAction, RetriesExhausted, RetryPolicy, RunPolicy,
    RunSpec, TaskKind, TaskSpec, Usage, Violation,
};
use crate::domain::{Attempt, AttemptStatus, Event};
use crate::engine::agents::Assignment;
use crate::engine::trace::TraceSpan;
use crate::engine::{RunView, TaskView};
use crate::error::{Error, Result};
use crate::proto::v1 as pb;

/// Deepest JSON nesting accepted from a client. protobuf's decoder stops at
/// 100 nested messages, and each JSON level is three (Value, Struct, map entry)
/// below the request's own: about 30 levels decode at all, so the limit sits
/// below that, where it can be answered with a field violation.
pub const MAX_DEPTH: usize = 24;

// ------------------------------------------------------------------ JSON

/// A protobuf Value as JSON (None for a missing value).
/// `depth` counts the arrays and objects around the value (JSON levels, not
/// protobuf messages).
pub fn value_to_json(v: &prost_types::Value, field: &str, depth: usize) -> Result<Value> {
    Ok(match &v.kind {
        None | Some(Kind::NullValue(_)) => Value::Null,
        Some(Kind::BoolValue(b)) => Value::Bool(*b),
        // Struct numbers are doubles; whole ones are kept whole so that JSON round-trips.
        Some(Kind::NumberValue(n)) if n.fract() == 0.0 && n.abs() < 9.0e15 => Value::Number(Number::from(*n as i64)),
        Some(Kind::NumberValue(n)) => {
            Value::Number(Number::from_f64(*n).ok_or_else(|| Error::invalid(field, "numbers must be finite"))?)
        }
        Some(Kind::StringValue(s)) => Value::String(s.clone()),
        Some(Kind::ListValue(l)) => {
            too_deep(field, depth)?;
            Value::Array(l.values.iter().map(|x| value_to_json(x, field, depth + 1)).collect::<Result<_>>()?)
        }
        Some(Kind::StructValue(s)) => Value::Object(struct_to_json(s, field, depth)?),
    })
}

/// A protobuf Struct as a JSON object.
pub fn struct_to_json(s: &prost_types::Struct, field: &str, depth: usize) -> Result<Map<String, Value>> {
    too_deep(field, depth)?;
    let mut m = Map::new();
    for (k, v) in &s.fields {
        m.insert(k.clone(), value_to_json(v, field, depth + 1)?);
    }
    Ok(m)
}

/// Refuses an array or object inside [`MAX_DEPTH`] others.
fn too_deep(field: &str, depth: usize) -> Result<()> {
    if depth >= MAX_DEPTH {
        return Err(Error::invalid(field, format!("nested deeper than {MAX_DEPTH} levels")));
    }
    Ok(())
}

/// A JSON value as a protobuf Value.
pub fn json_to_value(v: &Value) -> prost_types::Value {
    let kind = match v {
        Value::Null => Kind::NullValue(0),
        Value::Bool(b) => Kind::BoolValue(*b),
        Value::Number(n) => Kind::NumberValue(n.as_f64().unwrap_or(0.0)),
        Value::String(s) => Kind::StringValue(s.clone()),
        Value::Array(a) => Kind::ListValue(prost_types::ListValue { values: a.iter().map(json_to_value).collect() }),
        Value::Object(m) => Kind::StructValue(json_to_struct(m)),
    };
    prost_types::Value { kind: Some(kind) }
}

/// A JSON object as a protobuf Struct.
pub fn json_to_struct(m: &Map<String, Value>) -> prost_types::Struct {
    prost_types::Struct { fields: m.iter().map(|(k, v)| (k.clone(), json_to_value(v))).collect() }
}

fn stored_json(s: &Option<String>) -> Option<prost_types::Value> {
    s.as_deref().and_then(|s| serde_json::from_str::<Value>(s).ok()).map(|v| json_to_value(&v))
}

fn stored_struct(s: &str) -> Option<prost_types::Struct> {
    match serde_json::from_str::<Value>(s) {
        Ok(Value::Object(m)) if !m.is_empty() => Some(json_to_struct(&m)),
        _ => None,
    }
}

// ------------------------------------------------------------------ time

/// A Timestamp as microseconds since the epoch: from 1970 to 9999, or `field` is named.
pub fn timestamp_in(t: &prost_types::Timestamp, field: &str) -> Result<Micros> {
    if !(0..1_000_000_000).contains(&t.nanos) || t.seconds < 0 || t.seconds > 253_402_300_799 {
        return Err(Error::invalid(field, "a time from 1970 to 9999"));
    }
    Ok(t.seconds * 1_000_000 + i64::from(t.nanos) / 1000)
}

/// Microseconds since the epoch as a Timestamp.
pub fn timestamp(micros: Micros) -> prost_types::Timestamp {
    prost_types::Timestamp {
        seconds: micros.div_euclid(1_000_000),
        nanos: (micros.rem_euclid(1_000_000) * 1000) as i32,
    }
}

fn opt_timestamp(micros: Option<Micros>) -> Option<prost_types::Timestamp> {
    micros.map(timestamp)
}

/// A Duration in milliseconds, checked.
pub fn duration_ms(d: &prost_types::Duration, field: &str) -> Result<u64> {
    if d.seconds < 0 || d.nanos < 0 || d.nanos >= 1_000_000_000 {
        return Err(Error::invalid(field, "durations cannot be negative"));
    }
    if d.seconds > 10 * 365 * 24 * 3600 {
        return Err(Error::invalid(field, "longer than ten years"));
    }
    Ok(d.seconds as u64 * 1000 + d.nanos as u64 / 1_000_000)
}

/// Milliseconds as a Duration.
pub fn ms_duration(ms: u64) -> prost_types::Duration {
    prost_types::Duration { seconds: (ms / 1000) as i64, nanos: ((ms % 1000) * 1_000_000) as i32 }
}

/// A std Duration from a proto one.
pub fn std_duration(d: &prost_types::Duration, field: &str) -> Result<std::time::Duration> {
    Ok(std::time::Duration::from_millis(duration_ms(d, field)?))
}

// ------------------------------------------------------------------ enums

pub fn enum_value<T: TryFrom<i32>>(v: i32, field: &str) -> Result<T> {
    T::try_from(v).map_err(|_| Error::invalid(field, format!("unknown enum value {v}")))
}

/// Whether a `RunView` asks for the plan (`full_by_default` for UNSPECIFIED).
pub fn run_view_in(v: i32, full_by_default: bool, field: &str) -> Result<bool> {
    Ok(match enum_value::<pb::RunView>(v, field)? {
        pb::RunView::Unspecified => full_by_default,
        pb::RunView::Basic => false,
        pb::RunView::Full => true,
    })
}

/// Run status from proto (Unspecified is refused).
pub fn run_status_in(v: i32, field: &str) -> Result<domain::RunStatus> {
    use domain::RunStatus as D;
    use pb::RunStatus as P;
    Ok(match enum_value::<P>(v, field)? {
        P::Unspecified => return Err(Error::invalid(field, "RUN_STATUS_UNSPECIFIED is not a status")),
        P::Created => D::Created,
        P::Planning => D::Planning,
        P::Executing => D::Executing,
        P::Verifying => D::Verifying,
        P::Paused => D::Paused,
        P::Completed => D::Completed,
        P::Failed => D::Failed,
        P::Cancelled => D::Cancelled,
    })
}

fn run_status_out(s: domain::RunStatus) -> i32 {
    use domain::RunStatus as D;
    use pb::RunStatus as P;
    (match s {
        D::Created => P::Created,
        D::Planning => P::Planning,
        D::Executing => P::Executing,
        D::Verifying => P::Verifying,
        D::Paused => P::Paused,
        D::Completed => P::Completed,
        D::Failed => P::Failed,
        D::Cancelled => P::Cancelled,
    }) as i32
}

/// Task status from proto (Unspecified is refused).
pub fn task_status_in(v: i32, field: &str) -> Result<domain::TaskStatus> {
    let p = enum_value::<pb::TaskStatus>(v, field)?;
    let name = p.as_str_name().trim_start_matches("TASK_STATUS_");
    domain::TaskStatus::parse(name).ok_or_else(|| Error::invalid(field, "TASK_STATUS_UNSPECIFIED is not a status"))
}

/// Task status to proto.
pub fn task_status_out(s: domain::TaskStatus) -> i32 {
    use domain::TaskStatus as D;
    use pb::TaskStatus as P;
    (match s {
        D::Pending => P::Pending,
        D::Ready => P::Ready,
        D::Running => P::Running,
        D::Verifying => P::Verifying,
        D::WaitingApproval => P::WaitingApproval,
        D::RetryScheduled => P::RetryScheduled,
        D::Succeeded => P::Succeeded,
        D::Failed => P::Failed,
        D::Skipped => P::Skipped,
        D::Cancelled => P::Cancelled,
        D::Continuing => P::Continuing,
    }) as i32
}

fn attempt_status_out(s: AttemptStatus) -> i32 {
    use pb::AttemptStatus as P;
    use AttemptStatus as D;
    (match s {
        D::Running => P::Running,
        D::Succeeded => P::Succeeded,
        D::Failed => P::Failed,
        D::Lost => P::Lost,
        D::Cancelled => P::Cancelled,
        D::Continuing => P::Continuing,
    }) as i32
}

// ------------------------------------------------------------------ inbound

fn criterion_in(c: &pb::Criterion, field: &str, i: usize) -> Result<Criterion> {
    let params = match &c.params {
        Some(s) => struct_to_json(s, &format!("{field}.params"), 0)?,
        None => Map::new(),
    };
    let id = if c.id.is_empty() { format!("{}#{i}", c.kind) } else { c.id.clone() };
    if id.len() > 128 {
        return Err(Error::invalid(&format!("{field}.id"), "longer than 128 bytes"));
    }
    Ok(Criterion { id, kind: c.kind.clone(), params, advisory: c.advisory })
}

/// Criteria from proto.
pub fn criteria_in(list: &[pb::Criterion], field: &str) -> Result<Vec<Criterion>> {
    list.iter().enumerate().map(|(i, c)| criterion_in(c, &format!("{field}[{i}]"), i)).collect()
}

/// A retry policy from proto; unset fields stay 0 and are filled from the
/// run's (or the server's) default policy by the engine.
fn retry_in(r: &pb::RetryPolicy, field: &str) -> Result<RetryPolicy> {
    let on_exhausted = match enum_value::<pb::RetriesExhaustedAction>(r.on_exhausted, &format!("{field}.on_exhausted"))?
    {
        pb::RetriesExhaustedAction::Pause => RetriesExhausted::Pause,
        _ => RetriesExhausted::Fail,
    };
    for (name, x) in [("multiplier", r.multiplier), ("jitter", r.jitter.unwrap_or(0.0))] {
        if !x.is_finite() || x < 0.0 {
            return Err(Error::invalid(&format!("{field}.{name}"), "must be a finite number, not negative"));
        }
    }
    Ok(RetryPolicy {
        max_attempts: r.max_attempts,
        initial_backoff_ms: r
            .initial_backoff
            .as_ref()
            .map(|x| duration_ms(x, &format!("{field}.initial_backoff")))
            .transpose()?
            .unwrap_or(0),
        max_backoff_ms: r
            .max_backoff
            .as_ref()
            .map(|x| duration_ms(x, &format!("{field}.max_backoff")))
            .transpose()?
            .unwrap_or(0),
        multiplier: r.multiplier,
        jitter: r.jitter,
        on_exhausted,
    })
}

/// A task spec from proto.
pub fn task_in(t: &pb::TaskSpec, field: &str) -> Result<TaskSpec> {
    task_in_nested(t, field, 1)
}

fn task_in_nested(t: &pb::TaskSpec, field: &str, nest: u32) -> Result<TaskSpec> {
    let kind = match enum_value::<pb::TaskKind>(t.kind, &format!("{field}.kind"))? {
        pb::TaskKind::Aggregate => TaskKind::Aggregate,
        pb::TaskKind::Run => TaskKind::Run,
        _ => TaskKind::Agent,
    };
    let child = match &t.child {
        None => None,
        Some(_) if nest > domain::child::MAX_NESTING_READ => {
            return Err(Error::invalid(&format!("{field}.child"), "child runs nest too deep"));
        }
        Some(c) => Some(domain::ChildRunSpec {
            goal: c.goal.clone(),
            plan: match &c.plan {
                Some(p) if !p.tasks.is_empty() => {
                    Some(tasks_in(&p.tasks, &format!("{field}.child.plan.tasks"), nest + 1)?)
                }
                _ => None,
            },
            budget: c
                .budget
                .as_ref()
                .map(|b| budget_in(b, &format!("{field}.child.budget")))
                .transpose()?
                .unwrap_or_default(),
        }),
    };
    let aggregate = match enum_value::<pb::AggregateMode>(t.aggregate, &format!("{field}.aggregate"))? {
        pb::AggregateMode::JsonMerge => AggregateMode::JsonMerge,
        pb::AggregateMode::LlmSummary => AggregateMode::LlmSummary,
        _ => AggregateMode::Concat,
    };
    let on_reject = match enum_value::<pb::RejectionAction>(t.on_reject, &format!("{field}.on_reject"))? {
        pb::RejectionAction::Skip => RejectionAction::Skip,
        _ => RejectionAction::Fail,
    };
    for (name, list) in [("tools_allowed", &t.tools_allowed), ("tools_denied", &t.tools_denied)] {
        check_tool_list(list, &format!("{field}.{name}"))?;
    }
    Ok(TaskSpec {
        id: t.id.clone(),
        title: t.title.clone(),
        instructions: t.instructions.clone(),
        agent: t.agent.clone(),
        depends_on: t.depends_on.clone(),
        criteria: criteria_in(&t.criteria, &format!("{field}.criteria"))?,
        retry: t.retry.as_ref().map(|r| retry_in(r, &format!("{field}.retry"))).transpose()?,
        timeout_ms: t.timeout.as_ref().map(|d| duration_ms(d, &format!("{field}.timeout"))).transpose()?,
        requires_approval: t.requires_approval,
        optional: t.optional,
        priority: t.priority,
        kind,
        aggregate,
        tools_allowed: t.tools_allowed.clone(),
        tools_denied: t.tools_denied.clone(),
        on_reject,
        metadata: match &t.metadata {
            Some(s) => struct_to_json(s, &format!("{field}.metadata"), 0)?,
            None => Map::new(),
        },
        when: t
            .when
            .as_ref()
            .map(|c| -> Result<domain::Condition> {
                Ok(domain::Condition {
                    path: c.path.clone(),
                    equals: c
                        .equals
                        .as_ref()
                        .map(|v| value_to_json(v, &format!("{field}.when.equals"), 0))
                        .transpose()?,
                    negate: c.negate,
                })
            })
            .transpose()?,
        // 0 is proto3's unset.
        max_turns: (t.max_turns > 0).then_some(t.max_turns),
        child,
    })
}

/// A plan from proto, collecting every violation.
pub fn plan_in(p: &pb::Plan, limits: &domain::PlanLimits) -> Result<Vec<TaskSpec>> {
    if p.tasks.len() > limits.max_tasks {
        return Err(Error::invalid(
            "plan.tasks",
            format!("{} tasks exceed the limit of {} per plan", p.tasks.len(), limits.max_tasks),
        ));
    }
    tasks_in(&p.tasks, "plan.tasks", 1)
}

/// The tasks of a plan at `at`, every violation collected.
fn tasks_in(tasks: &[pb::TaskSpec], at: &str, nest: u32) -> Result<Vec<TaskSpec>> {
    let mut out = Vec::with_capacity(tasks.len());
    let mut violations: Vec<Violation> = Vec::new();
    for (i, t) in tasks.iter().enumerate() {
        match task_in_nested(t, &format!("{at}[{i}]"), nest) {
            Ok(t) => out.push(t),
            Err(Error::InvalidArgument(v)) => violations.extend(v),
            Err(e) => return Err(e),
        }
    }
    if violations.is_empty() {
        Ok(out)
    } else {
        Err(Error::InvalidArgument(violations))
    }
}

/// A completion's new tasks and re-pointed ones from proto, every
/// violation collected; at most `max` of each (checked before any is read).
pub fn spawn_in(spawn: &[pb::TaskSpec], repoint: &[pb::Repoint], max: usize) -> Result<SpawnRequest> {
    if spawn.len() > max {
        return Err(Error::invalid("spawn", format!("{} tasks exceed the limit of {max} per completion", spawn.len())));
    }
    if repoint.len() > max {
        return Err(Error::invalid("repoint", format!("more than {max} tasks re-pointed")));
    }
    let mut tasks = Vec::with_capacity(spawn.len());
    let mut violations: Vec<Violation> = Vec::new();
    for (i, t) in spawn.iter().enumerate() {
        match task_in(t, &format!("spawn[{i}]")) {
            Ok(t) => tasks.push(t),
            Err(Error::InvalidArgument(v)) => violations.extend(v),
            Err(e) => return Err(e),
        }
    }
    if !violations.is_empty() {
        return Err(Error::InvalidArgument(violations));
    }
    let repoint =
        repoint.iter().map(|r| Repoint { task_id: r.task_id.clone(), depends_on: r.depends_on.clone() }).collect();
    Ok(SpawnRequest { tasks, repoint })
}

/// A budget from proto.
pub fn budget_in(b: &pb::Budget, field: &str) -> Result<domain::Budget> {
    if !b.max_cost_usd.is_finite() || b.max_cost_usd < 0.0 {
        return Err(Error::invalid(&format!("{field}.max_cost_usd"), "must be a finite number, not negative"));
    }
    let on_exhausted = match enum_value::<pb::BudgetPolicy>(b.on_exhausted, &format!("{field}.on_exhausted"))? {
        pb::BudgetPolicy::Pause => BudgetPolicy::Pause,
        pb::BudgetPolicy::Degrade => BudgetPolicy::Degrade,
        _ => BudgetPolicy::Fail,
    };
    Ok(domain::Budget {
        max_tokens: b.max_tokens,
        max_tool_calls: b.max_tool_calls,
        max_duration_ms: b
            .max_duration
            .as_ref()
            .map(|d| duration_ms(d, &format!("{field}.max_duration")))
            .transpose()?
            .unwrap_or(0),
        max_cost_micros: (b.max_cost_usd * 1e6) as u64,
        on_exhausted,
    })
}

/// A budget change (`ResumeRun`) from proto: without a mask, the non-zero
/// fields; with one, exactly the named fields.
pub fn budget_change_in(b: Option<&pb::Budget>, mask: Option<&prost_types::FieldMask>) -> Result<domain::BudgetChange> {
    let given = b.cloned().unwrap_or_default();
    let full = budget_in(&given, "budget")?;
    let set_policy = given.on_exhausted != pb::BudgetPolicy::Unspecified as i32;
    let nonzero = |v: u64| (v != 0).then_some(v);
    let Some(mask) = mask.filter(|m| !m.paths.is_empty()) else {
        return Ok(domain::BudgetChange {
            max_tokens: nonzero(full.max_tokens),
            max_tool_calls: nonzero(full.max_tool_calls),
            max_duration_ms: nonzero(full.max_duration_ms),
            max_cost_micros: nonzero(full.max_cost_micros),
            on_exhausted: set_policy.then_some(full.on_exhausted),
        });
    };
    if mask.paths.len() > 16 {
        return Err(Error::invalid("budget_mask.paths", "at most 16 paths"));
    }
    let mut change = domain::BudgetChange::default();
    for (i, path) in mask.paths.iter().enumerate() {
        match path.as_str() {
            "max_tokens" | "maxTokens" => change.max_tokens = Some(full.max_tokens),
            "max_tool_calls" | "maxToolCalls" => change.max_tool_calls = Some(full.max_tool_calls),
            "max_duration" | "maxDuration" => change.max_duration_ms = Some(full.max_duration_ms),
            "max_cost_usd" | "maxCostUsd" => change.max_cost_micros = Some(full.max_cost_micros),
            "on_exhausted" | "onExhausted" => change.on_exhausted = Some(full.on_exhausted),
            _ => {
                return Err(Error::invalid(
                    &format!("budget_mask.paths[{i}]"),
                    format!(
                    "{:?} is not a budget field (max_tokens, max_tool_calls, max_duration, max_cost_usd, on_exhausted)",
                    crate::domain::plan::truncate(path, 64)
                ),
                ))
            }
        }
    }
    Ok(change)
}

/// Most tools a task's (or a run's) tool list names, and their longest name.
const MAX_TOOLS: usize = 256;
const MAX_TOOL_NAME: usize = 128;

fn check_tool_list(list: &[String], field: &str) -> Result<()> {
    if list.len() > MAX_TOOLS || list.iter().any(|s| s.len() > MAX_TOOL_NAME) {
        return Err(Error::invalid(field, format!("at most {MAX_TOOLS} tools of at most {MAX_TOOL_NAME} bytes")));
    }
    Ok(())
}

/// A CreateRun request that names a recipe: what it may carry besides
/// (the recipe's template is the run's goal, plan, criteria, budget, policy
/// and context), every violation at once.
pub fn recipe_run_in(r: pb::CreateRunRequest) -> Result<crate::engine::recipes::RecipeRun> {
    let mut v = Vec::new();
    let given = [
        ("goal", !r.goal.is_empty()),
        ("plan", r.plan.is_some()),
        ("criteria", !r.criteria.is_empty()),
        ("budget", r.budget.is_some()),
        ("policy", r.policy.is_some()),
        ("context", r.context.is_some()),
    ];
    for (field, _) in given.iter().filter(|(_, set)| *set) {
        v.push(Violation::new(
            *field,
            format!("comes from the recipe {:?}: leave it out", domain::plan::truncate(&r.recipe, 64)),
        ));
    }
    if r.recipe.len() > 128 {
        v.push(Violation::new("recipe", "longer than 128 bytes"));
    }
    let params = match &r.params {
        Some(p) => match struct_to_json(p, "params", 0) {
            Ok(p) => p,
            Err(Error::InvalidArgument(e)) => {
                v.extend(e);
                Map::new()
            }
            Err(e) => return Err(e),
        },
        None => Map::new(),
    };
    if !v.is_empty() {
        return Err(Error::InvalidArgument(v));
    }
    Ok(crate::engine::recipes::RecipeRun {
        name: r.recipe,
        version: (r.recipe_version > 0).then_some(r.recipe_version),
        params,
        request_id: (!r.request_id.is_empty()).then_some(r.request_id),
        labels: r.labels.into_iter().collect(),
        priority: r.priority,
        max_parallel: r.max_parallel,
        advice_id: advice_id_in(r.advice_id)?,
    })
}

/// A CreateRun request as a run spec.
pub fn create_run_in(r: pb::CreateRunRequest, limits: &domain::PlanLimits) -> Result<RunSpec> {
    let plan = match &r.plan {
        Some(p) if !p.tasks.is_empty() => Some(plan_in(p, limits)?),
        Some(_) => return Err(Error::invalid("plan.tasks", "a plan needs at least one task")),
        None => None,
    };
    let policy = match &r.policy {
        Some(p) => RunPolicy {
            default_retry: p.default_retry.as_ref().map(|x| retry_in(x, "policy.default_retry")).transpose()?,
            tools_denied: {
                check_tool_list(&p.tools_denied, "policy.tools_denied")?;
                p.tools_denied.clone()
            },
            rerun_aggregator_on_failed_criteria: p.rerun_aggregator_on_failed_criteria,
            retry_on_verdict: p.retry_on_verdict.unwrap_or(true),
            on_task_failure: match enum_value::<pb::TaskFailureAction>(p.on_task_failure, "policy.on_task_failure")? {
                pb::TaskFailureAction::Unspecified => None,
                pb::TaskFailureAction::Fail => Some(TaskFailureAction::Fail),
                pb::TaskFailureAction::Replan => Some(TaskFailureAction::Replan),
            },
            max_replans: match p.max_replans {
                0 => None,
                n if n <= MAX_REPLANS_LIMIT => Some(n),
                _ => {
                    return Err(Error::invalid(
                        "policy.max_replans",
                        format!("at most {MAX_REPLANS_LIMIT} (0: the server's default)"),
                    ))
                }
            },
        },
        None => RunPolicy::default(),
    };
    Ok(RunSpec {
        goal: r.goal,
        criteria: criteria_in(&r.criteria, "criteria")?,
        plan,
        budget: r.budget.as_ref().map(|b| budget_in(b, "budget")).transpose()?.unwrap_or_default(),
        max_parallel: r.max_parallel,
        priority: r.priority,
        labels: r.labels.into_iter().collect::<BTreeMap<_, _>>(),
        request_id: if r.request_id.is_empty() { None } else { Some(r.request_id) },
        policy,
        context: match &r.context {
            Some(s) => struct_to_json(s, "context", 0)?,
            None => Map::new(),
        },
        recipe: None,
        advice_id: advice_id_in(r.advice_id)?,
    })
}

/// A CreateRun's advice id (empty: none), bounded.
fn advice_id_in(id: String) -> Result<Option<String>> {
    if id.len() > 128 {
        return Err(Error::invalid("advice_id", "longer than 128 bytes"));
    }
    Ok(Some(id).filter(|i| !i.is_empty()))
}

/// Reported usage from proto (None when absent).
pub fn usage_in(u: &Option<pb::Usage>, field: &str) -> Result<Option<Usage>> {
    let Some(u) = u else { return Ok(None) };
    if !u.cost_usd.is_finite() || u.cost_usd < 0.0 {
        return Err(Error::invalid(&format!("{field}.cost_usd"), "must be a finite number, not negative"));
    }
    let cap = |x: u64, name: &str| -> Result<i64> {
        i64::try_from(x)
            .ok()
            .filter(|v| *v <= 1_000_000_000_000)
            .ok_or_else(|| Error::invalid(&format!("{field}.{name}"), "absurdly large"))
    };
    Ok(Some(Usage {
        prompt_tokens: cap(u.prompt_tokens, "prompt_tokens")?,
        completion_tokens: cap(u.completion_tokens, "completion_tokens")?,
        tool_calls: cap(u.tool_calls, "tool_calls")?,
        cost_micros: (u.cost_usd.min(1e9) * 1e6) as i64,
    }))
}

// ------------------------------------------------------------------ outbound

pub fn criterion_out(c: &Criterion) -> pb::Criterion {
    pb::Criterion {
        id: c.id.clone(),
        kind: c.kind.clone(),
        params: if c.params.is_empty() { None } else { Some(json_to_struct(&c.params)) },
        advisory: c.advisory,
    }
}

fn retry_out(r: &RetryPolicy) -> pb::RetryPolicy {
    pb::RetryPolicy {
        max_attempts: r.max_attempts,
        initial_backoff: Some(ms_duration(r.initial_backoff_ms)),
        max_backoff: Some(ms_duration(r.max_backoff_ms)),
        multiplier: r.multiplier,
        jitter: r.jitter,
        on_exhausted: match r.on_exhausted {
            RetriesExhausted::Fail => pb::RetriesExhaustedAction::Fail,
            RetriesExhausted::Pause => pb::RetriesExhaustedAction::Pause,
        } as i32,
    }
}

/// A task spec to proto.
pub fn task_out(t: &TaskSpec) -> pb::TaskSpec {
    pb::TaskSpec {
        id: t.id.clone(),
        title: t.title.clone(),
        instructions: t.instructions.clone(),
        agent: t.agent.clone(),
        depends_on: t.depends_on.clone(),
        criteria: t.criteria.iter().map(criterion_out).collect(),
        retry: t.retry.as_ref().map(retry_out),
        timeout: t.timeout_ms.map(ms_duration),
        requires_approval: t.requires_approval,
        optional: t.optional,
        priority: t.priority,
        kind: match t.kind {
            TaskKind::Agent => pb::TaskKind::Agent,
            TaskKind::Aggregate => pb::TaskKind::Aggregate,
            TaskKind::Run => pb::TaskKind::Run,
        } as i32,
        aggregate: match t.aggregate {
            AggregateMode::Concat => pb::AggregateMode::Concat,
            AggregateMode::JsonMerge => pb::AggregateMode::JsonMerge,
            AggregateMode::LlmSummary => pb::AggregateMode::LlmSummary,
        } as i32,
        tools_allowed: t.tools_allowed.clone(),
        tools_denied: t.tools_denied.clone(),
        on_reject: match t.on_reject {
            RejectionAction::Fail => pb::RejectionAction::Fail,
            RejectionAction::Skip => pb::RejectionAction::Skip,
        } as i32,
        metadata: if t.metadata.is_empty() { None } else { Some(json_to_struct(&t.metadata)) },
        when: t.when.as_ref().map(|c| pb::Condition {
            path: c.path.clone(),
            equals: c.equals.as_ref().map(json_to_value),
            negate: c.negate,
        }),
        max_turns: t.max_turns.unwrap_or(0),
        child: t.child.as_ref().map(|c| pb::ChildRun {
            goal: c.goal.clone(),
            plan: c.plan.as_ref().map(|p| pb::Plan { tasks: p.iter().map(task_out).collect() }),
            budget: Some(budget_out(&c.budget)),
        }),
    }
}

pub fn budget_out(b: &domain::Budget) -> pb::Budget {
    pb::Budget {
        max_tokens: b.max_tokens,
        max_tool_calls: b.max_tool_calls,
        max_duration: if b.max_duration_ms == 0 { None } else { Some(ms_duration(b.max_duration_ms)) },
        max_cost_usd: b.max_cost_micros as f64 / 1e6,
        on_exhausted: match b.on_exhausted {
            BudgetPolicy::Fail => pb::BudgetPolicy::Fail,
            BudgetPolicy::Pause => pb::BudgetPolicy::Pause,
            BudgetPolicy::Degrade => pb::BudgetPolicy::Degrade,
        } as i32,
    }
}

/// A verdict to proto.
pub fn verdict_pb(v: &domain::Verdict) -> pb::Verdict {
    pb::Verdict {
        passed: v.passed,
        score: v.score,
        results: v
            .results
            .iter()
            .map(|r| pb::CriterionResult {
                criterion_id: r.criterion_id.clone(),
                kind: r.kind.clone(),
                passed: r.passed,
                score: r.score,
                reason: r.reason.clone(),
                advisory: r.advisory,
                skipped: r.skipped,
                error: r.error,
            })
            .collect(),
        summary: v.summary.clone(),
    }
}

fn verdict_out(s: &Option<String>) -> Option<pb::Verdict> {
    let v: domain::Verdict = serde_json::from_str(s.as_deref()?).ok()?;
    Some(verdict_pb(&v))
}

/// A run to proto.
pub fn run_out(v: &RunView) -> pb::Run {
    let r = &v.run;
    pb::Run {
        id: r.id.clone(),
        workspace: r.workspace_id.clone(),
        goal: r.goal.clone(),
        criteria: v.spec.criteria.iter().map(criterion_out).collect(),
        plan: v.plan.as_ref().map(|p| pb::Plan { tasks: p.iter().map(task_out).collect() }),
        budget: Some(budget_out(&v.spec.budget)),
        usage: Some(pb::Usage {
            prompt_tokens: r.usage.prompt_tokens.max(0) as u64,
            completion_tokens: r.usage.completion_tokens.max(0) as u64,
            tool_calls: r.usage.tool_calls.max(0) as u64,
            cost_usd: r.usage.cost_micros as f64 / 1e6,
        }),
        status: run_status_out(r.status),
        priority: r.priority,
        max_parallel: r.max_parallel.max(0) as u32,
        labels: v.labels.clone().into_iter().collect(),
        trace_id: r.trace_id.clone(),
        output: stored_json(&r.output_json),
        failure_reason: r.failure_reason.clone().unwrap_or_default(),
        verdict: verdict_out(&r.verdict_json),
        created_at: Some(timestamp(r.created_at)),
        updated_at: Some(timestamp(r.updated_at)),
        started_at: opt_timestamp(r.started_at),
        finished_at: opt_timestamp(r.finished_at),
        request_id: r.request_id.clone().unwrap_or_default(),
        task_counts: v.task_counts.iter().map(|(k, n)| (k.clone(), *n)).collect(),
        last_event_seq: r.last_seq.max(0) as u64,
        active_time: r.active_micros.map(|us| ms_duration((us / 1000) as u64)),
        waiting: v
            .waiting
            .iter()
            .map(|w| pb::AgentWait {
                agent: w.agent.clone(),
                ready_tasks: w.ready_tasks,
                last_poll: w.last_poll.map(timestamp),
            })
            .collect(),
        parent: v.parent.as_ref().map(|p| pb::RunParent {
            run_id: p.run_id.clone(),
            task_id: p.task_id.clone(),
            attempt: p.attempt.max(0) as u32,
            depth: p.depth.max(0) as u32,
        }),
        policy: Some(policy_out(&v.spec.policy)),
        recipe: v.spec.recipe.as_ref().map(|r| pb::RecipeRef {
            name: r.name.clone(),
            version: r.version,
            params: Some(json_to_struct(&r.params)),
        }),
    }
}

/// A run's policy overrides to proto.
pub fn policy_out(p: &RunPolicy) -> pb::RunPolicy {
    pb::RunPolicy {
        default_retry: p.default_retry.as_ref().map(retry_out),
        tools_denied: p.tools_denied.clone(),
        rerun_aggregator_on_failed_criteria: p.rerun_aggregator_on_failed_criteria,
        retry_on_verdict: Some(p.retry_on_verdict),
        on_task_failure: match p.on_task_failure {
            None => pb::TaskFailureAction::Unspecified,
            Some(TaskFailureAction::Fail) => pb::TaskFailureAction::Fail,
            Some(TaskFailureAction::Replan) => pb::TaskFailureAction::Replan,
        } as i32,
        max_replans: p.max_replans.unwrap_or(0),
    }
}

fn feedback(s: &Option<String>) -> Vec<String> {
    s.as_deref().and_then(|s| serde_json::from_str(s).ok()).unwrap_or_default()
}

fn attempt_out(a: &Attempt) -> pb::Attempt {
    pb::Attempt {
        number: a.number.max(0) as u32,
        status: attempt_status_out(a.status),
        agent_instance: a.agent_instance.clone(),
        started_at: Some(timestamp(a.started_at)),
        finished_at: opt_timestamp(a.finished_at),
        lease_expires_at: Some(timestamp(a.lease_expires_at)),
        usage: Some(pb::Usage {
            prompt_tokens: a.prompt_tokens.max(0) as u64,
            completion_tokens: a.completion_tokens.max(0) as u64,
            tool_calls: a.tool_calls.max(0) as u64,
            cost_usd: a.cost_micros as f64 / 1e6,
        }),
        output: stored_json(&a.output_json),
        error: a.error.clone().unwrap_or_default(),
        verdict: verdict_out(&a.verdict_json),
        feedback: feedback(&a.feedback_json),
        turns: a.turn.max(1) as u32,
        checkpoint: stored_json(&a.checkpoint_json),
        model: a.model.clone(),
    }
}

/// A task to proto.
pub fn task_view_out(v: &TaskView) -> pb::Task {
    let r = &v.task;
    let inputs = r
        .inputs_json
        .as_deref()
        .and_then(|s| serde_json::from_str::<Map<String, Value>>(s).ok())
        .map(|m| m.iter().map(|(k, v)| (k.clone(), json_to_value(v))).collect())
        .unwrap_or_default();
    pb::Task {
        run_id: r.run_id.clone(),
        id: r.task_id.clone(),
        spec: Some(task_out(&v.spec)),
        status: task_status_out(r.status),
        inputs,
        output: stored_json(&r.output_json),
        attempt_count: r.attempts.max(0) as u32,
        error: r.error.clone().unwrap_or_default(),
        verdict: verdict_out(&r.verdict_json),
        attempts: v.attempts.iter().map(attempt_out).collect(),
        retry_at: opt_timestamp(r.retry_at),
        created_at: Some(timestamp(r.created_at)),
        updated_at: Some(timestamp(r.updated_at)),
    }
}

/// An event to proto.
pub fn event_out(e: &Event) -> pb::RunEvent {
    pb::RunEvent {
        run_id: e.run_id.clone(),
        seq: e.seq.max(0) as u64,
        r#type: e.kind.clone(),
        time: Some(timestamp(e.created_at)),
        task_id: e.task_id.clone().unwrap_or_default(),
        attempt: e.attempt.unwrap_or(0).max(0) as u32,
        from_status: e.from_status.clone().unwrap_or_default(),
        to_status: e.to_status.clone().unwrap_or_default(),
        message: e.message.clone(),
        data: stored_struct(&e.data_json),
    }
}

/// A span (with its events) to proto.
pub fn span_out(t: &TraceSpan) -> pb::Span {
    let s = &t.span;
    pb::Span {
        trace_id: s.trace_id.clone(),
        span_id: s.span_id.clone(),
        parent_span_id: s.parent_span_id.clone().unwrap_or_default(),
        name: s.name.clone(),
        start_time: Some(timestamp(s.start_time)),
        end_time: opt_timestamp(s.end_time),
        attributes: stored_struct(&s.attributes_json),
        events: t
            .events
            .iter()
            .map(|e| pb::SpanEvent {
                name: e.name.clone(),
                time: Some(timestamp(e.time)),
                attributes: Some(json_to_struct(&e.attributes)),
            })
            .collect(),
        status_code: s.status_code.clone(),
        status_message: s.status_message.clone(),
    }
}

/// An assignment to proto.
pub fn assignment_out(a: &Assignment) -> pb::TaskAssignment {
    pb::TaskAssignment {
        run_id: a.run_id.clone(),
        task_id: a.task_id.clone(),
        attempt: a.attempt,
        lease_id: a.lease_id.clone(),
        lease_deadline: Some(timestamp(a.lease_deadline)),
        spec: Some(task_out(&a.spec)),
        inputs: a.inputs.iter().map(|(k, v)| (k.clone(), json_to_value(v))).collect(),
        goal: a.goal.clone(),
        feedback: a.feedback.clone(),
        trace_context: a.trace_context.clone().into_iter().collect(),
        allowed_tools: a.allowed_tools.clone(),
        denied_tools: a.denied_tools.clone(),
        context: if a.context.is_empty() { None } else { Some(json_to_struct(&a.context)) },
        previous_output: a.previous_output.as_ref().map(json_to_value),
        turn: a.turn,
        checkpoint: a.checkpoint.as_ref().map(json_to_value),
        max_turns: a.max_turns,
    }
}

/// Plan analysis to proto.
pub fn analysis_out(a: &domain::PlanAnalysis) -> pb::PlanAnalysis {
    pb::PlanAnalysis {
        topological_order: a.topological_order.clone(),
        width: a.width,
        critical_path: a.critical_path.clone(),
        depth: a.depth,
    }
}
