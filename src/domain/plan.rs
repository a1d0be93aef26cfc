//! Plans: task graphs, their validation and their shape.

use std::collections::{HashMap, HashSet, VecDeque};

use serde::{Deserialize, Serialize};

use super::retry::RetryPolicy;

/// A success criterion; its parameters are the kind's own JSON object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Criterion {
    /// Unique within its list.
    pub id: String,
    /// not_empty, contains, regex, llm_judge, …
    pub kind: String,
    /// The kind's parameters.
    #[serde(default)]
    pub params: serde_json::Map<String, serde_json::Value>,
    /// Reported but never fails a verdict.
    #[serde(default)]
    pub advisory: bool,
}

/// Agent work or an aggregation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    /// Done by the named agent.
    #[default]
    Agent,
    /// Merges its dependencies' outputs.
    Aggregate,
    /// Delegates to a child run (`TaskSpec::child`).
    Run,
}

impl TaskKind {
    /// The stored name (the serde name: `agent`, `aggregate`, `run`).
    pub fn as_str(self) -> &'static str {
        match self {
            TaskKind::Agent => "agent",
            TaskKind::Aggregate => "aggregate",
            TaskKind::Run => "run",
        }
    }
}

/// How an aggregate task merges outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AggregateMode {
    /// A list in `depends_on` order.
    #[default]
    Concat,
    /// Objects merged key by key.
    JsonMerge,
    /// An LLM summary.
    LlmSummary,
}

/// What a rejection at an approval gate does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectionAction {
    /// The task fails.
    #[default]
    Fail,
    /// The task is skipped.
    Skip,
}

/// One task of a plan, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct TaskSpec {
    /// Unique within the plan.
    pub id: String,
    /// Short human title.
    #[serde(default)]
    pub title: String,
    /// What the agent is asked to do.
    #[serde(default)]
    pub instructions: String,
    /// The agent that executes it.
    #[serde(default)]
    pub agent: String,
    /// Ids of the tasks it needs.
    #[serde(default)]
    pub depends_on: Vec<String>,
    /// Criteria on its output.
    #[serde(default)]
    pub criteria: Vec<Criterion>,
    /// Its retry policy (None: the run's or server's default).
    #[serde(default)]
    pub retry: Option<RetryPolicy>,
    /// Per-attempt timeout in milliseconds (None: server default).
    #[serde(default)]
    pub timeout_ms: Option<u64>,
    /// Held for approval before it runs.
    #[serde(default)]
    pub requires_approval: bool,
    /// Its failure does not fail the run.
    #[serde(default)]
    pub optional: bool,
    /// Higher first.
    #[serde(default)]
    pub priority: i32,
    /// Agent work or aggregation.
    #[serde(default)]
    pub kind: TaskKind,
    /// Aggregation mode.
    #[serde(default)]
    pub aggregate: AggregateMode,
    /// Task-level tool allow list.
    #[serde(default)]
    pub tools_allowed: Vec<String>,
    /// Task-level tool deny list.
    #[serde(default)]
    pub tools_denied: Vec<String>,
    /// What a rejection does.
    #[serde(default)]
    pub on_reject: RejectionAction,
    /// Free-form data for the agent.
    #[serde(default)]
    pub metadata: serde_json::Map<String, serde_json::Value>,
    /// Runs only when this holds over its dependencies' outputs; SKIPPED otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<super::condition::Condition>,
    /// Turns per attempt (ContinueTask); None: the server policy's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_turns: Option<u32>,
    /// What a task of kind `run` delegates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub child: Option<super::child::ChildRunSpec>,
}

/// Tasks as a run stores them: a task's own retry policy completed, field by
/// field, with the run's default (a plan's tasks and spawned ones alike).
pub fn with_retry_defaults(tasks: &[TaskSpec], default: &RetryPolicy) -> Vec<TaskSpec> {
    tasks.iter().map(|t| TaskSpec { retry: t.retry.as_ref().map(|r| r.or_defaults(default)), ..t.clone() }).collect()
}

