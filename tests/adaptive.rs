//! Adaptive runs over real gRPC, on both backends: conditional tasks (a
//! `when` predicate over the dependencies' outputs).

mod common;

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
