//! The verifier-driven model cascade: which of a cascade's models (cheapest
//! first) an attempt runs on. The first attempt runs on the cheapest model
//! and each retry on the next (a retry follows a rejected output, so the
//! stronger model gets the verifier's feedback); a model whose outcomes on
//! the task's kind show it failing that kind is skipped for it, so that the
//! kind starts where it has passed. The last model is never skipped: there
//! is nothing stronger to hand the task to.

use serde_json::{json, Value};

/// What the outcomes say of one model on one task kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelRecord {
    /// The model's name.
    pub model: String,
    /// Its outcomes of the kind.
    pub samples: u64,
    /// Of those, the passes.
    pub passed: u64,
}

/// When a model is skipped for a kind.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rules {
    /// A pass rate below this ...
    pub min_pass_rate: f64,
    /// ... over at least this many outcomes.
    pub min_samples: u64,
}

/// A model left out for a kind, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    /// The model.
    pub model: String,
    /// Its pass rate on the kind.
    pub pass_rate: f64,
    /// Over how many outcomes.
    pub samples: u64,
}

/// The model an attempt runs on.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// Its index in the cascade.
    pub index: usize,
    /// Its place among the models not skipped (1 = the first tried).
    pub step: usize,
    /// How many models were not skipped.
    pub of: usize,
    /// The models skipped for the kind.
    pub skipped: Vec<Skipped>,
}

impl Step {
    /// The `cascade.step` event's details.
    pub fn data(&self, model: &str) -> Value {
        let skipped: Vec<Value> = self
            .skipped
            .iter()
            .map(|s| json!({"model": s.model, "pass_rate": s.pass_rate, "samples": s.samples}))
            .collect();
        json!({"model": model, "step": self.step, "of": self.of, "skipped": skipped})
    }

    /// The event's line.
    pub fn message(&self, attempt: u32, model: &str) -> String {
        let mut m = format!("attempt {attempt} runs on {model} (cascade step {} of {})", self.step, self.of);
        for s in &self.skipped {
            m.push_str(&format!(
                "; {} skipped for this kind: it passed {:.0}% of {} outcomes",
                s.model,
                s.pass_rate * 100.0,
                s.samples
            ));
        }
        m
    }
}

/// Which of `models` an attempt runs on, given the model the task's last
/// attempt that called one ran on (`previous`; None: this is the task's
/// first call) and `record` (per model, of the task's kind): the first model
/// not skipped, then the first not skipped past `previous`, and past the
/// last, the last again. Climbing from the model actually tried (not from
/// the attempt number) means an attempt that never called a model (handed
/// back on a pause, lost before its call) climbs nothing, and a model
/// learned weak meanwhile is passed over, not landed on twice.
pub fn step(models: &[&str], previous: Option<&str>, record: &[ModelRecord], rules: Rules) -> Step {
    let mut kept = Vec::with_capacity(models.len());
    let mut skipped = Vec::new();
    for (i, m) in models.iter().enumerate() {
        let weak = record.iter().find(|r| r.model == *m).filter(|r| {
            r.samples > 0
                && r.samples >= rules.min_samples
                && (r.passed as f64 / r.samples as f64) < rules.min_pass_rate
        });
        match weak {
            Some(r) if i + 1 < models.len() => skipped.push(Skipped {
                model: r.model.clone(),
                pass_rate: r.passed as f64 / r.samples as f64,
                samples: r.samples,
            }),
            _ => kept.push(i),
        }
    }
    // A previous model the cascade no longer has (a reload): start over.
    let after = previous.and_then(|p| models.iter().position(|m| *m == p));
    let at = match after {
        None => 0,
        Some(p) => kept.iter().position(|&i| i > p).unwrap_or(kept.len().saturating_sub(1)),
    };
    Step { index: kept.get(at).copied().unwrap_or(0), step: at + 1, of: kept.len(), skipped }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: Rules = Rules { min_pass_rate: 0.5, min_samples: 3 };

    fn rec(model: &str, samples: u64, passed: u64) -> ModelRecord {
        ModelRecord { model: model.into(), samples, passed }
    }

    #[test]
    fn each_retry_climbs_one_model_past_the_one_tried_and_stays_on_the_last() {
        let models = ["small", "medium", "large"];
        let climb = |previous: Option<&str>| step(&models, previous, &[], RULES).index;
        assert_eq!([climb(None), climb(Some("small")), climb(Some("medium")), climb(Some("large"))], [0, 1, 2, 2]);
        // A model the cascade no longer has: from the start.
        assert_eq!(climb(Some("retired")), 0);
        let s = step(&models, Some("small"), &[], RULES);
        assert_eq!((s.step, s.of), (2, 3));
    }

    #[test]
    fn a_model_failing_a_kind_is_skipped_once_it_has_enough_outcomes() {
        let models = ["small", "medium", "large"];
        // Two failures are not yet enough to judge by.
        assert_eq!(step(&models, None, &[rec("small", 2, 0)], RULES).index, 0);
        let s = step(&models, None, &[rec("small", 3, 1), rec("medium", 10, 9)], RULES);
        assert_eq!(s.index, 1);
        assert_eq!((s.step, s.of), (1, 2));
        assert_eq!(s.skipped, [Skipped { model: "small".into(), pass_rate: 1.0 / 3.0, samples: 3 }]);
        // The task's own failure on small made small weak: its retry goes to
        // medium (the next past small), not to large.
        assert_eq!(step(&models, Some("small"), &[rec("small", 3, 1)], RULES).index, 1);
        // Medium learned weak after the task tried small: passed over.
        assert_eq!(step(&models, Some("small"), &[rec("medium", 3, 0)], RULES).index, 2);
        // At the rate itself it is kept.
        assert_eq!(step(&models, None, &[rec("small", 4, 2)], RULES).index, 0);
    }

    #[test]
    fn the_last_model_is_never_skipped() {
        let models = ["small", "large"];
        let s = step(&models, None, &[rec("small", 9, 0), rec("large", 9, 0)], RULES);
        assert_eq!(s.index, 1);
        assert_eq!(s.of, 1);
        assert_eq!(s.skipped.len(), 1);
        assert_eq!(step(&["only"], Some("only"), &[rec("only", 9, 0)], RULES).index, 0);
        assert!(s.message(1, "large").contains("small skipped for this kind: it passed 0% of 9 outcomes"));
    }
}
