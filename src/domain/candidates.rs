//! Recipe candidates: completed runs that share a graph (the same agents
//! and edges once ids are set aside) are the same job done again; the
//! texts that differ between them are its parameters. Pure: the engine
//! reads the runs.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use sha2::{Digest, Sha256};

use super::plan::TaskSpec;
use super::recipe::{ValueParam, MAX_PARAMS, MAX_PARAM_VALUE};
use super::run::RunSpec;

/// A completed run as candidates see it: its request with its graph as it ended.
#[derive(Debug, Clone)]
pub struct PastRun {
    pub run_id: String,
    pub spec: RunSpec,
}

/// A proposed recipe.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The graph's fingerprint (hex, 16 characters).
    pub shape: String,
    /// The runs that share it, newest first.
    pub run_ids: Vec<String>,
    /// A name to give it (from the goals' common words).
    pub name: String,
    /// The literals of the newest run that differ between the runs: its
    /// parameters, for CreateRecipeFromRun of the newest run.
    pub parameters: Vec<ValueParam>,
}

/// Each task's place in a graph without its id: its agent, its depth, and
/// its dependencies' agents and depths, sorted; the graph's is the sorted
/// list. Tasks come back in that order (the one the texts are compared in).
fn normalised(tasks: &[TaskSpec]) -> (Vec<String>, Vec<usize>) {
    let index: HashMap<&str, usize> = tasks.iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
    // Depth by repeated relaxation over plan order (a plan's dependencies
    // are acyclic; a bounded number of passes, whatever the order).
    let mut depth = vec![0usize; tasks.len()];
    for _ in 0..tasks.len().min(64) {
        let mut changed = false;
        for (i, t) in tasks.iter().enumerate() {
            let d = t.depends_on.iter().filter_map(|d| index.get(d.as_str())).map(|&j| depth[j] + 1).max().unwrap_or(0);
            if d > depth[i] {
                depth[i] = d;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let mut keyed: Vec<(String, usize)> = tasks
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut deps: Vec<String> = t
                .depends_on
                .iter()
                .filter_map(|d| index.get(d.as_str()))
                .map(|&j| format!("{}@{}", tasks[j].agent, depth[j]))
                .collect();
            deps.sort();
            (format!("{}@{}<{}", t.agent, depth[i], deps.join(",")), i)
        })
        .collect();
    keyed.sort();
    (keyed.iter().map(|(k, _)| k.clone()).collect(), keyed.iter().map(|(_, i)| *i).collect())
}

/// The fingerprint of a graph (see [`normalised`]).
pub fn fingerprint(tasks: &[TaskSpec]) -> String {
    hash(&normalised(tasks).0)
}

fn hash(keys: &[String]) -> String {
    let mut h = Sha256::new();
    for k in keys {
        h.update(k.as_bytes());
        h.update([0]);
    }
    h.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// The part of `values[0]` between the prefix and the suffix all the
/// values share (on character boundaries); None when they are all equal.
fn differing(values: &[&str]) -> Option<String> {
    let first = values[0];
    if values.iter().all(|v| *v == first) {
        return None;
    }
    let mut prefix = first.len();
    let mut suffix = first.len();
    for v in &values[1..] {
        let p = first.bytes().zip(v.bytes()).take_while(|(a, b)| a == b).count();
        prefix = prefix.min(p);
        let s = first.bytes().rev().zip(v.bytes().rev()).take_while(|(a, b)| a == b).count();
        suffix = suffix.min(s);
    }
    // Whole words: a literal cut inside a word makes a poor parameter.
    while prefix > 0 && (!first.is_char_boundary(prefix) || first[..prefix].ends_with(|c: char| c.is_alphanumeric())) {
        prefix -= 1;
    }
    let mut end = first.len().saturating_sub(suffix).max(prefix);
    while end < first.len() && (!first.is_char_boundary(end) || first[end..].starts_with(|c: char| c.is_alphanumeric()))
    {
        end += 1;
    }
    let middle = first[prefix..end].trim();
    (middle.len() >= 2 && middle.len() <= MAX_PARAM_VALUE && !middle.contains("{{") && !middle.contains("}}"))
        .then(|| middle.to_string())
}

fn param_name(slot: &str, taken: &BTreeSet<String>) -> String {
    let mut base: String =
        slot.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
    if base.starts_with(|c: char| c.is_ascii_digit()) {
        base.insert(0, 'p');
    }
    base.truncate(48);
    let mut name = base.clone();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{base}_{n}");
        n += 1;
    }
    name
}

/// A name for a candidate: the words its runs' goals share, else its shape.
fn candidate_name(goals: &[&str], shape: &str) -> String {
    let sets: Vec<BTreeSet<String>> =
        goals.iter().map(|g| g.split_whitespace().map(|w| w.to_lowercase()).collect()).collect();
    const STOP: &[&str] = &["the", "and", "for", "with", "from", "into", "that", "this"];
    let mut seen = BTreeSet::new();
    let words: Vec<String> = goals[0]
        .split_whitespace()
        .map(|w| w.to_lowercase())
        .filter(|w| {
            sets.iter().all(|s| s.contains(w))
                && w.chars().all(|c| c.is_ascii_alphanumeric())
                && w.len() > 2
                && !STOP.contains(&w.as_str())
                && seen.insert(w.clone())
        })
        .take(4)
        .map(|w| w.chars().take(24).collect())
        .collect();
    if words.is_empty() {
        format!("candidate-{}", &shape[..8.min(shape.len())])
    } else {
        words.join("-")
    }
}

/// The candidates among `runs` (newest first): each graph shared by at
/// least `min_runs` of them, and by no recipe's (`known` fingerprints),
/// with the differing texts of its newest run as parameters.
pub fn find(runs: &[PastRun], min_runs: usize, known: &BTreeSet<String>) -> Vec<Candidate> {
    let mut groups: BTreeMap<String, Vec<(&PastRun, Vec<usize>)>> = BTreeMap::new();
    for r in runs {
        let Some(tasks) = r.spec.plan.as_ref().filter(|t| !t.is_empty()) else { continue };
        let (keys, order) = normalised(tasks);
        let shape = hash(&keys);
        if !known.contains(&shape) {
            groups.entry(shape).or_default().push((r, order));
        }
    }
    let mut out: Vec<Candidate> = groups
        .into_iter()
        .filter(|(_, g)| g.len() >= min_runs.max(2))
        .map(|(shape, group)| {
            // Text slots in the normalised order: the goal, then each task's title and instructions.
            let slots: Vec<(String, Vec<&str>)> = {
                let mut s = vec![("goal".to_string(), group.iter().map(|(r, _)| r.spec.goal.as_str()).collect())];
                let first_tasks = group[0].0.spec.plan.as_deref().unwrap_or_default();
                for (pos, &i) in group[0].1.iter().enumerate() {
                    let id = &first_tasks[i].id;
                    let pick = |f: fn(&TaskSpec) -> &str| -> Vec<&str> {
                        group
                            .iter()
                            .map(|(r, order)| {
                                let tasks = r.spec.plan.as_deref().unwrap_or_default();
                                order.get(pos).and_then(|&j| tasks.get(j)).map(f).unwrap_or("")
                            })
                            .collect()
                    };
                    s.push((format!("{id}_title"), pick(|t| t.title.as_str())));
                    s.push((format!("{id}_instructions"), pick(|t| t.instructions.as_str())));
                }
                s
            };
            let mut parameters: Vec<ValueParam> = Vec::new();
            let mut taken = BTreeSet::new();
            for (slot, values) in &slots {
                if parameters.len() == MAX_PARAMS {
                    break;
                }
                let Some(literal) = differing(values) else { continue };
                if parameters.iter().any(|p| p.value == literal) {
                    continue;
                }
                let name = param_name(slot, &taken);
                taken.insert(name.clone());
                parameters.push(ValueParam {
                    name,
                    value: literal,
                    description: format!("differs in the {slot} of the runs"),
                });
            }
            let goals: Vec<&str> = group.iter().map(|(r, _)| r.spec.goal.as_str()).collect();
            Candidate {
                name: candidate_name(&goals, &shape),
                run_ids: group.iter().map(|(r, _)| r.run_id.clone()).collect(),
                shape,
                parameters,
            }
        })
        .collect();
    out.sort_by(|a, b| b.run_ids.len().cmp(&a.run_ids.len()).then_with(|| a.shape.cmp(&b.shape)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(id: &str, goal: &str, topic: &str, ids: (&str, &str)) -> PastRun {
        let a = TaskSpec {
            id: ids.0.into(),
            agent: "reader".into(),
            title: format!("Read about {topic}"),
            instructions: format!("Find three sources on {topic} and read them"),
            ..Default::default()
        };
        let b = TaskSpec {
            id: ids.1.into(),
            agent: "writer".into(),
            title: "Write the summary".into(),
            depends_on: vec![ids.0.into()],
            ..Default::default()
        };
        PastRun { run_id: id.into(), spec: RunSpec { goal: goal.into(), plan: Some(vec![b, a]), ..Default::default() } }
    }

    #[test]
    fn three_runs_of_one_shape_make_a_candidate_with_their_differences() {
        let runs = vec![
            run("r3", "Summarise what is known about databases", "databases", ("read", "write")),
            run("r2", "Summarise what is known about networks", "networks", ("r", "w")),
            run("r1", "Summarise what is known about compilers", "compilers", ("x", "y")),
        ];
        let c = find(&runs, 3, &BTreeSet::new());
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].run_ids, ["r3", "r2", "r1"]);
        assert_eq!(c[0].name, "summarise-what-known-about");
        let p: Vec<(&str, &str)> = c[0].parameters.iter().map(|p| (p.name.as_str(), p.value.as_str())).collect();
        assert_eq!(p, [("goal", "databases")], "the same literal in the titles is one parameter");
        assert!(find(&runs[..2], 3, &BTreeSet::new()).is_empty(), "two runs are not yet a pattern");
        let known: BTreeSet<String> = [c[0].shape.clone()].into();
        assert!(find(&runs, 3, &known).is_empty(), "a shape a recipe has is no candidate");
    }

    #[test]
    fn another_graph_is_another_shape() {
        let mut other = run("o", "Something else entirely", "x", ("a", "b"));
        if let Some(p) = other.spec.plan.as_mut() {
            p[0].agent = "editor".into();
        }
        let plain = run("p", "Something", "x", ("a", "b"));
        let (po, pp) = (other.spec.plan.clone().unwrap_or_default(), plain.spec.plan.clone().unwrap_or_default());
        assert_ne!(fingerprint(&po), fingerprint(&pp));
        let renamed = run("q", "Something", "y", ("k", "l"));
        assert_eq!(fingerprint(&pp), fingerprint(&renamed.spec.plan.unwrap_or_default()), "ids are set aside");
    }

    #[test]
    fn a_difference_is_cut_on_whole_words() {
        assert_eq!(differing(&["Triage billing issues", "Triage bills issues"]).as_deref(), Some("billing"));
        assert_eq!(differing(&["same", "same"]), None);
        assert_eq!(differing(&["a 1", "a 2"]), None, "a one-letter difference is too short to be a parameter");
        assert_eq!(differing(&["über straße", "über strasse"]).as_deref(), Some("straße"));
    }
}