/// The most turns a task may allow per attempt.
pub const MAX_TURNS_LIMIT: u32 = 1000;

/// Size limits on plans and their texts.
#[derive(Debug, Clone)]
pub struct PlanLimits {
    /// Tasks per plan.
    pub max_tasks: usize,
    /// Bytes of a task id.
    pub max_id_len: usize,
    /// Bytes of a title.
    pub max_title_len: usize,
    /// Bytes of instructions.
    pub max_instructions_len: usize,
    /// Dependencies of one task.
    pub max_deps: usize,
    /// Criteria of one task or run.
    pub max_criteria: usize,
    /// Tasks one completion may add to its run (spawned tasks).
    pub max_spawn_per_call: usize,
    /// How deep spawned tasks may nest (a spawned task's spawn is one deeper).
    pub max_spawn_depth: u32,
    /// How deep child runs may nest (a top-level run's child is 1 deep).
    pub max_run_depth: u32,
}

impl Default for PlanLimits {
    fn default() -> Self {
        PlanLimits {
            max_tasks: 10_000,
            max_id_len: 128,
            max_title_len: 512,
            max_instructions_len: 64 * 1024,
            max_deps: 1_000,
            max_criteria: 32,
            max_spawn_per_call: 100,
            max_spawn_depth: 4,
            max_run_depth: 3,
        }
    }
}

/// One problem with a request, named by the field it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Path of the field, e.g. `plan.tasks[2].depends_on[0]`.
    pub field: String,
    /// What is wrong with it.
    pub description: String,
}

impl Violation {
    /// A violation of `field`.
    pub fn new(field: impl Into<String>, description: impl Into<String>) -> Self {
        Violation { field: field.into(), description: description.into() }
    }

    /// The same violation, of a field inside `prefix` (`template` + `goal` → `template.goal`).
    pub fn within(self, prefix: &str) -> Self {
        Violation { field: format!("{prefix}.{}", self.field), description: self.description }
    }
}

/// Structural facts about a valid plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanAnalysis {
    /// Dependencies first; plan order among peers.
    pub topological_order: Vec<String>,
    /// The widest level.
    pub width: u32,
    /// The longest chain.
    pub critical_path: Vec<String>,
    /// Number of levels.
    pub depth: u32,
}

/// Whether a task id is made of letters, digits, `-`, `_` and `.`.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Checks a retry policy (a task's or a run's default) against its bounds.
pub fn validate_retry(field: &str, r: &super::RetryPolicy, v: &mut Vec<Violation>) {
    if (r.multiplier != 0.0 && r.multiplier < 1.0) || !r.multiplier.is_finite() {
        v.push(Violation::new(format!("{field}.multiplier"), "must be at least 1"));
    }
    if r.jitter.is_some_and(|j| !(0.0..=1.0).contains(&j)) {
        v.push(Violation::new(format!("{field}.jitter"), "must be within [0, 1]"));
    }
    if r.max_attempts > 100 {
        v.push(Violation::new(format!("{field}.max_attempts"), "at most 100"));
    }
}

/// Checks the criteria list at `field` (kinds and ids); the verifier checks parameters.
pub fn validate_criteria(field: &str, criteria: &[Criterion], limits: &PlanLimits, out: &mut Vec<Violation>) {
    if criteria.len() > limits.max_criteria {
        out.push(Violation::new(field, format!("at most {} criteria are allowed", limits.max_criteria)));
        return;
    }
    // Kinds and parameters are the verifier's to check; ids are the plan's.
    let mut seen = HashSet::new();
    for (i, c) in criteria.iter().enumerate() {
        if !c.id.is_empty() && !seen.insert(c.id.as_str()) {
            out.push(Violation::new(format!("{field}[{i}].id"), format!("duplicate criterion id {:?}", c.id)));
        }
    }
}

/// A string cut to `max` characters for an error message.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max).collect();
        t.push('…');
        t
    }
}

