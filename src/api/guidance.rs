//! GuidanceService, and the proto ⇄ domain of statistics.

use std::sync::Arc;

use tonic::{Request, Response, Status};

use super::{caller, convert as cv};
use crate::domain::advice;
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

fn prediction_out(r: &advice::Range) -> pb::Prediction {
    pb::Prediction { expected: r.expected, low: r.low, high: r.high }
}

fn accuracy_out(a: &advice::Accuracy) -> pb::AdviceAccuracy {
    pb::AdviceAccuracy {
        runs: a.runs,
        tokens_error: a.tokens_error,
        cost_error: a.cost_error,
        duration_error: a.duration_error,
        mean_pass_chance: a.mean_pass_chance,
        completed: Some(rate_out(&a.completed)),
        followed_recipe: Some(rate_out(&a.followed_recipe)),
    }
}

pub(super) fn advice_out(a: &advice::Advice) -> pb::Advice {
    pb::Advice {
        tokens: Some(prediction_out(&a.tokens)),
        cost_micros: Some(prediction_out(&a.cost_micros)),
        duration_ms: Some(prediction_out(&a.duration_ms)),
        pass_chance: a.pass_chance,
        tasks: a
            .tasks
            .iter()
            .map(|t| pb::TaskAdvice {
                task_id: t.task_id.clone(),
                task_kind: t.task_kind.clone(),
                pass_chance: t.pass_chance,
                samples: t.samples,
                basis: t.basis.as_str().into(),
                tokens: Some(prediction_out(&t.tokens)),
                cost_micros: Some(prediction_out(&t.cost_micros)),
                duration_ms: Some(prediction_out(&t.duration_ms)),
                suggested_model: t.suggested_model.clone().unwrap_or_default(),
            })
            .collect(),
        likely_failures: a.likely_failures.clone(),
        warnings: a
            .warnings
            .iter()
            .map(|w| pb::AdviceWarning { code: w.code.into(), message: w.message.clone() })
            .collect(),
        suggested_recipe: a.suggested_recipe.clone().unwrap_or_default(),
        outcomes: a.outcomes,
        advice_id: String::new(),
    }
}

/// The longest history Advise reads.
const MAX_HISTORY_MICROS: i64 = 400 * 24 * 3600 * 1_000_000;
/// Advise's history when the request names none.
pub(super) const DEFAULT_HISTORY_MICROS: i64 = 30 * 24 * 3600 * 1_000_000;

#[tonic::async_trait]
impl GuidanceService for GuidanceApi {
    async fn list_recipe_candidates(
        &self,
        req: Request<pb::ListRecipeCandidatesRequest>,
    ) -> Result<Response<pb::ListRecipeCandidatesResponse>, Status> {
        let who = caller(&req);
        let r = req.into_inner();
        let min = match r.min_runs {
            0 => 3,
            n @ 2..=100 => n as usize,
            _ => return Err(crate::error::Error::invalid("min_runs", "2 to 100 (0: 3)").into()),
        };
        let found = self.engine.recipe_candidates(&who.workspace, min).await?;
        Ok(Response::new(pb::ListRecipeCandidatesResponse {
            candidates: found
                .into_iter()
                .map(|c| pb::RecipeCandidate {
                    accept: Some(pb::CreateRecipeFromRunRequest {
                        run_id: c.run_ids.first().cloned().unwrap_or_default(),
                        name: c.name,
                        description: format!("proposed from {} runs of one graph", c.run_ids.len()),
                        parameters: c.parameters.iter().map(super::recipes::value_param_out).collect(),
                        suggest: false,
                    }),
                    shape: c.shape,
                    run_ids: c.run_ids,
                })
                .collect(),
        }))
    }

    async fn advise(&self, req: Request<pb::AdviseRequest>) -> Result<Response<pb::Advice>, Status> {
        let who = caller(&req);
        let r = req.into_inner();
        let window = match &r.history {
            None => DEFAULT_HISTORY_MICROS,
            Some(d) => {
                let ms = cv::duration_ms(d, "history")?;
                let micros = (ms as i64).saturating_mul(1000);
                if micros <= 0 || micros > MAX_HISTORY_MICROS {
                    return Err(crate::error::Error::invalid("history", "more than 0, at most 400 days").into());
                }
                micros
            }
        };
        let Some(mut run) = r.run else {
            return Err(crate::error::Error::invalid("run", "required: the run to advise on").into());
        };
        run.request_id.clear();
        let run = if run.recipe.is_empty() {
            Ok(cv::create_run_in(run, &self.engine.config().limits.run.plan)?)
        } else {
            Err(cv::recipe_run_in(run)?)
        };
        let (id, advice) = self.engine.advise(&who.workspace, run, window).await?;
        let mut out = advice_out(&advice);
        out.advice_id = id;
        Ok(Response::new(out))
    }

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
            advice: Some(accuracy_out(&stats.advice)),
        }))
    }
}
