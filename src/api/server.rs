//! Wiring: `serve(listener, shutdown, config)` opens the store, starts the
//! reconciler and the command executors, and serves the three services plus
//! health and reflection until `shutdown` resolves. `main` only parses flags.

use std::future::Future;
use std::sync::Arc;

use tokio::net::TcpListener;

use crate::api::{AdminApi, CoordinatorApi, GuidanceApi, RecipeApi, RunApi, ScheduleApi, VerifierApi};
use crate::config::Config;
use crate::engine::{open_store, Engine};
use crate::error::{Error, Result};
use crate::proto::v1::admin_service_server::AdminServiceServer;
use crate::proto::v1::coordinator_service_server::CoordinatorServiceServer;
use crate::proto::v1::guidance_service_server::GuidanceServiceServer;
use crate::proto::v1::recipe_service_server::RecipeServiceServer;
use crate::proto::v1::run_service_server::RunServiceServer;
use crate::proto::v1::schedule_service_server::ScheduleServiceServer;
use crate::proto::v1::verifier_service_server::VerifierServiceServer;

fn tls_config(files: &crate::config::TlsFiles) -> Result<tonic::transport::ServerTlsConfig> {
    let read = |p: &std::path::Path| {
        std::fs::read(p).map_err(|e| Error::invalid("tls", format!("cannot read {}: {e}", p.display())))
    };
    let identity = tonic::transport::Identity::from_pem(read(&files.cert)?, read(&files.key)?);
    let mut tls = tonic::transport::ServerTlsConfig::new().identity(identity);
    if let Some(ca) = &files.client_ca {
        tls = tls.client_ca_root(tonic::transport::Certificate::from_pem(read(ca)?));
    }
    Ok(tls)
}

