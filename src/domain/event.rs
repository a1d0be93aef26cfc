//! Events: the append-only log of a run.

use serde_json::{Map, Value};

use super::status::{RunStatus, TaskStatus};

/// The event types of the log (see `RunEvent` in the proto).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// The run was accepted.
    RunCreated,
    /// The run changed status.
    RunStatusChanged,
    /// A task changed status.
    TaskStatusChanged,
    /// An attempt was claimed.
    AttemptStarted,
    /// An attempt's turn ended with a request for another turn (ContinueTask).
    AttemptContinued,
    /// The next turn of an attempt was claimed.
    TurnStarted,
    /// An attempt reported progress.
    AttemptHeartbeat,
    /// An attempt reported its output.
    AttemptCompleted,
    /// An attempt failed.
    AttemptFailed,
    /// An attempt's lease expired.
    AttemptLost,
    /// Output of an attempt's process (stderr).
    AttemptOutput,
    /// Usage was charged to the run.
    UsageCharged,
    /// A verdict was recorded.
    VerdictRecorded,
    /// A budget ran out.
    BudgetExhausted,
    /// A task was approved.
    TaskApproved,
    /// A task was rejected.
    TaskRejected,
    /// A mutating call by a person.
    Audit,
    /// An agent reported a tool outside its policy.
    ToolViolation,
    /// The planner's answer was changed to make it a plan (ids, dependencies, agents).
    PlanNormalised,
    /// A call to a model (the planner's, an `llm` agent's): its span in the trace.
    LlmChat,
    /// A completion added tasks to its run (or re-pointed tasks at them).
    PlanExtended,
    /// A required task failed and the planner is asked to revise the rest of the plan.
    ReplanRequested,
    /// The planner's revision replaced what a failed task left unrunnable.
    PlanRevised,
    /// A task of kind `run` started its child run (the attempt is the child).
    ChildRunStarted,
    /// A `model: cascade` agent's attempt chose its model.
    CascadeStep,
}

impl EventKind {
    /// The stored type name.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::RunCreated => "run.created",
            EventKind::RunStatusChanged => "run.status_changed",
            EventKind::TaskStatusChanged => "task.status_changed",
            EventKind::AttemptStarted => "attempt.started",
            EventKind::AttemptContinued => "attempt.continued",
            EventKind::TurnStarted => "attempt.turn_started",
            EventKind::AttemptHeartbeat => "attempt.heartbeat",
            EventKind::AttemptCompleted => "attempt.completed",
            EventKind::AttemptFailed => "attempt.failed",
            EventKind::AttemptLost => "attempt.lost",
            EventKind::AttemptOutput => "attempt.output",
            EventKind::UsageCharged => "usage.charged",
            EventKind::VerdictRecorded => "verdict.recorded",
            EventKind::BudgetExhausted => "run.budget_exhausted",
            EventKind::TaskApproved => "task.approved",
            EventKind::TaskRejected => "task.rejected",
            EventKind::Audit => "audit",
            EventKind::ToolViolation => "tool.violation",
            EventKind::PlanNormalised => "plan.normalised",
            EventKind::LlmChat => "llm.chat",
            EventKind::PlanExtended => "plan.extended",
            EventKind::ReplanRequested => "plan.replanning",
            EventKind::PlanRevised => "plan.revised",
            EventKind::ChildRunStarted => "child_run.started",
            EventKind::CascadeStep => "cascade.step",
        }
    }
}

/// An event about to be appended (the store gives it its sequence number).
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    /// Its type.
    pub kind: EventKind,
    /// The task it concerns.
    pub task_id: Option<String>,
    /// The attempt it concerns.
    pub attempt: Option<i32>,
    /// Previous status name.
    pub from_status: Option<String>,
    /// New status name.
    pub to_status: Option<String>,
    /// A human-readable line.
    pub message: String,
    /// Details.
    pub data: Map<String, Value>,
}

impl NewEvent {
    /// An event with just a kind and a message.
    pub fn new(kind: EventKind, message: impl Into<String>) -> Self {
        NewEvent {
            kind,
            task_id: None,
            attempt: None,
            from_status: None,
            to_status: None,
            message: message.into(),
            data: Map::new(),
        }
    }

    /// A run status change.
    pub fn run_status(from: RunStatus, to: RunStatus, message: impl Into<String>) -> Self {
        NewEvent {
            from_status: Some(from.as_str().into()),
            to_status: Some(to.as_str().into()),
            ..NewEvent::new(EventKind::RunStatusChanged, message)
        }
    }

    /// A task status change.
    pub fn task_status(task_id: &str, from: TaskStatus, to: TaskStatus, message: impl Into<String>) -> Self {
        NewEvent {
            task_id: Some(task_id.into()),
            from_status: Some(from.as_str().into()),
            to_status: Some(to.as_str().into()),
            ..NewEvent::new(EventKind::TaskStatusChanged, message)
        }
    }

    /// Makes this event also the record of its task's status change: a
    /// claim's `attempt.started` (READY → RUNNING) and a completion's
    /// `attempt.completed` (RUNNING → SUCCEEDED or VERIFYING) are each the
    /// transition's one event. Every event that moves a task has a task and
    /// both statuses; `task.status_changed` is the kind for the other moves.
    pub fn moving_task(mut self, task_id: &str, from: TaskStatus, to: TaskStatus) -> Self {
        self.task_id = Some(task_id.into());
        self.from_status = Some(from.as_str().into());
        self.to_status = Some(to.as_str().into());
        self
    }

    /// Sets the task.
    pub fn task(mut self, task_id: &str) -> Self {
        self.task_id = Some(task_id.into());
        self
    }

    /// Sets the attempt.
    pub fn attempt(mut self, n: i32) -> Self {
        self.attempt = Some(n);
        self
    }

    /// Adds a detail.
    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.data.insert(key.into(), value.into());
        self
    }
}

/// A committed event of a run's log: numbered within its run, stamped, with
/// its data as JSON text (as stored; the API parses it).
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub run_id: String,
    pub seq: i64,
    pub workspace_id: String,
    pub kind: String,
    pub task_id: Option<String>,
    pub attempt: Option<i32>,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub message: String,
    pub data_json: String,
    pub created_at: i64,
}
