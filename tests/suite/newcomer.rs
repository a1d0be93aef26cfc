//! What a new user hits on the README's path: the quickstart's failures, the
//! admin commands' database, policy paths and checks, long run lists, piped
//! output, and budgets across pauses and resumes. The real binary and script
//! where the README uses them.

use crate::common;

use std::path::Path;
use std::process::{Output, Stdio};
use std::time::Duration;

use common::{create, create_run, describe, task, Backend, TestApp, TestDb};
use orchestrator::proto::v1 as pb;

const BIN: &str = env!("CARGO_BIN_EXE_orchestrator");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The binary with `args`, in `dir`, without any of our variables from the test's environment.
fn bin(dir: &Path, args: &[&str]) -> Output {
    std::process::Command::new(BIN)
        .current_dir(dir)
        .args(args)
        .env_remove("ORCHESTRATOR_DATABASE_URL")
        .env_remove("DATABASE_URL")
        .output()
        .expect("run the orchestrator binary")
}

async fn cli(app: &TestApp, args: &[&str]) -> Output {
    tokio::process::Command::new(BIN)
        .args(args)
        .env("ORCHESTRATOR_SERVER", format!("http://{}", app.addr))
        .env_remove("ORCHESTRATOR_API_KEY")
        .stdin(Stdio::null())
        .output()
        .await
        .expect("run the orchestrator binary")
}

