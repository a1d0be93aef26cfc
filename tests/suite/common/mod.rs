//! The test harness: real servers on loopback ports, real SQLite files, and a
//! real PostgreSQL cluster that the harness starts itself.
//!
//! PostgreSQL: `TEST_DATABASE_URL` (a server the harness may create databases
//! on) if set; otherwise one temporary cluster per test process (`initdb` +
//! `pg_ctl` on a free port, as the unprivileged `nobody` when running as
//! root), each test in a database of its own. A watchdog process stops the
//! cluster and removes its directory when the test process exits.

#![allow(dead_code)]

pub mod fake_llm;

/// A finished child process, for assertion messages: exit status, stdout, stderr.
pub fn describe(o: &std::process::Output) -> String {
    format!(
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

use diesel::{Connection, RunQueryDsl};
use orchestrator::config::{Config, Policy};
use orchestrator::proto::v1 as pb;
use orchestrator::proto::v1::coordinator_service_client::CoordinatorServiceClient;
use orchestrator::proto::v1::run_service_client::RunServiceClient;
use orchestrator::store::DatabaseUrl;
use tokio::sync::oneshot;
use tonic::transport::Channel;

/// Which backend a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Generates `NAME::sqlite` and `NAME::postgres` tests from `async fn NAME(Backend)`.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn sqlite() {
                    super::$name($crate::common::Backend::Sqlite).await
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn postgres() {
                    super::$name($crate::common::Backend::Postgres).await
                }
            }
        )*
    };
}

/// A fresh, empty database.
pub struct TestDb {
    pub url: DatabaseUrl,
    pub raw_url: String,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    pub fn new(backend: Backend) -> TestDb {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let path = dir.path().join("orchestrator.db");
                let raw = format!("sqlite://{}", path.display());
                TestDb { url: DatabaseUrl::parse(&raw).expect("url"), raw_url: raw, _dir: Some(dir) }
            }
            Backend::Postgres => {
                let raw = postgres_database();
                TestDb { url: DatabaseUrl::parse(&raw).expect("url"), raw_url: raw, _dir: None }
            }
        }
    }
}

struct PgServer {
    admin_url: String,
    base: String,
    counter: AtomicU32,
    /// The harness's temporary cluster (None: TEST_DATABASE_URL names a server). It
    /// lives in a static and is never dropped: its watchdog removes it when the
    /// test process ends.
    _cluster: Option<orchestrator_harness::PgCluster>,
}

static PG: OnceLock<PgServer> = OnceLock::new();

pub fn free_port() -> u16 {
    orchestrator_harness::free_port().expect("a free loopback port")
}

fn start_cluster() -> PgServer {
    let dir = std::env::temp_dir().join(format!("orchestrator-pg-{}-{}", std::process::id(), free_port()));
    let cluster = orchestrator_harness::PgCluster::start(dir, orchestrator_harness::PgSettings::for_tests())
        .unwrap_or_else(|e| panic!("{e} (.ci/run installs postgresql; or set TEST_DATABASE_URL)"));
    let base = cluster.base_url();
    PgServer { admin_url: format!("{base}/postgres"), base, counter: AtomicU32::new(0), _cluster: Some(cluster) }
}

fn postgres_database() -> String {
    let server = PG.get_or_init(|| match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => {
            let base = url.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap_or(url.clone());
            PgServer { admin_url: url, base, counter: AtomicU32::new(0), _cluster: None }
        }
        _ => start_cluster(),
    });
    let n = server.counter.fetch_add(1, Ordering::SeqCst);
    let name = format!("t{}_{}_{}", std::process::id(), n, fastrand::u32(..));
    let mut c = diesel::PgConnection::establish(&server.admin_url).expect("connect to the test cluster");
    diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut c).expect("create test database");
    format!("{}/{name}", server.base)
}

