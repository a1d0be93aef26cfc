//! The command-line client (same binary as the server): create, inspect,
//! steer and watch runs over gRPC, validate plans, verify outputs.
//!
//! - `commands`: the client subcommands, their flags and what they do.
//! - `live`: `run watch` / `run create --watch`: a live view on a terminal,
//!   one line (or JSON object) per event otherwise.
//! - `json`: the JSON objects of `--output json`.
//! - here: plan files, exit codes, the connection, text rendering.

pub mod commands;
pub mod json;
pub mod live;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use serde::Deserialize;

use crate::api::convert as cv;
use crate::config::RetryPolicyFile;
use crate::domain::{AggregateMode, RejectionAction, TaskKind, TaskSpec};
use crate::proto::v1 as pb;
use crate::proto::v1::coordinator_service_client::CoordinatorServiceClient;
use crate::proto::v1::run_service_client::RunServiceClient;
use crate::proto::v1::verifier_service_client::VerifierServiceClient;

/// A plan file (YAML or JSON): a goal and its tasks.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanFile {
    /// What the run is for.
    #[serde(default)]
    pub goal: String,
    /// Most tasks at once.
    #[serde(default)]
    pub max_parallel: u32,
    /// Higher first.
    #[serde(default)]
    pub priority: i32,
    /// Labels.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// The tasks.
    pub tasks: Vec<TaskFile>,
}

/// A task in a plan file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskFile {
    id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    instructions: String,
    #[serde(default)]
    agent: String,
    #[serde(default)]
    depends_on: Vec<String>,
    #[serde(default)]
    optional: bool,
    #[serde(default)]
    requires_approval: bool,
    #[serde(default)]
    priority: i32,
    #[serde(default)]
    timeout: Option<String>,
    #[serde(default)]
    retry: Option<RetryPolicyFile>,
    #[serde(default)]
    kind: TaskKind,
    #[serde(default)]
    aggregate: AggregateMode,
    #[serde(default)]
    on_reject: RejectionAction,
    #[serde(default)]
    metadata: serde_json::Map<String, serde_json::Value>,
}

impl PlanFile {
    /// Reads a plan file.
    pub fn load(path: &Path) -> Result<PlanFile, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        serde_yaml_ng::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// The plan as protobuf.
    pub fn to_proto(&self) -> Result<pb::Plan, String> {
        let mut tasks = Vec::with_capacity(self.tasks.len());
        for t in &self.tasks {
            let timeout_ms = match &t.timeout {
                Some(s) => {
                    Some(humantime::parse_duration(s).map_err(|e| format!("task {:?} timeout: {e}", t.id))?.as_millis()
                        as u64)
                }
                None => None,
            };
            let spec = TaskSpec {
                id: t.id.clone(),
                title: t.title.clone(),
                instructions: t.instructions.clone(),
                agent: t.agent.clone(),
                depends_on: t.depends_on.clone(),
                retry: t.retry.as_ref().map(RetryPolicyFile::to_policy),
                timeout_ms,
                requires_approval: t.requires_approval,
                optional: t.optional,
                priority: t.priority,
                kind: t.kind,
                aggregate: t.aggregate,
                on_reject: t.on_reject,
                metadata: t.metadata.clone(),
                ..Default::default()
            };
            tasks.push(cv::task_out(&spec));
        }
        Ok(pb::Plan { tasks })
    }
}

/// Exit codes: what a script can tell apart.
pub mod exit {
    /// The command succeeded (the run completed; the verdict passed).
    pub const OK: i32 = 0;
    /// The run failed or was cancelled (or a verdict failed).
    pub const RUN_FAILED: i32 = 1;
    /// Bad usage or bad input: flags, files, or INVALID_ARGUMENT from the server (clap also uses 2).
    pub const USAGE: i32 = 2;
    /// The server could not be reached or answered with another error.
    pub const SERVER: i32 = 3;

