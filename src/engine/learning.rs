//! Learning in the engine: the recorder that turns finished attempts into
//! outcomes, off the hot path (a background loop of every replica, in
//! batches: the claim and completion transactions write nothing for it),
//! and the statistics over a workspace's outcomes.

use std::sync::Arc;
use std::time::Duration;

use super::recipes::RecipeRun;
use super::Engine;
use crate::domain::advice::{self, Advice};
use crate::domain::candidates;
use crate::domain::stats::{self, GroupBy, Outcome, Stat};
use crate::domain::{now_micros, AttemptStatus, Micros, RunSpec, RunStatus, TaskSpec};
use crate::error::{Error, Result};
use crate::store::{self, PendingOutcome};

/// Attempts recorded per batch.
pub(crate) const BATCH: i64 = 200;
/// How long the recorder rests when it has caught up.
const REST: Duration = Duration::from_millis(500);
/// How long outcomes are kept (they outlive their runs: they hold no input or output).
const KEPT_MICROS: i64 = 400 * 24 * 3600 * 1_000_000;
/// Advised runs a GetStats compares with their advice at most (the newest).
const MAX_ADVISED: i64 = 10_000;
/// How long advice no run named is kept.
const UNCLAIMED_ADVICE_MICROS: i64 = 7 * 24 * 3600 * 1_000_000;
/// Pages of 100 completed runs a candidate search reads (the newest).
const CANDIDATE_PAGES: usize = 2;
/// Runs with more tasks than this are no candidates (their texts are not compared).
const CANDIDATE_MAX_TASKS: usize = 200;
/// Pages of 500 recipes Advise and the candidate search compare graphs with.
const RECIPE_PAGES: usize = 4;
/// Outcomes a GetStats reads at most (the newest of its window).
pub const MAX_STATS_OUTCOMES: i64 = 50_000;

/// Of a task's spec, what its outcome needs (the rest is skipped, not built).
#[derive(serde::Deserialize)]
struct KindFields {
    #[serde(default)]
    title: String,
    #[serde(default)]
    instructions: String,
    #[serde(default)]
    criteria: Vec<serde::de::IgnoredAny>,
}

/// Of a verdict, what an outcome needs.
#[derive(serde::Deserialize)]
struct VerdictFields {
    passed: bool,
    score: f64,
}

/// The statistics of a window.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// Per group, by key.
    pub groups: Vec<Stat>,
    /// Outcomes they stand on.
    pub outcomes: u64,
    /// The window held more than [`MAX_STATS_OUTCOMES`]: these are of its newest.
    pub truncated: bool,
    /// How the advice given in the window compares with the runs made after it.
    pub advice: advice::Accuracy,
}

impl Engine {
    /// Records outcomes until the returned future is dropped; prunes old ones hourly.
    pub async fn run_outcome_recorder(self: Arc<Self>) {
        let mut last_prune: Option<tokio::time::Instant> = None;
        loop {
            let rest = match self.record_outcomes_once().await {
                Ok(n) if n as i64 >= BATCH => Duration::ZERO,
                Ok(_) => REST,
                Err(e) => {
                    tracing::warn!(error = %e, "recording outcomes failed; trying again");
                    REST * 4
                }
            };
            if last_prune.is_none_or(|t| t.elapsed() > Duration::from_secs(3600)) {
                last_prune = Some(tokio::time::Instant::now());
                let before = now_micros() - KEPT_MICROS;
                let unclaimed = now_micros() - UNCLAIMED_ADVICE_MICROS;
                let forgot = self
                    .store
                    .write(move |tx| {
                        Ok(store::forget_outcomes(tx, before)? + store::forget_advice(tx, before, unclaimed)?)
                    })
                    .await;
                if let Err(e) = forgot {
                    tracing::warn!(error = %e, "forgetting old outcomes and advice failed");
                }
            }
            tokio::time::sleep(rest).await;
        }
    }

    /// Records one batch of finished attempts; returns how many.
    pub async fn record_outcomes_once(&self) -> Result<usize> {
        let pending = self.store.read(|c| store::pending_outcomes(c, BATCH)).await?;
        if pending.is_empty() {
            return Ok(0);
        }
        let n = pending.len();
        let batch: Vec<(String, Outcome)> =
            pending.into_iter().map(|p| (p.workspace_id.clone(), self.outcome_of(p))).collect();
        let batch = Arc::new(batch);
        self.store.write(move |tx| store::record_outcomes(tx, &batch)).await?;
        Ok(n)
    }

