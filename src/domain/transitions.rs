//! The state machine's table: which status a run or a task may go to from
//! which, and on what. The store asks it before every status change it
//! writes (`set_run_status`, `task_status_changed`) and refuses a change the
//! table does not allow, so a bug that would leave a run in an impossible
//! state fails its transaction instead (nothing is half written);
//! `decide::retry_task` re-opens only what it lets go back to PENDING. Plain
//! code: every edge is unit-tested below without I/O.

use super::status::{RunStatus, TaskStatus};

/// Why a task moves: the edges of the task table, by what causes them.
pub fn task_edge(from: TaskStatus, to: TaskStatus) -> Option<&'static str> {
    use TaskStatus::*;
    Some(match (from, to) {
        (Pending, Ready) => "its dependencies are satisfied",
        (Pending, WaitingApproval) => "its dependencies are satisfied and it needs an approval",
        (Pending, Succeeded) => "an aggregate computed from its dependencies",
        (WaitingApproval, Ready) => "approved",
        (Ready, Running) => "claimed by an agent",
        (Running, Succeeded) => "its output was accepted",
        (Running, Verifying) => "its output is being verified",
        (Running, RetryScheduled) | (Verifying, RetryScheduled) => "an attempt failed and another may follow",
        (Running, Ready) => "its attempt was given back unstarted (the run was paused)",
        (Verifying, Succeeded) => "verification passed",
        (RetryScheduled, Ready) => "its backoff elapsed",
        // Another turn of the same attempt (ContinueTask), after a short delay.
        (Running, Continuing) => "its agent asked for another turn",
        (Continuing, Ready) => "its next turn is due",
        // Re-opened by RetryTask: the failed task and what its failure closed.
        (Failed, Pending) | (Skipped, Pending) | (Cancelled, Pending) => "re-opened by RetryTask",
        // The run's one sink, re-run once with the run's failed verdict as feedback.
        (Succeeded, Pending) => "re-run with the run's verdict as feedback",
        // Any open task can fail, be skipped or be cancelled: a failure, a
        // rejection, an upstream failure, a degraded budget, its run ending.
        (f, Failed) | (f, Skipped) | (f, Cancelled) if !f.is_terminal() => "closed",
        _ => return None,
    })
}

/// Whether a task may go from `from` to `to`.
pub fn task_may_go(from: TaskStatus, to: TaskStatus) -> bool {
    task_edge(from, to).is_some()
}

/// Why a run moves: the edges of the run table.
pub fn run_edge(from: RunStatus, to: RunStatus) -> Option<&'static str> {
    use RunStatus::*;
    Some(match (from, to) {
        (Created, Planning) => "a goal to plan",
        (Created, Executing) | (Planning, Executing) => "a plan to execute",
        (Executing, Verifying) => "its tasks are done and it has criteria",
        (Executing, Completed) | (Verifying, Completed) => "done",
        (Verifying, Executing) => "its verdict asked for another round of its tasks",
        (Planning, Paused) | (Executing, Paused) | (Verifying, Paused) => "paused (by a person or its budget)",
        (Paused, Executing) | (Paused, Planning) | (Paused, Verifying) => "resumed",
        // RetryTask and ResumeRun go on after a failure.
        (Failed, Executing) => "re-opened",
        (Failed, Paused) => "re-opened while paused",
        (f, Failed) | (f, Cancelled) if !f.is_terminal() => "ended",
        _ => return None,
    })
}

/// Whether a run may go from `from` to `to`.
pub fn run_may_go(from: RunStatus, to: RunStatus) -> bool {
    run_edge(from, to).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every pair of task statuses, checked against the table written out
    /// as the allowed targets of each status.
    #[test]
    fn the_task_table_allows_exactly_its_edges() {
        use TaskStatus::*;
        let closed = [Failed, Skipped, Cancelled];
        let allowed = |from: TaskStatus| -> Vec<TaskStatus> {
            let forward: &[TaskStatus] = match from {
                Pending => &[Ready, WaitingApproval, Succeeded],
                WaitingApproval => &[Ready],
                Ready => &[Running],
                Running => &[Succeeded, Verifying, RetryScheduled, Ready, Continuing],
                Verifying => &[Succeeded, RetryScheduled],
                RetryScheduled | Continuing => &[Ready],
                Failed | Skipped | Cancelled | Succeeded => &[Pending],
            };
            let mut all = forward.to_vec();
            if !from.is_terminal() {
                all.extend(closed);
            }
            all
        };
        for from in TaskStatus::ALL {
            for to in TaskStatus::ALL {
                let want = allowed(*from).contains(to);
                assert_eq!(task_may_go(*from, *to), want, "{from:?} → {to:?}");
            }
        }
        // A succeeded task only ever goes back to PENDING (a re-run); nothing runs unclaimed.
        assert!(TaskStatus::ALL.iter().all(|t| *t == Pending || !task_may_go(Succeeded, *t)));
        assert!(TaskStatus::ALL.iter().all(|f| *f == Ready || !task_may_go(*f, Running)));
    }

    #[test]
    fn the_run_table_allows_exactly_its_edges() {
        use RunStatus::*;
        let allowed = |from: RunStatus| -> Vec<RunStatus> {
            let forward: &[RunStatus] = match from {
                Created => &[Planning, Executing],
                Planning => &[Executing, Paused],
                Executing => &[Verifying, Completed, Paused],
                Verifying => &[Completed, Executing, Paused],
                Paused => &[Executing, Planning, Verifying],
                Failed => &[Executing, Paused],
                Completed | Cancelled => &[],
            };
            let mut all = forward.to_vec();
            if !from.is_terminal() {
                all.extend([Failed, Cancelled]);
            }
            all
        };
        for from in RunStatus::ALL {
            for to in RunStatus::ALL {
                assert_eq!(run_may_go(*from, *to), allowed(*from).contains(to), "{from:?} → {to:?}");
            }
        }
        // Completed and cancelled runs are final.
        for end in [Completed, Cancelled] {
            assert!(RunStatus::ALL.iter().all(|t| !run_may_go(end, *t)), "{end:?}");
        }
    }

    #[test]
    fn every_edge_says_what_causes_it() {
        for from in TaskStatus::ALL {
            for to in TaskStatus::ALL {
                if let Some(why) = task_edge(*from, *to) {
                    assert!(!why.is_empty());
                }
            }
        }
    }
}
