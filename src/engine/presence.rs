//! Who serves which agent: each poll is remembered in memory (no write on the
//! poll path) and written to the store every few seconds by the reconciler, so
//! every replica can tell a run whose ready tasks wait for an agent that no
//! instance has polled for lately ("waiting for agent `writer`: no poller
//! seen"), instead of letting it look alive forever.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use super::Engine;
use crate::domain::fleet::{self, Sighting};
use crate::domain::{now_micros, Micros};
use crate::error::Result;
use crate::store;

/// A poll older than this no longer counts as the agent being served: twice
/// the longest long poll (an idle agent asks again at least that often), plus
/// the time a sighting takes to reach the store.
pub const SERVED_WITHIN: Duration = Duration::from_secs(130);

/// How often sightings are written to the store.
const FLUSH_EVERY: Duration = Duration::from_secs(5);

/// Most (workspace, agent) pairs remembered: without declared agents any name
/// may be polled for, and a caller inventing names must not grow this map.
const MAX_REMEMBERED: usize = 10_000;

/// The workspace key of the built-in executors, which serve every workspace.
const EVERY_WORKSPACE: &str = "*";

/// Ready tasks of a run that wait for an agent nobody has polled for lately.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentWait {
    /// The agent.
    pub agent: String,
    /// How many of the run's tasks are ready for it.
    pub ready_tasks: u32,
    /// When an instance last polled for it (None: never seen).
    pub last_poll: Option<Micros>,
}

/// (workspace, agent, instance).
type InstanceKey = (String, String, String);

/// Sightings of this process: (workspace, agent) → (last poll, not yet
/// written), and per instance, what it said of itself.
#[derive(Default)]
pub(crate) struct Presence {
    seen: Mutex<HashMap<(String, String), (Micros, bool)>>,
    instances: Mutex<HashMap<InstanceKey, (Sighting, bool)>>,
    last_flush: Mutex<Micros>,
    /// This replica, as instances' rows name it.
    replica: std::sync::OnceLock<String>,
}

/// How long an instance not seen stays listed.
pub const INSTANCES_KEPT: Duration = Duration::from_secs(24 * 3600);
/// Most instances of one workspace remembered by a replica.
const MAX_INSTANCES_PER_WORKSPACE: usize = 1_000;
/// The bytes of an SDK's name kept (`x-orchestrator-sdk`).
const MAX_SDK_LEN: usize = 64;

impl Presence {
    /// An instance of `agent` polls (`ws` None: a built-in executor, for every workspace).
    pub(crate) fn record(&self, ws: Option<&str>, agent: &str) {
        let key = (ws.unwrap_or(EVERY_WORKSPACE).to_string(), agent.to_string());
        let now = now_micros();
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        if seen.len() >= MAX_REMEMBERED && !seen.contains_key(&key) {
            // Full: forget sightings too old to count, written or not; if every
            // one is recent, this one goes unremembered (its run says "waiting").
            let stale = now - SERVED_WITHIN.as_micros() as i64;
            seen.retain(|_, (at, _)| *at >= stale);
            if seen.len() >= MAX_REMEMBERED {
                return;
            }
        }
        seen.insert(key, (now, true));
    }

    /// An instance polls: who it is, what SDK it names, where from.
    pub(crate) fn record_instance(&self, ws: &str, agent: &str, instance: &str, sdk: &str, peer: &str) {
        let replica = self.replica.get_or_init(|| {
            let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
            format!("{}:{}", host.trim(), std::process::id())
        });
        let key = (ws.to_string(), agent.to_string(), instance.to_string());
        let sdk: String = sdk.chars().filter(|c| !c.is_control()).take(MAX_SDK_LEN).collect();
        let now = now_micros();
        let mut seen = self.instances.lock().unwrap_or_else(|p| p.into_inner());
        if !seen.contains_key(&key) {
            // A new instance (rare: instances keep their ids): bounded in all,
            // and per workspace, so that one caller inventing ids cannot crowd
            // out the others' instances.
            let stale = now - SERVED_WITHIN.as_micros() as i64;
            if seen.len() >= MAX_REMEMBERED {
                seen.retain(|_, (s, dirty)| *dirty || s.last_poll >= stale);
            }
            let of_ws = seen.keys().filter(|(w, _, _)| w == ws).count();
            if seen.len() >= MAX_REMEMBERED || of_ws >= MAX_INSTANCES_PER_WORKSPACE {
                return;
            }
        }
        let sighting = Sighting {
            agent: agent.to_string(),
            instance: instance.to_string(),
            sdk,
            peer: peer.to_string(),
            replica: replica.clone(),
            last_poll: now,
        };
        seen.insert(key, (sighting, true));
    }

    /// This process's sightings of a workspace's instances.
    fn local_instances(&self, ws: &str) -> Vec<Sighting> {
        let seen = self.instances.lock().unwrap_or_else(|p| p.into_inner());
        seen.iter().filter(|((w, _, _), _)| w == ws).map(|(_, (s, _))| s.clone()).collect()
    }

    fn local(&self, ws: &str, agent: &str) -> Option<Micros> {
        let seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        [ws, EVERY_WORKSPACE]
            .iter()
            .filter_map(|w| seen.get(&(w.to_string(), agent.to_string())).map(|(at, _)| *at))
            .max()
    }

