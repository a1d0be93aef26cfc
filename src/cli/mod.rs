//! The command-line client (same binary as the server): create, inspect,
//! steer and watch runs over gRPC, validate plans, verify outputs.
//!
//! - `admin`: `workspace`, `key`, `prune`, `migrate` (on the database).
//! - `commands`: the client subcommands, their flags and what they do.
//! - `live`: `run watch` / `run create --watch`: a live view on a terminal,
//!   one line (or JSON object) per event otherwise.
//! - `json`: the JSON objects of `--output json`.
//! - `plan_file`: plan and verify files (the proto's JSON mapping, in YAML or JSON).
//! - here: exit codes, the connection, text rendering.

pub mod admin;
pub mod agents;
pub mod commands;
pub mod json;
pub mod live;
pub mod plan_file;
pub mod recipes;
pub mod schedules;
pub mod stats;
pub mod tree;

use std::time::Duration;

use crate::api::convert as cv;
use crate::proto::v1 as pb;
use crate::proto::v1::admin_service_client::AdminServiceClient;
use crate::proto::v1::coordinator_service_client::CoordinatorServiceClient;
use crate::proto::v1::run_service_client::RunServiceClient;
use crate::proto::v1::verifier_service_client::VerifierServiceClient;

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
    /// AdminService.
    pub admin: AdminServiceClient<Authed>,
    /// RecipeService.
    pub recipes: crate::proto::v1::recipe_service_client::RecipeServiceClient<Authed>,
    /// ScheduleService.
    pub schedules: crate::proto::v1::schedule_service_client::ScheduleServiceClient<Authed>,
    /// GuidanceService.
    pub guidance: crate::proto::v1::guidance_service_client::GuidanceServiceClient<Authed>,
}

/// How to reach a server: its address, the API key, TLS.
#[derive(Debug, Clone, Default)]
pub struct Connection {
    /// "https://host:port" (TLS), "http://host:port", or a bare "host:port" (http,
    /// or TLS when a TLS file is given).
    pub server: String,
    /// Sent as `authorization: Bearer KEY` with every call.
    pub api_key: Option<String>,
    /// PEM CA certificate(s) to trust instead of the system's roots.
    pub tls_ca: Option<std::path::PathBuf>,
    /// PEM client certificate chain (for servers that require client certificates).
    pub tls_cert: Option<std::path::PathBuf>,
    /// PEM private key of the client certificate.
    pub tls_key: Option<std::path::PathBuf>,
    /// The name the server's certificate must carry, when not the host of `server`.
    pub tls_domain: Option<String>,
}

impl Connection {
    /// Whether calls go over TLS.
    pub fn tls(&self) -> bool {
        self.server.starts_with("https://") || self.tls_ca.is_some() || self.tls_cert.is_some()
    }

    /// The endpoint URL ("https://…" over TLS).
    fn url(&self) -> String {
        let bare = self.server.trim_start_matches("http://").trim_start_matches("https://");
        if self.tls() {
            format!("https://{bare}")
        } else if self.server.contains("://") {
            self.server.clone()
        } else {
            format!("http://{bare}")
        }
    }

    fn tls_config(&self) -> Result<tonic::transport::ClientTlsConfig, String> {
        use tonic::transport::{Certificate, ClientTlsConfig, Identity};
        let read = |p: &std::path::Path, what: &str| {
            std::fs::read(p).map_err(|e| format!("cannot read the {what} {}: {e}", p.display()))
        };
        let mut tls = match &self.tls_ca {
            Some(ca) => ClientTlsConfig::new().ca_certificate(Certificate::from_pem(read(ca, "TLS CA")?)),
            None => ClientTlsConfig::new().with_native_roots(),
        };
        match (&self.tls_cert, &self.tls_key) {
            (Some(c), Some(k)) => {
                tls = tls.identity(Identity::from_pem(read(c, "client certificate")?, read(k, "client key")?))
            }
            (None, None) => {}
            _ => return Err("--tls-cert and --tls-key go together".into()),
        }
        if let Some(d) = &self.tls_domain {
            tls = tls.domain_name(d.clone());
        }
        Ok(tls)
    }
}

