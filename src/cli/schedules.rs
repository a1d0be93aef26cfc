//! `schedule …`: create, get, list, pause, resume, trigger, backfill and
//! delete schedules (runs of a recipe started by a clock).

use std::time::Duration;

use clap::Subcommand;
use serde_json::Value;

use super::commands::{connect, parse_label, print_proto_json, ClientArgs};
use super::{exit, fail, rpc_fail, timestamp_text};
use crate::api::convert as cv;
use crate::proto::v1 as pb;

/// `schedule …`: runs of a recipe on a cron expression or an interval.
#[derive(Subcommand, Debug)]
pub enum ScheduleCommand {
    /// Create a schedule of a recipe; prints its next fire times.
    Create {
        /// The schedule's id.
        id: String,
        /// The recipe each fire runs.
        #[arg(long)]
        recipe: String,
        /// A cron expression (5 fields, or 6 with seconds first), e.g. "0 30 2 * * *".
        #[arg(long, conflicts_with = "every", required_unless_present = "every")]
        cron: Option<String>,
        /// A fixed interval instead (whole seconds: 10s, 5m, 1h).
        #[arg(long, value_parser = humantime::parse_duration)]
        every: Option<Duration>,
        /// The IANA time zone the cron expression is read in (default UTC).
        #[arg(long)]
        time_zone: Option<String>,
        /// Delay each fire by up to this much (the same on every replica).
        #[arg(long, value_parser = humantime::parse_duration)]
        jitter: Option<Duration>,
        /// A parameter NAME=VALUE (repeatable): JSON, or text when it is not JSON.
        #[arg(long = "param", short = 'p', value_name = "NAME=VALUE", value_parser = parse_label)]
        params: Vec<(String, String)>,
        /// The recipe's version (default: the latest at each fire).
        #[arg(long)]
        version: Option<u32>,
        /// While a run it started goes: skip, buffer-one, cancel-previous or allow-all.
        #[arg(long, default_value = "skip")]
        overlap: String,
        /// After downtime, fire times at most this old still fire (default 5m).
        #[arg(long, value_parser = humantime::parse_duration)]
        catchup_window: Option<Duration>,
        /// A label KEY=VALUE for its runs (repeatable).
        #[arg(long = "label", value_name = "KEY=VALUE", value_parser = parse_label)]
        labels: Vec<(String, String)>,
        /// Create it paused.
        #[arg(long)]
        paused: bool,
        /// Why.
        #[arg(long, default_value = "")]
        note: String,
        #[command(flatten)]
        client: ClientArgs,
    },
    /// Show a schedule: its next fire times and recent fires.
    Get {
        /// The schedule's id.
        id: String,
        #[command(flatten)]
        client: ClientArgs,
    },
    /// List the workspace's schedules with their next fire time.
    List {
        #[command(flatten)]
        client: ClientArgs,
    },
    /// Stop firing until resumed.
    Pause {
        /// The schedule's id.
        id: String,
        /// Why.
        #[arg(long, default_value = "")]
        note: String,
        #[command(flatten)]
        client: ClientArgs,
    },
    /// Fire again from the next fire time.
    Resume {
        /// The schedule's id.
        id: String,
        /// Why.
        #[arg(long, default_value = "")]
        note: String,
        #[command(flatten)]
        client: ClientArgs,
    },
    /// Fire now (once per --request-id), under the overlap policy.
    Trigger {
        /// The schedule's id.
        id: String,
        /// A retry with the same id fires once.
        #[arg(long)]
        request_id: Option<String>,
        #[command(flatten)]
        client: ClientArgs,
    },
    /// Fire the fire times in [--from, --to) not backfilled before.
    Backfill {
        /// The schedule's id.
        id: String,
        /// The range's start (RFC 3339, e.g. 2026-11-30T00:00:00Z).
        #[arg(long, value_parser = humantime::parse_rfc3339_weak)]
        from: std::time::SystemTime,
        /// The range's end (exclusive).
        #[arg(long, value_parser = humantime::parse_rfc3339_weak)]
        to: std::time::SystemTime,
        /// The overlap policy for these fires (default: the schedule's).
        #[arg(long)]
        overlap: Option<String>,
        #[command(flatten)]
        client: ClientArgs,
    },
    /// Delete a schedule (its runs are not touched).
    Delete {
        /// The schedule's id.
        id: String,
        #[command(flatten)]
        client: ClientArgs,
    },
}

