//! `orchestrator`: the server (`serve`, `migrate`) and its command-line client (`run …`, `plan …`).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use orchestrator::cli::commands::{PlanCommand, RunCommand, VerifyArgs};
use orchestrator::cli::{self, exit};
use orchestrator::config::workflow;
use orchestrator::config::{Config, PolicyFile};
use orchestrator::store::{DatabaseUrl, Store};
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
    /// Serve the gRPC API (RunService, CoordinatorService, VerifierService, health, reflection).
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate {
        /// Database: sqlite://PATH, a plain path, or postgres://…
        #[arg(long, env = "DATABASE_URL", default_value = "orchestrator.db")]
        database_url: String,
    },
    /// Create, inspect, steer and watch runs (client side).
    #[command(subcommand, after_help = exit::HELP)]
    Run(RunCommand),
    /// Work with plans (client side).
    #[command(subcommand, after_help = exit::HELP)]
    Plan(PlanCommand),
    /// Check an output against criteria, or list the criterion kinds (client side).
    #[command(after_help = exit::HELP)]
    Verify(VerifyArgs),
    /// Measure throughput and latencies against a real server and real agents over gRPC.
    Bench(orchestrator::bench::BenchArgs),
    /// Manage workspaces (on the database directly).
    #[command(subcommand)]
    Workspace(WorkspaceCommand),
    /// Manage API keys (on the database directly). A key is printed once; only its hash is stored.
    #[command(subcommand)]
    Key(KeyCommand),
    /// Work with the policy (WORKFLOW.md or plain YAML) without serving.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Delete terminal runs (and all their rows) that finished long enough ago (on the database directly).
    Prune {
        /// Runs that finished more than this long ago (e.g. 30d, 12h).
        #[arg(long, value_parser = humantime::parse_duration)]
        older_than: Duration,
        /// Only count what would be deleted.
        #[arg(long)]
        dry_run: bool,
        /// Only this workspace's runs.
        #[arg(long)]
        workspace: Option<String>,
        #[arg(long, env = "DATABASE_URL", default_value = "orchestrator.db")]
        database_url: String,
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

#[derive(Subcommand)]
enum WorkspaceCommand {
    /// Create a workspace (names: 1–63 characters of a-z, 0-9, '-', '_').
    Create {
        /// Its name.
        name: String,
        /// Database: sqlite://PATH, a plain path, or postgres://…
        #[arg(long, env = "DATABASE_URL", default_value = "orchestrator.db")]
        database_url: String,
    },
    /// List workspaces.
    List {
        /// Database: sqlite://PATH, a plain path, or postgres://…
        #[arg(long, env = "DATABASE_URL", default_value = "orchestrator.db")]
        database_url: String,
    },
}

#[derive(Subcommand)]
enum KeyCommand {
    /// Create a key for a workspace and print it (once).
    Create {
        /// The workspace.
        #[arg(long)]
        workspace: String,
        /// admin, operator, agent or viewer.
        #[arg(long, default_value = "operator")]
        role: String,
        /// A name to recognise it by.
        #[arg(long, default_value = "")]
        name: String,
        /// Database: sqlite://PATH, a plain path, or postgres://…
        #[arg(long, env = "DATABASE_URL", default_value = "orchestrator.db")]
        database_url: String,
    },
    /// List keys (never their secrets).
    List {
        /// Only this workspace's.
        #[arg(long)]
        workspace: Option<String>,
        /// Database: sqlite://PATH, a plain path, or postgres://…
        #[arg(long, env = "DATABASE_URL", default_value = "orchestrator.db")]
        database_url: String,
    },
    /// Revoke a key by its id.
    Revoke {
        /// The key id (the 12 hex digits after `ork_`).
        id: String,
        /// Database: sqlite://PATH, a plain path, or postgres://…
        #[arg(long, env = "DATABASE_URL", default_value = "orchestrator.db")]
        database_url: String,
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
    /// Database: sqlite://PATH, a plain path, or postgres://user@host/db.
    #[arg(long, env = "DATABASE_URL", default_value = "orchestrator.db")]
    database_url: String,
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
}

/// Client commands end quietly when their reader goes away (`… | head`), as
/// command-line tools do, instead of panicking in `println!`. The server keeps
/// Rust's default (SIGPIPE ignored). Sockets are unaffected either way: Rust
/// sends with MSG_NOSIGNAL.
fn die_quietly_on_closed_pipe() {
    // SAFETY: called before any thread is started; it only resets one signal's disposition.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Serve(_) | Command::Bench(_)) {
        die_quietly_on_closed_pipe();
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
            Command::Migrate { database_url } => migrate(&database_url),
            Command::Run(cmd) => cli::commands::run_command(cmd).await,
            Command::Plan(cmd) => cli::commands::plan_command(cmd).await,
            Command::Verify(args) => cli::commands::verify_command(args).await,
            Command::Bench(args) => bench(args).await,
            Command::Workspace(cmd) => workspace_command(cmd).await,
            Command::Key(cmd) => key_command(cmd).await,
            Command::Policy(PolicyCommand::Check { file }) => policy_check(&file),
            Command::Prune { older_than, dry_run, workspace, database_url } => {
                prune(older_than, dry_run, workspace, &database_url).await
            }
        }
    });
    ExitCode::from(code as u8)
}

