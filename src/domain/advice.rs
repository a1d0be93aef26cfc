//! Preflight advice: what a run will likely cost, take and achieve, from
//! the workspace's outcomes, before anything runs; and what to change
//! (warnings, a recipe of the same shape, a model per task). Pure: the
//! engine gathers the history and the recipes.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use super::plan::TaskSpec;
use super::run::RunSpec;
use super::stats::{task_kind, Outcome};

/// An expected value with the range history gives it (10th to 90th percentile).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Range {
    pub expected: f64,
    pub low: f64,
    pub high: f64,
}

impl Range {
    fn plus(self, o: Range) -> Range {
        Range { expected: self.expected + o.expected, low: self.low + o.low, high: self.high + o.high }
    }
}

/// Where a task's prediction comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Basis {
    /// Tasks of its kind.
    TaskKind,
    /// Its agent's tasks of any kind.
    Agent,
    /// No history.
    #[default]
    None,
}

impl Basis {
    /// Its name in answers.
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::TaskKind => "task_kind",
            Basis::Agent => "agent",
            Basis::None => "none",
        }
    }
}

/// The advice on one task.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TaskAdvice {
    pub task_id: String,
    pub task_kind: String,
    /// Its chance of passing in the end (None without history).
    pub pass_chance: Option<f64>,
    /// Past tasks the prediction stands on.
    pub samples: u64,
    pub basis: Basis,
    pub tokens: Range,
    pub cost_micros: Range,
    pub duration_ms: Range,
    /// For a task of an `llm` agent: the cheapest model that passed its kind
    /// often enough (see [`MODEL_PASS_RATE`]), if it is not the one it uses.
    pub suggested_model: Option<String>,
}

/// A warning: a code clients can act on, and a sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    pub code: &'static str,
    pub message: String,
}

/// The advice on a run.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Advice {
    pub tokens: Range,
    pub cost_micros: Range,
    /// Wall clock along the critical path.
    pub duration_ms: Range,
    /// The chance that every required task passes (None without history).
    pub pass_chance: Option<f64>,
    pub tasks: Vec<TaskAdvice>,
    /// Task ids, the likeliest to fail first (at most three, only those below 90 %).
    pub likely_failures: Vec<String>,
    pub warnings: Vec<Warning>,
    /// A recipe whose graph is this run's.
    pub suggested_recipe: Option<String>,
    /// Outcomes the advice stands on.
    pub outcomes: u64,
}

/// The pass rate a model needs on a kind (with [`MODEL_SAMPLES`]) to be suggested.
pub const MODEL_PASS_RATE: f64 = 0.8;
/// Past tasks of a kind a model needs to be judged on it.
pub const MODEL_SAMPLES: u64 = 3;
/// An agent's pass rate under this (with [`AGENT_SAMPLES`]) is warned about.
pub const AGENT_PASS_RATE: f64 = 0.6;
/// Past tasks an agent needs before its pass rate is warned about.
pub const AGENT_SAMPLES: u64 = 5;

/// One past task: its attempts' totals.
#[derive(Debug, Clone, Default)]
struct PastTask {
    passed: bool,
    tokens: f64,
    cost: f64,
    duration: f64,
}

/// What a group of past tasks says, summarised once (a plan of many tasks
/// of one kind asks the same group many times).
#[derive(Debug, Clone, Default)]
struct Summary {
    pass: f64,
    samples: u64,
    tokens: Range,
    cost: Range,
    duration: Range,
}

/// A model's record on a kind: (model, pass rate, samples, mean cost).
type ModelRecord = (String, f64, u64, f64);

/// Past tasks summarised by kind and by agent, and each kind's models.
struct Past {
    by_kind: HashMap<String, Summary>,
    by_agent: HashMap<String, Summary>,
    models_by_kind: HashMap<String, Vec<ModelRecord>>,
}

fn summary(tasks: &[PastTask]) -> Summary {
    let pick = |f: fn(&PastTask) -> f64| range_of(&mut tasks.iter().map(f).collect::<Vec<_>>());
    Summary {
        pass: pass_rate(tasks),
        samples: tasks.len() as u64,
        tokens: pick(|t| t.tokens),
        cost: pick(|t| t.cost),
        duration: pick(|t| t.duration),
    }
}

