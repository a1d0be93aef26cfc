//! Delegation to child runs in the engine: the reconciler's pass that
//! settles the children whose end (or whose task's) is due at their parent,
//! hands a parent's pause down to its children (and lifts it), and starts
//! the child run of each ready task of kind `run`: its rows built and
//! checked here, with the policy in force, the claim, the carved budget and
//! the child's insert in one transaction of the store. Each step is a
//! transaction of its own and idempotent: a pass cut short by a crash is
//! finished by the next.

use std::sync::Arc;

use serde_json::{json, Map, Value};

use super::Engine;
use crate::domain::{self, RunSpec, TaskStatus};
use crate::error::{Error, Result};
use crate::store::{self, ChildStart, ChildStartFacts, Settled};

impl Engine {
    /// One pass over child runs: settles those due at their parent (first,
    /// so that what they held of its budget is free for the next), steers
    /// those out of step with their parent's pause, then starts those of
    /// ready `run` tasks. Returns how many it changed.
    pub async fn tend_child_runs(self: &Arc<Self>) -> Result<usize> {
        let mut n = 0;
        for due in self.store.read(store::child_runs_to_settle).await? {
            let (id, due) = (due.child.id.clone(), Arc::new(due));
            match self.store.write(move |tx| store::settle_child_run(tx, &due)).await {
                Ok(Settled::Completed(done)) if done.status == TaskStatus::Verifying => {
                    // Judged off the reconciler's loop, as an agent's completion is.
                    let engine = self.clone();
                    tokio::spawn(async move {
                        if let Err(e) = engine.verify_task(&done.run_id, &done.task_id).await {
                            tracing::warn!(run_id = done.run_id, task_id = done.task_id, error = %e, "verification did not finish");
                        }
                    });
                    n += 1;
                }
                Ok(Settled::Waits) => {}
                Ok(_) => n += 1,
                // Its attempt ended meanwhile: the next pass finds it so.
                Err(Error::FailedPrecondition(_)) => {}
                Err(e) => tracing::warn!(child_run_id = id, error = %e, "could not settle a child run"),
            }
        }
        for (row, pause) in self.store.read(store::children_to_steer).await? {
            let (id, row) = (row.child_run_id.clone(), Arc::new(row));
            match self.store.write(move |tx| store::steer_child(tx, &row, pause)).await {
                Ok(()) => n += 1,
                Err(e) => tracing::warn!(child_run_id = id, pause, error = %e, "could not steer a child run"),
            }
        }
        for (run_id, task_id) in self.store.read(store::ready_run_tasks).await? {
            match self.start_child_run(&run_id, &task_id).await {
                Ok(true) => n += 1,
                Ok(false) => {}
                Err(e) => tracing::warn!(run_id, task_id, error = %e, "could not start a child run"),
            }
        }
        Ok(n)
    }

    async fn start_child_run(&self, run_id: &str, task_id: &str) -> Result<bool> {
        let (r, t) = (run_id.to_string(), task_id.to_string());
        let facts = self.store.read(move |c| store::child_start_facts(c, &r, &t)).await?;
        if facts.waits {
            // Its budget is held by the parent's other children: built when they end.
            return Ok(false);
        }
        let start = match self.child_rows(&facts).await {
            Ok(s) => s,
            Err(e) => {
                ChildStart::Refuse(domain::plan::truncate(&format!("the child run could not be made: {e}"), 1000))
            }
        };
        let start = Arc::new(start);
        let (r, t) = (run_id.to_string(), task_id.to_string());
        let started = self.store.write(move |tx| store::start_child_run(tx, &r, &t, &start)).await?;
        if let Some(store::ChildStarted::Started { child_run_id }) = &started {
            tracing::info!(run_id, task_id, child_run_id, "child run started");
        }
        Ok(started.is_some())
    }

    /// The child run of a ready `run` task, built as CreateRun builds a run
    /// and checked against the policy in force and the workspace's limit of
    /// unfinished runs. Its context is sealed: the task's instructions and
    /// inputs, nothing else of the parent's.
    async fn child_rows(&self, f: &ChildStartFacts) -> Result<ChildStart> {
        let max = self.config.limits.run.plan.max_run_depth;
        if f.depth > max as i32 {
            return Err(Error::FailedPrecondition(format!(
                "child runs nest at most {max} deep, and this one would be {} deep",
                f.depth
            )));
        }
        let child = f.spec.child.clone().ok_or_else(|| Error::FailedPrecondition("the task has no child".into()))?;
        let ws = f.run.workspace_id.clone();
        let w = ws.clone();
        let in_flight = self.store.read(move |c| store::runs_in_flight(c, &w)).await?;
        if in_flight >= i64::from(self.config.limits.max_runs_in_flight) {
            return Err(Error::ResourceExhausted(format!(
                "workspace {ws:?} has {in_flight} unfinished runs, its limit"
            )));
        }
        let parent = store::run_spec(&f.run)?;
        let inputs: Map<String, Value> = match &f.task.inputs_json {
            Some(s) => serde_json::from_str(s)?,
            None => Map::new(),
        };
        let mut context = Map::new();
        context.insert("instructions".into(), json!(f.spec.instructions));
        context.insert("inputs".into(), Value::Object(inputs));
        // A retry after a failed verdict: the fresh child hears what was wrong.
        if let Some(feedback) = &f.task.feedback_json {
            context.insert("feedback".into(), serde_json::from_str(feedback)?);
        }
        let spec = RunSpec {
            goal: if child.goal.trim().is_empty() { f.spec.instructions.clone() } else { child.goal.clone() },
            criteria: Vec::new(),
            plan: child.plan.clone(),
            budget: child.budget.clone(),
            max_parallel: f.run.max_parallel.max(1) as u32,
            priority: f.run.priority,
            labels: Default::default(),
            request_id: None,
            policy: parent.policy,
            context,
            recipe: None,
            advice_id: None,
        };
        let tasks = self.checked_plan(&spec).await?;
        let (mut new, _, _) = self.new_run_rows(&ws, &spec, &tasks)?;
        new.created_by = format!("{}/{}", f.run.id, f.task.task_id);
        // The budget asked for as the task says it (not the server's defaults): carved in the transaction.
        Ok(ChildStart::Run { child: Box::new(new), requested: child.budget, depth: f.depth })
    }
}
