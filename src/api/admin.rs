//! AdminService: workspaces and API keys (the admin role only; the auth layer checks it).

use std::sync::Arc;

use tonic::{Request, Response, Status};

use super::caller;
use super::convert as cv;
use crate::domain::ApiKey;
use crate::engine::Engine;
use crate::proto::v1 as pb;
use crate::proto::v1::admin_service_server::AdminService;

/// AdminService over the engine.
pub struct AdminApi {
    engine: Arc<Engine>,
}

impl AdminApi {
    /// A service over an engine.
    pub fn new(engine: Arc<Engine>) -> Self {
        AdminApi { engine }
    }
}

/// A key without its secret (the engine's view holds neither it nor its hash).
fn key_out(k: &ApiKey) -> pb::ApiKey {
    pb::ApiKey {
        id: k.id.clone(),
        workspace: k.workspace.clone(),
        role: k.role.clone(),
        name: k.name.clone(),
        created_at: Some(cv::timestamp(k.created_at)),
        revoked_at: k.revoked_at.map(cv::timestamp),
    }
}

#[tonic::async_trait]
impl AdminService for AdminApi {
    async fn create_workspace(
        &self,
        req: Request<pb::CreateWorkspaceRequest>,
    ) -> Result<Response<pb::Workspace>, Status> {
        let who = caller(&req);
        let r = req.into_inner();
        self.engine.create_workspace(&who.workspace, &who.key_id, &r.name).await?;
        Ok(Response::new(pb::Workspace { name: r.name, runs: 0 }))
    }

    async fn list_workspaces(
        &self,
        req: Request<pb::ListWorkspacesRequest>,
    ) -> Result<Response<pb::ListWorkspacesResponse>, Status> {
        let who = caller(&req);
        let list = self.engine.list_workspaces(&who.workspace).await?;
        Ok(Response::new(pb::ListWorkspacesResponse {
            workspaces: list.into_iter().map(|(name, runs)| pb::Workspace { name, runs: runs.max(0) as u64 }).collect(),
        }))
    }

    async fn create_key(&self, req: Request<pb::CreateKeyRequest>) -> Result<Response<pb::CreateKeyResponse>, Status> {
        let who = caller(&req);
        let r = req.into_inner();
        let (row, secret) = self.engine.create_key(&who.workspace, &who.key_id, &r.workspace, &r.role, &r.name).await?;
        Ok(Response::new(pb::CreateKeyResponse { key: Some(key_out(&row)), secret }))
    }

    async fn list_keys(&self, req: Request<pb::ListKeysRequest>) -> Result<Response<pb::ListKeysResponse>, Status> {
        let who = caller(&req);
        let r = req.into_inner();
        let ws = (!r.workspace.is_empty()).then_some(r.workspace.as_str());
        let keys = self.engine.list_keys(&who.workspace, ws).await?;
        Ok(Response::new(pb::ListKeysResponse { keys: keys.iter().map(key_out).collect() }))
    }

    async fn revoke_key(&self, req: Request<pb::RevokeKeyRequest>) -> Result<Response<pb::ApiKey>, Status> {
        let who = caller(&req);
        let r = req.into_inner();
        let row = self.engine.revoke_key(&who.workspace, &who.key_id, &r.id).await?;
        Ok(Response::new(key_out(&row)))
    }
}
