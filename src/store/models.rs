//! Rows as stored, and the plain records the store hands out.

use diesel::prelude::*;

use super::schema::*;
use crate::domain::{AttemptStatus, RunRecord, RunStatus, SpanRecord, TaskRecord, TaskStatus, Usage};
use crate::error::Result;

/// A run row, but for its plan: the plan is read only where it is needed
/// (views, run verdicts), never on the dispatch path, where a wide run's plan
/// JSON would be copied on every read of the row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = runs)]
pub struct RunRow {
    pub id: String,
    pub workspace_id: String,
    pub request_id: Option<String>,
    pub goal: String,
    pub spec_json: String,
    pub status: RunStatus,
    pub priority: i32,
    pub max_parallel: i32,
    pub running: i32,
    pub open_tasks: i32,
    pub trace_id: String,
    pub root_span_id: String,
    pub parent_span_id: Option<String>,
    pub output_json: Option<String>,
    pub failure_reason: Option<String>,
    pub verdict_json: Option<String>,
    pub prompt_tokens: i64,
    pub completion_tokens: i64,
    pub tool_calls: i64,
    pub cost_micros: i64,
    pub last_seq: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    pub deadline_at: Option<i64>,
    pub degraded: bool,
    pub tracestate: Option<String>,
    pub trace_exported: bool,
    /// When it entered PAUSED or FAILED (None while it is in neither).
    pub stopped_at: Option<i64>,
    /// Time spent PAUSED or FAILED before `stopped_at`: not counted by the wall-clock budget.
    pub stopped_micros: i64,
}

impl RunRow {
    /// A run row for unit tests: EXECUTING, nothing spent, every time 0.
    #[cfg(test)]
    pub(crate) fn example(id: &str, workspace: &str) -> RunRow {
        RunRow {
            id: id.into(),
            workspace_id: workspace.into(),
            request_id: None,
            goal: "g".into(),
            spec_json: "{}".into(),
            status: RunStatus::Executing,
            priority: 0,
            max_parallel: 4,
            running: 0,
            open_tasks: 0,
            trace_id: "t".repeat(32),
            root_span_id: "root".into(),
            parent_span_id: None,
            output_json: None,
            failure_reason: None,
            verdict_json: None,
            prompt_tokens: 0,
            completion_tokens: 0,
            tool_calls: 0,
            cost_micros: 0,
            last_seq: 0,
            created_at: 0,
            updated_at: 0,
            started_at: None,
            finished_at: None,
            deadline_at: None,
            degraded: false,
            tracestate: None,
            trace_exported: false,
            stopped_at: None,
            stopped_micros: 0,
        }
    }

    /// Wall-clock time the run has been started and neither PAUSED nor FAILED
    /// (what `max_duration` limits), in microseconds; None before it starts.
    pub fn active_micros(&self, now: i64) -> Option<i64> {
        let start = self.started_at?;
        let end = match (self.stopped_at, self.finished_at) {
            (Some(stop), _) => stop,
            (None, Some(f)) => f,
            (None, None) => now,
        };
        Some((end - start - self.stopped_micros).max(0))
    }

    /// What the run has used so far.
    pub fn usage(&self) -> Usage {
        Usage {
            prompt_tokens: self.prompt_tokens,
            completion_tokens: self.completion_tokens,
            tool_calls: self.tool_calls,
            cost_micros: self.cost_micros,
        }
    }

    /// The run as the engine answers about it, its active time as of `now`.
    pub fn record(self, now: i64) -> Result<RunRecord> {
        let status = self.status;
        let active_micros = self.active_micros(now);
        Ok(RunRecord {
            status,
            active_micros,
            usage: self.usage(),
            id: self.id,
            workspace_id: self.workspace_id,
            goal: self.goal,
            priority: self.priority,
            max_parallel: self.max_parallel,
            trace_id: self.trace_id,
            output_json: self.output_json,
            failure_reason: self.failure_reason,
            verdict_json: self.verdict_json,
            last_seq: self.last_seq,
            request_id: self.request_id,
            created_at: self.created_at,
            updated_at: self.updated_at,
            started_at: self.started_at,
            finished_at: self.finished_at,
        })
    }
}

