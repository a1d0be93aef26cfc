//! Schedules in the store, and the one transaction that fires one.
//!
//! Exactly once: a scheduled fire claims its time with a conditional update
//! (`next_fire_at` moves on from the time only where it still is the time),
//! then records the fire row (keyed by the time) and creates its run (request
//! id per fire) in the same transaction. Two replicas racing for one time:
//! one update matches, the other's matches no row (PostgreSQL: it waits for
//! the first to commit, then re-reads the row) and it fires nothing. A
//! trigger or a backfill locks the schedule row the same way, and its fire
//! key makes a retry a no-op. The overlap policy reads the schedule's live
//! runs after the lock, so the decision is the one the commit makes true.

use diesel::prelude::*;

use super::models::*;
use super::schema::*;
use super::{cancel_run, create_run, with_conn, Conn, NewRun, Tx};
use crate::domain::schedule::{self, FireDecision, FireKind, FireOutcome, Overlap};
use crate::domain::RunStatus;
use crate::error::{Error, Result};

fn not_found(id: &str) -> Error {
    Error::NotFound(format!("schedule {id:?} not found"))
}

/// Stores a new schedule; ALREADY_EXISTS when its id is taken.
pub fn create_schedule(tx: &mut Tx<'_>, row: &ScheduleRow) -> Result<ScheduleRow> {
    let have: i64 = with_conn!(&mut tx.conn, c => schedules::table
        .filter(schedules::workspace_id.eq(&row.workspace_id))
        .count()
        .get_result(c))?;
    if have >= schedule::MAX_PER_WORKSPACE as i64 {
        return Err(Error::ResourceExhausted(format!(
            "the workspace has {have} schedules, its most: delete one first"
        )));
    }
    let inserted: Result<usize> =
        with_conn!(&mut tx.conn, c => diesel::insert_into(schedules::table).values(row).execute(c))
            .map_err(Error::from);
    match inserted {
        Err(Error::AlreadyExists(_)) => Err(Error::AlreadyExists(format!("schedule {:?} already exists", row.id))),
        r => r.map(|_| row.clone()),
    }
}

/// A schedule of a workspace.
pub fn get_schedule(conn: &mut Conn<'_>, ws: &str, id: &str) -> Result<ScheduleRow> {
    with_conn!(conn, c => schedules::table
        .filter(schedules::workspace_id.eq(ws))
        .filter(schedules::id.eq(id))
        .select(ScheduleRow::as_select())
        .get_result(c)
        .optional())?
    .ok_or_else(|| not_found(id))
}

/// A page of a workspace's schedules by id, after `after`.
pub fn list_schedules(conn: &mut Conn<'_>, ws: &str, after: &str, limit: i64) -> Result<Vec<ScheduleRow>> {
    Ok(with_conn!(conn, c => schedules::table
        .filter(schedules::workspace_id.eq(ws))
        .filter(schedules::id.gt(after))
        .order(schedules::id.asc())
        .limit(limit)
        .select(ScheduleRow::as_select())
        .load(c))?)
}

/// A schedule's latest fires, newest first.
pub fn recent_fires(conn: &mut Conn<'_>, ws: &str, id: &str, limit: i64) -> Result<Vec<FireRow>> {
    Ok(with_conn!(conn, c => schedule_fires::table
        .filter(schedule_fires::workspace_id.eq(ws))
        .filter(schedule_fires::schedule_id.eq(id))
        .order((schedule_fires::created_at.desc(), schedule_fires::fire_key.desc()))
        .limit(limit)
        .select(FireRow::as_select())
        .load(c))?)
}

/// Deletes a schedule and its fires (not their runs).
pub fn delete_schedule(tx: &mut Tx<'_>, ws: &str, id: &str) -> Result<()> {
    let n = with_conn!(&mut tx.conn, c => diesel::delete(
            schedules::table.filter(schedules::workspace_id.eq(ws)).filter(schedules::id.eq(id)),
        )
        .execute(c))?;
    if n == 0 {
        return Err(not_found(id));
    }
    with_conn!(&mut tx.conn, c => diesel::delete(
            schedule_fires::table
                .filter(schedule_fires::workspace_id.eq(ws))
                .filter(schedule_fires::schedule_id.eq(id)),
        )
        .execute(c))?;
    Ok(())
}

