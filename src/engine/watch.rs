//! WatchRun: replay a run's log from the store, then follow it live, with
//! no gap and no duplicate at the hand-over.
//!
//! The subscription to live events is taken before the replay, so nothing
//! committed during the replay is missed; live events at or below the last
//! sent sequence are dropped as duplicates; a gap (lagged channel, a commit
//! on another replica) sends the watcher back to the store. The stream ends
//! after the event that made the run terminal.

use std::sync::Arc;

use tokio::sync::broadcast::error::RecvError;
use tokio::sync::mpsc;

use super::Engine;
use crate::domain::Event;
use crate::domain::RunStatus;
use crate::error::Result;
use crate::store;

const REPLAY_PAGE: i64 = 500;

/// One of a workspace's WatchRun streams; counted while it lives.
struct WatchSlot {
    counts: super::WatchCounts,
    ws: String,
}

impl WatchSlot {
    fn take(counts: &super::WatchCounts, ws: &str, max: u32) -> Result<WatchSlot> {
        let mut map = counts.lock().unwrap_or_else(|p| p.into_inner());
        let n = map.entry(ws.to_string()).or_insert(0);
        if *n >= max {
            return Err(crate::Error::ResourceExhausted(format!(
                "workspace {ws:?} already has {n} open WatchRun streams, its limit"
            )));
        }
        *n += 1;
        Ok(WatchSlot { counts: counts.clone(), ws: ws.to_string() })
    }
}

impl Drop for WatchSlot {
    fn drop(&mut self) {
        let mut map = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = map.get_mut(&self.ws) {
            *n = n.saturating_sub(1);
        }
    }
}

/// Sends to the watcher; false when it left or the server is shutting down
/// (a client that stops reading must not hold a graceful shutdown).
async fn send_or_stop(engine: &Engine, tx: &mpsc::Sender<Result<Event>>, item: Result<Event>) -> bool {
    tokio::select! {
        sent = tx.send(item) => sent.is_ok(),
        _ = engine.shutting_down() => false,
    }
}

/// Whether this event is the run's final status change.
pub fn is_terminal_event(e: &Event) -> bool {
    e.kind == "run.status_changed" && e.to_status.as_deref().and_then(RunStatus::parse).is_some_and(|s| s.is_terminal())
}

impl Engine {
    /// Streams the run's events after `after_seq` into a channel.
    pub async fn watch_run(
        self: &Arc<Self>,
        ws: &str,
        run_id: &str,
        after_seq: u64,
    ) -> Result<mpsc::Receiver<Result<Event>>> {
        let (ws, id) = (ws.to_string(), run_id.to_string());
        // The run is looked up and the slot taken before subscribing: a subscription
        // is an entry in the hub, and one made for a run that does not exist (or a
        // watcher refused) would outlive the call.
        {
            let (ws, id) = (ws.clone(), id.clone());
            self.store.read(move |c| store::get_run(c, &ws, &id)).await?;
        }
        let slot = WatchSlot::take(&self.watchers, &ws, self.config.limits.max_watchers)?;
        let mut live = self.store.hub().subscribe_run(run_id);
        let (tx, rx) = mpsc::channel(256);
        let engine = self.clone();
        tokio::spawn(async move {
            let _slot = slot;
            let mut last = after_seq as i64;
            'outer: loop {
                // Replay what the store has after `last`.
                loop {
                    let (w, i) = (ws.clone(), id.clone());
                    let page = engine.store.read(move |c| store::list_events(c, &w, &i, last, REPLAY_PAGE)).await;
                    let page = match page {
                        Ok(p) => p,
                        Err(e) => {
                            let _ = tx.send(Err(e)).await;
                            break 'outer;
                        }
                    };
                    let n = page.len() as i64;
                    for e in page {
                        last = e.seq;
                        let end = is_terminal_event(&e);
                        if !send_or_stop(&engine, &tx, Ok(e)).await || end {
                            break 'outer;
                        }
                    }
                    if n < REPLAY_PAGE {
                        break;
                    }
                }
                // A run that ended before `after_seq` has nothing more to say.
                let (w, i) = (ws.clone(), id.clone());
                match engine.store.read(move |c| store::get_run(c, &w, &i)).await {
                    Ok(run) if run.status.is_terminal() && last >= run.last_seq => break,
                    Ok(_) => {}
                    Err(e) => {
                        let _ = tx.send(Err(e)).await;
                        break;
                    }
                }
                // Follow live.
                loop {
                    let signal = tokio::select! {
                        s = live.recv() => s,
                        _ = tx.closed() => break 'outer,
                        _ = engine.shutting_down() => break 'outer,
                    };
                    match signal {
                        Ok(Some(e)) if e.seq <= last => continue,
                        Ok(Some(e)) if e.seq == last + 1 => {
                            last = e.seq;
                            let end = is_terminal_event(&e);
                            if !send_or_stop(&engine, &tx, Ok((*e).clone())).await || end {
                                break 'outer;
                            }
                        }
                        Ok(_) | Err(RecvError::Lagged(_)) => continue 'outer,
                        Err(RecvError::Closed) => break 'outer,
                    }
                }
            }
            drop(live);
            engine.store.hub().forget_run_if_unwatched(&id);
        });
        Ok(rx)
    }
}
