//! The benchmark without the main binary's wiring:
//! `cargo run --release --example bench -- [--quick] [--backend postgres] [--json]`.
//!
//! It starts the `orchestrator` binary as its server, so build that first
//! (`cargo build --release --bin orchestrator`) or pass `--server-bin`.

use std::process::ExitCode;

use clap::Parser;
use orchestrator::bench::{self, BenchArgs};

/// Benchmarks a real server and real agents over gRPC on loopback.
#[derive(Parser)]
#[command(name = "bench")]
struct Cli {
    #[command(flatten)]
    args: BenchArgs,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let json = cli.args.json;
    match bench::run(cli.args).await {
        Ok(report) => {
            if json {
                match serde_json::to_string_pretty(&report.json()) {
                    Ok(text) => println!("{text}"),
                    Err(e) => {
                        eprintln!("error: encoding the report: {e}");
                        return ExitCode::from(2);
                    }
                }
            } else {
                print!("{}", report.table());
            }
            if report.all_ran() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
