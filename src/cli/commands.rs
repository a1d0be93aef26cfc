//! The client subcommands (`run …`, `plan …`, `verify`): their flags and what
//! each one does. `main.rs` only hands them over.

use std::path::PathBuf;
use std::time::Duration;

use clap::{ArgGroup, Args, Subcommand, ValueEnum};

use super::{exit, fail, json, live, plan_file, rpc_fail, Client};
use crate::api::convert as cv;
use crate::proto::v1 as pb;

/// How results are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// For people; `--watch` shows a live view on a terminal.
    Text,
    /// One JSON object per line (streams: one per event), each with an `object` field.
    Json,
}

/// Flags every client command takes.
#[derive(Args, Clone, Debug)]
pub struct ClientArgs {
    /// Server address (http://host:port, https://host:port for TLS; a bare host:port means http).
    #[arg(long, env = "ORCHESTRATOR_SERVER", default_value = "http://127.0.0.1:50051", global = true)]
    pub server: String,
    /// Output format: text for people, json for scripts (JSON lines).
    #[arg(long, value_enum, default_value = "text", global = true)]
    pub output: OutputFormat,
    /// Same as `--output json`.
    #[arg(long, global = true)]
    pub json: bool,
    /// API key (ork_…), sent as `authorization: Bearer KEY`; needed when the server requires keys.
    #[arg(long, env = "ORCHESTRATOR_API_KEY", hide_env_values = true, global = true)]
    pub api_key: Option<String>,
    #[command(flatten)]
    pub tls: TlsArgs,
}

/// The TLS flags of every command that talks to a server.
#[derive(Args, Clone, Debug, Default)]
pub struct TlsArgs {
    /// Speak TLS and trust this CA (PEM) instead of the system's roots (an https:// server uses TLS too).
    #[arg(long, env = "ORCHESTRATOR_TLS_CA", global = true)]
    pub tls_ca: Option<PathBuf>,
    /// Client certificate (PEM), for a server that requires one (with --tls-key).
    #[arg(long, env = "ORCHESTRATOR_CLIENT_CERT", requires = "tls_key", global = true)]
    pub tls_cert: Option<PathBuf>,
    /// Private key (PEM) of the client certificate.
    #[arg(long, env = "ORCHESTRATOR_CLIENT_KEY", requires = "tls_cert", global = true)]
    pub tls_key: Option<PathBuf>,
    /// The name the server's certificate must carry, if not the host of --server.
    #[arg(long, global = true)]
    pub tls_domain: Option<String>,
}

impl TlsArgs {
    /// How to reach `server` with these TLS flags and `api_key`.
    pub fn connection(&self, server: &str, api_key: Option<&str>) -> super::Connection {
        super::Connection {
            server: server.to_string(),
            api_key: api_key.map(str::to_string),
            tls_ca: self.tls_ca.clone(),
            tls_cert: self.tls_cert.clone(),
            tls_key: self.tls_key.clone(),
            tls_domain: self.tls_domain.clone(),
        }
    }
}

impl ClientArgs {
    pub(super) fn json(&self) -> bool {
        self.json || self.output == OutputFormat::Json
    }
}

/// What a run does when a budget runs out (`--on-exhausted`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OnExhausted {
    /// Fail the run.
    Fail,
    /// Pause it (resume with a larger budget).
    Pause,
    /// Go on cheaper: utility model, optional tasks skipped.
    Degrade,
}

/// Budget flags of `run create` and `run resume`.
#[derive(Args, Clone, Debug, Default)]
pub struct BudgetArgs {
    /// Token limit, prompt plus completion (0 = unlimited).
    #[arg(long)]
    pub max_tokens: Option<u64>,
    /// Tool-call limit (0 = unlimited).
    #[arg(long)]
    pub max_tool_calls: Option<u64>,
    /// Wall-clock limit from the run's start, e.g. 10m.
    #[arg(long, value_parser = humantime::parse_duration)]
    pub max_duration: Option<Duration>,
    /// Cost limit in US dollars (0 = unlimited).
    #[arg(long)]
    pub max_cost_usd: Option<f64>,
    /// What happens when a limit is reached (default: the server's).
    #[arg(long, value_enum)]
    pub on_exhausted: Option<OnExhausted>,
}

