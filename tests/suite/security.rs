//! Workspaces, keys, roles, limits and hostile input, over real gRPC.

use crate::common;

use std::time::Duration;

use common::{create, create_run, task, Backend, TestApp, TestDb};
use orchestrator::auth::{new_key, Role};
use orchestrator::hub::Hub;
use orchestrator::proto::v1 as pb;
use orchestrator::proto::v1::coordinator_service_client::CoordinatorServiceClient;
use orchestrator::proto::v1::recipe_service_client::RecipeServiceClient;
use orchestrator::proto::v1::run_service_client::RunServiceClient;
use orchestrator::proto::v1::schedule_service_client::ScheduleServiceClient;
use orchestrator::proto::v1::verifier_service_client::VerifierServiceClient;
use orchestrator::store::{self, Store};
use tonic::transport::Channel;
use tonic::{Code, Request};

fn req<T>(msg: T, key: Option<&str>) -> Request<T> {
    let mut r = Request::new(msg);
    if let Some(k) = key {
        r.metadata_mut().insert("authorization", format!("Bearer {k}").parse().expect("header"));
    }
    r
}

struct Keys {
    admin: String,
    operator: String,
    agent: String,
    viewer: String,
    beta_operator: String,
    beta_agent: String,
    revoked: String,
}

async fn seed_keys(db: &TestDb) -> Keys {
    let store = Store::open(&db.url, Hub::new()).expect("store");
    for ws in ["alpha", "beta"] {
        let w = ws.to_string();
        store.write(move |tx| store::create_workspace(tx, &w)).await.expect("workspace");
    }
    let make = |ws: &str, role: Role| {
        let (row, secret) = new_key(ws, "test", role);
        let s = store.clone();
        async move {
            let id = row.id.clone();
            s.write(move |tx| store::create_key(tx, row)).await.expect("key");
            (id, secret)
        }
    };
    let admin = make("alpha", Role::Admin).await.1;
    let operator = make("alpha", Role::Operator).await.1;
    let agent = make("alpha", Role::Agent).await.1;
    let viewer = make("alpha", Role::Viewer).await.1;
    let beta_operator = make("beta", Role::Operator).await.1;
    let beta_agent = make("beta", Role::Agent).await.1;
    let (revoked_id, revoked) = make("alpha", Role::Operator).await;
    store.write(move |tx| store::revoke_key(tx, &revoked_id)).await.expect("revoke");
    Keys { admin, operator, agent, viewer, beta_operator, beta_agent, revoked }
}

/// A one-task recipe without parameters.
fn recipe(name: &str) -> pb::CreateRecipeRequest {
    pb::CreateRecipeRequest {
        name: name.into(),
        template: Some(create("from a recipe", vec![task("t", "w", &[])])),
        ..Default::default()
    }
}

/// An hourly schedule of `alpha-recipe`, created paused.
fn schedule(id: &str) -> pb::CreateScheduleRequest {
    pb::CreateScheduleRequest {
        schedule_id: id.into(),
        spec: Some(pb::ScheduleSpec {
            trigger: Some(pb::schedule_spec::Trigger::Interval(prost_types::Duration { seconds: 3600, nanos: 0 })),
            ..Default::default()
        }),
        recipe: "alpha-recipe".into(),
        overlap: pb::OverlapPolicy::AllowAll as i32,
        paused: true,
        ..Default::default()
    }
}

