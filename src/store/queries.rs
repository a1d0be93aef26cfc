//! Every query of the service, each written once for both backends.
//!
//! The state machine of runs and tasks lives here as transactional
//! operations; the decisions they take (backoff, usage arithmetic, sinks)
//! come from `domain`.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

use diesel::prelude::*;
use serde_json::{json, Value};

use super::models::*;
use super::schema::*;
use super::spans::*;
use super::sql::{CachedExt, LimitN};
use super::{with_conn, Conn, Effects, Tx};
use crate::domain::{
    self, AggregateMode, AttemptStatus, EventKind, Micros, NewEvent, RetriesExhausted, RetryPolicy, RunSpec, RunStatus,
    TaskKind, TaskSpec, TaskStatus, Usage,
};
use crate::error::{Error, Result};

/// `tasks.status = '<status>'` with the status written into the SQL: the task
/// indexes are partial (one status each), and a planner can only use one when
/// the query names its status as a literal, not as a bound parameter.
fn task_is(status: TaskStatus) -> diesel::expression::SqlLiteral<diesel::sql_types::Bool> {
    // A fixed enum name, never input.
    diesel::dsl::sql(&format!("tasks.status = '{}'", status.as_str()))
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

fn not_found_run(run_id: &str) -> Error {
    Error::NotFound(format!("run {:?} not found", domain::plan::truncate(run_id, 80)))
}

fn not_found_task(run_id: &str, task_id: &str) -> Error {
    Error::NotFound(format!(
        "task {:?} of run {:?} not found",
        domain::plan::truncate(task_id, 80),
        domain::plan::truncate(run_id, 80)
    ))
}

/// Parses a stored run status.
pub fn run_status(row: &RunRow) -> Result<RunStatus> {
    RunStatus::parse(&row.status).ok_or_else(|| Error::Internal(format!("bad stored run status {:?}", row.status)))
}

/// Parses a stored task status.
pub fn task_status(row: &TaskRow) -> Result<TaskStatus> {
    TaskStatus::parse(&row.status).ok_or_else(|| Error::Internal(format!("bad stored task status {:?}", row.status)))
}

/// Parses a stored task spec.
pub fn task_spec(row: &TaskRow) -> Result<TaskSpec> {
    Ok(serde_json::from_str(&row.spec_json)?)
}

/// Parses a stored run spec.
pub fn run_spec(row: &RunRow) -> Result<RunSpec> {
    Ok(serde_json::from_str(&row.spec_json)?)
}

fn parse_json(s: &Option<String>) -> Result<Option<Value>> {
    Ok(match s {
        Some(s) => Some(serde_json::from_str(s)?),
        None => None,
    })
}

// ---------------------------------------------------------------- events

/// Numbers and inserts the events a transaction appended, one sequence
/// update per run (which also writes the run's pending counter changes), and
/// records them for publication after the commit.
pub(super) fn flush_events(
    conn: &mut Conn<'_>,
    now: Micros,
    pending: Vec<(String, String, NewEvent)>,
    counters: Vec<super::RunCounters>,
    effects: &mut Effects,
    replica: u64,
) -> Result<()> {
    let counters_of = |run: &str| counters.iter().find(|c| c.run_id == run).cloned().unwrap_or_default();
    for c in counters.iter().filter(|c| !pending.iter().any(|(r, _, _)| *r == c.run_id)) {
        if c.running != 0 || c.open_tasks != 0 {
            with_conn!(conn, c_ => diesel::update(runs::table.find(&c.run_id))
                .set((runs::running.eq(runs::running + c.running), runs::open_tasks.eq(runs::open_tasks + c.open_tasks)))
                .cached().run(c_))?;
        }
    }
    let mut order: Vec<String> = Vec::new();
    let mut by_run: HashMap<String, Vec<(String, NewEvent)>> = HashMap::new();
    for (run, ws, ev) in pending {
        if !by_run.contains_key(&run) {
            order.push(run.clone());
        }
        by_run.entry(run).or_default().push((ws, ev));
    }
    let mut notes: Vec<String> = Vec::new();
    for run in order {
        let evs = by_run.remove(&run).unwrap_or_default();
        let n = evs.len() as i64;
        let counted = counters_of(&run);
        let last: i64 = with_conn!(conn, c => diesel::update(runs::table.find(&run))
            .set((
                runs::last_seq.eq(runs::last_seq + n),
                runs::updated_at.eq(now),
                runs::running.eq(runs::running + counted.running),
                runs::open_tasks.eq(runs::open_tasks + counted.open_tasks),
            ))
            .returning(runs::last_seq)
            .cached().get_result(c))?;
        // Stamped now, under the run's lock, rather than at the transaction's start:
        // the lock orders a run's transactions, so a later sequence number never gets
        // an earlier time (up to clock skew between replicas).
        let stamped = crate::domain::now_micros().max(now);
        let first = last - n + 1;
        let rows: Vec<Event> = evs
            .into_iter()
            .enumerate()
            .map(|(i, (ws, e))| Event {
                run_id: run.clone(),
                seq: first + i as i64,
                workspace_id: ws,
                kind: e.kind.as_str().to_string(),
                task_id: e.task_id,
                attempt: e.attempt,
                from_status: e.from_status,
                to_status: e.to_status,
                message: e.message,
                data_json: Value::Object(e.data).to_string(),
                created_at: stamped,
            })
            .collect();
        insert_events(conn, &rows)?;
        notes.push(format!("run\t{run}\t{replica}"));
        effects.events.extend(rows);
    }
    if let Conn::Pg(c) = conn {
        for (ws, agent, wake) in &effects.wake_agents {
            notes.push(format!("agent\t{ws}\t{agent}\t{wake}\t{replica}"));
        }
        if effects.wake_reconciler {
            notes.push("reconcile".into());
        }
        notify_pg(c, &notes)?;
    }
    Ok(())
}

/// Rows per events INSERT: one cached statement per row count up to this.
const EVENTS_PER_INSERT: usize = 32;

/// Inserts events, many rows per statement.
fn insert_events(conn: &mut Conn<'_>, rows: &[Event]) -> Result<()> {
    match conn {
        Conn::Sqlite(c) => {
            for chunk in rows.chunks(EVENTS_PER_INSERT) {
                insert_events_sqlite(c, chunk)?;
            }
            Ok(())
        }
        Conn::Pg(c) => insert_events_pg(c, rows),
    }
}

/// The multi-row INSERT written out, since diesel runs a multi-row insert on
/// SQLite as one statement per row. Its SQL depends only on the row count.
fn insert_events_sqlite(c: &mut diesel::SqliteConnection, rows: &[Event]) -> Result<()> {
    use diesel::sql_types::{BigInt, Integer, Nullable, Text};
    const ROW: &str = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    let mut sql = String::from(
        "INSERT INTO events (run_id, seq, workspace_id, kind, task_id, attempt, from_status, to_status, message, \
         data_json, created_at) VALUES ",
    );
    sql.push_str(&vec![ROW; rows.len()].join(", "));
    let mut q = diesel::sql_query(sql).into_boxed::<diesel::sqlite::Sqlite>();
    for e in rows {
        q = q
            .bind::<Text, _>(&e.run_id)
            .bind::<BigInt, _>(e.seq)
            .bind::<Text, _>(&e.workspace_id)
            .bind::<Text, _>(&e.kind)
            .bind::<Nullable<Text>, _>(&e.task_id)
            .bind::<Nullable<Integer>, _>(e.attempt)
            .bind::<Nullable<Text>, _>(&e.from_status)
            .bind::<Nullable<Text>, _>(&e.to_status)
            .bind::<Text, _>(&e.message)
            .bind::<Text, _>(&e.data_json)
            .bind::<BigInt, _>(e.created_at);
    }
    q.cached().run(c)?;
    Ok(())
}

/// Written as `column = value` tuples rather than the `Event` struct, so that
/// a `None` is a bound NULL and not `DEFAULT`: the SQL then depends only on
/// the number of rows.
fn insert_events_pg(c: &mut diesel::PgConnection, rows: &[Event]) -> Result<()> {
    let values: Vec<_> = rows
        .iter()
        .map(|e| {
            (
                events::run_id.eq(&e.run_id),
                events::seq.eq(e.seq),
                events::workspace_id.eq(&e.workspace_id),
                events::kind.eq(&e.kind),
                events::task_id.eq(e.task_id.as_deref()),
                events::attempt.eq(e.attempt),
                events::from_status.eq(e.from_status.as_deref()),
                events::to_status.eq(e.to_status.as_deref()),
                events::message.eq(&e.message),
                events::data_json.eq(&e.data_json),
                events::created_at.eq(e.created_at),
            )
        })
        .collect();
    for chunk in values.chunks(EVENTS_PER_INSERT) {
        diesel::insert_into(events::table).values(chunk).cached().run(c)?;
    }
    Ok(())
}

/// Sends the transaction's notifications (delivered at its commit), several
/// per statement: each statement is a round trip made while the run is locked.
fn notify_pg(c: &mut diesel::PgConnection, payloads: &[String]) -> Result<()> {
    use diesel::sql_types::Text;
    for chunk in payloads.chunks(16) {
        let calls: Vec<String> = (0..chunk.len()).map(|i| format!("pg_notify($1, ${})", i + 2)).collect();
        let mut q = diesel::sql_query(format!("SELECT {}", calls.join(", ")))
            .into_boxed::<diesel::pg::Pg>()
            .bind::<Text, _>(super::PG_CHANNEL);
        for p in chunk {
            q = q.bind::<Text, _>(p);
        }
        q.cached().run(c)?;
    }
    Ok(())
}

/// A page of a run's events after `after_seq`.
pub fn list_events(conn: &mut Conn<'_>, ws: &str, run_id: &str, after_seq: i64, limit: i64) -> Result<Vec<Event>> {
    Ok(with_conn!(conn, c => events::table
        .filter(events::run_id.eq(run_id))
        .filter(events::workspace_id.eq(ws))
        .filter(events::seq.gt(after_seq))
        .order(events::seq.asc())
        .limit(limit)
        .select(Event::as_select())
        .load(c))?)
}

// ---------------------------------------------------------------- runs

/// A run to insert, with its tasks, edges, labels and idempotency key.
pub struct NewRun {
    /// The run row.
    pub run: RunRow,
    /// Its plan (the tasks' specs as JSON), when the client sent one.
    pub plan_json: Option<String>,
    /// Its tasks (PENDING).
    pub tasks: Vec<TaskRow>,
    /// Its dependency edges.
    pub deps: Vec<DepRow>,
    /// Its labels.
    pub labels: Vec<LabelRow>,
    /// (request id, body hash) when the caller sent a request id.
    pub idempotency: Option<(String, String)>,
    /// Who asked for it (a key id, or "local").
    pub created_by: String,
}

/// Reads a run of a workspace.
pub fn get_run(conn: &mut Conn<'_>, ws: &str, run_id: &str) -> Result<RunRow> {
    with_conn!(conn, c => runs::table
        .filter(runs::id.eq(run_id))
        .filter(runs::workspace_id.eq(ws))
        .select(RunRow::as_select())
        .get_result(c)
        .optional())?
    .ok_or_else(|| not_found_run(run_id))
}

/// Reads a run and, on PostgreSQL, locks its row for the rest of the
/// transaction: every transaction that changes a run's tasks takes this lock
/// first, so lock order is always run → task.
///
/// A transaction never waits for a run's lock while it holds another's: two
/// transactions doing that in opposite orders deadlock. So a second run is
/// locked without waiting (`NOWAIT`), and a held lock is a transient
/// [`Error::Contention`] (the store retries the transaction). Loops over
/// several runs use [`lock_run_unless_busy`] instead, which passes over them.
pub fn lock_run(tx: &mut Tx<'_>, run_id: &str) -> Result<RunRow> {
    if let Some(r) = tx.locked_run(run_id) {
        return Ok(r.clone());
    }
    let must_not_wait = tx.holds_other_run(run_id);
    let row = match &mut tx.conn {
        Conn::Pg(c) if must_not_wait => runs::table
            .find(run_id)
            .select(RunRow::as_select())
            .for_update()
            .no_wait()
            .get_result(&mut **c)
            .optional()?,
        Conn::Pg(c) => {
            runs::table.find(run_id).select(RunRow::as_select()).for_update().get_result(&mut **c).optional()?
        }
        Conn::Sqlite(c) => runs::table.find(run_id).select(RunRow::as_select()).get_result(&mut **c).optional()?,
    };
    let row = row.ok_or_else(|| not_found_run(run_id))?;
    tx.hold(run_id);
    tx.remember_run(&row);
    Ok(row)
}

/// Locks a run for a transaction that goes over several: the first one it
/// waits for, every later one only if it is free (None when another transaction
/// holds it, or it is gone), so that the loop never waits while holding a lock.
pub fn lock_run_unless_busy(tx: &mut Tx<'_>, run_id: &str) -> Result<Option<RunRow>> {
    if tx.holds_other_run(run_id) {
        return try_lock_run(tx, run_id);
    }
    match lock_run(tx, run_id) {
        Ok(r) => Ok(Some(r)),
        Err(Error::NotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The plans (as JSON) of runs that have one, by run id.
pub fn plans_of(conn: &mut Conn<'_>, run_ids: &[String]) -> Result<HashMap<String, String>> {
    let rows: Vec<(String, Option<String>)> = with_conn!(conn, c => runs::table
        .filter(runs::id.eq_any(run_ids))
        .select((runs::id, runs::plan_json))
        .load(c))?;
    Ok(rows.into_iter().filter_map(|(id, p)| Some((id, p?))).collect())
}

/// [`lock_run`], but on PostgreSQL gives None at once when another transaction
/// holds the run (or it is gone). Never waits.
fn try_lock_run(tx: &mut Tx<'_>, run_id: &str) -> Result<Option<RunRow>> {
    if let Some(r) = tx.locked_run(run_id) {
        return Ok(Some(r.clone()));
    }
    match &mut tx.conn {
        Conn::Pg(c) => {
            let row = runs::table
                .find(run_id)
                .select(RunRow::as_select())
                .for_update()
                .skip_locked()
                .get_result(&mut **c)
                .optional()?;
            if let Some(r) = &row {
                tx.hold(run_id);
                tx.remember_run(r);
            }
            Ok(row)
        }
        Conn::Sqlite(_) => match lock_run(tx, run_id) {
            Ok(r) => Ok(Some(r)),
            Err(Error::NotFound(_)) => Ok(None),
            Err(e) => Err(e),
        },
    }
}

/// Counts a run's tasks by status.
pub fn task_counts(conn: &mut Conn<'_>, run_id: &str) -> Result<Vec<(String, i64)>> {
    Ok(with_conn!(conn, c => tasks::table
        .filter(tasks::run_id.eq(run_id))
        .group_by(tasks::status)
        .select((tasks::status, diesel::dsl::count_star()))
        .load::<(String, i64)>(c))?)
}

/// The labels of some runs.
pub fn labels_of(conn: &mut Conn<'_>, run_ids: &[String]) -> Result<HashMap<String, BTreeMap<String, String>>> {
    let rows: Vec<LabelRow> = with_conn!(conn, c => run_labels::table
        .filter(run_labels::run_id.eq_any(run_ids))
        .select(LabelRow::as_select())
        .load(c))?;
    let mut out: HashMap<String, BTreeMap<String, String>> = HashMap::new();
    for r in rows {
        out.entry(r.run_id).or_default().insert(r.key, r.value);
    }
    Ok(out)
}

/// About how many bytes of a run a listing carries (its largest columns),
/// computed by the database so that no row is loaded to be left out.
const RUN_SIZE_SQL: &str = "CAST(LENGTH(goal) + LENGTH(spec_json) + COALESCE(LENGTH(output_json), 0) \
     + COALESCE(LENGTH(verdict_json), 0) + COALESCE(LENGTH(failure_reason), 0) + 256 AS BIGINT)";
const RUN_SIZE_WITH_PLAN_SQL: &str = "CAST(LENGTH(goal) + LENGTH(spec_json) + COALESCE(LENGTH(output_json), 0) \
     + COALESCE(LENGTH(verdict_json), 0) + COALESCE(LENGTH(failure_reason), 0) + COALESCE(LENGTH(plan_json), 0) \
     + 256 AS BIGINT)";

/// A page of a workspace's runs, newest first: at most `limit`, and fewer when
/// their sizes (with plans or without) pass `budget` bytes, always at least
/// one. Some(true) in the answer's second place: the page was cut by size.
#[allow(clippy::too_many_arguments)]
pub fn list_runs(
    conn: &mut Conn<'_>,
    ws: &str,
    statuses: &[RunStatus],
    labels: &BTreeMap<String, String>,
    limit: i64,
    cursor: Option<(i64, String)>,
    budget: usize,
    with_plans: bool,
) -> Result<(Vec<RunRow>, bool)> {
    let size_sql = if with_plans { RUN_SIZE_WITH_PLAN_SQL } else { RUN_SIZE_SQL };
    with_conn!(conn, c => {
        let mut q = runs::table.filter(runs::workspace_id.eq(ws)).into_boxed();
        if !statuses.is_empty() {
            q = q.filter(runs::status.eq_any(statuses.iter().map(|s| s.as_str()).collect::<Vec<_>>()));
        }
        for (k, v) in labels {
            let with_label = run_labels::table
                .filter(run_labels::workspace_id.eq(ws))
                .filter(run_labels::key.eq(k.clone()))
                .filter(run_labels::value.eq(v.clone()))
                .select(run_labels::run_id);
            q = q.filter(runs::id.eq_any(with_label));
        }
        if let Some((t, id)) = &cursor {
            q = q.filter(runs::created_at.lt(*t).or(runs::created_at.eq(*t).and(runs::id.lt(id.clone()))));
        }
        // Sizes first, rows second: a page of large runs is cut before it is read.
        let sizes: Vec<(String, i64)> = q
            .order((runs::created_at.desc(), runs::id.desc()))
            .limit(limit)
            .select((runs::id, diesel::dsl::sql::<diesel::sql_types::BigInt>(size_sql)))
            .load(c)?;
        let (mut total, mut keep) = (0usize, Vec::with_capacity(sizes.len()));
        for (id, n) in &sizes {
            total = total.saturating_add(usize::try_from(*n).unwrap_or(0));
            if total > budget && !keep.is_empty() {
                break;
            }
            keep.push(id.clone());
        }
        let cut = keep.len() < sizes.len();
        let mut rows = Vec::with_capacity(keep.len());
        for chunk in keep.chunks(100) {
            rows.extend(runs::table
                .filter(runs::id.eq_any(chunk))
                .select(RunRow::as_select())
                .load::<RunRow>(c)?);
        }
        rows.sort_by(|a, b| (b.created_at, &b.id).cmp(&(a.created_at, &a.id)));
        Ok((rows, cut))
    })
}

/// Looks up an idempotency key: Some((body hash, run id)).
pub fn find_idempotency(conn: &mut Conn<'_>, ws: &str, request_id: &str) -> Result<Option<(String, String)>> {
    Ok(with_conn!(conn, c => idempotency_keys::table
        .filter(idempotency_keys::workspace_id.eq(ws))
        .filter(idempotency_keys::request_id.eq(request_id))
        .select((idempotency_keys::body_hash, idempotency_keys::run_id))
        .first::<(String, String)>(c)
        .optional())?)
}

/// Inserts a run with its tasks and starts it; with a request id that was
/// seen before, returns the earlier run instead (Ok((run, true))) or
/// ALREADY_EXISTS when the bodies differ.
pub fn create_run(tx: &mut Tx<'_>, new: &NewRun) -> Result<(RunRow, bool)> {
    let ws = new.run.workspace_id.clone();
    if let Some((rid, hash)) = &new.idempotency {
        if let Some((old_hash, run_id)) = find_idempotency(&mut tx.conn, &ws, rid)? {
            return if &old_hash == hash {
                Ok((get_run(&mut tx.conn, &ws, &run_id)?, true))
            } else {
                Err(Error::AlreadyExists(format!(
                    "request_id {rid:?} was already used for a different CreateRun request (run {run_id})"
                )))
            };
        }
    }
    let run_id = new.run.id.clone();
    with_conn!(&mut tx.conn, c => diesel::insert_into(runs::table)
        .values((&new.run, runs::plan_json.eq(&new.plan_json)))
        .cached()
        .run(c))?;
    if let Some((rid, hash)) = &new.idempotency {
        let row = IdempotencyRow {
            workspace_id: ws.clone(),
            request_id: rid.clone(),
            body_hash: hash.clone(),
            run_id: run_id.clone(),
            created_at: tx.now,
        };
        let inserted: Result<()> =
            with_conn!(&mut tx.conn, c => diesel::insert_into(idempotency_keys::table).values(&row).cached().run(c))
                .map_err(Error::from);
        match inserted {
            // A concurrent CreateRun with the same request id committed its key after our
            // look-up (PostgreSQL: the insert waited for it). Run the transaction again:
            // it then finds that key and answers as a deduplicated request would.
            Err(Error::AlreadyExists(_)) => {
                return Err(Error::Contention(format!("request_id {rid:?} taken by a concurrent CreateRun")))
            }
            r => r?,
        }
    }
    if !new.labels.is_empty() {
        with_conn!(&mut tx.conn, c => diesel::insert_into(run_labels::table).values(&new.labels).execute(c))?;
    }
    for chunk in new.tasks.chunks(200) {
        with_conn!(&mut tx.conn, c => diesel::insert_into(tasks::table).values(chunk).execute(c))?;
    }
    for chunk in new.deps.chunks(500) {
        with_conn!(&mut tx.conn, c => diesel::insert_into(task_deps::table).values(chunk).execute(c))?;
    }
    let run_row = lock_run(tx, &run_id)?;
    let goal = domain::plan::truncate(&run_row.goal, 256);
    open_span(
        tx,
        &run_row,
        &run_row.root_span_id,
        run_row.parent_span_id.as_deref(),
        "run",
        attrs(&[
            ("orchestrator.run.id", json!(run_id)),
            ("orchestrator.run.goal", json!(goal)),
            ("orchestrator.workspace", json!(ws)),
            ("orchestrator.run.max_parallel", json!(run_row.max_parallel)),
        ]),
    )?;
    open_span(
        tx,
        &run_row,
        &plan_span_id(&run_id),
        Some(&run_row.root_span_id),
        "plan",
        attrs(&[("orchestrator.plan.source", json!(if new.tasks.is_empty() { "planner" } else { "client" }))]),
    )?;
    if !new.tasks.is_empty() {
        close_span(
            tx,
            &run_row.trace_id,
            &plan_span_id(&run_id),
            "ok",
            "",
            attrs(&[("orchestrator.plan.tasks", json!(new.tasks.len()))]),
        )?;
    }
    tx.event(
        &run_id,
        &ws,
        NewEvent::new(EventKind::RunCreated, format!("run created with {}", plural(new.tasks.len(), "task")))
            .with("tasks", new.tasks.len())
            .with("trace_id", new.run.trace_id.clone())
            .with("by", new.created_by.clone()),
    );
    if new.tasks.is_empty() {
        let run = lock_run(tx, &run_id)?;
        set_run_status(tx, &run, RunStatus::Created, RunStatus::Planning, "planning", |_| {})?;
    } else {
        start_run(tx, &run_id)?;
    }
    Ok((get_run(&mut tx.conn, &ws, &run_id)?, false))
}

/// CREATED or PLANNING → EXECUTING: tasks without dependencies become ready.
pub fn start_run(tx: &mut Tx<'_>, run_id: &str) -> Result<()> {
    let run = lock_run(tx, run_id)?;
    let from = run_status(&run)?;
    set_run_status(tx, &run, from, RunStatus::Executing, "execution started", |_| {})?;
    let spec = run_spec(&run)?;
    let deadline = (spec.budget.max_duration_ms > 0).then(|| tx.now + spec.budget.max_duration_ms as i64 * 1000);
    with_conn!(&mut tx.conn, c => diesel::update(runs::table.find(run_id))
        .set((runs::started_at.eq(Some(tx.now)), runs::deadline_at.eq(deadline)))
        .cached().run(c))?;
    tx.forget_run(run_id);
    let roots: Vec<TaskRow> = with_conn!(&mut tx.conn, c => tasks::table
        .filter(tasks::run_id.eq(run_id))
        .filter(tasks::remaining_deps.eq(0))
        .filter(tasks::status.eq(TaskStatus::Pending.as_str()))
        .order(tasks::position.asc())
        .select(TaskRow::as_select())
        .load(c))?;
    let run = lock_run(tx, run_id)?;
    for t in roots {
        make_ready(tx, &run, t)?;
    }
    Ok(())
}

fn set_run_status(
    tx: &mut Tx<'_>,
    run: &RunRow,
    from: RunStatus,
    to: RunStatus,
    message: &str,
    extra: impl FnOnce(&mut NewEvent),
) -> Result<()> {
    if from == to {
        return Ok(());
    }
    let finished = if to.is_terminal() { Some(tx.now) } else { None };
    // Time spent PAUSED or FAILED is not the run's wall clock: going on after
    // one moves its deadline by the time it stood still.
    let stops = |s: RunStatus| matches!(s, RunStatus::Paused | RunStatus::Failed);
    let (stopped_at, gap) = match (stops(from), stops(to)) {
        (false, true) => (Some(tx.now), 0),
        (true, false) => (None, run.stopped_at.map(|t| (tx.now - t).max(0)).unwrap_or(0)),
        _ => (run.stopped_at, 0),
    };
    let r: RunRow = with_conn!(&mut tx.conn, c => diesel::update(runs::table.find(&run.id))
        .set((
            runs::status.eq(to.as_str()),
            runs::updated_at.eq(tx.now),
            runs::finished_at.eq(finished),
            runs::stopped_at.eq(stopped_at),
            runs::stopped_micros.eq(runs::stopped_micros + gap),
            runs::deadline_at.eq(runs::deadline_at + gap),
        ))
        .returning(RunRow::as_returning())
        .cached().get_result(c))?;
    tx.remember_run(&r);
    if to.is_terminal() {
        let (code, msg) = match to {
            RunStatus::Failed => ("error", message),
            _ => ("ok", ""),
        };
        let mut a = usage_attrs(r.prompt_tokens, r.completion_tokens, r.tool_calls, r.cost_micros);
        a.insert("orchestrator.run.status".into(), json!(to.as_str()));
        close_span(tx, &r.trace_id, &r.root_span_id, code, msg, a)?;
    } else if from.is_terminal() {
        open_span(tx, &r, &r.root_span_id.clone(), r.parent_span_id.clone().as_deref(), "run", Default::default())?;
    }
    let mut ev = NewEvent::run_status(from, to, message);
    extra(&mut ev);
    tx.event(&run.id, &run.workspace_id, ev);
    Ok(())
}

fn set_failure_reason(tx: &mut Tx<'_>, run_id: &str, reason: Option<&str>) -> Result<()> {
    with_conn!(&mut tx.conn, c => diesel::update(runs::table.find(run_id))
        .set(runs::failure_reason.eq(reason))
        .cached().run(c))?;
    tx.forget_run(run_id);
    Ok(())
}

// ---------------------------------------------------------------- tasks

/// A page of a run's tasks in plan order, after a position.
pub fn list_tasks(
    conn: &mut Conn<'_>,
    ws: &str,
    run_id: &str,
    statuses: &[TaskStatus],
    limit: i64,
    after_position: i32,
) -> Result<Vec<TaskRow>> {
    get_run(conn, ws, run_id)?;
    with_conn!(conn, c => {
        let mut q = tasks::table
            .filter(tasks::run_id.eq(run_id))
            .filter(tasks::position.gt(after_position))
            .into_boxed();
        if !statuses.is_empty() {
            q = q.filter(tasks::status.eq_any(statuses.iter().map(|s| s.as_str()).collect::<Vec<_>>()));
        }
        Ok(q.order(tasks::position.asc()).limit(limit).select(TaskRow::as_select()).load(c)?)
    })
}

/// Reads one task with its attempts.
pub fn get_task(conn: &mut Conn<'_>, ws: &str, run_id: &str, task_id: &str) -> Result<(TaskRow, Vec<AttemptRow>)> {
    let task: TaskRow = with_conn!(conn, c => tasks::table
        .filter(tasks::run_id.eq(run_id))
        .filter(tasks::task_id.eq(task_id))
        .filter(tasks::workspace_id.eq(ws))
        .select(TaskRow::as_select())
        .get_result(c)
        .optional())?
    .ok_or_else(|| not_found_task(run_id, task_id))?;
    let attempts: Vec<AttemptRow> = with_conn!(conn, c => attempts::table
        .filter(attempts::run_id.eq(run_id))
        .filter(attempts::task_id.eq(task_id))
        .order(attempts::number.asc())
        .select(AttemptRow::as_select())
        .load(c))?;
    Ok((task, attempts))
}

fn set_task_status(tx: &mut Tx<'_>, task: &TaskRow, from: TaskStatus, to: TaskStatus, message: &str) -> Result<()> {
    with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((&task.run_id, &task.task_id)))
        .set((tasks::status.eq(to.as_str()), tasks::updated_at.eq(tx.now)))
        .cached().run(c))?;
    task_status_changed(tx, task, from, to, message)
}

/// What follows a task's status change once its row says so: the run's open
/// count, the task's span, the event.
fn task_status_changed(tx: &mut Tx<'_>, task: &TaskRow, from: TaskStatus, to: TaskStatus, message: &str) -> Result<()> {
    if to.is_terminal() && !from.is_terminal() {
        let (trace_id, root_span_id) = match tx.locked_run(&task.run_id) {
            Some(r) => (r.trace_id.clone(), r.root_span_id.clone()),
            None => with_conn!(&mut tx.conn, c => runs::table
                .find(&task.run_id)
                .select((runs::trace_id, runs::root_span_id))
                .get_result::<(String, String)>(c))?,
        };
        tx.add_run_counters(&task.run_id, 0, -1);
        let span = task_span_id(&task.run_id, &task.task_id);
        let (code, msg) = if to == TaskStatus::Failed { ("error", message) } else { ("ok", "") };
        // A task that never became ready gets a span of no length, so that the tree shows it.
        finish_span_in(
            tx,
            SpanOwner { trace_id: &trace_id, run_id: &task.run_id, workspace_id: &task.workspace_id },
            FinishedSpan {
                span_id: &span,
                parent: Some(&root_span_id),
                name: "task",
                if_new: attrs(&[
                    ("orchestrator.task.id", json!(task.task_id)),
                    ("orchestrator.agent.name", json!(task.agent)),
                ]),
                status: code,
                message: msg,
                attributes: attrs(&[("orchestrator.task.status", json!(to.as_str()))]),
            },
        )?;
    }
    tx.event(&task.run_id, &task.workspace_id, NewEvent::task_status(&task.task_id, from, to, message));
    Ok(())
}

/// Whether a finished dependency lets its dependents go on.
fn releases_dependents(status: TaskStatus, optional: bool) -> bool {
    status == TaskStatus::Succeeded
        || (optional && matches!(status, TaskStatus::Failed | TaskStatus::Skipped | TaskStatus::Cancelled))
}

/// PENDING → READY (or WAITING_APPROVAL): its inputs are its dependencies'
/// outputs. Aggregations that need no agent are done on the spot.
fn make_ready(tx: &mut Tx<'_>, run: &RunRow, task: TaskRow) -> Result<()> {
    // A run that ended earlier in this transaction (a task failed at a limit on
    // its way to READY, failing the run) readies nothing more: the rows the
    // caller's loop holds were read before it ended, and are stale.
    if run_status(&lock_run(tx, &task.run_id)?)?.is_terminal() {
        return Ok(());
    }
    let spec = task_spec(&task)?;
    let deps: Vec<(String, Option<String>)> = if spec.depends_on.is_empty() {
        Vec::new()
    } else {
        with_conn!(&mut tx.conn, c => task_deps::table
            .inner_join(tasks::table.on(tasks::run_id.eq(task_deps::run_id).and(tasks::task_id.eq(task_deps::depends_on))))
            .filter(task_deps::run_id.eq(&task.run_id))
            .filter(task_deps::task_id.eq(&task.task_id))
            .select((tasks::task_id, tasks::output_json))
            .load(c))?
    };
    // Every stored output obeys the output limit, and so do a task's inputs (its
    // dependencies' outputs together): otherwise a plan of aggregates over
    // aggregates doubles its data at each level.
    let limit = tx.max_output_bytes;
    let inputs_bytes: usize = deps.iter().filter_map(|(_, o)| o.as_ref()).map(|o| o.len() + 8).sum();
    if inputs_bytes > limit {
        let why = format!(
            "its inputs (its dependencies' outputs together) are about {inputs_bytes} bytes, more than the limit of {limit} bytes"
        );
        return fail_unstarted(tx, run, &task, &why);
    }
    let mut inputs = serde_json::Map::new();
    let by_id: HashMap<String, Option<String>> = deps.into_iter().collect();
    for d in &spec.depends_on {
        if let Some(Some(out)) = by_id.get(d) {
            inputs.insert(d.clone(), serde_json::from_str(out)?);
        }
    }
    let inputs_json = Value::Object(inputs.clone()).to_string();
    let from = task_status(&task)?;
    if spec.kind == TaskKind::Aggregate && spec.aggregate != AggregateMode::LlmSummary {
        let output = aggregate(&spec, &inputs).to_string();
        if output.len() > limit {
            let why = format!("its aggregated output is {} bytes, more than the limit of {limit} bytes", output.len());
            return fail_unstarted(tx, run, &task, &why);
        }
        with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((&task.run_id, &task.task_id)))
            .set((tasks::inputs_json.eq(Some(&inputs_json)), tasks::output_json.eq(Some(output))))
            .cached().run(c))?;
        set_task_status(tx, &task, from, TaskStatus::Succeeded, "aggregated its dependencies' outputs")?;
        return task_finished(tx, &run.id, &task.task_id, TaskStatus::Succeeded);
    }
    open_span(
        tx,
        run,
        &task_span_id(&run.id, &task.task_id),
        Some(&run.root_span_id),
        "task",
        attrs(&[
            ("orchestrator.task.id", json!(task.task_id)),
            (
                "orchestrator.task.title",
                json!(domain::plan::truncate(if spec.title.is_empty() { &task.task_id } else { &spec.title }, 256)),
            ),
            ("orchestrator.agent.name", json!(task.agent)),
        ]),
    )?;
    let to = if spec.requires_approval { TaskStatus::WaitingApproval } else { TaskStatus::Ready };
    with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((&task.run_id, &task.task_id)))
        .set((
            tasks::inputs_json.eq(Some(&inputs_json)),
            tasks::ready_at.eq(Some(tx.now)),
            tasks::status.eq(to.as_str()),
            tasks::updated_at.eq(tx.now),
        ))
        .cached().run(c))?;
    let msg = if to == TaskStatus::Ready { "dependencies satisfied" } else { "waiting for approval" };
    task_status_changed(tx, &task, from, to, msg)?;
    if to == TaskStatus::Ready {
        tx.wake_agent(&task.workspace_id, &task.agent);
    }
    Ok(())
}

