//! Learning in the store: the queue of finished attempts whose outcome is
//! not recorded yet (a partial index), the batch that records them (one
//! insert and one flag update, whatever the batch), and the outcomes of a
//! workspace over a time window.

use diesel::prelude::*;

use super::dispatch::{check_live, live_attempt};
use super::schema::{advice, attempts, outcomes, runs, tasks};
use super::{with_conn, Conn, Tx};
use crate::domain::cascade::ModelRecord;
use crate::domain::stats::Outcome;
use crate::domain::{AttemptStatus, Micros, NewEvent, TaskStatus};
use crate::error::Result;

/// Of a run's spec, the recipe alone (the rest is skipped, not built).
#[derive(serde::Deserialize)]
struct RecipeOnly {
    #[serde(default)]
    recipe: Option<RecipeName>,
}

#[derive(serde::Deserialize)]
struct RecipeName {
    name: String,
    version: u32,
}

/// Runs whose specs one statement of the recorder reads.
const RUNS_PER_READ: usize = 16;

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
    /// The model its `llm` agent's call ran on ("" for other agents).
    pub model: String,
    pub agent: String,
    pub task_spec_json: String,
    /// Its run's recipe (name, version), if any.
    pub recipe: Option<(String, u32)>,
    pub run_degraded: bool,
}

