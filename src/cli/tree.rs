//! `run tree`: a run and its child runs (ListRuns by parent), as a tree of
//! the tasks that delegated to them.

use super::{live, rpc_fail, run_status_name, Client};
use crate::proto::v1 as pb;

/// The most runs a tree prints (and reads).
const MAX_RUNS: usize = 1000;

/// One line of a run in the tree: its status, usage and goal.
fn line(r: &pb::Run) -> String {
    let goal: String = r.goal.lines().next().unwrap_or("").chars().take(60).collect();
    let gauges: Vec<String> = live::gauges(r).iter().map(live::Gauge::text).collect();
    format!("{}  {}  {}  {goal}", r.id, run_status_name(r.status), gauges.join(", "))
}

/// The child runs of a run, oldest first (every page).
async fn children(c: &mut Client, run_id: &str) -> Result<Vec<pb::Run>, tonic::Status> {
    let mut out = Vec::new();
    let mut token = String::new();
    loop {
        let page = c
            .runs
            .list_runs(pb::ListRunsRequest {
                parent_run_id: run_id.to_string(),
                page_size: 500,
                page_token: std::mem::take(&mut token),
                ..Default::default()
            })
            .await?
            .into_inner();
        out.extend(page.runs);
        if page.next_page_token.is_empty() || out.len() >= MAX_RUNS {
            break;
        }
        token = page.next_page_token;
    }
    out.reverse();
    Ok(out)
}

/// The tree's lines below `run_id`, each child under the task that started it.
async fn lines_below(c: &mut Client, run_id: &str, indent: &str, out: &mut Vec<String>) -> Result<(), tonic::Status> {
    let kids = children(c, run_id).await?;
    let n = kids.len();
    for (i, kid) in kids.into_iter().enumerate() {
        if out.len() >= MAX_RUNS {
            out.push(format!("{indent}… (more child runs; the tree stops at {MAX_RUNS})"));
            return Ok(());
        }
        let last = i + 1 == n;
        let task = kid.parent.as_ref().map(|p| format!("task {} (attempt {}) → ", p.task_id, p.attempt));
        out.push(format!("{indent}{}{}{}", if last { "└─ " } else { "├─ " }, task.unwrap_or_default(), line(&kid)));
        let deeper = format!("{indent}{}", if last { "   " } else { "│  " });
        Box::pin(lines_below(c, &kid.id, &deeper, out)).await?;
    }
    Ok(())
}

/// Prints a run and its child runs as a tree; the exit code.
pub async fn print_tree(c: &mut Client, run_id: &str) -> i32 {
    let run =
        match c.runs.get_run(pb::GetRunRequest { run_id: run_id.to_string(), view: pb::RunView::Basic as i32 }).await {
            Ok(r) => r.into_inner(),
            Err(s) => return rpc_fail(&s),
        };
    let mut out = Vec::new();
    if let Some(p) = &run.parent {
        out.push(format!("(a child run of task {} of run {}, {} deep)", p.task_id, p.run_id, p.depth));
    }
    out.push(line(&run));
    if let Err(s) = lines_below(c, &run.id, "", &mut out).await {
        return rpc_fail(&s);
    }
    for l in out {
        println!("{l}");
    }
    super::exit::OK
}
