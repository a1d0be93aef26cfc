//! CoordinatorService: plan validation and the agent protocol.

use std::sync::Arc;
use std::time::Duration;

use tonic::{Request, Response, Status};

use super::{caller, convert as cv};
use crate::domain::Directive;
use crate::engine::agents::{batch_size, BatchItem, ReadCompletion, Report};
use crate::engine::planner::PlanRequest;
use crate::engine::Engine;
use crate::error::Error;
use crate::proto::v1 as pb;
use crate::proto::v1::coordinator_service_server::CoordinatorService;

/// CoordinatorService over the engine.
pub struct CoordinatorApi {
    engine: Arc<Engine>,
}

impl CoordinatorApi {
    /// A service over an engine.
    pub fn new(engine: Arc<Engine>) -> Self {
        CoordinatorApi { engine }
    }

    fn max_spawn(&self) -> usize {
        self.engine.config().limits.run.plan.max_spawn_per_call
    }
}

impl CoordinatorApi {
    /// Advise's answer on the run a planned goal would make.
    async fn advise_on(&self, ws: &str, r: &pb::PlanRunRequest, plan: &pb::Plan) -> Result<pb::Advice, Error> {
        let run = pb::CreateRunRequest {
            goal: r.goal.clone(),
            criteria: r.criteria.clone(),
            plan: Some(plan.clone()),
            ..Default::default()
        };
        let spec = cv::create_run_in(run, &self.engine.config().limits.run.plan)?;
        let (id, a) = self.engine.advise(ws, Ok(spec), super::guidance::DEFAULT_HISTORY_MICROS).await?;
        Ok(pb::Advice { advice_id: id, ..super::guidance::advice_out(&a) })
    }
}

#[tonic::async_trait]
impl CoordinatorService for CoordinatorApi {
    async fn plan_run(&self, req: Request<pb::PlanRunRequest>) -> Result<Response<pb::PlanRunResponse>, Status> {
        // Answer a little before the client gives up, so that it hears why.
        let client_deadline =
            grpc_timeout(req.metadata()).map(|d| d.saturating_sub((d / 20).max(Duration::from_millis(200))));
        let who = caller(&req);
        let r = req.into_inner();
        let limits = &self.engine.config().limits.run;
        if r.goal.trim().is_empty() {
            return Err(Error::invalid("goal", "a goal is required").into());
        }
        if r.goal.len() > limits.max_goal_len {
            return Err(Error::invalid("goal", format!("longer than {} bytes", limits.max_goal_len)).into());
        }
        let criteria = cv::criteria_in(&r.criteria, "criteria")?;
        let mut budget = self.engine.policy().planner.deadline;
        if let Some(own) = client_deadline {
            budget = budget.min(own);
        }
        let request = PlanRequest {
            goal: &r.goal,
            criteria: &criteria,
            parent: None,
            run_id: None,
            deadline: tokio::time::Instant::now() + budget,
            revising: None,
        };
        let planned = self.engine.plan(request).await.map_err(|f| match f.timed_out {
            true => Error::DeadlineExceeded(f.reason),
            false => Error::FailedPrecondition(f.reason),
        })?;
        let plan = pb::Plan { tasks: planned.tasks.iter().map(cv::task_out).collect() };
        let mut notes = planned.notes;
        let mut advice = None;
        if r.advise {
            // The plan is paid for: advice that fails leaves a note, not an error.
            match self.advise_on(&who.workspace, &r, &plan).await {
                Ok(a) => advice = Some(a),
                Err(e) => notes.push(format!("no advice: {e}")),
            }
        }
        Ok(Response::new(pb::PlanRunResponse {
            plan: Some(plan),
            analysis: Some(cv::analysis_out(&planned.analysis)),
            usage: Some(pb::Usage {
                prompt_tokens: planned.usage.prompt_tokens as u64,
                completion_tokens: planned.usage.completion_tokens as u64,
                tool_calls: 0,
                cost_usd: planned.usage.cost_micros as f64 / 1e6,
            }),
            planner_calls: planned.calls,
            notes,
            advice,
        }))
    }