/// Fails a task that cannot start (its inputs break a limit), with the reason
/// as its error, and goes on as after any failure.
fn fail_unstarted(tx: &mut Tx<'_>, run: &RunRow, task: &TaskRow, why: &str) -> Result<()> {
    with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((&task.run_id, &task.task_id)))
        .set(tasks::error.eq(Some(why)))
        .cached().run(c))?;
    set_task_status(tx, task, task_status(task)?, TaskStatus::Failed, why)?;
    task_finished(tx, &run.id, &task.task_id, TaskStatus::Failed)
}

/// Merges dependency outputs for an aggregate task.
pub fn aggregate(spec: &TaskSpec, inputs: &serde_json::Map<String, Value>) -> Value {
    let ordered = spec.depends_on.iter().filter_map(|d| inputs.get(d).cloned());
    match spec.aggregate {
        AggregateMode::JsonMerge => {
            let mut merged = serde_json::Map::new();
            for v in ordered {
                match v {
                    Value::Object(m) => merged.extend(m),
                    other => {
                        merged.insert(format!("value{}", merged.len()), other);
                    }
                }
            }
            Value::Object(merged)
        }
        _ => Value::Array(ordered.collect()),
    }
}

/// After a task reached a terminal status: release or skip its dependents,
/// fail the run for a required failure, finish the run when nothing is open.
fn task_finished(tx: &mut Tx<'_>, run_id: &str, task_id: &str, status: TaskStatus) -> Result<()> {
    let run = lock_run(tx, run_id)?;
    let run_st = run_status(&run)?;
    if run_st.is_terminal() {
        return Ok(());
    }
    // Whether a task that did not succeed releases its dependents depends on the task.
    let task = match status {
        TaskStatus::Succeeded => None,
        _ => Some(load_task(tx, run_id, task_id)?),
    };
    if releases_dependents(status, task.as_ref().is_some_and(|t| t.optional)) {
        let dependents: Vec<String> = with_conn!(&mut tx.conn, c => task_deps::table
            .filter(task_deps::run_id.eq(run_id))
            .filter(task_deps::depends_on.eq(task_id))
            .select(task_deps::task_id)
            .load(c))?;
        if !dependents.is_empty() {
            let released: Vec<TaskRow> = with_conn!(&mut tx.conn, c => diesel::update(
                    tasks::table
                        .filter(tasks::run_id.eq(run_id))
                        .filter(tasks::task_id.eq_any(&dependents))
                        .filter(tasks::status.eq(TaskStatus::Pending.as_str())),
                )
                .set(tasks::remaining_deps.eq(tasks::remaining_deps - 1))
                .returning(TaskRow::as_returning())
                .get_results(c))?;
            let mut now_ready: Vec<TaskRow> = released.into_iter().filter(|t| t.remaining_deps == 0).collect();
            now_ready.sort_by_key(|t| t.position);
            for t in now_ready {
                make_ready(tx, &run, t)?;
            }
        }
    } else if status == TaskStatus::Failed {
        let error = task.and_then(|t| t.error).unwrap_or_default();
        let reason = format!("task {task_id:?} failed: {error}");
        return fail_run(tx, run_id, &reason, Some(task_id));
    }
    // A paused run stays paused with its work done; ResumeRun finishes it.
    let run = lock_run(tx, run_id)?;
    if run.open_tasks <= 0 && run_status(&run)? == RunStatus::Executing {
        finish_run(tx, &run)?;
    }
    Ok(())
}

