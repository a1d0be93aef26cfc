//! Watching a run: a live view on a terminal (tasks by state, a budget gauge,
//! the latest events, redrawn in place by `indicatif`), one line per event
//! otherwise, or one JSON object per event with `--output json`.

use std::collections::VecDeque;
use std::io::IsTerminal;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use tokio_stream::StreamExt;

use super::{exit, json, Client};
use crate::proto::v1 as pb;

/// How a watch prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Redraw a status view in place (stdout is a terminal).
    Live,
    /// One line per event, then a summary.
    Lines,
    /// One JSON object per event, then the run.
    Json,
}

/// Whether standard output is a terminal (the live view's condition).
pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

/// Events shown at the bottom of the live view.
const RECENT_EVENTS: usize = 6;
/// How often the live view refreshes the run (counts, usage, wall clock).
const REFRESH: Duration = Duration::from_millis(250);
/// How often plain-lines watching asks whether the run waits for an unserved agent.
const NOTICE_EVERY: Duration = Duration::from_secs(5);
/// How many times a stream that ended before the run did is re-opened.
const MAX_RESUBSCRIBE: u32 = 3;

/// One budget dimension: what was used against its limit (0 = no limit).
#[derive(Debug, Clone, PartialEq)]
pub struct Gauge {
    /// tokens, cost, tool calls, wall clock.
    pub name: &'static str,
    /// Used so far.
    pub used: f64,
    /// The limit; 0 means none.
    pub limit: f64,
}

impl Gauge {
    fn fmt(&self, v: f64) -> String {
        match self.name {
            "cost" => format!("${v:.4}"),
            "wall clock" => format!("{v:.1}s"),
            _ => format!("{}", v as u64),
        }
    }

    /// The fraction of the limit used (None without a limit).
    pub fn ratio(&self) -> Option<f64> {
        (self.limit > 0.0).then(|| (self.used / self.limit).clamp(0.0, 1.0))
    }

    /// "tokens 120/1000 (12%)" or "tokens 120 (no limit)".
    pub fn text(&self) -> String {
        match self.ratio() {
            Some(_) => format!(
                "{} {}/{} ({:.0}%)",
                self.name,
                self.fmt(self.used),
                self.fmt(self.limit),
                100.0 * self.used / self.limit
            ),
            None => format!("{} {} (no limit)", self.name, self.fmt(self.used)),
        }
    }

    fn value_text(&self) -> String {
        match self.ratio() {
            Some(_) => format!("{} / {}", self.fmt(self.used), self.fmt(self.limit)),
            None => format!("{} (no limit)", self.fmt(self.used)),
        }
    }
}

fn secs(t: &Option<prost_types::Timestamp>) -> Option<f64> {
    t.as_ref().map(|t| t.seconds as f64 + f64::from(t.nanos) / 1e9)
}

/// The run's usage against its budget: tokens, cost, tool calls, wall clock
/// (the server's `active_time`: time started and neither paused nor failed;
/// from an older server, from its start to its end or to now).
pub fn gauges(r: &pb::Run) -> Vec<Gauge> {
    let u = r.usage.unwrap_or_default();
    let b = r.budget.unwrap_or_default();
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs_f64()).unwrap_or(0.0);
    let wall = match (&r.active_time, secs(&r.started_at)) {
        (Some(d), _) => d.seconds as f64 + f64::from(d.nanos) / 1e9,
        (None, Some(start)) => (secs(&r.finished_at).unwrap_or(now) - start).max(0.0),
        (None, None) => 0.0,
    };
    let max_wall = b.max_duration.as_ref().map(|d| d.seconds as f64 + f64::from(d.nanos) / 1e9).unwrap_or(0.0);
    vec![
        Gauge { name: "tokens", used: (u.prompt_tokens + u.completion_tokens) as f64, limit: b.max_tokens as f64 },
        Gauge { name: "cost", used: u.cost_usd, limit: b.max_cost_usd },
        Gauge { name: "tool calls", used: u.tool_calls as f64, limit: b.max_tool_calls as f64 },
        Gauge { name: "wall clock", used: wall, limit: max_wall },
    ]
}

/// Every task status name, in lifecycle order.
const ORDER: [&str; 11] = [
    "PENDING",
    "READY",
    "RUNNING",
    "VERIFYING",
    "WAITING_APPROVAL",
    "RETRY_SCHEDULED",
    "CONTINUING",
    "SUCCEEDED",
    "FAILED",
    "SKIPPED",
    "CANCELLED",
];