/// Serves until `shutdown` resolves; in-flight calls finish, streams and long polls end cleanly.
pub async fn serve(
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
    config: Config,
) -> Result<()> {
    let config = Arc::new(config);
    // Everything that can fail at start does so before anything is started.
    let mut builder = tonic::transport::Server::builder();
    if let Some(tls) = &config.tls {
        builder = builder.tls_config(tls_config(tls)?).map_err(|e| Error::Internal(format!("TLS: {e}")))?;
    }
    let store = open_store(&config).await?;
    let listener_thread = store.start_listener(&config.database)?;
    let engine = Engine::new(store, config.clone());
    // The policy file's recipes are kept before anything is served; a bad one
    // stops the start, as a bad policy does.
    engine.set_recipe_decoder(super::recipes::policy_recipe_in);
    let problems = engine.keep_policy_recipes().await?;
    if !problems.is_empty() {
        return Err(Error::FailedPrecondition(format!("the policy file's recipes: {}", problems.join("; "))));
    }
    // Every background task is owned here, told to stop by the engine's shutdown
    // signal (it ends at its next await point) and awaited before `serve` returns.
    let mut background = tokio::task::JoinSet::new();
    let until_shutdown = |engine: &Arc<Engine>, work: std::pin::Pin<Box<dyn Future<Output = ()> + Send>>| {
        let engine = engine.clone();
        async move {
            tokio::select! {
                _ = work => {}
                _ = engine.shutting_down() => {}
            }
        }
    };
    background.spawn(until_shutdown(&engine, Box::pin(engine.clone().run_reconciler())));
    background.spawn(until_shutdown(&engine, Box::pin(engine.clone().run_scheduler())));
    if config.record_outcomes {
        background.spawn(until_shutdown(&engine, Box::pin(engine.clone().run_outcome_recorder())));
    }
    if let Some(cfg) = config.otlp.clone() {
        tracing::info!(endpoint = %cfg.endpoint, "exporting run traces over OTLP");
        background.spawn(until_shutdown(&engine, Box::pin(crate::telemetry::otlp::run_exporter(engine.clone(), cfg))));
    }
    engine.sync_executors();
    if let Some(file) = config.policy_file.clone() {
        let watch = crate::engine::policy_watch::watch(engine.clone(), file, config.policy_poll_interval);
        background.spawn(until_shutdown(&engine, Box::pin(watch)));
    }
    background.spawn(until_shutdown(&engine, Box::pin(engine.clone().run_pruner())));

    let (health, health_service) = tonic_health::server::health_reporter();
    health.set_serving::<RunServiceServer<RunApi>>().await;
    health.set_serving::<CoordinatorServiceServer<CoordinatorApi>>().await;
    health.set_serving::<VerifierServiceServer<VerifierApi>>().await;
    health.set_serving::<AdminServiceServer<AdminApi>>().await;
    health.set_serving::<RecipeServiceServer<RecipeApi>>().await;
    health.set_serving::<ScheduleServiceServer<ScheduleApi>>().await;
    health.set_serving::<GuidanceServiceServer<GuidanceApi>>().await;
    // grpcurl 1.8 speaks only v1alpha; newer clients speak v1: serve both.
    let reflection = || {
        tonic_reflection::server::Builder::configure()
            .register_encoded_file_descriptor_set(crate::proto::FILE_DESCRIPTOR_SET)
            .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
    };
    let reflection_v1 = reflection().build_v1().map_err(|e| Error::Internal(format!("reflection: {e}")))?;
    let reflection_v1alpha = reflection().build_v1alpha().map_err(|e| Error::Internal(format!("reflection: {e}")))?;

    let max = config.limits.max_message_bytes;
    let runs = RunServiceServer::new(RunApi::new(engine.clone()))
        .max_decoding_message_size(max)
        .max_encoding_message_size(4 * max);
    let coordinator = CoordinatorServiceServer::new(CoordinatorApi::new(engine.clone()))
        .max_decoding_message_size(max)
        .max_encoding_message_size(4 * max);
    let verifier = VerifierServiceServer::new(VerifierApi::new(engine.clone())).max_decoding_message_size(max);
    let admin = AdminServiceServer::new(AdminApi::new(engine.clone())).max_decoding_message_size(max);
    let recipes = RecipeServiceServer::new(RecipeApi::new(engine.clone()))
        .max_decoding_message_size(max)
        .max_encoding_message_size(4 * max);
    let schedules = ScheduleServiceServer::new(ScheduleApi::new(engine.clone()))
        .max_decoding_message_size(max)
        .max_encoding_message_size(4 * max);
    let guidance = GuidanceServiceServer::new(GuidanceApi::new(engine.clone()))
        .max_decoding_message_size(max)
        .max_encoding_message_size(4 * max);

    let addr = listener.local_addr().map_err(|e| Error::Internal(e.to_string()))?;
    // Without TCP_NODELAY, back-to-back small RPCs stall ~40 ms on Nagle and delayed ACKs.
    let incoming = tonic::transport::server::TcpIncoming::from(listener).with_nodelay(Some(true));
    tracing::info!(%addr, backend = config.database.backend_name(), database = %config.database.describe(), "serving");
    let stopping = engine.clone();
    let auth = config.auth_required.then(|| crate::auth::Authenticator::new(engine.store().clone()));
    if auth.is_none() {
        tracing::warn!("authentication is off: every caller acts in the default workspace (only allowed on loopback)");
    }
    let serving = builder
        .layer(crate::api::timeout::RpcTimeoutLayer)
        .layer(crate::auth::AuthLayer::new(auth, config.limits.rate_limit))
        .add_service(health_service)
        .add_service(reflection_v1)
        .add_service(reflection_v1alpha)
        .add_service(runs)
        .add_service(coordinator)
        .add_service(verifier)
        .add_service(admin)
        .add_service(recipes)
        .add_service(schedules)
        .add_service(guidance)
        .serve_with_incoming_shutdown(incoming, async move {
            shutdown.await;
            tracing::info!("shutting down: finishing in-flight calls");
            stopping.begin_shutdown();
        });
    // tonic waits for every connection to close; a client that neither finishes
    // nor hangs up gets CALLS_GRACE, then its connection is dropped.
    let draining = {
        let engine = engine.clone();
        async move {
            engine.shutting_down().await;
            tokio::time::sleep(CALLS_GRACE).await;
        }
    };
    let result = tokio::select! {
        r = serving => r.map_err(|e| Error::Internal(format!("server: {e}"))),
        _ = draining => {
            tracing::warn!(grace = ?CALLS_GRACE, "calls still open after the grace period; closing their connections");
            Ok(())
        }
    };
    // Also when serving failed: the background tasks stop the same way.
    engine.begin_shutdown();
    let drained = tokio::time::timeout(SHUTDOWN_GRACE, async { while background.join_next().await.is_some() {} }).await;
    if drained.is_err() {
        tracing::warn!(grace = ?SHUTDOWN_GRACE, "background tasks did not stop in time; aborting them");
        background.shutdown().await;
    }
    engine.shutdown_executors(SHUTDOWN_GRACE).await;
    if let Some(l) = listener_thread {
        let _ = tokio::task::spawn_blocking(move || l.stop()).await;
    }
    if let Some(path) = &config.statements_file {
        let counted = serde_json::json!({ "statements": engine.statements_run() });
        if let Err(e) = std::fs::write(path, counted.to_string()) {
            tracing::warn!(file = %path.display(), error = %e, "cannot write the statement count");
        }
    }
    tracing::info!("stopped");
    result
}

/// How long calls in flight get to finish once shutdown has begun.
const CALLS_GRACE: std::time::Duration = std::time::Duration::from_secs(30);

/// How long background tasks and built-in executors get to stop at shutdown
/// before they are aborted (an attempt abandoned so is retried by the reconciler).
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(10);

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
}
