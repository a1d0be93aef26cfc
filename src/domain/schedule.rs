//! Schedules: when a schedule fires, and what a fire does while a run it
//! started is still going. Plain arithmetic on microseconds since the epoch
//! and a parsed cron expression; nothing here reads a clock, so every rule
//! is tested with fixed dates.
//!
//! Fire times are *nominal*: the instants the spec names (a cron match, a
//! multiple of the interval). A fire is due at its nominal time plus its
//! jitter, a delay derived from the schedule and the time alone, so every
//! replica computes the same one.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Tz;
use croner::parser::{CronParser, Seconds};
use croner::Cron;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::{Micros, Violation};

/// A cron expression's longest text.
pub const MAX_CRON_LEN: usize = 256;
/// The shortest and longest interval.
pub const MIN_INTERVAL_MS: u64 = 1_000;
pub const MAX_INTERVAL_MS: u64 = 366 * 24 * 3_600_000;
/// The longest jitter.
pub const MAX_JITTER_MS: u64 = 3_600_000;
/// The catch-up window's bounds and default.
pub const MIN_CATCHUP_MS: u64 = 10_000;
pub const MAX_CATCHUP_MS: u64 = 366 * 24 * 3_600_000;
pub const DEFAULT_CATCHUP_MS: u64 = 5 * 60_000;
/// A note's longest text.
pub const MAX_NOTE_LEN: usize = 1024;
/// The most fire times one backfill fires.
pub const MAX_BACKFILL: usize = 1000;

const MICROS_PER_MS: i64 = 1_000;

/// When a schedule fires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// A cron expression (seconds optional), read in the spec's time zone.
    Cron(String),
    /// Every this many milliseconds, at its multiples since the epoch.
    IntervalMs(u64),
}

/// What a fire does while a run the schedule started is still going.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Overlap {
    #[default]
    Skip,
    BufferOne,
    CancelPrevious,
    AllowAll,
}

/// A schedule as it is stored: when, what, and how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScheduleSpec {
    pub trigger: Trigger,
    /// An IANA name; empty: UTC.
    #[serde(default)]
    pub time_zone: String,
    #[serde(default)]
    pub jitter_ms: u64,
    pub recipe: String,
    /// None: the latest at each fire.
    #[serde(default)]
    pub recipe_version: Option<u32>,
    #[serde(default)]
    pub params: Map<String, Value>,
    #[serde(default)]
    pub overlap: Overlap,
    pub catchup_window_ms: u64,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
}

/// A spec whose trigger parsed: the arithmetic of its fire times.
#[derive(Debug, Clone)]
pub struct Clock {
    kind: ClockKind,
    jitter_ms: u64,
}

#[derive(Debug, Clone)]
enum ClockKind {
    Cron(Box<Cron>, Tz),
    Interval(i64),
}

fn parse_cron(text: &str) -> Result<Cron, String> {
    if text.len() > MAX_CRON_LEN {
        return Err(format!("longer than {MAX_CRON_LEN} bytes"));
    }
    CronParser::builder().seconds(Seconds::Optional).build().parse(text).map_err(|e| e.to_string())
}

fn parse_zone(name: &str) -> Result<Tz, String> {
    if name.is_empty() {
        return Ok(Tz::UTC);
    }
    if name.len() > 64 {
        return Err("longer than 64 bytes".into());
    }
    name.parse::<Tz>().map_err(|_| format!("{name:?} is not an IANA time zone (such as \"Europe/Paris\")"))
}

impl Clock {
    /// The clock of a spec, or what is wrong with its trigger, zone or jitter.
    pub fn of(spec: &ScheduleSpec) -> Result<Clock, Vec<Violation>> {
        let mut v = Vec::new();
        let zone = parse_zone(&spec.time_zone).map_err(|e| v.push(Violation::new("spec.time_zone", e))).ok();
        let kind = match &spec.trigger {
            Trigger::Cron(text) => match (parse_cron(text), zone) {
                (Ok(c), Some(z)) => Some(ClockKind::Cron(Box::new(c), z)),
                (Err(e), _) => {
                    v.push(Violation::new("spec.cron", e));
                    None
                }
                _ => None,
            },
            Trigger::IntervalMs(ms) => {
                if *ms < MIN_INTERVAL_MS || *ms > MAX_INTERVAL_MS || ms % 1000 != 0 {
                    v.push(Violation::new("spec.interval", "whole seconds, from 1 s to 366 days"));
                }
                if !spec.time_zone.is_empty() {
                    v.push(Violation::new("spec.time_zone", "an interval is the same in every zone: leave it empty"));
                }
                Some(ClockKind::Interval(*ms as i64 * MICROS_PER_MS))
            }
        };
        if spec.jitter_ms > MAX_JITTER_MS {
            v.push(Violation::new("spec.jitter", "at most 1 h"));
        }
        if let Trigger::IntervalMs(ms) = spec.trigger {
            if spec.jitter_ms > 0 && spec.jitter_ms >= ms {
                v.push(Violation::new("spec.jitter", "less than the interval"));
            }
        }
        match kind {
            Some(kind) if v.is_empty() => Ok(Clock { kind, jitter_ms: spec.jitter_ms }),
            _ => Err(v),
        }
    }