    /// An attempt's outcome: its task's kind, its agent's executor (as the
    /// policy has it now) and the model it ran on, its run's recipe, its
    /// verdict's score.
    fn outcome_of(&self, p: PendingOutcome) -> Outcome {
        let task: Option<KindFields> = serde_json::from_str(&p.task_spec_json).ok();
        let verdict: Option<VerdictFields> = p.verdict_json.as_deref().and_then(|v| serde_json::from_str(v).ok());
        let policy = self.policy();
        // An agent the policy no longer has brought its own (out of process).
        let executor = policy.agent(&p.agent).map_or("agent", |a| a.executor.as_str());
        let recipe = p.recipe.as_ref();
        let (title, instructions) = task.as_ref().map_or(("", ""), |t| (t.title.as_str(), t.instructions.as_str()));
        Outcome {
            task_kind: stats::task_kind(&p.agent, title, instructions),
            model: self.model_of_attempt(&p.model, &p.agent, p.run_degraded),
            executor: executor.to_string(),
            recipe: recipe.map(|r| r.0.clone()).unwrap_or_default(),
            recipe_version: recipe.map_or(0, |r| r.1 as i32),
            status: p.status.as_str().to_string(),
            // A task with criteria passes on its verdict: one that ended
            // without one (its run cancelled while it was verified) did not.
            passed: p.status == AttemptStatus::Succeeded
                && match &verdict {
                    Some(v) => v.passed,
                    None => task.as_ref().is_none_or(|t| t.criteria.is_empty()),
                },
            score: verdict.as_ref().map(|v| v.score),
            turns: p.turns,
            tokens: p.tokens,
            cost_micros: p.cost_micros,
            latency_ms: (p.finished_at - p.started_at).max(0) / 1000,
            finished_at: p.finished_at,
            attempt: p.attempt,
            run_id: p.run_id,
            task_id: p.task_id,
            agent: p.agent,
        }
    }

    /// Advice on a run before it runs: its plan (or its recipe rendered)
    /// checked as CreateRun checks it, predicted from the workspace's
    /// outcomes of the last `window_micros`, compared with its recipes.
    pub async fn advise(
        &self,
        ws: &str,
        run: Result<RunSpec, RecipeRun>,
        window_micros: i64,
    ) -> Result<(String, Advice)> {
        let spec = match run {
            Ok(spec) => spec,
            Err(recipe) => self.render_recipe_run(ws, recipe).await?,
        };
        let tasks = self.checked_plan(&spec).await.or_else(|e| match e {
            // Advice on a goal alone (the coach) needs no planner configured.
            Error::FailedPrecondition(_) if spec.plan.is_none() => Ok(Vec::new()),
            e => Err(e),
        })?;
        let _reading = self.history_read()?;
        let now = now_micros();
        let w = ws.to_string();
        let history =
            self.store.read(move |c| store::load_outcomes(c, &w, now - window_micros, now, MAX_STATS_OUTCOMES)).await?;
        let mut recipes = Vec::new();
        if spec.recipe.is_none() && !tasks.is_empty() {
            recipes =
                self.recipe_plans(ws).await?.into_iter().map(|(name, plan)| (name, advice::shape(&plan))).collect();
        }
        let models: std::collections::HashMap<String, String> = self
            .policy()
            .agents
            .iter()
            .filter(|a| a.executor == crate::config::ExecutorKind::Llm)
            .map(|a| (a.name.clone(), self.model_doing(&a.name, false)))
            .collect();
        let a = tokio::task::spawn_blocking(move || {
            advice::advise(&spec, &tasks, &history, &|agent| models.get(agent).cloned(), &recipes)
        })
        .await
        .map_err(|e| Error::Internal(format!("advice: {e}")))?;
        // Kept, so that the run made after it can be compared with it.
        let record = Arc::new(store::AdviceRecord {
            id: format!("adv_{}", uuid::Uuid::new_v4().simple()),
            tokens: a.tokens.expected,
            cost_micros: a.cost_micros.expected,
            duration_ms: a.duration_ms.expected,
            pass_chance: a.pass_chance,
            suggested_recipe: a.suggested_recipe.clone().unwrap_or_default(),
            warnings: a.warnings.iter().map(|w| w.code).collect::<Vec<_>>().join(","),
        });
        let (w, r) = (ws.to_string(), record.clone());
        self.store.write(move |tx| store::keep_advice(tx, &w, &r)).await?;
        Ok((record.id.clone(), a))
    }

