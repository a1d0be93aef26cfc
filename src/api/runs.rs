//! RunService.

use std::pin::Pin;
use std::sync::Arc;

use tokio_stream::wrappers::ReceiverStream;
use tokio_stream::{Stream, StreamExt};
use tonic::{Request, Response, Status};

use super::{caller, convert as cv};
use crate::domain::TraceParent;
use crate::engine::Engine;
use crate::error::Error;
use crate::proto::v1 as pb;
use crate::proto::v1::run_service_server::RunService;

/// RunService over the engine.
pub struct RunApi {
    engine: Arc<Engine>,
}

impl RunApi {
    /// A service over an engine.
    pub fn new(engine: Arc<Engine>) -> Self {
        RunApi { engine }
    }
}

fn required(value: &str, field: &str) -> Result<(), Status> {
    if value.is_empty() {
        return Err(Error::invalid(field, "required").into());
    }
    if value.len() > 256 {
        return Err(Error::invalid(field, "longer than 256 bytes").into());
    }
    Ok(())
}

/// The caller's W3C trace context (`traceparent`, `tracestate`), if valid:
/// the run's trace becomes a child of the caller's.
fn trace_parent(metadata: &tonic::metadata::MetadataMap) -> Option<TraceParent> {
    use opentelemetry::propagation::{Extractor, TextMapPropagator};
    use opentelemetry::trace::TraceContextExt;

    struct Headers<'a>(&'a tonic::metadata::MetadataMap);
    impl Extractor for Headers<'_> {
        fn get(&self, key: &str) -> Option<&str> {
            self.0.get(key).and_then(|v| v.to_str().ok())
        }
        fn keys(&self) -> Vec<&str> {
            self.0
                .keys()
                .filter_map(|k| match k {
                    tonic::metadata::KeyRef::Ascii(k) => Some(k.as_str()),
                    tonic::metadata::KeyRef::Binary(_) => None,
                })
                .collect()
        }
    }
    let cx = opentelemetry_sdk::propagation::TraceContextPropagator::new().extract(&Headers(metadata));
    let span = cx.span();
    let sc = span.span_context();
    if !sc.is_valid() {
        return None;
    }
    let state = sc.trace_state().header();
    Some(TraceParent {
        trace_id: sc.trace_id().to_string(),
        span_id: sc.span_id().to_string(),
        tracestate: if state.is_empty() { None } else { Some(crate::domain::plan::truncate(&state, 512)) },
    })
}

type EventStream = Pin<Box<dyn Stream<Item = Result<pb::RunEvent, Status>> + Send>>;

#[tonic::async_trait]
impl RunService for RunApi {
    async fn create_run(&self, req: Request<pb::CreateRunRequest>) -> Result<Response<pb::CreateRunResponse>, Status> {
        let who = caller(&req);
        let parent = trace_parent(req.metadata());
        let r = req.into_inner();
        let (run, deduplicated) = if r.recipe.is_empty() {
            let spec = cv::create_run_in(r, &self.engine.config().limits.run.plan)?;
            self.engine.create_run(&who.workspace, spec, parent, &who.key_id).await?
        } else {
            let from = cv::recipe_run_in(r)?;
            self.engine.create_run_from_recipe(&who.workspace, from, parent, &who.key_id).await?
        };
        Ok(Response::new(pb::CreateRunResponse { run: Some(cv::run_out(&run)), deduplicated }))
    }

    async fn get_run(&self, req: Request<pb::GetRunRequest>) -> Result<Response<pb::Run>, Status> {
        let who = caller(&req);
        let r = req.into_inner();
        required(&r.run_id, "run_id")?;
        let with_plan = cv::run_view_in(r.view, true, "view")?;
        Ok(Response::new(cv::run_out(&self.engine.get_run(&who.workspace, &r.run_id, with_plan).await?)))
    }

    async fn list_runs(&self, req: Request<pb::ListRunsRequest>) -> Result<Response<pb::ListRunsResponse>, Status> {
        let who = caller(&req);
        let r = req.into_inner();
        let statuses = r
            .statuses
            .iter()
            .enumerate()
            .map(|(i, s)| cv::run_status_in(*s, &format!("statuses[{i}]")))
            .collect::<Result<Vec<_>, _>>()?;
        let with_plans = cv::run_view_in(r.view, false, "view")?;
        let filter = crate::domain::RunFilter {
            statuses,
            labels: r.labels.into_iter().collect(),
            parent_run_id: Some(r.parent_run_id).filter(|p| !p.is_empty()),
        };
        let (runs, next) =
            self.engine.list_runs(&who.workspace, filter, r.page_size, &r.page_token, with_plans).await?;
        Ok(Response::new(pb::ListRunsResponse { runs: runs.iter().map(cv::run_out).collect(), next_page_token: next }))
    }