fn overlap_of(name: &str) -> Result<pb::OverlapPolicy, String> {
    match name {
        "skip" => Ok(pb::OverlapPolicy::Skip),
        "buffer-one" | "buffer_one" => Ok(pb::OverlapPolicy::BufferOne),
        "cancel-previous" | "cancel_previous" => Ok(pb::OverlapPolicy::CancelPrevious),
        "allow-all" | "allow_all" => Ok(pb::OverlapPolicy::AllowAll),
        other => Err(format!("--overlap {other:?}: skip, buffer-one, cancel-previous or allow-all")),
    }
}

fn duration(d: Duration) -> prost_types::Duration {
    prost_types::Duration { seconds: d.as_secs() as i64, nanos: d.subsec_nanos() as i32 }
}

fn time(t: std::time::SystemTime) -> prost_types::Timestamp {
    let d = t.duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    prost_types::Timestamp { seconds: d.as_secs() as i64, nanos: d.subsec_nanos() as i32 }
}

fn outcome_name(o: i32) -> &'static str {
    match pb::FireOutcome::try_from(o).unwrap_or(pb::FireOutcome::Unspecified) {
        pb::FireOutcome::Started => "started",
        pb::FireOutcome::Skipped => "skipped",
        pb::FireOutcome::Buffered => "buffered",
        pb::FireOutcome::Failed => "failed",
        pb::FireOutcome::Unspecified => "?",
    }
}

fn fire_line(f: &pb::ScheduleFire) -> String {
    let kind = pb::FireKind::try_from(f.kind).map(|k| k.as_str_name()).unwrap_or("?");
    let kind = kind.trim_start_matches("FIRE_KIND_").to_lowercase();
    format!("{}  {kind:<9} {:<8} {} {}", timestamp_text(&f.fire_time), outcome_name(f.outcome), f.run_id, f.detail)
}

fn summary(s: &pb::Schedule) -> String {
    let when = match s.spec.as_ref().and_then(|p| p.trigger.as_ref()) {
        Some(pb::schedule_spec::Trigger::Cron(c)) => format!("cron {c:?}"),
        Some(pb::schedule_spec::Trigger::Interval(d)) => format!("every {}s", d.seconds),
        None => "?".into(),
    };
    let zone = s.spec.as_ref().map(|p| p.time_zone.as_str()).filter(|z| !z.is_empty()).unwrap_or("UTC");
    let mut out = format!(
        "schedule {}  {when} ({zone})  recipe {}{}\n",
        s.schedule_id,
        s.recipe,
        if s.paused { "  PAUSED" } else { "" }
    );
    if !s.note.is_empty() {
        out.push_str(&format!("  note: {}\n", s.note));
    }
    for t in &s.next_fire_times {
        out.push_str(&format!("  next  {}\n", timestamp_text(&Some(*t))));
    }
    if s.missed_fires > 0 {
        out.push_str(&format!("  missed: {} fire times older than the catch-up window\n", s.missed_fires));
    }
    for f in &s.recent_fires {
        out.push_str(&format!("  fire  {}\n", fire_line(f)));
    }
    out
}

/// Connects, or returns the exit code from the enclosing function.
macro_rules! connected {
    ($args:expr) => {
        match connect($args).await {
            Ok(c) => c,
            Err(code) => return code,
        }
    };
}

/// Prints a schedule (JSON with --json) and returns the exit code.
fn print_schedule(r: Result<tonic::Response<pb::Schedule>, tonic::Status>, client: &ClientArgs) -> i32 {
    match r {
        Ok(s) if client.json() => print_proto_json("orchestrator.v1.Schedule", &s.into_inner()),
        Ok(s) => {
            print!("{}", summary(&s.into_inner()));
            exit::OK
        }
        Err(s) => rpc_fail(&s),
    }
}

