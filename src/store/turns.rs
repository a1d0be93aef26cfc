//! Continuation turns in the store: an attempt's turn ending with a request
//! for another (ContinueTask), and the claim of that next turn. What follows
//! a request is `decide::continuation`'s; this applies it.
//!
//! Between two turns the attempt is CONTINUING (its last lease spent, so a
//! late call with it is refused) and its task CONTINUING until the delay is
//! up (`promote_due_retries` makes it READY). The claim that takes it
//! resumes the same attempt row with a new lease rather than adding one:
//! the attempt number, `max_attempts` and the backoff are untouched.

use diesel::prelude::*;
use serde_json::Value;

use super::models::*;
use super::schema::*;
use super::sql::CachedExt;
use super::{budgets::enforce_budget, dispatch::*, shared::task_spec, tasks::*};
use super::{with_conn, Tx};
use crate::domain::decide::{self, Continuation};
use crate::domain::{AttemptStatus, EventKind, Micros, NewEvent, TaskStatus, Usage};
use crate::error::{Error, Result};

/// What the server's policy says of turns, read when the call is made.
#[derive(Debug, Clone, Copy)]
pub struct TurnPolicy {
    /// The wait before the next turn is handed out.
    pub delay_ms: u64,
    /// Turns per attempt of a task that sets no `max_turns`.
    pub default_max_turns: u32,
}

/// The outcome of a request for another turn.
#[derive(Debug, Clone)]
pub struct Continued {
    /// CONTINUING; or, when the attempt had used its turns, FAILED; or what a
    /// budget that ran out at this charge made of the task.
    pub status: TaskStatus,
    /// The attempt.
    pub attempt: i32,
    /// The next turn (None when the attempt failed).
    pub next_turn: Option<i32>,
    /// When the next turn becomes ready.
    pub due_at: Option<Micros>,
    /// Why the attempt failed, when it did.
    pub error: Option<String>,
}

/// Ends the current turn of a live attempt with a request for another: the
/// checkpoint is kept for the next turn, which is handed out after the
/// policy's delay; an attempt that used its turns fails instead (and is not
/// retried: another attempt would start over and ask again).
pub fn continue_attempt(
    tx: &mut Tx<'_>,
    lease_id: &str,
    checkpoint: &Value,
    usage: Option<Usage>,
    policy: TurnPolicy,
) -> Result<Continued> {
    let (run, att) = live_attempt(tx, lease_id)?;
    check_live(&att, tx.now)?;
    charge_usage(tx, &run, &att, usage)?;
    let task = load_task(tx, &att.run_id, &att.task_id)?;
    let max_turns = task_spec(&task)?.max_turns.unwrap_or(policy.default_max_turns);
    let (turn, delay_ms) = match decide::continuation(att.turn, max_turns, policy.delay_ms) {
        Continuation::NextTurn { turn, delay_ms } => (turn, delay_ms),
        Continuation::TurnsExhausted { reason } => {
            let failed = fail(tx, lease_id, &reason, false, None)?;
            return Ok(Continued {
                status: failed.status,
                attempt: att.number,
                next_turn: None,
                due_at: None,
                error: Some(reason),
            });
        }
    };
    // No checkpoint (JSON null) is none: the next turn's assignment leaves it unset.
    let checkpoint_json = (!checkpoint.is_null()).then(|| checkpoint.to_string());
    // Exactly once, like an attempt's end: a second request with the same lease finds it CONTINUING.
    let parked = with_conn!(&mut tx.conn, c => diesel::update(
            attempts::table
                .find((&att.run_id, &att.task_id, att.number))
                .filter(attempts::status.eq(AttemptStatus::Running)),
        )
        .set((attempts::status.eq(AttemptStatus::Continuing), attempts::checkpoint_json.eq(&checkpoint_json)))
        .returning(attempts::number)
        .cached().get_result::<i32>(c)
        .optional())?;
    if parked.is_none() {
        return Err(Error::FailedPrecondition("lease is no longer valid: the attempt already ended its turn".into()));
    }
    tx.add_run_counters(&run.id, -1, 0);
    let due = tx.now + delay_ms as i64 * 1000;
    with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((&att.run_id, &att.task_id)))
        .set((
            tasks::status.eq(TaskStatus::Continuing),
            tasks::retry_at.eq(Some(due)),
            tasks::next_turn.eq(turn),
            tasks::lease_id.eq(None::<String>),
            tasks::lease_expires_at.eq(None::<i64>),
            tasks::updated_at.eq(tx.now),
        ))
        .cached().run(c))?;
    let event = NewEvent::new(
        EventKind::AttemptContinued,
        format!("attempt {} turn {} ended; turn {turn} in {delay_ms} ms", att.number, att.turn),
    )
    .moving_task(&att.task_id, TaskStatus::Running, TaskStatus::Continuing)
    .attempt(att.number)
    .with("turn", att.turn)
    .with("next_turn", turn)
    .with("delay_ms", delay_ms)
    .with("checkpoint_bytes", checkpoint_json.as_ref().map_or(0, String::len));
    task_status_event(tx, &task, TaskStatus::Running, TaskStatus::Continuing, event)?;
    tx.wake_reconciler();
    slot_freed(tx, &run)?;
    enforce_budget(tx, &run.id)?;
    // A budget that ran out at this charge may have ended the run, and the task with it.
    let status = load_task(tx, &att.run_id, &att.task_id)?.status;
    let waits = status == TaskStatus::Continuing;
    Ok(Continued {
        status,
        attempt: att.number,
        next_turn: waits.then_some(turn),
        due_at: waits.then_some(due),
        error: None,
    })
}

