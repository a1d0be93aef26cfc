//! The agent protocol: long-poll for leased work, heartbeat, complete, fail.
//!
//! PollTask first tries to claim; if nothing is ready it waits on the hub's
//! wake-up for its agent name (registered before the claim, so a task made
//! ready in between is not missed) until its wait runs out. No re-querying
//! on a timer.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Map, Value};

use super::Engine;
use crate::domain::spawn::SpawnRequest;
use crate::domain::Directive;
use crate::domain::{self, EffectiveTools, EventKind, Micros, TaskSpec, TaskStatus, ToolRules, Usage};
use crate::error::{Error, Result};
use crate::hub::ANY_WORKSPACE;
use crate::store::{self, ClaimLimits, Claimed, FailOutcome};

/// The largest checkpoint an agent may leave for its next turn (JSON bytes).
pub const MAX_CHECKPOINT_BYTES: usize = 256 * 1024;

/// A leased task, as handed to an agent.
#[derive(Debug, Clone)]
pub struct Assignment {
    /// The run.
    pub run_id: String,
    /// The task.
    pub task_id: String,
    /// The attempt number.
    pub attempt: u32,
    /// The lease.
    pub lease_id: String,
    /// The lease deadline.
    pub lease_deadline: Micros,
    /// What to do.
    pub spec: TaskSpec,
    /// Dependencies' outputs.
    pub inputs: Map<String, Value>,
    /// The run's goal.
    pub goal: String,
    /// Why the previous attempt was rejected.
    pub feedback: Vec<String>,
    /// The previous attempt's output, when verification rejected it.
    pub previous_output: Option<Value>,
    /// W3C trace context of the attempt.
    pub trace_context: BTreeMap<String, String>,
    /// Tools the agent may use.
    pub allowed_tools: Vec<String>,
    /// The run's context.
    pub context: Map<String, Value>,
    /// The run's workspace.
    pub workspace: String,
    /// Tools denied at any layer.
    pub denied_tools: Vec<String>,
    /// Tools the run's policy denies (a layer of the tool policy).
    pub run_tools_denied: Vec<String>,
    /// The attempt's turn (1 until its agent asks for another).
    pub turn: u32,
    /// What the previous turn left for this one.
    pub checkpoint: Option<Value>,
    /// The most turns the attempt may take.
    pub max_turns: u32,
}

impl Assignment {
    fn from_claim(c: Claimed, default_max_turns: u32) -> Result<Assignment> {
        let spec = store::task_spec(&c.task)?;
        let run_spec = store::run_spec(&c.run)?;
        let inputs = match &c.task.inputs_json {
            Some(s) => match serde_json::from_str(s)? {
                Value::Object(m) => m,
                _ => Map::new(),
            },
            None => Map::new(),
        };
        let feedback: Vec<String> = match &c.attempt.feedback_json {
            Some(s) => serde_json::from_str(s)?,
            None => Vec::new(),
        };
        let previous_output = match &c.previous_output {
            Some(s) => Some(serde_json::from_str(s)?),
            None => None,
        };
        let max_turns = spec.max_turns.unwrap_or(default_max_turns);
        let checkpoint = match &c.attempt.checkpoint_json {
            Some(s) => Some(serde_json::from_str(s)?),
            None => None,
        };
        // A later turn's own spans go under its turn's span (see engine::trace).
        let parent = match c.attempt.turn {
            1 => c.attempt.span_id.clone(),
            turn => store::turn_span_id(&c.attempt.span_id, turn),
        };
        let mut trace_context = BTreeMap::new();
        trace_context.insert("traceparent".to_string(), format!("00-{}-{parent}-01", c.run.trace_id));
        if let Some(state) = c.run.tracestate.as_ref().filter(|s| !s.is_empty()) {
            trace_context.insert("tracestate".to_string(), state.clone());
        }
        Ok(Assignment {
            run_id: c.run.id.clone(),
            task_id: c.task.task_id.clone(),
            attempt: c.attempt.number as u32,
            lease_id: c.attempt.lease_id.clone(),
            lease_deadline: c.attempt.lease_expires_at,
            goal: c.run.goal.clone(),
            workspace: c.run.workspace_id.clone(),
            run_tools_denied: run_spec.policy.tools_denied.clone(),
            context: run_spec.context,
            spec,
            inputs,
            feedback,
            previous_output,
            trace_context,
            allowed_tools: Vec::new(),
            denied_tools: Vec::new(),
            turn: c.attempt.turn.max(1) as u32,
            checkpoint,
            max_turns,
        })
    }
}

