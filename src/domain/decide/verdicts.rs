//! Decisions on a verdict: what a task's verdict does to its attempt and
//! what a run's verdict does to the run.

use crate::domain::Verdict;

/// How a verified task ended, for the counts of whether retries after a
/// failed verdict rescue tasks (`retry_outcomes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerifiedEnd {
    /// Its first attempt passed.
    PassedFirstTry,
    /// It passed after retries that followed a failed verdict.
    Rescued,
    /// It failed after retries that followed a failed verdict.
    NotRescued,
    /// It failed without a retry after its verdict (no attempts left, or
    /// `retry_on_verdict: false`), or passed after retries for other reasons.
    Other,
}

/// What a task's verdict on an attempt does.
#[derive(Debug, Clone, PartialEq)]
pub enum TaskVerdict {
    /// The attempt's output becomes the task's; it succeeded.
    Passed { end: VerifiedEnd },
    /// The attempt failed with `error`. With `retry`, the verdict's reasons
    /// are the next attempt's feedback and the failure is retryable (the
    /// task's attempts and policy decide the rest, as after any failure).
    /// `end_if_final` is how the task counts if that failure ends it (None:
    /// a verifier that could not judge is not counted).
    Failed { error: String, retry: bool, end_if_final: Option<VerifiedEnd> },
}

/// A task's verdict on its attempt number `attempt`. `after_failed_verdict`:
/// an earlier verdict of this task failed (it left feedback). A verifier
/// that could not judge is not the output's fault: another attempt would be
/// judged by the same broken verifier, so the task fails without feedback
/// (RetryTask re-opens it).
pub fn task_verdict(
    verdict: &Verdict,
    attempt: i32,
    after_failed_verdict: bool,
    retry_on_verdict: bool,
) -> TaskVerdict {
    if verdict.passed {
        let end = match (attempt, after_failed_verdict) {
            (1, _) => VerifiedEnd::PassedFirstTry,
            (_, true) => VerifiedEnd::Rescued,
            _ => VerifiedEnd::Other,
        };
        return TaskVerdict::Passed { end };
    }
    if verdict.verifier_failed() {
        let error = format!("verification could not be completed: {}", verdict.summary);
        return TaskVerdict::Failed { error, retry: false, end_if_final: None };
    }
    let end = if after_failed_verdict { VerifiedEnd::NotRescued } else { VerifiedEnd::Other };
    TaskVerdict::Failed {
        error: format!("verification failed: {}", verdict.summary),
        retry: retry_on_verdict,
        end_if_final: Some(end),
    }
}

/// What a run's verdict on its own criteria does.
#[derive(Debug, Clone, PartialEq)]
pub enum RunVerdict {
    /// The run is complete.
    Complete,
    /// Its one final task runs once more with the verdict as feedback.
    RerunSink,
    /// The run fails.
    Fail { reason: String },
}

/// A run's verdict: complete when it passed; otherwise its one final task
/// is re-run once (`rerun_on_failure`, the run's policy, and only after its
/// first verdict and with exactly one final task), or the run fails.
pub fn run_verdict(verdict: &Verdict, first_verdict: bool, rerun_on_failure: bool, sinks: usize) -> RunVerdict {
    if verdict.passed {
        RunVerdict::Complete
    } else if rerun_on_failure && first_verdict && sinks == 1 {
        RunVerdict::RerunSink
    } else {
        RunVerdict::Fail { reason: format!("the run's criteria failed: {}", verdict.summary) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::CriterionResult;

    fn verdict(passed: bool, judge_error: bool) -> Verdict {
        Verdict {
            passed,
            score: if passed { 1.0 } else { 0.0 },
            results: vec![CriterionResult {
                criterion_id: "c".into(),
                kind: "llm_judge".into(),
                passed,
                score: 0.0,
                reason: "why".into(),
                advisory: false,
                skipped: false,
                error: judge_error,
            }],
            summary: if passed { String::new() } else { "c failed".into() },
        }
    }

    #[test]
    fn a_pass_counts_as_first_try_rescued_or_other() {
        let pass = verdict(true, false);
        assert_eq!(task_verdict(&pass, 1, false, true), TaskVerdict::Passed { end: VerifiedEnd::PassedFirstTry });
        assert_eq!(task_verdict(&pass, 2, true, true), TaskVerdict::Passed { end: VerifiedEnd::Rescued });
        // A second attempt after a failure that was not a verdict's.
        assert_eq!(task_verdict(&pass, 2, false, true), TaskVerdict::Passed { end: VerifiedEnd::Other });
    }

    #[test]
    fn a_failed_verdict_is_retried_with_feedback_when_the_policy_says_so() {
        let fail = verdict(false, false);
        assert_eq!(
            task_verdict(&fail, 1, false, true),
            TaskVerdict::Failed {
                error: "verification failed: c failed".into(),
                retry: true,
                end_if_final: Some(VerifiedEnd::Other)
            }
        );
        let TaskVerdict::Failed { retry, end_if_final, .. } = task_verdict(&fail, 2, true, false) else { panic!() };
        assert!(!retry);
        assert_eq!(end_if_final, Some(VerifiedEnd::NotRescued));
    }

    #[test]
    fn a_verifier_that_could_not_judge_fails_the_task_without_a_retry_or_a_count() {
        let broken = verdict(false, true);
        assert_eq!(
            task_verdict(&broken, 1, false, true),
            TaskVerdict::Failed {
                error: "verification could not be completed: c failed".into(),
                retry: false,
                end_if_final: None
            }
        );
    }

    #[test]
    fn a_run_verdict_completes_reruns_its_one_sink_once_or_fails() {
        assert_eq!(run_verdict(&verdict(true, false), true, true, 1), RunVerdict::Complete);
        let fail = verdict(false, false);
        assert_eq!(run_verdict(&fail, true, true, 1), RunVerdict::RerunSink);
        let failed = RunVerdict::Fail { reason: "the run's criteria failed: c failed".into() };
        // Not twice, not without the policy, not with several final tasks.
        assert_eq!(run_verdict(&fail, false, true, 1), failed);
        assert_eq!(run_verdict(&fail, true, false, 1), failed);
        assert_eq!(run_verdict(&fail, true, true, 2), failed);
    }
}
