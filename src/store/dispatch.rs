//! The agent protocol in the store: claiming ready tasks (with the run, agent
//! and server limits), heartbeats, completions and failures, fenced by lease.

use std::collections::HashSet;

use diesel::prelude::*;
use serde_json::{json, Value};

use super::apply::apply;
use super::models::*;
use super::schema::*;
use super::spawn::{extend_run, Spawned};
use super::sql::{CachedExt, LimitN};
use super::turns::{banked_usage, resume_attempt, TurnLease};
use super::{budgets::*, progress::*, runs::*, shared::*, tasks::*};
use super::{with_conn, Conn, Tx};
use crate::domain::decide::{self, Effect};
use crate::domain::{
    self, AttemptStatus, Directive, EventKind, Micros, NewEvent, RetryPolicy, RunSpec, RunStatus, TaskSpec, TaskStatus,
    Usage,
};
use crate::error::{Error, Result};

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
    /// The previous attempt's output, when verification rejected it (JSON).
    pub previous_output: Option<String>,
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
        // A `run` task's attempt (no agent) is its child run, not a running agent.
        let n: i64 = with_conn!(&mut tx.conn, c => tasks::table
            .filter(task_is(TaskStatus::Running))
            .filter(tasks::agent.ne(""))
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
    tx.write_capacity_changes()?;
    let ready = tasks::table
        .inner_join(runs::table)
        .filter(tasks::agent.eq(agent))
        .filter(task_is(TaskStatus::Ready))
        .filter(runs::status.eq(RunStatus::Executing))
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

/// Up to `n` claims of [`claim`] in one transaction (PollTask's `max_tasks`,
/// CompleteTask's `max_next`), and no more once the tasks' specs and inputs
/// reach `max_bytes` together (at least one is always claimed), so that the
/// answer that carries them stays within the server's message limit. Only the
/// first may wait for a busy run's lock (see `lock_run_unless_busy`): later
/// ones hold a run already.
pub fn claim_up_to(
    tx: &mut Tx<'_>,
    ws: Option<&str>,
    agent: &str,
    instance: &str,
    limits: ClaimLimits,
    n: usize,
    max_bytes: usize,
) -> Result<Vec<Claimed>> {
    let mut claimed = Vec::new();
    let mut bytes = 0;
    while claimed.len() < n && bytes < max_bytes {
        match claim(tx, ws, agent, instance, limits)? {
            Some(c) => {
                let carried =
                    [c.task.inputs_json.as_ref(), c.previous_output.as_ref(), c.attempt.checkpoint_json.as_ref()];
                bytes += c.task.spec_json.len() + carried.iter().flatten().map(|s| s.len()).sum::<usize>();
                claimed.push(c);
            }
            None => break,
        }
    }
    Ok(claimed)
}

/// One completion of a batch (CompleteTasks).
#[derive(Debug, Clone)]
pub struct BatchCompletion {
    pub lease_id: String,
    pub output: Value,
    pub usage: Option<Usage>,
    pub spawned: Option<Spawned>,
}

/// Whether a completion's error is its own (a refused lease, a bad value)
/// rather than the transaction's (the database, a lost race), which fails the
/// whole batch so that it is retried or reported as one.
fn refuses_one(e: &Error) -> bool {
    matches!(
        e,
        Error::InvalidArgument(_)
            | Error::NotFound(_)
            | Error::FailedPrecondition(_)
            | Error::ResourceExhausted(_)
            | Error::PermissionDenied(_)
    )
}

/// Completes several leases in one transaction, each in a savepoint of its
/// own: one refused (a stale lease, an output over the limit) is its own
/// result and undoes nothing else, and every lease still ends at most once.
/// They are applied in the order of their runs, so that two batches lock runs
/// in the same order and cannot deadlock each other (every other transaction
/// that locks several runs never waits while holding one). Results come back
/// in the items' order.
///
/// In SQLite's optimistic pass there is one writer and no lock to order: when
/// one statement finds every lease live, the items run with no
/// `SAVEPOINT`/`RELEASE` pair each, and the rare refusal left (an output over
/// the limit) fails the whole request, which the writer then runs again
/// isolated, where this takes the savepoints. A batch with a stale lease (a
/// cancelled run's, say) takes the savepoints at once rather than make its
/// whole group run twice.
pub fn complete_each(tx: &mut Tx<'_>, items: &[BatchCompletion]) -> Result<Vec<Result<Completed>>> {
    if tx.optimistic && all_leases_live(tx, items)? {
        let mut results = Vec::with_capacity(items.len());
        for item in items {
            results.push(Ok(complete(tx, &item.lease_id, &item.output, item.usage, item.spawned.as_ref())?));
        }
        return Ok(results);
    }
    let leases: Vec<&str> = items.iter().map(|i| i.lease_id.as_str()).collect();
    let runs: Vec<(String, String)> = with_conn!(&mut tx.conn, c => attempts::table
        .filter(attempts::lease_id.eq_any(&leases))
        .select((attempts::lease_id, attempts::run_id))
        .load(c))?;
    let run_of = |lease: &str| runs.iter().find(|(l, _)| l == lease).map(|(_, r)| r.as_str()).unwrap_or("");
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| run_of(&items[a].lease_id).cmp(run_of(&items[b].lease_id)));
    let mut results: Vec<Option<Result<Completed>>> = vec![None; items.len()];
    tx.ascending_locks = true;
    for i in order {
        let item = &items[i];
        match tx.savepoint(|tx| complete(tx, &item.lease_id, &item.output, item.usage, item.spawned.as_ref())) {
            Err(e) if !refuses_one(&e) => return Err(e),
            r => results[i] = Some(r),
        }
    }
    Ok(results
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err(Error::Internal("a completion was skipped".into()))))
        .collect())
}