/// Every task is terminal: the run's output is its sinks' output.
fn finish_run(tx: &mut Tx<'_>, run: &RunRow) -> Result<()> {
    let all: Vec<TaskRow> = with_conn!(&mut tx.conn, c => tasks::table
        .filter(tasks::run_id.eq(&run.id))
        .order(tasks::position.asc())
        .select(TaskRow::as_select())
        .load(c))?;
    let mut specs = Vec::with_capacity(all.len());
    for t in &all {
        specs.push(task_spec(t)?);
    }
    if let Some(failed) = all.iter().find(|t| t.status == TaskStatus::Failed.as_str() && !t.optional) {
        let reason = format!("task {:?} failed: {}", failed.task_id, failed.error.clone().unwrap_or_default());
        return fail_run(tx, &run.id, &reason, None);
    }
    let sinks = domain::plan::sinks(&specs);
    let outputs: HashMap<&str, &TaskRow> = all.iter().map(|t| (t.task_id.as_str(), t)).collect();
    // The run's output obeys the output limit like every stored output: many
    // final tasks' outputs together could not be read back otherwise.
    let sink_bytes = sinks.iter().filter_map(|s| outputs.get(s).and_then(|t| t.output_json.as_ref())).map(String::len);
    // One final task: the run's output is its output itself. Several: an object
    // of them, each under its id (quotes, colon and comma).
    let total: usize = if sinks.len() == 1 {
        sink_bytes.sum()
    } else {
        2 + sinks.iter().map(|s| s.len() + 4).sum::<usize>() + sink_bytes.sum::<usize>()
    };
    if total > tx.max_output_bytes {
        let reason = format!(
            "the run's output (the outputs of its {} final tasks together) is {total} bytes, more than the limit of {} bytes; aggregate them into one task",
            sinks.len(),
            tx.max_output_bytes
        );
        return fail_run(tx, &run.id, &reason, None);
    }
    let mut sink_outputs = serde_json::Map::new();
    for s in &sinks {
        if let Some(t) = outputs.get(s) {
            if let Some(v) = parse_json(&t.output_json)? {
                sink_outputs.insert(s.to_string(), v);
            }
        }
    }
    let output = if sinks.len() == 1 {
        sink_outputs.into_iter().next().map(|(_, v)| v).unwrap_or(Value::Null)
    } else {
        Value::Object(sink_outputs)
    };
    with_conn!(&mut tx.conn, c => diesel::update(runs::table.find(&run.id))
        .set(runs::output_json.eq(Some(output.to_string())))
        .cached().run(c))?;
    tx.forget_run(&run.id);
    if !run_spec(run)?.criteria.is_empty() {
        tx.wake_reconciler();
        return set_run_status(
            tx,
            run,
            run_status(run)?,
            RunStatus::Verifying,
            "all tasks finished; checking the run's criteria",
            |_| {},
        );
    }
    set_run_status(tx, run, run_status(run)?, RunStatus::Completed, "all tasks finished", |_| {})
}