/// Validates a plan; on success returns its analysis.
pub fn validate(tasks: &[TaskSpec], limits: &PlanLimits) -> Result<PlanAnalysis, Vec<Violation>> {
    let total = super::child::nested_task_count(tasks);
    if total > tasks.len() && total > limits.max_tasks {
        return Err(vec![Violation::new(
            "plan.tasks",
            format!("{total} tasks with those of its child runs' plans exceed the limit of {}", limits.max_tasks),
        )]);
    }
    validate_nested("plan.tasks", tasks, limits, 1)
}

/// [`validate`] of the plan at `at` (`plan.tasks`, or a child run's plan
/// inside a task), whose `run` tasks' children nest `nest` deep.
pub fn validate_nested(
    at: &str,
    tasks: &[TaskSpec],
    limits: &PlanLimits,
    nest: u32,
) -> Result<PlanAnalysis, Vec<Violation>> {
    let mut v = Vec::new();
    if tasks.is_empty() {
        v.push(Violation::new(at, "a plan needs at least one task"));
        return Err(v);
    }
    if tasks.len() > limits.max_tasks {
        v.push(Violation::new(at, format!("{} tasks exceed the limit of {} per plan", tasks.len(), limits.max_tasks)));
        return Err(v);
    }
    let mut index: HashMap<&str, usize> = HashMap::with_capacity(tasks.len());
    for (i, t) in tasks.iter().enumerate() {
        let f = format!("{at}[{i}]");
        if t.id.len() > limits.max_id_len {
            v.push(Violation::new(format!("{f}.id"), format!("longer than {} bytes", limits.max_id_len)));
        } else if !valid_id(&t.id) {
            v.push(Violation::new(
                format!("{f}.id"),
                format!("{:?} is not a valid task id (letters, digits, '-', '_', '.')", truncate(&t.id, 64)),
            ));
        } else if index.insert(t.id.as_str(), i).is_some() {
            v.push(Violation::new(format!("{f}.id"), format!("duplicate task id {:?}", t.id)));
        }
        validate_fields_at(&f, t, limits, nest, &mut v);
    }
    for (i, t) in tasks.iter().enumerate() {
        let mut seen = HashSet::new();
        for (j, d) in t.depends_on.iter().enumerate() {
            let f = format!("{at}[{i}].depends_on[{j}]");
            if d == &t.id {
                v.push(Violation::new(f, format!("task {:?} depends on itself", t.id)));
            } else if !index.contains_key(d.as_str()) {
                v.push(Violation::new(f, format!("unknown task id {:?}", truncate(d, 64))));
            } else if !seen.insert(d.as_str()) {
                v.push(Violation::new(f, format!("duplicate dependency {d:?}")));
            }
        }
    }
    if !v.is_empty() {
        return Err(v);
    }
    analyse(tasks, &index).map_err(|cycle| vec![Violation::new(at, format!("dependency cycle: {}", cycle.join(" → ")))])
}

/// The checks of one task's own fields (not its id, nor whether its
/// dependencies exist): texts within their limits, an agent for an agent
/// task, retry, timeout, turns, criteria and condition. `f` names the task
/// in the violations ("plan.tasks[3]").
pub fn validate_fields(f: &str, t: &TaskSpec, limits: &PlanLimits, v: &mut Vec<Violation>) {
    validate_fields_at(f, t, limits, 1, v)
}

