//! Runs: creating, reading, listing and locking them, starting one, and the
//! one place a run's status changes (`set_run_status`).

use std::collections::{BTreeMap, HashMap};

use diesel::prelude::*;

use super::models::*;
use super::progress::*;
use super::schema::*;
use super::sql::CachedExt;
use super::{shared::*, tasks::*};
use super::{with_conn, Conn, Tx};
use crate::domain::{self, EventKind, NewEvent, RunStatus, TaskStatus};
use crate::error::{Error, Result};

/// A run to insert, with its tasks, edges, labels and idempotency key.
#[derive(Debug, Clone)]
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
    /// Whether it starts in the transaction that inserts it, its roots
    /// inserted READY ([`domain::decide::starts_at_once`]).
    pub starts_at_once: bool,
    /// Its wall-clock budget (0: none), for the deadline it gets when it starts.
    pub max_duration_ms: u64,
    /// The advice it was made after (its id) and the recipe it is of.
    pub advice: Option<(String, Option<String>)>,
}

/// What [`create_run`] did.
pub struct CreatedRun {
    /// The run as this transaction leaves it (`last_seq` counting its events).
    pub row: RunRow,
    /// Tasks per status as this transaction leaves them, when the run started
    /// (or went to planning) in it; None when it needs reading again.
    pub task_counts: Option<Vec<(TaskStatus, i64)>>,
    /// It was an earlier run with the same request id.
    pub deduplicated: bool,
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
/// The one exception is a batch of completions (`complete_each`), which takes
/// its runs in ascending id order: it waits for a run above all it holds. No
/// cycle can form: every other transaction that waits holds no run, and two
/// batches each wait only upwards.
pub fn lock_run(tx: &mut Tx<'_>, run_id: &str) -> Result<RunRow> {
    if let Some(r) = tx.locked_run(run_id) {
        return Ok(r.clone());
    }
    let must_not_wait = tx.holds_other_run(run_id) && !tx.may_wait_in_order(run_id);
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
    Ok(tx.adopt_run(&row))
}

/// Stores a run's plan (its own table: see the migration `run_plans`).
pub(super) fn insert_plan(tx: &mut Tx<'_>, run_id: &str, ws: &str, plan_json: &str) -> Result<()> {
    with_conn!(&mut tx.conn, c => diesel::insert_into(run_plans::table)
        .values((run_plans::run_id.eq(run_id), run_plans::workspace_id.eq(ws), run_plans::plan_json.eq(plan_json)))
        .cached()
        .run(c))?;
    Ok(())
}

/// Adds to a run's `running` count now (see [`Tx::write_capacity_changes`]).
pub(super) fn add_running(conn: &mut Conn<'_>, run_id: &str, delta: i32) -> Result<()> {
    with_conn!(conn, c => diesel::update(runs::table.find(run_id))
        .set(runs::running.eq(runs::running + delta))
        .cached().run(c))?;
    Ok(())
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
    let rows: Vec<(String, String)> = with_conn!(conn, c => run_plans::table
        .filter(run_plans::run_id.eq_any(run_ids))
        .select((run_plans::run_id, run_plans::plan_json))
        .load(c))?;
    Ok(rows.into_iter().collect())
}

/// [`lock_run`], but on PostgreSQL gives None at once when another transaction
/// holds the run (or it is gone). Never waits.
pub(super) fn try_lock_run(tx: &mut Tx<'_>, run_id: &str) -> Result<Option<RunRow>> {
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
            Ok(row.map(|r| tx.adopt_run(&r)))
        }
        Conn::Sqlite(_) => match lock_run(tx, run_id) {
            Ok(r) => Ok(Some(r)),
            Err(Error::NotFound(_)) => Ok(None),
            Err(e) => Err(e),
        },
    }
}