/// Whether every lease of a batch is a distinct live attempt's (RUNNING, not
/// expired, of the transaction's workspace when it has one).
fn all_leases_live(tx: &mut Tx<'_>, items: &[BatchCompletion]) -> Result<bool> {
    let mut leases: Vec<&str> = items.iter().map(|i| i.lease_id.as_str()).collect();
    if leases.is_empty() || leases.iter().collect::<HashSet<_>>().len() != leases.len() {
        return Ok(false);
    }
    // Padded (with a lease already in it) to 8 or 64, a batch's most, so that
    // the statement takes two forms and stays cached.
    let width = if leases.len() <= 8 { 8 } else { leases.len().next_multiple_of(64) };
    leases.resize(width, leases[0]);
    let live = attempts::table
        .filter(attempts::lease_id.eq_any(&leases))
        .filter(attempts::status.eq(AttemptStatus::Running))
        .filter(attempts::lease_expires_at.ge(tx.now));
    let n: i64 = match tx.scope.clone() {
        Some(ws) => {
            with_conn!(&mut tx.conn, c => live.filter(attempts::workspace_id.eq(ws)).count().cached().get_result(c))?
        }
        None => with_conn!(&mut tx.conn, c => live.count().cached().get_result(c))?,
    };
    Ok(n == items.len() as i64)
}

/// Wakes every poller of every agent with a READY task in this run (dispatch
/// can resume there: a slot freed up, the run resumed).
pub(super) fn wake_ready_agents(tx: &mut Tx<'_>, ws: &str, run_id: &str) -> Result<()> {
    let agents: Vec<String> = with_conn!(&mut tx.conn, c => tasks::table
        .filter(tasks::run_id.eq(run_id))
        .filter(tasks::status.eq(TaskStatus::Ready))
        .select(tasks::agent)
        .distinct()
        .load(c))?;
    for a in agents {
        tx.wake_all_pollers(ws, &a);
    }
    Ok(())
}

