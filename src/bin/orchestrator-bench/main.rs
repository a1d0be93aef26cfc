//! `orchestrator bench` (this binary, `orchestrator-bench`, which the
//! `orchestrator` command runs for it): a real server and real agents over
//! gRPC on loopback, measured, reported as a table and as JSON. It is a
//! client of the library (its generated gRPC clients, plan validation), not
//! part of it; the processes it starts are the harness's, shared with the
//! integration tests.
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
//! - `runs`: throughput of many small runs: `--runs` × `--tasks-per-run`
//!   independent tasks, or with `--shape fanout` `--runs` × (start →
//!   `--width` parallel tasks → join).
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
//!
//! The throughput scenarios also report the server's database statements per
//! task over the tasks' whole life (creation included), as the server counted
//! them (`serve --statements-file`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinSet;

use orchestrator::domain::{self, PlanLimits};
use orchestrator::error::{Error, Result};
use orchestrator::proto::v1 as pb;
use orchestrator::proto::v1::coordinator_service_client::CoordinatorServiceClient;
use orchestrator::proto::v1::run_service_client::RunServiceClient;

mod agents;
mod args;
mod clients;
mod processes;
mod report;
mod stats;

use agents::*;
pub use args::{BenchArgs, BenchBackend, Shape};
use args::{Sizes, SCENARIOS};
use clients::*;
use orchestrator_harness::{PgCluster, PgSettings};
use processes::*;
pub use report::*;
use stats::*;

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

// ---------------------------------------------------------------- entry point

/// `orchestrator bench`'s command line (the `orchestrator` command passes its arguments on).
#[derive(clap::Parser)]
#[command(
    name = "orchestrator bench",
    bin_name = "orchestrator bench",
    version,
    about = "Measure throughput and latencies against a real server and real agents over gRPC"
)]
struct Cli {
    #[command(flatten)]
    args: BenchArgs,
}

fn main() -> std::process::ExitCode {
    use clap::Parser;
    use orchestrator::cli::exit;
    let args = Cli::parse().args;
    let code = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            exit::SERVER
        }
        Ok(runtime) => runtime.block_on(async move {
            let json = args.json;
            match run(args).await {
                Ok(report) => {
                    if json {
                        println!("{}", report.json());
                    } else {
                        print!("{}", report.table());
                    }
                    // Figures from a bench where a scenario did not run are no measurement.
                    if report.all_ran() {
                        exit::OK
                    } else {
                        eprintln!("error: not every scenario ran (see the report's errors)");
                        exit::SERVER
                    }
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    exit::SERVER
                }
            }
        }),
    };
    std::process::ExitCode::from(code as u8)
}