impl TaskRow {
    /// The task as the engine answers about it.
    pub fn record(self) -> Result<TaskRecord> {
        let status = self.status;
        Ok(TaskRecord {
            status,
            run_id: self.run_id,
            task_id: self.task_id,
            attempts: self.attempts,
            inputs_json: self.inputs_json,
            output_json: self.output_json,
            error: self.error,
            verdict_json: self.verdict_json,
            retry_at: self.retry_at,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// A task row. A `None` is inserted as NULL (not `DEFAULT`), which lets
/// diesel insert many rows in one statement on SQLite too.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = tasks, treat_none_as_default_value = false)]
pub struct TaskRow {
    pub run_id: String,
    pub task_id: String,
    pub workspace_id: String,
    pub position: i32,
    pub spec_json: String,
    pub agent: String,
    pub kind: String,
    pub optional: bool,
    pub status: TaskStatus,
    pub run_priority: i32,
    pub priority: i32,
    pub remaining_deps: i32,
    pub attempts: i32,
    pub attempt_limit: i32,
    pub lease_id: Option<String>,
    pub lease_expires_at: Option<i64>,
    pub ready_at: Option<i64>,
    pub retry_at: Option<i64>,
    pub inputs_json: Option<String>,
    pub output_json: Option<String>,
    pub error: Option<String>,
    pub verdict_json: Option<String>,
    pub feedback_json: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    /// How many tasks depend on it (-1: not known, for rows stored before it was counted).
    pub dependents: i32,
    /// The turn its next claim starts in its current attempt (0: the next
    /// claim is a fresh attempt; see ContinueTask).
    pub next_turn: i32,
    /// The task whose completion added it (None: a task of the plan).
    pub spawned_by: Option<String>,
    /// How deeply spawns nest above it (0: a task of the plan).
    pub spawn_depth: i32,
}

/// An attempt row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = attempts)]
pub struct AttemptRow {
    pub run_id: String,
    pub task_id: String,
    pub number: i32,
    pub workspace_id: String,
    pub lease_id: String,
    pub agent_instance: String,
    pub status: AttemptStatus,
    pub span_id: String,
    pub started_at: i64,
    pub finished_at: Option<i64>,
    pub lease_expires_at: i64,
    pub deadline_at: i64,
    pub prompt_tokens: i64,
    pub completion_tokens: i64,
    pub tool_calls: i64,
    pub cost_micros: i64,
    pub output_json: Option<String>,
    pub error: Option<String>,
    pub verdict_json: Option<String>,
    pub feedback_json: Option<String>,
    /// Its current turn (1 until its agent asks for another).
    pub turn: i32,
    /// What its agent left for its next turn (JSON).
    pub checkpoint_json: Option<String>,
    /// The usage of its turns before the current one (JSON `Usage`).
    pub banked_usage_json: Option<String>,
    /// When its current turn was claimed (None on the first: `started_at`).
    pub turn_started_at: Option<i64>,
    /// The model an `llm` agent's attempt runs on ("" until its call starts, and for other agents).
    pub model: String,
}

/// A task dependency edge.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = task_deps, treat_none_as_default_value = false)]
pub struct DepRow {
    pub run_id: String,
    pub task_id: String,
    pub depends_on: String,
    pub workspace_id: String,
}

/// A child run: the task of kind `run` (and its attempt) that started it.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = child_runs)]
pub struct ChildRunRow {
    pub child_run_id: String,
    pub workspace_id: String,
    pub parent_run_id: String,
    pub parent_task_id: String,
    pub attempt: i32,
    pub depth: i32,
    pub budget_json: String,
    pub settled: bool,
    pub parent_pause: i32,
    pub created_at: i64,
}

impl ChildRunRow {
    /// Where the child hangs.
    pub fn parent(&self) -> crate::domain::RunParent {
        crate::domain::RunParent {
            run_id: self.parent_run_id.clone(),
            task_id: self.parent_task_id.clone(),
            attempt: self.attempt,
            depth: self.depth,
        }
    }
}

/// One version of a recipe.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = recipes)]
pub struct RecipeRow {
    pub workspace_id: String,
    pub name: String,
    pub version: i32,
    pub spec_json: String,
    pub created_at: i64,
    pub created_by: String,
    pub deleted_at: Option<i64>,
}

/// A schedule.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = schedules, treat_none_as_default_value = false)]
pub struct ScheduleRow {
    pub workspace_id: String,
    pub id: String,
    pub spec_json: String,
    pub paused: bool,
    pub note: String,
    pub next_fire_at: Option<i64>,
    pub next_due_at: Option<i64>,
    pub missed_fires: i64,
    pub created_at: i64,
    pub created_by: String,
    pub updated_at: i64,
}

/// One fire of a schedule.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = schedule_fires, treat_none_as_default_value = false)]
pub struct FireRow {
    pub workspace_id: String,
    pub schedule_id: String,
    pub fire_key: String,
    pub kind: String,
    pub nominal_at: i64,
    pub outcome: String,
    pub run_id: Option<String>,
    pub detail: String,
    pub live: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A run label.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = run_labels, treat_none_as_default_value = false)]
pub struct LabelRow {
    pub run_id: String,
    pub workspace_id: String,
    pub key: String,
    pub value: String,
}

/// An idempotency key.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = idempotency_keys)]
pub struct IdempotencyRow {
    pub workspace_id: String,
    pub request_id: String,
    pub body_hash: String,
    pub run_id: String,
    pub created_at: i64,
}

/// An event row of a run's log, read into a [`crate::domain::Event`].
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = events)]
pub struct EventRow {
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

/// A persisted span.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = spans)]
pub struct SpanRow {
    pub trace_id: String,
    pub span_id: String,
    pub run_id: String,
    pub workspace_id: String,
    pub parent_span_id: Option<String>,
    pub name: String,
    pub start_time: i64,
    pub end_time: Option<i64>,
    pub status_code: String,
    pub status_message: String,
    pub attributes_json: String,
    pub events_json: String,
}

impl From<SpanRow> for SpanRecord {
    fn from(s: SpanRow) -> Self {
        SpanRecord {
            trace_id: s.trace_id,
            span_id: s.span_id,
            parent_span_id: s.parent_span_id,
            name: s.name,
            start_time: s.start_time,
            end_time: s.end_time,
            status_code: s.status_code,
            status_message: s.status_message,
            attributes_json: s.attributes_json,
        }
    }
}

impl From<EventRow> for crate::domain::Event {
    fn from(r: EventRow) -> Self {
        crate::domain::Event {
            run_id: r.run_id,
            seq: r.seq,
            workspace_id: r.workspace_id,
            kind: r.kind,
            task_id: r.task_id,
            attempt: r.attempt,
            from_status: r.from_status,
            to_status: r.to_status,
            message: r.message,
            data_json: r.data_json,
            created_at: r.created_at,
        }
    }
}

impl AttemptRow {
    /// What the attempt has used so far (all its turns).
    pub fn usage(&self) -> Usage {
        Usage {
            prompt_tokens: self.prompt_tokens,
            completion_tokens: self.completion_tokens,
            tool_calls: self.tool_calls,
            cost_micros: self.cost_micros,
        }
    }
}

impl From<AttemptRow> for crate::domain::Attempt {
    fn from(a: AttemptRow) -> Self {
        crate::domain::Attempt {
            number: a.number,
            status: a.status,
            agent_instance: a.agent_instance,
            started_at: a.started_at,
            finished_at: a.finished_at,
            lease_expires_at: a.lease_expires_at,
            prompt_tokens: a.prompt_tokens,
            completion_tokens: a.completion_tokens,
            tool_calls: a.tool_calls,
            cost_micros: a.cost_micros,
            output_json: a.output_json,
            error: a.error,
            verdict_json: a.verdict_json,
            feedback_json: a.feedback_json,
            turn: a.turn,
            checkpoint_json: a.checkpoint_json,
            model: a.model,
        }
    }
}
