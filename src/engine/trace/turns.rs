//! The turn spans of attempts that took more than one turn (ContinueTask):
//! one `turn` span per turn under the attempt's span, from the turn's start
//! (the attempt's claim for the first, its `attempt.turn_started` event for
//! the others) to its end (its `attempt.continued` event, or the attempt's
//! end for the last). A later turn's assignment names its turn span as the
//! parent of the agent's own spans. An attempt of one turn has no turn span:
//! its attempt span says it all.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::{data, span};
use crate::domain::{AttemptStatus, EventKind, Micros};
use crate::store::{self, SpanRow, TraceParts};

/// How a turn ended, from its events.
#[derive(Default)]
struct Turn {
    start: Option<Micros>,
    /// Its `attempt.continued` event: when, the checkpoint's size and the delay.
    continued: Option<(Micros, i64, i64)>,
}

pub(super) fn turn_spans(parts: &TraceParts) -> Vec<SpanRow> {
    // (task, attempt) → turn number → what its events say.
    let mut turns: HashMap<(&str, i32), HashMap<i64, Turn>> = HashMap::new();
    for e in &parts.events {
        let (Some(task), Some(n)) = (e.task_id.as_deref(), e.attempt) else { continue };
        let continued = e.kind == EventKind::AttemptContinued.as_str();
        if !continued && e.kind != EventKind::TurnStarted.as_str() {
            continue;
        }
        let d = data(e);
        let Some(turn) = d.get("turn").and_then(Value::as_i64) else { continue };
        let entry = turns.entry((task, n)).or_default().entry(turn).or_default();
        if continued {
            let bytes = d.get("checkpoint_bytes").and_then(Value::as_i64).unwrap_or(0);
            let delay = d.get("delay_ms").and_then(Value::as_i64).unwrap_or(0);
            entry.continued = Some((e.created_at, bytes, delay));
        } else {
            entry.start = Some(e.created_at);
        }
    }
    let mut out = Vec::new();
    for at in &parts.attempts {
        let (task, n) = (at.task_id.as_str(), &at.attempt);
        let Some(mine) = turns.get(&(task, n.number)) else { continue };
        let last = mine.keys().copied().max().unwrap_or(1).max(i64::from(n.turn));
        for k in 1..=last {
            let t = mine.get(&k);
            let start = match k {
                1 => Some(n.started_at),
                _ => t.and_then(|t| t.start),
            };
            // A turn whose start is not on record (its events pruned) has no span.
            let Some(start) = start else { continue };
            let id = store::turn_span_id(&at.span_id, k as i32);
            let mut s = span(parts, id, at.span_id.clone(), "turn", start);
            let mut a = Map::new();
            a.insert("orchestrator.task.id".into(), task.into());
            a.insert("orchestrator.attempt.number".into(), n.number.into());
            a.insert("orchestrator.turn.number".into(), k.into());
            match t.and_then(|t| t.continued) {
                Some((end, bytes, delay)) => {
                    s.end_time = Some(end.max(start));
                    s.status_code = "ok".into();
                    a.insert("orchestrator.turn.outcome".into(), "continued".into());
                    a.insert("orchestrator.turn.checkpoint_bytes".into(), bytes.into());
                    a.insert("orchestrator.turn.delay_ms".into(), delay.into());
                }
                // The last turn ends with its attempt.
                None if k == last => {
                    if let Some(end) = n.finished_at {
                        s.end_time = Some(end.max(start));
                        let ok = n.status == AttemptStatus::Succeeded;
                        s.status_code = if ok { "ok" } else { "error" }.into();
                        s.status_message = if ok { String::new() } else { n.error.clone().unwrap_or_default() };
                        a.insert("orchestrator.turn.outcome".into(), n.status.as_str().into());
                    }
                }
                None => {}
            }
            s.attributes_json = Value::Object(a).to_string();
            out.push(s);
        }
    }
    out
}
