//! A small run of `orchestrator bench`, so the benchmark cannot rot: every
//! scenario must start its server, run, and report its figures.

use clap::Parser;
use orchestrator::bench::BenchArgs;

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
    let text = json.to_string();
    for scenario in ["throughput", "dispatch", "watch", "validation", "makespan", "memory"] {
        assert!(text.contains(scenario), "no {scenario} figures in {text}");
    }
    assert!(!report.table().is_empty());
}