/// Tasks per status of each of these runs, one statement per hundred runs
/// (not one per run: a page of ListRuns has up to 500).
pub fn task_counts_of(conn: &mut Conn<'_>, run_ids: &[String]) -> Result<HashMap<String, Vec<(TaskStatus, i64)>>> {
    let mut out: HashMap<String, Vec<(TaskStatus, i64)>> = HashMap::new();
    for chunk in run_ids.chunks(100) {
        let rows: Vec<(String, TaskStatus, i64)> = with_conn!(conn, c => tasks::table
            .filter(tasks::run_id.eq_any(chunk))
            .group_by((tasks::run_id, tasks::status))
            .select((tasks::run_id, tasks::status, diesel::dsl::count_star()))
            .load(c))?;
        for (run, status, n) in rows {
            out.entry(run).or_default().push((status, n));
        }
    }
    Ok(out)
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
pub(super) const RUN_SIZE_SQL: &str = "CAST(LENGTH(goal) + LENGTH(spec_json) + COALESCE(LENGTH(output_json), 0) \
     + COALESCE(LENGTH(verdict_json), 0) + COALESCE(LENGTH(failure_reason), 0) + 256 AS BIGINT)";
pub(super) const RUN_SIZE_WITH_PLAN_SQL: &str =
    "CAST(LENGTH(goal) + LENGTH(spec_json) + COALESCE(LENGTH(output_json), 0) \
     + COALESCE(LENGTH(verdict_json), 0) + COALESCE(LENGTH(failure_reason), 0) \
     + COALESCE((SELECT LENGTH(plan_json) FROM run_plans WHERE run_plans.run_id = runs.id), 0) + 256 AS BIGINT)";

/// A page of a workspace's runs, newest first: at most `limit`, and fewer when
/// their sizes (with plans or without) pass `budget` bytes, always at least
/// one. Some(true) in the answer's second place: the page was cut by size.
#[allow(clippy::too_many_arguments)]
pub fn list_runs(
    conn: &mut Conn<'_>,
    ws: &str,
    filter: &crate::domain::RunFilter,
    limit: i64,
    cursor: Option<(i64, String)>,
    budget: usize,
    with_plans: bool,
) -> Result<(Vec<RunRow>, bool)> {
    let size_sql = if with_plans { RUN_SIZE_WITH_PLAN_SQL } else { RUN_SIZE_SQL };
    with_conn!(conn, c => {
        let mut q = runs::table.filter(runs::workspace_id.eq(ws)).into_boxed();
        if !filter.statuses.is_empty() {
            q = q.filter(runs::status.eq_any(filter.statuses.to_vec()));
        }
        if let Some(parent) = &filter.parent_run_id {
            let children = child_runs::table
                .filter(child_runs::workspace_id.eq(ws))
                .filter(child_runs::parent_run_id.eq(parent.clone()))
                .select(child_runs::child_run_id);
            q = q.filter(runs::id.eq_any(children));
        }
        for (k, v) in &filter.labels {
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
/// seen before, returns the earlier run instead (deduplicated) or
/// ALREADY_EXISTS when the bodies differ.
///
/// A run that [starts at once](domain::decide::starts_at_once) is inserted EXECUTING
/// with its roots READY: the same transitions and events as a run inserted
/// CREATED and then started, without the three statements that moved it.
pub fn create_run(tx: &mut Tx<'_>, new: &NewRun) -> Result<CreatedRun> {
    let ws = new.run.workspace_id.clone();
    if let Some((rid, hash)) = &new.idempotency {
        if let Some((old_hash, run_id)) = find_idempotency(&mut tx.conn, &ws, rid)? {
            return if &old_hash == hash {
                let row = get_run(&mut tx.conn, &ws, &run_id)?;
                Ok(CreatedRun { row, task_counts: None, deduplicated: true })
            } else {
                Err(Error::AlreadyExists(format!(
                    "request_id {rid:?} was already used for a different CreateRun request (run {run_id})"
                )))
            };
        }
    }
    let run_id = new.run.id.clone();
    let mut run_row = new.run.clone();
    if new.starts_at_once {
        if !domain::transitions::run_may_go(RunStatus::Created, RunStatus::Executing) {
            return Err(Error::Internal("a new run cannot start".into()));
        }
        run_row.status = RunStatus::Executing;
        run_row.started_at = Some(tx.now);
        run_row.updated_at = tx.now;
        run_row.deadline_at = (new.max_duration_ms > 0).then(|| tx.now + new.max_duration_ms as i64 * 1000);
    }
    with_conn!(&mut tx.conn, c => diesel::insert_into(runs::table)
        .values(&run_row)
        .cached()
        .run(c))?;
    if let Some(plan) = &new.plan_json {
        insert_plan(tx, &run_id, &ws, plan)?;
    }
    if let Some((advice_id, recipe)) = &new.advice {
        super::claim_advice(tx, &ws, advice_id, &run_id, recipe.as_deref())?;
    }
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
    let ready_roots = if new.starts_at_once {
        insert_tasks_started(tx, &new.tasks, &new.deps)?
    } else {
        insert_tasks(tx, &new.tasks, &new.deps)?;
        Vec::new()
    };
    // The row as inserted: no one else can see it, let alone change it, before
    // this transaction commits (and on PostgreSQL the insert holds its lock).
    tx.adopt_run(&run_row);
    tx.event(
        &run_id,
        &ws,
        NewEvent::new(EventKind::RunCreated, format!("run created with {}", plural(new.tasks.len(), "task")))
            .with("tasks", new.tasks.len())
            .with("trace_id", new.run.trace_id.clone())
            .with("by", new.created_by.clone()),
    );
    let task_counts = if new.tasks.is_empty() {
        let run = lock_run(tx, &run_id)?;
        set_run_status(tx, &run, RunStatus::Created, RunStatus::Planning, "planning", |_| {})?;
        Some(Vec::new())
    } else if new.starts_at_once {
        tx.event(&run_id, &ws, NewEvent::run_status(RunStatus::Created, RunStatus::Executing, "execution started"));
        for t in &ready_roots {
            task_status_changed(tx, t, TaskStatus::Pending, TaskStatus::Ready, "dependencies satisfied")?;
            tx.wake_agent(&t.workspace_id, &t.agent);
        }
        let pending = (new.tasks.len() - ready_roots.len()) as i64;
        let mut counts = vec![(TaskStatus::Ready, ready_roots.len() as i64)];
        if pending > 0 {
            counts.push((TaskStatus::Pending, pending));
        }
        Some(counts)
    } else {
        // The tasks were inserted just now: their roots need no query.
        let mut roots: Vec<TaskRow> =
            new.tasks.iter().filter(|t| t.remaining_deps == 0 && t.status == TaskStatus::Pending).cloned().collect();
        roots.sort_by_key(|t| t.position);
        start_run_with(tx, &run_id, Some(roots))?;
        None
    };
    let mut row = match tx.locked_run(&run_id) {
        Some(r) => r.clone(),
        None => get_run(&mut tx.conn, &ws, &run_id)?,
    };
    // A new run's events are all this transaction's: they are numbered 1..n when it ends.
    row.last_seq = tx.pending_events_of(&run_id) as i64;
    row.updated_at = tx.now;
    Ok(CreatedRun { row, task_counts, deduplicated: false })
}

/// CREATED or PLANNING → EXECUTING: tasks without dependencies become ready.
pub fn start_run(tx: &mut Tx<'_>, run_id: &str) -> Result<()> {
    start_run_with(tx, run_id, None)
}

/// [`start_run`], given its root tasks (PENDING, no dependencies, in plan
/// order) when the caller has them, or reading them.
fn start_run_with(tx: &mut Tx<'_>, run_id: &str, roots: Option<Vec<TaskRow>>) -> Result<()> {
    let run = lock_run(tx, run_id)?;
    let from = run.status;
    set_run_status(tx, &run, from, RunStatus::Executing, "execution started", |_| {})?;
    let spec = run_spec(&run)?;
    let deadline = (spec.budget.max_duration_ms > 0).then(|| tx.now + spec.budget.max_duration_ms as i64 * 1000);
    with_conn!(&mut tx.conn, c => diesel::update(runs::table.find(run_id))
        .set((runs::started_at.eq(Some(tx.now)), runs::deadline_at.eq(deadline)))
        .cached().run(c))?;
    let now = tx.now;
    tx.adjust_run(run_id, |r| {
        r.started_at = Some(now);
        r.deadline_at = deadline;
    });
    let roots: Vec<TaskRow> = match roots {
        Some(r) => r,
        None => with_conn!(&mut tx.conn, c => tasks::table
            .filter(tasks::run_id.eq(run_id))
            .filter(tasks::remaining_deps.eq(0))
            .filter(tasks::status.eq(TaskStatus::Pending))
            .order(tasks::position.asc())
            .select(TaskRow::as_select())
            .load(c))?,
    };
    let run = lock_run(tx, run_id)?;
    if roots.len() > 1 && roots.iter().all(is_plain_root) {
        return ready_plain_roots(tx, &run, roots);
    }
    for t in roots {
        make_ready(tx, &run, t)?;
    }
    Ok(())
}

/// A task with no dependencies that an agent does, with no approval to wait
/// for: making it ready is only its row's status, whatever else it is.
fn is_plain_root(t: &TaskRow) -> bool {
    t.remaining_deps == 0
        && t.status == TaskStatus::Pending
        && task_spec(t).is_ok_and(|s| domain::decide::is_plain_root(&s))
}

/// [`make_ready`] for a starting run's roots when all are plain: one UPDATE
/// for all of them instead of one each (a wide run's every task is a root).
fn ready_plain_roots(tx: &mut Tx<'_>, run: &RunRow, roots: Vec<TaskRow>) -> Result<()> {
    let readied: Vec<String> = with_conn!(&mut tx.conn, c => diesel::update(
            tasks::table
                .filter(tasks::run_id.eq(&run.id))
                .filter(tasks::status.eq(TaskStatus::Pending))
                .filter(tasks::remaining_deps.eq(0)),
        )
        .set((
            tasks::inputs_json.eq(Some("{}")),
            tasks::ready_at.eq(Some(tx.now)),
            tasks::status.eq(TaskStatus::Ready),
            tasks::updated_at.eq(tx.now),
        ))
        .returning(tasks::task_id)
        .cached()
        .get_results(c))?;
    if readied.len() != roots.len() {
        // The roots are the run's pending tasks without dependencies: another
        // count means the rows changed under this transaction.
        return Err(Error::Internal(format!(
            "run {}: {} roots to make ready, {} tasks were",
            run.id,
            roots.len(),
            readied.len()
        )));
    }
    for t in &roots {
        task_status_changed(tx, t, TaskStatus::Pending, TaskStatus::Ready, "dependencies satisfied")?;
        tx.wake_agent(&t.workspace_id, &t.agent);
    }
    Ok(())
}

pub(super) fn set_run_status(
    tx: &mut Tx<'_>,
    run: &RunRow,
    from: RunStatus,
    to: RunStatus,
    message: &str,
    extra: impl FnOnce(&mut NewEvent),
) -> Result<()> {
    set_run_status_and(tx, run, from, to, message, None, extra)
}

/// [`set_run_status`], storing the run's output in the same statement when given.
pub(super) fn set_run_status_and(
    tx: &mut Tx<'_>,
    run: &RunRow,
    from: RunStatus,
    to: RunStatus,
    message: &str,
    output_json: Option<&str>,
    extra: impl FnOnce(&mut NewEvent),
) -> Result<()> {
    if from == to {
        return Ok(());
    }
    if !domain::transitions::run_may_go(from, to) {
        return Err(Error::Internal(format!("run {} cannot go from {from:?} to {to:?}", run.id)));
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
            runs::status.eq(to),
            runs::updated_at.eq(tx.now),
            runs::finished_at.eq(finished),
            runs::stopped_at.eq(stopped_at),
            runs::stopped_micros.eq(runs::stopped_micros + gap),
            runs::deadline_at.eq(runs::deadline_at + gap),
            // None leaves the column as it is.
            output_json.map(|o| runs::output_json.eq(Some(o))),
        ))
        .returning(RunRow::as_returning())
        .cached().get_result(c))?;
    tx.remember_run(&r);
    // A child run's end is due at its parent's task (a run in a caller's
    // trace is woken for too: the reconciler finds nothing to settle).
    if to.is_terminal() && r.parent_span_id.is_some() {
        tx.wake_reconciler();
    }
    let mut ev = NewEvent::run_status(from, to, message);
    extra(&mut ev);
    tx.event(&run.id, &run.workspace_id, ev);
    Ok(())
}

pub(super) fn set_failure_reason(tx: &mut Tx<'_>, run_id: &str, reason: Option<&str>) -> Result<()> {
    with_conn!(&mut tx.conn, c => diesel::update(runs::table.find(run_id))
        .set(runs::failure_reason.eq(reason))
        .cached().run(c))?;
    tx.forget_run(run_id);
    Ok(())
}
