//! Learning in the store: the queue of finished attempts whose outcome is
//! not recorded yet (a partial index), the batch that records them (one
//! insert and one flag update, whatever the batch), and the outcomes of a
//! workspace over a time window.

use diesel::prelude::*;

use super::schema::{attempts, outcomes, runs, tasks};
use super::{with_conn, Conn, Tx};
use crate::domain::stats::Outcome;
use crate::domain::{AttemptStatus, Micros, TaskStatus};
use crate::error::Result;

/// A finished attempt whose outcome is to be recorded, with what the
/// engine needs to make it (its task's spec, its run's spec).
#[derive(Debug, Clone)]
pub struct PendingOutcome {
    pub workspace_id: String,
    pub run_id: String,
    pub task_id: String,
    pub attempt: i32,
    pub status: AttemptStatus,
    pub started_at: Micros,
    pub finished_at: Micros,
    pub turn_started_at: Option<Micros>,
    pub tokens: i64,
    pub cost_micros: i64,
    pub verdict_json: Option<String>,
    pub turns: i32,
    pub agent: String,
    pub task_spec_json: String,
    /// Its run's recipe (name, version), if any.
    pub recipe: Option<(String, u32)>,
    pub run_degraded: bool,
}

type Pending = (
    (String, String, String, i32, AttemptStatus, i64, Option<i64>, Option<i64>),
    (i64, i64, i64, Option<String>, i32),
    (String, String),
);

/// Up to `limit` finished attempts without their outcome, oldest first;
/// an attempt of a task being verified waits for its verdict.
pub fn pending_outcomes(conn: &mut Conn<'_>, limit: i64) -> Result<Vec<PendingOutcome>> {
    let rows: Vec<Pending> = with_conn!(conn, c => attempts::table
        .inner_join(tasks::table.on(tasks::run_id.eq(attempts::run_id).and(tasks::task_id.eq(attempts::task_id))))
        .filter(attempts::finished_at.is_not_null())
        .filter(diesel::dsl::not(attempts::outcome_recorded))
        .filter(tasks::status.ne(TaskStatus::Verifying))
        .order(attempts::finished_at.asc())
        .limit(limit)
        .select((
            (
                attempts::workspace_id,
                attempts::run_id,
                attempts::task_id,
                attempts::number,
                attempts::status,
                attempts::started_at,
                attempts::finished_at,
                attempts::turn_started_at,
            ),
            (
                attempts::prompt_tokens,
                attempts::completion_tokens,
                attempts::cost_micros,
                attempts::verdict_json,
                attempts::turn,
            ),
            (tasks::agent, tasks::spec_json),
        ))
        .load(c))?;
    // Each run's spec once, one at a time (it may be large), for its recipe.
    let mut runs_of: std::collections::HashMap<String, (Option<(String, u32)>, bool)> = Default::default();
    for ((_, run, ..), ..) in &rows {
        if runs_of.contains_key(run) {
            continue;
        }
        let got: Option<(String, bool)> = with_conn!(conn, c => runs::table
            .find(run)
            .select((runs::spec_json, runs::degraded))
            .get_result(c)
            .optional())?;
        let (recipe, degraded) = match got {
            Some((json, degraded)) => {
                let spec: Option<crate::domain::RunSpec> = serde_json::from_str(&json).ok();
                (spec.and_then(|s| s.recipe).map(|r| (r.name, r.version)), degraded)
            }
            None => (None, false),
        };
        runs_of.insert(run.clone(), (recipe, degraded));
    }
    Ok(rows
        .into_iter()
        .map(
            |(
                (ws, run, task, n, status, started, finished, turn_started),
                (p, cpl, cost, verdict, turn),
                (agent, tspec),
            )| {
                let (recipe, run_degraded) = runs_of.get(&run).cloned().unwrap_or((None, false));
                PendingOutcome {
                    workspace_id: ws,
                    run_id: run,
                    task_id: task,
                    attempt: n,
                    status,
                    started_at: started,
                    finished_at: finished.unwrap_or(started),
                    turn_started_at: turn_started,
                    tokens: p + cpl,
                    cost_micros: cost,
                    verdict_json: verdict,
                    turns: turn,
                    agent,
                    task_spec_json: tspec,
                    recipe,
                    run_degraded,
                }
            },
        )
        .collect())
}