/// Fails a run: the failed task's downstream tasks are SKIPPED, every other
/// open task is CANCELLED (its running attempt is told so on its next heartbeat).
pub fn fail_run(tx: &mut Tx<'_>, run_id: &str, reason: &str, failed_task: Option<&str>) -> Result<()> {
    let run = lock_run(tx, run_id)?;
    let from = run_status(&run)?;
    if from.is_terminal() {
        return Ok(());
    }
    let downstream = match failed_task {
        Some(t) => descendants(&mut tx.conn, run_id, t)?,
        None => HashSet::new(),
    };
    close_open_tasks(tx, &run, |task_id| {
        if downstream.contains(task_id) {
            (TaskStatus::Skipped, "an upstream task failed")
        } else {
            (TaskStatus::Cancelled, "the run failed")
        }
    })?;
    set_failure_reason(tx, run_id, Some(reason))?;
    set_run_status(tx, &run, from, RunStatus::Failed, reason, |_| {})
}

fn descendants(conn: &mut Conn<'_>, run_id: &str, root: &str) -> Result<HashSet<String>> {
    let edges: Vec<(String, String)> = with_conn!(conn, c => task_deps::table
        .filter(task_deps::run_id.eq(run_id))
        .select((task_deps::depends_on, task_deps::task_id))
        .load(c))?;
    let mut children: HashMap<String, Vec<String>> = HashMap::new();
    for (from, to) in edges {
        children.entry(from).or_default().push(to);
    }
    let mut seen = HashSet::new();
    let mut queue = VecDeque::from([root.to_string()]);
    while let Some(t) = queue.pop_front() {
        for c in children.get(&t).into_iter().flatten() {
            if seen.insert(c.clone()) {
                queue.push_back(c.clone());
            }
        }
    }
    Ok(seen)
}

/// Ends every open task of a run (and its running attempt).
fn close_open_tasks(tx: &mut Tx<'_>, run: &RunRow, decide: impl Fn(&str) -> (TaskStatus, &'static str)) -> Result<()> {
    let open: Vec<TaskRow> = with_conn!(&mut tx.conn, c => tasks::table
        .filter(tasks::run_id.eq(&run.id))
        .filter(tasks::status.ne_all(
            [TaskStatus::Succeeded, TaskStatus::Failed, TaskStatus::Skipped, TaskStatus::Cancelled].map(|s| s.as_str()),
        ))
        .order(tasks::position.asc())
        .select(TaskRow::as_select())
        .load(c))?;
    with_conn!(&mut tx.conn, c => diesel::update(
            attempts::table
                .filter(attempts::run_id.eq(&run.id))
                .filter(attempts::status.eq(AttemptStatus::Running.as_str())),
        )
        .set((attempts::status.eq(AttemptStatus::Cancelled.as_str()), attempts::finished_at.eq(Some(tx.now))))
        .cached().run(c))?;
    for t in open {
        let (to, why) = decide(&t.task_id);
        let from = task_status(&t)?;
        with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((&t.run_id, &t.task_id)))
            .set((tasks::lease_id.eq(None::<String>), tasks::lease_expires_at.eq(None::<i64>)))
            .cached().run(c))?;
        set_task_status(tx, &t, from, to, why)?;
    }
    with_conn!(&mut tx.conn, c => diesel::update(runs::table.find(&run.id))
        .set((runs::running.eq(0), runs::open_tasks.eq(0)))
        .cached().run(c))?;
    tx.counters_set(&run.id, true, true);
    tx.adjust_run(&run.id, |r| {
        r.running = 0;
        r.open_tasks = 0;
    });
    Ok(())
}

// ---------------------------------------------------------------- agent protocol

/// Limits applied when handing out work.
#[derive(Debug, Clone, Copy, Default)]
pub struct ClaimLimits {
    /// Most running attempts of this agent name (None: unlimited).
    pub per_agent: Option<i64>,
    /// Most running attempts on the whole server (None: unlimited).
    pub total: Option<i64>,
    /// Lease duration in milliseconds.
    pub lease_ms: i64,
    /// Attempt timeout when the task sets none, in milliseconds.
    pub default_timeout_ms: i64,
}

/// A task handed to an agent.
#[derive(Debug, Clone)]
pub struct Claimed {
    /// The run (as of the claim).
    pub run: RunRow,
    /// The task (RUNNING).
    pub task: TaskRow,
    /// The new attempt.
    pub attempt: AttemptRow,
}

/// Claims the highest-priority ready task of `agent` in `ws` (FIFO within a
/// priority), within the run's `max_parallel` and the server's limits.
/// `ws` None claims from every workspace (the server's own executors).
pub fn claim(
    tx: &mut Tx<'_>,
    ws: Option<&str>,
    agent: &str,
    instance: &str,
    limits: ClaimLimits,
) -> Result<Option<Claimed>> {
    if let Some(max) = limits.total {
        let n: i64 = with_conn!(&mut tx.conn, c => tasks::table
            .filter(task_is(TaskStatus::Running))
            .count()
            .cached()
            .get_result(c))?;
        if n >= max {
            return Ok(None);
        }
    }
    if let Some(max) = limits.per_agent {
        // Written out per case rather than boxed: boxed queries skip the statement cache.
        let agent_running = tasks::table.filter(tasks::agent.eq(agent)).filter(task_is(TaskStatus::Running));
        let n: i64 = match ws {
            Some(ws) => with_conn!(&mut tx.conn, c => agent_running
                .filter(tasks::workspace_id.eq(ws))
                .count()
                .cached()
                .get_result(c))?,
            None => with_conn!(&mut tx.conn, c => agent_running.count().cached().get_result(c))?,
        };
        if n >= max {
            return Ok(None);
        }
    }
    let ready = tasks::table
        .inner_join(runs::table)
        .filter(tasks::agent.eq(agent))
        .filter(task_is(TaskStatus::Ready))
        .filter(runs::status.eq(RunStatus::Executing.as_str()))
        .filter(runs::running.lt(runs::max_parallel));
    let order = (tasks::run_priority.desc(), tasks::priority.desc(), tasks::ready_at.asc(), tasks::position.asc());
    let pick = (tasks::run_id, tasks::task_id);
    let candidates: Vec<(String, String)> = match ws {
        Some(ws) => with_conn!(&mut tx.conn, c =>
            LimitN::<_, 16>(ready.filter(tasks::workspace_id.eq(ws)).order(order).select(pick)).cached().load(c))?,
        None => with_conn!(&mut tx.conn, c => LimitN::<_, 16>(ready.order(order).select(pick)).cached().load(c))?,
    };
    // On PostgreSQL a run another transaction holds is passed over for the next
    // candidate (SKIP LOCKED), so that pollers spread over runs instead of queueing
    // on the first one; only when every candidate's run is busy does it wait.
    let mut busy = Vec::new();
    let mut holding = false;
    for (run_id, task_id) in candidates {
        // One try per run: a run found busy stays busy for the rest of this pass.
        if busy.iter().any(|(r, _)| *r == run_id) {
            busy.push((run_id, task_id));
            continue;
        }
        let Some(run) = try_lock_run(tx, &run_id)? else {
            busy.push((run_id, task_id));
            continue;
        };
        holding = true;
        if let Some(claimed) = claim_task(tx, run, &run_id, &task_id, agent, instance, limits)? {
            return Ok(Some(claimed));
        }
    }
    if holding && !busy.is_empty() {
        // Waiting for another run while holding one (locked, then found with nothing to
        // give) could deadlock with a transaction doing the opposite. Commit, and have a
        // poller of this agent look again at once instead.
        tx.wake_agent(ws.unwrap_or(crate::hub::ANY_WORKSPACE), agent);
        return Ok(None);
    }
    // Every candidate's run is busy: wait for the first one only. Having waited for
    // it and found nothing to give, waiting for a second while holding it could
    // deadlock (the defect this replaced), so a poller looks again instead.
    // Under that lock every candidate of the same run is tried (the one the lock's
    // holder took is gone by then), since those need no further wait.
    let Some(first) = busy.first().map(|(r, _)| r.clone()) else { return Ok(None) };
    if lock_run_unless_busy(tx, &first)?.is_some() {
        for (run_id, task_id) in busy.iter().filter(|(r, _)| *r == first) {
            // Held now: read from this transaction's memory, no statement, no wait.
            let run = lock_run(tx, run_id)?;
            if let Some(claimed) = claim_task(tx, run, run_id, task_id, agent, instance, limits)? {
                return Ok(Some(claimed));
            }
        }
    }
    if busy.iter().any(|(r, _)| *r != first) {
        tx.wake_agent(ws.unwrap_or(crate::hub::ANY_WORKSPACE), agent);
    }
    Ok(None)
}

/// Wakes every poller of every agent with a READY task in this run (dispatch
/// can resume there: a slot freed up, the run resumed).
fn wake_ready_agents(tx: &mut Tx<'_>, ws: &str, run_id: &str) -> Result<()> {
    let agents: Vec<String> = with_conn!(&mut tx.conn, c => tasks::table
        .filter(tasks::run_id.eq(run_id))
        .filter(tasks::status.eq(TaskStatus::Ready.as_str()))
        .select(tasks::agent)
        .distinct()
        .load(c))?;
    for a in agents {
        tx.wake_all_pollers(ws, &a);
    }
    Ok(())
}

/// Claims one candidate task under its run's lock, if the run and the task still allow it.
fn claim_task(
    tx: &mut Tx<'_>,
    run: RunRow,
    run_id: &str,
    task_id: &str,
    agent: &str,
    instance: &str,
    limits: ClaimLimits,
) -> Result<Option<Claimed>> {
    let running = TaskStatus::Running.as_str();
    // Re-checked under the run lock: another replica may have got there first.
    if run.status != RunStatus::Executing.as_str() || run.running >= run.max_parallel {
        return Ok(None);
    }
    // The budget is checked before every dispatch.
    if !enforce_budget_on(tx, &run)? {
        return Ok(None);
    }
    let lease_id = domain::new_lease_id();
    let lease_expires = tx.now + limits.lease_ms * 1000;
    let task: Option<TaskRow> = with_conn!(&mut tx.conn, c => diesel::update(
            tasks::table
                .filter(tasks::run_id.eq(run_id))
                .filter(tasks::task_id.eq(task_id))
                .filter(tasks::status.eq(TaskStatus::Ready.as_str())),
        )
        .set((
            tasks::status.eq(running),
            tasks::attempts.eq(tasks::attempts + 1),
            tasks::lease_id.eq(Some(&lease_id)),
            tasks::lease_expires_at.eq(Some(lease_expires)),
            tasks::updated_at.eq(tx.now),
        ))
        .returning(TaskRow::as_returning())
        .cached().get_result(c)
        .optional())?;
    let Some(mut task) = task else { return Ok(None) };
    let spec = task_spec(&task)?;
    let timeout_ms = spec.timeout_ms.map(|t| t as i64).unwrap_or(limits.default_timeout_ms);
    let deadline = tx.now + timeout_ms * 1000;
    if deadline < lease_expires {
        // The attempt times out before its first lease would run out.
        with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((run_id, task_id)))
            .set(tasks::lease_expires_at.eq(Some(deadline)))
            .cached().run(c))?;
        task.lease_expires_at = Some(deadline);
    }
    let lease_expires = lease_expires.min(deadline);
    tx.add_run_counters(run_id, 1, 0);
    // The run is locked (PostgreSQL) or the writer's alone (SQLite): nobody else moved it.
    let mut run = run;
    run.running += 1;
    let attempt = AttemptRow {
        run_id: run_id.to_string(),
        task_id: task_id.to_string(),
        number: task.attempts,
        workspace_id: run.workspace_id.clone(),
        lease_id,
        agent_instance: instance.to_string(),
        status: AttemptStatus::Running.as_str().into(),
        span_id: domain::new_span_id(),
        started_at: tx.now,
        finished_at: None,
        lease_expires_at: lease_expires,
        deadline_at: deadline,
        prompt_tokens: 0,
        completion_tokens: 0,
        tool_calls: 0,
        cost_micros: 0,
        output_json: None,
        error: None,
        verdict_json: None,
        feedback_json: task.feedback_json.clone(),
    };
    with_conn!(&mut tx.conn, c => diesel::insert_into(attempts::table).values(&attempt).cached().run(c))?;
    let mut a = attrs(&[
        ("orchestrator.attempt.number", json!(attempt.number)),
        ("orchestrator.agent.name", json!(agent)),
        ("orchestrator.agent.instance", json!(instance)),
        ("orchestrator.task.id", json!(task_id)),
    ]);
    if attempt.number > 1 {
        let prev: Option<(Option<i64>, Option<String>)> = with_conn!(&mut tx.conn, c => attempts::table
            .find((run_id, task_id, attempt.number - 1))
            .select((attempts::finished_at, attempts::error))
            .get_result(c)
            .optional())?;
        if let Some((finished, error)) = prev {
            a.insert("orchestrator.retry.reason".into(), json!(error.unwrap_or_default()));
            // The backoff chosen at the failure (retry_at is kept after the retry became ready).
            if let (Some(f), Some(due)) = (finished, task.retry_at) {
                a.insert("orchestrator.retry.backoff_ms".into(), json!(((due - f) / 1000).max(0)));
            }
        }
    }
    open_span(tx, &run, &attempt.span_id, Some(&task_span_id(run_id, task_id)), "attempt", a)?;
    task_status_changed(tx, &task, TaskStatus::Ready, TaskStatus::Running, "claimed by an agent")?;
    tx.event(
        run_id,
        &run.workspace_id,
        NewEvent::new(EventKind::AttemptStarted, format!("attempt {} started on {instance}", attempt.number))
            .task(task_id)
            .attempt(attempt.number)
            .with("agent", agent)
            .with("agent_instance", instance)
            .with("running", run.running),
    );
    Ok(Some(Claimed { run, task, attempt }))
}

