//! PostgreSQL scale-out under DAG load: three server replicas on one
//! database, a dozen agents polling, heartbeating and completing across
//! them. No transaction may wait for a run's lock while holding another's,
//! so PostgreSQL never detects a deadlock; a transaction that loses a race
//! anyway is retried inside the server, so no agent ever sees INTERNAL.

use crate::common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{create, task, test_config, wait_terminal, Backend, TestApp, TestDb};
use diesel::{Connection, RunQueryDsl};
use orchestrator::proto::v1 as pb;
use orchestrator::proto::v1::coordinator_service_client::CoordinatorServiceClient;
use serde_json::json;
use tonic::Code;

/// Five chains of fifteen tasks.
fn chains() -> Vec<pb::TaskSpec> {
    let mut tasks = Vec::new();
    for c in 0..5 {
        for i in 0..15 {
            let id = format!("c{c}-{i}");
            let dep = (i > 0).then(|| format!("c{c}-{}", i - 1));
            tasks.push(task(&id, "w", &dep.iter().map(String::as_str).collect::<Vec<_>>()));
        }
    }
    tasks
}

/// Six layers of twelve tasks, each depending on the whole layer before.
fn layers() -> Vec<pb::TaskSpec> {
    let mut tasks = Vec::new();
    for l in 0..6 {
        for i in 0..12 {
            let deps: Vec<String> =
                if l == 0 { Vec::new() } else { (0..12).map(|j| format!("l{}-{j}", l - 1)).collect() };
            tasks.push(task(&format!("l{l}-{i}"), "w", &deps.iter().map(String::as_str).collect::<Vec<_>>()));
        }
    }
    tasks
}

/// An agent that polls, heartbeats once and completes (asking for its next
/// task every other time), recording every failed answer.
fn agent(addr: std::net::SocketAddr, n: usize, errors: Arc<Mutex<Vec<String>>>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let channel =
            tonic::transport::Endpoint::from_shared(format!("http://{addr}")).expect("endpoint").connect_lazy();
        let mut c = CoordinatorServiceClient::new(channel);
        let record = |what: &str, e: tonic::Status| {
            errors.lock().expect("errors").push(format!("{what}: {:?} {}", e.code(), e.message()));
        };
        let mut next: Option<pb::TaskAssignment> = None;
        let mut done = 0usize;
        loop {
            let a = match next.take() {
                Some(a) => a,
                None => {
                    let r = c
                        .poll_task(pb::PollTaskRequest {
                            agent: "w".into(),
                            agent_instance: format!("agent-{n}"),
                            wait: Some(prost_types::Duration { seconds: 2, nanos: 0 }),
                            ..Default::default()
                        })
                        .await;
                    match r {
                        Ok(r) => match r.into_inner().assignment {
                            Some(a) => a,
                            None => continue,
                        },
                        Err(e) => {
                            record("PollTask", e);
                            continue;
                        }
                    }
                }
            };
            tokio::time::sleep(Duration::from_millis(fastrand::u64(1..8))).await;
            let beat = pb::HeartbeatRequest { lease_id: a.lease_id.clone(), ..Default::default() };
            if let Err(e) = c.heartbeat(beat).await {
                record("Heartbeat", e);
            }
            done += 1;
            let r = c
                .complete_task(pb::CompleteTaskRequest {
                    lease_id: a.lease_id.clone(),
                    output: Some(orchestrator::api::convert::json_to_value(&json!({ "by": n, "task": a.task_id }))),
                    claim_next: done.is_multiple_of(2),
                    ..Default::default()
                })
                .await;
            match r {
                Ok(r) => next = r.into_inner().next,
                Err(e) => record("CompleteTask", e),
            }
        }
    })
}

/// An agent of the batched protocol: takes up to 3 tasks per PollTask,
/// reports them in one CompleteTasks that hands over up to 3 next ones.
/// Its transactions lock several runs at once (in run order): the load must
/// still never deadlock.
fn batch_agent(addr: std::net::SocketAddr, n: usize, errors: Arc<Mutex<Vec<String>>>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let channel =
            tonic::transport::Endpoint::from_shared(format!("http://{addr}")).expect("endpoint").connect_lazy();
        let mut c = CoordinatorServiceClient::new(channel);
        let record = |what: &str, e: String| errors.lock().expect("errors").push(format!("{what}: {e}"));
        let mut held: Vec<pb::TaskAssignment> = Vec::new();
        loop {
            if held.is_empty() {
                let r = c
                    .poll_task(pb::PollTaskRequest {
                        agent: "w".into(),
                        agent_instance: format!("batch-agent-{n}"),
                        wait: Some(prost_types::Duration { seconds: 2, nanos: 0 }),
                        max_tasks: 3,
                        ..Default::default()
                    })
                    .await;
                match r {
                    Ok(r) => held = r.into_inner().assignments,
                    Err(e) => record("PollTask", format!("{:?} {}", e.code(), e.message())),
                }
                continue;
            }
            tokio::time::sleep(Duration::from_millis(fastrand::u64(1..8))).await;
            let completions = held
                .drain(..)
                .map(|a| pb::CompleteTaskRequest {
                    lease_id: a.lease_id.clone(),
                    output: Some(orchestrator::api::convert::json_to_value(&json!({ "by": n, "task": a.task_id }))),
                    ..Default::default()
                })
                .collect();
            let r = c.complete_tasks(pb::CompleteTasksRequest { completions, claim_next: true, max_next: 3 }).await;
            match r {
                Ok(r) => {
                    let r = r.into_inner();
                    for refused in r.results.iter().filter(|r| r.code != 0) {
                        record("CompleteTasks item", format!("{:?} {}", Code::from(refused.code), refused.message));
                    }
                    held = r.next_tasks;
                }
                Err(e) => record("CompleteTasks", format!("{:?} {}", e.code(), e.message())),
            }
        }
    })
}

