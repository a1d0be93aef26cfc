//! `orchestrator`: the server (`serve`, `migrate`) and its command-line client (`run …`, `plan …`).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use orchestrator::cli::commands::{PlanCommand, RunCommand, VerifyArgs};
use orchestrator::cli::{self, admin, exit};
use orchestrator::config::workflow;
use orchestrator::config::{Config, PolicyFile};
use orchestrator::telemetry::{self, LogFormat};

#[derive(Parser)]
#[command(
    name = "orchestrator",
    version,
    about = "Turns a goal into a persistent, budgeted, verified and traced run of agent tasks",
    after_help = exit::HELP
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the gRPC API (RunService, CoordinatorService, VerifierService, AdminService, RecipeService, health, reflection).
    Serve(ServeArgs),
    /// Apply pending database migrations and exit (makes the database if it does not exist).
    Migrate {
        #[command(flatten)]
        database: admin::DatabaseArgs,
    },
    /// Create, inspect, steer and watch runs (client side).
    #[command(subcommand, after_help = exit::HELP)]
    Run(RunCommand),
    /// Work with plans (client side).
    #[command(subcommand, after_help = exit::HELP)]
    Plan(PlanCommand),
    /// Create, show, list, run and delete recipes: named, versioned run templates (client side).
    #[command(subcommand, after_help = exit::HELP)]
    Recipe(cli::recipes::RecipeCommand),
    /// Create, show, list, pause, resume, trigger, backfill and delete schedules: runs of a recipe on a clock (client side).
    #[command(subcommand, after_help = exit::HELP)]
    Schedule(cli::schedules::ScheduleCommand),
    /// What the workspace's history says: pass rates, attempts, latency, tokens and cost per agent, model, recipe or task kind (client side).
    #[command(after_help = exit::HELP)]
    Stats(cli::stats::StatsArgs),
    /// The fleet: every agent, its instances, what they run, and agents tasks wait for with nobody polling (client side).
    #[command(after_help = exit::HELP)]
    Agents(cli::agents::AgentsArgs),
    /// Check an output against criteria, or list the criterion kinds (client side).
    #[command(after_help = exit::HELP)]
    Verify(VerifyArgs),
    /// Measure throughput and latencies against a real server and real agents over gRPC (`bench --help` lists its flags).
    ///
    /// The bench is its own program, `orchestrator-bench`, built and installed
    /// beside this one; `orchestrator bench …` runs it with the same arguments.
    #[command(disable_help_flag = true)]
    Bench {
        /// The bench's flags, passed on as they are (see `orchestrator bench --help`).
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<std::ffi::OsString>,
    },
    /// Manage workspaces (on the database, or through a server's AdminService with --server).
    #[command(subcommand)]
    Workspace(admin::WorkspaceCommand),
    /// Manage API keys (on the database, or with --server through AdminService). A key is printed once; only its hash is stored.
    #[command(subcommand)]
    Key(admin::KeyCommand),
    /// Work with the policy (WORKFLOW.md or plain YAML) without serving.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Delete terminal runs (and all their rows) that finished long enough ago (on the database directly).
    Prune(admin::PruneArgs),
    /// Print a shell completion script, e.g. `orchestrator completions bash > /etc/bash_completion.d/orchestrator`.
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
}