/// What a heartbeat tells its agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Directive {
    /// Keep working.
    Continue,
    /// The run was cancelled (or failed): stop.
    Cancel,
    /// The run was paused: stop at a safe point.
    Pause,
}

/// A live attempt found by its lease, checked against fencing rules.
fn live_attempt(tx: &mut Tx<'_>, lease_id: &str) -> Result<(RunRow, AttemptRow)> {
    let found: Option<AttemptRow> = with_conn!(&mut tx.conn, c => attempts::table
        .filter(attempts::lease_id.eq(lease_id))
        .select(AttemptRow::as_select())
        .get_result(c)
        .optional())?;
    // Another workspace's lease is as unknown as a made-up one.
    let Some(att) = found.filter(|a| tx.scope.as_ref().is_none_or(|ws| *ws == a.workspace_id)) else {
        return Err(Error::FailedPrecondition("unknown lease".into()));
    };
    let run = lock_run(tx, &att.run_id)?;
    if !tx.is_postgres() {
        // One writer: nothing can have changed it since the read above.
        return Ok((run, att));
    }
    // Re-read under the run lock: the reconciler or another replica may have ended it.
    let att: AttemptRow = with_conn!(&mut tx.conn, c => attempts::table
        .filter(attempts::lease_id.eq(lease_id))
        .select(AttemptRow::as_select())
        .get_result(c))?;
    Ok((run, att))
}

fn check_live(att: &AttemptRow, now: Micros) -> Result<()> {
    if att.status != AttemptStatus::Running.as_str() {
        return Err(Error::FailedPrecondition(format!(
            "lease is no longer valid: attempt {} of task {:?} is {}",
            att.number, att.task_id, att.status
        )));
    }
    if att.lease_expires_at < now {
        return Err(Error::FailedPrecondition(format!(
            "lease expired: attempt {} of task {:?} missed its heartbeat",
            att.number, att.task_id
        )));
    }
    Ok(())
}

fn charge_usage(tx: &mut Tx<'_>, run: &RunRow, att: &AttemptRow, reported: Option<Usage>) -> Result<Usage> {
    let recorded = Usage {
        prompt_tokens: att.prompt_tokens,
        completion_tokens: att.completion_tokens,
        tool_calls: att.tool_calls,
        cost_micros: att.cost_micros,
    };
    let Some(reported) = reported else {
        return Ok(Usage::default());
    };
    let merged = recorded.high_water(&reported);
    let delta = recorded.delta_to(&merged);
    if delta.is_zero() {
        return Ok(delta);
    }
    with_conn!(&mut tx.conn, c => diesel::update(attempts::table.find((&att.run_id, &att.task_id, att.number)))
        .set((
            attempts::prompt_tokens.eq(merged.prompt_tokens),
            attempts::completion_tokens.eq(merged.completion_tokens),
            attempts::tool_calls.eq(merged.tool_calls),
            attempts::cost_micros.eq(merged.cost_micros),
        ))
        .cached().run(c))?;
    let r = add_run_usage(tx, &run.id, &delta)?;
    tx.event(
        &run.id,
        &run.workspace_id,
        NewEvent::new(
            EventKind::UsageCharged,
            format!(
                "{} and {} charged",
                plural(delta.tokens() as usize, "token"),
                plural(delta.tool_calls as usize, "tool call")
            ),
        )
        .task(&att.task_id)
        .attempt(att.number)
        .with("delta", serde_json::to_value(delta)?)
        .with(
            "run_total",
            json!({
                "prompt_tokens": r.prompt_tokens, "completion_tokens": r.completion_tokens,
                "tool_calls": r.tool_calls, "cost_micros": r.cost_micros,
            }),
        ),
    );
    Ok(delta)
}

/// The outcome of a heartbeat.
#[derive(Debug, Clone)]
pub struct Beat {
    /// The new lease deadline.
    pub lease_expires_at: Micros,
    /// What the agent should do.
    pub directive: Directive,
}

/// Extends a live lease and records cumulative usage; tells the agent
/// whether its run was cancelled or paused.
pub fn heartbeat(
    tx: &mut Tx<'_>,
    lease_id: &str,
    usage: Option<Usage>,
    extend_ms: i64,
    progress: Option<(f64, String)>,
) -> Result<Beat> {
    let (run, att) = live_attempt(tx, lease_id)?;
    if att.status == AttemptStatus::Cancelled.as_str() {
        return Ok(Beat { lease_expires_at: att.lease_expires_at, directive: Directive::Cancel });
    }
    check_live(&att, tx.now)?;
    charge_usage(tx, &run, &att, usage)?;
    let lease = (tx.now + extend_ms * 1000).min(att.deadline_at).max(att.lease_expires_at);
    with_conn!(&mut tx.conn, c => diesel::update(attempts::table.find((&att.run_id, &att.task_id, att.number)))
        .set(attempts::lease_expires_at.eq(lease))
        .cached().run(c))?;
    with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((&att.run_id, &att.task_id)))
        .set(tasks::lease_expires_at.eq(Some(lease)))
        .cached().run(c))?;
    if let Some((fraction, message)) = progress {
        tx.event(
            &run.id,
            &run.workspace_id,
            NewEvent::new(EventKind::AttemptHeartbeat, message)
                .task(&att.task_id)
                .attempt(att.number)
                .with("progress", fraction),
        );
    }
    enforce_budget(tx, &run.id)?;
    let run = lock_run(tx, &run.id)?;
    let directive = match run_status(&run)? {
        RunStatus::Paused => Directive::Pause,
        s if s.is_terminal() => Directive::Cancel,
        _ => Directive::Continue,
    };
    Ok(Beat { lease_expires_at: lease, directive })
}

/// Ends a live attempt (exactly once: a conditional update on its status);
/// returns its task as it is afterwards.
fn end_attempt(
    tx: &mut Tx<'_>,
    run: &RunRow,
    att: &AttemptRow,
    status: AttemptStatus,
    output: Option<&str>,
    error: Option<&str>,
) -> Result<TaskRow> {
    let ended: Option<AttemptRow> = with_conn!(&mut tx.conn, c => diesel::update(
            attempts::table
                .find((&att.run_id, &att.task_id, att.number))
                .filter(attempts::status.eq(AttemptStatus::Running.as_str())),
        )
        .set((
            attempts::status.eq(status.as_str()),
            attempts::finished_at.eq(Some(tx.now)),
            attempts::output_json.eq(output),
            attempts::error.eq(error),
        ))
        .returning(AttemptRow::as_returning())
        .cached().get_result(c)
        .optional())?;
    let Some(ended) = ended else {
        return Err(Error::FailedPrecondition("lease is no longer valid: the attempt already ended".into()));
    };
    let mut a = usage_attrs(ended.prompt_tokens, ended.completion_tokens, ended.tool_calls, ended.cost_micros);
    a.insert("orchestrator.attempt.status".into(), json!(status.as_str()));
    let code = if status == AttemptStatus::Succeeded { "ok" } else { "error" };
    close_span(tx, &run.trace_id, &att.span_id, code, error.unwrap_or(""), a)?;
    tx.add_run_counters(&run.id, -1, 0);
    // `run` was locked when the attempt was found live; only usage changed since.
    let running_after = run.running - 1;
    let task: TaskRow = with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((&att.run_id, &att.task_id)))
        .set((tasks::lease_id.eq(None::<String>), tasks::lease_expires_at.eq(None::<i64>)))
        .returning(TaskRow::as_returning())
        .cached().get_result(c))?;
    // A slot of the run freed up: pollers of its other ready tasks may now have work.
    if run.running >= run.max_parallel && running_after < run.max_parallel {
        wake_ready_agents(tx, &run.workspace_id, &run.id)?;
    }
    Ok(task)
}

fn load_task(tx: &mut Tx<'_>, run_id: &str, task_id: &str) -> Result<TaskRow> {
    Ok(with_conn!(&mut tx.conn, c => tasks::table.find((run_id, task_id)).select(TaskRow::as_select()).get_result(c))?)
}

/// A completed attempt: its task's status after, and whose it was.
#[derive(Debug, Clone)]
pub struct Completed {
    /// SUCCEEDED, or VERIFYING when the task has criteria.
    pub status: TaskStatus,
    pub run_id: String,
    pub task_id: String,
    /// The task's agent and the instance that held the attempt.
    pub agent: String,
    pub agent_instance: String,
}

/// Records an attempt's output; the task succeeds (or goes on to be verified).
pub fn complete(tx: &mut Tx<'_>, lease_id: &str, output: &Value, usage: Option<Usage>) -> Result<Completed> {
    let (run, att) = live_attempt(tx, lease_id)?;
    check_live(&att, tx.now)?;
    charge_usage(tx, &run, &att, usage)?;
    let out = output.to_string();
    let task = end_attempt(tx, &run, &att, AttemptStatus::Succeeded, Some(&out), None)?;
    tx.event(
        &run.id,
        &run.workspace_id,
        NewEvent::new(EventKind::AttemptCompleted, format!("attempt {} completed", att.number))
            .task(&att.task_id)
            .attempt(att.number)
            .with("output_bytes", out.len()),
    );
    if !task_spec(&task)?.criteria.is_empty() {
        // The verifier decides (outside this transaction: a judge may take seconds).
        set_task_status(tx, &task, task_status(&task)?, TaskStatus::Verifying, "output received; verifying")?;
        enforce_budget(tx, &run.id)?;
        return Ok(Completed {
            status: TaskStatus::Verifying,
            run_id: att.run_id,
            task_id: att.task_id,
            agent: task.agent,
            agent_instance: att.agent_instance,
        });
    }
    with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((&att.run_id, &att.task_id)))
        .set((
            tasks::output_json.eq(Some(&out)),
            tasks::error.eq(None::<String>),
            tasks::status.eq(TaskStatus::Succeeded.as_str()),
            tasks::updated_at.eq(tx.now),
        ))
        .cached().run(c))?;
    task_status_changed(tx, &task, task_status(&task)?, TaskStatus::Succeeded, "output accepted")?;
    task_finished(tx, &run.id, &att.task_id, TaskStatus::Succeeded)?;
    enforce_budget(tx, &run.id)?;
    Ok(Completed {
        status: TaskStatus::Succeeded,
        run_id: att.run_id,
        task_id: att.task_id,
        agent: task.agent,
        agent_instance: att.agent_instance,
    })
}

/// The outcome of a failed attempt.
#[derive(Debug, Clone, Copy)]
pub struct FailOutcome {
    /// The task's status afterwards.
    pub status: TaskStatus,
    /// When the retry becomes ready.
    pub retry_at: Option<Micros>,
    /// The backoff chosen, in milliseconds.
    pub backoff_ms: Option<u64>,
}

/// Records an attempt's failure; retries it after a backoff or fails the task.
pub fn fail(
    tx: &mut Tx<'_>,
    lease_id: &str,
    error: &str,
    retryable: bool,
    usage: Option<Usage>,
) -> Result<FailOutcome> {
    let (run, att) = live_attempt(tx, lease_id)?;
    check_live(&att, tx.now)?;
    charge_usage(tx, &run, &att, usage)?;
    end_attempt(tx, &run, &att, AttemptStatus::Failed, None, Some(error))?;
    tx.event(
        &run.id,
        &run.workspace_id,
        NewEvent::new(EventKind::AttemptFailed, format!("attempt {} failed: {error}", att.number))
            .task(&att.task_id)
            .attempt(att.number)
            .with("error", error)
            .with("retryable", retryable),
    );
    let outcome = after_failed_attempt(tx, &run.id, &att.task_id, att.number, error, retryable)?;
    enforce_budget(tx, &run.id)?;
    Ok(outcome)
}

/// The retry policy in force for a task.
pub fn effective_retry(spec: &TaskSpec, run: &RunSpec) -> RetryPolicy {
    spec.retry.clone().or_else(|| run.policy.default_retry.clone()).unwrap_or_default()
}

fn after_failed_attempt(
    tx: &mut Tx<'_>,
    run_id: &str,
    task_id: &str,
    attempt: i32,
    error: &str,
    retryable: bool,
) -> Result<FailOutcome> {
    let run = lock_run(tx, run_id)?;
    let task = load_task(tx, run_id, task_id)?;
    let from = task_status(&task)?;
    if from.is_terminal() {
        return Ok(FailOutcome { status: from, retry_at: None, backoff_ms: None });
    }
    let spec = task_spec(&task)?;
    let policy = effective_retry(&spec, &run_spec(&run)?);
    with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((run_id, task_id)))
        .set(tasks::error.eq(Some(error)))
        .cached().run(c))?;
    if retryable && attempt < task.attempt_limit {
        let backoff = policy.backoff_ms(attempt as u32, fastrand::f64());
        let at = tx.now + backoff as i64 * 1000;
        with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((run_id, task_id)))
            .set(tasks::retry_at.eq(Some(at)))
            .cached().run(c))?;
        set_task_status(tx, &task, from, TaskStatus::RetryScheduled, &format!("retry in {backoff} ms"))?;
        tx.wake_reconciler();
        return Ok(FailOutcome { status: TaskStatus::RetryScheduled, retry_at: Some(at), backoff_ms: Some(backoff) });
    }
    let why = if retryable { "retries exhausted" } else { "failed with a non-retryable error" };
    set_task_status(tx, &task, from, TaskStatus::Failed, why)?;
    if policy.on_exhausted == RetriesExhausted::Pause && !task.optional {
        let reason = format!("task {task_id:?} {why}: {error}; paused for a person to look (RetryTask or ResumeRun)");
        let run_st = run_status(&run)?;
        if !run_st.is_terminal() {
            set_failure_reason(tx, run_id, Some(&reason))?;
            set_run_status(tx, &run, run_st, RunStatus::Paused, &reason, |_| {})?;
        }
        return Ok(FailOutcome { status: TaskStatus::Failed, retry_at: None, backoff_ms: None });
    }
    task_finished(tx, run_id, task_id, TaskStatus::Failed)?;
    Ok(FailOutcome { status: TaskStatus::Failed, retry_at: None, backoff_ms: None })
}

