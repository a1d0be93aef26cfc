//! The bench's flags, its scenarios and the sizes they run at.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::{json, Value};

/// Which database the bench's servers use.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum BenchBackend {
    /// A temporary SQLite file per scenario.
    Sqlite,
    /// PostgreSQL: `--database-url`, or a temporary cluster.
    Postgres,
}

impl BenchBackend {
    pub(super) fn name(self) -> &'static str {
        match self {
            BenchBackend::Sqlite => "sqlite",
            BenchBackend::Postgres => "postgres",
        }
    }
}

/// The shape of each run in the many-small-runs case.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `--tasks-per-run` tasks with no dependencies.
    Independent,
    /// A start task, `--width` tasks that depend on it, and a join that depends on them all.
    Fanout,
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
    /// Independent tasks of the one-wide-run case (`wide`), max_parallel = width
    /// (at most 1000) [default: 1000]; with `--shape fanout`, the parallel tasks
    /// between each run's start and join [default: 18].
    #[arg(long)]
    pub width: Option<u32>,
    /// The runs of the many-small-runs case (`runs`): independent tasks, or a
    /// fan-out (start → `--width` parallel tasks → join).
    #[arg(long, value_enum, default_value = "independent")]
    pub shape: Shape,
    /// Agents polling and completing concurrently (each with its own connection).
    #[arg(long, default_value_t = 8)]
    pub agents: u32,
    /// Tasks each agent takes per call in the throughput cases (`runs`, `wide`,
    /// `dag`): 1 is PollTask → CompleteTask with claim_next; more is PollTask
    /// with max_tasks → CompleteTasks with max_next (at most 64).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=64))]
    pub batch: u32,
    /// Servers sharing the one PostgreSQL database (`--backend postgres`; at
    /// most 4): the throughput cases spread their agents and run creators over
    /// them. Server CPU figures are the first server's.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=4))]
    pub replicas: u32,
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
    /// With `--backend postgres` and no `--database-url`: keep PostgreSQL's
    /// default durability (`synchronous_commit=on`) in the temporary cluster,
    /// instead of turning it off.
    #[arg(long)]
    pub pg_durable: bool,
    /// Keep the temporary directory (server logs, SQLite files) and print where it is.
    #[arg(long)]
    pub keep: bool,
    /// The servers' log filter (RUST_LOG syntax); `orchestrator::sql=trace`
    /// logs every statement, to see what a task costs (with `--keep`).
    #[arg(long, default_value = "warn")]
    pub server_log: String,
    /// Print JSON only.
    #[arg(long)]
    pub json: bool,
    /// Tiny sizes for a CI smoke run (overrides the size flags).
    #[arg(long)]
    pub quick: bool,
}

/// The scenarios, in the order they run: (id, what it measures).
pub(super) const SCENARIOS: &[(&str, &str)] = &[
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
pub(super) struct Sizes {
    pub(super) runs: usize,
    pub(super) tasks_per_run: usize,
    pub(super) width: usize,
    pub(super) shape: Shape,
    pub(super) batch: usize,
    pub(super) replicas: usize,
    pub(super) tasks: usize,
    pub(super) agents: usize,
    pub(super) watchers: usize,
    pub(super) dispatch_samples: usize,
    pub(super) watch_tasks: usize,
    pub(super) memory_runs: usize,
    pub(super) validate_sizes: [usize; 2],
    pub(super) repetitions: usize,
    pub(super) makespan_levels: usize,
    pub(super) makespan_width: usize,
    pub(super) makespan_sleep: Duration,
}

impl Sizes {
    pub(super) fn new(a: &BenchArgs) -> Sizes {
        let width = a.width.unwrap_or(if a.shape == Shape::Fanout { 18 } else { 1000 }).max(1) as usize;
        let tasks_per_run = match a.shape {
            Shape::Independent => a.tasks_per_run.max(1) as usize,
            Shape::Fanout => width + 2,
        };
        let base = Sizes {
            runs: a.runs.max(1) as usize,
            tasks_per_run,
            width,
            shape: a.shape,
            batch: a.batch as usize,
            replicas: a.replicas as usize,
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
        let width = if a.shape == Shape::Fanout { 6 } else { 100 };
        Sizes {
            runs: 20,
            tasks_per_run: if a.shape == Shape::Fanout { width + 2 } else { 5 },
            width,
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

    pub(super) fn json(&self) -> Value {
        json!({
            "runs": self.runs,
            "tasks_per_run": self.tasks_per_run,
            "width": self.width,
            "shape": if self.shape == Shape::Fanout { "fanout" } else { "independent" },
            "batch": self.batch,
            "replicas": self.replicas,
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