/// [`validate_fields`] of a task in a plan whose child runs nest `nest` deep.
fn validate_fields_at(f: &str, t: &TaskSpec, limits: &PlanLimits, nest: u32, v: &mut Vec<Violation>) {
    if t.title.len() > limits.max_title_len {
        v.push(Violation::new(format!("{f}.title"), format!("longer than {} bytes", limits.max_title_len)));
    }
    if t.instructions.len() > limits.max_instructions_len {
        v.push(Violation::new(
            format!("{f}.instructions"),
            format!("longer than {} bytes", limits.max_instructions_len),
        ));
    }
    match t.kind {
        TaskKind::Agent if t.agent.is_empty() => {
            v.push(Violation::new(format!("{f}.agent"), "an agent task needs an agent name"))
        }
        _ if t.agent.len() > limits.max_id_len => {
            v.push(Violation::new(format!("{f}.agent"), format!("longer than {} bytes", limits.max_id_len)))
        }
        TaskKind::Aggregate if t.depends_on.is_empty() => {
            v.push(Violation::new(format!("{f}.depends_on"), "an aggregate task needs at least one dependency"))
        }
        _ => {}
    }
    match t.kind {
        TaskKind::Run => super::child::validate(f, t, limits, nest, v),
        _ if t.child.is_some() => v.push(Violation::new(format!("{f}.child"), "only a run task has a child")),
        _ => {}
    }
    if t.depends_on.len() > limits.max_deps {
        v.push(Violation::new(format!("{f}.depends_on"), format!("more than {} dependencies", limits.max_deps)));
    }
    if let Some(r) = &t.retry {
        validate_retry(&format!("{f}.retry"), r, v);
    }
    if let Some(ms) = t.timeout_ms {
        if ms == 0 || ms > 24 * 3600 * 1000 {
            v.push(Violation::new(format!("{f}.timeout"), "must be between 1ms and 24h"));
        }
    }
    if t.max_turns.is_some_and(|n| n == 0 || n > MAX_TURNS_LIMIT) {
        v.push(Violation::new(format!("{f}.max_turns"), format!("must be between 1 and {MAX_TURNS_LIMIT}")));
    }
    validate_criteria(&format!("{f}.criteria"), &t.criteria, limits, v);
    if let Some(c) = &t.when {
        super::condition::validate(&format!("{f}.when"), c, t.depends_on.len(), v);
    }
}

/// The cycle of a graph of unique ids with known dependencies, if it has
/// one (named as `a → b → a`'s ids).
pub fn dependency_cycle(tasks: &[TaskSpec]) -> Option<Vec<String>> {
    let index: HashMap<&str, usize> = tasks.iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
    analyse(tasks, &index).err()
}

/// Topological order, levels, width and critical path; Err(cycle) when the
/// graph has one. Assumes ids are unique and dependencies known.
fn analyse(tasks: &[TaskSpec], index: &HashMap<&str, usize>) -> Result<PlanAnalysis, Vec<String>> {
    let n = tasks.len();
    let mut indegree = vec![0usize; n];
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, t) in tasks.iter().enumerate() {
        for d in &t.depends_on {
            let j = index[d.as_str()];
            indegree[i] += 1;
            dependents[j].push(i);
        }
    }
    let mut queue: VecDeque<usize> = (0..n).filter(|&i| indegree[i] == 0).collect();
    let mut order = Vec::with_capacity(n);
    let mut level = vec![0u32; n];
    let mut best_pred: Vec<Option<usize>> = vec![None; n];
    while let Some(i) = queue.pop_front() {
        order.push(i);
        for &k in &dependents[i] {
            // Popped in topological order, so level[i] is final here.
            if level[i] + 1 > level[k] || best_pred[k].is_none() {
                level[k] = level[k].max(level[i] + 1);
                best_pred[k] = Some(i);
            }
            indegree[k] -= 1;
            if indegree[k] == 0 {
                queue.push_back(k);
            }
        }
    }
    if order.len() < n {
        return Err(find_cycle(tasks, index, &indegree));
    }
    let depth = level.iter().max().map(|l| l + 1).unwrap_or(0);
    let mut per_level = vec![0u32; depth as usize];
    for &l in &level {
        per_level[l as usize] += 1;
    }
    let width = per_level.iter().copied().max().unwrap_or(0);
    let mut end = (0..n).max_by_key(|&i| (level[i], std::cmp::Reverse(i))).unwrap_or(0);
    let mut path = vec![tasks[end].id.clone()];
    while let Some(p) = best_pred[end] {
        path.push(tasks[p].id.clone());
        end = p;
    }
    path.reverse();
    Ok(PlanAnalysis {
        topological_order: order.into_iter().map(|i| tasks[i].id.clone()).collect(),
        width,
        critical_path: path,
        depth,
    })
}