fn database_name(url: &str) -> String {
    url.rsplit('/').next().expect("database name").to_string()
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

fn deadlocks(url: &str) -> i64 {
    let mut c = diesel::PgConnection::establish(url).expect("connect");
    let name = database_name(url);
    diesel::sql_query(format!("SELECT deadlocks AS n FROM pg_stat_database WHERE datname = '{name}'"))
        .get_result::<Count>(&mut c)
        .expect("pg_stat_database")
        .n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn replicas_under_dag_load_never_deadlock_nor_answer_internal() {
    let db = TestDb::new(Backend::Postgres);
    {
        // Deadlocks detected within 5 ms instead of a second: the load makes them
        // quickly if they can happen at all.
        let mut c = diesel::PgConnection::establish(&db.raw_url).expect("connect");
        let name = database_name(&db.raw_url);
        diesel::sql_query(format!("ALTER DATABASE {name} SET deadlock_timeout = '5ms'")).execute(&mut c).expect("set");
    }
    let before = deadlocks(&db.raw_url);
    let mut replicas = Vec::new();
    for _ in 0..3 {
        let mut config = test_config(&db);
        config.default_max_parallel = 6;
        replicas.push(TestApp::start(config).await);
    }
    let errors = Arc::new(Mutex::new(Vec::new()));
    // Half the agents speak the batched protocol.
    let agents: Vec<_> = (0..12)
        .map(|n| match n % 2 {
            0 => agent(replicas[n % 3].addr, n, errors.clone()),
            _ => batch_agent(replicas[n % 3].addr, n, errors.clone()),
        })
        .collect();
    let mut runs = replicas[0].runs().await;
    let mut ids = Vec::new();
    for i in 0..8 {
        let plan = if i % 2 == 0 { chains() } else { layers() };
        let mut client = replicas[i % 3].runs().await;
        let run = client.create_run(create(&format!("dag {i}"), plan)).await.expect("create").into_inner();
        ids.push(run.run.expect("run").id);
    }
    for id in &ids {
        let run = wait_terminal(&mut runs, id, 180).await;
        assert_eq!(run.status, pb::RunStatus::Completed as i32, "run {id}: {}", run.failure_reason);
    }
    for a in agents {
        a.abort();
    }
    // Within a run, event time follows the sequence (one clock: one machine).
    let mut backwards = Vec::new();
    for id in &ids {
        let events = common::all_events(&mut runs, id).await;
        for w in events.windows(2) {
            let t = |e: &pb::RunEvent| e.time.as_ref().map(|t| (t.seconds, t.nanos)).unwrap_or_default();
            if t(&w[0]) > t(&w[1]) {
                backwards.push(format!("run {id}: event {} is later than event {}", w[0].seq, w[1].seq));
            }
        }
    }
    for r in replicas {
        r.stop().await;
    }
    let errors = errors.lock().expect("errors").clone();
    let internal: Vec<&String> = errors.iter().filter(|e| e.contains(&format!("{:?}", Code::Internal))).collect();
    assert!(internal.is_empty(), "{} INTERNAL answers, e.g. {:?}", internal.len(), &internal[..internal.len().min(5)]);
    // The counter is flushed when the servers' connections end, so look a few times.
    let mut found = 0;
    for _ in 0..20 {
        found = deadlocks(&db.raw_url) - before;
        if found > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(found, 0, "PostgreSQL detected {found} deadlocks; other errors: {errors:?}");
    assert!(
        backwards.is_empty(),
        "{} events went back in time, e.g. {:?}",
        backwards.len(),
        &backwards[..backwards.len().min(5)]
    );
}

/// Structured shutdown: when `serve` returns, its background tasks have
/// stopped and nothing holds a connection to the database any more (the
/// LISTEN thread included).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_stopped_server_leaves_no_connection_to_the_database() {
    let db = TestDb::new(Backend::Postgres);
    let app = TestApp::start(test_config(&db)).await;
    let mut runs = app.runs().await;
    let run = common::create_run(&mut runs, create("one", vec![task("a", "w", &[])])).await;
    let agent = common::spawn_agent(app.addr, "w", "a", |_| common::Outcome::Complete(json!("ok")));
    wait_terminal(&mut runs, &run.id, 30).await;
    agent.abort();
    let name = database_name(&db.raw_url);
    let connections = || {
        let mut c = diesel::PgConnection::establish(&db.raw_url).expect("connect");
        diesel::sql_query(format!(
            "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()"
        ))
        .get_result::<Count>(&mut c)
        .expect("pg_stat_activity")
        .n
    };
    assert!(connections() > 0, "the running server is connected");
    app.stop().await;
    // A backend ends a moment after its client closed the connection.
    let mut left = connections();
    for _ in 0..50 {
        if left == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        left = connections();
    }
    assert_eq!(left, 0, "connections left after the server stopped");
}
