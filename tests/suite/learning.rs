//! Learning over real gRPC, on both backends: every finished attempt becomes
//! an outcome (recorded in the background, a verified one with its score),
//! and GetStats answers a known history with known figures, each with its
//! sample; bad windows and groups are named.

use crate::common;

use std::time::Duration;

use common::{create, create_run, spawn_agent, task, violations, wait_terminal, Backend, Outcome, TestApp, TestDb};
use orchestrator::api::convert::json_to_struct;
use orchestrator::proto::v1 as pb;
use orchestrator::proto::v1::guidance_service_client::GuidanceServiceClient;
use serde_json::json;
use tonic::transport::Channel;
use tonic::Code;

both_backends!(
    a_known_history_gives_known_figures,
    bad_stats_requests_are_named,
    advice_predicts_a_run_from_runs_like_it,
    bad_advice_requests_are_named,
    three_runs_of_one_graph_propose_a_recipe
);

async fn guidance(app: &TestApp) -> GuidanceServiceClient<Channel> {
    GuidanceServiceClient::new(app.channel().await)
}

fn by(group: pb::StatsGroup) -> pb::GetStatsRequest {
    pb::GetStatsRequest { group_by: group as i32, ..Default::default() }
}

/// GetStats until it stands on `n` outcomes (the recorder runs in the background).
async fn stats_of(g: &mut GuidanceServiceClient<Channel>, group: pb::StatsGroup, n: u64) -> pb::GetStatsResponse {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    loop {
        let s = g.get_stats(by(group)).await.expect("stats").into_inner();
        if s.outcomes >= n {
            return s;
        }
        assert!(tokio::time::Instant::now() < deadline, "only {} outcomes of {n} were recorded", s.outcomes);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// `first` passes first try; `second` fails, then passes; `never` fails
/// both its attempts (optional, so the run completes); `checked` passes its
/// criterion. Five attempts of four tasks by agent `w`.
async fn a_known_history_gives_known_figures(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::with_policy(&db, "agents:\n  - name: w\n    executor: agent\n").await;
    let mut runs = app.runs().await;
    let mut never = task("never", "w", &[]);
    never.optional = true;
    let mut checked = task("checked", "w", &[]);
    checked.title = "Check issue 42".into();
    checked.criteria = vec![pb::Criterion {
        kind: "contains".into(),
        params: json!({"value": "fine"}).as_object().map(json_to_struct),
        ..Default::default()
    }];
    let mut req = create("history", vec![task("first", "w", &[]), task("second", "w", &[]), never, checked]);
    req.policy = Some(pb::RunPolicy {
        default_retry: Some(pb::RetryPolicy {
            max_attempts: 2,
            initial_backoff: Some(prost_types::Duration { seconds: 0, nanos: 20_000_000 }),
            ..Default::default()
        }),
        ..Default::default()
    });
    let run = create_run(&mut runs, req).await;
    let w = spawn_agent(app.addr, "w", "w", |a| match (a.task_id.as_str(), a.attempt) {
        ("second", 1) => Outcome::Fail("not yet".into(), true),
        ("never", _) => Outcome::Fail("never".into(), true),
        ("checked", _) => Outcome::Complete(json!("all is fine")),
        _ => Outcome::Complete(json!({"ok": true})),
    });
    let done = wait_terminal(&mut runs, &run.id, 30).await;
    w.abort();
    assert_eq!(done.status, pb::RunStatus::Completed as i32, "{}", done.failure_reason);

    let mut g = guidance(&app).await;
    let s = stats_of(&mut g, pb::StatsGroup::Agent, 6).await;
    assert_eq!(s.outcomes, 6, "one outcome per attempt: {s:?}");
    assert_eq!(s.groups.len(), 1);
    let w = &s.groups[0];
    assert_eq!((w.key.as_str(), w.attempts, w.tasks), ("w", 6, 4));
    let pass = w.pass_rate.expect("pass rate");
    assert_eq!(pass.samples, 4);
    assert!((pass.value - 0.75).abs() < 1e-9, "{pass:?}");
    assert!(pass.low < 0.75 && pass.high > 0.75 && pass.high <= 1.0, "{pass:?}");
    let first = w.first_try_pass_rate.expect("first try");
    assert!((first.value - 0.5).abs() < 1e-9, "{first:?}");
    assert!((w.mean_attempts_to_pass - 4.0 / 3.0).abs() < 1e-9, "{w:?}");
    assert_eq!(w.scored_attempts, 1, "the verified attempt");
    assert_eq!(w.mean_score, Some(1.0));

    // By task kind: the title's shape, numbers as '#'.
    let k = g.get_stats(by(pb::StatsGroup::TaskKind)).await.expect("kinds").into_inner();
    let keys: Vec<&str> = k.groups.iter().map(|g| g.key.as_str()).collect();
    assert_eq!(keys, ["w:check issue #", "w:task first", "w:task never", "w:task second"]);
    let never = &k.groups[2];
    assert_eq!((never.attempts, never.pass_rate.map(|r| r.value)), (2, Some(0.0)));
    // By model and recipe: agents that bring their own, no recipe.
    let m = g.get_stats(by(pb::StatsGroup::Model)).await.expect("models").into_inner();
    assert_eq!(m.groups.iter().map(|g| (g.key.as_str(), g.attempts)).collect::<Vec<_>>(), [("", 6)]);
    // A window before the run holds nothing.
    let old = pb::GetStatsRequest {
        start_time: Some(prost_types::Timestamp { seconds: 1_000_000, nanos: 0 }),
        end_time: Some(prost_types::Timestamp { seconds: 2_000_000, nanos: 0 }),
        ..Default::default()
    };
    let empty = g.get_stats(old).await.expect("old window").into_inner();
    assert_eq!((empty.outcomes, empty.groups.len()), (0, 0));
    app.stop().await;
}

async fn bad_stats_requests_are_named(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::with_policy(&db, "agents:\n  - name: w\n    executor: agent\n").await;
    let mut g = guidance(&app).await;
    let at = |s: i64, nanos: i32| Some(prost_types::Timestamp { seconds: s, nanos });
    let backwards =
        pb::GetStatsRequest { start_time: at(2_000_000, 0), end_time: at(1_000_000, 0), ..Default::default() };
    let e = g.get_stats(backwards).await.expect_err("backwards");
    assert_eq!((e.code(), violations(&e)), (Code::InvalidArgument, vec!["end_time".to_string()]), "{}", e.message());
    let e = g.get_stats(pb::GetStatsRequest { start_time: at(-5, 0), ..Default::default() }).await.expect_err("1969");
    assert_eq!(violations(&e), ["start_time"], "{}", e.message());
    let e = g.get_stats(pb::GetStatsRequest { end_time: at(5, 2_000_000_000), ..Default::default() }).await;
    assert_eq!(violations(&e.expect_err("bad nanos")), ["end_time"]);
    let e = g.get_stats(pb::GetStatsRequest { group_by: 99, ..Default::default() }).await.expect_err("no such group");
    assert_eq!(violations(&e), ["group_by"], "{}", e.message());
    app.stop().await;
}

// ---------------------------------------------------------------- advice

fn pair() -> pb::CreateRunRequest {
    create("Pair the two halves of the report", vec![task("a", "w", &[]), task("b", "w", &["a"])])
}

fn advise(run: pb::CreateRunRequest) -> pb::AdviseRequest {
    pb::AdviseRequest { run: Some(run), history: None }
}

fn codes(a: &pb::Advice) -> Vec<&str> {
    a.warnings.iter().map(|w| w.code.as_str()).collect()
}

/// Three runs of `a → b`, each task reporting 120 tokens, make the history;
/// Advise then predicts the same plan (240 tokens, a sure pass), warns of a
/// budget below it, and names the recipe of the same graph; before the
/// history it predicts nothing and says so.
async fn advice_predicts_a_run_from_runs_like_it(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::with_policy(&db, "agents:\n  - name: w\n    executor: agent\n").await;
    let (mut runs, mut coord, mut g) = (app.runs().await, app.coord().await, guidance(&app).await);
    let before = g.advise(advise(pair())).await.expect("advice").into_inner();
    assert_eq!((before.outcomes, before.pass_chance), (0, None));
    assert_eq!(codes(&before), ["NO_HISTORY", "NO_CRITERIA"]);
    for _ in 0..3 {
        let run = create_run(&mut runs, pair()).await;
        for _ in 0..2 {
            let a = crate::adaptive::next_assignment(&mut coord, "w", 20).await;
            coord
                .complete_task(pb::CompleteTaskRequest {
                    lease_id: a.lease_id,
                    output: Some(orchestrator::api::convert::json_to_value(&json!({"ok": true}))),
                    usage: Some(pb::Usage { prompt_tokens: 100, completion_tokens: 20, ..Default::default() }),
                    ..Default::default()
                })
                .await
                .expect("complete");
        }
        let done = wait_terminal(&mut runs, &run.id, 20).await;
        assert_eq!(done.status, pb::RunStatus::Completed as i32, "{}", done.failure_reason);
    }
    stats_of(&mut g, pb::StatsGroup::Agent, 6).await;
    let mut rec = pb::recipe_service_client::RecipeServiceClient::new(app.channel().await);
    rec.create_recipe(pb::CreateRecipeRequest { name: "pair".into(), template: Some(pair()), ..Default::default() })
        .await
        .expect("recipe");

    let mut tight = pair();
    tight.budget = Some(pb::Budget { max_tokens: 100, ..Default::default() });
    let a = g.advise(advise(tight)).await.expect("advice").into_inner();
    assert_eq!(a.outcomes, 6);
    let tokens = a.tokens.expect("tokens");
    assert_eq!((tokens.expected, tokens.low, tokens.high), (240.0, 240.0, 240.0));
    assert_eq!(a.pass_chance, Some(1.0));
    assert!(a.likely_failures.is_empty());
    assert_eq!(
        a.tasks.iter().map(|t| (t.task_id.as_str(), t.basis.as_str(), t.samples)).collect::<Vec<_>>(),
        [("a", "task_kind", 3), ("b", "task_kind", 3)]
    );
    assert_eq!(codes(&a), ["BUDGET_BELOW_PREDICTED", "NO_CRITERIA"], "{:?}", a.warnings);
    assert_eq!(a.suggested_recipe, "pair");
    let d = a.duration_ms.expect("duration");
    assert!(d.expected >= 0.0 && d.low <= d.expected && d.expected <= d.high, "{d:?}");
    // The recipe's own run: the same prediction, no recipe to suggest.
    let from = pb::CreateRunRequest { recipe: "pair".into(), ..Default::default() };
    let r = g.advise(advise(from)).await.expect("advice on a recipe run").into_inner();
    assert_eq!((r.tokens.map(|t| t.expected), r.suggested_recipe.as_str()), (Some(240.0), ""));
    // A goal alone (no planner here): the coach only.
    let goal = pb::CreateRunRequest { goal: "fix stuff".into(), ..Default::default() };
    let c = g.advise(advise(goal)).await.expect("advice on a goal").into_inner();
    assert_eq!(codes(&c), ["NO_PLAN", "NO_CRITERIA", "VAGUE_GOAL"]);
    // Nothing was created.
    let listed = runs.list_runs(pb::ListRunsRequest::default()).await.expect("list").into_inner();
    assert_eq!(listed.runs.len(), 3);

    // A run made after advice is compared with it: 240 tokens predicted and used.
    assert!(a.advice_id.starts_with("adv_"), "{}", a.advice_id);
    let mut followed = pair();
    followed.advice_id = a.advice_id.clone();
    let run = create_run(&mut runs, followed.clone()).await;
    for _ in 0..2 {
        let t = crate::adaptive::next_assignment(&mut coord, "w", 20).await;
        coord
            .complete_task(pb::CompleteTaskRequest {
                lease_id: t.lease_id,
                output: Some(orchestrator::api::convert::json_to_value(&json!({"ok": true}))),
                usage: Some(pb::Usage { prompt_tokens: 100, completion_tokens: 20, ..Default::default() }),
                ..Default::default()
            })
            .await
            .expect("complete");
    }
    wait_terminal(&mut runs, &run.id, 20).await;
    let s = g.get_stats(by(pb::StatsGroup::Agent)).await.expect("stats").into_inner();
    let acc = s.advice.expect("advice accuracy");
    assert_eq!((acc.runs, acc.tokens_error), (1, 0.0), "{acc:?}");
    assert_eq!(acc.completed.map(|r| r.value), Some(1.0));
    assert_eq!(
        acc.followed_recipe.map(|r| (r.value, r.samples)),
        Some((0.0, 1)),
        "the pair recipe was suggested, not used"
    );
    // Advice names one run; an unknown one none.
    let again = runs.create_run(followed).await.expect_err("taken");
    assert_eq!(violations(&again), ["advice_id"], "{}", again.message());
    let mut unknown = pair();
    unknown.advice_id = "adv_nope".into();
    assert_eq!(violations(&runs.create_run(unknown).await.expect_err("unknown")), ["advice_id"]);
    let mut long = pair();
    long.advice_id = "a".repeat(129);
    assert_eq!(violations(&runs.create_run(long).await.expect_err("too long")), ["advice_id"]);
    app.stop().await;
}

async fn bad_advice_requests_are_named(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::with_policy(&db, "agents:\n  - name: w\n    executor: agent\n").await;
    let mut g = guidance(&app).await;
    let e = g.advise(pb::AdviseRequest::default()).await.expect_err("no run");
    assert_eq!((e.code(), violations(&e)), (Code::InvalidArgument, vec!["run".to_string()]));
    let mut ghost = pair();
    if let Some(p) = ghost.plan.as_mut() {
        p.tasks[1].agent = "ghost".into();
        p.tasks[0].depends_on = vec!["b".into()];
    }
    let e = g.advise(advise(ghost)).await.expect_err("a bad plan");
    let fields = violations(&e);
    assert!(fields.iter().any(|f| f == "plan.tasks[1].agent"), "{fields:?}");
    assert!(fields.len() >= 2, "every violation at once: {fields:?}");
    for history in
        [prost_types::Duration { seconds: 0, nanos: 0 }, prost_types::Duration { seconds: 401 * 86_400, nanos: 0 }]
    {
        let e = g.advise(pb::AdviseRequest { run: Some(pair()), history: Some(history) }).await.expect_err("history");
        assert_eq!(violations(&e), ["history"], "{}", e.message());
    }
    let e = g.advise(advise(pb::CreateRunRequest { recipe: "none".into(), ..Default::default() })).await;
    assert_eq!(e.expect_err("no recipe").code(), Code::NotFound);
    app.stop().await;
}

// ---------------------------------------------------------------- recipe candidates

/// `read → write` about a topic, under ids of its own.
fn research(topic: &str, ids: (&str, &str)) -> pb::CreateRunRequest {
    let mut read = task(ids.0, "w", &[]);
    read.title = format!("Read about {topic}");
    read.instructions = format!("Find three sources on {topic}");
    let mut write = task(ids.1, "w", &[ids.0]);
    write.title = "Write the summary".into();
    write.instructions = "Summarise what was read".into();
    create(&format!("Summarise what is known about {topic}"), vec![read, write])
}

/// Three completed runs of one graph (ids differing) and two of another
/// make one candidate at the default of 3 (the differing topic its
/// parameter); accepting it is one CreateRecipeFromRun, after which the
/// graph is no candidate; at 2 the other graph is one too.
async fn three_runs_of_one_graph_propose_a_recipe(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::with_policy(&db, "agents:\n  - name: w\n    executor: agent\n").await;
    let (mut runs, mut g) = (app.runs().await, guidance(&app).await);
    let mut rec = pb::recipe_service_client::RecipeServiceClient::new(app.channel().await);
    let w = spawn_agent(app.addr, "w", "w", |_| Outcome::Complete(json!({"ok": true})));
    let mut made = Vec::new();
    for (topic, ids) in [("compilers", ("x", "y")), ("networks", ("r", "w")), ("databases", ("read", "write"))] {
        made.push(create_run(&mut runs, research(topic, ids)).await.id);
    }
    for goal in ["Check one thing", "Check another"] {
        made.push(create_run(&mut runs, create(goal, vec![task("only", "w", &[])])).await.id);
    }
    for id in &made {
        let done = wait_terminal(&mut runs, id, 20).await;
        assert_eq!(done.status, pb::RunStatus::Completed as i32, "{}", done.failure_reason);
    }
    w.abort();
    let list = g.list_recipe_candidates(pb::ListRecipeCandidatesRequest::default()).await.expect("candidates");
    let list = list.into_inner().candidates;
    assert_eq!(list.len(), 1, "{list:?}");
    let c = &list[0];
    assert_eq!(c.run_ids, [made[2].clone(), made[1].clone(), made[0].clone()], "newest first");
    let accept = c.accept.clone().expect("accept");
    assert_eq!((accept.run_id.as_str(), accept.name.as_str()), (made[2].as_str(), "summarise-what-known-about"));
    let p: Vec<(&str, &str)> = accept.parameters.iter().map(|p| (p.name.as_str(), p.value.as_str())).collect();
    assert_eq!(p, [("goal", "databases")]);
    // Accepted with one call; then the graph is a recipe's, no candidate.
    let r = rec.create_recipe_from_run(accept).await.expect("accepted").into_inner().recipe.expect("recipe");
    assert_eq!(r.template.map(|t| t.goal), Some("Summarise what is known about {{goal}}".into()));
    let after = g.list_recipe_candidates(pb::ListRecipeCandidatesRequest::default()).await.expect("again");
    assert!(after.into_inner().candidates.is_empty());
    let two = g.list_recipe_candidates(pb::ListRecipeCandidatesRequest { min_runs: 2 }).await.expect("at 2");
    let two = two.into_inner().candidates;
    assert_eq!(two.iter().map(|c| c.run_ids.len()).collect::<Vec<_>>(), [2], "the other graph: {two:?}");
    for bad in [1, 101] {
        let e = g.list_recipe_candidates(pb::ListRecipeCandidatesRequest { min_runs: bad }).await.expect_err("bad");
        assert_eq!(violations(&e), ["min_runs"], "{}", e.message());
    }
    app.stop().await;
}
