//! Tasks that spawn tasks, in the store: a completion's new tasks and
//! re-pointed joins written in the completion's own transaction, before the
//! completing task's dependents are released (so a join re-pointed at a
//! fan-out waits for all of it). What the run becomes is
//! `domain::spawn::extend`'s to decide; this reads its facts and writes it.

use diesel::prelude::*;
use serde_json::json;

use super::models::*;
use super::schema::*;
use super::{dispatch::load_task, progress::make_ready, runs::*, shared::*, tasks::task_rows};
use super::{with_conn, Conn, Tx};
use crate::domain::spawn::{self, Repoint, Spawn};
use crate::domain::{EventKind, NewEvent, PlanLimits, TaskSpec, TaskStatus, Violation};
use crate::error::{Error, Result};

/// What a completion adds to its run.
#[derive(Debug, Clone, Default)]
pub struct Spawned {
    pub tasks: Vec<TaskSpec>,
    pub repoint: Vec<Repoint>,
    /// What the engine found wrong with the new tasks already (their agents,
    /// their criteria's parameters): reported with the graph's violations.
    pub violations: Vec<Violation>,
    /// The server's plan limits (spawns per call and depth among them).
    pub limits: PlanLimits,
    /// The most the run's stored plan may grow to (GetRun answers with it).
    pub max_plan_bytes: usize,
}

impl Spawned {
    pub fn is_empty(&self) -> bool {
        self.tasks.is_empty() && self.repoint.is_empty() && self.violations.is_empty()
    }
}

/// A run's tasks (id, status, optional, spawn depth) and edges (task, dependency).
pub(super) type RunGraph = (Vec<(String, TaskStatus, bool, i32)>, Vec<(String, String)>);

pub(super) fn run_graph(conn: &mut Conn<'_>, run_id: &str) -> Result<RunGraph> {
    let rows = with_conn!(conn, c => tasks::table
        .filter(tasks::run_id.eq(run_id))
        .select((tasks::task_id, tasks::status, tasks::optional, tasks::spawn_depth))
        .load(c))?;
    let edges = with_conn!(conn, c => task_deps::table
        .filter(task_deps::run_id.eq(run_id))
        .select((task_deps::task_id, task_deps::depends_on))
        .load(c))?;
    Ok((rows, edges))
}

/// Most previous dependencies of a re-pointed task the `plan.extended` event lists.
const LISTED_DEPENDENCIES: usize = 50;

/// What `spawned` makes of the run of `parent`, or every violation; with the
/// re-pointed tasks' previous dependencies (for the event).
fn validate(
    conn: &mut Conn<'_>,
    run: &RunRow,
    parent: &TaskRow,
    spawned: &Spawned,
) -> Result<(spawn::Extension, serde_json::Map<String, serde_json::Value>)> {
    let (rows, edges) = run_graph(conn, &run.id)?;
    let run_tasks = spawn::run_tasks(&rows, &edges);
    let targets: Vec<&str> = spawned.repoint.iter().map(|r| r.task_id.as_str()).collect();
    let specs: Vec<String> = if targets.is_empty() {
        Vec::new()
    } else {
        with_conn!(conn, c => tasks::table
            .filter(tasks::run_id.eq(&run.id))
            .filter(tasks::task_id.eq_any(&targets))
            .select(tasks::spec_json)
            .load(c))?
    };
    let repointed_specs =
        specs.iter().map(|s| serde_json::from_str(s)).collect::<serde_json::Result<Vec<TaskSpec>>>()?;
    let request = Spawn {
        parent: Some(&parent.task_id),
        parent_has_criteria: !task_spec(parent)?.criteria.is_empty(),
        run_degraded: run.degraded,
        tasks: &spawned.tasks,
        repoint: &spawned.repoint,
        repointed_specs: &repointed_specs,
    };
    let ext = match spawn::extend(&run_tasks, request, &spawned.limits) {
        Ok(_) if !spawned.violations.is_empty() => return Err(Error::InvalidArgument(spawned.violations.clone())),
        Ok(ext) => ext,
        Err(mut v) => {
            v.extend(spawned.violations.iter().cloned());
            return Err(Error::InvalidArgument(v));
        }
    };
    let unpointed = run_tasks
        .iter()
        .filter(|t| targets.contains(&t.task_id))
        .map(|t| (t.task_id.to_string(), json!(t.depends_on.iter().take(LISTED_DEPENDENCIES).collect::<Vec<_>>())))
        .collect();
    Ok((ext, unpointed))
}