/// The lease of a claimed turn.
pub(super) struct TurnLease<'a> {
    pub lease_id: &'a str,
    pub lease_expires_at: Micros,
    pub deadline_at: Micros,
    pub agent_instance: &'a str,
}

/// Resumes the CONTINUING attempt of a task the claim just took (the claim
/// counted a new attempt: that is undone). None when the attempt is not
/// CONTINUING after all (then the claim is a fresh attempt's).
pub(super) fn resume_attempt(tx: &mut Tx<'_>, task: &mut TaskRow, lease: TurnLease<'_>) -> Result<Option<AttemptRow>> {
    let (number, turn) = (task.attempts - 1, task.next_turn);
    let found: Option<AttemptRow> = with_conn!(&mut tx.conn, c => attempts::table
        .find((&task.run_id, &task.task_id, number))
        .filter(attempts::status.eq(AttemptStatus::Continuing))
        .select(AttemptRow::as_select())
        .get_result(c)
        .optional())?;
    // Not resumable (nothing should leave it so): the claim's count stands, as for any fresh attempt.
    let resumed = found.is_some();
    with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((&task.run_id, &task.task_id)))
        .set((tasks::attempts.eq(if resumed { number } else { task.attempts }), tasks::next_turn.eq(0)))
        .cached().run(c))?;
    task.next_turn = 0;
    let Some(att) = found else { return Ok(None) };
    task.attempts = number;
    let banked = att.usage();
    let row: AttemptRow = with_conn!(&mut tx.conn, c => diesel::update(attempts::table.find((&task.run_id, &task.task_id, number)))
        .set((
            attempts::status.eq(AttemptStatus::Running),
            attempts::lease_id.eq(lease.lease_id),
            attempts::lease_expires_at.eq(lease.lease_expires_at),
            attempts::deadline_at.eq(lease.deadline_at),
            attempts::agent_instance.eq(lease.agent_instance),
            attempts::turn.eq(turn),
            attempts::banked_usage_json.eq(Some(serde_json::to_string(&banked)?)),
            attempts::turn_started_at.eq(Some(tx.now)),
        ))
        .returning(AttemptRow::as_returning())
        .get_result(c))?;
    Ok(Some(row))
}

/// The usage an attempt's earlier turns banked (none before its second turn).
pub(super) fn banked_usage(att: &AttemptRow) -> Result<Usage> {
    match &att.banked_usage_json {
        Some(s) => Ok(serde_json::from_str(s)?),
        None => Ok(Usage::default()),
    }
}
