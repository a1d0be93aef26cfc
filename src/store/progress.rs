//! How a run moves on: the facts the domain's decisions need (a task's
//! dependencies' outputs, a finished task's row, a run's tasks at its end),
//! read here and handed to `domain::decide`, whose effects `apply` writes;
//! and the statements those effects are made of (dependents released, the
//! run failed with the tasks that close with it).

use std::collections::{HashMap, HashSet, VecDeque};

use diesel::prelude::*;

use super::apply::apply;
use super::dispatch::*;
use super::models::*;
use super::schema::*;
use super::sql::CachedExt;
use super::{runs::*, shared::*, tasks::*};
use super::{with_conn, Conn, Tx};
use crate::domain::{self, decide, AttemptStatus, RunStatus, TaskStatus};
use crate::error::Result;

/// PENDING → READY (or WAITING_APPROVAL): its inputs are its dependencies'
/// outputs. Aggregations that need no agent are done on the spot.
pub(super) fn make_ready(tx: &mut Tx<'_>, run: &RunRow, task: TaskRow) -> Result<()> {
    make_ready_with(tx, run, task, None)
}

/// The dependencies' outputs of several tasks, read together: by task id,
/// (dependency id, its output), for [`make_ready_with`].
type DependencyOutputs = HashMap<String, Vec<(String, Option<String>)>>;

/// Tasks read per statement by [`dependency_outputs`]; a shorter chunk is
/// padded with its last id, so that the statement has one form and stays cached.
const TASKS_PER_OUTPUTS_READ: usize = 16;

/// The outputs of the dependencies of `tasks` (all of one run), in one
/// statement per [`TASKS_PER_OUTPUTS_READ`] tasks.
fn dependency_outputs(tx: &mut Tx<'_>, run_id: &str, tasks: &[TaskRow]) -> Result<DependencyOutputs> {
    let mut out = DependencyOutputs::new();
    for chunk in tasks.chunks(TASKS_PER_OUTPUTS_READ) {
        let mut ids: Vec<&str> = chunk.iter().map(|t| t.task_id.as_str()).collect();
        let last = ids[ids.len() - 1];
        ids.resize(TASKS_PER_OUTPUTS_READ, last);
        let rows: Vec<(String, String, Option<String>)> = with_conn!(&mut tx.conn, c => task_deps::table
            .inner_join(tasks::table.on(tasks::run_id.eq(task_deps::run_id).and(tasks::task_id.eq(task_deps::depends_on))))
            .filter(task_deps::run_id.eq(run_id))
            .filter(task_deps::task_id.eq_any(&ids))
            .select((task_deps::task_id, tasks::task_id, tasks::output_json))
            .cached()
            .load(c))?;
        for (task, dep, output) in rows {
            out.entry(task).or_default().push((dep, output));
        }
    }
    Ok(out)
}

/// [`make_ready`], given the dependencies' outputs when they were read
/// together for several tasks (a completion that releases many dependents):
/// the facts for [`decide::readiness`], and its effects applied.
fn make_ready_with(tx: &mut Tx<'_>, run: &RunRow, task: TaskRow, read: Option<&mut DependencyOutputs>) -> Result<()> {
    let run_ended = lock_run(tx, &task.run_id)?.status.is_terminal();
    let spec = task_spec(&task)?;
    let deps: Vec<(String, Option<String>)> = if spec.depends_on.is_empty() {
        Vec::new()
    } else if let Some(read) = read {
        read.remove(&task.task_id).unwrap_or_default()
    } else {
        with_conn!(&mut tx.conn, c => task_deps::table
            .inner_join(tasks::table.on(tasks::run_id.eq(task_deps::run_id).and(tasks::task_id.eq(task_deps::depends_on))))
            .filter(task_deps::run_id.eq(&task.run_id))
            .filter(task_deps::task_id.eq(&task.task_id))
            .select((tasks::task_id, tasks::output_json))
            .load(c))?
    };
    let effects = decide::readiness(&spec, &deps, tx.max_output_bytes, run_ended)?;
    apply(tx, &run.id, Some(task), effects)
}