// ---------------------------------------------------------------- reconciler

/// Fails, as lost, up to `limit` attempts whose lease ran out; returns how many.
pub fn expire_leases(tx: &mut Tx<'_>, limit: i64) -> Result<usize> {
    let expired: Vec<(String, String, Option<String>)> = with_conn!(&mut tx.conn, c => tasks::table
        .filter(task_is(TaskStatus::Running))
        .filter(tasks::lease_expires_at.lt(tx.now))
        .select((tasks::run_id, tasks::task_id, tasks::lease_id))
        .limit(limit)
        .cached()
        .load(c))?;
    let mut n = 0;
    for (run_id, task_id, lease) in expired {
        let Some(lease) = lease else { continue };
        // A run another transaction holds waits for the next pass.
        if lock_run_unless_busy(tx, &run_id)?.is_none() {
            continue;
        }
        let (run, att) = live_attempt(tx, &lease)?;
        if att.status != AttemptStatus::Running.as_str() || att.lease_expires_at >= tx.now {
            continue;
        }
        // A timeout is the attempt's failure (FAILED, as the contract says); a lease
        // that ran out before it means the agent is gone (LOST).
        // By the lease, not the clock: a lease that ran out before the deadline
        // is a lost agent, even when the reconciler looks only later.
        let timed_out = att.lease_expires_at >= att.deadline_at;
        let (status, kind, verb, why) = if timed_out {
            let why = format!("attempt timed out after {} ms", (att.deadline_at - att.started_at) / 1000);
            (AttemptStatus::Failed, EventKind::AttemptFailed, "failed", why)
        } else {
            let why = "lease expired: the agent stopped heartbeating".to_string();
            (AttemptStatus::Lost, EventKind::AttemptLost, "lost", why)
        };
        end_attempt(tx, &run, &att, status, None, Some(&why))?;
        tx.event(
            &run_id,
            &run.workspace_id,
            NewEvent::new(kind, format!("attempt {} {verb}: {why}", att.number))
                .task(&task_id)
                .attempt(att.number)
                .with("agent_instance", att.agent_instance.clone())
                .with("timed_out", timed_out),
        );
        after_failed_attempt(tx, &run_id, &task_id, att.number, &why, true)?;
        n += 1;
    }
    Ok(n)
}

/// Makes due retries READY; returns how many, and the next due time.
pub fn promote_due_retries(tx: &mut Tx<'_>, limit: i64) -> Result<(usize, Option<Micros>)> {
    let due: Vec<(String, String)> = with_conn!(&mut tx.conn, c => tasks::table
        .filter(task_is(TaskStatus::RetryScheduled))
        .filter(tasks::retry_at.le(tx.now))
        .select((tasks::run_id, tasks::task_id))
        .limit(limit)
        .cached()
        .load(c))?;
    let mut n = 0;
    for (run_id, task_id) in due {
        // A run another transaction holds waits for the next pass.
        if lock_run_unless_busy(tx, &run_id)?.is_none() {
            continue;
        }
        let task = load_task(tx, &run_id, &task_id)?;
        if task.status != TaskStatus::RetryScheduled.as_str() {
            continue;
        }
        with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((&run_id, &task_id)))
            .set(tasks::ready_at.eq(Some(tx.now)))
            .cached().run(c))?;
        set_task_status(tx, &task, TaskStatus::RetryScheduled, TaskStatus::Ready, "backoff elapsed")?;
        tx.wake_agent(&task.workspace_id, &task.agent);
        n += 1;
    }
    let next: Option<Option<i64>> = with_conn!(&mut tx.conn, c => tasks::table
        .filter(task_is(TaskStatus::RetryScheduled))
        .select(diesel::dsl::min(tasks::retry_at))
        .cached()
        .get_result(c)
        .optional())?;
    Ok((n, next.flatten()))
}

/// The earliest lease expiry among running tasks.
pub fn next_lease_expiry(conn: &mut Conn<'_>) -> Result<Option<Micros>> {
    let next: Option<Option<i64>> = with_conn!(conn, c => tasks::table
        .filter(task_is(TaskStatus::Running))
        .select(diesel::dsl::min(tasks::lease_expires_at))
        .cached()
        .get_result(c)
        .optional())?;
    Ok(next.flatten())
}

/// Runs that are executing with every task terminal (e.g. a crash between
/// two transactions of an older version): finished now.
pub fn resolve_stalled(tx: &mut Tx<'_>) -> Result<usize> {
    let stalled: Vec<String> = with_conn!(&mut tx.conn, c => runs::table
        .filter(runs::status.eq(RunStatus::Executing.as_str()))
        .filter(runs::open_tasks.le(0))
        .select(runs::id)
        .limit(100)
        .load(c))?;
    let n = stalled.len();
    for id in stalled {
        // Re-checked under the lock; a run another transaction holds waits for the next pass.
        let Some(run) = lock_run_unless_busy(tx, &id)? else { continue };
        if run.status == RunStatus::Executing.as_str() && run.open_tasks <= 0 {
            finish_run(tx, &run)?;
        }
    }
    Ok(n)
}

// ---------------------------------------------------------------- steering

/// Cancels a run (idempotent on a cancelled run).
pub fn cancel_run(tx: &mut Tx<'_>, ws: &str, run_id: &str, reason: &str, by: &str) -> Result<RunRow> {
    get_run(&mut tx.conn, ws, run_id)?;
    let run = lock_run(tx, run_id)?;
    let from = run_status(&run)?;
    if from == RunStatus::Cancelled {
        return Ok(run);
    }
    if from.is_terminal() {
        return Err(Error::FailedPrecondition(format!("run {run_id} is already {from} and cannot be cancelled")));
    }
    close_open_tasks(tx, &run, |_| (TaskStatus::Cancelled, "the run was cancelled"))?;
    let reason = if reason.is_empty() { "cancelled by request" } else { reason };
    set_failure_reason(tx, run_id, Some(reason))?;
    set_run_status(tx, &run, from, RunStatus::Cancelled, reason, |e| {
        e.data.insert("by".into(), by.into());
    })?;
    get_run(&mut tx.conn, ws, run_id)
}

/// Pauses a run (idempotent on a paused run).
pub fn pause_run(tx: &mut Tx<'_>, ws: &str, run_id: &str, reason: &str, by: &str) -> Result<RunRow> {
    get_run(&mut tx.conn, ws, run_id)?;
    let run = lock_run(tx, run_id)?;
    let from = run_status(&run)?;
    if from == RunStatus::Paused {
        return Ok(run);
    }
    if from.is_terminal() {
        return Err(Error::FailedPrecondition(format!("run {run_id} is already {from} and cannot be paused")));
    }
    let reason = if reason.is_empty() { "paused by request" } else { reason };
    set_failure_reason(tx, run_id, Some(reason))?;
    set_run_status(tx, &run, from, RunStatus::Paused, reason, |e| {
        e.data.insert("by".into(), by.into());
    })?;
    get_run(&mut tx.conn, ws, run_id)
}

/// Resumes a paused run, optionally with a new spec (raised budget).
pub fn resume_run(tx: &mut Tx<'_>, ws: &str, run_id: &str, new_spec_json: Option<String>, by: &str) -> Result<RunRow> {
    get_run(&mut tx.conn, ws, run_id)?;
    let run = lock_run(tx, run_id)?;
    let from = run_status(&run)?;
    if from == RunStatus::Executing {
        return Ok(run);
    }
    if from != RunStatus::Paused {
        return Err(Error::FailedPrecondition(format!("run {run_id} is {from}; only a paused run can be resumed")));
    }
    if let Some(s) = new_spec_json {
        let spec: RunSpec = serde_json::from_str(&s)?;
        // The stop that is ending now is added by the status change below.
        let deadline = match (run.started_at, spec.budget.max_duration_ms) {
            (Some(start), ms) if ms > 0 => Some(start + ms as i64 * 1000 + run.stopped_micros),
            _ => None,
        };
        with_conn!(&mut tx.conn, c => diesel::update(runs::table.find(run_id))
            .set((runs::spec_json.eq(s), runs::deadline_at.eq(deadline)))
            .cached().run(c))?;
        tx.forget_run(run_id);
    }
    set_failure_reason(tx, run_id, None)?;
    let to = if run.started_at.is_some() { RunStatus::Executing } else { RunStatus::Created };
    set_run_status(tx, &run, from, to, "resumed", |e| {
        e.data.insert("by".into(), by.into());
    })?;
    wake_ready_agents(tx, ws, run_id)?;
    let run = lock_run(tx, run_id)?;
    let failed: Option<TaskRow> = with_conn!(&mut tx.conn, c => LimitN::<_, 1>(tasks::table
        .filter(tasks::run_id.eq(run_id))
        .filter(tasks::status.eq(TaskStatus::Failed.as_str()))
        .filter(tasks::optional.eq(false))
        .select(TaskRow::as_select()))
        .get_result(c)
        .optional())?;
    if let Some(t) = failed {
        let reason = format!("task {:?} failed: {}", t.task_id, t.error.clone().unwrap_or_default());
        fail_run(tx, run_id, &reason, Some(&t.task_id))?;
    } else if run.open_tasks <= 0 && to == RunStatus::Executing {
        finish_run(tx, &run)?;
    }
    get_run(&mut tx.conn, ws, run_id)
}

/// Re-opens a failed task with fresh attempts and resumes its run.
pub fn retry_task(tx: &mut Tx<'_>, ws: &str, run_id: &str, task_id: &str, by: &str) -> Result<TaskRow> {
    get_run(&mut tx.conn, ws, run_id)?;
    let run = lock_run(tx, run_id)?;
    let run_st = run_status(&run)?;
    let (task, _) = get_task(&mut tx.conn, ws, run_id, task_id)?;
    if task.status != TaskStatus::Failed.as_str() {
        return Err(Error::FailedPrecondition(format!(
            "task {task_id:?} is {}; only a failed task can be retried",
            task.status
        )));
    }
    if !matches!(run_st, RunStatus::Failed | RunStatus::Paused | RunStatus::Executing) {
        return Err(Error::FailedPrecondition(format!(
            "run {run_id} is {run_st}; RetryTask needs a failed, paused or executing run"
        )));
    }
    let policy = effective_retry(&task_spec(&task)?, &run_spec(&run)?);
    with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((run_id, task_id)))
        .set((tasks::attempt_limit.eq(task.attempts + policy.max_attempts.max(1) as i32), tasks::error.eq(None::<String>)))
        .cached().run(c))?;
    // Every task that did not succeed is looked at again: the retried one,
    // and what the failure skipped or cancelled.
    let all: Vec<TaskRow> = with_conn!(&mut tx.conn, c => tasks::table
        .filter(tasks::run_id.eq(run_id))
        .order(tasks::position.asc())
        .select(TaskRow::as_select())
        .load(c))?;
    let reopen: HashSet<String> = all
        .iter()
        .filter(|t| {
            t.task_id == task_id
                || t.status == TaskStatus::Skipped.as_str()
                || t.status == TaskStatus::Cancelled.as_str()
        })
        .map(|t| t.task_id.clone())
        .collect();
    let status_of: HashMap<&str, (TaskStatus, bool)> = all
        .iter()
        .map(|t| (t.task_id.as_str(), (TaskStatus::parse(&t.status).unwrap_or(TaskStatus::Pending), t.optional)))
        .collect();
    let mut reopened = Vec::new();
    for t in all.iter().filter(|t| reopen.contains(&t.task_id)) {
        let spec = task_spec(t)?;
        let remaining = spec
            .depends_on
            .iter()
            .filter(|d| {
                reopen.contains(*d) || !status_of.get(d.as_str()).is_some_and(|(s, o)| releases_dependents(*s, *o))
            })
            .count() as i32;
        with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((run_id, &t.task_id)))
            .set((tasks::remaining_deps.eq(remaining), tasks::retry_at.eq(None::<i64>)))
            .cached().run(c))?;
        let from = task_status(t)?;
        with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((run_id, &t.task_id)))
            .set((tasks::status.eq(TaskStatus::Pending.as_str()), tasks::updated_at.eq(tx.now)))
            .cached().run(c))?;
        tx.event(
            run_id,
            ws,
            NewEvent::task_status(&t.task_id, from, TaskStatus::Pending, "re-opened by RetryTask").with("by", by),
        );
        reopened.push((t.clone(), remaining));
    }
    let open = all
        .iter()
        .filter(|t| reopen.contains(&t.task_id) || !TaskStatus::parse(&t.status).is_some_and(|s| s.is_terminal()))
        .count();
    with_conn!(&mut tx.conn, c => diesel::update(runs::table.find(run_id))
        .set((runs::open_tasks.eq(open as i32), runs::finished_at.eq(None::<i64>), runs::failure_reason.eq(None::<String>)))
        .cached().run(c))?;
    tx.counters_set(run_id, false, true);
    tx.forget_run(run_id);
    if run_st != RunStatus::Executing {
        set_run_status(
            tx,
            &run,
            run_st,
            RunStatus::Executing,
            &format!("task {task_id:?} retried by request"),
            |_| {},
        )?;
        with_conn!(&mut tx.conn, c => diesel::update(runs::table.find(run_id)).set(runs::finished_at.eq(None::<i64>)).cached().run(c))?;
        tx.forget_run(run_id);
        // Tasks that became ready while the run was paused spent their wake-ups then.
        wake_ready_agents(tx, ws, run_id)?;
    }
    let run = lock_run(tx, run_id)?;
    for (mut t, remaining) in reopened {
        if remaining == 0 {
            t.status = TaskStatus::Pending.as_str().into();
            make_ready(tx, &run, t)?;
        }
    }
    Ok(get_task(&mut tx.conn, ws, run_id, task_id)?.0)
}

