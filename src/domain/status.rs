//! Lifecycle states of runs, tasks and attempts, with their stored names.

use std::fmt;

macro_rules! status_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $name {
            /// Every value, in lifecycle order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name stored in the database and shown in events.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Parses a stored name.
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

status_enum! {
    /// Where a run is in its lifecycle.
    RunStatus {
        /// Accepted, not started.
        Created => "CREATED",
        /// The planner is making its plan.
        Planning => "PLANNING",
        /// Tasks are being dispatched.
        Executing => "EXECUTING",
        /// The run's own criteria are being checked.
        Verifying => "VERIFYING",
        /// Held; nothing is dispatched.
        Paused => "PAUSED",
        /// Finished well.
        Completed => "COMPLETED",
        /// Finished badly.
        Failed => "FAILED",
        /// Stopped by a person.
        Cancelled => "CANCELLED",
    }
}

status_enum! {
    /// Where a task is in its lifecycle.
    TaskStatus {
        /// Waiting for dependencies.
        Pending => "PENDING",
        /// Waiting for an agent.
        Ready => "READY",
        /// Leased to an agent.
        Running => "RUNNING",
        /// Output being verified.
        Verifying => "VERIFYING",
        /// Held by an approval gate.
        WaitingApproval => "WAITING_APPROVAL",
        /// Waiting out a retry backoff.
        RetryScheduled => "RETRY_SCHEDULED",
        /// Its agent asked for another turn of the same attempt: waiting out
        /// the continuation's delay (then READY for that turn).
        Continuing => "CONTINUING",
        /// Done well.
        Succeeded => "SUCCEEDED",
        /// Done badly.
        Failed => "FAILED",
        /// Not run because something upstream failed.
        Skipped => "SKIPPED",
        /// Its run was cancelled.
        Cancelled => "CANCELLED",
    }
}

status_enum! {
    /// The outcome of one attempt.
    AttemptStatus {
        /// Holds a live lease.
        Running => "RUNNING",
        /// Between two turns: its agent asked for another turn, which no lease
        /// holds yet (the last turn's lease is spent).
        Continuing => "CONTINUING",
        /// Output accepted.
        Succeeded => "SUCCEEDED",
        /// Failed.
        Failed => "FAILED",
        /// Lease expired without an outcome.
        Lost => "LOST",
        /// Its run was cancelled.
        Cancelled => "CANCELLED",
    }
}

impl RunStatus {
    /// Terminal runs never change again.
    pub fn is_terminal(self) -> bool {
        matches!(self, RunStatus::Completed | RunStatus::Failed | RunStatus::Cancelled)
    }
}

impl TaskStatus {
    /// Terminal tasks never change again (short of RetryTask).
    pub fn is_terminal(self) -> bool {
        matches!(self, TaskStatus::Succeeded | TaskStatus::Failed | TaskStatus::Skipped | TaskStatus::Cancelled)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for s in RunStatus::ALL {
            assert_eq!(RunStatus::parse(s.as_str()), Some(*s));
        }
        for s in TaskStatus::ALL {
            assert_eq!(TaskStatus::parse(s.as_str()), Some(*s));
        }
        for s in AttemptStatus::ALL {
            assert_eq!(AttemptStatus::parse(s.as_str()), Some(*s));
        }
        assert_eq!(RunStatus::parse("nope"), None);
    }
}

/// What a heartbeat tells its agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Directive {
    /// Keep working.
    Continue,
    /// The run was cancelled (or failed): stop.
    Cancel,
    /// The run was paused: stop at a safe point.
    Pause,
}

impl Directive {
    /// What an agent working on a task of a run in this status should do.
    pub fn for_run(status: RunStatus) -> Directive {
        match status {
            RunStatus::Paused => Directive::Pause,
            s if s.is_terminal() => Directive::Cancel,
            _ => Directive::Continue,
        }
    }
}

#[cfg(test)]
mod directive_tests {
    use super::*;

    #[test]
    fn an_agent_stops_for_an_ended_run_pauses_for_a_paused_one_and_works_on_otherwise() {
        use RunStatus::*;
        for (status, want) in [
            (Executing, Directive::Continue),
            (Verifying, Directive::Continue),
            (Paused, Directive::Pause),
            (Completed, Directive::Cancel),
            (Failed, Directive::Cancel),
            (Cancelled, Directive::Cancel),
        ] {
            assert_eq!(Directive::for_run(status), want, "{status:?}");
        }
    }
}
