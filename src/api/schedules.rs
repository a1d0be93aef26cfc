//! ScheduleService, and the proto ⇄ domain of schedules.

use std::sync::Arc;

use tonic::{Request, Response, Status};

use super::{caller, convert as cv};
use crate::domain::schedule::{self, FireKind, FireOutcome, FireRecord, Overlap, ScheduleSpec, Trigger};
use crate::domain::Violation;
use crate::engine::schedules::{NewSchedule, ScheduleView};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::proto::v1 as pb;
use crate::proto::v1::schedule_service_server::ScheduleService;

/// ScheduleService over the engine.
pub struct ScheduleApi {
    engine: Arc<Engine>,
}

impl ScheduleApi {
    /// A service over an engine.
    pub fn new(engine: Arc<Engine>) -> Self {
        ScheduleApi { engine }
    }
}

fn id_in(id: &str) -> Result<()> {
    if id.is_empty() {
        return Err(Error::invalid("schedule_id", "required"));
    }
    if id.len() > 128 {
        return Err(Error::invalid("schedule_id", "longer than 128 bytes"));
    }
    Ok(())
}

fn overlap_in(v: i32, field: &str) -> Result<Option<Overlap>> {
    Ok(match cv::enum_value::<pb::OverlapPolicy>(v, field)? {
        pb::OverlapPolicy::Unspecified => None,
        pb::OverlapPolicy::Skip => Some(Overlap::Skip),
        pb::OverlapPolicy::BufferOne => Some(Overlap::BufferOne),
        pb::OverlapPolicy::CancelPrevious => Some(Overlap::CancelPrevious),
        pb::OverlapPolicy::AllowAll => Some(Overlap::AllowAll),
    })
}

fn overlap_out(o: Overlap) -> i32 {
    let p = match o {
        Overlap::Skip => pb::OverlapPolicy::Skip,
        Overlap::BufferOne => pb::OverlapPolicy::BufferOne,
        Overlap::CancelPrevious => pb::OverlapPolicy::CancelPrevious,
        Overlap::AllowAll => pb::OverlapPolicy::AllowAll,
    };
    p as i32
}