fn fail(code: i32, message: impl std::fmt::Display) -> i32 {
    eprintln!("error: {message}");
    code
}

fn migrate(url: &str) -> i32 {
    telemetry::init(LogFormat::Text);
    let url = match DatabaseUrl::parse(url) {
        Ok(u) => u,
        Err(e) => return fail(exit::USAGE, e),
    };
    match Store::migrate(&url) {
        Ok(()) => {
            println!("migrations applied ({})", url.backend_name());
            exit::OK
        }
        Err(e) => fail(exit::SERVER, e),
    }
}

async fn serve(args: ServeArgs) -> i32 {
    telemetry::init(args.log_format);
    let database = match DatabaseUrl::parse(&args.database_url) {
        Ok(u) => u,
        Err(e) => return fail(exit::USAGE, e),
    };
    let mut config = Config::new(database);
    if let Some(path) = &args.policy {
        match workflow::load(path) {
            Ok(loaded) => {
                config.policy = loaded.policy;
                config.policy_file = Some(PolicyFile { path: path.clone(), digest: loaded.digest });
            }
            Err(e) => return fail(exit::USAGE, format!("invalid policy:\n{e}")),
        }
    }
    config.otlp = orchestrator::telemetry::otlp::OtlpConfig::from_env();
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
    if let (Some(cert), Some(key)) = (args.tls_cert, args.tls_key) {
        config.tls = Some(orchestrator::config::TlsFiles { cert, key, client_ca: args.tls_client_ca });
    }
    let listener = match tokio::net::TcpListener::bind(&args.listen).await {
        Ok(l) => l,
        Err(e) => return fail(exit::USAGE, format!("cannot listen on {}: {e}", args.listen)),
    };
    match orchestrator::server::serve(listener, orchestrator::server::shutdown_signal(), config).await {
        Ok(()) => exit::OK,
        Err(e) => fail(exit::SERVER, e),
    }
}

async fn open_store(url: &str) -> Result<Store, i32> {
    let url = DatabaseUrl::parse(url).map_err(|e| fail(exit::USAGE, e))?;
    tokio::task::spawn_blocking(move || Store::open(&url, orchestrator::hub::Hub::new()))
        .await
        .map_err(|e| fail(exit::SERVER, e))?
        .map_err(|e| fail(exit::SERVER, e))
}

fn valid_workspace_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 63
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

async fn workspace_command(cmd: WorkspaceCommand) -> i32 {
    match cmd {
        WorkspaceCommand::Create { name, database_url } => {
            if !valid_workspace_name(&name) {
                return fail(exit::USAGE, "workspace names are 1–63 characters of a-z, 0-9, '-', '_'");
            }
            let store = match open_store(&database_url).await {
                Ok(s) => s,
                Err(code) => return code,
            };
            let n = name.clone();
            match store.write(move |tx| orchestrator::store::create_workspace(tx, &n)).await {
                Ok(()) => {
                    println!("workspace {name} created");
                    exit::OK
                }
                Err(e) => fail(exit::USAGE, e),
            }
        }
        WorkspaceCommand::List { database_url } => {
            let store = match open_store(&database_url).await {
                Ok(s) => s,
                Err(code) => return code,
            };
            match store.read(orchestrator::store::list_workspaces).await {
                Ok(list) => {
                    for (name, runs) in list {
                        println!("{name}  runs={runs}");
                    }
                    exit::OK
                }
                Err(e) => fail(exit::SERVER, e),
            }
        }
    }
}

