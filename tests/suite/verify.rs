//! The verifier in the run lifecycle and on its own, over real gRPC.

use crate::common;

use common::fake_llm::{prompt_text, FakeLlm, Reply};
use common::{
    all_events, create, create_run, spawn_agent, task, violations, wait_terminal, Backend, Outcome, TestApp, TestDb,
};
use orchestrator::api::convert::{json_to_struct, json_to_value};
use orchestrator::proto::v1 as pb;
use orchestrator::proto::v1::verifier_service_client::VerifierServiceClient;
use serde_json::{json, Value};

fn criterion(kind: &str, params: Value) -> pb::Criterion {
    pb::Criterion { kind: kind.into(), params: params.as_object().map(json_to_struct), ..Default::default() }
}

fn quick_retry(max_attempts: u32) -> Option<pb::RunPolicy> {
    Some(pb::RunPolicy {
        default_retry: Some(pb::RetryPolicy {
            max_attempts,
            initial_backoff: Some(prost_types::Duration { seconds: 0, nanos: 20_000_000 }),
            jitter: Some(0.0001),
            ..Default::default()
        }),
        ..Default::default()
    })
}

fn llm_policy(llm: &FakeLlm) -> String {
    format!(
        "models:\n  main:\n    base_url: {}\n    model: fake\n    timeout: 3s\nagents:\n  - name: writer\n    executor: llm\n    system_prompt: You write.\n  - name: ext\n",
        llm.base_url()
    )
}

both_backends!(the_critic_loop_retries_with_the_verdict_as_feedback);