    async fn cancel_run(&self, req: Request<pb::CancelRunRequest>) -> Result<Response<pb::Run>, Status> {
        let who = caller(&req);
        let r = req.into_inner();
        required(&r.run_id, "run_id")?;
        if r.reason.len() > 4096 {
            return Err(Error::invalid("reason", "longer than 4096 bytes").into());
        }
        Ok(Response::new(cv::run_out(
            &self.engine.cancel_run(&who.workspace, &r.run_id, &r.reason, &who.key_id).await?,
        )))
    }

    async fn pause_run(&self, req: Request<pb::PauseRunRequest>) -> Result<Response<pb::Run>, Status> {
        let who = caller(&req);
        let r = req.into_inner();
        required(&r.run_id, "run_id")?;
        if r.reason.len() > 4096 {
            return Err(Error::invalid("reason", "longer than 4096 bytes").into());
        }
        Ok(Response::new(cv::run_out(&self.engine.pause_run(&who.workspace, &r.run_id, &r.reason, &who.key_id).await?)))
    }

    async fn resume_run(&self, req: Request<pb::ResumeRunRequest>) -> Result<Response<pb::Run>, Status> {
        let who = caller(&req);
        let r = req.into_inner();
        required(&r.run_id, "run_id")?;
        let budget = cv::budget_change_in(r.budget.as_ref(), r.budget_mask.as_ref())?;
        Ok(Response::new(cv::run_out(&self.engine.resume_run(&who.workspace, &r.run_id, budget, &who.key_id).await?)))
    }

    type WatchRunStream = EventStream;

    async fn watch_run(&self, req: Request<pb::WatchRunRequest>) -> Result<Response<Self::WatchRunStream>, Status> {
        let who = caller(&req);
        let r = req.into_inner();
        required(&r.run_id, "run_id")?;
        if r.after_seq > i64::MAX as u64 {
            return Err(Error::invalid("after_seq", "too large").into());
        }
        let rx = self.engine.watch_run(&who.workspace, &r.run_id, r.after_seq).await?;
        let stream = ReceiverStream::new(rx).map(|item| item.map(|e| cv::event_out(&e)).map_err(Status::from));
        Ok(Response::new(Box::pin(stream)))
    }

    async fn list_run_events(
        &self,
        req: Request<pb::ListRunEventsRequest>,
    ) -> Result<Response<pb::ListRunEventsResponse>, Status> {
        let who = caller(&req);
        let r = req.into_inner();
        required(&r.run_id, "run_id")?;
        if r.after_seq > i64::MAX as u64 {
            return Err(Error::invalid("after_seq", "too large").into());
        }
        let (events, next) =
            self.engine.list_events(&who.workspace, &r.run_id, r.after_seq, r.page_size, &r.page_token).await?;
        Ok(Response::new(pb::ListRunEventsResponse {
            events: events.iter().map(cv::event_out).collect(),
            next_page_token: next,
        }))
    }

    async fn list_agents(
        &self,
        req: Request<pb::ListAgentsRequest>,
    ) -> Result<Response<pb::ListAgentsResponse>, Status> {
        let who = caller(&req);
        let fleet = self.engine.fleet(&who.workspace).await?;
        Ok(Response::new(pb::ListAgentsResponse {
            agents: fleet
                .into_iter()
                .map(|a| pb::AgentStatus {
                    name: a.name,
                    executor: a.executor,
                    instances: a
                        .instances
                        .into_iter()
                        .map(|i| pb::AgentInstance {
                            id: i.sighting.instance,
                            sdk: i.sighting.sdk,
                            peer: i.sighting.peer,
                            replica: i.sighting.replica,
                            last_poll: Some(cv::timestamp(i.sighting.last_poll)),
                            running_attempts: i.running,
                        })
                        .collect(),
                    last_poll: a.last_poll.map(cv::timestamp),
                    served: a.served,
                    running_attempts: a.running,
                    ready_tasks: a.ready,
                    succeeded_last_hour: a.succeeded_last_hour,
                    failed_last_hour: a.failed_last_hour,
                    warning: a.warning,
                })
                .collect(),
        }))
    }