async fn key_command(cmd: KeyCommand) -> i32 {
    match cmd {
        KeyCommand::Create { workspace, role, name, database_url } => {
            let Some(role) = orchestrator::auth::Role::parse(&role) else {
                return fail(exit::USAGE, "roles: admin, operator, agent, viewer");
            };
            if name.len() > 128 {
                return fail(exit::USAGE, "key names are at most 128 bytes");
            }
            let store = match open_store(&database_url).await {
                Ok(s) => s,
                Err(code) => return code,
            };
            let (row, secret) = orchestrator::auth::new_key(&workspace, &name, role);
            let id = row.id.clone();
            match store.write(move |tx| orchestrator::store::create_key(tx, row)).await {
                Ok(()) => {
                    eprintln!("key {id} ({}) created for workspace {workspace}; it is shown only now:", role.as_str());
                    println!("{secret}");
                    exit::OK
                }
                Err(e) => fail(exit::USAGE, e),
            }
        }
        KeyCommand::List { workspace, database_url } => {
            let store = match open_store(&database_url).await {
                Ok(s) => s,
                Err(code) => return code,
            };
            match store.read(move |c| orchestrator::store::list_keys(c, workspace.as_deref())).await {
                Ok(keys) => {
                    for k in keys {
                        let state = if k.revoked_at.is_some() { "revoked" } else { "active" };
                        println!("{}  {:<10} {:<8} {:<8} {}", k.id, k.workspace_id, k.role, state, k.name);
                    }
                    exit::OK
                }
                Err(e) => fail(exit::SERVER, e),
            }
        }
        KeyCommand::Revoke { id, database_url } => {
            let store = match open_store(&database_url).await {
                Ok(s) => s,
                Err(code) => return code,
            };
            let key = id.clone();
            match store.write(move |tx| orchestrator::store::revoke_key(tx, &key)).await {
                Ok(()) => {
                    println!("key {id} revoked");
                    exit::OK
                }
                Err(e) => fail(exit::USAGE, e),
            }
        }
    }
}

fn policy_check(file: &std::path::Path) -> i32 {
    if !file.is_file() {
        return fail(exit::USAGE, format!("{}: no such file", file.display()));
    }
    match workflow::load(file) {
        Ok(loaded) => {
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

async fn prune(older_than: Duration, dry_run: bool, workspace: Option<String>, database_url: &str) -> i32 {
    use orchestrator::engine::retention;
    let cutoff = std::time::SystemTime::now().checked_sub(older_than).unwrap_or(std::time::UNIX_EPOCH);
    let filter = orchestrator::store::PruneFilter {
        finished_before: orchestrator::domain::now_micros()
            .saturating_sub(older_than.as_micros().min(i64::MAX as u128) as i64),
        workspace: workspace.clone(),
        exclude: Vec::new(),
    };
    let store = match open_store(database_url).await {
        Ok(s) => s,
        Err(code) => return code,
    };
    let scope = workspace.map(|w| format!(" in workspace {w}")).unwrap_or_default();
    let when = humantime::format_rfc3339_seconds(cutoff);
    if dry_run {
        match retention::count(&store, &filter).await {
            Ok(c) => {
                println!("would prune {c} (terminal runs finished before {when}{scope})");
                exit::OK
            }
            Err(e) => fail(exit::SERVER, e),
        }
    } else {
        match retention::prune(&store, &filter, Duration::from_millis(20)).await {
            Ok(c) => {
                println!("pruned {c} (terminal runs finished before {when}{scope})");
                exit::OK
            }
            Err(e) => fail(exit::SERVER, e),
        }
    }
}

async fn bench(args: orchestrator::bench::BenchArgs) -> i32 {
    let json = args.json;
    match orchestrator::bench::run(args).await {
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
        Err(e) => fail(exit::SERVER, e),
    }
}