/// Records outcomes (a row again is a no-op) and flags their attempts.
pub fn record_outcomes(tx: &mut Tx<'_>, batch: &[(String, Outcome)]) -> Result<usize> {
    if batch.is_empty() {
        return Ok(0);
    }
    let rows: Vec<_> = batch
        .iter()
        .map(|(ws, o)| {
            (
                outcomes::workspace_id.eq(ws),
                outcomes::run_id.eq(&o.run_id),
                outcomes::task_id.eq(&o.task_id),
                outcomes::attempt.eq(o.attempt),
                outcomes::finished_at.eq(o.finished_at),
                outcomes::agent.eq(&o.agent),
                outcomes::executor.eq(&o.executor),
                outcomes::model.eq(&o.model),
                outcomes::recipe.eq(&o.recipe),
                outcomes::recipe_version.eq(o.recipe_version),
                outcomes::task_kind.eq(&o.task_kind),
                outcomes::status.eq(&o.status),
                outcomes::passed.eq(o.passed),
                outcomes::score.eq(o.score),
                outcomes::turns.eq(o.turns),
                outcomes::tokens.eq(o.tokens),
                outcomes::cost_micros.eq(o.cost_micros),
                outcomes::latency_ms.eq(o.latency_ms),
            )
        })
        .collect();
    // In pieces: SQLite binds at most 32,766 values per statement (18 a row).
    let mut n = 0;
    for chunk in rows.chunks(500) {
        n += with_conn!(&mut tx.conn, c => diesel::insert_into(outcomes::table)
            .values(chunk)
            .on_conflict_do_nothing()
            .execute(c))?;
    }
    // One flag update for the batch, by exact key (ids have no '/' or ':'),
    // within the queue's partial index (its predicate as the index has it).
    let keys: Vec<String> = batch.iter().map(|(_, o)| format!("{}/{}:{}", o.run_id, o.task_id, o.attempt)).collect();
    let key = diesel::dsl::sql::<diesel::sql_types::Text>("run_id || '/' || task_id || ':' || CAST(number AS TEXT)");
    let runs: Vec<&str> = {
        let mut r: Vec<&str> = batch.iter().map(|(_, o)| o.run_id.as_str()).collect();
        r.sort_unstable();
        r.dedup();
        r
    };
    with_conn!(&mut tx.conn, c => diesel::update(
            attempts::table
                // The primary key's prefix first: the batch's runs, not the whole queue.
                .filter(attempts::run_id.eq_any(&runs))
                .filter(attempts::finished_at.is_not_null())
                .filter(diesel::dsl::not(attempts::outcome_recorded))
                .filter(key.clone().eq_any(&keys)),
        )
        .set(attempts::outcome_recorded.eq(true))
        .execute(c))?;
    Ok(n)
}

type OutcomeTuple = (
    (String, String, i32, i64, String, String, String, String, i32),
    (String, String, bool, Option<f64>, i32, i64, i64, i64),
);

/// A workspace's outcomes finished in [from, to), newest first, at most `limit`.
pub fn load_outcomes(conn: &mut Conn<'_>, ws: &str, from: Micros, to: Micros, limit: i64) -> Result<Vec<Outcome>> {
    let rows: Vec<OutcomeTuple> = with_conn!(conn, c => outcomes::table
        .filter(outcomes::workspace_id.eq(ws))
        .filter(outcomes::finished_at.ge(from))
        .filter(outcomes::finished_at.lt(to))
        .order(outcomes::finished_at.desc())
        .limit(limit)
        .select((
            (
                outcomes::run_id,
                outcomes::task_id,
                outcomes::attempt,
                outcomes::finished_at,
                outcomes::agent,
                outcomes::executor,
                outcomes::model,
                outcomes::recipe,
                outcomes::recipe_version,
            ),
            (
                outcomes::task_kind,
                outcomes::status,
                outcomes::passed,
                outcomes::score,
                outcomes::turns,
                outcomes::tokens,
                outcomes::cost_micros,
                outcomes::latency_ms,
            ),
        ))
        .load(c))?;
    Ok(rows
        .into_iter()
        .map(
            |(
                (run_id, task_id, attempt, finished_at, agent, executor, model, recipe, recipe_version),
                (task_kind, status, passed, score, turns, tokens, cost_micros, latency_ms),
            )| Outcome {
                run_id,
                task_id,
                attempt,
                finished_at,
                agent,
                executor,
                model,
                recipe,
                recipe_version,
                task_kind,
                status,
                passed,
                score,
                turns,
                tokens,
                cost_micros,
                latency_ms,
            },
        )
        .collect())
}

/// Deletes outcomes that finished before `before` (the pruner's, by age).
pub fn forget_outcomes(tx: &mut Tx<'_>, before: Micros) -> Result<usize> {
    Ok(
        with_conn!(&mut tx.conn, c => diesel::delete(outcomes::table.filter(outcomes::finished_at.lt(before))).execute(c))?,
    )
}