/// Approves or rejects a task held at its approval gate.
pub fn decide_approval(
    tx: &mut Tx<'_>,
    ws: &str,
    run_id: &str,
    task_id: &str,
    approve: bool,
    who: &str,
    comment: &str,
) -> Result<TaskRow> {
    get_run(&mut tx.conn, ws, run_id)?;
    let run = lock_run(tx, run_id)?;
    let (task, _) = get_task(&mut tx.conn, ws, run_id, task_id)?;
    if task.status != TaskStatus::WaitingApproval.as_str() {
        return Err(Error::FailedPrecondition(format!(
            "task {task_id:?} is {}, not waiting for approval",
            task.status
        )));
    }
    let kind = if approve { EventKind::TaskApproved } else { EventKind::TaskRejected };
    tx.event(
        run_id,
        ws,
        NewEvent::new(kind, format!("{} by {who}", if approve { "approved" } else { "rejected" }))
            .task(task_id)
            .with("by", who)
            .with("comment", comment),
    );
    if approve {
        with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((run_id, task_id))).set(tasks::ready_at.eq(Some(tx.now))).cached().run(c))?;
        set_task_status(tx, &task, TaskStatus::WaitingApproval, TaskStatus::Ready, "approved")?;
        tx.wake_agent(ws, &task.agent);
    } else {
        let spec = task_spec(&task)?;
        let (to, mut optional) = match spec.on_reject {
            domain::RejectionAction::Skip => (TaskStatus::Skipped, true),
            domain::RejectionAction::Fail => (TaskStatus::Failed, task.optional),
        };
        optional |= task.optional;
        let err = format!("rejected by {who}: {comment}");
        with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((run_id, task_id)))
            .set((tasks::error.eq(Some(&err)), tasks::optional.eq(optional)))
            .cached().run(c))?;
        set_task_status(tx, &task, TaskStatus::WaitingApproval, to, "rejected")?;
        let _ = run;
        task_finished(tx, run_id, task_id, to)?;
    }
    Ok(get_task(&mut tx.conn, ws, run_id, task_id)?.0)
}

/// Non-terminal runs, for recovery at start.
pub fn open_run_count(conn: &mut Conn<'_>) -> Result<i64> {
    Ok(with_conn!(conn, c => runs::table
        .filter(runs::status.ne_all([RunStatus::Completed, RunStatus::Failed, RunStatus::Cancelled].map(|s| s.as_str())))
        .count()
        .get_result(c))?)
}

/// Appends an event (stderr output, a tool violation) to a live attempt found by its lease.
pub fn attempt_event(
    tx: &mut Tx<'_>,
    lease_id: &str,
    kind: EventKind,
    message: String,
    data: serde_json::Map<String, Value>,
) -> Result<()> {
    let (run, att) = live_attempt(tx, lease_id)?;
    let mut ev = NewEvent::new(kind, message).task(&att.task_id).attempt(att.number);
    ev.data = data;
    tx.event(&run.id, &run.workspace_id, ev);
    Ok(())
}

// ---------------------------------------------------------------- budgets

/// The first exhausted budget of a run, if any.
pub fn budget_exhausted(run: &RunRow, now: Micros) -> Result<Option<domain::run::Exhausted>> {
    let spec = run_spec(run)?;
    let usage = Usage {
        prompt_tokens: run.prompt_tokens,
        completion_tokens: run.completion_tokens,
        tool_calls: run.tool_calls,
        cost_micros: run.cost_micros,
    };
    let elapsed = run.active_micros(now).map(|us| (us / 1000) as u64);
    Ok(domain::run::exhausted(&spec.budget, &usage, elapsed))
}

/// Applies the run's exhaustion policy if a budget ran out; returns whether
/// new work may still be dispatched (true unless the run was failed or paused).
pub fn enforce_budget(tx: &mut Tx<'_>, run_id: &str) -> Result<bool> {
    let run = lock_run(tx, run_id)?;
    enforce_budget_on(tx, &run)
}

/// [`enforce_budget`] for a run row already locked in this transaction.
fn enforce_budget_on(tx: &mut Tx<'_>, run: &RunRow) -> Result<bool> {
    let run_id = run.id.as_str();
    let status = run_status(run)?;
    if !matches!(status, RunStatus::Executing | RunStatus::Planning) {
        return Ok(status == RunStatus::Executing);
    }
    let Some(ex) = budget_exhausted(run, tx.now)? else { return Ok(true) };
    let policy = run_spec(run)?.budget.on_exhausted;
    if policy == domain::BudgetPolicy::Degrade && run.degraded {
        return Ok(true);
    }
    let reason = ex.describe();
    tx.event(
        run_id,
        &run.workspace_id,
        NewEvent::new(EventKind::BudgetExhausted, reason.clone())
            .with("budget", ex.budget)
            .with("limit", ex.limit)
            .with("used", ex.used)
            .with("overshoot", ex.used.saturating_sub(ex.limit))
            .with("policy", serde_json::to_value(policy)?),
    );
    match policy {
        domain::BudgetPolicy::Fail => {
            fail_run(tx, run_id, &reason, None)?;
            Ok(false)
        }
        domain::BudgetPolicy::Pause => {
            set_failure_reason(tx, run_id, Some(&format!("{reason}; ResumeRun with a larger budget to continue")))?;
            set_run_status(tx, run, status, RunStatus::Paused, &reason, |_| {})?;
            Ok(false)
        }
        domain::BudgetPolicy::Degrade => {
            with_conn!(&mut tx.conn, c => diesel::update(runs::table.find(run_id)).set(runs::degraded.eq(true)).cached().run(c))?;
            tx.forget_run(run_id);
            // Degraded: optional work that has not started is skipped.
            let optional: Vec<TaskRow> = with_conn!(&mut tx.conn, c => tasks::table
                .filter(tasks::run_id.eq(run_id))
                .filter(tasks::optional.eq(true))
                .filter(tasks::status.eq_any([TaskStatus::Pending, TaskStatus::Ready, TaskStatus::RetryScheduled, TaskStatus::WaitingApproval].map(|s| s.as_str())))
                .order(tasks::position.asc())
                .select(TaskRow::as_select())
                .load(c))?;
            for t in optional {
                set_task_status(
                    tx,
                    &t,
                    task_status(&t)?,
                    TaskStatus::Skipped,
                    "skipped: the run is degraded after exhausting its budget",
                )?;
                task_finished(tx, run_id, &t.task_id, TaskStatus::Skipped)?;
            }
            Ok(true)
        }
    }
}

/// Applies exhaustion policies to runs past their wall-clock deadline.
pub fn enforce_deadlines(tx: &mut Tx<'_>) -> Result<usize> {
    let due: Vec<String> = with_conn!(&mut tx.conn, c => runs::table
        .filter(runs::status.eq(RunStatus::Executing.as_str()))
        .filter(runs::deadline_at.le(tx.now))
        .filter(runs::degraded.eq(false))
        .select(runs::id)
        .limit(100)
        .load(c))?;
    let mut n = 0;
    for id in due {
        // A run another transaction holds waits for the next pass.
        let Some(run) = lock_run_unless_busy(tx, &id)? else { continue };
        enforce_budget_on(tx, &run)?;
        n += 1;
    }
    Ok(n)
}

/// Adds usage to a run's totals, atomically; returns the run as updated.
fn add_run_usage(tx: &mut Tx<'_>, run_id: &str, delta: &Usage) -> Result<RunRow> {
    let row: RunRow = with_conn!(&mut tx.conn, c => diesel::update(runs::table.find(run_id))
        .set((
            runs::prompt_tokens.eq(runs::prompt_tokens + delta.prompt_tokens),
            runs::completion_tokens.eq(runs::completion_tokens + delta.completion_tokens),
            runs::tool_calls.eq(runs::tool_calls + delta.tool_calls),
            runs::cost_micros.eq(runs::cost_micros + delta.cost_micros),
        ))
        .returning(RunRow::as_returning())
        .cached().get_result(c))?;
    // The update locked the row (PostgreSQL) and returned it as it is now.
    tx.remember_run(&row);
    Ok(row)
}

/// Charges usage that belongs to the run rather than to an attempt (planning).
pub fn charge_run(tx: &mut Tx<'_>, run_id: &str, usage: Usage, what: &str) -> Result<()> {
    if usage.is_zero() {
        return Ok(());
    }
    let r = add_run_usage(tx, run_id, &usage)?;
    tx.event(
        run_id,
        &r.workspace_id,
        NewEvent::new(EventKind::UsageCharged, format!("{} tokens charged for {what}", usage.tokens()))
            .with("delta", serde_json::to_value(usage)?)
            .with("for", what),
    );
    Ok(())
}

// ---------------------------------------------------------------- planning

/// Runs waiting for a plan.
pub fn planning_runs(conn: &mut Conn<'_>) -> Result<Vec<RunRow>> {
    Ok(with_conn!(conn, c => runs::table
        .filter(runs::status.eq(RunStatus::Planning.as_str()))
        .order(runs::created_at.asc())
        .limit(100)
        .select(RunRow::as_select())
        .load(c))?)
}

/// Installs the planner's plan in a PLANNING run and starts it.
pub fn install_plan(
    tx: &mut Tx<'_>,
    run_id: &str,
    plan_json: String,
    tasks: Vec<TaskRow>,
    deps: Vec<DepRow>,
    usage: Usage,
    calls: u32,
) -> Result<()> {
    let run = lock_run(tx, run_id)?;
    if run.status != RunStatus::Planning.as_str() {
        return Err(Error::FailedPrecondition(format!("run {run_id} is {}, not planning", run.status)));
    }
    charge_run(tx, run_id, usage, "planning")?;
    let n = tasks.len() as i32;
    for chunk in tasks.chunks(200) {
        with_conn!(&mut tx.conn, c => diesel::insert_into(tasks::table).values(chunk).execute(c))?;
    }
    for chunk in deps.chunks(500) {
        with_conn!(&mut tx.conn, c => diesel::insert_into(task_deps::table).values(chunk).execute(c))?;
    }
    with_conn!(&mut tx.conn, c => diesel::update(runs::table.find(run_id))
        .set((runs::plan_json.eq(Some(plan_json)), runs::open_tasks.eq(n)))
        .cached().run(c))?;
    tx.counters_set(run_id, false, true);
    tx.forget_run(run_id);
    tx.event(
        run_id,
        &run.workspace_id,
        NewEvent::new(EventKind::Audit, format!("plan installed: {n} tasks after {calls} planner call(s)"))
            .with("tasks", n)
            .with("planner_calls", calls),
    );
    let mut a = usage_attrs(usage.prompt_tokens, usage.completion_tokens, 0, usage.cost_micros);
    a.insert("orchestrator.plan.tasks".into(), json!(n));
    a.insert("orchestrator.planner.calls".into(), json!(calls));
    close_span(tx, &run.trace_id, &plan_span_id(run_id), "ok", "", a)?;
    start_run(tx, run_id)?;
    enforce_budget(tx, run_id)?;
    Ok(())
}

/// Fails a PLANNING run whose planner gave up.
pub fn planning_failed(tx: &mut Tx<'_>, run_id: &str, reason: &str, usage: Usage) -> Result<()> {
    let run = lock_run(tx, run_id)?;
    if run.status != RunStatus::Planning.as_str() {
        return Ok(());
    }
    charge_run(tx, run_id, usage, "planning")?;
    let a = usage_attrs(usage.prompt_tokens, usage.completion_tokens, 0, usage.cost_micros);
    close_span(tx, &run.trace_id, &plan_span_id(run_id), "error", reason, a)?;
    fail_run(tx, run_id, reason, None)
}

/// Gives a live attempt's task back without spending an attempt (the run was
/// paused before the work started).
pub fn release_attempt(tx: &mut Tx<'_>, lease_id: &str, why: &str) -> Result<()> {
    let (run, att) = live_attempt(tx, lease_id)?;
    check_live(&att, tx.now)?;
    end_attempt(tx, &run, &att, AttemptStatus::Failed, None, Some(why))?;
    let task = load_task(tx, &att.run_id, &att.task_id)?;
    with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((&att.run_id, &att.task_id)))
        .set((tasks::attempt_limit.eq(tasks::attempt_limit + 1), tasks::ready_at.eq(Some(tx.now))))
        .cached().run(c))?;
    set_task_status(tx, &task, task_status(&task)?, TaskStatus::Ready, why)?;
    tx.wake_agent(&task.workspace_id, &task.agent);
    Ok(())
}

/// Reads a run by id alone (for the server's own executors, which serve every workspace).
pub fn get_run_any(conn: &mut Conn<'_>, run_id: &str) -> Result<RunRow> {
    with_conn!(conn, c => runs::table.find(run_id).select(RunRow::as_select()).get_result(c).optional())?
        .ok_or_else(|| not_found_run(run_id))
}

// ---------------------------------------------------------------- verification

/// What the verifier needs about a task awaiting its verdict.
#[derive(Debug, Clone)]
pub struct Pending {
    /// The run.
    pub run: RunRow,
    /// The task (VERIFYING).
    pub task: TaskRow,
    /// The attempt whose output is judged.
    pub attempt: AttemptRow,
}

/// A task in VERIFYING with the attempt to judge.
pub fn pending_verification(conn: &mut Conn<'_>, run_id: &str, task_id: &str) -> Result<Pending> {
    let run = with_conn!(conn, c => runs::table.find(run_id).select(RunRow::as_select()).get_result(c))?;
    let task: TaskRow =
        with_conn!(conn, c => tasks::table.find((run_id, task_id)).select(TaskRow::as_select()).get_result(c))?;
    let attempt: AttemptRow = with_conn!(conn, c => attempts::table
        .find((run_id, task_id, task.attempts))
        .select(AttemptRow::as_select())
        .get_result(c))?;
    Ok(Pending { run, task, attempt })
}

