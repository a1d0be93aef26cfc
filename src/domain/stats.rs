//! Learning from history: an attempt's outcome (who did what kind of task,
//! on which model, how it went and what it cost), the task kind that groups
//! repeated tasks together, and the statistics over a set of outcomes, each
//! figure with the sample it stands on.

use std::collections::BTreeMap;

use super::Micros;

/// One finished attempt, as learning sees it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Outcome {
    pub run_id: String,
    pub task_id: String,
    /// The attempt's number (1 for the first).
    pub attempt: i32,
    pub finished_at: Micros,
    pub agent: String,
    /// `agent`, `command` or `llm`.
    pub executor: String,
    /// The model that did the work ("" for an agent's own).
    pub model: String,
    /// The recipe the run came from ("" for none) and its version.
    pub recipe: String,
    pub recipe_version: i32,
    /// See [`task_kind`].
    pub task_kind: String,
    /// The attempt's final status (`SUCCEEDED`, `FAILED`, …).
    pub status: String,
    /// Succeeded, and passed its verification if it had one.
    pub passed: bool,
    /// Its verdict's score, if it was verified.
    pub score: Option<f64>,
    /// Turns it took.
    pub turns: i32,
    pub tokens: i64,
    pub cost_micros: i64,
    pub latency_ms: i64,
}

/// Words of a title or instructions a task kind keeps.
const KIND_WORDS: usize = 8;

/// The kind of a task, so that repeated tasks of one shape group together
/// whatever their values: the agent, then the title (or the start of the
/// instructions) lowercased, every number `#`, punctuation dropped, its
/// first words. `summarise: "Summarise issue 4521!"` → `w:summarise issue #`.
pub fn task_kind(agent: &str, title: &str, instructions: &str) -> String {
    let text = if title.trim().is_empty() { instructions } else { title };
    let mut words: Vec<String> = Vec::new();
    for raw in text.split_whitespace().take(64) {
        let mut w = String::new();
        let mut in_number = false;
        for c in raw.chars() {
            if c.is_ascii_digit() {
                if !in_number {
                    w.push('#');
                }
                in_number = true;
            } else {
                in_number = false;
                if c.is_alphanumeric() {
                    w.extend(c.to_lowercase());
                }
            }
        }
        if !w.is_empty() {
            words.push(w);
        }
        if words.len() == KIND_WORDS {
            break;
        }
    }
    format!("{agent}:{}", words.join(" "))
}

/// What statistics are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GroupBy {
    #[default]
    Agent,
    Model,
    Recipe,
    TaskKind,
}

impl GroupBy {
    fn key(self, o: &Outcome) -> &str {
        match self {
            GroupBy::Agent => &o.agent,
            GroupBy::Model => &o.model,
            GroupBy::Recipe => &o.recipe,
            GroupBy::TaskKind => &o.task_kind,
        }
    }
}

/// A rate with the sample it stands on and its 95 % Wilson interval.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rate {
    pub value: f64,
    pub samples: u64,
    pub low: f64,
    pub high: f64,
}

impl Rate {
    /// `hits` of `n`.
    pub fn of(hits: u64, n: u64) -> Rate {
        if n == 0 {
            return Rate::default();
        }
        let (p, n_f) = (hits as f64 / n as f64, n as f64);
        let z = 1.96_f64;
        let denom = 1.0 + z * z / n_f;
        let centre = (p + z * z / (2.0 * n_f)) / denom;
        let half = z * ((p * (1.0 - p) + z * z / (4.0 * n_f)) / n_f).sqrt() / denom;
        Rate { value: p, samples: n, low: (centre - half).max(0.0), high: (centre + half).min(1.0) }
    }
}

/// The statistics of one group.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Stat {
    /// The agent, model, recipe or task kind ("" for none).
    pub key: String,
    /// Attempts in the group.
    pub attempts: u64,
    /// Tasks in the group (a task's attempts all count to it).
    pub tasks: u64,
    /// Of the tasks, the share that passed in the end, and at the first attempt.
    pub pass_rate: Rate,
    pub first_try_pass_rate: Rate,
    /// Mean attempts of the tasks that passed.
    pub mean_attempts_to_pass: f64,
    /// Attempt latency, milliseconds.
    pub latency_p50_ms: i64,
    pub latency_p95_ms: i64,
    /// Mean tokens and cost per attempt.
    pub mean_tokens: f64,
    pub mean_cost_micros: f64,
    /// Mean verdict score of the verified attempts, and how many there were.
    pub mean_score: Option<f64>,
    pub scored: u64,
}

