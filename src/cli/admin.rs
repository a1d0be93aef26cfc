//! The operator's commands: `workspace …` and `key …` (on the database, or
//! through a server's AdminService with `--server`), `prune` and `migrate`
//! (on the database).
//!
//! Direct database access is for bootstrapping the first admin key; after
//! that `--server URL --api-key ADMIN_KEY` needs no access to the database.
//!
//! They never make a database by accident: an admin command pointed at a
//! SQLite file that does not exist refuses (unless `--create`), because a key
//! created in a fresh `./orchestrator.db` is a key no server will ever see.
//! Each one says on standard error which database it used. The generic
//! `DATABASE_URL` is not read (it belongs to whatever else runs beside us):
//! `ORCHESTRATOR_DATABASE_URL` is.

use std::time::Duration;

use clap::{Args, Subcommand};

use super::{exit, fail, rpc_fail};
use crate::proto::v1 as pb;
use crate::store::{DatabaseUrl, Store};

/// The variable the database URL is read from.
pub const DATABASE_ENV: &str = "ORCHESTRATOR_DATABASE_URL";

/// The database when none is named.
pub const DEFAULT_DATABASE: &str = "orchestrator.db";

/// `--database-url` of every command that opens the database.
#[derive(Args, Clone, Debug)]
pub struct DatabaseArgs {
    /// Database: sqlite://PATH, a plain path, or postgres://user@host/db [default: orchestrator.db]
    #[arg(long, env = DATABASE_ENV)]
    pub database_url: Option<String>,
}

impl DatabaseArgs {
    /// The URL, parsed; says so when the generic `DATABASE_URL` is set but not read.
    pub fn url(&self) -> Result<DatabaseUrl, String> {
        if self.database_url.is_none() && std::env::var_os("DATABASE_URL").is_some() {
            eprintln!(
                "note: DATABASE_URL is not read (it may belong to another program); \
                 set {DATABASE_ENV} or pass --database-url"
            );
        }
        DatabaseUrl::parse(self.database_url.as_deref().unwrap_or(DEFAULT_DATABASE)).map_err(|e| e.to_string())
    }
}

/// Where the admin commands act: the database (`--database-url`, `--create`)
/// or a server (`--server`, with an admin key and the TLS flags).
#[derive(Args, Clone, Debug)]
pub struct AdminDatabase {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Make the SQLite file if it does not exist (without it, a missing file is an error).
    #[arg(long)]
    pub create: bool,
    /// Act through this server's AdminService (an admin key) instead of on the database.
    /// A flag only, not ORCHESTRATOR_SERVER: a shell's variable does not redirect admin commands.
    #[arg(long)]
    pub server: Option<String>,
    /// An admin key, with --server (sent as `authorization: Bearer KEY`).
    #[arg(long, env = "ORCHESTRATOR_API_KEY", hide_env_values = true)]
    pub api_key: Option<String>,
    #[command(flatten)]
    pub tls: super::commands::TlsArgs,
}

impl AdminDatabase {
    /// The server to act through, connected; None to act on the database.
    async fn remote(&self) -> Option<Result<super::Client, i32>> {
        let server = self.server.as_ref()?;
        eprintln!("server: {server}");
        let conn = self.tls.connection(server, self.api_key.as_deref());
        Some(super::Client::connect(&conn).await.map_err(|e| fail(exit::SERVER, e)))
    }
}

fn key_line(id: &str, workspace: &str, role: &str, revoked: bool, name: &str) -> String {
    let state = if revoked { "revoked" } else { "active" };
    format!("{id}  {workspace:<10} {role:<8} {state:<8} {name}")
}

/// The remote client, or the exit code, from the enclosing function.
macro_rules! remote_or_return {
    ($c:expr) => {
        match $c {
            Ok(c) => c,
            Err(code) => return code,
        }
    };
}

/// `workspace …`.
#[derive(Subcommand, Debug)]
pub enum WorkspaceCommand {
    /// Create a workspace (names: 1–63 characters of a-z, 0-9, '-', '_').
    Create {
        /// Its name.
        name: String,
        #[command(flatten)]
        db: AdminDatabase,
    },
    /// List workspaces with their number of runs.
    List {
        #[command(flatten)]
        db: AdminDatabase,
    },
}

/// `key …`.
#[derive(Subcommand, Debug)]
pub enum KeyCommand {
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
        #[command(flatten)]
        db: AdminDatabase,
    },
    /// List keys (never their secrets).
    List {
        /// Only this workspace's.
        #[arg(long)]
        workspace: Option<String>,
        #[command(flatten)]
        db: AdminDatabase,
    },
    /// Revoke a key by its id.
    Revoke {
        /// The key id (the 12 hex digits after `ork_`).
        id: String,
        #[command(flatten)]
        db: AdminDatabase,
    },
}

