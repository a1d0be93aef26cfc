//! The state machine's decisions, as functions from state to effects.
//!
//! [`super::transitions`] says which status may follow which; this module
//! says which one *does*: what a finished task releases, whether a failed
//! attempt is retried, what a task's inputs make of it, what a run's end is
//! and what a spent budget does. Each decision takes the facts it needs as
//! plain values and returns the [`Effect`]s to apply, in order. The store
//! reads the facts, calls the decision and applies its effects inside one
//! transaction (`store::apply`); it decides nothing itself. No I/O here:
//! every rule is unit-tested below each function.
//!
//! A decision is about one *subject*: a task (the task effects act on it) or
//! the run. An effect that ends a task ([`Effect::Finished`]) makes the store
//! ask [`after_finished`] next, so a completion's consequences (released
//! dependents, an aggregate computed on the spot, the run's end) unfold as a
//! chain of decisions, each one testable alone.

mod requests;
mod runs;
mod steering;
mod tasks;
mod turns;
mod verdicts;

pub use requests::{approval, may_retry, may_take_verdict, retry_task, Approval, Reopened, Reopening, TaskState};
pub use runs::{
    budget, budget_is_checked, closing_status, is_plain_root, run_end, run_is_done, skipped_when_degraded,
    starts_at_once, BudgetDecision, EndedTask,
};
pub use steering::{after_resume, steer, Steer, Steering};
pub use tasks::{
    after_failed_attempt, after_finished, aggregate, closed_by_skip, expired_attempt, readiness, releases_dependents,
    Dependent, ExpiredAttempt, FailedAttempt, FinishedTask, Revisions, SkippedDownstream,
};
pub use turns::{continuation, turn_usage, Continuation};
pub use verdicts::{run_verdict, task_verdict, RunVerdict, TaskVerdict, VerifiedEnd};

use super::run::Exhausted;
use super::status::{RunStatus, TaskStatus};
use super::BudgetPolicy;

/// A change a decision asks for. Task effects act on the decision's subject
/// task; run effects on its run.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// PENDING → READY (or WAITING_APPROVAL) with its inputs (a JSON object of
    /// its dependencies' outputs by id).
    Ready { to: TaskStatus, inputs_json: String },
    /// PENDING → SUCCEEDED: an aggregate whose output was computed from its inputs.
    Aggregated { inputs_json: String, output_json: String },
    /// The task fails with `error`; `why` is its status event's message.
    FailTask { error: String, why: String },
    /// PENDING → SKIPPED: its condition does not hold (`why`, also its error).
    SkipTask { why: String },
    /// A required task was skipped: the tasks that depended on it can never
    /// run ([`closed_by_skip`] says which are skipped, and which of them
    /// release or close their own dependents).
    SkipDependents,
    /// The task waits out a backoff before its next attempt.
    ScheduleRetry { error: String, backoff_ms: u64 },
    /// The task is terminal now: what follows is [`after_finished`]'s to decide.
    Finished,
    /// The task's dependents count it as done; those left with no dependency become ready.
    ReleaseDependents,
    /// The run ends if nothing is open ([`run_is_done`], then [`run_end`]).
    FinishIfDone,
    /// The run's tasks are over: its output is set and it goes to `to`
    /// (COMPLETED, or VERIFYING when it has criteria of its own).
    EndRun { output_json: String, to: RunStatus, why: &'static str },
    /// The run fails: the tasks downstream of `skip_downstream_of` are
    /// SKIPPED, every other open task CANCELLED ([`closing_status`]).
    FailRun { reason: String, skip_downstream_of: Option<String> },
    /// A required task failed and its run replans: the planner is asked to
    /// revise what is left (the run does not end while it waits).
    AwaitReplan { task_id: String, reason: String },
    /// The run pauses; `failure_reason` tells a person what to do.
    PauseRun { why: String, failure_reason: String },
    /// A budget ran out (its event).
    BudgetExhausted { exhausted: Exhausted, reason: String, policy: BudgetPolicy },
    /// The run is degraded: its optional work that has not started is skipped.
    Degrade,
}
