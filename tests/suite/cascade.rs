//! The verifier-driven model cascade over real gRPC, on both backends,
//! against a real HTTP server standing in for two models: an attempt runs
//! on the cheap model, a rejected answer's retry on the strong one (with
//! the feedback), and once the outcomes show the cheap model failing a task
//! kind, that kind starts on the strong one while other kinds still start
//! cheap.

use crate::common;

use std::time::Duration;

use common::fake_llm::{prompt_text, FakeLlm, Reply};
use common::{all_events, create, create_run, wait_terminal, Backend, TestApp, TestDb};
use orchestrator::api::convert::json_to_struct;
use orchestrator::proto::v1 as pb;
use orchestrator::proto::v1::guidance_service_client::GuidanceServiceClient;
use orchestrator::proto::v1::run_service_client::RunServiceClient;
use serde_json::{json, Value};
use tonic::transport::Channel;

both_backends!(
    a_cascade_climbs_on_a_rejected_answer_and_learns_where_to_start,
    a_failed_call_climbs_and_a_degraded_run_uses_the_utility_model
);

fn policy(llm: &FakeLlm) -> String {
    let url = llm.base_url();
    format!(
        "models:
  cascade:
    min_samples: 2
    min_pass_rate: 0.5
    models:
      - {{base_url: {url}, model: cheap, timeout: 3s, max_retries: 0, prompt_price_per_mtok: 1}}
      - {{base_url: {url}, model: strong, timeout: 3s, prompt_price_per_mtok: 20}}
agents:
  - name: answerer
    executor: llm
    model: cascade
"
    )
}

