//! Planning, the `llm` executor and budgets, against a real HTTP server
//! standing in for the LLM API.

use crate::common;

use std::time::{Duration, Instant};

use common::fake_llm::{is_planner, prompt_text, FakeLlm, Reply};
use common::{all_events, create, create_run, task, wait_terminal, Backend, TestApp, TestDb};
use orchestrator::llm::{LlmClient, LlmError, Message};
use orchestrator::proto::v1 as pb;
use serde_json::{json, Value};

fn policy(llm: &FakeLlm, extra_models: &str, writer_concurrency: u32) -> String {
    format!(
        "models:\n  main:\n    base_url: {}\n    model: fake-main\n    timeout: 3s\n    max_retries: 2\n{extra_models}\
agents:\n  - name: writer\n    description: writes short texts\n    capabilities: [write]\n    executor: llm\n    system_prompt: You write.\n    concurrency: {writer_concurrency}\n",
        llm.base_url()
    )
}

fn utility(llm: &FakeLlm) -> String {
    format!("  utility:\n    base_url: {}\n    model: fake-utility\n    timeout: 3s\n", llm.base_url())
}

/// The title of the task a request is for ("Your task: TITLE").
fn task_title(body: &Value) -> String {
    prompt_text(body).lines().find_map(|l| l.strip_prefix("Your task: ").map(str::to_string)).unwrap_or_default()
}

fn plan_answer(tasks: Value) -> String {
    json!({ "tasks": tasks }).to_string()
}

fn good_plan() -> String {
    plan_answer(json!([
        { "id": "outline", "title": "Outline", "instructions": "outline it", "agent": "writer", "depends_on": [] },
        { "id": "draft", "title": "Draft", "instructions": "draft it", "agent": "writer", "depends_on": ["outline"] },
        { "id": "polish", "title": "Polish", "instructions": "polish it", "agent": "writer", "depends_on": ["draft"] }
    ]))
}

fn tokens(run: &pb::Run) -> u64 {
    run.usage.as_ref().map(|u| u.prompt_tokens + u.completion_tokens).unwrap_or(0)
}

both_backends!(a_goal_only_run_is_planned_executed_and_charged, budgets_fail_or_pause_then_resume);