/// Flags of `run resume` that remove a limit.
#[derive(Args, Clone, Debug, Default)]
pub struct ClearLimits {
    /// Remove the token limit.
    #[arg(long, conflicts_with = "max_tokens")]
    pub no_max_tokens: bool,
    /// Remove the tool-call limit.
    #[arg(long, conflicts_with = "max_tool_calls")]
    pub no_max_tool_calls: bool,
    /// Remove the wall-clock limit.
    #[arg(long, conflicts_with = "max_duration")]
    pub no_max_duration: bool,
    /// Remove the cost limit.
    #[arg(long, conflicts_with = "max_cost_usd")]
    pub no_max_cost_usd: bool,
}

impl BudgetArgs {
    /// The fields of a budget change: those given and those removed (the
    /// server keeps every other limit of the run).
    pub fn mask(&self, clear: &ClearLimits) -> Option<prost_types::FieldMask> {
        let paths: Vec<String> = [
            ("max_tokens", self.max_tokens.is_some() || clear.no_max_tokens),
            ("max_tool_calls", self.max_tool_calls.is_some() || clear.no_max_tool_calls),
            ("max_duration", self.max_duration.is_some() || clear.no_max_duration),
            ("max_cost_usd", self.max_cost_usd.is_some() || clear.no_max_cost_usd),
            ("on_exhausted", self.on_exhausted.is_some()),
        ]
        .into_iter()
        .filter(|(_, given)| *given)
        .map(|(p, _)| p.to_string())
        .collect();
        (!paths.is_empty()).then_some(prost_types::FieldMask { paths })
    }

    /// A file's budget with the flags given laid over it, field by field.
    pub fn over(&self, file: Option<pb::Budget>) -> Option<pb::Budget> {
        let Some(mut b) = file else { return self.to_proto() };
        let Some(flags) = self.to_proto() else { return Some(b) };
        if self.max_tokens.is_some() {
            b.max_tokens = flags.max_tokens;
        }
        if self.max_tool_calls.is_some() {
            b.max_tool_calls = flags.max_tool_calls;
        }
        if self.max_duration.is_some() {
            b.max_duration = flags.max_duration;
        }
        if self.max_cost_usd.is_some() {
            b.max_cost_usd = flags.max_cost_usd;
        }
        if self.on_exhausted.is_some() {
            b.on_exhausted = flags.on_exhausted;
        }
        Some(b)
    }

    /// The budget, or None when no flag was given (the server's defaults apply).
    pub fn to_proto(&self) -> Option<pb::Budget> {
        if self.max_tokens.is_none()
            && self.max_tool_calls.is_none()
            && self.max_duration.is_none()
            && self.max_cost_usd.is_none()
            && self.on_exhausted.is_none()
        {
            return None;
        }
        Some(pb::Budget {
            max_tokens: self.max_tokens.unwrap_or(0),
            max_tool_calls: self.max_tool_calls.unwrap_or(0),
            max_duration: self.max_duration.map(|d| cv::ms_duration(d.as_millis() as u64)),
            max_cost_usd: self.max_cost_usd.unwrap_or(0.0),
            on_exhausted: match self.on_exhausted {
                None => pb::BudgetPolicy::Unspecified,
                Some(OnExhausted::Fail) => pb::BudgetPolicy::Fail,
                Some(OnExhausted::Pause) => pb::BudgetPolicy::Pause,
                Some(OnExhausted::Degrade) => pb::BudgetPolicy::Degrade,
            } as i32,
        })
    }
}

pub(super) fn parse_label(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(format!("{s:?} is not KEY=VALUE")),
    }
}

fn parse_criterion(s: &str) -> Result<pb::Criterion, String> {
    let (kind, params) = match s.split_once(':') {
        Some((k, p)) => (k.trim(), Some(p)),
        None => (s.trim(), None),
    };
    if kind.is_empty() {
        return Err("a criterion is KIND or KIND:PARAMS".into());
    }
    let params = match params {
        None => serde_json::Map::new(),
        Some(p) => match serde_json::from_str::<serde_json::Value>(p) {
            Ok(serde_json::Value::Object(m)) => m,
            Ok(_) => {
                return Err(format!("the parameters of {kind} are a JSON object, e.g. {kind}:{{\"value\": \"x\"}}"))
            }
            Err(e) => return Err(format!("the parameters of {kind} are not JSON: {e}")),
        },
    };
    Ok(pb::Criterion {
        id: String::new(),
        kind: kind.to_string(),
        params: Some(cv::json_to_struct(&params)),
        advisory: false,
    })
}

