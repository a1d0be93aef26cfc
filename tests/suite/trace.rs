//! The run's trace: persisted, served by GetRunTrace, exported over OTLP to a
//! real receiver, joined with the caller's trace, one tree across a crash.

use crate::common;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::fake_llm::{prompt_text, FakeLlm, Reply};
use common::{create, create_run, spawn_agent, task, wait_terminal, Backend, Outcome, ServerProcess, TestApp, TestDb};
use opentelemetry_proto::tonic::collector::trace::v1::trace_service_server::{TraceService, TraceServiceServer};
use opentelemetry_proto::tonic::collector::trace::v1::{ExportTraceServiceRequest, ExportTraceServiceResponse};
use orchestrator::api::convert::json_to_struct;
use orchestrator::config::Policy;
use orchestrator::proto::v1 as pb;
use orchestrator::telemetry::otlp::OtlpConfig;
use serde_json::json;

#[derive(Clone, Default)]
struct Receiver(Arc<Mutex<Vec<ExportTraceServiceRequest>>>);

#[tonic::async_trait]
impl TraceService for Receiver {
    async fn export(
        &self,
        req: tonic::Request<ExportTraceServiceRequest>,
    ) -> Result<tonic::Response<ExportTraceServiceResponse>, tonic::Status> {
        self.0.lock().expect("lock").push(req.into_inner());
        Ok(tonic::Response::new(ExportTraceServiceResponse::default()))
    }
}

fn attr<'a>(s: &'a pb::Span, key: &str) -> Option<&'a prost_types::value::Kind> {
    s.attributes.as_ref()?.fields.get(key)?.kind.as_ref()
}

fn num(s: &pb::Span, key: &str) -> Option<f64> {
    match attr(s, key)? {
        prost_types::value::Kind::NumberValue(n) => Some(*n),
        _ => None,
    }
}

/// Every span's parent is in the trace, except the root's.
fn assert_one_tree(spans: &[pb::Span], root_parent: &str) {
    let ids: HashSet<&str> = spans.iter().map(|s| s.span_id.as_str()).collect();
    let trace: HashSet<&str> = spans.iter().map(|s| s.trace_id.as_str()).collect();
    assert_eq!(trace.len(), 1, "one trace id");
    let roots: Vec<&pb::Span> = spans.iter().filter(|s| !ids.contains(s.parent_span_id.as_str())).collect();
    assert_eq!(roots.len(), 1, "one root: {:?}", roots.iter().map(|s| &s.name).collect::<Vec<_>>());
    assert_eq!(roots[0].name, "run");
    assert_eq!(roots[0].parent_span_id, root_parent);
}

