//! Decisions of the calls that act on one task: RetryTask re-opening a
//! failed task (and what its failure skipped or cancelled), and a person's
//! verdict at a task's approval gate. A refusal is the caller's error text
//! (FAILED_PRECONDITION); the store applies what is decided.

use std::collections::{HashMap, HashSet};

use super::tasks::releases_dependents;
use crate::domain::transitions::task_may_go;
use crate::domain::{EventKind, RejectionAction, RunStatus, TaskStatus};

/// A task of the run, as RetryTask needs to see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskState<'a> {
    pub task_id: &'a str,
    pub status: TaskStatus,
    pub optional: bool,
    pub depends_on: &'a [String],
    /// The dependencies it waits for, as stored (a PENDING task's count).
    pub remaining_deps: i32,
}

/// One task RetryTask sends back to PENDING.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reopened {
    pub task_id: String,
    pub from: TaskStatus,
    /// The dependencies it still waits for (0: it becomes ready now).
    pub remaining_deps: i32,
}

/// What RetryTask does to a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reopening {
    /// The retried task's new attempt limit: its attempts so far plus a fresh policy's worth.
    pub attempt_limit: i32,
    /// Every re-opened task, in the order given (the plan's).
    pub reopened: Vec<Reopened>,
    /// PENDING tasks (not re-opened) whose count of dependencies to wait for
    /// changes, with the new count: a re-opened dependency that had released
    /// them (an optional task skipped or failed) will release them again.
    pub recounted: Vec<(String, i32)>,
    /// The run's open tasks afterwards.
    pub open_tasks: i32,
    /// The status the run leaves for EXECUTING (None: it is executing already).
    pub resume_from: Option<RunStatus>,
}

/// Whether RetryTask may act on a task in `task` status of a run in `run`
/// status: only a failed task, of a failed, paused or executing run. Checked
/// first, before the run's tasks are read.
pub fn may_retry(run_id: &str, run: RunStatus, task_id: &str, task: TaskStatus) -> Result<(), String> {
    if task != TaskStatus::Failed {
        return Err(format!("task {task_id:?} is {task}; only a failed task can be retried"));
    }
    if !matches!(run, RunStatus::Failed | RunStatus::Paused | RunStatus::Executing) {
        return Err(format!("run {run_id} is {run}; RetryTask needs a failed, paused or executing run"));
    }
    Ok(())
}

/// What RetryTask on `task_id` does, given every task of its run:
/// the task (which must be FAILED) and every task its failure SKIPPED or
/// CANCELLED go back to PENDING, each waiting for the dependencies that are
/// re-opened or did not release it; the run (failed, paused or executing)
/// executes again. `attempts` is what the task used, `max_attempts` its
/// retry policy's.
pub fn retry_task(
    run_id: &str,
    run: RunStatus,
    task_id: &str,
    attempts: i32,
    max_attempts: u32,
    tasks: &[TaskState<'_>],
) -> Result<Reopening, String> {
    let Some(task) = tasks.iter().find(|t| t.task_id == task_id) else {
        return Err(format!("task {task_id:?} is not a task of run {run_id}"));
    };
    may_retry(run_id, run, task_id, task.status)?;
    let reopens = |t: &TaskState<'_>| {
        (t.task_id == task_id || matches!(t.status, TaskStatus::Skipped | TaskStatus::Cancelled))
            && task_may_go(t.status, TaskStatus::Pending)
    };
    // Sets and maps, not scans: after a failed run nearly every task is cancelled.
    let reopened_ids: HashSet<&str> = tasks.iter().filter(|t| reopens(t)).map(|t| t.task_id).collect();
    let by_id: HashMap<&str, &TaskState<'_>> = tasks.iter().map(|t| (t.task_id, t)).collect();
    let released = |dep: &str| {
        !reopened_ids.contains(dep) && by_id.get(dep).is_some_and(|t| releases_dependents(t.status, t.optional))
    };
    let waits_for = |t: &TaskState<'_>| t.depends_on.iter().filter(|d| !released(d)).count() as i32;
    let reopened = tasks
        .iter()
        .filter(|t| reopens(t))
        .map(|t| Reopened { task_id: t.task_id.to_string(), from: t.status, remaining_deps: waits_for(t) })
        .collect();
    let recounted = tasks
        .iter()
        .filter(|t| t.status == TaskStatus::Pending && !reopens(t))
        .filter_map(|t| Some((t.task_id.to_string(), waits_for(t))).filter(|(_, n)| *n != t.remaining_deps))
        .collect();
    let open_tasks = tasks.iter().filter(|t| reopens(t) || !t.status.is_terminal()).count() as i32;
    Ok(Reopening {
        attempt_limit: attempts.saturating_add(max_attempts.clamp(1, i32::MAX as u32) as i32),
        reopened,
        recounted,
        open_tasks,
        resume_from: (run != RunStatus::Executing).then_some(run),
    })
}

