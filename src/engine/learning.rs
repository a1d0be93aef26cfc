//! Learning in the engine: the recorder that turns finished attempts into
//! outcomes, off the hot path (a background loop of every replica, in
//! batches: the claim and completion transactions write nothing for it),
//! and the statistics over a workspace's outcomes.

use std::sync::Arc;
use std::time::Duration;

use super::Engine;
use crate::domain::stats::{self, GroupBy, Outcome, Stat};
use crate::domain::{now_micros, AttemptStatus, Micros, RunSpec, TaskSpec, Verdict};
use crate::error::{Error, Result};
use crate::store::{self, PendingOutcome};

/// Attempts recorded per batch.
const BATCH: i64 = 200;
/// How long the recorder rests when it has caught up.
const REST: Duration = Duration::from_millis(500);
/// How long outcomes are kept (they outlive their runs: they name no content).
const KEPT_MICROS: i64 = 400 * 24 * 3600 * 1_000_000;
/// Outcomes a GetStats reads at most (the newest of its window).
pub const MAX_STATS_OUTCOMES: i64 = 100_000;

/// The statistics of a window.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// Per group, by key.
    pub groups: Vec<Stat>,
    /// Outcomes they stand on.
    pub outcomes: u64,
    /// The window held more than [`MAX_STATS_OUTCOMES`]: these are of its newest.
    pub truncated: bool,
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
                if let Err(e) = self.store.write(move |tx| store::forget_outcomes(tx, before)).await {
                    tracing::warn!(error = %e, "forgetting old outcomes failed");
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

    /// An attempt's outcome: its task's kind, its agent's executor and model
    /// (as the policy has them now), its run's recipe, its verdict's score.
    fn outcome_of(&self, p: PendingOutcome) -> Outcome {
        let task: Option<TaskSpec> = serde_json::from_str(&p.task_spec_json).ok();
        let run: Option<RunSpec> = serde_json::from_str(&p.run_spec_json).ok();
        let verdict: Option<Verdict> = p.verdict_json.as_deref().and_then(|v| serde_json::from_str(v).ok());
        let policy = self.policy();
        let executor = match policy.agent(&p.agent).map(|a| &a.executor) {
            Some(crate::config::ExecutorKind::Command) => "command",
            Some(crate::config::ExecutorKind::Llm) => "llm",
            _ => "agent",
        };
        let recipe = run.as_ref().and_then(|r| r.recipe.as_ref());
        let (title, instructions) = task.as_ref().map_or(("", ""), |t| (t.title.as_str(), t.instructions.as_str()));
        Outcome {
            task_kind: stats::task_kind(&p.agent, title, instructions),
            model: self.model_doing(&p.agent, p.run_degraded),
            executor: executor.to_string(),
            recipe: recipe.map(|r| r.name.clone()).unwrap_or_default(),
            recipe_version: recipe.map_or(0, |r| r.version as i32),
            status: p.status.as_str().to_string(),
            passed: p.status == AttemptStatus::Succeeded,
            score: verdict.map(|v| v.score),
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

    /// A workspace's statistics over [from, to), grouped.
    pub async fn get_stats(&self, ws: &str, from: Micros, to: Micros, by: GroupBy) -> Result<Stats> {
        if to <= from {
            return Err(Error::invalid("end_time", "after start_time"));
        }
        let w = ws.to_string();
        let rows = self.store.read(move |c| store::load_outcomes(c, &w, from, to, MAX_STATS_OUTCOMES + 1)).await?;
        let truncated = rows.len() as i64 > MAX_STATS_OUTCOMES;
        tokio::task::spawn_blocking(move || {
            let rows = &rows[..rows.len().min(MAX_STATS_OUTCOMES as usize)];
            Stats { groups: stats::summarise(rows, by), outcomes: rows.len() as u64, truncated }
        })
        .await
        .map_err(|e| Error::Internal(format!("statistics: {e}")))
    }
}
