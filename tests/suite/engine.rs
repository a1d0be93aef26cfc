//! The execution engine over real gRPC: scheduling, leases, retries, crashes, scale-out.

use crate::common;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{
    all_events, create, create_run, spawn_agent, task, wait_terminal, Backend, Outcome, ServerProcess, TestApp, TestDb,
};
use orchestrator::proto::v1 as pb;
use serde_json::json;
use tonic::Code;

both_backends!(
    diamond_dag_never_exceeds_max_parallel,
    a_lost_lease_is_retried_and_the_late_completion_refused,
    a_failed_task_fails_the_run_and_retry_task_reopens_it,
    an_optional_failure_lets_dependents_run,
    pause_holds_dispatch_and_resume_continues,
    claim_next_hands_over_the_next_task_with_the_completion,
    a_timed_out_attempt_is_failed_and_a_zero_jitter_is_kept,
    each_transition_is_one_event,
);

/// One event per transition: a run of two tasks in a chain, done by one
/// agent, logs the run's creation and start, then per task its move to READY,
/// its claim (`attempt.started`, READY → RUNNING) and its completion
/// (`attempt.completed`, RUNNING → SUCCEEDED), and the run's end; nothing
/// twice.
async fn each_transition_is_one_event(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::start(common::test_config(&db)).await;
    let mut runs = app.runs().await;
    let run = create_run(&mut runs, create("chain", vec![task("a", "w", &[]), task("b", "w", &["a"])])).await;
    let agent = spawn_agent(app.addr, "w", "one", |_| Outcome::Complete(json!("ok")));
    let done = wait_terminal(&mut runs, &run.id, 30).await;
    agent.abort();
    assert_eq!(done.status, pb::RunStatus::Completed as i32, "{}", done.failure_reason);
    let log: Vec<(String, String, String, String)> = all_events(&mut runs, &run.id)
        .await
        .into_iter()
        .map(|e| (e.r#type, e.task_id, e.from_status, e.to_status))
        .collect();
    let ev = |kind: &str, task: &str, from: &str, to: &str| {
        (kind.to_string(), task.to_string(), from.to_string(), to.to_string())
    };
    let mut want = vec![ev("run.created", "", "", ""), ev("run.status_changed", "", "CREATED", "EXECUTING")];
    for t in ["a", "b"] {
        want.push(ev("task.status_changed", t, "PENDING", "READY"));
        want.push(ev("attempt.started", t, "READY", "RUNNING"));
        want.push(ev("attempt.completed", t, "RUNNING", "SUCCEEDED"));
    }
    want.push(ev("run.status_changed", "", "EXECUTING", "COMPLETED"));
    assert_eq!(log, want);
    app.stop().await;
}

fn quick_retry(max_attempts: u32, backoff_ms: i32) -> pb::RunPolicy {
    pb::RunPolicy {
        default_retry: Some(pb::RetryPolicy {
            max_attempts,
            initial_backoff: Some(prost_types::Duration { seconds: 0, nanos: backoff_ms * 1_000_000 }),
            jitter: Some(0.0001),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn json_of(v: &Option<prost_types::Value>) -> serde_json::Value {
    v.as_ref().map(|v| orchestrator::api::convert::value_to_json(v, "v", 0).expect("json")).unwrap_or_default()
}

async fn diamond_dag_never_exceeds_max_parallel(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::start(common::test_config(&db)).await;
    let mut runs = app.runs().await;
    let mut tasks = vec![task("src", "w", &[])];
    let middle: Vec<String> = (0..18).map(|i| format!("m{i}")).collect();
    for m in &middle {
        tasks.push(task(m, "w", &["src"]));
    }
    let refs: Vec<&str> = middle.iter().map(String::as_str).collect();
    tasks.push(task("sink", "w", &refs));
    let mut req = create("diamond", tasks);
    req.max_parallel = 4;
    let run = create_run(&mut runs, req).await;
    let agents: Vec<_> = (0..6)
        .map(|i| {
            spawn_agent(app.addr, "w", &format!("a{i}"), |a| {
                std::thread::sleep(Duration::from_millis(40));
                let mut keys: Vec<&String> = a.inputs.keys().collect();
                keys.sort();
                Outcome::Complete(json!({ "task": a.task_id, "inputs": keys }))
            })
        })
        .collect();
    let done = wait_terminal(&mut runs, &run.id, 60).await;
    agents.iter().for_each(|a| a.abort());
    assert_eq!(done.status, pb::RunStatus::Completed as i32, "{}", done.failure_reason);
    // Replay the log: never more than 4 attempts running at once, and more than 1 at some point.
    let (mut running, mut peak) = (0i32, 0i32);
    for e in all_events(&mut runs, &run.id).await {
        // Every event that moves a task carries both statuses (a claim's move to
        // RUNNING is its attempt.started, a completion's its attempt.completed).
        if !e.task_id.is_empty() && !e.to_status.is_empty() {
            if e.to_status == "RUNNING" {
                running += 1;
            }
            if e.from_status == "RUNNING" {
                running -= 1;
            }
            peak = peak.max(running);
        }
    }
    assert!(peak <= 4, "peak {peak} exceeds max_parallel");
    assert!(peak >= 2, "peak {peak}: the graph's width was not used");
    let out = json_of(&done.output);
    assert_eq!(out["task"], "sink");
    assert_eq!(out["inputs"].as_array().map(Vec::len), Some(18), "every dependency output arrives as an input");
    // All 18 were released by src's one completion, their inputs read together.
    for m in &middle {
        let t = runs.get_task(pb::GetTaskRequest { run_id: run.id.clone(), task_id: m.clone() }).await.expect("task");
        assert_eq!(json_of(&t.into_inner().output)["inputs"], json!(["src"]), "{m}");
    }
    app.stop().await;
}

async fn a_lost_lease_is_retried_and_the_late_completion_refused(b: Backend) {
    let db = TestDb::new(b);
    let mut config = common::test_config(&db);
    config.lease = Duration::from_millis(600);
    let app = TestApp::start(config).await;
    let mut runs = app.runs().await;
    let mut coord = app.coord().await;
    let mut req = create("survive a dead agent", vec![task("a", "w", &[])]);
    req.policy = Some(quick_retry(3, 50));
    let run = create_run(&mut runs, req).await;
    // A "dead" agent takes the task and never reports.
    let dead = coord
        .poll_task(pb::PollTaskRequest { agent: "w".into(), agent_instance: "dead".into(), ..Default::default() })
        .await
        .expect("poll")
        .into_inner()
        .assignment
        .expect("assignment");
    assert_eq!(dead.attempt, 1);
    assert!(dead.trace_context["traceparent"].contains(&run.trace_id));
    let good = spawn_agent(app.addr, "w", "alive", |_| Outcome::Complete(json!("ok")));
    let done = wait_terminal(&mut runs, &run.id, 30).await;
    good.abort();
    assert_eq!(done.status, pb::RunStatus::Completed as i32, "{}", done.failure_reason);
    let t = runs
        .get_task(pb::GetTaskRequest { run_id: run.id.clone(), task_id: "a".into() })
        .await
        .expect("task")
        .into_inner();
    let statuses: Vec<i32> = t.attempts.iter().map(|a| a.status).collect();
    assert_eq!(statuses, vec![pb::AttemptStatus::Lost as i32, pb::AttemptStatus::Succeeded as i32]);
    assert_eq!(t.attempts[0].agent_instance, "dead");
    assert_eq!(t.attempts[1].agent_instance, "alive");
    // The dead agent wakes up: its lease is stale.
    let late = coord
        .complete_task(pb::CompleteTaskRequest { lease_id: dead.lease_id.clone(), ..Default::default() })
        .await
        .expect_err("stale lease");
    assert_eq!(late.code(), Code::FailedPrecondition);
    let hb = coord.heartbeat(pb::HeartbeatRequest { lease_id: dead.lease_id.clone(), ..Default::default() }).await;
    assert_eq!(hb.expect_err("stale heartbeat").code(), Code::FailedPrecondition);
    let fail = coord.fail_task(pb::FailTaskRequest { lease_id: dead.lease_id, ..Default::default() }).await;
    assert_eq!(fail.expect_err("stale failure").code(), Code::FailedPrecondition);
    let t2 =
        runs.get_task(pb::GetTaskRequest { run_id: run.id, task_id: "a".into() }).await.expect("task").into_inner();
    assert_eq!(t2.attempts.len(), 2, "exactly one outcome per attempt");
    assert_eq!(json_of(&t2.output), json!("ok"));
    app.stop().await;
}

async fn claim_next_hands_over_the_next_task_with_the_completion(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::start(common::test_config(&db)).await;
    let mut runs = app.runs().await;
    let mut coord = app.coord().await;
    let chain = vec![task("a", "w", &[]), task("b", "w", &["a"]), task("c", "w", &["b"])];
    let mut req = create("a chain handed over", chain);
    // The run is at its limit until a's completion is recorded: the hand-over must see it freed.
    req.max_parallel = 1;
    let run = create_run(&mut runs, req).await;
    let poll = pb::PollTaskRequest { agent: "w".into(), agent_instance: "i1".into(), ..Default::default() };
    let a = coord.poll_task(poll.clone()).await.expect("poll").into_inner().assignment.expect("a is ready");
    assert_eq!(a.task_id, "a");
    let complete = |lease_id: &str, output: serde_json::Value, claim_next: bool| pb::CompleteTaskRequest {
        lease_id: lease_id.into(),
        output: Some(orchestrator::api::convert::json_to_value(&output)),
        claim_next,
        ..Default::default()
    };
    // Completing a makes b ready, and the same answer hands b over, with a's output as its input.
    let done = coord.complete_task(complete(&a.lease_id, json!("from a"), true)).await.expect("complete a");
    let done = done.into_inner();
    assert_eq!(done.task_status, pb::TaskStatus::Succeeded as i32);
    let b_task = done.next.expect("b handed over");
    assert_eq!(b_task.task_id, "b");
    assert_eq!(b_task.attempt, 1);
    assert_eq!(json_of(&b_task.inputs.get("a").cloned()), json!("from a"));
    // A stale completion asking for more gets an error and claims nothing.
    let stale = coord.complete_task(complete(&a.lease_id, json!("again"), true)).await;
    assert_eq!(stale.expect_err("stale lease").code(), Code::FailedPrecondition);
    // Without claim_next the completion claims nothing, though c is ready now.
    let done = coord.complete_task(complete(&b_task.lease_id, json!("from b"), false)).await.expect("complete b");
    assert!(done.into_inner().next.is_none());
    let c = coord.poll_task(poll).await.expect("poll").into_inner().assignment.expect("c is ready");
    assert_eq!(c.task_id, "c");
    // Nothing left: the answer has no next task, and the run is done.
    let done = coord.complete_task(complete(&c.lease_id, json!("from c"), true)).await.expect("complete c");
    assert!(done.into_inner().next.is_none());
    let finished = wait_terminal(&mut runs, &run.id, 10).await;
    assert_eq!(finished.status, pb::RunStatus::Completed as i32, "{}", finished.failure_reason);
    // b's one attempt was held by the instance that completed a.
    let t = runs.get_task(pb::GetTaskRequest { run_id: run.id, task_id: "b".into() }).await.expect("b").into_inner();
    assert_eq!(t.attempts.len(), 1);
    assert_eq!(t.attempts[0].agent_instance, "i1");
    app.stop().await;
}

async fn a_failed_task_fails_the_run_and_retry_task_reopens_it(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::start(common::test_config(&db)).await;
    let mut runs = app.runs().await;
    let mut req = create(
        "fail then retry",
        vec![
            task("a", "w", &[]),
            task("bad", "flaky", &["a"]),
            task("after", "w", &["bad"]),
            task("side", "slow", &[]),
        ],
    );
    req.policy = Some(quick_retry(2, 20));
    let run = create_run(&mut runs, req).await;
    let calls = Arc::new(Mutex::new(0u32));
    let c2 = calls.clone();
    let w = spawn_agent(app.addr, "w", "w", |a| Outcome::Complete(json!(a.task_id)));
    let flaky = spawn_agent(app.addr, "flaky", "f", move |_| {
        let mut n = c2.lock().expect("lock");
        *n += 1;
        if *n <= 2 {
            Outcome::Fail(format!("boom {n}"), true)
        } else {
            Outcome::Complete(json!("fixed"))
        }
    });
    let failed = wait_terminal(&mut runs, &run.id, 30).await;
    assert_eq!(failed.status, pb::RunStatus::Failed as i32);
    assert!(
        failed.failure_reason.contains("\"bad\"") && failed.failure_reason.contains("boom 2"),
        "{}",
        failed.failure_reason
    );
    assert_eq!(failed.task_counts.get("SKIPPED"), Some(&1), "downstream is skipped");
    assert_eq!(failed.task_counts.get("CANCELLED"), Some(&1), "an unrelated open task is cancelled");
    let bad = runs.get_task(pb::GetTaskRequest { run_id: run.id.clone(), task_id: "bad".into() }).await.expect("bad");
    assert_eq!(bad.into_inner().attempts.len(), 2, "max_attempts 2");
    let retried = runs
        .retry_task(pb::RetryTaskRequest { run_id: run.id.clone(), task_id: "bad".into() })
        .await
        .expect("retry")
        .into_inner();
    assert!(matches!(
        pb::TaskStatus::try_from(retried.status),
        Ok(pb::TaskStatus::Ready | pb::TaskStatus::Running | pb::TaskStatus::Succeeded)
    ));
    let e =
        runs.retry_task(pb::RetryTaskRequest { run_id: run.id.clone(), task_id: "a".into() }).await.expect_err("a ok");
    assert_eq!(e.code(), Code::FailedPrecondition);
    let slow = spawn_agent(app.addr, "slow", "s", |_| Outcome::Complete(json!("side")));
    let done = wait_terminal(&mut runs, &run.id, 30).await;
    for h in [w, flaky, slow] {
        h.abort();
    }
    assert_eq!(done.status, pb::RunStatus::Completed as i32, "{}", done.failure_reason);
    assert_eq!(json_of(&done.output), json!({ "after": "after", "side": "side" }));
    app.stop().await;
}

async fn an_optional_failure_lets_dependents_run(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::start(common::test_config(&db)).await;
    let mut runs = app.runs().await;
    let mut maybe = task("maybe", "broken", &[]);
    maybe.optional = true;
    let mut req = create("optional", vec![task("sure", "w", &[]), maybe, task("end", "w", &["sure", "maybe"])]);
    req.policy = Some(quick_retry(1, 10));
    let run = create_run(&mut runs, req).await;
    let w = spawn_agent(app.addr, "w", "w", |a| Outcome::Complete(json!(a.inputs.keys().cloned().collect::<Vec<_>>())));
    let broken = spawn_agent(app.addr, "broken", "b", |_| Outcome::Fail("no luck".into(), false));
    let done = wait_terminal(&mut runs, &run.id, 30).await;
    w.abort();
    broken.abort();
    assert_eq!(done.status, pb::RunStatus::Completed as i32, "{}", done.failure_reason);
    assert_eq!(json_of(&done.output), json!(["sure"]), "the optional task's output is absent");
    assert_eq!(done.task_counts.get("FAILED"), Some(&1));
    app.stop().await;
}

async fn pause_holds_dispatch_and_resume_continues(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::start(common::test_config(&db)).await;
    let mut runs = app.runs().await;
    let mut coord = app.coord().await;
    let run = create_run(
        &mut runs,
        create("pause", vec![task("a", "w", &[]), task("b", "w", &[]), task("c", "w", &["a", "b"])]),
    )
    .await;
    let held = coord
        .poll_task(pb::PollTaskRequest { agent: "w".into(), ..Default::default() })
        .await
        .expect("poll")
        .into_inner()
        .assignment
        .expect("a task");
    let paused =
        runs.pause_run(pb::PauseRunRequest { run_id: run.id.clone(), reason: "lunch".into() }).await.expect("pause");
    assert_eq!(paused.into_inner().status, pb::RunStatus::Paused as i32);
    let hb = coord
        .heartbeat(pb::HeartbeatRequest { lease_id: held.lease_id.clone(), ..Default::default() })
        .await
        .expect("heartbeat")
        .into_inner();
    assert_eq!(hb.directive, pb::AgentDirective::Pause as i32, "running attempts learn of the pause");
    let none = coord
        .poll_task(pb::PollTaskRequest {
            agent: "w".into(),
            wait: Some(prost_types::Duration { seconds: 0, nanos: 400_000_000 }),
            ..Default::default()
        })
        .await
        .expect("poll while paused")
        .into_inner();
    assert!(none.assignment.is_none(), "nothing is dispatched while paused");
    // The held attempt may still finish its work.
    coord
        .complete_task(pb::CompleteTaskRequest { lease_id: held.lease_id, ..Default::default() })
        .await
        .expect("complete while paused");
    let resumed = runs
        .resume_run(pb::ResumeRunRequest { run_id: run.id.clone(), budget: None, budget_mask: None })
        .await
        .expect("resume");
    assert_eq!(resumed.into_inner().status, pb::RunStatus::Executing as i32);
    let w = spawn_agent(app.addr, "w", "w", |_| Outcome::Complete(json!(1)));
    let done = wait_terminal(&mut runs, &run.id, 30).await;
    w.abort();
    assert_eq!(done.status, pb::RunStatus::Completed as i32);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn retry_backoff_is_within_its_bounds() {
    let db = TestDb::new(Backend::Sqlite);
    let app = TestApp::start(common::test_config(&db)).await;
    let mut runs = app.runs().await;
    let mut req = create("backoff", vec![task("a", "w", &[])]);
    req.policy = Some(pb::RunPolicy {
        default_retry: Some(pb::RetryPolicy {
            max_attempts: 3,
            initial_backoff: Some(prost_types::Duration { seconds: 0, nanos: 300_000_000 }),
            multiplier: 2.0,
            jitter: Some(0.1),
            ..Default::default()
        }),
        ..Default::default()
    });
    let run = create_run(&mut runs, req).await;
    let n = Arc::new(Mutex::new(0));
    let n2 = n.clone();
    let w = spawn_agent(app.addr, "w", "w", move |_| {
        let mut n = n2.lock().expect("lock");
        *n += 1;
        if *n < 3 {
            Outcome::Fail("again".into(), true)
        } else {
            Outcome::Complete(json!("third time"))
        }
    });
    let done = wait_terminal(&mut runs, &run.id, 30).await;
    w.abort();
    assert_eq!(done.status, pb::RunStatus::Completed as i32);
    let events = all_events(&mut runs, &run.id).await;
    let at = |e: &pb::RunEvent| e.time.as_ref().map(|t| t.seconds as f64 + t.nanos as f64 / 1e9).unwrap_or(0.0);
    let failed: Vec<f64> = events.iter().filter(|e| e.r#type == "attempt.failed").map(at).collect();
    let started: Vec<f64> = events.iter().filter(|e| e.r#type == "attempt.started").map(at).collect();
    assert_eq!((failed.len(), started.len()), (2, 3));
    for (i, base) in [(0usize, 0.3f64), (1, 0.6)] {
        let gap = started[i + 1] - failed[i];
        assert!(gap >= base * 0.9 - 0.005, "retry {i} came after {gap:.3}s, before its backoff {base}s");
        assert!(gap <= base * 1.1 + 0.5, "retry {i} came after {gap:.3}s, long after its backoff {base}s");
    }
    let bad = runs.get_task(pb::GetTaskRequest { run_id: run.id, task_id: "a".into() }).await.expect("t").into_inner();
    assert_eq!(bad.attempt_count, 3);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn cancel_kills_the_running_command_process() {
    let db = TestDb::new(Backend::Sqlite);
    let dir = tempfile::tempdir().expect("dir");
    let policy = format!(
        "agents:\n  - name: sleeper\n    executor: command\n    command: [python3, tests/fixtures/sleeper.py]\n    env: {{PID_DIR: {}}}\n    concurrency: 2\n",
        dir.path().display()
    );
    let app = TestApp::with_policy(&db, &policy).await;
    let mut runs = app.runs().await;
    let run = runs
        .create_run(create("sleep", vec![task("z", "sleeper", &[])]))
        .await
        .expect("create")
        .into_inner()
        .run
        .expect("r");
    let pid_file = dir.path().join("z.pid");
    let mut pid = None;
    for _ in 0..200 {
        if let Ok(s) = std::fs::read_to_string(&pid_file) {
            pid = s.trim().parse::<u32>().ok();
            if pid.is_some() {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let pid = pid.expect("the command started");
    let alive = |pid: u32| {
        std::path::Path::new(&format!("/proc/{pid}")).exists()
            && !std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default().contains(") Z ")
    };
    assert!(alive(pid));
    runs.cancel_run(pb::CancelRunRequest { run_id: run.id.clone(), reason: "stop".into() }).await.expect("cancel");
    let mut gone = false;
    for _ in 0..100 {
        if !alive(pid) {
            gone = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(gone, "the command process {pid} was not killed on cancel");
    let t = runs.get_task(pb::GetTaskRequest { run_id: run.id, task_id: "z".into() }).await.expect("task").into_inner();
    assert_eq!(t.status, pb::TaskStatus::Cancelled as i32);
    assert_eq!(t.attempts[0].status, pb::AttemptStatus::Cancelled as i32);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn command_agents_run_real_processes_and_keep_stderr() {
    let db = TestDb::new(Backend::Sqlite);
    let policy = "agents:\n  - name: text\n    executor: command\n    command: [python3, examples/agents/text_tool.py]\n  - name: broken\n    executor: command\n    command: [python3, examples/agents/text_tool.py]\n";
    let app = TestApp::with_policy(&db, policy).await;
    let mut runs = app.runs().await;
    let mut words = task("w", "text", &[]);
    words.metadata = Some(orchestrator::api::convert::json_to_struct(
        json!({"op": "words", "text": "b a b"}).as_object().expect("obj"),
    ));
    let mut count = task("c", "text", &["w"]);
    count.metadata = Some(orchestrator::api::convert::json_to_struct(json!({"op": "count"}).as_object().expect("obj")));
    let run = create_run(&mut runs, create("count", vec![words, count])).await;
    let done = wait_terminal(&mut runs, &run.id, 30).await;
    assert_eq!(done.status, pb::RunStatus::Completed as i32, "{}", done.failure_reason);
    assert_eq!(json_of(&done.output), json!({"counts": {"a": 1, "b": 2}, "total": 3}));
    assert_eq!(done.usage.expect("usage").tool_calls, 2, "usage reported on stdout is charged");
    let events = all_events(&mut runs, &run.id).await;
    assert!(events.iter().any(|e| e.r#type == "attempt.output" && e.message.contains("words: done")), "stderr kept");
    // A failing program: retried, then the run fails with its stderr in the reason.
    let mut fail = task("f", "broken", &[]);
    fail.metadata = Some(orchestrator::api::convert::json_to_struct(json!({"op": "fail"}).as_object().expect("obj")));
    let mut req = create("fail", vec![fail]);
    req.policy = Some(quick_retry(2, 10));
    let run = create_run(&mut runs, req).await;
    let done = wait_terminal(&mut runs, &run.id, 30).await;
    assert_eq!(done.status, pb::RunStatus::Failed as i32);
    assert!(done.failure_reason.contains("failing on purpose"), "{}", done.failure_reason);
    // Unknown agents are refused when the policy names its agents.
    let e = runs.create_run(create("x", vec![task("a", "ghost", &[])])).await.expect_err("unknown agent");
    assert_eq!(common::violations(&e), vec!["plan.tasks[0].agent"]);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_server_killed_mid_run_recovers_every_task_exactly_once() {
    let db = TestDb::new(Backend::Sqlite);
    let dir = tempfile::tempdir().expect("dir");
    let log = dir.path().join("server.log");
    let policy = dir.path().join("policy.yaml");
    std::fs::write(
        &policy,
        // A policy file's relative paths are its directory's: this one lives elsewhere.
        format!(
            "agents:\n  - name: text\n    executor: command\n    command: [python3, {}/examples/agents/text_tool.py]\n    concurrency: 4\n",
            env!("CARGO_MANIFEST_DIR")
        ),
    )
    .expect("policy");
    let lease = ["--lease", "1500ms"];
    let mut server = ServerProcess::start(&db.raw_url, Some(&policy), &lease, &log).await;
    let mut runs = server.runs();
    let mut tasks = Vec::new();
    for i in 0..50 {
        let deps: Vec<String> = if i >= 10 { vec![format!("t{}", i - 10)] } else { vec![] };
        let refs: Vec<&str> = deps.iter().map(String::as_str).collect();
        let mut t = task(&format!("t{i}"), "text", &refs);
        t.metadata = Some(orchestrator::api::convert::json_to_struct(
            json!({"op": "echo", "sleep": 0.05}).as_object().expect("o"),
        ));
        tasks.push(t);
    }
    let mut req = create("crash test", tasks);
    req.max_parallel = 4;
    req.policy = Some(quick_retry(5, 50));
    let run = create_run(&mut runs, req).await;
    // Let it get going, then pull the plug.
    loop {
        let r = runs
            .get_run(pb::GetRunRequest { run_id: run.id.clone(), ..Default::default() })
            .await
            .expect("get")
            .into_inner();
        if r.task_counts.get("SUCCEEDED").copied().unwrap_or(0) >= 12 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.kill();
    let server = ServerProcess::start(&db.raw_url, Some(&policy), &lease, &log).await;
    let mut runs = server.runs();
    let done = wait_terminal(&mut runs, &run.id, 120).await;
    assert_eq!(done.status, pb::RunStatus::Completed as i32, "{}", done.failure_reason);
    for i in 0..50 {
        let t = runs
            .get_task(pb::GetTaskRequest { run_id: run.id.clone(), task_id: format!("t{i}") })
            .await
            .expect("task")
            .into_inner();
        let ok = t.attempts.iter().filter(|a| a.status == pb::AttemptStatus::Succeeded as i32).count();
        assert_eq!(ok, 1, "task t{i} has {ok} successful attempts");
    }
    let events = all_events(&mut runs, &run.id).await;
    let seqs: Vec<u64> = events.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=events.len() as u64).collect::<Vec<_>>(), "no sequence gap");
    assert_eq!(events.iter().filter(|e| e.to_status == "COMPLETED").count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_on_one_postgres_never_dispatch_an_attempt_twice() {
    let db = TestDb::new(Backend::Postgres);
    let dir = tempfile::tempdir().expect("dir");
    let log = dir.path().join("servers.log");
    let a = ServerProcess::start(&db.raw_url, None, &[], &log).await;
    let b = ServerProcess::start(&db.raw_url, None, &[], &log).await;
    let received: Arc<Mutex<Vec<(String, u32, String)>>> = Arc::default();
    let mut agents = Vec::new();
    for (i, server) in [&a, &b, &a, &b].iter().enumerate() {
        let r = received.clone();
        let name = format!("agent{i}");
        let n2 = name.clone();
        agents.push(spawn_agent(server.addr, "w", &name, move |x| {
            r.lock().expect("lock").push((x.task_id.clone(), x.attempt, n2.clone()));
            std::thread::sleep(Duration::from_millis(2));
            Outcome::Complete(json!(x.task_id))
        }));
    }
    let mut runs = a.runs();
    let tasks: Vec<pb::TaskSpec> = (0..200).map(|i| task(&format!("t{i}"), "w", &[])).collect();
    let mut req = create("scale out", tasks);
    req.max_parallel = 16;
    let run = create_run(&mut runs, req).await;
    let done = wait_terminal(&mut runs, &run.id, 120).await;
    agents.iter().for_each(|h| h.abort());
    assert_eq!(done.status, pb::RunStatus::Completed as i32, "{}", done.failure_reason);
    let got = received.lock().expect("lock").clone();
    let mut seen = HashSet::new();
    for (t, n, _) in &got {
        assert!(seen.insert((t.clone(), *n)), "attempt {n} of {t} was handed out twice");
    }
    assert_eq!(got.len(), 200, "every task dispatched once");
    let per_agent: HashMap<&str, usize> = got.iter().fold(HashMap::new(), |mut m, (_, _, a)| {
        *m.entry(a.as_str()).or_default() += 1;
        m
    });
    assert!(per_agent.len() >= 3, "agents on both replicas were served: {per_agent:?}");
    // Watch through the other replica: the log is the same.
    let mut other = b.runs();
    let via_b = all_events(&mut other, &run.id).await;
    assert_eq!(via_b.len() as u64, done.last_event_seq);
}

/// A timeout is the attempt's failure (FAILED and `attempt.failed`, as the
/// contract says), not a lost lease; and `jitter: 0` means no jitter (proto3
/// would read a plain 0 as unset), so the backoff is exactly the one asked for.
async fn a_timed_out_attempt_is_failed_and_a_zero_jitter_is_kept(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::start(common::test_config(&db)).await;
    let mut runs = app.runs().await;
    let mut coord = app.coord().await;
    let mut t = task("slow", "w", &[]);
    t.timeout = Some(prost_types::Duration { seconds: 0, nanos: 300_000_000 });
    t.retry = Some(pb::RetryPolicy {
        max_attempts: 2,
        initial_backoff: Some(prost_types::Duration { seconds: 0, nanos: 250_000_000 }),
        jitter: Some(0.0),
        ..Default::default()
    });
    let run = create_run(&mut runs, create("times out", vec![t])).await;
    let stored = runs
        .get_task(pb::GetTaskRequest { run_id: run.id.clone(), task_id: "slow".into() })
        .await
        .expect("task")
        .into_inner();
    assert_eq!(stored.spec.and_then(|s| s.retry).and_then(|r| r.jitter), Some(0.0), "jitter 0 is kept as asked");
    // An agent takes it and keeps silent past the timeout, twice.
    for _ in 0..2 {
        loop {
            let a = coord
                .poll_task(pb::PollTaskRequest {
                    agent: "w".into(),
                    agent_instance: "mute".into(),
                    wait: Some(prost_types::Duration { seconds: 5, nanos: 0 }),
                    ..Default::default()
                })
                .await
                .expect("poll")
                .into_inner();
            if a.assignment.is_some() {
                break;
            }
        }
    }
    let done = wait_terminal(&mut runs, &run.id, 30).await;
    assert_eq!(done.status, pb::RunStatus::Failed as i32);
    let t = runs
        .get_task(pb::GetTaskRequest { run_id: run.id.clone(), task_id: "slow".into() })
        .await
        .expect("task")
        .into_inner();
    let statuses: Vec<i32> = t.attempts.iter().map(|a| a.status).collect();
    assert_eq!(statuses, vec![pb::AttemptStatus::Failed as i32; 2]);
    assert!(t.attempts.iter().all(|a| a.error.contains("timed out after 300 ms")), "{:?}", t.attempts);
    let events = all_events(&mut runs, &run.id).await;
    assert_eq!(events.iter().filter(|e| e.r#type == "attempt.failed").count(), 2);
    assert_eq!(events.iter().filter(|e| e.r#type == "attempt.lost").count(), 0);
    let retry = events.iter().find(|e| e.to_status == "RETRY_SCHEDULED").expect("a retry was scheduled");
    assert_eq!(retry.message, "retry in 250 ms", "no jitter: the backoff is exactly the initial one");
    app.stop().await;
}
