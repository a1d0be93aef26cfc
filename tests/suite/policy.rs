//! WORKFLOW.md against real servers: hot reload (a good edit applies, a bad
//! one keeps the policy in force), the planner's prompt template from the
//! body, `policy check` exit codes, and limits precedence (flag > file).

use crate::common;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::fake_llm::{prompt_text, FakeLlm, Reply};
use common::{create, create_run, task, test_config, wait_terminal, Backend, ServerProcess, TestApp, TestDb};
use orchestrator::config::{workflow, PolicyFile};
use orchestrator::proto::v1 as pb;
use serde_json::json;
use tonic::Code;

/// Replaces the file at once (write beside it, then rename), as editors and deploys do.
fn write(path: &Path, text: &str) {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text).expect("write");
    std::fs::rename(&tmp, path).expect("rename");
}

async fn start_watching(db: &TestDb, path: &Path) -> TestApp {
    let loaded = workflow::load(path).expect("valid workflow");
    let mut config = test_config(db);
    config.policy = loaded.policy;
    config.policy_file = Some(PolicyFile { path: path.to_path_buf(), digest: loaded.digest });
    config.policy_poll_interval = Duration::from_millis(50);
    TestApp::start(config).await
}

const ONE_AGENT: &str = "---\nagents:\n  - name: ext\n    executor: agent\n---\n";
const TWO_AGENTS: &str =
    "---\nagents:\n  - name: ext\n    executor: agent\n  - name: echo\n    executor: command\n    command: [cat]\n---\n";
const BROKEN: &str = "---\nagents:\n  - name: ext\n    executor: agent\n    concurrency: lots\n---\n";

/// Retries `CreateRun` until it answers with `want` (or panics after 10 s).
async fn until_create(
    runs: &mut pb::run_service_client::RunServiceClient<tonic::transport::Channel>,
    agent: &str,
    want: Code,
) -> Option<pb::Run> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let r = runs.create_run(create("reload", vec![task("a", agent, &[])])).await;
        match r {
            Ok(r) if want == Code::Ok => return r.into_inner().run,
            Err(s) if s.code() == want => return None,
            Ok(_) | Err(_) => {}
        }
        assert!(tokio::time::Instant::now() < deadline, "CreateRun for {agent:?} never answered {want:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_edited_workflow_is_applied_and_a_bad_edit_keeps_the_policy_in_force() {
    let db = TestDb::new(Backend::Sqlite);
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("WORKFLOW.md");
    write(&path, ONE_AGENT);
    let app = start_watching(&db, &path).await;
    let mut runs = app.runs().await;
    let refused = runs.create_run(create("g", vec![task("a", "echo", &[])])).await.expect_err("unknown agent");
    assert_eq!(refused.code(), Code::InvalidArgument);

    // A good edit: a new command agent is accepted, and its workers run the task.
    write(&path, TWO_AGENTS);
    let run = until_create(&mut runs, "echo", Code::Ok).await.expect("run");
    let done = wait_terminal(&mut runs, &run.id, 20).await;
    assert_eq!(done.status, pb::RunStatus::Completed as i32, "{}", done.failure_reason);

    // A bad edit (wrong type, and it drops `echo`): ignored, the policy in force stays.
    write(&path, BROKEN);
    tokio::time::sleep(Duration::from_millis(600)).await;
    let run = runs.create_run(create("g", vec![task("a", "echo", &[])])).await.expect("still known").into_inner();
    let done = wait_terminal(&mut runs, &run.run.expect("run").id, 20).await;
    assert_eq!(done.status, pb::RunStatus::Completed as i32, "{}", done.failure_reason);

    // The watcher is alive: the next good edit (without `echo`) applies.
    write(&path, ONE_AGENT);
    until_create(&mut runs, "echo", Code::InvalidArgument).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_planner_uses_the_workflow_body_and_its_edits() {
    let llm = FakeLlm::start(|body, _| {
        let text = prompt_text(body);
        if text.contains("TEMPLATE") {
            let plan = json!({"tasks": [{"id": "w", "title": "Write", "instructions": "write", "agent": "writer", "depends_on": []}]});
            Reply::answer(&plan.to_string(), 10, 5)
        } else {
            Reply::answer("written", 3, 2)
        }
    })
    .await;
    let front = format!(
        "---\nmodels:\n  main: {{base_url: '{}', model: fake, timeout: 3s}}\nagents:\n  - name: writer\n    description: writes\n    executor: llm\n---\n",
        llm.base_url()
    );
    let db = TestDb::new(Backend::Sqlite);
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("WORKFLOW.md");
    write(
        &path,
        &format!("{front}TEMPLATE-1 goal=<{{{{goal}}}}> agents=<{{{{agents}}}}> criteria=<{{{{criteria}}}}>\n"),
    );
    let app = start_watching(&db, &path).await;
    let mut runs = app.runs().await;
    let goal_only = |goal: &str| pb::CreateRunRequest { goal: goal.into(), ..Default::default() };

    let run = create_run(&mut runs, goal_only("a haiku")).await;
    let done = wait_terminal(&mut runs, &run.id, 20).await;
    assert_eq!(done.status, pb::RunStatus::Completed as i32, "{}", done.failure_reason);
    let planner: Vec<String> = llm.requests().iter().map(prompt_text).filter(|t| t.contains("TEMPLATE")).collect();
    assert_eq!(
        planner,
        vec!["TEMPLATE-1 goal=<a haiku> agents=<- writer: writes> criteria=<(none given)>".to_string()]
    );

    write(&path, &format!("{front}TEMPLATE-2 {{{{goal}}}}\n"));
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let run = create_run(&mut runs, goal_only("a limerick")).await;
        wait_terminal(&mut runs, &run.id, 20).await;
        if llm.requests().iter().map(prompt_text).any(|t| t == "TEMPLATE-2 a limerick") {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "the edited template was never used");
    }
    app.stop().await;
}