fn parse_run_status(s: &str) -> Result<pb::RunStatus, String> {
    let upper = s.to_ascii_uppercase();
    let name = if upper.starts_with("RUN_STATUS_") { upper } else { format!("RUN_STATUS_{upper}") };
    match pb::RunStatus::from_str_name(&name) {
        Some(st) if st != pb::RunStatus::Unspecified => Ok(st),
        _ => Err(format!(
            "{s:?} is not a run status (created, planning, executing, verifying, paused, completed, failed, cancelled)"
        )),
    }
}

fn parse_task_status(s: &str) -> Result<pb::TaskStatus, String> {
    let upper = s.to_ascii_uppercase();
    let name = if upper.starts_with("TASK_STATUS_") { upper } else { format!("TASK_STATUS_{upper}") };
    match pb::TaskStatus::from_str_name(&name) {
        Some(st) if st != pb::TaskStatus::Unspecified => Ok(st),
        _ => Err(format!("{s:?} is not a task status (pending, ready, running, waiting_approval, failed, …)")),
    }
}

/// Input of `run create`.
#[derive(Args, Debug)]
#[command(group(ArgGroup::new("source").required(true).multiple(true).args(["goal", "plan"])))]
pub struct CreateArgs {
    /// What the run is for. Without --plan the server's planner makes the plan
    /// (it needs a model in the server's policy); with --plan it replaces the file's goal.
    #[arg(long)]
    pub goal: Option<String>,
    /// Plan file: a CreateRunRequest in the proto's JSON mapping, as YAML or JSON
    /// (goal, plan.tasks, criteria, budget, policy, labels, …; see `plan json`).
    /// Flags given beside it win over its fields.
    #[arg(long)]
    pub plan: Option<PathBuf>,
    /// A criterion of the run's output, KIND or KIND:PARAMS with PARAMS a JSON
    /// object, e.g. 'contains:{"value":"fox"}' (repeatable; added to the file's).
    #[arg(long = "criterion", value_name = "KIND[:PARAMS]", value_parser = parse_criterion)]
    pub criteria: Vec<pb::Criterion>,
    /// A tool no task of the run may use (repeatable; the run layer of the tool policy).
    #[arg(long = "deny-tool", value_name = "NAME")]
    pub tools_denied: Vec<String>,
    /// Idempotency key: the same key and request return the first run.
    #[arg(long)]
    pub request_id: Option<String>,
    /// A label KEY=VALUE (repeatable; added to the plan file's).
    #[arg(long = "label", value_name = "KEY=VALUE", value_parser = parse_label)]
    pub labels: Vec<(String, String)>,
    /// Most attempts running at once (overrides the plan file's; 0 = server default).
    #[arg(long)]
    pub max_parallel: Option<u32>,
    /// Priority (overrides the plan file's; higher is served first).
    #[arg(long, allow_negative_numbers = true)]
    pub priority: Option<i32>,
    #[command(flatten)]
    pub budget: BudgetArgs,
    /// Then watch the run to its end (live view on a terminal, else one line per
    /// event); exit 0 if it completed, 1 if it failed or was cancelled.
    #[arg(long)]
    pub watch: bool,
    /// With --watch: plain lines even on a terminal.
    #[arg(long, requires = "watch")]
    pub plain: bool,
    /// Do not create it: print the server's advice on it (GuidanceService.Advise:
    /// predicted tokens, cost, duration and pass chance from the workspace's
    /// history, warnings, a matching recipe, cheaper models).
    #[arg(long, conflicts_with = "watch")]
    pub advise: bool,
    /// The advice this run follows (the id `--advise` printed): the run is
    /// then compared with it (`stats` shows how good advice has been).
    #[arg(long, conflicts_with = "advise")]
    pub advice_id: Option<String>,
    #[command(flatten)]
    pub client: ClientArgs,
}

