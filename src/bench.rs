//! `orchestrator bench`: a real server and real agents over gRPC on loopback,
//! measured, reported as a table and as JSON.
//!
//! Every scenario gets a fresh server *process* (the `orchestrator` binary,
//! `serve` on a free loopback port) and a fresh database: a SQLite file in a
//! temporary directory, or a database of its own on PostgreSQL (a temporary
//! cluster started with `initdb`/`pg_ctl`, as `nobody` when running as root,
//! unless `--database-url` names a server). The server's CPU time and memory
//! are therefore its own, read from `/proc/PID`. Agents are tokio tasks of
//! this process, each with its own connection, doing PollTask (wait 5s) →
//! CompleteTask as fast as they can.
//!
//! Every wait has a deadline. A scenario that runs out of time or hits an
//! error is reported as failed with the reason; the other scenarios still
//! run. Servers, agents, the temporary cluster and the temporary directory
//! are stopped and removed when the bench ends (also on Ctrl-C).
//!
//! Scenarios (`--only` takes these ids):
//!
//! - `runs`: throughput of many small runs (`--runs` × `--tasks-per-run`).
//! - `wide`: throughput of one run of `--width` independent tasks.
//! - `dag`: throughput of one layered DAG of `--tasks` tasks (100 per level,
//!   each depending on two tasks of the level before).
//! - `dispatch`: task ready → agent holds it, with agents already polling.
//! - `watch`: event committed → each of `--watchers` WatchRun subscribers has it.
//! - `validate`: plan validation of 1,000 and 10,000 tasks (the domain
//!   function) and the ValidatePlan round trip for 10,000.
//! - `makespan`: 3 levels × 8 tasks that each sleep 100 ms in the agent,
//!   measured makespan over the critical path.
//! - `memory`: server RSS with `--memory-runs` runs in flight (their tasks
//!   address an agent nobody polls), and the server's idle CPU then.

use std::collections::HashMap;
use std::fs::OpenOptions;
use std::io::{Read, Seek, SeekFrom};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinSet;
use tonic::transport::{Channel, Endpoint};

use crate::domain::{self, PlanLimits};
use crate::error::{Error, Result};
use crate::proto::v1 as pb;
use crate::proto::v1::coordinator_service_client::CoordinatorServiceClient;
use crate::proto::v1::run_service_client::RunServiceClient;

/// Every unary call of the bench gives up after this long (long polls wait 5s).
const RPC_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a server may take to answer its health check after it was started.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(60);
/// PollTask's wait in the agents' loop.
const POLL_WAIT: Duration = Duration::from_secs(5);
/// Concurrent CreateRun callers where many runs are created.
const CREATORS: usize = 8;
/// Tasks per level of the `dag` scenario.
const DAG_LEVEL: usize = 100;
/// Dispatches before the measured ones (connections warm, agents polling).
const DISPATCH_WARMUP: usize = 5;
/// Tasks per level of the layered plans used for validation.
const VALIDATE_LEVEL: usize = 100;

/// Which database the bench's servers use.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum BenchBackend {
    /// A temporary SQLite file per scenario.
    Sqlite,
    /// PostgreSQL: `--database-url`, or a temporary cluster.
    Postgres,
}

impl BenchBackend {
    fn name(self) -> &'static str {
        match self {
            BenchBackend::Sqlite => "sqlite",
            BenchBackend::Postgres => "postgres",
        }
    }
}

/// Flags of `orchestrator bench`.
#[derive(clap::Args, Debug, Clone)]
pub struct BenchArgs {
    /// Tasks of the one-DAG throughput case (`dag`: a layered DAG, 100 tasks per level).
    #[arg(long, default_value_t = 2000)]
    pub tasks: u32,
    /// Runs of the many-small-runs throughput case (`runs`).
    #[arg(long, default_value_t = 200)]
    pub runs: u32,
    /// Independent no-op tasks per run in the `runs` case (and in the `memory` case).
    #[arg(long, default_value_t = 5)]
    pub tasks_per_run: u32,
    /// Independent tasks of the one-wide-run case (`wide`), max_parallel = width (at most 1000).
    #[arg(long, default_value_t = 1000)]
    pub width: u32,
    /// Agents polling and completing concurrently (each with its own connection).
    #[arg(long, default_value_t = 8)]
    pub agents: u32,
    /// Concurrent WatchRun subscribers of one run (`watch`).
    #[arg(long, default_value_t = 100)]
    pub watchers: u32,
    /// Measured dispatches (`dispatch`), one at a time.
    #[arg(long, default_value_t = 200)]
    pub dispatch_samples: u32,
    /// Tasks of the watched run (`watch`), done one at a time by one agent taking 5 ms each.
    #[arg(long, default_value_t = 100)]
    pub watch_tasks: u32,
    /// Runs in flight for the memory figure (`memory`).
    #[arg(long, default_value_t = 1000)]
    pub memory_runs: u32,
    /// Database backend.
    #[arg(long, value_enum, default_value = "sqlite")]
    pub backend: BenchBackend,
    /// PostgreSQL to use (a scratch database: the bench leaves its runs there).
    /// Without it, `--backend postgres` starts a temporary cluster.
    #[arg(long)]
    pub database_url: Option<String>,
    /// The `orchestrator` binary to start as the server (default: next to this
    /// executable, then target/{release,debug}/orchestrator).
    #[arg(long)]
    pub server_bin: Option<PathBuf>,
    /// Only these scenarios (comma-separated: runs, wide, dag, dispatch, watch, validate, makespan, memory).
    #[arg(long, value_delimiter = ',')]
    pub only: Vec<String>,
    /// Keep the temporary directory (server logs, SQLite files) and print where it is.
    #[arg(long)]
    pub keep: bool,
    /// Print JSON only.
    #[arg(long)]
    pub json: bool,
    /// Tiny sizes for a CI smoke run (overrides the size flags).
    #[arg(long)]
    pub quick: bool,
}

/// The scenarios, in the order they run: (id, what it measures).
const SCENARIOS: &[(&str, &str)] = &[
    ("runs", "throughput, many small runs"),
    ("wide", "throughput, one wide run"),
    ("dag", "throughput, one layered DAG"),
    ("dispatch", "dispatch latency (ready → agent holds it)"),
    ("watch", "watch latency (committed → subscriber has it)"),
    ("validate", "plan validation"),
    ("makespan", "makespan efficiency"),
    ("memory", "memory with runs in flight"),
];

/// The sizes actually used (`--quick` replaces the flags').
#[derive(Debug, Clone)]
struct Sizes {
    runs: usize,
    tasks_per_run: usize,
    width: usize,
    tasks: usize,
    agents: usize,
    watchers: usize,
    dispatch_samples: usize,
    watch_tasks: usize,
    memory_runs: usize,
    validate_sizes: [usize; 2],
    repetitions: usize,
    makespan_levels: usize,
    makespan_width: usize,
    makespan_sleep: Duration,
}

impl Sizes {
    fn new(a: &BenchArgs) -> Sizes {
        let base = Sizes {
            runs: a.runs.max(1) as usize,
            tasks_per_run: a.tasks_per_run.max(1) as usize,
            width: a.width.max(1) as usize,
            tasks: a.tasks.max(1) as usize,
            agents: a.agents.max(1) as usize,
            watchers: a.watchers.max(1) as usize,
            dispatch_samples: a.dispatch_samples.max(1) as usize,
            watch_tasks: a.watch_tasks.max(1) as usize,
            memory_runs: a.memory_runs.max(1) as usize,
            validate_sizes: [1_000, 10_000],
            repetitions: 5,
            makespan_levels: 3,
            makespan_width: 8,
            makespan_sleep: Duration::from_millis(100),
        };
        if !a.quick {
            return base;
        }
        Sizes {
            runs: 20,
            tasks_per_run: 5,
            width: 100,
            tasks: 200,
            agents: 4,
            watchers: 10,
            dispatch_samples: 30,
            watch_tasks: 20,
            memory_runs: 50,
            repetitions: 3,
            ..base
        }
    }

    fn json(&self) -> Value {
        json!({
            "runs": self.runs,
            "tasks_per_run": self.tasks_per_run,
            "width": self.width,
            "dag_tasks": self.tasks,
            "agents": self.agents,
            "watchers": self.watchers,
            "dispatch_samples": self.dispatch_samples,
            "watch_tasks": self.watch_tasks,
            "memory_runs": self.memory_runs,
            "validate_sizes": self.validate_sizes,
            "repetitions": self.repetitions,
            "makespan": {
                "levels": self.makespan_levels,
                "width": self.makespan_width,
                "sleep_ms": self.makespan_sleep.as_millis() as u64,
            },
        })
    }
}

// ---------------------------------------------------------------- report

/// A goal a figure is held to (from the "Benchmarks" issue).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Target {
    /// value ≥ x.
    AtLeast(f64),
    /// value < x.
    Below(f64),
    /// value ≤ x.
    AtMost(f64),
}

impl Target {
    /// Whether `v` meets the target.
    pub fn met(self, v: f64) -> bool {
        match self {
            Target::AtLeast(x) => v >= x,
            Target::Below(x) => v < x,
            Target::AtMost(x) => v <= x,
        }
    }

    fn parts(self) -> (&'static str, f64) {
        match self {
            Target::AtLeast(x) => (">=", x),
            Target::Below(x) => ("<", x),
            Target::AtMost(x) => ("<=", x),
        }
    }

    fn text(self, unit: &str) -> String {
        let (op, x) = self.parts();
        let op = match op {
            ">=" => "≥",
            "<=" => "≤",
            other => other,
        };
        let unit = if unit.is_empty() || unit == "×" { String::new() } else { format!(" {unit}") };
        format!("{op} {}{unit}", trim_number(x))
    }
}

