//! Adaptive runs over real gRPC, on both backends: conditional tasks (a
//! `when` predicate over the dependencies' outputs) and continuation turns
//! (ContinueTask).

use crate::common;

use std::collections::BTreeMap;

use common::{create, create_run, spawn_agent, task, violations, wait_terminal, Backend, Outcome, TestApp, TestDb};
use orchestrator::api::convert::{json_to_value, value_to_json};
use orchestrator::proto::v1 as pb;
use serde_json::{json, Value};
use tonic::Code;

both_backends!(a_condition_runs_one_branch_and_skips_the_other, a_bad_condition_is_refused_with_every_violation);

fn when(path: &str, equals: Option<Value>, negate: bool) -> Option<pb::Condition> {
    Some(pb::Condition { path: path.into(), equals: equals.as_ref().map(json_to_value), negate })
}

/// classify says "ham". `spam` (required) and `spam_note` (optional) run only
/// on "spam"; `ham` only on anything else. `archive` depends on `spam`, and
/// `shred` on `archive`: a required skip closes them too. `report` joins `ham` and the optional
/// `spam_note`, whose skip releases it without its output.
async fn a_condition_runs_one_branch_and_skips_the_other(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::start(common::test_config(&db)).await;
    let mut runs = app.runs().await;
    let is_spam = || when("$.classify.label", Some(json!("spam")), false);
    let mut spam = task("spam", "w", &["classify"]);
    spam.when = is_spam();
    let mut spam_note = task("spam_note", "w", &["classify"]);
    (spam_note.when, spam_note.optional) = (is_spam(), true);
    let mut spam_log = task("spam_log", "w", &["spam"]);
    spam_log.optional = true;
    let mut ham = task("ham", "w", &["classify"]);
    ham.when = when("$.classify.label", Some(json!("spam")), true);
    let plan = vec![
        task("classify", "w", &[]),
        spam,
        task("archive", "w", &["spam"]),
        task("shred", "w", &["archive", "classify"]),
        spam_log,
        task("audit", "w", &["spam_log"]),
        spam_note,
        ham,
        task("report", "w", &["ham", "spam_note"]),
    ];
    let run = create_run(&mut runs, create("branches", plan)).await;
    let w = spawn_agent(app.addr, "w", "w", |a| match a.task_id.as_str() {
        "classify" => Outcome::Complete(json!({"label": "ham"})),
        _ => Outcome::Complete(json!(a.inputs.keys().cloned().collect::<Vec<_>>())),
    });
    let done = wait_terminal(&mut runs, &run.id, 30).await;
    w.abort();
    assert_eq!(done.status, pb::RunStatus::Completed as i32, "{}", done.failure_reason);
    let tasks = runs
        .list_tasks(pb::ListTasksRequest { run_id: run.id.clone(), ..Default::default() })
        .await
        .expect("tasks")
        .into_inner()
        .tasks;
    let by_id: BTreeMap<&str, &pb::Task> = tasks.iter().map(|t| (t.id.as_str(), t)).collect();
    let status = |id: &str| pb::TaskStatus::try_from(by_id[id].status).expect("status");
    for (id, want) in [
        ("classify", pb::TaskStatus::Succeeded),
        ("spam", pb::TaskStatus::Skipped),
        ("archive", pb::TaskStatus::Skipped),
        ("shred", pb::TaskStatus::Skipped),
        ("spam_log", pb::TaskStatus::Skipped),
        ("audit", pb::TaskStatus::Succeeded),
        ("spam_note", pb::TaskStatus::Skipped),
        ("ham", pb::TaskStatus::Succeeded),
        ("report", pb::TaskStatus::Succeeded),
    ] {
        assert_eq!(status(id), want, "{id}: {}", by_id[id].error);
    }
    assert_eq!(by_id["spam"].error, "skipped: its condition does not hold: $.classify.label is \"ham\", not \"spam\"");
    assert_eq!(by_id["archive"].error, "skipped: it depends on \"spam\", which was skipped");
    // Downstream of a required skipped task, the rule holds again.
    assert_eq!(by_id["shred"].error, "skipped: it depends on \"archive\", which was skipped");
    assert_eq!(by_id["spam"].attempt_count + by_id["archive"].attempt_count, 0, "skipped tasks never ran");
    // The join ran without the skipped optional task's output; so did
    // `audit`, released by the optional `spam_log` that `spam`'s skip closed.
    // The run's output is its final tasks' (the skipped `shred` has none).
    let report = by_id["report"].output.as_ref().map(|v| value_to_json(v, "o", 0).expect("json"));
    assert_eq!(report, Some(json!(["ham"])));
    let output = done.output.as_ref().map(|v| value_to_json(v, "o", 0).expect("json"));
    assert_eq!(output, Some(json!({"report": ["ham"], "audit": []})), "the skipped final task adds nothing");
    // The skip is one status change each, with its reason, in the log.
    let events = common::all_events(&mut runs, &run.id).await;
    let skips: Vec<(&str, &str)> =
        events.iter().filter(|e| e.to_status == "SKIPPED").map(|e| (e.task_id.as_str(), e.message.as_str())).collect();
    assert_eq!(skips.len(), 5, "{skips:?}");
    assert!(skips.contains(&("archive", "skipped: it depends on \"spam\", which was skipped")), "{skips:?}");
    // GetRun shows the condition as given.
    let got = runs.get_run(pb::GetRunRequest { run_id: run.id.clone(), ..Default::default() }).await.expect("get");
    let plan = got.into_inner().plan.expect("plan");
    let spam = plan.tasks.iter().find(|t| t.id == "spam").expect("spam");
    assert_eq!(spam.when, is_spam());
    app.stop().await;
}