impl Client {
    /// Connects to a server, sending the API key (if any) as a bearer token
    /// with every call, over TLS when asked. A key sent in clear to a host
    /// that is not this machine earns a warning.
    pub async fn connect(conn: &Connection) -> Result<Client, String> {
        let server = &conn.server;
        let key = match conn.api_key.as_deref().filter(|k| !k.is_empty()) {
            Some(k) => Some(
                format!("Bearer {k}")
                    .parse()
                    .map_err(|_| "the API key has characters a header cannot carry".to_string())?,
            ),
            None => None,
        };
        let url = conn.url();
        let mut endpoint = tonic::transport::Endpoint::from_shared(url.clone())
            .map_err(|e| format!("bad server address {server:?}: {e}"))?
            .connect_timeout(Duration::from_secs(5));
        if conn.tls() {
            endpoint = endpoint.tls_config(conn.tls_config()?).map_err(|e| format!("TLS: {e}"))?;
        } else if key.is_some() && !is_loopback(&url) {
            eprintln!("warning: the API key goes to {server} in clear; use https:// (or --tls-ca) for a remote server");
        }
        let channel = endpoint.connect().await.map_err(|e| connect_error(server, &e))?;
        let key = ApiKey(key);
        Ok(Client {
            runs: RunServiceClient::with_interceptor(channel.clone(), key.clone()),
            coordinator: CoordinatorServiceClient::with_interceptor(channel.clone(), key.clone()),
            verifier: VerifierServiceClient::with_interceptor(channel.clone(), key.clone()),
            admin: AdminServiceClient::with_interceptor(channel.clone(), key.clone()),
            recipes: crate::proto::v1::recipe_service_client::RecipeServiceClient::with_interceptor(
                channel.clone(),
                key.clone(),
            ),
            schedules: crate::proto::v1::schedule_service_client::ScheduleServiceClient::with_interceptor(
                channel.clone(),
                key.clone(),
            ),
            guidance: crate::proto::v1::guidance_service_client::GuidanceServiceClient::with_interceptor(channel, key),
        })
    }
}

/// "cannot connect to X: …" with the transport error's causes (a TLS
/// failure is otherwise just "transport error").
fn connect_error(server: &str, e: &tonic::transport::Error) -> String {
    let mut text = format!("cannot connect to {server}: {e}");
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(&format!(": {s}"));
        source = s.source();
    }
    text
}