/// `run …`: create, inspect, steer and watch runs.
#[derive(Subcommand, Debug)]
pub enum RunCommand {
    /// Create a run from a goal (the server plans it) or a plan file; --watch follows it to its end.
    #[command(after_help = exit::HELP)]
    Create(CreateArgs),
    /// Show a run: status, task counts, usage against its budget, output.
    Get {
        /// Run id.
        run_id: String,
        #[command(flatten)]
        client: ClientArgs,
    },
    /// List runs, newest first.
    List {
        /// At most this many, newest first (pages of 500 are fetched as needed; 0 = all).
        #[arg(long, default_value_t = 20)]
        limit: u64,
        /// Only runs in this status (repeatable): executing, paused, completed, failed, …
        #[arg(long = "status", value_parser = parse_run_status)]
        statuses: Vec<pb::RunStatus>,
        /// Only runs carrying this label KEY=VALUE (repeatable).
        #[arg(long = "label", value_name = "KEY=VALUE", value_parser = parse_label)]
        labels: Vec<(String, String)>,
        /// Only the child runs of this run (started by its tasks of kind run).
        #[arg(long, value_name = "RUN_ID")]
        parent: Option<String>,
        #[command(flatten)]
        client: ClientArgs,
    },
    /// Show a run and its child runs as a tree, each under the task that started it.
    Tree {
        /// Run id.
        run_id: String,
        #[command(flatten)]
        client: ClientArgs,
    },
    /// Follow a run's events until it ends (live view on a terminal, else one line per event);
    /// exit 0 if it completed, 1 if it failed or was cancelled.
    #[command(after_help = exit::HELP)]
    Watch {
        /// Run id.
        run_id: String,
        /// Plain lines even on a terminal.
        #[arg(long)]
        plain: bool,
        #[command(flatten)]
        client: ClientArgs,
    },
    /// Print a run's event log so far (all pages), then exit.
    Events {
        /// Run id.
        run_id: String,
        /// Only events after this sequence number.
        #[arg(long, default_value_t = 0)]
        after_seq: u64,
        #[command(flatten)]
        client: ClientArgs,
    },
    /// List a run's tasks in plan order with their statuses.
    Tasks {
        /// Run id.
        run_id: String,
        /// Only tasks in this status (repeatable): ready, running, waiting_approval, failed, …
        #[arg(long = "status", value_parser = parse_task_status)]
        statuses: Vec<pb::TaskStatus>,
        #[command(flatten)]
        client: ClientArgs,
    },
    /// Whether retries after a failed verdict rescued tasks, per agent and
    /// model, in the workspace (ListRetryOutcomes): set
    /// `policy.retry_on_verdict: false` where they never do.
    RetryStats {
        /// Only this agent's.
        #[arg(long, default_value = "")]
        agent: String,
        #[command(flatten)]
        client: ClientArgs,
    },
    /// Print a run's trace as a tree: durations, statuses, agents, tokens, verdicts.
    Trace {
        /// Run id.
        run_id: String,
        #[command(flatten)]
        client: ClientArgs,
    },
    /// Cancel a run: nothing new starts, running attempts are told to stop.
    Cancel {
        /// Run id.
        run_id: String,
        /// Why (kept as the run's failure reason).
        #[arg(long, default_value = "")]
        reason: String,
        #[command(flatten)]
        client: ClientArgs,
    },
    /// Pause a run: nothing new is dispatched until `run resume`.
    Pause {
        /// Run id.
        run_id: String,
        /// Why.
        #[arg(long, default_value = "")]
        reason: String,
        #[command(flatten)]
        client: ClientArgs,
    },
    /// Resume a paused run, optionally changing limits (each one given replaces
    /// the run's; the others are kept; --no-max-… removes one).
    Resume {
        /// Run id.
        run_id: String,
        #[command(flatten)]
        budget: BudgetArgs,
        #[command(flatten)]
        clear: ClearLimits,
        #[command(flatten)]
        client: ClientArgs,
    },
    /// Re-open a failed task with a fresh attempt and resume its run.
    Retry {
        /// Run id.
        run_id: String,
        /// Task id.
        task_id: String,
        #[command(flatten)]
        client: ClientArgs,
    },
    /// Let a task waiting for approval go on.
    Approve(Decision),
    /// Reject a task waiting for approval (it fails or is skipped, per its on_reject).
    Reject(Decision),
}

/// What approving or rejecting a task takes.
#[derive(Args, Debug)]
pub struct Decision {
    /// Run id.
    run_id: String,
    /// Task id.
    task_id: String,
    /// Kept in the event log.
    #[arg(long, default_value = "")]
    comment: String,
    #[command(flatten)]
    client: ClientArgs,
}

