//! The batched agent protocol over real gRPC, on both backends: PollTask's
//! `max_tasks`, CompleteTask's `max_next`, and CompleteTasks, each lease still
//! fenced and ending exactly once.

use crate::common;

use std::collections::HashSet;

use common::{create, create_run, task, wait_terminal, Backend, TestApp, TestDb};
use orchestrator::api::convert::json_to_value;
use orchestrator::proto::v1 as pb;
use serde_json::json;
use tonic::Code;

both_backends!(
    poll_task_hands_out_up_to_max_tasks_within_the_runs_limit,
    complete_tasks_records_each_lease_once_and_refuses_bad_ones_alone,
    complete_tasks_and_complete_task_hand_over_up_to_max_next,
    malformed_batches_are_refused_as_a_whole,
    a_batch_stops_claiming_at_the_message_size_limit,
    a_batch_over_several_runs_verifies_and_then_hands_over_nothing,
    a_batch_that_fills_a_run_goes_on_in_other_runs,
);

fn poll(agent: &str, max_tasks: u32) -> pb::PollTaskRequest {
    pb::PollTaskRequest { agent: agent.into(), agent_instance: "batcher".into(), max_tasks, ..Default::default() }
}

fn done(lease_id: &str, output: serde_json::Value) -> pb::CompleteTaskRequest {
    pb::CompleteTaskRequest { lease_id: lease_id.into(), output: Some(json_to_value(&output)), ..Default::default() }
}

async fn poll_task_hands_out_up_to_max_tasks_within_the_runs_limit(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::start(common::test_config(&db)).await;
    let mut runs = app.runs().await;
    let mut coord = app.coord().await;
    let tasks = (0..5).map(|i| task(&format!("t{i}"), "w", &[])).collect();
    let mut req = create("five at once", tasks);
    req.max_parallel = 3;
    let run = create_run(&mut runs, req).await;
    let got = coord.poll_task(poll("w", 10)).await.expect("poll").into_inner();
    // max_parallel 3 caps the batch of 10.
    assert_eq!(got.assignments.len(), 3, "{:?}", got.assignments);
    assert!(got.assignment.is_none(), "a batch is `assignments` alone, with no copy of its first");
    let tasks: HashSet<_> = got.assignments.iter().map(|a| a.task_id.clone()).collect();
    let leases: HashSet<_> = got.assignments.iter().map(|a| a.lease_id.clone()).collect();
    assert_eq!((tasks.len(), leases.len()), (3, 3), "three tasks, three leases");
    // The run is at its limit: nothing more now.
    let more = coord.poll_task(poll("w", 10)).await.expect("poll").into_inner();
    assert!(more.assignments.is_empty() && more.assignment.is_none(), "{more:?}");
    // One task per call as before when max_tasks is unset.
    coord.complete_task(done(&got.assignments[0].lease_id, json!(0))).await.expect("complete");
    let one = coord.poll_task(poll("w", 0)).await.expect("poll").into_inner();
    assert!(one.assignment.is_some() && one.assignments.is_empty(), "{one:?}");
    let t = runs.get_task(pb::GetTaskRequest { run_id: run.id.clone(), task_id: got.assignments[1].task_id.clone() });
    let t = t.await.expect("task").into_inner();
    assert_eq!(t.status, pb::TaskStatus::Running as i32);
    assert_eq!(t.attempts.len(), 1);
    assert_eq!(t.attempts[0].agent_instance, "batcher");
    let too_many = coord.poll_task(poll("w", 65)).await.expect_err("65 tasks");
    assert_eq!(too_many.code(), Code::InvalidArgument);
    assert!(too_many.message().contains("max_tasks"), "{}", too_many.message());
    app.stop().await;
}