fn trim_number(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

/// One measured figure.
#[derive(Debug, Clone)]
pub struct Figure {
    /// What it is ("tasks/s", "p99").
    pub name: String,
    /// The value.
    pub value: f64,
    /// Its unit ("ms", "tasks/s", "%", "MiB", "×").
    pub unit: &'static str,
    /// Decimals shown in the table.
    pub precision: usize,
    /// The issue's target, if it sets one for this figure.
    pub target: Option<Target>,
}

impl Figure {
    fn new(name: impl Into<String>, value: f64, unit: &'static str, precision: usize) -> Figure {
        Figure { name: name.into(), value, unit, precision, target: None }
    }

    fn target(mut self, t: Target) -> Figure {
        self.target = Some(t);
        self
    }

    /// Whether the target is met (None: no target).
    pub fn met(&self) -> Option<bool> {
        self.target.map(|t| t.met(self.value))
    }

    fn value_text(&self) -> String {
        let unit = match self.unit {
            "" => String::new(),
            "%" | "×" => self.unit.to_string(),
            u => format!(" {u}"),
        };
        format!("{:.*}{unit}", self.precision, self.value)
    }
}

/// One scenario's outcome.
#[derive(Debug, Clone)]
pub struct ScenarioReport {
    /// Its id (`runs`, `wide`, …).
    pub id: String,
    /// What it measures, with its sizes.
    pub title: String,
    /// Its figures (empty when it failed before measuring anything).
    pub figures: Vec<Figure>,
    /// Why it failed, if it did.
    pub error: Option<String>,
    /// How long it took, server start and stop included.
    pub wall: Duration,
}

/// The machine the bench ran on.
#[derive(Debug, Clone)]
pub struct Machine {
    /// Logical CPUs available.
    pub cpus: usize,
    /// `model name` from /proc/cpuinfo.
    pub cpu_model: String,
    /// MemTotal from /proc/meminfo, in GiB.
    pub memory_gib: f64,
    /// The kernel release.
    pub kernel: String,
}

impl Machine {
    fn detect() -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu_model = cpuinfo
            .lines()
            .find(|l| l.starts_with("model name"))
            .and_then(|l| l.split_once(':'))
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_else(|| "unknown".into());
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let memory_gib = meminfo
            .lines()
            .find(|l| l.starts_with("MemTotal:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map(|kb| kb / (1024.0 * 1024.0))
            .unwrap_or(0.0);
        Machine {
            cpus: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
            cpu_model,
            memory_gib,
            kernel: std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default().trim().to_string(),
        }
    }
}

/// Everything the bench measured.
#[derive(Debug, Clone)]
pub struct BenchReport {
    /// sqlite or postgres.
    pub backend: &'static str,
    /// Where the databases were.
    pub database: String,
    /// debug or release (of the bench itself; the server binary is named in `server_bin`).
    pub profile: &'static str,
    /// The server binary started per scenario.
    pub server_bin: PathBuf,
    /// The machine.
    pub machine: Machine,
    /// The scenarios, in the order they ran.
    pub scenarios: Vec<ScenarioReport>,
    /// The whole bench's wall time.
    pub wall: Duration,
    sizes: Sizes,
}

impl BenchReport {
    /// Whether every scenario ran to the end (targets aside).
    pub fn all_ran(&self) -> bool {
        self.scenarios.iter().all(|s| s.error.is_none())
    }

    /// Whether every figure with a target met it (None when a scenario failed).
    pub fn targets_met(&self) -> Option<bool> {
        if !self.all_ran() {
            return None;
        }
        Some(self.scenarios.iter().flat_map(|s| &s.figures).all(|f| f.met() != Some(false)))
    }

    /// The report as an aligned text table.
    pub fn table(&self) -> String {
        let m = &self.machine;
        let mut out = format!(
            "orchestrator bench: {} ({}), {} build, wall {:.1} s\nmachine: {} CPUs, {}, {:.1} GiB RAM, Linux {}\nserver: {} (one child process per scenario); agents: {}, watchers: {}\n\n",
            self.backend,
            self.database,
            self.profile,
            self.wall.as_secs_f64(),
            m.cpus,
            m.cpu_model,
            m.memory_gib,
            m.kernel,
            self.server_bin.display(),
            self.sizes.agents,
            self.sizes.watchers,
        );
        let mut rows: Vec<[String; 5]> = Vec::new();
        for s in &self.scenarios {
            let mut first = true;
            let mut title = || {
                if std::mem::take(&mut first) {
                    s.title.clone()
                } else {
                    String::new()
                }
            };
            for f in &s.figures {
                let (target, met) = match f.target {
                    Some(t) => (t.text(f.unit), if t.met(f.value) { "yes" } else { "NO" }.to_string()),
                    None => ("—".to_string(), String::new()),
                };
                rows.push([title(), f.name.clone(), f.value_text(), target, met]);
            }
            if s.error.is_some() {
                rows.push([title(), "FAILED (see below)".into(), String::new(), String::new(), String::new()]);
            }
        }
        let header = ["scenario", "figure", "value", "target", "met"].map(String::from);
        let mut widths = header.clone().map(|h| h.chars().count());
        for r in &rows {
            for (w, c) in widths.iter_mut().zip(r) {
                *w = (*w).max(c.chars().count());
            }
        }
        let line = |r: &[String; 5]| {
            let mut l = String::new();
            for (i, (c, w)) in r.iter().zip(widths).enumerate() {
                let pad = w.saturating_sub(c.chars().count());
                if i == 2 {
                    l.push_str(&" ".repeat(pad));
                    l.push_str(c);
                } else {
                    l.push_str(c);
                    if i < 4 {
                        l.push_str(&" ".repeat(pad));
                    }
                }
                if i < 4 {
                    l.push_str("  ");
                }
            }
            l.trim_end().to_string() + "\n"
        };
        out.push_str(&line(&header));
        out.push_str(&line(&widths.map(|w| "-".repeat(w))));
        for r in &rows {
            out.push_str(&line(r));
        }
        let verdict = match self.targets_met() {
            Some(true) => "every target met".to_string(),
            Some(false) => {
                let missed: Vec<String> = self
                    .scenarios
                    .iter()
                    .flat_map(|s| s.figures.iter().map(move |f| (s, f)))
                    .filter(|(_, f)| f.met() == Some(false))
                    .map(|(s, f)| format!("{} {}", s.id, f.name))
                    .collect();
                format!("targets missed: {}", missed.join(", "))
            }
            None => "some scenarios failed (see FAILED rows)".to_string(),
        };
        for s in &self.scenarios {
            if let Some(e) = &s.error {
                out.push_str(&format!("\n{} FAILED: {}\n", s.id, one_line(e, 2000)));
            }
        }
        out.push_str(&format!("\n{verdict}\n"));
        out
    }

    /// The report as JSON.
    pub fn json(&self) -> Value {
        let m = &self.machine;
        json!({
            "backend": self.backend,
            "database": self.database,
            "profile": self.profile,
            "server_bin": self.server_bin.display().to_string(),
            "machine": {
                "cpus": m.cpus,
                "cpu_model": m.cpu_model,
                "memory_gib": (m.memory_gib * 10.0).round() / 10.0,
                "kernel": m.kernel,
            },
            "sizes": self.sizes.json(),
            "wall_s": self.wall.as_secs_f64(),
            "all_ran": self.all_ran(),
            "targets_met": self.targets_met(),
            "scenarios": self.scenarios.iter().map(|s| json!({
                "id": s.id,
                "title": s.title,
                "ok": s.error.is_none(),
                "error": s.error,
                "wall_s": s.wall.as_secs_f64(),
                "figures": s.figures.iter().map(|f| json!({
                    "key": slug(&f.name),
                    "name": f.name,
                    "value": if f.value.is_finite() { json!(f.value) } else { Value::Null },
                    "unit": f.unit,
                    "target": f.target.map(|t| {
                        let (op, x) = t.parts();
                        json!({ "op": op, "value": x })
                    }),
                    "met": f.met(),
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })
    }
}

/// A figure's name as a stable JSON key: "p99 (CreateRun sent → held)" → "p99_createrun_sent_held".
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_string()
}

fn one_line(s: &str, max: usize) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    domain::plan::truncate(&flat, max)
}

// ---------------------------------------------------------------- entry point

/// Runs the selected scenarios and returns what they measured. An error here
/// means the bench could not start (no server binary, no PostgreSQL, a bad
/// flag); a failing scenario is reported in the report instead.
pub async fn run(args: BenchArgs) -> Result<BenchReport> {
    // Dropping the bench on Ctrl-C or SIGTERM (a CI timeout) stops the servers
    // and the cluster and removes the temporary directory.
    tokio::select! {
        r = run_all(args) => r,
        _ = crate::server::shutdown_signal() => Err(Error::Internal("interrupted; servers and temporary files were removed".into())),
    }
}

async fn run_all(args: BenchArgs) -> Result<BenchReport> {
    let started = Instant::now();
    let sizes = Sizes::new(&args);
    for id in &args.only {
        if !SCENARIOS.iter().any(|(s, _)| s == id) {
            let known: Vec<&str> = SCENARIOS.iter().map(|(s, _)| *s).collect();
            return Err(Error::invalid("only", format!("unknown scenario {id:?}; known: {}", known.join(", "))));
        }
    }
    let server_bin = find_server_bin(args.server_bin.as_deref())?;
    let mut work = WorkDir::create()?;
    work.keep = args.keep;
    if args.keep {
        eprintln!("bench: keeping {}", work.path.display());
    }
    let databases = match (args.backend, &args.database_url) {
        (BenchBackend::Sqlite, Some(_)) => {
            return Err(Error::invalid("database_url", "--database-url is for --backend postgres"));
        }
        (BenchBackend::Sqlite, None) => Databases::Sqlite,
        (BenchBackend::Postgres, Some(url)) => {
            if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
                return Err(Error::invalid("database_url", "expected postgres://…"));
            }
            Databases::PgUrl(url.clone())
        }
        (BenchBackend::Postgres, None) => {
            let dir = work.path.join("pg");
            if !args.json {
                eprintln!("bench: starting a temporary PostgreSQL cluster in {}", dir.display());
            }
            let cluster = tokio::task::spawn_blocking(move || PgCluster::start(dir))
                .await
                .map_err(|e| Error::Internal(format!("starting PostgreSQL: {e}")))??;
            Databases::PgCluster(cluster)
        }
    };
    let database = match &databases {
        Databases::Sqlite => "a temporary SQLite file per scenario".to_string(),
        Databases::PgUrl(_) => "the given PostgreSQL database, shared by the scenarios".to_string(),
        Databases::PgCluster(c) => {
            format!("a temporary PostgreSQL {} cluster, a database per scenario, synchronous_commit=off", c.version)
        }
    };
    let mut bench = Bench {
        databases,
        work,
        sizes: sizes.clone(),
        backend: args.backend,
        server_bin: server_bin.clone(),
        nonce: format!("{:08x}", fastrand::u32(..)),
        quiet: args.json,
    };
    let mut scenarios = Vec::new();
    for (id, _) in SCENARIOS {
        if !args.only.is_empty() && !args.only.iter().any(|o| o == id) {
            continue;
        }
        scenarios.push(bench.scenario(id).await);
    }
    drop(bench);
    Ok(BenchReport {
        backend: args.backend.name(),
        database,
        profile: if cfg!(debug_assertions) { "debug" } else { "release" },
        server_bin,
        machine: Machine::detect(),
        scenarios,
        wall: started.elapsed(),
        sizes,
    })
}

/// Where each scenario's database comes from.
enum Databases {
    Sqlite,
    PgUrl(String),
    PgCluster(PgCluster),
}

/// The bench's state. Field order matters: the cluster stops before the
/// directory it lives in is removed.
struct Bench {
    databases: Databases,
    work: WorkDir,
    sizes: Sizes,
    backend: BenchBackend,
    server_bin: PathBuf,
    nonce: String,
    quiet: bool,
}

impl Bench {
    fn title(&self, id: &str) -> String {
        let s = &self.sizes;
        match id {
            "runs" => format!("throughput: {} runs × {} tasks, {} agents", s.runs, s.tasks_per_run, s.agents),
            "wide" => format!("throughput: 1 run × {} tasks, {} agents", s.width, s.agents),
            "dag" => format!("throughput: DAG of {} tasks ({} per level), {} agents", s.tasks, DAG_LEVEL, s.agents),
            "dispatch" => {
                format!("dispatch latency: {} single-task runs, {} agents polling", s.dispatch_samples, s.agents)
            }
            "watch" => format!("watch latency: {} watchers × 1 run of {} tasks", s.watchers, s.watch_tasks),
            "validate" => "plan validation (layered DAGs)".to_string(),
            "makespan" => format!(
                "makespan: {} levels × {} tasks × {} ms",
                s.makespan_levels,
                s.makespan_width,
                s.makespan_sleep.as_millis()
            ),
            "memory" => format!("memory: {} runs × {} tasks in flight", s.memory_runs, s.tasks_per_run),
            _ => id.to_string(),
        }
    }

    /// How long a scenario may take in all before it is reported as timed out.
    fn limit(&self, id: &str) -> Duration {
        let s = &self.sizes;
        let tasks = match id {
            "runs" => s.runs * s.tasks_per_run,
            "wide" => s.width,
            "dag" => s.tasks,
            "dispatch" => s.dispatch_samples * 20,
            "watch" => s.watch_tasks * s.watchers / 10,
            "memory" => s.memory_runs * s.tasks_per_run,
            _ => 0,
        };
        Duration::from_secs(120) + completion_allowance(tasks)
    }

    async fn scenario(&mut self, id: &str) -> ScenarioReport {
        let title = self.title(id);
        if !self.quiet {
            eprintln!("bench: {id}: {title} …");
        }
        let started = Instant::now();
        let limit = self.limit(id);
        let log = self.work.path.join(format!("{id}.log"));
        let (figures, error) = match tokio::time::timeout(limit, self.run_scenario(id, &log)).await {
            Ok(Ok(f)) => (f, None),
            Ok(Err(e)) => (Vec::new(), Some(with_log_tail(e.to_string(), &log))),
            Err(_) => (Vec::new(), Some(with_log_tail(format!("timed out after {} s", limit.as_secs()), &log))),
        };
        if !self.quiet {
            match &error {
                None => eprintln!("bench: {id}: done in {:.1} s", started.elapsed().as_secs_f64()),
                Some(e) => eprintln!("bench: {id}: FAILED: {e}"),
            }
        }
        ScenarioReport { id: id.to_string(), title, figures, error, wall: started.elapsed() }
    }

    async fn database_url(&self, id: &str) -> Result<String> {
        match &self.databases {
            Databases::Sqlite => Ok(format!("sqlite://{}", self.work.path.join(format!("{id}.db")).display())),
            Databases::PgUrl(u) => Ok(u.clone()),
            Databases::PgCluster(c) => {
                let name = format!("bench_{id}_{}", self.nonce);
                let (bin, port) = (c.createdb.clone(), c.port);
                tokio::task::spawn_blocking(move || create_database(&bin, port, &name))
                    .await
                    .map_err(|e| Error::Internal(format!("createdb: {e}")))?
            }
        }
    }

    async fn run_scenario(&self, id: &str, log: &Path) -> Result<Vec<Figure>> {
        let url = self.database_url(id).await?;
        let mut server = ServerProcess::start(&self.server_bin, &url, log).await?;
        if let Databases::PgCluster(c) = &self.databases {
            server.postmaster = c.postmaster();
        }
        let figures = match id {
            "runs" => self.throughput_runs(&server).await?,
            "wide" => {
                let tasks = (0..self.sizes.width).map(|i| task(format!("t{i:05}"), "noop", vec![])).collect();
                self.throughput_one_run(&server, id, tasks, self.sizes.width).await?
            }
            "dag" => {
                let tasks = layered(self.sizes.tasks, DAG_LEVEL, 2)
                    .into_iter()
                    .map(|(id, deps)| task(id, "noop", deps))
                    .collect();
                self.throughput_one_run(&server, id, tasks, 1000).await?
            }
            "dispatch" => self.dispatch_latency(&server).await?,
            "watch" => self.watch_latency(&server).await?,
            "validate" => self.validation(&server).await?,
            "makespan" => self.makespan(&server).await?,
            "memory" => self.memory(&server).await?,
            other => return Err(Error::Internal(format!("no scenario {other:?}"))),
        };
        server.stop().await;
        Ok(figures)
    }

    fn label(&self, id: &str) -> String {
        format!("{id}-{}", self.nonce)
    }

    fn throughput_target(&self) -> Target {
        match self.backend {
            BenchBackend::Sqlite => Target::AtLeast(5000.0),
            BenchBackend::Postgres => Target::AtLeast(3000.0),
        }
    }

    // ------------------------------------------------------------ scenarios

    async fn throughput_runs(&self, server: &ServerProcess) -> Result<Vec<Figure>> {
        let s = &self.sizes;
        let total = s.runs * s.tasks_per_run;
        let label = self.label("runs");
        let mut agents = AgentPool::start(server.addr, "noop", s.agents, Duration::ZERO, None).await?;
        let requests: Vec<pb::CreateRunRequest> = (0..s.runs)
            .map(|r| {
                let tasks = (0..s.tasks_per_run).map(|i| task(format!("t{i}"), "noop", vec![])).collect();
                run_request(format!("bench run {r}"), tasks, s.tasks_per_run, &label)
            })
            .collect();
        let mut clients = Vec::new();
        for _ in 0..CREATORS.min(s.runs) {
            clients.push(RunServiceClient::new(connect(server.addr).await?));
        }
        let window = CpuWindow::start(server);
        let t0 = Instant::now();
        let creators = spawn_creators(clients, requests);
        let end = agents.wait_completed(total as u64, completion_allowance(total) + Duration::from_secs(60)).await?;
        let wall = end.duration_since(t0);
        let cpu = window.finish(server);
        let (created, last_created) = join_creators(creators).await?;
        let create_wall = last_created.map(|t| t.duration_since(t0)).unwrap_or_default();
        let completed = count_runs(server.addr, &label, pb::RunStatus::Completed).await?;
        if completed != s.runs || created.len() != s.runs {
            return Err(Error::Internal(format!(
                "{completed} of {} runs completed after every task was reported done",
                s.runs
            )));
        }
        let secs = wall.as_secs_f64();
        Ok(vec![
            Figure::new("tasks/s", total as f64 / secs, "tasks/s", 0).target(self.throughput_target()),
            Figure::new("runs/s", s.runs as f64 / secs, "runs/s", 0),
            Figure::new("wall (first CreateRun → last task done)", secs * 1e3, "ms", 0),
            Figure::new("last CreateRun returned at", create_wall.as_secs_f64() * 1e3, "ms", 0),
        ]
        .into_iter()
        .chain(cpu.figures("agents, clients"))
        .chain(agents.error_figure())
        .collect())
    }

    async fn throughput_one_run(
        &self,
        server: &ServerProcess,
        id: &str,
        tasks: Vec<pb::TaskSpec>,
        max_parallel: usize,
    ) -> Result<Vec<Figure>> {
        let s = &self.sizes;
        let total = tasks.len();
        let label = self.label(id);
        let mut agents = AgentPool::start(server.addr, "noop", s.agents, Duration::ZERO, None).await?;
        let mut runs = RunServiceClient::new(connect(server.addr).await?);
        let req = run_request(format!("bench {id}"), tasks, max_parallel.min(1000), &label);
        let window = CpuWindow::start(server);
        let t0 = Instant::now();
        let run = runs.create_run(req).await.map_err(rpc_error("CreateRun"))?.into_inner().run;
        let created = t0.elapsed();
        let run = run.ok_or_else(|| Error::Internal("CreateRun answered without a run".into()))?;
        let end = agents.wait_completed(total as u64, completion_allowance(total) + Duration::from_secs(60)).await?;
        let wall = end.duration_since(t0);
        let cpu = window.finish(server);
        expect_status(&mut runs, &run.id, pb::RunStatus::Completed).await?;
        let secs = wall.as_secs_f64();
        Ok(vec![
            Figure::new("tasks/s", total as f64 / secs, "tasks/s", 0).target(self.throughput_target()),
            Figure::new("wall (CreateRun → last task done)", secs * 1e3, "ms", 0),
            Figure::new("of which CreateRun", created.as_secs_f64() * 1e3, "ms", 1),
        ]
        .into_iter()
        .chain(cpu.figures("agents, clients"))
        .chain(agents.error_figure())
        .collect())
    }

    async fn dispatch_latency(&self, server: &ServerProcess) -> Result<Vec<Figure>> {
        let s = &self.sizes;
        let label = self.label("dispatch");
        let (tx, mut rx) = mpsc::unbounded_channel();
        let agents = AgentPool::start(server.addr, "dispatch", s.agents, Duration::ZERO, Some(tx)).await?;
        let mut runs = RunServiceClient::new(connect(server.addr).await?);
        let mut from_ready = Vec::with_capacity(s.dispatch_samples);
        let mut from_return = Vec::with_capacity(s.dispatch_samples);
        let mut from_send = Vec::with_capacity(s.dispatch_samples);
        let mut create_rtt = Vec::with_capacity(s.dispatch_samples);
        let mut early = 0usize;
        let window = CpuWindow::start(server);
        for i in 0..DISPATCH_WARMUP + s.dispatch_samples {
            let req = run_request(format!("dispatch {i}"), vec![task("t".into(), "dispatch", vec![])], 1, &label);
            let sent = Instant::now();
            let run = runs.create_run(req).await.map_err(rpc_error("CreateRun"))?.into_inner().run;
            let returned = Instant::now();
            let run = run.ok_or_else(|| Error::Internal("CreateRun answered without a run".into()))?;
            let (held, held_micros) = wait_agent_event(&mut rx, &run.id, false).await?;
            wait_agent_event(&mut rx, &run.id, true).await?;
            if i < DISPATCH_WARMUP {
                continue;
            }
            // The task became READY in CreateRun's transaction, whose time is the run's started_at.
            let ready = run.started_at.map(|t| t.seconds * 1_000_000 + i64::from(t.nanos) / 1_000);
            let ready = ready.ok_or_else(|| Error::Internal(format!("run {} has no started_at", run.id)))?;
            from_ready.push((held_micros - ready).max(0) as f64 / 1e3);
            if held < returned {
                early += 1;
            }
            from_return.push(ms(held.saturating_duration_since(returned)));
            from_send.push(ms(held.duration_since(sent)));
            create_rtt.push(ms(returned.duration_since(sent)));
        }
        let cpu = window.finish(server);
        let d = sorted(from_ready);
        let r = sorted(from_return);
        let f = sorted(from_send);
        let c = sorted(create_rtt);
        Ok(vec![
            Figure::new("p50 (READY commit time → held)", percentile(&d, 50.0), "ms", 2),
            Figure::new("p99 (READY commit time → held)", percentile(&d, 99.0), "ms", 2).target(Target::Below(5.0)),
            Figure::new("max (READY commit time → held)", percentile(&d, 100.0), "ms", 2),
            Figure::new("p50 (CreateRun returned → held, ≥ 0)", percentile(&r, 50.0), "ms", 2),
            Figure::new("p99 (CreateRun returned → held, ≥ 0)", percentile(&r, 99.0), "ms", 2),
            Figure::new("p99 (CreateRun sent → held)", percentile(&f, 99.0), "ms", 2),
            Figure::new("CreateRun round trip p50", percentile(&c, 50.0), "ms", 2),
            Figure::new("held before CreateRun returned", early as f64, "samples", 0),
        ]
        .into_iter()
        .chain(cpu.figures("agents, client"))
        .chain(agents.error_figure())
        .collect())
    }

    async fn watch_latency(&self, server: &ServerProcess) -> Result<Vec<Figure>> {
        let s = &self.sizes;
        let label = self.label("watch");
        let mut runs = RunServiceClient::new(connect(server.addr).await?);
        let tasks = (0..s.watch_tasks).map(|i| task(format!("t{i:04}"), "watch", vec![])).collect();
        // Nobody polls "watch" yet: the run's log stays still while the watchers catch up.
        let run = runs
            .create_run(run_request("bench watch".into(), tasks, 1, &label))
            .await
            .map_err(rpc_error("CreateRun"))?
            .into_inner()
            .run
            .ok_or_else(|| Error::Internal("CreateRun answered without a run".into()))?;
        // CreateRun's answer says last_event_seq 0 (its row is read before the
        // transaction numbers its events): ask again.
        let base = runs
            .get_run(pb::GetRunRequest { run_id: run.id.clone(), ..Default::default() })
            .await
            .map_err(rpc_error("GetRun"))?
            .into_inner()
            .last_event_seq;
        if base == 0 {
            return Err(Error::Internal(format!("run {} has no events after CreateRun", run.id)));
        }
        let (caught_up_tx, mut caught_up) = watch::channel(0usize);
        let caught_up_tx = Arc::new(caught_up_tx);
        let mut watchers = JoinSet::new();
        for _ in 0..s.watchers {
            let (addr, id, tx) = (server.addr, run.id.clone(), caught_up_tx.clone());
            watchers.spawn(async move { watch_one(addr, id, base, tx).await });
        }
        let n = s.watchers;
        let ready =
            matches!(tokio::time::timeout(Duration::from_secs(60), caught_up.wait_for(|c| *c >= n)).await, Ok(Ok(_)));
        if !ready {
            return Err(Error::Internal(format!(
                "only {} of {n} watchers had replayed the run's log within 60 s",
                *caught_up.borrow()
            )));
        }
        let window = CpuWindow::start(server);
        let agents = AgentPool::start(server.addr, "watch", 1, Duration::from_millis(5), None).await?;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60) + completion_allowance(s.watch_tasks * 10);
        let mut logs = Vec::with_capacity(n);
        while !watchers.is_empty() {
            match tokio::time::timeout_at(deadline, watchers.join_next()).await {
                Ok(Some(Ok(Ok(log)))) => logs.push(log),
                Ok(Some(Ok(Err(e)))) => return Err(e),
                Ok(Some(Err(e))) => return Err(Error::Internal(format!("a watcher task failed: {e}"))),
                Ok(None) => break,
                Err(_) => {
                    return Err(Error::Internal(format!(
                        "{} of {n} watchers had not seen the run end by the deadline",
                        watchers.len()
                    )))
                }
            }
        }
        let cpu = window.finish(server);
        drop(agents);
        expect_status(&mut runs, &run.id, pb::RunStatus::Completed).await?;
        let mut latencies = Vec::new();
        let mut gaps = 0usize;
        let mut last_seq = 0u64;
        for log in &logs {
            let mut expected = 1u64;
            for &(seq, committed, received) in log {
                if seq != expected {
                    gaps += 1;
                }
                expected = seq + 1;
                last_seq = last_seq.max(seq);
                if seq > base {
                    latencies.push((received - committed).max(0) as f64 / 1e3);
                }
            }
        }
        if gaps > 0 {
            return Err(Error::Internal(format!("{gaps} gaps or duplicates in the watchers' event sequences")));
        }
        let live = last_seq.saturating_sub(base);
        let l = sorted(latencies);
        Ok(vec![
            Figure::new("p50", percentile(&l, 50.0), "ms", 2),
            Figure::new("p99", percentile(&l, 99.0), "ms", 2).target(Target::Below(5.0)),
            Figure::new("max", percentile(&l, 100.0), "ms", 2),
            Figure::new("live events × watchers", l.len() as f64, "", 0),
            Figure::new("events/s per watcher", live as f64 / cpu.secs, "", 0),
        ]
        .into_iter()
        .chain(cpu.figures("watchers, agent"))
        .collect())
    }

    async fn validation(&self, server: &ServerProcess) -> Result<Vec<Figure>> {
        let s = &self.sizes;
        let limits = PlanLimits::default();
        let mut figures = Vec::new();
        for n in s.validate_sizes {
            let levels = n.div_ceil(VALIDATE_LEVEL) as u32;
            let specs: Vec<domain::TaskSpec> = layered(n, VALIDATE_LEVEL, 2)
                .into_iter()
                .map(|(id, deps)| domain::TaskSpec { id, agent: "noop".into(), depends_on: deps, ..Default::default() })
                .collect();
            let mut times = Vec::with_capacity(s.repetitions);
            for _ in 0..s.repetitions {
                let t = Instant::now();
                let analysis = domain::plan::validate(&specs, &limits)
                    .map_err(|v| Error::Internal(format!("the generated plan of {n} tasks is invalid: {}", v.len())))?;
                times.push(ms(t.elapsed()));
                if analysis.depth != levels {
                    return Err(Error::Internal(format!("depth {} of {n} tasks, expected {levels}", analysis.depth)));
                }
            }
            let median = percentile(&sorted(times), 50.0);
            let f = Figure::new(format!("validate() {n} tasks, median"), median, "ms", 2);
            figures.push(if n == 10_000 { f.target(Target::Below(50.0)) } else { f });
        }
        let n = s.validate_sizes[1];
        let plan =
            pb::Plan { tasks: layered(n, VALIDATE_LEVEL, 2).into_iter().map(|(id, d)| task(id, "noop", d)).collect() };
        let mut coord = CoordinatorServiceClient::new(connect(server.addr).await?)
            .max_decoding_message_size(64 << 20)
            .max_encoding_message_size(64 << 20);
        let mut times = Vec::with_capacity(s.repetitions);
        for _ in 0..s.repetitions {
            let req = pb::ValidatePlanRequest { plan: Some(plan.clone()) };
            let t = Instant::now();
            let a = coord.validate_plan(req).await.map_err(rpc_error("ValidatePlan"))?.into_inner();
            times.push(ms(t.elapsed()));
            let order = a.analysis.map(|a| a.topological_order.len()).unwrap_or(0);
            if order != n {
                return Err(Error::Internal(format!("ValidatePlan ordered {order} of {n} tasks")));
            }
        }
        figures.push(Figure::new(
            format!("ValidatePlan RPC {n} tasks, median"),
            percentile(&sorted(times), 50.0),
            "ms",
            2,
        ));
        Ok(figures)
    }

    async fn makespan(&self, server: &ServerProcess) -> Result<Vec<Figure>> {
        let s = &self.sizes;
        let (levels, width, sleep) = (s.makespan_levels, s.makespan_width, s.makespan_sleep);
        let label = self.label("makespan");
        let mut agents = AgentPool::start(server.addr, "makespan", s.agents.max(width), sleep, None).await?;
        let mut runs = RunServiceClient::new(connect(server.addr).await?);
        let n = levels * width;
        let critical = sleep * levels as u32;
        let mut done = 0u64;
        // One level first, unmeasured: every agent has connected and is polling.
        let warm: Vec<pb::TaskSpec> = (0..width).map(|i| task(format!("w{i}"), "makespan", vec![])).collect();
        runs.create_run(run_request("makespan warm-up".into(), warm, width, &label))
            .await
            .map_err(rpc_error("CreateRun"))?;
        done += width as u64;
        agents.wait_completed(done, Duration::from_secs(30)).await?;
        let mut ratios = Vec::with_capacity(s.repetitions);
        let mut spans = Vec::with_capacity(s.repetitions);
        for rep in 0..s.repetitions {
            let tasks = layered(n, width, 2).into_iter().map(|(id, deps)| task(id, "makespan", deps)).collect();
            let req = run_request(format!("makespan {rep}"), tasks, width, &label);
            let t0 = Instant::now();
            let run = runs.create_run(req).await.map_err(rpc_error("CreateRun"))?.into_inner().run;
            let run = run.ok_or_else(|| Error::Internal("CreateRun answered without a run".into()))?;
            done += n as u64;
            let end = agents.wait_completed(done, critical * 10 + Duration::from_secs(30)).await?;
            let span = end.duration_since(t0);
            expect_status(&mut runs, &run.id, pb::RunStatus::Completed).await?;
            ratios.push(span.as_secs_f64() / critical.as_secs_f64());
            spans.push(ms(span));
        }
        let r = sorted(ratios);
        Ok(vec![
            Figure::new("makespan / critical path, median", percentile(&r, 50.0), "×", 3).target(Target::AtMost(1.05)),
            Figure::new("worst of the repetitions", percentile(&r, 100.0), "×", 3),
            Figure::new("makespan, median", percentile(&sorted(spans), 50.0), "ms", 1),
            Figure::new("critical path", ms(critical), "ms", 0),
        ]
        .into_iter()
        .chain(agents.error_figure())
        .collect())
    }

    async fn memory(&self, server: &ServerProcess) -> Result<Vec<Figure>> {
        let s = &self.sizes;
        let label = self.label("memory");
        let rss_before = server.status_kb("VmRSS")?;
        // An agent name nobody polls: the runs stay EXECUTING with their tasks READY.
        let agent = format!("unpolled-{}", self.nonce);
        let requests: Vec<pb::CreateRunRequest> = (0..s.memory_runs)
            .map(|r| {
                let tasks = (0..s.tasks_per_run).map(|i| task(format!("t{i}"), &agent, vec![])).collect();
                run_request(format!("bench memory {r}"), tasks, s.tasks_per_run, &label)
            })
            .collect();
        let mut clients = Vec::new();
        for _ in 0..CREATORS.min(s.memory_runs) {
            clients.push(RunServiceClient::new(connect(server.addr).await?));
        }
        let t0 = Instant::now();
        let (created, last_created) = join_creators(spawn_creators(clients, requests)).await?;
        let create_wall = last_created.map(|t| t.duration_since(t0)).unwrap_or_default();
        let executing = count_runs(server.addr, &label, pb::RunStatus::Executing).await?;
        if executing != s.memory_runs {
            return Err(Error::Internal(format!("{executing} of {} runs are EXECUTING", s.memory_runs)));
        }
        let rss_after = server.status_kb("VmRSS")?;
        let peak = server.status_kb("VmHWM")?;
        // The server at rest with that much in flight (the reconciler's passes).
        let window = CpuWindow::start(server);
        tokio::time::sleep(Duration::from_secs(2)).await;
        let idle_cpu = window.finish(server).server;
        // Leave nothing running in a database someone gave us.
        if matches!(self.databases, Databases::PgUrl(_)) {
            cancel_runs(server.addr, created).await?;
        }
        let per_run = (rss_after as f64 - rss_before as f64) / s.memory_runs as f64;
        Ok(vec![
            Figure::new("server RSS before", rss_before as f64 / 1024.0, "MiB", 1),
            Figure::new(format!("server RSS with {} runs", s.memory_runs), rss_after as f64 / 1024.0, "MiB", 1),
            Figure::new("growth per run", per_run, "KiB", 1),
            Figure::new("server peak RSS (VmHWM)", peak as f64 / 1024.0, "MiB", 1),
            Figure::new("creating the runs", create_wall.as_secs_f64() * 1e3, "ms", 0),
            Figure::new("server CPU at rest afterwards", idle_cpu, "%", 1),
        ])
    }
}

/// Extra time allowed for `tasks` tasks to finish: 10 tasks/s at worst (a
/// slower server is reported as failed rather than waited for).
fn completion_allowance(tasks: usize) -> Duration {
    Duration::from_millis(tasks as u64 * 100)
}

// ---------------------------------------------------------------- plans

fn task(id: String, agent: &str, depends_on: Vec<String>) -> pb::TaskSpec {
    pb::TaskSpec { id, agent: agent.into(), depends_on, ..Default::default() }
}

/// A layered DAG of `n` tasks, `width` per level; each task past the first
/// level depends on `fan_in` tasks of the level before. Ids are `t00000…`.
fn layered(n: usize, width: usize, fan_in: usize) -> Vec<(String, Vec<String>)> {
    let width = width.max(1);
    (0..n)
        .map(|i| {
            let (level, pos) = (i / width, i % width);
            let deps = if level == 0 {
                Vec::new()
            } else {
                let mut d: Vec<String> = (0..fan_in.min(width))
                    .map(|k| format!("t{:05}", (level - 1) * width + (pos + k) % width))
                    .collect();
                d.dedup();
                d
            };
            (format!("t{i:05}"), deps)
        })
        .collect()
}

fn run_request(goal: String, tasks: Vec<pb::TaskSpec>, max_parallel: usize, label: &str) -> pb::CreateRunRequest {
    pb::CreateRunRequest {
        goal,
        plan: Some(pb::Plan { tasks }),
        max_parallel: max_parallel.clamp(1, 1000) as u32,
        labels: HashMap::from([("bench".to_string(), label.to_string())]),
        ..Default::default()
    }
}

// ---------------------------------------------------------------- clients

async fn connect(addr: SocketAddr) -> Result<Channel> {
    Endpoint::from_shared(format!("http://{addr}"))
        .map_err(|e| Error::Internal(format!("server address {addr}: {e}")))?
        .connect_timeout(Duration::from_secs(5))
        .timeout(RPC_TIMEOUT)
        .tcp_nodelay(true)
        .connect()
        .await
        .map_err(|e| Error::Internal(format!("connecting to the server at {addr}: {e}")))
}

fn rpc_error(call: &'static str) -> impl Fn(tonic::Status) -> Error {
    move |s| Error::Internal(format!("{call}: {:?}: {}", s.code(), s.message()))
}

/// Starts creating the runs from `clients.len()` concurrent callers (at once,
/// not when awaited); [`join_creators`] collects them.
fn spawn_creators(
    clients: Vec<RunServiceClient<Channel>>,
    requests: Vec<pb::CreateRunRequest>,
) -> JoinSet<Result<(Vec<String>, Instant)>> {
    let k = clients.len().max(1);
    let mut shares: Vec<Vec<pb::CreateRunRequest>> = (0..k).map(|_| Vec::new()).collect();
    for (i, r) in requests.into_iter().enumerate() {
        shares[i % k].push(r);
    }
    let mut set = JoinSet::new();
    for (mut client, share) in clients.into_iter().zip(shares) {
        set.spawn(async move {
            let mut ids = Vec::with_capacity(share.len());
            for req in share {
                let run = client.create_run(req).await.map_err(rpc_error("CreateRun"))?.into_inner().run;
                ids.push(run.map(|r| r.id).unwrap_or_default());
            }
            Ok((ids, Instant::now()))
        });
    }
    set
}

/// The created runs' ids and when the last CreateRun returned.
async fn join_creators(mut set: JoinSet<Result<(Vec<String>, Instant)>>) -> Result<(Vec<String>, Option<Instant>)> {
    let mut ids = Vec::new();
    let mut last: Option<Instant> = None;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(300);
    loop {
        match tokio::time::timeout_at(deadline, set.join_next()).await {
            Ok(Some(r)) => {
                let (share, at) = r.map_err(|e| Error::Internal(format!("a CreateRun caller failed: {e}")))??;
                ids.extend(share);
                last = Some(last.map_or(at, |l| l.max(at)));
            }
            Ok(None) => return Ok((ids, last)),
            Err(_) => return Err(Error::Internal("the CreateRun callers did not finish within 300 s".into())),
        }
    }
}

/// Counts the runs with this bench label in this status.
async fn count_runs(addr: SocketAddr, label: &str, status: pb::RunStatus) -> Result<usize> {
    let mut runs = RunServiceClient::new(connect(addr).await?);
    let mut token = String::new();
    let mut n = 0;
    for _ in 0..10_000 {
        let page = runs
            .list_runs(pb::ListRunsRequest {
                statuses: vec![status as i32],
                labels: HashMap::from([("bench".to_string(), label.to_string())]),
                page_size: 500,
                page_token: token,
                ..Default::default()
            })
            .await
            .map_err(rpc_error("ListRuns"))?
            .into_inner();
        n += page.runs.len();
        if page.next_page_token.is_empty() {
            return Ok(n);
        }
        token = page.next_page_token;
    }
    Err(Error::Internal("ListRuns did not reach its last page".into()))
}

async fn cancel_runs(addr: SocketAddr, ids: Vec<String>) -> Result<()> {
    let mut runs = RunServiceClient::new(connect(addr).await?);
    for id in ids {
        runs.cancel_run(pb::CancelRunRequest { run_id: id, reason: "bench finished".into() })
            .await
            .map_err(rpc_error("CancelRun"))?;
    }
    Ok(())
}

async fn expect_status(runs: &mut RunServiceClient<Channel>, run_id: &str, want: pb::RunStatus) -> Result<()> {
    let run = runs
        .get_run(pb::GetRunRequest { run_id: run_id.into(), ..Default::default() })
        .await
        .map_err(rpc_error("GetRun"))?
        .into_inner();
    if run.status != want as i32 {
        let got = pb::RunStatus::try_from(run.status).map(|s| s.as_str_name()).unwrap_or("?");
        return Err(Error::Internal(format!(
            "run {run_id} is {got} after its tasks were done, expected {} ({})",
            want.as_str_name(),
            run.failure_reason
        )));
    }
    Ok(())
}

/// One WatchRun subscriber: (seq, committed µs, received µs) of every event.
async fn watch_one(
    addr: SocketAddr,
    run_id: String,
    base: u64,
    caught_up: Arc<watch::Sender<usize>>,
) -> Result<Vec<(u64, i64, i64)>> {
    let mut runs = RunServiceClient::new(connect(addr).await?);
    let mut stream =
        runs.watch_run(pb::WatchRunRequest { run_id, after_seq: 0 }).await.map_err(rpc_error("WatchRun"))?.into_inner();
    let mut log = Vec::new();
    let mut signalled = false;
    loop {
        let next = tokio::time::timeout(RPC_TIMEOUT, stream.message()).await;
        let event = match next {
            Ok(Ok(Some(e))) => e,
            Ok(Ok(None)) => return Ok(log),
            Ok(Err(s)) => return Err(rpc_error("WatchRun stream")(s)),
            Err(_) => return Err(Error::Internal(format!("a watcher heard nothing for {} s", RPC_TIMEOUT.as_secs()))),
        };
        let received = domain::now_micros();
        let committed = event.time.map(|t| t.seconds * 1_000_000 + i64::from(t.nanos) / 1_000).unwrap_or(received);
        log.push((event.seq, committed, received));
        if !signalled && event.seq >= base {
            signalled = true;
            caught_up.send_modify(|n| *n += 1);
        }
    }
}

// ---------------------------------------------------------------- agents

/// What an agent tells the dispatch scenario.
#[derive(Debug)]
enum AgentEvent {
    /// PollTask returned this run's task at this instant (and wall-clock µs).
    Held(String, Instant, i64),
    /// CompleteTask for this run's task returned.
    Completed(String),
}

/// Agents as tokio tasks, each with its own connection; aborted when dropped.
struct AgentPool {
    _tasks: JoinSet<()>,
    completed: watch::Receiver<u64>,
    errors: Arc<AgentErrors>,
}

#[derive(Default)]
struct AgentErrors {
    count: AtomicU64,
    last: Mutex<Option<String>>,
}

impl AgentErrors {
    fn record(&self, e: String) {
        self.count.fetch_add(1, Ordering::Relaxed);
        *self.last.lock().unwrap_or_else(|p| p.into_inner()) = Some(e);
    }

    fn note(&self) -> String {
        match self.last.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            Some(e) => format!("; {} agent call errors, the last: {e}", self.count.load(Ordering::Relaxed)),
            None => String::new(),
        }
    }
}

impl AgentPool {
    async fn start(
        addr: SocketAddr,
        agent: &str,
        n: usize,
        work: Duration,
        events: Option<mpsc::UnboundedSender<AgentEvent>>,
    ) -> Result<AgentPool> {
        let (done_tx, completed) = watch::channel(0u64);
        let done_tx = Arc::new(done_tx);
        let errors = Arc::new(AgentErrors::default());
        let mut tasks = JoinSet::new();
        for i in 0..n {
            let client = CoordinatorServiceClient::new(connect(addr).await?);
            let (agent, done, errors, events) = (agent.to_string(), done_tx.clone(), errors.clone(), events.clone());
            tasks.spawn(agent_loop(client, agent, format!("bench-{i}"), work, done, errors, events));
        }
        Ok(AgentPool { _tasks: tasks, completed, errors })
    }

    /// Waits until the agents have completed `target` tasks in all; returns when.
    async fn wait_completed(&mut self, target: u64, within: Duration) -> Result<Instant> {
        let outcome = match tokio::time::timeout(within, self.completed.wait_for(|n| *n >= target)).await {
            Ok(Ok(_)) => Some(true),
            Ok(Err(_)) => Some(false),
            Err(_) => None,
        };
        match outcome {
            Some(true) => Ok(Instant::now()),
            Some(false) => Err(Error::Internal(format!("the agents stopped{}", self.errors.note()))),
            None => Err(Error::Internal(format!(
                "only {} of {target} tasks were completed within {} s{}",
                *self.completed.borrow(),
                within.as_secs(),
                self.errors.note()
            ))),
        }
    }

    /// A figure of the agents' failed calls, if any (none is the expected case).
    fn error_figure(&self) -> Option<Figure> {
        let n = self.errors.count.load(Ordering::Relaxed);
        (n > 0).then(|| Figure::new("agent call errors (see log)", n as f64, "", 0))
    }
}

async fn agent_loop(
    mut client: CoordinatorServiceClient<Channel>,
    agent: String,
    instance: String,
    work: Duration,
    done: Arc<watch::Sender<u64>>,
    errors: Arc<AgentErrors>,
    events: Option<mpsc::UnboundedSender<AgentEvent>>,
) {
    let wait = prost_types::Duration { seconds: POLL_WAIT.as_secs() as i64, nanos: 0 };
    // The next task, when the last completion claimed one (as an agent should: it
    // saves a PollTask round trip per task).
    let mut next: Option<pb::TaskAssignment> = None;
    loop {
        let assignment = match next.take() {
            Some(a) => a,
            None => {
                let polled = client
                    .poll_task(pb::PollTaskRequest {
                        agent: agent.clone(),
                        agent_instance: instance.clone(),
                        wait: Some(wait),
                        ..Default::default()
                    })
                    .await;
                match polled {
                    Ok(r) => match r.into_inner().assignment {
                        Some(a) => a,
                        None => continue,
                    },
                    Err(s) => {
                        errors.record(format!("PollTask: {:?}: {}", s.code(), s.message()));
                        // Back off on errors only; the hot path has no sleep.
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                }
            }
        };
        if let Some(tx) = &events {
            let _ = tx.send(AgentEvent::Held(assignment.run_id.clone(), Instant::now(), domain::now_micros()));
        }
        if !work.is_zero() {
            tokio::time::sleep(work).await;
        }
        let output = prost_types::Value { kind: Some(prost_types::value::Kind::StringValue("ok".into())) };
        let completed = client
            .complete_task(pb::CompleteTaskRequest {
                lease_id: assignment.lease_id,
                output: Some(output),
                claim_next: true,
                ..Default::default()
            })
            .await;
        match completed {
            Ok(r) => {
                next = r.into_inner().next;
                done.send_modify(|n| *n += 1);
                if let Some(tx) = &events {
                    let _ = tx.send(AgentEvent::Completed(assignment.run_id));
                }
            }
            Err(s) => errors.record(format!("CompleteTask: {:?}: {}", s.code(), s.message())),
        }
    }
}

/// Waits (5 s at most) for an agent's report on this run: its task held, or
/// completed. Returns when (and the wall-clock µs when it was held).
async fn wait_agent_event(
    rx: &mut mpsc::UnboundedReceiver<AgentEvent>,
    run_id: &str,
    completed: bool,
) -> Result<(Instant, i64)> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            Ok(Some(AgentEvent::Held(id, at, micros))) if !completed && id == run_id => return Ok((at, micros)),
            Ok(Some(AgentEvent::Completed(id))) if completed && id == run_id => {
                return Ok((Instant::now(), domain::now_micros()))
            }
            Ok(Some(_)) => continue,
            Ok(None) => return Err(Error::Internal("the dispatch agents stopped".into())),
            Err(_) => {
                let what = if completed { "completed" } else { "handed to an agent" };
                return Err(Error::Internal(format!("the task of run {run_id} was not {what} within 5 s")));
            }
        }
    }
}

// ---------------------------------------------------------------- statistics

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn sorted(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(f64::total_cmp);
    v
}

/// Nearest-rank percentile of sorted values (NaN when empty).
fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// CPU used by the server (in all and per thread name) and by this process
/// over a window, in % of one CPU.
struct CpuWindow {
    started: Instant,
    server: Option<u64>,
    threads: HashMap<String, (String, u64)>,
    bench: Option<u64>,
    postgres: Option<HashMap<u32, u64>>,
}

/// What a [`CpuWindow`] saw.
struct CpuUse {
    secs: f64,
    server: f64,
    bench: f64,
    /// Server threads grouped by name (tokio-runtime-w, sqlite-writer, …), busiest first.
    threads: Vec<(String, f64)>,
    /// The temporary PostgreSQL cluster's processes (postmaster and backends).
    postgres: Option<f64>,
}

impl CpuWindow {
    fn start(server: &ServerProcess) -> CpuWindow {
        CpuWindow {
            started: Instant::now(),
            server: server.cpu_ticks(),
            threads: thread_ticks(server.pid()),
            bench: cpu_ticks("self"),
            postgres: server.postmaster.map(process_tree_ticks),
        }
    }

    fn finish(&self, server: &ServerProcess) -> CpuUse {
        let secs = self.started.elapsed().as_secs_f64().max(1e-9);
        let tick = clock_ticks_per_second();
        let pct = |ticks: u64| ticks as f64 / tick / secs * 100.0;
        let diff = |a: Option<u64>, b: Option<u64>| match (a, b) {
            (Some(a), Some(b)) => pct(b.saturating_sub(a)),
            _ => f64::NAN,
        };
        let mut by_name: HashMap<String, u64> = HashMap::new();
        for (tid, (name, ticks)) in thread_ticks(server.pid()) {
            let before = self.threads.get(&tid).map(|(_, t)| *t).unwrap_or(0);
            *by_name.entry(name).or_default() += ticks.saturating_sub(before);
        }
        let mut threads: Vec<(String, f64)> = by_name.into_iter().map(|(n, t)| (n, pct(t))).collect();
        threads.sort_by(|a, b| b.1.total_cmp(&a.1));
        let postgres = match (&self.postgres, server.postmaster) {
            (Some(before), Some(pm)) => {
                // A backend started in the window counts from zero; one that ended is lost (the pool keeps them).
                let ticks: u64 = process_tree_ticks(pm)
                    .into_iter()
                    .map(|(pid, t)| t.saturating_sub(before.get(&pid).copied().unwrap_or(0)))
                    .sum();
                Some(pct(ticks))
            }
            _ => None,
        };
        CpuUse {
            secs,
            server: diff(self.server, server.cpu_ticks()),
            bench: diff(self.bench, cpu_ticks("self")),
            threads,
            postgres,
        }
    }
}

impl CpuUse {
    /// Server CPU, its busiest thread groups, and this process's CPU.
    fn figures(&self, bench_does: &str) -> Vec<Figure> {
        let mut f = vec![Figure::new("server CPU", self.server, "%", 0)];
        for (name, pct) in self.threads.iter().filter(|(_, p)| *p >= 2.0).take(3) {
            f.push(Figure::new(format!("  of which threads {name:?}"), *pct, "%", 0));
        }
        if let Some(pg) = self.postgres {
            f.push(Figure::new("postgres CPU (all its processes)", pg, "%", 0));
        }
        f.push(Figure::new(format!("bench CPU ({bench_does})"), self.bench, "%", 0));
        f
    }
}

/// utime + stime of a process and its children (a postmaster and its backends), by pid.
fn process_tree_ticks(root: u32) -> HashMap<u32, u64> {
    let mut out = HashMap::new();
    let Ok(dir) = std::fs::read_dir("/proc") else { return out };
    for e in dir.filter_map(|e| e.ok()) {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Ok(stat) = std::fs::read_to_string(e.path().join("stat")) else { continue };
        let ppid = stat.rfind(')').and_then(|i| stat[i + 1..].split_whitespace().nth(1)?.parse::<u32>().ok());
        if pid == root || ppid == Some(root) {
            if let Some(t) = stat_ticks(&stat) {
                out.insert(pid, t);
            }
        }
    }
    out
}

/// utime + stime of each thread of a process, with the thread's name, by thread id.
fn thread_ticks(pid: u32) -> HashMap<String, (String, u64)> {
    let Ok(dir) = std::fs::read_dir(format!("/proc/{pid}/task")) else { return HashMap::new() };
    dir.filter_map(|e| e.ok())
        .filter_map(|e| {
            let tid = e.file_name().to_string_lossy().into_owned();
            let stat = std::fs::read_to_string(e.path().join("stat")).ok()?;
            let name = stat.get(stat.find('(')? + 1..stat.rfind(')')?)?.to_string();
            Some((tid, (name, stat_ticks(&stat)?)))
        })
        .collect()
}

/// utime + stime of a process, in clock ticks.
fn cpu_ticks(pid: &str) -> Option<u64> {
    stat_ticks(&std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?)
}

/// utime + stime from a /proc stat line.
fn stat_ticks(stat: &str) -> Option<u64> {
    // The command name may hold spaces; the fields after it are plain.
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

fn clock_ticks_per_second() -> f64 {
    static TICKS: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *TICKS.get_or_init(|| {
        Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse::<f64>().ok())
            .filter(|t| *t > 0.0)
            .unwrap_or(100.0)
    })
}

// ---------------------------------------------------------------- processes

/// The server as a child process on a loopback port; killed when dropped.
struct ServerProcess {
    child: Child,
    addr: SocketAddr,
    /// The PostgreSQL postmaster of a temporary cluster, whose processes' CPU is counted too.
    postmaster: Option<u32>,
}

impl ServerProcess {
    async fn start(bin: &Path, database_url: &str, log: &Path) -> Result<ServerProcess> {
        let mut last = String::new();
        // A free port may be taken between probing and binding: try a few.
        for _ in 0..3 {
            let port = free_port()?;
            let addr = SocketAddr::from(([127, 0, 0, 1], port));
            let out = OpenOptions::new()
                .create(true)
                .append(true)
                .open(log)
                .map_err(|e| Error::Internal(format!("server log {}: {e}", log.display())))?;
            let err = out.try_clone().map_err(|e| Error::Internal(format!("server log {}: {e}", log.display())))?;
            let mut cmd = Command::new(bin);
            cmd.args(["serve", "--listen", &addr.to_string(), "--database-url", database_url])
                .args(["--max-running", "0"])
                .env("RUST_LOG", "warn")
                .stdin(Stdio::null())
                .stdout(out)
                .stderr(err);
            // The server's own settings from the environment (a policy, limits,
            // auth, TLS) would skew or break the bench.
            for (var, _) in std::env::vars_os() {
                if var.to_string_lossy().starts_with("ORCHESTRATOR_") {
                    cmd.env_remove(var);
                }
            }
            let child = cmd.spawn().map_err(|e| Error::Internal(format!("starting {}: {e}", bin.display())))?;
            let mut server = ServerProcess { child, addr, postmaster: None };
            match server.wait_healthy().await {
                Ok(()) => return Ok(server),
                Err(e) => last = e,
            }
        }
        Err(Error::Internal(format!("the server did not start: {last}")))
    }

    async fn wait_healthy(&mut self) -> std::result::Result<(), String> {
        let deadline = Instant::now() + STARTUP_TIMEOUT;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("it exited with {status}"));
            }
            let endpoint = Endpoint::from_shared(format!("http://{}", self.addr)).map_err(|e| e.to_string())?;
            let endpoint = endpoint.connect_timeout(Duration::from_secs(1)).timeout(Duration::from_secs(2));
            if let Ok(channel) = endpoint.connect().await {
                let mut health = tonic_health::pb::health_client::HealthClient::new(channel);
                if health.check(tonic_health::pb::HealthCheckRequest { service: String::new() }).await.is_ok() {
                    return Ok(());
                }
            }
            if Instant::now() >= deadline {
                return Err(format!("not healthy within {} s", STARTUP_TIMEOUT.as_secs()));
            }
            // Waiting for the process to start and migrate: not a measured path.
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn cpu_ticks(&self) -> Option<u64> {
        cpu_ticks(&self.pid().to_string())
    }

    /// A `kB` line of /proc/PID/status (VmRSS, VmHWM).
    fn status_kb(&self, key: &str) -> Result<u64> {
        let path = format!("/proc/{}/status", self.pid());
        let status = std::fs::read_to_string(&path).map_err(|e| Error::Internal(format!("reading {path}: {e}")))?;
        status
            .lines()
            .find(|l| l.starts_with(key) && l[key.len()..].starts_with(':'))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| Error::Internal(format!("no {key} in {path}")))
    }

    /// SIGTERM, then up to 10 s for a graceful shutdown; killed after that (on drop).
    async fn stop(mut self) {
        let pid = self.pid().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).stderr(Stdio::null()).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