/// What an agent reports in a heartbeat.
#[derive(Debug, Clone, Copy, Default)]
pub struct Report<'a> {
    /// Tools used so far.
    pub tools_used: &'a [String],
    /// Cumulative usage.
    pub usage: Option<Usage>,
    /// How much longer the lease should run.
    pub extend: Option<Duration>,
    /// Fraction done.
    pub progress: f64,
    /// A progress note.
    pub message: &'a str,
}

/// What CompleteTask did.
#[derive(Debug, Clone)]
pub struct Completion {
    /// The task's status after it (and after its verification, if it has criteria).
    pub status: TaskStatus,
    /// The verdict, if the task has criteria.
    pub verdict: Option<crate::domain::Verdict>,
    /// The agent's next tasks, when asked for and some were ready.
    pub next: Vec<Assignment>,
}

/// Most tasks one PollTask, CompleteTask or CompleteTasks hands out, and most
/// completions one CompleteTasks takes.
pub const MAX_BATCH: usize = 64;

/// One completion of a CompleteTasks call, as the API read it.
#[derive(Debug, Clone)]
pub struct BatchItem {
    pub lease_id: String,
    /// Its fields, or why they could not be read (then it is refused alone).
    pub read: Result<ReadCompletion>,
}

/// The fields of a completion the API could read.
#[derive(Debug, Clone, Default)]
pub struct ReadCompletion {
    pub tools_used: Vec<String>,
    pub output: Value,
    pub usage: Option<Usage>,
    /// Tasks to add to the run.
    pub spawn: SpawnRequest,
}

/// What became of one completion of a CompleteTasks call.
pub type BatchOutcome = Result<(TaskStatus, Option<crate::domain::Verdict>)>;

/// A batch count from a request: 0 means 1; more than [`MAX_BATCH`] is refused.
pub fn batch_size(n: u32, field: &str) -> Result<usize> {
    match n as usize {
        0 => Ok(1),
        n if n <= MAX_BATCH => Ok(n),
        _ => Err(Error::invalid(field, format!("at most {MAX_BATCH}"))),
    }
}

/// The answer to a heartbeat.
#[derive(Debug, Clone, Copy)]
pub struct HeartbeatAnswer {
    /// New lease deadline.
    pub lease_deadline: Micros,
    /// What to do.
    pub directive: Directive,
}

fn check_agent_name(agent: &str) -> Result<()> {
    if agent.is_empty() {
        return Err(Error::invalid("agent", "an agent name is required"));
    }
    if agent.len() > 128 {
        return Err(Error::invalid("agent", "longer than 128 bytes"));
    }
    Ok(())
}

fn check_lease(lease_id: &str) -> Result<()> {
    if lease_id.is_empty() {
        return Err(Error::invalid("lease_id", "a lease id is required"));
    }
    if lease_id.len() > 128 {
        return Err(Error::invalid("lease_id", "longer than 128 bytes"));
    }
    Ok(())
}

fn check_usage(u: &Option<Usage>) -> Result<()> {
    if let Some(u) = u {
        if u.prompt_tokens < 0 || u.completion_tokens < 0 || u.tool_calls < 0 || u.cost_micros < 0 {
            return Err(Error::invalid("usage", "usage figures cannot be negative"));
        }
    }
    Ok(())
}

impl ReadCompletion {
    /// A built-in executor's completion: an output and its usage.
    pub fn of(output: Value, usage: Option<Usage>) -> ReadCompletion {
        ReadCompletion { output, usage, ..Default::default() }
    }
}