/// Names one cycle among the tasks Kahn's algorithm could not order.
fn find_cycle(tasks: &[TaskSpec], index: &HashMap<&str, usize>, indegree: &[usize]) -> Vec<String> {
    // Every unordered task has an unordered dependency; walking those edges
    // must revisit a task, and the walk from its first visit is a cycle.
    let Some(start) = (0..tasks.len()).find(|&i| indegree[i] > 0) else {
        return Vec::new();
    };
    let mut pos: HashMap<usize, usize> = HashMap::new();
    let mut walk = Vec::new();
    let mut cur = start;
    loop {
        if let Some(&p) = pos.get(&cur) {
            let mut cycle: Vec<String> = walk[p..].iter().map(|&i: &usize| tasks[i].id.clone()).collect();
            cycle.reverse();
            cycle.push(cycle[0].clone());
            return cycle;
        }
        pos.insert(cur, walk.len());
        walk.push(cur);
        let next = tasks[cur].depends_on.iter().map(|d| index[d.as_str()]).find(|&j| indegree[j] > 0);
        match next {
            Some(j) => cur = j,
            None => return vec![tasks[cur].id.clone()],
        }
    }
}

/// Ids of tasks no other task depends on, in plan order.
pub fn sinks(tasks: &[TaskSpec]) -> Vec<&str> {
    let depended: HashSet<&str> = tasks.iter().flat_map(|t| t.depends_on.iter().map(String::as_str)).collect();
    tasks.iter().map(|t| t.id.as_str()).filter(|id| !depended.contains(id)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(id: &str, deps: &[&str]) -> TaskSpec {
        TaskSpec {
            id: id.into(),
            agent: "a".into(),
            depends_on: deps.iter().map(|d| d.to_string()).collect(),
            ..Default::default()
        }
    }

    fn fields(r: Result<PlanAnalysis, Vec<Violation>>) -> Vec<String> {
        r.expect_err("plan should be invalid").into_iter().map(|v| format!("{}: {}", v.field, v.description)).collect()
    }

    #[test]
    fn diamond_is_analysed() {
        let plan = vec![task("a", &[]), task("b", &["a"]), task("c", &["a"]), task("d", &["b", "c"])];
        let a = validate(&plan, &PlanLimits::default()).expect("valid");
        assert_eq!(a.topological_order, vec!["a", "b", "c", "d"]);
        assert_eq!(a.width, 2);
        assert_eq!(a.depth, 3);
        assert_eq!(a.critical_path, vec!["a", "b", "d"]);
    }

    #[test]
    fn cycle_is_named() {
        let plan = vec![task("a", &["c"]), task("b", &["a"]), task("c", &["b"]), task("x", &[])];
        let errs = fields(validate(&plan, &PlanLimits::default()));
        assert_eq!(errs.len(), 1);
        assert!(errs[0].contains("dependency cycle"), "{errs:?}");
        for id in ["a", "b", "c"] {
            assert!(errs[0].contains(id));
        }
        assert!(!errs[0].contains('x'));
    }

    #[test]
    fn each_rule_names_its_field() {
        let errs = fields(validate(&[task("a", &["a"]), task("a", &[]), task("b", &["zz"])], &PlanLimits::default()));
        assert!(errs.iter().any(|e| e.starts_with("plan.tasks[1].id: duplicate")), "{errs:?}");
        assert!(errs.iter().any(|e| e.starts_with("plan.tasks[0].depends_on[0]: task \"a\" depends on itself")));
        assert!(errs.iter().any(|e| e.starts_with("plan.tasks[2].depends_on[0]: unknown task id")));
        assert!(fields(validate(&[], &PlanLimits::default()))[0].contains("at least one task"));
        let limits = PlanLimits { max_tasks: 2, ..Default::default() };
        assert!(fields(validate(&[task("a", &[]), task("b", &[]), task("c", &[])], &limits))[0].contains("exceed"));
        let mut bad = task("bad id!", &[]);
        bad.agent.clear();
        let errs = fields(validate(&[bad], &PlanLimits::default()));
        assert!(errs.iter().any(|e| e.contains(".id:")) && errs.iter().any(|e| e.contains(".agent:")));
    }

    #[test]
    fn sinks_are_tasks_without_dependents() {
        let plan = vec![task("a", &[]), task("b", &["a"]), task("c", &["a"])];
        assert_eq!(sinks(&plan), vec!["b", "c"]);
    }

    #[test]
    fn ten_thousand_task_chain_validates() {
        let plan: Vec<TaskSpec> = (0..10_000)
            .map(|i| if i == 0 { task("t0", &[]) } else { task(&format!("t{i}"), &[&format!("t{}", i - 1)]) })
            .collect();
        let a = validate(&plan, &PlanLimits::default()).expect("valid");
        assert_eq!(a.depth, 10_000);
        assert_eq!(a.width, 1);
    }
}

/// One layer of the tool policy (server, workspace, agent, task).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToolRules {
    /// When non-empty, only these tools (an empty list restricts nothing).
    #[serde(default)]
    pub allow: Vec<String>,
    /// Never these tools.
    #[serde(default)]
    pub deny: Vec<String>,
}