/// After a task reached a terminal status (its row as written): the facts
/// for [`decide::after_finished`], and its effects applied.
pub(super) fn finished(tx: &mut Tx<'_>, run_id: &str, task: TaskRow) -> Result<()> {
    let run = lock_run(tx, run_id)?;
    // Only a required failure asks the run's policy and revisions (read then alone).
    let required_failure = task.status == TaskStatus::Failed && !task.optional;
    let state = match required_failure {
        true => super::replans::state(tx, run_id)?,
        false => super::replans::ReplanState::default(),
    };
    let policy_allows = required_failure && run_spec(&run)?.policy.may_replan(state.replans);
    let revisions = decide::Revisions {
        policy_allows,
        awaiting: state.awaiting.as_deref(),
        replans: state.replans,
        last: state.last_revision.as_deref(),
    };
    let facts = decide::FinishedTask {
        task_id: &task.task_id,
        status: task.status,
        optional: task.optional,
        error: task.error.as_deref(),
        run_ended: run.status.is_terminal(),
        revisions,
    };
    let effects = decide::after_finished(&facts);
    apply(tx, run_id, Some(task), effects)
}

/// [`finished`] for a task whose row the caller does not hold as written.
pub(super) fn task_finished(tx: &mut Tx<'_>, run_id: &str, task_id: &str) -> Result<()> {
    let task = load_task(tx, run_id, task_id)?;
    finished(tx, run_id, task)
}

/// A finished task's dependents count it as done, in one statement (none
/// when its row says nothing depends on it); those left with no dependency
/// are made ready, their dependencies' outputs read together.
pub(super) fn release_dependents(tx: &mut Tx<'_>, run_id: &str, task: &TaskRow) -> Result<()> {
    if task.dependents == 0 {
        return Ok(());
    }
    let dependents = task_deps::table
        .filter(task_deps::run_id.eq(run_id))
        .filter(task_deps::depends_on.eq(&task.task_id))
        .select(task_deps::task_id);
    let released: Vec<TaskRow> = with_conn!(&mut tx.conn, c => diesel::update(
            tasks::table
                .filter(tasks::run_id.eq(run_id))
                .filter(tasks::task_id.eq_any(dependents))
                .filter(tasks::status.eq(TaskStatus::Pending)),
        )
        .set(tasks::remaining_deps.eq(tasks::remaining_deps - 1))
        .returning(TaskRow::as_returning())
        .cached()
        .get_results(c))?;
    let mut now_ready: Vec<TaskRow> = released.into_iter().filter(|t| t.remaining_deps == 0).collect();
    now_ready.sort_by_key(|t| t.position);
    let mut read = if now_ready.len() > 1 { Some(dependency_outputs(tx, run_id, &now_ready)?) } else { None };
    let run = lock_run(tx, run_id)?;
    for t in now_ready {
        make_ready_with(tx, &run, t, read.as_mut())?;
    }
    Ok(())
}

/// The run ends if nothing is left open ([`decide::run_is_done`]).
pub(super) fn finish_if_done(tx: &mut Tx<'_>, run_id: &str) -> Result<()> {
    let run = lock_run(tx, run_id)?;
    // Whether a revision is awaited is read only when nothing else is open.
    let awaiting = run.open_tasks <= 0 && super::replans::state(tx, run_id)?.awaiting.is_some();
    if decide::run_is_done(run.open_tasks, run.status, awaiting) {
        finish_run(tx, &run)?;
    }
    Ok(())
}

/// Every task is terminal: the facts for [`decide::run_end`] (each task's
/// status and output, the plan's final tasks), and its effects applied.
/// The final tasks are those whose rows count no dependent; only rows stored
/// before that count existed have their specs read to find them.
pub(super) fn finish_run(tx: &mut Tx<'_>, run: &RunRow) -> Result<()> {
    type Ended = (String, TaskStatus, bool, Option<String>, Option<String>, i32);
    let all: Vec<Ended> = with_conn!(&mut tx.conn, c => tasks::table
        .filter(tasks::run_id.eq(&run.id))
        .order(tasks::position.asc())
        .select((tasks::task_id, tasks::status, tasks::optional, tasks::error, tasks::output_json, tasks::dependents))
        .cached()
        .load(c))?;
    // Failed tasks a revision of the plan answered fail the run no more; read only if one failed.
    // (A revision always answers a required failure, so there is none to read otherwise.)
    let replans = match all.iter().any(|t| t.1 == TaskStatus::Failed && !t.2) {
        true => super::replans::state(tx, &run.id)?,
        false => Default::default(),
    };
    let (revised, replaced) = (&replans.revised, &replans.replaced);
    let mut ended = Vec::with_capacity(all.len());
    for (task_id, status, optional, error, output_json, _) in &all {
        ended.push(decide::EndedTask {
            task_id,
            status: *status,
            optional: *optional,
            error: error.as_deref(),
            output_json: output_json.as_deref(),
            revised: revised.contains(task_id),
        });
    }
    let specs;
    let sinks: Vec<&str> = if all.iter().all(|t| t.5 >= 0) {
        all.iter().filter(|t| t.5 == 0).map(|t| t.0.as_str()).collect()
    } else {
        let rows: Vec<String> = with_conn!(&mut tx.conn, c => tasks::table
            .filter(tasks::run_id.eq(&run.id))
            .order(tasks::position.asc())
            .select(tasks::spec_json)
            .load(c))?;
        specs = rows.iter().map(|j| serde_json::from_str(j)).collect::<serde_json::Result<Vec<domain::TaskSpec>>>()?;
        domain::plan::sinks(&specs)
    };
    // What a revision replaced, and the failure it answered, are no final tasks of the run's.
    let sinks: Vec<&str> = sinks.into_iter().filter(|s| !revised.iter().chain(replaced).any(|r| r == s)).collect();
    let has_criteria = !run_spec(run)?.criteria.is_empty();
    let effects = decide::run_end(&ended, &sinks, has_criteria, tx.max_output_bytes)?;
    apply(tx, &run.id, None, effects)
}