fn is_loopback(url: &str) -> bool {
    let host = url.split("://").nth(1).unwrap_or(url);
    let host = host.rsplit_once(':').map(|(h, _)| h).unwrap_or(host).trim_matches(['[', ']']);
    host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
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

/// Whether errors are printed as JSON (`--output json`): set once a command knows.
static JSON_ERRORS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Prints errors as JSON objects on standard output from now on (or as text on standard error).
pub fn errors_as_json(on: bool) {
    JSON_ERRORS.store(on, std::sync::atomic::Ordering::Relaxed);
}

/// What to do about an error, in the command line's words (the server's
/// messages speak the wire: headers and request fields).
pub fn hint(message: &str, status: Option<&tonic::Status>) -> Option<String> {
    use tonic::Code;
    match status.map(tonic::Status::code) {
        Some(Code::Unauthenticated) => {
            return Some(
                "the server requires an API key: pass --api-key KEY or set ORCHESTRATOR_API_KEY \
                 (an admin makes one with `orchestrator key create`)"
                    .into(),
            )
        }
        Some(Code::PermissionDenied) => {
            return Some(
                "this key's role may not do that: use a key with another role (`orchestrator key list`)".into(),
            )
        }
        _ => {}
    }
    if message.contains("pass plan.tasks") {
        return Some(
            "pass --plan FILE with the tasks, or give the server a model (models.main in its policy; \
             README: \"Planning with an LLM\")"
                .into(),
        );
    }
    if message.starts_with("cannot connect to") {
        return Some("is the server running? (`orchestrator serve`; --server or ORCHESTRATOR_SERVER names it)".into());
    }
    None
}

/// Reports a failure, with what to do about it, and returns `code`: as text
/// on standard error, or under `--output json` as one JSON object on standard
/// output (`{"object": "error", "exit_code", "code", "message", "violations", "hint"}`).
pub fn report_error(code: i32, message: &str, status: Option<&tonic::Status>) -> i32 {
    let hint = hint(message, status);
    if JSON_ERRORS.load(std::sync::atomic::Ordering::Relaxed) {
        println!("{}", json::error(code, message, status, hint.as_deref()));
    } else {
        eprintln!("error: {message}");
        if let Some(h) = hint {
            eprintln!("  hint: {h}");
        }
    }
    code
}

/// Reports a local failure (see [`report_error`]) and returns `code`.
pub fn fail(code: i32, message: impl std::fmt::Display) -> i32 {
    report_error(code, &message.to_string(), None)
}

/// Reports a failed RPC and returns its exit code: INVALID_ARGUMENT is the
/// caller's input (2), anything else (UNAUTHENTICATED, PERMISSION_DENIED,
/// NOT_FOUND, …) the server's (3).
pub fn rpc_fail(s: &tonic::Status) -> i32 {
    let code = if s.code() == tonic::Code::InvalidArgument { exit::USAGE } else { exit::SERVER };
    report_error(code, &status_text(s), Some(s))
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
    if let Some(p) = &r.parent {
        out.push_str(&format!(
            "  parent: task {} of run {} (attempt {}, {} deep)\n",
            p.task_id, p.run_id, p.attempt, p.depth
        ));
    }
    if !r.failure_reason.is_empty() {
        out.push_str(&format!("  reason: {}\n", r.failure_reason));
    }
    let mut counts: Vec<_> = r.task_counts.iter().collect();
    counts.sort();
    let counts: Vec<String> = counts.iter().map(|(k, v)| format!("{}={v}", k.to_lowercase())).collect();
    out.push_str(&format!("  tasks: {}\n", counts.join(" ")));
    let gauges: Vec<String> = live::gauges(r).iter().map(live::Gauge::text).collect();
    out.push_str(&format!("  usage: {}\n", gauges.join(", ")));
    for line in waiting_lines(r) {
        out.push_str(&format!("  {line}\n"));
    }
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

/// A timestamp as `2026-12-02 01:30:12` (UTC).
pub fn timestamp_text(t: &Option<prost_types::Timestamp>) -> String {
    match t {
        Some(t) if t.seconds > 0 => {
            let at = std::time::UNIX_EPOCH + Duration::from_secs(t.seconds as u64);
            humantime::format_rfc3339_seconds(at).to_string().replace('T', " ").trim_end_matches('Z').to_string()
        }
        _ => "-".into(),
    }
}

/// How long a run took (or has been going): "1.2s", "3m04s", "2h10m".
pub fn run_duration_text(r: &pb::Run) -> String {
    let (Some(start), end) = (micros(&r.started_at), micros(&r.finished_at)) else { return "-".into() };
    let end = end.unwrap_or_else(crate::domain::now_micros);
    let secs = (end - start).max(0) as f64 / 1e6;
    let text = if secs < 60.0 {
        format!("{secs:.1}s")
    } else if secs < 3600.0 {
        format!("{}m{:02}s", secs as u64 / 60, secs as u64 % 60)
    } else {
        format!("{}h{:02}m", secs as u64 / 3600, secs as u64 / 60 % 60)
    };
    if r.finished_at.is_none() {
        format!("{text}…")
    } else {
        text
    }
}

/// One line of `run list`: id, status, created, duration, goal.
pub fn run_list_line(r: &pb::Run) -> String {
    let goal: String = r.goal.lines().next().unwrap_or("").chars().take(80).collect();
    format!(
        "{:<36}  {:<10} {:<20} {:>9}  {goal}",
        r.id,
        run_status_name(r.status),
        timestamp_text(&r.created_at),
        run_duration_text(r)
    )
}

/// "waiting: 3 tasks for agent `writer`, no poller seen" for each agent a
/// run's ready tasks wait for that nobody serves.
pub fn waiting_lines(r: &pb::Run) -> Vec<String> {
    r.waiting
        .iter()
        .map(|w| {
            let tasks = if w.ready_tasks == 1 { "1 task".to_string() } else { format!("{} tasks", w.ready_tasks) };
            let seen = match &w.last_poll {
                None => "no poller seen".to_string(),
                Some(_) => format!("no poller since {} UTC", timestamp_text(&w.last_poll)),
            };
            format!("waiting: {tasks} for agent `{}`, {seen} (start one, or serve it with a command agent)", w.agent)
        })
        .collect()
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
        "turn" => format!("turn {}", attr_text(s, "orchestrator.turn.number").unwrap_or_default()),
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
        ("gen_ai.request.model", "model"),
        ("orchestrator.retry.backoff_ms", "backoff_ms"),
        ("orchestrator.turn.outcome", "ended"),
        ("orchestrator.turn.checkpoint_bytes", "checkpoint_bytes"),
        ("orchestrator.turn.delay_ms", "next_in_ms"),
        ("orchestrator.plan.tasks", "tasks"),
        ("orchestrator.verify.passed", "passed"),
        ("orchestrator.verify.score", "score"),
    ] {
        if (s.name == "task" && key == "orchestrator.agent.instance")
            || (s.name == "llm.chat" && key == "gen_ai.request.model")
        {
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
