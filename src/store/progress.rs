//! How a run moves on: a task made ready with its inputs (aggregations done
//! on the spot), what a finished task releases, and the run's end (its
//! output from its sinks, or its failure and the tasks that close with it).

use std::collections::{HashMap, HashSet, VecDeque};

use diesel::prelude::*;
use serde_json::Value;

use super::dispatch::*;
use super::models::*;
use super::queries::*;
use super::schema::*;
use super::sql::CachedExt;
use super::{with_conn, Conn, Tx};
use crate::domain::{self, AggregateMode, AttemptStatus, RunStatus, TaskKind, TaskSpec, TaskStatus};
use crate::error::Result;

/// Whether a finished dependency lets its dependents go on.
pub(super) fn releases_dependents(status: TaskStatus, optional: bool) -> bool {
    status == TaskStatus::Succeeded
        || (optional && matches!(status, TaskStatus::Failed | TaskStatus::Skipped | TaskStatus::Cancelled))
}

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
/// together for several tasks (a completion that releases many dependents).
fn make_ready_with(tx: &mut Tx<'_>, run: &RunRow, task: TaskRow, read: Option<&mut DependencyOutputs>) -> Result<()> {
    // A run that ended earlier in this transaction (a task failed at a limit on
    // its way to READY, failing the run) readies nothing more: the rows the
    // caller's loop holds were read before it ended, and are stale.
    if run_status(&lock_run(tx, &task.run_id)?)?.is_terminal() {
        return Ok(());
    }
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
pub(super) fn fail_unstarted(tx: &mut Tx<'_>, run: &RunRow, task: &TaskRow, why: &str) -> Result<()> {
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
pub(super) fn task_finished(tx: &mut Tx<'_>, run_id: &str, task_id: &str, status: TaskStatus) -> Result<()> {
    task_finished_with(tx, run_id, task_id, status, -1)
}

/// [`task_finished`] knowing how many tasks depend on it (its row's
/// `dependents`; -1 when not known): with none, no statement looks for them.
pub(super) fn task_finished_with(
    tx: &mut Tx<'_>,
    run_id: &str,
    task_id: &str,
    status: TaskStatus,
    dependents: i32,
) -> Result<()> {
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
    let dependents = task.as_ref().map_or(dependents, |t| t.dependents);
    if releases_dependents(status, task.as_ref().is_some_and(|t| t.optional)) {
        // Its dependents found and counted down in one statement (none to find
        // when its row says nothing depends on it).
        if dependents != 0 {
            let dependents = task_deps::table
                .filter(task_deps::run_id.eq(run_id))
                .filter(task_deps::depends_on.eq(task_id))
                .select(task_deps::task_id);
            let released: Vec<TaskRow> = with_conn!(&mut tx.conn, c => diesel::update(
                    tasks::table
                        .filter(tasks::run_id.eq(run_id))
                        .filter(tasks::task_id.eq_any(dependents))
                        .filter(tasks::status.eq(TaskStatus::Pending.as_str())),
                )
                .set(tasks::remaining_deps.eq(tasks::remaining_deps - 1))
                .returning(TaskRow::as_returning())
                .cached()
                .get_results(c))?;
            let mut now_ready: Vec<TaskRow> = released.into_iter().filter(|t| t.remaining_deps == 0).collect();
            now_ready.sort_by_key(|t| t.position);
            let mut read = if now_ready.len() > 1 { Some(dependency_outputs(tx, run_id, &now_ready)?) } else { None };
            for t in now_ready {
                make_ready_with(tx, &run, t, read.as_mut())?;
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
pub(super) fn finish_run(tx: &mut Tx<'_>, run: &RunRow) -> Result<()> {
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

pub(super) fn descendants(conn: &mut Conn<'_>, run_id: &str, root: &str) -> Result<HashSet<String>> {
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
pub(super) fn close_open_tasks(
    tx: &mut Tx<'_>,
    run: &RunRow,
    decide: impl Fn(&str) -> (TaskStatus, &'static str),
) -> Result<()> {
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