/// `plan …`: work with plan files.
#[derive(Subcommand, Debug)]
pub enum PlanCommand {
    /// Validate a plan file's plan on the server and show its shape (width, depth, critical path).
    Validate {
        /// Plan file (a CreateRunRequest as YAML or JSON; `-` reads standard input).
        file: PathBuf,
        #[command(flatten)]
        client: ClientArgs,
    },
    /// Ask the server's planner for a plan of a goal without creating a run
    /// (PlanRun, a dry run): the plan, what the server changed in the model's
    /// answer, the planner's calls and tokens. `--output json` prints the
    /// PlanRunResponse in the proto's JSON mapping.
    Draft {
        /// The goal to plan.
        #[arg(long)]
        goal: String,
        /// A criterion of the run's output, shown to the planner (KIND or KIND:PARAMS; repeatable).
        #[arg(long = "criterion", value_name = "KIND[:PARAMS]", value_parser = parse_criterion)]
        criteria: Vec<pb::Criterion>,
        /// Give up after this long ("90s"); the server's planner.deadline applies when shorter.
        #[arg(long, value_parser = humantime::parse_duration)]
        timeout: Option<std::time::Duration>,
        /// Also advise on a run of the plan (as `run create --advise`), from the workspace's last 30 days.
        #[arg(long)]
        advise: bool,
        #[command(flatten)]
        client: ClientArgs,
    },
    /// Print a plan file as one line of canonical JSON: the body grpcurl and any
    /// client send (`… | grpcurl -d @ HOST orchestrator.v1.RunService/CreateRun`). Offline.
    Json {
        /// Plan file (a CreateRunRequest as YAML or JSON; `-` reads standard input).
        file: PathBuf,
    },
}

/// `verify`: check an output against criteria (VerifierService).
#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// A VerifyRequest as YAML or JSON: `output` (any JSON value) and `criteria`
    /// (a list of {kind, params, id, advisory}); `-` reads standard input.
    /// Exit 0 if the verdict passed, 1 if not.
    #[arg(required_unless_present = "kinds")]
    pub file: Option<PathBuf>,
    /// List the criterion kinds and their parameters instead.
    #[arg(long, conflicts_with = "file")]
    pub kinds: bool,
    #[command(flatten)]
    pub client: ClientArgs,
}

impl RunCommand {
    /// The client flags of whichever command this is.
    fn client(&self) -> &ClientArgs {
        match self {
            RunCommand::Create(a) => &a.client,
            RunCommand::Get { client, .. }
            | RunCommand::List { client, .. }
            | RunCommand::Tree { client, .. }
            | RunCommand::Watch { client, .. }
            | RunCommand::Events { client, .. }
            | RunCommand::Tasks { client, .. }
            | RunCommand::Trace { client, .. }
            | RunCommand::RetryStats { client, .. }
            | RunCommand::Cancel { client, .. }
            | RunCommand::Pause { client, .. }
            | RunCommand::Resume { client, .. }
            | RunCommand::Retry { client, .. } => client,
            RunCommand::Approve(d) | RunCommand::Reject(d) => &d.client,
        }
    }
}

/// Prints an answer in the proto's JSON mapping, on one line; the exit code.
pub(super) fn print_proto_json<M: prost::Message>(name: &str, message: &M) -> i32 {
    match plan_file::to_json(name, message) {
        Ok(j) => {
            println!("{j}");
            exit::OK
        }
        Err(e) => fail(exit::SERVER, e),
    }
}

/// Shows an RPC's answer, or says why it failed; the exit code either way.
fn answer<T>(r: Result<tonic::Response<T>, tonic::Status>, show: impl FnOnce(&T) -> i32) -> i32 {
    match r {
        Ok(r) => show(&r.into_inner()),
        Err(s) => rpc_fail(&s),
    }
}

pub(super) async fn connect(args: &ClientArgs) -> Result<Client, i32> {
    super::errors_as_json(args.json());
    let conn = args.tls.connection(&args.server, args.api_key.as_deref());
    Client::connect(&conn).await.map_err(|e| fail(exit::SERVER, e))
}

/// Connects, or returns the exit code from the enclosing function.
macro_rules! connect_or_return {
    ($args:expr) => {
        match connect($args).await {
            Ok(c) => c,
            Err(code) => return code,
        }
    };
}

/// Prints a run (JSON or a summary) and returns OK.
fn show_run(run: &pb::Run, as_json: bool) -> i32 {
    if as_json {
        println!("{}", json::run(run));
    } else {
        super::print_run_summary(run);
    }
    exit::OK
}

/// Prints a task (JSON or one line) and returns OK.
fn show_task(task: &pb::Task, as_json: bool) -> i32 {
    if as_json {
        println!("{}", json::task(task));
    } else {
        println!("{}", super::task_line(task));
    }
    exit::OK
}