fn policy(llm: &FakeLlm) -> String {
    format!(
        "models:\n  main:\n    base_url: {}\n    model: fake-model\n    timeout: 3s\nagents:\n  - name: writer\n    executor: llm\n  - name: ext\n",
        llm.base_url()
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_run_with_a_retry_a_failed_verdict_and_llm_calls_explains_itself() {
    let llm = FakeLlm::start(|body, _| {
        if prompt_text(body).contains("rejected") {
            Reply::answer("a rose", 11, 4)
        } else {
            Reply::answer("a tulip", 11, 4)
        }
    })
    .await;
    let receiver = Receiver::default();
    let otlp = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let otlp_addr = otlp.local_addr().expect("addr");
    let r2 = receiver.clone();
    tokio::spawn(async move {
        let _ = tonic::transport::Server::builder()
            .add_service(TraceServiceServer::new(r2))
            .serve_with_incoming(tokio_stream::wrappers::TcpListenerStream::new(otlp))
            .await;
    });
    let db = TestDb::new(Backend::Sqlite);
    let mut config = common::test_config(&db);
    config.policy = Policy::parse(&policy(&llm)).expect("policy");
    config.otlp = Some(OtlpConfig {
        endpoint: format!("http://{otlp_addr}"),
        headers: vec![],
        service_name: "orchestrator-test".into(),
        resource: vec![("deployment.environment".into(), "test".into())],
    });
    let app = TestApp::start(config).await;
    let mut runs = app.runs().await;
    let flaky_calls = Arc::new(Mutex::new(0));
    let f2 = flaky_calls.clone();
    let ext = spawn_agent(app.addr, "ext", "ext-1", move |_| {
        let mut n = f2.lock().expect("lock");
        *n += 1;
        if *n == 1 {
            Outcome::Fail("transient".into(), true)
        } else {
            Outcome::Complete(json!("fetched"))
        }
    });
    let mut poem = task("poem", "writer", &["fetch"]);
    poem.criteria = vec![pb::Criterion {
        kind: "contains".into(),
        params: json!({"value": "rose"}).as_object().map(json_to_struct),
        ..Default::default()
    }];
    let mut req = create("traced", vec![task("fetch", "ext", &[]), poem]);
    req.policy = Some(pb::RunPolicy {
        default_retry: Some(pb::RetryPolicy {
            max_attempts: 3,
            initial_backoff: Some(prost_types::Duration { seconds: 0, nanos: 50_000_000 }),
            jitter: Some(0.0001),
            ..Default::default()
        }),
        ..Default::default()
    });
    // The caller's trace context: the run joins it.
    let caller_trace = "0af7651916cd43dd8448eb211c80319c";
    let caller_span = "b7ad6b7169203331";
    let mut request = tonic::Request::new(req);
    request
        .metadata_mut()
        .insert("traceparent", format!("00-{caller_trace}-{caller_span}-01").parse().expect("header"));
    request.metadata_mut().insert("tracestate", "vendor=abc".parse().expect("header"));
    let run = create_run(&mut runs, request).await;
    assert_eq!(run.trace_id, caller_trace);
    let done = wait_terminal(&mut runs, &run.id, 30).await;
    ext.abort();
    assert_eq!(done.status, pb::RunStatus::Completed as i32, "{}", done.failure_reason);

    let trace =
        runs.get_run_trace(pb::GetRunTraceRequest { run_id: run.id.clone() }).await.expect("trace").into_inner();
    assert_eq!(trace.trace_id, caller_trace);
    assert_one_tree(&trace.spans, caller_span);
    let by_id: HashMap<&str, &pb::Span> = trace.spans.iter().map(|s| (s.span_id.as_str(), s)).collect();
    let parent_name = |s: &pb::Span| by_id.get(s.parent_span_id.as_str()).map(|p| p.name.clone()).unwrap_or_default();
    let names = |n: &str| trace.spans.iter().filter(|s| s.name == n).collect::<Vec<_>>();
    assert_eq!(names("run").len(), 1);
    assert_eq!(names("plan").len(), 1);
    assert_eq!(names("task").len(), 2);
    let attempts = names("attempt");
    assert_eq!(attempts.len(), 4, "fetch twice (a retry), poem twice (a failed verdict)");
    assert!(attempts.iter().all(|a| parent_name(a) == "task"));
    let retry = attempts
        .iter()
        .find(|a| num(a, "orchestrator.attempt.number") == Some(2.0) && attr(a, "orchestrator.retry.reason").is_some());
    let retry = retry.expect("a retried attempt carries its reason");
    assert!(num(retry, "orchestrator.retry.backoff_ms").is_some_and(|b| b >= 40.0), "and its backoff");
    assert!(attempts.iter().any(|a| a.status_code == "error" && a.status_message.contains("transient")));
    let chats = names("llm.chat");
    assert_eq!(chats.len(), 2);
    for c in &chats {
        assert_eq!(parent_name(c), "attempt");
        assert_eq!(num(c, "gen_ai.usage.input_tokens"), Some(11.0));
        assert_eq!(num(c, "gen_ai.usage.output_tokens"), Some(4.0));
    }
    let verifies = names("verify");
    assert_eq!(verifies.len(), 2);
    assert!(verifies.iter().all(|v| parent_name(v) == "attempt"));
    assert_eq!(verifies.iter().filter(|v| v.status_code == "error").count(), 1, "the failed verdict is an error span");
    let task_span =
        names("task").into_iter().find(|t| t.events.iter().any(|e| e.name == "task.status_changed")).expect("events");
    assert!(task_span.events.len() >= 3, "every state transition is a span event");
    // A claim's and a completion's one event moves the task too: its span lists them.
    let moves: Vec<&str> = task_span.events.iter().map(|e| e.name.as_str()).collect();
    assert!(moves.contains(&"attempt.started") && moves.contains(&"attempt.completed"), "{moves:?}");
    let root = names("run")[0];
    assert_eq!(root.status_code, "ok");
    assert_eq!(num(root, "gen_ai.usage.input_tokens"), Some(22.0));

    // The same trace reaches a real OTLP receiver.
    let mut exported = Vec::new();
    for _ in 0..100 {
        exported = receiver.0.lock().expect("lock").clone();
        if !exported.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let rs = &exported.first().expect("an export arrived").resource_spans[0];
    let resource: HashMap<String, String> = rs
        .resource
        .as_ref()
        .expect("resource")
        .attributes
        .iter()
        .map(|kv| {
            let v = match kv.value.as_ref().and_then(|v| v.value.as_ref()) {
                Some(opentelemetry_proto::tonic::common::v1::any_value::Value::StringValue(s)) => s.clone(),
                _ => String::new(),
            };
            (kv.key.clone(), v)
        })
        .collect();
    assert_eq!(resource.get("service.name").map(String::as_str), Some("orchestrator-test"));
    assert_eq!(resource.get("deployment.environment").map(String::as_str), Some("test"));
    let spans = &rs.scope_spans[0].spans;
    assert_eq!(spans.len(), trace.spans.len());
    let otlp_ids: HashSet<Vec<u8>> = spans.iter().map(|s| s.span_id.clone()).collect();
    for s in spans {
        assert_eq!(hex::encode(&s.trace_id), caller_trace);
        let parent = hex::encode(&s.parent_span_id);
        assert!(otlp_ids.contains(&s.parent_span_id) || parent == caller_span, "{} has a dangling parent", s.name);
        assert!(s.end_time_unix_nano >= s.start_time_unix_nano);
    }
    let chat = spans.iter().find(|s| s.name == "llm.chat").expect("llm.chat exported");
    assert!(chat.attributes.iter().any(|kv| kv.key == "gen_ai.request.model"));
    // Exported once.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(receiver.0.lock().expect("lock").len(), 1);
    app.stop().await;
    // Every span above, the LLM calls' and the verifications' too, was assembled
    // from the run's row, events and attempts: none is stored.
    let stored = stored_spans(&db);
    assert!(stored.is_empty(), "no span row: {stored:?}");
}

/// The names of the span rows in a SQLite test database.
fn stored_spans(db: &TestDb) -> Vec<String> {
    #[derive(diesel::QueryableByName)]
    struct Name {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    use diesel::{Connection, RunQueryDsl};
    let path = db.raw_url.trim_start_matches("sqlite://");
    let mut c = diesel::SqliteConnection::establish(path).expect("open the database");
    let stored: Vec<Name> = diesel::sql_query("SELECT name FROM spans ORDER BY name").load(&mut c).expect("spans");
    stored.into_iter().map(|n| n.name).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_server_killed_mid_run_leaves_one_trace() {
    let db = TestDb::new(Backend::Sqlite);
    let dir = tempfile::tempdir().expect("dir");
    let log = dir.path().join("server.log");
    let lease = ["--lease", "1s"];
    let mut server = ServerProcess::start(&db.raw_url, None, &lease, &log).await;
    let mut runs = server.runs();
    let tasks: Vec<pb::TaskSpec> = (0..12).map(|i| task(&format!("t{i}"), "w", &[])).collect();
    let mut req = create("crash trace", tasks);
    req.max_parallel = 3;
    req.policy = Some(pb::RunPolicy {
        default_retry: Some(pb::RetryPolicy {
            max_attempts: 5,
            initial_backoff: Some(prost_types::Duration { seconds: 0, nanos: 20_000_000 }),
            ..Default::default()
        }),
        ..Default::default()
    });
    let run = create_run(&mut runs, req).await;
    // An agent that completes some tasks, then the server dies with three leases held.
    let first = spawn_agent(server.addr, "w", "a1", |_| {
        std::thread::sleep(Duration::from_millis(30));
        Outcome::Complete(json!("done"))
    });
    loop {
        let r = runs
            .get_run(pb::GetRunRequest { run_id: run.id.clone(), ..Default::default() })
            .await
            .expect("get")
            .into_inner();
        if r.task_counts.get("SUCCEEDED").copied().unwrap_or(0) >= 4 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    first.abort();
    server.kill();
    let server = ServerProcess::start(&db.raw_url, None, &lease, &log).await;
    let mut runs = server.runs();
    let second = spawn_agent(server.addr, "w", "a2", |_| Outcome::Complete(json!("done")));
    let done = wait_terminal(&mut runs, &run.id, 60).await;
    second.abort();
    assert_eq!(done.status, pb::RunStatus::Completed as i32, "{}", done.failure_reason);
    let trace = runs.get_run_trace(pb::GetRunTraceRequest { run_id: run.id }).await.expect("trace").into_inner();
    assert_eq!(trace.trace_id, run.trace_id);
    assert_one_tree(&trace.spans, "");
    assert_eq!(trace.spans.iter().filter(|s| s.name == "task").count(), 12);
    assert!(trace.spans.iter().all(|s| s.end_time.is_some()), "every span was ended, across the restart");
    assert!(trace.spans.iter().filter(|s| s.name == "attempt").count() >= 12, "an attempt span per attempt");

    // A run's lifecycle writes no span row: the run, plan, task and attempt
    // spans above were assembled from its row, its event log and its attempts.
    let stored = stored_spans(&db);
    assert!(stored.is_empty(), "no span row: {stored:?}");
}
