//! Continuation: an agent ends a turn of its attempt asking for another
//! (ContinueTask). Another turn is not a retry: the same attempt number goes
//! on after a short delay, with the checkpoint the agent left, no backoff and
//! nothing counted against `max_attempts`. Only the turns are bounded.

use crate::domain::Usage;

/// What a request for another turn does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Continuation {
    /// The task waits `delay_ms`, then turn `turn` of the same attempt is handed out.
    NextTurn { turn: i32, delay_ms: u64 },
    /// The attempt used its turns: it fails with `reason`, not retried (a
    /// fresh attempt would start over and ask again): the task fails (an
    /// optional one's dependents still run).
    TurnsExhausted { reason: String },
}

/// Whether the attempt whose turn `turn` just ended may have another, when a
/// task allows `max_turns` per attempt and the policy's delay is `delay_ms`.
pub fn continuation(turn: i32, max_turns: u32, delay_ms: u64) -> Continuation {
    if i64::from(turn) >= i64::from(max_turns) {
        return Continuation::TurnsExhausted {
            reason: format!(
                "the agent asked for turn {} but the task allows {max_turns} turns per attempt (max_turns)",
                turn + 1
            ),
        };
    }
    Continuation::NextTurn { turn: turn + 1, delay_ms }
}

/// An attempt's usage after a report in one of its turns. Agents report
/// cumulative totals *of the turn* (a turn may be a fresh process that knows
/// nothing of the ones before), so the attempt's earlier turns (`banked`)
/// are added to the turn's high-water mark. Returns the attempt's new totals
/// and what the report added to them.
pub fn turn_usage(recorded: &Usage, banked: &Usage, reported: &Usage) -> (Usage, Usage) {
    let this_turn = banked.delta_to(recorded);
    let merged = this_turn.high_water(reported);
    let delta = recorded.room_for(&this_turn.delta_to(&merged));
    (recorded.plus(&delta), delta)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_turn_within_the_limit_is_followed_by_the_next_after_the_delay() {
        assert_eq!(continuation(1, 20, 1000), Continuation::NextTurn { turn: 2, delay_ms: 1000 });
        assert_eq!(continuation(19, 20, 0), Continuation::NextTurn { turn: 20, delay_ms: 0 });
    }

    #[test]
    fn the_last_allowed_turn_cannot_continue_and_says_why() {
        let Continuation::TurnsExhausted { reason } = continuation(20, 20, 1000) else { panic!("continued") };
        assert!(reason.contains("turn 21") && reason.contains("20 turns"), "{reason}");
        assert!(matches!(continuation(1, 1, 1000), Continuation::TurnsExhausted { .. }));
    }

    #[test]
    fn a_turns_reports_add_to_what_the_earlier_turns_banked() {
        let u = |p, c| Usage { prompt_tokens: p, completion_tokens: c, tool_calls: 0, cost_micros: 0 };
        // Turn 1 used 10+5; turn 2 reports 3+1, then (cumulative) 7+2, then the same again.
        let banked = u(10, 5);
        let (total, delta) = turn_usage(&banked, &banked, &u(3, 1));
        assert_eq!((total, delta), (u(13, 6), u(3, 1)));
        let (total, delta) = turn_usage(&total, &banked, &u(7, 2));
        assert_eq!((total, delta), (u(17, 7), u(4, 1)));
        let (again, delta) = turn_usage(&total, &banked, &u(7, 2));
        assert_eq!((again, delta), (total, Usage::default()));
        // A stale, lower report lowers nothing.
        let (same, delta) = turn_usage(&total, &banked, &u(1, 1));
        assert_eq!((same, delta), (total, Usage::default()));
        // With nothing banked (the first turn) this is the plain high-water rule.
        assert_eq!(turn_usage(&u(4, 4), &Usage::default(), &u(6, 2)), (u(6, 4), u(2, 0)));
        // However many turns bank their most, the attempt's totals stay bounded.
        let top = u(crate::domain::usage::MAX_TOTAL - 1, 0);
        let (total, delta) = turn_usage(&top, &top, &u(1_000_000_000_000, 0));
        assert_eq!((total.prompt_tokens, delta.prompt_tokens), (crate::domain::usage::MAX_TOTAL, 1));
    }
}