    /// The exit codes as shown by `--help`.
    pub const HELP: &str = "Exit codes (client commands):\n  \
        0  success; the run COMPLETED (watch); the verdict passed (verify)\n  \
        1  the run FAILED or was CANCELLED (watch); the verdict failed (verify)\n  \
        2  bad usage or input: flags, files, INVALID_ARGUMENT from the server\n  \
        3  the server could not be reached or answered with another error";
}

/// Sends `authorization: Bearer KEY` with every call when a key is set.
#[derive(Clone)]
pub struct ApiKey(Option<tonic::metadata::MetadataValue<tonic::metadata::Ascii>>);

impl tonic::service::Interceptor for ApiKey {
    fn call(&mut self, mut req: tonic::Request<()>) -> Result<tonic::Request<()>, tonic::Status> {
        if let Some(v) = &self.0 {
            req.metadata_mut().insert("authorization", v.clone());
        }
        Ok(req)
    }
}

/// A channel that carries the API key.
pub type Authed = tonic::service::interceptor::InterceptedService<tonic::transport::Channel, ApiKey>;

/// A connected client.
pub struct Client {
    /// RunService.
    pub runs: RunServiceClient<Authed>,
    /// CoordinatorService.
    pub coordinator: CoordinatorServiceClient<Authed>,
    /// VerifierService.
    pub verifier: VerifierServiceClient<Authed>,
}

impl Client {
    /// Connects to a server ("http://host:port"; a bare "host:port" means http),
    /// sending `api_key` (if any) as a bearer token with every call.
    pub async fn connect(server: &str, api_key: Option<&str>) -> Result<Client, String> {
        let key = match api_key.filter(|k| !k.is_empty()) {
            Some(k) => Some(
                format!("Bearer {k}")
                    .parse()
                    .map_err(|_| "the API key has characters a header cannot carry".to_string())?,
            ),
            None => None,
        };
        let url = if server.contains("://") { server.to_string() } else { format!("http://{server}") };
        let endpoint = tonic::transport::Endpoint::from_shared(url)
            .map_err(|e| format!("bad server address {server:?}: {e}"))?
            .connect_timeout(Duration::from_secs(5));
        let channel = endpoint.connect().await.map_err(|e| format!("cannot connect to {server}: {e}"))?;
        let key = ApiKey(key);
        Ok(Client {
            runs: RunServiceClient::with_interceptor(channel.clone(), key.clone()),
            coordinator: CoordinatorServiceClient::with_interceptor(channel.clone(), key.clone()),
            verifier: VerifierServiceClient::with_interceptor(channel, key),
        })
    }
}

/// The short name of a run status ("COMPLETED").
pub fn run_status_name(status: i32) -> &'static str {
    pb::RunStatus::try_from(status).map(|s| s.as_str_name().trim_start_matches("RUN_STATUS_")).unwrap_or("UNKNOWN")
}

/// The short name of a task status ("WAITING_APPROVAL").
pub fn task_status_name(status: i32) -> &'static str {
    pb::TaskStatus::try_from(status).map(|s| s.as_str_name().trim_start_matches("TASK_STATUS_")).unwrap_or("UNKNOWN")
}

/// Whether a run status is terminal.
pub fn is_terminal(status: i32) -> bool {
    matches!(
        pb::RunStatus::try_from(status),
        Ok(pb::RunStatus::Completed | pb::RunStatus::Failed | pb::RunStatus::Cancelled)
    )
}

