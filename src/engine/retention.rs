//! Retention: terminal runs are deleted, with every row that belongs to
//! them, once they are older than the policy's `retention` (a default and
//! per-workspace overrides; absent, runs are kept forever).
//!
//! The background pruner and `orchestrator prune` share [`prune`]: batches
//! of at most [`BATCH`] runs, one transaction each, with a pause between
//! them, so that on SQLite the single writer serves the engine's own writes
//! between two batches instead of stalling behind one large delete.

use std::sync::Arc;
use std::time::Duration;

use super::Engine;
use crate::config::{Period, Retention};
use crate::domain::now_micros;
use crate::error::Result;
use crate::store::{self, PruneCounts, PruneFilter, Store};

/// Most runs deleted in one transaction.
pub const BATCH: i64 = 100;

/// Deletes every run the filter selects, a batch per transaction, pausing between batches.
pub async fn prune(store: &Store, filter: &PruneFilter, pause: Duration) -> Result<PruneCounts> {
    let mut total = PruneCounts::default();
    loop {
        let f = filter.clone();
        let batch = store.write(move |tx| store::prune_batch(tx, &f, BATCH)).await?;
        total += batch;
        if batch.runs < BATCH as u64 {
            return Ok(total);
        }
        tokio::time::sleep(pause).await;
    }
}

/// What [`prune`] would delete.
pub async fn count(store: &Store, filter: &PruneFilter) -> Result<PruneCounts> {
    let f = filter.clone();
    store.read(move |c| store::count_prunable(c, &f)).await
}

/// The filters a retention policy asks for now: one per workspace with a
/// period of its own, and one for every other workspace under the default.
pub fn filters(r: &Retention, now: i64) -> Vec<PruneFilter> {
    let before = |d: &Duration| now.saturating_sub(d.as_micros().min(i64::MAX as u128) as i64);
    let mut out = Vec::new();
    for (ws, period) in &r.workspaces {
        if let Period::After(d) = period {
            out.push(PruneFilter { finished_before: before(d), workspace: Some(ws.clone()), exclude: Vec::new() });
        }
    }
    if let Some(Period::After(d)) = &r.default {
        out.push(PruneFilter {
            finished_before: before(d),
            workspace: None,
            exclude: r.workspaces.keys().cloned().collect(),
        });
    }
    out
}

impl Engine {
    /// One pass of the pruner under the policy in force.
    pub async fn prune_once(&self) -> Result<PruneCounts> {
        let mut total = PruneCounts::default();
        let Some(r) = self.policy().retention.clone() else { return Ok(total) };
        // The outcomes of what is pruned first: a run's attempts go with it.
        for _ in 0..100 {
            if (self.record_outcomes_once().await? as i64) < super::learning::BATCH {
                break;
            }
        }
        for f in filters(&r, now_micros()) {
            total += prune(&self.store, &f, self.config.prune_pause).await?;
        }
        Ok(total)
    }

    /// Prunes every `prune_interval` until the returned future is dropped.
    pub async fn run_pruner(self: Arc<Self>) {
        let mut tick = tokio::time::interval(self.config.prune_interval.max(Duration::from_millis(10)));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match self.prune_once().await {
                Ok(c) if c.runs > 0 => tracing::info!(removed = %c, "pruned runs past their retention"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "pruning failed; trying again at the next pass"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_are_pruned_alone_and_excluded_from_the_default() {
        let r = Retention {
            default: Some(Period::After(Duration::from_secs(10))),
            workspaces: [
                ("acme".to_string(), Period::After(Duration::from_secs(5))),
                ("keep".to_string(), Period::Forever),
            ]
            .into_iter()
            .collect(),
        };
        let f = filters(&r, 100_000_000);
        assert_eq!(f.len(), 2);
        assert_eq!((f[0].workspace.as_deref(), f[0].finished_before), (Some("acme"), 95_000_000));
        assert_eq!(f[1].workspace, None);
        assert_eq!(f[1].finished_before, 90_000_000);
        assert_eq!(f[1].exclude, vec!["acme".to_string(), "keep".to_string()]);
        assert!(filters(&Retention::default(), 1).is_empty());
    }
}
