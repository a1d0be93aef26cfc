//! `agents`: the fleet of agents in the workspace (RunService.ListAgents).

use clap::Args;

use super::commands::{connect, print_proto_json, ClientArgs};
use super::{exit, rpc_fail};
use crate::proto::v1 as pb;

/// `agents`.
#[derive(Args, Debug)]
pub struct AgentsArgs {
    /// Also list each agent's instances.
    #[arg(long, short)]
    instances: bool,
    #[command(flatten)]
    client: ClientArgs,
}

/// What an agent sent (names, ids), fit for a terminal: no control characters.
fn shown(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { '?' } else { c }).collect()
}

fn ago(t: &Option<prost_types::Timestamp>) -> String {
    let Some(t) = t else { return "never".into() };
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64);
    match now {
        Ok(now) => format!("{}s ago", (now - t.seconds).max(0)),
        Err(_) => "?".into(),
    }
}

/// Runs `agents`; returns the exit code.
pub async fn agents_command(a: AgentsArgs) -> i32 {
    super::errors_as_json(a.client.json());
    let mut c = match connect(&a.client).await {
        Ok(c) => c,
        Err(code) => return code,
    };
    let r = match c.runs.list_agents(pb::ListAgentsRequest {}).await {
        Ok(r) => r.into_inner(),
        Err(s) => return rpc_fail(&s),
    };
    if a.client.json() {
        return print_proto_json("orchestrator.v1.ListAgentsResponse", &r);
    }
    println!(
        "{:<24} {:<8} {:>9} {:>7} {:>5} {:>9} {:>7}  last poll",
        "agent", "executor", "instances", "running", "ready", "ok (1h)", "failed"
    );
    for g in &r.agents {
        let executor = if g.executor.is_empty() { "-" } else { g.executor.as_str() };
        println!(
            "{:<24} {:<8} {:>9} {:>7} {:>5} {:>9} {:>7}  {}",
            shown(&g.name),
            executor,
            g.instances.len(),
            g.running_attempts,
            g.ready_tasks,
            g.succeeded_last_hour,
            g.failed_last_hour,
            ago(&g.last_poll)
        );
        if a.instances {
            for i in &g.instances {
                let sdk = if i.sdk.is_empty() { "-" } else { i.sdk.as_str() };
                println!(
                    "  {:<40} sdk {:<16} from {:<16} on {:<24} running {}  {}",
                    shown(&i.id),
                    shown(sdk),
                    i.peer,
                    shown(&i.replica),
                    i.running_attempts,
                    ago(&i.last_poll)
                );
            }
        }
    }
    for g in r.agents.iter().filter(|g| !g.warning.is_empty()) {
        println!("warning: {}", shown(&g.warning));
    }
    exit::OK
}
