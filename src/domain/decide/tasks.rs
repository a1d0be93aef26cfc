//! Decisions about one task: what a failed attempt leads to, what a
//! finished task releases, and what its dependencies' outputs make of a
//! task that waited for them.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::Effect;
use crate::domain::{
    AggregateMode, AttemptStatus, EventKind, Micros, RetriesExhausted, RetryPolicy, TaskKind, TaskSpec, TaskStatus,
};

/// What is known of a task whose attempt just failed.
#[derive(Debug, Clone)]
pub struct FailedAttempt<'a> {
    pub task_id: &'a str,
    /// The task's status now (RUNNING or VERIFYING, unless something ended it meanwhile).
    pub status: TaskStatus,
    /// The number of the attempt that failed, and how many the task may have.
    pub attempt: i32,
    pub attempt_limit: i32,
    pub retryable: bool,
    pub error: &'a str,
    pub optional: bool,
    /// The retry policy in force for the task.
    pub policy: &'a RetryPolicy,
    /// Whether the task's run has ended.
    pub run_ended: bool,
    /// A number in [0, 1) for the backoff's jitter.
    pub unit_random: f64,
}

/// Retry after a backoff, or fail the task; a failure that exhausted a
/// required task's attempts pauses the run when its policy says so, and
/// otherwise goes on as any finished task does. A task already terminal
/// (its run ended meanwhile) is left alone.
pub fn after_failed_attempt(f: &FailedAttempt<'_>) -> Vec<Effect> {
    if f.status.is_terminal() {
        return Vec::new();
    }
    if f.retryable && f.attempt < f.attempt_limit {
        let backoff_ms = f.policy.backoff_ms(f.attempt.max(0) as u32, f.unit_random);
        return vec![Effect::ScheduleRetry { error: f.error.to_string(), backoff_ms }];
    }
    let why = if f.retryable { "retries exhausted" } else { "failed with a non-retryable error" };
    let mut effects = vec![Effect::FailTask { error: f.error.to_string(), why: why.to_string() }];
    if f.policy.on_exhausted == RetriesExhausted::Pause && !f.optional {
        if !f.run_ended {
            let reason = format!(
                "task {:?} {why}: {}; paused for a person to look (RetryTask or ResumeRun)",
                f.task_id, f.error
            );
            effects.push(Effect::PauseRun { why: reason.clone(), failure_reason: reason });
        }
    } else {
        effects.push(Effect::Finished);
    }
    effects
}

/// What is known of a task that just reached a terminal status.
#[derive(Debug, Clone)]
pub struct FinishedTask<'a> {
    pub task_id: &'a str,
    pub status: TaskStatus,
    pub optional: bool,
    /// Its error, when it failed.
    pub error: Option<&'a str>,
    /// Whether its run has ended.
    pub run_ended: bool,
    /// What its run's revisions so far say to a required failure.
    pub revisions: Revisions<'a>,
}

/// A run's revisions of its plan, as a required failure needs to know them
/// (all empty for a run that neither replans nor ever revised).
#[derive(Debug, Clone, Copy, Default)]
pub struct Revisions<'a> {
    /// Its policy says `replan` and it has revisions left.
    pub policy_allows: bool,
    /// The failed task whose revision it awaits already.
    pub awaiting: Option<&'a str>,
    /// Revisions so far.
    pub replans: i32,
    /// The last revision's tasks.
    pub last: Option<&'a str>,
}

/// Whether a task that ended in `status` lets its dependents go on: it
/// succeeded, or it was optional and ended otherwise.
pub fn releases_dependents(status: TaskStatus, optional: bool) -> bool {
    status == TaskStatus::Succeeded
        || (optional && matches!(status, TaskStatus::Failed | TaskStatus::Skipped | TaskStatus::Cancelled))
}