/// Fails a run: the failed task's downstream tasks are SKIPPED, every other
/// open task is CANCELLED (its running attempt is told so on its next heartbeat).
pub fn fail_run(tx: &mut Tx<'_>, run_id: &str, reason: &str, failed_task: Option<&str>) -> Result<()> {
    let run = lock_run(tx, run_id)?;
    let from = run.status;
    if from.is_terminal() {
        return Ok(());
    }
    let downstream = match failed_task {
        Some(t) => descendants(&mut tx.conn, run_id, t)?,
        None => HashSet::new(),
    };
    close_open_tasks(tx, &run, |task_id| decide::closing_status(downstream.contains(task_id)))?;
    set_failure_reason(tx, run_id, Some(reason))?;
    set_run_status(tx, &run, from, RunStatus::Failed, reason, |_| {})
}

pub(super) fn descendants(conn: &mut Conn<'_>, run_id: &str, root: &str) -> Result<HashSet<String>> {
    let edges: Vec<(String, String)> = with_conn!(conn, c => task_deps::table
        .filter(task_deps::run_id.eq(run_id))
        .select((task_deps::task_id, task_deps::depends_on))
        .load(c))?;
    Ok(downstream_of(&edges, root))
}

/// Every task downstream of `root`, given a run's edges (task, dependency).
pub(super) fn downstream_of(edges: &[(String, String)], root: &str) -> HashSet<String> {
    let mut children: HashMap<&str, Vec<&str>> = HashMap::new();
    for (task, dep) in edges {
        children.entry(dep.as_str()).or_default().push(task.as_str());
    }
    let mut seen = HashSet::new();
    let mut queue = VecDeque::from([root]);
    while let Some(t) = queue.pop_front() {
        for &c in children.get(t).into_iter().flatten() {
            if seen.insert(c.to_string()) {
                queue.push_back(c);
            }
        }
    }
    seen
}

/// Ends every open task of a run (and its running attempt).
pub(super) fn close_open_tasks(
    tx: &mut Tx<'_>,
    run: &RunRow,
    decide: impl Fn(&str) -> (TaskStatus, &'static str),
) -> Result<()> {
    let open: Vec<TaskRow> = with_conn!(&mut tx.conn, c => tasks::table
        .filter(tasks::run_id.eq(&run.id))
        .filter(tasks::status.ne_all(
            [TaskStatus::Succeeded, TaskStatus::Failed, TaskStatus::Skipped, TaskStatus::Cancelled],
        ))
        .order(tasks::position.asc())
        .select(TaskRow::as_select())
        .load(c))?;
    // A run that closes awaits no revision of its plan any more.
    super::replans::stop_awaiting(tx, &run.id)?;
    with_conn!(&mut tx.conn, c => diesel::update(
            attempts::table
                .filter(attempts::run_id.eq(&run.id))
                .filter(attempts::status.eq_any([AttemptStatus::Running, AttemptStatus::Continuing])),
        )
        .set((attempts::status.eq(AttemptStatus::Cancelled), attempts::finished_at.eq(Some(tx.now))))
        .cached().run(c))?;
    for t in open {
        let (to, why) = decide(&t.task_id);
        let from = t.status;
        with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((&t.run_id, &t.task_id)))
            .set((tasks::lease_id.eq(None::<String>), tasks::lease_expires_at.eq(None::<i64>), tasks::next_turn.eq(0)))
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