    /// A slot to read a window of outcomes in (each may hold tens of MB for
    /// a moment): two at a time in the process, the others OVERLOADED.
    fn history_read(&self) -> Result<tokio::sync::SemaphorePermit<'_>> {
        self.history_reads
            .try_acquire()
            .map_err(|_| Error::Overloaded("two reads of outcomes are running; retry shortly".into()))
    }

    /// Recipe candidates among the workspace's latest completed runs (not
    /// made from a recipe): graphs that `min_runs` of them share and no
    /// recipe of the workspace has.
    pub async fn recipe_candidates(&self, ws: &str, min_runs: usize) -> Result<Vec<candidates::Candidate>> {
        let _reading = self.history_read()?;
        let filter = crate::domain::RunFilter { statuses: vec![RunStatus::Completed], ..Default::default() };
        let mut past = Vec::new();
        let mut token = String::new();
        for _ in 0..CANDIDATE_PAGES {
            let (page, next) = self.list_runs(ws, filter.clone(), 100, &token, false).await?;
            for view in page.into_iter().filter(|v| v.spec.recipe.is_none()) {
                let (w, id) = (ws.to_string(), view.run.id.clone());
                let (tasks, left_out) = self.store.read(move |c| store::final_graph(c, &w, &id)).await?;
                if tasks.len() <= CANDIDATE_MAX_TASKS {
                    let spec = super::recipes::template_of(view.spec, tasks, &left_out);
                    past.push(candidates::PastRun { run_id: view.run.id, spec });
                }
            }
            if next.is_empty() {
                break;
            }
            token = next;
        }
        let known: std::collections::BTreeSet<String> =
            self.recipe_plans(ws).await?.iter().map(|(_, plan)| candidates::fingerprint(plan)).collect();
        tokio::task::spawn_blocking(move || candidates::find(&past, min_runs, &known))
            .await
            .map_err(|e| Error::Internal(format!("candidates: {e}")))
    }

    /// The plans of a workspace's recipes (their latest versions, by name,
    /// the first [`RECIPE_PAGES`] pages of 500), for comparing graphs.
    async fn recipe_plans(&self, ws: &str) -> Result<Vec<(String, Vec<TaskSpec>)>> {
        let mut plans = Vec::new();
        let mut token = String::new();
        for _ in 0..RECIPE_PAGES {
            let (page, next) = self.list_recipes(ws, 500, &token).await?;
            plans.extend(page.into_iter().filter_map(|r| r.spec.template.plan.map(|p| (r.name, p))));
            if next.is_empty() {
                break;
            }
            token = next;
        }
        Ok(plans)
    }

    /// A workspace's statistics over [from, to), grouped.
    pub async fn get_stats(&self, ws: &str, from: Micros, to: Micros, by: GroupBy) -> Result<Stats> {
        if to <= from {
            return Err(Error::invalid("end_time", "after start_time"));
        }
        let _reading = self.history_read()?;
        let w = ws.to_string();
        let rows = self.store.read(move |c| store::load_outcomes(c, &w, from, to, MAX_STATS_OUTCOMES + 1)).await?;
        let truncated = rows.len() as i64 > MAX_STATS_OUTCOMES;
        let w = ws.to_string();
        let advised = self.store.read(move |c| store::advised_runs(c, &w, from, to, MAX_ADVISED)).await?;
        tokio::task::spawn_blocking(move || {
            let rows = &rows[..rows.len().min(MAX_STATS_OUTCOMES as usize)];
            let advised: Vec<advice::AdvisedRun> = advised
                .into_iter()
                .map(|(a, followed, status, tokens, cost, wall)| advice::AdvisedRun {
                    predicted_tokens: a.tokens,
                    predicted_cost_micros: a.cost_micros,
                    predicted_duration_ms: a.duration_ms,
                    pass_chance: a.pass_chance,
                    followed_recipe: followed,
                    completed: status == RunStatus::Completed,
                    tokens: tokens as f64,
                    cost_micros: cost as f64,
                    duration_ms: wall as f64,
                })
                .collect();
            Stats {
                groups: stats::summarise(rows, by),
                outcomes: rows.len() as u64,
                truncated,
                advice: advice::accuracy(&advised),
            }
        })
        .await
        .map_err(|e| Error::Internal(format!("statistics: {e}")))
    }
}
