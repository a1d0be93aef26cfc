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

/// Which of `models` attempt `attempt` (1-based) runs on, given `record`
/// (per model, of the task's kind). Past the last model, the last again.
pub fn step(models: &[&str], attempt: u32, record: &[ModelRecord], rules: Rules) -> Step {
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
    let at = (attempt.max(1) as usize - 1).min(kept.len().saturating_sub(1));
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
    fn each_retry_climbs_one_model_and_stays_on_the_last() {
        let models = ["small", "medium", "large"];
        let picked: Vec<usize> = (1..=5).map(|a| step(&models, a, &[], RULES).index).collect();
        assert_eq!(picked, [0, 1, 2, 2, 2]);
        assert_eq!(step(&models, 0, &[], RULES).index, 0);
        let s = step(&models, 2, &[], RULES);
        assert_eq!((s.step, s.of), (2, 3));
    }

    #[test]
    fn a_model_failing_a_kind_is_skipped_once_it_has_enough_outcomes() {
        let models = ["small", "medium", "large"];
        // Two failures are not yet enough to judge by.
        assert_eq!(step(&models, 1, &[rec("small", 2, 0)], RULES).index, 0);
        let s = step(&models, 1, &[rec("small", 3, 1), rec("medium", 10, 9)], RULES);
        assert_eq!(s.index, 1);
        assert_eq!((s.step, s.of), (1, 2));
        assert_eq!(s.skipped, [Skipped { model: "small".into(), pass_rate: 1.0 / 3.0, samples: 3 }]);
        assert_eq!(step(&models, 2, &[rec("small", 3, 1)], RULES).index, 2);
        // At the rate itself it is kept.
        assert_eq!(step(&models, 1, &[rec("small", 4, 2)], RULES).index, 0);
    }

    #[test]
    fn the_last_model_is_never_skipped() {
        let models = ["small", "large"];
        let s = step(&models, 1, &[rec("small", 9, 0), rec("large", 9, 0)], RULES);
        assert_eq!(s.index, 1);
        assert_eq!(s.of, 1);
        assert_eq!(s.skipped.len(), 1);
        assert_eq!(step(&["only"], 3, &[rec("only", 9, 0)], RULES).index, 0);
        assert!(s.message(1, "large").contains("small skipped for this kind: it passed 0% of 9 outcomes"));
    }
}