/// A finished task releases its dependents (when it succeeded or was
/// optional), fails its run (a required task that failed), and the run ends
/// when nothing is left open. Nothing follows in a run that has ended.
pub fn after_finished(t: &FinishedTask<'_>) -> Vec<Effect> {
    if t.run_ended {
        return Vec::new();
    }
    if releases_dependents(t.status, t.optional) {
        return vec![Effect::ReleaseDependents, Effect::FinishIfDone];
    }
    if t.status == TaskStatus::Failed {
        let mut reason = format!("task {:?} failed: {}", t.task_id, t.error.unwrap_or_default());
        let r = &t.revisions;
        match r.awaiting {
            None if r.policy_allows => return vec![Effect::AwaitReplan { task_id: t.task_id.to_string(), reason }],
            // One revision at a time: a second failure meanwhile fails the run.
            Some(other) if r.policy_allows => {
                reason = format!("{reason}; it failed while the plan was being revised after task {other:?} failed")
            }
            _ if r.replans > 0 => {
                let times = if r.replans == 1 { "1 time".to_string() } else { format!("{} times", r.replans) };
                reason = format!(
                    "{reason}; the plan was revised {times} (max_replans); the last revision: {}",
                    r.last.unwrap_or_default()
                )
            }
            _ => {}
        }
        return vec![Effect::FailRun { reason, skip_downstream_of: Some(t.task_id.to_string()) }];
    }
    // A required task skipped (its condition did not hold): what depends on
    // it can never run. One cancelled, or skipped while its run was closing,
    // had its dependents closed with it; the run may be over.
    if t.status == TaskStatus::Skipped {
        return vec![Effect::SkipDependents, Effect::FinishIfDone];
    }
    vec![Effect::FinishIfDone]
}

/// What a task whose dependencies are all done becomes: READY (or
/// WAITING_APPROVAL) with their outputs as its inputs, or, for an aggregate
/// that needs no agent, SUCCEEDED with its output computed on the spot.
/// Inputs (all the outputs together) and a computed output obey the output
/// limit like every stored output: otherwise a plan of aggregates over
/// aggregates doubles its data at each level. `deps` are (dependency id,
/// its output as stored); a stored output that is not JSON is an error.
pub fn readiness(
    spec: &TaskSpec,
    deps: &[(String, Option<String>)],
    max_output_bytes: usize,
    run_ended: bool,
) -> serde_json::Result<Vec<Effect>> {
    // The rows a caller holds were read before its run ended (a task failed at
    // a limit on its way to READY, failing the run): nothing more is readied.
    if run_ended {
        return Ok(Vec::new());
    }
    let limit = max_output_bytes;
    let inputs_bytes: usize = deps.iter().filter_map(|(_, o)| o.as_ref()).map(|o| o.len() + 8).sum();
    if inputs_bytes > limit {
        let why = format!(
            "its inputs (its dependencies' outputs together) are about {inputs_bytes} bytes, more than the limit of {limit} bytes"
        );
        return Ok(fail_unstarted(why));
    }
    let by_id: HashMap<&str, &str> = deps.iter().filter_map(|(d, o)| Some((d.as_str(), o.as_deref()?))).collect();
    let mut inputs = Map::new();
    for d in &spec.depends_on {
        if let Some(out) = by_id.get(d.as_str()) {
            inputs.insert(d.clone(), serde_json::from_str(out)?);
        }
    }
    if let Some(condition) = &spec.when {
        let doc = Value::Object(std::mem::take(&mut inputs));
        if let Err(why) = condition.check(&doc) {
            return Ok(vec![Effect::SkipTask { why: format!("skipped: {why}") }, Effect::Finished]);
        }
        if let Value::Object(m) = doc {
            inputs = m;
        }
    }
    if spec.kind == TaskKind::Aggregate && spec.aggregate != AggregateMode::LlmSummary {
        let output_json = aggregate(spec, &inputs).to_string();
        if output_json.len() > limit {
            let why =
                format!("its aggregated output is {} bytes, more than the limit of {limit} bytes", output_json.len());
            return Ok(fail_unstarted(why));
        }
        let inputs_json = Value::Object(inputs).to_string();
        return Ok(vec![Effect::Aggregated { inputs_json, output_json }, Effect::Finished]);
    }
    let to = if spec.requires_approval { TaskStatus::WaitingApproval } else { TaskStatus::Ready };
    Ok(vec![Effect::Ready { to, inputs_json: Value::Object(inputs).to_string() }])
}

/// A task that cannot start fails with the reason as its error, and goes on
/// as after any failure.
fn fail_unstarted(why: String) -> Vec<Effect> {
    vec![Effect::FailTask { error: why.clone(), why }, Effect::Finished]
}