/// A condition is validated with its plan: every violation at once, and no run.
async fn a_bad_condition_is_refused_with_every_violation(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::start(common::test_config(&db)).await;
    let mut runs = app.runs().await;
    let mut lonely = task("lonely", "w", &[]);
    lonely.when = when("$.a", None, false);
    let mut broken = task("broken", "w", &["lonely"]);
    broken.when = when("$[?(", None, false);
    let mut deep = task("deep", "w", &["lonely"]);
    deep.when = when(&format!("$.a{}", "[?@.b".repeat(20)), None, false);
    let mut huge = task("huge", "w", &["lonely"]);
    huge.when = when("$.lonely", Some(json!("x".repeat(5_000))), false);
    let err = runs.create_run(create("bad conditions", vec![lonely, broken, deep, huge])).await.expect_err("refused");
    assert_eq!(err.code(), Code::InvalidArgument, "{err:?}");
    let fields = violations(&err);
    for want in
        ["plan.tasks[0].when", "plan.tasks[1].when.path", "plan.tasks[2].when.path", "plan.tasks[3].when.equals"]
    {
        assert!(fields.iter().any(|f| f == want), "no {want} in {fields:?}");
    }
    let listed = runs.list_runs(pb::ListRunsRequest::default()).await.expect("list").into_inner();
    assert!(listed.runs.is_empty(), "a refused plan made a run: {:?}", listed.runs);
    app.stop().await;
}

// ---------------------------------------------------------------- continuation turns

both_backends!(
    an_agent_takes_four_turns_of_one_attempt,
    an_attempt_past_its_max_turns_fails_and_a_bad_checkpoint_changes_nothing,
    a_task_between_turns_waits_for_a_paused_run_and_is_cancelled_with_it,
    a_continuation_survives_a_server_kill,
);

fn turns_policy(delay: &str) -> String {
    format!("continuation:\n  delay: {delay}\n")
}

/// Polls `agent` until it gets an assignment (or panics after `secs`).
pub(crate) async fn next_assignment(
    coord: &mut pb::coordinator_service_client::CoordinatorServiceClient<tonic::transport::Channel>,
    agent: &str,
    secs: u64,
) -> pb::TaskAssignment {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(secs);
    loop {
        let r = coord
            .poll_task(pb::PollTaskRequest {
                agent: agent.into(),
                agent_instance: "turns".into(),
                wait: Some(prost_types::Duration { seconds: 1, nanos: 0 }),
                ..Default::default()
            })
            .await
            .expect("poll")
            .into_inner();
        if let Some(a) = r.assignment {
            return a;
        }
        assert!(tokio::time::Instant::now() < deadline, "no assignment for {agent} within {secs}s");
    }
}

fn usage(prompt: u64, completion: u64) -> Option<pb::Usage> {
    Some(pb::Usage { prompt_tokens: prompt, completion_tokens: completion, ..Default::default() })
}

fn continue_req(lease: &str, checkpoint: Value, u: Option<pb::Usage>) -> pb::ContinueTaskRequest {
    pb::ContinueTaskRequest {
        lease_id: lease.into(),
        checkpoint: Some(json_to_value(&checkpoint)),
        usage: u,
        ..Default::default()
    }
}

async fn get_task(
    runs: &mut pb::run_service_client::RunServiceClient<tonic::transport::Channel>,
    run_id: &str,
    task_id: &str,
) -> pb::Task {
    runs.get_task(pb::GetTaskRequest { run_id: run_id.into(), task_id: task_id.into() })
        .await
        .expect("get task")
        .into_inner()
}

fn timestamp_micros(t: &prost_types::Timestamp) -> i64 {
    t.seconds * 1_000_000 + i64::from(t.nanos) / 1000
}