async fn complete_tasks_records_each_lease_once_and_refuses_bad_ones_alone(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::start(common::test_config(&db)).await;
    let mut runs = app.runs().await;
    let mut coord = app.coord().await;
    let tasks = (0..4).map(|i| task(&format!("t{i}"), "w", &[])).collect();
    let run = create_run(&mut runs, create("four in one batch", tasks)).await;
    let mut got = coord.poll_task(poll("w", 4)).await.expect("poll").into_inner().assignments;
    got.sort_by(|a, b| a.task_id.cmp(&b.task_id));
    assert_eq!(got.len(), 4);
    // t0 is completed alone first: in the batch its lease is stale.
    coord.complete_task(done(&got[0].lease_id, json!("alone"))).await.expect("complete t0");
    let mut bad_usage = done(&got[2].lease_id, json!("t2"));
    bad_usage.usage = Some(pb::Usage { cost_usd: -1.0, ..Default::default() });
    let batch = pb::CompleteTasksRequest {
        completions: vec![
            done(&got[0].lease_id, json!("again")),
            done(&got[1].lease_id, json!("t1")),
            bad_usage,
            done(&got[3].lease_id, json!({"t": 3})),
        ],
        ..Default::default()
    };
    let answer = coord.complete_tasks(batch).await.expect("the batch").into_inner();
    let codes: Vec<i32> = answer.results.iter().map(|r| r.code).collect();
    let (ok, fp, inv) = (Code::Ok as i32, Code::FailedPrecondition as i32, Code::InvalidArgument as i32);
    assert_eq!(codes, vec![fp, ok, inv, ok], "{:?}", answer.results);
    assert!(answer.results[0].message.contains("lease"), "{}", answer.results[0].message);
    assert!(answer.results[2].message.contains("cost_usd"), "{}", answer.results[2].message);
    let leases: Vec<&str> = answer.results.iter().map(|r| r.lease_id.as_str()).collect();
    assert_eq!(leases, got.iter().map(|a| a.lease_id.as_str()).collect::<Vec<_>>(), "results in request order");
    assert_eq!(answer.results[1].task_status, pb::TaskStatus::Succeeded as i32);
    assert!(answer.next_tasks.is_empty(), "no claim_next, nothing handed over");
    // Exactly one outcome per attempt: t0 kept its first output, t2 still runs.
    let output = |task_id: &str| {
        let mut runs = runs.clone();
        let id = run.id.clone();
        let task_id = task_id.to_string();
        async move { runs.get_task(pb::GetTaskRequest { run_id: id, task_id }).await.expect("task").into_inner() }
    };
    let t0 = output("t0").await;
    assert_eq!(t0.attempts.len(), 1);
    assert_eq!(
        t0.output.as_ref().map(|v| orchestrator::api::convert::value_to_json(v, "o", 0).expect("json")),
        Some(json!("alone"))
    );
    assert_eq!(output("t2").await.status, pb::TaskStatus::Running as i32, "its completion was refused alone");
    assert_eq!(output("t3").await.status, pb::TaskStatus::Succeeded as i32);
    // The refused one completes on its own later, and the run ends.
    coord.complete_task(done(&got[2].lease_id, json!("t2 again"))).await.expect("complete t2");
    let finished = wait_terminal(&mut runs, &run.id, 10).await;
    assert_eq!(finished.status, pb::RunStatus::Completed as i32, "{}", finished.failure_reason);
    let events = common::all_events(&mut runs, &run.id).await;
    let completed = events.iter().filter(|e| e.r#type == "attempt.completed").count();
    assert_eq!(completed, 4, "one attempt.completed per task");
    app.stop().await;
}

async fn complete_tasks_and_complete_task_hand_over_up_to_max_next(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::start(common::test_config(&db)).await;
    let mut runs = app.runs().await;
    let mut coord = app.coord().await;
    // a, b → c, d, e (each after both) → f (after all three).
    let plan = vec![
        task("a", "w", &[]),
        task("b", "w", &[]),
        task("c", "w", &["a", "b"]),
        task("d", "w", &["a", "b"]),
        task("e", "w", &["a", "b"]),
        task("f", "w", &["c", "d", "e"]),
    ];
    let run = create_run(&mut runs, create("a join handed over in batches", plan)).await;
    let first = coord.poll_task(poll("w", 8)).await.expect("poll").into_inner().assignments;
    assert_eq!(first.iter().map(|a| a.task_id.as_str()).collect::<HashSet<_>>(), HashSet::from(["a", "b"]));
    let batch = pb::CompleteTasksRequest {
        completions: first.iter().map(|a| done(&a.lease_id, json!(a.task_id))).collect(),
        claim_next: true,
        max_next: 2,
    };
    let answer = coord.complete_tasks(batch).await.expect("a and b").into_inner();
    assert!(answer.results.iter().all(|r| r.code == 0), "{:?}", answer.results);
    assert_eq!(answer.next_tasks.len(), 2, "max_next caps the hand-over at 2 of c, d, e");
    for next in &answer.next_tasks {
        let inputs: HashSet<&str> = next.inputs.keys().map(String::as_str).collect();
        assert_eq!(inputs, HashSet::from(["a", "b"]), "{} has both outputs as inputs", next.task_id);
        assert_eq!(next.attempt, 1);
    }
    // CompleteTask with max_next hands over the third middle task (and not f, still waiting).
    let mut one = done(&answer.next_tasks[0].lease_id, json!("middle"));
    one.claim_next = true;
    one.max_next = 5;
    let r = coord.complete_task(one).await.expect("complete").into_inner();
    assert_eq!(r.next_tasks.len(), 1, "{:?}", r.next_tasks);
    assert!(r.next.is_none(), "max_next > 1 answers in next_tasks alone");
    let seen: HashSet<String> = answer.next_tasks.iter().chain(&r.next_tasks).map(|a| a.task_id.clone()).collect();
    assert_eq!(seen, HashSet::from(["c".to_string(), "d".into(), "e".into()]));
    // The last two middle tasks in one batch hand over the join.
    let batch = pb::CompleteTasksRequest {
        completions: vec![done(&answer.next_tasks[1].lease_id, json!(1)), done(&r.next_tasks[0].lease_id, json!(2))],
        claim_next: true,
        max_next: 0,
    };
    let answer = coord.complete_tasks(batch).await.expect("the rest").into_inner();
    assert_eq!(answer.next_tasks.iter().map(|a| a.task_id.as_str()).collect::<Vec<_>>(), vec!["f"]);
    coord.complete_task(done(&answer.next_tasks[0].lease_id, json!("joined"))).await.expect("f");
    let finished = wait_terminal(&mut runs, &run.id, 10).await;
    assert_eq!(finished.status, pb::RunStatus::Completed as i32, "{}", finished.failure_reason);
    app.stop().await;
}

async fn malformed_batches_are_refused_as_a_whole(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::start(common::test_config(&db)).await;
    let mut runs = app.runs().await;
    let mut coord = app.coord().await;
    let run = create_run(&mut runs, create("one task", vec![task("a", "w", &[])])).await;
    let a = coord.poll_task(poll("w", 1)).await.expect("poll").into_inner().assignment.expect("a");
    let refused = |batch: pb::CompleteTasksRequest| {
        let mut coord = coord.clone();
        async move { coord.complete_tasks(batch).await.expect_err("malformed") }
    };
    let empty = refused(pb::CompleteTasksRequest::default()).await;
    assert_eq!(empty.code(), Code::InvalidArgument);
    let many = (0..65).map(|i| done(&format!("lease_{i}"), json!(i))).collect();
    let many = refused(pb::CompleteTasksRequest { completions: many, ..Default::default() }).await;
    assert_eq!(many.code(), Code::InvalidArgument);
    let twice = vec![done(&a.lease_id, json!(1)), done(&a.lease_id, json!(2))];
    let twice = refused(pb::CompleteTasksRequest { completions: twice, ..Default::default() }).await;
    assert_eq!(twice.code(), Code::InvalidArgument);
    assert!(twice.message().contains("twice"), "{}", twice.message());
    let next = refused(pb::CompleteTasksRequest {
        completions: vec![done(&a.lease_id, json!(1))],
        claim_next: true,
        max_next: 1000,
    })
    .await;
    assert_eq!(next.code(), Code::InvalidArgument);
    // Nothing was recorded by the refused calls: the lease still completes once.
    let t = runs.get_task(pb::GetTaskRequest { run_id: run.id.clone(), task_id: "a".into() }).await;
    assert_eq!(t.expect("task").into_inner().status, pb::TaskStatus::Running as i32);
    let ok = coord
        .complete_tasks(pb::CompleteTasksRequest {
            completions: vec![done(&a.lease_id, json!("a"))],
            ..Default::default()
        })
        .await
        .expect("a well-formed batch")
        .into_inner();
    assert_eq!(ok.results[0].code, 0, "{:?}", ok.results);
    let finished = wait_terminal(&mut runs, &run.id, 10).await;
    assert_eq!(finished.status, pb::RunStatus::Completed as i32);
    app.stop().await;
}

async fn a_batch_stops_claiming_at_the_message_size_limit(b: Backend) {
    let db = TestDb::new(b);
    let mut config = common::test_config(&db);
    config.limits.max_message_bytes = 64 * 1024;
    let app = TestApp::start(config).await;
    let mut runs = app.runs().await;
    let mut coord = app.coord().await;
    let mut plan = vec![task("big", "w", &[])];
    plan.extend((0..4).map(|i| task(&format!("d{i}"), "w", &["big"])));
    let run = create_run(&mut runs, create("large inputs", plan)).await;
    let big = coord.poll_task(poll("w", 1)).await.expect("poll").into_inner().assignment.expect("big");
    // 20 KB of output: each dependent carries it as its input.
    coord.complete_task(done(&big.lease_id, json!("x".repeat(20_000)))).await.expect("complete big");
    // Two dependents reach half the 64 KiB limit: the batch of 10 stops there.
    let first = coord.poll_task(poll("w", 10)).await.expect("poll").into_inner().assignments;
    assert_eq!(first.len(), 2, "{:?}", first.iter().map(|a| &a.task_id).collect::<Vec<_>>());
    let second = coord.poll_task(poll("w", 10)).await.expect("poll").into_inner().assignments;
    assert_eq!(second.len(), 2);
    let completions = first.iter().chain(&second).map(|a| done(&a.lease_id, json!(a.task_id))).collect();
    let answer = coord
        .complete_tasks(pb::CompleteTasksRequest { completions, ..Default::default() })
        .await
        .expect("complete the four")
        .into_inner();
    assert!(answer.results.iter().all(|r| r.code == 0), "{:?}", answer.results);
    let finished = wait_terminal(&mut runs, &run.id, 10).await;
    assert_eq!(finished.status, pb::RunStatus::Completed as i32, "{}", finished.failure_reason);
    app.stop().await;
}

async fn a_batch_over_several_runs_verifies_and_then_hands_over_nothing(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::start(common::test_config(&db)).await;
    let mut runs = app.runs().await;
    let mut coord = app.coord().await;
    // Three runs of two chained tasks; run 0's first task has a criterion.
    let mut ids = Vec::new();
    for r in 0..3 {
        let mut first = task("first", "w", &[]);
        if r == 0 {
            first.criteria = vec![pb::Criterion { kind: "not_empty".into(), ..Default::default() }];
        }
        let plan = vec![first, task("second", "w", &["first"])];
        ids.push(create_run(&mut runs, create(&format!("run {r}"), plan)).await.id);
    }
    let held = coord.poll_task(poll("w", 8)).await.expect("poll").into_inner().assignments;
    assert_eq!(held.len(), 3, "the first task of each run");
    let batch = pb::CompleteTasksRequest {
        completions: held.iter().map(|a| done(&a.lease_id, json!(format!("from {}", a.run_id)))).collect(),
        claim_next: true,
        max_next: 8,
    };
    let answer = coord.complete_tasks(batch).await.expect("three runs in one batch").into_inner();
    assert!(answer.results.iter().all(|r| r.code == 0), "{:?}", answer.results);
    assert!(answer.next_tasks.is_empty(), "a completion was verified: nothing handed over past the judges");
    let judged: Vec<_> = answer.results.iter().filter(|r| r.verdict.is_some()).collect();
    assert_eq!(judged.len(), 1, "{:?}", answer.results);
    assert!(judged[0].verdict.as_ref().is_some_and(|v| v.passed));
    assert_eq!(judged[0].task_status, pb::TaskStatus::Succeeded as i32);
    // Every run's second task is ready now, for a poll.
    let second = coord.poll_task(poll("w", 8)).await.expect("poll").into_inner().assignments;
    assert_eq!(second.iter().map(|a| a.run_id.clone()).collect::<HashSet<_>>(), ids.iter().cloned().collect());
    let batch = pb::CompleteTasksRequest {
        completions: second.iter().map(|a| done(&a.lease_id, json!("second"))).collect(),
        ..Default::default()
    };
    let answer = coord.complete_tasks(batch).await.expect("the second tasks").into_inner();
    assert!(answer.results.iter().all(|r| r.code == 0), "{:?}", answer.results);
    for id in &ids {
        let finished = wait_terminal(&mut runs, id, 10).await;
        assert_eq!(finished.status, pb::RunStatus::Completed as i32, "{}", finished.failure_reason);
    }
    app.stop().await;
}

/// A batch's earlier claims fill a run with many ready tasks: the later
/// claims go on in another run instead of being offered only the full run's
/// tasks (the candidate query reads the run's `running` from the table, which
/// the batch has not written yet unless it must).
async fn a_batch_that_fills_a_run_goes_on_in_other_runs(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::start(common::test_config(&db)).await;
    let mut runs = app.runs().await;
    let mut coord = app.coord().await;
    // More ready tasks than the candidate query's 16, in a run that takes one at a time.
    let mut narrow = create("narrow", (0..20).map(|i| task(&format!("n{i}"), "w", &[])).collect());
    narrow.max_parallel = 1;
    create_run(&mut runs, narrow).await;
    create_run(&mut runs, create("wide", (0..3).map(|i| task(&format!("w{i}"), "w", &[])).collect())).await;
    let got = coord.poll_task(poll("w", 4)).await.expect("poll").into_inner();
    let mut ids: Vec<String> = got.assignments.iter().map(|a| a.task_id.clone()).collect();
    ids.sort();
    assert_eq!(ids, ["n0", "w0", "w1", "w2"], "one of the narrow run, then the other run's");
    app.stop().await;
}
