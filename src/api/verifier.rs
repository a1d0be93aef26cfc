//! VerifierService.

use tonic::{Request, Response, Status};

use crate::error::Error;
use crate::proto::v1 as pb;
use crate::proto::v1::verifier_service_server::VerifierService;

/// VerifierService.
#[derive(Default)]
pub struct VerifierApi;

#[tonic::async_trait]
impl VerifierService for VerifierApi {
    async fn verify(&self, _req: Request<pb::VerifyRequest>) -> Result<Response<pb::VerifyResponse>, Status> {
        Err(Error::Unimplemented("Verify comes with the verifier, which is not built yet".into()).into())
    }

    async fn list_criterion_kinds(
        &self,
        _req: Request<pb::ListCriterionKindsRequest>,
    ) -> Result<Response<pb::ListCriterionKindsResponse>, Status> {
        Err(Error::Unimplemented("ListCriterionKinds comes with the verifier, which is not built yet".into()).into())
    }
}