/// Checks a completion's spawn on a read connection before it is written, so
/// that a refused one costs the writer nothing (the write checks it again:
/// the run may move in between). A lease that is not live passes here and is
/// refused by the write.
pub fn check_spawn(conn: &mut Conn<'_>, lease_id: &str, scope: Option<&str>, spawned: &Spawned) -> Result<()> {
    let (run, task) = match super::dispatch::attempt_context(conn, lease_id, scope) {
        Ok(found) => found,
        Err(Error::FailedPrecondition(_)) => return Ok(()),
        Err(e) => return Err(e),
    };
    if task.status != TaskStatus::Running {
        return Ok(());
    }
    validate(conn, &run, &task, spawned).map(|_| ())
}

/// Adds `spawned` to the run of `parent` (the completing task's row as its
/// completion wrote it; its count of dependents is updated here), or refuses
/// it whole with every violation.
pub(super) fn extend_run(tx: &mut Tx<'_>, parent: &mut TaskRow, spawned: &Spawned) -> Result<()> {
    let run_id = parent.run_id.clone();
    let run = lock_run(tx, &run_id)?;
    let (ext, unpointed) = validate(&mut tx.conn, &run, parent, spawned)?;
    let added = add_tasks(tx, &run, &spawned.tasks, &ext, Some(&parent.task_id), spawned.max_plan_bytes)?;
    if let Some((_, n)) = ext.dependents_delta.iter().find(|(id, _)| *id == parent.task_id) {
        if parent.dependents >= 0 {
            parent.dependents += n;
        }
    }
    let ids: Vec<&str> = ext.added.iter().map(|a| a.task_id.as_str()).collect();
    let repointed: serde_json::Map<String, serde_json::Value> =
        ext.repointed.iter().map(|r| (r.task_id.clone(), json!(r.depends_on))).collect();
    let what = match (ids.len(), repointed.len()) {
        (n, 0) => format!("{} added {}", parent.task_id, plural(n, "task")),
        (n, m) => format!("{} added {} and re-pointed {}", parent.task_id, plural(n, "task"), plural(m, "task")),
    };
    tx.event(
        &run_id,
        &run.workspace_id,
        NewEvent::new(EventKind::PlanExtended, what)
            .task(&parent.task_id)
            .with("tasks", json!(ids))
            .with("repointed", serde_json::Value::Object(repointed))
            .with("previous_depends_on", serde_json::Value::Object(unpointed)),
    );
    // What waits for nothing (its dependencies done) is ready now; what waits
    // for the completing task is released by its completion, right after.
    added.make_ready(tx)
}

/// New tasks written, waiting to be made ready.
pub(super) struct AddedTasks {
    run_id: String,
    ready: Vec<TaskRow>,
    repointed_ready: Vec<String>,
}

impl AddedTasks {
    /// Makes ready what waits for nothing: new tasks whose dependencies are
    /// done, and re-pointed tasks likewise.
    pub(super) fn make_ready(self, tx: &mut Tx<'_>) -> Result<()> {
        let run = lock_run(tx, &self.run_id)?;
        for row in self.ready {
            make_ready(tx, &run, row)?;
        }
        for id in self.repointed_ready {
            let row = load_task(tx, &self.run_id, &id)?;
            make_ready(tx, &run, row)?;
        }
        Ok(())
    }
}

