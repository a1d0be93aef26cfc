//! GuidanceService, and the proto ⇄ domain of statistics.

use std::sync::Arc;

use tonic::{Request, Response, Status};

use super::{caller, convert as cv};
use crate::domain::now_micros;
use crate::domain::stats::{GroupBy, Rate, Stat};
use crate::engine::Engine;
use crate::proto::v1 as pb;
use crate::proto::v1::guidance_service_server::GuidanceService;

/// The window GetStats looks at when the request names no start.
const DEFAULT_WINDOW_MICROS: i64 = 7 * 24 * 3600 * 1_000_000;

/// GuidanceService over the engine.
pub struct GuidanceApi {
    engine: Arc<Engine>,
}

impl GuidanceApi {
    /// A service over an engine.
    pub fn new(engine: Arc<Engine>) -> Self {
        GuidanceApi { engine }
    }
}

fn rate_out(r: &Rate) -> pb::Rate {
    pb::Rate { value: r.value, samples: r.samples, low: r.low, high: r.high }
}

fn stat_out(s: &Stat) -> pb::GroupStats {
    pb::GroupStats {
        key: s.key.clone(),
        attempts: s.attempts,
        tasks: s.tasks,
        pass_rate: Some(rate_out(&s.pass_rate)),
        first_try_pass_rate: Some(rate_out(&s.first_try_pass_rate)),
        mean_attempts_to_pass: s.mean_attempts_to_pass,
        latency_p50_ms: s.latency_p50_ms,
        latency_p95_ms: s.latency_p95_ms,
        mean_tokens: s.mean_tokens,
        mean_cost_micros: s.mean_cost_micros,
        mean_score: s.mean_score,
        scored_attempts: s.scored,
    }
}

#[tonic::async_trait]
impl GuidanceService for GuidanceApi {
    async fn get_stats(&self, req: Request<pb::GetStatsRequest>) -> Result<Response<pb::GetStatsResponse>, Status> {
        let who = caller(&req);
        let r = req.into_inner();
        let to = match &r.end_time {
            Some(t) => cv::timestamp_in(t, "end_time")?,
            None => now_micros(),
        };
        let from = match &r.start_time {
            Some(t) => cv::timestamp_in(t, "start_time")?,
            None => to - DEFAULT_WINDOW_MICROS,
        };
        let by = match cv::enum_value::<pb::StatsGroup>(r.group_by, "group_by")? {
            pb::StatsGroup::Model => GroupBy::Model,
            pb::StatsGroup::Recipe => GroupBy::Recipe,
            pb::StatsGroup::TaskKind => GroupBy::TaskKind,
            _ => GroupBy::Agent,
        };
        let stats = self.engine.get_stats(&who.workspace, from, to, by).await?;
        Ok(Response::new(pb::GetStatsResponse {
            groups: stats.groups.iter().map(stat_out).collect(),
            outcomes: stats.outcomes,
            truncated: stats.truncated,
            start_time: Some(cv::timestamp(from)),
            end_time: Some(cv::timestamp(to)),
        }))
    }
}
