//! The domain: runs, tasks, plans, budgets and their rules, as plain Rust.
//!
//! Architecture invariant: nothing here imports tonic, prost or diesel, and
//! nothing here does I/O. The store applies these rules inside transactions;
//! the API converts these types to and from protobuf.

pub mod advice;
pub mod candidates;
pub mod cascade;
pub mod child;
pub mod condition;
pub mod decide;
pub mod event;
pub mod fleet;
pub mod jsonpath;
pub mod plan;
pub mod planned;
pub mod recipe;
pub mod retry;
pub mod run;
pub mod schedule;
pub mod spawn;
pub mod stats;
pub mod status;
pub mod transitions;
pub mod usage;
pub mod verdict;
pub mod views;

pub use child::{ChildRunSpec, RunParent};
pub use condition::Condition;
pub use event::{Event, EventKind, NewEvent};
pub use plan::{
    AggregateMode, Criterion, EffectiveTools, PlanAnalysis, PlanLimits, RejectionAction, TaskKind, TaskSpec, ToolRules,
    Violation,
};
pub use retry::{RetriesExhausted, RetryPolicy};
pub use run::{Budget, BudgetChange, BudgetPolicy, RunFilter, RunPolicy, RunSpec};
pub use status::{AttemptStatus, Directive, RunStatus, TaskStatus};
pub use usage::Usage;
pub use verdict::{CriterionResult, Verdict};
pub use views::{ApiKey, Attempt, RunRecord, SpanRecord, TaskRecord, TracedAttempt, TracedTask};

/// Microseconds since the Unix epoch: the one time unit of the store.
pub type Micros = i64;

/// The current time in microseconds since the Unix epoch.
pub fn now_micros() -> Micros {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_micros() as i64).unwrap_or(0)
}

/// A fresh run id: "run_" and 32 hex digits.
pub fn new_run_id() -> String {
    format!("run_{}", uuid::Uuid::new_v4().simple())
}

/// A fresh lease id (unguessable: it is the agent's only credential for its attempt).
pub fn new_lease_id() -> String {
    format!("lease_{}", uuid::Uuid::new_v4().simple())
}

/// A fresh W3C trace id (32 hex digits).
pub fn new_trace_id() -> String {
    format!("{:032x}", uuid::Uuid::new_v4().as_u128())
}

/// A fresh W3C span id (16 hex digits).
pub fn new_span_id() -> String {
    format!("{:016x}", fastrand::u64(1..))
}

/// A caller's W3C trace context: the run's trace joins the caller's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceParent {
    /// 32 hex digits.
    pub trace_id: String,
    /// 16 hex digits: the caller's span, parent of the run's root span.
    pub span_id: String,
    /// The W3C tracestate header, if any.
    pub tracestate: Option<String>,
}

/// The workspace every row belongs to until authentication assigns others.
pub const DEFAULT_WORKSPACE: &str = "default";