    /// The first nominal fire time strictly after `t`; None when there is
    /// none (a cron expression that matches no date before year 5000).
    pub fn next_after(&self, t: Micros) -> Option<Micros> {
        match &self.kind {
            ClockKind::Interval(every) => Some((t.div_euclid(*every) + 1) * every),
            ClockKind::Cron(cron, zone) => {
                // croner works in whole seconds: start from the second `t` is in.
                let secs = t.div_euclid(1_000_000);
                let start: DateTime<Tz> =
                    zone.from_utc_datetime(&DateTime::<Utc>::from_timestamp(secs, 0)?.naive_utc());
                let next = cron.find_next_occurrence(&start, false).ok()?;
                Some(next.timestamp() * 1_000_000)
            }
        }
    }

    /// The first nominal fire time at or after `t`.
    pub fn next_at_or_after(&self, t: Micros) -> Option<Micros> {
        self.next_after(t - 1)
    }

    /// The next `n` nominal fire times after `t`.
    pub fn upcoming(&self, t: Micros, n: usize) -> Vec<Micros> {
        let mut out = Vec::with_capacity(n);
        let mut at = t;
        while out.len() < n {
            match self.next_after(at) {
                Some(next) => {
                    out.push(next);
                    at = next;
                }
                None => break,
            }
        }
        out
    }

    /// The jitter of a fire time (microseconds, below the spec's jitter):
    /// the same on every replica.
    pub fn jitter(&self, schedule_key: &str, nominal: Micros) -> Micros {
        if self.jitter_ms == 0 {
            return 0;
        }
        let digest = Sha256::new().chain_update(schedule_key.as_bytes()).chain_update(nominal.to_be_bytes()).finalize();
        let mut word = [0u8; 8];
        word.copy_from_slice(&digest[..8]);
        (u64::from_be_bytes(word) % (self.jitter_ms * 1000)) as Micros
    }

    /// The fire times in [from, to), oldest first, at most `max` (and
    /// whether there were more).
    pub fn between(&self, from: Micros, to: Micros, max: usize) -> (Vec<Micros>, bool) {
        let mut out = Vec::new();
        let mut at = self.next_at_or_after(from);
        while let Some(t) = at.filter(|t| *t < to) {
            if out.len() == max {
                return (out, true);
            }
            out.push(t);
            at = self.next_after(t);
        }
        (out, false)
    }
}

/// What a pass of the scheduler does with a schedule whose next fire time
/// is `next`, at `now`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Due {
    /// Nothing yet.
    NotYet,
    /// Fire `next` (it is due and within the catch-up window); then the
    /// schedule's next fire time is `then`.
    Fire { then: Option<Micros> },
    /// `next` and the fire times after it up to the window are older than
    /// the catch-up window: move to `to` (the first within it), recording
    /// `missed` fire times (at least 1; a cron schedule counts at most 10,000).
    Missed { to: Option<Micros>, missed: u64 },
}

/// Decides what to do with a schedule's next fire time at `now`.
pub fn due(clock: &Clock, key: &str, next: Micros, now: Micros, catchup_window_ms: u64) -> Due {
    let oldest = now - catchup_window_ms as i64 * MICROS_PER_MS;
    if next < oldest {
        let to = clock.next_at_or_after(oldest);
        let missed = match clock.kind {
            ClockKind::Interval(every) => ((to.unwrap_or(oldest) - next) / every).max(1) as u64,
            ClockKind::Cron(..) => {
                let (times, _) = clock.between(next, to.unwrap_or(oldest), 10_000);
                times.len().max(1) as u64
            }
        };
        return Due::Missed { to, missed };
    }
    if next + clock.jitter(key, next) <= now {
        Due::Fire { then: clock.next_after(next) }
    } else {
        Due::NotYet
    }
}

