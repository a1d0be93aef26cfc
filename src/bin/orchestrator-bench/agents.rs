//! The bench's agents: tokio tasks of this process, each with its own connection, PollTask → CompleteTask.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, watch};
use tokio::task::JoinSet;
use tonic::transport::Channel;

use orchestrator::domain::{self};
use orchestrator::error::{Error, Result};
use orchestrator::proto::v1 as pb;
use orchestrator::proto::v1::coordinator_service_client::CoordinatorServiceClient;

use super::*;

// ---------------------------------------------------------------- agents

/// What an agent tells the dispatch scenario.
#[derive(Debug)]
pub(super) enum AgentEvent {
    /// PollTask returned this run's task at this instant (and wall-clock µs).
    Held(String, Instant, i64),
    /// CompleteTask for this run's task returned.
    Completed(String),
}

/// Agents as tokio tasks, each with its own connection; aborted when dropped.
pub(super) struct AgentPool {
    pub(super) _tasks: JoinSet<()>,
    pub(super) completed: watch::Receiver<u64>,
    pub(super) errors: Arc<AgentErrors>,
}

#[derive(Default)]
pub(super) struct AgentErrors {
    pub(super) count: AtomicU64,
    pub(super) last: Mutex<Option<String>>,
}

impl AgentErrors {
    pub(super) fn record(&self, e: String) {
        self.count.fetch_add(1, Ordering::Relaxed);
        *self.last.lock().unwrap_or_else(|p| p.into_inner()) = Some(e);
    }

    pub(super) fn note(&self) -> String {
        match self.last.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            Some(e) => format!("; {} agent call errors, the last: {e}", self.count.load(Ordering::Relaxed)),
            None => String::new(),
        }
    }
}

impl AgentPool {
    /// `n` agents of the one-at-a-time loop, each taking `work` per task;
    /// agent `i` connects to `addrs[i % addrs.len()]`.
    pub(super) async fn start(
        addrs: &[SocketAddr],
        agent: &str,
        n: usize,
        work: Duration,
        events: Option<mpsc::UnboundedSender<AgentEvent>>,
    ) -> Result<AgentPool> {
        AgentPool::spawn(addrs, n, |client, instance, done, errors| {
            agent_loop(client, agent.to_string(), instance, work, done, errors, events.clone())
        })
        .await
    }

    /// Agents of the batched protocol: each takes up to `batch` tasks per
    /// PollTask and reports them in one CompleteTasks that hands over up to
    /// `batch` next ones. `batch` 1 is [`AgentPool::start`]'s one-at-a-time loop.
    /// Agent `i` connects to `addrs[i % addrs.len()]` (replicas of one database).
    pub(super) async fn start_batched(addrs: &[SocketAddr], agent: &str, n: usize, batch: usize) -> Result<AgentPool> {
        if batch <= 1 {
            return AgentPool::start(addrs, agent, n, Duration::ZERO, None).await;
        }
        AgentPool::spawn(addrs, n, |client, instance, done, errors| {
            batch_loop(client, agent.to_string(), instance, batch, done, errors)
        })
        .await
    }

    /// `n` agents, each with its own connection (spread over `addrs`), running the loop `run` makes.
    async fn spawn<F, Fut>(addrs: &[SocketAddr], n: usize, run: F) -> Result<AgentPool>
    where
        F: Fn(CoordinatorServiceClient<Channel>, String, Arc<watch::Sender<u64>>, Arc<AgentErrors>) -> Fut,
        Fut: std::future::Future<Output = ()> + Send + 'static,
    {
        let (done_tx, completed) = watch::channel(0u64);
        let done_tx = Arc::new(done_tx);
        let errors = Arc::new(AgentErrors::default());
        let mut tasks = JoinSet::new();
        for i in 0..n {
            let addr =
                addrs.get(i % addrs.len().max(1)).ok_or_else(|| Error::Internal("no server to connect to".into()))?;
            let client = CoordinatorServiceClient::new(connect(*addr).await?);
            tasks.spawn(run(client, format!("bench-{i}"), done_tx.clone(), errors.clone()));
        }
        Ok(AgentPool { _tasks: tasks, completed, errors })
    }

    /// Waits until the agents have completed `target` tasks in all; returns when.
    pub(super) async fn wait_completed(&mut self, target: u64, within: Duration) -> Result<Instant> {
        let outcome = match tokio::time::timeout(within, self.completed.wait_for(|n| *n >= target)).await {
            Ok(Ok(_)) => Some(true),
            Ok(Err(_)) => Some(false),
            Err(_) => None,
        };
        match outcome {
            Some(true) => Ok(Instant::now()),
            Some(false) => Err(Error::Internal(format!("the agents stopped{}", self.errors.note()))),
            None => Err(Error::Internal(format!(
                "only {} of {target} tasks were completed within {} s{}",
                *self.completed.borrow(),
                within.as_secs(),
                self.errors.note()
            ))),
        }
    }

    /// A figure of the agents' failed calls, if any (none is the expected case).
    pub(super) fn error_figure(&self) -> Option<Figure> {
        let n = self.errors.count.load(Ordering::Relaxed);
        (n > 0).then(|| Figure::new("agent call errors (see log)", n as f64, "", 0))
    }
}