/// The tools an attempt may use: the intersection of every non-empty allow
/// list, minus the union of every deny list (deny first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EffectiveTools {
    /// None: every tool not denied.
    pub allowed: Option<std::collections::BTreeSet<String>>,
    /// Denied at some layer.
    pub denied: std::collections::BTreeSet<String>,
}

impl EffectiveTools {
    /// Combines layers, outermost first.
    pub fn of(layers: &[&ToolRules]) -> EffectiveTools {
        let denied: std::collections::BTreeSet<String> = layers.iter().flat_map(|l| l.deny.iter().cloned()).collect();
        let mut allowed: Option<std::collections::BTreeSet<String>> = None;
        for l in layers.iter().filter(|l| !l.allow.is_empty()) {
            let set: std::collections::BTreeSet<String> = l.allow.iter().cloned().collect();
            allowed = Some(match allowed {
                None => set,
                Some(a) => a.intersection(&set).cloned().collect(),
            });
        }
        let allowed = allowed.map(|a| a.difference(&denied).cloned().collect());
        EffectiveTools { allowed, denied }
    }

    /// Whether a tool may be used.
    pub fn permits(&self, tool: &str) -> bool {
        !self.denied.contains(tool) && self.allowed.as_ref().is_none_or(|a| a.contains(tool))
    }
}

#[cfg(test)]
mod tool_tests {
    use super::*;

    fn rules(allow: &[&str], deny: &[&str]) -> ToolRules {
        ToolRules {
            allow: allow.iter().map(|s| s.to_string()).collect(),
            deny: deny.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn allow_lists_intersect_and_denies_win() {
        let server = rules(&["search", "shell", "http"], &["shell"]);
        let workspace = rules(&[], &["http"]);
        let agent = rules(&["search", "shell", "calc"], &[]);
        let task = rules(&["search", "calc", "shell"], &[]);
        let e = EffectiveTools::of(&[&server, &workspace, &agent, &task]);
        assert_eq!(e.allowed.as_ref().map(|a| a.iter().cloned().collect::<Vec<_>>()), Some(vec!["search".to_string()]));
        assert!(e.permits("search"));
        assert!(!e.permits("shell") && !e.permits("http") && !e.permits("calc"));
        let open = EffectiveTools::of(&[&rules(&[], &["rm"])]);
        assert!(open.allowed.is_none() && open.permits("anything") && !open.permits("rm"));
    }
}