/// What one fire does, given the runs the schedule started that are still
/// going and whether a fire already waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FireDecision {
    Start,
    Skip,
    Buffer,
    /// Cancel the running runs, then start.
    CancelThenStart,
}

/// The overlap policy applied.
pub fn decide(overlap: Overlap, running: usize, buffered: bool) -> FireDecision {
    if running == 0 {
        return FireDecision::Start;
    }
    match overlap {
        Overlap::Skip => FireDecision::Skip,
        Overlap::BufferOne if buffered => FireDecision::Skip,
        Overlap::BufferOne => FireDecision::Buffer,
        Overlap::CancelPrevious => FireDecision::CancelThenStart,
        Overlap::AllowAll => FireDecision::Start,
    }
}

/// What started a fire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FireKind {
    Scheduled,
    Triggered,
    Backfill,
}

impl FireKind {
    /// Its stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            FireKind::Scheduled => "scheduled",
            FireKind::Triggered => "triggered",
            FireKind::Backfill => "backfill",
        }
    }

    /// From its stored name.
    pub fn parse(s: &str) -> Option<FireKind> {
        [FireKind::Scheduled, FireKind::Triggered, FireKind::Backfill].into_iter().find(|k| k.as_str() == s)
    }
}

/// How a fire ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FireOutcome {
    Started,
    Skipped,
    Buffered,
    Failed,
}

impl FireOutcome {
    /// Its stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            FireOutcome::Started => "started",
            FireOutcome::Skipped => "skipped",
            FireOutcome::Buffered => "buffered",
            FireOutcome::Failed => "failed",
        }
    }

    /// From its stored name.
    pub fn parse(s: &str) -> Option<FireOutcome> {
        [FireOutcome::Started, FireOutcome::Skipped, FireOutcome::Buffered, FireOutcome::Failed]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// One fire of a schedule, as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FireRecord {
    /// The time it was for (a trigger: when it was called).
    pub nominal: Micros,
    pub kind: Option<FireKind>,
    pub outcome: Option<FireOutcome>,
    pub run_id: Option<String>,
    pub detail: String,
    pub recorded_at: Micros,
}

/// A fire's key within its schedule: what makes it once. A scheduled fire
/// and a backfill of the same time are two fires; a trigger is keyed by its
/// request id.
pub fn fire_key(kind: FireKind, nominal: Micros, request_id: Option<&str>) -> String {
    match (kind, request_id) {
        (FireKind::Triggered, Some(r)) => format!("triggered:{r}"),
        _ => format!("{}:{nominal}", kind.as_str()),
    }
}

/// Schedules one workspace may have.
pub const MAX_PER_WORKSPACE: usize = 1000;

/// What every scheduled run's request id starts with; CreateRun refuses it
/// from a client (one could otherwise take a fire's run before it fires).
pub const RUN_REQUEST_PREFIX: &str = "schedule/";

/// The request id of a fire's run: a run per fire, whoever makes it.
pub fn run_request_id(schedule_id: &str, key: &str) -> String {
    // Hashed: a 128-byte id and a 128-byte trigger request id still make an
    // id within CreateRun's limit (73 bytes, whatever their lengths).
    let digest = Sha256::new().chain_update(schedule_id.as_bytes()).chain_update([0]).chain_update(key).finalize();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("{RUN_REQUEST_PREFIX}{hex}")
}

