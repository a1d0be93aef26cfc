//! Verdicts: the verifier's judgement of an output against criteria.

use serde::{Deserialize, Serialize};

/// The result of one criterion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionResult {
    /// The criterion's id.
    pub criterion_id: String,
    /// Its kind.
    pub kind: String,
    /// Whether the output satisfied it.
    pub passed: bool,
    /// In [0, 1].
    pub score: f64,
    /// Why, in words an agent can act on.
    pub reason: String,
    /// Advisory criteria never fail a verdict.
    pub advisory: bool,
    /// Not evaluated (a judge under the degrade policy).
    pub skipped: bool,
    /// The verifier could not evaluate it (the judge failed, or gave no
    /// score): the output is not at fault, so this is never fed back to the
    /// task and never spends one of its retries.
    #[serde(default)]
    pub error: bool,
}

/// A verdict over an output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// Every required, evaluated criterion passed.
    pub passed: bool,
    /// Mean score of the evaluated criteria (1 when none were).
    pub score: f64,
    /// One result per criterion.
    pub results: Vec<CriterionResult>,
    /// The failures in one line (empty when passed).
    pub summary: String,
}

impl Verdict {
    /// The verdict of some results.
    pub fn of(results: Vec<CriterionResult>) -> Verdict {
        let evaluated: Vec<&CriterionResult> = results.iter().filter(|r| !r.skipped).collect();
        let score = if evaluated.is_empty() {
            1.0
        } else {
            evaluated.iter().map(|r| r.score).sum::<f64>() / evaluated.len() as f64
        };
        let failed: Vec<&CriterionResult> = evaluated.iter().copied().filter(|r| !r.passed && !r.advisory).collect();
        let summary = failed.iter().map(|r| format!("{}: {}", r.criterion_id, r.reason)).collect::<Vec<_>>().join("; ");
        Verdict { passed: failed.is_empty(), score, results, summary }
    }

    /// Whether a required criterion could not be evaluated (an error of the
    /// verifier, not of the output).
    pub fn verifier_failed(&self) -> bool {
        self.results.iter().any(|r| r.error && !r.advisory && !r.skipped)
    }

    /// The reasons of the required criteria that failed: the feedback for the next attempt.
    pub fn feedback(&self) -> Vec<String> {
        self.results
            .iter()
            .filter(|r| !r.passed && !r.skipped && !r.advisory && !r.error)
            .map(|r| format!("{} ({}): {}", r.criterion_id, r.kind, r.reason))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(id: &str, passed: bool, advisory: bool, skipped: bool) -> CriterionResult {
        CriterionResult {
            criterion_id: id.into(),
            kind: "k".into(),
            passed,
            score: if passed { 1.0 } else { 0.0 },
            reason: format!("{id} reason"),
            advisory,
            skipped,
            error: false,
        }
    }

    #[test]
    fn advisory_and_skipped_results_do_not_fail_a_verdict() {
        let v = Verdict::of(vec![r("a", true, false, false), r("b", false, true, false), r("c", false, false, true)]);
        assert!(v.passed);
        assert_eq!(v.score, 0.5);
        let v = Verdict::of(vec![r("a", true, false, false), r("d", false, false, false)]);
        assert!(!v.passed);
        assert_eq!(v.summary, "d: d reason");
        assert_eq!(v.feedback(), vec!["d (k): d reason"]);
    }
}