fn past(history: &[Outcome]) -> Past {
    let mut tasks: BTreeMap<(&str, &str), (&Outcome, PastTask)> = BTreeMap::new();
    for o in history {
        let t = tasks.entry((o.run_id.as_str(), o.task_id.as_str())).or_insert((o, PastTask::default()));
        t.1.passed |= o.passed;
        t.1.tokens += o.tokens as f64;
        t.1.cost += o.cost_micros as f64;
        t.1.duration += o.latency_ms as f64;
    }
    let mut by_kind: HashMap<&str, Vec<PastTask>> = HashMap::new();
    let mut by_agent: HashMap<&str, Vec<PastTask>> = HashMap::new();
    let mut by_kind_model: HashMap<(&str, &str), Vec<PastTask>> = HashMap::new();
    for (o, t) in tasks.into_values() {
        by_kind.entry(o.task_kind.as_str()).or_default().push(t.clone());
        by_agent.entry(o.agent.as_str()).or_default().push(t.clone());
        by_kind_model.entry((o.task_kind.as_str(), o.model.as_str())).or_default().push(t);
    }
    let mut models_by_kind: HashMap<String, Vec<ModelRecord>> = HashMap::new();
    for ((kind, model), list) in by_kind_model {
        let cost = list.iter().map(|t| t.cost).sum::<f64>() / list.len().max(1) as f64;
        models_by_kind.entry(kind.to_string()).or_default().push((
            model.to_string(),
            pass_rate(&list),
            list.len() as u64,
            cost,
        ));
    }
    Past {
        by_kind: by_kind.into_iter().map(|(k, l)| (k.to_string(), summary(&l))).collect(),
        by_agent: by_agent.into_iter().map(|(k, l)| (k.to_string(), summary(&l))).collect(),
        models_by_kind,
    }
}

fn range_of(values: &mut [f64]) -> Range {
    if values.is_empty() {
        return Range::default();
    }
    values.sort_by(f64::total_cmp);
    let at = |q: f64| values[((q * (values.len() - 1) as f64).round() as usize).min(values.len() - 1)];
    Range { expected: at(0.5), low: at(0.1), high: at(0.9) }
}

fn pass_rate(tasks: &[PastTask]) -> f64 {
    tasks.iter().filter(|t| t.passed).count() as f64 / tasks.len().max(1) as f64
}

/// The advice on one task from the past.
fn task_advice(t: &TaskSpec, p: &Past, model_of: &dyn Fn(&str) -> Option<String>) -> TaskAdvice {
    let kind = task_kind(&t.agent, &t.title, &t.instructions);
    let none = Summary::default();
    let (basis, s) = match (p.by_kind.get(&kind), p.by_agent.get(&t.agent)) {
        (Some(s), _) => (Basis::TaskKind, s),
        (None, Some(s)) => (Basis::Agent, s),
        (None, None) => (Basis::None, &none),
    };
    let suggested_model = model_of(&t.agent).and_then(|current| {
        let mut best: Option<(f64, &str)> = None;
        for (model, pass, samples, cost) in p.models_by_kind.get(&kind).map(Vec::as_slice).unwrap_or_default() {
            if model.is_empty() || *samples < MODEL_SAMPLES || *pass < MODEL_PASS_RATE {
                continue;
            }
            if best.is_none_or(|(c, m)| *cost < c || (*cost == c && model.as_str() < m)) {
                best = Some((*cost, model));
            }
        }
        best.map(|(_, m)| m.to_string()).filter(|m| *m != current)
    });
    TaskAdvice {
        task_id: t.id.clone(),
        pass_chance: (s.samples > 0).then_some(s.pass),
        samples: s.samples,
        basis,
        tokens: s.tokens,
        cost_micros: s.cost,
        duration_ms: s.duration,
        suggested_model,
        task_kind: kind,
    }
}

