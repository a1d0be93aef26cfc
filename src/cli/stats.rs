//! `stats` and `run create --advise`: what the workspace's history says
//! (GuidanceService.GetStats and Advise).

use std::time::Duration;

use clap::{Args, ValueEnum};

use super::commands::{connect, print_proto_json, ClientArgs};
use super::{exit, fail, rpc_fail, Client};
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
        if stats.truncated { " (the newest 50,000)" } else { "" }
    );
    println!(
        "{:<40} {:>8} {:>6}  {:<22} {:<22} {:>9} {:>9} {:>9} {:>10}",
        "key", "attempts", "tasks", "pass", "first try", "p50 ms", "p95 ms", "tokens", "cost $"
    );
    if let Some(acc) = stats.advice.as_ref().filter(|a| a.runs > 0) {
        println!(
            "advice: {} advised runs; mean error tokens {:.0}%, cost {:.0}%, duration {:.0}%; completed {}",
            acc.runs,
            acc.tokens_error * 100.0,
            acc.cost_error * 100.0,
            acc.duration_error * 100.0,
            pct(&acc.completed)
        );
    }
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

fn range(p: &Option<pb::Prediction>, scale: f64, unit: &str, digits: usize) -> String {
    match p {
        Some(p) => {
            format!("{:.d$}{unit} ({:.d$}–{:.d$})", p.expected / scale, p.low / scale, p.high / scale, d = digits)
        }
        None => "-".into(),
    }
}

/// `run create --advise`: the advice on a run, not the run; the exit code.
pub(super) async fn advise(c: &mut Client, run: pb::CreateRunRequest, client: &ClientArgs) -> i32 {
    let a = match c.guidance.advise(pb::AdviseRequest { run: Some(run), history: None }).await {
        Ok(r) => r.into_inner(),
        Err(s) => return rpc_fail(&s),
    };
    if client.json() {
        return print_proto_json("orchestrator.v1.Advice", &a);
    }
    print_advice(&a, "(no run was created)");
    exit::OK
}

/// The advice's lines, under a headline that ends with `note`.
pub(super) fn print_advice(a: &pb::Advice, note: &str) {
    println!("advice from {} outcomes of the last 30 days {note}", a.outcomes);
    println!("  tokens:   {}", range(&a.tokens, 1.0, "", 0));
    println!("  cost:     ${}", range(&a.cost_micros, 1e6, "", 4).replace('(', "($").replace('–', "–$"));
    println!("  duration: {}", range(&a.duration_ms, 1000.0, " s", 1));
    match a.pass_chance {
        Some(p) => println!("  pass chance: {:.0}%", p * 100.0),
        None => println!("  pass chance: unknown (a task without history)"),
    }
    for t in &a.tasks {
        let chance = t.pass_chance.map(|p| format!("{:.0}%", p * 100.0)).unwrap_or_else(|| "?".into());
        let model =
            if t.suggested_model.is_empty() { String::new() } else { format!("  try model {}", t.suggested_model) };
        println!("  task {:<20} pass {chance:>4} n={:<4} ({}){model}", t.task_id, t.samples, t.basis);
    }
    if !a.likely_failures.is_empty() {
        println!("  likeliest to fail: {}", a.likely_failures.join(", "));
    }
    if !a.suggested_recipe.is_empty() {
        println!("  the same graph as recipe {}: orchestrator recipe run {}", a.suggested_recipe, a.suggested_recipe);
    }
    for w in &a.warnings {
        println!("  warning {}: {}", w.code, w.message);
    }
    println!("  advice {}: start the run with --advice-id {} to compare it with this", a.advice_id, a.advice_id);
}
