//! Hostile input: what any caller allowed to validate a plan, verify an
//! output or create a run (a viewer key is enough for the first two) can
//! send must be bounded before it is evaluated, must never crash or stall
//! the server, and must not leave memory behind when the call ends.

use crate::common;

use std::time::Duration;

use common::{create, create_run, task, test_config, violations, wait_terminal, Backend, Outcome, TestApp, TestDb};
use orchestrator::api::convert::{json_to_struct, json_to_value};
use orchestrator::proto::v1 as pb;
use orchestrator::proto::v1::coordinator_service_client::CoordinatorServiceClient;
use orchestrator::proto::v1::verifier_service_client::VerifierServiceClient;
use serde_json::{json, Value};
use tonic::Code;

fn criterion(kind: &str, params: Value) -> pb::Criterion {
    pb::Criterion { kind: kind.into(), params: params.as_object().map(json_to_struct), ..Default::default() }
}

fn json_path(path: &str) -> pb::Criterion {
    criterion("json_path_equals", json!({ "path": path, "value": 1 }))
}

async fn healthy(app: &TestApp) {
    let mut h = tonic_health::pb::health_client::HealthClient::new(app.channel().await);
    tokio::time::timeout(Duration::from_secs(5), h.check(tonic_health::pb::HealthCheckRequest::default()))
        .await
        .expect("the health check is answered while hostile calls run")
        .expect("serving");
}

/// A server whose output limit is 64 KiB (and `message_bytes` its message size).
async fn small_limits_app(db: &TestDb, message_bytes: Option<usize>) -> TestApp {
    let mut config = test_config(db);
    config.limits.max_output_bytes = 64 * 1024;
    if let Some(m) = message_bytes {
        config.limits.max_message_bytes = m;
    }
    TestApp::start(config).await
}

/// Creates a run, has agent `w` answer every task with `answer`, and returns the run once it ended.
async fn run_answering(app: &TestApp, req: pb::CreateRunRequest, answer: Value) -> pb::Run {
    let mut runs = app.runs().await;
    let run = create_run(&mut runs, req).await;
    let agent = common::spawn_agent(app.addr, "w", "a", move |_| Outcome::Complete(answer.clone()));
    let done = wait_terminal(&mut runs, &run.id, 60).await;
    agent.abort();
    done
}

/// `$[?((((…@))))]`: parentheses nested `n` deep.
fn nested_parens(n: usize) -> String {
    format!("$[?{}@{}]", "(".repeat(n), ")".repeat(n))
}