/// "continue" three times, then complete: one attempt of four turns, each
/// turn handed the checkpoint the one before left, no backoff (the retry
/// policy's would be 30 s) and `max_attempts: 1` enough. A spent turn's lease
/// is refused; usage is per turn and adds up; the trace has a span per turn.
async fn an_agent_takes_four_turns_of_one_attempt(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::with_policy(&db, &turns_policy("200ms")).await;
    let (mut runs, mut coord) = (app.runs().await, app.coord().await);
    let mut t = task("t", "w", &[]);
    t.retry = Some(pb::RetryPolicy {
        max_attempts: 1,
        initial_backoff: Some(prost_types::Duration { seconds: 30, nanos: 0 }),
        ..Default::default()
    });
    let run = create_run(&mut runs, create("turns", vec![t])).await;
    let mut parents = Vec::new();
    let mut due: Option<i64> = None;
    for turn in 1..=4u32 {
        let a = next_assignment(&mut coord, "w", 20).await;
        let now = orchestrator::domain::now_micros();
        if let Some(due) = due {
            assert!(now >= due, "turn {turn} came {} µs before it was due", due - now);
        }
        assert_eq!((a.attempt, a.turn, a.max_turns), (1, turn, 20), "turn {turn}");
        let checkpoint = a.checkpoint.as_ref().map(|v| value_to_json(v, "c", 0).expect("json"));
        let want = (turn > 1).then(|| json!({"step": turn - 1}));
        assert_eq!(checkpoint, want, "turn {turn} is handed the checkpoint the turn before left");
        parents.push(a.trace_context["traceparent"].split('-').nth(2).expect("span id").to_string());
        if turn == 4 {
            let done = coord
                .complete_task(pb::CompleteTaskRequest {
                    lease_id: a.lease_id.clone(),
                    output: Some(json_to_value(&json!("done in four turns"))),
                    usage: usage(10, 1),
                    ..Default::default()
                })
                .await
                .expect("complete")
                .into_inner();
            assert_eq!(done.task_status, pb::TaskStatus::Succeeded as i32);
            break;
        }
        let c = coord.continue_task(continue_req(&a.lease_id, json!({"step": turn}), usage(10, 1))).await;
        let c = c.expect("continue").into_inner();
        assert_eq!((c.task_status, c.next_turn), (pb::TaskStatus::Continuing as i32, turn + 1));
        let at = timestamp_micros(c.next_turn_at.as_ref().expect("next_turn_at"));
        assert!(at >= now + 150_000, "the next turn waits out the delay, not a backoff: due in {} µs", at - now);
        due = Some(at);
        // The turn's lease is spent: whatever comes with it is refused.
        let again = coord.continue_task(continue_req(&a.lease_id, json!({}), None)).await.expect_err("spent");
        assert_eq!(again.code(), Code::FailedPrecondition, "{again:?}");
        assert!(again.message().contains("CONTINUING"), "{}", again.message());
        let beat = coord
            .heartbeat(pb::HeartbeatRequest { lease_id: a.lease_id.clone(), ..Default::default() })
            .await
            .expect_err("spent lease");
        assert_eq!(beat.code(), Code::FailedPrecondition, "{beat:?}");
        let task = get_task(&mut runs, &run.id, "t").await;
        assert_eq!(task.status, pb::TaskStatus::Continuing as i32);
    }
    let done = wait_terminal(&mut runs, &run.id, 20).await;
    assert_eq!(done.status, pb::RunStatus::Completed as i32, "{}", done.failure_reason);
    let task = get_task(&mut runs, &run.id, "t").await;
    assert_eq!((task.attempt_count, task.attempts.len()), (1, 1), "one attempt");
    let attempt = &task.attempts[0];
    assert_eq!((attempt.status, attempt.turns), (pb::AttemptStatus::Succeeded as i32, 4));
    let u = attempt.usage.as_ref().expect("usage");
    assert_eq!((u.prompt_tokens, u.completion_tokens), (40, 4), "each turn's usage adds to the attempt's");
    let ru = done.usage.as_ref().expect("run usage");
    assert_eq!((ru.prompt_tokens, ru.completion_tokens), (40, 4));
    // The log says which is which: three continuations, three turns, no retry.
    let events = common::all_events(&mut runs, &run.id).await;
    let count = |kind: &str| events.iter().filter(|e| e.r#type == kind).count();
    assert_eq!((count("attempt.continued"), count("attempt.turn_started"), count("attempt.started")), (3, 3, 1));
    assert!(events.iter().all(|e| e.to_status != "RETRY_SCHEDULED"), "a continuation is not a retry");
    let moves: Vec<&str> = events
        .iter()
        .filter(|e| e.task_id == "t")
        .filter_map(|e| (!e.to_status.is_empty()).then_some(e.to_status.as_str()))
        .collect();
    assert_eq!(
        moves,
        [
            "READY",
            "RUNNING",
            "CONTINUING",
            "READY",
            "RUNNING",
            "CONTINUING",
            "READY",
            "RUNNING",
            "CONTINUING",
            "READY",
            "RUNNING",
            "SUCCEEDED"
        ]
    );
    // One `turn` span per turn under the attempt's span; a later turn's
    // assignment named its turn's span as the agent's parent.
    let trace = runs.get_run_trace(pb::GetRunTraceRequest { run_id: run.id.clone() }).await.expect("trace");
    let spans = trace.into_inner().spans;
    let attempt_span = spans.iter().find(|s| s.name == "attempt").expect("attempt span");
    let turns: Vec<&pb::Span> = spans.iter().filter(|s| s.name == "turn").collect();
    assert_eq!(turns.len(), 4, "{turns:?}");
    assert!(turns.iter().all(|s| s.parent_span_id == attempt_span.span_id && s.end_time.is_some()));
    assert_eq!(parents[0], attempt_span.span_id, "the first turn's work is under the attempt");
    for p in &parents[1..] {
        assert!(turns.iter().any(|s| &s.span_id == p), "no turn span {p}");
    }
    app.stop().await;
}

/// `max_turns: 2`: the second request for another turn fails the attempt,
/// and the task with it, saying why. A checkpoint over the limit is refused
/// before anything changes: the lease still works.
async fn an_attempt_past_its_max_turns_fails_and_a_bad_checkpoint_changes_nothing(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::with_policy(&db, &turns_policy("100ms")).await;
    let (mut runs, mut coord) = (app.runs().await, app.coord().await);
    let mut t = task("t", "w", &[]);
    t.max_turns = 2;
    let mut bad = task("bad", "w", &[]);
    bad.max_turns = 1001;
    let err = runs.create_run(create("too many turns", vec![bad])).await.expect_err("refused");
    assert_eq!(violations(&err), ["plan.tasks[0].max_turns"], "{err:?}");
    let run = create_run(&mut runs, create("two turns", vec![t])).await;
    let a = next_assignment(&mut coord, "w", 20).await;
    assert_eq!(a.max_turns, 2);
    let huge = json!({"notes": "x".repeat(300 * 1024)});
    let err = coord.continue_task(continue_req(&a.lease_id, huge, None)).await.expect_err("too big");
    assert_eq!(err.code(), Code::InvalidArgument, "{err:?}");
    assert!(err.message().contains("checkpoint"), "{}", err.message());
    coord
        .heartbeat(pb::HeartbeatRequest { lease_id: a.lease_id.clone(), ..Default::default() })
        .await
        .expect("the refused checkpoint left the lease live");
    let unknown = coord.continue_task(continue_req("no-such-lease", json!(1), None)).await.expect_err("unknown");
    assert_eq!(unknown.code(), Code::FailedPrecondition, "{unknown:?}");
    coord.continue_task(continue_req(&a.lease_id, json!({"step": 1}), None)).await.expect("turn 2");
    let a = next_assignment(&mut coord, "w", 20).await;
    assert_eq!((a.attempt, a.turn), (1, 2));
    let c = coord.continue_task(continue_req(&a.lease_id, json!({"step": 2}), None)).await.expect("answered");
    let c = c.into_inner();
    assert_eq!((c.task_status, c.next_turn), (pb::TaskStatus::Failed as i32, 0));
    assert!(c.error.contains("turn 3") && c.error.contains("max_turns"), "{}", c.error);
    let done = wait_terminal(&mut runs, &run.id, 20).await;
    assert_eq!(done.status, pb::RunStatus::Failed as i32);
    assert!(done.failure_reason.contains("max_turns"), "{}", done.failure_reason);
    let task = get_task(&mut runs, &run.id, "t").await;
    assert_eq!((task.attempt_count, task.attempts[0].status), (1, pb::AttemptStatus::Failed as i32));
    assert!(task.error.contains("max_turns"), "{}", task.error);
    app.stop().await;
}

/// A task between turns is not handed out while its run is paused (it is
/// after the resume, as the same attempt's next turn), and a cancel ends it
/// and its attempt.
async fn a_task_between_turns_waits_for_a_paused_run_and_is_cancelled_with_it(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::with_policy(&db, &turns_policy("300ms")).await;
    let (mut runs, mut coord) = (app.runs().await, app.coord().await);
    let run = create_run(&mut runs, create("paused turns", vec![task("t", "w", &[])])).await;
    let a = next_assignment(&mut coord, "w", 20).await;
    coord.continue_task(continue_req(&a.lease_id, json!("half way"), None)).await.expect("continue");
    runs.pause_run(pb::PauseRunRequest { run_id: run.id.clone(), reason: "hold".into() }).await.expect("pause");
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    let r = coord
        .poll_task(pb::PollTaskRequest {
            agent: "w".into(),
            wait: Some(prost_types::Duration { seconds: 1, nanos: 0 }),
            ..Default::default()
        })
        .await
        .expect("poll");
    assert!(r.into_inner().assignment.is_none(), "a paused run hands out no turn");
    runs.resume_run(pb::ResumeRunRequest { run_id: run.id.clone(), ..Default::default() }).await.expect("resume");
    let a = next_assignment(&mut coord, "w", 20).await;
    assert_eq!((a.attempt, a.turn), (1, 2));
    assert_eq!(a.checkpoint.as_ref().map(|v| value_to_json(v, "c", 0).expect("json")), Some(json!("half way")));
    coord.continue_task(continue_req(&a.lease_id, json!("more"), None)).await.expect("continue again");
    runs.cancel_run(pb::CancelRunRequest { run_id: run.id.clone(), reason: "enough".into() }).await.expect("cancel");
    let done = wait_terminal(&mut runs, &run.id, 20).await;
    assert_eq!(done.status, pb::RunStatus::Cancelled as i32);
    let task = get_task(&mut runs, &run.id, "t").await;
    assert_eq!(task.status, pb::TaskStatus::Cancelled as i32);
    let attempt = &task.attempts[0];
    assert_eq!((attempt.status, attempt.turns), (pb::AttemptStatus::Cancelled as i32, 2));
    assert_eq!(attempt.checkpoint.as_ref().map(|v| value_to_json(v, "c", 0).expect("json")), Some(json!("more")));
    app.stop().await;
}

/// SIGKILL of the server right after a turn asked for another: the restarted
/// server hands out that next turn, with its checkpoint, as the same attempt.
async fn a_continuation_survives_a_server_kill(b: Backend) {
    let db = TestDb::new(b);
    let dir = tempfile::tempdir().expect("dir");
    let policy = dir.path().join("policy.yaml");
    std::fs::write(&policy, turns_policy("300ms")).expect("policy");
    let log = dir.path().join("server.log");
    let mut server = common::ServerProcess::start(&db.raw_url, Some(&policy), &[], &log).await;
    let channel = |addr: std::net::SocketAddr| {
        tonic::transport::Endpoint::from_shared(format!("http://{addr}")).expect("endpoint").connect_lazy()
    };
    let mut runs = server.runs();
    let mut coord = pb::coordinator_service_client::CoordinatorServiceClient::new(channel(server.addr));
    let run = create_run(&mut runs, create("crash between turns", vec![task("t", "w", &[])])).await;
    let a = next_assignment(&mut coord, "w", 20).await;
    coord.continue_task(continue_req(&a.lease_id, json!({"cursor": 7}), usage(5, 5))).await.expect("continue");
    server.kill();
    let server = common::ServerProcess::start(&db.raw_url, Some(&policy), &[], &log).await;
    let (mut runs, mut coord) =
        (server.runs(), pb::coordinator_service_client::CoordinatorServiceClient::new(channel(server.addr)));
    let a = next_assignment(&mut coord, "w", 20).await;
    assert_eq!((a.attempt, a.turn), (1, 2));
    assert_eq!(a.checkpoint.as_ref().map(|v| value_to_json(v, "c", 0).expect("json")), Some(json!({"cursor": 7})));
    coord
        .complete_task(pb::CompleteTaskRequest {
            lease_id: a.lease_id.clone(),
            output: Some(json_to_value(&json!("resumed"))),
            usage: usage(1, 1),
            ..Default::default()
        })
        .await
        .expect("complete");
    let done = wait_terminal(&mut runs, &run.id, 20).await;
    assert_eq!(done.status, pb::RunStatus::Completed as i32, "{}", done.failure_reason);
    let task = get_task(&mut runs, &run.id, "t").await;
    assert_eq!((task.attempt_count, task.attempts[0].turns), (1, 2));
    let u = task.attempts[0].usage.as_ref().expect("usage");
    assert_eq!((u.prompt_tokens, u.completion_tokens), (6, 6), "the first turn's usage was banked across the crash");
}

// ---------------------------------------------------------------- spawned tasks

both_backends!(a_task_fans_out_to_fifty_and_the_join_gets_them_all, a_spawn_survives_a_server_kill);

fn complete_spawning(lease: &str, spawn: Vec<pb::TaskSpec>, repoint: Vec<pb::Repoint>) -> pb::CompleteTaskRequest {
    pb::CompleteTaskRequest {
        lease_id: lease.into(),
        output: Some(json_to_value(&json!({"found": spawn.len()}))),
        spawn,
        repoint,
        ..Default::default()
    }
}

fn readers(n: usize) -> (Vec<pb::TaskSpec>, Vec<pb::Repoint>) {
    let tasks: Vec<pb::TaskSpec> = (0..n).map(|i| task(&format!("read-{i}"), "w", &["split"])).collect();
    let join = pb::Repoint { task_id: "join".into(), depends_on: tasks.iter().map(|t| t.id.clone()).collect() };
    (tasks, vec![join])
}

async fn list_tasks(
    runs: &mut pb::run_service_client::RunServiceClient<tonic::transport::Channel>,
    run_id: &str,
) -> Vec<pb::Task> {
    runs.list_tasks(pb::ListTasksRequest { run_id: run_id.into(), page_size: 1000, ..Default::default() })
        .await
        .expect("tasks")
        .into_inner()
        .tasks
}

/// `split` finds 50 sources at run time: it spawns 50 readers and re-points
/// `join` at them, which then gets 50 inputs. Spawns with mistakes are
/// refused whole, every violation named, and leave the lease live.
async fn a_task_fans_out_to_fifty_and_the_join_gets_them_all(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::with_policy(&db, "agents:\n  - name: w\n    executor: agent\n").await;
    let (mut runs, mut coord) = (app.runs().await, app.coord().await);
    let run =
        create_run(&mut runs, create("fan out", vec![task("split", "w", &[]), task("join", "w", &["split"])])).await;
    let a = next_assignment(&mut coord, "w", 20).await;
    assert_eq!(a.task_id, "split");
    // Every mistake at once: an unknown agent, an id the run has, a dependency nobody has.
    let (mut bad, _) = readers(3);
    bad[0].agent = "ghost".into();
    bad[1].id = "join".into();
    bad[2].depends_on.push("nowhere".into());
    let repoint = vec![pb::Repoint { task_id: "split".into(), depends_on: vec![] }];
    let err = coord.complete_task(complete_spawning(&a.lease_id, bad, repoint)).await.expect_err("refused");
    assert_eq!(err.code(), Code::InvalidArgument, "{err:?}");
    let mut fields = violations(&err);
    fields.sort();
    assert_eq!(
        fields,
        ["repoint[0].task_id", "spawn[0].agent", "spawn[1].id", "spawn[2].depends_on[1]"],
        "{}",
        err.message()
    );
    // A cycle through the re-pointed join.
    let (mut cyclic, repoint) = readers(2);
    cyclic[1].depends_on = vec!["join".into()];
    let err = coord.complete_task(complete_spawning(&a.lease_id, cyclic, repoint)).await.expect_err("cycle");
    assert_eq!(err.code(), Code::InvalidArgument, "{err:?}");
    assert!(err.message().contains("dependency cycle"), "{}", err.message());
    // More than 100 per completion is refused before any is read.
    let (too_many, _) = readers(101);
    let err = coord.complete_task(complete_spawning(&a.lease_id, too_many, vec![])).await.expect_err("too many");
    assert_eq!((err.code(), violations(&err)), (Code::InvalidArgument, vec!["spawn".to_string()]), "{err:?}");
    // Nothing was added, and the lease is live.
    assert_eq!(list_tasks(&mut runs, &run.id).await.len(), 2, "a refused spawn adds nothing");
    coord
        .heartbeat(pb::HeartbeatRequest { lease_id: a.lease_id.clone(), ..Default::default() })
        .await
        .expect("the lease survived the refusals");
    let (spawn, repoint) = readers(50);
    let done = coord.complete_task(complete_spawning(&a.lease_id, spawn, repoint)).await.expect("spawned");
    assert_eq!(done.into_inner().task_status, pb::TaskStatus::Succeeded as i32);
    let w = spawn_agent(app.addr, "w", "w", |a| match a.task_id.as_str() {
        "join" => Outcome::Complete(json!(a.inputs.len())),
        id => Outcome::Complete(json!(format!("text of {id}"))),
    });
    let finished = wait_terminal(&mut runs, &run.id, 60).await;
    w.abort();
    assert_eq!(finished.status, pb::RunStatus::Completed as i32, "{}", finished.failure_reason);
    let tasks = list_tasks(&mut runs, &run.id).await;
    assert_eq!(tasks.len(), 52);
    assert!(tasks.iter().all(|t| t.status == pb::TaskStatus::Succeeded as i32 && t.attempt_count == 1));
    let join = tasks.iter().find(|t| t.id == "join").expect("join");
    assert_eq!(join.inputs.len(), 50, "the join waited for the whole fan-out");
    assert!(join.inputs.keys().all(|k| k.starts_with("read-")));
    // GetRun's plan is the graph as it is now.
    let got = runs.get_run(pb::GetRunRequest { run_id: run.id.clone(), ..Default::default() }).await.expect("get");
    let plan = got.into_inner().plan.expect("plan");
    assert_eq!(plan.tasks.len(), 52);
    assert_eq!(plan.tasks.iter().find(|t| t.id == "join").expect("join").depends_on.len(), 50);
    // One plan.extended event; the readers' spans hang under split's.
    let events = common::all_events(&mut runs, &run.id).await;
    let extended: Vec<&pb::RunEvent> = events.iter().filter(|e| e.r#type == "plan.extended").collect();
    assert_eq!(extended.len(), 1);
    assert_eq!(extended[0].message, "split added 50 tasks and re-pointed 1 task");
    let trace = runs.get_run_trace(pb::GetRunTraceRequest { run_id: run.id.clone() }).await.expect("trace");
    let spans = trace.into_inner().spans;
    let task_span = |id: &str| {
        spans
            .iter()
            .find(|s| {
                s.name == "task"
                    && s.attributes.as_ref().and_then(|a| a.fields.get("orchestrator.task.id")).and_then(|v| {
                        match &v.kind {
                            Some(prost_types::value::Kind::StringValue(s)) => Some(s.as_str()),
                            _ => None,
                        }
                    }) == Some(id)
            })
            .unwrap_or_else(|| panic!("no span of {id}"))
    };
    assert_eq!(task_span("read-7").parent_span_id, task_span("split").span_id);
    assert_ne!(task_span("join").parent_span_id, task_span("split").span_id);
    app.stop().await;
}

/// SIGKILL right after a spawning completion: the restarted server has every
/// spawned task and the re-pointed join, and the run completes.
async fn a_spawn_survives_a_server_kill(b: Backend) {
    let db = TestDb::new(b);
    let dir = tempfile::tempdir().expect("dir");
    let log = dir.path().join("server.log");
    let mut server = common::ServerProcess::start(&db.raw_url, None, &[], &log).await;
    let channel = |addr: std::net::SocketAddr| {
        tonic::transport::Endpoint::from_shared(format!("http://{addr}")).expect("endpoint").connect_lazy()
    };
    let mut runs = server.runs();
    let mut coord = pb::coordinator_service_client::CoordinatorServiceClient::new(channel(server.addr));
    let plan = vec![task("split", "w", &[]), task("join", "w", &["split"])];
    let run = create_run(&mut runs, create("crash after a spawn", plan)).await;
    let a = next_assignment(&mut coord, "w", 20).await;
    let (spawn, repoint) = readers(5);
    coord.complete_task(complete_spawning(&a.lease_id, spawn, repoint)).await.expect("spawned");
    server.kill();
    let server = common::ServerProcess::start(&db.raw_url, None, &[], &log).await;
    let mut runs = server.runs();
    let w = spawn_agent(server.addr, "w", "w", |a| match a.task_id.as_str() {
        "join" => Outcome::Complete(json!(a.inputs.keys().cloned().collect::<std::collections::BTreeSet<_>>())),
        id => Outcome::Complete(json!(id)),
    });
    let finished = wait_terminal(&mut runs, &run.id, 60).await;
    w.abort();
    assert_eq!(finished.status, pb::RunStatus::Completed as i32, "{}", finished.failure_reason);
    let tasks = list_tasks(&mut runs, &run.id).await;
    assert_eq!(tasks.len(), 7);
    assert!(tasks.iter().all(|t| t.attempt_count == 1), "nothing ran twice");
    let output = finished.output.as_ref().map(|v| value_to_json(v, "o", 0).expect("json"));
    assert_eq!(
        output,
        Some(json!(["read-0", "read-1", "read-2", "read-3", "read-4"])),
        "the join is the one final task"
    );
}

// ---------------------------------------------------------------- replanning on failure

both_backends!(
    a_failed_task_is_replanned_and_the_run_completes,
    replanning_is_bounded_and_can_fail_with_the_planners_reason
);

fn replan_policy(llm: &common::fake_llm::FakeLlm) -> String {
    format!(
        "models:\n  main:\n    base_url: {}\n    model: fake-planner\n    timeout: 3s\n    max_retries: 0\n\
agents:\n  - name: w\n    description: does anything\n    executor: agent\n",
        llm.base_url()
    )
}

fn revision_answer() -> String {
    json!({"tasks": [
        {"id": "mirror", "title": "Use the mirror", "instructions": "fetch from the mirror", "agent": "w", "depends_on": []},
        {"id": "finish", "title": "Finish", "instructions": "finish it", "agent": "w", "depends_on": ["mirror"]}
    ]})
    .to_string()
}

/// a → b → c with `on_task_failure: REPLAN`. `b` fails for good; the planner
/// (a real HTTP server) is told what succeeded and what failed, and its
/// revision replaces `c`: the run completes with the revision's output.
async fn a_failed_task_is_replanned_and_the_run_completes(b: Backend) {
    let llm =
        common::fake_llm::FakeLlm::start(|_, _| common::fake_llm::Reply::answer(&revision_answer(), 100, 40)).await;
    let db = TestDb::new(b);
    let app = TestApp::with_policy(&db, &replan_policy(&llm)).await;
    let mut runs = app.runs().await;
    let mut req = create("fetch and finish", vec![task("a", "w", &[]), task("b", "w", &["a"]), task("c", "w", &["b"])]);
    req.policy = Some(pb::RunPolicy {
        default_retry: Some(pb::RetryPolicy { max_attempts: 1, ..Default::default() }),
        on_task_failure: pb::TaskFailureAction::Replan as i32,
        max_replans: 1,
        ..Default::default()
    });
    let run = create_run(&mut runs, req).await;
    let w = spawn_agent(app.addr, "w", "w", |a| match a.task_id.as_str() {
        "a" => Outcome::Complete(json!("page one")),
        "b" => Outcome::Fail("the source is offline".into(), false),
        "c" => Outcome::Fail("c must never run".into(), false),
        id => Outcome::Complete(json!({"by": id, "inputs": a.inputs.keys().cloned().collect::<Vec<_>>()})),
    });
    let done = wait_terminal(&mut runs, &run.id, 60).await;
    w.abort();
    assert_eq!(done.status, pb::RunStatus::Completed as i32, "{}", done.failure_reason);
    let tasks = list_tasks(&mut runs, &run.id).await;
    let status = |id: &str| {
        let t = tasks.iter().find(|t| t.id == id).unwrap_or_else(|| panic!("no task {id}"));
        (pb::TaskStatus::try_from(t.status).expect("status"), t.error.clone())
    };
    assert_eq!(status("b").0, pb::TaskStatus::Failed);
    assert_eq!(status("c"), (pb::TaskStatus::Skipped, "skipped: replaced by the revised plan (revision 1)".into()));
    assert_eq!(status("rev1.mirror").0, pb::TaskStatus::Succeeded);
    assert_eq!(status("rev1.finish").0, pb::TaskStatus::Succeeded);
    // The revision's first task got the failed task's inputs.
    let mirror = tasks.iter().find(|t| t.id == "rev1.mirror").expect("mirror");
    assert_eq!(mirror.inputs.keys().collect::<Vec<_>>(), ["a"]);
    let output = done.output.as_ref().map(|v| value_to_json(v, "o", 0).expect("json"));
    // Its final task is the revision's last (the replaced `c` is no final task any more).
    assert_eq!(output, Some(json!({"by": "rev1.finish", "inputs": ["rev1.mirror"]})));
    // The planner heard what succeeded and what failed, and was charged.
    let asked = common::fake_llm::prompt_text(&llm.requests()[0]);
    assert!(asked.contains("page one") && asked.contains("the source is offline"), "{asked}");
    assert!(asked.contains("task c"), "it was told what the failure left undone: {asked}");
    let u = done.usage.as_ref().expect("usage");
    assert_eq!((u.prompt_tokens, u.completion_tokens), (100, 40), "the planner's tokens are the run's");
    let events = common::all_events(&mut runs, &run.id).await;
    let revised = events.iter().find(|e| e.r#type == "plan.revised").expect("plan.revised");
    assert!(revised.message.contains("1 task replaced by rev1.mirror \"Use the mirror\""), "{}", revised.message);
    let diff = orchestrator::api::convert::struct_to_json(revised.data.as_ref().expect("data"), "d", 0).expect("json");
    assert_eq!(diff["removed"], json!(["c"]));
    assert_eq!(diff["added"][0]["depends_on"], json!(["a"]));
    assert!(events.iter().any(|e| e.r#type == "plan.replanning" && e.task_id == "b"));
    app.stop().await;
}

/// With `max_replans: 1`, a failure in the revision fails the run, saying
/// what the last revision was; a planner that cannot revise fails it with its
/// reason.
async fn replanning_is_bounded_and_can_fail_with_the_planners_reason(b: Backend) {
    let llm = common::fake_llm::FakeLlm::start(|body, _| {
        if common::fake_llm::prompt_text(body).contains("hopeless") {
            common::fake_llm::Reply::answer("I cannot plan this.", 10, 5)
        } else {
            common::fake_llm::Reply::answer(&revision_answer(), 100, 40)
        }
    })
    .await;
    let db = TestDb::new(b);
    let app = TestApp::with_policy(
        &db,
        &format!("{}on_task_failure: replan\nplanner:\n  max_repairs: 0\n  max_replans: 1\n", replan_policy(&llm)),
    )
    .await;
    let mut runs = app.runs().await;
    let retry_once = || {
        Some(pb::RunPolicy {
            default_retry: Some(pb::RetryPolicy { max_attempts: 1, ..Default::default() }),
            ..Default::default()
        })
    };
    let mut again = create("fetch again", vec![task("a", "w", &[]), task("b", "w", &["a"]), task("c", "w", &["b"])]);
    again.policy = retry_once();
    let again = create_run(&mut runs, again).await;
    let mut hopeless = create("hopeless", vec![task("x", "w", &[])]);
    hopeless.policy = retry_once();
    let hopeless = create_run(&mut runs, hopeless).await;
    let w = spawn_agent(app.addr, "w", "w", |a| match a.task_id.as_str() {
        "a" => Outcome::Complete(json!("page one")),
        _ => Outcome::Fail(format!("{} broke", a.task_id), false),
    });
    let done = wait_terminal(&mut runs, &again.id, 60).await;
    let gave_up = wait_terminal(&mut runs, &hopeless.id, 60).await;
    w.abort();
    assert_eq!(done.status, pb::RunStatus::Failed as i32);
    assert!(
        done.failure_reason
            .starts_with("task \"rev1.mirror\" failed: rev1.mirror broke; the plan was revised 1 time (max_replans)"),
        "{}",
        done.failure_reason
    );
    assert!(
        done.failure_reason.contains("the last revision: rev1.mirror \"Use the mirror\""),
        "{}",
        done.failure_reason
    );
    let policy = done.policy.clone().unwrap_or_default();
    assert_eq!(
        (policy.on_task_failure, policy.max_replans),
        (pb::TaskFailureAction::Replan as i32, 1),
        "the server's defaults"
    );
    // The revised failure is the revision's to redo; what it replaced stays replaced.
    let retry = |task_id: &str| pb::RetryTaskRequest { run_id: again.id.clone(), task_id: task_id.into() };
    let err = runs.retry_task(retry("b")).await.expect_err("revised");
    assert_eq!(err.code(), Code::FailedPrecondition, "{err:?}");
    assert!(err.message().contains("answered by a revision"), "{}", err.message());
    runs.retry_task(retry("rev1.mirror")).await.expect("the revision's task is retried");
    let tasks = list_tasks(&mut runs, &again.id).await;
    let c = tasks.iter().find(|t| t.id == "c").expect("c");
    assert_eq!(c.status, pb::TaskStatus::Skipped as i32, "a replaced task is never re-opened");
    assert_eq!(gave_up.status, pb::RunStatus::Failed as i32);
    assert!(
        gave_up.failure_reason.starts_with("task \"x\" failed: x broke; replanning failed:"),
        "{}",
        gave_up.failure_reason
    );
    app.stop().await;
}

both_backends!(a_run_awaiting_its_revision_survives_a_server_kill);

/// SIGKILL while the planner is thinking about a revision: the restarted
/// server asks it again and the run completes with the revision.
async fn a_run_awaiting_its_revision_survives_a_server_kill(b: Backend) {
    let llm = common::fake_llm::FakeLlm::start(|_, n| {
        let mut reply = common::fake_llm::Reply::answer(&revision_answer(), 100, 40);
        // The first server's call outlives it.
        if n == 0 {
            reply.delay = std::time::Duration::from_secs(3);
        }
        reply
    })
    .await;
    let db = TestDb::new(b);
    let dir = tempfile::tempdir().expect("dir");
    let policy = dir.path().join("policy.yaml");
    std::fs::write(&policy, format!("{}on_task_failure: replan\n", replan_policy(&llm))).expect("policy");
    let log = dir.path().join("server.log");
    let mut server = common::ServerProcess::start(&db.raw_url, Some(&policy), &[], &log).await;
    let mut runs = server.runs();
    let mut req = create("fetch and finish", vec![task("a", "w", &[]), task("b", "w", &["a"])]);
    req.policy = Some(pb::RunPolicy {
        default_retry: Some(pb::RetryPolicy { max_attempts: 1, ..Default::default() }),
        ..Default::default()
    });
    let run = create_run(&mut runs, req).await;
    let work = |a: &pb::TaskAssignment| match a.task_id.as_str() {
        "b" => Outcome::Fail("the source is offline".into(), false),
        id => Outcome::Complete(json!(id)),
    };
    let w = spawn_agent(server.addr, "w", "w", work);
    // Until the planner has been asked.
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
    while llm.requests().is_empty() {
        assert!(tokio::time::Instant::now() < deadline, "the planner was never asked");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    w.abort();
    server.kill();
    let server = common::ServerProcess::start(&db.raw_url, Some(&policy), &[], &log).await;
    let mut runs = server.runs();
    let w = spawn_agent(server.addr, "w", "w", work);
    let done = wait_terminal(&mut runs, &run.id, 60).await;
    w.abort();
    assert_eq!(done.status, pb::RunStatus::Completed as i32, "{}", done.failure_reason);
    assert!(llm.requests().len() >= 2, "the restarted server asked the planner again");
    let tasks = list_tasks(&mut runs, &run.id).await;
    assert!(tasks.iter().any(|t| t.id == "rev1.finish" && t.status == pb::TaskStatus::Succeeded as i32));
}