/// Tasks and runs waiting for a verdict: ((run, task) pairs, run ids).
/// (run id, task id) of tasks, and ids of runs, that await a verdict.
pub type Awaiting = (Vec<(String, String)>, Vec<String>);

/// Tasks count only when they have waited since before `tasks_before`.
pub fn awaiting_verdicts(conn: &mut Conn<'_>, tasks_before: Micros) -> Result<Awaiting> {
    let tasks = with_conn!(conn, c => LimitN::<_, 200>(tasks::table
        .filter(task_is(TaskStatus::Verifying))
        .filter(tasks::updated_at.lt(tasks_before))
        .select((tasks::run_id, tasks::task_id)))
        .cached()
        .load(c))?;
    let runs = with_conn!(conn, c => runs::table
        .filter(runs::status.eq(RunStatus::Verifying.as_str()))
        .select(runs::id)
        .limit(200)
        .load(c))?;
    Ok((tasks, runs))
}

fn verdict_event(verdict: &domain::Verdict, message: String) -> Result<NewEvent> {
    Ok(NewEvent::new(EventKind::VerdictRecorded, message)
        .with("passed", verdict.passed)
        .with("score", verdict.score)
        .with("summary", verdict.summary.clone())
        .with("results", serde_json::to_value(&verdict.results)?))
}

/// Records a task's verdict: the task succeeds, or the attempt fails with the
/// verdict and the task is retried with its reasons as feedback.
pub fn record_task_verdict(
    tx: &mut Tx<'_>,
    run_id: &str,
    task_id: &str,
    attempt: i32,
    verdict: &domain::Verdict,
    judge_usage: Usage,
) -> Result<TaskStatus> {
    let run = lock_run(tx, run_id)?;
    let task = load_task(tx, run_id, task_id)?;
    if task.status != TaskStatus::Verifying.as_str() || task.attempts != attempt {
        return Err(Error::FailedPrecondition(format!(
            "task {task_id:?} is no longer awaiting the verdict of attempt {attempt}"
        )));
    }
    charge_run(tx, run_id, judge_usage, "verification")?;
    let vj = serde_json::to_string(verdict)?;
    with_conn!(&mut tx.conn, c => diesel::update(attempts::table.find((run_id, task_id, attempt)))
        .set(attempts::verdict_json.eq(Some(&vj)))
        .cached().run(c))?;
    let (att_span, att_end): (String, Option<i64>) = with_conn!(&mut tx.conn, c => attempts::table
        .find((run_id, task_id, attempt))
        .select((attempts::span_id, attempts::finished_at))
        .get_result(c))?;
    insert_span(tx, verify_span(&run, Some(&att_span), att_end.unwrap_or(tx.now), tx.now, verdict, judge_usage))?;
    with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((run_id, task_id)))
        .set(tasks::verdict_json.eq(Some(&vj)))
        .cached().run(c))?;
    let message = if verdict.passed {
        format!("attempt {attempt} passed verification")
    } else {
        format!("attempt {attempt} failed verification: {}", verdict.summary)
    };
    tx.event(run_id, &run.workspace_id, verdict_event(verdict, message)?.task(task_id).attempt(attempt));
    if verdict.passed {
        let out: Option<String> = with_conn!(&mut tx.conn, c => attempts::table
            .find((run_id, task_id, attempt))
            .select(attempts::output_json)
            .get_result(c))?;
        with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((run_id, task_id)))
            .set((tasks::output_json.eq(out), tasks::error.eq(None::<String>), tasks::feedback_json.eq(None::<String>)))
            .cached().run(c))?;
        set_task_status(tx, &task, TaskStatus::Verifying, TaskStatus::Succeeded, "verification passed")?;
        task_finished(tx, run_id, task_id, TaskStatus::Succeeded)?;
        enforce_budget(tx, run_id)?;
        return Ok(TaskStatus::Succeeded);
    }
    let error = format!("verification failed: {}", verdict.summary);
    mark_span_failed(tx, &run.trace_id, &att_span, &error)?;
    with_conn!(&mut tx.conn, c => diesel::update(attempts::table.find((run_id, task_id, attempt)))
        .set((attempts::status.eq(AttemptStatus::Failed.as_str()), attempts::error.eq(Some(&error))))
        .cached().run(c))?;
    let feedback = serde_json::to_string(&verdict.feedback())?;
    with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((run_id, task_id)))
        .set(tasks::feedback_json.eq(Some(feedback)))
        .cached().run(c))?;
    let outcome = after_failed_attempt(tx, run_id, task_id, attempt, &error, true)?;
    enforce_budget(tx, run_id)?;
    Ok(outcome.status)
}

/// Records the verdict of a run's own criteria: COMPLETED, a single re-run of
/// the sink task with the verdict as feedback (when the run's policy asks for
/// it), or FAILED.
pub fn record_run_verdict(
    tx: &mut Tx<'_>,
    run_id: &str,
    verdict: &domain::Verdict,
    judge_usage: Usage,
) -> Result<RunStatus> {
    let run = lock_run(tx, run_id)?;
    if run.status != RunStatus::Verifying.as_str() {
        return Err(Error::FailedPrecondition(format!("run {run_id} is not awaiting a verdict")));
    }
    let first_verdict = run.verdict_json.is_none();
    charge_run(tx, run_id, judge_usage, "verification")?;
    let vj = serde_json::to_string(verdict)?;
    with_conn!(&mut tx.conn, c => diesel::update(runs::table.find(run_id)).set(runs::verdict_json.eq(Some(&vj))).cached().run(c))?;
    tx.forget_run(run_id);
    insert_span(tx, verify_span(&run, None, run.updated_at, tx.now, verdict, judge_usage))?;
    let message = if verdict.passed {
        "the run's criteria passed".to_string()
    } else {
        format!("the run's criteria failed: {}", verdict.summary)
    };
    tx.event(run_id, &run.workspace_id, verdict_event(verdict, message)?);
    if verdict.passed {
        set_run_status(tx, &run, RunStatus::Verifying, RunStatus::Completed, "the run's criteria passed", |_| {})?;
        return Ok(RunStatus::Completed);
    }
    let plan: Vec<TaskSpec> = match plans_of(&mut tx.conn, std::slice::from_ref(&run.id))?.remove(&run.id) {
        Some(p) => serde_json::from_str(&p)?,
        None => Vec::new(),
    };
    let sinks = domain::plan::sinks(&plan);
    if run_spec(&run)?.policy.rerun_aggregator_on_failed_criteria && first_verdict && sinks.len() == 1 {
        let sink = load_task(tx, run_id, sinks[0])?;
        let feedback = serde_json::to_string(&verdict.feedback())?;
        with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((run_id, &sink.task_id)))
            .set((
                tasks::feedback_json.eq(Some(feedback)),
                tasks::attempt_limit.eq(sink.attempts + 1),
                tasks::status.eq(TaskStatus::Pending.as_str()),
            ))
            .cached().run(c))?;
        with_conn!(&mut tx.conn, c => diesel::update(runs::table.find(run_id))
            .set((runs::open_tasks.eq(1), runs::output_json.eq(None::<String>)))
            .cached().run(c))?;
        tx.counters_set(run_id, false, true);
        tx.forget_run(run_id);
        tx.event(
            run_id,
            &run.workspace_id,
            NewEvent::task_status(
                &sink.task_id,
                TaskStatus::Succeeded,
                TaskStatus::Pending,
                "re-run once with the run's verdict as feedback",
            ),
        );
        set_run_status(
            tx,
            &run,
            RunStatus::Verifying,
            RunStatus::Executing,
            "re-running the final task with the verdict as feedback",
            |_| {},
        )?;
        let run = lock_run(tx, run_id)?;
        let sink = load_task(tx, run_id, &sink.task_id)?;
        make_ready(tx, &run, sink)?;
        return Ok(RunStatus::Executing);
    }
    let reason = format!("the run's criteria failed: {}", verdict.summary);
    set_failure_reason(tx, run_id, Some(&reason))?;
    set_run_status(tx, &run, RunStatus::Verifying, RunStatus::Failed, &reason, |_| {})?;
    Ok(RunStatus::Failed)
}

// ---------------------------------------------------------------- workspaces and keys

/// Creates a workspace (its name is its id).
pub fn create_workspace(tx: &mut Tx<'_>, name: &str) -> Result<()> {
    let exists: i64 =
        with_conn!(&mut tx.conn, c => workspaces::table.filter(workspaces::id.eq(name)).count().get_result(c))?;
    if exists > 0 {
        return Err(Error::AlreadyExists(format!("workspace {name:?} already exists")));
    }
    with_conn!(&mut tx.conn, c => diesel::insert_into(workspaces::table)
        .values((workspaces::id.eq(name), workspaces::name.eq(name), workspaces::created_at.eq(tx.now)))
        .execute(c))?;
    Ok(())
}

/// Workspace names (all, or only one), with their number of runs.
pub fn list_workspaces(conn: &mut Conn<'_>, only: Option<&str>) -> Result<Vec<(String, i64)>> {
    let names: Vec<String> = with_conn!(conn, c => {
        let mut q = workspaces::table.into_boxed();
        if let Some(w) = only {
            q = q.filter(workspaces::id.eq(w));
        }
        q.order(workspaces::id.asc()).select(workspaces::id).load(c)
    })?;
    let mut out = Vec::with_capacity(names.len());
    for n in names {
        let runs: i64 = with_conn!(conn, c => runs::table.filter(runs::workspace_id.eq(&n)).count().get_result(c))?;
        out.push((n, runs));
    }
    Ok(out)
}

/// An API key as stored (its secret only as a hash).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = api_keys)]
pub struct KeyRow {
    pub id: String,
    pub workspace_id: String,
    pub name: String,
    pub role: String,
    pub key_hash: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
    pub last_used_at: Option<i64>,
}

/// Stores a key (the workspace must exist).
pub fn create_key(tx: &mut Tx<'_>, row: KeyRow) -> Result<()> {
    let exists: i64 = with_conn!(&mut tx.conn, c => workspaces::table.filter(workspaces::id.eq(&row.workspace_id)).count().get_result(c))?;
    if exists == 0 {
        return Err(Error::NotFound(format!("workspace {:?} does not exist", row.workspace_id)));
    }
    with_conn!(&mut tx.conn, c => diesel::insert_into(api_keys::table).values(&row).cached().run(c))?;
    Ok(())
}

/// Keys, optionally of one workspace.
pub fn list_keys(conn: &mut Conn<'_>, ws: Option<&str>) -> Result<Vec<KeyRow>> {
    with_conn!(conn, c => {
        let mut q = api_keys::table.into_boxed();
        if let Some(ws) = ws {
            q = q.filter(api_keys::workspace_id.eq(ws));
        }
        Ok(q.order(api_keys::created_at.asc()).select(KeyRow::as_select()).load(c)?)
    })
}

/// Revokes a key; returns it as revoked.
pub fn revoke_key(tx: &mut Tx<'_>, id: &str) -> Result<KeyRow> {
    let row = with_conn!(&mut tx.conn, c => diesel::update(api_keys::table.find(id).filter(api_keys::revoked_at.is_null()))
        .set(api_keys::revoked_at.eq(Some(tx.now)))
        .returning(KeyRow::as_returning())
        .get_result(c)
        .optional())?;
    row.ok_or_else(|| Error::NotFound(format!("no active key {id:?}")))
}

/// A key by id.
pub fn find_key(conn: &mut Conn<'_>, id: &str) -> Result<Option<KeyRow>> {
    Ok(with_conn!(conn, c => api_keys::table.find(id).select(KeyRow::as_select()).get_result(c).optional())?)
}

/// Runs of a workspace that are not finished.
pub fn runs_in_flight(conn: &mut Conn<'_>, ws: &str) -> Result<i64> {
    // Listed positively so that the (workspace_id, status) index serves it without visiting finished runs.
    let open = [RunStatus::Created, RunStatus::Planning, RunStatus::Executing, RunStatus::Verifying, RunStatus::Paused];
    Ok(with_conn!(conn, c => runs::table
        .filter(runs::workspace_id.eq(ws))
        .filter(runs::status.eq_any(open.map(|s| s.as_str())))
        .count()
        .get_result(c))?)
}

/// Marks an ended span as failed (its end time stays).
fn mark_span_failed(tx: &mut Tx<'_>, trace_id: &str, span_id: &str, message: &str) -> Result<()> {
    let mut attrs = serde_json::Map::new();
    attrs.insert("orchestrator.attempt.status".into(), json!(AttemptStatus::Failed.as_str()));
    update_span(tx, trace_id, span_id, None, "error", message, attrs)
}

/// The run and task of the attempt holding a lease (scoped to a workspace when given).
pub fn attempt_context(conn: &mut Conn<'_>, lease_id: &str, ws: Option<&str>) -> Result<(RunRow, TaskRow)> {
    let found: Option<AttemptRow> = with_conn!(conn, c => attempts::table
        .filter(attempts::lease_id.eq(lease_id))
        .select(AttemptRow::as_select())
        .get_result(c)
        .optional())?;
    let att = found
        .filter(|a| ws.is_none_or(|w| w == a.workspace_id))
        .ok_or_else(|| Error::FailedPrecondition("unknown lease".into()))?;
    let run = with_conn!(conn, c => runs::table.find(&att.run_id).select(RunRow::as_select()).get_result(c))?;
    let task = with_conn!(conn, c => tasks::table.find((&att.run_id, &att.task_id)).select(TaskRow::as_select()).get_result(c))?;
    Ok((run, task))
}