/// The longest path through the plan by each of a range's three values
/// (Kahn's order: no recursion, whatever the depth).
fn critical_path(tasks: &[TaskSpec], durations: &HashMap<&str, Range>) -> Range {
    let index: HashMap<&str, usize> = tasks.iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
    let mut waiting: Vec<usize> = vec![0; tasks.len()];
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); tasks.len()];
    for (i, t) in tasks.iter().enumerate() {
        for d in t.depends_on.iter().filter_map(|d| index.get(d.as_str())) {
            waiting[i] += 1;
            dependents[*d].push(i);
        }
    }
    let mut start: Vec<Range> = vec![Range::default(); tasks.len()];
    let mut ready: VecDeque<usize> = (0..tasks.len()).filter(|i| waiting[*i] == 0).collect();
    let mut longest = Range::default();
    while let Some(i) = ready.pop_front() {
        let end = start[i].plus(durations.get(tasks[i].id.as_str()).copied().unwrap_or_default());
        longest = Range {
            expected: longest.expected.max(end.expected),
            low: longest.low.max(end.low),
            high: longest.high.max(end.high),
        };
        for &j in &dependents[i] {
            let s = &mut start[j];
            *s = Range { expected: s.expected.max(end.expected), low: s.low.max(end.low), high: s.high.max(end.high) };
            waiting[j] -= 1;
            if waiting[j] == 0 {
                ready.push_back(j);
            }
        }
    }
    longest
}

/// The shape of a graph: each task's id, agent and dependencies, sorted.
pub type Shape = Vec<(String, String, Vec<String>)>;

/// The shape of a plan.
pub fn shape(tasks: &[TaskSpec]) -> Shape {
    let mut s: Vec<(String, String, Vec<String>)> = tasks
        .iter()
        .map(|t| {
            let mut d = t.depends_on.clone();
            d.sort();
            (t.id.clone(), t.agent.clone(), d)
        })
        .collect();
    s.sort();
    s
}

/// Words that say nothing about what done looks like.
const VAGUE: &[&str] =
    &["something", "stuff", "things", "etc", "somehow", "better", "improve", "whatever", "anything", "fix it"];
/// Words of a goal that tries to do everything.
const BROAD: &[&str] = &["everything", "all of", "entire", "every single", "whole"];

/// The prompt coach's rules on a goal.
fn coach(goal: &str, out: &mut Vec<Warning>) {
    let lower = goal.to_lowercase();
    let words = goal.split_whitespace().count();
    let vague: Vec<&str> = VAGUE.iter().copied().filter(|w| contains_word(&lower, w)).collect();
    if words < 3 {
        out.push(Warning {
            code: "VAGUE_GOAL",
            message: format!("the goal has {words} word(s): say what the result is and what done looks like"),
        });
    } else if !vague.is_empty() {
        out.push(Warning {
            code: "VAGUE_GOAL",
            message: format!(
                "the goal says {:?}: name the result instead (what, for whom, done when)",
                vague.join("\", \"")
            ),
        });
    }
    let ands = lower.matches(" and ").count();
    let broad: Vec<&str> = BROAD.iter().copied().filter(|w| contains_word(&lower, w)).collect();
    if words > 80 || ands >= 4 || !broad.is_empty() {
        out.push(Warning {
            code: "BROAD_GOAL",
            message: "the goal asks for a lot at once: split it into runs (or child runs) of one result each".into(),
        });
    }
}

fn contains_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
        let after = text[i + word.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric());
        before && after
    })
}

