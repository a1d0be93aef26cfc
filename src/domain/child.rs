//! Delegation to child runs: what a task of kind `run` asks for, how a
//! child's budget is carved out of its parent's, and how deep runs nest.

use serde::{Deserialize, Serialize};

use super::plan::{PlanLimits, TaskSpec, Violation};
use super::run::Budget;
use super::usage::Usage;

/// What a task of kind `run` delegates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ChildRunSpec {
    /// The child's goal; empty: the task's instructions.
    #[serde(default)]
    pub goal: String,
    /// Its plan; None asks the planner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<Vec<TaskSpec>>,
    /// Its limits, each capped by what the parent has left ([`carve`]).
    #[serde(default)]
    pub budget: Budget,
}

/// The bytes a child's goal may have (a run's goal's limit).
pub const MAX_CHILD_GOAL_LEN: usize = 16 * 1024;

/// How deep child runs' plans may nest in what is read before validation
/// (a request's conversion, the policy's checks); the validation holds them
/// to `PlanLimits::max_run_depth` (3 by default), at most this.
pub const MAX_NESTING_READ: u32 = 8;

/// Where a child run hangs: its parent run and task, and how deep it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunParent {
    /// The parent run.
    pub run_id: String,
    /// Its task of kind `run`.
    pub task_id: String,
    /// The attempt of that task that started the child.
    pub attempt: i32,
    /// 1 for a child of a top-level run.
    pub depth: i32,
}

/// The checks of a `run` task's child (`f` names the task): it has one, its
/// goal or the task's instructions say what it is for, its budget is sane,
/// and its plan is a valid plan, nested at most `limits.max_run_depth` deep
/// (`nest` is the task's own: 1 in a top-level plan).
pub fn validate(f: &str, t: &TaskSpec, limits: &PlanLimits, nest: u32, v: &mut Vec<Violation>) {
    let Some(child) = &t.child else {
        v.push(Violation::new(format!("{f}.child"), "a run task needs a child (its goal or plan)"));
        return;
    };
    if !t.agent.is_empty() {
        v.push(Violation::new(format!("{f}.agent"), "a run task names no agent: its child run's tasks do"));
    }
    if child.goal.len() > MAX_CHILD_GOAL_LEN {
        v.push(Violation::new(format!("{f}.child.goal"), format!("longer than {MAX_CHILD_GOAL_LEN} bytes")));
    } else if child.goal.is_empty() && t.instructions.len() > MAX_CHILD_GOAL_LEN {
        v.push(Violation::new(
            format!("{f}.child.goal"),
            format!("empty, and the instructions it would be are longer than {MAX_CHILD_GOAL_LEN} bytes"),
        ));
    }
    if child.goal.trim().is_empty() && t.instructions.trim().is_empty() {
        v.push(Violation::new(format!("{f}.child.goal"), "a child run needs a goal (or the task instructions)"));
    }
    if nest > limits.max_run_depth {
        v.push(Violation::new(format!("{f}.child"), format!("child runs nest at most {} deep", limits.max_run_depth)));
        return;
    }
    if let Some(plan) = &child.plan {
        let total = nested_task_count(plan);
        if total > limits.max_tasks {
            v.push(Violation::new(
                format!("{f}.child.plan.tasks"),
                format!("{total} tasks with those of its own child runs exceed the limit of {}", limits.max_tasks),
            ));
        } else if let Err(mut e) =
            super::plan::validate_nested(&format!("{f}.child.plan.tasks"), plan, limits, nest + 1)
        {
            v.append(&mut e);
        }
    }
}

/// The tasks of a plan and of every plan nested in it (the plan size limit
/// holds for them together).
pub fn nested_task_count(tasks: &[TaskSpec]) -> usize {
    tasks.iter().map(|t| 1 + t.child.as_ref().and_then(|c| c.plan.as_deref()).map(nested_task_count).unwrap_or(0)).sum()
}

/// What a parent can give a child: its own limits, what it used, and the
/// budgets of its other children still running (which hold their share
/// until they end and their usage is charged to it).
#[derive(Debug, Clone, Copy)]
pub struct ParentBudget<'a> {
    /// The parent's limits.
    pub budget: &'a Budget,
    /// What it used so far.
    pub used: &'a Usage,
    /// Its live children's budgets.
    pub held: &'a [Budget],
    /// Milliseconds before its wall-clock deadline, if it has one.
    pub time_left_ms: Option<u64>,
}

/// Why a parent cannot give a child a budget now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortfall {
    /// Which limit, and its figures.
    pub reason: String,
    /// Whether what is left is held by the parent's other live children:
    /// the child can wait for them to end rather than fail.
    pub held: bool,
}

