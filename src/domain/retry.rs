//! Retry policy and backoff.

use serde::{Deserialize, Serialize};

/// What happens when a task's attempts run out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RetriesExhausted {
    /// The task fails (and the run, unless the task is optional).
    #[default]
    Fail,
    /// The run pauses for a person to look.
    Pause,
}

/// How a task is retried. Durations in milliseconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// Backoff before the second attempt.
    pub initial_backoff_ms: u64,
    /// Upper bound of the backoff.
    pub max_backoff_ms: u64,
    /// Growth per attempt.
    pub multiplier: f64,
    /// Random spread, as a fraction of the backoff (None: the default's; 0 asks for none).
    #[serde(default)]
    pub jitter: Option<f64>,
    /// What to do when attempts run out.
    pub on_exhausted: RetriesExhausted,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff_ms: 1_000,
            max_backoff_ms: 60_000,
            multiplier: 2.0,
            jitter: Some(0.2),
            on_exhausted: RetriesExhausted::Fail,
        }
    }
}

impl RetryPolicy {
    /// This policy with its unset (zero) fields taken from `defaults`.
    pub fn or_defaults(&self, defaults: &RetryPolicy) -> RetryPolicy {
        RetryPolicy {
            max_attempts: if self.max_attempts == 0 { defaults.max_attempts } else { self.max_attempts },
            initial_backoff_ms: if self.initial_backoff_ms == 0 {
                defaults.initial_backoff_ms
            } else {
                self.initial_backoff_ms
            },
            max_backoff_ms: if self.max_backoff_ms == 0 { defaults.max_backoff_ms } else { self.max_backoff_ms },
            multiplier: if self.multiplier == 0.0 { defaults.multiplier } else { self.multiplier },
            jitter: self.jitter.or(defaults.jitter),
            on_exhausted: self.on_exhausted,
        }
    }

    /// The backoff before attempt `failed_attempt + 1`, without jitter.
    pub fn base_backoff_ms(&self, failed_attempt: u32) -> u64 {
        let exp = failed_attempt.saturating_sub(1).min(62) as i32;
        let raw = self.initial_backoff_ms as f64 * self.multiplier.max(1.0).powi(exp);
        raw.min(self.max_backoff_ms as f64).max(0.0) as u64
    }

    /// The backoff with jitter: uniformly within ±`jitter` of the base, so that
    /// many tasks failing together do not retry together.
    pub fn backoff_ms(&self, failed_attempt: u32, unit_random: f64) -> u64 {
        let base = self.base_backoff_ms(failed_attempt) as f64;
        let spread = base * self.jitter.unwrap_or(0.0).clamp(0.0, 1.0);
        let r = unit_random.clamp(0.0, 1.0) * 2.0 - 1.0;
        (base + spread * r).max(0.0) as u64
    }

    /// Whether another attempt may follow attempt number `attempt`.
    pub fn allows_another(&self, attempt: u32) -> bool {
        attempt < self.max_attempts.max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        let p = RetryPolicy {
            initial_backoff_ms: 100,
            max_backoff_ms: 1_000,
            multiplier: 3.0,
            jitter: Some(0.0),
            ..Default::default()
        };
        assert_eq!(p.base_backoff_ms(1), 100);
        assert_eq!(p.base_backoff_ms(2), 300);
        assert_eq!(p.base_backoff_ms(3), 900);
        assert_eq!(p.base_backoff_ms(4), 1_000);
        assert_eq!(p.base_backoff_ms(200), 1_000);
    }

    #[test]
    fn jitter_stays_within_its_fraction() {
        let p = RetryPolicy { initial_backoff_ms: 1_000, jitter: Some(0.2), ..Default::default() };
        assert_eq!(p.backoff_ms(1, 0.0), 800);
        assert_eq!(p.backoff_ms(1, 1.0), 1_200);
        assert_eq!(p.backoff_ms(1, 0.5), 1_000);
    }

    #[test]
    fn attempts_are_bounded() {
        let p = RetryPolicy { max_attempts: 2, ..Default::default() };
        assert!(p.allows_another(1));
        assert!(!p.allows_another(2));
        let once = RetryPolicy { max_attempts: 0, ..Default::default() };
        assert!(!once.allows_another(1));
    }
}