/// One event as a line of text.
pub fn event_line(e: &pb::RunEvent) -> String {
    let time = e.time.as_ref().map(|t| {
        let secs = t.seconds.rem_euclid(86_400);
        format!("{:02}:{:02}:{:02}.{:03}", secs / 3600, secs / 60 % 60, secs % 60, t.nanos / 1_000_000)
    });
    let change = if e.to_status.is_empty() { String::new() } else { format!(" {} → {}", e.from_status, e.to_status) };
    let task = if e.task_id.is_empty() { String::new() } else { format!(" [{}]", e.task_id) };
    format!("{:>5} {} {:<20}{task}{change}  {}", e.seq, time.unwrap_or_default(), e.r#type, e.message)
}

/// A status message for a failed RPC.
pub fn status_text(s: &tonic::Status) -> String {
    use tonic_types::StatusExt;
    let mut text = format!("{:?}: {}", s.code(), s.message());
    if let Some(bad) = s.get_details_bad_request() {
        for v in bad.field_violations {
            text.push_str(&format!("\n  {}: {}", v.field, v.description));
        }
    }
    text
}

/// Prints a run for people.
pub fn print_run_summary(r: &pb::Run) {
    print!("{}", run_summary(r));
}

/// A run for people: status, reason, task counts, usage against the budget, output.
pub fn run_summary(r: &pb::Run) -> String {
    let mut out = format!("run {}  {}\n", r.id, run_status_name(r.status));
    if !r.failure_reason.is_empty() {
        out.push_str(&format!("  reason: {}\n", r.failure_reason));
    }
    let mut counts: Vec<_> = r.task_counts.iter().collect();
    counts.sort();
    let counts: Vec<String> = counts.iter().map(|(k, v)| format!("{}={v}", k.to_lowercase())).collect();
    out.push_str(&format!("  tasks: {}\n", counts.join(" ")));
    let gauges: Vec<String> = live::gauges(r).iter().map(live::Gauge::text).collect();
    out.push_str(&format!("  usage: {}\n", gauges.join(", ")));
    if let Some(v) = &r.verdict {
        out.push_str(&format!("  verdict: {}\n", verdict_headline(v)));
    }
    if let Some(o) = r.output.as_ref().and_then(|v| cv::value_to_json(v, "output", 0).ok()) {
        if !o.is_null() {
            let text = o.to_string();
            let shown: String = text.chars().take(400).collect();
            out.push_str(&format!("  output: {shown}{}\n", if text.len() > shown.len() { "…" } else { "" }));
        }
    }
    out
}

/// One line describing a task: id, status, attempts, error.
pub fn task_line(t: &pb::Task) -> String {
    let mut line = format!("{:<24} {:<16} attempts={}", t.id, task_status_name(t.status), t.attempt_count);
    if let Some(agent) = t.spec.as_ref().map(|s| s.agent.as_str()).filter(|a| !a.is_empty()) {
        line.push_str(&format!("  agent={agent}"));
    }
    if !t.error.is_empty() {
        line.push_str(&format!("  error: {}", plan_trunc(&t.error, 200)));
    }
    line
}

fn verdict_headline(v: &pb::Verdict) -> String {
    let word = if v.passed { "passed" } else { "FAILED" };
    let summary = if v.summary.is_empty() { String::new() } else { format!("  {}", v.summary) };
    format!("{word}  score={:.2}{summary}", v.score)
}

/// A verdict for people: a headline, then one line per criterion.
pub fn verdict_text(v: &pb::Verdict) -> String {
    let mut out = format!("verdict {}\n", verdict_headline(v));
    for r in &v.results {
        let mark = if r.skipped {
            "skip"
        } else if r.passed {
            "ok"
        } else if r.advisory {
            "warn"
        } else {
            "FAIL"
        };
        out.push_str(&format!("  {mark:<4} {:<24} {:.2}  {}\n", r.criterion_id, r.score, r.reason));
    }
    out
}

fn attr<'a>(s: &'a pb::Span, key: &str) -> Option<&'a prost_types::value::Kind> {
    s.attributes.as_ref()?.fields.get(key)?.kind.as_ref()
}

fn attr_text(s: &pb::Span, key: &str) -> Option<String> {
    use prost_types::value::Kind;
    match attr(s, key)? {
        Kind::StringValue(v) => Some(v.clone()),
        Kind::NumberValue(n) if n.fract() == 0.0 => Some(format!("{}", *n as i64)),
        Kind::NumberValue(n) => Some(format!("{n:.2}")),
        Kind::BoolValue(b) => Some(b.to_string()),
        _ => None,
    }
}

fn micros(t: &Option<prost_types::Timestamp>) -> Option<i64> {
    t.as_ref().map(|t| t.seconds * 1_000_000 + i64::from(t.nanos) / 1000)
}

