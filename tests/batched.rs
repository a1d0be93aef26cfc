//! The batched agent protocol over real gRPC, on both backends: PollTask's
//! `max_tasks`, CompleteTask's `max_next`, and CompleteTasks, each lease still
//! fenced and ending exactly once.

mod common;

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
    assert_eq!(got.assignment.as_ref(), got.assignments.first(), "assignment is the first of assignments");
    let tasks: HashSet<_> = got.assignments.iter().map(|a| a.task_id.clone()).collect();
    let leases: HashSet<_> = got.assignments.iter().map(|a| a.lease_id.clone()).collect();
    assert_eq!((tasks.len(), leases.len()), (3, 3), "three tasks, three leases");
    // The run is at its limit: nothing more now.
    let more = coord.poll_task(poll("w", 10)).await.expect("poll").into_inner();
    assert!(more.assignments.is_empty() && more.assignment.is_none(), "{more:?}");
    // One task per call as before when max_tasks is unset.
    coord.complete_task(done(&got.assignments[0].lease_id, json!(0))).await.expect("complete");
    let one = coord.poll_task(poll("w", 0)).await.expect("poll").into_inner();
    assert_eq!(one.assignments.len(), 1);
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
    assert_eq!(r.next.as_ref(), r.next_tasks.first());
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
    let a = coord.poll_task(poll("w", 1)).await.expect("poll").into_inner().assignments.remove(0);
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
