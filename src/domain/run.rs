//! Runs: their specification, budget and policy.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::plan::{Criterion, PlanLimits, TaskSpec, Violation};
use super::retry::RetryPolicy;

/// What a run does when a budget is exhausted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BudgetPolicy {
    /// Fail the run.
    #[default]
    Fail,
    /// Pause the run until resumed with more budget.
    Pause,
    /// Continue cheaper.
    Degrade,
}

/// Per-run limits; zero is unlimited.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Budget {
    /// Prompt plus completion tokens.
    pub max_tokens: u64,
    /// Tool calls.
    pub max_tool_calls: u64,
    /// Wall-clock milliseconds from the run's start.
    pub max_duration_ms: u64,
    /// Cost in micro-dollars.
    pub max_cost_micros: u64,
    /// What happens on exhaustion.
    pub on_exhausted: BudgetPolicy,
}

/// A change to a run's budget (`ResumeRun`): each set field replaces the
/// run's (zero removing that limit); unset fields keep theirs.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BudgetChange {
    /// New token limit.
    pub max_tokens: Option<u64>,
    /// New tool-call limit.
    pub max_tool_calls: Option<u64>,
    /// New wall-clock limit.
    pub max_duration_ms: Option<u64>,
    /// New cost limit.
    pub max_cost_micros: Option<u64>,
    /// New exhaustion policy.
    pub on_exhausted: Option<BudgetPolicy>,
}

impl BudgetChange {
    /// The budget after the change.
    pub fn apply(&self, b: &Budget) -> Budget {
        Budget {
            max_tokens: self.max_tokens.unwrap_or(b.max_tokens),
            max_tool_calls: self.max_tool_calls.unwrap_or(b.max_tool_calls),
            max_duration_ms: self.max_duration_ms.unwrap_or(b.max_duration_ms),
            max_cost_micros: self.max_cost_micros.unwrap_or(b.max_cost_micros),
            on_exhausted: self.on_exhausted.unwrap_or(b.on_exhausted),
        }
    }

    /// Whether it changes nothing.
    pub fn is_empty(&self) -> bool {
        *self == BudgetChange::default()
    }
}

/// Per-run overrides of the server policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunPolicy {
    /// Retry policy of tasks without their own.
    #[serde(default)]
    pub default_retry: Option<RetryPolicy>,
    /// Tools denied to every task.
    #[serde(default)]
    pub tools_denied: Vec<String>,
    /// Re-run the aggregator once when the run's criteria fail.
    #[serde(default)]
    pub rerun_aggregator_on_failed_criteria: bool,
    /// Retry a task whose attempt failed verification (with the verdict as
    /// feedback); false fails it at once, for kinds of work where retries
    /// never rescue. Runs stored before the field existed retry.
    #[serde(default = "yes")]
    pub retry_on_verdict: bool,
    /// What a required task that used its retries does: fail the run, or
    /// have the planner revise the rest of the plan (None: the server
    /// policy's `on_task_failure`, filled in when the run is created).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_task_failure: Option<TaskFailureAction>,
    /// Revisions at most (`replan`; None: the server policy's `planner.max_replans`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_replans: Option<u32>,
}

/// What a required task that used its retries does to its run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskFailureAction {
    /// The run fails (its downstream tasks skipped, the rest cancelled).
    #[default]
    Fail,
    /// The planner is asked to revise what is left, given what succeeded and
    /// what failed; the run goes on with its revision.
    Replan,
}

/// The most revisions a run may ask for.
pub const MAX_REPLANS_LIMIT: u32 = 10;

impl RunPolicy {
    /// Whether a required task's failure may still be answered by a revision,
    /// after `replans` of them.
    pub fn may_replan(&self, replans: i32) -> bool {
        self.on_task_failure == Some(TaskFailureAction::Replan)
            && i64::from(replans) < i64::from(self.max_replans.unwrap_or(2))
    }
}

fn yes() -> bool {
    true
}