/// Pauses or resumes a schedule: its note, and its next fire time (None
/// while paused).
pub fn set_paused(
    tx: &mut Tx<'_>,
    ws: &str,
    id: &str,
    paused: bool,
    note: &str,
    next: Option<(i64, i64)>,
) -> Result<ScheduleRow> {
    let n = with_conn!(&mut tx.conn, c => diesel::update(
            schedules::table.filter(schedules::workspace_id.eq(ws)).filter(schedules::id.eq(id)),
        )
        .set((
            schedules::paused.eq(paused),
            schedules::note.eq(note),
            schedules::next_fire_at.eq(next.map(|n| n.0)),
            schedules::next_due_at.eq(next.map(|n| n.1)),
            schedules::updated_at.eq(tx.now),
        ))
        .execute(c))?;
    if n == 0 {
        return Err(not_found(id));
    }
    get_schedule(&mut tx.conn, ws, id)
}

/// Puts a schedule's next fire off to `until` (its nominal time kept), if
/// that fire is still `nominal`.
pub fn defer_due(tx: &mut Tx<'_>, ws: &str, id: &str, nominal: i64, until: i64) -> Result<()> {
    with_conn!(&mut tx.conn, c => diesel::update(
            schedules::table
                .filter(schedules::workspace_id.eq(ws))
                .filter(schedules::id.eq(id))
                .filter(schedules::next_fire_at.eq(nominal)),
        )
        .set(schedules::next_due_at.eq(until))
        .execute(c))?;
    Ok(())
}

/// Schedules of every workspace whose next fire is due by `now`, soonest first.
pub fn due_schedules(conn: &mut Conn<'_>, now: i64, limit: i64) -> Result<Vec<ScheduleRow>> {
    Ok(with_conn!(conn, c => schedules::table
        .filter(diesel::dsl::not(schedules::paused))
        .filter(schedules::next_due_at.le(now))
        .order(schedules::next_due_at.asc())
        .limit(limit)
        .select(ScheduleRow::as_select())
        .load(c))?)
}

/// When the next fire of any schedule is due.
pub fn next_schedule_due(conn: &mut Conn<'_>) -> Result<Option<i64>> {
    Ok(with_conn!(conn, c => schedules::table
        .filter(diesel::dsl::not(schedules::paused))
        .select(diesel::dsl::min(schedules::next_due_at))
        .get_result(c))?)
}

/// Fires that wait for their schedule's running runs to end (buffer_one),
/// oldest first, from the `offset`-th.
pub fn buffered_fires(conn: &mut Conn<'_>, offset: i64, limit: i64) -> Result<Vec<FireRow>> {
    // As the partial index's predicate is written (a bound value would not match it).
    let buffered = diesel::dsl::sql::<diesel::sql_types::Bool>("outcome = 'buffered'");
    debug_assert_eq!(FireOutcome::Buffered.as_str(), "buffered");
    Ok(with_conn!(conn, c => schedule_fires::table
        .filter(buffered.clone())
        .order((schedule_fires::updated_at.asc(), schedule_fires::fire_key.asc()))
        .offset(offset)
        .limit(limit)
        .select(FireRow::as_select())
        .load(c))?)
}

/// Moves a schedule past fire times older than its catch-up window (where
/// its next fire time still is `from`); false when another replica did.
pub fn skip_missed(
    tx: &mut Tx<'_>,
    ws: &str,
    id: &str,
    from: i64,
    to: Option<(i64, i64)>,
    missed: u64,
) -> Result<bool> {
    let n = with_conn!(&mut tx.conn, c => diesel::update(
            schedules::table
                .filter(schedules::workspace_id.eq(ws))
                .filter(schedules::id.eq(id))
                .filter(schedules::next_fire_at.eq(from)),
        )
        .set((
            schedules::next_fire_at.eq(to.map(|t| t.0)),
            schedules::next_due_at.eq(to.map(|t| t.1)),
            schedules::missed_fires.eq(schedules::missed_fires + missed.min(i64::MAX as u64) as i64),
            schedules::updated_at.eq(tx.now),
        ))
        .execute(c))?;
    Ok(n == 1)
}