impl Engine {
    fn claim_limits(&self, agent: &str) -> ClaimLimits {
        ClaimLimits {
            per_agent: self.policy().agent(agent).and_then(|a| a.concurrency).map(i64::from),
            total: self.config.max_running_total,
            lease_ms: self.config.lease.as_millis() as i64,
            default_timeout_ms: self.config.default_task_timeout.as_millis() as i64,
        }
    }

    /// The assignment for a claim, with the tools its agent may use.
    fn assignment(&self, claimed: Claimed) -> Result<Assignment> {
        let agent = claimed.task.agent.clone();
        let mut a = Assignment::from_claim(claimed, self.policy().continuation.max_turns)?;
        let tools = self.effective_tools(&a.workspace, &agent, &a.spec, &a.run_tools_denied);
        a.allowed_tools = tools.allowed.map(|s| s.into_iter().collect()).unwrap_or_default();
        a.denied_tools = tools.denied.into_iter().collect();
        Ok(a)
    }

    /// Whether `agent` may take work: declared by the policy (when it declares
    /// any) and, for an out-of-process caller (`ws` set), an `agent` agent.
    /// Whether a poll of `agent` by `instance` for `wait` may be taken at all.
    pub(crate) fn check_poll(&self, ws: Option<&str>, agent: &str, instance: &str, wait: Duration) -> Result<()> {
        check_agent_name(agent)?;
        if instance.len() > 256 {
            return Err(Error::invalid("agent_instance", "longer than 256 bytes"));
        }
        self.check_pollable(ws, agent)?;
        if wait > self.config.max_poll_wait {
            return Err(Error::invalid("wait", format!("at most {:?}", self.config.max_poll_wait)));
        }
        Ok(())
    }

    fn check_pollable(&self, ws: Option<&str>, agent: &str) -> Result<()> {
        pollable(&self.policy(), ws, agent)
    }

    /// How much of specs, inputs and previous outputs one batch of assignments
    /// may carry before no more is claimed: half the message limit, so that
    /// with the one task that crosses it (itself bounded by the output limit)
    /// the answer stays within what the server sends.
    fn batch_bytes(&self) -> usize {
        self.config.limits.max_message_bytes / 2
    }

    /// Long-polls for a task of `agent` in `ws` (None: every workspace).
    pub async fn poll_task(
        &self,
        ws: Option<&str>,
        agent: &str,
        instance: &str,
        wait: Duration,
    ) -> Result<Option<Assignment>> {
        Ok(self.poll_tasks(ws, agent, instance, wait, 1).await?.into_iter().next())
    }

    /// Long-polls for up to `max` tasks of `agent` in `ws`, claimed in one
    /// transaction; answers as soon as at least one is ready.
    pub async fn poll_tasks(
        &self,
        ws: Option<&str>,
        agent: &str,
        instance: &str,
        wait: Duration,
        max: usize,
    ) -> Result<Vec<Assignment>> {
        self.check_poll(ws, agent, instance, wait)?;
        // Nothing new is handed out once shutdown has begun.
        if self.is_shutting_down() {
            return Ok(Vec::new());
        }
        let max = max.clamp(1, MAX_BATCH);
        self.presence.record(ws, agent);
        let polling = Polling::new(self.store.hub(), ws.unwrap_or(ANY_WORKSPACE), agent);
        let notify = polling.notify.clone();
        let deadline = tokio::time::Instant::now() + wait;
        let instance = if instance.is_empty() { "anonymous" } else { instance };
        loop {
            let notified = notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let (w, a, i) = (ws.map(str::to_string), agent.to_string(), instance.to_string());
            // Read at every pass: a policy reload may have changed the agent's concurrency.
            let limits = self.claim_limits(agent);
            let bytes = self.batch_bytes();
            let claimed =
                self.store.write(move |tx| store::claim_up_to(tx, w.as_deref(), &a, &i, limits, max, bytes)).await?;
            if !claimed.is_empty() {
                return claimed.into_iter().map(|c| self.assignment(c)).collect();
            }
            tokio::select! {
                _ = &mut notified => {
                    // A policy reload wakes every poller: one whose agent it removed ends its wait.
                    let policy = self.policy();
                    if !policy.agents.is_empty() && policy.agent(agent).is_none() {
                        return Ok(Vec::new());
                    }
                    continue;
                }
                _ = tokio::time::sleep_until(deadline) => return Ok(Vec::new()),
                _ = self.shutting_down() => return Ok(Vec::new()),
            }
        }
    }

