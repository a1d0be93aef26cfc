//! Delegation to child runs over real gRPC, on both backends: a task of
//! kind RUN starts a child run, completes with its output and fails with its
//! failure; cancel and pause are handed down, usage rolls up, the child's
//! budget is carved out of the parent's, the trace is one tree, and a server
//! killed while a child runs loses nothing.

use crate::common;

use std::time::Duration;

use common::{create, create_run, task, violations, wait_terminal, Backend, TestApp, TestDb};
use orchestrator::api::convert::{json_to_value, value_to_json};
use orchestrator::proto::v1 as pb;
use serde_json::{json, Value};
use tonic::transport::Channel;
use tonic::Code;

type Runs = pb::run_service_client::RunServiceClient<Channel>;

both_backends!(
    a_task_delegates_to_a_child_run_and_completes_with_its_output,
    cancel_and_pause_are_handed_down_to_the_child,
    a_child_keeps_to_its_share_of_the_budget_and_its_failure_is_the_tasks,
    bad_child_runs_are_refused_with_every_violation,
    a_child_run_survives_a_server_kill,
    a_child_without_a_plan_is_planned_from_its_goal,
    a_child_too_deep_fails_and_the_failure_climbs_the_tree,
    a_timeout_on_the_task_bounds_its_child,
    a_pause_the_parent_made_itself_reaches_the_child,
    a_child_waits_for_the_budget_its_sibling_holds
);

/// A task of kind RUN delegating to a child run with this plan (and budget).
fn delegate(id: &str, deps: &[&str], plan: Vec<pb::TaskSpec>, budget: Option<pb::Budget>) -> pb::TaskSpec {
    pb::TaskSpec {
        id: id.into(),
        title: format!("delegate {id}"),
        instructions: format!("sub-goal of {id}"),
        kind: pb::TaskKind::Run as i32,
        depends_on: deps.iter().map(|d| d.to_string()).collect(),
        child: Some(pb::ChildRun { plan: Some(pb::Plan { tasks: plan }), budget, ..Default::default() }),
        ..Default::default()
    }
}

fn tokens(n: u64) -> Option<pb::Budget> {
    Some(pb::Budget { max_tokens: n, ..Default::default() })
}

fn json_of(v: &Option<prost_types::Value>) -> Value {
    v.as_ref().map(|v| value_to_json(v, "v", 0).expect("json")).unwrap_or(Value::Null)
}

/// An agent over real gRPC that completes every task of `agent` with
/// `work`'s output, reporting `prompt` + `completion` tokens per task.
fn usage_agent<F>(addr: std::net::SocketAddr, agent: &str, prompt: u64, work: F) -> tokio::task::JoinHandle<()>
where
    F: Fn(&pb::TaskAssignment) -> Value + Send + Sync + 'static,
{
    let agent = agent.to_string();
    tokio::spawn(async move {
        let channel = tonic::transport::Endpoint::from_shared(format!("http://{addr}")).expect("url").connect_lazy();
        let mut c = pb::coordinator_service_client::CoordinatorServiceClient::new(channel);
        loop {
            let poll = pb::PollTaskRequest {
                agent: agent.clone(),
                agent_instance: "usage-agent".into(),
                wait: Some(prost_types::Duration { seconds: 2, nanos: 0 }),
                ..Default::default()
            };
            let Ok(r) = c.poll_task(poll).await else {
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            };
            let Some(a) = r.into_inner().assignment else { continue };
            let output = work(&a);
            let _ = c
                .complete_task(pb::CompleteTaskRequest {
                    lease_id: a.lease_id.clone(),
                    output: Some(json_to_value(&output)),
                    usage: Some(pb::Usage { prompt_tokens: prompt, completion_tokens: 5, ..Default::default() }),
                    ..Default::default()
                })
                .await;
        }
    })
}

async fn children(runs: &mut Runs, parent: &str) -> Vec<pb::Run> {
    runs.list_runs(pb::ListRunsRequest { parent_run_id: parent.into(), ..Default::default() })
        .await
        .expect("list")
        .into_inner()
        .runs
}