fn free_port() -> Result<u16> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| Error::Internal(format!("finding a free loopback port: {e}")))
}

/// The `orchestrator` binary: `--server-bin`, else next to this executable
/// (or one level up, for `target/*/examples/`), else target/{profile}/.
fn find_server_bin(explicit: Option<&Path>) -> Result<PathBuf> {
    if let Some(p) = explicit {
        return if p.is_file() {
            Ok(p.to_path_buf())
        } else {
            Err(Error::invalid("server_bin", format!("{} is not a file", p.display())))
        };
    }
    let name = format!("orchestrator{}", std::env::consts::EXE_SUFFIX);
    let mut candidates = Vec::new();
    if let Ok(exe) = std::env::current_exe() {
        if let Some(dir) = exe.parent() {
            candidates.push(dir.join(&name));
            if let Some(up) = dir.parent() {
                candidates.push(up.join(&name));
            }
        }
    }
    let profiles = if cfg!(debug_assertions) { ["debug", "release"] } else { ["release", "debug"] };
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("target"));
    for p in profiles {
        candidates.push(target.join(p).join(&name));
    }
    candidates.into_iter().find(|c| c.is_file()).ok_or_else(|| {
        Error::invalid(
            "server_bin",
            "no orchestrator binary next to this executable or in target/{release,debug}: build it (cargo build --release --bin orchestrator) or pass --server-bin",
        )
    })
}