async fn the_critic_loop_retries_with_the_verdict_as_feedback(b: Backend) {
    let llm = FakeLlm::start(|body, _| {
        if prompt_text(body).contains("It was rejected because") {
            Reply::answer("a rose by any other name", 10, 5)
        } else {
            Reply::answer("a tulip", 10, 5)
        }
    })
    .await;
    let db = TestDb::new(b);
    let app = TestApp::with_policy(&db, &llm_policy(&llm)).await;
    let mut runs = app.runs().await;
    let mut t = task("poem", "writer", &[]);
    t.criteria = vec![criterion("contains", json!({"value": "rose"})), criterion("min_length", json!({"value": 3}))];
    let mut req = create("write about a rose", vec![t]);
    req.policy = quick_retry(3);
    let run = create_run(&mut runs, req).await;
    let done = wait_terminal(&mut runs, &run.id, 30).await;
    assert_eq!(done.status, pb::RunStatus::Completed as i32, "{}", done.failure_reason);
    let reqs = llm.requests();
    assert_eq!(reqs.len(), 2);
    let retry_prompt = prompt_text(&reqs[1]);
    assert!(
        retry_prompt.contains("the output does not contain \"rose\""),
        "the retry carries the reason: {retry_prompt}"
    );
    assert!(!prompt_text(&reqs[0]).contains("rejected"));
    let t = runs
        .get_task(pb::GetTaskRequest { run_id: run.id.clone(), task_id: "poem".into() })
        .await
        .expect("task")
        .into_inner();
    assert_eq!(t.status, pb::TaskStatus::Succeeded as i32);
    assert_eq!(t.attempts.len(), 2);
    let first = t.attempts[0].verdict.as_ref().expect("first verdict");
    assert!(!first.passed);
    assert_eq!(first.results.len(), 2);
    assert!(first.results[0].reason.contains("rose") && first.results[1].passed);
    assert_eq!(t.attempts[0].status, pb::AttemptStatus::Failed as i32);
    assert!(t.attempts[1].verdict.as_ref().expect("second verdict").passed);
    assert_eq!(t.attempts[1].feedback.len(), 1, "the second attempt was handed the feedback");
    assert!(t.verdict.as_ref().expect("task verdict").passed);
    let verdicts: Vec<bool> = all_events(&mut runs, &run.id)
        .await
        .iter()
        .filter(|e| e.r#type == "verdict.recorded")
        .map(|e| e.message.contains("passed"))
        .collect();
    assert_eq!(verdicts, vec![false, true], "both verdicts are in the events");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn exhausted_retries_fail_with_the_last_verdict_and_run_criteria_can_fail_a_run() {
    let db = TestDb::new(Backend::Sqlite);
    let app = TestApp::start(common::test_config(&db)).await;
    let mut runs = app.runs().await;
    // An out-of-process agent that never learns: the feedback reaches it, the output stays wrong.
    let agent = spawn_agent(app.addr, "stubborn", "s", |a| {
        Outcome::Complete(json!({"status": "bad", "feedback_seen": a.feedback.len()}))
    });
    let mut t = task("t", "stubborn", &[]);
    t.criteria = vec![criterion("json_path_equals", json!({"path": "$.status", "value": "ok"}))];
    let mut req = create("never right", vec![t]);
    req.policy = quick_retry(2);
    let run = create_run(&mut runs, req).await;
    let done = wait_terminal(&mut runs, &run.id, 30).await;
    assert_eq!(done.status, pb::RunStatus::Failed as i32);
    assert!(
        done.failure_reason.contains("verification failed") && done.failure_reason.contains("$.status is \"bad\""),
        "{}",
        done.failure_reason
    );
    let t = runs
        .get_task(pb::GetTaskRequest { run_id: run.id.clone(), task_id: "t".into() })
        .await
        .expect("t")
        .into_inner();
    assert_eq!(t.status, pb::TaskStatus::Failed as i32);
    assert_eq!(t.attempts.len(), 2);
    assert!(!t.verdict.expect("last verdict").passed);
    let second_output =
        orchestrator::api::convert::value_to_json(t.attempts[1].output.as_ref().expect("o"), "o", 0).expect("json");
    assert_eq!(second_output["feedback_seen"], json!(1), "out-of-process agents get the feedback in their assignment");

    // Every task passes, but the run's own criteria do not.
    let ok = spawn_agent(app.addr, "fine", "f", |_| Outcome::Complete(json!("all good")));
    let mut req = create("run-level", vec![task("a", "fine", &[])]);
    req.criteria = vec![criterion("contains", json!({"value": "excellent"}))];
    let run = create_run(&mut runs, req).await;
    let done = wait_terminal(&mut runs, &run.id, 30).await;
    assert_eq!(done.status, pb::RunStatus::Failed as i32);
    assert!(done.failure_reason.contains("the run's criteria failed"), "{}", done.failure_reason);
    assert!(!done.verdict.as_ref().expect("run verdict").passed);
    let events = all_events(&mut runs, &run.id).await;
    assert!(events.iter().any(|e| e.to_status == "VERIFYING"));

    // And with the re-run policy, the final task gets one more try with the verdict as feedback.
    let fixer = spawn_agent(app.addr, "fixer", "x", |a| {
        Outcome::Complete(json!(if a.feedback.is_empty() { "meh" } else { "excellent now" }))
    });
    let mut req = create("rerun", vec![task("a", "fine", &[]), task("final", "fixer", &["a"])]);
    req.criteria = vec![criterion("contains", json!({"value": "excellent"}))];
    req.policy = Some(pb::RunPolicy { rerun_aggregator_on_failed_criteria: true, ..Default::default() });
    let run = create_run(&mut runs, req).await;
    let done = wait_terminal(&mut runs, &run.id, 30).await;
    assert_eq!(done.status, pb::RunStatus::Completed as i32, "{}", done.failure_reason);
    assert_eq!(
        orchestrator::api::convert::value_to_json(done.output.as_ref().expect("o"), "o", 0).expect("j"),
        json!("excellent now")
    );
    for h in [agent, ok, fixer] {
        h.abort();
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn verify_works_alone_with_and_without_a_judge() {
    let db = TestDb::new(Backend::Sqlite);
    let app = TestApp::start(common::test_config(&db)).await;
    let mut v = VerifierServiceClient::new(app.channel().await);
    let r = v
        .verify(pb::VerifyRequest {
            output: Some(json_to_value(&json!("{\"n\": 3}"))),
            criteria: vec![
                criterion(
                    "json_schema",
                    json!({"schema": {"type": "object", "properties": {"n": {"type": "integer"}}}}),
                ),
                criterion("regex", json!({"pattern": "\\d"})),
                pb::Criterion { advisory: true, ..criterion("max_length", json!({"value": 2})) },
            ],
        })
        .await
        .expect("verify")
        .into_inner();
    let verdict = r.verdict.expect("verdict");
    assert!(verdict.passed, "{}", verdict.summary);
    assert_eq!(verdict.results.len(), 3);
    assert!(!verdict.results[2].passed && verdict.results[2].advisory);
    let e = v
        .verify(pb::VerifyRequest { output: None, criteria: vec![criterion("llm_judge", json!({"rubric": "nice"}))] })
        .await
        .expect_err("no judge model");
    assert_eq!(violations(&e), vec!["criteria[0].kind"]);
    let e = v
        .verify(pb::VerifyRequest {
            output: None,
            criteria: vec![
                criterion("regex", json!({"pattern": "(("})),
                criterion("json_schema", json!({"schema": {"type": 7}})),
            ],
        })
        .await
        .expect_err("bad criteria");
    assert_eq!(violations(&e), vec!["criteria[0].params.pattern", "criteria[1].params.schema"]);
    let kinds = v.list_criterion_kinds(pb::ListCriterionKindsRequest {}).await.expect("kinds").into_inner().kinds;
    assert_eq!(kinds.len(), 11);
    assert!(kinds
        .iter()
        .any(|k| k.name == "llm_judge" && k.uses_llm && k.params.iter().any(|p| p.name == "threshold" && !p.required)));
    // Bad criteria are refused at CreateRun too.
    let mut runs = app.runs().await;
    let mut t = task("a", "x", &[]);
    t.criteria = vec![criterion("min_length", json!({"value": "ten"}))];
    let e = runs.create_run(create("g", vec![t])).await.expect_err("bad");
    assert_eq!(violations(&e), vec!["plan.tasks[0].criteria[0].params.value"]);
    app.stop().await;

    // With a judge model.
    let llm = FakeLlm::start(|body, _| {
        let good = prompt_text(body).contains("Output to judge:\nconcise and correct");
        Reply::answer(&json!({"score": if good { 0.9 } else { 0.2 }, "reasons": if good { "meets the rubric" } else { "rambles" }}).to_string(), 20, 10)
    })
    .await;
    let db = TestDb::new(Backend::Sqlite);
    let app = TestApp::with_policy(&db, &llm_policy(&llm)).await;
    let mut v = VerifierServiceClient::new(app.channel().await);
    let judge = || vec![criterion("llm_judge", json!({"rubric": "concise", "threshold": 0.8}))];
    let good = v
        .verify(pb::VerifyRequest { output: Some(json_to_value(&json!("concise and correct"))), criteria: judge() })
        .await
        .expect("good")
        .into_inner();
    let g = good.verdict.expect("verdict");
    assert!(g.passed);
    assert!((g.score - 0.9).abs() < 1e-9);
    assert!(g.results[0].reason.contains("meets the rubric"));
    assert_eq!(good.usage.expect("usage").prompt_tokens, 20);
    let bad = v
        .verify(pb::VerifyRequest { output: Some(json_to_value(&json!("well, so, um"))), criteria: judge() })
        .await
        .expect("bad")
        .into_inner();
    assert!(!bad.verdict.expect("verdict").passed);
    let judge_req = &llm.requests()[0];
    assert!(prompt_text(judge_req).contains("Rubric:\nconcise"));
    assert_eq!(judge_req["response_format"]["type"], "json_schema");
    app.stop().await;
}
