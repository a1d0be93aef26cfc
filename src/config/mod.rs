//! Typed configuration, passed explicitly (no globals), and the server's
//! policy (agents and their executors, models, budgets, retries, tools,
//! hooks, limits, retention), read from a WORKFLOW.md or a plain YAML file
//! (see [`workflow`]).

pub mod workflow;

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Deserializer};

use crate::domain::run::RunLimits;
use crate::domain::RetryPolicy;
use crate::error::{Error, Result};
use crate::store::DatabaseUrl;

/// Everything the server needs to run.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where the state lives.
    pub database: DatabaseUrl,
    /// Lease granted per claim and per heartbeat.
    pub lease: Duration,
    /// Attempt timeout for tasks that set none.
    pub default_task_timeout: Duration,
    /// Longest PollTask wait.
    pub max_poll_wait: Duration,
    /// max_parallel for runs that set none.
    pub default_max_parallel: u32,
    /// Most attempts running on this server at once (None: unlimited).
    pub max_running_total: Option<i64>,
    /// Size limits on requests.
    pub limits: Limits,
    /// The policy at start (agents and executors, …); the engine holds the
    /// current one, which a watched policy file may replace while serving.
    pub policy: Policy,
    /// The policy file to watch for changes (None: the policy is fixed).
    pub policy_file: Option<PolicyFile>,
    /// How often the policy file is looked at.
    pub policy_poll_interval: Duration,
    /// How often the background pruner looks for runs past their retention.
    pub prune_interval: Duration,
    /// Whether the background recorder turns finished attempts into outcomes.
    pub record_outcomes: bool,
    /// Pause between two pruned batches (so the writer serves others between them).
    pub prune_pause: Duration,
    /// How often the reconciler looks at leases at the latest.
    pub reconcile_interval: Duration,
    /// Where finished runs' traces are exported (None: kept in the store only).
    pub otlp: Option<crate::telemetry::otlp::OtlpConfig>,
    /// Whether every RPC needs an API key.
    pub auth_required: bool,
    /// TLS certificate and key (PEM), and the CA of client certificates to require.
    pub tls: Option<TlsFiles>,
    /// Where to write how many database statements the server ran, when it
    /// stops (`orchestrator bench` divides them by tasks).
    pub statements_file: Option<std::path::PathBuf>,
}

/// A watched policy file.
#[derive(Debug, Clone)]
pub struct PolicyFile {
    /// Its path.
    pub path: std::path::PathBuf,
    /// SHA-256 of the content the starting policy was read from.
    pub digest: String,
}

/// PEM files for TLS.
#[derive(Debug, Clone)]
pub struct TlsFiles {
    /// The server's certificate chain.
    pub cert: std::path::PathBuf,
    /// Its private key.
    pub key: std::path::PathBuf,
    /// When set, clients must present a certificate signed by this CA.
    pub client_ca: Option<std::path::PathBuf>,
}

/// Size limits on requests.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Limits on runs and plans.
    pub run: RunLimits,
    /// Largest gRPC message accepted, in bytes.
    pub max_message_bytes: usize,
    /// Largest task output, in bytes of JSON.
    pub max_output_bytes: usize,
    /// Largest page of ListRuns.
    pub max_runs_page: u32,
    /// Largest page of ListTasks and ListRunEvents.
    pub max_events_page: u32,
    /// Most unfinished runs per workspace.
    pub max_runs_in_flight: u32,
    /// Most concurrent WatchRun streams per workspace.
    pub max_watchers: u32,
    /// Requests per second per workspace (0: unlimited).
    pub rate_limit: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            run: RunLimits::default(),
            max_message_bytes: 2 * 1024 * 1024,
            max_output_bytes: 2 * 1024 * 1024,
            max_runs_page: 500,
            max_events_page: 1000,
            max_runs_in_flight: 10_000,
            max_watchers: 1_000,
            rate_limit: 0,
        }
    }
}