/// The value at quantile `q` of sorted values (nearest rank).
fn quantile(sorted: &[i64], q: f64) -> i64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// The statistics of outcomes per group, by key. A task is judged by its
/// attempts among the outcomes: it passed when one did, first try when its
/// attempt 1 did.
pub fn summarise(outcomes: &[Outcome], by: GroupBy) -> Vec<Stat> {
    let mut groups: BTreeMap<&str, Vec<&Outcome>> = BTreeMap::new();
    for o in outcomes {
        groups.entry(by.key(o)).or_default().push(o);
    }
    groups
        .into_iter()
        .map(|(key, list)| {
            // Per task: (passed at all, passed first, the attempt that passed).
            let mut tasks: BTreeMap<(&str, &str), (bool, bool, i32)> = BTreeMap::new();
            for o in &list {
                let t = tasks.entry((o.run_id.as_str(), o.task_id.as_str())).or_insert((false, false, 0));
                if o.passed {
                    t.0 = true;
                    t.1 |= o.attempt == 1;
                    t.2 = if t.2 == 0 { o.attempt } else { t.2.min(o.attempt) };
                }
            }
            let n = tasks.len() as u64;
            let passed: Vec<i32> = tasks.values().filter(|t| t.0).map(|t| t.2).collect();
            let first = tasks.values().filter(|t| t.1).count() as u64;
            let mut latency: Vec<i64> = list.iter().map(|o| o.latency_ms).collect();
            latency.sort_unstable();
            let a = list.len() as f64;
            let scores: Vec<f64> = list.iter().filter_map(|o| o.score).collect();
            Stat {
                key: key.to_string(),
                attempts: list.len() as u64,
                tasks: n,
                pass_rate: Rate::of(passed.len() as u64, n),
                first_try_pass_rate: Rate::of(first, n),
                mean_attempts_to_pass: if passed.is_empty() {
                    0.0
                } else {
                    passed.iter().map(|&x| f64::from(x)).sum::<f64>() / passed.len() as f64
                },
                latency_p50_ms: quantile(&latency, 0.5),
                latency_p95_ms: quantile(&latency, 0.95),
                mean_tokens: list.iter().map(|o| o.tokens as f64).sum::<f64>() / a,
                mean_cost_micros: list.iter().map(|o| o.cost_micros as f64).sum::<f64>() / a,
                mean_score: (!scores.is_empty()).then(|| scores.iter().sum::<f64>() / scores.len() as f64),
                scored: scores.len() as u64,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(task: &str, n: i32, passed: bool, latency_ms: i64, tokens: i64) -> Outcome {
        Outcome {
            run_id: "r".into(),
            task_id: task.into(),
            attempt: n,
            agent: "w".into(),
            model: if task == "c" { "big".into() } else { String::new() },
            passed,
            latency_ms,
            tokens,
            ..Default::default()
        }
    }

    #[test]
    fn a_task_kind_keeps_the_shape_not_the_values() {
        assert_eq!(task_kind("w", "Summarise issue 4521!", ""), "w:summarise issue #");
        assert_eq!(task_kind("w", "Summarise issue 17", "other"), task_kind("w", "summarise  ISSUE #17", ""));
        assert_eq!(
            task_kind("w", "", "Read the 3 newest issues, then say which one matters most of all"),
            "w:read the # newest issues then say which"
        );
        assert_ne!(task_kind("w", "Count", ""), task_kind("v", "Count", ""));
    }

    #[test]
    fn statistics_of_a_known_history() {
        // a: passes first try; b: fails, then passes; c (another model): fails twice.
        let history = vec![
            attempt("a", 1, true, 100, 10),
            attempt("b", 1, false, 200, 20),
            attempt("b", 2, true, 300, 30),
            attempt("c", 1, false, 400, 40),
            attempt("c", 2, false, 500, 50),
        ];
        let by_agent = summarise(&history, GroupBy::Agent);
        assert_eq!(by_agent.len(), 1);
        let s = &by_agent[0];
        assert_eq!((s.key.as_str(), s.attempts, s.tasks), ("w", 5, 3));
        assert!((s.pass_rate.value - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(s.pass_rate.samples, 3);
        assert!((s.first_try_pass_rate.value - 1.0 / 3.0).abs() < 1e-9);
        assert!((s.mean_attempts_to_pass - 1.5).abs() < 1e-9);
        assert_eq!((s.latency_p50_ms, s.latency_p95_ms), (300, 500));
        assert!((s.mean_tokens - 30.0).abs() < 1e-9);
        assert!(s.pass_rate.low < s.pass_rate.value && s.pass_rate.value < s.pass_rate.high);
        let by_model = summarise(&history, GroupBy::Model);
        let keys: Vec<&str> = by_model.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, ["", "big"]);
        assert_eq!(by_model[1].pass_rate.value, 0.0);
    }

    #[test]
    fn the_interval_narrows_with_the_sample() {
        let small = Rate::of(8, 10);
        let large = Rate::of(800, 1000);
        assert!(small.high - small.low > large.high - large.low);
        assert_eq!(Rate::of(0, 0), Rate::default());
        let all = Rate::of(5, 5);
        assert!(all.high <= 1.0 && all.low > 0.4);
    }
}