/// An aggregate's output from its inputs: a list in `depends_on` order, or
/// objects merged key by key (a value that is not an object goes in under
/// `value<N>`).
pub fn aggregate(spec: &TaskSpec, inputs: &Map<String, Value>) -> Value {
    let ordered = spec.depends_on.iter().filter_map(|d| inputs.get(d).cloned());
    match spec.aggregate {
        AggregateMode::JsonMerge => {
            let mut merged = Map::new();
            for v in ordered {
                match v {
                    Value::Object(m) => merged.extend(m),
                    other => {
                        merged.insert(format!("value{}", merged.len()), other);
                    }
                }
            }
            Value::Object(merged)
        }
        _ => Value::Array(ordered.collect()),
    }
}

/// A task that depends on a skipped required task, as the skip sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dependent<'a> {
    pub task_id: &'a str,
    pub status: TaskStatus,
    pub optional: bool,
}

/// A task that a required task's skip closes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedDownstream {
    pub task_id: String,
    /// The skipped task it depended on (its reason names it).
    pub because_of: String,
    /// It is optional: skipped, it releases its own dependents (which run without its output).
    pub releases: bool,
    /// It is required: its own dependents are closed in turn.
    pub closes_its_dependents: bool,
}

/// What the skip of required task `parent` does to the tasks depending on
/// it: each one still PENDING can never run and is skipped too; a required
/// one closes its own dependents in turn, an optional one releases them
/// instead, as any skipped optional task does. (The store walks the graph
/// downstream, one skipped required task at a time; a task is skipped once,
/// since a skipped task is no longer PENDING.)
pub fn closed_by_skip(parent: &str, dependents: &[Dependent<'_>]) -> Vec<SkippedDownstream> {
    dependents
        .iter()
        .filter(|d| d.status == TaskStatus::Pending)
        .map(|d| SkippedDownstream {
            task_id: d.task_id.to_string(),
            because_of: parent.to_string(),
            releases: releases_dependents(TaskStatus::Skipped, d.optional),
            closes_its_dependents: !d.optional,
        })
        .collect()
}

/// How an attempt whose lease ran out ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpiredAttempt {
    /// FAILED when it ran into its deadline (a timeout is the attempt's
    /// failure), LOST when its agent stopped heartbeating before that.
    pub status: AttemptStatus,
    pub kind: EventKind,
    /// Its error, and what its failed attempt's decision is told.
    pub why: String,
    /// Its event's message.
    pub message: String,
    pub timed_out: bool,
}

