//! The store: the only module that knows diesel.
//!
//! One schema, two backends. Every query is written once and compiled for
//! both concrete connections by [`with_conn!`], so each backend gets diesel's
//! full dialect (RETURNING, batch inserts) with no runtime dispatch cost.
//!
//! Writes go through [`Store::write`]: a closure over a [`Tx`] that runs in
//! one transaction. Events appended in it get their per-run sequence numbers
//! inside that transaction, and are published to the [`Hub`] only after the
//! commit. On SQLite one writer thread owns the only write connection and
//! commits whatever has queued up as one transaction (group commit), with no
//! savepoint unless a request of the group fails (then the group runs again,
//! each request in a savepoint of its own); readers use a small pool beside it. On
//! PostgreSQL every write is a short transaction from a pool, and the run row
//! is locked first in every transaction that touches a run's tasks, so
//! transactions never deadlock on lock order.

mod apply;
mod budgets;
mod children;
mod conn;
mod db_error;
mod dispatch;
mod events;
mod keys;
mod learning;
mod models;
mod outcomes;
mod planning;
mod presence;
mod progress;
mod recipes;
mod replans;
mod retention;
mod runs;
mod schedules;
pub mod schema;
mod shared;
mod spans;
mod spawn;
mod sql;
mod statements;
mod status_sql;
mod steering;
mod tasks;
mod turns;
mod verdicts;
mod writer;

use std::sync::atomic::{AtomicBool, Ordering as AtomicOrdering};
use std::sync::mpsc as std_mpsc;
use std::sync::Arc;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool};
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use tokio::sync::oneshot;

pub use budgets::*;
pub use children::{
    child_runs_to_settle, child_start_facts, children_of, children_to_steer, parent_of, parents_of, ready_run_tasks,
    settle_child_run, start_child_run, steer_child, ChildStart, ChildStartFacts, ChildStarted, ChildToSettle, Settled,
    CHILD_RUN_INSTANCE,
};
pub(crate) use conn::with_conn;
pub use conn::Conn;
pub use dispatch::*;
pub use events::*;
pub use keys::*;
pub use learning::{
    advised_runs, claim_advice, forget_advice, forget_outcomes, keep_advice, kind_record, load_outcomes,
    note_attempt_model, pending_outcomes, previous_model, record_outcomes, AdviceRecord, Advised, PendingOutcome,
};
pub use models::*;
pub use outcomes::{count_verified_end, retry_outcomes, RetryOutcomeRow, VerifiedEnd};
pub use planning::*;
pub use presence::{fleet_facts, forget_instances, last_polls, mark_agents_seen, mark_instances_seen, ready_by_agent};
pub use progress::*;
pub use recipes::{
    add_recipe_version, add_recipe_version_if_changed, delete_recipe, final_graph, get_recipe, list_recipes,
    recipe_versions,
};
pub use replans::{replanning_failed, replanning_runs, revise_plan, Replanning};
pub use retention::{count_prunable, prune_batch, PruneCounts, PruneFilter};
pub use runs::*;
pub use schedules::{
    buffered_fires, create_schedule, defer_due, delete_schedule, due_schedules, fire, get_schedule, list_schedules,
    may_start_buffered, next_schedule_due, recent_fires, set_paused, skip_missed, start_buffered, Fire, Fired,
};
pub use shared::*;
pub use spans::*;
pub use spawn::{check_spawn, Spawned};
pub use statements::StatementCount;
pub use steering::*;
pub use tasks::*;
pub use turns::{continue_attempt, Continued, TurnPolicy};
pub use verdicts::*;

use crate::domain::{now_micros, Event, Micros, NewEvent};
use crate::error::{Error, Result};
use crate::hub::{Hub, Wake};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Largest stored output unless [`Store::with_max_output_bytes`] says otherwise.
const DEFAULT_MAX_OUTPUT: usize = 2 * 1024 * 1024;

/// Which database a URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// A SQLite file.
    Sqlite(String),
    /// A PostgreSQL connection string.
    Postgres(String),
}