/// Config for tests: short leases, fast reconciler.
pub fn test_config(db: &TestDb) -> Config {
    let mut c = Config::new(db.url.clone());
    c.lease = Duration::from_secs(5);
    c.reconcile_interval = Duration::from_millis(200);
    c
}

/// A server running in this process on a loopback port.
pub struct TestApp {
    pub addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    handle: Option<tokio::task::JoinHandle<orchestrator::Result<()>>>,
}

impl TestApp {
    pub async fn start(config: Config) -> TestApp {
        TestApp::start_checked(config, None).await
    }

    /// A server over TLS (`config.tls` set), its health checked with `tls`.
    pub async fn start_tls(config: Config, tls: tonic::transport::ClientTlsConfig) -> TestApp {
        TestApp::start_checked(config, Some(tls)).await
    }

    async fn start_checked(config: Config, tls: Option<tonic::transport::ClientTlsConfig>) -> TestApp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (tx, rx) = oneshot::channel::<()>();
        let handle = tokio::spawn(orchestrator::server::serve(
            listener,
            async move {
                let _ = rx.await;
            },
            config,
        ));
        let mut app = TestApp { addr, shutdown: Some(tx), handle: Some(handle) };
        // The listener is bound already; wait only for the store to open (migrations).
        let mut last = String::new();
        for _ in 0..200 {
            let channel = match &tls {
                None => app.channel().await,
                Some(tls) => {
                    let e = tonic::transport::Endpoint::from_shared(format!("https://{addr}")).expect("endpoint");
                    match e.tls_config(tls.clone()).expect("tls").connect().await {
                        Ok(c) => c,
                        Err(e) => {
                            last = format!("{e:?}");
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            continue;
                        }
                    }
                }
            };
            let mut h = tonic_health::pb::health_client::HealthClient::new(channel);
            match h.check(tonic_health::pb::HealthCheckRequest { service: String::new() }).await {
                Ok(_) => return app,
                Err(e) => last = format!("{e:?}"),
            }
            if app.handle.as_ref().is_some_and(|h| h.is_finished()) {
                if let Some(h) = app.handle.take() {
                    panic!("the server stopped: {:?}", h.await);
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("server did not become healthy: {last}");
    }

    pub async fn with_policy(db: &TestDb, policy: &str) -> TestApp {
        let mut c = test_config(db);
        c.policy = Policy::parse(policy).expect("policy");
        TestApp::start(c).await
    }

    /// With the policy file at `path` (its commands run in its directory).
    pub async fn with_policy_file(db: &TestDb, path: &Path) -> TestApp {
        let mut c = test_config(db);
        c.policy = orchestrator::config::workflow::load(path).expect("policy").policy;
        TestApp::start(c).await
    }

    pub async fn channel(&self) -> Channel {
        tonic::transport::Endpoint::from_shared(format!("http://{}", self.addr)).expect("endpoint").connect_lazy()
    }

    pub async fn runs(&self) -> RunServiceClient<Channel> {
        RunServiceClient::new(self.channel().await)
    }

    pub async fn coord(&self) -> CoordinatorServiceClient<Channel> {
        CoordinatorServiceClient::new(self.channel().await)
    }

    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.handle.take() {
            let r = tokio::time::timeout(Duration::from_secs(20), h).await.expect("graceful shutdown in time");
            r.expect("server task").expect("server result");
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// A task spec for tests.
pub fn task(id: &str, agent: &str, deps: &[&str]) -> pb::TaskSpec {
    pb::TaskSpec {
        id: id.into(),
        title: format!("task {id}"),
        instructions: format!("do {id}"),
        agent: agent.into(),
        depends_on: deps.iter().map(|d| d.to_string()).collect(),
        ..Default::default()
    }
}

/// A CreateRun request with these tasks.
pub fn create(goal: &str, tasks: Vec<pb::TaskSpec>) -> pb::CreateRunRequest {
    pb::CreateRunRequest { goal: goal.into(), plan: Some(pb::Plan { tasks }), ..Default::default() }
}

/// Field names of the BadRequest violations of a status.
/// Creates a run and returns it, panicking if the server refuses.
pub async fn create_run(
    runs: &mut RunServiceClient<Channel>,
    req: impl tonic::IntoRequest<pb::CreateRunRequest>,
) -> pb::Run {
    runs.create_run(req).await.expect("create").into_inner().run.expect("run")
}

pub fn violations(s: &tonic::Status) -> Vec<String> {
    use tonic_types::StatusExt;
    s.get_details_bad_request().map(|b| b.field_violations.into_iter().map(|v| v.field).collect()).unwrap_or_default()
}

/// All events of a run.
pub async fn all_events(runs: &mut RunServiceClient<Channel>, run_id: &str) -> Vec<pb::RunEvent> {
    let mut out = Vec::new();
    let mut token = String::new();
    loop {
        let page = runs
            .list_run_events(pb::ListRunEventsRequest {
                run_id: run_id.into(),
                page_size: 1000,
                page_token: token,
                ..Default::default()
            })
            .await
            .expect("events")
            .into_inner();
        out.extend(page.events);
        if page.next_page_token.is_empty() {
            return out;
        }
        token = page.next_page_token;
    }
}

/// Waits until the run reaches a terminal status (or panics after `secs`).
pub async fn wait_terminal(runs: &mut RunServiceClient<Channel>, run_id: &str, secs: u64) -> pb::Run {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        let run = runs
            .get_run(pb::GetRunRequest { run_id: run_id.into(), ..Default::default() })
            .await
            .expect("get run")
            .into_inner();
        let s = pb::RunStatus::try_from(run.status).unwrap_or(pb::RunStatus::Unspecified);
        if matches!(s, pb::RunStatus::Completed | pb::RunStatus::Failed | pb::RunStatus::Cancelled) {
            return run;
        }
        assert!(tokio::time::Instant::now() < deadline, "run {run_id} not terminal after {secs}s: {s:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// What a test agent does with an assignment.
pub enum Outcome {
    Complete(serde_json::Value),
    Fail(String, bool),
    /// Take the lease and never answer (a dead agent).
    Vanish,
}

/// An out-of-process-style agent over real gRPC, running until the task is aborted.
pub fn spawn_agent<F>(addr: SocketAddr, agent: &str, instance: &str, work: F) -> tokio::task::JoinHandle<()>
where
    F: Fn(&pb::TaskAssignment) -> Outcome + Send + Sync + 'static,
{
    let (agent, instance) = (agent.to_string(), instance.to_string());
    let work = std::sync::Arc::new(work);
    tokio::spawn(async move {
        let channel =
            tonic::transport::Endpoint::from_shared(format!("http://{addr}")).expect("endpoint").connect_lazy();
        let mut c = CoordinatorServiceClient::new(channel);
        loop {
            let r = c
                .poll_task(pb::PollTaskRequest {
                    agent: agent.clone(),
                    agent_instance: instance.clone(),
                    wait: Some(prost_types::Duration { seconds: 5, nanos: 0 }),
                    ..Default::default()
                })
                .await;
            let Ok(r) = r else {
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            };
            let Some(a) = r.into_inner().assignment else {
                continue;
            };
            let (w, a2) = (work.clone(), a.clone());
            let outcome = tokio::task::spawn_blocking(move || w(&a2)).await.expect("agent work");
            match outcome {
                Outcome::Complete(v) => {
                    let _ = c
                        .complete_task(pb::CompleteTaskRequest {
                            lease_id: a.lease_id.clone(),
                            output: Some(orchestrator::api::convert::json_to_value(&v)),
                            ..Default::default()
                        })
                        .await;
                }
                Outcome::Fail(e, retryable) => {
                    let _ = c
                        .fail_task(pb::FailTaskRequest {
                            lease_id: a.lease_id.clone(),
                            error: e,
                            retryable,
                            ..Default::default()
                        })
                        .await;
                }
                Outcome::Vanish => {}
            }
        }
    })
}

/// A server binary started as its own process (for crash and scale-out tests).
pub struct ServerProcess {
    process: orchestrator_harness::ServerProcess,
    pub addr: SocketAddr,
}

impl ServerProcess {
    pub async fn start(database_url: &str, policy: Option<&Path>, extra: &[&str], log: &Path) -> ServerProcess {
        let command = |addr: SocketAddr| {
            let mut cmd = Command::new(env!("CARGO_BIN_EXE_orchestrator"));
            cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
                .args(["serve", "--listen", &addr.to_string(), "--database-url", database_url])
                .args(extra)
                .env("RUST_LOG", "info");
            if let Some(p) = policy {
                cmd.arg("--policy").arg(p);
            }
            cmd
        };
        let process = orchestrator_harness::ServerProcess::start(command, log, Duration::from_secs(15))
            .await
            .unwrap_or_else(|e| panic!("server binary: {e}"));
        ServerProcess { addr: process.addr, process }
    }

    pub fn runs(&self) -> RunServiceClient<Channel> {
        RunServiceClient::new(
            tonic::transport::Endpoint::from_shared(format!("http://{}", self.addr)).expect("e").connect_lazy(),
        )
    }

    /// SIGKILL: no chance to clean up.
    pub fn kill(&mut self) {
        self.process.kill();
    }
}

/// A private CA with a server certificate for `localhost` and a client
/// certificate, as PEM files in a temporary directory.
pub struct TestPki {
    pub dir: tempfile::TempDir,
    pub ca_pem: String,
}

impl TestPki {
    pub fn new() -> TestPki {
        let ca_key = rcgen::KeyPair::generate().expect("ca key");
        let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("ca params");
        ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        // Names of their own: OpenSSL (Python's and Node's gRPC) takes a
        // certificate whose subject is its issuer's for a self-signed one.
        ca_params.distinguished_name.push(rcgen::DnType::CommonName, "orchestrator test CA");
        let ca_cert = ca_params.self_signed(&ca_key).expect("ca");
        let issuer = rcgen::Issuer::new(ca_params, &ca_key);
        let dir = tempfile::tempdir().expect("dir");
        for (name, sans) in [("server", vec!["localhost".to_string()]), ("client", vec!["client".to_string()])] {
            let key = rcgen::KeyPair::generate().expect("key");
            let mut params = rcgen::CertificateParams::new(sans).expect("params");
            params.distinguished_name.push(rcgen::DnType::CommonName, name);
            let cert = params.signed_by(&key, &issuer).expect("cert");
            std::fs::write(dir.path().join(format!("{name}.pem")), cert.pem()).expect("write");
            std::fs::write(dir.path().join(format!("{name}.key")), key.serialize_pem()).expect("write");
        }
        std::fs::write(dir.path().join("ca.pem"), ca_cert.pem()).expect("write");
        TestPki { dir, ca_pem: ca_cert.pem() }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Server TLS that requires client certificates signed by the CA.
    pub fn server_tls(&self) -> orchestrator::config::TlsFiles {
        orchestrator::config::TlsFiles {
            cert: self.path("server.pem"),
            key: self.path("server.key"),
            client_ca: Some(self.path("ca.pem")),
        }
    }

    /// Client TLS trusting the CA, presenting the client certificate.
    pub fn client_tls(&self) -> tonic::transport::ClientTlsConfig {
        let read = |n: &str| std::fs::read(self.path(n)).expect("read pem");
        tonic::transport::ClientTlsConfig::new()
            .ca_certificate(tonic::transport::Certificate::from_pem(self.ca_pem.clone()))
            .identity(tonic::transport::Identity::from_pem(read("client.pem"), read("client.key")))
            .domain_name("localhost")
    }
}