#[derive(Subcommand)]
enum PolicyCommand {
    /// Check a policy file: prints OK and a summary (exit 0) or every error with its line and field (exit 1).
    Check {
        /// WORKFLOW.md (front matter + prompt template) or a plain YAML policy file.
        file: PathBuf,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum AuthMode {
    /// Off on a loopback address, required otherwise.
    Auto,
    /// Every RPC needs an API key.
    Required,
    /// No keys (refused unless listening on loopback).
    Off,
}

#[derive(Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "ORCHESTRATOR_LISTEN", default_value = "127.0.0.1:50051")]
    listen: String,
    #[command(flatten)]
    database: admin::DatabaseArgs,
    /// Policy: a WORKFLOW.md (YAML front matter + the planner's prompt template)
    /// or a plain YAML file. Watched while serving: a valid edit is applied, an
    /// invalid one is logged and ignored.
    #[arg(long, visible_alias = "workflow", env = "ORCHESTRATOR_POLICY")]
    policy: Option<PathBuf>,
    /// Log format.
    #[arg(long, env = "ORCHESTRATOR_LOG_FORMAT", value_enum, default_value = "text")]
    log_format: LogFormat,
    /// Lease granted to an agent per claim and per heartbeat [default: 30s, or limits.lease].
    #[arg(long, env = "ORCHESTRATOR_LEASE", value_parser = humantime::parse_duration)]
    lease: Option<Duration>,
    /// Attempt timeout of tasks that set none [default: 5m, or limits.task_timeout].
    #[arg(long, env = "ORCHESTRATOR_TASK_TIMEOUT", value_parser = humantime::parse_duration)]
    task_timeout: Option<Duration>,
    /// max_parallel of runs that set none [default: 8, or limits.default_max_parallel].
    #[arg(long, env = "ORCHESTRATOR_MAX_PARALLEL")]
    default_max_parallel: Option<u32>,
    /// Most attempts running on this server at once, 0 = unlimited [default: 0, or limits.max_running].
    #[arg(long, env = "ORCHESTRATOR_MAX_RUNNING")]
    max_running: Option<i64>,
    /// API keys: auto (off on loopback, required elsewhere), required, off (loopback only).
    #[arg(long, env = "ORCHESTRATOR_AUTH", value_enum, default_value = "auto")]
    auth: AuthMode,
    /// TLS certificate chain (PEM); with --tls-key, serves TLS.
    #[arg(long, env = "ORCHESTRATOR_TLS_CERT", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// TLS private key (PEM).
    #[arg(long, env = "ORCHESTRATOR_TLS_KEY", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Require client certificates signed by this CA (PEM).
    #[arg(long, env = "ORCHESTRATOR_TLS_CLIENT_CA", requires = "tls_cert")]
    tls_client_ca: Option<PathBuf>,
    /// Most unfinished runs per workspace [default: 10000, or limits.max_runs_in_flight].
    #[arg(long, env = "ORCHESTRATOR_MAX_RUNS_IN_FLIGHT")]
    max_runs_in_flight: Option<u32>,
    /// Most concurrent WatchRun streams per workspace [default: 1000, or limits.max_watchers].
    #[arg(long, env = "ORCHESTRATOR_MAX_WATCHERS")]
    max_watchers: Option<u32>,
    /// Requests per second per workspace, 0 = unlimited [default: 0, or limits.rate_limit].
    #[arg(long, env = "ORCHESTRATOR_RATE_LIMIT")]
    rate_limit: Option<u32>,
    /// When the server stops, write to this file how many database statements
    /// it ran since it started, as JSON (`{"statements": N}`); the bench reads it.
    #[arg(long, value_name = "FILE")]
    statements_file: Option<std::path::PathBuf>,
    /// Record every finished attempt's outcome (the background recorder that
    /// GetStats, Advise and ListRecipeCandidates read); `false` turns it off.
    #[arg(long, env = "ORCHESTRATOR_OUTCOMES", default_value_t = true, action = clap::ArgAction::Set)]
    outcomes: bool,
}

/// Client commands end quietly when their reader goes away (`… | head`), as
/// command-line tools do, instead of panicking in `println!`: a write to a
/// closed standard output exits with 141 (the shell's code for SIGPIPE), and
/// nothing is printed. SIGPIPE itself stays ignored (Rust's default): with it
/// at its default action, a server that drops the connection would kill the
/// client silently, since vectored socket writes (`writev`) raise it too.
fn end_quietly_on_closed_stdout() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.contains("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(141);
        }
        default(info);
    }));
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Bench { args } = &cli.command {
        return ExitCode::from(bench(args) as u8);
    }
    if !matches!(cli.command, Command::Serve(_)) {
        end_quietly_on_closed_stdout();
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(exit::SERVER as u8);
        }
    };
    let code = runtime.block_on(async move {
        match cli.command {
            Command::Serve(args) => serve(args).await,
            Command::Migrate { database } => admin::migrate(&database),
            Command::Run(cmd) => cli::commands::run_command(cmd).await,
            Command::Plan(cmd) => cli::commands::plan_command(cmd).await,
            Command::Recipe(cmd) => cli::recipes::recipe_command(cmd).await,
            Command::Schedule(cmd) => cli::schedules::schedule_command(cmd).await,
            Command::Stats(args) => cli::stats::stats_command(args).await,
            Command::Agents(args) => cli::agents::agents_command(args).await,
            Command::Verify(args) => cli::commands::verify_command(args).await,
            Command::Bench { .. } => unreachable!("the bench runs before the runtime starts"),
            Command::Workspace(cmd) => admin::workspace_command(cmd).await,
            Command::Key(cmd) => admin::key_command(cmd).await,
            Command::Policy(PolicyCommand::Check { file }) => policy_check(&file),
            Command::Prune(args) => admin::prune(args).await,
            Command::Completions { shell } => {
                use clap::CommandFactory;
                use std::io::Write;
                let mut script = Vec::new();
                clap_complete::generate(shell, &mut Cli::command(), "orchestrator", &mut script);
                match std::io::stdout().write_all(&script) {
                    Ok(()) => exit::OK,
                    Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 141,
                    Err(e) => fail(exit::SERVER, format!("cannot write the script: {e}")),
                }
            }
        }
    });
    ExitCode::from(code as u8)
}