impl Config {
    /// Defaults around a database URL.
    pub fn new(database: DatabaseUrl) -> Self {
        Config {
            database,
            lease: Duration::from_secs(30),
            default_task_timeout: Duration::from_secs(300),
            max_poll_wait: Duration::from_secs(60),
            default_max_parallel: 8,
            max_running_total: None,
            limits: Limits::default(),
            policy: Policy::default(),
            policy_file: None,
            policy_poll_interval: Duration::from_secs(1),
            prune_interval: Duration::from_secs(60),
            record_outcomes: true,
            prune_pause: Duration::from_millis(100),
            reconcile_interval: Duration::from_secs(1),
            otlp: None,
            auth_required: false,
            tls: None,
            statements_file: None,
        }
    }
}

/// How an agent's tasks are executed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ExecutorKind {
    /// An out-of-process program speaking the agent protocol (PollTask …).
    #[default]
    Agent,
    /// A local program from this file, run per task (JSON on stdin and stdout).
    Command,
    /// The built-in LLM agent.
    Llm,
}

impl ExecutorKind {
    /// Its name in the policy file (and in outcomes, `policy check`, ListAgents).
    pub fn as_str(&self) -> &'static str {
        match self {
            ExecutorKind::Agent => "agent",
            ExecutorKind::Command => "command",
            ExecutorKind::Llm => "llm",
        }
    }
}

/// An agent the server knows.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentPolicy {
    /// The name tasks address.
    pub name: String,
    /// What it is good at (shown to the planner).
    #[serde(default)]
    pub description: String,
    /// Its capabilities (shown to the planner).
    #[serde(default)]
    pub capabilities: Vec<String>,
    /// Who executes its tasks.
    #[serde(default)]
    pub executor: ExecutorKind,
    /// For `command`: the program and its arguments (never from a client).
    #[serde(default)]
    pub command: Vec<String>,
    /// For `command`: environment variables set for the program.
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// Most of its tasks running at once (for `command` and `llm`, the number of workers).
    #[serde(default)]
    pub concurrency: Option<u32>,
    /// For `llm`: the system prompt of its calls.
    #[serde(default)]
    pub system_prompt: String,
    /// For `llm`: which model it calls.
    #[serde(default)]
    pub model: ModelRole,
    /// The agent layer of the tool policy.
    #[serde(default)]
    pub tools: crate::domain::ToolRules,
}

/// What a tool call outside the policy does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ToolViolation {
    /// Record a `tool.violation` event and go on.
    #[default]
    Warn,
    /// Record it and fail the attempt (not retried).
    Fail,
}

/// Per-workspace settings in the policy file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkspacePolicy {
    /// The workspace layer of the tool policy.
    #[serde(default)]
    pub tools: crate::domain::ToolRules,
}

/// Which configured model a call uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelRole {
    /// The main model.
    #[default]
    Main,
    /// The cheaper utility model (falls back to the main one when unset).
    Utility,
    /// `models.cascade`: the cheapest model first, the next on each retry.
    Cascade,
}

/// The models the server may call.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Models {
    /// The main model.
    #[serde(default)]
    pub main: Option<crate::llm::ModelConfig>,
    /// A cheaper model for planning and judging (and for degraded runs).
    #[serde(default)]
    pub utility: Option<crate::llm::ModelConfig>,
    /// The models of `model: cascade` agents, cheapest first.
    #[serde(default)]
    pub cascade: Option<Cascade>,
}

/// The most models a cascade may have.
pub const MAX_CASCADE_MODELS: usize = 8;
/// The most outcomes `min_samples` may ask for: what a cascade's choice
/// reads of a kind (`store::kind_record`, its newest).
pub const MAX_CASCADE_SAMPLES: u32 = 5_000;

/// The verifier-driven model cascade of `model: cascade` agents: an
/// attempt runs on the cheapest model, and each retry (after a rejected
/// output, or any failure) on the next; a model whose outcomes on a task's
/// kind show it failing that kind is skipped for it (never the last).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cascade {
    /// The models, cheapest first (1 to [`MAX_CASCADE_MODELS`]).
    pub models: Vec<crate::llm::ModelConfig>,
    /// A model whose pass rate on a task kind is below this is skipped for
    /// that kind ...
    #[serde(default = "default_cascade_pass_rate")]
    pub min_pass_rate: f64,
    /// ... once it has at least this many outcomes of the kind ...
    #[serde(default = "default_cascade_samples")]
    pub min_samples: u32,
    /// ... within this window ("30d").
    #[serde(default = "default_cascade_window", deserialize_with = "duration")]
    pub window: Duration,
}

