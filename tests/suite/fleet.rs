//! The fleet over real gRPC, on both backends: ListAgents names the agent
//! nobody serves (with the tasks waiting for it), then the instance that
//! polls for it (its SDK, address and running attempt), then what it did in
//! the last hour (security.rs checks that a workspace sees only its own).

use crate::common;

use std::time::Duration;

use common::{create, create_run, task, wait_terminal, Backend, TestApp, TestDb};
use orchestrator::proto::v1 as pb;
use orchestrator::proto::v1::coordinator_service_client::CoordinatorServiceClient;
use orchestrator::proto::v1::run_service_client::RunServiceClient;
use tonic::transport::Channel;

both_backends!(the_fleet_shows_who_serves_an_agent_and_who_does_not);

async fn agents(runs: &mut RunServiceClient<Channel>) -> Vec<pb::AgentStatus> {
    runs.list_agents(pb::ListAgentsRequest {}).await.expect("agents").into_inner().agents
}

fn named<'a>(all: &'a [pb::AgentStatus], name: &str) -> &'a pb::AgentStatus {
    all.iter().find(|a| a.name == name).unwrap_or_else(|| panic!("no agent {name} in {all:?}"))
}

async fn the_fleet_shows_who_serves_an_agent_and_who_does_not(b: Backend) {
    let db = TestDb::new(b);
    let policy = "agents:\n  - name: writer\n    executor: agent\n  - name: idle\n    executor: agent\n";
    let app = TestApp::with_policy(&db, policy).await;
    let mut runs = app.runs().await;
    let run = create_run(&mut runs, create("write", vec![task("a", "writer", &[]), task("b", "writer", &[])])).await;

    // Nobody polls for the writer: its two ready tasks wait, and it says so.
    let before = agents(&mut runs).await;
    let writer = named(&before, "writer");
    assert_eq!((writer.ready_tasks, writer.served, writer.executor.as_str()), (2, false, "agent"));
    assert_eq!(writer.warning, "2 tasks waiting for agent `writer`: no instance has ever polled");
    assert!(named(&before, "idle").warning.is_empty(), "no task waits for it");

    // An instance polls (naming its SDK) and holds a task.
    let mut coord = CoordinatorServiceClient::new(app.channel().await);
    let mut poll = tonic::Request::new(pb::PollTaskRequest {
        agent: "writer".into(),
        agent_instance: "box-1:42".into(),
        ..Default::default()
    });
    poll.metadata_mut().insert("x-orchestrator-sdk", "test-sdk/1.2".parse().expect("header"));
    let held = coord.poll_task(poll).await.expect("poll").into_inner().assignment.expect("a task");
    let during = agents(&mut runs).await;
    let writer = named(&during, "writer");
    assert!(writer.served && writer.warning.is_empty(), "{writer:?}");
    assert_eq!((writer.running_attempts, writer.ready_tasks), (1, 1));
    let i = &writer.instances[0];
    assert_eq!(
        (i.id.as_str(), i.sdk.as_str(), i.peer.as_str(), i.running_attempts),
        ("box-1:42", "test-sdk/1.2", "127.0.0.1", 1)
    );
    assert!(!i.replica.is_empty() && i.last_poll.is_some(), "{i:?}");

    // It finishes both; the last hour counts them once the recorder has.
    let output = Some(orchestrator::api::convert::json_to_value(&serde_json::json!("done")));
    let done = coord
        .complete_task(pb::CompleteTaskRequest {
            lease_id: held.lease_id,
            output: output.clone(),
            claim_next: true,
            ..Default::default()
        })
        .await
        .expect("complete")
        .into_inner();
    let next = done.next.expect("the second task, claimed with the first's completion");
    coord
        .complete_task(pb::CompleteTaskRequest { lease_id: next.lease_id, output, ..Default::default() })
        .await
        .expect("complete");
    assert_eq!(wait_terminal(&mut runs, &run.id, 30).await.status, pb::RunStatus::Completed as i32);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    loop {
        let now = agents(&mut runs).await;
        let writer = named(&now, "writer");
        if writer.succeeded_last_hour == 2 {
            assert_eq!((writer.running_attempts, writer.ready_tasks, writer.failed_last_hour), (0, 0, 0));
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "the last hour never counted: {writer:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    app.stop().await;
}