impl DatabaseUrl {
    /// Parses `sqlite://PATH`, `sqlite:PATH`, a plain path, or `postgres://…`.
    pub fn parse(url: &str) -> Result<Self> {
        let url = url.trim();
        if url.is_empty() {
            return Err(Error::invalid("database_url", "empty database URL"));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DatabaseUrl::Postgres(url.to_string()));
        }
        let path = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or(url);
        if path.is_empty() {
            return Err(Error::invalid("database_url", "sqlite URL without a path"));
        }
        if path.contains("://") {
            return Err(Error::invalid(
                "database_url",
                "unsupported database URL scheme (use sqlite:// or postgres://)",
            ));
        }
        Ok(DatabaseUrl::Sqlite(path.to_string()))
    }

    /// Where the data is, for logs: the SQLite file, or the PostgreSQL URL
    /// without its password.
    pub fn describe(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(path) => path.clone(),
            DatabaseUrl::Postgres(u) => {
                let (scheme, rest) = u.split_once("://").unwrap_or(("postgres", u));
                // Credentials end at the last '@' (a password may hold '@' or '/'):
                // whatever lies between the user's ':' and it is left out.
                match rest.rfind('@') {
                    Some(at) => {
                        let user = rest[..at].split(':').next().unwrap_or("");
                        format!("{scheme}://{user}@{}", rest[at + 1..].split('?').next().unwrap_or(""))
                    }
                    None => format!("{scheme}://{}", rest.split('?').next().unwrap_or("")),
                }
            }
        }
    }

    /// Which backend, for logs (never the URL itself: it may hold a password).
    pub fn backend_name(&self) -> &'static str {
        match self {
            DatabaseUrl::Sqlite(_) => "sqlite",
            DatabaseUrl::Postgres(_) => "postgres",
        }
    }
}

enum Backend {
    Sqlite {
        writer: std_mpsc::Sender<Box<dyn writer::Job>>,
        readers: Pool<ConnectionManager<SqliteConnection>>,
        /// The checkpointer runs while this lives (it holds a weak reference).
        _alive: Arc<()>,
    },
    Postgres {
        pool: Pool<ConnectionManager<PgConnection>>,
    },
}

/// The durable state of the service. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    backend: Arc<Backend>,
    hub: Arc<Hub>,
    /// This process's id in NOTIFY payloads, so that it ignores its own.
    replica: u64,
    /// Largest output a task may store (its inputs, together, too).
    max_output_bytes: usize,
    /// Statements run on this store's connections since it opened.
    statements: StatementCount,
}

/// Work to do after a transaction commits.
#[derive(Default)]
pub struct Effects {
    /// Events to publish, in sequence order per run.
    pub events: Vec<Event>,
    /// (workspace, agent) pairs whose pollers should look again, and how many.
    pub wake_agents: Vec<(String, String, Wake)>,
    /// Whether the reconciler should look again (retry scheduled, run resumed).
    pub wake_reconciler: bool,
}

/// A transaction in progress.
pub struct Tx<'a> {
    /// The connection, inside the transaction.
    pub conn: Conn<'a>,
    /// The time of this transaction, one value for all its rows.
    pub now: Micros,
    pending: Vec<(String, String, NewEvent)>,
    effects: Effects,
    /// When set, leases of other workspaces' attempts are unknown in this transaction.
    pub scope: Option<String>,
    /// Largest output a task may store, and its inputs together ([`Store::with_max_output_bytes`]).
    pub max_output_bytes: usize,
    /// Run rows this transaction locked, as they are now: a claim or a completion
    /// reads its run several times (live check, counters, budget, finish), and
    /// each read was a statement. Every write to a run must adjust or forget it.
    /// A remembered row includes `counters` not yet written.
    runs: Vec<models::RunRow>,
    /// Changes to runs' `running` and `open_tasks` counters, written once per run
    /// when the transaction ends (with its event sequence) instead of one UPDATE each.
    counters: Vec<RunCounters>,
    /// Runs whose row lock this transaction holds (PostgreSQL), in the order taken.
    /// Unlike `runs` this is never forgotten: a lock lasts until the commit.
    held: Vec<String>,
    /// Set by a batch that takes run locks in ascending id order: it may then
    /// wait for a run above every run it holds (see `runs::lock_run`).
    ascending_locks: bool,
    /// SQLite's writer, optimistic pass: any failure makes the writer run the
    /// group again with each request isolated, so a batch needs no savepoint
    /// per item (see `dispatch::complete_each`).
    optimistic: bool,
}

/// Pending changes to a run's counters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RunCounters {
    pub run_id: String,
    pub running: i32,
    pub open_tasks: i32,
}

impl<'a> Tx<'a> {
    fn new(conn: Conn<'a>, max_output_bytes: usize) -> Self {
        Tx {
            conn,
            max_output_bytes,
            now: now_micros(),
            pending: Vec::new(),
            effects: Effects::default(),
            scope: None,
            runs: Vec::new(),
            counters: Vec::new(),
            held: Vec::new(),
            ascending_locks: false,
            optimistic: false,
        }
    }

    /// Whether this transaction holds the lock of a run other than `run_id`: it
    /// must then not wait for `run_id`'s (see `runs::lock_run`).
    fn holds_other_run(&self, run_id: &str) -> bool {
        self.held.iter().any(|r| r != run_id)
    }