    /// Extends a lease; records cumulative usage and progress.
    pub async fn heartbeat(&self, scope: Option<&str>, lease_id: &str, report: Report<'_>) -> Result<HeartbeatAnswer> {
        let Report { tools_used, usage, extend, progress, message } = report;
        check_lease(lease_id)?;
        check_usage(&usage)?;
        if let Some(reason) = self.check_tools(scope, lease_id, tools_used).await? {
            return Err(Error::FailedPrecondition(format!("the attempt was failed: it {reason}")));
        }
        if !(0.0..=1.0).contains(&progress) {
            return Err(Error::invalid("progress", "must be within [0, 1]"));
        }
        if message.len() > 4096 {
            return Err(Error::invalid("message", "longer than 4096 bytes"));
        }
        let extend = extend.unwrap_or(self.config.lease);
        if extend > Duration::from_secs(600) {
            return Err(Error::invalid("extend_by", "at most 10 minutes"));
        }
        let extend_ms = extend.as_millis() as i64;
        let lease = lease_id.to_string();
        let progress = if message.is_empty() { None } else { Some((progress, message.to_string())) };
        let scope = scope.map(str::to_string);
        let beat = self
            .store
            .write(move |tx| {
                tx.scope = scope;
                store::heartbeat(tx, &lease, usage, extend_ms, progress)
            })
            .await?;
        Ok(HeartbeatAnswer { lease_deadline: beat.lease_expires_at, directive: beat.directive })
    }

    /// The checks of one completion before it is written: its lease's shape,
    /// its usage, its tools (a tool outside the policy may fail the attempt
    /// here), its output's size.
    async fn check_completion(
        &self,
        scope: Option<&str>,
        lease_id: &str,
        tools_used: &[String],
        output: &Value,
        usage: &Option<Usage>,
    ) -> Result<()> {
        check_lease(lease_id)?;
        check_usage(usage)?;
        if let Some(reason) = self.check_tools(scope, lease_id, tools_used).await? {
            return Err(Error::FailedPrecondition(format!("the attempt was failed: it {reason}")));
        }
        let size = output.to_string().len();
        if size > self.config.limits.max_output_bytes {
            return Err(Error::invalid(
                "output",
                format!("{size} bytes exceed the limit of {} bytes", self.config.limits.max_output_bytes),
            ));
        }
        Ok(())
    }

    /// A completion's new tasks as the store takes them, with what only the
    /// policy can tell about them (unknown agents, criteria parameters)
    /// checked off the async threads; None when it adds nothing.
    /// The graph is checked on a read connection too, so that a refused
    /// spawn costs the writer nothing.
    async fn spawned(
        &self,
        scope: Option<&str>,
        lease_id: &str,
        spawn: SpawnRequest,
    ) -> Result<Option<store::Spawned>> {
        if spawn.is_empty() {
            return Ok(None);
        }
        let limits = &self.config.limits.run.plan;
        if spawn.tasks.len() > limits.max_spawn_per_call {
            return Err(Error::invalid("spawn", format!("at most {} tasks per completion", limits.max_spawn_per_call)));
        }
        if spawn.repoint.len() > limits.max_spawn_per_call {
            return Err(Error::invalid(
                "repoint",
                format!("at most {} tasks per completion", limits.max_spawn_per_call),
            ));
        }
        let judge = self.model(crate::config::ModelRole::Utility).is_some();
        let (policy, limits) = (self.policy(), limits.clone());
        let max_plan_bytes = self.config.limits.max_message_bytes / 2;
        let spawned = tokio::task::spawn_blocking(move || {
            let mut violations = super::agent_violations(&policy, "spawn", &spawn.tasks);
            for (i, t) in spawn.tasks.iter().enumerate() {
                violations.extend(crate::verify::check(&format!("spawn[{i}].criteria"), &t.criteria, judge));
            }
            store::Spawned { tasks: spawn.tasks, repoint: spawn.repoint, violations, limits, max_plan_bytes }
        })
        .await
        .map_err(|e| Error::Internal(format!("checking spawned tasks: {e}")))?;
        let (checked, lease, scope) = (spawned.clone(), lease_id.to_string(), scope.map(str::to_string));
        self.store.read(move |c| store::check_spawn(c, &lease, scope.as_deref(), &checked)).await?;
        Ok(Some(spawned))
    }

