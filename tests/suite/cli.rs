//! The command-line client end to end: the built binary against a real server
//! on a loopback port, its output, its JSON and its exit codes.

use crate::common;

use std::path::Path;
use std::process::Output;

use common::{describe, Backend, TestApp, TestDb};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_orchestrator");

/// The example policy: the `text` command agent and the out-of-process `python` agent.
async fn app(db: &TestDb) -> TestApp {
    TestApp::with_policy_file(db, Path::new("examples/policy.yaml")).await
}

/// Runs the client binary against the app and returns its output.
async fn cli(app: &TestApp, args: &[&str]) -> Output {
    tokio::process::Command::new(BIN)
        .args(args)
        .env("ORCHESTRATOR_SERVER", format!("http://{}", app.addr))
        .env_remove("ORCHESTRATOR_API_KEY")
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .expect("run the orchestrator binary")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn json_lines(o: &Output) -> Vec<Value> {
    stdout(o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}\n{}", describe(o))))
        .collect()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write file");
    path.display().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn create_and_watch_a_completed_run_exits_0() {
    let db = TestDb::new(Backend::Sqlite);
    let app = app(&db).await;
    let o = cli(&app, &["run", "create", "--plan", "examples/plans/word-count.yaml", "--watch"]).await;
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let out = stdout(&o);
    // Not a terminal: one line per event, then the summary.
    assert!(out.contains("run.created"), "{out}");
    // The plan file's criterion is checked on the run's output.
    assert!(out.contains("VERIFYING → COMPLETED"), "{out}");
    assert!(out.contains("verdict: passed"), "{out}");
    assert!(out.contains("  COMPLETED\n"), "{out}");
    assert!(out.contains(r#"output: {"top":[{"count":6,"word":"the"}"#), "{out}");
    assert!(out.contains("tool calls 5 (no limit)"), "{out}");
    app.stop().await;
}

/// The conditional example: the long-text branch runs, the short one is
/// skipped with its reason, and the join runs with one input.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_conditional_example_runs_one_branch() {
    let db = TestDb::new(Backend::Sqlite);
    let app = app(&db).await;
    let o = cli(&app, &["run", "create", "--plan", "examples/plans/conditional.yaml", "--watch"]).await;
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let out = stdout(&o);
    assert!(out.contains("skipped: its condition (negated) does not hold: $[?@.total > 10] is"), "{out}");
    assert!(out.contains("  COMPLETED\n"), "{out}");
    assert!(out.contains(r#"output: {"echo":"Done.","inputs":{"summarize":{"top":[{"count":3,"word":"the"}"#), "{out}");
    app.stop().await;
}

/// The child-run example: `rank` delegates to a child run, whose output
/// `report` gets; `run tree` shows the child under its task, and `run list
/// --parent` lists it.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_child_run_example_delegates_and_shows_its_tree() {
    let db = TestDb::new(Backend::Sqlite);
    let app = app(&db).await;
    let o = cli(&app, &["run", "create", "--plan", "examples/plans/child-run.yaml", "--watch"]).await;
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let out = stdout(&o);
    assert!(out.contains("child_run.started"), "{out}");
    assert!(out.contains(r#"output: {"echo":"Done.","inputs":{"rank":{"top":[{"count":3,"word":"the"}"#), "{out}");
    // Two tool calls in the parent, two in the child.
    assert!(out.contains("tool calls 4/50"), "{out}");
    let id = out.lines().find_map(|l| l.strip_prefix("run ")?.split_whitespace().next()).expect("run id").to_string();
    let o = cli(&app, &["run", "tree", &id]).await;
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let tree = stdout(&o);
    let lines: Vec<&str> = tree.lines().collect();
    assert_eq!(lines.len(), 2, "{tree}");
    assert!(lines[0].starts_with(&id) && lines[0].contains("COMPLETED"), "{tree}");
    assert!(lines[1].starts_with("└─ task rank (attempt 1) → run_") && lines[1].contains("tool calls 2/10"), "{tree}");
    let o = cli(&app, &["run", "list", "--parent", &id]).await;
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    assert_eq!(stdout(&o).lines().count(), 2, "a header and the child: {}", describe(&o));
    app.stop().await;
}

/// The recipe example: created (version 1, then 2), shown, listed and run
/// with its parameters typed by the recipe; its run made a recipe of its
/// own (`from-run`); a bad parameter exits 2.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_recipe_example_is_created_and_run_with_parameters() {
    let db = TestDb::new(Backend::Sqlite);
    let app = app(&db).await;
    let o = cli(&app, &["recipe", "create", "examples/recipes/word-count.yaml"]).await;
    assert_eq!((o.status.code(), stdout(&o).trim()), (Some(0), "word-count v1"), "{}", describe(&o));
    let o = cli(&app, &["recipe", "create", "examples/recipes/word-count.yaml"]).await;
    assert_eq!(stdout(&o).trim(), "word-count v2", "{}", describe(&o));
    let o = cli(&app, &["recipe", "get", "word-count"]).await;
    let out = stdout(&o);
    assert!(out.contains("recipe word-count v2") && out.contains("param n: integer (default 3)"), "{out}");
    assert!(out.contains("param text: string (required)") && out.contains("versions: v1 "), "{out}");
    let o = cli(&app, &["recipe", "list"]).await;
    assert!(stdout(&o).starts_with("word-count"), "{}", describe(&o));
    let text = "text=b a b c b a";
    let o = cli(&app, &["recipe", "run", "word-count", "-p", text, "-p", "n=2", "--watch"]).await;
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let out = stdout(&o);
    assert!(out.contains(r#"output: {"top":[{"count":3,"word":"b"},{"count":2,"word":"a"}]}"#), "{out}");
    // That run made a recipe: its text a parameter, its default the run's.
    let run_id = out.split_whitespace().find(|w| w.starts_with("run_")).expect("the run's id").to_string();
    let o = cli(&app, &["recipe", "from-run", &run_id, "top-words", "-p", "words=b a b c b a"]).await;
    let made = stdout(&o);
    assert!(made.starts_with(&format!("top-words v1 from run {run_id}")), "{}", describe(&o));
    assert!(made.contains(r#"param words: string (default "b a b c b a")"#), "{made}");
    let o = cli(&app, &["recipe", "run", "top-words", "-p", "words=x y y", "--watch"]).await;
    assert!(
        stdout(&o).contains(r#"output: {"top":[{"count":2,"word":"y"},{"count":1,"word":"x"}]}"#),
        "{}",
        describe(&o)
    );
    let o = cli(&app, &["recipe", "from-run", &run_id, "top-words", "--suggest"]).await;
    assert_eq!(o.status.code(), Some(3), "no model to suggest with: {}", describe(&o));
    let o = cli(&app, &["recipe", "run", "word-count", "-p", "n=two"]).await;
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--param n: not a valid integer"), "{}", describe(&o));
    let o = cli(&app, &["recipe", "run", "word-count", "-p", "n=2"]).await;
    assert!(String::from_utf8_lossy(&o.stderr).contains("params.text"), "the server names it: {}", describe(&o));
    app.stop().await;
}

/// The recipe kept in examples/WORKFLOW.md is there when the server starts,
/// made by the policy, and runs; `stats` then shows its attempts.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_recipe_kept_in_the_example_workflow_runs() {
    let db = TestDb::new(Backend::Sqlite);
    let app = TestApp::with_policy_file(&db, Path::new("examples/WORKFLOW.md")).await;
    let o = cli(&app, &["recipe", "get", "word-frequencies", "--json"]).await;
    assert!(stdout(&o).contains(r#""createdBy":"policy""#), "{}", describe(&o));
    let o = cli(&app, &["recipe", "run", "word-frequencies", "-p", "text=b a b", "--watch"]).await;
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    assert!(stdout(&o).contains(r#"output: {"counts":{"a":1,"b":2},"total":3}"#), "{}", describe(&o));
    // Its two attempts in the stats, by task kind (recorded in the background).
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let o = cli(&app, &["stats", "--by", "kind", "--since", "1h"]).await;
        let out = stdout(&o);
        if out.starts_with("2 outcomes over 1h") {
            assert!(out.contains("text:split the text") && out.contains("100% ["), "{out}");
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "{}", describe(&o));
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    // Advice on the example plan: nothing created, the coach's warnings.
    let o = cli(&app, &["run", "create", "--goal", "improve stuff", "--advise"]).await;
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    assert!(out.starts_with("advice from 2 outcomes") && out.contains("warning VAGUE_GOAL"), "{out}");
    let o = cli(&app, &["stats", "--since", "1000000d"]).await;
    assert_eq!(o.status.code(), Some(2), "before 1970: {}", describe(&o));
    // The fleet: the built-in `text` agent served, with its two attempts of
    // the last hour; `python`, declared and never polled, waits for nobody.
    let o = cli(&app, &["agents"]).await;
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let text = out.lines().find(|l| l.starts_with("text ")).unwrap_or_else(|| panic!("no text agent in {out}"));
    assert!(text.contains("command") && text.split_whitespace().nth(5) == Some("2"), "{out}");
    assert!(!out.contains("warning:"), "no task waits: {out}");
    app.stop().await;
}

/// The schedule commands on the recipe example: created on an interval
/// (its next fire times shown), fired by the clock and by a trigger, paused,
/// resumed, backfilled, listed and deleted; a bad overlap exits 2.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_schedule_commands_fire_the_recipe_example() {
    let db = TestDb::new(Backend::Sqlite);
    let app = app(&db).await;
    let o = cli(&app, &["recipe", "create", "examples/recipes/word-count.yaml"]).await;
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let make = ["schedule", "create", "words", "--recipe", "word-count", "--every", "1s", "-p", "text=b a b"];
    let o = cli(&app, &[&make[..], &["--overlap", "allow-all", "--label", "team=docs"]].concat()).await;
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let out = stdout(&o);
    assert!(out.starts_with("schedule words  every 1s (UTC)  recipe word-count"), "{out}");
    assert_eq!(out.matches("  next  ").count(), 5, "{out}");
    let o = cli(&app, &["schedule", "trigger", "words", "--request-id", "once"]).await;
    assert!(stdout(&o).contains("triggered started  run_"), "{}", describe(&o));
    // The clock fires too; `get` lists the fires.
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let o = cli(&app, &["schedule", "get", "words"]).await;
        if stdout(&o).contains("scheduled started") {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "never fired: {}", describe(&o));
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let o = cli(&app, &["schedule", "pause", "words", "--note", "quiet"]).await;
    assert!(stdout(&o).contains("PAUSED") && stdout(&o).contains("note: quiet"), "{}", describe(&o));
    let o = cli(&app, &["schedule", "list"]).await;
    assert!(stdout(&o).starts_with("words") && stdout(&o).contains("paused"), "{}", describe(&o));
    let o = cli(&app, &["schedule", "resume", "words"]).await;
    assert!(!stdout(&o).contains("PAUSED"), "{}", describe(&o));
    let range = ["--from", "2026-01-01T00:00:00Z", "--to", "2026-01-01T00:00:03Z"];
    let o = cli(&app, &[&["schedule", "backfill", "words"][..], &range].concat()).await;
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    assert!(stdout(&o).contains("3 fire times backfilled"), "{}", describe(&o));
    let o = cli(&app, &[&make[..], &["--overlap", "sometimes"]].concat()).await;
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    let o = cli(&app, &["schedule", "delete", "words"]).await;
    assert_eq!(stdout(&o).trim(), "deleted words", "{}", describe(&o));
    let o = cli(&app, &["schedule", "get", "words"]).await;
    assert_ne!(o.status.code(), Some(0), "{}", describe(&o));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_failed_run_exits_1_and_names_its_reason() {
    let db = TestDb::new(Backend::Sqlite);
    let app = app(&db).await;
    let dir = tempfile::tempdir().expect("dir");
    let plan = write(
        dir.path(),
        "fail.yaml",
        "goal: fail on purpose\nplan:\n  tasks:\n    - id: boom\n      agent: text\n      retry: {maxAttempts: 1}\n      metadata: {op: fail}\n",
    );
    let o = cli(&app, &["run", "create", "--plan", &plan, "--watch"]).await;
    assert_eq!(o.status.code(), Some(1), "{}", describe(&o));
    assert!(stdout(&o).contains("  FAILED\n"), "{}", describe(&o));
    assert!(stdout(&o).contains("failing on purpose"), "{}", describe(&o));
    // Watching it again gives the same answer.
    let out = stdout(&o);
    let id = out.lines().find_map(|l| l.strip_prefix("run ")?.split_whitespace().next());
    let id = id.expect("run id in the summary").to_string();
    let o = cli(&app, &["run", "watch", &id]).await;
    assert_eq!(o.status.code(), Some(1), "{}", describe(&o));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn bad_usage_and_bad_input_exit_2() {
    let db = TestDb::new(Backend::Sqlite);
    let app = app(&db).await;
    let dir = tempfile::tempdir().expect("dir");
    let cycle = write(
        dir.path(),
        "cycle.yaml",
        "goal: g\nplan:\n  tasks:\n    - {id: a, agent: text, dependsOn: [b]}\n    - {id: b, agent: text, depends_on: [a]}\n",
    );
    let unknown_field = write(dir.path(), "typo.yaml", "goal: g\nplan: {tasks: [{id: a, agnet: text}]}\n");
    let cases: Vec<Vec<&str>> = vec![
        vec!["run", "create"],
        vec!["run", "create", "--goal", "g", "--bogus"],
        vec!["run", "frobnicate"],
        vec!["run", "list", "--status", "sleeping"],
        vec!["run", "create", "--plan", "/nonexistent/plan.yaml"],
        vec!["run", "create", "--plan", &unknown_field],
        // The server's INVALID_ARGUMENT is bad input too, with the field named.
        vec!["run", "create", "--plan", &cycle],
        vec!["plan", "validate", &cycle],
        vec!["run", "list", "--limit", "-1"],
        vec!["verify"],
    ];
    for args in cases {
        let o = cli(&app, &args).await;
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", describe(&o));
    }
    let o = cli(&app, &["plan", "validate", &cycle]).await;
    assert!(String::from_utf8_lossy(&o.stderr).contains("plan.tasks: dependency cycle"), "{}", describe(&o));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn server_errors_exit_3() {
    let db = TestDb::new(Backend::Sqlite);
    let app = app(&db).await;
    let o = cli(&app, &["run", "get", "run_00000000000000000000000000000000"]).await;
    assert_eq!(o.status.code(), Some(3), "{}", describe(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("NotFound"), "{}", describe(&o));
    let o = cli(&app, &["run", "list", "--server", "127.0.0.1:1"]).await;
    assert_eq!(o.status.code(), Some(3), "{}", describe(&o));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn json_output_is_json_lines_with_the_expected_fields() {
    let db = TestDb::new(Backend::Sqlite);
    let app = app(&db).await;
    let o =
        cli(&app, &["run", "create", "--plan", "examples/plans/word-count.yaml", "--watch", "--output", "json"]).await;
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let lines = json_lines(&o);
    let first = lines.first().expect("the created run");
    assert_eq!(first["object"], "run");
    let id = first["id"].as_str().expect("id").to_string();
    assert!(id.starts_with("run_"));
    let events: Vec<&Value> = lines.iter().filter(|l| l["object"] == "event").collect();
    let seqs: Vec<u64> = events.iter().map(|e| e["seq"].as_u64().expect("seq")).collect();
    assert_eq!(seqs, (1..=seqs.len() as u64).collect::<Vec<_>>(), "every event once, in order");
    assert!(events.iter().all(|e| e["run_id"] == id.as_str() && e["type"].is_string() && e["time"].is_string()));
    let last = lines.last().expect("the final run");
    assert_eq!((last["object"].as_str(), last["status"].as_str()), (Some("run"), Some("COMPLETED")));
    assert_eq!(last["task_counts"]["SUCCEEDED"], 5);
    assert_eq!(last["output"]["top"][0]["word"], "the");
    assert_eq!(last["usage"]["tool_calls"], 5);

    // `--json` is the same as `--output json`, on every command.
    for args in [
        vec!["run", "get", id.as_str(), "--json"],
        vec!["run", "list", "--output", "json"],
        vec!["run", "list", "--json", "--status", "completed", "--label", "example=word-count"],
    ] {
        let o = cli(&app, &args).await;
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", describe(&o));
        let lines = json_lines(&o);
        assert_eq!(lines.len(), 1, "{args:?}");
        assert_eq!((lines[0]["id"].as_str(), lines[0]["status"].as_str()), (Some(id.as_str()), Some("COMPLETED")));
    }
    let o = cli(&app, &["run", "events", &id, "--json", "--after-seq", "30"]).await;
    let seqs: Vec<u64> = json_lines(&o).iter().map(|e| e["seq"].as_u64().expect("seq")).collect();
    assert_eq!(seqs, (31..=seqs.len() as u64 + 30).collect::<Vec<_>>());
    let o = cli(&app, &["run", "tasks", &id, "--json"]).await;
    let tasks = json_lines(&o);
    assert_eq!(tasks.len(), 5);
    assert!(tasks.iter().all(|t| t["object"] == "task" && t["status"] == "SUCCEEDED" && t["agent"] == "text"));
    let o = cli(&app, &["run", "trace", &id, "--json"]).await;
    let trace = json_lines(&o);
    assert_eq!(trace[0]["object"], "trace");
    assert!(trace[0]["spans"].as_array().expect("spans").len() >= 11, "run, plan, 5 tasks, 5 attempts");
    let o = cli(&app, &["plan", "validate", "examples/plans/word-count.yaml", "--json"]).await;
    let a = &json_lines(&o)[0];
    assert_eq!(
        (a["object"].as_str(), a["width"].as_u64(), a["depth"].as_u64()),
        (Some("plan_analysis"), Some(2), Some(3))
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pause_resume_cancel_and_events_steer_a_run() {
    let db = TestDb::new(Backend::Sqlite);
    let app = app(&db).await;
    // No python agent is polling, so the run waits with two READY tasks.
    let o = cli(&app, &["run", "create", "--plan", "examples/plans/python-agent.yaml", "--json"]).await;
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let id = json_lines(&o)[0]["id"].as_str().expect("id").to_string();
    let o = cli(&app, &["run", "pause", &id, "--reason", "lunch", "--json"]).await;
    let run = &json_lines(&o)[0];
    assert_eq!((run["status"].as_str(), run["failure_reason"].as_str()), (Some("PAUSED"), Some("lunch")));
    let o = cli(&app, &["run", "resume", &id, "--max-tokens", "5000", "--json"]).await;
    let run = &json_lines(&o)[0];
    assert_eq!((run["status"].as_str(), run["budget"]["max_tokens"].as_u64()), (Some("EXECUTING"), Some(5000)));
    let o = cli(&app, &["run", "cancel", &id, "--reason", "enough"]).await;
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    assert!(stdout(&o).contains("CANCELLED"), "{}", describe(&o));
    let o = cli(&app, &["run", "events", &id]).await;
    let out = stdout(&o);
    for needle in ["EXECUTING → PAUSED  lunch", "PAUSED → EXECUTING", "EXECUTING → CANCELLED  enough"] {
        assert!(out.contains(needle), "{needle:?} in\n{out}");
    }
    // A paused run can't be paused once it is over: a server error, exit 3.
    let o = cli(&app, &["run", "pause", &id]).await;
    assert_eq!(o.status.code(), Some(3), "{}", describe(&o));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn approve_reject_and_retry_act_on_tasks() {
    let db = TestDb::new(Backend::Sqlite);
    let app = app(&db).await;
    let dir = tempfile::tempdir().expect("dir");
    let gated = write(
        dir.path(),
        "gated.yaml",
        "goal: two gates\nplan:\n  tasks:\n    - {id: publish, agent: text, requiresApproval: true, metadata: {op: echo}}\n    - {id: announce, agent: text, requires_approval: true, onReject: REJECTION_ACTION_SKIP, metadata: {op: echo}}\n",
    );
    let o = cli(&app, &["run", "create", "--plan", &gated, "--json"]).await;
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let id = json_lines(&o)[0]["id"].as_str().expect("id").to_string();
    let o = cli(&app, &["run", "tasks", &id, "--status", "waiting_approval"]).await;
    assert_eq!(stdout(&o).lines().count(), 2, "{}", describe(&o));
    let o = cli(&app, &["run", "approve", &id, "publish", "--comment", "ship it", "--json"]).await;
    assert_eq!(json_lines(&o)[0]["status"], "READY", "{}", describe(&o));
    let o = cli(&app, &["run", "reject", &id, "announce", "--comment", "not today", "--json"]).await;
    let t = &json_lines(&o)[0];
    assert_eq!(t["status"], "SKIPPED", "{}", describe(&o));
    assert!(t["error"].as_str().expect("error").contains("not today"));
    let o = cli(&app, &["run", "watch", &id]).await;
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    // Approving again is refused by the server (exit 3, reason on stderr).
    let o = cli(&app, &["run", "approve", &id, "publish"]).await;
    assert_eq!(o.status.code(), Some(3), "{}", describe(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not waiting for approval"), "{}", describe(&o));

    // Retry: a failed task is re-opened and the run executes again (and fails again).
    let failing = write(
        dir.path(),
        "fail.yaml",
        "goal: fail\nplan: {tasks: [{id: boom, agent: text, retry: {maxAttempts: 1}, metadata: {op: fail}}]}\n",
    );
    let o = cli(&app, &["run", "create", "--plan", &failing, "--watch", "--json"]).await;
    assert_eq!(o.status.code(), Some(1), "{}", describe(&o));
    let id = json_lines(&o)[0]["id"].as_str().expect("id").to_string();
    let o = cli(&app, &["run", "retry", &id, "boom", "--json"]).await;
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let t = &json_lines(&o)[0];
    assert_eq!((t["id"].as_str(), t["attempt_count"].as_u64()), (Some("boom"), Some(1)));
    let o = cli(&app, &["run", "watch", &id, "--json"]).await;
    assert_eq!(o.status.code(), Some(1), "{}", describe(&o));
    let lines = json_lines(&o);
    assert!(lines.iter().any(|e| e["message"] == "re-opened by RetryTask"), "{}", describe(&o));
    assert_eq!(lines.last().map(|r| r["status"].clone()), Some(Value::from("FAILED")));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn verify_exits_0_on_a_passing_verdict_and_1_on_a_failing_one() {
    let db = TestDb::new(Backend::Sqlite);
    let app = app(&db).await;
    let dir = tempfile::tempdir().expect("dir");
    let good = write(
        dir.path(),
        "good.yaml",
        "output: {status: ok, n: 3}\ncriteria:\n  - {kind: json_path_equals, params: {path: $.status, value: ok}}\n  - {kind: max_length, params: {value: 5}, advisory: true}\n",
    );
    let bad = write(dir.path(), "bad.yaml", "output: hello\ncriteria:\n  - {kind: contains, params: {value: bye}}\n");
    let o = cli(&app, &["verify", &good]).await;
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    assert!(stdout(&o).starts_with("verdict passed"), "{}", describe(&o));
    let o = cli(&app, &["verify", &bad, "--output", "json"]).await;
    assert_eq!(o.status.code(), Some(1), "{}", describe(&o));
    let v = &json_lines(&o)[0];
    assert_eq!((v["object"].as_str(), v["passed"].as_bool()), (Some("verdict"), Some(false)));
    assert_eq!(v["results"][0]["kind"], "contains");
    let o = cli(&app, &["verify", "--kinds", "--json"]).await;
    let kinds: Vec<String> =
        json_lines(&o).iter().map(|k| k["name"].as_str().unwrap_or_default().to_string()).collect();
    assert!(kinds.contains(&"llm_judge".to_string()) && kinds.contains(&"regex".to_string()), "{kinds:?}");
    // A malformed criterion is the caller's input: exit 2.
    let malformed = write(dir.path(), "malformed.yaml", "output: x\ncriteria:\n  - {kind: contains}\n");
    let o = cli(&app, &["verify", &malformed]).await;
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn on_a_terminal_watch_redraws_a_live_view() {
    let db = TestDb::new(Backend::Sqlite);
    let app = app(&db).await;
    // `script` gives the client a pseudo-terminal as its stdout.
    let command = format!(
        "{BIN} run create --plan examples/plans/word-count.yaml --max-tokens 1000 --watch --server http://{}",
        app.addr
    );
    let o = tokio::process::Command::new("script")
        .args(["-q", "-e", "-c", &command, "/dev/null"])
        .env("TERM", "xterm")
        .env("COLUMNS", "120")
        .env("LINES", "40")
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .expect("script (util-linux) runs the client on a pseudo-terminal");
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let out = stdout(&o);
    // The view: the tasks bar, the budget gauges, the latest events; redrawn in place.
    assert!(out.contains("tasks ["), "{out}");
    assert!(out.contains("tokens ["), "{out}");
    assert!(out.contains("wall clock"), "{out}");
    assert!(out.contains("\u{1b}["), "cursor movement: the view is redrawn in place\n{out}");
    // What is left behind: the last events and the summary.
    assert!(out.contains("VERIFYING → COMPLETED"), "{out}");
    assert!(out.contains("tokens 0/1000 (0%)"), "{out}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_api_key_is_sent_when_the_server_requires_one() {
    let db = TestDb::new(Backend::Sqlite);
    let admin = |args: &[&str]| {
        let o = std::process::Command::new(BIN).args(args).args(["--database-url", &db.raw_url]).output();
        let o = o.expect("run the orchestrator binary");
        assert!(o.status.success(), "{args:?}: {}", describe(&o));
        stdout(&o).trim().to_string()
    };
    admin(&["workspace", "create", "alpha", "--create"]);
    let key = admin(&["key", "create", "--workspace", "alpha", "--role", "operator"]);
    let mut config = common::test_config(&db);
    config.auth_required = true;
    let app = TestApp::start(config).await;
    let o = cli(&app, &["run", "list"]).await;
    assert_eq!(o.status.code(), Some(3), "{}", describe(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("Unauthenticated"), "{}", describe(&o));
    let o = cli(&app, &["run", "list", "--api-key", &key]).await;
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let o = tokio::process::Command::new(BIN)
        .args(["verify", "--kinds", "--server", &format!("http://{}", app.addr)])
        .env("ORCHESTRATOR_API_KEY", &key)
        .output()
        .await
        .expect("run the orchestrator binary");
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    app.stop().await;
}

#[tokio::test]
async fn help_documents_every_flag_and_the_exit_codes() {
    let commands: &[&[&str]] = &[
        &[],
        &["run", "create"],
        &["run", "get"],
        &["run", "list"],
        &["run", "watch"],
        &["run", "events"],
        &["run", "tasks"],
        &["run", "trace"],
        &["run", "cancel"],
        &["run", "pause"],
        &["run", "resume"],
        &["run", "retry"],
        &["run", "approve"],
        &["run", "reject"],
        &["plan", "validate"],
        &["verify"],
        &["serve"],
        &["migrate"],
        &["workspace", "create"],
        &["key", "create"],
        &["key", "list"],
        &["key", "revoke"],
        &["workspace", "list"],
        &["prune"],
        &["policy", "check"],
        &["plan", "json"],
        &["completions"],
        &["bench"],
    ];
    for args in commands {
        let o = std::process::Command::new(BIN).args(*args).arg("--help").output().expect("run --help");
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        let help = stdout(&o);
        // An option's description follows it on its line (compact help) or on the
        // next (long help); an undocumented one shows only `[env: …]`/`[default: …]`.
        let lines: Vec<&str> = help.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let option = line.trim_start();
            if option.starts_with("--") || option.starts_with("-h, --help") {
                let description = match option.split_once("  ").map(|(_, rest)| rest.trim()) {
                    Some(rest) if !rest.is_empty() => rest,
                    _ => lines.get(i + 1).map(|l| l.trim()).unwrap_or_default(),
                };
                let documented = !description.is_empty() && !description.starts_with('[');
                assert!(documented, "{args:?}: {line:?} has no description\n{help}");
            }
        }
        if matches!(args.first(), None | Some(&"run") | Some(&"plan") | Some(&"verify")) && args.len() < 2
            || args == &["run", "create"]
            || args == &["run", "watch"]
        {
            assert!(help.contains("Exit codes"), "{args:?}\n{help}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_logging_to_a_file_writes_no_colour_codes_and_names_its_database() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("named.db");
    let log = dir.path().join("server.log");
    let url = format!("sqlite://{}", db.display());
    let mut server = common::ServerProcess::start(&url, None, &[], &log).await;
    server.kill();
    let text = std::fs::read_to_string(&log).expect("log");
    assert!(!text.contains('\u{1b}'), "escape codes in a log file:\n{text}");
    assert!(text.contains(&format!("database={}", db.display())), "the start line names the file:\n{text}");
}