fn fail(code: i32, message: impl std::fmt::Display) -> i32 {
    eprintln!("error: {message}");
    code
}

async fn serve(args: ServeArgs) -> i32 {
    telemetry::init(args.log_format);
    let database = match args.database.url() {
        Ok(u) => u,
        Err(e) => return fail(exit::USAGE, e),
    };
    let mut config = Config::new(database);
    if args.policy.is_none() {
        tracing::warn!(
            "no --policy: no command or llm agents and no planner model; tasks wait for out-of-process \
             agents polling for them (try --policy examples/WORKFLOW.md)"
        );
    }
    if let Some(path) = &args.policy {
        match workflow::load(path) {
            Ok(loaded) => {
                for (field, message, fatal) in workflow::program_problems(&loaded.policy) {
                    if fatal {
                        tracing::error!(file = %path.display(), %field, "{message}; its tasks will fail");
                    } else {
                        tracing::warn!(file = %path.display(), %field, "{message}");
                    }
                }
                config.policy = loaded.policy;
                config.policy_file = Some(PolicyFile { path: path.clone(), digest: loaded.digest });
            }
            Err(e) => return fail(exit::USAGE, format!("invalid policy:\n{e}")),
        }
    }
    config.otlp = orchestrator::telemetry::otlp::OtlpConfig::from_env();
    config.record_outcomes = args.outcomes;
    // Precedence: flag > environment variable (both through clap) > policy file `limits` > default.
    let file = config.policy.limits.clone();
    config.lease = args.lease.or(file.lease).unwrap_or(config.lease);
    config.default_task_timeout = args.task_timeout.or(file.task_timeout).unwrap_or(config.default_task_timeout);
    config.default_max_parallel =
        args.default_max_parallel.or(file.default_max_parallel).unwrap_or(config.default_max_parallel).max(1);
    let max_running = args.max_running.or(file.max_running).unwrap_or(0);
    config.max_running_total = if max_running > 0 { Some(max_running) } else { None };
    config.limits.max_runs_in_flight =
        args.max_runs_in_flight.or(file.max_runs_in_flight).unwrap_or(config.limits.max_runs_in_flight);
    config.limits.max_watchers = args.max_watchers.or(file.max_watchers).unwrap_or(config.limits.max_watchers);
    config.limits.rate_limit = args.rate_limit.or(file.rate_limit).unwrap_or(config.limits.rate_limit);
    let loopback = args
        .listen
        .parse::<std::net::SocketAddr>()
        .map(|a| a.ip().is_loopback())
        .unwrap_or_else(|_| args.listen.starts_with("localhost:"));
    config.auth_required = match args.auth {
        AuthMode::Required => true,
        AuthMode::Auto => !loopback,
        AuthMode::Off if !loopback => {
            return fail(exit::USAGE, format!("--auth off is only allowed on a loopback address, not {}", args.listen))
        }
        AuthMode::Off => false,
    };
    config.statements_file = args.statements_file;
    if let (Some(cert), Some(key)) = (args.tls_cert, args.tls_key) {
        config.tls = Some(orchestrator::config::TlsFiles { cert, key, client_ca: args.tls_client_ca });
    }
    let listener = match tokio::net::TcpListener::bind(&args.listen).await {
        Ok(l) => l,
        Err(e) => {
            let hint = if e.kind() == std::io::ErrorKind::AddrInUse {
                " (another server is listening there: stop it, or pass another address with --listen)"
            } else {
                ""
            };
            return fail(exit::USAGE, format!("cannot listen on {}: {e}{hint}", args.listen));
        }
    };
    match orchestrator::server::serve(listener, orchestrator::server::shutdown_signal(), config).await {
        Ok(()) => exit::OK,
        Err(e) => fail(exit::SERVER, e),
    }
}