/// A question about an animal's legs, checked against `legs`.
fn question(id: &str, animal: &str, legs: u32) -> pb::TaskSpec {
    pb::TaskSpec {
        id: id.into(),
        title: format!("How many legs does a {animal} have"),
        instructions: "Answer with JSON {\"legs\": number}.".into(),
        agent: "answerer".into(),
        criteria: vec![pb::Criterion {
            id: "legs".into(),
            kind: "json_path_equals".into(),
            params: json!({"path": "$.legs", "value": legs}).as_object().map(json_to_struct),
            ..Default::default()
        }],
        retry: Some(pb::RetryPolicy {
            max_attempts: 3,
            initial_backoff: Some(prost_types::Duration { seconds: 0, nanos: 10_000_000 }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn json_of(s: &prost_types::Struct) -> serde_json::Map<String, Value> {
    orchestrator::api::convert::struct_to_json(s, "s", 0).expect("json")
}

async fn attempts(runs: &mut RunServiceClient<Channel>, run_id: &str, task_id: &str) -> Vec<pb::Attempt> {
    let t = runs.get_task(pb::GetTaskRequest { run_id: run_id.into(), task_id: task_id.into() }).await;
    t.expect("task").into_inner().attempts
}

fn models(attempts: &[pb::Attempt]) -> Vec<&str> {
    attempts.iter().map(|a| a.model.as_str()).collect()
}

async fn completed(runs: &mut RunServiceClient<Channel>, req: pb::CreateRunRequest) -> String {
    let run = create_run(runs, req).await;
    let done = wait_terminal(runs, &run.id, 30).await;
    assert_eq!(done.status, pb::RunStatus::Completed as i32, "{}", done.failure_reason);
    run.id
}

async fn a_cascade_climbs_on_a_rejected_answer_and_learns_where_to_start(b: Backend) {
    // The cheap model thinks everything has six legs; the strong one knows.
    let llm = FakeLlm::start(|body: &Value, _| match body["model"].as_str() {
        Some("strong") if prompt_text(body).contains("spider") => Reply::answer(r#"{"legs": 8}"#, 100, 20),
        Some("strong") => Reply::answer(r#"{"legs": 6}"#, 100, 20),
        _ => Reply::answer(r#"{"legs": 6}"#, 10, 5),
    })
    .await;
    let db = TestDb::new(b);
    let app = TestApp::with_policy(&db, &policy(&llm)).await;
    let mut runs = app.runs().await;

    // Twice: the spider goes to the cheap model, is rejected, and the retry
    // climbs to the strong one, told why.
    let mut first = String::new();
    for _ in 0..2 {
        let id = completed(&mut runs, create("Legs", vec![question("spider", "spider", 8)])).await;
        let a = attempts(&mut runs, &id, "spider").await;
        assert_eq!(models(&a), ["cheap", "strong"], "{a:?}");
        assert_eq!(a[0].status, pb::AttemptStatus::Failed as i32);
        assert!(!a[1].feedback.is_empty(), "the strong model hears why: {a:?}");
        if first.is_empty() {
            first = id;
        }
    }
    let retry = llm.requests().into_iter().find(|r| r["model"] == "strong").expect("a strong call");
    assert!(prompt_text(&retry).contains("rejected"), "{}", prompt_text(&retry));
    let steps: Vec<(String, Value)> = all_events(&mut runs, &first)
        .await
        .into_iter()
        .filter(|e| e.r#type == "cascade.step")
        .map(|e| (e.message.clone(), e.data.as_ref().map_or(Value::Null, |d| Value::Object(json_of(d)))))
        .collect();
    assert_eq!(steps.len(), 2, "{steps:?}");
    assert_eq!(steps[0].0, "attempt 1 runs on cheap (cascade step 1 of 2)");
    assert_eq!((&steps[1].1["model"], &steps[1].1["step"]), (&json!("strong"), &json!(2)), "{steps:?}");

    // The recorder has the cheap model failing the spider twice (and the
    // strong one passing it twice).
    let mut g = GuidanceServiceClient::new(app.channel().await);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    loop {
        let by = pb::GetStatsRequest { group_by: pb::StatsGroup::Model as i32, ..Default::default() };
        let s = g.get_stats(by).await.expect("stats").into_inner();
        let cheap = s.groups.iter().find(|g| g.key == "cheap").map(|g| g.attempts);
        if s.outcomes >= 4 {
            assert_eq!(cheap, Some(2), "{s:?}");
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "outcomes not recorded: {s:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Now the spider starts on the strong model; the ant, another kind,
    // still starts cheap (and passes there).
    let cheap_calls = |llm: &FakeLlm| llm.requests().iter().filter(|r| r["model"] == "cheap").count();
    let before = cheap_calls(&llm);
    let id =
        completed(&mut runs, create("Legs", vec![question("spider", "spider", 8), question("ant", "ant", 6)])).await;
    assert_eq!(models(&attempts(&mut runs, &id, "spider").await), ["strong"]);
    assert_eq!(models(&attempts(&mut runs, &id, "ant").await), ["cheap"]);
    assert_eq!(cheap_calls(&llm), before + 1, "only the ant went to the cheap model");
    let learned = all_events(&mut runs, &id)
        .await
        .into_iter()
        .find(|e| e.r#type == "cascade.step" && e.task_id == "spider")
        .expect("the spider's step");
    assert_eq!(
        learned.message,
        "attempt 1 runs on strong (cascade step 1 of 1); cheap skipped for this kind: it passed 0% of 2 outcomes"
    );
    // The trace names each attempt's model.
    let trace = runs.get_run_trace(pb::GetRunTraceRequest { run_id: first.clone() }).await.expect("trace");
    let on: Vec<String> = trace
        .into_inner()
        .spans
        .iter()
        .filter(|s| s.name == "attempt")
        .filter_map(|s| json_of(s.attributes.as_ref()?).get("gen_ai.request.model")?.as_str().map(str::to_string))
        .collect();
    assert_eq!(on, ["cheap", "strong"]);
    app.stop().await;
}

async fn a_failed_call_climbs_and_a_degraded_run_uses_the_utility_model(b: Backend) {
    // The cheap model's server errs; the strong one answers.
    let llm = FakeLlm::start(|body: &Value, _| match body["model"].as_str() {
        Some("cheap") => Reply::status(500),
        _ => Reply::answer(r#"{"legs": 8}"#, 100, 20),
    })
    .await;
    let db = TestDb::new(b);
    let with_utility = policy(&llm).replacen(
        "models:\n",
        &format!("models:\n  utility: {{base_url: {}, model: spare, timeout: 3s}}\n", llm.base_url()),
        1,
    );
    let app = TestApp::with_policy(&db, &with_utility).await;
    let mut runs = app.runs().await;
    let id = completed(&mut runs, create("Legs", vec![question("spider", "spider", 8)])).await;
    let a = attempts(&mut runs, &id, "spider").await;
    assert_eq!(models(&a), ["cheap", "strong"], "{a:?}");
    assert!(a[0].error.contains("500"), "{a:?}");

    // A degraded run (its token budget spent by the first call) uses the utility model.
    let mut req = create("Legs", vec![question("spider", "spider", 8), question("cat", "spider", 8)]);
    req.plan.as_mut().expect("plan").tasks[1].depends_on = vec!["spider".into()];
    req.budget =
        Some(pb::Budget { max_tokens: 50, on_exhausted: pb::BudgetPolicy::Degrade as i32, ..Default::default() });
    let run = create_run(&mut runs, req).await;
    wait_terminal(&mut runs, &run.id, 30).await;
    let a = attempts(&mut runs, &run.id, "cat").await;
    assert_eq!(models(&a), ["spare"], "{a:?}");
    app.stop().await;
}
