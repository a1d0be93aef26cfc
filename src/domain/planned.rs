//! A planner's answer made into a plan.
//!
//! A model is asked for what it is good at: tasks in the order they run,
//! each with a title, an agent, instructions and `after`, the positions
//! (1-based) of the earlier tasks it needs. The server does the bookkeeping
//! models get wrong: ids are made from titles (slugified, unique), and what
//! an answer says in another shape is mapped deterministically (ids given
//! anyway, dependencies named by id, by title or as "task-2", an agent's name
//! in another case). Every change to what the model said is reported as a
//! note; only what cannot be fixed this way is a problem, phrased as an
//! instruction for the model's repair.

use std::collections::HashSet;

use serde_json::Value;

use super::plan::{truncate, TaskSpec};

/// Longest id made from a title, in bytes (cut at a word where one ends
/// past half of it).
pub const MAX_SLUG: usize = 32;
/// Longest title kept from an answer, in characters.
const MAX_TITLE_CHARS: usize = 120;

/// What an answer is normalised against.
#[derive(Debug, Clone)]
pub struct AnswerRules<'a> {
    /// The agents a task may name.
    pub agents: &'a [&'a str],
    /// Most tasks a plan may have.
    pub max_tasks: usize,
}

/// A plan made from an answer, and what was changed to make it.
#[derive(Debug, Clone, PartialEq)]
pub struct Normalised {
    /// The tasks, ids unique and dependencies known.
    pub tasks: Vec<TaskSpec>,
    /// One line per change to what the model said.
    pub notes: Vec<String>,
}

/// An id made of a text: lowercase ASCII letters and digits, other runs of
/// characters as one '-', at most [`MAX_SLUG`] bytes.
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    for ch in text.chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch.to_ascii_lowercase());
        } else if ch == '_' && !out.is_empty() {
            out.push('_');
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() > MAX_SLUG {
            let cut = match out[..=MAX_SLUG].rfind('-') {
                Some(at) if at >= MAX_SLUG / 2 => at,
                _ => MAX_SLUG,
            };
            out.truncate(cut);
            break;
        }
    }
    out.trim_end_matches(['-', '_']).to_string()
}

/// A text with control characters made spaces and runs of spaces made one.
fn clean(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c.is_control()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

fn text_field(task: &serde_json::Map<String, Value>, names: &[&str]) -> String {
    for n in names {
        match task.get(*n) {
            Some(Value::String(s)) if !clean(s).is_empty() => return clean(s),
            Some(v @ (Value::Number(_) | Value::Bool(_))) => return v.to_string(),
            _ => {}
        }
    }
    String::new()
}

fn has_word(text: &str) -> bool {
    text.chars().any(char::is_alphanumeric)
}

/// The task list of an answer: `{"tasks": [...]}`, `{"plan": {"tasks": [...]}}`,
/// `{"plan": [...]}` or a bare list.
fn task_list(answer: &Value) -> Option<&Vec<Value>> {
    match answer {
        Value::Array(a) => Some(a),
        Value::Object(o) => match (o.get("tasks"), o.get("plan")) {
            (Some(Value::Array(a)), _) | (_, Some(Value::Array(a))) => Some(a),
            (_, Some(plan @ Value::Object(_))) => task_list(plan),
            _ => None,
        },
        _ => None,
    }
}

/// The shape an answer should have, for problems that ask for it.
pub const ANSWER_SHAPE: &str = r#"{"tasks": [{"title": "...", "agent": "...", "after": [], "instructions": "..."}]}"#;

/// A position written as text: "2", "#2", "task 2", "task-2", "step_2".
fn position_in_text(s: &str) -> Option<usize> {
    let t = s.trim().to_ascii_lowercase();
    let t = t.strip_prefix("task").or_else(|| t.strip_prefix("step")).unwrap_or(&t);
    let t = t.trim_start_matches([' ', '-', '_', '#']);
    if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit()) || t.len() > 6 {
        return None;
    }
    t.parse().ok()
}

struct Draft {
    given_id: String,
    title: String,
    title_slug: String,
    instructions: String,
    agent: String,
    deps: Vec<Value>,
}

