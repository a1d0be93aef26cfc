//! Authentication and authorization: API keys (stored hashed) map to a
//! workspace and a role; a tower layer authenticates every RPC and gates it
//! by role before any handler runs.
//!
//! A key reads `ork_<id>_<secret>`; only SHA-256(secret) is stored, compared
//! in constant time. Roles: `admin` (everything), `operator` (runs, plans,
//! verification, approvals), `agent` (the agent protocol only), `viewer`
//! (reads only). Health and reflection stay open, so probes and grpcurl
//! discovery work without a key.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::api::Caller;
use crate::error::{Error, Result};
use crate::store::{self, KeyRow, Store};

/// What a key may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Everything.
    Admin,
    /// Runs, plans, verification, approvals.
    Operator,
    /// The agent protocol only.
    Agent,
    /// Reads only.
    Viewer,
}

impl Role {
    /// Parses a role name.
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "admin" => Some(Role::Admin),
            "operator" => Some(Role::Operator),
            "agent" => Some(Role::Agent),
            "viewer" => Some(Role::Viewer),
            _ => None,
        }
    }

    /// Its name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Operator => "operator",
            Role::Agent => "agent",
            Role::Viewer => "viewer",
        }
    }
}

/// "an agent", "a viewer": the role's name with its article.
fn article(role: &str) -> String {
    let an = role.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {role}", if an { "an" } else { "a" })
}

const AGENT_PROTOCOL: &[&str] = &["PollTask", "Heartbeat", "CompleteTask", "CompleteTasks", "FailTask", "ContinueTask"];
const READS: &[&str] = &[
    "ListRetryOutcomes",
    "GetRun",
    "ListRuns",
    "WatchRun",
    "ListRunEvents",
    "GetRunTrace",
    "ListTasks",
    "GetTask",
    "ValidatePlan",
    "ListCriterionKinds",
    "GetRecipe",
    "ListRecipes",
    "GetSchedule",
    "ListSchedules",
    "GetStats",
    "Advise",
    "ListRecipeCandidates",
    "ListAgents",
];

/// Whether a role may call a method (`/package.Service/Method`).
pub fn allowed(role: Role, path: &str) -> bool {
    let method = path.rsplit('/').next().unwrap_or("");
    let is_agent = path.starts_with("/orchestrator.v1.CoordinatorService/") && AGENT_PROTOCOL.contains(&method);
    // Workspaces and keys are the admin's alone.
    let is_admin = path.starts_with("/orchestrator.v1.AdminService/");
    match role {
        Role::Admin => true,
        Role::Agent => is_agent,
        Role::Viewer => READS.contains(&method) && !is_admin,
        Role::Operator => !is_agent && !is_admin,
    }
}

/// Paths open without a key.
fn open_path(path: &str) -> bool {
    path.starts_with("/grpc.health.v1.Health/") || path.starts_with("/grpc.reflection.")
}

fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// A new key for a workspace: (the row to store, the key to show once).
pub fn new_key(workspace: &str, name: &str, role: Role) -> (KeyRow, String) {
    let id = hex::encode(uuid::Uuid::new_v4().as_bytes())[..12].to_string();
    let secret = format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple());
    let row = KeyRow {
        id: id.clone(),
        workspace_id: workspace.to_string(),
        name: name.to_string(),
        role: role.as_str().to_string(),
        key_hash: hash_secret(&secret),
        created_at: crate::domain::now_micros(),
        revoked_at: None,
        last_used_at: None,
    };
    (row, format!("ork_{id}_{secret}"))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// How long a looked-up key is trusted before it is read again (revocation delay).
const KEY_CACHE_TTL: Duration = Duration::from_secs(1);

/// Key id → (the key, or none; when it was read).
type KeyCache = HashMap<String, (Option<KeyRow>, Instant)>;

/// Checks keys against the store, with a short cache.
#[derive(Clone)]
pub struct Authenticator {
    store: Store,
    cache: Arc<Mutex<KeyCache>>,
}

impl Authenticator {
    /// An authenticator over a store.
    pub fn new(store: Store) -> Self {
        Authenticator { store, cache: Arc::default() }
    }

