//! `stats`: what the workspace's history says (GuidanceService.GetStats).

use std::time::Duration;

use clap::{Args, ValueEnum};

use super::commands::{connect, print_proto_json, ClientArgs};
use super::{exit, fail, rpc_fail};
use crate::proto::v1 as pb;

/// What the figures are grouped by.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum By {
    /// The agent that made the attempts.
    Agent,
    /// The model that did the work.
    Model,
    /// The recipe the runs came from.
    Recipe,
    /// The task's kind (its agent and the shape of its title).
    Kind,
}

/// `stats`.
#[derive(Args, Debug)]
pub struct StatsArgs {
    /// Group by this.
    #[arg(long, value_enum, default_value = "agent")]
    by: By,
    /// The window: this long before now (e.g. 1h, 7d).
    #[arg(long, value_parser = humantime::parse_duration, default_value = "7d")]
    since: Duration,
    #[command(flatten)]
    client: ClientArgs,
}

fn pct(r: &Option<pb::Rate>) -> String {
    match r {
        Some(r) if r.samples > 0 => {
            format!("{:.0}% [{:.0}–{:.0}] n={}", r.value * 100.0, r.low * 100.0, r.high * 100.0, r.samples)
        }
        _ => "-".into(),
    }
}

/// Runs `stats`; returns the exit code.
pub async fn stats_command(a: StatsArgs) -> i32 {
    let mut c = match connect(&a.client).await {
        Ok(c) => c,
        Err(code) => return code,
    };
    let now = std::time::SystemTime::now();
    let Some(start) = now.checked_sub(a.since) else { return fail(exit::USAGE, "--since reaches before 1970") };
    let group_by = match a.by {
        By::Agent => pb::StatsGroup::Agent,
        By::Model => pb::StatsGroup::Model,
        By::Recipe => pb::StatsGroup::Recipe,
        By::Kind => pb::StatsGroup::TaskKind,
    };
    let req =
        pb::GetStatsRequest { start_time: Some(start.into()), end_time: Some(now.into()), group_by: group_by as i32 };
    let stats = match c.guidance.get_stats(req).await {
        Ok(r) => r.into_inner(),
        Err(s) => return rpc_fail(&s),
    };
    if a.client.json() {
        return print_proto_json("orchestrator.v1.GetStatsResponse", &stats);
    }
    println!(
        "{} outcomes over {}{}",
        stats.outcomes,
        humantime::format_duration(a.since),
        if stats.truncated { " (the newest 100,000)" } else { "" }
    );
    println!(
        "{:<40} {:>8} {:>6}  {:<22} {:<22} {:>9} {:>9} {:>9} {:>10}",
        "key", "attempts", "tasks", "pass", "first try", "p50 ms", "p95 ms", "tokens", "cost $"
    );
    for g in &stats.groups {
        let key = if g.key.is_empty() { "(none)".to_string() } else { crate::domain::plan::truncate(&g.key, 39) };
        println!(
            "{:<40} {:>8} {:>6}  {:<22} {:<22} {:>9} {:>9} {:>9.0} {:>10.4}",
            key,
            g.attempts,
            g.tasks,
            pct(&g.pass_rate),
            pct(&g.first_try_pass_rate),
            g.latency_p50_ms,
            g.latency_p95_ms,
            g.mean_tokens,
            g.mean_cost_micros / 1e6
        );
    }
    exit::OK
}