fn with_log_tail(message: String, log: &Path) -> String {
    let tail = log_tail(log, 1500);
    if tail.trim().is_empty() {
        message
    } else {
        format!("{message}; server log ({}): …{}", log.display(), tail.trim())
    }
}

fn log_tail(path: &Path, max: u64) -> String {
    let Ok(mut f) = std::fs::File::open(path) else { return String::new() };
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    let _ = f.seek(SeekFrom::Start(len.saturating_sub(max)));
    let mut buf = Vec::new();
    let _ = f.read_to_end(&mut buf);
    strip_ansi(&String::from_utf8_lossy(&buf))
}

/// Text without ANSI escape sequences (the server colours its log even into a file).
fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // ESC [ parameters… final byte in @..~
            if chars.next() == Some('[') {
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A temporary directory, removed when dropped.
struct WorkDir {
    path: PathBuf,
    keep: bool,
}

impl WorkDir {
    fn create() -> Result<WorkDir> {
        let nanos =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
        let path = std::env::temp_dir().join(format!("orchestrator-bench-{}-{nanos}", std::process::id()));
        std::fs::create_dir(&path)
            .map_err(|e| Error::Internal(format!("creating the temporary directory {}: {e}", path.display())))?;
        Ok(WorkDir { path, keep: false })
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

// ---------------------------------------------------------------- PostgreSQL

/// A temporary PostgreSQL cluster on a free loopback port, run as `nobody`
/// when we are root; stopped and removed when dropped, or by its watchdog if
/// this process dies first.
struct PgCluster {
    dir: PathBuf,
    pg_ctl: PathBuf,
    createdb: PathBuf,
    root: bool,
    port: u16,
    version: String,
    watchdog: Option<Child>,
}

impl PgCluster {
    fn start(dir: PathBuf) -> Result<PgCluster> {
        let initdb = find_program("initdb").ok_or_else(|| {
            Error::Internal(
                "PostgreSQL server binaries (initdb, pg_ctl) not found on PATH or in /usr/lib/postgresql/*/bin: install PostgreSQL or pass --database-url postgres://…".into(),
            )
        })?;
        // /usr/local/bin/initdb may be a link into the versioned directory with the other tools.
        let initdb = std::fs::canonicalize(&initdb).unwrap_or(initdb);
        let sibling = |name: &str| {
            let p = initdb.with_file_name(name);
            if p.is_file() {
                Some(p)
            } else {
                find_program(name)
            }
        };
        let pg_ctl = sibling("pg_ctl").ok_or_else(|| Error::Internal("pg_ctl not found next to initdb".into()))?;
        let createdb =
            sibling("createdb").ok_or_else(|| Error::Internal("createdb not found next to initdb".into()))?;
        let root = is_root();
        let data = dir.join("data");
        std::fs::create_dir_all(&dir).map_err(|e| Error::Internal(format!("creating {}: {e}", dir.display())))?;
        let mut cluster =
            PgCluster { dir: dir.clone(), pg_ctl, createdb, root, port: 0, version: String::new(), watchdog: None };
        if root {
            run_checked(Command::new("chown").args(["-R", "nobody"]).arg(&dir), "chown of the cluster directory")?;
        }
        run_checked(
            cluster.as_pg_user(&initdb).arg("-D").arg(&data).args([
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync",
                "-E",
                "UTF8",
            ]),
            "initdb",
        )?;
        cluster.version = std::fs::read_to_string(data.join("PG_VERSION")).unwrap_or_default().trim().to_string();
        cluster.port = free_port()?;
        let opts = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c synchronous_commit=off -c max_connections=200",
            cluster.port,
            dir.display()
        );
        let pg_ctl = cluster.pg_ctl.clone();
        run_checked(
            cluster
                .as_pg_user(&pg_ctl)
                .arg("-D")
                .arg(&data)
                .args(["-o", &opts, "-l"])
                .arg(dir.join("log"))
                .args(["-w", "-t", "60", "start"]),
            "pg_ctl start",
        )?;
        // If this process is killed, the watchdog stops the cluster and removes it.
        let stop = cluster.stop_command_line();
        let script = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; {stop} >/dev/null 2>&1; rm -rf '{dir}'",
            pid = std::process::id(),
            dir = dir.display()
        );
        cluster.watchdog = Command::new("sh")
            .args(["-c", &script])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok();
        Ok(cluster)
    }

    /// The postmaster's pid (the first line of postmaster.pid).
    fn postmaster(&self) -> Option<u32> {
        let text = std::fs::read_to_string(self.dir.join("data").join("postmaster.pid")).ok()?;
        text.lines().next()?.trim().parse().ok()
    }

    fn as_pg_user(&self, bin: &Path) -> Command {
        if self.root {
            let mut c = Command::new("runuser");
            c.args(["-u", "nobody", "--"]).arg(bin);
            c
        } else {
            Command::new(bin)
        }
    }

    fn stop_command_line(&self) -> String {
        let cmd = format!("'{}' -D '{}' stop -m fast -w -t 30", self.pg_ctl.display(), self.dir.join("data").display());
        if self.root {
            format!("runuser -u nobody -- {cmd}")
        } else {
            cmd
        }
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        if let Some(mut w) = self.watchdog.take() {
            let _ = w.kill();
            let _ = w.wait();
        }
        let data = self.dir.join("data");
        let _ = self
            .as_pg_user(&self.pg_ctl.clone())
            .arg("-D")
            .arg(&data)
            .args(["stop", "-m", "fast", "-w", "-t", "30"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn create_database(createdb: &Path, port: u16, name: &str) -> Result<String> {
    run_checked(
        Command::new(createdb)
            .args(["-h", "127.0.0.1", "-p", &port.to_string(), "-U", "postgres", name])
            .env("PGCONNECT_TIMEOUT", "10"),
        "createdb",
    )?;
    Ok(format!("postgres://postgres@127.0.0.1:{port}/{name}"))
}

fn run_checked(cmd: &mut Command, what: &str) -> Result<()> {
    let out = cmd.stdin(Stdio::null()).output().map_err(|e| Error::Internal(format!("{what}: {e}")))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(Error::Internal(format!(
            "{what} failed ({}): {}",
            out.status,
            one_line(&String::from_utf8_lossy(&out.stderr), 500)
        )))
    }
}

fn find_program(name: &str) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("PATH") {
        if let Some(p) = std::env::split_paths(&path).map(|d| d.join(name)).find(|p| p.is_file()) {
            return Some(p);
        }
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("bin").join(name))
        .filter(|p| p.is_file())
        .collect();
    found.sort();
    found.pop()
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("Uid:")).map(|l| l.split_whitespace().nth(1) == Some("0")))
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let v = sorted((1..=100).map(f64::from).collect());
        assert_eq!(percentile(&v, 50.0), 50.0);
        assert_eq!(percentile(&v, 99.0), 99.0);
        assert_eq!(percentile(&v, 100.0), 100.0);
        assert_eq!(percentile(&[7.0], 99.0), 7.0);
        assert!(percentile(&[], 50.0).is_nan());
    }

    #[test]
    fn layered_plans_are_valid_with_the_expected_depth() {
        let specs: Vec<domain::TaskSpec> = layered(1_000, 100, 2)
            .into_iter()
            .map(|(id, deps)| domain::TaskSpec { id, agent: "a".into(), depends_on: deps, ..Default::default() })
            .collect();
        let a = domain::plan::validate(&specs, &PlanLimits::default()).expect("valid");
        assert_eq!((a.depth, a.width), (10, 100));
    }

    #[test]
    fn targets_compare_as_the_issue_states_them() {
        assert!(Target::AtLeast(5000.0).met(5000.0));
        assert!(!Target::Below(5.0).met(5.0));
        assert!(Target::AtMost(1.05).met(1.05));
        assert_eq!(Target::AtLeast(5000.0).text("tasks/s"), "≥ 5000 tasks/s");
        assert_eq!(Target::AtMost(1.05).text("×"), "≤ 1.05");
    }

    #[test]
    fn log_tails_lose_their_colours() {
        assert_eq!(strip_ansi("\u{1b}[2mtime\u{1b}[0m \u{1b}[33m WARN\u{1b}[0m text"), "time  WARN text");
    }

    #[test]
    fn figure_keys_are_slugs_of_their_names() {
        assert_eq!(slug("p99 (CreateRun sent → held)"), "p99_createrun_sent_held");
        assert_eq!(slug("  of which threads \"sqlite-writer\""), "of_which_threads_sqlite_writer");
    }
}