/// Claims one candidate task under its run's lock, if the run and the task still allow it.
pub(super) fn claim_task(
    tx: &mut Tx<'_>,
    run: RunRow,
    run_id: &str,
    task_id: &str,
    agent: &str,
    instance: &str,
    limits: ClaimLimits,
) -> Result<Option<Claimed>> {
    // Re-checked under the run lock: another replica may have got there first.
    if run.status != RunStatus::Executing || run.running >= run.max_parallel {
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
                .filter(tasks::status.eq(TaskStatus::Ready)),
        )
        .set((
            tasks::status.eq(TaskStatus::Running),
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
    if task.next_turn > 0 {
        let lease = TurnLease {
            lease_id: &lease_id,
            lease_expires_at: lease_expires,
            deadline_at: deadline,
            agent_instance: instance,
        };
        if let Some(attempt) = resume_attempt(tx, &mut task, lease)? {
            let (n, turn) = (attempt.number, attempt.turn);
            let started =
                NewEvent::new(EventKind::TurnStarted, format!("attempt {n} turn {turn} started on {instance}"))
                    .moving_task(task_id, TaskStatus::Ready, TaskStatus::Running)
                    .attempt(n)
                    .with("turn", turn)
                    .with("agent", agent)
                    .with("agent_instance", instance)
                    .with("running", run.running);
            task_status_event(tx, &task, TaskStatus::Ready, TaskStatus::Running, started)?;
            return Ok(Some(Claimed { run, task, attempt, previous_output: None }));
        }
    }
    let attempt = AttemptRow {
        run_id: run_id.to_string(),
        task_id: task_id.to_string(),
        number: task.attempts,
        workspace_id: run.workspace_id.clone(),
        lease_id,
        agent_instance: instance.to_string(),
        status: AttemptStatus::Running,
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
        turn: 1,
        checkpoint_json: None,
        banked_usage_json: None,
        turn_started_at: None,
        model: String::new(),
    };
    with_conn!(&mut tx.conn, c => diesel::insert_into(attempts::table).values(&attempt).cached().run(c))?;
    // Feedback means the previous output was judged: the agent may fix it.
    let mut previous_output = None;
    if attempt.number > 1 && attempt.feedback_json.is_some() {
        previous_output = with_conn!(&mut tx.conn, c => attempts::table
            .find((run_id, task_id, attempt.number - 1))
            .select(attempts::output_json)
            .get_result::<Option<String>>(c)
            .optional())?
        .flatten();
    }
    // The claim's one event: the attempt started, and the task with it.
    let started = NewEvent::new(EventKind::AttemptStarted, format!("attempt {} started on {instance}", attempt.number))
        .moving_task(task_id, TaskStatus::Ready, TaskStatus::Running)
        .attempt(attempt.number)
        .with("agent", agent)
        .with("agent_instance", instance)
        .with("running", run.running);
    task_status_event(tx, &task, TaskStatus::Ready, TaskStatus::Running, started)?;
    Ok(Some(Claimed { run, task, attempt, previous_output }))
}

/// A live attempt found by its lease, checked against fencing rules.
pub(super) fn live_attempt(tx: &mut Tx<'_>, lease_id: &str) -> Result<(RunRow, AttemptRow)> {
    if let Conn::Sqlite(c) = &mut tx.conn {
        // One writer, no row locks: the attempt and its run in one statement.
        let found: Option<(AttemptRow, RunRow)> = attempts::table
            .inner_join(runs::table.on(runs::id.eq(attempts::run_id)))
            .filter(attempts::lease_id.eq(lease_id))
            .select((AttemptRow::as_select(), RunRow::as_select()))
            // Diesel does not cache a join with an ON clause by itself.
            .cached()
            .get_result(&mut **c)
            .optional()?;
        let Some((att, run)) = found.filter(|(a, _)| tx.scope.as_ref().is_none_or(|ws| *ws == a.workspace_id)) else {
            return Err(Error::FailedPrecondition("unknown lease".into()));
        };
        // A run this transaction changed already is as it remembers it (its counters not written yet).
        let run = match tx.locked_run(&run.id) {
            Some(r) => r.clone(),
            None => tx.adopt_run(&run),
        };
        return Ok((run, att));
    }
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
    // Re-read under the run lock: the reconciler or another replica may have ended it.
    // A turn claimed meanwhile gave the attempt a new lease: this one is unknown now.
    let att: AttemptRow = with_conn!(&mut tx.conn, c => attempts::table
        .filter(attempts::lease_id.eq(lease_id))
        .select(AttemptRow::as_select())
        .get_result(c)
        .optional())?
    .ok_or_else(|| Error::FailedPrecondition("unknown lease".into()))?;
    Ok((run, att))
}

pub(super) fn check_live(att: &AttemptRow, now: Micros) -> Result<()> {
    if att.status != AttemptStatus::Running {
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

pub(super) fn charge_usage(tx: &mut Tx<'_>, run: &RunRow, att: &AttemptRow, reported: Option<Usage>) -> Result<Usage> {
    let recorded = att.usage();
    let Some(reported) = reported else {
        return Ok(Usage::default());
    };
    // Reports are cumulative over the turn; earlier turns' usage is banked.
    let (_, delta) = decide::turn_usage(&recorded, &banked_usage(att)?, &reported);
    // The run's sums stay bounded too, however many attempts report their most.
    let delta = run.usage().room_for(&delta);
    let merged = recorded.plus(&delta);
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
    if att.status == AttemptStatus::Cancelled {
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
    let directive = Directive::for_run(run.status);
    Ok(Beat { lease_expires_at: lease, directive })
}

/// Ends a live attempt (exactly once: a conditional update on its status);
/// returns its task as it is afterwards.
pub(super) fn end_attempt(
    tx: &mut Tx<'_>,
    run: &RunRow,
    att: &AttemptRow,
    status: AttemptStatus,
    output: Option<&str>,
    error: Option<&str>,
) -> Result<TaskRow> {
    let ended = with_conn!(&mut tx.conn, c => diesel::update(
            attempts::table
                .find((&att.run_id, &att.task_id, att.number))
                .filter(attempts::status.eq(AttemptStatus::Running)),
        )
        .set((
            attempts::status.eq(status),
            attempts::finished_at.eq(Some(tx.now)),
            attempts::output_json.eq(output),
            attempts::error.eq(error),
        ))
        .returning(attempts::number)
        .cached().get_result::<i32>(c)
        .optional())?;
    if ended.is_none() {
        return Err(Error::FailedPrecondition("lease is no longer valid: the attempt already ended".into()));
    }
    tx.add_run_counters(&run.id, -1, 0);
    // `run` was locked when the attempt was found live; only usage changed since.
    let task: TaskRow = match (status, output) {
        // A success records the output and the status in the same statement as
        // the lease (one UPDATE of the task per completion, not two); a task
        // with criteria then goes on to VERIFYING instead (see `complete`).
        (AttemptStatus::Succeeded, Some(out)) => {
            with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((&att.run_id, &att.task_id)))
                .set((
                    tasks::lease_id.eq(None::<String>),
                    tasks::lease_expires_at.eq(None::<i64>),
                    tasks::output_json.eq(Some(out)),
                    tasks::error.eq(None::<String>),
                    tasks::status.eq(TaskStatus::Succeeded),
                    tasks::updated_at.eq(tx.now),
                ))
                .returning(TaskRow::as_returning())
                .cached().get_result(c))?
        }
        _ => with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((&att.run_id, &att.task_id)))
            .set((tasks::lease_id.eq(None::<String>), tasks::lease_expires_at.eq(None::<i64>)))
            .returning(TaskRow::as_returning())
            .cached().get_result(c))?,
    };
    slot_freed(tx, run)?;
    Ok(task)
}

/// A running attempt of `run` (as it was locked) let its slot go: pollers of
/// the run's other ready tasks may now have work, unless every other open
/// task of the run is running (none is ready).
pub(super) fn slot_freed(tx: &mut Tx<'_>, run: &RunRow) -> Result<()> {
    let (running_after, others_open) = (run.running - 1, run.open_tasks - 1);
    if run.running >= run.max_parallel && running_after < run.max_parallel && others_open > running_after {
        wake_ready_agents(tx, &run.workspace_id, &run.id)?;
    }
    Ok(())
}

pub(super) fn load_task(tx: &mut Tx<'_>, run_id: &str, task_id: &str) -> Result<TaskRow> {
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
/// A completion may add tasks to its run (`spawned`): they are written
/// before the task's dependents are released, or the completion is refused
/// as a whole.
pub fn complete(
    tx: &mut Tx<'_>,
    lease_id: &str,
    output: &Value,
    usage: Option<Usage>,
    spawned: Option<&Spawned>,
) -> Result<Completed> {
    let (run, att) = live_attempt(tx, lease_id)?;
    check_live(&att, tx.now)?;
    charge_usage(tx, &run, &att, usage)?;
    let out = output.to_string();
    let mut task = end_attempt(tx, &run, &att, AttemptStatus::Succeeded, Some(&out), None)?;
    if let Some(s) = spawned.filter(|s| !s.is_empty()) {
        extend_run(tx, &mut task, s)?;
    }
    // The completion's one event: the attempt completed, and the task moved with it.
    let completed = |to: TaskStatus, what: &str| {
        NewEvent::new(EventKind::AttemptCompleted, format!("attempt {} completed; {what}", att.number))
            .moving_task(&att.task_id, TaskStatus::Running, to)
            .attempt(att.number)
            .with("output_bytes", out.len())
    };
    // The attempt was live, so its task was RUNNING until `end_attempt` wrote it.
    if !task_spec(&task)?.criteria.is_empty() {
        // The verifier decides (outside this transaction: a judge may take seconds);
        // the output is the task's only once it passes.
        with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((&att.run_id, &att.task_id)))
            .set((
                tasks::output_json.eq(None::<String>),
                tasks::status.eq(TaskStatus::Verifying),
                tasks::updated_at.eq(tx.now),
            ))
            .cached().run(c))?;
        let ev = completed(TaskStatus::Verifying, "verifying its output");
        task_status_event(tx, &task, TaskStatus::Running, TaskStatus::Verifying, ev)?;
        enforce_budget(tx, &run.id)?;
        return Ok(Completed {
            status: TaskStatus::Verifying,
            run_id: att.run_id,
            task_id: att.task_id,
            agent: task.agent,
            agent_instance: att.agent_instance,
        });
    }
    let ev = completed(TaskStatus::Succeeded, "output accepted");
    task_status_event(tx, &task, TaskStatus::Running, TaskStatus::Succeeded, ev)?;
    let agent = task.agent.clone();
    finished(tx, &run.id, task)?;
    enforce_budget(tx, &run.id)?;
    Ok(Completed {
        status: TaskStatus::Succeeded,
        run_id: att.run_id,
        task_id: att.task_id,
        agent,
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

/// What follows a failed attempt: the facts for
/// [`decide::after_failed_attempt`] (the task as it is, its retry policy),
/// and its effects applied.
pub(super) fn after_failed_attempt(
    tx: &mut Tx<'_>,
    run_id: &str,
    task_id: &str,
    attempt: i32,
    error: &str,
    retryable: bool,
) -> Result<FailOutcome> {
    let run = lock_run(tx, run_id)?;
    let task = load_task(tx, run_id, task_id)?;
    let status = task.status;
    let policy = if status.is_terminal() {
        RetryPolicy::default()
    } else {
        effective_retry(&task_spec(&task)?, &run_spec(&run)?)
    };
    let facts = decide::FailedAttempt {
        task_id,
        status,
        attempt,
        attempt_limit: task.attempt_limit,
        retryable,
        error,
        optional: task.optional,
        policy: &policy,
        run_ended: run.status.is_terminal(),
        unit_random: fastrand::f64(),
    };
    let effects = decide::after_failed_attempt(&facts);
    let outcome = match effects.first() {
        None => FailOutcome { status, retry_at: None, backoff_ms: None },
        Some(Effect::ScheduleRetry { backoff_ms, .. }) => FailOutcome {
            status: TaskStatus::RetryScheduled,
            retry_at: Some(tx.now + *backoff_ms as i64 * 1000),
            backoff_ms: Some(*backoff_ms),
        },
        Some(_) => FailOutcome { status: TaskStatus::Failed, retry_at: None, backoff_ms: None },
    };
    apply(tx, run_id, Some(task), effects)?;
    Ok(outcome)
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