    async fn validate_plan(
        &self,
        req: Request<pb::ValidatePlanRequest>,
    ) -> Result<Response<pb::ValidatePlanResponse>, Status> {
        let r = req.into_inner();
        let plan = r.plan.unwrap_or_default();
        let tasks = cv::plan_in(&plan, &self.engine.config().limits.run.plan)?;
        let analysis = self.engine.validate_plan_off_runtime(std::sync::Arc::new(tasks)).await?;
        Ok(Response::new(pb::ValidatePlanResponse { analysis: Some(cv::analysis_out(&analysis)) }))
    }

    async fn poll_task(&self, req: Request<pb::PollTaskRequest>) -> Result<Response<pb::PollTaskResponse>, Status> {
        let who = caller(&req);
        let peer = req.remote_addr().map(|a| a.ip().to_string()).unwrap_or_default();
        let sdk = req.metadata().get("x-orchestrator-sdk").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        let r = req.into_inner();
        let wait = match &r.wait {
            Some(d) => cv::std_duration(d, "wait")?,
            None => Duration::ZERO,
        };
        if r.capabilities.len() > 64 || r.capabilities.iter().any(|c| c.len() > 128) {
            return Err(Error::invalid("capabilities", "at most 64 capabilities of at most 128 bytes").into());
        }
        let max = batch_size(r.max_tasks, "max_tasks")?;
        self.engine.note_poller(&who.workspace, &r.agent, &r.agent_instance, wait, &sdk, &peer);
        let given = self.engine.poll_tasks(Some(&who.workspace), &r.agent, &r.agent_instance, wait, max).await?;
        // One task is `assignment` as ever; a batch is `assignments` alone (no copy of its first).
        let mut assignments: Vec<pb::TaskAssignment> = given.iter().map(cv::assignment_out).collect();
        let assignment = if r.max_tasks <= 1 { assignments.pop() } else { None };
        Ok(Response::new(pb::PollTaskResponse { assignment, assignments }))
    }

    async fn heartbeat(&self, req: Request<pb::HeartbeatRequest>) -> Result<Response<pb::HeartbeatResponse>, Status> {
        let who = caller(&req);
        let r = req.into_inner();
        let usage = cv::usage_in(&r.usage, "usage")?;
        let extend = r.extend_by.as_ref().map(|d| cv::std_duration(d, "extend_by")).transpose()?;
        if !r.progress.is_finite() {
            return Err(Error::invalid("progress", "must be a finite number").into());
        }
        let a = self
            .engine
            .heartbeat(
                Some(&who.workspace),
                &r.lease_id,
                Report { tools_used: &r.tools_used, usage, extend, progress: r.progress, message: &r.message },
            )
            .await?;
        let directive = match a.directive {
            Directive::Continue => pb::AgentDirective::Continue,
            Directive::Cancel => pb::AgentDirective::Cancel,
            Directive::Pause => pb::AgentDirective::Pause,
        };
        Ok(Response::new(pb::HeartbeatResponse {
            lease_deadline: Some(cv::timestamp(a.lease_deadline)),
            directive: directive as i32,
        }))
    }

    async fn complete_task(
        &self,
        req: Request<pb::CompleteTaskRequest>,
    ) -> Result<Response<pb::CompleteTaskResponse>, Status> {
        let who = caller(&req);
        let r = req.into_inner();
        let usage = cv::usage_in(&r.usage, "usage")?;
        let output = json_in(&r.output, "output")?;
        let spawn = cv::spawn_in(&r.spawn, &r.repoint, self.max_spawn())?;
        let max_next = if r.claim_next { batch_size(r.max_next, "max_next")? } else { 0 };
        let done = self
            .engine
            .complete_task(
                Some(&who.workspace),
                &r.lease_id,
                ReadCompletion { tools_used: r.tools_used, output, usage, spawn },
                max_next,
            )
            .await?;
        let mut next_tasks: Vec<pb::TaskAssignment> = done.next.iter().map(cv::assignment_out).collect();
        let next = if r.max_next <= 1 { next_tasks.pop() } else { None };
        Ok(Response::new(pb::CompleteTaskResponse {
            task_status: cv::task_status_out(done.status),
            verdict: done.verdict.as_ref().map(cv::verdict_pb),
            next,
            next_tasks,
        }))
    }