/// Makes an answer a plan, or says what the model must fix.
pub fn normalise(answer: &Value, rules: &AnswerRules<'_>) -> Result<Normalised, Vec<String>> {
    let Some(list) = task_list(answer) else {
        return Err(vec![format!(
            "Answer with a JSON object of the form {ANSWER_SHAPE}; the answer has no task list."
        )]);
    };
    if list.is_empty() {
        return Err(vec!["List at least one task.".into()]);
    }
    if list.len() > rules.max_tasks {
        return Err(vec![format!(
            "Use at most {} tasks; the answer lists {}. Merge small steps into one task.",
            rules.max_tasks,
            list.len()
        )]);
    }
    let mut problems = Vec::new();
    let mut notes = Vec::new();
    let mut drafts = Vec::with_capacity(list.len());
    for (i, item) in list.iter().enumerate() {
        let n = i + 1;
        let Value::Object(task) = item else {
            problems.push(format!("Task {n} is not an object: write every task as {{\"title\": ..., \"agent\": ..., \"after\": [], \"instructions\": ...}}."));
            continue;
        };
        let mut title = text_field(task, &["title", "name"]);
        let mut instructions = text_field(task, &["instructions", "description", "task"]);
        if !has_word(&title) {
            title.clear();
        }
        if !has_word(&instructions) {
            instructions.clear();
        }
        match (title.is_empty(), instructions.is_empty()) {
            (true, true) => {
                problems.push(format!("Task {n} has neither a title nor instructions: give it a short title and one sentence saying what to do."));
                continue;
            }
            (true, false) => {
                title = instructions.chars().take(60).collect::<String>().trim().to_string();
                notes.push(format!("task {n} had no title: its instructions' start is its title"));
            }
            (false, true) => {
                instructions = title.clone();
                notes.push(format!("task {n} had no instructions: its title is its instructions"));
            }
            _ => {}
        }
        if title.chars().count() > MAX_TITLE_CHARS {
            title = title.chars().take(MAX_TITLE_CHARS).collect::<String>().trim().to_string();
            notes.push(format!("task {n}'s title was cut to {MAX_TITLE_CHARS} characters"));
        }
        let agent = match resolve_agent(&text_field(task, &["agent"]), rules.agents) {
            Ok((agent, note)) => {
                notes.extend(note.map(|x| format!("task {n} {x}")));
                agent
            }
            Err(problem) => {
                problems.push(format!("Task {n} {problem}"));
                continue;
            }
        };
        let mut deps = Vec::new();
        for key in ["after", "depends_on"] {
            match task.get(key) {
                Some(Value::Array(a)) => deps.extend(a.iter().cloned()),
                Some(Value::Null) | None => {}
                Some(one) => deps.push(one.clone()),
            }
        }
        // A task can need at most every other task: more entries are noise,
        // and each costs a lookup across the plan.
        if deps.len() > 2 * rules.max_tasks {
            problems.push(format!(
                "Task {n} lists {} dependencies: list only the numbers of earlier tasks it needs.",
                deps.len()
            ));
            continue;
        }
        let title_slug = slugify(&title);
        drafts.push(Draft { given_id: text_field(task, &["id"]), title, title_slug, instructions, agent, deps });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let ids = make_ids(&drafts, &mut notes);
    let mut edges: Vec<Vec<usize>> = Vec::with_capacity(drafts.len());
    for (i, d) in drafts.iter().enumerate() {
        let mut mine: Vec<usize> = Vec::new();
        for dep in &d.deps {
            let shown = match dep {
                Value::String(s) => format!("{:?}", truncate(s, 64)),
                other => truncate(&other.to_string(), 64),
            };
            let (target, how) = match resolve_dep(dep, &drafts, &ids) {
                Some(found) => found,
                None => {
                    notes.push(format!("task {} depended on {shown}, which is no task of the plan: dropped", i + 1));
                    continue;
                }
            };
            if target == i {
                notes.push(format!("task {} depended on itself: dropped", i + 1));
            } else if mine.contains(&target) {
                notes.push(format!("task {} named task {} twice: once is kept", i + 1, target + 1));
            } else {
                if let Some(how) = how {
                    notes.push(format!("task {} named its dependency {shown} {how}: it is task {}", i + 1, target + 1));
                }
                mine.push(target);
            }
        }
        edges.push(mine);
    }
    if has_cycle(&edges) {
        // Edges to earlier positions alone never make a cycle.
        for (i, mine) in edges.iter_mut().enumerate() {
            mine.retain(|&j| {
                let keep = j < i;
                if !keep {
                    notes.push(format!(
                        "task {} depended on the later task {}, which made a cycle: dropped",
                        i + 1,
                        j + 1
                    ));
                }
                keep
            });
        }
    }
    let tasks = drafts
        .into_iter()
        .zip(edges)
        .enumerate()
        .map(|(i, (d, mine))| TaskSpec {
            id: ids[i].clone(),
            title: d.title,
            instructions: d.instructions,
            agent: d.agent,
            depends_on: mine.into_iter().map(|j| ids[j].clone()).collect(),
            ..TaskSpec::default()
        })
        .collect();
    Ok(Normalised { tasks, notes })
}

/// The agent a task names: exactly, in another case, or the only one there is.
fn resolve_agent(given: &str, agents: &[&str]) -> Result<(String, Option<String>), String> {
    if let Some(a) = agents.iter().find(|a| **a == given) {
        return Ok((a.to_string(), None));
    }
    if let Some(a) = agents.iter().find(|a| a.eq_ignore_ascii_case(given.trim())) {
        return Ok((a.to_string(), Some(format!("named the agent {:?}: it is {a:?}", truncate(given, 64)))));
    }
    if let [only] = agents {
        let why = if given.is_empty() {
            format!("named no agent: the only agent, {only:?}, does it")
        } else {
            format!(
                "named the agent {:?}, which does not exist: the only agent, {only:?}, does it",
                truncate(given, 64)
            )
        };
        return Ok((only.to_string(), Some(why)));
    }
    let names = agents.join(", ");
    if given.is_empty() {
        Err(format!("names no agent: set \"agent\" to one of {names}."))
    } else {
        Err(format!("names the agent {:?}, which does not exist: use one of {names}.", truncate(given, 64)))
    }
}

/// Ids from the ids given (slugified) or the titles, unique by a suffix.
fn make_ids(drafts: &[Draft], notes: &mut Vec<String>) -> Vec<String> {
    let mut taken: HashSet<String> = HashSet::new();
    let mut ids = Vec::with_capacity(drafts.len());
    for (i, d) in drafts.iter().enumerate() {
        let from_given = slugify(&d.given_id);
        let base = if !from_given.is_empty() {
            from_given
        } else if !d.title_slug.is_empty() {
            d.title_slug.clone()
        } else {
            format!("task-{}", i + 1)
        };
        let mut id = base.clone();
        let mut k = 2;
        while !taken.insert(id.clone()) {
            id = format!("{base}-{k}");
            k += 1;
        }
        if !d.given_id.is_empty() && id != d.given_id {
            notes.push(format!("task {}'s id {:?} is {id:?}", i + 1, truncate(&d.given_id, 64)));
        }
        ids.push(id);
    }
    ids
}

/// The position a dependency names, and how it was recognised when not by
/// position or exact id.
fn resolve_dep(dep: &Value, drafts: &[Draft], ids: &[String]) -> Option<(usize, Option<&'static str>)> {
    let n = drafts.len();
    match dep {
        Value::Number(k) => {
            let k = k.as_u64().or_else(|| k.as_f64().filter(|f| f.fract() == 0.0 && *f >= 0.0).map(|f| f as u64))?;
            (1..=n as u64).contains(&k).then(|| (k as usize - 1, None))
        }
        Value::String(s) => {
            let s = s.trim();
            if let Some(j) = drafts.iter().position(|d| !d.given_id.is_empty() && d.given_id == s) {
                return Some((j, None));
            }
            if let Some(j) = ids.iter().position(|id| id == s) {
                return Some((j, None));
            }
            if let Some(j) = drafts.iter().position(|d| d.title.eq_ignore_ascii_case(s)) {
                return Some((j, Some("by its title")));
            }
            let slug = slugify(s);
            if !slug.is_empty() {
                if let Some(j) = ids.iter().position(|id| *id == slug) {
                    return Some((j, Some("by another spelling of its id")));
                }
                if let Some(j) = drafts.iter().position(|d| d.title_slug == slug) {
                    return Some((j, Some("by another spelling of its title")));
                }
            }
            let k = position_in_text(s)?;
            (1..=n).contains(&k).then_some((k - 1, Some("by its position")))
        }
        _ => None,
    }
}

fn has_cycle(edges: &[Vec<usize>]) -> bool {
    // Kahn's algorithm over "i needs j" edges.
    let n = edges.len();
    let mut needs: Vec<usize> = edges.iter().map(Vec::len).collect();
    let mut needed_by: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, mine) in edges.iter().enumerate() {
        for &j in mine {
            needed_by[j].push(i);
        }
    }
    let mut ready: Vec<usize> = (0..n).filter(|&i| needs[i] == 0).collect();
    let mut done = 0;
    while let Some(j) = ready.pop() {
        done += 1;
        for &i in &needed_by[j] {
            needs[i] -= 1;
            if needs[i] == 0 {
                ready.push(i);
            }
        }
    }
    done < n
}

#[cfg(test)]
mod tests;
