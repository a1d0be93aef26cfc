//! Replanning on failure, in the store: a run whose required task failed
//! waits for the planner's revision (`run_replans.awaiting_task`), and the
//! revision replaces what the failure left unrunnable. Whether a failure is
//! answered so is `decide::after_finished`'s (with the run's policy); what a
//! revision adds is validated as spawned tasks are (`domain::spawn`).

use diesel::prelude::*;
use serde_json::json;

use super::apply::end_with_error;
use super::models::*;
use super::schema::*;
use super::{progress::*, runs::*, shared::*, spawn::add_tasks};
use super::{with_conn, Conn, Tx};
use crate::domain::spawn::{self, Spawn};
use crate::domain::{EventKind, NewEvent, PlanLimits, RunStatus, TaskSpec, TaskStatus};
use crate::error::{Error, Result};

/// What a run's revisions left: how many there were, the failed task whose
/// revision it awaits, the last revision's tasks, the failures revisions
/// answered and the tasks they replaced. One read of its row.
#[derive(Debug, Clone, Default)]
pub(super) struct ReplanState {
    pub replans: i32,
    pub awaiting: Option<String>,
    pub last_revision: Option<String>,
    pub revised: Vec<String>,
    pub replaced: Vec<String>,
}

pub(super) fn state(tx: &mut Tx<'_>, run_id: &str) -> Result<ReplanState> {
    type Row = (i32, Option<String>, Option<String>, Option<String>, Option<String>);
    let row: Option<Row> = with_conn!(&mut tx.conn, c => run_replans::table
        .find(run_id)
        .select((
            run_replans::replans,
            run_replans::awaiting_task,
            run_replans::last_revision,
            run_replans::revised_tasks,
            run_replans::replaced_tasks,
        ))
        .get_result(c)
        .optional())?;
    let Some((replans, awaiting, last_revision, revised, replaced)) = row else { return Ok(ReplanState::default()) };
    let list = |s: Option<String>| -> Result<Vec<String>> {
        Ok(match s {
            Some(s) => serde_json::from_str(&s)?,
            None => Vec::new(),
        })
    };
    Ok(ReplanState { replans, awaiting, last_revision, revised: list(revised)?, replaced: list(replaced)? })
}

/// A run that ends (fails, is cancelled) awaits no revision any more.
pub(super) fn stop_awaiting(tx: &mut Tx<'_>, run_id: &str) -> Result<()> {
    with_conn!(&mut tx.conn, c => diesel::update(
            run_replans::table.find(run_id).filter(run_replans::awaiting_task.is_not_null()),
        )
        .set(run_replans::awaiting_task.eq(None::<String>))
        .execute(c))?;
    Ok(())
}

/// A required task failed and the run replans: it awaits the planner's
/// revision (the reconciler hands it over), and does not end meanwhile.
pub(super) fn await_revision(tx: &mut Tx<'_>, run_id: &str, task_id: &str, reason: &str) -> Result<()> {
    let run = lock_run(tx, run_id)?;
    let replans = state(tx, run_id)?.replans;
    with_conn!(&mut tx.conn, c => diesel::insert_into(run_replans::table)
        .values((
            run_replans::run_id.eq(run_id),
            run_replans::workspace_id.eq(&run.workspace_id),
            run_replans::replans.eq(0),
            run_replans::awaiting_task.eq(Some(task_id)),
        ))
        .on_conflict(run_replans::run_id)
        .do_update()
        .set(run_replans::awaiting_task.eq(Some(task_id)))
        .execute(c))?;
    let message = format!("{reason}; the planner is asked to revise what is left (revision {})", replans + 1);
    tx.event(
        run_id,
        &run.workspace_id,
        NewEvent::new(EventKind::ReplanRequested, message).task(task_id).with("revision", replans + 1),
    );
    tx.wake_reconciler();
    Ok(())
}

/// A run awaiting a revision, with what its planner needs to know.
#[derive(Debug, Clone)]
pub struct Replanning {
    pub run: RunRow,
    /// The failed task and its error.
    pub failed: TaskRow,
    /// Every task of the run, in plan order.
    pub tasks: Vec<TaskRow>,
    /// The tasks downstream of the failed one (what the revision replaces).
    pub downstream: std::collections::HashSet<String>,
    /// Revisions before this one.
    pub replans: i32,
}

/// Executing runs that await a revision (at most 100).
pub fn replanning_runs(conn: &mut Conn<'_>) -> Result<Vec<Replanning>> {
    let waiting: Vec<(String, i32, String)> = with_conn!(conn, c => run_replans::table
        .filter(run_replans::awaiting_task.is_not_null())
        .select((run_replans::run_id, run_replans::replans, run_replans::awaiting_task.assume_not_null()))
        .limit(100)
        .load(c))?;
    let mut out = Vec::new();
    for (run_id, replans, task_id) in waiting {
        let run: RunRow = with_conn!(conn, c => runs::table.find(&run_id).select(RunRow::as_select()).get_result(c))?;
        if run.status != RunStatus::Executing {
            continue;
        }
        let tasks: Vec<TaskRow> = with_conn!(conn, c => tasks::table
            .filter(tasks::run_id.eq(&run_id))
            .order(tasks::position.asc())
            .select(TaskRow::as_select())
            .load(c))?;
        let Some(failed) = tasks.iter().find(|t| t.task_id == task_id).cloned() else { continue };
        let downstream = descendants(conn, &run_id, &task_id)?;
        out.push(Replanning { run, failed, tasks, replans, downstream });
    }
    Ok(out)
}