/// `prune`.
#[derive(Args, Debug)]
pub struct PruneArgs {
    /// Runs that finished more than this long ago (e.g. 30d, 12h).
    #[arg(long, value_parser = humantime::parse_duration)]
    pub older_than: Duration,
    /// Only count what would be deleted.
    #[arg(long)]
    pub dry_run: bool,
    /// Only this workspace's runs.
    #[arg(long)]
    pub workspace: Option<String>,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

/// Opens the database of an admin command: a missing SQLite file is an error
/// unless `create`; names the database used on standard error.
pub async fn open(database: &DatabaseArgs, create: bool) -> Result<Store, i32> {
    let url = database.url().map_err(|e| fail(exit::USAGE, e))?;
    if let DatabaseUrl::Sqlite(path) = &url {
        if !create && !std::path::Path::new(path).exists() {
            return Err(fail(
                exit::USAGE,
                format!(
                    "no database at {path}: name the server's with --database-url (or {DATABASE_ENV}), \
                     or pass --create to make a new one"
                ),
            ));
        }
    }
    eprintln!("database: {}", url.describe());
    tokio::task::spawn_blocking(move || Store::open(&url, crate::hub::Hub::new()))
        .await
        .map_err(|e| fail(exit::SERVER, e))?
        .map_err(|e| fail(exit::SERVER, e))
}

use crate::engine::admin::valid_workspace_name;

/// Exit code of a store error: the caller's input (not found, exists, invalid) or the server's.
fn store_fail(e: crate::Error) -> i32 {
    use crate::Error as E;
    let code = match e {
        E::NotFound(_) | E::AlreadyExists(_) | E::InvalidArgument(_) => exit::USAGE,
        _ => exit::SERVER,
    };
    fail(code, e)
}

macro_rules! open_or_return {
    ($db:expr, $create:expr) => {
        match open($db, $create).await {
            Ok(s) => s,
            Err(code) => return code,
        }
    };
}

/// Runs `workspace …`: through the server with `--server`, else on the database.
pub async fn workspace_command(cmd: WorkspaceCommand) -> i32 {
    match cmd {
        WorkspaceCommand::Create { name, db } => {
            if !valid_workspace_name(&name) {
                return fail(exit::USAGE, "workspace names are 1–63 characters of a-z, 0-9, '-', '_'");
            }
            let done = match db.remote().await {
                Some(c) => {
                    let mut c = remote_or_return!(c);
                    let req = pb::CreateWorkspaceRequest { name: name.clone() };
                    c.admin.create_workspace(req).await.map(|_| ()).map_err(|s| rpc_fail(&s))
                }
                None => {
                    let store = open_or_return!(&db.database, db.create);
                    let n = name.clone();
                    store.write(move |tx| crate::store::create_workspace(tx, &n)).await.map_err(store_fail)
                }
            };
            match done {
                Ok(()) => {
                    println!("workspace {name} created");
                    exit::OK
                }
                Err(code) => code,
            }
        }
        WorkspaceCommand::List { db } => {
            let listed: Result<Vec<(String, u64)>, i32> = match db.remote().await {
                Some(c) => {
                    let mut c = remote_or_return!(c);
                    c.admin
                        .list_workspaces(pb::ListWorkspacesRequest {})
                        .await
                        .map(|r| r.into_inner().workspaces.into_iter().map(|w| (w.name, w.runs)).collect())
                        .map_err(|s| rpc_fail(&s))
                }
                None => {
                    let store = open_or_return!(&db.database, db.create);
                    store
                        .read(|c| crate::store::list_workspaces(c, None))
                        .await
                        .map(|l| l.into_iter().map(|(n, runs)| (n, runs.max(0) as u64)).collect())
                        .map_err(store_fail)
                }
            };
            match listed {
                Ok(list) => {
                    for (name, runs) in list {
                        println!("{name}  runs={runs}");
                    }
                    exit::OK
                }
                Err(code) => code,
            }
        }
    }
}

/// Runs `key …`: through the server with `--server`, else on the database.
pub async fn key_command(cmd: KeyCommand) -> i32 {
    match cmd {
        KeyCommand::Create { workspace, role, name, db } => {
            let Some(role) = crate::auth::Role::parse(&role) else {
                return fail(exit::USAGE, "roles: admin, operator, agent, viewer");
            };
            if name.len() > 128 {
                return fail(exit::USAGE, "key names are at most 128 bytes");
            }
            let made: Result<(String, String), i32> = match db.remote().await {
                Some(c) => {
                    let mut c = remote_or_return!(c);
                    let req =
                        pb::CreateKeyRequest { workspace: workspace.clone(), role: role.as_str().to_string(), name };
                    c.admin
                        .create_key(req)
                        .await
                        .map(|r| {
                            let r = r.into_inner();
                            (r.key.map(|k| k.id).unwrap_or_default(), r.secret)
                        })
                        .map_err(|s| rpc_fail(&s))
                }
                None => {
                    let store = open_or_return!(&db.database, db.create);
                    let (row, secret) = crate::auth::new_key(&workspace, &name, role);
                    let id = row.id.clone();
                    store
                        .write(move |tx| crate::store::create_key(tx, row))
                        .await
                        .map(|()| (id, secret))
                        .map_err(store_fail)
                }
            };
            match made {
                Ok((id, secret)) => {
                    eprintln!("key {id} ({}) created for workspace {workspace}; it is shown only now:", role.as_str());
                    println!("{secret}");
                    exit::OK
                }
                Err(code) => code,
            }
        }
        KeyCommand::List { workspace, db } => {
            let lines: Result<Vec<String>, i32> = match db.remote().await {
                Some(c) => {
                    let mut c = remote_or_return!(c);
                    let req = pb::ListKeysRequest { workspace: workspace.unwrap_or_default() };
                    c.admin
                        .list_keys(req)
                        .await
                        .map(|r| {
                            let keys = r.into_inner().keys;
                            keys.iter()
                                .map(|k| key_line(&k.id, &k.workspace, &k.role, k.revoked_at.is_some(), &k.name))
                                .collect()
                        })
                        .map_err(|s| rpc_fail(&s))
                }
                None => {
                    let store = open_or_return!(&db.database, db.create);
                    store
                        .read(move |c| crate::store::list_keys(c, workspace.as_deref()))
                        .await
                        .map(|keys| {
                            keys.iter()
                                .map(|k| key_line(&k.id, &k.workspace_id, &k.role, k.revoked_at.is_some(), &k.name))
                                .collect()
                        })
                        .map_err(store_fail)
                }
            };
            match lines {
                Ok(lines) => {
                    for l in lines {
                        println!("{l}");
                    }
                    exit::OK
                }
                Err(code) => code,
            }
        }
        KeyCommand::Revoke { id, db } => {
            let done = match db.remote().await {
                Some(c) => {
                    let mut c = remote_or_return!(c);
                    let req = pb::RevokeKeyRequest { id: id.clone() };
                    c.admin.revoke_key(req).await.map(|_| ()).map_err(|s| rpc_fail(&s))
                }
                None => {
                    let store = open_or_return!(&db.database, db.create);
                    let key = id.clone();
                    store.write(move |tx| crate::store::revoke_key(tx, &key)).await.map(|_| ()).map_err(store_fail)
                }
            };
            match done {
                Ok(()) => {
                    println!("key {id} revoked");
                    exit::OK
                }
                Err(code) => code,
            }
        }
    }
}

/// Runs `prune` (never creates a database: there would be nothing to prune).
pub async fn prune(args: PruneArgs) -> i32 {
    use crate::engine::retention;
    let PruneArgs { older_than, dry_run, workspace, database } = args;
    let cutoff = std::time::SystemTime::now().checked_sub(older_than).unwrap_or(std::time::UNIX_EPOCH);
    let filter = crate::store::PruneFilter {
        finished_before: crate::domain::now_micros()
            .saturating_sub(older_than.as_micros().min(i64::MAX as u128) as i64),
        workspace: workspace.clone(),
        exclude: Vec::new(),
    };
    let store = open_or_return!(&database, false);
    let scope = workspace.map(|w| format!(" in workspace {w}")).unwrap_or_default();
    let when = humantime::format_rfc3339_seconds(cutoff);
    let (counted, verb) = if dry_run {
        (retention::count(&store, &filter).await, "would prune")
    } else {
        (retention::prune(&store, &filter, Duration::from_millis(20)).await, "pruned")
    };
    match counted {
        Ok(c) => {
            println!("{verb} {c} (terminal runs finished before {when}{scope})");
            exit::OK
        }
        Err(e) => store_fail(e),
    }
}

/// Runs `migrate`: the one admin command that makes a database (that is what it is for).
pub fn migrate(database: &DatabaseArgs) -> i32 {
    let url = match database.url() {
        Ok(u) => u,
        Err(e) => return fail(exit::USAGE, e),
    };
    eprintln!("database: {}", url.describe());
    match Store::migrate(&url) {
        Ok(()) => {
            println!("migrations applied ({})", url.backend_name());
            exit::OK
        }
        Err(e) => fail(exit::SERVER, e),
    }
}