    /// Whether waiting for `run_id`'s lock keeps this transaction's lock order
    /// ascending: it takes its runs in id order and holds only runs below it.
    fn may_wait_in_order(&self, run_id: &str) -> bool {
        self.ascending_locks && self.held.iter().all(|r| r.as_str() <= run_id)
    }

    /// Records that this transaction now holds a run's lock.
    fn hold(&mut self, run_id: &str) {
        if !self.held.iter().any(|r| r == run_id) {
            self.held.push(run_id.to_string());
        }
    }

    /// A run row just read under its lock (or inserted by this transaction):
    /// the lock is held, and the row remembered ([`Tx::remember_run`]).
    /// Gives back the row as remembered: with the counter changes not yet
    /// written (a run this request or one before it in the writer's group
    /// changed, then forgot), which the table's row lacks.
    fn adopt_run(&mut self, row: &models::RunRow) -> models::RunRow {
        self.hold(&row.id);
        self.remember_run(row);
        self.locked_run(&row.id).cloned().unwrap_or_else(|| row.clone())
    }

    /// Drops what this transaction (or the requests before it in the
    /// writer's group) queued for runs that are gone: their events and
    /// counter changes, and the rows remembered.
    fn forget_deleted_run(&mut self, run_id: &str) {
        self.forget_run(run_id);
        self.pending.retain(|(r, _, _)| r != run_id);
        self.counters.retain(|c| c.run_id != run_id);
    }

    /// A run this transaction locked, if it is still as read.
    fn locked_run(&self, run_id: &str) -> Option<&models::RunRow> {
        self.runs.iter().find(|r| r.id == run_id)
    }

    /// Remembers a run row read under its lock (or returned by a write), with
    /// the counter changes this transaction has not written yet.
    fn remember_run(&mut self, row: &models::RunRow) {
        self.forget_run(&row.id);
        let mut row = row.clone();
        if let Some(c) = self.counters.iter().find(|c| c.run_id == row.id) {
            row.running += c.running;
            row.open_tasks += c.open_tasks;
        }
        self.runs.push(row);
    }

    /// Adds to a run's `running` and `open_tasks` counters (written at the end).
    fn add_run_counters(&mut self, run_id: &str, running: i32, open_tasks: i32) {
        self.adjust_run(run_id, |r| {
            r.running += running;
            r.open_tasks += open_tasks;
        });
        match self.counters.iter_mut().find(|c| c.run_id == run_id) {
            Some(c) => {
                c.running += running;
                c.open_tasks += open_tasks;
            }
            None => self.counters.push(RunCounters { run_id: run_id.to_string(), running, open_tasks }),
        }
    }

    /// A run's counters were just set outright: changes made before no longer apply.
    fn counters_set(&mut self, run_id: &str, running: bool, open_tasks: bool) {
        if let Some(c) = self.counters.iter_mut().find(|c| c.run_id == run_id) {
            if running {
                c.running = 0;
            }
            if open_tasks {
                c.open_tasks = 0;
            }
        }
    }

    /// Applies to the remembered row a change just written to the run.
    fn adjust_run(&mut self, run_id: &str, change: impl FnOnce(&mut models::RunRow)) {
        if let Some(r) = self.runs.iter_mut().find(|r| r.id == run_id) {
            change(r);
        }
    }

    /// The run was written in a way not mirrored here: read it again next time.
    fn forget_run(&mut self, run_id: &str) {
        self.runs.retain(|r| r.id != run_id);
    }

    /// How many events this transaction (with what was handed over to it)
    /// has appended to a run's log and not written yet.
    fn pending_events_of(&self, run_id: &str) -> usize {
        self.pending.iter().filter(|(r, _, _)| r == run_id).count()
    }

    /// Appends an event to a run's log (numbered when the transaction ends).
    pub fn event(&mut self, run_id: &str, workspace: &str, event: NewEvent) {
        self.pending.push((run_id.to_string(), workspace.to_string(), event));
    }

    /// A task of an agent became ready: one of its pollers should look again
    /// after the commit (waking them all would send the rest after nothing).
    pub fn wake_agent(&mut self, workspace: &str, agent: &str) {
        self.add_wake(workspace, agent, Wake::ONE);
    }

    /// Every poller of an agent should look again (capacity freed up: which
    /// ready tasks it let through is not known here).
    pub fn wake_all_pollers(&mut self, workspace: &str, agent: &str) {
        self.add_wake(workspace, agent, Wake::All);
    }

    fn add_wake(&mut self, workspace: &str, agent: &str, wake: Wake) {
        if agent.is_empty() {
            // No agent polls for "": the ready tasks of no agent are `run`
            // tasks, whose child runs the reconciler starts.
            self.wake_reconciler();
            return;
        }
        match self.effects.wake_agents.iter_mut().find(|(w, a, _)| w == workspace && a == agent) {
            Some((_, _, n)) => *n = n.and(wake),
            None => self.effects.wake_agents.push((workspace.to_string(), agent.to_string(), wake)),
        }
    }