/// Whether a run (as read by the planner) still awaits the revision of `task_id`'s failure.
pub fn still_awaits(tx: &mut Tx<'_>, run_id: &str, task_id: &str) -> Result<bool> {
    let run = lock_run(tx, run_id)?;
    Ok(run.status == RunStatus::Executing && state(tx, run_id)?.awaiting.as_deref() == Some(task_id))
}

/// Installs the planner's revision: the failed task's downstream tasks that
/// never ran are SKIPPED ("replaced by the revised plan"), the revision's
/// tasks are added (its first ones depending on what the failed task
/// depended on, so they get its inputs), and the run goes on.
pub fn revise_plan(
    tx: &mut Tx<'_>,
    run_id: &str,
    failed_task: &str,
    revision: Vec<TaskSpec>,
    limits: &PlanLimits,
    max_plan_bytes: usize,
    notes: Vec<String>,
) -> Result<()> {
    let run = lock_run(tx, run_id)?;
    let before = state(tx, run_id)?;
    if run.status != RunStatus::Executing || before.awaiting.as_deref() != Some(failed_task) {
        return Err(Error::FailedPrecondition(format!("run {run_id} no longer awaits a revision")));
    }
    let n = before.replans + 1;
    // The run's graph, read once: what the failure left unrunnable (its
    // downstream tasks, all still PENDING) and what the failed task needed.
    let (run_tasks_rows, edges) = super::spawn::run_graph(&mut tx.conn, run_id)?;
    let downstream = downstream_of(&edges, failed_task);
    let mut removed: Vec<TaskRow> = with_conn!(&mut tx.conn, c => tasks::table
        .filter(tasks::run_id.eq(run_id))
        .filter(tasks::task_id.eq_any(&downstream))
        .filter(tasks::status.eq(TaskStatus::Pending))
        .select(TaskRow::as_select())
        .load(c))?;
    removed.sort_by_key(|t| t.position);
    let why = format!("skipped: replaced by the revised plan (revision {n})");
    // (Each move to SKIPPED takes its task off the run's open count.)
    for t in &mut removed {
        end_with_error(tx, t, TaskStatus::Skipped, why.clone(), &why)?;
    }
    // The revision's ids are its own, under a prefix no plan task has.
    let failed_deps: Vec<String> = edges.iter().filter(|(t, _)| t == failed_task).map(|(_, d)| d.clone()).collect();
    let prefix = format!("rev{n}.");
    // A dependency on one of the revision's own tasks is renamed with it; one
    // on a task of the run (named by its id) stays.
    let own: std::collections::HashSet<String> = revision.iter().map(|t| t.id.clone()).collect();
    let tasks: Vec<TaskSpec> = revision
        .into_iter()
        .map(|t| {
            let depends_on = if t.depends_on.is_empty() {
                failed_deps.clone()
            } else {
                t.depends_on.iter().map(|d| if own.contains(d) { format!("{prefix}{d}") } else { d.clone() }).collect()
            };
            TaskSpec { id: format!("{prefix}{}", t.id), depends_on, ..t }
        })
        .collect();
    let run_tasks = spawn::run_tasks(&run_tasks_rows, &edges);
    let request = Spawn {
        parent: None,
        parent_has_criteria: false,
        run_degraded: run.degraded,
        tasks: &tasks,
        repoint: &[],
        repointed_specs: &[],
    };
    // The planner's answer was validated as a plan; here it is checked against the run.
    let ext = spawn::extend(&run_tasks, request, limits).map_err(Error::InvalidArgument)?;
    drop(run_tasks);
    let added = add_tasks(tx, &run, &tasks, &ext, None, max_plan_bytes)?;
    let summary: Vec<String> = tasks.iter().map(|t| format!("{} {:?}", t.id, t.title)).collect();
    let last = crate::domain::plan::truncate(&summary.join(", "), 1000).to_string();
    let (mut revised, mut replaced) = (before.revised, before.replaced);
    revised.push(failed_task.to_string());
    replaced.extend(removed.iter().map(|t| t.task_id.clone()));
    with_conn!(&mut tx.conn, c => diesel::update(run_replans::table.find(run_id))
        .set((
            run_replans::replans.eq(n),
            run_replans::awaiting_task.eq(None::<String>),
            run_replans::last_revision.eq(Some(&last)),
            run_replans::revised_tasks.eq(Some(serde_json::to_string(&revised)?)),
            run_replans::replaced_tasks.eq(Some(serde_json::to_string(&replaced)?)),
        ))
        .execute(c))?;
    let message = format!(
        "plan revised (revision {n}) after task {failed_task:?} failed: {} replaced by {last}",
        plural(removed.len(), "task"),
    );
    tx.event(
        run_id,
        &run.workspace_id,
        NewEvent::new(EventKind::PlanRevised, message)
            .task(failed_task)
            .with("revision", n)
            .with("removed", json!(removed.iter().map(|t| t.task_id.as_str()).collect::<Vec<_>>()))
            .with(
                "added",
                json!(tasks
                    .iter()
                    .map(|t| json!({"id": t.id, "title": t.title, "agent": t.agent, "depends_on": t.depends_on}))
                    .collect::<Vec<_>>()),
            )
            .with("notes", notes),
    );
    added.make_ready(tx)?;
    finish_if_done(tx, run_id)
}

/// The planner could not revise the plan: the run fails as it would have
/// without replanning, with the planner's reason.
pub fn replanning_failed(tx: &mut Tx<'_>, run_id: &str, failed_task: &str, reason: &str) -> Result<()> {
    if !still_awaits(tx, run_id, failed_task)? {
        return Ok(());
    }
    // Closing the run's open tasks ends its wait (`stop_awaiting`).
    fail_run(tx, run_id, reason, Some(failed_task))
}