/// One fire to make.
pub struct Fire {
    pub workspace: String,
    pub schedule_id: String,
    pub kind: FireKind,
    pub key: String,
    pub nominal: i64,
    /// A scheduled fire: the schedule's next fire time moves from `nominal`
    /// to this (time, due) in the claim.
    pub then: Option<(i64, i64)>,
    pub overlap: Overlap,
    /// Its run, made ready before the transaction; Err: why it could not be.
    pub run: std::result::Result<NewRun, String>,
    /// Who fires (for the runs it cancels).
    pub by: String,
}

/// What [`fire`] did.
pub struct Fired {
    /// The fire's row.
    pub row: FireRow,
    /// False when it had been fired before (a retried trigger, a time
    /// backfilled before): nothing was done.
    pub fresh: bool,
    /// Its run went to planning (the reconciler starts the planner).
    pub planning: bool,
}

/// Fires once: claims the fire, applies the overlap policy, creates the run.
/// None when another replica fired the time first.
pub fn fire(tx: &mut Tx<'_>, f: &Fire) -> Result<Option<Fired>> {
    let (ws, id) = (f.workspace.as_str(), f.schedule_id.as_str());
    let claim = schedules::table.filter(schedules::workspace_id.eq(ws)).filter(schedules::id.eq(id));
    let claimed = match (f.kind, f.then) {
        (FireKind::Scheduled, then) => with_conn!(&mut tx.conn, c => diesel::update(
                claim.filter(schedules::next_fire_at.eq(f.nominal)),
            )
            .set((
                schedules::next_fire_at.eq(then.map(|t| t.0)),
                schedules::next_due_at.eq(then.map(|t| t.1)),
                schedules::updated_at.eq(tx.now),
            ))
            .execute(c))?,
        _ => with_conn!(&mut tx.conn, c => diesel::update(claim).set(schedules::updated_at.eq(tx.now)).execute(c))?,
    };
    if claimed == 0 {
        return match f.kind {
            FireKind::Scheduled => Ok(None),
            _ => Err(not_found(id)),
        };
    }
    let earlier: Option<FireRow> = with_conn!(&mut tx.conn, c => schedule_fires::table
        .filter(schedule_fires::workspace_id.eq(ws))
        .filter(schedule_fires::schedule_id.eq(id))
        .filter(schedule_fires::fire_key.eq(&f.key))
        .select(FireRow::as_select())
        .get_result(c)
        .optional())?;
    if let Some(row) = earlier {
        return Ok(Some(Fired { row, fresh: false, planning: false }));
    }
    let running = live_runs(tx, ws, id)?;
    let buffered = has_buffered(&mut tx.conn, ws, id)?;
    let mut row = FireRow {
        workspace_id: ws.to_string(),
        schedule_id: id.to_string(),
        fire_key: f.key.clone(),
        kind: f.kind.as_str().to_string(),
        nominal_at: f.nominal,
        outcome: String::new(),
        run_id: None,
        detail: String::new(),
        live: false,
        created_at: tx.now,
        updated_at: tx.now,
    };
    let mut planning = false;
    match schedule::decide(f.overlap, running.len(), buffered) {
        FireDecision::Skip => {
            row.outcome = FireOutcome::Skipped.as_str().into();
            row.detail = match running.first() {
                Some(r) if buffered => format!("run {r} is still going and a fire already waits for it"),
                Some(r) => format!("run {r} is still going"),
                None => String::new(),
            };
        }
        FireDecision::Buffer => {
            row.outcome = FireOutcome::Buffered.as_str().into();
            row.detail = format!("waits for run {} to end", running.first().map(String::as_str).unwrap_or("?"));
        }
        decision @ (FireDecision::Start | FireDecision::CancelThenStart) => match &f.run {
            Err(why) => {
                row.outcome = FireOutcome::Failed.as_str().into();
                row.detail = why.clone();
            }
            Ok(new) => {
                if decision == FireDecision::CancelThenStart {
                    for run in &running {
                        let why = format!("cancelled by a later fire of schedule {id:?} (cancel_previous)");
                        cancel_run(tx, ws, run, &why, &f.by)?;
                    }
                    end_live(tx, ws, id)?;
                }
                let created = create_run(tx, new)?;
                planning = created.row.status == RunStatus::Planning;
                row.outcome = FireOutcome::Started.as_str().into();
                row.live = !created.row.status.is_terminal();
                row.run_id = Some(created.row.id);
            }
        },
    }
    with_conn!(&mut tx.conn, c => diesel::insert_into(schedule_fires::table).values(&row).execute(c))?;
    if f.kind == FireKind::Scheduled {
        forget_old_fires(tx, ws, id)?;
    }
    Ok(Some(Fired { row, fresh: true, planning }))
}

