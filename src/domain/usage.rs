//! Resource usage and its cumulative-report arithmetic.

use serde::{Deserialize, Serialize};

/// The most any usage total (a run's, an attempt's) counts, per figure.
pub const MAX_TOTAL: i64 = 1 << 60;

/// Resources consumed by a run or an attempt. Cost is kept in micro-dollars
/// so that sums are exact.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    /// Tokens sent to models.
    pub prompt_tokens: i64,
    /// Tokens produced by models.
    pub completion_tokens: i64,
    /// Tool calls made.
    pub tool_calls: i64,
    /// Cost in millionths of a US dollar.
    pub cost_micros: i64,
}

impl Usage {
    /// The sum of two usages (saturating: figures a client reports are
    /// bounded per report, not in how many reports add up).
    pub fn plus(&self, other: &Usage) -> Usage {
        Usage {
            prompt_tokens: self.prompt_tokens.saturating_add(other.prompt_tokens),
            completion_tokens: self.completion_tokens.saturating_add(other.completion_tokens),
            tool_calls: self.tool_calls.saturating_add(other.tool_calls),
            cost_micros: self.cost_micros.saturating_add(other.cost_micros),
        }
    }

    /// `delta` cut down so that these totals plus it stay within
    /// [`MAX_TOTAL`] (a run's or an attempt's sums never overflow).
    pub fn room_for(&self, delta: &Usage) -> Usage {
        let room = |total: i64, d: i64| d.min(MAX_TOTAL.saturating_sub(total)).max(0);
        Usage {
            prompt_tokens: room(self.prompt_tokens, delta.prompt_tokens),
            completion_tokens: room(self.completion_tokens, delta.completion_tokens),
            tool_calls: room(self.tool_calls, delta.tool_calls),
            cost_micros: room(self.cost_micros, delta.cost_micros),
        }
    }

    /// Prompt plus completion tokens.
    pub fn tokens(&self) -> i64 {
        self.prompt_tokens + self.completion_tokens
    }

    /// The field-wise maximum: agents report cumulative totals, so a re-sent or
    /// out-of-order report never lowers (or double-counts) what was recorded.
    pub fn high_water(&self, reported: &Usage) -> Usage {
        Usage {
            prompt_tokens: self.prompt_tokens.max(reported.prompt_tokens),
            completion_tokens: self.completion_tokens.max(reported.completion_tokens),
            tool_calls: self.tool_calls.max(reported.tool_calls),
            cost_micros: self.cost_micros.max(reported.cost_micros),
        }
    }

    /// What `newer` adds on top of `self` (never negative).
    pub fn delta_to(&self, newer: &Usage) -> Usage {
        Usage {
            prompt_tokens: (newer.prompt_tokens - self.prompt_tokens).max(0),
            completion_tokens: (newer.completion_tokens - self.completion_tokens).max(0),
            tool_calls: (newer.tool_calls - self.tool_calls).max(0),
            cost_micros: (newer.cost_micros - self.cost_micros).max(0),
        }
    }

    /// Whether nothing was consumed.
    pub fn is_zero(&self) -> bool {
        *self == Usage::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resent_report_adds_nothing() {
        let recorded = Usage { prompt_tokens: 10, completion_tokens: 5, tool_calls: 1, cost_micros: 0 };
        let again = recorded;
        let merged = recorded.high_water(&again);
        assert!(recorded.delta_to(&merged).is_zero());
    }

    #[test]
    fn stale_lower_report_never_lowers_usage() {
        let recorded = Usage { prompt_tokens: 10, completion_tokens: 5, tool_calls: 3, cost_micros: 7 };
        let stale = Usage { prompt_tokens: 4, completion_tokens: 9, tool_calls: 1, cost_micros: 0 };
        let merged = recorded.high_water(&stale);
        assert_eq!(merged, Usage { prompt_tokens: 10, completion_tokens: 9, tool_calls: 3, cost_micros: 7 });
        assert_eq!(recorded.delta_to(&merged).completion_tokens, 4);
        assert_eq!(recorded.delta_to(&merged).tokens(), 4);
    }
}