/// How attempt `number` ends when its lease has run out. By the lease, not
/// the clock: a lease that ran out before the deadline is a lost agent, even
/// when the reconciler looks only later.
pub fn expired_attempt(
    number: i32,
    started_at: Micros,
    lease_expires_at: Micros,
    deadline_at: Micros,
) -> ExpiredAttempt {
    let timed_out = lease_expires_at >= deadline_at;
    let (status, kind, verb, why) = if timed_out {
        let why = format!("attempt timed out after {} ms", deadline_at.saturating_sub(started_at) / 1000);
        (AttemptStatus::Failed, EventKind::AttemptFailed, "failed", why)
    } else {
        let why = "lease expired: the agent stopped heartbeating".to_string();
        (AttemptStatus::Lost, EventKind::AttemptLost, "lost", why)
    };
    ExpiredAttempt { status, kind, message: format!("attempt {number} {verb}: {why}"), why, timed_out }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn policy(on_exhausted: RetriesExhausted) -> RetryPolicy {
        RetryPolicy { jitter: Some(0.0), on_exhausted, ..RetryPolicy::default() }
    }

    fn failed<'a>(p: &'a RetryPolicy, attempt: i32, retryable: bool) -> FailedAttempt<'a> {
        FailedAttempt {
            task_id: "t",
            status: TaskStatus::Running,
            attempt,
            attempt_limit: 3,
            retryable,
            error: "boom",
            optional: false,
            policy: p,
            run_ended: false,
            unit_random: 0.5,
        }
    }

    #[test]
    fn a_retryable_failure_with_attempts_left_waits_out_the_policys_backoff() {
        let p = policy(RetriesExhausted::Fail);
        assert_eq!(
            after_failed_attempt(&failed(&p, 1, true)),
            vec![Effect::ScheduleRetry { error: "boom".into(), backoff_ms: 1_000 }]
        );
        assert_eq!(
            after_failed_attempt(&failed(&p, 2, true)),
            vec![Effect::ScheduleRetry { error: "boom".into(), backoff_ms: 2_000 }]
        );
    }

    #[test]
    fn the_last_attempt_or_a_non_retryable_error_fails_the_task_and_goes_on() {
        let p = policy(RetriesExhausted::Fail);
        assert_eq!(
            after_failed_attempt(&failed(&p, 3, true)),
            vec![Effect::FailTask { error: "boom".into(), why: "retries exhausted".into() }, Effect::Finished]
        );
        assert_eq!(
            after_failed_attempt(&failed(&p, 1, false)),
            vec![
                Effect::FailTask { error: "boom".into(), why: "failed with a non-retryable error".into() },
                Effect::Finished
            ]
        );
    }

    #[test]
    fn exhausted_retries_pause_the_run_for_a_required_task_when_the_policy_says_so() {
        let p = policy(RetriesExhausted::Pause);
        let effects = after_failed_attempt(&failed(&p, 3, true));
        assert!(matches!(&effects[0], Effect::FailTask { .. }));
        let Effect::PauseRun { why, failure_reason } = &effects[1] else { panic!("{effects:?}") };
        assert_eq!(why, failure_reason);
        assert!(why.contains("task \"t\" retries exhausted: boom"), "{why}");
        assert_eq!(effects.len(), 2, "a paused run's failed task releases nothing: {effects:?}");
        // An optional task's failure never pauses anything: it goes on as finished.
        let optional = FailedAttempt { optional: true, ..failed(&p, 3, true) };
        assert_eq!(after_failed_attempt(&optional)[1], Effect::Finished);
        // A run that ended meanwhile is not paused.
        let ended = FailedAttempt { run_ended: true, ..failed(&p, 3, true) };
        assert_eq!(after_failed_attempt(&ended).len(), 1);
    }

    #[test]
    fn a_task_already_ended_is_left_alone() {
        let p = policy(RetriesExhausted::Fail);
        for status in [TaskStatus::Cancelled, TaskStatus::Skipped, TaskStatus::Failed, TaskStatus::Succeeded] {
            assert!(after_failed_attempt(&FailedAttempt { status, ..failed(&p, 1, true) }).is_empty());
        }
    }

    fn finished(status: TaskStatus, optional: bool) -> FinishedTask<'static> {
        FinishedTask {
            task_id: "t",
            status,
            optional,
            error: Some("bad"),
            run_ended: false,
            revisions: Revisions::default(),
        }
    }

    #[test]
    fn a_required_failure_under_replan_awaits_a_revision_and_says_so_when_revisions_ran_out() {
        let allows = Revisions { policy_allows: true, ..Revisions::default() };
        let replan = FinishedTask { revisions: allows, ..finished(TaskStatus::Failed, false) };
        assert_eq!(
            after_finished(&replan),
            vec![Effect::AwaitReplan { task_id: "t".into(), reason: "task \"t\" failed: bad".into() }]
        );
        // An optional task's failure is no reason to revise anything.
        let optional = FinishedTask { revisions: allows, ..finished(TaskStatus::Failed, true) };
        assert_eq!(after_finished(&optional), vec![Effect::ReleaseDependents, Effect::FinishIfDone]);
        let fails_with = |revisions: Revisions<'_>| {
            let effects = after_finished(&FinishedTask { revisions, ..finished(TaskStatus::Failed, false) });
            let [Effect::FailRun { reason, .. }] = effects.as_slice() else { panic!("fails: {effects:?}") };
            reason.clone()
        };
        let spent = Revisions { replans: 2, last: Some("rev2.a \"A\""), ..Revisions::default() };
        assert_eq!(
            fails_with(spent),
            "task \"t\" failed: bad; the plan was revised 2 times (max_replans); the last revision: rev2.a \"A\""
        );
        let meanwhile = Revisions { awaiting: Some("b"), replans: 0, ..allows };
        assert_eq!(
            fails_with(meanwhile),
            "task \"t\" failed: bad; it failed while the plan was being revised after task \"b\" failed"
        );
    }

    #[test]
    fn a_success_or_an_optional_tasks_end_releases_its_dependents() {
        use TaskStatus::*;
        let release = vec![Effect::ReleaseDependents, Effect::FinishIfDone];
        assert_eq!(after_finished(&finished(Succeeded, false)), release);
        for s in [Failed, Skipped, Cancelled, Succeeded] {
            assert_eq!(after_finished(&finished(s, true)), release, "{s:?}");
        }
    }

    #[test]
    fn a_required_failure_fails_the_run_skipping_what_is_downstream() {
        assert_eq!(
            after_finished(&finished(TaskStatus::Failed, false)),
            vec![Effect::FailRun { reason: "task \"t\" failed: bad".into(), skip_downstream_of: Some("t".into()) }]
        );
        // A cancelled required task releases nothing; the run may be over. A
        // skipped one (its condition did not hold) closes what depends on it.
        assert_eq!(after_finished(&finished(TaskStatus::Cancelled, false)), vec![Effect::FinishIfDone]);
        assert_eq!(
            after_finished(&finished(TaskStatus::Skipped, false)),
            vec![Effect::SkipDependents, Effect::FinishIfDone]
        );
        // Nothing follows in an ended run.
        let ended = FinishedTask { run_ended: true, ..finished(TaskStatus::Failed, false) };
        assert!(after_finished(&ended).is_empty());
    }

    fn spec(id: &str, deps: &[&str]) -> TaskSpec {
        TaskSpec {
            id: id.into(),
            agent: "a".into(),
            depends_on: deps.iter().map(|d| d.to_string()).collect(),
            ..TaskSpec::default()
        }
    }

    fn outputs(pairs: &[(&str, Option<&str>)]) -> Vec<(String, Option<String>)> {
        pairs.iter().map(|(d, o)| (d.to_string(), o.map(str::to_string))).collect()
    }

    #[test]
    fn a_task_is_ready_with_its_dependencies_outputs_or_waits_for_its_approval() {
        let t = spec("c", &["a", "b"]);
        let deps = outputs(&[("b", Some("2")), ("a", Some("{\"x\":1}"))]);
        let effects = readiness(&t, &deps, 1_000, false).unwrap();
        let [Effect::Ready { to, inputs_json }] = effects.as_slice() else { panic!("{effects:?}") };
        assert_eq!(*to, TaskStatus::Ready);
        assert_eq!(serde_json::from_str::<Value>(inputs_json).unwrap(), json!({"a": {"x": 1}, "b": 2}));
        let gated = TaskSpec { requires_approval: true, ..t.clone() };
        let effects = readiness(&gated, &deps, 1_000, false).unwrap();
        assert!(matches!(effects.as_slice(), [Effect::Ready { to: TaskStatus::WaitingApproval, .. }]));
        // An optional dependency that failed has no output: the input is absent.
        let effects = readiness(&t, &outputs(&[("a", None), ("b", Some("2"))]), 1_000, false).unwrap();
        let [Effect::Ready { inputs_json, .. }] = effects.as_slice() else { panic!("{effects:?}") };
        assert_eq!(inputs_json, "{\"b\":2}");
        // A run that ended meanwhile readies nothing.
        assert!(readiness(&t, &deps, 1_000, true).unwrap().is_empty());
    }

    #[test]
    fn inputs_over_the_output_limit_fail_the_task_before_it_starts() {
        let t = spec("c", &["a", "b"]);
        let big = "\"".to_string() + &"x".repeat(600) + "\"";
        let deps = outputs(&[("a", Some(&big)), ("b", Some(&big))]);
        let effects = readiness(&t, &deps, 1_000, false).unwrap();
        let [Effect::FailTask { error, why }, Effect::Finished] = effects.as_slice() else { panic!("{effects:?}") };
        assert_eq!(error, why);
        assert!(why.contains("more than the limit of 1000 bytes"), "{why}");
        assert!(readiness(&t, &deps, 2_000, false).is_ok_and(|e| matches!(e[0], Effect::Ready { .. })));
    }

    #[test]
    fn an_aggregate_succeeds_on_the_spot_within_the_limit() {
        let concat = TaskSpec { kind: TaskKind::Aggregate, ..spec("j", &["a", "b"]) };
        let deps = outputs(&[("a", Some("[1]")), ("b", Some("{\"k\":2}"))]);
        let effects = readiness(&concat, &deps, 1_000, false).unwrap();
        let [Effect::Aggregated { output_json, .. }, Effect::Finished] = effects.as_slice() else {
            panic!("{effects:?}")
        };
        assert_eq!(output_json, "[[1],{\"k\":2}]");
        let merge = TaskSpec { aggregate: AggregateMode::JsonMerge, ..concat.clone() };
        let effects = readiness(&merge, &deps, 1_000, false).unwrap();
        let [Effect::Aggregated { output_json, .. }, _] = effects.as_slice() else { panic!("{effects:?}") };
        assert_eq!(serde_json::from_str::<Value>(output_json).unwrap(), json!({"value0": [1], "k": 2}));
        // An aggregate whose output breaks the limit fails though its inputs fit:
        // 40 strings merged as objects each get a `"valueN":` key.
        let many: Vec<String> = (0..40).map(|i| format!("d{i}")).collect();
        let wide = TaskSpec {
            kind: TaskKind::Aggregate,
            aggregate: AggregateMode::JsonMerge,
            depends_on: many.clone(),
            ..TaskSpec::default()
        };
        let deps: Vec<(String, Option<String>)> =
            many.iter().map(|d| (d.clone(), Some(format!("\"{}\"", "y".repeat(18))))).collect();
        let inputs_bytes = 40 * (20 + 8);
        let effects = readiness(&wide, &deps, inputs_bytes, false).unwrap();
        let [Effect::FailTask { why, .. }, Effect::Finished] = effects.as_slice() else { panic!("{effects:?}") };
        assert!(why.starts_with("its aggregated output is 1231 bytes"), "{why}");
        assert!(matches!(readiness(&wide, &deps, 1_231, false).unwrap()[0], Effect::Aggregated { .. }));
        // An LLM summary is an agent's work: it is made ready like any task.
        let summary = TaskSpec { aggregate: AggregateMode::LlmSummary, ..concat };
        assert!(matches!(readiness(&summary, &deps, 100_000, false).unwrap()[0], Effect::Ready { .. }));
    }

    #[test]
    fn a_stored_output_that_is_not_json_is_an_error_not_an_input() {
        let t = spec("c", &["a"]);
        assert!(readiness(&t, &outputs(&[("a", Some("{nope"))]), 1_000, false).is_err());
    }

    #[test]
    fn an_expired_lease_is_a_timeout_at_its_deadline_and_a_lost_agent_before_it() {
        let at_deadline = expired_attempt(2, 1_000_000, 31_000_000, 31_000_000);
        assert_eq!(
            at_deadline,
            ExpiredAttempt {
                status: AttemptStatus::Failed,
                kind: EventKind::AttemptFailed,
                why: "attempt timed out after 30000 ms".into(),
                message: "attempt 2 failed: attempt timed out after 30000 ms".into(),
                timed_out: true,
            }
        );
        let before = expired_attempt(1, 0, 5_000_000, 30_000_000);
        assert_eq!(
            (before.status, before.kind, before.timed_out),
            (AttemptStatus::Lost, EventKind::AttemptLost, false)
        );
        assert_eq!(before.message, "attempt 1 lost: lease expired: the agent stopped heartbeating");
    }

    #[test]
    fn a_task_whose_condition_does_not_hold_is_skipped_with_the_reason() {
        let when =
            |equals: Value| crate::domain::Condition { path: "$.a.label".into(), equals: Some(equals), negate: false };
        let t = TaskSpec { when: Some(when(json!("spam"))), ..spec("c", &["a"]) };
        let deps = outputs(&[("a", Some("{\"label\":\"ham\"}"))]);
        assert_eq!(
            readiness(&t, &deps, 1_000, false).unwrap(),
            vec![
                Effect::SkipTask {
                    why: "skipped: its condition does not hold: $.a.label is \"ham\", not \"spam\"".into()
                },
                Effect::Finished
            ]
        );
        // Holding, the task is ready with its inputs as they were; before an approval gate too.
        let t = TaskSpec { when: Some(when(json!("ham"))), requires_approval: true, ..t };
        let effects = readiness(&t, &deps, 1_000, false).unwrap();
        let [Effect::Ready { to: TaskStatus::WaitingApproval, inputs_json }] = effects.as_slice() else {
            panic!("{effects:?}")
        };
        assert_eq!(inputs_json, "{\"a\":{\"label\":\"ham\"}}");
    }

    #[test]
    fn a_required_skip_closes_its_pending_dependents_and_an_optional_one_releases() {
        let d = |task_id, status, optional| Dependent { task_id, status, optional };
        let closed = closed_by_skip(
            "root",
            &[d("a", TaskStatus::Pending, false), d("b", TaskStatus::Pending, true), d("c", TaskStatus::Ready, false)],
        );
        let got: Vec<(&str, &str, bool, bool)> = closed
            .iter()
            .map(|s| (s.task_id.as_str(), s.because_of.as_str(), s.releases, s.closes_its_dependents))
            .collect();
        // A task no longer PENDING (ready through another path, or skipped already) is left alone.
        assert_eq!(got, vec![("a", "root", false, true), ("b", "root", true, false)]);
    }
}