/// Writes what an extension adds to `run`: the new tasks (`tasks`, in the
/// order of `ext.added`) with their edges, the re-pointed tasks, the counts
/// of dependents, the run's open count and its stored plan.
pub(super) fn add_tasks(
    tx: &mut Tx<'_>,
    run: &RunRow,
    tasks: &[TaskSpec],
    ext: &spawn::Extension,
    spawned_by: Option<&str>,
    max_plan_bytes: usize,
) -> Result<AddedTasks> {
    let run_id = run.id.clone();
    let next_position: i32 = with_conn!(&mut tx.conn, c => tasks::table
        .filter(tasks::run_id.eq(&run_id))
        .select(diesel::dsl::max(tasks::position))
        .get_result::<Option<i32>>(c))?
    .map_or(0, |p| p + 1);
    // The new tasks, filled with the run's default retry as a plan's are.
    let default_retry = run_spec(run)?.policy.default_retry.unwrap_or_default();
    let filled = crate::domain::plan::with_retry_defaults(tasks, &default_retry);
    let (mut new_rows, new_edges) =
        task_rows(&run.workspace_id, &run_id, run.priority, &default_retry, &filled, tx.now)?;
    for (row, added) in new_rows.iter_mut().zip(&ext.added) {
        row.position += next_position;
        row.remaining_deps = added.remaining_deps;
        row.dependents = added.dependents;
        row.spawn_depth = added.spawn_depth;
        row.spawned_by = spawned_by.map(str::to_string);
    }
    if !new_rows.is_empty() {
        with_conn!(&mut tx.conn, c => diesel::insert_into(tasks::table).values(&new_rows).execute(c))?;
    }
    if !new_edges.is_empty() {
        with_conn!(&mut tx.conn, c => diesel::insert_into(task_deps::table).values(&new_edges).execute(c))?;
    }
    for r in &ext.repointed {
        let row = load_task(tx, &run_id, &r.task_id)?;
        let mut spec = task_spec(&row)?;
        spec.depends_on = r.depends_on.clone();
        with_conn!(&mut tx.conn, c => diesel::delete(
                task_deps::table.filter(task_deps::run_id.eq(&run_id)).filter(task_deps::task_id.eq(&r.task_id)),
            )
            .execute(c))?;
        let edges: Vec<DepRow> = r
            .depends_on
            .iter()
            .map(|d| DepRow {
                run_id: run_id.clone(),
                task_id: r.task_id.clone(),
                depends_on: d.clone(),
                workspace_id: run.workspace_id.clone(),
            })
            .collect();
        if !edges.is_empty() {
            with_conn!(&mut tx.conn, c => diesel::insert_into(task_deps::table).values(&edges).execute(c))?;
        }
        with_conn!(&mut tx.conn, c => diesel::update(tasks::table.find((&run_id, &r.task_id)))
            .set((
                tasks::spec_json.eq(serde_json::to_string(&spec)?),
                tasks::remaining_deps.eq(r.remaining_deps),
                tasks::updated_at.eq(tx.now),
            ))
            .execute(c))?;
    }
    for (task_id, n) in &ext.dependents_delta {
        // A row from before dependents were counted (-1) stays unknown.
        with_conn!(&mut tx.conn, c => diesel::update(
                tasks::table.find((&run_id, task_id)).filter(tasks::dependents.ge(0)),
            )
            .set(tasks::dependents.eq(tasks::dependents + *n))
            .execute(c))?;
    }
    tx.add_run_counters(&run_id, 0, new_rows.len() as i32);
    update_plan(tx, &run_id, &filled, &ext.repointed, max_plan_bytes)?;
    Ok(AddedTasks {
        run_id,
        ready: new_rows.into_iter().filter(|r| r.remaining_deps == 0).collect(),
        repointed_ready: ext.repointed.iter().filter(|r| r.remaining_deps == 0).map(|r| r.task_id.clone()).collect(),
    })
}

/// The run's stored plan (what GetRun shows) as the graph is now.
/// A plan that would outgrow `max_plan_bytes` is refused (the whole change with it).
fn update_plan(
    tx: &mut Tx<'_>,
    run_id: &str,
    added: &[TaskSpec],
    repointed: &[spawn::Repointed],
    max_plan_bytes: usize,
) -> Result<()> {
    let stored: Option<String> = with_conn!(&mut tx.conn, c => run_plans::table
        .find(run_id)
        .select(run_plans::plan_json)
        .get_result(c)
        .optional())?;
    let Some(stored) = stored else { return Ok(()) };
    let mut plan: Vec<TaskSpec> = serde_json::from_str(&stored)?;
    for r in repointed {
        if let Some(t) = plan.iter_mut().find(|t| t.id == r.task_id) {
            t.depends_on = r.depends_on.clone();
        }
    }
    plan.extend(added.iter().cloned());
    let json = serde_json::to_string(&plan)?;
    if json.len() > max_plan_bytes {
        return Err(Error::invalid(
            "spawn",
            format!("the run's plan would be {} bytes, over the limit of {max_plan_bytes}", json.len()),
        ));
    }
    with_conn!(&mut tx.conn, c => diesel::update(run_plans::table.find(run_id))
        .set(run_plans::plan_json.eq(json))
        .execute(c))?;
    Ok(())
}
