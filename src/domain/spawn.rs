//! Tasks that spawn tasks: a completion may add tasks to its run (a fan-out
//! of a width only known at run time) and re-point PENDING tasks at them (a
//! join that waits for all of it). What the run becomes is decided here, from
//! the run's tasks as they are: the new tasks with what each still waits
//! for, the re-pointed tasks' new dependencies, and how many tasks depend on
//! each afterwards. Validation is the plan's, over the graph as it would be:
//! every violation at once, and nothing added when there is one.

use std::collections::{HashMap, HashSet};

use super::decide::releases_dependents;
use super::plan::{dependency_cycle, truncate, valid_id, validate_fields, PlanLimits, TaskSpec, Violation};
use super::status::TaskStatus;

/// A task of the run, as a spawn needs to see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunTask<'a> {
    pub task_id: &'a str,
    pub status: TaskStatus,
    pub optional: bool,
    pub depends_on: Vec<&'a str>,
    /// 0 for a task of the plan; a spawned task's parent's plus one.
    pub spawn_depth: i32,
}

/// An existing PENDING task's new dependencies (replacing its old ones).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repoint {
    pub task_id: String,
    pub depends_on: Vec<String>,
}

/// What a completion asks to add to its run, as a client sent it.
#[derive(Debug, Clone, Default)]
pub struct SpawnRequest {
    pub tasks: Vec<TaskSpec>,
    pub repoint: Vec<Repoint>,
}

impl SpawnRequest {
    pub fn is_empty(&self) -> bool {
        self.tasks.is_empty() && self.repoint.is_empty()
    }
}

/// What a completion asks to add, with the completing task.
#[derive(Debug, Clone, Copy)]
pub struct Spawn<'a> {
    /// The completing task (None: tasks the planner's revision adds).
    pub parent: Option<&'a str>,
    /// Whether the completing task has criteria (its output is not final
    /// until verified, so it cannot spawn).
    pub parent_has_criteria: bool,
    /// Whether the run is degraded (its optional work skipped): it takes no
    /// new optional task.
    pub run_degraded: bool,
    pub tasks: &'a [TaskSpec],
    pub repoint: &'a [Repoint],
    /// The specs of the re-pointed tasks as stored (their fields are checked
    /// again with their new dependencies).
    pub repointed_specs: &'a [TaskSpec],
}

/// A spawned task, as it is added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Added {
    pub task_id: String,
    /// Dependencies not yet done (the completing task counts as not done:
    /// its completion releases its dependents right after).
    pub remaining_deps: i32,
    pub spawn_depth: i32,
    /// How many tasks depend on it (spawned ones and re-pointed ones).
    pub dependents: i32,
}

/// A re-pointed task, as it becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repointed {
    pub task_id: String,
    pub depends_on: Vec<String>,
    pub remaining_deps: i32,
}

/// What a spawn does to the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extension {
    /// In the order given.
    pub added: Vec<Added>,
    pub repointed: Vec<Repointed>,
    /// Existing tasks whose count of dependents changes, with the change.
    pub dependents_delta: Vec<(String, i32)>,
}

/// The run's tasks as a spawn sees them, from their rows (id, status,
/// optional, spawn depth) and the run's edges (task, dependency).
pub fn run_tasks<'a>(rows: &'a [(String, TaskStatus, bool, i32)], edges: &'a [(String, String)]) -> Vec<RunTask<'a>> {
    let mut deps_of: HashMap<&str, Vec<&str>> = HashMap::new();
    for (task, dep) in edges {
        deps_of.entry(task.as_str()).or_default().push(dep.as_str());
    }
    rows.iter()
        .map(|(id, status, optional, depth)| RunTask {
            task_id: id,
            status: *status,
            optional: *optional,
            depends_on: deps_of.remove(id.as_str()).unwrap_or_default(),
            spawn_depth: *depth,
        })
        .collect()
}

