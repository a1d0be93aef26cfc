//! Retention: deleting terminal runs with every row that belongs to them
//! (tasks, dependencies, attempts, events, spans, labels, idempotency keys),
//! a bounded batch per transaction so that pruning never holds the writer
//! for long.

use diesel::prelude::*;

use super::schema::*;
use super::{with_conn, Conn, Tx};
use crate::domain::{Micros, RunStatus};
use crate::error::Result;

/// Which runs a prune removes: terminal ones that finished before a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PruneFilter {
    /// Runs that finished before this time (microseconds since the epoch).
    pub finished_before: Micros,
    /// Only this workspace (None: every workspace but those in `exclude`).
    pub workspace: Option<String>,
    /// Workspaces left alone (they have a retention of their own).
    pub exclude: Vec<String>,
}

/// Rows a prune removed (or would remove).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PruneCounts {
    /// Runs.
    pub runs: u64,
    /// Tasks.
    pub tasks: u64,
    /// Attempts.
    pub attempts: u64,
    /// Events.
    pub events: u64,
    /// Spans.
    pub spans: u64,
}

impl std::ops::AddAssign for PruneCounts {
    fn add_assign(&mut self, o: PruneCounts) {
        self.runs += o.runs;
        self.tasks += o.tasks;
        self.attempts += o.attempts;
        self.events += o.events;
        self.spans += o.spans;
    }
}

impl std::fmt::Display for PruneCounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} runs, {} tasks, {} attempts, {} events, {} spans",
            self.runs, self.tasks, self.attempts, self.events, self.spans
        )
    }
}

fn terminal() -> Vec<RunStatus> {
    RunStatus::ALL.iter().copied().filter(|s| s.is_terminal()).collect()
}

/// Ids of prunable runs, oldest first (or by id after `after`, for paging).
fn prunable_ids(conn: &mut Conn<'_>, f: &PruneFilter, limit: i64, after: Option<&str>) -> Result<Vec<String>> {
    let terminal = terminal();
    Ok(with_conn!(conn, c => {
        let mut q = runs::table
            .select(runs::id)
            .filter(runs::status.eq_any(&terminal))
            .filter(runs::finished_at.lt(f.finished_before))
            .into_boxed();
        if let Some(ws) = &f.workspace {
            q = q.filter(runs::workspace_id.eq(ws));
        }
        // A run with a child run not settled, or a child not settled at its
        // parent, still has work due (its usage, its cancel): kept until then.
        let unsettled = || child_runs::table.filter(child_runs::settled.eq(false));
        q = q
            .filter(diesel::dsl::not(runs::id.eq_any(unsettled().select(child_runs::child_run_id))))
            .filter(diesel::dsl::not(runs::id.eq_any(unsettled().select(child_runs::parent_run_id))));
        if !f.exclude.is_empty() {
            q = q.filter(runs::workspace_id.ne_all(&f.exclude));
        }
        q = match after {
            Some(a) => q.filter(runs::id.gt(a)).order(runs::id.asc()),
            None => q.order((runs::finished_at.asc(), runs::id.asc())),
        };
        q.limit(limit).load::<String>(c)
    })?)
}

fn count_children(conn: &mut Conn<'_>, ids: &[String]) -> Result<PruneCounts> {
    let n = |x: i64| x.max(0) as u64;
    Ok(with_conn!(conn, c => {
        let tasks: i64 = tasks::table.filter(tasks::run_id.eq_any(ids)).count().get_result(c)?;
        let attempts: i64 = attempts::table.filter(attempts::run_id.eq_any(ids)).count().get_result(c)?;
        let events: i64 = events::table.filter(events::run_id.eq_any(ids)).count().get_result(c)?;
        let spans: i64 = spans::table.filter(spans::run_id.eq_any(ids)).count().get_result(c)?;
        PruneCounts { runs: ids.len() as u64, tasks: n(tasks), attempts: n(attempts), events: n(events), spans: n(spans) }
    }))
}

/// What a prune would remove (a dry run), counted a page of runs at a time.
pub fn count_prunable(conn: &mut Conn<'_>, f: &PruneFilter) -> Result<PruneCounts> {
    let mut total = PruneCounts::default();
    let mut after: Option<String> = None;
    loop {
        let ids = prunable_ids(conn, f, 1000, Some(after.as_deref().unwrap_or("")))?;
        if ids.is_empty() {
            return Ok(total);
        }
        total += count_children(conn, &ids)?;
        after = ids.last().cloned();
    }
}

/// Deletes up to `limit` prunable runs with all their rows, in this
/// transaction. On PostgreSQL the runs are locked first (skipping those
/// another transaction holds, e.g. a RetryTask re-opening one), so a run is
/// never deleted under a writer; SQLite's single writer gives the same.
pub fn prune_batch(tx: &mut Tx<'_>, f: &PruneFilter, limit: i64) -> Result<PruneCounts> {
    let mut ids = prunable_ids(&mut tx.conn, f, limit, None)?;
    if ids.is_empty() {
        return Ok(PruneCounts::default());
    }
    if let Conn::Pg(c) = &mut tx.conn {
        let terminal = terminal();
        ids = runs::table
            .select(runs::id)
            .filter(runs::id.eq_any(&ids))
            .filter(runs::status.eq_any(&terminal))
            .for_update()
            .skip_locked()
            .load::<String>(&mut **c)?;
    }
    let counts = count_children(&mut tx.conn, &ids)?;
    with_conn!(&mut tx.conn, c => {
        diesel::delete(events::table.filter(events::run_id.eq_any(&ids))).execute(c)?;
        diesel::delete(spans::table.filter(spans::run_id.eq_any(&ids))).execute(c)?;
        diesel::delete(attempts::table.filter(attempts::run_id.eq_any(&ids))).execute(c)?;
        diesel::delete(task_deps::table.filter(task_deps::run_id.eq_any(&ids))).execute(c)?;
        diesel::delete(tasks::table.filter(tasks::run_id.eq_any(&ids))).execute(c)?;
        diesel::delete(run_labels::table.filter(run_labels::run_id.eq_any(&ids))).execute(c)?;
        diesel::delete(run_plans::table.filter(run_plans::run_id.eq_any(&ids))).execute(c)?;
        diesel::delete(run_replans::table.filter(run_replans::run_id.eq_any(&ids))).execute(c)?;
        diesel::delete(child_runs::table.filter(
            child_runs::child_run_id.eq_any(&ids).or(child_runs::parent_run_id.eq_any(&ids)),
        ))
        .execute(c)?;
        diesel::delete(idempotency_keys::table.filter(idempotency_keys::run_id.eq_any(&ids))).execute(c)?;
        diesel::delete(runs::table.filter(runs::id.eq_any(&ids))).execute(c)
    })?;
    // A request before this one in the writer's group may have handed these rows on.
    for id in &ids {
        tx.forget_deleted_run(id);
    }
    Ok(counts)
}
