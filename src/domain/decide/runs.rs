//! Decisions about a run: when it is over and what its output is, what its
//! failure does to its open tasks, and what a spent budget does.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::Effect;
use crate::domain::run::Exhausted;
use crate::domain::{BudgetPolicy, RunStatus, TaskStatus};

/// Whether a new run with these tasks starts in the transaction that creates
/// it, every root straight to READY: true when it has tasks and each task
/// without dependencies is one an agent does with no approval to wait for
/// (an aggregate root or an approval gate takes the general path).
pub fn starts_at_once(tasks: &[crate::domain::TaskSpec]) -> bool {
    !tasks.is_empty() && tasks.iter().filter(|t| t.depends_on.is_empty()).all(is_plain_root)
}

/// Whether a task is a plain root, ready as soon as its run starts: no
/// dependency, work an agent does, no approval to wait for.
pub fn is_plain_root(t: &crate::domain::TaskSpec) -> bool {
    t.depends_on.is_empty() && t.kind != crate::domain::TaskKind::Aggregate && !t.requires_approval
}

/// Whether a run with `open_tasks` not yet terminal is over. A paused run
/// stays paused with its work done; ResumeRun finishes it. A run waiting for
/// the planner's revision of its plan (`awaiting_revision`) is not over.
pub fn run_is_done(open_tasks: i32, status: RunStatus, awaiting_revision: bool) -> bool {
    open_tasks <= 0 && status == RunStatus::Executing && !awaiting_revision
}

/// What the end of a run needs of each of its tasks.
#[derive(Debug, Clone)]
pub struct EndedTask<'a> {
    pub task_id: &'a str,
    pub status: TaskStatus,
    pub optional: bool,
    pub error: Option<&'a str>,
    /// Its output as stored (JSON), if any.
    pub output_json: Option<&'a str>,
    /// A failed task a revision of the plan replaced (its failure no longer
    /// fails the run).
    pub revised: bool,
}