fn default_cascade_pass_rate() -> f64 {
    0.5
}

fn default_cascade_samples() -> u32 {
    5
}

fn default_cascade_window() -> Duration {
    Duration::from_secs(30 * 24 * 3600)
}

/// The planner's settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlannerConfig {
    /// Repairs asked for after an invalid plan, before the run fails.
    #[serde(default = "default_repairs")]
    pub max_repairs: u32,
    /// The prompt template ({{goal}}, {{agents}}, {{criteria}}); a built-in one when unset.
    #[serde(default)]
    pub prompt: Option<String>,
    /// Most tasks a planned run may have.
    #[serde(default = "default_planned_tasks")]
    pub max_tasks: u32,
    /// `max_tokens` of each planner call (the model's own, when smaller, wins;
    /// so does what is left of the run's token budget).
    #[serde(default = "default_planner_tokens")]
    pub max_tokens: u32,
    /// How long planning a run may take, repairs included ("3m"); `PlanRun`
    /// answers within it too (or the client's own deadline, when shorter).
    #[serde(default = "default_planning_deadline", deserialize_with = "duration")]
    pub deadline: Duration,
    /// Revisions per run under `on_task_failure: replan` when the run sets none (1 to 10).
    #[serde(default = "default_max_replans")]
    pub max_replans: u32,
}

fn default_max_replans() -> u32 {
    2
}

fn default_repairs() -> u32 {
    2
}

fn default_planned_tasks() -> u32 {
    20
}

fn default_planner_tokens() -> u32 {
    2048
}

fn default_planning_deadline() -> Duration {
    Duration::from_secs(180)
}

impl Default for PlannerConfig {
    fn default() -> Self {
        PlannerConfig {
            max_repairs: default_repairs(),
            prompt: None,
            max_tasks: default_planned_tasks(),
            max_tokens: default_planner_tokens(),
            deadline: default_planning_deadline(),
            max_replans: default_max_replans(),
        }
    }
}

/// Continuation turns (ContinueTask): how soon an attempt's next turn is
/// handed out and how many turns an attempt may take.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContinuationPolicy {
    /// The wait before a task's next turn is handed out ("1s"; at most 1h).
    #[serde(default = "default_turn_delay", deserialize_with = "duration")]
    pub delay: Duration,
    /// Turns per attempt of tasks that set no `max_turns` (1 to 1000).
    #[serde(default = "default_max_turns")]
    pub max_turns: u32,
}

fn default_turn_delay() -> Duration {
    Duration::from_secs(1)
}

fn default_max_turns() -> u32 {
    20
}

impl Default for ContinuationPolicy {
    fn default() -> Self {
        ContinuationPolicy { delay: default_turn_delay(), max_turns: default_max_turns() }
    }
}

/// A default budget as written in the policy file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetFile {
    /// Prompt plus completion tokens.
    #[serde(default)]
    pub max_tokens: u64,
    /// Tool calls.
    #[serde(default)]
    pub max_tool_calls: u64,
    /// Wall-clock time from the run's start ("30m").
    #[serde(default, deserialize_with = "opt_duration")]
    pub max_duration: Option<Duration>,
    /// US dollars.
    #[serde(default)]
    pub max_cost_usd: f64,
    /// fail, pause or degrade.
    #[serde(default)]
    pub on_exhausted: crate::domain::BudgetPolicy,
}

impl BudgetFile {
    /// The domain budget.
    pub fn to_budget(&self) -> crate::domain::Budget {
        crate::domain::Budget {
            max_tokens: self.max_tokens,
            max_tool_calls: self.max_tool_calls,
            max_duration_ms: self.max_duration.map(|d| d.as_millis() as u64).unwrap_or(0),
            max_cost_micros: (self.max_cost_usd.max(0.0) * 1e6) as u64,
            on_exhausted: self.on_exhausted,
        }
    }
}