/// Everything wrong with a schedule (its id, its clock, its window, its note
/// and labels); the recipe and params are checked against the recipe by the engine.
pub fn validate(id: &str, spec: &ScheduleSpec, note: &str) -> Vec<Violation> {
    let mut v = Vec::new();
    if id.is_empty() {
        v.push(Violation::new("schedule_id", "required"));
    } else if !super::recipe::valid_name(id) {
        v.push(Violation::new("schedule_id", "letters, digits, '-', '_' and '.', at most 128 bytes"));
    }
    if spec.recipe.is_empty() {
        v.push(Violation::new("recipe", "required: the recipe each fire runs"));
    }
    if let Err(e) = Clock::of(spec) {
        v.extend(e);
    }
    if !(MIN_CATCHUP_MS..=MAX_CATCHUP_MS).contains(&spec.catchup_window_ms) {
        v.push(Violation::new("catchup_window", "from 10 s to 366 days"));
    } else if spec.jitter_ms > 0 && spec.jitter_ms * 2 > spec.catchup_window_ms {
        // A fire is due at its time plus its jitter, and missed once its time is older than the window.
        v.push(Violation::new("spec.jitter", "at most half the catch-up window (or every fire would be missed)"));
    }
    if note.len() > MAX_NOTE_LEN {
        v.push(Violation::new("note", format!("longer than {MAX_NOTE_LEN} bytes")));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Micros {
        DateTime::parse_from_rfc3339(s).expect("a date").timestamp_micros()
    }

    fn iso(t: Micros) -> String {
        DateTime::<Utc>::from_timestamp_micros(t).expect("a time").to_rfc3339()
    }

    fn spec(trigger: Trigger, zone: &str) -> ScheduleSpec {
        ScheduleSpec {
            trigger,
            time_zone: zone.into(),
            jitter_ms: 0,
            recipe: "r".into(),
            recipe_version: None,
            params: Map::new(),
            overlap: Overlap::Skip,
            catchup_window_ms: DEFAULT_CATCHUP_MS,
            labels: BTreeMap::new(),
        }
    }

    fn clock(trigger: Trigger, zone: &str) -> Clock {
        Clock::of(&spec(trigger, zone)).expect("a valid spec")
    }

    #[test]
    fn a_cron_in_a_zone_fires_at_local_time_across_the_dst_changes() {
        let c = clock(Trigger::Cron("30 2 * * *".into()), "Europe/Paris");
        // Winter: 02:30 CET is 01:30 UTC.
        assert_eq!(iso(c.next_after(at("2026-01-10T00:00:00Z")).unwrap()), "2026-01-10T01:30:00+00:00");
        // 29 March 2026: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist and fires right after the gap (03:00 CEST).
        assert_eq!(iso(c.next_after(at("2026-03-28T12:00:00Z")).unwrap()), "2026-03-29T01:00:00+00:00");
        // Summer: 02:30 CEST is 00:30 UTC.
        assert_eq!(iso(c.next_after(at("2026-03-29T12:00:00Z")).unwrap()), "2026-03-30T00:30:00+00:00");
        // 25 October 2026: 02:30 happens twice (CEST, then CET); it fires once, at the first.
        let first = c.next_after(at("2026-10-24T12:00:00Z")).unwrap();
        assert_eq!(iso(first), "2026-10-25T00:30:00+00:00");
        assert_eq!(iso(c.next_after(first).unwrap()), "2026-10-26T01:30:00+00:00");
    }

    #[test]
    fn a_cron_with_seconds_and_one_in_new_york() {
        let c = clock(Trigger::Cron("*/15 * * * * *".into()), "");
        assert_eq!(iso(c.next_after(at("2026-05-01T10:00:07Z")).unwrap()), "2026-05-01T10:00:15+00:00");
        let ny = clock(Trigger::Cron("0 9 * * MON-FRI".into()), "America/New_York");
        // US summer time ends on 1 November 2026: Friday 30 October 09:00 EDT is 13:00 UTC, Friday 6 November 09:00 EST is 14:00 UTC.
        assert_eq!(iso(ny.next_after(at("2026-11-06T00:00:00Z")).unwrap()), "2026-11-06T14:00:00+00:00");
        assert_eq!(iso(ny.next_after(at("2026-10-30T00:00:00Z")).unwrap()), "2026-10-30T13:00:00+00:00");
    }

    #[test]
    fn an_interval_is_on_its_multiples_since_the_epoch() {
        let c = clock(Trigger::IntervalMs(3_600_000), "");
        assert_eq!(iso(c.next_after(at("2026-05-01T10:20:00Z")).unwrap()), "2026-05-01T11:00:00+00:00");
        assert_eq!(iso(c.next_after(at("2026-05-01T11:00:00Z")).unwrap()), "2026-05-01T12:00:00+00:00");
        assert_eq!(iso(c.next_at_or_after(at("2026-05-01T11:00:00Z")).unwrap()), "2026-05-01T11:00:00+00:00");
        let (times, more) = c.between(at("2026-05-01T10:00:00Z"), at("2026-05-01T13:00:00Z"), 10);
        assert_eq!(times.iter().map(|t| iso(*t)).collect::<Vec<_>>().len(), 3);
        assert!(!more);
        let (times, more) = c.between(at("2026-05-01T00:00:00Z"), at("2026-06-01T00:00:00Z"), 5);
        assert_eq!((times.len(), more), (5, true));
    }

    #[test]
    fn jitter_is_below_its_bound_and_the_same_for_the_same_fire() {
        let mut s = spec(Trigger::IntervalMs(60_000), "");
        s.jitter_ms = 5_000;
        let c = Clock::of(&s).expect("valid");
        let t = at("2026-05-01T10:00:00Z");
        let j = c.jitter("ws/a", t);
        assert!((0..5_000_000).contains(&j));
        assert_eq!(j, c.jitter("ws/a", t));
        let spread: std::collections::BTreeSet<_> = (0..50).map(|i| c.jitter("ws/a", t + i * 60_000_000)).collect();
        assert!(spread.len() > 40, "jitter spreads fires: {spread:?}");
    }

    #[test]
    fn due_fires_within_the_window_and_misses_what_is_older() {
        let c = clock(Trigger::IntervalMs(1_000), "");
        let now = at("2026-05-01T10:00:20Z");
        // 5 s late with a 10 s window: fires, and the next follows.
        let next = at("2026-05-01T10:00:15Z");
        assert_eq!(due(&c, "k", next, now, 10_000), Due::Fire { then: Some(next + 1_000_000) });
        // 15 s late: the five outside the window are missed; the first within it is 10:00:10.
        let next = at("2026-05-01T10:00:05Z");
        assert_eq!(due(&c, "k", next, now, 10_000), Due::Missed { to: Some(at("2026-05-01T10:00:10Z")), missed: 5 });
        assert_eq!(due(&c, "k", now + 1, now, 10_000), Due::NotYet);
        // A cron schedule counts its missed times too.
        let cron = clock(Trigger::Cron("* * * * * *".into()), "");
        assert_eq!(
            due(&cron, "k", at("2026-05-01T10:00:05Z"), now, 10_000),
            Due::Missed { to: Some(at("2026-05-01T10:00:10Z")), missed: 5 }
        );
    }

    #[test]
    fn the_overlap_policies() {
        use FireDecision::*;
        for o in [Overlap::Skip, Overlap::BufferOne, Overlap::CancelPrevious, Overlap::AllowAll] {
            assert_eq!(decide(o, 0, false), Start);
        }
        assert_eq!(decide(Overlap::Skip, 1, false), Skip);
        assert_eq!(decide(Overlap::BufferOne, 1, false), Buffer);
        assert_eq!(decide(Overlap::BufferOne, 1, true), Skip);
        assert_eq!(decide(Overlap::CancelPrevious, 2, false), CancelThenStart);
        assert_eq!(decide(Overlap::AllowAll, 3, true), Start);
    }

    #[test]
    fn bad_specs_name_each_field() {
        let mut s = spec(Trigger::Cron("61 * * * *".into()), "Mars/Olympus");
        s.jitter_ms = 2 * MAX_JITTER_MS;
        s.catchup_window_ms = 1;
        s.recipe.clear();
        let fields: Vec<String> = validate("bad id!", &s, &"x".repeat(2000)).into_iter().map(|v| v.field).collect();
        for f in ["schedule_id", "recipe", "spec.time_zone", "spec.jitter", "catchup_window", "note"] {
            assert!(fields.iter().any(|x| x == f), "{f} in {fields:?}");
        }
        let s = spec(Trigger::Cron("x".repeat(300)), "");
        assert!(validate("ok", &s, "").iter().any(|v| v.field == "spec.cron"));
        let s = spec(Trigger::Cron("61 * * * *".into()), "");
        assert!(validate("ok", &s, "").iter().any(|v| v.field == "spec.cron"));
        for ms in [0, 500, 1_500, MAX_INTERVAL_MS + 1000] {
            let s = spec(Trigger::IntervalMs(ms), "");
            assert!(validate("ok", &s, "").iter().any(|v| v.field == "spec.interval"), "{ms}");
        }
        let mut s = spec(Trigger::IntervalMs(10_000), "");
        s.jitter_ms = 10_000;
        assert!(validate("ok", &s, "").iter().any(|v| v.field == "spec.jitter"));
        let mut s = spec(Trigger::Cron("@daily".into()), "");
        s.jitter_ms = 30 * 60_000;
        assert!(validate("ok", &s, "").iter().any(|v| v.field == "spec.jitter"), "a jitter past the window");
        assert!(run_request_id(&"x".repeat(128), &format!("triggered:{}", "r".repeat(128))).len() <= 128);
    }

    #[test]
    fn a_cron_that_never_matches_has_no_next_time() {
        // 30 February: croner gives up at its year limit; no fire time, not a hang.
        let c = clock(Trigger::Cron("0 0 30 2 *".into()), "");
        assert_eq!(c.next_after(at("2026-01-01T00:00:00Z")), None);
        assert!(c.upcoming(at("2026-01-01T00:00:00Z"), 5).is_empty());
    }
}
