//! Verification in the run lifecycle: a completed attempt of a task with
//! criteria waits in VERIFYING for its verdict; a run whose tasks are done
//! waits in VERIFYING for the verdict of its own criteria. Verdicts are
//! computed here, outside any transaction (a judge may take seconds), and
//! recorded by the store, which retries the task with the verdict's reasons
//! as feedback or fails it when its retries are spent.

use std::sync::Arc;

use serde_json::Value;

use super::Engine;
use crate::config::ModelRole;
use crate::domain::{Criterion, RunStatus, TaskStatus, Usage, Verdict, Violation};
use crate::error::Result;
use crate::store;
use crate::verify;

/// Verdicts pending this long without a verifier in this process are picked up
/// by the reconciler (the process that was verifying them died).
const STALE_VERIFYING_MICROS: i64 = 5_000_000;

/// The pause before a verification whose verifier failed is tried again.
const VERIFIER_RETRY_PAUSE: std::time::Duration = std::time::Duration::from_secs(2);

/// How long a Verify call waits for an evaluation slot before answering UNAVAILABLE.
const VERIFY_SLOT_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

impl Engine {
    /// Checks criteria; `llm_judge` needs a model.
    pub fn check_criteria(&self, field: &str, criteria: &[Criterion]) -> Vec<Violation> {
        verify::check(field, criteria, self.model(ModelRole::Utility).is_some())
    }

    /// Verifies an output on its own (the Verify RPC).
    pub async fn verify_output(&self, output: &Value, criteria: &[Criterion]) -> Result<(Verdict, Usage)> {
        let v = self.check_criteria("criteria", criteria);
        if !v.is_empty() {
            return Err(crate::Error::InvalidArgument(v));
        }
        verify::verify_within(output, criteria, self.model(ModelRole::Utility).as_ref(), false, Some(VERIFY_SLOT_WAIT))
            .await
            .map_err(|verify::Busy| crate::Error::Overloaded("the verifier is busy with other criteria; retry".into()))
    }

    /// Verifies an output; an error of the verifier (a judge that failed) is
    /// retried as such, once more after a pause.
    async fn verify_retrying_errors(
        &self,
        output: &Value,
        criteria: &[Criterion],
        degraded: bool,
        run_id: &str,
    ) -> (Verdict, Usage) {
        let judge = self.model(ModelRole::Utility);
        let (verdict, usage) = verify::verify(output, criteria, judge.as_ref(), degraded).await;
        if !verdict.verifier_failed() {
            return (verdict, usage);
        }
        tracing::warn!(%run_id, summary = %verdict.summary, "the verifier could not judge; asking again");
        tokio::time::sleep(VERIFIER_RETRY_PAUSE).await;
        let (again, more) = verify::verify(output, criteria, judge.as_ref(), degraded).await;
        (again, usage.plus(&more))
    }

    /// A workspace's retry outcomes (of one agent when given).
    pub async fn retry_outcomes(&self, ws: &str, agent: Option<&str>) -> Result<Vec<store::RetryOutcomeRow>> {
        let (ws, agent) = (ws.to_string(), agent.map(str::to_string));
        self.store.read(move |c| store::retry_outcomes(c, &ws, agent.as_deref())).await
    }

    /// The model an agent's work is done by: an `llm` agent's (the utility
    /// model in a degraded run), "" for agents that bring their own.
    pub(crate) fn model_doing(&self, agent: &str, degraded: bool) -> String {
        let policy = self.policy();
        let Some(a) = policy.agent(agent).filter(|a| a.executor == crate::config::ExecutorKind::Llm) else {
            return String::new();
        };
        let role = match (degraded, a.model) {
            // Which of a cascade's models did an attempt's work is known only
            // from what the attempt recorded: none, for one that called none.
            (false, ModelRole::Cascade) => return String::new(),
            (true, _) => ModelRole::Utility,
            (false, role) => role,
        };
        self.model(role).map(|m| m.config().model.clone()).unwrap_or_default()
    }

    /// The model an attempt ran on: the one it recorded (an `llm` attempt's,
    /// at its call), else the policy's for its agent.
    pub(crate) fn model_of_attempt(&self, recorded: &str, agent: &str, degraded: bool) -> String {
        if recorded.is_empty() {
            self.model_doing(agent, degraded)
        } else {
            recorded.to_string()
        }
    }

    fn claim_verification(&self, key: &str) -> bool {
        self.verifying.lock().unwrap_or_else(|p| p.into_inner()).insert(key.to_string())
    }

    fn release_verification(&self, key: &str) {
        self.verifying.lock().unwrap_or_else(|p| p.into_inner()).remove(key);
    }

    /// Judges the latest attempt of a task in VERIFYING and records the verdict.
    pub async fn verify_task(&self, run_id: &str, task_id: &str) -> Result<(TaskStatus, Verdict)> {
        let key = format!("{run_id}/{task_id}");
        self.claim_verification(&key);
        let result = self.verify_task_inner(run_id, task_id).await;
        self.release_verification(&key);
        result
    }