    /// The caller a bearer token names.
    pub async fn authenticate(&self, header: Option<&str>) -> Result<(Caller, Role)> {
        let unauth = |m: &str| Error::Unauthenticated(m.to_string());
        let header = header.ok_or_else(|| unauth("missing authorization: send `authorization: Bearer <key>`"))?;
        let token = header
            .strip_prefix("Bearer ")
            .or_else(|| header.strip_prefix("bearer "))
            .ok_or_else(|| unauth("the authorization header must be `Bearer <key>`"))?;
        let rest = token.trim().strip_prefix("ork_").ok_or_else(|| unauth("invalid API key"))?;
        let (id, secret) = rest.split_once('_').ok_or_else(|| unauth("invalid API key"))?;
        if id.len() != 12 || secret.len() > 128 {
            return Err(unauth("invalid API key"));
        }
        let cached = {
            let cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
            cache.get(id).filter(|(_, at)| at.elapsed() < KEY_CACHE_TTL).map(|(row, _)| row.clone())
        };
        let row = match cached {
            Some(row) => row,
            None => {
                let key_id = id.to_string();
                let row = self.store.read(move |c| store::find_key(c, &key_id)).await?;
                let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
                if cache.len() > 10_000 {
                    cache.clear();
                }
                cache.insert(id.to_string(), (row.clone(), Instant::now()));
                row
            }
        };
        let row = row.ok_or_else(|| unauth("invalid API key"))?;
        if !constant_time_eq(row.key_hash.as_bytes(), hash_secret(secret).as_bytes()) {
            return Err(unauth("invalid API key"));
        }
        if row.revoked_at.is_some() {
            return Err(unauth("this API key was revoked"));
        }
        let role = Role::parse(&row.role).ok_or_else(|| Error::Internal(format!("bad stored role {:?}", row.role)))?;
        Ok((Caller { workspace: row.workspace_id, key_id: format!("key:{}", row.id) }, role))
    }
}

/// Requests per second, per workspace (a `governor` keyed limiter).
type Limiter = governor::DefaultKeyedRateLimiter<String>;

/// The tower layer that authenticates and authorizes every RPC, and applies
/// the per-workspace request rate limit.
#[derive(Clone)]
pub struct AuthLayer {
    auth: Option<Authenticator>,
    limiter: Option<Arc<Limiter>>,
}

impl AuthLayer {
    /// With `auth` None, every caller is the local caller of the default
    /// workspace; `per_second` 0 means no rate limit.
    pub fn new(auth: Option<Authenticator>, per_second: u32) -> Self {
        let limiter = std::num::NonZeroU32::new(per_second)
            .map(|n| Arc::new(governor::RateLimiter::keyed(governor::Quota::per_second(n))));
        AuthLayer { auth, limiter }
    }
}

impl<S> tower::Layer<S> for AuthLayer {
    type Service = AuthService<S>;
    fn layer(&self, inner: S) -> Self::Service {
        AuthService { inner, auth: self.auth.clone(), limiter: self.limiter.clone() }
    }
}

/// See [`AuthLayer`].
#[derive(Clone)]
pub struct AuthService<S> {
    inner: S,
    auth: Option<Authenticator>,
    limiter: Option<Arc<Limiter>>,
}

fn over_limit(limiter: &Option<Arc<Limiter>>, ws: &str) -> bool {
    limiter.as_ref().is_some_and(|l| l.check_key(&ws.to_string()).is_err())
}

/// A boxed future of a tower service.
pub(crate) type BoxFuture<T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send>>;

impl<S, B> tower::Service<http::Request<B>> for AuthService<S>
where
    S: tower::Service<http::Request<B>, Response = http::Response<tonic::body::Body>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    B: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = BoxFuture<std::result::Result<Self::Response, Self::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<std::result::Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: http::Request<B>) -> Self::Future {
        // The ready service handles this request; a clone takes its place.
        let clone = self.inner.clone();
        let inner = std::mem::replace(&mut self.inner, clone);
        let (auth, limiter) = (self.auth.clone(), self.limiter.clone());
        Box::pin(async move { authorize_and_call(inner, auth, limiter, req).await.map(undecodable_is_invalid) })
    }
}