/// Runs a `run …` command; returns the exit code.
pub async fn run_command(cmd: RunCommand) -> i32 {
    super::errors_as_json(cmd.client().json());
    match cmd {
        RunCommand::Create(args) => create(args).await,
        RunCommand::Get { run_id, client } => {
            let mut c = connect_or_return!(&client);
            answer(c.runs.get_run(pb::GetRunRequest { run_id, ..Default::default() }).await, |x| {
                show_run(x, client.json())
            })
        }
        RunCommand::Tree { run_id, client } => {
            let mut c = connect_or_return!(&client);
            super::tree::print_tree(&mut c, &run_id).await
        }
        RunCommand::List { limit, statuses, labels, parent, client } => {
            let mut c = connect_or_return!(&client);
            let mut left = if limit == 0 { u64::MAX } else { limit };
            let mut token = String::new();
            if !client.json() {
                println!("{:<36}  {:<10} {:<20} {:>9}  GOAL", "RUN", "STATUS", "CREATED (UTC)", "TOOK");
            }
            while left > 0 {
                let req = pb::ListRunsRequest {
                    statuses: statuses.iter().map(|s| *s as i32).collect(),
                    labels: labels.iter().cloned().collect(),
                    page_size: left.min(500) as u32,
                    page_token: std::mem::take(&mut token),
                    parent_run_id: parent.clone().unwrap_or_default(),
                    ..Default::default()
                };
                let page = match c.runs.list_runs(req).await {
                    Ok(r) => r.into_inner(),
                    Err(s) => return rpc_fail(&s),
                };
                for run in page.runs.iter().take(left.min(usize::MAX as u64) as usize) {
                    if client.json() {
                        println!("{}", json::run(run));
                    } else {
                        println!("{}", super::run_list_line(run));
                    }
                    left -= 1;
                }
                if page.next_page_token.is_empty() || page.runs.is_empty() {
                    break;
                }
                token = page.next_page_token;
            }
            exit::OK
        }
        RunCommand::Watch { run_id, plain, client } => {
            let mut c = connect_or_return!(&client);
            watch(&mut c, &run_id, &client, plain).await
        }
        RunCommand::Events { run_id, after_seq, client } => {
            let mut c = connect_or_return!(&client);
            let mut token = String::new();
            loop {
                let req = pb::ListRunEventsRequest {
                    run_id: run_id.clone(),
                    after_seq,
                    page_size: 1000,
                    page_token: std::mem::take(&mut token),
                };
                let page = match c.runs.list_run_events(req).await {
                    Ok(p) => p.into_inner(),
                    Err(s) => return rpc_fail(&s),
                };
                for e in &page.events {
                    if client.json() {
                        println!("{}", json::event(e));
                    } else {
                        println!("{}", super::event_line(e));
                    }
                }
                if page.next_page_token.is_empty() || page.events.is_empty() {
                    return exit::OK;
                }
                token = page.next_page_token;
            }
        }
        RunCommand::Tasks { run_id, statuses, client } => {
            let mut c = connect_or_return!(&client);
            let mut token = String::new();
            loop {
                let req = pb::ListTasksRequest {
                    run_id: run_id.clone(),
                    statuses: statuses.iter().map(|s| *s as i32).collect(),
                    page_size: 1000,
                    page_token: std::mem::take(&mut token),
                };
                let page = match c.runs.list_tasks(req).await {
                    Ok(p) => p.into_inner(),
                    Err(s) => return rpc_fail(&s),
                };
                for t in &page.tasks {
                    show_task(t, client.json());
                }
                if page.next_page_token.is_empty() {
                    return exit::OK;
                }
                token = page.next_page_token;
            }
        }
        RunCommand::RetryStats { agent, client } => {
            let mut c = connect_or_return!(&client);
            answer(c.runs.list_retry_outcomes(pb::ListRetryOutcomesRequest { agent }).await, |r| {
                if client.json() {
                    return print_proto_json("orchestrator.v1.ListRetryOutcomesResponse", r);
                }
                println!(
                    "{:<16} {:<24} {:>8} {:>11} {:>8} {:>8} {:>13}",
                    "AGENT", "MODEL", "VERIFIED", "FIRST TRY", "RETRIED", "RESCUED", "RETRY TOKENS"
                );
                for o in &r.outcomes {
                    let model = if o.model.is_empty() { "(its own)" } else { &o.model };
                    println!(
                        "{:<16} {:<24} {:>8} {:>11} {:>8} {:>8} {:>13}",
                        o.agent,
                        model,
                        o.verified_tasks,
                        o.passed_first_try,
                        o.retried_tasks,
                        o.rescued_tasks,
                        o.retry_tokens
                    );
                }
                exit::OK
            })
        }
        RunCommand::Trace { run_id, client } => {
            let mut c = connect_or_return!(&client);
            match c.runs.get_run_trace(pb::GetRunTraceRequest { run_id }).await {
                Ok(t) => {
                    let t = t.into_inner();
                    if client.json() {
                        println!("{}", json::trace(&t));
                    } else {
                        print!("{}", super::trace_tree(&t));
                    }
                    exit::OK
                }
                Err(s) => rpc_fail(&s),
            }
        }
        RunCommand::Cancel { run_id, reason, client } => {
            let mut c = connect_or_return!(&client);
            answer(c.runs.cancel_run(pb::CancelRunRequest { run_id, reason }).await, |x| show_run(x, client.json()))
        }
        RunCommand::Pause { run_id, reason, client } => {
            let mut c = connect_or_return!(&client);
            answer(c.runs.pause_run(pb::PauseRunRequest { run_id, reason }).await, |x| show_run(x, client.json()))
        }
        RunCommand::Resume { run_id, budget, clear, client } => {
            let mut c = connect_or_return!(&client);
            let req = pb::ResumeRunRequest {
                run_id,
                budget_mask: budget.mask(&clear),
                budget: budget.to_proto().or(Some(pb::Budget::default())),
            };
            answer(c.runs.resume_run(req).await, |x| show_run(x, client.json()))
        }
        RunCommand::Retry { run_id, task_id, client } => {
            let mut c = connect_or_return!(&client);
            answer(c.runs.retry_task(pb::RetryTaskRequest { run_id, task_id }).await, |x| show_task(x, client.json()))
        }
        RunCommand::Approve(Decision { run_id, task_id, comment, client }) => {
            let mut c = connect_or_return!(&client);
            answer(c.runs.approve_task(pb::ApproveTaskRequest { run_id, task_id, comment }).await, |x| {
                show_task(x, client.json())
            })
        }
        RunCommand::Reject(Decision { run_id, task_id, comment, client }) => {
            let mut c = connect_or_return!(&client);
            answer(c.runs.reject_task(pb::RejectTaskRequest { run_id, task_id, comment }).await, |x| {
                show_task(x, client.json())
            })
        }
    }
}