    /// The instance sightings not yet written (taken with `due`).
    fn due_instances(&self) -> Vec<(String, Sighting)> {
        let mut seen = self.instances.lock().unwrap_or_else(|p| p.into_inner());
        seen.iter_mut()
            .filter(|(_, (_, dirty))| *dirty)
            .map(|((w, _, _), (s, dirty))| {
                *dirty = false;
                (w.clone(), s.clone())
            })
            .collect()
    }

    /// The sightings not yet written, if a flush is due.
    fn due(&self) -> Option<Vec<(String, String, Micros)>> {
        let now = now_micros();
        let mut last = self.last_flush.lock().unwrap_or_else(|p| p.into_inner());
        if now - *last < FLUSH_EVERY.as_micros() as i64 {
            return None;
        }
        *last = now;
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        let out: Vec<_> = seen
            .iter_mut()
            .filter(|(_, (_, dirty))| *dirty)
            .map(|((w, a), (at, dirty))| {
                *dirty = false;
                (w.clone(), a.clone(), *at)
            })
            .collect();
        (!out.is_empty()).then_some(out)
    }
}

impl Engine {
    /// Writes this process's recent sightings to the store (at most every few seconds).
    pub(crate) async fn flush_presence(&self) -> Result<()> {
        let Some(seen) = self.presence.due() else { return Ok(()) };
        let instances = self.presence.due_instances();
        let forget_before = now_micros() - INSTANCES_KEPT.as_micros() as i64;
        self.store
            .write(move |tx| {
                store::mark_agents_seen(tx, &seen)?;
                store::mark_instances_seen(tx, &instances)?;
                store::forget_instances(tx, forget_before).map(|_| ())
            })
            .await
    }

    /// An instance of `agent` is about to poll in `ws` for `wait` (its SDK
    /// and address as it sent them); a poll the server refuses is not remembered.
    pub fn note_poller(&self, ws: &str, agent: &str, instance: &str, wait: Duration, sdk: &str, peer: &str) {
        if self.check_poll(Some(ws), agent, instance, wait).is_err() {
            return;
        }
        let instance = if instance.is_empty() { "anonymous" } else { instance };
        self.presence.record_instance(ws, agent, instance, sdk, peer);
    }

    /// The fleet of a workspace's agents (ListAgents).
    pub async fn fleet(&self, ws: &str) -> Result<Vec<fleet::AgentStatus>> {
        let now = now_micros();
        let (w, seen_since, hour_ago) = (ws.to_string(), now - INSTANCES_KEPT.as_micros() as i64, now - 3_600_000_000);
        let mut facts = self.store.read(move |c| store::fleet_facts(c, &w, seen_since, hour_ago)).await?;
        let local = self.presence.local_instances(ws);
        let policy = self.policy();
        let declared: Vec<(String, String)> =
            policy.agents.iter().map(|a| (a.name.clone(), a.executor.as_str().to_string())).collect();
        let served_after = now - SERVED_WITHIN.as_micros() as i64;
        let describe = |t: Micros| {
            chrono::DateTime::<chrono::Utc>::from_timestamp_micros(t)
                .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                .unwrap_or_else(|| t.to_string())
        };
        tokio::task::spawn_blocking(move || {
            fleet::merge_sightings(&mut facts.sightings, local);
            fleet::summarise(&declared, facts, served_after, &describe)
        })
        .await
        .map_err(|e| crate::error::Error::Internal(format!("fleet: {e}")))
    }

    /// The agents this run's ready tasks wait for that nobody has polled for lately.
    pub async fn agent_waits(&self, ws: &str, run_id: &str) -> Result<Vec<AgentWait>> {
        let id = run_id.to_string();
        let ready = self.store.read(move |c| store::ready_by_agent(c, &id)).await?;
        if ready.is_empty() {
            return Ok(Vec::new());
        }
        let agents: Vec<String> = ready.iter().map(|(a, _)| a.clone()).collect();
        let w = ws.to_string();
        let stored = self.store.read(move |c| store::last_polls(c, &w, &agents)).await?;
        let fresh_after = now_micros() - SERVED_WITHIN.as_micros() as i64;
        Ok(ready
            .into_iter()
            .filter_map(|(agent, n)| {
                let last = stored.get(&agent).copied().max(self.presence.local(ws, &agent));
                let served = last.is_some_and(|t| t >= fresh_after);
                (!served).then(|| AgentWait { agent, ready_tasks: n.clamp(0, u32::MAX as i64) as u32, last_poll: last })
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sightings_are_bounded_and_flushed_once() {
        let p = Presence::default();
        p.record(None, "agent-0");
        for i in 0..MAX_REMEMBERED + 50 {
            p.record(Some("ws"), &format!("agent-{i}"));
        }
        assert_eq!(p.seen.lock().map(|s| s.len()).unwrap_or(0), MAX_REMEMBERED);
        assert!(p.local("other", "agent-0").is_some(), "a built-in executor serves every workspace");
        assert!(p.local("other", "agent-1").is_none());
        let first = p.due().map(|v| v.len()).unwrap_or(0);
        assert_eq!(first, MAX_REMEMBERED, "every sighting is written once");
        assert!(p.due().is_none(), "and not again within the flush interval");
    }
}