/// Commands run around every command-executor task, each a program and its
/// arguments, fed the task as JSON on stdin.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hooks {
    /// Run before the task; a non-zero exit fails the attempt (retryable).
    #[serde(default)]
    pub before_task: Vec<String>,
    /// Run after the task (with its outcome); a failure is recorded as an event.
    #[serde(default)]
    pub after_task: Vec<String>,
}

/// A recipe kept as code in the policy file: a recipe file's fields (a
/// CreateRecipeRequest in the proto JSON mapping: `name`, `description`,
/// `parameters`, `template`) and the workspaces it is kept in.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PolicyRecipe {
    /// The recipe's name.
    pub name: String,
    /// The workspaces it is kept in (none: the default workspace).
    #[serde(default)]
    pub workspaces: Vec<String>,
    /// The rest of the recipe, as a recipe file has it (checked by the API
    /// layer, which knows the proto mapping).
    #[serde(flatten)]
    pub request: serde_json::Map<String, serde_json::Value>,
}

impl PolicyRecipe {
    /// The workspaces it is kept in.
    pub fn workspaces(&self) -> Vec<&str> {
        if self.workspaces.is_empty() {
            vec![crate::domain::DEFAULT_WORKSPACE]
        } else {
            self.workspaces.iter().map(String::as_str).collect()
        }
    }
}

/// The server's policy file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Known agents.
    #[serde(default)]
    pub agents: Vec<AgentPolicy>,
    /// Hooks of the command executor.
    #[serde(default)]
    pub hooks: Hooks,
    /// Retry policy of tasks that set none.
    #[serde(default)]
    pub default_retry: Option<RetryPolicyFile>,
    /// Budget of runs that set none (field by field).
    #[serde(default)]
    pub default_budget: Option<BudgetFile>,
    /// Models for planning, the `llm` executor and judging.
    #[serde(default)]
    pub models: Models,
    /// The planner.
    #[serde(default)]
    pub planner: PlannerConfig,
    /// Continuation turns.
    #[serde(default)]
    pub continuation: ContinuationPolicy,
    /// What a required task that used its retries does in runs that set
    /// nothing: `fail` (default) or `replan`.
    #[serde(default)]
    pub on_task_failure: crate::domain::run::TaskFailureAction,
    /// The server layer of the tool policy.
    #[serde(default)]
    pub tools: crate::domain::ToolRules,
    /// Per-workspace settings (the workspace layer of the tool policy).
    #[serde(default)]
    pub workspaces: BTreeMap<String, WorkspacePolicy>,
    /// What a tool call outside the policy does.
    #[serde(default)]
    pub tool_violation: ToolViolation,
    /// Server limits (applied at start; flags and environment variables win).
    #[serde(default)]
    pub limits: LimitsFile,
    /// How long terminal runs are kept (absent: forever).
    #[serde(default)]
    pub retention: Option<Retention>,
    /// Recipes kept as code: each is a new version of its recipe in its
    /// workspaces whenever it differs from their latest.
    #[serde(default)]
    pub recipes: Vec<PolicyRecipe>,
    /// The directory of the file the policy came from: `command` agents and
    /// hooks run there, and a relative program path is taken from there (not
    /// from wherever the server was started). None for policy text.
    #[serde(skip)]
    pub base_dir: Option<std::path::PathBuf>,
}

/// Server limits as written in the policy file. Each may also be set by a
/// flag or an environment variable, which win; these apply at start only.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LimitsFile {
    /// Lease per claim and per heartbeat (`--lease`).
    #[serde(deserialize_with = "opt_duration")]
    pub lease: Option<Duration>,
    /// Attempt timeout of tasks that set none (`--task-timeout`).
    #[serde(deserialize_with = "opt_duration")]
    pub task_timeout: Option<Duration>,
    /// max_parallel of runs that set none (`--default-max-parallel`).
    pub default_max_parallel: Option<u32>,
    /// Attempts running on this server at once, 0 unlimited (`--max-running`).
    pub max_running: Option<i64>,
    /// Unfinished runs per workspace (`--max-runs-in-flight`).
    pub max_runs_in_flight: Option<u32>,
    /// WatchRun streams per workspace (`--max-watchers`).
    pub max_watchers: Option<u32>,
    /// Requests per second per workspace, 0 unlimited (`--rate-limit`).
    pub rate_limit: Option<u32>,
}