impl Default for RunPolicy {
    fn default() -> Self {
        RunPolicy {
            default_retry: None,
            tools_denied: Vec::new(),
            rerun_aggregator_on_failed_criteria: false,
            retry_on_verdict: true,
            on_task_failure: None,
            max_replans: None,
        }
    }
}

/// Everything a client asks for when it creates a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct RunSpec {
    /// What the run is for.
    pub goal: String,
    /// Criteria on the run's output.
    pub criteria: Vec<Criterion>,
    /// The plan; None asks the planner.
    pub plan: Option<Vec<TaskSpec>>,
    /// Limits.
    pub budget: Budget,
    /// Most attempts at once (0 = server default).
    pub max_parallel: u32,
    /// Higher first.
    pub priority: i32,
    /// Caller labels.
    pub labels: BTreeMap<String, String>,
    /// Idempotency key.
    pub request_id: Option<String>,
    /// Policy overrides.
    pub policy: RunPolicy,
    /// Context handed to every agent.
    pub context: serde_json::Map<String, serde_json::Value>,
    /// The recipe it was made from, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipe: Option<super::recipe::RecipeRef>,
    /// The advice (Advise) it was made after, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advice_id: Option<String>,
}

/// Which runs ListRuns answers with (every condition given must hold).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunFilter {
    /// In one of these statuses (any when empty).
    pub statuses: Vec<super::RunStatus>,
    /// Carrying every one of these labels.
    pub labels: BTreeMap<String, String>,
    /// Child runs of this run.
    pub parent_run_id: Option<String>,
}

/// Limits on a run's own fields.
#[derive(Debug, Clone)]
pub struct RunLimits {
    /// Bytes of the goal.
    pub max_goal_len: usize,
    /// Labels per run.
    pub max_labels: usize,
    /// Bytes of a label key.
    pub max_label_key_len: usize,
    /// Bytes of a label value.
    pub max_label_value_len: usize,
    /// Bytes of a request id.
    pub max_request_id_len: usize,
    /// Highest max_parallel.
    pub max_parallel: u32,
    /// The plan's limits.
    pub plan: PlanLimits,
}

impl Default for RunLimits {
    fn default() -> Self {
        RunLimits {
            max_goal_len: 16 * 1024,
            max_labels: 32,
            max_label_key_len: 63,
            max_label_value_len: 256,
            max_request_id_len: 128,
            max_parallel: 1_000,
            plan: PlanLimits::default(),
        }
    }
}

/// Checks a label key: lowercase letters, digits, '-', '_', '.', '/'.
fn valid_label_key(k: &str) -> bool {
    !k.is_empty()
        && k.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.' | '/'))
}

/// Checks labels (also used by ListRuns filters).
pub fn validate_labels(field: &str, labels: &BTreeMap<String, String>, limits: &RunLimits, v: &mut Vec<Violation>) {
    if labels.len() > limits.max_labels {
        v.push(Violation::new(field, format!("at most {} labels", limits.max_labels)));
        return;
    }
    for (k, val) in labels {
        if k.len() > limits.max_label_key_len || !valid_label_key(k) {
            v.push(Violation::new(
                format!("{field}[{}]", super::plan::truncate(k, 32)),
                format!("label keys are 1–{} characters of a-z, 0-9, '-', '_', '.', '/'", limits.max_label_key_len),
            ));
        }
        if val.len() > limits.max_label_value_len {
            v.push(Violation::new(
                format!("{field}[{}]", super::plan::truncate(k, 32)),
                format!("label values are at most {} bytes", limits.max_label_value_len),
            ));
        }
    }
}

/// Validates the run's own fields (not the plan).
pub fn validate_run_fields(spec: &RunSpec, limits: &RunLimits) -> Vec<Violation> {
    let mut v = Vec::new();
    if spec.goal.trim().is_empty() {
        v.push(Violation::new("goal", "a run needs a goal"));
    } else if spec.goal.len() > limits.max_goal_len {
        v.push(Violation::new("goal", format!("longer than {} bytes", limits.max_goal_len)));
    }
    if spec.max_parallel > limits.max_parallel {
        v.push(Violation::new("max_parallel", format!("at most {}", limits.max_parallel)));
    }
    if let Some(r) = &spec.request_id {
        if r.len() > limits.max_request_id_len {
            v.push(Violation::new("request_id", format!("longer than {} bytes", limits.max_request_id_len)));
        }
    }
    validate_labels("labels", &spec.labels, limits, &mut v);
    super::plan::validate_criteria("criteria", &spec.criteria, &limits.plan, &mut v);
    if let Some(r) = &spec.policy.default_retry {
        super::plan::validate_retry("policy.default_retry", r, &mut v);
    }
    v
}

