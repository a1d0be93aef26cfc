//! The reconciler: the background loop that keeps runs moving when nobody
//! reports. Expired leases become lost attempts (retried); due retries become
//! ready; executing runs with nothing open are finished. It sleeps until the
//! next lease expiry or retry is due (or it is woken), never longer than the
//! configured interval, so it costs nothing on the hot path.

use std::sync::Arc;
use std::time::Duration;

use super::Engine;
use crate::domain::now_micros;
use crate::store;

impl Engine {
    /// One pass; returns when the next pass is due (microseconds since the epoch).
    pub async fn reconcile_once(&self) -> crate::Result<i64> {
        let lost = self.store.write(|tx| store::expire_leases(tx, 200)).await?;
        let (promoted, next_retry) = self.store.write(|tx| store::promote_due_retries(tx, 200)).await?;
        let stalled = self.store.write(store::resolve_stalled).await?;
        let overdue = self.store.write(store::enforce_deadlines).await?;
        if overdue > 0 {
            tracing::info!(overdue, "runs past their wall-clock budget");
        }
        if lost + promoted + stalled > 0 {
            tracing::debug!(lost, promoted, stalled, "reconciled");
        }
        if let Err(e) = self.flush_presence().await {
            tracing::debug!(error = %e, "could not record which agents poll");
        }
        let next_lease = self.store.read(store::next_lease_expiry).await?;
        let cap = now_micros() + self.config.reconcile_interval.as_micros() as i64;
        let mut next = cap;
        for t in [next_retry, next_lease].into_iter().flatten() {
            next = next.min(t + 1_000);
        }
        // A full batch (of retries, or of turns: the pass takes up to 200 of each) may have left more.
        if lost == 200 || promoted >= 200 {
            next = now_micros();
        } else {
            // A due retry or expired lease whose run another transaction held was
            // passed over: look again soon, not in a tight loop.
            next = next.max(now_micros() + 10_000);
        }
        Ok(next)
    }

    /// Runs the reconciler until the returned future is dropped.
    pub async fn run_reconciler(self: Arc<Self>) {
        let open = self.store.read(store::open_run_count).await.unwrap_or(0);
        if open > 0 {
            tracing::info!(open_runs = open, "recovering non-terminal runs from the store");
        }
        loop {
            if let Err(e) = self.start_planning().await {
                tracing::warn!(error = %e, "could not start planners");
            }
            if let Err(e) = self.start_replanning().await {
                tracing::warn!(error = %e, "could not start replanners");
            }
            if let Err(e) = self.start_verifying().await {
                tracing::warn!(error = %e, "could not start verifiers");
            }
            if let Err(e) = self.tend_child_runs().await {
                tracing::warn!(error = %e, "could not tend child runs");
            }
            let next = match self.reconcile_once().await {
                Ok(n) => n,
                Err(e) => {
                    tracing::warn!(error = %e, "reconciler pass failed");
                    now_micros() + 1_000_000
                }
            };
            let wait = Duration::from_micros((next - now_micros()).max(0) as u64);
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = self.store.hub().reconcile.notified() => {}
            }
        }
    }
}
