//! What real (small, local) models answer, reproduced by a real HTTP server
//! standing in for llama.cpp, Ollama or vLLM: sloppy plans, answers cut at
//! max_tokens, scores on other scales, JSON in prose, refused response
//! formats, no usage, null content.

use crate::common;

use common::fake_llm::{is_planner, prompt_text, FakeLlm, Reply};
use common::{all_events, create, create_run, task, wait_terminal, Backend, TestApp, TestDb};
use orchestrator::api::convert::json_to_struct;
use orchestrator::llm::StructuredOutput;
use orchestrator::proto::v1 as pb;
use serde_json::{json, Value};

fn policy(llm: &FakeLlm, planner: &str) -> String {
    format!(
        "models:\n  main:\n    base_url: {}\n    model: small\n    timeout: 5s\n    max_retries: 1\n    temperature: 0\n    seed: 7\n\
agents:\n  - name: writer\n    description: writes\n    executor: llm\n    system_prompt: You write.\n  - name: reader\n    description: reads\n\
planner:\n  max_repairs: 2\n{planner}",
        llm.base_url()
    )
}

fn criterion(kind: &str, params: Value) -> pb::Criterion {
    pb::Criterion { kind: kind.into(), params: params.as_object().map(json_to_struct), ..Default::default() }
}

fn cut(content: &str, completion_tokens: i64) -> Reply {
    let mut r = Reply::answer(content, 50, completion_tokens);
    r.body["choices"][0]["finish_reason"] = json!("length");
    r
}

fn one_try() -> Option<pb::RunPolicy> {
    Some(pb::RunPolicy {
        default_retry: Some(pb::RetryPolicy {
            max_attempts: 3,
            initial_backoff: Some(prost_types::Duration { seconds: 0, nanos: 20_000_000 }),
            jitter: Some(0.0001),
            ..Default::default()
        }),
        ..Default::default()
    })
}

