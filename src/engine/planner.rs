//! The planner: goal → plan, by asking a model for JSON of a fixed schema,
//! validating the answer exactly like a client's plan, and sending the
//! violations back for a repair, a bounded number of times.

use std::sync::Arc;

use serde_json::{json, Value};

use super::Engine;
use crate::config::ModelRole;
use crate::domain::{self, Criterion, PlanAnalysis, TaskSpec, Usage};
use crate::error::{Error, Result};
use crate::llm::{extract_json, Message};
use crate::store;

/// The built-in planning prompt; `{{goal}}`, `{{criteria}}`, `{{agents}}` and
/// `{{max_tasks}}` are replaced.
pub const DEFAULT_PROMPT: &str = "You are the planner of a task orchestration service. Break the goal below into a small plan of tasks that agents will execute. Tasks run in parallel unless one depends on another; a task receives the outputs of the tasks it depends on.

Goal:
{{goal}}

Success criteria for the final output:
{{criteria}}

Agents you may assign tasks to (use these names exactly):
{{agents}}

Answer with JSON only, of the form {\"tasks\": [{\"id\": \"short-id\", \"title\": \"...\", \"instructions\": \"...\", \"agent\": \"agent-name\", \"depends_on\": [\"other-id\"]}]}. Use at most {{max_tasks}} tasks. Ids are letters, digits, '-' or '_'. A task may depend only on other tasks of the plan, never on itself, and the dependencies must not form a cycle.";

/// A plan the planner produced.
#[derive(Debug, Clone)]
pub struct Planned {
    /// The tasks.
    pub tasks: Vec<TaskSpec>,
    /// Their shape.
    pub analysis: PlanAnalysis,
    /// Tokens spent.
    pub usage: Usage,
    /// Calls made (1 + repairs).
    pub calls: u32,
}

/// Why planning gave up.
#[derive(Debug, Clone)]
pub struct PlanFailure {
    /// The last validation errors (or the LLM error).
    pub reason: String,
    /// Tokens spent.
    pub usage: Usage,
    /// Calls made.
    pub calls: u32,
}

fn add(a: &mut Usage, b: &Usage) {
    a.prompt_tokens += b.prompt_tokens;
    a.completion_tokens += b.completion_tokens;
    a.tool_calls += b.tool_calls;
    a.cost_micros += b.cost_micros;
}

impl Engine {
    fn planner_prompt(&self, goal: &str, criteria: &[Criterion]) -> String {
        let policy = self.policy();
        let agents: Vec<String> = policy
            .agents
            .iter()
            .map(|a| {
                let caps =
                    if a.capabilities.is_empty() { String::new() } else { format!(" [{}]", a.capabilities.join(", ")) };
                format!(
                    "- {}: {}{caps}",
                    a.name,
                    if a.description.is_empty() { "(no description)" } else { &a.description }
                )
            })
            .collect();
        let criteria = if criteria.is_empty() {
            "(none given)".to_string()
        } else {
            criteria
                .iter()
                .map(|c| format!("- {} {}", c.kind, Value::Object(c.params.clone())))
                .collect::<Vec<_>>()
                .join("\n")
        };
        policy
            .planner
            .prompt
            .as_deref()
            .unwrap_or(DEFAULT_PROMPT)
            .replace("{{goal}}", goal)
            .replace("{{criteria}}", &criteria)
            .replace("{{agents}}", &agents.join("\n"))
            .replace("{{max_tasks}}", &policy.planner.max_tasks.to_string())
    }

    fn plan_schema(&self) -> Value {
        let policy = self.policy();
        let names: Vec<&str> = policy.agents.iter().map(|a| a.name.as_str()).collect();
        let max = policy.planner.max_tasks;
        // Bounded strings and arrays: small models otherwise run into max_tokens mid-JSON.
        json!({
            "type": "object",
            "properties": {
                "tasks": {
                    "type": "array", "minItems": 1, "maxItems": max,
                    "items": {
                        "type": "object",
                        "properties": {
                            "id": { "type": "string", "maxLength": 64 },
                            "title": { "type": "string", "maxLength": 200 },
                            "instructions": { "type": "string", "maxLength": 2000 },
                            "agent": { "type": "string", "enum": names },
                            "depends_on": { "type": "array", "items": { "type": "string", "maxLength": 64 }, "maxItems": max }
                        },
                        "required": ["id", "title", "instructions", "agent", "depends_on"],
                        "additionalProperties": false
                    }
                }
            },
            "required": ["tasks"],
            "additionalProperties": false
        })
    }

    /// Checks a planner's answer; Err(violation lines) when it is not a valid plan.
    fn check_planned(&self, content: &str) -> std::result::Result<(Vec<TaskSpec>, PlanAnalysis), Vec<String>> {
        let Some(value) = extract_json(content) else {
            return Err(vec!["the answer is not JSON".into()]);
        };
        let tasks_value = value.get("tasks").cloned().unwrap_or(value);
        let tasks: Vec<TaskSpec> = serde_json::from_value(tasks_value)
            .map_err(|e| vec![format!("the answer is not a plan of the required shape: {e}")])?;
        let max = self.policy().planner.max_tasks as usize;
        if tasks.len() > max {
            return Err(vec![format!("plan.tasks: {} tasks exceed the limit of {max}", tasks.len())]);
        }
        let lines = |e: Error| match e {
            Error::InvalidArgument(v) => v.into_iter().map(|v| format!("{}: {}", v.field, v.description)).collect(),
            other => vec![other.to_string()],
        };
        let analysis = self.validate_plan(&tasks).map_err(lines)?;
        Ok((tasks, analysis))
    }

    /// Plans a goal (a dry run: nothing is stored).
    pub async fn plan(
        &self,
        goal: &str,
        criteria: &[Criterion],
        parent: Option<&super::trace::SpanParent>,
    ) -> std::result::Result<Planned, PlanFailure> {
        let fail = |reason: String, usage: Usage, calls: u32| PlanFailure { reason, usage, calls };
        let Some(model) = self.model(ModelRole::Utility) else {
            return Err(fail(
                "no planner model is configured (models.utility or models.main in the policy file)".into(),
                Usage::default(),
                0,
            ));
        };
        let policy = self.policy();
        if policy.agents.is_empty() {
            return Err(fail("the policy declares no agents to plan for".into(), Usage::default(), 0));
        }
        let schema = self.plan_schema();
        let mut messages = vec![Message::user(self.planner_prompt(goal, criteria))];
        let mut usage = Usage::default();
        let mut calls = 0;
        let tries = policy.planner.max_repairs + 1;
        let mut last = Vec::new();
        while calls < tries {
            calls += 1;
            let answer = match self.traced_chat(&model, &messages, Some(&schema), parent).await {
                Ok(a) => a,
                Err(e) => return Err(fail(format!("planner call failed: {e}"), usage, calls)),
            };
            add(&mut usage, &answer.usage);
            match self.check_planned(&answer.content) {
                Ok((tasks, analysis)) => return Ok(Planned { tasks, analysis, usage, calls }),
                Err(problems) => {
                    tracing::info!(
                        call = calls,
                        problems = problems.len(),
                        "planner answer invalid; asking for a repair"
                    );
                    messages.push(Message::assistant(answer.content));
                    messages.push(Message::user(format!(
                        "That plan is invalid:\n- {}\nAnswer with the corrected plan as JSON only.",
                        problems.join("\n- ")
                    )));
                    last = problems;
                }
            }
        }
        Err(fail(
            format!("the planner produced no valid plan in {calls} tries; last problems: {}", last.join("; ")),
            usage,
            calls,
        ))
    }

    /// Plans every PLANNING run that no one in this process is planning yet
    /// (new runs, and runs whose planner died with a previous process).
    pub async fn start_planning(self: &Arc<Self>) -> Result<()> {
        let waiting = self.store.read(store::planning_runs).await?;
        for run in waiting {
            let fresh = self.planning.lock().unwrap_or_else(|p| p.into_inner()).insert(run.id.clone());
            if fresh {
                let engine = self.clone();
                tokio::spawn(async move {
                    let id = run.id.clone();
                    if let Err(e) = engine.plan_stored_run(run).await {
                        tracing::warn!(run_id = %id, error = %e, "planning did not finish");
                    }
                    engine.planning.lock().unwrap_or_else(|p| p.into_inner()).remove(&id);
                });
            }
        }
        Ok(())
    }

    async fn plan_stored_run(&self, run: store::RunRow) -> Result<()> {
        let spec = store::run_spec(&run)?;
        let parent = super::trace::SpanParent {
            run_id: run.id.clone(),
            workspace: run.workspace_id.clone(),
            trace_id: run.trace_id.clone(),
            span_id: store::plan_span_id(&run.id),
        };
        match self.plan(&run.goal, &spec.criteria, Some(&parent)).await {
            Ok(p) => {
                let default_retry = spec.policy.default_retry.clone().unwrap_or_default();
                let (tasks, deps) = super::task_rows(
                    &run.workspace_id,
                    &run.id,
                    run.priority,
                    &default_retry,
                    &p.tasks,
                    domain::now_micros(),
                )?;
                let plan_json = serde_json::to_string(&p.tasks)?;
                let (id, usage, calls) = (run.id.clone(), p.usage, p.calls);
                self.store.write(move |tx| store::install_plan(tx, &id, plan_json, tasks, deps, usage, calls)).await
            }
            Err(f) => {
                let id = run.id.clone();
                let reason = format!("planning failed: {}", f.reason);
                self.store.write(move |tx| store::planning_failed(tx, &id, &reason, f.usage)).await
            }
        }
    }
}
