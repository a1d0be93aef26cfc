//! What the engine answers about stored things, as plain values: the API
//! converts these to protobuf and never sees a store row.

use super::{AttemptStatus, Micros, RunStatus, TaskStatus, Usage};

/// One attempt of a task, as GetTask shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    pub number: i32,
    pub status: AttemptStatus,
    pub agent_instance: String,
    pub started_at: Micros,
    pub finished_at: Option<Micros>,
    pub lease_expires_at: Micros,
    pub prompt_tokens: i64,
    pub completion_tokens: i64,
    pub tool_calls: i64,
    pub cost_micros: i64,
    /// The output as stored JSON (None when it gave way to the answer's size budget).
    pub output_json: Option<String>,
    pub error: Option<String>,
    pub verdict_json: Option<String>,
    pub feedback_json: Option<String>,
    /// Its turns so far (1 until its agent asks for another).
    pub turn: i32,
    /// What its agent left for its next turn (JSON), if it asked for one.
    pub checkpoint_json: Option<String>,
    /// The model an `llm` agent's attempt ran on ("" for other agents).
    pub model: String,
}

/// An API key without its secret or the secret's hash: all that leaves the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    pub id: String,
    pub workspace: String,
    /// A `Role` name.
    pub role: String,
    pub name: String,
    pub created_at: Micros,
    pub revoked_at: Option<Micros>,
}

/// A task as its trace needs it: its span is assembled from this and its events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TracedTask {
    pub task_id: String,
    pub agent: String,
    /// Its title, or its id when it has none.
    pub title: String,
    /// The status it has now.
    pub status: TaskStatus,
    /// The task whose completion added it (its span's parent).
    pub spawned_by: Option<String>,
}

/// An attempt as its trace needs it (no output: a trace carries none).
#[derive(Debug, Clone, PartialEq)]
pub struct TracedAttempt {
    pub task_id: String,
    /// Its span's id, chosen when it was claimed.
    pub span_id: String,
    pub attempt: Attempt,
}

/// A run as the engine answers about it: its stored facts, its status typed.
#[derive(Debug, Clone, PartialEq)]
pub struct RunRecord {
    pub id: String,
    pub workspace_id: String,
    pub goal: String,
    pub status: RunStatus,
    pub priority: i32,
    pub max_parallel: i32,
    pub trace_id: String,
    pub output_json: Option<String>,
    pub failure_reason: Option<String>,
    pub verdict_json: Option<String>,
    pub usage: Usage,
    /// The sequence number of its last event.
    pub last_seq: i64,
    pub request_id: Option<String>,
    pub created_at: Micros,
    pub updated_at: Micros,
    pub started_at: Option<Micros>,
    pub finished_at: Option<Micros>,
    /// Time it has been started and neither PAUSED nor FAILED, as of when it
    /// was read (what `max_duration` limits); None before it starts.
    pub active_micros: Option<i64>,
}

/// A task as the engine answers about it (its spec apart): its stored facts,
/// its status typed.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskRecord {
    pub run_id: String,
    pub task_id: String,
    pub status: TaskStatus,
    /// Attempts so far.
    pub attempts: i32,
    pub inputs_json: Option<String>,
    pub output_json: Option<String>,
    pub error: Option<String>,
    pub verdict_json: Option<String>,
    pub retry_at: Option<Micros>,
    pub created_at: Micros,
    pub updated_at: Micros,
}

/// A span of a run's trace, as stored or assembled.
#[derive(Debug, Clone, PartialEq)]
pub struct SpanRecord {
    pub trace_id: String,
    pub span_id: String,
    pub parent_span_id: Option<String>,
    pub name: String,
    pub start_time: Micros,
    pub end_time: Option<Micros>,
    /// "unset", "ok" or "error".
    pub status_code: String,
    pub status_message: String,
    /// A JSON object.
    pub attributes_json: String,
}