    /// Records an attempt's output; a task with criteria is verified before this
    /// returns. With `max_next` > 0, a transaction right after the completion's
    /// claims up to that many of the agent's next ready tasks (see `claim_after`).
    pub async fn complete_task(
        &self,
        scope: Option<&str>,
        lease_id: &str,
        completion: ReadCompletion,
        max_next: usize,
    ) -> Result<Completion> {
        let ReadCompletion { tools_used, output, usage, spawn } = completion;
        self.check_completion(scope, lease_id, &tools_used, &output, &usage).await?;
        let spawned = self.spawned(scope, lease_id, spawn).await?;
        let lease = lease_id.to_string();
        let s = scope.map(str::to_string);
        let complete = move |tx: &mut store::Tx<'_>| {
            tx.scope = s;
            store::complete(tx, &lease, &output, usage, spawned.as_ref())
        };
        let (done, next) = if max_next > 0 {
            let (done, claimed) = self.store.write_then(complete, self.claim_after(scope, max_next, the_one)).await?;
            (done, self.next_assignments(claimed))
        } else {
            (self.store.write(complete).await?, Vec::new())
        };
        if done.status != TaskStatus::Verifying {
            return Ok(Completion { status: done.status, verdict: None, next });
        }
        let (status, verdict) = self.verify_task(&done.run_id, &done.task_id).await?;
        Ok(Completion { status, verdict: Some(verdict), next: Vec::new() })
    }

    /// The assignments of the claims made after a completion. The completion
    /// stands whatever became of them: a failed claim is logged, not returned.
    fn next_assignments(&self, claimed: Option<Result<Vec<Claimed>>>) -> Vec<Assignment> {
        let assigned =
            claimed.unwrap_or(Ok(Vec::new())).and_then(|c| c.into_iter().map(|c| self.assignment(c)).collect());
        assigned.unwrap_or_else(|e| {
            tracing::warn!(error = %e, "claiming the next task after a completion failed");
            Vec::new()
        })
    }

    /// Records several attempts' outputs in one transaction (CompleteTasks):
    /// each is checked as CompleteTask checks it and fenced by its own lease;
    /// one refused (also one the API could not read) is its own outcome, in
    /// the items' order, and undoes nothing else. The batch as a whole is
    /// refused when it has no item, more than [`MAX_BATCH`], or one lease twice. Tasks with
    /// criteria are verified after the commit. With `max_next` > 0, up to that
    /// many next tasks of the first recorded completion's agent are claimed
    /// right after (as CompleteTask's `claim_next`).
    pub async fn complete_tasks(
        &self,
        scope: Option<&str>,
        items: Vec<BatchItem>,
        max_next: usize,
    ) -> Result<(Vec<BatchOutcome>, Vec<Assignment>)> {
        if items.is_empty() || items.len() > MAX_BATCH {
            return Err(Error::invalid("completions", format!("1 to {MAX_BATCH} completions")));
        }
        let mut leases = std::collections::HashSet::new();
        if let Some(twice) = items.iter().find(|i| !leases.insert(i.lease_id.as_str())) {
            return Err(Error::invalid("completions", format!("lease {:?} is completed twice", twice.lease_id)));
        }
        // Checked one by one before the transaction; a refused one is its outcome.
        let mut outcomes: Vec<Option<BatchOutcome>> = Vec::with_capacity(items.len());
        let mut batch = Vec::new();
        let mut index = Vec::new();
        for (i, item) in items.into_iter().enumerate() {
            let checked = match item.read {
                Ok(mut c) => {
                    match self.check_completion(scope, &item.lease_id, &c.tools_used, &c.output, &c.usage).await {
                        Ok(()) => {
                            let spawn = std::mem::take(&mut c.spawn);
                            self.spawned(scope, &item.lease_id, spawn).await.map(|s| (c, s))
                        }
                        Err(e) => Err(e),
                    }
                }
                Err(e) => Err(e),
            };
            match checked {
                Ok((c, spawned)) => {
                    index.push(i);
                    batch.push(store::BatchCompletion {
                        lease_id: item.lease_id,
                        output: c.output,
                        usage: c.usage,
                        spawned,
                    });
                    outcomes.push(None);
                }
                Err(e) => outcomes.push(Some(Err(e))),
            }
        }
        let s = scope.map(str::to_string);
        let complete = move |tx: &mut store::Tx<'_>| {
            tx.scope = s;
            store::complete_each(tx, &batch)
        };
        let (done, next) = if index.is_empty() {
            (Vec::new(), Vec::new())
        } else if max_next > 0 {
            let (done, claimed) =
                self.store.write_then(complete, self.claim_after(scope, max_next, first_recorded)).await?;
            (done, self.next_assignments(claimed))
        } else {
            (self.store.write(complete).await?, Vec::new())
        };
        for (i, result) in index.into_iter().zip(done) {
            outcomes[i] = Some(match result {
                // The output is recorded whatever the verifier does: an error here
                // leaves the task VERIFYING for the reconciler to verify again, and
                // the completion is reported as recorded.
                Ok(d) if d.status == TaskStatus::Verifying => match self.verify_task(&d.run_id, &d.task_id).await {
                    Ok((status, verdict)) => Ok((status, Some(verdict))),
                    Err(e) => {
                        tracing::warn!(run = %d.run_id, task = %d.task_id, error = %e, "verifying a batched completion");
                        Ok((TaskStatus::Verifying, None))
                    }
                },
                Ok(d) => Ok((d.status, None)),
                Err(e) => Err(e),
            });
        }
        let outcomes = outcomes
            .into_iter()
            .map(|o| o.unwrap_or_else(|| Err(Error::Internal("a completion has no outcome".into()))))
            .collect();
        Ok((outcomes, next))
    }

    /// The claim of the next task for the agent of a recorded completion
    /// (`claim_next`), run as the second step of `Store::write_then`: a failing
    /// claim never undoes the completion (on SQLite the two share the writer's
    /// group, each in a savepoint when the group runs isolated, and the claim
    /// first writes the counters its candidate query must see: see
    /// `Tx::write_capacity_changes`); on PostgreSQL it is a transaction of its
    /// own, so that the completed task's run is not locked while claiming in
    /// another (a longer lock, and a possible deadlock with a completion doing
    /// the opposite). Nothing is claimed past a
    /// verification: a judge may outlast the next task's lease, which nobody
    /// would be heartbeating meanwhile.
    /// `completed` picks, from what the first transaction recorded, the
    /// completion whose agent and instance claim (None: claim nothing).
    fn claim_after<R: 'static>(
        &self,
        scope: Option<&str>,
        max: usize,
        completed: fn(&R) -> Option<&store::Completed>,
    ) -> impl FnOnce(&R, &mut store::Tx<'_>) -> Result<Vec<Claimed>> + Clone + Send + 'static {
        let policy = self.policy();
        let ws = scope.map(str::to_string);
        let general = self.claim_limits("");
        let max = max.clamp(1, MAX_BATCH);
        let bytes = self.batch_bytes();
        move |recorded, tx| {
            let Some(done) = completed(recorded) else { return Ok(Vec::new()) };
            if done.status == TaskStatus::Verifying {
                return Ok(Vec::new());
            }
            // The checks PollTask makes: a reload may have removed the agent or given it to the server.
            if pollable(&policy, ws.as_deref(), &done.agent).is_err() {
                return Ok(Vec::new());
            }
            let per_agent = policy.agent(&done.agent).and_then(|a| a.concurrency).map(i64::from);
            let limits = ClaimLimits { per_agent, ..general };
            store::claim_up_to(tx, ws.as_deref(), &done.agent, &done.agent_instance, limits, max, bytes)
        }
    }

    /// Records an attempt's failure.
    pub async fn fail_task(
        &self,
        scope: Option<&str>,
        lease_id: &str,
        error: &str,
        retryable: bool,
        usage: Option<Usage>,
    ) -> Result<FailOutcome> {
        check_lease(lease_id)?;
        check_usage(&usage)?;
        let error = if error.is_empty() {
            "the agent reported a failure without a reason".to_string()
        } else {
            domain::plan::truncate(error, 4096)
        };
        let lease = lease_id.to_string();
        let scope = scope.map(str::to_string);
        self.store
            .write(move |tx| {
                tx.scope = scope;
                store::fail(tx, &lease, &error, retryable, usage)
            })
            .await
    }

    /// Ends an attempt's turn with a request for another (ContinueTask): its
    /// lease, usage and tools are checked as a completion's are, and the
    /// checkpoint is bounded before anything is written.
    pub async fn continue_task(
        &self,
        scope: Option<&str>,
        lease_id: &str,
        tools_used: &[String],
        checkpoint: Value,
        usage: Option<Usage>,
    ) -> Result<store::Continued> {
        check_lease(lease_id)?;
        check_usage(&usage)?;
        let size = checkpoint.to_string().len();
        if size > MAX_CHECKPOINT_BYTES {
            return Err(Error::invalid(
                "checkpoint",
                format!("{size} bytes exceed the limit of {MAX_CHECKPOINT_BYTES} bytes"),
            ));
        }
        if let Some(reason) = self.check_tools(scope, lease_id, tools_used).await? {
            return Err(Error::FailedPrecondition(format!("the attempt was failed: it {reason}")));
        }
        let turns = &self.policy().continuation;
        let policy = store::TurnPolicy {
            delay_ms: turns.delay.as_millis().min(u128::from(u64::MAX)) as u64,
            default_max_turns: turns.max_turns,
        };
        let lease = lease_id.to_string();
        let scope = scope.map(str::to_string);
        self.store
            .write(move |tx| {
                tx.scope = scope;
                store::continue_attempt(tx, &lease, &checkpoint, usage, policy)
            })
            .await
    }

    /// Appends a note (e.g. a process's stderr) to a live attempt's events.
    pub async fn attempt_note(&self, lease_id: &str, message: String, data: Map<String, Value>) -> Result<()> {
        let lease = lease_id.to_string();
        self.store.write(move |tx| store::attempt_event(tx, &lease, EventKind::AttemptOutput, message, data)).await
    }
}