fn orchestrator(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_orchestrator")).args(args).output().expect("run the binary")
}

#[test]
fn policy_check_exits_0_when_valid_1_when_invalid_and_2_on_bad_usage() {
    let dir = tempfile::tempdir().expect("dir");
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/WORKFLOW.md");
    let ok = orchestrator(&["policy", "check", example]);
    let out = String::from_utf8_lossy(&ok.stdout);
    assert_eq!(ok.status.code(), Some(0), "{out}{}", String::from_utf8_lossy(&ok.stderr));
    assert!(out.starts_with("OK: "), "{out}");
    assert!(out.contains("agents: text (command, concurrency 4), python (agent)"), "{out}");
    assert!(out.contains("recipes: word-frequencies (in default)"), "{out}");

    let bad = dir.path().join("WORKFLOW.md");
    std::fs::write(
        &bad,
        "---\n# agents\nagents:\n  - name: a\n  - name: a\n    concurrency: many\n---\nPlan {{goal}} {{nope}}\n",
    )
    .expect("write");
    let r = orchestrator(&["policy", "check", bad.to_str().expect("path")]);
    let err = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(1), "{err}");
    assert!(err.contains("WORKFLOW.md:6:18: agents[1].concurrency: invalid type"), "{err}");

    let semantic = dir.path().join("semantic.md");
    std::fs::write(&semantic, "---\nagents:\n  - name: a\n  - name: a\n---\nPlan {{goal}} {{nope}}\n").expect("write");
    let r = orchestrator(&["policy", "check", semantic.to_str().expect("path")]);
    let err = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(1), "{err}");
    assert!(err.contains("semantic.md:4:11: agents[1].name: duplicate agent"), "{err}");
    assert!(err.contains("semantic.md:6:15: (body): unknown template variable {{nope}}"), "{err}");

    let plain = dir.path().join("policy.yaml");
    std::fs::write(&plain, "agents:\n  - name: a\n    executr: agent\n").expect("write");
    let r = orchestrator(&["policy", "check", plain.to_str().expect("path")]);
    assert_eq!(r.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&r.stderr).contains("policy.yaml:3:5: agents[0].executr: unknown field"));

    let missing = dir.path().join("missing.md");
    assert_eq!(orchestrator(&["policy", "check", missing.to_str().expect("path")]).status.code(), Some(2));
    assert_eq!(orchestrator(&["policy", "check"]).status.code(), Some(2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn limits_of_the_workflow_apply_unless_a_flag_overrides_them() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("WORKFLOW.md");
    write(&path, "---\nagents: [{name: ext}]\nlimits: {max_runs_in_flight: 1}\n---\n");
    let log = dir.path().join("server.log");
    for (extra, second_accepted) in [(&[][..], false), (&["--max-runs-in-flight", "3"][..], true)] {
        let db = TestDb::new(Backend::Sqlite);
        let server = ServerProcess::start(&db.raw_url, Some(&path), extra, &log).await;
        let mut runs = server.runs();
        runs.create_run(create("first", vec![task("a", "ext", &[])])).await.expect("first run");
        let second = runs.create_run(create("second", vec![task("a", "ext", &[])])).await;
        match second {
            Ok(_) => assert!(second_accepted, "limits.max_runs_in_flight: 1 was not applied"),
            Err(s) => {
                assert!(!second_accepted, "the flag did not override the file: {s:?}");
                assert_eq!(s.code(), Code::ResourceExhausted);
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_reload_that_removes_an_agent_ends_its_pollers_wait() {
    let db = TestDb::new(Backend::Sqlite);
    let mut config = test_config(&db);
    config.policy = workflow::parse("WORKFLOW.md", TWO_AGENTS, workflow::Format::Workflow).expect("valid");
    let store = orchestrator::engine::open_store(&config).await.expect("store");
    let engine = orchestrator::engine::Engine::new(store, std::sync::Arc::new(config));
    let poller = {
        let e = engine.clone();
        tokio::spawn(async move { e.poll_task(Some("default"), "ext", "i", Duration::from_secs(30)).await })
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!poller.is_finished(), "nothing to claim: the poll waits");
    let removed = engine.replace_policy(
        workflow::parse("W.md", "---\nagents: [{name: other}]\n---\n", workflow::Format::Workflow).expect("valid"),
    );
    assert!(removed.is_empty(), "no restart-only setting changed: {removed:?}");
    let answer = tokio::time::timeout(Duration::from_secs(2), poller).await.expect("woken by the reload");
    assert!(answer.expect("task").expect("poll").is_none());
    let refused = engine.poll_task(Some("default"), "ext", "i", Duration::from_secs(1)).await.expect_err("unknown now");
    assert!(matches!(refused, orchestrator::Error::NotFound(_)), "{refused:?}");
    // A change to `limits` is reported as applying at the next start.
    let later = engine.replace_policy(
        workflow::parse("W.md", "---\nagents: [{name: other}]\nlimits: {lease: 9s}\n---\n", workflow::Format::Workflow)
            .expect("valid"),
    );
    assert_eq!(later, vec!["limits".to_string()]);
    engine.stop_executors();
}

/// `greet` for agent `agent`, beside agent `ext` (and `echo` with `echo`).
fn greet_policy(description: &str, agent: &str, echo: bool) -> String {
    let echo = if echo { "  - name: echo\n    executor: command\n    command: [cat]\n" } else { "" };
    let lines = [
        "recipes:".to_string(),
        "  - name: greet".into(),
        format!("    description: {description}"),
        "    workspaces: [default]".into(),
        "    parameters:".into(),
        "      - {name: who, description: whom to greet, type: PARAMETER_TYPE_STRING}".into(),
        "    template:".into(),
        "      goal: Greet {{who}}".into(),
        "      plan:".into(),
        "        tasks:".into(),
        format!("          - {{id: a, agent: {agent}, instructions: \"say hello to {{{{who}}}}\"}}"),
    ];
    format!("---\nagents:\n  - name: ext\n    executor: agent\n{echo}{}\n---\n", lines.join("\n"))
}

async fn greet(app: &TestApp) -> Result<pb::Recipe, tonic::Status> {
    let mut rec = pb::recipe_service_client::RecipeServiceClient::new(app.channel().await);
    rec.get_recipe(pb::GetRecipeRequest { name: "greet".into(), version: 0 }).await.map(|r| r.into_inner())
}

/// Recipes kept in WORKFLOW.md, on both backends: kept at start (made by
/// "policy"), not again at a restart of the same file, a new version when
/// an edit changes one, not kept when an edit breaks one (the rest of the
/// edit applies); a server whose file starts with a bad one does not start,
/// and `policy check` names it.
async fn recipes_in_the_workflow_are_kept_as_versions(b: Backend) {
    let db = TestDb::new(b);
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("WORKFLOW.md");
    write(&path, &greet_policy("v1", "ext", false));
    let app = start_watching(&db, &path).await;
    let r = greet(&app).await.expect("kept at start");
    assert_eq!((r.version, r.created_by.as_str(), r.description.as_str()), (1, "policy", "v1"));
    let mut runs = app.runs().await;
    let params = json!({"who": "Ada"}).as_object().map(orchestrator::api::convert::json_to_struct);
    let run = runs
        .create_run(pb::CreateRunRequest { recipe: "greet".into(), params: params.clone(), ..Default::default() })
        .await
        .expect("a run of it")
        .into_inner()
        .run
        .expect("run");
    assert_eq!(run.goal, "Greet Ada");
    app.stop().await;

    // The same file again: nothing new.
    let app = start_watching(&db, &path).await;
    assert_eq!(greet(&app).await.expect("kept").versions.len(), 1, "a restart adds no version");
    // An edit: version 2.
    write(&path, &greet_policy("v2", "ext", false));
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while greet(&app).await.expect("kept").version != 2 {
        assert!(tokio::time::Instant::now() < deadline, "the edit was never kept");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // A broken recipe (an agent nobody declared) is not kept; the rest of the edit is.
    write(&path, &greet_policy("v3", "ghost", true));
    until_create(&mut app.runs().await, "echo", Code::Ok).await;
    let r = greet(&app).await.expect("kept");
    assert_eq!((r.version, r.description.as_str()), (2, "v2"), "the broken version is not kept");
    app.stop().await;

    // Two replicas starting at once on one database keep an edit once.
    write(&path, &greet_policy("v4", "ext", false));
    let (one, two) = tokio::join!(start_watching(&db, &path), start_watching(&db, &path));
    let r = greet(&two).await.expect("kept");
    assert_eq!((r.version, r.versions.len(), r.description.as_str()), (3, 3, "v4"));
    one.stop().await;
    two.stop().await;

    // A server whose file starts with a broken recipe does not start.
    let bad = dir.path().join("bad.md");
    write(&bad, &greet_policy("bad", "ghost", false));
    let mut config = test_config(&db);
    config.policy = workflow::load(&bad).expect("parses").policy;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let started = orchestrator::server::serve(listener, std::future::pending(), config).await;
    let e = started.expect_err("refused").to_string();
    assert!(e.contains("recipes[0] (greet): template.plan.tasks[0].agent"), "{e}");
    let r = orchestrator(&["policy", "check", bad.to_str().expect("path")]);
    let err = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(1), "{err}");
    assert!(err.contains("recipes[0] (greet): template.plan.tasks[0].agent"), "{err}");
}

both_backends!(recipes_in_the_workflow_are_kept_as_versions);