/// What a 135M model wrote, for real: the prompt's example id on every task,
/// an empty id, ids with spaces and brackets, dependencies by title and on
/// themselves, an agent in another case.
fn sloppy_plan() -> String {
    json!({"tasks": [
        {"id": "short-id", "title": "Find sources", "instructions": "find", "agent": "reader", "depends_on": []},
        {"id": "short-id", "title": "Read sources", "instructions": "read", "agent": "Reader", "depends_on": ["Find sources", "short-id-2"]},
        {"id": "", "title": "Write [the] report", "instructions": "write", "agent": "writer", "depends_on": ["Read Sources", "task-1", "other-id"]}
    ]})
    .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_sloppy_plan_is_normalised_and_noted_without_a_repair() {
    let llm = FakeLlm::start(|body, _| {
        if is_planner(body) {
            Reply::answer(&sloppy_plan(), 300, 120)
        } else {
            Reply::answer("done", 5, 5)
        }
    })
    .await;
    let db = TestDb::new(Backend::Sqlite);
    let app = TestApp::with_policy(&db, &policy(&llm, "  max_tokens: 700\n")).await;
    let mut coord = app.coord().await;
    let planned = coord
        .plan_run(pb::PlanRunRequest { goal: "a report".into(), ..Default::default() })
        .await
        .expect("plan")
        .into_inner();
    assert_eq!(planned.planner_calls, 1, "no repair round");
    let tasks = planned.plan.expect("plan").tasks;
    let ids: Vec<&str> = tasks.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["short-id", "short-id-2", "write-the-report"]);
    assert_eq!(tasks[1].depends_on, ["short-id"], "by title; the self-dependency dropped");
    assert_eq!(tasks[1].agent, "reader");
    assert_eq!(tasks[2].depends_on, ["short-id-2", "short-id"]);
    let notes = planned.notes.join("\n");
    for expected in
        ["\"short-id\" is \"short-id-2\"", "by its title", "depended on itself", "\"other-id\", which is no task"]
    {
        assert!(notes.contains(expected), "{expected} in\n{notes}");
    }
    // What was asked: the schema's keys in writing order, the agents as an
    // enum, the planner's max_tokens, the model's sampling settings.
    let asked = &llm.requests()[0];
    let schema = &asked["response_format"]["json_schema"]["schema"]["properties"]["tasks"]["items"];
    let keys: Vec<&String> = schema["properties"].as_object().expect("properties").keys().collect();
    assert_eq!(keys, ["title", "agent", "after", "instructions"]);
    assert_eq!(schema["properties"]["agent"]["enum"], json!(["writer", "reader"]));
    assert_eq!(asked["max_tokens"], 700);
    assert_eq!((asked["temperature"].as_f64(), asked["seed"].as_i64()), (Some(0.0), Some(7)));
    assert!(!prompt_text(asked).contains("short-id"), "the prompt's example has no id to copy");

    // A stored run records the notes as an event.
    let mut runs = app.runs().await;
    let run = create_run(&mut runs, pb::CreateRunRequest { goal: "a report".into(), ..Default::default() }).await;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    let noted = loop {
        let events = all_events(&mut runs, &run.id).await;
        if let Some(e) = events.iter().find(|e| e.r#type == "plan.normalised") {
            break e.clone();
        }
        assert!(tokio::time::Instant::now() < deadline, "no plan.normalised event");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert!(noted.message.contains("change(s)"), "{}", noted.message);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_cut_answer_is_said_to_be_cut_and_planning_stops_at_the_run_budget() {
    let llm = FakeLlm::start(|body, _| {
        if prompt_text(body).contains("ALWAYS-CUT") {
            cut("{\"tasks\": [{\"title\": \"Find sources\", \"agent\": \"rea", 40)
        } else {
            Reply::answer("{\"tasks\": []}", 250, 100)
        }
    })
    .await;
    let db = TestDb::new(Backend::Sqlite);
    let app = TestApp::with_policy(&db, &policy(&llm, "")).await;
    let mut coord = app.coord().await;
    let err = coord
        .plan_run(pb::PlanRunRequest { goal: "ALWAYS-CUT".into(), ..Default::default() })
        .await
        .expect_err("no plan");
    assert_eq!(err.code(), tonic::Code::FailedPrecondition);
    assert!(err.message().contains("Your answer was cut at 40 tokens"), "{}", err.message());
    assert_eq!(llm.requests().len(), 3);
    let repair = prompt_text(&llm.requests()[1]);
    assert!(repair.contains("shorter plan"), "{repair}");

    // 350 tokens per call, a budget of 300: one call, then the run fails, with the event.
    let before = llm.requests().len();
    let mut runs = app.runs().await;
    let run = create_run(
        &mut runs,
        pb::CreateRunRequest {
            goal: "empty plans".into(),
            budget: Some(pb::Budget { max_tokens: 300, ..Default::default() }),
            ..Default::default()
        },
    )
    .await;
    let done = wait_terminal(&mut runs, &run.id, 20).await;
    assert_eq!(done.status, pb::RunStatus::Failed as i32);
    assert!(
        done.failure_reason.contains("planning failed") && done.failure_reason.contains("while planning"),
        "{}",
        done.failure_reason
    );
    assert_eq!(llm.requests().len() - before, 1, "no planner call past the budget");
    let events = all_events(&mut runs, &run.id).await;
    assert!(events.iter().any(|e| e.r#type == "run.budget_exhausted"), "the budget's event is recorded");
    assert_eq!(done.usage.as_ref().map(|u| u.prompt_tokens + u.completion_tokens), Some(350));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn plan_run_answers_within_the_planners_deadline() {
    let llm = FakeLlm::start(|_, _| {
        let mut r = Reply::answer("{}", 1, 1);
        r.delay = std::time::Duration::from_secs(4);
        r
    })
    .await;
    let db = TestDb::new(Backend::Sqlite);
    let app = TestApp::with_policy(&db, &policy(&llm, "  deadline: 2s\n")).await;
    let mut coord = app.coord().await;
    let err =
        coord.plan_run(pb::PlanRunRequest { goal: "slow".into(), ..Default::default() }).await.expect_err("too slow");
    assert_eq!(err.code(), tonic::Code::DeadlineExceeded, "{}", err.message());
    assert!(err.message().contains("planning took longer than its deadline of 2s"), "{}", err.message());
    // The client's own, shorter deadline is honoured too (answered before it expires).
    let mut req = tonic::Request::new(pb::PlanRunRequest { goal: "slow".into(), ..Default::default() });
    req.set_timeout(std::time::Duration::from_millis(1200));
    let err = coord.plan_run(req).await.expect_err("too slow");
    assert_eq!(err.code(), tonic::Code::DeadlineExceeded, "{}", err.message());
    assert!(
        err.message().contains("deadline of 1s"),
        "the server answered, within the client's time: {}",
        err.message()
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_refused_response_format_falls_back_and_missing_usage_is_estimated() {
    // llama-cpp-python's answer to json_schema.
    let llm = FakeLlm::start(|body, _| {
        if body["response_format"]["type"] == "json_schema" {
            let mut r = Reply::status(500);
            r.raw = Some("{\"detail\": \"Input should be 'text' or 'json_object'\"}".into());
            return r;
        }
        let mut r = Reply::answer("", 0, 0);
        r.body["choices"][0]["message"]["content"] = Value::Null;
        r.body.as_object_mut().expect("object").remove("usage");
        r
    })
    .await;
    let client = llm.client("timeout: 5s\nmax_retries: 2\nstructured_output: json_schema\nstream: false\n");
    let schema = json!({"type": "object"});
    let messages = [orchestrator::llm::Message::user("twelve bytes")];
    let a = client.chat(&messages, Some(&schema)).await.expect("answered in json_object mode");
    assert_eq!(a.content, "", "null content is an empty answer");
    assert!(a.usage_estimated && a.usage.prompt_tokens == 3, "{:?}", a.usage);
    assert_eq!(client.structured_output(), StructuredOutput::JsonObject);
    let modes: Vec<Value> = llm.requests().iter().map(|r| r["response_format"]["type"].clone()).collect();
    assert_eq!(modes, [json!("json_schema"), json!("json_object")], "refused once, not retried as a server fault");
    client.chat(&messages, Some(&schema)).await.expect("second call");
    assert_eq!(llm.requests()[2]["response_format"]["type"], "json_object", "the fallback is kept");
    // An answer past 4 MiB is refused, streamed or not.
    let huge = FakeLlm::start(|_, _| Reply {
        raw: Some(format!("{{\"x\": \"{}\"}}", "a".repeat(5 << 20))),
        ..Reply::answer("", 0, 0)
    })
    .await;
    let e =
        huge.client("timeout: 5s\nmax_retries: 0\nstream: false\n").chat(&messages, None).await.expect_err("too long");
    assert!(e.to_string().contains("longer than 4194304 bytes"), "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn judges_on_other_scales_are_read_and_a_broken_judge_is_the_verifiers_error() {
    let llm = FakeLlm::start(|body, _| {
        let text = prompt_text(body);
        if text.contains("Output to judge:\nbroken") {
            Reply::answer("I think it is quite good", 10, 10)
        } else if text.contains("Output to judge:\nten") {
            Reply::answer("{\"score\": 8, \"reasons\": \"good\"}", 10, 10)
        } else if text.contains("Output to judge:\ncut") {
            cut("{\"score\": 0.9, \"reasons\": \"very good because", 10)
        } else if text.contains("Your task") {
            Reply::answer("broken", 5, 5)
        } else {
            Reply::answer("{\"score\": -0.12, \"reasons\": \"bad\"}", 10, 10)
        }
    })
    .await;
    let db = TestDb::new(Backend::Sqlite);
    let app = TestApp::with_policy(&db, &policy(&llm, "")).await;
    let mut verifier = pb::verifier_service_client::VerifierServiceClient::new(app.channel().await);
    let judge = || vec![criterion("llm_judge", json!({"rubric": "good", "threshold": 0.7}))];
    let verdict = |output: &str| pb::VerifyRequest {
        output: Some(orchestrator::api::convert::json_to_value(&json!(output))),
        criteria: judge(),
    };
    let ten = verifier.verify(verdict("ten")).await.expect("verify").into_inner().verdict.expect("verdict");
    assert!(ten.passed && (ten.score - 0.8).abs() < 1e-9, "8 is read as 8/10: {ten:?}");
    assert!(ten.results[0].reason.contains("out of 10"), "{}", ten.results[0].reason);
    let cut_short = verifier.verify(verdict("cut")).await.expect("verify").into_inner().verdict.expect("verdict");
    assert!(cut_short.passed, "the score before the cut counts: {cut_short:?}");
    let negative = verifier.verify(verdict("other")).await.expect("verify").into_inner().verdict.expect("verdict");
    assert!(!negative.passed && negative.score == 0.0 && !negative.results[0].error);
    let broken = verifier.verify(verdict("broken")).await.expect("verify").into_inner().verdict.expect("verdict");
    assert!(!broken.passed && broken.results[0].error, "{broken:?}");
    assert!(broken.results[0].reason.starts_with("verifier error: the judge's answer had no score"));
    let judge_req = llm.requests().into_iter().find(|r| prompt_text(r).contains("Rubric")).expect("judge request");
    let keys: Vec<String> = judge_req["response_format"]["json_schema"]["schema"]["properties"]
        .as_object()
        .expect("properties")
        .keys()
        .cloned()
        .collect();
    assert_eq!(keys, ["score", "reasons"], "score first: a cut answer keeps it");

    // In a run, a judge that keeps failing fails the task as the verifier's
    // error: no retry, no feedback charged to the task.
    let mut runs = app.runs().await;
    let mut t = task("essay", "writer", &[]);
    t.criteria = judge();
    let mut req = create("judge me", vec![t]);
    req.policy = one_try();
    let run = create_run(&mut runs, req).await;
    let done = wait_terminal(&mut runs, &run.id, 30).await;
    assert_eq!(done.status, pb::RunStatus::Failed as i32);
    let t = runs
        .get_task(pb::GetTaskRequest { run_id: run.id.clone(), task_id: "essay".into() })
        .await
        .expect("task")
        .into_inner();
    assert_eq!(t.attempts.len(), 1, "the verifier's error spends no retry of the task");
    assert!(t.error.contains("verification could not be completed"), "{}", t.error);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_llm_executor_asks_for_the_criterions_schema_and_retries_with_the_answer_quoted() {
    let llm = FakeLlm::start(|body, _| {
        if prompt_text(body).contains("It was rejected because") {
            Reply::answer("Here you go. JSON: {\"legs\": 8.0} Hope that helps!", 5, 5)
        } else {
            Reply::answer("{\"legs\": 6}", 5, 5)
        }
    })
    .await;
    let db = TestDb::new(Backend::Sqlite);
    let app = TestApp::with_policy(&db, &policy(&llm, "")).await;
    let mut runs = app.runs().await;
    let schema = json!({"type": "object", "properties": {"legs": {"type": "number"}}, "required": ["legs"]});
    let mut t = task("spider", "writer", &[]);
    t.criteria = vec![
        criterion("json_schema", json!({"schema": schema})),
        criterion("json_path_equals", json!({"path": "$.legs", "value": 8})),
    ];
    let mut req = create("how many legs has a spider", vec![t.clone()]);
    req.policy = one_try();
    let run = create_run(&mut runs, req).await;
    let done = wait_terminal(&mut runs, &run.id, 30).await;
    assert_eq!(done.status, pb::RunStatus::Completed as i32, "{}", done.failure_reason);
    let reqs = llm.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0]["response_format"]["json_schema"]["schema"], schema, "the criterion's schema is the format");
    let retry = prompt_text(&reqs[1]);
    assert!(retry.contains("Your previous answer:\n<<<\n{\"legs\":6}\n>>>"), "{retry}");
    assert!(retry.contains("$.legs is 6, expected 8") && retry.contains("JSON matching this schema"), "{retry}");
    let out = done.output.as_ref().map(|v| orchestrator::api::convert::value_to_json(v, "output", 0).expect("json"));
    assert_eq!(out, Some(json!({"legs": 8})), "the JSON in the prose is the output; 8.0 equals 8");

    // retry_on_verdict: false fails the task at its first failed verdict.
    let mut req = create("no retries", vec![t]);
    req.policy = one_try().map(|p| pb::RunPolicy { retry_on_verdict: Some(false), ..p });
    let run = create_run(&mut runs, req).await;
    let done = wait_terminal(&mut runs, &run.id, 30).await;
    assert_eq!(done.status, pb::RunStatus::Failed as i32);
    assert_eq!(llm.requests().len(), 3, "one attempt only");

    // Retries that never rescue: the task fails after three attempts.
    let mut zebra = task("zebra", "writer", &[]);
    zebra.criteria = vec![criterion("contains", json!({"value": "zebra"}))];
    let mut req = create("never a zebra", vec![zebra]);
    req.policy = one_try();
    let run = create_run(&mut runs, req).await;
    assert_eq!(wait_terminal(&mut runs, &run.id, 30).await.status, pb::RunStatus::Failed as i32);
    // What the workspace learnt: one rescue (the spider), one retried in vain
    // (the zebra), one not retried; the retries' tokens (10 per call).
    let outcomes = runs
        .list_retry_outcomes(pb::ListRetryOutcomesRequest::default())
        .await
        .expect("outcomes")
        .into_inner()
        .outcomes;
    assert_eq!(
        outcomes,
        [pb::RetryOutcome {
            agent: "writer".into(),
            model: "small".into(),
            verified_tasks: 3,
            passed_first_try: 0,
            retried_tasks: 2,
            rescued_tasks: 1,
            retry_tokens: 30,
        }]
    );
    let none = runs.list_retry_outcomes(pb::ListRetryOutcomesRequest { agent: "reader".into() }).await;
    assert!(none.expect("outcomes").into_inner().outcomes.is_empty());
    let bad = runs.list_retry_outcomes(pb::ListRetryOutcomesRequest { agent: "x".repeat(200) }).await;
    assert_eq!(bad.expect_err("too long").code(), tonic::Code::InvalidArgument);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_streamed_answer_is_read_whole() {
    let llm = FakeLlm::start(|body, n| {
        assert_eq!(body["stream"], true);
        if n == 2 {
            // A server that ignores `stream` and answers JSON.
            let mut r = Reply::answer("plain", 1, 1);
            r.raw = Some(r.body.to_string());
            return r;
        }
        let chunk = |delta: &str, finish: Value| {
            json!({"choices": [{"index": 0, "delta": {"content": delta}, "finish_reason": finish}], "model": "local"})
        };
        let mut events =
            vec![chunk("{\"a\":", Value::Null), chunk(" 1}", Value::Null), chunk("", json!("stop"))];
        if n == 0 {
            events.push(json!({"choices": [], "usage": {"prompt_tokens": 11, "completion_tokens": 4}}));
        }
        let mut raw: String = events.iter().map(|e| format!("data: {e}\n\n")).collect();
        raw.push_str("data: [DONE]\n\n");
        let mut r = Reply::answer("", 0, 0);
        r.raw = Some(raw);
        r
    })
    .await;
    let client = llm.client("timeout: 5s\n");
    let messages = [orchestrator::llm::Message::user("1234")];
    let a = client.chat(&messages, None).await.expect("streamed");
    assert_eq!((a.content.as_str(), a.finish_reason.as_str(), a.model.as_str()), ("{\"a\": 1}", "stop", "local"));
    assert_eq!((a.usage.prompt_tokens, a.usage.completion_tokens, a.usage_estimated), (11, 4, false));
    assert_eq!(llm.requests()[0]["stream_options"]["include_usage"], true);
    let b = client.chat(&messages, None).await.expect("streamed without usage");
    assert!(b.usage_estimated && b.usage.prompt_tokens == 1 && b.usage.completion_tokens == 2, "{:?}", b.usage);
    let c = client.chat(&messages, None).await.expect("a JSON answer to a streamed request");
    assert_eq!((c.content.as_str(), c.usage_estimated), ("plain", false));
}
