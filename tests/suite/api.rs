//! The run service over real gRPC, on SQLite and PostgreSQL.

use crate::common;

use std::collections::HashSet;
use std::time::Duration;

use common::{
    all_events, create, create_run, spawn_agent, task, violations, wait_terminal, Backend, Outcome, TestApp, TestDb,
};
use orchestrator::proto::v1 as pb;
use serde_json::json;
use tonic::Code;

both_backends!(
    create_get_list_and_cancel,
    bad_plans_name_every_field,
    unknown_ids_and_bad_tokens_are_clear_errors,
    list_runs_pages_newest_first_and_filters,
    concurrent_create_with_one_request_id_makes_one_run,
    watchers_get_every_event_once_in_order,
    tasks_and_attempts_are_listed,
);

async fn create_get_list_and_cancel(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::start(common::test_config(&db)).await;
    let mut runs = app.runs().await;
    let mut req = create("say hello", vec![task("a", "nobody", &[]), task("b", "nobody", &["a"])]);
    req.labels.insert("team".into(), "docs".into());
    let created = runs.create_run(req).await.expect("create").into_inner();
    assert!(!created.deduplicated);
    let run = created.run.expect("run");
    assert!(run.id.starts_with("run_"));
    assert_eq!(run.status, pb::RunStatus::Executing as i32);
    assert_eq!(run.trace_id.len(), 32);
    assert_eq!(run.task_counts.get("READY"), Some(&1));
    assert_eq!(run.task_counts.get("PENDING"), Some(&1));

    let got = runs
        .get_run(pb::GetRunRequest { run_id: run.id.clone(), ..Default::default() })
        .await
        .expect("get")
        .into_inner();
    assert_eq!(got.goal, "say hello");
    assert_eq!(got.labels.get("team").map(String::as_str), Some("docs"));
    // CreateRun answers with the run as its transaction left it, not read
    // again: with nothing polling, that is what a read right after finds.
    let mut answered = run.clone();
    let mut read = got.clone();
    // Apart from what is of the moment it is read: the clock, and GetRun's
    // note of agents nobody serves.
    for r in [&mut answered, &mut read] {
        r.updated_at = None;
        r.active_time = None;
        r.waiting.clear();
    }
    assert_eq!(answered, read, "CreateRun's answer and GetRun's read differ");
    assert_eq!(run.last_event_seq, 3, "run created, run started, its root ready: {run:?}");
    assert_eq!(got.plan.expect("plan").tasks.len(), 2);

    let listed = runs.list_runs(pb::ListRunsRequest::default()).await.expect("list").into_inner();
    assert_eq!(listed.runs.iter().map(|r| r.id.clone()).collect::<Vec<_>>(), vec![run.id.clone()]);

    let cancelled = runs
        .cancel_run(pb::CancelRunRequest { run_id: run.id.clone(), reason: "changed my mind".into() })
        .await
        .expect("cancel")
        .into_inner();
    assert_eq!(cancelled.status, pb::RunStatus::Cancelled as i32);
    assert_eq!(cancelled.failure_reason, "changed my mind");
    assert_eq!(cancelled.task_counts.get("CANCELLED"), Some(&2));
    // Cancelling again is harmless.
    runs.cancel_run(pb::CancelRunRequest { run_id: run.id.clone(), reason: String::new() })
        .await
        .expect("cancel twice");
    let events = all_events(&mut runs, &run.id).await;
    let seqs: Vec<u64> = events.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=events.len() as u64).collect::<Vec<_>>(), "no gaps");
    assert_eq!(events.first().map(|e| e.r#type.as_str()), Some("run.created"));
    let last = events.last().expect("events");
    assert_eq!((last.r#type.as_str(), last.to_status.as_str()), ("run.status_changed", "CANCELLED"));
    // Pausing or resuming a cancelled run is refused with a clear reason.
    let e =
        runs.pause_run(pb::PauseRunRequest { run_id: run.id.clone(), reason: String::new() }).await.expect_err("pause");
    assert_eq!(e.code(), Code::FailedPrecondition);
    app.stop().await;
}

async fn bad_plans_name_every_field(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::start(common::test_config(&db)).await;
    let mut runs = app.runs().await;
    let cases: Vec<(pb::CreateRunRequest, Vec<&str>)> = vec![
        (create("", vec![task("a", "x", &[])]), vec!["goal"]),
        (create("g", vec![task("a", "x", &[]), task("a", "x", &[])]), vec!["plan.tasks[1].id"]),
        (create("g", vec![task("a", "x", &["zz"])]), vec!["plan.tasks[0].depends_on[0]"]),
        (create("g", vec![task("a", "x", &["a"])]), vec!["plan.tasks[0].depends_on[0]"]),
        (create("g", vec![task("a", "x", &["c"]), task("b", "x", &["a"]), task("c", "x", &["b"])]), vec!["plan.tasks"]),
        (create("g", vec![]), vec!["plan.tasks"]),
        (create("g", vec![task("bad id!", "", &[])]), vec!["plan.tasks[0].id", "plan.tasks[0].agent"]),
        (create(&"g".repeat(20_000), vec![task("a", "x", &[])]), vec!["goal"]),
    ];
    for (req, expected) in cases {
        let e = runs.create_run(req).await.expect_err("invalid");
        assert_eq!(e.code(), Code::InvalidArgument, "{}", e.message());
        let got = violations(&e);
        for f in &expected {
            assert!(got.iter().any(|g| g == f), "expected a violation of {f}, got {got:?} ({})", e.message());
        }
    }
    let cycle = runs
        .create_run(create("g", vec![task("a", "x", &["c"]), task("b", "x", &["a"]), task("c", "x", &["b"])]))
        .await
        .expect_err("cycle");
    assert!(cycle.message().contains("cycle") && cycle.message().contains("a → "), "{}", cycle.message());

    let mut labels = create("g", vec![task("a", "x", &[])]);
    for i in 0..40 {
        labels.labels.insert(format!("k{i}"), "v".into());
    }
    assert_eq!(violations(&runs.create_run(labels).await.expect_err("labels")), vec!["labels"]);
    let mut neg = create("g", vec![task("a", "x", &[])]);
    neg.plan.as_mut().expect("plan").tasks[0].timeout = Some(prost_types::Duration { seconds: -5, nanos: 0 });
    assert_eq!(violations(&runs.create_run(neg).await.expect_err("negative")), vec!["plan.tasks[0].timeout"]);
    let mut crit = create("g", vec![task("a", "x", &[])]);
    crit.criteria.push(pb::Criterion { kind: "telepathy".into(), ..Default::default() });
    assert_eq!(violations(&runs.create_run(crit).await.expect_err("criterion")), vec!["criteria[0].kind"]);
    // Too many tasks.
    let many: Vec<pb::TaskSpec> = (0..10_001).map(|i| task(&format!("t{i}"), "x", &[])).collect();
    assert_eq!(violations(&runs.create_run(create("g", many)).await.expect_err("too many")), vec!["plan.tasks"]);

    // ValidatePlan applies the same rules, and describes a valid plan.
    let mut coord = app.coord().await;
    let e = coord
        .validate_plan(pb::ValidatePlanRequest { plan: Some(pb::Plan { tasks: vec![task("a", "x", &["a"])] }) })
        .await
        .expect_err("self dependency");
    assert_eq!(violations(&e), vec!["plan.tasks[0].depends_on[0]"]);
    let ok = coord
        .validate_plan(pb::ValidatePlanRequest {
            plan: Some(pb::Plan {
                tasks: vec![
                    task("a", "x", &[]),
                    task("b", "x", &["a"]),
                    task("c", "x", &["a"]),
                    task("d", "x", &["b", "c"]),
                ],
            }),
        })
        .await
        .expect("valid")
        .into_inner()
        .analysis
        .expect("analysis");
    assert_eq!((ok.width, ok.depth), (2, 3));
    assert_eq!(ok.topological_order, vec!["a", "b", "c", "d"]);
    assert_eq!(ok.critical_path, vec!["a", "b", "d"]);

    // Nothing was created, and the server is still healthy.
    let listed = runs.list_runs(pb::ListRunsRequest::default()).await.expect("list").into_inner();
    assert!(listed.runs.is_empty());
    app.stop().await;
}

async fn unknown_ids_and_bad_tokens_are_clear_errors(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::start(common::test_config(&db)).await;
    let mut runs = app.runs().await;
    let e =
        runs.get_run(pb::GetRunRequest { run_id: "run_nope".into(), ..Default::default() }).await.expect_err("missing");
    assert_eq!(e.code(), Code::NotFound);
    let e = runs.get_run(pb::GetRunRequest { run_id: String::new(), ..Default::default() }).await.expect_err("empty");
    assert_eq!(violations(&e), vec!["run_id"]);
    let e =
        runs.get_task(pb::GetTaskRequest { run_id: "run_nope".into(), task_id: "a".into() }).await.expect_err("task");
    assert_eq!(e.code(), Code::NotFound);
    let e = runs
        .cancel_run(pb::CancelRunRequest { run_id: "run_nope".into(), reason: String::new() })
        .await
        .expect_err("c");
    assert_eq!(e.code(), Code::NotFound);
    for token in ["garbage!!", "cjox", "ZTo1"] {
        let e = runs
            .list_runs(pb::ListRunsRequest { page_token: token.into(), ..Default::default() })
            .await
            .expect_err("bad token");
        assert_eq!(violations(&e), vec!["page_token"], "{token}");
    }
    let e = runs.list_runs(pb::ListRunsRequest { page_size: 100_000, ..Default::default() }).await.expect_err("size");
    assert_eq!(violations(&e), vec!["page_size"]);
    let e = runs.list_runs(pb::ListRunsRequest { statuses: vec![42], ..Default::default() }).await.expect_err("enum");
    assert_eq!(violations(&e), vec!["statuses[0]"]);
    let run = create_run(&mut runs, create("g", vec![task("a", "x", &[])])).await;
    let e = runs
        .get_task(pb::GetTaskRequest { run_id: run.id.clone(), task_id: "zz".into() })
        .await
        .expect_err("unknown task");
    assert_eq!(e.code(), Code::NotFound);
    let e = runs
        .list_run_events(pb::ListRunEventsRequest {
            run_id: run.id.clone(),
            page_token: "!!".into(),
            ..Default::default()
        })
        .await
        .expect_err("bad event token");
    assert_eq!(violations(&e), vec!["page_token"]);
    // Leases that do not exist are refused the same way as stale ones.
    let mut coord = app.coord().await;
    let e = coord
        .complete_task(pb::CompleteTaskRequest { lease_id: "lease_bogus".into(), ..Default::default() })
        .await
        .expect_err("bogus lease");
    assert_eq!(e.code(), Code::FailedPrecondition);
    let e = coord
        .heartbeat(pb::HeartbeatRequest { lease_id: String::new(), ..Default::default() })
        .await
        .expect_err("empty");
    assert_eq!(violations(&e), vec!["lease_id"]);
    let e = coord.plan_run(pb::PlanRunRequest { goal: "g".into(), ..Default::default() }).await.expect_err("no model");
    assert_eq!(e.code(), Code::FailedPrecondition);
    assert!(e.message().contains("no planner model"), "{}", e.message());
    let got = runs
        .get_run(pb::GetRunRequest { run_id: run.id, ..Default::default() })
        .await
        .expect("still healthy")
        .into_inner();
    assert_eq!(got.status, pb::RunStatus::Executing as i32);
    app.stop().await;
}

async fn list_runs_pages_newest_first_and_filters(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::start(common::test_config(&db)).await;
    let mut runs = app.runs().await;
    let mut ids = Vec::new();
    for i in 0..5 {
        let mut req = create(&format!("goal {i}"), vec![task("a", "x", &[])]);
        req.labels.insert("parity".into(), if i % 2 == 0 { "even" } else { "odd" }.into());
        ids.push(create_run(&mut runs, req).await.id);
    }
    runs.cancel_run(pb::CancelRunRequest { run_id: ids[4].clone(), reason: String::new() }).await.expect("cancel");
    let mut seen = Vec::new();
    let mut token = String::new();
    let mut pages = 0;
    loop {
        let page = runs
            .list_runs(pb::ListRunsRequest { page_size: 2, page_token: token, ..Default::default() })
            .await
            .expect("page")
            .into_inner();
        pages += 1;
        seen.extend(page.runs.into_iter().map(|r| r.id));
        if page.next_page_token.is_empty() {
            break;
        }
        token = page.next_page_token;
    }
    assert_eq!(pages, 3);
    let mut newest_first = ids.clone();
    newest_first.reverse();
    assert_eq!(seen, newest_first);
    let odd = runs
        .list_runs(pb::ListRunsRequest {
            labels: [("parity".to_string(), "odd".to_string())].into(),
            ..Default::default()
        })
        .await
        .expect("labels")
        .into_inner();
    assert_eq!(odd.runs.iter().map(|r| r.id.clone()).collect::<Vec<_>>(), vec![ids[3].clone(), ids[1].clone()]);
    let cancelled = runs
        .list_runs(pb::ListRunsRequest { statuses: vec![pb::RunStatus::Cancelled as i32], ..Default::default() })
        .await
        .expect("status")
        .into_inner();
    assert_eq!(cancelled.runs.iter().map(|r| r.id.clone()).collect::<Vec<_>>(), vec![ids[4].clone()]);
    app.stop().await;
}

async fn concurrent_create_with_one_request_id_makes_one_run(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::start(common::test_config(&db)).await;
    let mut handles = Vec::new();
    for _ in 0..8 {
        let mut runs = app.runs().await;
        handles.push(tokio::spawn(async move {
            let mut req = create("once", vec![task("a", "x", &[])]);
            req.request_id = "req-42".into();
            runs.create_run(req).await
        }));
    }
    let mut ids = HashSet::new();
    let mut fresh = 0;
    for h in handles {
        // Every caller gets the one run: the contract of an idempotent create, also
        // when two transactions race on PostgreSQL.
        let r = h.await.expect("join").expect("the same body with the same request id is answered, not refused");
        let r = r.into_inner();
        if !r.deduplicated {
            fresh += 1;
        }
        ids.insert(r.run.expect("run").id);
    }
    assert_eq!(ids.len(), 1, "one run for one request id");
    assert_eq!(fresh, 1, "exactly one answer made the run; the others are deduplicated");
    let mut runs = app.runs().await;
    let mut other = create("a different body", vec![task("a", "x", &[])]);
    other.request_id = "req-42".into();
    let e = runs.create_run(other).await.expect_err("other body");
    assert_eq!(e.code(), Code::AlreadyExists);
    let all = runs.list_runs(pb::ListRunsRequest::default()).await.expect("list").into_inner();
    assert_eq!(all.runs.len(), 1);
    app.stop().await;
}

async fn watchers_get_every_event_once_in_order(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::start(common::test_config(&db)).await;
    let mut runs = app.runs().await;
    let tasks: Vec<pb::TaskSpec> = (0..6).map(|i| task(&format!("t{i}"), "slow", &[])).collect();
    let mut req = create("watch me", tasks);
    req.max_parallel = 1;
    let run = create_run(&mut runs, req).await;

    let watch = |after: u64| {
        let app_addr = app.addr;
        let id = run.id.clone();
        tokio::spawn(async move {
            let ch = tonic::transport::Endpoint::from_shared(format!("http://{app_addr}")).expect("e").connect_lazy();
            let mut c = orchestrator::proto::v1::run_service_client::RunServiceClient::new(ch);
            let mut s =
                c.watch_run(pb::WatchRunRequest { run_id: id, after_seq: after }).await.expect("watch").into_inner();
            let mut got = Vec::new();
            while let Some(e) = s.message().await.expect("stream") {
                got.push(e.seq);
            }
            got
        })
    };
    let first = watch(0);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let agent = spawn_agent(app.addr, "slow", "w1", |a| {
        std::thread::sleep(Duration::from_millis(60));
        Outcome::Complete(json!({ "done": a.task_id }))
    });
    // Join mid-run, from the start and from a sequence number.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let second = watch(0);
    let resumed = watch(5);
    let first = first.await.expect("first");
    let second = second.await.expect("second");
    let resumed = resumed.await.expect("resumed");
    agent.abort();
    let all = all_events(&mut runs, &run.id).await;
    let expected: Vec<u64> = all.iter().map(|e| e.seq).collect();
    assert_eq!(expected, (1..=all.len() as u64).collect::<Vec<_>>());
    assert_eq!(first, expected, "a watcher from the start sees everything once, in order");
    assert_eq!(second, expected, "a watcher that joined mid-run sees the same sequence");
    assert_eq!(resumed, expected[5..].to_vec(), "a watcher resuming after 5 starts at 6");
    assert_eq!(all.last().map(|e| e.to_status.as_str()), Some("COMPLETED"));
    // A finished run's watch replays and ends.
    let after_end = watch(0).await.expect("after end");
    assert_eq!(after_end, expected);
    app.stop().await;
}

async fn tasks_and_attempts_are_listed(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::start(common::test_config(&db)).await;
    let mut runs = app.runs().await;
    let run =
        create_run(&mut runs, create("g", vec![task("a", "w", &[]), task("b", "w", &["a"]), task("c", "w", &["a"])]))
            .await;
    let agent =
        spawn_agent(app.addr, "w", "w1", |a| Outcome::Complete(json!({ "by": a.task_id, "inputs": a.inputs.len() })));
    let done = wait_terminal(&mut runs, &run.id, 30).await;
    agent.abort();
    assert_eq!(done.status, pb::RunStatus::Completed as i32);
    let page1 = runs
        .list_tasks(pb::ListTasksRequest { run_id: run.id.clone(), page_size: 2, ..Default::default() })
        .await
        .expect("tasks")
        .into_inner();
    assert_eq!(page1.tasks.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), vec!["a", "b"]);
    let page2 = runs
        .list_tasks(pb::ListTasksRequest {
            run_id: run.id.clone(),
            page_size: 2,
            page_token: page1.next_page_token,
            ..Default::default()
        })
        .await
        .expect("tasks")
        .into_inner();
    assert_eq!(page2.tasks.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), vec!["c"]);
    assert!(page2.next_page_token.is_empty());
    let b_task = runs
        .get_task(pb::GetTaskRequest { run_id: run.id.clone(), task_id: "b".into() })
        .await
        .expect("b")
        .into_inner();
    assert_eq!(b_task.status, pb::TaskStatus::Succeeded as i32);
    assert_eq!(b_task.attempts.len(), 1);
    assert_eq!(b_task.attempts[0].status, pb::AttemptStatus::Succeeded as i32);
    assert!(b_task.inputs.contains_key("a"), "b's input is a's output");
    // The run's output: with two sinks, an object keyed by sink id.
    let out = orchestrator::api::convert::value_to_json(&done.output.expect("output"), "o", 0).expect("json");
    assert_eq!(out, json!({ "b": { "by": "b", "inputs": 1 }, "c": { "by": "c", "inputs": 1 } }));
    let only_done = runs
        .list_tasks(pb::ListTasksRequest {
            run_id: run.id,
            statuses: vec![pb::TaskStatus::Succeeded as i32],
            ..Default::default()
        })
        .await
        .expect("filter")
        .into_inner();
    assert_eq!(only_done.tasks.len(), 3);
    app.stop().await;
}

#[tokio::test]
async fn reflection_lists_every_service_for_v1alpha_clients() {
    use tonic_reflection::pb::v1alpha::server_reflection_client::ServerReflectionClient;
    use tonic_reflection::pb::v1alpha::server_reflection_request::MessageRequest;
    use tonic_reflection::pb::v1alpha::server_reflection_response::MessageResponse;
    use tonic_reflection::pb::v1alpha::ServerReflectionRequest;
    let db = TestDb::new(Backend::Sqlite);
    let app = TestApp::start(common::test_config(&db)).await;
    let mut c = ServerReflectionClient::new(app.channel().await);
    let req = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::ListServices(String::new())),
    };
    let mut s = c.server_reflection_info(tokio_stream::iter(vec![req])).await.expect("reflection").into_inner();
    let resp = s.message().await.expect("msg").expect("response");
    let Some(MessageResponse::ListServicesResponse(list)) = resp.message_response else { panic!("unexpected answer") };
    let names: HashSet<String> = list.service.into_iter().map(|s| s.name).collect();
    for want in [
        "orchestrator.v1.RunService",
        "orchestrator.v1.CoordinatorService",
        "orchestrator.v1.VerifierService",
        "grpc.health.v1.Health",
    ] {
        assert!(names.contains(want), "{want} missing from {names:?}");
    }
    app.stop().await;
}

#[tokio::test]
async fn a_run_survives_a_restart_on_the_same_file() {
    let db = TestDb::new(Backend::Sqlite);
    let app = TestApp::start(common::test_config(&db)).await;
    let mut runs = app.runs().await;
    let run = runs.create_run(create("persist", vec![task("a", "x", &[]), task("b", "x", &["a"])])).await.expect("c");
    let run = run.into_inner().run.expect("run");
    let before = all_events(&mut runs, &run.id).await;
    app.stop().await;
    let app = TestApp::start(common::test_config(&db)).await;
    let mut runs = app.runs().await;
    let got = runs
        .get_run(pb::GetRunRequest { run_id: run.id.clone(), ..Default::default() })
        .await
        .expect("after restart")
        .into_inner();
    assert_eq!(got.status, pb::RunStatus::Executing as i32);
    assert_eq!(got.goal, "persist");
    assert_eq!(all_events(&mut runs, &run.id).await, before);
    app.stop().await;
}