fn policy_check(file: &std::path::Path) -> i32 {
    if !file.is_file() {
        return fail(exit::USAGE, format!("{}: no such file", file.display()));
    }
    match workflow::load(file) {
        Ok(loaded) => {
            let problems = workflow::program_problems(&loaded.policy);
            for (field, message, fatal) in &problems {
                eprintln!("{}: {field}: {}{message}", file.display(), if *fatal { "" } else { "warning: " });
            }
            let limits = orchestrator::domain::run::RunLimits::default();
            let recipes = orchestrator::api::policy_recipe_problems(&loaded.policy, &limits);
            for p in &recipes {
                eprintln!("{}: {p}", file.display());
            }
            let fatal = problems.iter().filter(|p| p.2).count() + recipes.len();
            if fatal > 0 {
                eprintln!("{}: {fatal} error(s); the policy is not valid", file.display());
                return 1;
            }
            println!("OK: {}", file.display());
            print!("{}", workflow::summary(&loaded.policy));
            exit::OK
        }
        Err(errors) => {
            for e in &errors.0 {
                eprintln!("{e}");
            }
            eprintln!("{}: {} error(s); the policy is not valid", file.display(), errors.0.len());
            1
        }
    }
}

/// Runs `orchestrator-bench` (next to this executable) in place of this
/// process, so that its exit code and its handling of Ctrl-C are the bench's own.
fn bench(args: &[std::ffi::OsString]) -> i32 {
    let name = format!("orchestrator-bench{}", std::env::consts::EXE_SUFFIX);
    let Some(path) =
        std::env::current_exe().ok().and_then(|e| e.parent().map(|d| d.join(&name))).filter(|p| p.is_file())
    else {
        return fail(
            exit::SERVER,
            format!("{name} is not next to this executable: it is built with it (cargo build --release builds both)"),
        );
    };
    let mut cmd = std::process::Command::new(&path);
    cmd.args(args);
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        let e = cmd.exec();
        fail(exit::SERVER, format!("cannot run {}: {e}", path.display()))
    }
    #[cfg(not(unix))]
    match cmd.status() {
        Ok(status) => status.code().unwrap_or(exit::SERVER),
        Err(e) => fail(exit::SERVER, format!("cannot run {}: {e}", path.display())),
    }
}