/// Ok(value), or its violations kept for the answer (None); other errors pass.
fn gather<T>(r: Result<T>, v: &mut Vec<Violation>) -> Result<Option<T>> {
    match r {
        Ok(x) => Ok(Some(x)),
        Err(Error::InvalidArgument(e)) => {
            v.extend(e);
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// A CreateSchedule request as a schedule: every conversion error at once.
fn schedule_in(r: pb::CreateScheduleRequest) -> Result<NewSchedule> {
    let mut v: Vec<Violation> = Vec::new();
    let spec = r.spec.unwrap_or_default();
    let trigger = match spec.trigger {
        Some(pb::schedule_spec::Trigger::Cron(c)) => Some(Trigger::Cron(c)),
        Some(pb::schedule_spec::Trigger::Interval(d)) => {
            gather(cv::duration_ms(&d, "spec.interval"), &mut v)?.map(Trigger::IntervalMs)
        }
        None => {
            v.push(Violation::new("spec", "a cron expression or an interval is required"));
            None
        }
    };
    let jitter_ms = match spec.jitter {
        Some(d) => gather(cv::duration_ms(&d, "spec.jitter"), &mut v)?.unwrap_or(0),
        None => 0,
    };
    let catchup_window_ms = match r.catchup_window {
        Some(d) => gather(cv::duration_ms(&d, "catchup_window"), &mut v)?.unwrap_or(schedule::DEFAULT_CATCHUP_MS),
        None => schedule::DEFAULT_CATCHUP_MS,
    };
    let overlap = gather(overlap_in(r.overlap, "overlap"), &mut v)?.flatten().unwrap_or_default();
    let params = match &r.params {
        Some(p) => gather(cv::struct_to_json(p, "params", 0), &mut v)?.unwrap_or_default(),
        None => Default::default(),
    };
    if r.recipe.len() > 128 {
        v.push(Violation::new("recipe", "longer than 128 bytes"));
    }
    if r.labels.contains_key("schedule") {
        v.push(Violation::new("labels", "\"schedule\" is set to the schedule's id on its runs"));
    }
    let Some(trigger) = trigger.filter(|_| v.is_empty()) else { return Err(Error::InvalidArgument(v)) };
    Ok(NewSchedule {
        id: r.schedule_id,
        spec: ScheduleSpec {
            trigger,
            time_zone: spec.time_zone,
            jitter_ms,
            recipe: r.recipe,
            recipe_version: (r.recipe_version > 0).then_some(r.recipe_version),
            params,
            overlap,
            catchup_window_ms,
            labels: r.labels.into_iter().collect(),
        },
        paused: r.paused,
        note: r.note,
    })
}

fn fire_out(f: &FireRecord) -> pb::ScheduleFire {
    let kind = match f.kind {
        Some(FireKind::Scheduled) => pb::FireKind::Scheduled,
        Some(FireKind::Triggered) => pb::FireKind::Triggered,
        Some(FireKind::Backfill) => pb::FireKind::Backfill,
        None => pb::FireKind::Unspecified,
    };
    let outcome = match f.outcome {
        Some(FireOutcome::Started) => pb::FireOutcome::Started,
        Some(FireOutcome::Skipped) => pb::FireOutcome::Skipped,
        Some(FireOutcome::Buffered) => pb::FireOutcome::Buffered,
        Some(FireOutcome::Failed) => pb::FireOutcome::Failed,
        None => pb::FireOutcome::Unspecified,
    };
    pb::ScheduleFire {
        fire_time: Some(cv::timestamp(f.nominal)),
        kind: kind as i32,
        outcome: outcome as i32,
        run_id: f.run_id.clone().unwrap_or_default(),
        detail: f.detail.clone(),
        recorded_at: Some(cv::timestamp(f.recorded_at)),
    }
}

fn schedule_out(v: &ScheduleView) -> pb::Schedule {
    let s = &v.spec;
    let trigger = match &s.trigger {
        Trigger::Cron(c) => pb::schedule_spec::Trigger::Cron(c.clone()),
        Trigger::IntervalMs(ms) => pb::schedule_spec::Trigger::Interval(cv::ms_duration(*ms)),
    };
    pb::Schedule {
        schedule_id: v.id.clone(),
        spec: Some(pb::ScheduleSpec {
            trigger: Some(trigger),
            time_zone: s.time_zone.clone(),
            jitter: (s.jitter_ms > 0).then(|| cv::ms_duration(s.jitter_ms)),
        }),
        recipe: s.recipe.clone(),
        recipe_version: s.recipe_version.unwrap_or(0),
        params: Some(cv::json_to_struct(&s.params)),
        overlap: overlap_out(s.overlap),
        catchup_window: Some(cv::ms_duration(s.catchup_window_ms)),
        paused: v.paused,
        note: v.note.clone(),
        labels: s.labels.clone().into_iter().collect(),
        next_fire_times: v.next_fire_times.iter().map(|t| cv::timestamp(*t)).collect(),
        recent_fires: v.recent_fires.iter().map(fire_out).collect(),
        missed_fires: v.missed_fires,
        created_at: Some(cv::timestamp(v.created_at)),
        created_by: v.created_by.clone(),
        workspace: v.workspace.clone(),
    }
}

#[tonic::async_trait]
impl ScheduleService for ScheduleApi {
    async fn create_schedule(&self, req: Request<pb::CreateScheduleRequest>) -> Result<Response<pb::Schedule>, Status> {
        let who = caller(&req);
        let s = schedule_in(req.into_inner())?;
        let view = self.engine.create_schedule(&who.workspace, s, &who.key_id).await?;
        Ok(Response::new(schedule_out(&view)))
    }

    async fn get_schedule(&self, req: Request<pb::GetScheduleRequest>) -> Result<Response<pb::Schedule>, Status> {
        let who = caller(&req);
        let r = req.into_inner();
        id_in(&r.schedule_id)?;
        Ok(Response::new(schedule_out(&self.engine.get_schedule(&who.workspace, &r.schedule_id).await?)))
    }

    async fn list_schedules(
        &self,
        req: Request<pb::ListSchedulesRequest>,
    ) -> Result<Response<pb::ListSchedulesResponse>, Status> {
        let who = caller(&req);
        let r = req.into_inner();
        let (views, next) = self.engine.list_schedules(&who.workspace, r.page_size, &r.page_token).await?;
        Ok(Response::new(pb::ListSchedulesResponse {
            schedules: views.iter().map(schedule_out).collect(),
            next_page_token: next,
        }))
    }

    async fn delete_schedule(
        &self,
        req: Request<pb::DeleteScheduleRequest>,
    ) -> Result<Response<pb::DeleteScheduleResponse>, Status> {
        let who = caller(&req);
        let r = req.into_inner();
        id_in(&r.schedule_id)?;
        self.engine.delete_schedule(&who.workspace, &r.schedule_id).await?;
        Ok(Response::new(pb::DeleteScheduleResponse {}))
    }

    async fn pause_schedule(&self, req: Request<pb::PauseScheduleRequest>) -> Result<Response<pb::Schedule>, Status> {
        let who = caller(&req);
        let r = req.into_inner();
        id_in(&r.schedule_id)?;
        let view = self.engine.pause_schedule(&who.workspace, &r.schedule_id, true, &r.note).await?;
        Ok(Response::new(schedule_out(&view)))
    }

    async fn resume_schedule(&self, req: Request<pb::ResumeScheduleRequest>) -> Result<Response<pb::Schedule>, Status> {
        let who = caller(&req);
        let r = req.into_inner();
        id_in(&r.schedule_id)?;
        let view = self.engine.pause_schedule(&who.workspace, &r.schedule_id, false, &r.note).await?;
        Ok(Response::new(schedule_out(&view)))
    }

    async fn trigger_schedule(
        &self,
        req: Request<pb::TriggerScheduleRequest>,
    ) -> Result<Response<pb::TriggerScheduleResponse>, Status> {
        let who = caller(&req);
        let r = req.into_inner();
        id_in(&r.schedule_id)?;
        if r.request_id.len() > 128 {
            return Err(Error::invalid("request_id", "longer than 128 bytes").into());
        }
        let rid = (!r.request_id.is_empty()).then_some(r.request_id);
        let fire = self.engine.trigger_schedule(&who.workspace, &r.schedule_id, rid, &who.key_id).await?;
        Ok(Response::new(pb::TriggerScheduleResponse { fire: Some(fire_out(&fire)) }))
    }

    async fn backfill_schedule(
        &self,
        req: Request<pb::BackfillScheduleRequest>,
    ) -> Result<Response<pb::BackfillScheduleResponse>, Status> {
        let who = caller(&req);
        let r = req.into_inner();
        id_in(&r.schedule_id)?;
        let from = cv::timestamp_in(
            r.start_time.as_ref().ok_or_else(|| Error::invalid("start_time", "required"))?,
            "start_time",
        )?;
        let to =
            cv::timestamp_in(r.end_time.as_ref().ok_or_else(|| Error::invalid("end_time", "required"))?, "end_time")?;
        let overlap = overlap_in(r.overlap, "overlap")?;
        let fires =
            self.engine.backfill_schedule(&who.workspace, &r.schedule_id, from, to, overlap, &who.key_id).await?;
        Ok(Response::new(pb::BackfillScheduleResponse { fires: fires.iter().map(fire_out).collect() }))
    }
}