fn quickstart(port: u16, dir: &Path) -> Output {
    std::process::Command::new(Path::new(ROOT).join("examples/quickstart.sh"))
        .env("ORCHESTRATOR_BIN", BIN)
        .env("PORT", port.to_string())
        .env("ORCHESTRATOR_DATABASE_URL", dir.join("quick.db"))
        .env("QUICKSTART_LOG", dir.join("quick.log"))
        .stdin(Stdio::null())
        .output()
        .expect("run the quickstart")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_quickstart_completes_and_fails_loudly_when_its_port_is_taken() {
    let dir = tempfile::tempdir().expect("dir");
    let port = common::free_port();
    let o = tokio::task::spawn_blocking({
        let d = dir.path().to_path_buf();
        move || quickstart(port, &d)
    })
    .await
    .expect("join");
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    assert!(text(&o.stdout).contains("  COMPLETED\n"), "{}", describe(&o));

    // Another orchestrator already on the port: the script must not report that one's run.
    let db = TestDb::new(Backend::Sqlite);
    let other = TestApp::with_policy_file(&db, &Path::new(ROOT).join("examples/policy.yaml")).await;
    let o = tokio::task::spawn_blocking({
        let d = dir.path().to_path_buf();
        let p = other.addr.port();
        move || quickstart(p, &d)
    })
    .await
    .expect("join");
    assert_eq!(o.status.code(), Some(1), "{}", describe(&o));
    let err = text(&o.stderr);
    assert!(err.contains("the server did not start"), "{err}");
    assert!(err.contains("Address already in use") && err.contains("--listen"), "{err}");
    assert!(!text(&o.stdout).contains("COMPLETED"), "{}", describe(&o));
    let mut runs = other.runs().await;
    let listed = runs.list_runs(pb::ListRunsRequest::default()).await.expect("list").into_inner();
    assert!(listed.runs.is_empty(), "the quickstart created a run on the other server");
    other.stop().await;
}

#[test]
fn admin_commands_make_no_database_unless_asked_and_say_which_they_used() {
    let dir = tempfile::tempdir().expect("dir");
    let missing = dir.path().join("orchestrator.db");
    for args in [
        &["key", "create", "--workspace", "default"][..],
        &["workspace", "list"],
        &["key", "list"],
        &["key", "revoke", "0123456789ab"],
        &["prune", "--older-than", "1d"],
    ] {
        let o = bin(dir.path(), args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", describe(&o));
        assert!(text(&o.stderr).contains("no database at orchestrator.db"), "{args:?}: {}", describe(&o));
        assert!(text(&o.stderr).contains("--create"), "{}", describe(&o));
        assert!(!missing.exists(), "{args:?} made a database");
    }
    let o = bin(dir.path(), &["workspace", "create", "alpha", "--create"]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    assert!(text(&o.stderr).contains("database: orchestrator.db"), "{}", describe(&o));
    let o = bin(dir.path(), &["key", "create", "--workspace", "alpha"]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    assert!(text(&o.stdout).starts_with("ork_"), "{}", describe(&o));
    // A missing workspace is the caller's mistake.
    let o = bin(dir.path(), &["key", "create", "--workspace", "nope"]);
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));

    // The generic DATABASE_URL is not read (and says so); ORCHESTRATOR_DATABASE_URL is.
    let elsewhere = dir.path().join("elsewhere.db");
    let o = std::process::Command::new(BIN)
        .current_dir(dir.path())
        .args(["workspace", "list"])
        .env_remove("ORCHESTRATOR_DATABASE_URL")
        .env("DATABASE_URL", &elsewhere)
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    assert!(text(&o.stderr).contains("DATABASE_URL is not read"), "{}", describe(&o));
    assert!(text(&o.stdout).contains("alpha"), "{}", describe(&o));
    let o = std::process::Command::new(BIN)
        .current_dir(dir.path())
        .args(["workspace", "list"])
        .env("ORCHESTRATOR_DATABASE_URL", &elsewhere)
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    assert!(text(&o.stderr).contains(&format!("no database at {}", elsewhere.display())), "{}", describe(&o));
}

#[test]
fn an_unreachable_postgres_is_one_clear_error() {
    let dir = tempfile::tempdir().expect("dir");
    let o = bin(dir.path(), &["workspace", "list", "--database-url", "postgres://me:secret@127.0.0.1:1/db"]);
    assert_eq!(o.status.code(), Some(3), "{}", describe(&o));
    let err = text(&o.stderr);
    assert!(err.contains("cannot connect to PostgreSQL at postgres://me@127.0.0.1:1/db"), "{err}");
    assert!(!err.contains("secret"), "the password was printed: {err}");
    assert_eq!(err.lines().filter(|l| l.starts_with("error")).count(), 1, "{err}");
    assert!(!err.contains("r2d2"), "{err}");
}

#[test]
fn policy_check_reports_every_section_and_every_missing_program() {
    let dir = tempfile::tempdir().expect("dir");
    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        "agents:\n  - name: b\n    executor: commandx\ndefault_retry:\n  max_attempts: many\n\
         default_budget:\n  max_tokens: lots\nretention:\n  default: [1]\n",
    )
    .expect("write");
    let o = bin(dir.path(), &["policy", "check", "bad.yaml"]);
    assert_eq!(o.status.code(), Some(1), "{}", describe(&o));
    let err = text(&o.stderr);
    for field in ["agents[0].executor", "default_retry.max_attempts", "default_budget.max_tokens", "retention.default"]
    {
        assert!(err.contains(field), "{field} not reported:\n{err}");
    }
    assert!(err.contains("4 error(s)"), "{err}");

    std::fs::write(
        &bad,
        "agents:\n  - name: a\n    executor: command\n    command: [no-such-program-here, x/y.py]\n\
         hooks:\n  before_task: [./missing-hook.sh]\n",
    )
    .expect("write");
    let o = bin(dir.path(), &["policy", "check", "bad.yaml"]);
    assert_eq!(o.status.code(), Some(1), "{}", describe(&o));
    let err = text(&o.stderr);
    assert!(err.contains("agents[0].command[0]: no program \"no-such-program-here\" in PATH"), "{err}");
    assert!(err.contains("agents[0].command[1]: warning: no file x/y.py"), "{err}");
    assert!(err.contains("hooks.before_task[0]: no executable file"), "{err}");

    // The shipped policy checks from any directory.
    let o = bin(dir.path(), &["policy", "check", &format!("{ROOT}/examples/WORKFLOW.md")]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    assert!(!text(&o.stderr).contains("warning"), "{}", describe(&o));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn command_paths_are_taken_from_the_policy_files_directory() {
    // A policy and its tool in a directory of their own; the server starts elsewhere.
    let dir = tempfile::tempdir().expect("dir");
    std::fs::create_dir(dir.path().join("tools")).expect("mkdir");
    std::fs::write(
        dir.path().join("tools/echo.py"),
        "import json, sys\njson.load(sys.stdin)\nprint(json.dumps({'output': {'from': 'tools/echo.py'}}))\n",
    )
    .expect("tool");
    let policy = dir.path().join("policy.yaml");
    std::fs::write(&policy, "agents:\n  - name: echo\n    executor: command\n    command: [python3, tools/echo.py]\n")
        .expect("policy");
    let db = TestDb::new(Backend::Sqlite);
    let log = dir.path().join("server.log");
    let server = common::ServerProcess::start(&db.raw_url, Some(&policy), &[], &log).await;
    let mut runs = server.runs();
    let run = create_run(&mut runs, create("echo", vec![task("a", "echo", &[])])).await;
    let run = common::wait_terminal(&mut runs, &run.id, 30).await;
    assert_eq!(
        run.status,
        pb::RunStatus::Completed as i32,
        "{run:?}\n{}",
        std::fs::read_to_string(&log).unwrap_or_default()
    );
    let output =
        orchestrator::api::convert::value_to_json(run.output.as_ref().expect("output"), "output", 0).expect("json");
    assert_eq!(output["from"], "tools/echo.py", "{output}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn run_list_pages_past_500_shows_times_and_events_piped_to_head_end_quietly() {
    let db = TestDb::new(Backend::Sqlite);
    let app = TestApp::start(common::test_config(&db)).await;
    let mut runs = app.runs().await;
    let mut last = String::new();
    for i in 0..510 {
        last = create_run(&mut runs, create(&format!("goal {i}"), vec![task("a", "nobody", &[])])).await.id;
    }
    let o = cli(&app, &["run", "list", "--limit", "0"]).await;
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let out = text(&o.stdout);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 511, "a header and 510 runs:\n{}", lines[..3].join("\n"));
    assert!(lines[0].contains("CREATED (UTC)") && lines[0].contains("TOOK"), "{}", lines[0]);
    assert!(
        lines[1].starts_with(&last) && lines[1].contains("EXECUTING") && lines[1].contains("goal 509"),
        "{}",
        lines[1]
    );
    let year = lines[1].split_whitespace().nth(2).unwrap_or_default();
    assert!(year.starts_with("20") && year.len() == 10, "a date in {:?}", lines[1]);
    let o = cli(&app, &["run", "list", "--limit", "505", "--json"]).await;
    assert_eq!(text(&o.stdout).lines().count(), 505, "{}", describe(&o));

    // A reader that goes away (`| head -1`) ends the command quietly.
    let mut child = tokio::process::Command::new(BIN)
        .args(["run", "list", "--limit", "0", "--server", &format!("http://{}", app.addr)])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut first = [0u8; 16];
    tokio::io::AsyncReadExt::read_exact(&mut stdout, &mut first).await.expect("read");
    drop(stdout);
    let o = child.wait_with_output().await.expect("wait");
    assert!(text(&o.stderr).is_empty(), "stderr after the pipe closed: {}", describe(&o));
    // 141 (the shell's code for a closed pipe) if it was still writing; never killed by a signal.
    assert!(matches!(o.status.code(), Some(0 | 141)), "{}", describe(&o));
    app.stop().await;
}

async fn get(
    runs: &mut orchestrator::proto::v1::run_service_client::RunServiceClient<tonic::transport::Channel>,
    id: &str,
) -> pb::Run {
    runs.get_run(pb::GetRunRequest { run_id: id.into(), ..Default::default() }).await.expect("get").into_inner()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn resume_merges_the_budget_and_paused_time_is_not_wall_clock() {
    let db = TestDb::new(Backend::Sqlite);
    let app = TestApp::start(common::test_config(&db)).await;
    let mut runs = app.runs().await;
    let mut req = create("wait", vec![task("a", "nobody", &[])]);
    req.budget = Some(pb::Budget {
        max_tokens: 100,
        max_tool_calls: 7,
        max_duration: Some(prost_types::Duration { seconds: 2, nanos: 0 }),
        on_exhausted: pb::BudgetPolicy::Pause as i32,
        ..Default::default()
    });
    let run = create_run(&mut runs, req).await;
    runs.pause_run(pb::PauseRunRequest { run_id: run.id.clone(), reason: "lunch".into() }).await.expect("pause");
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let paused = get(&mut runs, &run.id).await;
    let active = paused.active_time.expect("active time");
    assert!(active.seconds < 1, "paused time counted: {active:?}");

    // Raising one limit keeps the others; the 2.5 s spent paused do not exhaust the 2 s limit.
    let o = cli(&app, &["run", "resume", &run.id, "--max-tokens", "500", "--json"]).await;
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let resumed = get(&mut runs, &run.id).await;
    let b = resumed.budget.expect("budget");
    assert_eq!((b.max_tokens, b.max_tool_calls), (500, 7), "{b:?}");
    assert_eq!(b.max_duration.map(|d| d.seconds), Some(2), "{b:?}");
    assert_eq!(b.on_exhausted, pb::BudgetPolicy::Pause as i32, "{b:?}");
    assert_eq!(resumed.status, pb::RunStatus::Executing as i32, "{resumed:?}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let still = get(&mut runs, &run.id).await;
    assert_eq!(still.status, pb::RunStatus::Executing as i32, "exhausted at once: {}", still.failure_reason);

    // Then the limit does run out, from active time alone, and --no-max-duration lifts it.
    let exhausted = loop {
        let r = get(&mut runs, &run.id).await;
        if r.status == pb::RunStatus::Paused as i32 {
            break r;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(exhausted.failure_reason.contains("duration"), "{}", exhausted.failure_reason);
    let o = cli(&app, &["run", "resume", &run.id, "--no-max-duration"]).await;
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let lifted = get(&mut runs, &run.id).await;
    let b = lifted.budget.expect("budget");
    assert_eq!((b.max_tokens, b.max_duration), (500, None), "{b:?}");
    assert_eq!(lifted.status, pb::RunStatus::Executing as i32, "{lifted:?}");

    // A mask naming something that is no budget field is refused, naming it.
    runs.pause_run(pb::PauseRunRequest { run_id: run.id.clone(), reason: String::new() }).await.expect("pause");
    let e = runs
        .resume_run(pb::ResumeRunRequest {
            run_id: run.id.clone(),
            budget: None,
            budget_mask: Some(prost_types::FieldMask { paths: vec!["max_tokenz".into()] }),
        })
        .await
        .expect_err("bad mask");
    assert_eq!(e.code(), tonic::Code::InvalidArgument);
    assert_eq!(common::violations(&e), vec!["budget_mask.paths[0]".to_string()]);
    app.stop().await;
}

async fn cli_in(app: &TestApp, args: &[&str], stdin: &str) -> Output {
    use tokio::io::AsyncWriteExt;
    let mut child = tokio::process::Command::new(BIN)
        .args(args)
        .env("ORCHESTRATOR_SERVER", format!("http://{}", app.addr))
        .env_remove("ORCHESTRATOR_API_KEY")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut input = child.stdin.take().expect("stdin");
    // A command that refuses an input past its limit may stop reading before the end.
    match input.write_all(stdin.as_bytes()).await {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => panic!("write stdin: {e}"),
        _ => {}
    }
    drop(input);
    child.wait_with_output().await.expect("wait")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_plan_format_with_criteria_and_policy_from_file_flags_and_json() {
    let db = TestDb::new(Backend::Sqlite);
    let app = TestApp::with_policy_file(&db, &Path::new(ROOT).join("examples/policy.yaml")).await;
    let mut runs = app.runs().await;
    // `plan json` prints the file as the JSON body grpcurl sends; that JSON is a plan file too.
    let o = bin(Path::new(ROOT), &["plan", "json", "examples/plans/word-count.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let json = text(&o.stdout);
    let body: serde_json::Value = serde_json::from_str(json.trim()).expect("one line of JSON");
    assert_eq!(body["plan"]["tasks"][2]["dependsOn"][0], "split-a", "{body}");
    assert_eq!(body["criteria"][0]["kind"], "json_schema", "{body}");
    let o = cli_in(
        &app,
        &[
            "run",
            "create",
            "--plan",
            "-",
            "--criterion",
            r#"contains:{"value":"the"}"#,
            "--criterion",
            "not_empty",
            "--deny-tool",
            "shell",
            "--max-tokens",
            "900",
            "--json",
        ],
        &json,
    )
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let created: serde_json::Value = serde_json::from_str(text(&o.stdout).lines().next().unwrap_or("")).expect("run");
    let id = created["id"].as_str().expect("id").to_string();
    let run = common::wait_terminal(&mut runs, &id, 30).await;
    assert_eq!(run.status, pb::RunStatus::Completed as i32, "{}", run.failure_reason);
    let kinds: Vec<&str> = run.criteria.iter().map(|c| c.kind.as_str()).collect();
    assert_eq!(kinds, ["json_schema", "contains", "not_empty"]);
    assert_eq!(run.verdict.as_ref().map(|v| (v.passed, v.results.len())), Some((true, 3)));
    assert_eq!(run.policy.as_ref().map(|p| p.tools_denied.clone()), Some(vec!["shell".to_string()]));
    assert_eq!(run.budget.as_ref().map(|b| b.max_tokens), Some(900));

    // The old shape (tasks at the top) is refused with where they go now.
    let dir = tempfile::tempdir().expect("dir");
    let old = dir.path().join("old.yaml");
    std::fs::write(&old, "goal: g\ntasks:\n  - {id: a, agent: text}\n").expect("write");
    let o = cli(&app, &["run", "create", "--plan", &old.display().to_string()]).await;
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    assert!(text(&o.stderr).contains("under `plan:`"), "{}", describe(&o));
    // Standard input is bounded like a file: past 16 MiB it is refused, not cut.
    let huge = format!("goal: g\ncontext: {{pad: \"{}\"}}\n", "x".repeat(16 * 1024 * 1024));
    let o = cli_in(&app, &["plan", "json", "-"], &huge).await;
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    assert!(text(&o.stderr).contains("more than 16777216 bytes"), "{}", describe(&o));
    let o = cli(&app, &["run", "create", "--goal", "g", "--criterion", "contains:[1]"]).await;
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    assert!(text(&o.stderr).contains("a JSON object"), "{}", describe(&o));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn errors_speak_the_command_line_and_are_json_under_output_json() {
    let db = TestDb::new(Backend::Sqlite);
    let app = TestApp::with_policy_file(&db, &Path::new(ROOT).join("examples/policy.yaml")).await;
    // No model in the policy: a goal alone says what to pass instead.
    let o = cli(&app, &["run", "create", "--goal", "Summarise the README"]).await;
    assert_eq!(o.status.code(), Some(3), "{}", describe(&o));
    let err = text(&o.stderr);
    assert!(err.contains("hint: pass --plan FILE"), "{err}");
    // The same under --output json: one error object on stdout, nothing on stderr.
    let o = cli(&app, &["run", "create", "--goal", "Summarise the README", "--output", "json"]).await;
    assert_eq!(o.status.code(), Some(3), "{}", describe(&o));
    assert!(text(&o.stderr).is_empty(), "{}", describe(&o));
    let e: serde_json::Value = serde_json::from_str(text(&o.stdout).trim()).expect("a JSON error");
    assert_eq!((e["object"].as_str(), e["exit_code"].as_i64()), (Some("error"), Some(3)), "{e}");
    assert_eq!(e["code"], "FAILED_PRECONDITION", "{e}");
    assert!(e["hint"].as_str().is_some_and(|h| h.contains("--plan")), "{e}");
    // The server's field violations are in the object.
    let cycle = "goal: g\nplan: {tasks: [{id: a, agent: text, dependsOn: [a]}]}\n";
    let o = cli_in(&app, &["run", "create", "--plan", "-", "--json"], cycle).await;
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    let e: serde_json::Value = serde_json::from_str(text(&o.stdout).trim()).expect("a JSON error");
    assert_eq!(e["code"], "INVALID_ARGUMENT", "{e}");
    assert!(e["violations"][0]["field"].as_str().is_some_and(|f| f.starts_with("plan.tasks")), "{e}");
    // Local failures too: an unreadable plan file, an unreachable server.
    let o = cli(&app, &["run", "create", "--plan", "/nonexistent.yaml", "--json"]).await;
    let e: serde_json::Value = serde_json::from_str(text(&o.stdout).trim()).expect("a JSON error");
    assert_eq!((e["exit_code"].as_i64(), e["code"].is_null()), (Some(2), true), "{e}");
    let o = cli(&app, &["run", "get", "x", "--server", "127.0.0.1:1", "--json"]).await;
    let e: serde_json::Value = serde_json::from_str(text(&o.stdout).trim()).expect("a JSON error");
    assert_eq!(e["exit_code"].as_i64(), Some(3), "{e}");
    assert!(e["hint"].as_str().is_some_and(|h| h.contains("is the server running")), "{e}");
    app.stop().await;

    // A server that requires keys: the CLI names its own flag.
    let mut config = common::test_config(&db);
    config.auth_required = true;
    let app = TestApp::start(config).await;
    let o = cli(&app, &["run", "list"]).await;
    assert_eq!(o.status.code(), Some(3), "{}", describe(&o));
    assert!(text(&o.stderr).contains("hint: the server requires an API key: pass --api-key"), "{}", describe(&o));
    app.stop().await;
}

/// One PollTask for `agent` that waits for nothing (an instance showing up).
async fn poll_once(app: &TestApp, agent: &str) {
    let poll = pb::PollTaskRequest {
        agent: agent.into(),
        agent_instance: format!("{agent}-1"),
        wait: Some(prost_types::Duration { seconds: 0, nanos: 0 }),
        ..Default::default()
    };
    app.coord().await.poll_task(poll).await.expect("poll");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_run_waiting_for_an_agent_nobody_serves_says_so() {
    let db = TestDb::new(Backend::Sqlite);
    let app = TestApp::start(common::test_config(&db)).await;
    let mut runs = app.runs().await;
    // An instance of `writer` has polled (and found nothing): its tasks are served.
    poll_once(&app, "writer").await;
    let served = create_run(&mut runs, create("served", vec![task("a", "writer", &[])])).await;
    assert!(get(&mut runs, &served.id).await.waiting.is_empty());
    // Nobody ever polled for `reader`.
    let run = create_run(&mut runs, create("unserved", vec![task("a", "reader", &[]), task("b", "reader", &[])])).await;
    let got = get(&mut runs, &run.id).await;
    assert_eq!(got.waiting.len(), 1, "{:?}", got.waiting);
    assert_eq!((got.waiting[0].agent.as_str(), got.waiting[0].ready_tasks), ("reader", 2));
    assert!(got.waiting[0].last_poll.is_none());
    let o = cli(&app, &["run", "get", &run.id]).await;
    assert!(text(&o.stdout).contains("waiting: 2 tasks for agent `reader`, no poller seen"), "{}", describe(&o));
    let o = cli(&app, &["run", "get", &run.id, "--json"]).await;
    let j: serde_json::Value = serde_json::from_str(text(&o.stdout).trim()).expect("json");
    assert_eq!(
        (j["waiting"][0]["agent"].as_str(), j["waiting"][0]["ready_tasks"].as_u64()),
        (Some("reader"), Some(2)),
        "{j}"
    );
    assert!(j["waiting"][0]["last_poll"].is_null() && j["active_s"].as_f64().is_some(), "{j}");
    // A plain-lines watch says it too (on stderr), while the run waits.
    let watch = tokio::spawn({
        let (addr, id) = (app.addr, run.id.clone());
        async move {
            tokio::process::Command::new(BIN)
                .args(["run", "watch", &id, "--server", &format!("http://{addr}")])
                .stdin(Stdio::null())
                .output()
                .await
                .expect("watch")
        }
    });
    tokio::time::sleep(Duration::from_millis(1500)).await;
    runs.cancel_run(pb::CancelRunRequest { run_id: run.id.clone(), reason: "nobody came".into() })
        .await
        .expect("cancel");
    let o = watch.await.expect("join");
    assert_eq!(o.status.code(), Some(1), "{}", describe(&o));
    assert!(text(&o.stderr).contains("waiting: 2 tasks for agent `reader`, no poller seen"), "{}", describe(&o));
    assert!(get(&mut runs, &run.id).await.waiting.is_empty(), "a cancelled run waits for nothing");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_without_a_policy_warns_that_tasks_wait_for_agents() {
    let dir = tempfile::tempdir().expect("dir");
    let db = TestDb::new(Backend::Sqlite);
    let log = dir.path().join("server.log");
    let mut server = common::ServerProcess::start(&db.raw_url, None, &[], &log).await;
    server.kill();
    let text = std::fs::read_to_string(&log).expect("log");
    assert!(text.contains("no --policy") && text.contains("out-of-process"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_poller_on_one_replica_serves_the_runs_another_replica_reports() {
    let db = TestDb::new(Backend::Postgres);
    let a = TestApp::start(common::test_config(&db)).await;
    let b = TestApp::start(common::test_config(&db)).await;
    let mut on_b = b.runs().await;
    let run = create_run(&mut on_b, create("served elsewhere", vec![task("a", "writer", &[])])).await;
    assert_eq!(get(&mut on_b, &run.id).await.waiting.len(), 1);
    poll_once(&a, "other").await;
    // Replica A saw `other` poll (before its task existed, so the task stays READY);
    // the sighting reaches replica B through the store within a few seconds.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    let mut runs_a = a.runs().await;
    let seen = create_run(&mut on_b, create("other", vec![task("x", "other", &[])])).await;
    loop {
        let r = get(&mut on_b, &seen.id).await;
        if r.waiting.is_empty() {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "B never learnt of A's poller: {:?}", r.waiting);
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let still = get(&mut runs_a, &run.id).await;
    assert_eq!(still.waiting.first().map(|w| w.agent.as_str()), Some("writer"), "{:?}", still.waiting);
    a.stop().await;
    b.stop().await;
}
