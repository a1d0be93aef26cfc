//! Delegation to child runs in the engine: the reconciler's pass that starts
//! the child run of each ready task of kind `run` (its rows built and
//! checked here, with the policy in force; the claim, the carved budget and
//! the child's insert in one transaction of the store), and that settles a
//! child whose end is due at its parent: the task completes with the child's
//! output, or fails with its failure, through the attempt's lease, as an
//! agent's would (the child's usage charged to the parent then); a child
//! whose task ended first is cancelled. Pause and resume are handed down
//! after the parent's own.

use std::sync::Arc;

use serde_json::{json, Map, Value};

use super::agents::ReadCompletion;
use super::Engine;
use crate::domain::{self, BudgetChange, RunSpec, RunStatus};
use crate::error::{Error, Result};
use crate::store::{self, ChildStart, ChildStartFacts, ChildToSettle};

/// Who the server's own steering of a child run is recorded as.
const BY: &str = "orchestrator";

/// An error as a task's failure reason.
fn reason(e: &Error) -> String {
    let r = match e {
        Error::InvalidArgument(v) => {
            v.iter().map(|v| format!("{}: {}", v.field, v.description)).collect::<Vec<_>>().join("; ")
        }
        e => e.to_string(),
    };
    domain::plan::truncate(&r, 1000)
}

impl Engine {
    /// One pass over child runs: starts those of ready `run` tasks, then
    /// settles those whose end (or whose task's) is due. Returns how many
    /// it started and settled.
    pub async fn tend_child_runs(&self) -> Result<usize> {
        let mut n = 0;
        for (run_id, task_id) in self.store.read(store::ready_run_tasks).await? {
            match self.start_child_run(&run_id, &task_id).await {
                Ok(true) => n += 1,
                Ok(false) => {}
                Err(e) => tracing::warn!(run_id, task_id, error = %e, "could not start a child run"),
            }
        }
        for due in self.store.read(store::child_runs_to_settle).await? {
            let child = due.child.id.clone();
            match self.settle_child_run(due).await {
                Ok(()) => n += 1,
                Err(e) => tracing::warn!(child_run_id = child, error = %e, "could not settle a child run"),
            }
        }
        Ok(n)
    }

    async fn start_child_run(&self, run_id: &str, task_id: &str) -> Result<bool> {
        let (r, t) = (run_id.to_string(), task_id.to_string());
        let facts = self.store.read(move |c| store::child_start_facts(c, &r, &t)).await?;
        let start = match self.child_rows(&facts).await {
            Ok(s) => s,
            Err(e) => ChildStart::Refuse(format!("the child run could not be made: {}", reason(&e))),
        };
        let start = Arc::new(start);
        let (r, t) = (run_id.to_string(), task_id.to_string());
        let started = self.store.write(move |tx| store::start_child_run(tx, &r, &t, &start)).await?;
        if let Some(store::ChildStarted::Started { child_run_id, .. }) = &started {
            tracing::info!(run_id, task_id, child_run_id, "child run started");
        }
        Ok(started.is_some())
    }

    /// The child run of a ready `run` task, built as CreateRun builds a run
    /// and checked against the policy in force. Its context is sealed: the
    /// task's instructions and inputs, nothing else of the parent's.
    async fn child_rows(&self, f: &ChildStartFacts) -> Result<ChildStart> {
        let max = self.config.limits.run.plan.max_run_depth;
        if f.depth > max as i32 {
            return Err(Error::FailedPrecondition(format!(
                "child runs nest at most {max} deep, and this one would be {} deep",
                f.depth
            )));
        }
        let child = f.spec.child.clone().ok_or_else(|| Error::FailedPrecondition("the task has no child".into()))?;
        let parent = store::run_spec(&f.run)?;
        let inputs: Map<String, Value> = match &f.task.inputs_json {
            Some(s) => serde_json::from_str(s)?,
            None => Map::new(),
        };
        let mut context = Map::new();
        context.insert("instructions".into(), json!(f.spec.instructions));
        context.insert("inputs".into(), Value::Object(inputs));
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
        };
        let tasks = self.checked_plan(&spec).await?;
        let (mut new, stored, _) = self.new_run_rows(&f.run.workspace_id, &spec, &tasks)?;
        new.created_by = format!("{}/{}", f.run.id, f.task.task_id);
        Ok(ChildStart::Run { child: Box::new(new), requested: stored.budget, depth: f.depth })
    }

    /// A child's end reaches its task (or the task's end its child), then
    /// the child is marked settled. Each step is idempotent: a pass cut
    /// short by a crash is finished by the next.
    async fn settle_child_run(&self, due: ChildToSettle) -> Result<()> {
        let ChildToSettle { row, child, lease } = due;
        let id = child.id.clone();
        let usage = Some(child.usage());
        let outcome = match (lease, child.status) {
            (Some(lease), RunStatus::Completed) => {
                let output = match &child.output_json {
                    Some(s) => serde_json::from_str(s)?,
                    None => Value::Null,
                };
                match self.complete_task(None, &lease, ReadCompletion::of(output, usage), 0).await {
                    // An output the parent cannot take (over a limit of its own) fails the task.
                    Err(e @ Error::InvalidArgument(_)) => {
                        let error = format!("child run {id} completed, but its output was refused: {}", reason(&e));
                        self.fail_task(None, &lease, &error, false, usage).await.map(|_| ())
                    }
                    r => r.map(|_| ()),
                }
            }
            (Some(lease), status) if status.is_terminal() => {
                let how = if status == RunStatus::Cancelled { "was cancelled" } else { "failed" };
                let why = child.failure_reason.clone().unwrap_or_default();
                let error = domain::plan::truncate(&format!("child run {id} {how}: {why}"), 4000);
                self.fail_task(None, &lease, &error, false, usage).await.map(|_| ())
            }
            (None, status) if !status.is_terminal() => {
                // The task ended first (its run cancelled or failed, its timeout):
                // nothing waits for the child any more.
                let why = format!("its parent task {:?} of run {} ended", row.parent_task_id, row.parent_run_id);
                let (ws, c) = (child.workspace_id.clone(), id.clone());
                return self
                    .store
                    .write(move |tx| {
                        store::cancel_run(tx, &ws, &c, &why, BY)?;
                        store::mark_settled(tx, &c)
                    })
                    .await;
            }
            _ => Ok(()),
        };
        match outcome {
            // The attempt ended meanwhile (its run was cancelled, say): nothing is owed.
            Ok(()) | Err(Error::FailedPrecondition(_)) => {}
            Err(e) => return Err(e),
        }
        self.store.write(move |tx| store::mark_settled(tx, &id)).await
    }

    /// Pauses (or resumes) the live child runs of a run, and theirs, after
    /// the run's own pause (or resume). A child that cannot be is passed
    /// over: it ended, or is already so.
    pub(super) async fn steer_children(&self, ws: &str, run_id: &str, pause: bool, why: &str) -> Result<()> {
        let id = run_id.to_string();
        let children = self.store.read(move |c| store::live_children_of(c, &id)).await?;
        for child in children {
            let done = if pause {
                Box::pin(self.pause_run(ws, &child, why, BY)).await
            } else {
                Box::pin(self.resume_run(ws, &child, BudgetChange::default(), BY)).await
            };
            if let Err(e) = done {
                tracing::debug!(child_run_id = child, error = %e, "child run not steered");
            }
        }
        Ok(())
    }
}