/// Runs a `schedule …` command; returns the exit code.
pub async fn schedule_command(cmd: ScheduleCommand) -> i32 {
    match cmd {
        ScheduleCommand::Create {
            id,
            recipe,
            cron,
            every,
            time_zone,
            jitter,
            params,
            version,
            overlap,
            catchup_window,
            labels,
            paused,
            note,
            client,
        } => {
            let overlap = match overlap_of(&overlap) {
                Ok(o) => o,
                Err(e) => return fail(exit::USAGE, e),
            };
            let trigger = match (cron, every) {
                (Some(c), _) => pb::schedule_spec::Trigger::Cron(c),
                (None, Some(d)) => pb::schedule_spec::Trigger::Interval(duration(d)),
                (None, None) => return fail(exit::USAGE, "--cron or --every is required"),
            };
            let values: serde_json::Map<String, Value> = params
                .into_iter()
                .map(|(k, text)| {
                    let v = serde_json::from_str(&text).unwrap_or(Value::String(text));
                    (k, v)
                })
                .collect();
            let req = pb::CreateScheduleRequest {
                schedule_id: id,
                spec: Some(pb::ScheduleSpec {
                    trigger: Some(trigger),
                    time_zone: time_zone.unwrap_or_default(),
                    jitter: jitter.map(duration),
                }),
                recipe,
                recipe_version: version.unwrap_or(0),
                params: Some(cv::json_to_struct(&values)),
                overlap: overlap as i32,
                catchup_window: catchup_window.map(duration),
                paused,
                note,
                labels: labels.into_iter().collect(),
            };
            let mut c = connected!(&client);
            print_schedule(c.schedules.create_schedule(req).await, &client)
        }
        ScheduleCommand::Get { id, client } => {
            let mut c = connected!(&client);
            print_schedule(c.schedules.get_schedule(pb::GetScheduleRequest { schedule_id: id }).await, &client)
        }
        ScheduleCommand::List { client } => {
            let mut c = connected!(&client);
            let mut token = String::new();
            loop {
                let req = pb::ListSchedulesRequest { page_size: 100, page_token: std::mem::take(&mut token) };
                let page = match c.schedules.list_schedules(req).await {
                    Ok(p) => p.into_inner(),
                    Err(s) => return rpc_fail(&s),
                };
                for s in &page.schedules {
                    if client.json() {
                        print_proto_json("orchestrator.v1.Schedule", s);
                    } else {
                        let next = s.next_fire_times.first().map(|t| timestamp_text(&Some(*t)));
                        let state = if s.paused { "paused".to_string() } else { next.unwrap_or_else(|| "-".into()) };
                        println!("{:<32} {:<24} {}", s.schedule_id, s.recipe, state);
                    }
                }
                if page.next_page_token.is_empty() {
                    return exit::OK;
                }
                token = page.next_page_token;
            }
        }
        ScheduleCommand::Pause { id, note, client } => {
            let mut c = connected!(&client);
            print_schedule(
                c.schedules.pause_schedule(pb::PauseScheduleRequest { schedule_id: id, note }).await,
                &client,
            )
        }
        ScheduleCommand::Resume { id, note, client } => {
            let mut c = connected!(&client);
            let r = c.schedules.resume_schedule(pb::ResumeScheduleRequest { schedule_id: id, note }).await;
            print_schedule(r, &client)
        }
        ScheduleCommand::Trigger { id, request_id, client } => {
            let mut c = connected!(&client);
            let req = pb::TriggerScheduleRequest { schedule_id: id, request_id: request_id.unwrap_or_default() };
            match c.schedules.trigger_schedule(req).await {
                Ok(r) if client.json() => print_proto_json("orchestrator.v1.TriggerScheduleResponse", &r.into_inner()),
                Ok(r) => {
                    if let Some(f) = r.into_inner().fire {
                        println!("{}", fire_line(&f));
                    }
                    exit::OK
                }
                Err(s) => rpc_fail(&s),
            }
        }
        ScheduleCommand::Backfill { id, from, to, overlap, client } => {
            let overlap = match overlap.as_deref().map(overlap_of).transpose() {
                Ok(o) => o.map(|o| o as i32).unwrap_or(0),
                Err(e) => return fail(exit::USAGE, e),
            };
            let mut c = connected!(&client);
            let req = pb::BackfillScheduleRequest {
                schedule_id: id,
                start_time: Some(time(from)),
                end_time: Some(time(to)),
                overlap,
            };
            match c.schedules.backfill_schedule(req).await {
                Ok(r) if client.json() => print_proto_json("orchestrator.v1.BackfillScheduleResponse", &r.into_inner()),
                Ok(r) => {
                    let fires = r.into_inner().fires;
                    for f in &fires {
                        println!("{}", fire_line(f));
                    }
                    println!("{} fire times backfilled", fires.len());
                    exit::OK
                }
                Err(s) => rpc_fail(&s),
            }
        }
        ScheduleCommand::Delete { id, client } => {
            let mut c = connected!(&client);
            match c.schedules.delete_schedule(pb::DeleteScheduleRequest { schedule_id: id.clone() }).await {
                Ok(_) => {
                    println!("deleted {id}");
                    exit::OK
                }
                Err(s) => rpc_fail(&s),
            }
        }
    }
}