/// The advice on a run (`tasks`: its plan, empty when the planner is to
/// make it) from a workspace's outcomes. `model_of` names an `llm` agent's
/// model (None for other agents); `recipes` are the workspace's recipes'
/// shapes (see [`shape`]).
pub fn advise(
    run: &RunSpec,
    tasks: &[TaskSpec],
    history: &[Outcome],
    model_of: &dyn Fn(&str) -> Option<String>,
    recipes: &[(String, Shape)],
) -> Advice {
    let p = past(history);
    let mut a = Advice { outcomes: history.len() as u64, ..Default::default() };
    a.tasks = tasks.iter().map(|t| task_advice(t, &p, model_of)).collect();
    for t in &a.tasks {
        a.tokens = a.tokens.plus(t.tokens);
        a.cost_micros = a.cost_micros.plus(t.cost_micros);
    }
    let durations: HashMap<&str, Range> = a.tasks.iter().map(|t| (t.task_id.as_str(), t.duration_ms)).collect();
    a.duration_ms = critical_path(tasks, &durations);
    let required: Vec<&TaskAdvice> =
        a.tasks.iter().zip(tasks).filter(|(_, t)| !t.optional).map(|(advice, _)| advice).collect();
    if !required.is_empty() && required.iter().all(|t| t.pass_chance.is_some()) {
        a.pass_chance = Some(required.iter().filter_map(|t| t.pass_chance).product());
    }
    let mut risky: Vec<&TaskAdvice> = a.tasks.iter().filter(|t| t.pass_chance.is_some_and(|p| p < 0.9)).collect();
    risky.sort_by(|x, y| x.pass_chance.unwrap_or(1.0).total_cmp(&y.pass_chance.unwrap_or(1.0)));
    a.likely_failures = risky.iter().take(3).map(|t| t.task_id.clone()).collect();

    let w = &mut a.warnings;
    if tasks.is_empty() {
        w.push(Warning {
            code: "NO_PLAN",
            message: "no plan: the planner will choose the tasks, so nothing about them can be predicted yet".into(),
        });
    } else if a.tasks.iter().all(|t| t.basis == Basis::None) {
        w.push(Warning {
            code: "NO_HISTORY",
            message: "no outcomes of these agents in the window: the predictions are empty, not zero".into(),
        });
    }
    let over = |limit: u64, predicted: f64| limit > 0 && predicted > limit as f64;
    if over(run.budget.max_tokens, a.tokens.expected) {
        w.push(Warning {
            code: "BUDGET_BELOW_PREDICTED",
            message: format!(
                "max_tokens {} is below the {:.0} tokens runs like this usually take",
                run.budget.max_tokens, a.tokens.expected
            ),
        });
    }
    if over(run.budget.max_cost_micros, a.cost_micros.expected) {
        w.push(Warning {
            code: "BUDGET_BELOW_PREDICTED",
            message: format!(
                "max_cost ${:.4} is below the ${:.4} runs like this usually cost",
                run.budget.max_cost_micros as f64 / 1e6,
                a.cost_micros.expected / 1e6
            ),
        });
    }
    if over(run.budget.max_duration_ms, a.duration_ms.expected) {
        w.push(Warning {
            code: "BUDGET_BELOW_PREDICTED",
            message: format!(
                "max_duration {:.1}s is below the {:.1}s runs like this usually take",
                run.budget.max_duration_ms as f64 / 1000.0,
                a.duration_ms.expected / 1000.0
            ),
        });
    }
    if run.criteria.is_empty() && tasks.iter().all(|t| t.criteria.is_empty()) {
        w.push(Warning {
            code: "NO_CRITERIA",
            message: "no criteria on the run or its tasks: any output passes, and retries learn nothing".into(),
        });
    }
    let agents: BTreeSet<&str> = tasks.iter().map(|t| t.agent.as_str()).collect();
    for agent in agents {
        if let Some(s) = p.by_agent.get(agent) {
            let rate = s.pass;
            if s.samples >= AGENT_SAMPLES && rate < AGENT_PASS_RATE {
                w.push(Warning {
                    code: "LOW_PASS_RATE",
                    message: format!(
                        "agent {agent:?} passed {:.0}% of its last {} tasks here",
                        rate * 100.0,
                        s.samples
                    ),
                });
            }
        }
    }
    coach(&run.goal, w);
    if run.recipe.is_none() && !tasks.is_empty() {
        let mine = shape(tasks);
        a.suggested_recipe = recipes.iter().find(|(_, s)| *s == mine).map(|(n, _)| n.clone());
    }
    a
}

/// How an advised run turned out against its advice.
#[derive(Debug, Clone, PartialEq)]
pub struct AdvisedRun {
    /// The advice's medians.
    pub predicted_tokens: f64,
    pub predicted_cost_micros: f64,
    pub predicted_duration_ms: f64,
    pub pass_chance: Option<f64>,
    /// Whether the run was of the recipe the advice suggested (None: it suggested none).
    pub followed_recipe: Option<bool>,
    /// The run's actuals.
    pub completed: bool,
    pub tokens: f64,
    pub cost_micros: f64,
    pub duration_ms: f64,
}

/// How good advice has been: its runs, the mean relative error of each
/// prediction (|actual − predicted| / the larger of the two, 0 when both
/// are 0: 0 is exact, 1 is off by everything), the mean predicted pass
/// chance against the share that completed, and how often a suggested
/// recipe was followed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Accuracy {
    pub runs: u64,
    pub tokens_error: f64,
    pub cost_error: f64,
    pub duration_error: f64,
    pub mean_pass_chance: Option<f64>,
    pub completed: super::stats::Rate,
    pub followed_recipe: super::stats::Rate,
}

fn relative_error(predicted: f64, actual: f64) -> f64 {
    let scale = predicted.abs().max(actual.abs());
    if scale == 0.0 {
        0.0
    } else {
        (actual - predicted).abs() / scale
    }
}

