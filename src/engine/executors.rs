//! The built-in executors' workers, kept in step with the policy in force.
//!
//! A worker is `(executor, agent name, index)`: `command` and `llm` agents get
//! `concurrency` workers each. When the policy changes, workers that the new
//! policy wants and that are not running are started; a worker that the
//! policy no longer wants stops by itself before its next poll, never in
//! the middle of an attempt: at once when its agent was removed (the reload
//! wakes every poller), within one poll wait (30 s) when the agent's
//! executor changed or its concurrency was lowered (the claim limits follow
//! the new concurrency at once). The check and the bookkeeping happen under one lock together
//! with the read of the current policy, so a reload racing a worker's exit
//! can neither lose a wanted worker nor start a second one.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::Engine;
use crate::config::{AgentPolicy, ExecutorKind};

/// Which worker: executor, agent, index.
pub(crate) type WorkerKey = (ExecutorKind, String, u32);

/// The running workers.
#[derive(Default)]
pub(crate) struct Executors {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    running: HashSet<WorkerKey>,
    tasks: Option<tokio::task::JoinSet<()>>,
    stopped: bool,
}

/// Whether the policy wants this worker, and the agent's current definition.
fn wanted(engine: &Engine, key: &WorkerKey) -> Option<AgentPolicy> {
    let policy = engine.policy();
    let agent = policy.agent(&key.1)?;
    let n = agent.concurrency.unwrap_or(4).max(1);
    (agent.executor == key.0 && key.2 < n).then(|| agent.clone())
}

/// How long an idle worker waits in one poll.
const POLL_WAIT: Duration = Duration::from_secs(30);

/// One worker of a built-in agent, whichever its executor: polls and runs
/// attempts until the policy no longer wants it. Only the attempt itself
/// differs between executors.
async fn worker(engine: &Arc<Engine>, key: &WorkerKey, instance: &str) {
    while let Some(agent) = engine.worker_agent(key) {
        match engine.poll_task(None, &agent.name, instance, POLL_WAIT).await {
            Ok(Some(a)) => {
                // The definition and hooks in force when the attempt starts.
                let policy = engine.policy();
                let agent = policy.agent(&agent.name).filter(|x| x.executor == key.0).cloned().unwrap_or(agent);
                let span = super::trace::attempt_log_span(&a);
                let attempt = async {
                    match key.0 {
                        ExecutorKind::Command => {
                            super::command::execute(engine, &agent, &policy.hooks, policy.base_dir.as_deref(), a).await
                        }
                        ExecutorKind::Llm => super::llm_exec::execute(engine, &agent, a).await,
                        // Never started: such agents poll over gRPC themselves.
                        ExecutorKind::Agent => {}
                    }
                };
                tracing::Instrument::instrument(attempt, span).await
            }
            Ok(None) => {}
            Err(e) => {
                tracing::warn!(agent = %agent.name, executor = ?key.0, error = %e, "built-in worker could not poll");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

impl Engine {
    /// Starts the workers the current policy wants and that are not running.
    pub fn sync_executors(self: &Arc<Self>) {
        let mut inner = self.executors.inner.lock().unwrap_or_else(|p| p.into_inner());
        if inner.stopped {
            return;
        }
        let policy = self.policy();
        for agent in policy.agents.iter().filter(|a| matches!(a.executor, ExecutorKind::Command | ExecutorKind::Llm)) {
            for i in 0..agent.concurrency.unwrap_or(4).max(1) {
                let key: WorkerKey = (agent.executor.clone(), agent.name.clone(), i);
                if inner.running.contains(&key) {
                    continue;
                }
                inner.running.insert(key.clone());
                let engine = self.clone();
                let set = inner.tasks.get_or_insert_with(tokio::task::JoinSet::new);
                set.spawn(async move {
                    let instance = format!("{}:{}#{}", std::process::id(), key.1, key.2);
                    worker(&engine, &key, &instance).await
                });
            }
        }
        // Reap finished workers so the set does not grow with reloads.
        if let Some(set) = inner.tasks.as_mut() {
            while set.try_join_next().is_some() {}
        }
    }

    /// The agent a worker serves, if the policy still wants the worker; when
    /// it does not, the worker is forgotten and must stop.
    pub(crate) fn worker_agent(&self, key: &WorkerKey) -> Option<AgentPolicy> {
        let mut inner = self.executors.inner.lock().unwrap_or_else(|p| p.into_inner());
        let agent = if inner.stopped || self.is_shutting_down() { None } else { wanted(self, key) };
        if agent.is_none() {
            inner.running.remove(key);
            if !inner.stopped && !self.is_shutting_down() {
                tracing::info!(agent = %key.1, worker = key.2, "worker stopped: the policy no longer wants it");
            }
        }
        agent
    }

    /// Stops every worker at shutdown: once shutdown has begun their polls end;
    /// a worker still busy after `grace` is aborted, its attempt abandoned to
    /// the reconciler.
    pub async fn shutdown_executors(&self, grace: std::time::Duration) {
        let tasks = {
            let mut inner = self.executors.inner.lock().unwrap_or_else(|p| p.into_inner());
            inner.stopped = true;
            inner.running.clear();
            inner.tasks.take()
        };
        let Some(mut set) = tasks else { return };
        let drained = tokio::time::timeout(grace, async { while set.join_next().await.is_some() {} }).await;
        if drained.is_err() {
            tracing::warn!(?grace, "built-in executors did not stop in time; aborting them");
            set.shutdown().await;
        }
    }

    /// Stops every worker at once; attempts in flight are abandoned to the reconciler.
    pub fn stop_executors(&self) {
        let tasks = {
            let mut inner = self.executors.inner.lock().unwrap_or_else(|p| p.into_inner());
            inner.stopped = true;
            inner.running.clear();
            inner.tasks.take()
        };
        drop(tasks);
    }
}