/// How long a scheduled fire's record is kept. Its time can never fire
/// again (the claim moved past it), so the record is history only; triggers
/// and backfills keep theirs, which make their retries no-ops.
const SCHEDULED_FIRE_HISTORY_MICROS: i64 = 7 * 24 * 3600 * 1_000_000;

/// Deletes the schedule's scheduled fires older than their history (not
/// live, not waiting): a range of the `schedule_fires_recent` index.
fn forget_old_fires(tx: &mut Tx<'_>, ws: &str, id: &str) -> Result<()> {
    let cutoff = tx.now - SCHEDULED_FIRE_HISTORY_MICROS;
    with_conn!(&mut tx.conn, c => diesel::delete(
            schedule_fires::table
                .filter(schedule_fires::workspace_id.eq(ws))
                .filter(schedule_fires::schedule_id.eq(id))
                .filter(schedule_fires::created_at.lt(cutoff))
                .filter(schedule_fires::kind.eq(FireKind::Scheduled.as_str()))
                .filter(schedule_fires::live.eq(false))
                .filter(schedule_fires::outcome.ne(FireOutcome::Buffered.as_str())),
        )
        .execute(c))?;
    Ok(())
}

/// Starts a buffered fire when its schedule has no run going any more;
/// None when it still has one, or the fire is no longer buffered.
pub fn start_buffered(
    tx: &mut Tx<'_>,
    fire: &FireRow,
    run: &std::result::Result<NewRun, String>,
) -> Result<Option<Fired>> {
    let (ws, id) = (fire.workspace_id.as_str(), fire.schedule_id.as_str());
    // Lock the schedule first, as a fire does.
    let n = with_conn!(&mut tx.conn, c => diesel::update(
            schedules::table
                .filter(schedules::workspace_id.eq(ws))
                .filter(schedules::id.eq(id))
                .filter(diesel::dsl::not(schedules::paused)),
        )
        .set(schedules::updated_at.eq(tx.now))
        .execute(c))?;
    if n == 0 || !live_runs(tx, ws, id)?.is_empty() {
        return Ok(None);
    }
    let mut row: FireRow = match with_conn!(&mut tx.conn, c => schedule_fires::table
        .filter(schedule_fires::workspace_id.eq(ws))
        .filter(schedule_fires::schedule_id.eq(id))
        .filter(schedule_fires::fire_key.eq(&fire.fire_key))
        .filter(schedule_fires::outcome.eq(FireOutcome::Buffered.as_str()))
        .select(FireRow::as_select())
        .get_result(c)
        .optional())?
    {
        Some(r) => r,
        None => return Ok(None),
    };
    let mut planning = false;
    match run {
        Err(why) => {
            row.outcome = FireOutcome::Failed.as_str().into();
            row.detail = why.clone();
        }
        Ok(new) => {
            let created = create_run(tx, new)?;
            planning = created.row.status == RunStatus::Planning;
            row.outcome = FireOutcome::Started.as_str().into();
            row.detail = String::new();
            row.live = !created.row.status.is_terminal();
            row.run_id = Some(created.row.id);
        }
    }
    row.updated_at = tx.now;
    with_conn!(&mut tx.conn, c => diesel::update(
            schedule_fires::table
                .filter(schedule_fires::workspace_id.eq(ws))
                .filter(schedule_fires::schedule_id.eq(id))
                .filter(schedule_fires::fire_key.eq(&row.fire_key)),
        )
        .set((
            schedule_fires::outcome.eq(&row.outcome),
            schedule_fires::detail.eq(&row.detail),
            schedule_fires::live.eq(row.live),
            schedule_fires::run_id.eq(&row.run_id),
            schedule_fires::updated_at.eq(row.updated_at),
        ))
        .execute(c))?;
    Ok(Some(Fired { row, fresh: true, planning }))
}