/// A budget that ran out: which, its limit and what was used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exhausted {
    /// tokens, tool_calls, cost or duration.
    pub budget: &'static str,
    /// The limit (micro-dollars for cost, milliseconds for duration).
    pub limit: u64,
    /// What was used, in the same unit.
    pub used: u64,
}

impl Exhausted {
    /// A sentence for failure reasons.
    pub fn describe(&self) -> String {
        let (unit, scale) = match self.budget {
            "cost" => (" USD", 1e6),
            "duration" => (" ms", 1.0),
            _ => ("", 1.0),
        };
        if scale == 1.0 {
            format!("{} budget exhausted: used {}{unit} of {}{unit}", self.budget, self.used, self.limit)
        } else {
            format!(
                "{} budget exhausted: used {:.6}{unit} of {:.6}{unit}",
                self.budget,
                self.used as f64 / scale,
                self.limit as f64 / scale
            )
        }
    }
}

/// The first exhausted budget, if any. A limit of zero is no limit; a budget
/// is exhausted when usage reaches its limit (so no new work starts at the limit).
pub fn exhausted(budget: &Budget, usage: &super::Usage, elapsed_ms: Option<u64>) -> Option<Exhausted> {
    let checks = [
        ("tokens", budget.max_tokens, usage.tokens().max(0) as u64),
        ("tool_calls", budget.max_tool_calls, usage.tool_calls.max(0) as u64),
        ("cost", budget.max_cost_micros, usage.cost_micros.max(0) as u64),
        ("duration", budget.max_duration_ms, elapsed_ms.unwrap_or(0)),
    ];
    checks.into_iter().find(|(_, limit, used)| *limit > 0 && used >= limit).map(|(budget, limit, used)| Exhausted {
        budget,
        limit,
        used,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Usage;

    #[test]
    fn a_budget_change_replaces_only_the_fields_it_sets() {
        let b = Budget {
            max_tokens: 100,
            max_tool_calls: 5,
            max_duration_ms: 60_000,
            max_cost_micros: 7,
            on_exhausted: BudgetPolicy::Pause,
        };
        let raised = BudgetChange { max_tokens: Some(500), ..Default::default() }.apply(&b);
        assert_eq!(raised, Budget { max_tokens: 500, ..b.clone() });
        let unlimited = BudgetChange { max_duration_ms: Some(0), ..Default::default() }.apply(&b);
        assert_eq!(unlimited, Budget { max_duration_ms: 0, ..b.clone() });
        assert!(BudgetChange::default().is_empty());
        assert_eq!(BudgetChange::default().apply(&b), b);
    }

    #[test]
    fn zero_is_unlimited_and_the_limit_itself_is_exhausted() {
        let none = Budget::default();
        let big = Usage { prompt_tokens: 1 << 40, ..Default::default() };
        assert_eq!(exhausted(&none, &big, Some(1 << 40)), None);
        let b = Budget { max_tokens: 100, ..Default::default() };
        let at = Usage { prompt_tokens: 60, completion_tokens: 40, ..Default::default() };
        assert_eq!(exhausted(&b, &at, None).map(|e| e.budget), Some("tokens"));
        let under = Usage { prompt_tokens: 60, completion_tokens: 39, ..Default::default() };
        assert_eq!(exhausted(&b, &under, None), None);
        let t = Budget { max_duration_ms: 1000, ..Default::default() };
        assert_eq!(
            exhausted(&t, &Usage::default(), Some(1000)).map(|e| e.describe()),
            Some("duration budget exhausted: used 1000 ms of 1000 ms".into())
        );
    }
}