/// tonic answers a request it cannot decode with INTERNAL; it is the
/// client's message that is malformed, so say INVALID_ARGUMENT.
fn undecodable_is_invalid(mut resp: http::Response<tonic::body::Body>) -> http::Response<tonic::body::Body> {
    let headers = resp.headers_mut();
    let undecodable = headers.get("grpc-status").is_some_and(|s| s == "13")
        && headers
            .get("grpc-message")
            .and_then(|m| m.to_str().ok())
            .is_some_and(|m| m.starts_with("failed%20to%20decode") || m.starts_with("failed to decode"));
    if undecodable {
        headers.insert("grpc-status", http::HeaderValue::from_static("3"));
    }
    resp
}

async fn authorize_and_call<S, B>(
    mut inner: S,
    auth: Option<Authenticator>,
    limiter: Option<Arc<Limiter>>,
    mut req: http::Request<B>,
) -> std::result::Result<http::Response<tonic::body::Body>, S::Error>
where
    S: tower::Service<http::Request<B>, Response = http::Response<tonic::body::Body>>,
{
    {
        let path = req.uri().path().to_string();
        if open_path(&path) {
            req.extensions_mut().insert(Caller::local());
            return inner.call(req).await;
        }
        let Some(auth) = auth else {
            let local = Caller::local();
            if over_limit(&limiter, &local.workspace) {
                return Ok(tonic::Status::resource_exhausted(
                    "request rate limit of the workspace exceeded; retry shortly",
                )
                .into_http());
            }
            req.extensions_mut().insert(local);
            return inner.call(req).await;
        };
        let header = req.headers().get("authorization").and_then(|v| v.to_str().ok()).map(str::to_string);
        let status = match auth.authenticate(header.as_deref()).await {
            Ok((caller, _)) if over_limit(&limiter, &caller.workspace) => {
                tonic::Status::resource_exhausted("request rate limit of the workspace exceeded; retry shortly")
            }
            Ok((caller, role)) if allowed(role, &path) => {
                req.extensions_mut().insert(caller);
                return inner.call(req).await;
            }
            Ok((_, role)) => {
                tonic::Status::permission_denied(format!("{} key may not call {path}", article(role.as_str())))
            }
            Err(e) => tonic::Status::from(e),
        };
        Ok(status.into_http())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_admins_reach_the_admin_service() {
        for method in ["CreateWorkspace", "ListWorkspaces", "CreateKey", "ListKeys", "RevokeKey"] {
            let path = format!("/orchestrator.v1.AdminService/{method}");
            assert!(allowed(Role::Admin, &path), "{path}");
            for role in [Role::Operator, Role::Agent, Role::Viewer] {
                assert!(!allowed(role, &path), "{} may call {path}", role.as_str());
            }
        }
        assert!(allowed(Role::Operator, "/orchestrator.v1.RunService/CreateRun"));
        assert!(allowed(Role::Viewer, "/orchestrator.v1.RunService/ListRuns"));
        assert!(!allowed(Role::Agent, "/orchestrator.v1.RunService/ListRuns"));
        assert!(allowed(Role::Viewer, "/orchestrator.v1.RunService/ListRetryOutcomes"));
        assert!(!allowed(Role::Agent, "/orchestrator.v1.RunService/ListRetryOutcomes"));
        assert_eq!(article("agent"), "an agent");
        assert_eq!(article("viewer"), "a viewer");
    }

    /// Every RPC of the coordinator but planning is the agent protocol: a new
    /// one an agent key cannot call would be an agent protocol nobody may use.
    #[test]
    fn agents_may_call_every_rpc_of_the_agent_protocol() {
        let proto = include_str!("../proto/orchestrator/v1/coordinator.proto");
        let rpcs: Vec<&str> = proto
            .lines()
            .filter_map(|l| l.trim().strip_prefix("rpc "))
            .filter_map(|rest| rest.split('(').next())
            .collect();
        assert!(rpcs.len() >= 8, "{rpcs:?}");
        for rpc in rpcs {
            let path = format!("/orchestrator.v1.CoordinatorService/{rpc}");
            let planning = matches!(rpc, "PlanRun" | "ValidatePlan");
            assert_eq!(allowed(Role::Agent, &path), !planning, "{path}");
            assert_eq!(allowed(Role::Operator, &path), planning, "{path}");
        }
    }
}