async fn create(args: CreateArgs) -> i32 {
    let mut req = match &args.plan {
        Some(path) => match plan_file::load_run(path) {
            Ok(r) => r,
            Err(e) => return fail(exit::USAGE, e),
        },
        None => pb::CreateRunRequest::default(),
    };
    if let Some(goal) = args.goal {
        req.goal = goal;
    }
    req.labels.extend(args.labels);
    req.max_parallel = args.max_parallel.unwrap_or(req.max_parallel);
    req.priority = args.priority.unwrap_or(req.priority);
    if let Some(id) = args.request_id {
        req.request_id = id;
    }
    req.budget = args.budget.over(req.budget.take());
    req.criteria.extend(args.criteria);
    if let Some(id) = args.advice_id {
        req.advice_id = id;
    }
    if !args.tools_denied.is_empty() {
        req.policy.get_or_insert_with(Default::default).tools_denied.extend(args.tools_denied);
    }
    let mut c = connect_or_return!(&args.client);
    if args.advise {
        return super::stats::advise(&mut c, req, &args.client).await;
    }
    create_and_watch(&mut c, req, &args.client, args.watch, args.plain).await
}

/// Creates a run, says so, and with `watch` follows it to its end; the exit code.
pub(super) async fn create_and_watch(
    c: &mut Client,
    req: pb::CreateRunRequest,
    client: &ClientArgs,
    watch_it: bool,
    plain: bool,
) -> i32 {
    let created = match c.runs.create_run(req).await {
        Ok(r) => r.into_inner(),
        Err(s) => return rpc_fail(&s),
    };
    let run = created.run.unwrap_or_default();
    if client.json() {
        println!("{}", json::run(&run));
    } else if created.deduplicated {
        eprintln!("run {} already existed for this request id", run.id);
    } else {
        eprintln!("created run {}", run.id);
    }
    if watch_it {
        return watch(c, &run.id, client, plain).await;
    }
    if !client.json() {
        println!("{}", run.id);
    }
    exit::OK
}

/// Watches a run to its end in the chosen output; returns the exit code.
async fn watch(c: &mut Client, run_id: &str, client: &ClientArgs, plain: bool) -> i32 {
    let mode = if client.json() {
        live::Mode::Json
    } else if !plain && live::stdout_is_terminal() {
        live::Mode::Live
    } else {
        live::Mode::Lines
    };
    match live::watch(c, run_id, mode).await {
        Ok(code) => code,
        Err(s) => rpc_fail(&s),
    }
}