/// The schedule's runs that are still going; fires whose run ended (or
/// was pruned) stop being live.
fn live_runs(tx: &mut Tx<'_>, ws: &str, id: &str) -> Result<Vec<String>> {
    let live = schedule_fires::table
        .filter(schedule_fires::workspace_id.eq(ws))
        .filter(schedule_fires::schedule_id.eq(id))
        .filter(schedule_fires::live);
    let ids: Vec<Option<String>> = with_conn!(&mut tx.conn, c => live.select(schedule_fires::run_id).load(c))?;
    let ids: Vec<String> = ids.into_iter().flatten().collect();
    if ids.is_empty() {
        return Ok(ids);
    }
    let statuses: Vec<(String, RunStatus)> = with_conn!(&mut tx.conn, c => runs::table
        .filter(runs::workspace_id.eq(ws))
        .filter(runs::id.eq_any(&ids))
        .select((runs::id, runs::status))
        .load(c))?;
    let going: Vec<String> = statuses.into_iter().filter(|(_, s)| !s.is_terminal()).map(|(r, _)| r).collect();
    if going.len() < ids.len() {
        with_conn!(&mut tx.conn, c => diesel::update(
                schedule_fires::table
                    .filter(schedule_fires::workspace_id.eq(ws))
                    .filter(schedule_fires::schedule_id.eq(id))
                    .filter(schedule_fires::live)
                    .filter(schedule_fires::run_id.ne_all(&going)),
            )
            .set(schedule_fires::live.eq(false))
            .execute(c))?;
    }
    Ok(going)
}

fn end_live(tx: &mut Tx<'_>, ws: &str, id: &str) -> Result<()> {
    with_conn!(&mut tx.conn, c => diesel::update(
            schedule_fires::table
                .filter(schedule_fires::workspace_id.eq(ws))
                .filter(schedule_fires::schedule_id.eq(id))
                .filter(schedule_fires::live),
        )
        .set(schedule_fires::live.eq(false))
        .execute(c))?;
    Ok(())
}

/// Whether a buffered fire of the schedule may start now: the schedule is
/// not paused and none of its runs is going. Reads only (a pass checks every
/// waiting fire with it before it renders one's run).
pub fn may_start_buffered(conn: &mut Conn<'_>, ws: &str, id: &str) -> Result<bool> {
    let paused: Option<bool> = with_conn!(conn, c => schedules::table
        .filter(schedules::workspace_id.eq(ws))
        .filter(schedules::id.eq(id))
        .select(schedules::paused)
        .get_result(c)
        .optional())?;
    if paused != Some(false) {
        return Ok(false);
    }
    let ids: Vec<Option<String>> = with_conn!(conn, c => schedule_fires::table
        .filter(schedule_fires::workspace_id.eq(ws))
        .filter(schedule_fires::schedule_id.eq(id))
        .filter(schedule_fires::live)
        .select(schedule_fires::run_id)
        .load(c))?;
    let ids: Vec<String> = ids.into_iter().flatten().collect();
    if ids.is_empty() {
        return Ok(true);
    }
    let statuses: Vec<RunStatus> = with_conn!(conn, c => runs::table
        .filter(runs::workspace_id.eq(ws))
        .filter(runs::id.eq_any(&ids))
        .select(runs::status)
        .load(c))?;
    Ok(statuses.iter().all(|s| s.is_terminal()))
}

fn has_buffered(conn: &mut Conn<'_>, ws: &str, id: &str) -> Result<bool> {
    let n: i64 = with_conn!(conn, c => schedule_fires::table
        .filter(schedule_fires::workspace_id.eq(ws))
        .filter(schedule_fires::schedule_id.eq(id))
        .filter(schedule_fires::outcome.eq(FireOutcome::Buffered.as_str()))
        .count()
        .get_result(c))?;
    Ok(n > 0)
}