/// Runs the selected scenarios and returns what they measured. An error here
/// means the bench could not start (no server binary, no PostgreSQL, a bad
/// flag); a failing scenario is reported in the report instead.
pub async fn run(args: BenchArgs) -> Result<BenchReport> {
    // Dropping the bench on Ctrl-C or SIGTERM (a CI timeout) stops the servers
    // and the cluster and removes the temporary directory.
    tokio::select! {
        r = run_all(args) => r,
        _ = orchestrator::server::shutdown_signal() => Err(Error::Internal("interrupted; servers and temporary files were removed".into())),
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
        (BenchBackend::Sqlite, None) if args.replicas > 1 => {
            return Err(Error::invalid("replicas", "replicas share a PostgreSQL database: use --backend postgres"));
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
            let durable = args.pg_durable;
            let cluster = tokio::task::spawn_blocking(move || PgCluster::start(dir, PgSettings::for_bench(durable)))
                .await
                .map_err(|e| Error::Internal(format!("starting PostgreSQL: {e}")))?
                .map_err(Error::Internal)?;
            Databases::PgCluster(Arc::new(cluster))
        }
    };
    let database = match &databases {
        Databases::Sqlite => "a temporary SQLite file per scenario".to_string(),
        Databases::PgUrl(_) => "the given PostgreSQL database, shared by the scenarios".to_string(),
        Databases::PgCluster(c) => {
            let sync = if args.pg_durable { "on" } else { "off" };
            format!("a temporary PostgreSQL {} cluster, a database per scenario, synchronous_commit={sync}", c.version)
        }
    };
    let mut bench = Bench {
        databases,
        work,
        sizes: sizes.clone(),
        backend: args.backend,
        server_bin: server_bin.clone(),
        server_log: args.server_log.clone(),
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
    PgCluster(Arc<PgCluster>),
}

/// The bench's state. Field order matters: the cluster stops before the
/// directory it lives in is removed.
struct Bench {
    databases: Databases,
    work: WorkDir,
    sizes: Sizes,
    backend: BenchBackend,
    server_bin: PathBuf,
    server_log: String,
    nonce: String,
    quiet: bool,
}

impl Bench {
    fn title(&self, id: &str) -> String {
        let title = self.plain_title(id);
        match id {
            "runs" | "wide" | "dag" => {
                let mut title = title;
                if self.sizes.batch > 1 {
                    title = format!("{title}, batches of {}", self.sizes.batch);
                }
                if self.sizes.replicas > 1 {
                    title = format!("{title}, {} replicas", self.sizes.replicas);
                }
                title
            }
            _ => title,
        }
    }

    fn plain_title(&self, id: &str) -> String {
        let s = &self.sizes;
        match id {
            "runs" if s.shape == Shape::Fanout => {
                format!("throughput: {} runs × (start → {} parallel → join), {} agents", s.runs, s.width, s.agents)
            }
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
                let cluster = c.clone();
                tokio::task::spawn_blocking(move || cluster.create_database(&name))
                    .await
                    .map_err(|e| Error::Internal(format!("createdb: {e}")))?
                    .map_err(Error::Internal)
            }
        }
    }

    async fn run_scenario(&self, id: &str, log: &Path) -> Result<Vec<Figure>> {
        let url = self.database_url(id).await?;
        let statements = self.work.path.join(format!("{id}.statements.json"));
        let mut server = ServerProcess::start(&self.server_bin, &url, log, &statements, &self.server_log).await?;
        if let Databases::PgCluster(c) = &self.databases {
            server.postmaster = c.postmaster();
        }
        let mut counts = vec![statements];
        if matches!(id, "runs" | "wide" | "dag") {
            for r in 1..self.sizes.replicas {
                let log = self.work.path.join(format!("{id}.replica{r}.log"));
                let statements = self.work.path.join(format!("{id}.replica{r}.statements.json"));
                let replica = ServerProcess::start(&self.server_bin, &url, &log, &statements, &self.server_log).await?;
                server.replicas.push(replica);
                counts.push(statements);
            }
        }
        let mut figures = match id {
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
        let s = &self.sizes;
        let tasks = match id {
            "runs" => s.runs * s.tasks_per_run,
            "wide" => s.width,
            "dag" => s.tasks,
            _ => 0,
        };
        if tasks > 0 {
            let mut counted = 0;
            for file in &counts {
                counted += read_statements(file)?;
            }
            figures.push(Figure::new("statements per task (server, whole life)", counted as f64 / tasks as f64, "", 1));
        }
        Ok(figures)
    }

    fn label(&self, id: &str) -> String {
        format!("{id}-{}", self.nonce)
    }

    /// Store v2's targets (3× the durable peers measured beside it on SQLite;
    /// one replica on PostgreSQL).
    fn throughput_target(&self) -> Target {
        match self.backend {
            BenchBackend::Sqlite => Target::AtLeast(6600.0),
            BenchBackend::Postgres => Target::AtLeast(1500.0),
        }
    }

    // ------------------------------------------------------------ scenarios

    async fn throughput_runs(&self, server: &ServerProcess) -> Result<Vec<Figure>> {
        let s = &self.sizes;
        let total = s.runs * s.tasks_per_run;
        let label = self.label("runs");
        let mut agents = AgentPool::start_batched(&server.addrs(), "noop", s.agents, s.batch).await?;
        let requests: Vec<pb::CreateRunRequest> = (0..s.runs)
            .map(|r| {
                let tasks = match s.shape {
                    Shape::Independent => (0..s.tasks_per_run).map(|i| task(format!("t{i}"), "noop", vec![])).collect(),
                    Shape::Fanout => fanout(s.width),
                };
                run_request(format!("bench run {r}"), tasks, s.tasks_per_run, &label)
            })
            .collect();
        let mut clients = Vec::new();
        let addrs = server.addrs();
        for i in 0..CREATORS.min(s.runs) {
            clients.push(RunServiceClient::new(connect(addrs[i % addrs.len()]).await?));
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
        let mut agents = AgentPool::start_batched(&server.addrs(), "noop", s.agents, s.batch).await?;
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
        let agents = AgentPool::start(&[server.addr], "dispatch", s.agents, Duration::ZERO, Some(tx)).await?;
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
        let agents = AgentPool::start(&[server.addr], "watch", 1, Duration::from_millis(5), None).await?;
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
        let mut agents = AgentPool::start(&[server.addr], "makespan", s.agents.max(width), sleep, None).await?;
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

/// start → `width` tasks that depend on it → join, which depends on them all.
fn fanout(width: usize) -> Vec<pb::TaskSpec> {
    let middle: Vec<String> = (0..width).map(|i| format!("m{i:03}")).collect();
    std::iter::once(task("start".into(), "noop", vec![]))
        .chain(middle.iter().map(|m| task(m.clone(), "noop", vec!["start".into()])))
        .chain(std::iter::once(task("join".into(), "noop", middle.clone())))
        .collect()
}

/// The statement count a stopped server wrote (`serve --statements-file`).
fn read_statements(path: &Path) -> Result<u64> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Internal(format!("the server wrote no statement count to {}: {e}", path.display())))?;
    serde_json::from_str::<Value>(&text)
        .ok()
        .and_then(|v| v.get("statements").and_then(Value::as_u64))
        .ok_or_else(|| Error::Internal(format!("no statement count in {}: {text:?}", path.display())))
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
    fn figure_keys_are_slugs_of_their_names() {
        assert_eq!(slug("p99 (CreateRun sent → held)"), "p99_createrun_sent_held");
        assert_eq!(slug("  of which threads \"sqlite-writer\""), "of_which_threads_sqlite_writer");
    }
}