/// Runs a `plan …` command; returns the exit code.
pub async fn plan_command(cmd: PlanCommand) -> i32 {
    if let PlanCommand::Validate { client, .. } | PlanCommand::Draft { client, .. } = &cmd {
        super::errors_as_json(client.json());
    }
    match cmd {
        PlanCommand::Draft { goal, criteria, timeout, advise, client } => {
            let mut c = connect_or_return!(&client);
            let mut req = tonic::Request::new(pb::PlanRunRequest { goal, criteria, advise });
            if let Some(t) = timeout {
                req.set_timeout(t);
            }
            match c.coordinator.plan_run(req).await {
                Ok(r) => {
                    let r = r.into_inner();
                    if client.json() {
                        return print_proto_json("orchestrator.v1.PlanRunResponse", &r);
                    }
                    for t in r.plan.map(|p| p.tasks).unwrap_or_default() {
                        let after = if t.depends_on.is_empty() {
                            String::new()
                        } else {
                            format!(" (after {})", t.depends_on.join(", "))
                        };
                        println!("{:<24} {:<12} {}{after}", t.id, t.agent, t.title);
                    }
                    for n in &r.notes {
                        println!("note: {n}");
                    }
                    let u = r.usage.unwrap_or_default();
                    println!(
                        "planner: {} call(s), {} tokens ({} prompt, {} completion)",
                        r.planner_calls,
                        u.prompt_tokens + u.completion_tokens,
                        u.prompt_tokens,
                        u.completion_tokens
                    );
                    if let Some(a) = &r.advice {
                        super::stats::print_advice(a, "(on the plan above)");
                    }
                    exit::OK
                }
                Err(s) => rpc_fail(&s),
            }
        }
        PlanCommand::Json { file } => {
            match plan_file::load_run(&file).and_then(|r| plan_file::to_json("orchestrator.v1.CreateRunRequest", &r)) {
                Ok(json) => {
                    println!("{json}");
                    exit::OK
                }
                Err(e) => fail(exit::USAGE, e),
            }
        }
        PlanCommand::Validate { file, client } => {
            let plan = match plan_file::load_run(&file) {
                Ok(r) => match r.plan {
                    Some(p) => p,
                    None => return fail(exit::USAGE, format!("{}: no `plan:` with tasks to validate", file.display())),
                },
                Err(e) => return fail(exit::USAGE, e),
            };
            let mut c = connect_or_return!(&client);
            match c.coordinator.validate_plan(pb::ValidatePlanRequest { plan: Some(plan) }).await {
                Ok(r) => {
                    let a = r.into_inner().analysis.unwrap_or_default();
                    if client.json() {
                        println!("{}", json::analysis(&a));
                    } else {
                        println!("valid: {} tasks, width {}, depth {}", a.topological_order.len(), a.width, a.depth);
                        println!("critical path: {}", a.critical_path.join(" → "));
                    }
                    exit::OK
                }
                Err(s) => rpc_fail(&s),
            }
        }
    }
}

/// Runs `verify`; returns the exit code (1 when the verdict failed).
pub async fn verify_command(args: VerifyArgs) -> i32 {
    super::errors_as_json(args.client.json());
    let req = match &args.file {
        Some(path) if !args.kinds => match plan_file::load_verify(path) {
            Ok(r) => Some(r),
            Err(e) => return fail(exit::USAGE, e),
        },
        _ => None,
    };
    let mut c = connect_or_return!(&args.client);
    let Some(req) = req else {
        return match c.verifier.list_criterion_kinds(pb::ListCriterionKindsRequest {}).await {
            Ok(r) => {
                for k in r.into_inner().kinds {
                    if args.client.json() {
                        println!("{}", json::criterion_kind(&k));
                    } else {
                        let params: Vec<String> = k
                            .params
                            .iter()
                            .map(|p| format!("{}{}: {}", p.name, if p.required { "" } else { "?" }, p.r#type))
                            .collect();
                        println!("{:<18} {}  ({})", k.name, k.description, params.join(", "));
                    }
                }
                exit::OK
            }
            Err(s) => rpc_fail(&s),
        };
    };
    match c.verifier.verify(req).await {
        Ok(r) => {
            let verdict = r.into_inner().verdict.unwrap_or_default();
            if args.client.json() {
                println!("{}", json::verdict(&verdict));
            } else {
                print!("{}", super::verdict_text(&verdict));
            }
            if verdict.passed {
                exit::OK
            } else {
                exit::RUN_FAILED
            }
        }
        Err(s) => rpc_fail(&s),
    }
}