    async fn list_retry_outcomes(
        &self,
        req: Request<pb::ListRetryOutcomesRequest>,
    ) -> Result<Response<pb::ListRetryOutcomesResponse>, Status> {
        let who = caller(&req);
        let r = req.into_inner();
        if r.agent.len() > 128 {
            return Err(Error::invalid("agent", "longer than 128 bytes").into());
        }
        let rows = self.engine.retry_outcomes(&who.workspace, Some(r.agent.as_str()).filter(|a| !a.is_empty())).await?;
        let n = |v: i64| v.max(0) as u64;
        Ok(Response::new(pb::ListRetryOutcomesResponse {
            outcomes: rows
                .into_iter()
                .map(|o| pb::RetryOutcome {
                    agent: o.agent,
                    model: o.model,
                    verified_tasks: n(o.verified_tasks),
                    passed_first_try: n(o.passed_first_try),
                    retried_tasks: n(o.retried_tasks),
                    rescued_tasks: n(o.rescued_tasks),
                    retry_tokens: n(o.retry_tokens),
                })
                .collect(),
        }))
    }

    async fn get_run_trace(&self, req: Request<pb::GetRunTraceRequest>) -> Result<Response<pb::RunTrace>, Status> {
        let who = caller(&req);
        let r = req.into_inner();
        required(&r.run_id, "run_id")?;
        let (trace_id, spans) = self.engine.run_trace(&who.workspace, &r.run_id).await?;
        Ok(Response::new(pb::RunTrace { trace_id, spans: spans.iter().map(cv::span_out).collect() }))
    }

    async fn list_tasks(&self, req: Request<pb::ListTasksRequest>) -> Result<Response<pb::ListTasksResponse>, Status> {
        let who = caller(&req);
        let r = req.into_inner();
        required(&r.run_id, "run_id")?;
        let statuses = r
            .statuses
            .iter()
            .enumerate()
            .map(|(i, s)| cv::task_status_in(*s, &format!("statuses[{i}]")))
            .collect::<Result<Vec<_>, _>>()?;
        let (tasks, next) =
            self.engine.list_tasks(&who.workspace, &r.run_id, statuses, r.page_size, &r.page_token).await?;
        Ok(Response::new(pb::ListTasksResponse {
            tasks: tasks.iter().map(cv::task_view_out).collect(),
            next_page_token: next,
        }))
    }

    async fn get_task(&self, req: Request<pb::GetTaskRequest>) -> Result<Response<pb::Task>, Status> {
        let who = caller(&req);
        let r = req.into_inner();
        required(&r.run_id, "run_id")?;
        required(&r.task_id, "task_id")?;
        Ok(Response::new(cv::task_view_out(&self.engine.get_task(&who.workspace, &r.run_id, &r.task_id).await?)))
    }

    async fn approve_task(&self, req: Request<pb::ApproveTaskRequest>) -> Result<Response<pb::Task>, Status> {
        let who = caller(&req);
        let r = req.into_inner();
        required(&r.run_id, "run_id")?;
        required(&r.task_id, "task_id")?;
        let t =
            self.engine.decide_approval(&who.workspace, &r.run_id, &r.task_id, true, &who.key_id, &r.comment).await?;
        Ok(Response::new(cv::task_view_out(&t)))
    }

    async fn reject_task(&self, req: Request<pb::RejectTaskRequest>) -> Result<Response<pb::Task>, Status> {
        let who = caller(&req);
        let r = req.into_inner();
        required(&r.run_id, "run_id")?;
        required(&r.task_id, "task_id")?;
        let t =
            self.engine.decide_approval(&who.workspace, &r.run_id, &r.task_id, false, &who.key_id, &r.comment).await?;
        Ok(Response::new(cv::task_view_out(&t)))
    }

    async fn retry_task(&self, req: Request<pb::RetryTaskRequest>) -> Result<Response<pb::Task>, Status> {
        let who = caller(&req);
        let r = req.into_inner();
        required(&r.run_id, "run_id")?;
        required(&r.task_id, "task_id")?;
        Ok(Response::new(cv::task_view_out(
            &self.engine.retry_task(&who.workspace, &r.run_id, &r.task_id, &who.key_id).await?,
        )))
    }
}