/// What `spawn` makes of a run of `run` tasks, or every reason it cannot.
pub fn extend(run: &[RunTask<'_>], spawn: Spawn<'_>, limits: &PlanLimits) -> Result<Extension, Vec<Violation>> {
    let mut v = Vec::new();
    let existing: HashMap<&str, &RunTask<'_>> = run.iter().map(|t| (t.task_id, t)).collect();
    let parent = match spawn.parent {
        Some(p) => match existing.get(p) {
            Some(t) => Some(*t),
            None => return Err(vec![Violation::new("spawn", format!("task {p:?} is not in the run"))]),
        },
        None => None,
    };
    if spawn.parent_has_criteria && !(spawn.tasks.is_empty() && spawn.repoint.is_empty()) {
        v.push(Violation::new(
            "spawn",
            "a task with criteria cannot spawn or re-point tasks: its output is not final until verified",
        ));
    }
    if spawn.tasks.len() > limits.max_spawn_per_call {
        v.push(Violation::new(
            "spawn",
            format!("{} tasks exceed the limit of {} per completion", spawn.tasks.len(), limits.max_spawn_per_call),
        ));
        return Err(v);
    }
    if spawn.repoint.len() > limits.max_spawn_per_call {
        v.push(Violation::new("repoint", format!("more than {} tasks re-pointed", limits.max_spawn_per_call)));
        return Err(v);
    }
    if run.len() + spawn.tasks.len() > limits.max_tasks {
        v.push(Violation::new(
            "spawn",
            format!(
                "the run would have {} tasks, over the limit of {}",
                run.len() + spawn.tasks.len(),
                limits.max_tasks
            ),
        ));
    }
    let depth = parent.map_or(0, |p| p.spawn_depth + 1);
    if !spawn.tasks.is_empty() && depth > limits.max_spawn_depth as i32 {
        v.push(Violation::new(
            "spawn",
            format!("spawned tasks would nest {depth} deep, over the limit of {}", limits.max_spawn_depth),
        ));
    }
    let mut new_ids: HashSet<&str> = HashSet::new();
    for (i, t) in spawn.tasks.iter().enumerate() {
        let f = format!("spawn[{i}]");
        if t.id.len() > limits.max_id_len {
            v.push(Violation::new(format!("{f}.id"), format!("longer than {} bytes", limits.max_id_len)));
        } else if !valid_id(&t.id) {
            v.push(Violation::new(format!("{f}.id"), format!("{:?} is not a valid task id", truncate(&t.id, 64))));
        } else if existing.contains_key(t.id.as_str()) || !new_ids.insert(t.id.as_str()) {
            v.push(Violation::new(format!("{f}.id"), format!("duplicate task id {:?}", t.id)));
        }
        validate_fields(&f, t, limits, &mut v);
        if spawn.run_degraded && t.optional {
            v.push(Violation::new(format!("{f}.optional"), "the run is degraded: it takes no new optional work"));
        }
    }
    // A dependency named by a new or re-pointed task: known, and not a required task that ended badly.
    let check_dep = |f: String, own: &str, d: &str, v: &mut Vec<Violation>| {
        if d == own {
            v.push(Violation::new(f, format!("task {own:?} depends on itself")));
        } else if new_ids.contains(d) {
        } else if let Some(t) = existing.get(d) {
            if t.status.is_terminal() && !releases_dependents(t.status, t.optional) && Some(d) != spawn.parent {
                v.push(Violation::new(f, format!("{d:?} is {}: nothing depending on it can run", t.status)));
            }
        } else {
            v.push(Violation::new(f, format!("unknown task id {:?}", truncate(d, 64))));
        }
    };
    // Each dependency list of a new or re-pointed task: no dependency twice.
    let check_deps = |f: &str, own: &str, deps: &[String], v: &mut Vec<Violation>| {
        let mut seen = HashSet::new();
        for (j, d) in deps.iter().enumerate() {
            let f = format!("{f}.depends_on[{j}]");
            if !seen.insert(d.as_str()) {
                v.push(Violation::new(f, format!("duplicate dependency {d:?}")));
                continue;
            }
            check_dep(f, own, d, v);
        }
    };
    for (i, t) in spawn.tasks.iter().enumerate() {
        check_deps(&format!("spawn[{i}]"), &t.id, &t.depends_on, &mut v);
    }
    let mut repointed_ids = HashSet::new();
    for (i, r) in spawn.repoint.iter().enumerate() {
        let f = format!("repoint[{i}]");
        match existing.get(r.task_id.as_str()) {
            None => v.push(Violation::new(
                format!("{f}.task_id"),
                format!("unknown task id {:?}", truncate(&r.task_id, 64)),
            )),
            Some(t) if t.status != TaskStatus::Pending => v.push(Violation::new(
                format!("{f}.task_id"),
                format!("task {:?} is {}; only a PENDING task can be re-pointed", r.task_id, t.status),
            )),
            Some(_) if !repointed_ids.insert(r.task_id.as_str()) => {
                v.push(Violation::new(format!("{f}.task_id"), format!("task {:?} is re-pointed twice", r.task_id)))
            }
            // Only what waits for this completion is this completion's to re-point.
            Some(t) if !spawn.parent.is_some_and(|p| t.depends_on.contains(&p)) => v.push(Violation::new(
                format!("{f}.task_id"),
                format!(
                    "task {:?} does not depend on {:?}: only a task waiting for the completing task can be re-pointed",
                    r.task_id,
                    spawn.parent.unwrap_or_default()
                ),
            )),
            Some(_) => {
                // Its own fields hold with its new dependencies (an aggregate
                // needs one, a condition its count).
                // (Too many of them is said once, below.)
                let spec = spawn.repointed_specs.iter().find(|s| s.id == r.task_id);
                if let Some(spec) = spec.filter(|_| r.depends_on.len() <= limits.max_deps) {
                    let renewed = TaskSpec { depends_on: r.depends_on.clone(), ..spec.clone() };
                    validate_fields(&f, &renewed, limits, &mut v);
                }
            }
        }
        if r.depends_on.len() > limits.max_deps {
            v.push(Violation::new(format!("{f}.depends_on"), format!("more than {} dependencies", limits.max_deps)));
            continue;
        }
        check_deps(&f, &r.task_id, &r.depends_on, &mut v);
    }
    if !v.is_empty() {
        return Err(v);
    }
    // The graph as it would be, for its cycle (the run's own has none: one
    // must go through a new edge).
    let repoints: HashMap<&str, &Repoint> = spawn.repoint.iter().map(|r| (r.task_id.as_str(), r)).collect();
    let mut graph: Vec<TaskSpec> = run
        .iter()
        .map(|t| TaskSpec {
            id: t.task_id.to_string(),
            depends_on: match repoints.get(t.task_id) {
                Some(r) => r.depends_on.clone(),
                None => t.depends_on.iter().map(|d| d.to_string()).collect(),
            },
            ..Default::default()
        })
        .collect();
    graph.extend(spawn.tasks.iter().map(|t| TaskSpec {
        id: t.id.clone(),
        depends_on: t.depends_on.clone(),
        ..Default::default()
    }));
    if let Some(cycle) = dependency_cycle(&graph) {
        return Err(vec![Violation::new("spawn", format!("dependency cycle: {}", cycle.join(" → ")))]);
    }
    // What each new or re-pointed task still waits for, and who depends on whom.
    let done =
        |d: &str| Some(d) != spawn.parent && existing.get(d).is_some_and(|t| releases_dependents(t.status, t.optional));
    let waits = |deps: &[String]| deps.iter().filter(|d| !done(d)).count() as i32;
    let mut delta: HashMap<&str, i32> = HashMap::new();
    for t in spawn.tasks {
        for d in &t.depends_on {
            *delta.entry(d.as_str()).or_default() += 1;
        }
    }
    for r in spawn.repoint {
        for d in &r.depends_on {
            *delta.entry(d.as_str()).or_default() += 1;
        }
        for d in existing.get(r.task_id.as_str()).map(|t| t.depends_on.as_slice()).unwrap_or_default() {
            *delta.entry(d).or_default() -= 1;
        }
    }
    let added = spawn
        .tasks
        .iter()
        .map(|t| Added {
            task_id: t.id.clone(),
            remaining_deps: waits(&t.depends_on),
            spawn_depth: depth,
            dependents: delta.get(t.id.as_str()).copied().unwrap_or(0),
        })
        .collect();
    let repointed = spawn
        .repoint
        .iter()
        .map(|r| Repointed {
            task_id: r.task_id.clone(),
            depends_on: r.depends_on.clone(),
            remaining_deps: waits(&r.depends_on),
        })
        .collect();
    let mut dependents_delta: Vec<(String, i32)> = delta
        .into_iter()
        .filter(|(id, n)| *n != 0 && existing.contains_key(id))
        .map(|(id, n)| (id.to_string(), n))
        .collect();
    dependents_delta.sort();
    Ok(Extension { added, repointed, dependents_delta })
}

#[cfg(test)]
mod tests {
    use super::*;
    use TaskStatus::*;

    fn task(id: &str, deps: &[&str]) -> TaskSpec {
        TaskSpec {
            id: id.into(),
            agent: "w".into(),
            depends_on: deps.iter().map(|d| d.to_string()).collect(),
            ..Default::default()
        }
    }

    fn run_task<'a>(id: &'a str, status: TaskStatus, deps: &[&'a str]) -> RunTask<'a> {
        RunTask { task_id: id, status, optional: false, depends_on: deps.to_vec(), spawn_depth: 0 }
    }

    /// `split` (completing) fans out to r0..r2; `join` (waiting for split)
    /// is re-pointed at them.
    fn fan_out() -> (Vec<RunTask<'static>>, Vec<TaskSpec>, Vec<Repoint>) {
        let run = vec![run_task("split", Succeeded, &[]), run_task("join", Pending, &["split"])];
        let readers: Vec<TaskSpec> = (0..3).map(|i| task(&format!("r{i}"), &["split"])).collect();
        let repoint = vec![Repoint { task_id: "join".into(), depends_on: vec!["r0".into(), "r1".into(), "r2".into()] }];
        (run, readers, repoint)
    }

    fn spawn<'a>(tasks: &'a [TaskSpec], repoint: &'a [Repoint]) -> Spawn<'a> {
        Spawn {
            parent: Some("split"),
            parent_has_criteria: false,
            run_degraded: false,
            tasks,
            repoint,
            repointed_specs: &[],
        }
    }

    #[test]
    fn a_fan_out_waits_for_its_parent_and_the_join_for_the_fan_out() {
        let (run, readers, repoint) = fan_out();
        let ext = extend(&run, spawn(&readers, &repoint), &PlanLimits::default()).expect("extends");
        assert!(ext.added.iter().all(|a| a.remaining_deps == 1 && a.spawn_depth == 1 && a.dependents == 1));
        assert_eq!(
            ext.repointed,
            [Repointed { task_id: "join".into(), depends_on: repoint[0].depends_on.clone(), remaining_deps: 3 }]
        );
        // split: three readers depend on it now, the join no more.
        assert_eq!(ext.dependents_delta, [("split".to_string(), 2)]);
    }

    #[test]
    fn a_dependency_already_done_is_not_waited_for() {
        let run = vec![
            run_task("split", Succeeded, &[]),
            run_task("early", Succeeded, &[]),
            run_task("join", Pending, &["split"]),
        ];
        let tasks = [task("late", &["early"])];
        let ext = extend(&run, spawn(&tasks, &[]), &PlanLimits::default()).expect("extends");
        assert_eq!(ext.added[0].remaining_deps, 0, "ready at once");
        assert_eq!(ext.dependents_delta, [("early".to_string(), 1)]);
    }

    #[test]
    fn every_violation_is_named_at_once() {
        let run = vec![
            run_task("split", Succeeded, &[]),
            run_task("busy", Running, &[]),
            run_task("broken", Failed, &[]),
            run_task("join", Pending, &["split"]),
        ];
        let tasks = [task("split", &[]), task("bad id!", &[]), task("x", &["nowhere", "broken"]), task("y", &["y"])];
        let repoint = [
            Repoint { task_id: "busy".into(), depends_on: vec![] },
            Repoint { task_id: "ghost".into(), depends_on: vec![] },
        ];
        let err = extend(&run, spawn(&tasks, &repoint), &PlanLimits::default()).expect_err("refused");
        let fields: Vec<&str> = err.iter().map(|v| v.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "spawn[0].id",
                "spawn[1].id",
                "spawn[2].depends_on[0]",
                "spawn[2].depends_on[1]",
                "spawn[3].depends_on[0]",
                "repoint[0].task_id",
                "repoint[1].task_id"
            ],
            "{err:?}"
        );
    }

    #[test]
    fn only_a_task_waiting_for_the_completion_is_re_pointed_and_its_fields_hold_after() {
        let run = vec![
            run_task("split", Succeeded, &[]),
            run_task("other", Pending, &["elsewhere"]),
            run_task("elsewhere", Running, &[]),
            run_task("sum", Pending, &["split"]),
        ];
        let aggregate = TaskSpec { kind: crate::domain::TaskKind::Aggregate, ..task("sum", &["split"]) };
        let repoint = [
            Repoint { task_id: "other".into(), depends_on: vec![] },
            Repoint { task_id: "sum".into(), depends_on: vec![] },
        ];
        let request = Spawn { repointed_specs: std::slice::from_ref(&aggregate), ..spawn(&[], &repoint) };
        let err = extend(&run, request, &PlanLimits::default()).expect_err("refused");
        let fields: Vec<&str> = err.iter().map(|v| v.field.as_str()).collect();
        assert_eq!(fields, ["repoint[0].task_id", "repoint[1].depends_on"], "{err:?}");
        assert!(err[0].description.contains("does not depend on \"split\""), "{err:?}");
        // A degraded run takes no new optional work.
        let optional = [TaskSpec { optional: true, ..task("extra", &["split"]) }];
        let degraded = Spawn { run_degraded: true, ..spawn(&optional, &[]) };
        let err = extend(&run, degraded, &PlanLimits::default()).expect_err("degraded");
        assert_eq!(err[0].field, "spawn[0].optional", "{err:?}");
    }

    #[test]
    fn a_cycle_through_a_re_pointed_task_is_refused() {
        let run = vec![run_task("split", Succeeded, &[]), run_task("join", Pending, &["split"])];
        let tasks = [task("r", &["join"])];
        let repoint = [Repoint { task_id: "join".into(), depends_on: vec!["r".into()] }];
        let err = extend(&run, spawn(&tasks, &repoint), &PlanLimits::default()).expect_err("cycle");
        assert!(err[0].description.contains("dependency cycle"), "{err:?}");
    }

    #[test]
    fn limits_hold_per_call_per_run_and_in_depth() {
        let (run, readers, _) = fan_out();
        let small = PlanLimits { max_spawn_per_call: 2, ..Default::default() };
        let err = extend(&run, spawn(&readers, &[]), &small).expect_err("too many");
        assert!(err[0].description.contains("per completion"), "{err:?}");
        let tiny = PlanLimits { max_tasks: 4, ..Default::default() };
        let err = extend(&run, spawn(&readers, &[]), &tiny).expect_err("run too big");
        assert!(err[0].description.contains("over the limit of 4"), "{err:?}");
        let mut deep = run.clone();
        deep[0].spawn_depth = 4;
        let err = extend(&deep, spawn(&readers, &[]), &PlanLimits::default()).expect_err("too deep");
        assert!(err[0].description.contains("nest 5 deep"), "{err:?}");
        let judged = Spawn { parent_has_criteria: true, ..spawn(&readers, &[]) };
        let err = extend(&run, judged, &PlanLimits::default()).expect_err("criteria");
        assert!(err[0].description.contains("criteria"), "{err:?}");
    }
}