/// How long terminal runs are kept before the pruner deletes them.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Retention {
    /// For every workspace without its own (absent: forever).
    #[serde(default)]
    pub default: Option<Period>,
    /// Per workspace (by name), overriding the default.
    #[serde(default)]
    pub workspaces: BTreeMap<String, Period>,
}

impl Retention {
    /// The period of a workspace (None: kept forever).
    pub fn of(&self, workspace: &str) -> Option<Duration> {
        match self.workspaces.get(workspace).or(self.default.as_ref()) {
            Some(Period::After(d)) => Some(*d),
            Some(Period::Forever) | None => None,
        }
    }
}

/// A retention period: a duration ("30d", "12h") or `forever`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// Never pruned.
    Forever,
    /// Pruned this long after the run finished.
    After(Duration),
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s.trim() == "forever" {
            return Ok(Period::Forever);
        }
        humantime::parse_duration(s.trim()).map(Period::After).map_err(|e| {
            serde::de::Error::custom(format!("{e}: expected a duration such as 30d, 12h, 90m, or `forever`"))
        })
    }
}

/// A retry policy as written in the policy file (durations as text: "1s", "500ms").
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetryPolicyFile {
    /// Attempts in all.
    pub max_attempts: Option<u32>,
    /// First backoff.
    #[serde(default, deserialize_with = "opt_duration")]
    pub initial_backoff: Option<Duration>,
    /// Largest backoff.
    #[serde(default, deserialize_with = "opt_duration")]
    pub max_backoff: Option<Duration>,
    /// Growth per attempt.
    pub multiplier: Option<f64>,
    /// Random spread.
    pub jitter: Option<f64>,
}

impl RetryPolicyFile {
    /// The domain policy, defaults filled in.
    pub fn to_policy(&self) -> RetryPolicy {
        let d = RetryPolicy::default();
        RetryPolicy {
            max_attempts: self.max_attempts.unwrap_or(d.max_attempts),
            initial_backoff_ms: self.initial_backoff.map(|x| x.as_millis() as u64).unwrap_or(d.initial_backoff_ms),
            max_backoff_ms: self.max_backoff.map(|x| x.as_millis() as u64).unwrap_or(d.max_backoff_ms),
            multiplier: self.multiplier.unwrap_or(d.multiplier),
            jitter: self.jitter.or(d.jitter),
            on_exhausted: d.on_exhausted,
        }
    }
}

fn duration<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Duration, D::Error> {
    let s = String::deserialize(d)?;
    humantime::parse_duration(&s).map_err(serde::de::Error::custom)
}

fn opt_duration<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<Duration>, D::Error> {
    let s: Option<String> = Option::deserialize(d)?;
    s.map(|s| humantime::parse_duration(&s).map_err(serde::de::Error::custom)).transpose()
}

impl Policy {
    /// Parses and checks plain YAML policy text (errors name `policy` as the file).
    pub fn parse(text: &str) -> Result<Policy> {
        workflow::parse("policy", text, workflow::Format::Yaml).map_err(|e| Error::invalid("policy", e.to_string()))
    }

    /// The agent of this name.
    pub fn agent(&self, name: &str) -> Option<&AgentPolicy> {
        self.agents.iter().find(|a| a.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_parses_command_agents_and_rejects_mistakes() {
        let p =
            Policy::parse("agents:\n  - name: echo\n    executor: command\n    command: [cat]\n    concurrency: 2\n")
                .expect("valid");
        assert_eq!(p.agent("echo").map(|a| a.concurrency), Some(Some(2)));
        let e = Policy::parse("agents:\n  - name: x\n    executor: command\n").expect_err("no command");
        assert!(e.to_string().contains("agents[0].command"));
        let e = Policy::parse("agents:\n  - name: x\n    bogus: 1\n").expect_err("unknown field");
        assert!(e.to_string().contains("policy:3:5: agents[0].bogus"), "{e}");
    }
}