fn duration_text(s: &pb::Span) -> String {
    match (micros(&s.start_time), micros(&s.end_time)) {
        (Some(a), Some(b)) => {
            let ms = (b - a) as f64 / 1000.0;
            if ms >= 1000.0 {
                format!("{:.2}s", ms / 1000.0)
            } else {
                format!("{ms:.1}ms")
            }
        }
        _ => "open".into(),
    }
}

/// One line describing a span: its name, what it is about, how long, how it ended.
pub fn span_line(s: &pb::Span) -> String {
    let mut parts = vec![];
    let label = match s.name.as_str() {
        "task" => format!("task {}", attr_text(s, "orchestrator.task.id").unwrap_or_default()),
        "attempt" => format!("attempt {}", attr_text(s, "orchestrator.attempt.number").unwrap_or_default()),
        "llm.chat" => format!(
            "llm.chat {}",
            attr_text(s, "gen_ai.response.model").or_else(|| attr_text(s, "gen_ai.request.model")).unwrap_or_default()
        ),
        other => other.to_string(),
    };
    parts.push(label);
    parts.push(duration_text(s));
    parts.push(match s.status_code.as_str() {
        "error" => format!("ERROR {}", plan_trunc(&s.status_message, 120)),
        "ok" => "ok".into(),
        _ => "…".into(),
    });
    for (key, name) in [
        ("orchestrator.agent.name", "agent"),
        ("orchestrator.agent.instance", "on"),
        ("orchestrator.retry.backoff_ms", "backoff_ms"),
        ("orchestrator.plan.tasks", "tasks"),
        ("orchestrator.verify.passed", "passed"),
        ("orchestrator.verify.score", "score"),
    ] {
        if s.name == "task" && key == "orchestrator.agent.instance" {
            continue;
        }
        if let Some(v) = attr_text(s, key) {
            parts.push(format!("{name}={v}"));
        }
    }
    let (i, o) = (attr_text(s, "gen_ai.usage.input_tokens"), attr_text(s, "gen_ai.usage.output_tokens"));
    if let (Some(i), Some(o)) = (i, o) {
        if i != "0" || o != "0" {
            parts.push(format!("tokens={i}+{o}"));
        }
    }
    parts.join("  ")
}

fn plan_trunc(s: &str, n: usize) -> String {
    crate::domain::plan::truncate(s, n)
}

/// A trace as an indented tree, children by start time.
pub fn trace_tree(t: &pb::RunTrace) -> String {
    let ids: std::collections::HashSet<&str> = t.spans.iter().map(|s| s.span_id.as_str()).collect();
    let mut children: std::collections::HashMap<&str, Vec<&pb::Span>> = std::collections::HashMap::new();
    let mut roots = vec![];
    for s in &t.spans {
        if ids.contains(s.parent_span_id.as_str()) {
            children.entry(s.parent_span_id.as_str()).or_default().push(s);
        } else {
            roots.push(s);
        }
    }
    for list in children.values_mut() {
        list.sort_by_key(|s| micros(&s.start_time));
    }
    let mut out = format!("trace {}\n", t.trace_id);
    fn walk<'a>(
        s: &'a pb::Span,
        prefix: &str,
        last: bool,
        top: bool,
        children: &std::collections::HashMap<&str, Vec<&'a pb::Span>>,
        out: &mut String,
    ) {
        let branch = if top {
            ""
        } else if last {
            "└─ "
        } else {
            "├─ "
        };
        out.push_str(&format!("{prefix}{branch}{}\n", span_line(s)));
        let next = if top { String::new() } else { format!("{prefix}{}", if last { "   " } else { "│  " }) };
        let kids = children.get(s.span_id.as_str()).map(Vec::as_slice).unwrap_or(&[]);
        for (i, c) in kids.iter().enumerate() {
            walk(c, &next, i + 1 == kids.len(), false, children, out);
        }
    }
    for r in roots {
        walk(r, "", true, true, &children, &mut out);
    }
    out
}
