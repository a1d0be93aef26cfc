//! Decisions of the steering calls: what CancelRun, PauseRun and ResumeRun
//! do to a run in a given status, and what a resumed run does next.

use super::Effect;
use crate::domain::{RunStatus, TaskStatus};

/// A steering call on a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Steer {
    Cancel,
    Pause,
    Resume,
}

/// What a steering call does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Steering {
    /// The run is where the call would take it: nothing changes (the calls are idempotent).
    AlreadyThere,
    /// The call is refused (FAILED_PRECONDITION), with why.
    Refused(String),
    /// The run moves to `to`, with `message` as its event's.
    Move {
        to: RunStatus,
        message: String,
        /// Its open tasks end in this status first (a cancel).
        close_open_as: Option<TaskStatus>,
        /// Its failure reason afterwards (None clears it).
        failure_reason: Option<String>,
    },
}

/// What `call` does to run `run_id` in status `from`; `reason` is the
/// caller's (empty: a default), `started` whether the run ever started
/// executing (a run paused while planning resumes to planning).
pub fn steer(run_id: &str, from: RunStatus, call: Steer, reason: &str, started: bool) -> Steering {
    let given = |default: &str| if reason.is_empty() { default.to_string() } else { reason.to_string() };
    match call {
        Steer::Cancel if from == RunStatus::Cancelled => Steering::AlreadyThere,
        Steer::Pause if from == RunStatus::Paused => Steering::AlreadyThere,
        Steer::Resume if from == RunStatus::Executing => Steering::AlreadyThere,
        Steer::Cancel | Steer::Pause if from.is_terminal() => {
            let verb = if call == Steer::Cancel { "cancelled" } else { "paused" };
            Steering::Refused(format!("run {run_id} is already {from} and cannot be {verb}"))
        }
        Steer::Resume if from != RunStatus::Paused => {
            Steering::Refused(format!("run {run_id} is {from}; only a paused run can be resumed"))
        }
        Steer::Cancel => {
            let why = given("cancelled by request");
            Steering::Move {
                to: RunStatus::Cancelled,
                message: why.clone(),
                close_open_as: Some(TaskStatus::Cancelled),
                failure_reason: Some(why),
            }
        }
        Steer::Pause => {
            let why = given("paused by request");
            Steering::Move {
                to: RunStatus::Paused,
                message: why.clone(),
                close_open_as: None,
                failure_reason: Some(why),
            }
        }
        Steer::Resume => Steering::Move {
            to: if started { RunStatus::Executing } else { RunStatus::Planning },
            message: "resumed".into(),
            close_open_as: None,
            failure_reason: None,
        },
    }
}

/// A resumed run goes on from where its tasks are: a required task that
/// failed while it was paused (its retries exhausted) fails it, downstream
/// skipped; otherwise it ends if nothing is left open.
pub fn after_resume(failed_required: Option<(&str, &str)>) -> Vec<Effect> {
    match failed_required {
        Some((task, error)) => vec![Effect::FailRun {
            reason: format!("task {task:?} failed: {error}"),
            skip_downstream_of: Some(task.to_string()),
        }],
        None => vec![Effect::FinishIfDone],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_call_is_idempotent_where_it_would_lead() {
        assert_eq!(steer("r", RunStatus::Cancelled, Steer::Cancel, "", true), Steering::AlreadyThere);
        assert_eq!(steer("r", RunStatus::Paused, Steer::Pause, "", true), Steering::AlreadyThere);
        assert_eq!(steer("r", RunStatus::Executing, Steer::Resume, "", true), Steering::AlreadyThere);
    }

    #[test]
    fn an_ended_run_cannot_be_cancelled_or_paused_and_only_a_paused_one_resumed() {
        for from in [RunStatus::Completed, RunStatus::Failed] {
            for call in [Steer::Cancel, Steer::Pause] {
                let Steering::Refused(why) = steer("run_1", from, call, "", true) else { panic!("{from:?} {call:?}") };
                assert!(why.contains("run_1") && why.contains("already"), "{why}");
            }
        }
        assert_eq!(
            steer("run_1", RunStatus::Cancelled, Steer::Pause, "", true),
            Steering::Refused("run run_1 is already CANCELLED and cannot be paused".into())
        );
        assert_eq!(
            steer("run_1", RunStatus::Completed, Steer::Cancel, "", true),
            Steering::Refused("run run_1 is already COMPLETED and cannot be cancelled".into())
        );
        for from in [RunStatus::Planning, RunStatus::Verifying, RunStatus::Failed, RunStatus::Completed] {
            assert_eq!(
                steer("run_1", from, Steer::Resume, "", true),
                Steering::Refused(format!("run run_1 is {from}; only a paused run can be resumed")),
            );
        }
    }

    #[test]
    fn a_cancel_closes_the_open_tasks_and_a_pause_keeps_them() {
        let Steering::Move { to, close_open_as, failure_reason, message } =
            steer("r", RunStatus::Executing, Steer::Cancel, "", true)
        else {
            panic!("a cancel moves the run")
        };
        assert_eq!((to, close_open_as), (RunStatus::Cancelled, Some(TaskStatus::Cancelled)));
        assert_eq!(
            (failure_reason.as_deref(), message.as_str()),
            (Some("cancelled by request"), "cancelled by request")
        );
        // A paused or planning run can be cancelled too, with the caller's reason.
        for from in [RunStatus::Paused, RunStatus::Planning] {
            let Steering::Move { to, message, failure_reason, .. } =
                steer("r", from, Steer::Cancel, "wrong goal", true)
            else {
                panic!("{from:?}")
            };
            assert_eq!(
                (to, message.as_str(), failure_reason.as_deref()),
                (RunStatus::Cancelled, "wrong goal", Some("wrong goal"))
            );
        }
        let Steering::Move { message, failure_reason, .. } = steer("r", RunStatus::Executing, Steer::Pause, "", true)
        else {
            panic!("a pause moves the run")
        };
        assert_eq!((message.as_str(), failure_reason.as_deref()), ("paused by request", Some("paused by request")));
        let paused = steer("r", RunStatus::Planning, Steer::Pause, "budget review", false);
        assert_eq!(
            paused,
            Steering::Move {
                to: RunStatus::Paused,
                message: "budget review".into(),
                close_open_as: None,
                failure_reason: Some("budget review".into()),
            }
        );
    }

    #[test]
    fn a_resume_clears_the_reason_and_goes_back_to_planning_if_it_never_started() {
        let to = |started| match steer("r", RunStatus::Paused, Steer::Resume, "ignored", started) {
            Steering::Move { to, failure_reason: None, close_open_as: None, message } if message == "resumed" => to,
            other => panic!("{other:?}"),
        };
        assert_eq!(to(true), RunStatus::Executing);
        assert_eq!(to(false), RunStatus::Planning);
    }

    #[test]
    fn a_resumed_run_fails_on_a_required_failure_or_ends_if_done() {
        assert_eq!(after_resume(None), vec![Effect::FinishIfDone]);
        assert_eq!(
            after_resume(Some(("t", "boom"))),
            vec![Effect::FailRun { reason: "task \"t\" failed: boom".into(), skip_downstream_of: Some("t".into()) }]
        );
    }
}