/// A person's verdict at an approval gate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval {
    /// Its event.
    pub kind: EventKind,
    pub message: String,
    /// Where the task goes: READY, or (rejected) FAILED or SKIPPED.
    pub to: TaskStatus,
    /// The status change's message.
    pub why: &'static str,
    /// Whether the task is optional afterwards (a skipped rejection makes it so).
    pub optional: bool,
    /// Its error afterwards (a rejection's).
    pub error: Option<String>,
}

/// Whether a task in `status` takes a person's verdict: only one WAITING_APPROVAL.
pub fn may_take_verdict(task_id: &str, status: TaskStatus) -> Result<(), String> {
    if status != TaskStatus::WaitingApproval {
        return Err(format!("task {task_id:?} is {status}, not waiting for approval"));
    }
    Ok(())
}

/// What approving (or rejecting) task `task_id`, in `status`, does: only a
/// task WAITING_APPROVAL takes a verdict ([`may_take_verdict`]); a rejection
/// fails it or, when its spec says so, skips it as optional work.
pub fn approval(
    task_id: &str,
    status: TaskStatus,
    optional: bool,
    on_reject: RejectionAction,
    approve: bool,
    who: &str,
    comment: &str,
) -> Result<Approval, String> {
    may_take_verdict(task_id, status)?;
    if approve {
        return Ok(Approval {
            kind: EventKind::TaskApproved,
            message: format!("approved by {who}"),
            to: TaskStatus::Ready,
            why: "approved",
            optional,
            error: None,
        });
    }
    let (to, skipped) = match on_reject {
        RejectionAction::Skip => (TaskStatus::Skipped, true),
        RejectionAction::Fail => (TaskStatus::Failed, false),
    };
    Ok(Approval {
        kind: EventKind::TaskRejected,
        message: format!("rejected by {who}"),
        to,
        why: "rejected",
        optional: optional || skipped,
        error: Some(format!("rejected by {who}: {comment}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deps(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    /// a → b → c, d independent: a failed, b skipped, c skipped, d succeeded.
    #[test]
    fn a_retry_reopens_the_failure_and_what_it_skipped_each_waiting_for_what_is_reopened() {
        let (none, on_a, on_b) = (deps(&[]), deps(&["a"]), deps(&["b", "d"]));
        let t =
            |id, status, depends_on| TaskState { task_id: id, status, optional: false, depends_on, remaining_deps: 0 };
        let tasks = [
            t("a", TaskStatus::Failed, &none[..]),
            t("b", TaskStatus::Skipped, &on_a[..]),
            t("c", TaskStatus::Cancelled, &on_b[..]),
            t("d", TaskStatus::Succeeded, &none[..]),
        ];
        let r = retry_task("run_1", RunStatus::Failed, "a", 3, 2, &tasks).expect("retried");
        let re = |id: &str, from, remaining_deps| Reopened { task_id: id.into(), from, remaining_deps };
        assert_eq!(
            r,
            Reopening {
                attempt_limit: 5,
                reopened: vec![
                    re("a", TaskStatus::Failed, 0),
                    re("b", TaskStatus::Skipped, 1),
                    // d succeeded and released it; b is re-opened and did not.
                    re("c", TaskStatus::Cancelled, 1),
                ],
                recounted: vec![],
                open_tasks: 3,
                resume_from: Some(RunStatus::Failed),
            }
        );
        for x in &r.reopened {
            assert!(task_may_go(x.from, TaskStatus::Pending), "{x:?}");
        }
        // An executing run stays so; a policy of 0 attempts still gives one.
        let r = retry_task("run_1", RunStatus::Executing, "a", 1, 0, &tasks).expect("retried");
        assert_eq!((r.resume_from, r.attempt_limit), (None, 2));
    }

    /// `join` waits for `slow` (running) and `note` (optional, skipped, so it
    /// released `join`: 1 left). Re-opened, `note` will release it again: the
    /// join waits for both again, not for `slow` alone twice over.
    #[test]
    fn a_retry_recounts_what_a_reopened_optional_task_had_released() {
        let (none, on_both) = (deps(&[]), deps(&["slow", "note"]));
        let tasks = [
            TaskState {
                task_id: "boom",
                status: TaskStatus::Failed,
                optional: false,
                depends_on: &none[..],
                remaining_deps: 0,
            },
            TaskState {
                task_id: "slow",
                status: TaskStatus::Running,
                optional: false,
                depends_on: &none[..],
                remaining_deps: 0,
            },
            TaskState {
                task_id: "note",
                status: TaskStatus::Skipped,
                optional: true,
                depends_on: &none[..],
                remaining_deps: 0,
            },
            TaskState {
                task_id: "join",
                status: TaskStatus::Pending,
                optional: false,
                depends_on: &on_both[..],
                remaining_deps: 1,
            },
        ];
        let r = retry_task("run_1", RunStatus::Executing, "boom", 1, 1, &tasks).expect("retried");
        assert_eq!(r.recounted, vec![("join".to_string(), 2)]);
        let reopened: Vec<&str> = r.reopened.iter().map(|x| x.task_id.as_str()).collect();
        assert_eq!(reopened, ["boom", "note"]);
    }

    #[test]
    fn a_retry_is_refused_for_a_task_not_failed_a_run_in_the_wrong_state_or_an_unknown_task() {
        let none = deps(&[]);
        let one =
            |status| [TaskState { task_id: "a", status, optional: false, depends_on: &none[..], remaining_deps: 0 }];
        assert_eq!(
            retry_task("run_1", RunStatus::Failed, "a", 1, 1, &one(TaskStatus::Succeeded)),
            Err("task \"a\" is SUCCEEDED; only a failed task can be retried".into())
        );
        for run in [RunStatus::Cancelled, RunStatus::Completed, RunStatus::Verifying, RunStatus::Planning] {
            assert_eq!(
                retry_task("run_1", run, "a", 1, 1, &one(TaskStatus::Failed)),
                Err(format!("run run_1 is {run}; RetryTask needs a failed, paused or executing run"))
            );
        }
        let err = retry_task("run_1", RunStatus::Failed, "zz", 1, 1, &one(TaskStatus::Failed)).expect_err("unknown");
        assert!(err.contains("\"zz\"") && err.contains("run_1"), "{err}");
        // Hostile counts do not overflow.
        let r = retry_task("run_1", RunStatus::Paused, "a", i32::MAX, u32::MAX, &one(TaskStatus::Failed));
        assert_eq!(r.map(|r| r.attempt_limit), Ok(i32::MAX));
    }

    #[test]
    fn an_approval_readies_the_task_and_a_rejection_fails_or_skips_it() {
        let approve = |status| approval("t", status, false, RejectionAction::Fail, true, "ana", "ok");
        let a = approve(TaskStatus::WaitingApproval).expect("approved");
        assert_eq!(
            (a.kind, a.message.as_str(), a.to, a.optional, a.error),
            (EventKind::TaskApproved, "approved by ana", TaskStatus::Ready, false, None)
        );
        for status in [TaskStatus::Ready, TaskStatus::Pending, TaskStatus::Succeeded] {
            assert_eq!(approve(status), Err(format!("task \"t\" is {status}, not waiting for approval")));
        }
        let reject = |on_reject, optional| {
            approval("t", TaskStatus::WaitingApproval, optional, on_reject, false, "bo", "too risky").expect("rejected")
        };
        let r = reject(RejectionAction::Fail, false);
        assert_eq!((r.kind, r.to, r.optional, r.why), (EventKind::TaskRejected, TaskStatus::Failed, false, "rejected"));
        assert_eq!(r.error.as_deref(), Some("rejected by bo: too risky"));
        assert_eq!(
            (reject(RejectionAction::Fail, true).optional, reject(RejectionAction::Skip, false).optional),
            (true, true)
        );
        assert_eq!(reject(RejectionAction::Skip, false).to, TaskStatus::Skipped);
    }
}