    /// Asks the reconciler to look again after the commit.
    pub fn wake_reconciler(&mut self) {
        self.effects.wake_reconciler = true;
    }

    /// Whether this is PostgreSQL (for row locks, which SQLite's single writer makes moot).
    pub fn is_postgres(&self) -> bool {
        matches!(self.conn, Conn::Pg(_))
    }

    /// Runs `f` in a savepoint of this transaction: when it fails, what it
    /// wrote is rolled back and what it queued here (events, wake-ups, run
    /// counters, remembered runs) is dropped, and the transaction goes on.
    /// Run locks it took are still counted as held (so later steps still never
    /// wait while holding one).
    pub fn savepoint<R>(&mut self, f: impl FnOnce(&mut Tx<'a>) -> Result<R>) -> Result<R> {
        use diesel::connection::{AnsiTransactionManager, TransactionManager};
        let (pending, wakes, reconcile) =
            (self.pending.len(), self.effects.wake_agents.clone(), self.effects.wake_reconciler);
        let (runs, counters) = (self.runs.clone(), self.counters.clone());
        with_conn!(&mut self.conn, c => AnsiTransactionManager::begin_transaction(c))?;
        match f(self) {
            Ok(r) => {
                with_conn!(&mut self.conn, c => AnsiTransactionManager::commit_transaction(c))?;
                Ok(r)
            }
            Err(e) => {
                with_conn!(&mut self.conn, c => AnsiTransactionManager::rollback_transaction(c))?;
                self.pending.truncate(pending);
                self.effects.wake_agents = wakes;
                self.effects.wake_reconciler = reconcile;
                self.runs = runs;
                self.counters = counters;
                Err(e)
            }
        }
    }

    fn finish(self, replica: u64) -> Result<Effects> {
        self.finish_keeping_runs(replica).map(|(effects, _)| effects)
    }

    /// [`Tx::finish`], also giving back the run rows it remembered, as they
    /// are once its counters are written, except `last_seq` and `updated_at`,
    /// which are as read: the claim that `write_then` runs after a completion
    /// reads neither.
    fn finish_keeping_runs(mut self, replica: u64) -> Result<(Effects, Vec<models::RunRow>)> {
        let counters = std::mem::take(&mut self.counters);
        let pending = std::mem::take(&mut self.pending);
        events::flush_events(&mut self.conn, self.now, pending, counters, &mut self.effects, replica)?;
        Ok((self.effects, self.runs))
    }

    /// Ends a step whose transaction goes on with another step (SQLite's
    /// writer, optimistic pass: the request's second step, or the group's
    /// next request): its events and counter changes are not written but
    /// handed over, with the runs it remembered, for the next step to write
    /// with its own, one `UPDATE` per run and one `INSERT` for the whole
    /// group. Its other effects (wake-ups) stay its own.
    fn hand_over(self) -> (Effects, HandedOver) {
        let handed = HandedOver { runs: self.runs, pending: self.pending, counters: self.counters };
        (self.effects, handed)
    }

    /// Takes over what the step before handed over (see [`Tx::hand_over`]).
    fn take_over(&mut self, handed: HandedOver) {
        self.runs = handed.runs;
        self.pending = handed.pending;
        self.counters = handed.counters;
    }

    /// Writes the running counts this transaction changed but has not written
    /// yet wherever the table would say otherwise than this transaction
    /// whether the run is full: a claim's candidate query reads `running`
    /// from the table. A count lowered (a completion, perhaps handed over by
    /// the step before: see [`Tx::hand_over`]) must not hide the slot it
    /// freed; a count raised (earlier claims of the same batch) must not offer
    /// tasks of a run that is full by now, which would crowd out other runs'.
    pub(crate) fn write_capacity_changes(&mut self) -> Result<()> {
        for i in 0..self.counters.len() {
            let c = &self.counters[i];
            if c.running == 0 {
                continue;
            }
            let misleads = match self.runs.iter().find(|r| r.id == c.run_id) {
                Some(r) => (r.running - c.running >= r.max_parallel) != (r.running >= r.max_parallel),
                None => true,
            };
            if misleads {
                let (run_id, running) = (c.run_id.clone(), c.running);
                runs::add_running(&mut self.conn, &run_id, running)?;
                self.counters[i].running = 0;
            }
        }
        Ok(())
    }
}

/// What a step hands to the next step of the same request: see [`Tx::hand_over`].
#[derive(Default)]
pub(crate) struct HandedOver {
    /// The run rows it remembered (with the counter changes below).
    pub runs: Vec<models::RunRow>,
    pending: Vec<(String, String, NewEvent)>,
    counters: Vec<RunCounters>,
}

/// A SQLite reader's settings, and its statements counted.
#[derive(Debug)]
struct SqliteReader(StatementCount);

impl CustomizeConnection<SqliteConnection, diesel::r2d2::Error> for SqliteReader {
    fn on_acquire(&self, conn: &mut SqliteConnection) -> std::result::Result<(), diesel::r2d2::Error> {
        conn.set_instrumentation(self.0.counting());
        conn.batch_execute("PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")
            .map_err(diesel::r2d2::Error::QueryError)
    }
}

/// A PostgreSQL pool connection's statements counted.
#[derive(Debug)]
struct PgCounted(StatementCount);

impl CustomizeConnection<PgConnection, diesel::r2d2::Error> for PgCounted {
    fn on_acquire(&self, conn: &mut PgConnection) -> std::result::Result<(), diesel::r2d2::Error> {
        conn.set_instrumentation(self.0.counting());
        Ok(())
    }
}

fn sqlite_connect(path: &str) -> Result<SqliteConnection> {
    let mut c = SqliteConnection::establish(path)
        .map_err(|e| Error::Unavailable(format!("cannot open SQLite database {path:?}: {e}")))?;
    c.batch_execute(
        // busy_timeout first: switching to WAL takes a lock that another process may hold.
        // temp_store: the writer nests a savepoint per request, and statement journals in
        // temporary files cost a file creation and deletion each.
        "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; \
         PRAGMA temp_store = MEMORY;",
    )?;
    Ok(c)
}

/// The URL with a `connect_timeout` unless it sets one: libpq waits for ever by default.
fn with_connect_timeout(url: &str, secs: u32) -> String {
    if url.contains("connect_timeout") {
        url.to_string()
    } else {
        format!("{url}{}connect_timeout={secs}", if url.contains('?') { '&' } else { '?' })
    }
}

impl Store {
    /// Opens the database, applies pending migrations, and starts the writer.
    pub fn open(url: &DatabaseUrl, hub: Arc<Hub>) -> Result<Store> {
        let statements = StatementCount::default();
        let backend = match url {
            DatabaseUrl::Sqlite(path) => {
                let mut writer_conn = sqlite_connect(path)?;
                writer_conn
                    .run_pending_migrations(SQLITE_MIGRATIONS)
                    .map_err(|e| Error::Internal(format!("migrating the SQLite database: {e}")))?;
                // No `SELECT 1` before each read (r2d2's default check): a SQLite file
                // does not drop a connection, and a read per check-out doubled small reads.
                let readers = Pool::builder()
                    .max_size(4)
                    .min_idle(Some(1))
                    .test_on_check_out(false)
                    .connection_timeout(Duration::from_secs(10))
                    .connection_customizer(Box::new(SqliteReader(statements.clone())))
                    .build(ConnectionManager::<SqliteConnection>::new(path.as_str()))
                    .map_err(|e| Error::Unavailable(format!("cannot open SQLite database {path:?}: {e}")))?;
                // Checkpoints move out of the writer's commits (where one takes milliseconds
                // of copying and syncing) into a thread of their own. That thread's PASSIVE
                // checkpoints cannot finish while the writer keeps committing, and the WAL
                // only starts over after one that finished: so the writer still checkpoints
                // itself past 10,000 pages (~40 MB), by then mostly copied already, and the
                // file is cut back to 64 MiB when it starts over.
                writer_conn
                    .batch_execute("PRAGMA wal_autocheckpoint = 10000; PRAGMA journal_size_limit = 67108864;")?;
                writer_conn.set_instrumentation(statements.counting());
                let mut checkpointer = sqlite_connect(path)?;
                checkpointer.set_instrumentation(statements.counting());
                let (tx, rx) = std_mpsc::channel::<Box<dyn writer::Job>>();
                std::thread::Builder::new()
                    .name("sqlite-writer".into())
                    .spawn(move || writer::run_writer(writer_conn, rx))
                    .map_err(|e| Error::Internal(format!("starting the SQLite writer: {e}")))?;
                let alive = Arc::new(());
                let weak = Arc::downgrade(&alive);
                std::thread::Builder::new()
                    .name("sqlite-checkpoint".into())
                    .spawn(move || sqlite_checkpointer(checkpointer, weak))
                    .map_err(|e| Error::Internal(format!("starting the SQLite checkpointer: {e}")))?;
                Backend::Sqlite { writer: tx, readers, _alive: alive }
            }
            DatabaseUrl::Postgres(u) => {
                // One connection first, so that a server that cannot be reached is one
                // clear error (r2d2 would log each of its own attempts, then time out).
                let u = &with_connect_timeout(u, 10);
                PgConnection::establish(u).map_err(|e| {
                    let why = e.to_string();
                    let why = why.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ");
                    Error::Unavailable(format!("cannot connect to PostgreSQL at {}: {why}", url.describe()))
                })?;
                // No `SELECT 1` before each use: it was a round trip per transaction, and
                // a dead connection shows on its first statement anyway (r2d2 then drops it).
                let pool = Pool::builder()
                    .max_size(16)
                    .min_idle(Some(2))
                    .test_on_check_out(false)
                    .connection_timeout(Duration::from_secs(10))
                    .connection_customizer(Box::new(PgCounted(statements.clone())))
                    .build(ConnectionManager::<PgConnection>::new(u.as_str()))
                    .map_err(|e| Error::Unavailable(format!("cannot connect to PostgreSQL: {e}")))?;
                let mut c = pool.get()?;
                // Replicas starting together must not migrate together.
                c.batch_execute("SELECT pg_advisory_lock(727272)")?;
                let migrated = c.run_pending_migrations(PG_MIGRATIONS).map(|_| ());
                c.batch_execute("SELECT pg_advisory_unlock(727272)")?;
                migrated.map_err(|e| Error::Internal(format!("migrating the PostgreSQL database: {e}")))?;
                Backend::Postgres { pool }
            }
        };
        // What opening and migrating took is not the service's work.
        statements.reset();
        Ok(Store {
            backend: Arc::new(backend),
            hub,
            replica: fastrand::u64(..),
            max_output_bytes: DEFAULT_MAX_OUTPUT,
            statements,
        })
    }