async fn secured_app(db: &TestDb) -> TestApp {
    let mut c = common::test_config(db);
    c.auth_required = true;
    TestApp::start(c).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_access_matrix_holds_for_every_role_and_workspace() {
    let db = TestDb::new(Backend::Sqlite);
    let keys = seed_keys(&db).await;
    let app = secured_app(&db).await;
    let ch = app.channel().await;
    let mut runs = RunServiceClient::new(ch.clone());
    let mut coord = CoordinatorServiceClient::new(ch.clone());
    let mut verifier = VerifierServiceClient::new(ch.clone());
    let mut recipes = RecipeServiceClient::new(ch.clone());
    recipes.create_recipe(req(recipe("alpha-recipe"), Some(&keys.operator))).await.expect("alpha's recipe");
    let mut schedules = ScheduleServiceClient::new(ch.clone());
    let mut guidance = pb::guidance_service_client::GuidanceServiceClient::new(ch.clone());
    schedules.create_schedule(req(schedule("alpha-schedule"), Some(&keys.operator))).await.expect("alpha's schedule");
    let alpha_run = runs
        .create_run(req(create("alpha's", vec![task("a", "w", &[]), task("b", "w", &["a"])]), Some(&keys.operator)))
        .await
        .expect("alpha run")
        .into_inner()
        .run
        .expect("run")
        .id;
    let beta_run = runs
        .create_run(req(create("beta's", vec![task("a", "w", &[])]), Some(&keys.beta_operator)))
        .await
        .expect("beta run")
        .into_inner()
        .run
        .expect("run")
        .id;
    // The fleet is the workspace's own: each sees its one ready task for `w`.
    for key in [&keys.viewer, &keys.beta_operator] {
        let fleet = runs.list_agents(req(pb::ListAgentsRequest {}, Some(key))).await.expect("agents").into_inner();
        let w = fleet.agents.iter().find(|a| a.name == "w").expect("agent w");
        assert_eq!(w.ready_tasks, 1, "{fleet:?}");
    }

    // (name, key, expected code) for a set of calls, each against alpha's run.
    // A client per service, as a caller holds them.
    #[allow(clippy::too_many_arguments)]
    async fn call(
        name: &str,
        key: Option<&str>,
        run: &str,
        runs: &mut RunServiceClient<Channel>,
        coord: &mut CoordinatorServiceClient<Channel>,
        verifier: &mut VerifierServiceClient<Channel>,
        recipes: &mut RecipeServiceClient<Channel>,
        schedules: &mut ScheduleServiceClient<Channel>,
        guidance: &mut pb::guidance_service_client::GuidanceServiceClient<Channel>,
    ) -> Code {
        static MADE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let sid = || "alpha-schedule".to_string();
        let id = || run.to_string();
        let code = |r: Result<(), tonic::Status>| r.err().map(|s| s.code()).unwrap_or(Code::Ok);
        match name {
            "CreateRun" => code(runs.create_run(req(create("x", vec![task("t", "w", &[])]), key)).await.map(|_| ())),
            "GetRun" => {
                code(runs.get_run(req(pb::GetRunRequest { run_id: id(), ..Default::default() }, key)).await.map(|_| ()))
            }
            "ListRuns" => code(runs.list_runs(req(pb::ListRunsRequest::default(), key)).await.map(|_| ())),
            "ListTasks" => code(
                runs.list_tasks(req(pb::ListTasksRequest { run_id: id(), ..Default::default() }, key))
                    .await
                    .map(|_| ()),
            ),
            "GetTask" => code(
                runs.get_task(req(pb::GetTaskRequest { run_id: id(), task_id: "a".into() }, key)).await.map(|_| ()),
            ),
            "ListRunEvents" => code(
                runs.list_run_events(req(pb::ListRunEventsRequest { run_id: id(), ..Default::default() }, key))
                    .await
                    .map(|_| ()),
            ),
            "GetRunTrace" => {
                code(runs.get_run_trace(req(pb::GetRunTraceRequest { run_id: id() }, key)).await.map(|_| ()))
            }
            "WatchRun" => {
                code(runs.watch_run(req(pb::WatchRunRequest { run_id: id(), after_seq: 0 }, key)).await.map(|_| ()))
            }
            "PauseRun" => code(
                runs.pause_run(req(pb::PauseRunRequest { run_id: id(), reason: String::new() }, key)).await.map(|_| ()),
            ),
            "ResumeRun" => code(
                runs.resume_run(req(pb::ResumeRunRequest { run_id: id(), budget: None, budget_mask: None }, key))
                    .await
                    .map(|_| ()),
            ),
            "ApproveTask" => code(
                runs.approve_task(req(
                    pb::ApproveTaskRequest { run_id: id(), task_id: "a".into(), comment: String::new() },
                    key,
                ))
                .await
                .map(|_| ()),
            ),
            "ValidatePlan" => code(
                coord
                    .validate_plan(req(
                        pb::ValidatePlanRequest { plan: Some(pb::Plan { tasks: vec![task("a", "w", &[])] }) },
                        key,
                    ))
                    .await
                    .map(|_| ()),
            ),
            "PollTask" => code(
                coord
                    .poll_task(req(pb::PollTaskRequest { agent: "nobody".into(), ..Default::default() }, key))
                    .await
                    .map(|_| ()),
            ),
            "Heartbeat" => code(
                coord
                    .heartbeat(req(pb::HeartbeatRequest { lease_id: "lease_nope".into(), ..Default::default() }, key))
                    .await
                    .map(|_| ()),
            ),
            "ContinueTask" => code(
                coord
                    .continue_task(req(
                        pb::ContinueTaskRequest { lease_id: "lease_nope".into(), ..Default::default() },
                        key,
                    ))
                    .await
                    .map(|_| ()),
            ),
            // A lease nobody holds: refused in its result, the call itself answered.
            "CompleteTasks" => code(
                coord
                    .complete_tasks(req(
                        pb::CompleteTasksRequest {
                            completions: vec![pb::CompleteTaskRequest {
                                lease_id: "lease_nope".into(),
                                ..Default::default()
                            }],
                            ..Default::default()
                        },
                        key,
                    ))
                    .await
                    .map(|r| assert_eq!(r.into_inner().results[0].code, Code::FailedPrecondition as i32)),
            ),
            "Verify" => code(
                verifier
                    .verify(req(
                        pb::VerifyRequest {
                            output: None,
                            criteria: vec![pb::Criterion { kind: "not_empty".into(), ..Default::default() }],
                        },
                        key,
                    ))
                    .await
                    .map(|_| ()),
            ),
            "ListAgents" => code(runs.list_agents(req(pb::ListAgentsRequest {}, key)).await.map(|_| ())),
            "ListRetryOutcomes" => {
                code(runs.list_retry_outcomes(req(pb::ListRetryOutcomesRequest::default(), key)).await.map(|_| ()))
            }
            "ListCriterionKinds" => {
                code(verifier.list_criterion_kinds(req(pb::ListCriterionKindsRequest {}, key)).await.map(|_| ()))
            }
            "CreateRecipe" => code(recipes.create_recipe(req(recipe("matrix"), key)).await.map(|_| ())),
            "GetRecipe" => code(
                recipes
                    .get_recipe(req(pb::GetRecipeRequest { name: "alpha-recipe".into(), version: 0 }, key))
                    .await
                    .map(|_| ()),
            ),
            "ListRecipes" => code(recipes.list_recipes(req(pb::ListRecipesRequest::default(), key)).await.map(|_| ())),
            // A name nobody made: the role is checked before the recipe is looked up.
            "DeleteRecipe" => code(
                recipes
                    .delete_recipe(req(pb::DeleteRecipeRequest { name: "never-made".into() }, key))
                    .await
                    .map(|_| ()),
            ),
            // Alpha's run has not completed: the role and the workspace are checked before its status.
            "CreateRecipeFromRun" => code(
                recipes
                    .create_recipe_from_run(req(
                        pb::CreateRecipeFromRunRequest { run_id: id(), name: "from-run".into(), ..Default::default() },
                        key,
                    ))
                    .await
                    .map(|_| ()),
            ),
            "CreateSchedule" => {
                let n = MADE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                code(schedules.create_schedule(req(schedule(&format!("matrix-{n}")), key)).await.map(|_| ()))
            }
            "GetSchedule" => {
                code(schedules.get_schedule(req(pb::GetScheduleRequest { schedule_id: sid() }, key)).await.map(|_| ()))
            }
            "ListSchedules" => {
                code(schedules.list_schedules(req(pb::ListSchedulesRequest::default(), key)).await.map(|_| ()))
            }
            "PauseSchedule" => code(
                schedules
                    .pause_schedule(req(pb::PauseScheduleRequest { schedule_id: sid(), note: "n".into() }, key))
                    .await
                    .map(|_| ()),
            ),
            "ResumeSchedule" => code(
                schedules
                    .resume_schedule(req(pb::ResumeScheduleRequest { schedule_id: sid(), note: "n".into() }, key))
                    .await
                    .map(|_| ()),
            ),
            "TriggerSchedule" => code(
                schedules
                    .trigger_schedule(req(
                        pb::TriggerScheduleRequest { schedule_id: sid(), request_id: "m".into() },
                        key,
                    ))
                    .await
                    .map(|_| ()),
            ),
            "BackfillSchedule" => {
                let at = |s: i64| Some(prost_types::Timestamp { seconds: s, nanos: 0 });
                let r = pb::BackfillScheduleRequest {
                    schedule_id: sid(),
                    start_time: at(1_767_225_600),
                    end_time: at(1_767_225_600 + 3600),
                    overlap: 0,
                };
                code(schedules.backfill_schedule(req(r, key)).await.map(|_| ()))
            }
            "DeleteSchedule" => code(
                schedules
                    .delete_schedule(req(pb::DeleteScheduleRequest { schedule_id: "never-made".into() }, key))
                    .await
                    .map(|_| ()),
            ),
            "GetStats" => code(guidance.get_stats(req(pb::GetStatsRequest::default(), key)).await.map(|_| ())),
            "ListRecipeCandidates" => code(
                guidance.list_recipe_candidates(req(pb::ListRecipeCandidatesRequest::default(), key)).await.map(|_| ()),
            ),
            "Advise" => {
                let run = create("advice", vec![task("a", "w", &[])]);
                code(guidance.advise(req(pb::AdviseRequest { run: Some(run), history: None }, key)).await.map(|_| ()))
            }
            other => panic!("unknown call {other}"),
        }
    }
    use Code::*;
    let pd = PermissionDenied;
    // Expected codes against alpha's run; PauseRun/ResumeRun alternate so both succeed for writers.
    let matrix: Vec<(&str, [Code; 6])> = vec![
        //                     admin            operator         agent  viewer  beta operator    beta agent
        ("CreateRun", [Ok, Ok, pd, pd, Ok, pd]),
        ("GetRun", [Ok, Ok, pd, Ok, NotFound, pd]),
        ("ListRuns", [Ok, Ok, pd, Ok, Ok, pd]),
        ("ListTasks", [Ok, Ok, pd, Ok, NotFound, pd]),
        ("GetTask", [Ok, Ok, pd, Ok, NotFound, pd]),
        ("ListRunEvents", [Ok, Ok, pd, Ok, NotFound, pd]),
        ("GetRunTrace", [Ok, Ok, pd, Ok, NotFound, pd]),
        ("WatchRun", [Ok, Ok, pd, Ok, NotFound, pd]),
        ("PauseRun", [Ok, Ok, pd, pd, NotFound, pd]),
        ("ResumeRun", [Ok, Ok, pd, pd, NotFound, pd]),
        ("ApproveTask", [FailedPrecondition, FailedPrecondition, pd, pd, NotFound, pd]),
        ("ValidatePlan", [Ok, Ok, pd, Ok, Ok, pd]),
        ("PollTask", [Ok, pd, Ok, pd, pd, Ok]),
        ("Heartbeat", [FailedPrecondition, pd, FailedPrecondition, pd, pd, FailedPrecondition]),
        ("ContinueTask", [FailedPrecondition, pd, FailedPrecondition, pd, pd, FailedPrecondition]),
        ("CompleteTasks", [Ok, pd, Ok, pd, pd, Ok]),
        ("Verify", [Ok, Ok, pd, pd, Ok, pd]),
        ("ListCriterionKinds", [Ok, Ok, pd, Ok, Ok, pd]),
        ("ListRetryOutcomes", [Ok, Ok, pd, Ok, Ok, pd]),
        ("ListAgents", [Ok, Ok, pd, Ok, Ok, pd]),
        ("CreateRecipe", [Ok, Ok, pd, pd, Ok, pd]),
        ("GetRecipe", [Ok, Ok, pd, Ok, NotFound, pd]),
        ("ListRecipes", [Ok, Ok, pd, Ok, Ok, pd]),
        ("DeleteRecipe", [NotFound, NotFound, pd, pd, NotFound, pd]),
        ("CreateRecipeFromRun", [FailedPrecondition, FailedPrecondition, pd, pd, NotFound, pd]),
        ("GetStats", [Ok, Ok, pd, Ok, Ok, pd]),
        ("Advise", [Ok, Ok, pd, Ok, Ok, pd]),
        ("ListRecipeCandidates", [Ok, Ok, pd, Ok, Ok, pd]),
        // Beta has no alpha-recipe: its schedule of it is refused (InvalidArgument names the recipe).
        ("CreateSchedule", [Ok, Ok, pd, pd, InvalidArgument, pd]),
        ("GetSchedule", [Ok, Ok, pd, Ok, NotFound, pd]),
        ("ListSchedules", [Ok, Ok, pd, Ok, Ok, pd]),
        ("PauseSchedule", [Ok, Ok, pd, pd, NotFound, pd]),
        ("ResumeSchedule", [Ok, Ok, pd, pd, NotFound, pd]),
        ("TriggerSchedule", [Ok, Ok, pd, pd, NotFound, pd]),
        ("BackfillSchedule", [Ok, Ok, pd, pd, NotFound, pd]),
        ("DeleteSchedule", [NotFound, NotFound, pd, pd, NotFound, pd]),
    ];
    let roles = [&keys.admin, &keys.operator, &keys.agent, &keys.viewer, &keys.beta_operator, &keys.beta_agent];
    for (name, expected) in &matrix {
        for (k, want) in roles.iter().zip(expected) {
            let got = call(
                name,
                Some(k),
                &alpha_run,
                &mut runs,
                &mut coord,
                &mut verifier,
                &mut recipes,
                &mut schedules,
                &mut guidance,
            )
            .await;
            assert_eq!(got, *want, "{name} with key {}…", &k[..16]);
        }
        for (what, key) in [
            ("no key", None),
            ("wrong key", Some("ork_000000000000_nope")),
            ("garbage", Some("hunter2")),
            ("revoked", Some(keys.revoked.as_str())),
        ] {
            let got = call(
                name,
                key,
                &alpha_run,
                &mut runs,
                &mut coord,
                &mut verifier,
                &mut recipes,
                &mut schedules,
                &mut guidance,
            )
            .await;
            assert_eq!(got, Unauthenticated, "{name} with {what}");
        }
    }
    // Retry outcomes are the workspace's own.
    let store = Store::open(&db.url, Hub::new()).expect("store");
    store
        .write(|tx| store::count_verified_end(tx, ("alpha", "r", "t"), "w", "m", store::VerifiedEnd::PassedFirstTry))
        .await
        .expect("seed an outcome");
    let outcomes = |key: String| {
        let mut runs = runs.clone();
        async move {
            runs.list_retry_outcomes(req(pb::ListRetryOutcomesRequest::default(), Some(&key)))
                .await
                .expect("outcomes")
                .into_inner()
                .outcomes
        }
    };
    assert_eq!(outcomes(keys.viewer.clone()).await.len(), 1, "alpha sees its own");
    assert!(outcomes(keys.beta_operator.clone()).await.is_empty(), "beta sees none of alpha's");
    // Zero rows of another workspace, ever.
    let listed = runs
        .list_runs(req(pb::ListRunsRequest::default(), Some(&keys.beta_operator)))
        .await
        .expect("list")
        .into_inner();
    assert!(listed.runs.iter().all(|r| r.workspace == "beta"));
    assert!(listed.runs.iter().any(|r| r.id == beta_run));
    assert!(!listed.runs.iter().any(|r| r.id == alpha_run));
    // Recipes too: beta lists none of alpha's, and cannot run one.
    let theirs = recipes
        .list_recipes(req(pb::ListRecipesRequest::default(), Some(&keys.beta_operator)))
        .await
        .expect("beta's recipes")
        .into_inner();
    assert!(theirs.recipes.iter().all(|r| r.workspace == "beta" && r.name != "alpha-recipe"));
    let from_alpha = pb::CreateRunRequest { recipe: "alpha-recipe".into(), ..Default::default() };
    let e = runs.create_run(req(from_alpha, Some(&keys.beta_operator))).await.expect_err("not beta's");
    assert_eq!(e.code(), Code::NotFound);
    // A run's child runs are listed for its own workspace only.
    let delegating = pb::TaskSpec {
        id: "d".into(),
        instructions: "delegate".into(),
        kind: pb::TaskKind::Run as i32,
        child: Some(pb::ChildRun {
            plan: Some(pb::Plan { tasks: vec![task("x", "idle", &[])] }),
            ..Default::default()
        }),
        ..Default::default()
    };
    let parent = runs
        .create_run(req(create("alpha's parent", vec![delegating]), Some(&keys.operator)))
        .await
        .expect("parent run")
        .into_inner()
        .run
        .expect("run")
        .id;
    let children_seen_by = |key: String| {
        let (mut runs, parent) = (runs.clone(), parent.clone());
        async move {
            let filter = pb::ListRunsRequest { parent_run_id: parent, ..Default::default() };
            runs.list_runs(req(filter, Some(&key))).await.expect("children").into_inner().runs
        }
    };
    let mut seen = Vec::new();
    for _ in 0..100 {
        seen = children_seen_by(keys.viewer.clone()).await;
        if !seen.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(seen.len(), 1, "alpha sees its child run");
    assert_eq!(seen[0].workspace, "alpha");
    assert!(children_seen_by(keys.beta_operator.clone()).await.is_empty(), "beta sees none of alpha's children");
    // Agents poll only their workspace's tasks; another workspace's lease is unknown.
    let polled = coord
        .poll_task(req(
            pb::PollTaskRequest {
                agent: "w".into(),
                wait: Some(prost_types::Duration { seconds: 2, nanos: 0 }),
                ..Default::default()
            },
            Some(&keys.beta_agent),
        ))
        .await
        .expect("beta poll")
        .into_inner()
        .assignment
        .expect("beta's task");
    assert_eq!(polled.run_id, beta_run);
    let e = coord
        .complete_task(req(
            pb::CompleteTaskRequest { lease_id: polled.lease_id.clone(), ..Default::default() },
            Some(&keys.agent),
        ))
        .await
        .expect_err("alpha's agent with beta's lease");
    assert_eq!((e.code(), e.message()), (Code::FailedPrecondition, "unknown lease"));
    let e = coord
        .continue_task(req(
            pb::ContinueTaskRequest { lease_id: polled.lease_id.clone(), ..Default::default() },
            Some(&keys.agent),
        ))
        .await
        .expect_err("alpha's agent continuing beta's lease");
    assert_eq!((e.code(), e.message()), (Code::FailedPrecondition, "unknown lease"));
    let batch = coord
        .complete_tasks(req(
            pb::CompleteTasksRequest {
                completions: vec![pb::CompleteTaskRequest { lease_id: polled.lease_id.clone(), ..Default::default() }],
                claim_next: true,
                max_next: 4,
            },
            Some(&keys.agent),
        ))
        .await
        .expect("a batch answers for each lease")
        .into_inner();
    assert_eq!(
        (batch.results[0].code, batch.results[0].message.as_str()),
        (Code::FailedPrecondition as i32, "unknown lease"),
        "alpha's agent with beta's lease in a batch"
    );
    assert!(batch.next_tasks.is_empty(), "nothing recorded, nothing handed over");
    // Audit: who did it is in the events.
    runs.cancel_run(req(
        pb::CancelRunRequest { run_id: alpha_run.clone(), reason: "audit".into() },
        Some(&keys.operator),
    ))
    .await
    .expect("cancel");
    let events = runs
        .list_run_events(req(
            pb::ListRunEventsRequest { run_id: alpha_run.clone(), page_size: 1000, ..Default::default() },
            Some(&keys.viewer),
        ))
        .await
        .expect("events")
        .into_inner()
        .events;
    let by = |e: &pb::RunEvent| e.data.as_ref().and_then(|d| d.fields.get("by")).and_then(|v| v.kind.clone());
    let cancel =
        events.iter().find(|e| e.r#type == "run.status_changed" && e.to_status == "CANCELLED").expect("cancel event");
    let created = events.iter().find(|e| e.r#type == "run.created").expect("created event");
    for e in [cancel, created] {
        match by(e) {
            Some(prost_types::value::Kind::StringValue(s)) => assert!(s.starts_with("key:") && s.len() == 16, "{s}"),
            other => panic!("no audit identity: {other:?}"),
        }
    }
    // Health needs no key.
    let mut h = tonic_health::pb::health_client::HealthClient::new(ch);
    h.check(tonic_health::pb::HealthCheckRequest { service: String::new() }).await.expect("health without a key");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn approval_gates_hold_until_an_allowed_person_decides() {
    let db = TestDb::new(Backend::Sqlite);
    let keys = seed_keys(&db).await;
    let app = secured_app(&db).await;
    let mut runs = RunServiceClient::new(app.channel().await);
    let mut gated = task("deploy", "w", &[]);
    gated.requires_approval = true;
    let mut skipped = task("announce", "w", &[]);
    skipped.requires_approval = true;
    skipped.on_reject = pb::RejectionAction::Skip as i32;
    let run = create_run(
        &mut runs,
        req(create("gated", vec![gated, skipped, task("after", "w", &["announce"])]), Some(&keys.operator)),
    )
    .await;
    assert_eq!(run.task_counts.get("WAITING_APPROVAL"), Some(&2));
    let e = runs
        .approve_task(req(
            pb::ApproveTaskRequest { run_id: run.id.clone(), task_id: "deploy".into(), comment: "lgtm".into() },
            Some(&keys.viewer),
        ))
        .await
        .expect_err("a viewer may not approve");
    assert_eq!(e.code(), Code::PermissionDenied);
    let t = runs
        .approve_task(req(
            pb::ApproveTaskRequest { run_id: run.id.clone(), task_id: "deploy".into(), comment: "lgtm".into() },
            Some(&keys.admin),
        ))
        .await
        .expect("approve")
        .into_inner();
    assert_eq!(t.status, pb::TaskStatus::Ready as i32);
    let t = runs
        .reject_task(req(
            pb::RejectTaskRequest { run_id: run.id.clone(), task_id: "announce".into(), comment: "not today".into() },
            Some(&keys.operator),
        ))
        .await
        .expect("reject")
        .into_inner();
    assert_eq!(t.status, pb::TaskStatus::Skipped as i32);
    let after = runs
        .get_task(req(pb::GetTaskRequest { run_id: run.id.clone(), task_id: "after".into() }, Some(&keys.viewer)))
        .await
        .expect("after")
        .into_inner();
    assert_eq!(after.status, pb::TaskStatus::Ready as i32, "a skipped rejection lets dependents run");
    let e = runs
        .approve_task(req(
            pb::ApproveTaskRequest { run_id: run.id.clone(), task_id: "deploy".into(), comment: String::new() },
            Some(&keys.admin),
        ))
        .await
        .expect_err("twice");
    assert_eq!(e.code(), Code::FailedPrecondition);
    let events = runs
        .list_run_events(req(
            pb::ListRunEventsRequest { run_id: run.id.clone(), page_size: 1000, ..Default::default() },
            Some(&keys.viewer),
        ))
        .await
        .expect("events")
        .into_inner()
        .events;
    let approved = events.iter().find(|e| e.r#type == "task.approved").expect("approved event");
    let rejected = events.iter().find(|e| e.r#type == "task.rejected").expect("rejected event");
    let text =
        |e: &pb::RunEvent, k: &str| match e.data.as_ref().and_then(|d| d.fields.get(k)).and_then(|v| v.kind.clone()) {
            Some(prost_types::value::Kind::StringValue(s)) => s,
            _ => String::new(),
        };
    assert!(text(approved, "by").starts_with("key:") && text(approved, "comment") == "lgtm");
    assert_eq!(text(rejected, "comment"), "not today");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tls_admits_clients_that_trust_the_ca_and_refuses_plain_text() {
    let ca_key = rcgen::KeyPair::generate().expect("ca key");
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("ca params");
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let ca_cert = ca_params.self_signed(&ca_key).expect("ca");
    let issuer = rcgen::Issuer::new(ca_params, &ca_key);
    let key = rcgen::KeyPair::generate().expect("key");
    let cert = rcgen::CertificateParams::new(vec!["localhost".to_string()])
        .expect("params")
        .signed_by(&key, &issuer)
        .expect("cert");
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(dir.path().join("server.pem"), cert.pem()).expect("write");
    std::fs::write(dir.path().join("server.key"), key.serialize_pem()).expect("write");
    let db = TestDb::new(Backend::Sqlite);
    let mut config = common::test_config(&db);
    config.tls = Some(orchestrator::config::TlsFiles {
        cert: dir.path().join("server.pem"),
        key: dir.path().join("server.key"),
        client_ca: None,
    });
    // TestApp's health wait speaks plain text, so start this server by hand.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(orchestrator::server::serve(
        listener,
        async move {
            let _ = stopped.await;
        },
        config,
    ));
    let tls = tonic::transport::ClientTlsConfig::new()
        .ca_certificate(tonic::transport::Certificate::from_pem(ca_cert.pem()))
        .domain_name("localhost");
    let endpoint =
        tonic::transport::Endpoint::from_shared(format!("https://{addr}")).expect("e").tls_config(tls).expect("tls");
    let mut ok = None;
    for _ in 0..100 {
        if let Ok(ch) = endpoint.connect().await {
            let mut runs = RunServiceClient::new(ch);
            if let Ok(r) = runs.list_runs(pb::ListRunsRequest::default()).await {
                ok = Some(r);
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(ok.is_some(), "a client that trusts the CA is served over TLS");
    let plain = tonic::transport::Endpoint::from_shared(format!("http://{addr}")).expect("e").connect_lazy();
    let e = RunServiceClient::new(plain).list_runs(pb::ListRunsRequest::default()).await.expect_err("plain text");
    // The TLS server drops the plain-text connection: how the client words that varies.
    assert!(matches!(e.code(), Code::Unavailable | Code::Unknown | Code::Internal | Code::Cancelled), "{e:?}");
    let _ = stop.send(());
    let _ = tokio::time::timeout(Duration::from_secs(10), server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_hostile_requests_get_clear_errors_and_break_nothing() {
    let db = TestDb::new(Backend::Sqlite);
    let app = TestApp::start(common::test_config(&db)).await;
    let ch = app.channel().await;
    let mut runs = RunServiceClient::new(ch.clone());
    let mut coord = CoordinatorServiceClient::new(ch.clone());
    let mut verifier = VerifierServiceClient::new(ch.clone());
    let keeper = create_run(&mut runs, create("keep me", vec![task("a", "w", &[]), task("b", "w", &["a"])])).await;
    let before = runs
        .get_run(pb::GetRunRequest { run_id: keeper.id.clone(), ..Default::default() })
        .await
        .expect("get")
        .into_inner();
    let mut rng = fastrand::Rng::with_seed(20261125);
    let big = |n: usize| "x".repeat(n);
    let deep_struct = |depth: usize| {
        let mut v = prost_types::Value { kind: Some(prost_types::value::Kind::StringValue("leaf".into())) };
        for _ in 0..depth {
            let mut s = prost_types::Struct::default();
            s.fields.insert("k".into(), v);
            v = prost_types::Value { kind: Some(prost_types::value::Kind::StructValue(s)) };
        }
        match v.kind {
            Some(prost_types::value::Kind::StructValue(s)) => s,
            _ => prost_types::Struct::default(),
        }
    };
    let mut codes = std::collections::BTreeMap::<String, usize>::new();
    for i in 0..1_100 {
        let kind = rng.usize(0..16);
        let result: Result<(), tonic::Status> = match kind {
            0 => runs.create_run(create(&big(rng.usize(16_385..40_000)), vec![task("a", "w", &[])])).await.map(|_| ()),
            1 => {
                let n = rng.usize(2..60);
                let tasks = (0..n).map(|j| task(&format!("t{j}"), "w", &[&format!("t{}", (j + 1) % n)])).collect();
                runs.create_run(create("cycle", tasks)).await.map(|_| ())
            }
            2 => runs
                .create_run(create("deep", (0..10_050).map(|j| task(&format!("t{j}"), "w", &[])).collect()))
                .await
                .map(|_| ()),
            3 => {
                let mut t = task(&big(rng.usize(129..400)), &big(rng.usize(0..300)), &[]);
                t.timeout = Some(prost_types::Duration { seconds: -rng.i64(1..i64::MAX / 2), nanos: 0 });
                runs.create_run(create("ids", vec![t])).await.map(|_| ())
            }
            4 => runs
                .get_run(pb::GetRunRequest { run_id: big(rng.usize(0..2_000)), ..Default::default() })
                .await
                .map(|_| ()),
            5 => runs
                .list_runs(pb::ListRunsRequest {
                    page_size: rng.u32(1001..),
                    page_token: String::from_utf8_lossy(
                        &(0..rng.usize(1..64)).map(|_| rng.u8(..)).collect::<Vec<u8>>(),
                    )
                    .to_string(),
                    ..Default::default()
                })
                .await
                .map(|_| ()),
            6 => runs
                .list_run_events(pb::ListRunEventsRequest {
                    run_id: keeper.id.clone(),
                    after_seq: rng.u64(..),
                    page_token: format!("{:x}", rng.u64(..)),
                    ..Default::default()
                })
                .await
                .map(|_| ()),
            7 => coord
                .complete_task(pb::CompleteTaskRequest {
                    lease_id: format!("lease_{:x}", rng.u128(..)),
                    ..Default::default()
                })
                .await
                .map(|_| ()),
            8 => coord
                .heartbeat(pb::HeartbeatRequest {
                    lease_id: big(rng.usize(0..300)),
                    progress: [f64::NAN, -1.0, 7.0, f64::INFINITY][rng.usize(0..4)],
                    ..Default::default()
                })
                .await
                .map(|_| ()),
            9 => coord
                .poll_task(pb::PollTaskRequest {
                    agent: big(rng.usize(0..400)),
                    wait: Some(prost_types::Duration { seconds: rng.i64(61..i64::MAX), nanos: 0 }),
                    ..Default::default()
                })
                .await
                .map(|_| ()),
            10 => {
                let mut r = create("labels", vec![task("a", "w", &[])]);
                for j in 0..rng.usize(33..80) {
                    r.labels.insert(format!("K{j}!"), big(300));
                }
                runs.create_run(r).await.map(|_| ())
            }
            11 => {
                let mut r = create("budget", vec![task("a", "w", &[])]);
                r.budget = Some(pb::Budget {
                    max_cost_usd: [f64::NAN, -5.0, f64::NEG_INFINITY][rng.usize(0..3)],
                    on_exhausted: rng.i32(4..),
                    ..Default::default()
                });
                r.max_parallel = rng.u32(1001..);
                runs.create_run(r).await.map(|_| ())
            }
            12 => verifier
                .verify(pb::VerifyRequest {
                    output: None,
                    criteria: vec![pb::Criterion {
                        kind: "regex".into(),
                        params: Some(json_struct(&format!(
                            "{{\"pattern\": \"{}\"}}",
                            ["(", "a{99999}", "[z-a]", "\\\\p{Nope}"][rng.usize(0..4)]
                        ))),
                        ..Default::default()
                    }],
                })
                .await
                .map(|_| ()),
            13 => {
                let mut r = create("deep context", vec![task("a", "w", &[])]);
                r.context = Some(deep_struct(rng.usize(70..95)));
                runs.create_run(r).await.map(|_| ())
            }
            14 => {
                // Invalid UTF-8 and garbage in trace headers.
                let mut r = Request::new(create("headers", vec![task("a", "w", &[])]));
                let bytes: Vec<u8> = (0..rng.usize(1..80)).map(|_| rng.u8(0x80..)).collect();
                if let Ok(v) = tonic::metadata::MetadataValue::try_from(bytes.as_slice()) {
                    r.metadata_mut().insert("traceparent", v);
                }
                runs.create_run(r)
                    .await
                    .map(|_| Err(tonic::Status::ok("created despite the garbage header")))
                    .and_then(|x| x)
            }
            _ => coord
                .validate_plan(pb::ValidatePlanRequest {
                    plan: Some(pb::Plan { tasks: vec![task("a", "w", &["a"]), task("a", "w", &["zz"])] }),
                })
                .await
                .map(|_| ()),
        };
        let code = match result {
            Ok(()) => panic!("hostile request {i} (kind {kind}) was accepted"),
            Err(s) => {
                assert!(
                    !matches!(s.code(), Code::Internal | Code::Unknown | Code::Unavailable),
                    "request {i} (kind {kind}) → {:?}: {}",
                    s.code(),
                    s.message()
                );
                if s.code() != Code::Ok {
                    assert!(!s.message().is_empty(), "request {i} (kind {kind}) answered without a reason");
                }
                format!("{:?}", s.code())
            }
        };
        *codes.entry(code).or_default() += 1;
    }
    // Headers with garbage are ignored (the run is created): that is the one "Ok" bucket allowed.
    assert!(
        codes.keys().all(|c| [
            "InvalidArgument",
            "NotFound",
            "FailedPrecondition",
            "OutOfRange",
            "ResourceExhausted",
            "Ok"
        ]
        .contains(&c.as_str())),
        "{codes:?}"
    );
    let mut h = tonic_health::pb::health_client::HealthClient::new(ch);
    h.check(tonic_health::pb::HealthCheckRequest { service: String::new() }).await.expect("still healthy");
    let after = runs
        .get_run(pb::GetRunRequest { run_id: keeper.id.clone(), ..Default::default() })
        .await
        .expect("intact")
        .into_inner();
    assert_eq!((after.goal, after.status, after.plan), (before.goal, before.status, before.plan));
    app.stop().await;
}

fn json_struct(text: &str) -> prost_types::Struct {
    let v: serde_json::Value = serde_json::from_str(text).expect("json");
    orchestrator::api::convert::json_to_struct(v.as_object().expect("object"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_tool_policy_is_layered_deny_first_and_enforced() {
    let db = TestDb::new(Backend::Sqlite);
    let mut config = common::test_config(&db);
    config.policy = orchestrator::config::Policy::parse(
        "tools: {allow: [search, calc, shell, http], deny: [shell]}\n\
         workspaces: {default: {tools: {deny: [http]}}}\n\
         tool_violation: fail\n\
         agents:\n  - name: ext\n    tools: {allow: [search, calc, browse]}\n",
    )
    .expect("policy");
    let app = TestApp::start(config).await;
    let mut runs = app.runs().await;
    let mut coord = app.coord().await;
    let mut t = task("a", "ext", &[]);
    t.tools_denied = vec!["calc".into()];
    let mut t2 = task("b", "ext", &[]);
    t2.tools_allowed = vec!["search".into(), "calc".into()];
    let run = create_run(&mut runs, create("tools", vec![t, t2])).await;
    let poll = |c: &mut CoordinatorServiceClient<Channel>| {
        let mut c = c.clone();
        async move {
            c.poll_task(pb::PollTaskRequest { agent: "ext".into(), ..Default::default() })
                .await
                .expect("poll")
                .into_inner()
                .assignment
                .expect("a task")
        }
    };
    let a = poll(&mut coord).await;
    assert_eq!(a.allowed_tools, vec!["search".to_string()], "server ∩ agent ∩ task, minus every deny");
    for d in ["shell", "http", "calc"] {
        assert!(a.denied_tools.contains(&d.to_string()), "{d} denied");
    }
    coord
        .heartbeat(pb::HeartbeatRequest {
            lease_id: a.lease_id.clone(),
            tools_used: vec!["search".into()],
            ..Default::default()
        })
        .await
        .expect("an allowed tool is fine");
    let e = coord
        .complete_task(pb::CompleteTaskRequest {
            lease_id: a.lease_id.clone(),
            tools_used: vec!["search".into(), "shell".into()],
            ..Default::default()
        })
        .await
        .expect_err("a denied tool");
    assert_eq!(e.code(), Code::FailedPrecondition);
    assert!(e.message().contains("shell"), "{}", e.message());
    let task_a = runs
        .get_task(pb::GetTaskRequest { run_id: run.id.clone(), task_id: a.task_id.clone() })
        .await
        .expect("t")
        .into_inner();
    assert_eq!(task_a.status, pb::TaskStatus::Failed as i32, "fail mode fails the attempt, without retry");
    let events = runs
        .list_run_events(pb::ListRunEventsRequest { run_id: run.id, page_size: 1000, ..Default::default() })
        .await
        .expect("events")
        .into_inner()
        .events;
    assert!(events.iter().any(|e| e.r#type == "tool.violation" && e.message.contains("shell")));
    app.stop().await;
}