/// The child runs of `parent` once there are `n` of them.
async fn wait_children(runs: &mut Runs, parent: &str, n: usize) -> Vec<pb::Run> {
    for _ in 0..200 {
        let found = children(runs, parent).await;
        if found.len() >= n {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("run {parent} has not {n} child runs after 10s");
}

async fn wait_status(runs: &mut Runs, run_id: &str, status: pb::RunStatus) -> pb::Run {
    for _ in 0..200 {
        let run = runs.get_run(pb::GetRunRequest { run_id: run_id.into(), ..Default::default() }).await.expect("get");
        let run = run.into_inner();
        if run.status == status as i32 {
            return run;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("run {run_id} is not {status:?} after 10s");
}

async fn get_task(runs: &mut Runs, run_id: &str, task_id: &str) -> pb::Task {
    runs.get_task(pb::GetTaskRequest { run_id: run_id.into(), task_id: task_id.into() })
        .await
        .expect("task")
        .into_inner()
}

fn tokens_of(r: &pb::Run) -> u64 {
    r.usage.as_ref().map(|u| u.prompt_tokens + u.completion_tokens).unwrap_or(0)
}

/// prep → delegate (a child run: c1 → c2) → after. The child sees only the
/// delegating task's instructions and inputs; the parent completes with the
/// child's output passed on; usage rolls up; one trace holds both runs.
async fn a_task_delegates_to_a_child_run_and_completes_with_its_output(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::with_policy(&db, "agents:\n  - name: w\n    executor: agent\n").await;
    let mut runs = app.runs().await;
    let child_plan = vec![task("c1", "w", &[]), task("c2", "w", &["c1"])];
    let plan = vec![
        task("prep", "w", &[]),
        delegate("delegate", &["prep"], child_plan, tokens(500)),
        task("after", "w", &["delegate"]),
    ];
    let mut req = create("parent", plan);
    req.budget = tokens(10_000);
    req.context = Some(orchestrator::api::convert::json_to_struct(
        json!({"secret": "the parent's own"}).as_object().expect("object"),
    ));
    let run = create_run(&mut runs, req).await;
    let agent = usage_agent(app.addr, "w", 10, |a| {
        let ctx = a
            .context
            .as_ref()
            .map(|c| Value::Object(orchestrator::api::convert::struct_to_json(c, "c", 0).expect("ctx")));
        match a.task_id.as_str() {
            "prep" => json!({"facts": [1, 2, 3]}),
            "c1" => json!({"context": ctx, "goal": a.goal}),
            "c2" => json!({"answer": 42, "from": json_of(&a.inputs.get("c1").cloned())}),
            _ => json!({"got": json_of(&a.inputs.get("delegate").cloned())}),
        }
    });
    let done = wait_terminal(&mut runs, &run.id, 30).await;
    agent.abort();
    assert_eq!(done.status, pb::RunStatus::Completed as i32, "{}", done.failure_reason);
    let kids = children(&mut runs, &run.id).await;
    assert_eq!(kids.len(), 1);
    let child = &kids[0];
    assert_eq!(child.status, pb::RunStatus::Completed as i32);
    let p = child.parent.as_ref().expect("parent");
    assert_eq!((p.run_id.as_str(), p.task_id.as_str(), p.attempt, p.depth), (run.id.as_str(), "delegate", 1, 1));
    assert_eq!(child.goal, "sub-goal of delegate", "the goal defaults to the task's instructions");
    assert_eq!(child.budget.as_ref().map(|b| b.max_tokens), Some(500));
    // The child's output is the task's, and what follows gets it.
    let c1 = json!({
        "context": {"instructions": "sub-goal of delegate", "inputs": {"prep": {"facts": [1, 2, 3]}}},
        "goal": "sub-goal of delegate",
    });
    let child_output = json!({"answer": 42, "from": c1});
    assert_eq!(json_of(&child.output), child_output, "sealed: the task's instructions and inputs, nothing else");
    assert_eq!(json_of(&done.output), json!({"got": child_output}));
    // Usage rolls up: 15 tokens per agent task, two in the parent and two in the child.
    assert_eq!(tokens_of(child), 30);
    assert_eq!(tokens_of(&done), 60);
    let d = get_task(&mut runs, &run.id, "delegate").await;
    assert_eq!(d.attempts.len(), 1);
    let du = d.attempts[0].usage.as_ref().expect("usage");
    assert_eq!(du.prompt_tokens + du.completion_tokens, 30, "the child's usage is its attempt's");
    let events = common::all_events(&mut runs, &run.id).await;
    let started: Vec<_> = events.iter().filter(|e| e.r#type == "child_run.started").collect();
    assert_eq!(started.len(), 1);
    assert_eq!(started[0].task_id, "delegate");
    // One trace: the child's run span hangs under the attempt that started it.
    let trace =
        runs.get_run_trace(pb::GetRunTraceRequest { run_id: run.id.clone() }).await.expect("trace").into_inner();
    assert!(trace.spans.iter().all(|s| s.trace_id == trace.trace_id), "one trace id");
    let attr = |s: &pb::Span, k: &str| {
        s.attributes
            .as_ref()
            .and_then(|a| a.fields.get(k))
            .and_then(|v| value_to_json(v, "a", 0).ok())
            .unwrap_or(Value::Null)
    };
    let attempt = trace
        .spans
        .iter()
        .find(|s| s.name == "attempt" && attr(s, "orchestrator.task.id") == json!("delegate"))
        .expect("the delegating attempt's span");
    let child_span = trace
        .spans
        .iter()
        .find(|s| s.name == "run" && attr(s, "orchestrator.run.id") == json!(child.id))
        .expect("the child's run span");
    assert_eq!(child_span.parent_span_id, attempt.span_id);
    let tasks: Vec<_> = trace.spans.iter().filter(|s| s.name == "task").collect();
    assert_eq!(tasks.len(), 5, "the parent's three tasks and the child's two");
    // The filter names only that run's children.
    assert!(children(&mut runs, &child.id).await.is_empty());
    app.stop().await;
}

/// A child whose agent nobody serves. Paused by a person, it stays paused
/// through its parent's pause and resume; otherwise its parent's pause pauses
/// it and the resume resumes it; cancelling the parent cancels it. Its
/// budget cannot be raised by itself.
async fn cancel_and_pause_are_handed_down_to_the_child(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::start(common::test_config(&db)).await;
    let mut runs = app.runs().await;
    let run =
        create_run(&mut runs, create("parent", vec![delegate("d", &[], vec![task("x", "idle", &[])], None)])).await;
    let child = wait_children(&mut runs, &run.id, 1).await.remove(0);
    wait_status(&mut runs, &child.id, pb::RunStatus::Executing).await;
    let pause = |id: &str, why: &str| pb::PauseRunRequest { run_id: id.into(), reason: why.into() };
    let resume = |id: &str| pb::ResumeRunRequest { run_id: id.into(), ..Default::default() };
    // A person's pause of the child is theirs to lift.
    runs.pause_run(pause(&child.id, "mine")).await.expect("pause the child");
    runs.pause_run(pause(&run.id, "hold")).await.expect("pause");
    wait_status(&mut runs, &run.id, pb::RunStatus::Paused).await;
    runs.resume_run(resume(&run.id)).await.expect("resume");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let still = wait_status(&mut runs, &child.id, pb::RunStatus::Paused).await;
    assert_eq!(still.failure_reason, "mine", "the parent's resume left the person's pause");
    runs.resume_run(resume(&child.id)).await.expect("resume the child");
    // The parent's own pause is handed down, and lifted with it.
    runs.pause_run(pause(&run.id, "hold")).await.expect("pause");
    let paused = wait_status(&mut runs, &child.id, pb::RunStatus::Paused).await;
    assert!(paused.failure_reason.contains("was paused"), "{}", paused.failure_reason);
    runs.resume_run(resume(&run.id)).await.expect("resume");
    wait_status(&mut runs, &child.id, pb::RunStatus::Executing).await;
    let raise = pb::ResumeRunRequest { run_id: child.id.clone(), budget: tokens(1), ..Default::default() };
    let refused = runs.resume_run(raise).await.expect_err("a child's budget is its parent's to give");
    assert_eq!(refused.code(), Code::FailedPrecondition, "{}", refused.message());
    runs.cancel_run(pb::CancelRunRequest { run_id: run.id.clone(), reason: "enough".into() }).await.expect("cancel");
    let cancelled = wait_terminal(&mut runs, &child.id, 10).await;
    assert_eq!(cancelled.status, pb::RunStatus::Cancelled as i32);
    assert!(cancelled.failure_reason.contains("its parent task \"d\""), "{}", cancelled.failure_reason);
    let d = get_task(&mut runs, &run.id, "d").await;
    assert_eq!(d.status, pb::TaskStatus::Cancelled as i32);
    app.stop().await;
}

/// The parent pauses itself (its budget spent, `on_exhausted: PAUSE`): the
/// pause is handed down to its child too, and lifted with the parent's.
async fn a_pause_the_parent_made_itself_reaches_the_child(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::start(common::test_config(&db)).await;
    let mut runs = app.runs().await;
    let plan = vec![task("spend", "w", &[]), delegate("d", &[], vec![task("x", "idle", &[])], tokens(5))];
    let mut req = create("pausing", plan);
    req.budget =
        Some(pb::Budget { max_tokens: 10, on_exhausted: pb::BudgetPolicy::Pause as i32, ..Default::default() });
    let run = create_run(&mut runs, req).await;
    let child = wait_children(&mut runs, &run.id, 1).await.remove(0);
    let agent = usage_agent(app.addr, "w", 10, |_| json!("spent"));
    wait_status(&mut runs, &run.id, pb::RunStatus::Paused).await;
    agent.abort();
    let paused = wait_status(&mut runs, &child.id, pb::RunStatus::Paused).await;
    assert!(paused.failure_reason.contains("was paused"), "{}", paused.failure_reason);
    let raise = pb::ResumeRunRequest { run_id: run.id.clone(), budget: tokens(1000), ..Default::default() };
    runs.resume_run(raise).await.expect("resume with more");
    wait_status(&mut runs, &child.id, pb::RunStatus::Executing).await;
    app.stop().await;
}

/// Two children that leave their budget unset: the first holds all the
/// parent has left; the second waits for it to end (nothing fails), then
/// gets what the first did not use.
async fn a_child_waits_for_the_budget_its_sibling_holds(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::start(common::test_config(&db)).await;
    let mut runs = app.runs().await;
    let plan =
        vec![delegate("a", &[], vec![task("x", "w", &[])], None), delegate("b", &[], vec![task("y", "w", &[])], None)];
    let mut req = create("siblings", plan);
    req.budget = tokens(1000);
    let run = create_run(&mut runs, req).await;
    let first = wait_children(&mut runs, &run.id, 1).await.remove(0);
    assert_eq!(first.budget.as_ref().map(|b| b.max_tokens), Some(1000));
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(children(&mut runs, &run.id).await.len(), 1, "the second waits");
    assert_eq!(get_task(&mut runs, &run.id, "b").await.status, pb::TaskStatus::Ready as i32);
    let agent = usage_agent(app.addr, "w", 95, |a| json!(a.task_id));
    let done = wait_terminal(&mut runs, &run.id, 30).await;
    agent.abort();
    assert_eq!(done.status, pb::RunStatus::Completed as i32, "{}", done.failure_reason);
    let kids = children(&mut runs, &run.id).await;
    assert_eq!(kids.len(), 2);
    let second = kids.iter().find(|k| k.id != first.id).expect("second");
    assert_eq!(second.budget.as_ref().map(|b| b.max_tokens), Some(900), "what the first left");
    assert_eq!(tokens_of(&done), 200);
    app.stop().await;
}

/// The parent has 1,000 tokens. `small` asks for 100 and its first task
/// spends 150: the child fails on its budget before its second task, and so
/// do the task and the parent,
/// whose usage has the child's. `rest` asks for nothing and gets what is
/// left (900: `small` holds its 100); it is cancelled when the parent fails.
async fn a_child_keeps_to_its_share_of_the_budget_and_its_failure_is_the_tasks(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::start(common::test_config(&db)).await;
    let mut runs = app.runs().await;
    let plan = vec![
        delegate("small", &[], vec![task("spend", "w", &[]), task("more", "w", &["spend"])], tokens(100)),
        delegate("rest", &[], vec![task("wait", "idle", &[])], None),
    ];
    let mut req = create("budgeted", plan);
    req.budget = tokens(1000);
    let run = create_run(&mut runs, req).await;
    let kids = wait_children(&mut runs, &run.id, 2).await;
    let budget_of = |task: &str| {
        let k = kids.iter().find(|k| k.parent.as_ref().is_some_and(|p| p.task_id == task)).expect("child");
        (k.id.clone(), k.budget.as_ref().map(|b| b.max_tokens))
    };
    let ((small, small_budget), (rest, rest_budget)) = (budget_of("small"), budget_of("rest"));
    assert_eq!((small_budget, rest_budget), (Some(100), Some(900)));
    let agent = usage_agent(app.addr, "w", 145, |_| json!("spent"));
    let done = wait_terminal(&mut runs, &run.id, 30).await;
    agent.abort();
    assert_eq!(done.status, pb::RunStatus::Failed as i32);
    let small_run = wait_terminal(&mut runs, &small, 10).await;
    assert_eq!(small_run.status, pb::RunStatus::Failed as i32, "over its share: {}", small_run.failure_reason);
    let t = get_task(&mut runs, &run.id, "small").await;
    assert_eq!(t.status, pb::TaskStatus::Failed as i32);
    assert!(t.error.contains(&format!("child run {small} failed")), "{}", t.error);
    assert_eq!(tokens_of(&done), 150, "the failed child's usage rolled up");
    let rest_run = wait_terminal(&mut runs, &rest, 10).await;
    assert_eq!(rest_run.status, pb::RunStatus::Cancelled as i32, "nothing waits for it: {}", rest_run.failure_reason);
    app.stop().await;
}

/// Every mistake at once: a run task without a child, with an agent, an
/// agent task with a child, a child plan with an unknown agent and a cycle,
/// child runs nested four deep.
async fn bad_child_runs_are_refused_with_every_violation(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::with_policy(&db, "agents:\n  - name: w\n    executor: agent\n").await;
    let mut runs = app.runs().await;
    let no_child = pb::TaskSpec { child: None, ..delegate("no-child", &[], vec![], None) };
    let with_agent = pb::TaskSpec { agent: "w".into(), ..delegate("with-agent", &[], vec![task("a", "w", &[])], None) };
    let agent_with_child = pb::TaskSpec { child: with_agent.child.clone(), ..task("agent-child", "w", &[]) };
    let bad_plan = delegate("bad-plan", &[], vec![task("p", "nobody", &["q"]), task("q", "w", &["p"])], None);
    let mut deep = delegate("d4", &[], vec![task("leaf", "w", &[])], None);
    for level in (1..4).rev() {
        deep = delegate(&format!("d{level}"), &[], vec![deep], None);
    }
    let plan = vec![no_child, with_agent, agent_with_child, bad_plan, deep];
    let err = runs.create_run(create("bad children", plan)).await.expect_err("refused");
    assert_eq!(err.code(), Code::InvalidArgument, "{}", err.message());
    let mut fields = violations(&err);
    fields.sort();
    let deep_field = "plan.tasks[4].child.plan.tasks[0].child.plan.tasks[0].child.plan.tasks[0].child";
    let mut expected = vec![
        "plan.tasks[0].child",
        "plan.tasks[1].agent",
        "plan.tasks[2].child",
        "plan.tasks[3].child.plan.tasks",
        "plan.tasks[3].child.plan.tasks[0].agent",
        deep_field,
    ];
    expected.sort();
    assert_eq!(fields, expected, "{}", err.message());
    let long = pb::ListRunsRequest { parent_run_id: "r".repeat(200), ..Default::default() };
    let err = runs.list_runs(long).await.expect_err("a parent id over 128 bytes");
    assert_eq!(violations(&err), ["parent_run_id"]);
    app.stop().await;
}

/// SIGKILL of the server while a child run waits for its agent: the
/// restarted server finishes the child and its parent, with one child run.
async fn a_child_run_survives_a_server_kill(b: Backend) {
    let db = TestDb::new(b);
    let dir = tempfile::tempdir().expect("dir");
    let log = dir.path().join("server.log");
    let mut server = common::ServerProcess::start(&db.raw_url, None, &[], &log).await;
    let mut runs = server.runs();
    let plan = vec![delegate("d", &[], vec![task("c", "w", &[])], None), task("after", "w", &["d"])];
    let run = create_run(&mut runs, create("crash under a child", plan)).await;
    wait_children(&mut runs, &run.id, 1).await;
    server.kill();
    let server = common::ServerProcess::start(&db.raw_url, None, &[], &log).await;
    let mut runs = server.runs();
    let agent = usage_agent(server.addr, "w", 1, |a| json!({"task": a.task_id}));
    let done = wait_terminal(&mut runs, &run.id, 30).await;
    agent.abort();
    assert_eq!(done.status, pb::RunStatus::Completed as i32, "{}", done.failure_reason);
    assert_eq!(json_of(&done.output), json!({"task": "after"}));
    assert_eq!(children(&mut runs, &run.id).await.len(), 1, "one child run, started once");
    assert_eq!(get_task(&mut runs, &run.id, "d").await.attempt_count, 1);
}

/// A child with a goal and no plan: the planner (a real HTTP server) plans
/// it, its agent runs it, and the planner's tokens roll up to the parent.
async fn a_child_without_a_plan_is_planned_from_its_goal(b: Backend) {
    use common::fake_llm::{FakeLlm, Reply};
    let answer = json!({"tasks": [
        {"id": "write", "title": "Write", "instructions": "write it", "agent": "w", "depends_on": []}
    ]});
    let llm = FakeLlm::start(move |_, _| Reply::answer(&answer.to_string(), 100, 40)).await;
    let db = TestDb::new(b);
    let policy = format!(
        "models:\n  main:\n    base_url: {}\n    model: fake-planner\n    timeout: 3s\n    max_retries: 0\n\
agents:\n  - name: w\n    description: writes\n    executor: agent\n",
        llm.base_url()
    );
    let app = TestApp::with_policy(&db, &policy).await;
    let mut runs = app.runs().await;
    let d = pb::TaskSpec {
        id: "d".into(),
        instructions: "the parent's words".into(),
        kind: pb::TaskKind::Run as i32,
        child: Some(pb::ChildRun { goal: "write a haiku".into(), ..Default::default() }),
        ..Default::default()
    };
    let run = create_run(&mut runs, create("parent", vec![d])).await;
    let w = common::spawn_agent(app.addr, "w", "w", |a| common::Outcome::Complete(json!({"by": a.task_id})));
    let done = wait_terminal(&mut runs, &run.id, 30).await;
    w.abort();
    assert_eq!(done.status, pb::RunStatus::Completed as i32, "{}", done.failure_reason);
    assert_eq!(json_of(&done.output), json!({"by": "write"}));
    let child = children(&mut runs, &run.id).await.remove(0);
    assert_eq!(child.goal, "write a haiku");
    assert!(common::fake_llm::prompt_text(&llm.requests()[0]).contains("write a haiku"));
    assert_eq!(tokens_of(&done), 140, "the child's planner tokens are the parent's too");
    app.stop().await;
}

/// Runs nested three deep (the limit); the deepest one's agent spawns a
/// fourth-level `run` task at run time. It cannot start: it fails, and the
/// failure climbs the tree to the top-level run, one child's reason in the next.
async fn a_child_too_deep_fails_and_the_failure_climbs_the_tree(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::start(common::test_config(&db)).await;
    let (mut runs, mut coord) = (app.runs().await, app.coord().await);
    let mut nested = vec![task("s", "w", &[])];
    for level in (1..=3).rev() {
        nested = vec![delegate(&format!("d{level}"), &[], nested, None)];
    }
    let run = create_run(&mut runs, create("deep", nested)).await;
    let a = loop {
        let poll = pb::PollTaskRequest {
            agent: "w".into(),
            wait: Some(prost_types::Duration { seconds: 5, nanos: 0 }),
            ..Default::default()
        };
        if let Some(a) = coord.poll_task(poll).await.expect("poll").into_inner().assignment {
            break a;
        }
    };
    let too_deep = delegate("d4", &["s"], vec![task("leaf", "w", &[])], None);
    coord
        .complete_task(pb::CompleteTaskRequest {
            lease_id: a.lease_id.clone(),
            output: Some(json_to_value(&json!("spawning"))),
            spawn: vec![too_deep],
            ..Default::default()
        })
        .await
        .expect("the spawn itself is a valid plan");
    let done = wait_terminal(&mut runs, &run.id, 30).await;
    assert_eq!(done.status, pb::RunStatus::Failed as i32);
    assert!(done.failure_reason.contains("child runs nest at most 3 deep"), "{}", done.failure_reason);
    let deepest = get_task(&mut runs, &a.run_id, "d4").await;
    assert_eq!(deepest.status, pb::TaskStatus::Failed as i32);
    assert_eq!(deepest.attempt_count, 1, "refused, not retried");
    let mut level = run.id.clone();
    for _ in 0..3 {
        let kids = children(&mut runs, &level).await;
        assert_eq!(kids.len(), 1);
        assert_eq!(kids[0].status, pb::RunStatus::Failed as i32);
        level = kids[0].id.clone();
    }
    assert_eq!(level, a.run_id, "the agent's task was three levels down");
    // A child's end is its task's: it is not retried by itself, but its task is (a fresh child).
    let refused = runs
        .retry_task(pb::RetryTaskRequest { run_id: a.run_id.clone(), task_id: "d4".into() })
        .await
        .expect_err("a child run's own retry");
    assert_eq!(refused.code(), Code::FailedPrecondition);
    assert!(refused.message().contains("is a child run of task \"d3\""), "{}", refused.message());
    runs.retry_task(pb::RetryTaskRequest { run_id: run.id.clone(), task_id: "d1".into() }).await.expect("retry d1");
    let again = wait_children(&mut runs, &run.id, 2).await;
    assert!(again.iter().any(|k| k.parent.as_ref().is_some_and(|p| p.attempt == 2)), "a fresh child for attempt 2");
    app.stop().await;
}

/// A `run` task with a 1 s timeout and one attempt: its child's first task
/// runs (and spends 15 tokens), its second waits for an agent nobody serves;
/// the attempt times out, the task and the run fail, the child is cancelled,
/// and what it spent is charged to the parent all the same.
async fn a_timeout_on_the_task_bounds_its_child(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::start(common::test_config(&db)).await;
    let mut runs = app.runs().await;
    let d = pb::TaskSpec {
        timeout: Some(prost_types::Duration { seconds: 1, nanos: 0 }),
        retry: Some(pb::RetryPolicy { max_attempts: 1, ..Default::default() }),
        ..delegate("d", &[], vec![task("x", "w", &[]), task("y", "idle", &["x"])], None)
    };
    let run = create_run(&mut runs, create("bounded", vec![d])).await;
    let agent = usage_agent(app.addr, "w", 10, |_| json!("half way"));
    let done = wait_terminal(&mut runs, &run.id, 20).await;
    agent.abort();
    assert_eq!(done.status, pb::RunStatus::Failed as i32);
    let t = get_task(&mut runs, &run.id, "d").await;
    assert_eq!(t.status, pb::TaskStatus::Failed as i32);
    assert_eq!(t.attempts[0].status, pb::AttemptStatus::Failed as i32, "timed out: {}", t.attempts[0].error);
    let child = children(&mut runs, &run.id).await.remove(0);
    let child = wait_terminal(&mut runs, &child.id, 10).await;
    assert_eq!(child.status, pb::RunStatus::Cancelled as i32, "{}", child.failure_reason);
    assert_eq!(tokens_of(&child), 15);
    for _ in 0..100 {
        let now = runs.get_run(pb::GetRunRequest { run_id: run.id.clone(), ..Default::default() }).await;
        if tokens_of(&now.expect("get").into_inner()) == 15 {
            app.stop().await;
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the cancelled child's 15 tokens never reached its parent");
}