pub(super) async fn agent_loop(
    mut client: CoordinatorServiceClient<Channel>,
    agent: String,
    instance: String,
    work: Duration,
    done: Arc<watch::Sender<u64>>,
    errors: Arc<AgentErrors>,
    events: Option<mpsc::UnboundedSender<AgentEvent>>,
) {
    let wait = prost_types::Duration { seconds: POLL_WAIT.as_secs() as i64, nanos: 0 };
    // The next task, when the last completion claimed one (as an agent should: it
    // saves a PollTask round trip per task).
    let mut next: Option<pb::TaskAssignment> = None;
    loop {
        let assignment = match next.take() {
            Some(a) => a,
            None => {
                let polled = client
                    .poll_task(pb::PollTaskRequest {
                        agent: agent.clone(),
                        agent_instance: instance.clone(),
                        wait: Some(wait),
                        ..Default::default()
                    })
                    .await;
                match polled {
                    Ok(r) => match r.into_inner().assignment {
                        Some(a) => a,
                        None => continue,
                    },
                    Err(s) => {
                        errors.record(format!("PollTask: {:?}: {}", s.code(), s.message()));
                        // Back off on errors only; the hot path has no sleep.
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                }
            }
        };
        if let Some(tx) = &events {
            let _ = tx.send(AgentEvent::Held(assignment.run_id.clone(), Instant::now(), domain::now_micros()));
        }
        if !work.is_zero() {
            tokio::time::sleep(work).await;
        }
        let output = prost_types::Value { kind: Some(prost_types::value::Kind::StringValue("ok".into())) };
        let completed = client
            .complete_task(pb::CompleteTaskRequest {
                lease_id: assignment.lease_id,
                output: Some(output),
                claim_next: true,
                ..Default::default()
            })
            .await;
        match completed {
            Ok(r) => {
                next = r.into_inner().next;
                done.send_modify(|n| *n += 1);
                if let Some(tx) = &events {
                    let _ = tx.send(AgentEvent::Completed(assignment.run_id));
                }
            }
            Err(s) => errors.record(format!("CompleteTask: {:?}: {}", s.code(), s.message())),
        }
    }
}

/// The batched agent: PollTask (max_tasks) → CompleteTasks (claim_next, max_next) → …
async fn batch_loop(
    mut client: CoordinatorServiceClient<Channel>,
    agent: String,
    instance: String,
    batch: usize,
    done: Arc<watch::Sender<u64>>,
    errors: Arc<AgentErrors>,
) {
    let wait = prost_types::Duration { seconds: POLL_WAIT.as_secs() as i64, nanos: 0 };
    let mut held: Vec<pb::TaskAssignment> = Vec::new();
    loop {
        if held.is_empty() {
            let polled = client
                .poll_task(pb::PollTaskRequest {
                    agent: agent.clone(),
                    agent_instance: instance.clone(),
                    wait: Some(wait),
                    max_tasks: batch as u32,
                    ..Default::default()
                })
                .await;
            match polled {
                Ok(r) => held = r.into_inner().assignments,
                Err(s) => {
                    errors.record(format!("PollTask: {:?}: {}", s.code(), s.message()));
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
            continue;
        }
        let output = prost_types::Value { kind: Some(prost_types::value::Kind::StringValue("ok".into())) };
        let completions = held
            .drain(..)
            .map(|a| pb::CompleteTaskRequest {
                lease_id: a.lease_id,
                output: Some(output.clone()),
                ..Default::default()
            })
            .collect();
        let request = pb::CompleteTasksRequest { completions, claim_next: true, max_next: batch as u32 };
        match client.complete_tasks(request).await {
            Ok(r) => {
                let r = r.into_inner();
                let recorded = r.results.iter().filter(|x| x.code == 0).count() as u64;
                if let Some(refused) = r.results.iter().find(|x| x.code != 0) {
                    errors.record(format!("CompleteTasks: code {}: {}", refused.code, refused.message));
                }
                done.send_modify(|n| *n += recorded);
                held = r.next_tasks;
            }
            Err(s) => errors.record(format!("CompleteTasks: {:?}: {}", s.code(), s.message())),
        }
    }
}

/// Waits (5 s at most) for an agent's report on this run: its task held, or
/// completed. Returns when (and the wall-clock µs when it was held).
pub(super) async fn wait_agent_event(
    rx: &mut mpsc::UnboundedReceiver<AgentEvent>,
    run_id: &str,
    completed: bool,
) -> Result<(Instant, i64)> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            Ok(Some(AgentEvent::Held(id, at, micros))) if !completed && id == run_id => return Ok((at, micros)),
            Ok(Some(AgentEvent::Completed(id))) if completed && id == run_id => {
                return Ok((Instant::now(), domain::now_micros()))
            }
            Ok(Some(_)) => continue,
            Ok(None) => return Err(Error::Internal("the dispatch agents stopped".into())),
            Err(_) => {
                let what = if completed { "completed" } else { "handed to an agent" };
                return Err(Error::Internal(format!("the task of run {run_id} was not {what} within 5 s")));
            }
        }
    }
}