    async fn complete_tasks(
        &self,
        req: Request<pb::CompleteTasksRequest>,
    ) -> Result<Response<pb::CompleteTasksResponse>, Status> {
        let who = caller(&req);
        let r = req.into_inner();
        let max_next = if r.claim_next { batch_size(r.max_next, "max_next")? } else { 0 };
        let max_spawn = self.max_spawn();
        let leases: Vec<String> = r.completions.iter().map(|c| c.lease_id.clone()).collect();
        // A completion whose fields cannot be read is refused alone, like a stale lease.
        let items = r
            .completions
            .into_iter()
            .enumerate()
            .map(|(i, c)| {
                let read = cv::usage_in(&c.usage, &format!("completions[{i}].usage")).and_then(|usage| {
                    Ok(ReadCompletion {
                        output: json_in(&c.output, "output")?,
                        spawn: cv::spawn_in(&c.spawn, &c.repoint, max_spawn)?,
                        tools_used: c.tools_used,
                        usage,
                    })
                });
                BatchItem { lease_id: c.lease_id, read }
            })
            .collect();
        let (outcomes, next) = self.engine.complete_tasks(Some(&who.workspace), items, max_next).await?;
        let results = leases
            .into_iter()
            .zip(outcomes)
            .map(|(lease_id, outcome)| match outcome {
                Ok((status, verdict)) => pb::CompleteTaskResult {
                    lease_id,
                    task_status: cv::task_status_out(status),
                    verdict: verdict.as_ref().map(cv::verdict_pb),
                    ..Default::default()
                },
                Err(e) => {
                    let status = Status::from(e);
                    pb::CompleteTaskResult {
                        lease_id,
                        code: status.code() as i32,
                        message: status.message().to_string(),
                        ..Default::default()
                    }
                }
            })
            .collect();
        Ok(Response::new(pb::CompleteTasksResponse {
            results,
            next_tasks: next.iter().map(cv::assignment_out).collect(),
        }))
    }

    async fn continue_task(
        &self,
        req: Request<pb::ContinueTaskRequest>,
    ) -> Result<Response<pb::ContinueTaskResponse>, Status> {
        let who = caller(&req);
        let r = req.into_inner();
        let usage = cv::usage_in(&r.usage, "usage")?;
        let checkpoint = json_in(&r.checkpoint, "checkpoint")?;
        let done =
            self.engine.continue_task(Some(&who.workspace), &r.lease_id, &r.tools_used, checkpoint, usage).await?;
        Ok(Response::new(pb::ContinueTaskResponse {
            task_status: cv::task_status_out(done.status),
            next_turn: done.next_turn.map_or(0, |t| t.max(0) as u32),
            next_turn_at: done.due_at.map(cv::timestamp),
            error: done.error.unwrap_or_default(),
        }))
    }

    async fn fail_task(&self, req: Request<pb::FailTaskRequest>) -> Result<Response<pb::FailTaskResponse>, Status> {
        let who = caller(&req);
        let r = req.into_inner();
        let usage = cv::usage_in(&r.usage, "usage")?;
        let out = self.engine.fail_task(Some(&who.workspace), &r.lease_id, &r.error, r.retryable, usage).await?;
        Ok(Response::new(pb::FailTaskResponse {
            task_status: cv::task_status_out(out.status),
            retry_at: out.retry_at.map(cv::timestamp),
            backoff: out.backoff_ms.map(cv::ms_duration),
        }))
    }
}

/// A completion's output, or a turn's checkpoint, as JSON (unset: null).
fn json_in(v: &Option<prost_types::Value>, field: &str) -> crate::error::Result<serde_json::Value> {
    match v {
        Some(v) => cv::value_to_json(v, field, 0),
        None => Ok(serde_json::Value::Null),
    }
}

/// The call's own deadline, from its `grpc-timeout` header ("30S", "500m", …).
fn grpc_timeout(m: &tonic::metadata::MetadataMap) -> Option<std::time::Duration> {
    let v = m.get("grpc-timeout")?.to_str().ok()?;
    let (n, unit) = v.split_at(v.len().checked_sub(1)?);
    let n: u64 = n.parse().ok()?;
    Some(match unit {
        "H" => Duration::from_secs(n.saturating_mul(3600)),
        "M" => Duration::from_secs(n.saturating_mul(60)),
        "S" => Duration::from_secs(n),
        "m" => Duration::from_millis(n),
        "u" => Duration::from_micros(n),
        "n" => Duration::from_nanos(n),
        _ => return None,
    })
}
