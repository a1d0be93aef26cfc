//! A small run of `orchestrator bench`, so the benchmark cannot rot: every
//! scenario must start its server, run, and report its figures; a bench in
//! which a scenario did not run must say so by its exit code.

use clap::Parser;
use orchestrator::bench::BenchArgs;

mod common;

#[derive(Parser)]
struct Cli {
    #[command(flatten)]
    bench: BenchArgs,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_quick_bench_runs_every_scenario() {
    let bin = env!("CARGO_BIN_EXE_orchestrator");
    let cli = Cli::parse_from(["bench", "--quick", "--server-bin", bin]);
    let report = orchestrator::bench::run(cli.bench).await.expect("bench");
    let json = report.json();
    assert!(report.all_ran(), "a scenario did not run: {json}");
    for scenario in ["runs", "wide", "dag", "dispatch", "watch", "validate", "makespan", "memory"] {
        let s = json["scenarios"]
            .as_array()
            .and_then(|all| all.iter().find(|s| s["id"] == scenario))
            .unwrap_or_else(|| panic!("no {scenario} scenario in {json}"));
        assert!(s["error"].is_null(), "{scenario} failed: {s}");
        assert!(s["figures"].as_array().is_some_and(|f| !f.is_empty()), "no {scenario} figures: {s}");
    }
    assert!(!report.table().is_empty());
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

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_fanout_shape_runs_start_width_join_runs_with_batched_agents() {
    let bin = env!("CARGO_BIN_EXE_orchestrator");
    let cli = Cli::parse_from([
        "bench",
        "--quick",
        "--only",
        "runs",
        "--shape",
        "fanout",
        "--batch",
        "4",
        "--server-bin",
        bin,
    ]);
    let report = orchestrator::bench::run(cli.bench).await.expect("bench");
    let json = report.json();
    assert!(report.all_ran(), "the fanout runs did not run: {json}");
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
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_replicas_share_the_throughput_cases_on_postgres() {
    let bin = env!("CARGO_BIN_EXE_orchestrator");
    let args = ["bench", "--quick", "--only", "runs", "--replicas", "2", "--server-bin", bin];
    let cli = Cli::parse_from(args.iter().copied().chain(["--backend", "postgres"]));
    let report = orchestrator::bench::run(cli.bench).await.expect("bench");
    let json = report.json();
    assert!(report.all_ran(), "the replicated runs did not run: {json}");
    assert_eq!(json["sizes"]["replicas"], 2, "{json}");
    let title = json["scenarios"][0]["title"].as_str().unwrap_or_default();
    assert!(title.ends_with("2 replicas"), "{title}");
    assert!(statements_per_task(&json, "runs") > 1.0, "{json}");

    let refused = Cli::parse_from(args);
    let Err(err) = orchestrator::bench::run(refused.bench).await else { panic!("SQLite took --replicas 2") };
    assert!(err.to_string().contains("--backend postgres"), "{err}");
}