impl Engine {
    /// The tool policy of an attempt: server → workspace → agent → run → task, deny first.
    pub fn effective_tools(&self, ws: &str, agent: &str, spec: &TaskSpec, run_denied: &[String]) -> EffectiveTools {
        let p = self.policy();
        let none = ToolRules::default();
        let workspace = p.workspaces.get(ws).map(|w| &w.tools).unwrap_or(&none);
        let agent = p.agent(agent).map(|a| &a.tools).unwrap_or(&none);
        let run = ToolRules { allow: Vec::new(), deny: run_denied.to_vec() };
        let task = ToolRules { allow: spec.tools_allowed.clone(), deny: spec.tools_denied.clone() };
        EffectiveTools::of(&[&p.tools, workspace, agent, &run, &task])
    }

    /// Checks the tools an attempt reports against its policy: a violation is
    /// recorded as an event; under `tool_violation: fail` the attempt fails
    /// (not retried) and Some(reason) is returned.
    async fn check_tools(&self, scope: Option<&str>, lease_id: &str, used: &[String]) -> Result<Option<String>> {
        if used.is_empty() {
            return Ok(None);
        }
        if used.len() > 1000 || used.iter().any(|t| t.len() > 128) {
            return Err(Error::invalid("tools_used", "at most 1000 tool names of at most 128 bytes"));
        }
        let (lease, s) = (lease_id.to_string(), scope.map(str::to_string));
        let (run, task) = self.store.read(move |c| store::attempt_context(c, &lease, s.as_deref())).await?;
        let spec = store::task_spec(&task)?;
        let run_spec = store::run_spec(&run)?;
        let tools = self.effective_tools(&run.workspace_id, &task.agent, &spec, &run_spec.policy.tools_denied);
        let mut outside: Vec<String> = used.iter().filter(|t| !tools.permits(t)).cloned().collect();
        outside.sort();
        outside.dedup();
        if outside.is_empty() {
            return Ok(None);
        }
        let reason = format!("used tools outside its policy: {}", outside.join(", "));
        let mut data = Map::new();
        data.insert("tools".into(), Value::Array(outside.iter().cloned().map(Value::String).collect()));
        let fail = self.policy().tool_violation == crate::config::ToolViolation::Fail;
        data.insert("policy".into(), serde_json::to_value(fail)?);
        let (lease, msg) = (lease_id.to_string(), reason.clone());
        self.store.write(move |tx| store::attempt_event(tx, &lease, EventKind::ToolViolation, msg, data)).await?;
        if fail {
            self.fail_task(scope, lease_id, &reason, false, None).await?;
            return Ok(Some(reason));
        }
        Ok(None)
    }
}