/// The accuracy of advice over its runs.
pub fn accuracy(runs: &[AdvisedRun]) -> Accuracy {
    if runs.is_empty() {
        return Accuracy::default();
    }
    let n = runs.len() as f64;
    let mean = |f: &dyn Fn(&AdvisedRun) -> f64| runs.iter().map(f).sum::<f64>() / n;
    let chances: Vec<f64> = runs.iter().filter_map(|r| r.pass_chance).collect();
    let suggested: Vec<bool> = runs.iter().filter_map(|r| r.followed_recipe).collect();
    Accuracy {
        runs: runs.len() as u64,
        tokens_error: mean(&|r| relative_error(r.predicted_tokens, r.tokens)),
        cost_error: mean(&|r| relative_error(r.predicted_cost_micros, r.cost_micros)),
        duration_error: mean(&|r| relative_error(r.predicted_duration_ms, r.duration_ms)),
        mean_pass_chance: (!chances.is_empty()).then(|| chances.iter().sum::<f64>() / chances.len() as f64),
        completed: super::stats::Rate::of(runs.iter().filter(|r| r.completed).count() as u64, runs.len() as u64),
        followed_recipe: super::stats::Rate::of(
            suggested.iter().filter(|f| **f).count() as u64,
            suggested.len() as u64,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(id: &str, agent: &str, deps: &[&str]) -> TaskSpec {
        TaskSpec {
            id: id.into(),
            title: format!("Do {id}"),
            agent: agent.into(),
            depends_on: deps.iter().map(|d| d.to_string()).collect(),
            ..Default::default()
        }
    }

    fn past_task(run: usize, id: &str, agent: &str, model: &str, passed: bool, tokens: i64, latency: i64) -> Outcome {
        Outcome {
            run_id: format!("r{run}"),
            task_id: id.into(),
            attempt: 1,
            agent: agent.into(),
            model: model.into(),
            task_kind: task_kind(agent, &format!("Do {id}"), ""),
            passed,
            tokens,
            cost_micros: tokens * 10,
            latency_ms: latency,
            ..Default::default()
        }
    }

    /// Ten past runs of a → b, c (b after a, c after a): a always passes in
    /// 100 ms with 10 tokens, b passes 8 of 10 in 1,000 ms, c passes all in 300 ms.
    fn history() -> Vec<Outcome> {
        let mut h = Vec::new();
        for r in 0..10 {
            h.push(past_task(r, "a", "w", "", true, 10, 100));
            h.push(past_task(r, "b", "w", "", r < 8, 100, 1000));
            h.push(past_task(r, "c", "llm", if r % 2 == 0 { "small" } else { "large" }, true, 50, 300));
        }
        h
    }

    #[test]
    fn a_run_like_its_history_is_predicted_from_it() {
        let plan = vec![task("a", "w", &[]), task("b", "w", &["a"]), task("c", "llm", &["a"])];
        let run = RunSpec { goal: "Summarise the three newest billing issues".into(), ..Default::default() };
        let model_of = |agent: &str| (agent == "llm").then(|| "large".to_string());
        let a = advise(&run, &plan, &history(), &model_of, &[]);
        assert_eq!(a.tokens.expected, 160.0);
        assert_eq!(a.cost_micros.expected, 1600.0);
        assert_eq!(a.duration_ms.expected, 1100.0, "a then b is the critical path");
        let chance = a.pass_chance.expect("chance");
        assert!((chance - 0.8).abs() < 1e-9, "{chance}");
        assert_eq!(a.likely_failures, ["b"]);
        assert_eq!(a.tasks[1].basis, Basis::TaskKind);
        assert_eq!(a.tasks[1].samples, 10);
        assert_eq!(
            a.tasks[2].suggested_model.as_deref(),
            None,
            "both models cost the same: the first by name is not cheaper"
        );
        let codes: Vec<&str> = a.warnings.iter().map(|w| w.code).collect();
        assert_eq!(codes, ["NO_CRITERIA"]);
    }

    #[test]
    fn the_cheaper_model_that_passes_is_suggested() {
        let mut h = history();
        for o in h.iter_mut().filter(|o| o.model == "small") {
            o.cost_micros = 1;
        }
        let plan = vec![task("c", "llm", &[])];
        let model_of = |_: &str| Some("large".to_string());
        let a = advise(
            &RunSpec { goal: "Classify the ticket by urgency".into(), ..Default::default() },
            &plan,
            &h,
            &model_of,
            &[],
        );
        assert_eq!(a.tasks[0].suggested_model.as_deref(), Some("small"));
    }

    #[test]
    fn budgets_goals_agents_and_recipes_are_warned_about() {
        let plan = vec![task("a", "w", &[]), task("b", "w", &["a"])];
        let mut run = RunSpec { goal: "improve stuff".into(), ..Default::default() };
        run.budget.max_tokens = 50;
        run.budget.max_duration_ms = 500;
        let mut h = history();
        for o in h.iter_mut().filter(|o| o.task_id == "a") {
            o.passed = false;
        }
        let recipes = vec![("pair".to_string(), shape(&plan))];
        let a = advise(&run, &plan, &h, &|_| None, &recipes);
        let codes: Vec<&str> = a.warnings.iter().map(|w| w.code).collect();
        assert_eq!(
            codes,
            ["BUDGET_BELOW_PREDICTED", "BUDGET_BELOW_PREDICTED", "NO_CRITERIA", "LOW_PASS_RATE", "VAGUE_GOAL"]
        );
        assert_eq!(a.suggested_recipe.as_deref(), Some("pair"));
        let none = advise(
            &RunSpec { goal: "Do all of it and everything else".into(), ..Default::default() },
            &[],
            &[],
            &|_| None,
            &[],
        );
        let codes: Vec<&str> = none.warnings.iter().map(|w| w.code).collect();
        assert_eq!(codes, ["NO_PLAN", "NO_CRITERIA", "BROAD_GOAL"]);
        assert_eq!(none.pass_chance, None);
    }

    #[test]
    fn advice_is_scored_against_what_followed() {
        let run = |p: f64, a: f64, followed: Option<bool>, completed: bool| AdvisedRun {
            predicted_tokens: p,
            predicted_cost_micros: 0.0,
            predicted_duration_ms: p,
            pass_chance: Some(0.5),
            followed_recipe: followed,
            completed,
            tokens: a,
            cost_micros: 0.0,
            duration_ms: a,
        };
        let acc = accuracy(&[run(100.0, 100.0, Some(true), true), run(100.0, 200.0, None, false)]);
        assert_eq!(acc.runs, 2);
        assert!((acc.tokens_error - 0.25).abs() < 1e-9, "exact, then off by half: {acc:?}");
        assert_eq!(acc.cost_error, 0.0, "both zero is exact");
        assert_eq!(acc.mean_pass_chance, Some(0.5));
        assert_eq!((acc.completed.value, acc.followed_recipe.samples), (0.5, 1));
        assert_eq!(accuracy(&[]), Accuracy::default());
    }

    #[test]
    fn a_wide_plan_over_a_long_history_is_summarised_once() {
        // 20,000 tasks of one kind against 50,000 past ones: each group sorted once.
        let history: Vec<Outcome> = (0..50_000).map(|i| past_task(i, "a", "llm", "m", i % 2 == 0, 10, 5)).collect();
        let plan: Vec<TaskSpec> = (0..20_000)
            .map(|i| TaskSpec { id: format!("t{i}"), title: "Do a".into(), agent: "llm".into(), ..Default::default() })
            .collect();
        let a = advise(
            &RunSpec { goal: "Do the many tasks of the batch".into(), ..Default::default() },
            &plan,
            &history,
            &|_| Some("m".into()),
            &[],
        );
        assert_eq!(a.tasks.len(), 20_000);
        assert_eq!(a.tasks[0].samples, 50_000);
        assert_eq!(a.tokens.expected, 200_000.0);
    }

    #[test]
    fn a_deep_plan_is_walked_without_recursion() {
        let plan: Vec<TaskSpec> = (0..20_000)
            .map(|i| {
                let deps: Vec<String> = if i == 0 { vec![] } else { vec![format!("t{}", i - 1)] };
                TaskSpec { id: format!("t{i}"), agent: "w".into(), depends_on: deps, ..Default::default() }
            })
            .collect();
        let durations: HashMap<&str, Range> =
            plan.iter().map(|t| (t.id.as_str(), Range { expected: 1.0, low: 1.0, high: 2.0 })).collect();
        let r = critical_path(&plan, &durations);
        assert_eq!((r.expected, r.high), (20_000.0, 40_000.0));
    }
}
