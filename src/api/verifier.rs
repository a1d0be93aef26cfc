//! VerifierService.

use std::sync::Arc;

use tonic::{Request, Response, Status};

use super::convert as cv;
use crate::engine::Engine;
use crate::proto::v1 as pb;
use crate::proto::v1::verifier_service_server::VerifierService;
use crate::verify::KINDS;

/// VerifierService over the engine.
pub struct VerifierApi {
    engine: Arc<Engine>,
}

impl VerifierApi {
    /// A service over an engine.
    pub fn new(engine: Arc<Engine>) -> Self {
        VerifierApi { engine }
    }
}

#[tonic::async_trait]
impl VerifierService for VerifierApi {
    async fn verify(&self, req: Request<pb::VerifyRequest>) -> Result<Response<pb::VerifyResponse>, Status> {
        let r = req.into_inner();
        let output = match &r.output {
            Some(v) => cv::value_to_json(v, "output", 0)?,
            None => serde_json::Value::Null,
        };
        let criteria = cv::criteria_in(&r.criteria, "criteria")?;
        if criteria.is_empty() {
            return Err(crate::Error::invalid("criteria", "at least one criterion is required").into());
        }
        if criteria.len() > self.engine.config().limits.run.plan.max_criteria {
            return Err(crate::Error::invalid("criteria", "too many criteria").into());
        }
        let (verdict, usage) = self.engine.verify_output(&output, &criteria).await?;
        Ok(Response::new(pb::VerifyResponse {
            verdict: Some(cv::verdict_pb(&verdict)),
            usage: Some(pb::Usage {
                prompt_tokens: usage.prompt_tokens as u64,
                completion_tokens: usage.completion_tokens as u64,
                tool_calls: 0,
                cost_usd: usage.cost_micros as f64 / 1e6,
            }),
        }))
    }

    async fn list_criterion_kinds(
        &self,
        _req: Request<pb::ListCriterionKindsRequest>,
    ) -> Result<Response<pb::ListCriterionKindsResponse>, Status> {
        let kinds = KINDS
            .iter()
            .map(|k| pb::CriterionKind {
                name: k.name.into(),
                description: k.description.into(),
                params: k
                    .params
                    .iter()
                    .map(|(name, ty, required, description)| pb::CriterionParam {
                        name: (*name).into(),
                        r#type: (*ty).into(),
                        required: *required,
                        description: (*description).into(),
                    })
                    .collect(),
                uses_llm: k.uses_llm,
            })
            .collect();
        Ok(Response::new(pb::ListCriterionKindsResponse { kinds }))
    }
}
