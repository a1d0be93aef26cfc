//! In-process fan-out after commit: run events to watchers, wake-ups to
//! long-polling agents and executors.
//!
//! The store is the truth; the hub only says "look now". A watcher that
//! misses a message (lagged channel, another replica's commit) catches up
//! from the event log, so nothing here needs to be durable.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::{broadcast, Notify};

use crate::domain::Event;

/// Capacity of each run's live channel; a slower watcher lags and re-reads the store.
const RUN_CHANNEL_CAPACITY: usize = 1024;

/// From this many ready tasks at once, every waiting poller is woken instead of counting.
const MAX_COUNTED_WAKES: u32 = 1024;

/// How many pollers of an agent a commit should wake.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wake {
    /// This many (one per task that became ready).
    Some(u32),
    /// Every waiting poller.
    All,
}

impl Wake {
    /// One more task became ready.
    pub const ONE: Wake = Wake::Some(1);

    /// Both wake-ups at once.
    pub fn and(self, other: Wake) -> Wake {
        match (self, other) {
            (Wake::Some(a), Wake::Some(b)) => Wake::Some(a.saturating_add(b)),
            _ => Wake::All,
        }
    }

    /// Reads the form [`Wake`]'s `Display` writes (NOTIFY payloads); anything else is `All`.
    pub fn parse(s: &str) -> Wake {
        s.parse().map(Wake::Some).unwrap_or(Wake::All)
    }
}

impl std::fmt::Display for Wake {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Wake::Some(n) => write!(f, "{n}"),
            Wake::All => f.write_str("all"),
        }
    }
}

/// The workspace key of pollers that serve every workspace.
pub const ANY_WORKSPACE: &str = "*";

/// What a run's watchers are told: a committed event, or "look in the store"
/// (a commit made by another replica).
pub type RunSignal = Option<Arc<Event>>;

/// The fan-out point shared by the store (publisher) and the API and engine (subscribers).
#[derive(Default)]
pub struct Hub {
    runs: Mutex<HashMap<String, broadcast::Sender<RunSignal>>>,
    agents: Mutex<HashMap<(String, String), Arc<Notify>>>,
    /// Woken when a retry is scheduled or capacity frees up anywhere.
    pub reconcile: Notify,
}

impl Hub {
    /// A new hub.
    pub fn new() -> Arc<Self> {
        Arc::new(Hub::default())
    }

    /// How many runs have a channel for watchers, and how many (workspace,
    /// agent) names a wake-up: what the hub holds, for tests and diagnostics.
    pub fn sizes(&self) -> (usize, usize) {
        let runs = self.runs.lock().unwrap_or_else(|p| p.into_inner()).len();
        let agents = self.agents.lock().unwrap_or_else(|p| p.into_inner()).len();
        (runs, agents)
    }

    /// Subscribes to a run's committed events.
    pub fn subscribe_run(&self, run_id: &str) -> broadcast::Receiver<RunSignal> {
        let mut runs = self.runs.lock().unwrap_or_else(|p| p.into_inner());
        runs.entry(run_id.to_string()).or_insert_with(|| broadcast::channel(RUN_CHANNEL_CAPACITY).0).subscribe()
    }

    /// Publishes committed events, in commit order.
    pub fn publish(&self, events: Vec<Event>) {
        if events.is_empty() {
            return;
        }
        let mut runs = self.runs.lock().unwrap_or_else(|p| p.into_inner());
        for e in events {
            if let Some(tx) = runs.get(&e.run_id) {
                if tx.send(Some(Arc::new(e.clone()))).is_err() {
                    runs.remove(&e.run_id);
                }
            }
        }
    }

    /// Tells a run's watchers to look in the store.
    pub fn poke_run(&self, run_id: &str) {
        let runs = self.runs.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(tx) = runs.get(run_id) {
            let _ = tx.send(None);
        }
    }

    /// Drops the channel of a run nobody watches any more.
    pub fn forget_run_if_unwatched(&self, run_id: &str) {
        let mut runs = self.runs.lock().unwrap_or_else(|p| p.into_inner());
        if runs.get(run_id).is_some_and(|tx| tx.receiver_count() == 0) {
            runs.remove(run_id);
        }
    }

    /// The wake-up of pollers of one agent name in one workspace.
    pub fn agent(&self, workspace: &str, agent: &str) -> Arc<Notify> {
        let mut agents = self.agents.lock().unwrap_or_else(|p| p.into_inner());
        agents.entry((workspace.to_string(), agent.to_string())).or_default().clone()
    }

    /// Drops the wake-up of an agent name that nobody polls any more, so that
    /// PollTask calls with ever new names do not grow the hub. A poller or
    /// wake-up holding it keeps it.
    pub fn forget_agent_if_unpolled(&self, workspace: &str, agent: &str) {
        let mut agents = self.agents.lock().unwrap_or_else(|p| p.into_inner());
        let key = (workspace.to_string(), agent.to_string());
        if agents.get(&key).is_some_and(|n| Arc::strong_count(n) == 1) {
            agents.remove(&key);
        }
    }

    /// Wakes pollers waiting for this agent name in this workspace, and the
    /// server's own executors of it (which serve every workspace): as many as
    /// tasks became ready, or all of them.
    pub fn wake_agent(&self, workspace: &str, agent: &str, wake: Wake) {
        let found: Vec<Arc<Notify>> = {
            let agents = self.agents.lock().unwrap_or_else(|p| p.into_inner());
            [workspace, ANY_WORKSPACE]
                .iter()
                .filter_map(|ws| agents.get(&(ws.to_string(), agent.to_string())).cloned())
                .collect()
        };
        for n in found {
            match wake {
                // A poller woken by notify_one that gives up (its wait ran out, its
                // client went away) hands the wake-up to the next one (tokio's Notified).
                Wake::Some(k) if k < MAX_COUNTED_WAKES => (0..k).for_each(|_| n.notify_one()),
                Wake::Some(_) => n.notify_waiters(),
                Wake::All => n.notify_waiters(),
            }
        }
    }

    /// Wakes every poller of every agent (capacity freed, run resumed on another replica).
    pub fn wake_all_agents(&self) {
        let all: Vec<Arc<Notify>> = {
            let agents = self.agents.lock().unwrap_or_else(|p| p.into_inner());
            agents.values().cloned().collect()
        };
        for n in all {
            n.notify_waiters();
        }
    }
}

/// A subscription to a run's committed events that drops the run's channel
/// from the hub when it ends, if it was the last one.
pub struct RunSubscription {
    hub: Arc<Hub>,
    run_id: String,
    rx: Option<broadcast::Receiver<RunSignal>>,
}

impl RunSubscription {
    /// Subscribes to a run's events.
    pub fn new(hub: Arc<Hub>, run_id: &str) -> RunSubscription {
        let rx = hub.subscribe_run(run_id);
        RunSubscription { hub, run_id: run_id.to_string(), rx: Some(rx) }
    }

    /// The next signal, as `broadcast::Receiver::recv`.
    pub async fn recv(&mut self) -> Result<RunSignal, broadcast::error::RecvError> {
        match &mut self.rx {
            Some(rx) => rx.recv().await,
            None => Err(broadcast::error::RecvError::Closed),
        }
    }
}

impl Drop for RunSubscription {
    fn drop(&mut self) {
        // Our receiver must be gone before the hub counts the receivers.
        self.rx = None;
        self.hub.forget_run_if_unwatched(&self.run_id);
    }
}