/// `$[?@[?@…]]`: filters nested `n` deep (the parser backtracks: exponential).
fn nested_filters(n: usize) -> String {
    format!("${}{}", "[?@".repeat(n), "]".repeat(n))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn deeply_nested_json_paths_are_refused_everywhere_before_parsing() {
    let db = TestDb::new(Backend::Sqlite);
    let app = TestApp::start(test_config(&db)).await;
    let mut coord = CoordinatorServiceClient::new(app.channel().await);
    let mut verifier = VerifierServiceClient::new(app.channel().await);
    let mut runs = app.runs().await;
    for path in [nested_parens(1_000), nested_filters(400), nested_filters(22), nested_filters(9)] {
        let mut t = task("a", "w", &[]);
        t.criteria = vec![json_path(&path)];
        let e = coord
            .validate_plan(pb::ValidatePlanRequest { plan: Some(pb::Plan { tasks: vec![t.clone()] }) })
            .await
            .expect_err("refused");
        assert_eq!(e.code(), Code::InvalidArgument, "{}", e.message());
        assert_eq!(violations(&e), vec!["plan.tasks[0].criteria[0].params.path"], "{}", e.message());
        let e = verifier
            .verify(pb::VerifyRequest {
                output: Some(json_to_value(&json!({"a": 1}))),
                criteria: vec![json_path(&path)],
            })
            .await
            .expect_err("refused");
        assert_eq!(violations(&e), vec!["criteria[0].params.path"], "{}", e.message());
        let e = runs.create_run(create("nested", vec![t])).await.expect_err("refused");
        assert_eq!(violations(&e), vec!["plan.tasks[0].criteria[0].params.path"], "{}", e.message());
        healthy(&app).await;
    }
    // Within the bound, filters still work.
    let ok = verifier
        .verify(pb::VerifyRequest {
            output: Some(json_to_value(&json!({"items": [{"n": 1, "tags": [{"k": "x"}]}]}))),
            criteria: vec![criterion(
                "json_path_equals",
                json!({"path": "$.items[?@.tags[?@.k == 'x']].n", "value": 1}),
            )],
        })
        .await
        .expect("verify")
        .into_inner();
    assert!(ok.verdict.expect("verdict").passed);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn slow_regex_criteria_run_off_the_runtime_within_their_deadline() {
    let db = TestDb::new(Backend::Sqlite);
    let app = TestApp::start(test_config(&db)).await;
    let pattern = "[01]*1[01]{200}[^01]";
    // Random bits: the lazy DFA of `[01]{200}` cannot settle on a few states.
    let mut rng = fastrand::Rng::with_seed(14);
    let zeros_and_ones: String = (0..256 * 1024).map(|_| if rng.bool() { '1' } else { '0' }).collect();
    let hostile = || pb::VerifyRequest {
        output: Some(json_to_value(&json!(zeros_and_ones))),
        criteria: (0..32).map(|_| criterion("regex", json!({ "pattern": pattern }))).collect(),
    };
    let mut calls = Vec::new();
    for _ in 0..6 {
        let mut v = VerifierServiceClient::new(app.channel().await);
        let req = hostile();
        calls.push(tokio::spawn(async move { v.verify(req).await }));
    }
    // Other RPCs are answered meanwhile.
    healthy(&app).await;
    let mut runs = app.runs().await;
    let run = create_run(&mut runs, create("meanwhile", vec![task("a", "w", &[])])).await;
    assert!(!run.id.is_empty());
    let mut verdicts = 0;
    for call in calls {
        let answer = tokio::time::timeout(Duration::from_secs(60), call)
            .await
            .expect("every Verify ends soon after its deadline")
            .expect("join");
        // Two run at once; a call that waited 10 s for a slot is told to retry.
        let answer = match answer {
            Ok(a) => a.into_inner(),
            Err(e) => {
                assert_eq!(e.code(), Code::Unavailable, "{}", e.message());
                assert!(e.message().contains("verifier is busy"), "{}", e.message());
                continue;
            }
        };
        verdicts += 1;
        let verdict = answer.verdict.expect("verdict");
        assert_eq!(verdict.results.len(), 32);
        for r in &verdict.results {
            assert!(
                r.reason.contains("does not match") || r.reason.contains("not evaluated: the criteria took longer"),
                "{}",
                r.reason
            );
        }
    }
    assert!(verdicts >= 2, "the first calls got their verdicts");
    // Past the input cap, the criterion fails with that reason instead of running.
    let long: String = "0".repeat(1024 * 1024);
    let mut v = VerifierServiceClient::new(app.channel().await);
    let answer = v
        .verify(pb::VerifyRequest {
            output: Some(json_to_value(&json!(long))),
            criteria: vec![criterion("regex", json!({ "pattern": pattern }))],
        })
        .await
        .expect("verify")
        .into_inner();
    let r = &answer.verdict.expect("verdict").results[0];
    assert!(!r.passed);
    assert!(r.reason.contains("more than the 262144 a regex criterion reads"), "{}", r.reason);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn watching_or_polling_what_does_not_exist_leaves_nothing_behind() {
    let db = TestDb::new(Backend::Sqlite);
    let config = test_config(&db);
    let store = orchestrator::engine::open_store(&config).await.expect("store");
    let engine = orchestrator::engine::Engine::new(store, std::sync::Arc::new(config));
    for i in 0..2_000 {
        let e = engine.watch_run("default", &format!("run_missing{i}"), 0).await.expect_err("no such run");
        assert!(matches!(e, orchestrator::Error::NotFound(_)), "{e:?}");
    }
    for i in 0..500 {
        let none = engine
            .poll_task(Some("default"), &format!("agent-{i}"), "i", Duration::from_millis(1))
            .await
            .expect("poll");
        assert!(none.is_none());
    }
    assert_eq!(engine.store().hub().sizes(), (0, 0), "hub entries left by calls that ended");
    engine.stop_executors();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn aggregates_over_aggregates_stop_at_the_output_limit() {
    let db = TestDb::new(Backend::Sqlite);
    let app = small_limits_app(&db, None).await;
    let mut runs = app.runs().await;
    // Each aggregate depends on the root and on every earlier aggregate: the
    // data would double at each level.
    let mut tasks = vec![task("root", "w", &[])];
    for i in 0..16 {
        let mut deps = vec!["root".to_string()];
        deps.extend((0..i).map(|j| format!("agg{j}")));
        let mut t = task(&format!("agg{i}"), "", &deps.iter().map(String::as_str).collect::<Vec<_>>());
        t.kind = pb::TaskKind::Aggregate as i32;
        tasks.push(t);
    }
    let done = run_answering(&app, create("doubling", tasks), json!("x".repeat(4 * 1024))).await;
    assert_eq!(done.status, pb::RunStatus::Failed as i32);
    assert!(done.failure_reason.contains("more than the limit of 65536 bytes"), "{}", done.failure_reason);
    // Every read of the workspace still answers.
    let tasks = runs
        .list_tasks(pb::ListTasksRequest { run_id: done.id.clone(), ..Default::default() })
        .await
        .expect("list tasks")
        .into_inner()
        .tasks;
    for t in &tasks {
        let out = t.output.as_ref().map(|o| {
            serde_json::to_string(&orchestrator::api::convert::value_to_json(o, "o", 0).expect("json")).expect("text")
        });
        assert!(
            out.as_ref().is_none_or(|o| o.len() <= 64 * 1024),
            "task {} stored {} bytes",
            t.id,
            out.map_or(0, |o| o.len())
        );
        runs.get_task(pb::GetTaskRequest { run_id: done.id.clone(), task_id: t.id.clone() }).await.expect("get task");
    }
    runs.get_run(pb::GetRunRequest { run_id: done.id.clone(), ..Default::default() }).await.expect("get run");
    runs.list_runs(pb::ListRunsRequest::default()).await.expect("list runs");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn list_runs_leaves_plans_out_and_ends_pages_at_the_message_size() {
    let db = TestDb::new(Backend::Sqlite);
    let app = TestApp::start(test_config(&db)).await;
    let mut runs = app.runs().await;
    // Five runs with plans of about 1.5 MiB each: 24 tasks of 64 KiB instructions.
    let mut ids = Vec::new();
    for r in 0..5 {
        let tasks = (0..24)
            .map(|i| pb::TaskSpec { instructions: "i".repeat(64 * 1024 - 16), ..task(&format!("t{i}"), "w", &[]) })
            .collect();
        ids.push(create_run(&mut runs, create(&format!("big {r}"), tasks)).await.id);
    }
    let basic = runs.list_runs(pb::ListRunsRequest::default()).await.expect("the default listing").into_inner();
    assert_eq!(basic.runs.len(), 5);
    assert!(basic.runs.iter().all(|r| r.plan.is_none()), "plans are left out by default");
    assert!(basic.next_page_token.is_empty());
    // With plans, pages end at the message size; following them lists every run once.
    let mut seen = Vec::new();
    let mut token = String::new();
    for _ in 0..10 {
        let page = runs
            .list_runs(pb::ListRunsRequest {
                view: pb::RunView::Full as i32,
                page_token: token.clone(),
                ..Default::default()
            })
            .await
            .expect("a full page within the message size")
            .into_inner();
        assert!(!page.runs.is_empty());
        assert!(page.runs.iter().all(|r| r.plan.as_ref().is_some_and(|p| p.tasks.len() == 24)));
        seen.extend(page.runs.into_iter().map(|r| r.id));
        token = page.next_page_token;
        if token.is_empty() {
            break;
        }
    }
    ids.reverse();
    assert_eq!(seen, ids, "newest first, each run once");
    let one = runs
        .get_run(pb::GetRunRequest { run_id: ids[0].clone(), view: pb::RunView::Basic as i32 })
        .await
        .expect("get")
        .into_inner();
    assert!(one.plan.is_none());
    let full = runs.get_run(pb::GetRunRequest { run_id: ids[0].clone(), ..Default::default() }).await.expect("get");
    assert!(full.into_inner().plan.is_some(), "GetRun shows the plan by default");
    let e = runs.list_runs(pb::ListRunsRequest { view: 9, ..Default::default() }).await.expect_err("bad view");
    assert_eq!(violations(&e), vec!["view"]);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_runs_default_retry_and_tool_list_are_bounded_like_a_tasks() {
    let db = TestDb::new(Backend::Sqlite);
    let app = TestApp::start(test_config(&db)).await;
    let mut runs = app.runs().await;
    let mut req = create("policy", vec![task("a", "w", &[])]);
    req.policy = Some(pb::RunPolicy {
        default_retry: Some(pb::RetryPolicy {
            max_attempts: u32::MAX,
            multiplier: 0.5,
            jitter: Some(5.0),
            ..Default::default()
        }),
        ..Default::default()
    });
    let e = runs.create_run(req).await.expect_err("refused");
    let mut fields = violations(&e);
    fields.sort();
    assert_eq!(
        fields,
        vec!["policy.default_retry.jitter", "policy.default_retry.max_attempts", "policy.default_retry.multiplier"],
        "{}",
        e.message()
    );
    let mut req = create("tools", vec![task("a", "w", &[])]);
    req.policy =
        Some(pb::RunPolicy { tools_denied: (0..100_000).map(|i| format!("t{i}")).collect(), ..Default::default() });
    let e = runs.create_run(req).await.expect_err("refused");
    assert_eq!(violations(&e), vec!["policy.tools_denied"]);
    // JSON nesting: the limit the README names answers with a field violation.
    let nested = |depth: usize| {
        let mut v = json!(1);
        for _ in 0..depth {
            v = json!({ "x": v });
        }
        v
    };
    let mut ok = create("deep but fine", vec![task("a", "w", &[])]);
    ok.context = nested(23).as_object().map(json_to_struct);
    create_run(&mut runs, ok).await;
    let mut deep = create("too deep", vec![task("a", "w", &[])]);
    deep.context = nested(26).as_object().map(json_to_struct);
    let e = runs.create_run(deep).await.expect_err("refused");
    assert_eq!(e.code(), Code::InvalidArgument, "{}", e.message());
    assert!(e.message().contains("nested deeper than 24 levels"), "{}", e.message());
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_run_whose_final_outputs_together_pass_the_limit_fails_with_that_reason() {
    let db = TestDb::new(Backend::Sqlite);
    let app = small_limits_app(&db, None).await;
    // Forty final tasks of 4 KiB each: the run's output would be 160 KiB.
    let tasks = (0..40).map(|i| task(&format!("t{i}"), "w", &[])).collect();
    let done = run_answering(&app, create("wide", tasks), json!("y".repeat(4 * 1024))).await;
    assert_eq!(done.status, pb::RunStatus::Failed as i32);
    assert!(
        done.failure_reason.contains("the run's output (the outputs of its 40 final tasks together)"),
        "{}",
        done.failure_reason
    );
    assert!(done.output.is_none());
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_task_failed_at_the_limit_leaves_nothing_of_its_run_running() {
    let db = TestDb::new(Backend::Sqlite);
    let app = small_limits_app(&db, None).await;
    let mut runs = app.runs().await;
    // When `r` completes, `big` (inputs 80 KiB: over the limit) fails the run, and
    // `next`, released by the same completion, must stay cancelled.
    let mut big = task("big", "", &["r2", "r"]);
    big.kind = pb::TaskKind::Aggregate as i32;
    let mut req = create("stale", vec![task("r2", "w", &[]), task("r", "w", &[]), big, task("next", "w", &["r"])]);
    req.max_parallel = 1;
    let done = run_answering(&app, req, json!("z".repeat(40 * 1024))).await;
    assert_eq!(done.status, pb::RunStatus::Failed as i32, "{}", done.failure_reason);
    let tasks = runs
        .list_tasks(pb::ListTasksRequest { run_id: done.id.clone(), ..Default::default() })
        .await
        .expect("tasks")
        .into_inner()
        .tasks;
    let status = |id: &str| tasks.iter().find(|t| t.id == id).map(|t| t.status).expect("task");
    assert_eq!(status("big"), pb::TaskStatus::Failed as i32);
    assert_eq!(status("next"), pb::TaskStatus::Cancelled as i32, "a task of a failed run was readied");
    // The terminal status change is the log's last word.
    let events = common::all_events(&mut runs, &done.id).await;
    let last = events.last().expect("events");
    assert_eq!((last.r#type.as_str(), last.to_status.as_str()), ("run.status_changed", "FAILED"), "{events:?}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn get_task_leaves_older_attempts_outputs_out_past_the_message_size() {
    let db = TestDb::new(Backend::Sqlite);
    let app = small_limits_app(&db, Some(256 * 1024)).await;
    let mut runs = app.runs().await;
    // Every answer fails its criterion: six attempts of 60 KiB each.
    let mut t = task("a", "w", &[]);
    t.criteria = vec![criterion("contains", json!({"value": "never"}))];
    t.retry = Some(pb::RetryPolicy {
        max_attempts: 6,
        initial_backoff: Some(prost_types::Duration { seconds: 0, nanos: 10_000_000 }),
        ..Default::default()
    });
    let done = run_answering(&app, create("retried", vec![t]), json!("q".repeat(60 * 1024))).await;
    assert_eq!(done.status, pb::RunStatus::Failed as i32);
    let t = runs
        .get_task(pb::GetTaskRequest { run_id: done.id.clone(), task_id: "a".into() })
        .await
        .expect("the task within the message size")
        .into_inner();
    assert_eq!(t.attempts.len(), 6);
    assert!(t.attempts.last().is_some_and(|a| a.output.is_some()), "the newest attempt keeps its output");
    assert!(t.attempts[0].output.is_none(), "the oldest gives way");
    app.stop().await;
}
