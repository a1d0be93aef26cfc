//! A small run of `orchestrator bench`, so the benchmark cannot rot: every
//! scenario must start its server, run, and report its figures; a bench in
//! which a scenario did not run must say so by its exit code. The bench is
//! its own binary, run here as users run it: `orchestrator bench …`.

use std::process::Output;

use serde_json::Value;

use crate::common;

/// `orchestrator bench --json ARGS…` against this build's server: its exit and report.
fn bench(args: &[&str]) -> (Output, Value) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_orchestrator"))
        .arg("bench")
        .args(args)
        .args(["--json", "--server-bin", env!("CARGO_BIN_EXE_orchestrator")])
        .output()
        .expect("run the bench");
    let report = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out, report)
}

/// The report of a bench that must have run every scenario it was given.
fn bench_ok(args: &[&str]) -> Value {
    let (out, json) = bench(args);
    assert!(out.status.success(), "{}", common::describe(&out));
    assert_eq!(json["all_ran"], true, "{json}");
    json
}

#[test]
fn the_quick_bench_runs_every_scenario() {
    let json = bench_ok(&["--quick"]);
    for scenario in ["runs", "wide", "dag", "dispatch", "watch", "validate", "makespan", "memory"] {
        let s = json["scenarios"]
            .as_array()
            .and_then(|all| all.iter().find(|s| s["id"] == scenario))
            .unwrap_or_else(|| panic!("no {scenario} scenario in {json}"));
        assert!(s["error"].is_null(), "{scenario} failed: {s}");
        assert!(s["figures"].as_array().is_some_and(|f| !f.is_empty()), "no {scenario} figures: {s}");
    }
    for scenario in ["runs", "wide", "dag"] {
        let per_task = statements_per_task(&json, scenario);
        // A no-op task's whole life takes a handful of statements; zero would
        // mean the server's count is not wired, hundreds a runaway loop.
        assert!(per_task > 1.0 && per_task < 100.0, "{scenario}: {per_task} statements per task: {json}");
    }
}

/// The `statements per task` figure of a scenario of a bench report.
fn statements_per_task(json: &serde_json::Value, scenario: &str) -> f64 {
    json["scenarios"]
        .as_array()
        .and_then(|all| all.iter().find(|s| s["id"] == scenario))
        .and_then(|s| s["figures"].as_array())
        .and_then(|f| f.iter().find(|f| f["name"].as_str().is_some_and(|n| n.starts_with("statements per task"))))
        .and_then(|f| f["value"].as_f64())
        .unwrap_or_else(|| panic!("no statements per task in {scenario}: {json}"))
}

#[test]
fn the_fanout_shape_runs_start_width_join_runs_with_batched_agents() {
    let json = bench_ok(&["--quick", "--only", "runs", "--shape", "fanout", "--batch", "4"]);
    assert_eq!(json["sizes"]["shape"], "fanout", "{json}");
    // --quick's fan-out is 6 wide: start, 6, join.
    assert_eq!(json["sizes"]["tasks_per_run"], 8, "{json}");
    let title = json["scenarios"][0]["title"].as_str().unwrap_or_default();
    assert!(title.contains("start → 6 parallel → join") && title.ends_with("batches of 4"), "{title}");
    assert!(statements_per_task(&json, "runs") > 1.0, "{json}");
}

#[test]
fn a_bench_whose_scenarios_cannot_start_their_server_exits_non_zero() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_orchestrator"))
        .args(["bench", "--quick", "--server-bin", "/bin/false", "--json"])
        .output()
        .expect("run the bench");
    assert_eq!(out.status.code(), Some(3), "{}", common::describe(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a JSON report all the same");
    assert_eq!(report["all_ran"], false, "{report}");
}

/// `orchestrator bench` is the bench's own program under the same name: its
/// flags and their errors are the bench's, with the CLI's exit codes.
#[test]
fn the_bench_binary_answers_for_orchestrator_bench() {
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_orchestrator")).args(args).output().expect("run")
    };
    let help = run(&["bench", "--help"]);
    assert!(help.status.success(), "{}", common::describe(&help));
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(text.contains("Usage: orchestrator bench") && text.contains("--replicas"), "{text}");
    let bad = run(&["bench", "--only", "nope", "--server-bin", env!("CARGO_BIN_EXE_orchestrator")]);
    assert_eq!(bad.status.code(), Some(3), "{}", common::describe(&bad));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown scenario \"nope\""), "{}", common::describe(&bad));
    let usage = run(&["bench", "--replicas", "lots"]);
    assert_eq!(usage.status.code(), Some(2), "{}", common::describe(&usage));
}

/// The floor script beside the bench runs and reports a rate per batch size.
#[test]
fn the_durable_write_floor_script_reports_each_batch_size() {
    let out = std::process::Command::new("python3")
        .args(["examples/bench_floor.py", "--tasks", "64", "--per-tx", "1,8"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("python3 (install it; .ci/run does)");
    assert!(out.status.success(), "{}", common::describe(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    let rates: Vec<(u32, f64)> = text
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut w = l.split_whitespace();
            Some((w.next()?.parse().ok()?, w.next()?.replace(',', "").parse().ok()?))
        })
        .collect();
    assert_eq!(rates.iter().map(|r| r.0).collect::<Vec<_>>(), vec![1, 8], "{text}");
    assert!(rates.iter().all(|r| r.1 > 0.0), "{text}");
    let bad = std::process::Command::new("python3")
        .args(["examples/bench_floor.py", "--per-tx", "0"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("python3");
    assert_eq!(bad.status.code(), Some(2), "a bad size is a usage error");
}

/// `--replicas 2` spreads the agents and creators over two servers on one
/// PostgreSQL database, and counts both servers' statements; on SQLite, whose
/// file has one writer, it is refused.
#[test]
fn two_replicas_share_the_throughput_cases_on_postgres() {
    let args = ["--quick", "--only", "runs", "--replicas", "2"];
    let json = bench_ok(&[&args[..], &["--backend", "postgres"]].concat());
    assert_eq!(json["sizes"]["replicas"], 2, "{json}");
    let title = json["scenarios"][0]["title"].as_str().unwrap_or_default();
    assert!(title.ends_with("2 replicas"), "{title}");
    assert!(statements_per_task(&json, "runs") > 1.0, "{json}");

    let (refused, _) = bench(&args);
    assert_eq!(refused.status.code(), Some(3), "SQLite took --replicas 2: {}", common::describe(&refused));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--backend postgres"), "{}", common::describe(&refused));
}