    /// Statements run on this store's connections since it opened (the
    /// listener's LISTEN excepted): what `orchestrator bench` divides by tasks.
    pub fn statements(&self) -> &StatementCount {
        &self.statements
    }

    /// Sets the largest output a task may store (default 2 MiB); a task whose
    /// inputs, or whose aggregated output, would be larger fails instead.
    pub fn with_max_output_bytes(mut self, n: usize) -> Store {
        self.max_output_bytes = n;
        self
    }

    /// Applies pending migrations and returns (without starting anything else).
    pub fn migrate(url: &DatabaseUrl) -> Result<()> {
        Store::open(url, Hub::new()).map(|_| ())
    }

    /// The hub this store publishes to.
    pub fn hub(&self) -> &Arc<Hub> {
        &self.hub
    }

    /// Whether the backend is PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        matches!(*self.backend, Backend::Postgres { .. })
    }

    /// Runs `f` in one transaction; its events are numbered inside it and
    /// published after the commit. On PostgreSQL a transaction that lost a race
    /// ([`Error::Contention`]: a deadlock, a serialization failure, a run lock
    /// it must not wait for) is run again, up to [`CONTENTION_TRIES`] times with
    /// jittered backoff, before the error reaches the caller; hence `Clone`.
    pub async fn write<R, F>(&self, f: F) -> Result<R>
    where
        R: Send + 'static,
        F: FnOnce(&mut Tx<'_>) -> Result<R> + Clone + Send + 'static,
    {
        let hub = self.hub.clone();
        let (replica, max_out) = (self.replica, self.max_output_bytes);
        match &*self.backend {
            Backend::Sqlite { writer, .. } => {
                let (done, done_rx) = oneshot::channel::<Result<R>>();
                let cx = writer::JobContext { hub, replica, max_output_bytes: max_out };
                let job = Box::new(writer::Write { cx, f, done, outcome: None });
                writer.send(job).map_err(|_| Error::Unavailable("the SQLite writer has stopped".into()))?;
                done_rx.await.map_err(|_| Error::Unavailable("the SQLite writer has stopped".into()))?
            }
            Backend::Postgres { pool } => {
                let mut tries = 0;
                loop {
                    tries += 1;
                    let pool = pool.clone();
                    let f = f.clone();
                    let outcome = tokio::task::spawn_blocking(move || {
                        let mut c = pool.get()?;
                        c.transaction::<_, Error, _>(|c| {
                            let mut tx = Tx::new(Conn::Pg(c), max_out);
                            let r = f(&mut tx)?;
                            Ok((r, tx.finish(replica)?))
                        })
                    })
                    .await
                    .map_err(|e| Error::Internal(format!("store task: {e}")))?;
                    match outcome {
                        Ok((r, effects)) => {
                            publish(&hub, effects);
                            return Ok(r);
                        }
                        Err(Error::Contention(why)) if tries < CONTENTION_TRIES => {
                            tracing::debug!(error = %why, tries, "transaction lost a race; running it again");
                            tokio::time::sleep(contention_backoff(tries)).await;
                        }
                        Err(e) => return Err(e),
                    }
                }
            }
        }
    }

    /// Runs `first`, then, if it succeeded, `then` with its result, each in a
    /// transaction of its own (so a failing `then` never undoes `first`). On
    /// SQLite both go to the writer as one request of its group (see
    /// [`writer`]), with no round trip to the caller between them. `then`'s
    /// outcome is None when `first` failed.
    pub async fn write_then<R1, R2, F1, F2>(&self, first: F1, then: F2) -> Result<(R1, Option<Result<R2>>)>
    where
        R1: Clone + Send + 'static,
        R2: Send + 'static,
        F1: FnOnce(&mut Tx<'_>) -> Result<R1> + Clone + Send + 'static,
        F2: FnOnce(&R1, &mut Tx<'_>) -> Result<R2> + Clone + Send + 'static,
    {
        let Backend::Sqlite { writer, .. } = &*self.backend else {
            let r1 = self.write(first).await?;
            let given = r1.clone();
            let r2 = self.write(move |tx| then(&given, tx)).await;
            return Ok((r1, Some(r2)));
        };
        let cx = writer::JobContext {
            hub: self.hub.clone(),
            replica: self.replica,
            max_output_bytes: self.max_output_bytes,
        };
        let (done, done_rx) = oneshot::channel::<Result<(R1, Option<Result<R2>>)>>();
        let job = Box::new(writer::WriteThen { cx, first, then, done, outcome: None });
        writer.send(job).map_err(|_| Error::Unavailable("the SQLite writer has stopped".into()))?;
        done_rx.await.map_err(|_| Error::Unavailable("the SQLite writer has stopped".into()))?
    }

    /// Runs `f` on a reader connection (no transaction).
    pub async fn read<R, F>(&self, f: F) -> Result<R>
    where
        R: Send + 'static,
        F: FnOnce(&mut Conn<'_>) -> Result<R> + Send + 'static,
    {
        let backend = self.backend.clone();
        tokio::task::spawn_blocking(move || match &*backend {
            Backend::Sqlite { readers, .. } => {
                let mut c = readers.get()?;
                f(&mut Conn::Sqlite(&mut c))
            }
            Backend::Postgres { pool } => {
                let mut c = pool.get()?;
                f(&mut Conn::Pg(&mut c))
            }
        })
        .await
        .map_err(|e| Error::Internal(format!("store task: {e}")))?
    }

    /// On PostgreSQL, forwards other replicas' wake-ups (LISTEN) into the hub
    /// until the returned listener is stopped. None on SQLite, where one
    /// process owns the database.
    pub fn start_listener(&self, url: &DatabaseUrl) -> Result<Option<Listener>> {
        let DatabaseUrl::Postgres(u) = url else { return Ok(None) };
        // A connection attempt that hangs must not hold a stop (libpq waits for ever by default).
        let u = with_connect_timeout(u, 5);
        let hub = self.hub.clone();
        let me = self.replica.to_string();
        let stop = Arc::new(AtomicBool::new(false));
        let seen = stop.clone();
        let thread = std::thread::Builder::new()
            .name("pg-listener".into())
            .spawn(move || pg_listener(u, hub, me, seen))
            .map_err(|e| Error::Internal(format!("starting the LISTEN thread: {e}")))?;
        Ok(Some(Listener { stop, thread: Some(thread) }))
    }
}

/// The thread that LISTENs for other replicas' wake-ups; it closes its
/// connection and ends when stopped (or dropped).
pub struct Listener {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Listener {
    /// Tells the thread to stop and waits for it (a few milliseconds).
    pub fn stop(mut self) {
        self.stop.store(true, AtomicOrdering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.stop.store(true, AtomicOrdering::Relaxed);
    }
}

/// How many times a PostgreSQL transaction that lost a race is tried in all.
pub const CONTENTION_TRIES: u32 = 6;

/// The wait before try `tries + 1`: exponential from 2 ms with full jitter,
/// so that the transactions that collided do not collide again in step.
fn contention_backoff(tries: u32) -> Duration {
    let cap_ms = 2u64 << tries.min(8);
    Duration::from_micros(fastrand::u64(500..=cap_ms * 1000))
}

fn publish(hub: &Hub, effects: Effects) {
    for (ws, agent, wake) in &effects.wake_agents {
        hub.wake_agent(ws, agent, *wake);
    }
    if effects.wake_reconciler {
        hub.reconcile.notify_one();
    }
    hub.publish(effects.events);
}

/// How often the checkpointer copies the write-ahead log into the database.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(500);

/// Copies committed pages from the WAL into the database file, beside the
/// writer rather than inside one of its commits. PASSIVE never waits for the
/// writer or readers. It stops once the store is dropped.
fn sqlite_checkpointer(mut conn: SqliteConnection, store: std::sync::Weak<()>) {
    loop {
        std::thread::sleep(CHECKPOINT_EVERY);
        if store.strong_count() == 0 {
            return;
        }
        if let Err(e) = conn.batch_execute("PRAGMA wal_checkpoint(PASSIVE);") {
            tracing::warn!(error = %e, "SQLite checkpoint failed; retrying");
        }
    }
}

/// Payload format of NOTIFY: "agent\t<workspace>\t<agent>\t<wake>\t<replica>", "run\t<run_id>\t<replica>" or "reconcile".
pub(crate) const PG_CHANNEL: &str = "orchestrator_wake";

fn pg_listener(url: String, hub: Arc<Hub>, me: String, stop: Arc<AtomicBool>) {
    let stopped = || stop.load(AtomicOrdering::Relaxed);
    while !stopped() {
        match PgConnection::establish(&url) {
            Ok(mut c) => {
                if c.batch_execute(&format!("LISTEN {PG_CHANNEL}")).is_err() {
                    std::thread::sleep(Duration::from_secs(1));
                    continue;
                }
                // Both replicas may miss a wake-up while reconnecting: tell everyone to look.
                hub.wake_all_agents();
                'conn: while !stopped() {
                    let mut any = false;
                    for n in c.notifications_iter() {
                        match n {
                            Ok(n) => {
                                any = true;
                                let mut parts = n.payload.split('\t');
                                match (parts.next(), parts.next(), parts.next()) {
                                    (Some("agent"), Some(ws), Some(agent)) => {
                                        let wake = parts.next().map(Wake::parse).unwrap_or(Wake::All);
                                        // Our own commits woke our pollers in-process already.
                                        if parts.next() != Some(me.as_str()) {
                                            hub.wake_agent(ws, agent, wake)
                                        }
                                    }
                                    (Some("reconcile"), _, _) => hub.reconcile.notify_one(),
                                    // Our own commits reached our watchers in-process already.
                                    (Some("run"), Some(run_id), from) if from != Some(me.as_str()) => {
                                        hub.poke_run(run_id)
                                    }
                                    _ => {}
                                }
                            }
                            Err(_) => break 'conn,
                        }
                    }
                    if !any {
                        // PQconsumeInput is a non-blocking socket read, not a query.
                        std::thread::sleep(Duration::from_millis(5));
                    }
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "LISTEN connection failed; retrying");
                // Waits in small steps, so that a stop is seen at once.
                for _ in 0..20 {
                    if stopped() {
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A failed savepoint leaves no row, no event, no wake-up and no counter
    /// change behind, and the transaction goes on and commits the rest.
    #[tokio::test]
    async fn a_failed_savepoint_undoes_its_writes_and_what_it_queued() {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = DatabaseUrl::Sqlite(dir.path().join("s.db").display().to_string());
        let store = Store::open(&url, Hub::new()).expect("store");
        store
            .write(|tx| {
                keys::create_workspace(tx, "kept")?;
                tx.add_run_counters("run_a", 1, 0);
                let before = (tx.pending.len(), tx.counters.clone(), tx.effects.wake_agents.len());
                let failed: Result<()> = tx.savepoint(|tx| {
                    keys::create_workspace(tx, "undone")?;
                    tx.event("run_a", "kept", NewEvent::new(crate::domain::EventKind::RunCreated, "undone"));
                    tx.add_run_counters("run_a", 5, 5);
                    tx.wake_agent("kept", "w");
                    Err(Error::FailedPrecondition("refused".into()))
                });
                assert!(matches!(failed, Err(Error::FailedPrecondition(_))), "{failed:?}");
                assert_eq!((tx.pending.len(), tx.counters.clone(), tx.effects.wake_agents.len()), before);
                let kept: Result<()> = tx.savepoint(|tx| keys::create_workspace(tx, "also kept"));
                kept?;
                tx.counters.clear();
                Ok(())
            })
            .await
            .expect("the transaction commits");
        let names = store.read(|c| keys::list_workspaces(c, None)).await.expect("workspaces");
        let names: Vec<&str> = names.iter().map(|(name, _)| name.as_str()).collect();
        assert!(names.contains(&"kept") && names.contains(&"also kept"), "{names:?}");
        assert!(!names.contains(&"undone"), "{names:?}");
    }

    #[test]
    fn a_database_is_described_without_its_password() {
        let d = |u: &str| DatabaseUrl::parse(u).expect("url").describe();
        assert_eq!(d("sqlite:///var/lib/o.db"), "/var/lib/o.db");
        assert_eq!(
            d("postgres://app:s3cr@t/x@db.internal:5432/orch?sslmode=require"),
            "postgres://app@db.internal:5432/orch"
        );
        assert_eq!(d("postgresql://db:5432/orch"), "postgresql://db:5432/orch");
        assert!(!d("postgres://u:pa:ss@h/db").contains("pa"));
    }
}