async fn a_goal_only_run_is_planned_executed_and_charged(b: Backend) {
    let llm = FakeLlm::start(|body, _| {
        if is_planner(body) {
            Reply::answer(&good_plan(), 100, 40)
        } else {
            Reply::answer(&format!("result of {}", task_title(body)), 12, 7)
        }
    })
    .await;
    let db = TestDb::new(b);
    let app = TestApp::with_policy(&db, &policy(&llm, "", 2)).await;
    let mut runs = app.runs().await;
    let req = pb::CreateRunRequest { goal: "write a haiku about queues".into(), ..Default::default() };
    let run = create_run(&mut runs, req).await;
    assert_eq!(run.status, pb::RunStatus::Planning as i32);
    let done = wait_terminal(&mut runs, &run.id, 30).await;
    assert_eq!(done.status, pb::RunStatus::Completed as i32, "{}", done.failure_reason);
    assert_eq!(done.plan.as_ref().map(|p| p.tasks.len()), Some(3));
    let reqs = llm.requests();
    assert_eq!(reqs.len(), 4, "one planner call and one call per task");
    let expected: u64 = reqs.iter().map(|r| if is_planner(r) { 140 } else { 19 }).sum();
    assert_eq!(tokens(&done), expected, "tokens on GetRun equal what the server reported");
    let out = orchestrator::api::convert::value_to_json(done.output.as_ref().expect("output"), "o", 0).expect("json");
    assert_eq!(out, json!("result of Polish"));
    // The planner was asked for JSON of a schema, with the agent catalogue.
    let planner = reqs.iter().find(|r| is_planner(r)).expect("planner request");
    assert_eq!(planner["response_format"]["type"], "json_schema");
    assert!(prompt_text(planner).contains("writer: writes short texts [write]"));
    let events = all_events(&mut runs, &run.id).await;
    assert!(events.iter().any(|e| e.from_status == "CREATED" && e.to_status == "PLANNING"));
    assert!(events.iter().filter(|e| e.r#type == "usage.charged").count() >= 4, "an event per charge");
    app.stop().await;
}

async fn budgets_fail_or_pause_then_resume(b: Backend) {
    let llm = FakeLlm::start(|body, _| Reply::answer(&format!("ok {}", task_title(body)), 10, 5)).await;
    let db = TestDb::new(b);
    let app = TestApp::with_policy(&db, &policy(&llm, "", 2)).await;
    let mut runs = app.runs().await;
    let chain = || {
        vec![
            task("a", "writer", &[]),
            task("b", "writer", &["a"]),
            task("c", "writer", &["b"]),
            task("d", "writer", &["c"]),
        ]
    };

    let mut fail = create("fail on budget", chain());
    fail.budget =
        Some(pb::Budget { max_tokens: 20, on_exhausted: pb::BudgetPolicy::Fail as i32, ..Default::default() });
    let run = create_run(&mut runs, fail).await;
    let done = wait_terminal(&mut runs, &run.id, 30).await;
    assert_eq!(done.status, pb::RunStatus::Failed as i32);
    assert!(done.failure_reason.contains("tokens budget exhausted: used 30 of 20"), "{}", done.failure_reason);
    assert_eq!(tokens(&done), 30, "two calls of 15: the second crossed the limit, no third started");
    let events = all_events(&mut runs, &run.id).await;
    let ex = events.iter().find(|e| e.r#type == "run.budget_exhausted").expect("exhaustion event");
    let data = orchestrator::api::convert::struct_to_json(ex.data.as_ref().expect("data"), "d", 0).expect("json");
    assert_eq!(data["overshoot"], json!(10));

    let mut pause = create("pause on budget", chain());
    pause.budget =
        Some(pb::Budget { max_tokens: 20, on_exhausted: pb::BudgetPolicy::Pause as i32, ..Default::default() });
    let run = create_run(&mut runs, pause).await;
    let mut paused = None;
    for _ in 0..300 {
        let r = runs
            .get_run(pb::GetRunRequest { run_id: run.id.clone(), ..Default::default() })
            .await
            .expect("get")
            .into_inner();
        if r.status == pb::RunStatus::Paused as i32 {
            paused = Some(r);
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let paused = paused.expect("the run paused on its budget");
    assert!(paused.failure_reason.contains("ResumeRun"), "{}", paused.failure_reason);
    let resumed = runs
        .resume_run(pb::ResumeRunRequest {
            run_id: run.id.clone(),
            budget: Some(pb::Budget {
                max_tokens: 1_000,
                on_exhausted: pb::BudgetPolicy::Pause as i32,
                ..Default::default()
            }),
            budget_mask: None,
        })
        .await
        .expect("resume")
        .into_inner();
    assert_eq!(resumed.budget.as_ref().map(|b| b.max_tokens), Some(1_000));
    let done = wait_terminal(&mut runs, &run.id, 30).await;
    assert_eq!(done.status, pb::RunStatus::Completed as i32, "{}", done.failure_reason);
    assert_eq!(tokens(&done), 60);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn degrade_switches_to_the_utility_model_and_skips_optional_work() {
    let llm = FakeLlm::start(|body, _| Reply::answer(&format!("ok {}", task_title(body)), 10, 5)).await;
    let db = TestDb::new(Backend::Sqlite);
    let app = TestApp::with_policy(&db, &policy(&llm, &utility(&llm), 1)).await;
    let mut runs = app.runs().await;
    let mut extra = task("extra", "writer", &["c"]);
    extra.optional = true;
    let mut req = create(
        "degrade",
        vec![
            task("a", "writer", &[]),
            task("b", "writer", &["a"]),
            task("c", "writer", &["b"]),
            extra,
            task("d", "writer", &["c"]),
        ],
    );
    req.max_parallel = 1;
    req.budget =
        Some(pb::Budget { max_tokens: 20, on_exhausted: pb::BudgetPolicy::Degrade as i32, ..Default::default() });
    let run = create_run(&mut runs, req).await;
    let done = wait_terminal(&mut runs, &run.id, 30).await;
    assert_eq!(done.status, pb::RunStatus::Completed as i32, "{}", done.failure_reason);
    let models: Vec<String> = llm.requests().iter().map(|r| r["model"].as_str().unwrap_or("").to_string()).collect();
    assert_eq!(
        models,
        vec!["fake-main", "fake-main", "fake-utility", "fake-utility"],
        "after exhaustion the utility model is used"
    );
    let extra = runs
        .get_task(pb::GetTaskRequest { run_id: run.id.clone(), task_id: "extra".into() })
        .await
        .expect("t")
        .into_inner();
    assert_eq!(extra.status, pb::TaskStatus::Skipped as i32);
    let events = all_events(&mut runs, &run.id).await;
    assert_eq!(events.iter().filter(|e| e.r#type == "run.budget_exhausted").count(), 1);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_parallel_tasks_overshoot_only_by_calls_in_flight() {
    let llm = FakeLlm::start(|body, _| {
        let mut r = Reply::answer(&format!("ok {}", task_title(body)), 10, 5);
        r.delay = Duration::from_millis(30);
        r
    })
    .await;
    let db = TestDb::new(Backend::Sqlite);
    let concurrency = 8;
    let app = TestApp::with_policy(&db, &policy(&llm, "", concurrency)).await;
    let mut runs = app.runs().await;
    let tasks: Vec<pb::TaskSpec> = (0..50).map(|i| task(&format!("t{i}"), "writer", &[])).collect();
    let mut req = create("many", tasks);
    req.max_parallel = 50;
    req.budget = Some(pb::Budget { max_tokens: 200, ..Default::default() });
    let run = create_run(&mut runs, req).await;
    let done = wait_terminal(&mut runs, &run.id, 60).await;
    assert_eq!(done.status, pb::RunStatus::Failed as i32);
    let used = tokens(&done);
    assert!(used >= 200, "the budget was reached ({used})");
    assert!(used <= 200 + concurrency as u64 * 15, "overshoot {} exceeds the calls in flight", used - 200);
    assert!(llm.requests().len() < 50, "dispatch stopped at the budget");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_unfixable_plan_is_repaired_and_a_hopeless_one_fails_the_run() {
    // Two agents, so an unknown one cannot be guessed: only a repair fixes it.
    let llm = FakeLlm::start(|body, _| {
        let text = prompt_text(body);
        let ghost = plan_answer(json!([
            { "title": "A", "instructions": "x", "agent": "ghost", "after": [] },
            { "title": "B", "instructions": "x", "agent": "writer", "after": [1] }
        ]));
        if text.contains("hopeless") || (is_planner(body) && !text.contains("That plan cannot be used")) {
            return Reply::answer(&ghost, 5, 5);
        }
        Reply::answer(&good_plan(), 5, 5)
    })
    .await;
    let db = TestDb::new(Backend::Sqlite);
    let two_agents = format!("{}  - name: reader\n    description: reads\n", policy(&llm, "", 1));
    let app = TestApp::with_policy(&db, &two_agents).await;
    let mut coord = app.coord().await;
    let planned = coord
        .plan_run(pb::PlanRunRequest { goal: "repairable".into(), ..Default::default() })
        .await
        .expect("plan")
        .into_inner();
    assert_eq!(planned.planner_calls, 2);
    assert!(planned.advice.is_none(), "advice only when asked for");
    assert_eq!(planned.plan.expect("plan").tasks.len(), 3);
    assert_eq!(planned.analysis.expect("analysis").depth, 3);
    let repair = llm.requests().into_iter().nth(1).expect("repair request");
    let text = prompt_text(&repair);
    assert!(
        text.contains("Task 1 names the agent \"ghost\", which does not exist: use one of writer, reader."),
        "the violation is an instruction: {text}"
    );
    // With advice: Advise's answer on the run the plan would make.
    let ask = pb::PlanRunRequest { goal: "repairable".into(), advise: true, ..Default::default() };
    let advised = coord.plan_run(ask).await.expect("plan and advice").into_inner();
    let advice = advised.advice.expect("advice");
    let planned_ids: Vec<String> = advised.plan.expect("plan").tasks.into_iter().map(|t| t.id).collect();
    let advised_ids: Vec<String> = advice.tasks.iter().map(|t| t.task_id.clone()).collect();
    assert_eq!(advised_ids, planned_ids);
    assert!(advice.advice_id.starts_with("adv_"), "{advice:?}");
    let codes: Vec<&str> = advice.warnings.iter().map(|w| w.code.as_str()).collect();
    assert!(codes.contains(&"NO_CRITERIA") && codes.contains(&"NO_HISTORY"), "{codes:?}");
    let mut runs = app.runs().await;
    let run = create_run(&mut runs, pb::CreateRunRequest { goal: "hopeless".into(), ..Default::default() }).await;
    let done = wait_terminal(&mut runs, &run.id, 30).await;
    assert_eq!(done.status, pb::RunStatus::Failed as i32);
    assert!(
        done.failure_reason.contains("planning failed") && done.failure_reason.contains("\"ghost\""),
        "{}",
        done.failure_reason
    );
    assert!(done.failure_reason.contains("3 tries"), "{}", done.failure_reason);
    assert_eq!(tokens(&done), 30, "the planner's tokens are charged to the run");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_sealed_context_holds_dependency_outputs_and_nothing_else() {
    let llm = FakeLlm::start(|body, _| {
        let title = task_title(body);
        Reply::answer(&format!("secret-of-{}", title.trim_start_matches("task ")), 3, 3)
    })
    .await;
    let db = TestDb::new(Backend::Sqlite);
    let app = TestApp::with_policy(&db, &policy(&llm, "", 2)).await;
    let mut runs = app.runs().await;
    let run = create_run(
        &mut runs,
        create("sealed", vec![task("a", "writer", &[]), task("b", "writer", &[]), task("c", "writer", &["a"])]),
    )
    .await;
    let done = wait_terminal(&mut runs, &run.id, 30).await;
    assert_eq!(done.status, pb::RunStatus::Completed as i32, "{}", done.failure_reason);
    let c = llm.requests().into_iter().find(|r| task_title(r) == "task c").expect("c's request");
    let text = prompt_text(&c);
    assert!(text.contains("secret-of-a"), "c sees its dependency's output");
    assert!(!text.contains("secret-of-b") && !text.contains("do b"), "c sees nothing of b: {text}");
    assert!(text.contains("You write.") && text.contains("sealed") && text.contains("do c"));
    app.stop().await;
}

fn model(llm: &FakeLlm, timeout: &str, retries: u32) -> LlmClient {
    llm.client(&format!("timeout: {timeout}\nmax_retries: {retries}\napi_key_env: FAKE_LLM_KEY_FOR_TESTS\n"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_client_retries_what_is_worth_retrying() {
    std::env::set_var("FAKE_LLM_KEY_FOR_TESTS", "sk-test-secret");
    let msgs = [Message::user("hi")];
    // 429 with Retry-After: waits as told, then succeeds.
    let llm = FakeLlm::start(|_, n| {
        if n == 0 {
            Reply { retry_after: Some(1), ..Reply::status(429) }
        } else {
            Reply::answer("hello", 1, 1)
        }
    })
    .await;
    let t = Instant::now();
    let r = model(&llm, "2s", 3).chat(&msgs, None).await.expect("after a 429");
    assert_eq!(r.content, "hello");
    assert!(t.elapsed() >= Duration::from_millis(950), "Retry-After honoured ({:?})", t.elapsed());
    assert_eq!(llm.requests().len(), 2);
    // 500s: retried; too many: a clear error.
    let llm = FakeLlm::start(|_, n| if n < 2 { Reply::status(500) } else { Reply::answer("fine", 1, 1) }).await;
    assert_eq!(model(&llm, "2s", 3).chat(&msgs, None).await.expect("after 500s").content, "fine");
    let llm = FakeLlm::start(|_, _| Reply::status(503)).await;
    let e = model(&llm, "2s", 1).chat(&msgs, None).await.expect_err("always 503");
    assert!(matches!(e, LlmError::Status { status: 503, .. }), "{e}");
    assert_eq!(llm.requests().len(), 2, "one try and one retry");
    // 400 is not retried.
    let llm = FakeLlm::start(|_, _| Reply::status(400)).await;
    model(&llm, "2s", 3).chat(&msgs, None).await.expect_err("bad request");
    assert_eq!(llm.requests().len(), 1);
    // Timeouts are retried, then reported as such.
    let llm = FakeLlm::start(|_, _| Reply { delay: Duration::from_millis(1500), ..Reply::answer("late", 1, 1) }).await;
    let e = model(&llm, "300ms", 1).chat(&msgs, None).await.expect_err("timeout");
    assert!(e.to_string().contains("timed out"), "{e}");
    assert_eq!(llm.requests().len(), 2);
    // Malformed JSON: a clear reason, not retried.
    let llm = FakeLlm::start(|_, _| Reply { raw: Some("{not json".into()), ..Reply::answer("", 0, 0) }).await;
    let e = model(&llm, "2s", 3).chat(&msgs, None).await.expect_err("malformed");
    assert!(matches!(e, LlmError::Malformed(_)), "{e}");
    let llm = FakeLlm::start(|_, _| Reply { body: json!({"choices": []}), ..Reply::answer("", 0, 0) }).await;
    let e = model(&llm, "2s", 3).chat(&msgs, None).await.expect_err("no choices");
    assert!(e.to_string().contains("no choices"), "{e}");
    // The key travels only in the Authorization header, never in the body.
    assert!(!llm.requests()[0].to_string().contains("sk-test-secret"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn llm_failures_fail_the_task_with_a_clear_reason() {
    let llm = FakeLlm::start(|_, _| Reply::status(500)).await;
    let db = TestDb::new(Backend::Sqlite);
    let app = TestApp::with_policy(&db, &policy(&llm, "", 1)).await;
    let mut runs = app.runs().await;
    let mut req = create("broken model", vec![task("a", "writer", &[])]);
    req.policy = Some(pb::RunPolicy {
        default_retry: Some(pb::RetryPolicy {
            max_attempts: 2,
            initial_backoff: Some(prost_types::Duration { seconds: 0, nanos: 10_000_000 }),
            ..Default::default()
        }),
        ..Default::default()
    });
    let run = create_run(&mut runs, req).await;
    let done = wait_terminal(&mut runs, &run.id, 30).await;
    assert_eq!(done.status, pb::RunStatus::Failed as i32);
    assert!(done.failure_reason.contains("LLM server answered 500"), "{}", done.failure_reason);
    app.stop().await;
}

/// A run paused while it plans plans again when resumed (it has not started:
/// there is nothing to execute yet), and then runs to its end.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_run_paused_while_planning_plans_again_when_resumed() {
    let llm = FakeLlm::start(|body, n| {
        if is_planner(body) {
            let mut r = Reply::answer(&good_plan(), 100, 40);
            // The first plan comes late, after the pause.
            if n == 0 {
                r.delay = Duration::from_millis(1500);
            }
            r
        } else {
            Reply::answer(&format!("result of {}", task_title(body)), 12, 7)
        }
    })
    .await;
    let db = TestDb::new(Backend::Sqlite);
    let app = TestApp::with_policy(&db, &policy(&llm, "", 2)).await;
    let mut runs = app.runs().await;
    let req = pb::CreateRunRequest { goal: "write a haiku about pauses".into(), ..Default::default() };
    let run = create_run(&mut runs, req).await;
    assert_eq!(run.status, pb::RunStatus::Planning as i32);
    let paused = runs
        .pause_run(pb::PauseRunRequest { run_id: run.id.clone(), reason: "hold on".into() })
        .await
        .expect("pause while planning")
        .into_inner();
    assert_eq!(paused.status, pb::RunStatus::Paused as i32);
    tokio::time::sleep(Duration::from_millis(2000)).await;
    let resumed = runs
        .resume_run(pb::ResumeRunRequest { run_id: run.id.clone(), budget: None, budget_mask: None })
        .await
        .expect("resume a run that never started")
        .into_inner();
    assert!(
        [pb::RunStatus::Planning as i32, pb::RunStatus::Executing as i32].contains(&resumed.status),
        "resumed into {:?}",
        resumed.status
    );
    let done = wait_terminal(&mut runs, &run.id, 30).await;
    assert_eq!(done.status, pb::RunStatus::Completed as i32, "{}", done.failure_reason);
    app.stop().await;
}