/// Task counts in lifecycle order, e.g. "running 2 · ready 1 · succeeded 3".
fn counts_text(r: &pb::Run) -> (u64, u64, String) {
    let total: u64 = r.task_counts.values().map(|v| u64::from(*v)).sum();
    let done: u64 = ["SUCCEEDED", "FAILED", "SKIPPED", "CANCELLED"]
        .iter()
        .map(|k| u64::from(r.task_counts.get(*k).copied().unwrap_or(0)))
        .sum();
    let parts: Vec<String> = ORDER
        .iter()
        .filter_map(|k| r.task_counts.get(*k).filter(|v| **v > 0).map(|v| format!("{} {v}", k.to_lowercase())))
        .collect();
    (done, total, parts.join(" · "))
}

/// The live view: a header, the tasks bar, four gauges, the latest events.
struct LiveView {
    multi: MultiProgress,
    header: ProgressBar,
    tasks: ProgressBar,
    gauges: Vec<ProgressBar>,
    /// Why nothing runs, when the run waits for an agent nobody serves.
    notice: ProgressBar,
    events: Vec<ProgressBar>,
    recent: VecDeque<String>,
    bar: ProgressStyle,
    text: ProgressStyle,
}

impl LiveView {
    fn new() -> LiveView {
        let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stdout());
        let bar = ProgressStyle::with_template("{prefix:>12} [{bar:30.cyan/blue}] {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("█▉▊▋▌▍▎▏ ");
        let text =
            ProgressStyle::with_template("{prefix:>12}  {wide_msg}").unwrap_or_else(|_| ProgressStyle::default_bar());
        let header = multi.add(ProgressBar::new_spinner());
        header.set_style(
            ProgressStyle::with_template("{spinner:.green} {wide_msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        header.enable_steady_tick(Duration::from_millis(120));
        let tasks = multi.add(ProgressBar::new(0).with_style(bar.clone()).with_prefix("tasks"));
        let gauges = (0..4).map(|_| multi.add(ProgressBar::new(1000).with_style(text.clone()))).collect();
        let notice = multi.add(ProgressBar::new(0).with_style(text.clone()));
        let events = (0..RECENT_EVENTS)
            .map(|i| {
                let b = multi.add(ProgressBar::new(0).with_style(text.clone()));
                if i == 0 {
                    b.set_prefix("events");
                }
                b
            })
            .collect();
        LiveView { multi, header, tasks, gauges, notice, events, recent: VecDeque::new(), bar, text }
    }

    fn update(&self, r: &pb::Run) {
        let (done, total, counts) = counts_text(r);
        self.header.set_message(format!("run {}  {}  {}", r.id, super::run_status_name(r.status), r.goal));
        self.tasks.set_length(total.max(1));
        self.tasks.set_position(done);
        self.tasks.set_message(format!("{done}/{total} done  {counts}"));
        for (bar, g) in self.gauges.iter().zip(gauges(r)) {
            bar.set_prefix(g.name);
            match g.ratio() {
                Some(ratio) => {
                    bar.set_style(self.bar.clone());
                    bar.set_position((ratio * 1000.0) as u64);
                }
                None => bar.set_style(self.text.clone()),
            }
            bar.set_message(g.value_text());
        }
        let waiting = super::waiting_lines(r);
        self.notice.set_prefix(if waiting.is_empty() { "" } else { "waiting" });
        self.notice
            .set_message(waiting.iter().map(|l| l.trim_start_matches("waiting: ")).collect::<Vec<_>>().join("; "));
    }

    fn event(&mut self, e: &pb::RunEvent) {
        self.recent.push_back(super::event_line(e));
        while self.recent.len() > RECENT_EVENTS {
            self.recent.pop_front();
        }
        for (bar, line) in self.events.iter().zip(self.recent.iter()) {
            bar.set_message(line.clone());
        }
    }

    fn finish(&self) {
        self.header.finish();
        self.tasks.finish();
        for b in self.gauges.iter().chain(std::iter::once(&self.notice)).chain(self.events.iter()) {
            b.finish();
        }
        let _ = self.multi.clear();
    }
}

/// Watches a run to its end and returns the exit code: OK when it completed,
/// RUN_FAILED when it failed or was cancelled. A stream that ends before the
/// run does (a server shutting down) is re-opened after the last event seen.
pub async fn watch(c: &mut Client, run_id: &str, mode: Mode) -> Result<i32, tonic::Status> {
    let mut view = (mode == Mode::Live).then(LiveView::new);
    let mut after_seq = 0;
    let mut run = None;
    let mut resubscribed = 0;
    let mut last_notice: Vec<String> = Vec::new();
    let result = async {
        loop {
            let mut stream =
                c.runs.watch_run(pb::WatchRunRequest { run_id: run_id.to_string(), after_seq }).await?.into_inner();
            let mut tick = tokio::time::interval(REFRESH);
            let mut notice_tick = tokio::time::interval(NOTICE_EVERY);
            loop {
                tokio::select! {
                    next = stream.next() => match next {
                        Some(e) => {
                            let e = e?;
                            after_seq = e.seq;
                            match (&mut view, mode) {
                                (Some(v), _) => v.event(&e),
                                (None, Mode::Json) => println!("{}", json::event(&e)),
                                (None, _) => println!("{}", super::event_line(&e)),
                            }
                        }
                        None => break,
                    },
                    // Plain lines: say (on stderr, once per change) when the run waits
                    // for an agent nobody serves, as the live view does.
                    _ = notice_tick.tick(), if mode == Mode::Lines => {
                        if let Ok(r) = c.runs.get_run(pb::GetRunRequest { run_id: run_id.to_string(), ..Default::default() }).await {
                            let now = super::waiting_lines(&r.into_inner());
                            if now != last_notice {
                                for line in &now {
                                    eprintln!("{line}");
                                }
                                last_notice = now;
                            }
                        }
                    }
                    _ = tick.tick(), if view.is_some() => {
                        if let (Some(v), Ok(r)) =
                            (&view, c.runs.get_run(pb::GetRunRequest { run_id: run_id.to_string(), ..Default::default() }).await)
                        {
                            v.update(&r.into_inner());
                        }
                    }
                }
            }
            let r = c.runs.get_run(pb::GetRunRequest { run_id: run_id.to_string(), ..Default::default() }).await?.into_inner();
            if super::is_terminal(r.status) || resubscribed >= MAX_RESUBSCRIBE {
                run = Some(r);
                return Ok::<(), tonic::Status>(());
            }
            resubscribed += 1;
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    .await;
    if let Some(v) = &view {
        v.finish();
    }
    result?;
    let run = run.unwrap_or_default();
    match mode {
        Mode::Json => println!("{}", json::run(&run)),
        Mode::Live => {
            // The view is cleared; leave the last events and the summary behind.
            if let Some(v) = &view {
                for line in &v.recent {
                    println!("{line}");
                }
            }
            super::print_run_summary(&run);
        }
        Mode::Lines => super::print_run_summary(&run),
    }
    Ok(if run.status == pb::RunStatus::Completed as i32 { exit::OK } else { exit::RUN_FAILED })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gauge_without_a_limit_says_so_and_one_with_a_limit_shows_its_share() {
        let g = Gauge { name: "tokens", used: 120.0, limit: 0.0 };
        assert_eq!(g.text(), "tokens 120 (no limit)");
        let g = Gauge { name: "tokens", used: 250.0, limit: 1000.0 };
        assert_eq!(g.text(), "tokens 250/1000 (25%)");
        assert_eq!(g.ratio(), Some(0.25));
        let g = Gauge { name: "cost", used: 2.0, limit: 1.0 };
        assert_eq!(g.ratio(), Some(1.0), "an overshoot fills the gauge, no more");
    }

    #[test]
    fn task_counts_are_shown_in_lifecycle_order() {
        let mut r = pb::Run::default();
        r.task_counts.insert("SUCCEEDED".into(), 3);
        r.task_counts.insert("RUNNING".into(), 2);
        r.task_counts.insert("FAILED".into(), 1);
        assert_eq!(counts_text(&r), (4, 6, "running 2 · succeeded 3 · failed 1".into()));
    }

    #[test]
    fn every_task_status_has_its_place_in_the_counts() {
        let names: Vec<&str> = (1..)
            .map_while(|i| pb::TaskStatus::try_from(i).ok())
            .map(|s| s.as_str_name().trim_start_matches("TASK_STATUS_"))
            .collect();
        assert_eq!(names.len(), ORDER.len(), "{names:?}");
        assert!(names.iter().all(|n| ORDER.contains(n)), "{names:?} vs {ORDER:?}");
    }
}
