//! The server-wide backstop on how long a call may take before it answers
//! (its headers, for a stream). tonic's own `Server::timeout` applies to
//! every method alike; `PlanRun` instead answers within the planner's own
//! deadline (`planner.deadline`), which may be longer. A client's
//! `grpc-timeout` still applies to every call (tonic enforces it inside).

use std::task::{Context, Poll};
use std::time::Duration;

use crate::auth::BoxFuture;

/// How long a call may take before it is answered `CANCELLED`.
pub const RPC_TIMEOUT: Duration = Duration::from_secs(120);

/// Methods bounded by a deadline of their own instead of [`RPC_TIMEOUT`].
const OWN_DEADLINE: &[&str] = &["/orchestrator.v1.CoordinatorService/PlanRun"];

/// Applies [`RPC_TIMEOUT`] to every method but those with their own deadline.
#[derive(Debug, Clone, Copy, Default)]
pub struct RpcTimeoutLayer;

impl<S> tower::Layer<S> for RpcTimeoutLayer {
    type Service = RpcTimeout<S>;
    fn layer(&self, inner: S) -> Self::Service {
        RpcTimeout { inner }
    }
}

/// See [`RpcTimeoutLayer`].
#[derive(Debug, Clone)]
pub struct RpcTimeout<S> {
    inner: S,
}

impl<S, B> tower::Service<http::Request<B>> for RpcTimeout<S>
where
    S: tower::Service<http::Request<B>, Response = http::Response<tonic::body::Body>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    B: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = BoxFuture<Result<Self::Response, Self::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: http::Request<B>) -> Self::Future {
        let own_deadline = OWN_DEADLINE.contains(&req.uri().path());
        let call = self.inner.call(req);
        Box::pin(async move {
            if own_deadline {
                return call.await;
            }
            match tokio::time::timeout(RPC_TIMEOUT, call).await {
                Ok(r) => r,
                Err(_) => Ok(tonic::Status::cancelled("Timeout expired").into_http()),
            }
        })
    }
}