/// The completion of a CompleteTask (its agent claims the next tasks).
fn the_one(done: &store::Completed) -> Option<&store::Completed> {
    Some(done)
}

/// The first completion a CompleteTasks recorded (its agent claims the next
/// tasks); none when any went on to be verified: the judges run before the
/// answer, and could outlast the next tasks' leases.
#[allow(clippy::ptr_arg)] // It must be `fn(&R)` with R the batch's result, a Vec.
fn first_recorded(done: &Vec<Result<store::Completed>>) -> Option<&store::Completed> {
    let recorded = || done.iter().filter_map(|r| r.as_ref().ok());
    if recorded().any(|d| d.status == TaskStatus::Verifying) {
        return None;
    }
    recorded().next()
}

/// Whether `agent` may take work under `policy` (see `Engine::check_pollable`).
fn pollable(policy: &crate::config::Policy, ws: Option<&str>, agent: &str) -> Result<()> {
    if !policy.agents.is_empty() && policy.agent(agent).is_none() {
        return Err(Error::NotFound(format!(
            "unknown agent {:?}: the server's policy does not declare it",
            domain::plan::truncate(agent, 64)
        )));
    }
    if let (Some(_), Some(a)) = (ws, policy.agent(agent)) {
        if a.executor != crate::config::ExecutorKind::Agent {
            return Err(Error::FailedPrecondition(format!(
                "agent {agent:?} is executed by the server itself ({:?} executor); out-of-process agents poll for `agent` agents",
                a.executor
            )));
        }
    }
    Ok(())
}

/// A PollTask's hold on its agent's wake-up: when the last poller of a name
/// leaves, the hub forgets the name.
struct Polling<'a> {
    hub: &'a crate::hub::Hub,
    ws: &'a str,
    agent: &'a str,
    notify: Arc<tokio::sync::Notify>,
}

impl<'a> Polling<'a> {
    fn new(hub: &'a crate::hub::Hub, ws: &'a str, agent: &'a str) -> Self {
        Polling { hub, ws, agent, notify: hub.agent(ws, agent) }
    }
}

impl Drop for Polling<'_> {
    fn drop(&mut self) {
        // Our own clone must be gone before the hub counts the holders.
        self.notify = Arc::new(tokio::sync::Notify::new());
        self.hub.forget_agent_if_unpolled(self.ws, self.agent);
    }
}