/// A child's budget: each limit the child asks for, capped by what its
/// parent has left of it; a limit the child leaves unset is that remainder
/// (none when the parent has no such limit). Err names a limit the parent
/// has nothing left of.
pub fn carve(requested: &Budget, parent: ParentBudget<'_>) -> Result<Budget, Shortfall> {
    let held = |f: fn(&Budget) -> u64| parent.held.iter().map(f).fold(0u64, u64::saturating_add);
    let pick = |name: &str, asked: u64, limit: u64, used: u64, held: u64| -> Result<u64, Shortfall> {
        if limit == 0 {
            return Ok(asked);
        }
        let left = limit.saturating_sub(used).saturating_sub(held);
        if left == 0 {
            return Err(Shortfall {
                reason: format!(
                    "the run has no {name} left to give a child run (limit {limit}, used {used}, held by its other child runs {held})"
                ),
                held: limit > used,
            });
        }
        Ok(if asked == 0 { left } else { asked.min(left) })
    };
    let u = parent.used;
    let b = parent.budget;
    let max_duration_ms = match (parent.time_left_ms, requested.max_duration_ms) {
        (Some(0), _) => {
            return Err(Shortfall { reason: "the run has no time left to give a child run".into(), held: false })
        }
        (Some(left), 0) => left,
        (Some(left), asked) => asked.min(left),
        (None, asked) => asked,
    };
    let n = |x: i64| x.max(0) as u64;
    Ok(Budget {
        max_tokens: pick("tokens", requested.max_tokens, b.max_tokens, n(u.tokens()), held(|h| h.max_tokens))?,
        max_tool_calls: pick(
            "tool calls",
            requested.max_tool_calls,
            b.max_tool_calls,
            n(u.tool_calls),
            held(|h| h.max_tool_calls),
        )?,
        max_cost_micros: pick(
            "cost",
            requested.max_cost_micros,
            b.max_cost_micros,
            n(u.cost_micros),
            held(|h| h.max_cost_micros),
        )?,
        max_duration_ms,
        on_exhausted: requested.on_exhausted,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn budget(tokens: u64, tools: u64) -> Budget {
        Budget { max_tokens: tokens, max_tool_calls: tools, ..Default::default() }
    }

    fn parent<'a>(b: &'a Budget, used: &'a Usage, held: &'a [Budget]) -> ParentBudget<'a> {
        ParentBudget { budget: b, used, held, time_left_ms: None }
    }

    #[test]
    fn a_child_gets_at_most_what_is_left() {
        let b = budget(1000, 0);
        let used = Usage { prompt_tokens: 200, completion_tokens: 100, ..Default::default() };
        // Asked for more than is left: capped; asked for less: as asked; unset: the rest.
        assert_eq!(carve(&budget(5000, 0), parent(&b, &used, &[])).expect("carved").max_tokens, 700);
        assert_eq!(carve(&budget(100, 0), parent(&b, &used, &[])).expect("carved").max_tokens, 100);
        assert_eq!(carve(&budget(0, 0), parent(&b, &used, &[])).expect("carved").max_tokens, 700);
        // A limit the parent does not have is the child's own.
        assert_eq!(carve(&budget(0, 7), parent(&b, &used, &[])).expect("carved").max_tool_calls, 7);
        assert_eq!(carve(&budget(0, 0), parent(&b, &used, &[])).expect("carved").max_tool_calls, 0);
    }

    #[test]
    fn live_siblings_hold_their_share_and_an_empty_parent_gives_nothing() {
        let b = budget(1000, 0);
        let used = Usage { prompt_tokens: 300, ..Default::default() };
        let held = [budget(400, 0), budget(200, 0)];
        assert_eq!(carve(&budget(0, 0), parent(&b, &used, &held)).expect("carved").max_tokens, 100);
        let all = [budget(700, 0)];
        let err = carve(&budget(10, 0), parent(&b, &used, &all)).expect_err("nothing left");
        assert!(err.reason.contains("no tokens left") && err.reason.contains("held by its other child runs 700"));
        assert!(err.held, "its sibling holds the rest: the child can wait");
        let spent = Usage { prompt_tokens: 1000, ..Default::default() };
        assert!(!carve(&budget(10, 0), parent(&b, &spent, &[])).expect_err("spent").held, "spent: nothing to wait for");
    }

    #[test]
    fn time_is_capped_by_the_parents_deadline() {
        let b = Budget::default();
        let used = Usage::default();
        let p = ParentBudget { budget: &b, used: &used, held: &[], time_left_ms: Some(5_000) };
        let asked = Budget { max_duration_ms: 60_000, ..Default::default() };
        assert_eq!(carve(&asked, p).expect("carved").max_duration_ms, 5_000);
        assert_eq!(carve(&Budget::default(), p).expect("carved").max_duration_ms, 5_000);
        let none = ParentBudget { time_left_ms: Some(0), ..p };
        assert!(carve(&asked, none).is_err());
    }

    #[test]
    fn nested_plans_count_together() {
        let leaf = TaskSpec { id: "x".into(), ..Default::default() };
        let child = ChildRunSpec { plan: Some(vec![leaf.clone(), leaf.clone()]), ..Default::default() };
        let run = TaskSpec { id: "r".into(), child: Some(child), ..Default::default() };
        assert_eq!(nested_task_count(&[run, leaf]), 4);
    }
}