type Pending = (
    (String, String, String, i32, AttemptStatus, i64, Option<i64>, Option<i64>),
    (i64, i64, i64, Option<String>, i32, String),
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
                attempts::model,
            ),
            (tasks::agent, tasks::spec_json),
        ))
        .load(c))?;
    // Each run's spec once, for its recipe: a few runs per statement (a
    // spec may be large, so not the whole batch's at once).
    let mut runs_of: std::collections::HashMap<String, (Option<(String, u32)>, bool)> = Default::default();
    let mut ids: Vec<&str> = rows.iter().map(|((_, run, ..), ..)| run.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    for chunk in ids.chunks(RUNS_PER_READ) {
        let got: Vec<(String, String, bool)> = with_conn!(conn, c => runs::table
            .filter(runs::id.eq_any(chunk))
            .select((runs::id, runs::spec_json, runs::degraded))
            .load(c))?;
        for (id, json, degraded) in got {
            let spec: Option<RecipeOnly> = serde_json::from_str(&json).ok();
            runs_of.insert(id, (spec.and_then(|s| s.recipe).map(|r| (r.name, r.version)), degraded));
        }
    }
    Ok(rows
        .into_iter()
        .map(
            |(
                (ws, run, task, n, status, started, finished, turn_started),
                (p, cpl, cost, verdict, turn, model),
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
                    model,
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

/// Outcomes of one kind a cascade's choice reads at most (the newest).
const MAX_KIND_OUTCOMES: i64 = crate::config::MAX_CASCADE_SAMPLES as i64;

/// Per model, how a workspace's outcomes of one task kind since `since`
/// went (of its newest [`MAX_KIND_OUTCOMES`]): what the cascade learns from.
pub fn kind_record(conn: &mut Conn<'_>, ws: &str, task_kind: &str, since: Micros) -> Result<Vec<ModelRecord>> {
    let rows: Vec<(String, bool)> = with_conn!(conn, c => outcomes::table
        .filter(outcomes::workspace_id.eq(ws))
        .filter(outcomes::task_kind.eq(task_kind))
        .filter(outcomes::finished_at.ge(since))
        .order(outcomes::finished_at.desc())
        .limit(MAX_KIND_OUTCOMES)
        .select((outcomes::model, outcomes::passed))
        .load(c))?;
    let mut record: Vec<ModelRecord> = Vec::new();
    for (model, passed) in rows {
        let i = match record.iter().position(|r| r.model == model) {
            Some(i) => i,
            None => {
                record.push(ModelRecord { model, samples: 0, passed: 0 });
                record.len() - 1
            }
        };
        record[i].samples += 1;
        record[i].passed += u64::from(passed);
    }
    Ok(record)
}

/// The model the latest attempt of a task that called one ran on.
pub fn previous_model(conn: &mut Conn<'_>, run_id: &str, task_id: &str) -> Result<Option<String>> {
    Ok(with_conn!(conn, c => attempts::table
        .filter(attempts::run_id.eq(run_id))
        .filter(attempts::task_id.eq(task_id))
        .filter(attempts::model.ne(""))
        .order(attempts::number.desc())
        .select(attempts::model)
        .first(c)
        .optional())?)
}

/// Records the model a live attempt's call runs on, with the cascade's
/// event when there is one (FAILED_PRECONDITION once the lease is not live).
pub fn note_attempt_model(tx: &mut Tx<'_>, lease_id: &str, model: &str, event: Option<NewEvent>) -> Result<()> {
    let (run, att) = live_attempt(tx, lease_id)?;
    check_live(&att, tx.now)?;
    with_conn!(&mut tx.conn, c => diesel::update(attempts::table.find((&att.run_id, &att.task_id, att.number)))
        .set(attempts::model.eq(model))
        .execute(c))?;
    if let Some(e) = event {
        let e = NewEvent { task_id: Some(att.task_id.clone()), attempt: Some(att.number), ..e };
        tx.event(&run.id, &run.workspace_id, e);
    }
    Ok(())
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

/// Advice as kept: its predictions (medians) and what it suggested.
#[derive(Debug, Clone, PartialEq)]
pub struct AdviceRecord {
    pub id: String,
    pub tokens: f64,
    pub cost_micros: f64,
    pub duration_ms: f64,
    pub pass_chance: Option<f64>,
    pub suggested_recipe: String,
    pub warnings: String,
}

/// Keeps advice given.
pub fn keep_advice(tx: &mut Tx<'_>, ws: &str, a: &AdviceRecord) -> Result<()> {
    with_conn!(&mut tx.conn, c => diesel::insert_into(advice::table)
        .values((
            advice::workspace_id.eq(ws),
            advice::id.eq(&a.id),
            advice::created_at.eq(tx.now),
            advice::tokens.eq(a.tokens),
            advice::cost_micros.eq(a.cost_micros),
            advice::duration_ms.eq(a.duration_ms),
            advice::pass_chance.eq(a.pass_chance),
            advice::suggested_recipe.eq(&a.suggested_recipe),
            advice::warnings.eq(&a.warnings),
        ))
        .execute(c))?;
    Ok(())
}

/// Ties advice to the run made after it (once: advice no run has named
/// yet), with whether the run is of the recipe it suggested.
pub fn claim_advice(tx: &mut Tx<'_>, ws: &str, id: &str, run_id: &str, recipe: Option<&str>) -> Result<()> {
    let suggested: Option<String> = with_conn!(&mut tx.conn, c => advice::table
        .find((ws, id))
        .filter(advice::run_id.is_null())
        .select(advice::suggested_recipe)
        .get_result(c)
        .optional())?;
    let Some(suggested) = suggested else {
        return Err(crate::error::Error::invalid("advice_id", "no such advice, or another run named it already"));
    };
    let followed = (!suggested.is_empty()).then(|| recipe == Some(suggested.as_str()));
    // Conditional again: of two runs racing for it under READ COMMITTED, one takes it.
    let n = with_conn!(&mut tx.conn, c => diesel::update(advice::table.find((ws, id)).filter(advice::run_id.is_null()))
        .set((advice::run_id.eq(Some(run_id)), advice::followed_recipe.eq(followed)))
        .execute(c))?;
    if n == 0 {
        return Err(crate::error::Error::invalid("advice_id", "another run named this advice just now"));
    }
    Ok(())
}

/// An advised run that finished: the advice, and the run's status, tokens,
/// cost and wall clock (ms).
pub type Advised = (AdviceRecord, Option<bool>, crate::domain::RunStatus, i64, i64, i64);

/// The advice of a window whose run has finished, newest first, at most `limit`.
pub fn advised_runs(conn: &mut Conn<'_>, ws: &str, from: Micros, to: Micros, limit: i64) -> Result<Vec<Advised>> {
    type Row = (
        (String, f64, f64, f64, Option<f64>, String, String, Option<bool>),
        (crate::domain::RunStatus, i64, i64, i64, Option<i64>, Option<i64>),
    );
    let rows: Vec<Row> = with_conn!(conn, c => advice::table
        .inner_join(runs::table.on(runs::id.nullable().eq(advice::run_id)))
        .filter(advice::workspace_id.eq(ws))
        .filter(advice::created_at.ge(from))
        .filter(advice::created_at.lt(to))
        .filter(runs::finished_at.is_not_null())
        .order(advice::created_at.desc())
        .limit(limit)
        .select((
            (
                advice::id,
                advice::tokens,
                advice::cost_micros,
                advice::duration_ms,
                advice::pass_chance,
                advice::suggested_recipe,
                advice::warnings,
                advice::followed_recipe,
            ),
            (runs::status, runs::prompt_tokens, runs::completion_tokens, runs::cost_micros, runs::started_at, runs::finished_at),
        ))
        .load(c))?;
    Ok(rows
        .into_iter()
        .map(
            |(
                (id, tokens, cost_micros, duration_ms, pass_chance, suggested_recipe, warnings, followed),
                (status, p, cpl, cost, started, finished),
            )| {
                let wall = match (started, finished) {
                    (Some(s), Some(f)) => (f - s).max(0) / 1000,
                    _ => 0,
                };
                (
                    AdviceRecord { id, tokens, cost_micros, duration_ms, pass_chance, suggested_recipe, warnings },
                    followed,
                    status,
                    p + cpl,
                    cost,
                    wall,
                )
            },
        )
        .collect())
}

/// Forgets advice older than `before`, and advice no run named older than `unclaimed_before`.
pub fn forget_advice(tx: &mut Tx<'_>, before: Micros, unclaimed_before: Micros) -> Result<usize> {
    let old =
        with_conn!(&mut tx.conn, c => diesel::delete(advice::table.filter(advice::created_at.lt(before))).execute(c))?;
    let unclaimed = with_conn!(&mut tx.conn, c => diesel::delete(
            advice::table.filter(advice::created_at.lt(unclaimed_before)).filter(advice::run_id.is_null()),
        )
        .execute(c))?;
    Ok(old + unclaimed)
}