/// A run whose tasks are all terminal: it fails if a required task failed;
/// otherwise its output is its final tasks' (`sinks`): the one final task's
/// output itself, or an object of them by id. That output obeys the output
/// limit like every stored output (many final tasks' outputs together could
/// not be read back otherwise). A run with criteria of its own goes on to be
/// verified; one without is complete. `tasks` are in plan order.
pub fn run_end(
    tasks: &[EndedTask<'_>],
    sinks: &[&str],
    has_criteria: bool,
    max_output_bytes: usize,
) -> serde_json::Result<Vec<Effect>> {
    if let Some(failed) = tasks.iter().find(|t| t.status == TaskStatus::Failed && !t.optional && !t.revised) {
        let reason = format!("task {:?} failed: {}", failed.task_id, failed.error.unwrap_or_default());
        return Ok(vec![Effect::FailRun { reason, skip_downstream_of: None }]);
    }
    let output_of: HashMap<&str, &str> = tasks.iter().filter_map(|t| Some((t.task_id, t.output_json?))).collect();
    let outputs: Vec<(&str, &str)> = sinks.iter().filter_map(|s| Some((*s, *output_of.get(s)?))).collect();
    let bytes: usize = outputs.iter().map(|(_, o)| o.len()).sum();
    // One final task: its output itself. Several: an object of them, each under
    // its id (quotes, colon and comma).
    let total = if sinks.len() == 1 { bytes } else { 2 + sinks.iter().map(|s| s.len() + 4).sum::<usize>() + bytes };
    if total > max_output_bytes {
        let reason = format!(
            "the run's output (the outputs of its {} final tasks together) is {total} bytes, more than the limit of {max_output_bytes} bytes; aggregate them into one task",
            sinks.len()
        );
        return Ok(vec![Effect::FailRun { reason, skip_downstream_of: None }]);
    }
    let output = if sinks.len() == 1 {
        match outputs.first() {
            Some((_, o)) => serde_json::from_str(o)?,
            None => Value::Null,
        }
    } else {
        let mut by_sink = Map::new();
        for (s, o) in outputs {
            by_sink.insert(s.to_string(), serde_json::from_str(o)?);
        }
        Value::Object(by_sink)
    };
    let (to, why) = if has_criteria {
        (RunStatus::Verifying, "all tasks finished; checking the run's criteria")
    } else {
        (RunStatus::Completed, "all tasks finished")
    };
    Ok(vec![Effect::EndRun { output_json: output.to_string(), to, why }])
}

/// What a failing run does to one of its open tasks: a task downstream of
/// the failed one is SKIPPED, any other CANCELLED.
pub fn closing_status(downstream_of_failure: bool) -> (TaskStatus, &'static str) {
    if downstream_of_failure {
        (TaskStatus::Skipped, "an upstream task failed")
    } else {
        (TaskStatus::Cancelled, "the run failed")
    }
}

/// What [`budget`] decided: its effects, and whether the run may still be
/// given new work.
#[derive(Debug, Clone, PartialEq)]
pub struct BudgetDecision {
    pub effects: Vec<Effect>,
    pub may_dispatch: bool,
}

/// Whether a run in `status` has its budget checked: only a planning or
/// executing run (the check reads the run's spec: others skip it).
pub fn budget_is_checked(status: RunStatus) -> bool {
    matches!(status, RunStatus::Executing | RunStatus::Planning)
}

/// A run's budget against its policy: nothing while it lasts (or once the
/// run is degraded already); when it runs out (`spent`: the budget and the
/// run's exhaustion policy), the event and then the run fails, pauses for a
/// larger budget, or is degraded (its optional work skipped). Only a run
/// [`budget_is_checked`] is.
pub fn budget(status: RunStatus, spent: Option<(Exhausted, BudgetPolicy)>, degraded: bool) -> BudgetDecision {
    let go_on = |may_dispatch| BudgetDecision { effects: Vec::new(), may_dispatch };
    if !budget_is_checked(status) {
        return go_on(status == RunStatus::Executing);
    }
    let Some((exhausted, policy)) = spent else { return go_on(true) };
    if policy == BudgetPolicy::Degrade && degraded {
        return go_on(true);
    }
    let reason = exhausted.describe();
    let mut effects = vec![Effect::BudgetExhausted { exhausted, reason: reason.clone(), policy }];
    let may_dispatch = match policy {
        BudgetPolicy::Fail => {
            effects.push(Effect::FailRun { reason, skip_downstream_of: None });
            false
        }
        BudgetPolicy::Pause => {
            let failure_reason = format!("{reason}; ResumeRun with a larger budget to continue");
            effects.push(Effect::PauseRun { why: reason, failure_reason });
            false
        }
        BudgetPolicy::Degrade => {
            effects.push(Effect::Degrade);
            true
        }
    };
    BudgetDecision { effects, may_dispatch }
}

/// Whether a degraded run skips an optional task in `status`: work that has
/// not started.
pub fn skipped_when_degraded(status: TaskStatus) -> bool {
    matches!(status, TaskStatus::Pending | TaskStatus::Ready | TaskStatus::RetryScheduled | TaskStatus::WaitingApproval)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ended<'a>(id: &'a str, status: TaskStatus, output: Option<&'a str>) -> EndedTask<'a> {
        EndedTask { task_id: id, status, optional: false, error: None, output_json: output, revised: false }
    }

    fn end_output(effects: &[Effect]) -> (Value, RunStatus) {
        let [Effect::EndRun { output_json, to, .. }] = effects else { panic!("{effects:?}") };
        (serde_json::from_str(output_json).unwrap(), *to)
    }

    #[test]
    fn a_run_starts_at_once_when_every_root_is_plain_agent_work() {
        use crate::domain::{TaskKind, TaskSpec};
        let t = |id: &str, deps: &[&str]| TaskSpec {
            id: id.into(),
            agent: "a".into(),
            depends_on: deps.iter().map(|d| d.to_string()).collect(),
            ..TaskSpec::default()
        };
        assert!(starts_at_once(&[t("a", &[]), t("b", &["a"])]));
        assert!(is_plain_root(&t("a", &[])) && !is_plain_root(&t("b", &["a"])));
        assert!(!starts_at_once(&[]), "a run with no plan is planned first");
        let gated = TaskSpec { requires_approval: true, ..t("g", &[]) };
        assert!(!starts_at_once(&[t("a", &[]), gated.clone()]));
        // Only roots count: a gate or an aggregate further down waits its turn anyway.
        assert!(starts_at_once(&[t("a", &[]), TaskSpec { depends_on: vec!["a".into()], ..gated }]));
        let agg = TaskSpec { kind: TaskKind::Aggregate, ..t("j", &[]) };
        assert!(!starts_at_once(std::slice::from_ref(&agg)));
        assert!(starts_at_once(&[t("a", &[]), TaskSpec { depends_on: vec!["a".into()], ..agg }]));
    }

    #[test]
    fn a_run_is_done_when_nothing_is_open_and_it_is_executing() {
        assert!(run_is_done(0, RunStatus::Executing, false));
        assert!(!run_is_done(1, RunStatus::Executing, false));
        assert!(!run_is_done(0, RunStatus::Executing, true), "its revision will add tasks");
        for s in [RunStatus::Paused, RunStatus::Verifying, RunStatus::Failed, RunStatus::Planning] {
            assert!(!run_is_done(0, s, false), "{s:?}");
        }
    }

    #[test]
    fn one_final_task_gives_its_output_several_an_object_by_id() {
        use TaskStatus::Succeeded;
        let tasks = [ended("a", Succeeded, Some("1")), ended("b", Succeeded, Some("{\"x\":2}"))];
        let (out, to) = end_output(&run_end(&tasks, &["b"], false, 100).unwrap());
        assert_eq!((out, to), (json!({"x": 2}), RunStatus::Completed));
        let (out, _) = end_output(&run_end(&tasks, &["a", "b"], false, 100).unwrap());
        assert_eq!(out, json!({"a": 1, "b": {"x": 2}}));
        // A final task without output (optional, failed) is left out; alone, the output is null.
        let tasks =
            [ended("a", Succeeded, Some("1")), EndedTask { optional: true, ..ended("b", TaskStatus::Failed, None) }];
        assert_eq!(end_output(&run_end(&tasks, &["a", "b"], false, 100).unwrap()).0, json!({"a": 1}));
        assert_eq!(end_output(&run_end(&tasks, &["b"], false, 100).unwrap()).0, Value::Null);
        // A run with criteria of its own is verified first.
        assert_eq!(end_output(&run_end(&tasks, &["a"], true, 100).unwrap()).1, RunStatus::Verifying);
    }

    #[test]
    fn a_required_failure_or_an_output_over_the_limit_fails_the_run() {
        let failed = EndedTask { error: Some("bad"), ..ended("a", TaskStatus::Failed, None) };
        let effects = run_end(&[failed, ended("b", TaskStatus::Succeeded, Some("1"))], &["b"], false, 100).unwrap();
        assert_eq!(
            effects,
            vec![Effect::FailRun { reason: "task \"a\" failed: bad".into(), skip_downstream_of: None }]
        );
        // A failure a revision of the plan answered fails it no more.
        let revised = EndedTask { error: Some("bad"), revised: true, ..ended("a", TaskStatus::Failed, None) };
        let effects = run_end(&[revised, ended("b", TaskStatus::Succeeded, Some("1"))], &["b"], false, 100).unwrap();
        assert_eq!(end_output(&effects), (json!(1), RunStatus::Completed));
        // Two outputs of 10 bytes under ids "a" and "b": 2 + 2 × (1 + 4) + 20 = 32 bytes.
        let ten = "\"12345678\"";
        let tasks = [ended("a", TaskStatus::Succeeded, Some(ten)), ended("b", TaskStatus::Succeeded, Some(ten))];
        assert!(matches!(run_end(&tasks, &["a", "b"], false, 32).unwrap()[0], Effect::EndRun { .. }));
        let effects = run_end(&tasks, &["a", "b"], false, 31).unwrap();
        let [Effect::FailRun { reason, .. }] = effects.as_slice() else { panic!("{effects:?}") };
        assert!(reason.contains("is 32 bytes, more than the limit of 31 bytes"), "{reason}");
    }

    #[test]
    fn a_failing_run_skips_downstream_and_cancels_the_rest() {
        assert_eq!(closing_status(true).0, TaskStatus::Skipped);
        assert_eq!(closing_status(false).0, TaskStatus::Cancelled);
    }

    fn spent(policy: BudgetPolicy) -> Option<(Exhausted, BudgetPolicy)> {
        Some((Exhausted { budget: "tokens", limit: 10, used: 12 }, policy))
    }

    #[test]
    fn a_spent_budget_fails_pauses_or_degrades_the_run_as_its_policy_says() {
        let d = budget(RunStatus::Executing, spent(BudgetPolicy::Fail), false);
        assert!(!d.may_dispatch);
        assert!(matches!(
            &d.effects[..],
            [Effect::BudgetExhausted { .. }, Effect::FailRun { skip_downstream_of: None, .. }]
        ));
        let d = budget(RunStatus::Executing, spent(BudgetPolicy::Pause), false);
        assert!(!d.may_dispatch);
        let Effect::PauseRun { why, failure_reason } = &d.effects[1] else { panic!("{d:?}") };
        assert_eq!(why, "tokens budget exhausted: used 12 of 10");
        assert!(failure_reason.ends_with("ResumeRun with a larger budget to continue"));
        let d = budget(RunStatus::Executing, spent(BudgetPolicy::Degrade), false);
        assert!(d.may_dispatch);
        assert!(matches!(&d.effects[..], [Effect::BudgetExhausted { .. }, Effect::Degrade]));
        // Degraded once is enough.
        assert_eq!(budget(RunStatus::Executing, spent(BudgetPolicy::Degrade), true).effects, vec![]);
    }

    #[test]
    fn a_lasting_budget_or_a_run_not_at_work_changes_nothing() {
        assert_eq!(budget(RunStatus::Executing, None, false), BudgetDecision { effects: vec![], may_dispatch: true });
        assert!(budget(RunStatus::Planning, spent(BudgetPolicy::Fail), false).effects.len() == 2);
        for s in [RunStatus::Paused, RunStatus::Verifying, RunStatus::Completed, RunStatus::Failed] {
            let d = budget(s, spent(BudgetPolicy::Fail), false);
            assert_eq!(d, BudgetDecision { effects: vec![], may_dispatch: false }, "{s:?}");
        }
    }

    #[test]
    fn a_degraded_run_skips_only_optional_work_that_has_not_started() {
        use TaskStatus::*;
        for s in TaskStatus::ALL {
            let want = matches!(s, Pending | Ready | RetryScheduled | WaitingApproval);
            assert_eq!(skipped_when_degraded(*s), want, "{s:?}");
        }
    }
}