    async fn verify_task_inner(&self, run_id: &str, task_id: &str) -> Result<(TaskStatus, Verdict)> {
        let (r, t) = (run_id.to_string(), task_id.to_string());
        let p = self.store.read(move |c| store::pending_verification(c, &r, &t)).await?;
        let spec = store::task_spec(&p.task)?;
        let output: Value = match &p.attempt.output_json {
            Some(s) => serde_json::from_str(s)?,
            None => Value::Null,
        };
        let mut degraded = p.run.degraded;
        let judged = spec.criteria.iter().any(|c| c.kind == "llm_judge");
        if judged && !degraded && store::budget_exhausted(&p.run, crate::domain::now_micros())?.is_some() {
            // A judge is an LLM call like any other: the run's exhaustion
            // policy acts before it is made (degrade skips the judges).
            let id = run_id.to_string();
            self.store.write(move |tx| store::enforce_budget(tx, &id).map(|_| ())).await?;
            let id = run_id.to_string();
            let run = self.store.read(move |c| store::get_run_any(c, &id)).await?;
            if !run.degraded {
                return Err(crate::Error::FailedPrecondition(format!(
                    "the run's budget ran out before task {task_id:?} could be judged (the run is {})",
                    run.status.as_str().to_lowercase()
                )));
            }
            degraded = true;
        }
        let (verdict, usage) = self.verify_retrying_errors(&output, &spec.criteria, degraded, run_id).await;
        let (r, t, n, v) = (run_id.to_string(), task_id.to_string(), p.attempt.number, verdict.clone());
        let model = self.model_of_attempt(&p.attempt.model, &p.task.agent, p.run.degraded);
        let status = self.store.write(move |tx| store::record_task_verdict(tx, &r, &t, n, &v, usage, &model)).await?;
        Ok((status, verdict))
    }

    /// Checks a run's own criteria against its output and records the verdict.
    pub async fn verify_run(&self, run_id: &str) -> Result<RunStatus> {
        if !self.claim_verification(run_id) {
            return Ok(RunStatus::Verifying);
        }
        let result = async {
            let id = run_id.to_string();
            let run = self.store.read(move |c| store::get_run_any(c, &id)).await?;
            let spec = store::run_spec(&run)?;
            let output: Value = match &run.output_json {
                Some(s) => serde_json::from_str(s)?,
                None => Value::Null,
            };
            let judged = spec.criteria.iter().any(|c| c.kind == "llm_judge");
            let broke = if judged && !run.degraded {
                store::budget_exhausted(&run, crate::domain::now_micros())?
            } else {
                None
            };
            let (verdict, usage) = match broke {
                // The run's criteria come last: with the budget spent, its
                // judges are not asked, and under `degrade` they are skipped.
                Some(ex) => {
                    let degrade = spec.budget.on_exhausted == crate::domain::BudgetPolicy::Degrade;
                    let (mut v, u) = verify::verify(&output, &spec.criteria, None, degrade).await;
                    for r in v.results.iter_mut().filter(|r| r.kind == "llm_judge" && !r.skipped) {
                        r.reason = format!("not asked: {}", ex.describe());
                    }
                    (crate::domain::Verdict::of(v.results), u)
                }
                None => self.verify_retrying_errors(&output, &spec.criteria, run.degraded, run_id).await,
            };
            let id = run_id.to_string();
            self.store.write(move |tx| store::record_run_verdict(tx, &id, &verdict, usage)).await
        }
        .await;
        self.release_verification(run_id);
        result
    }

    /// Starts the verdicts nobody in this process is computing: runs whose
    /// tasks just finished, and tasks whose verifier died with its process.
    pub async fn start_verifying(self: &Arc<Self>) -> Result<()> {
        let stale_before = crate::domain::now_micros() - STALE_VERIFYING_MICROS;
        let (tasks, runs) = self.store.read(move |c| store::awaiting_verdicts(c, stale_before)).await?;
        for (run_id, task_id) in tasks {
            let busy =
                self.verifying.lock().unwrap_or_else(|p| p.into_inner()).contains(&format!("{run_id}/{task_id}"));
            if !busy {
                let engine = self.clone();
                tokio::spawn(async move {
                    if let Err(e) = engine.verify_task(&run_id, &task_id).await {
                        tracing::warn!(%run_id, %task_id, error = %e, "verification did not finish");
                    }
                });
            }
        }
        for run_id in runs {
            let engine = self.clone();
            tokio::spawn(async move {
                if let Err(e) = engine.verify_run(&run_id).await {
                    tracing::warn!(%run_id, error = %e, "run verification did not finish");
                }
            });
        }
        Ok(())
    }
}
