//! The planner: goal → plan. The model is asked for what it is good at
//! (tasks in order, each with a title, an agent of an enum and `after`, the
//! positions of the earlier tasks it needs), by a JSON schema sent as the
//! response format (llama.cpp and vLLM make it a grammar) and in the prompt.
//! The answer is normalised deterministically (`domain::planned`: ids made
//! from titles, dependencies mapped, every change a note), then validated
//! exactly like a client's plan; only what normalising cannot fix goes back
//! to the model, as instructions, a bounded number of times. Every call is
//! bounded by the planner's deadline and `max_tokens`, and, for a stored run,
//! checked against and charged to the run's budget as it is made.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::time::Instant;

use super::trace::SpanParent;
use super::Engine;
use crate::config::ModelRole;
use crate::domain::planned::{self, AnswerRules, ANSWER_SHAPE};
use crate::domain::{self, Criterion, PlanAnalysis, TaskSpec, Usage, Violation};
use crate::error::{Error, Result};
use crate::llm::{extract_json, CallOptions, ChatResponse, LlmError, Message};
use crate::store;

/// The built-in planning prompt; `{{goal}}`, `{{criteria}}`, `{{agents}}` and
/// `{{max_tasks}}` are replaced. Its example names no id a model could copy.
pub const DEFAULT_PROMPT: &str = "You are the planner of a task orchestration service. Break the goal below into a short list of tasks that agents will execute.

Goal:
{{goal}}

Success criteria for the final output:
{{criteria}}

Agents you may assign tasks to (use these names exactly):
{{agents}}

Answer with JSON only, of the form {\"tasks\": [{\"title\": \"...\", \"agent\": \"...\", \"after\": [], \"instructions\": \"...\"}]}. List at most {{max_tasks}} tasks, in the order they run. \"after\" lists the numbers of earlier tasks whose output a task needs (the first task is number 1); leave it empty when a task needs none. Give each task a short title and one or two sentences of instructions.";

/// Longest title and instructions the schema lets a model write. Bounded
/// because small models otherwise run into max_tokens mid-JSON; small because
/// llama-cpp-python turns each bound into grammar rules, and a bound of 2,000
/// characters made its server crash.
const SCHEMA_MAX_TITLE: u32 = 80;
const SCHEMA_MAX_INSTRUCTIONS: u32 = 600;

/// What a planning is for.
pub struct PlanRequest<'a> {
    /// The goal.
    pub goal: &'a str,
    /// The run's criteria (shown to the model).
    pub criteria: &'a [Criterion],
    /// Where the calls' spans go.
    pub parent: Option<&'a SpanParent>,
    /// The PLANNING run whose budget every call is checked against and charged
    /// to (none for a dry run).
    pub run_id: Option<&'a str>,
    /// When planning gives up.
    pub deadline: Instant,
    /// The failed task whose revision this is (the run is EXECUTING then,
    /// not PLANNING, and its calls are charged as `replanning`).
    pub revising: Option<&'a str>,
}

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
    /// What normalising changed in the answer that became the plan.
    pub notes: Vec<String>,
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
    /// The deadline passed (PlanRun answers DEADLINE_EXCEEDED).
    pub timed_out: bool,
}

/// A violation of the plan's rules as an instruction naming the task by its
/// position (`plan.tasks[2].instructions` is "Task 3's instructions").
fn as_instruction(v: &Violation) -> String {
    let rest = v.field.strip_prefix("plan.tasks[").and_then(|r| r.split_once(']'));
    match rest.and_then(|(i, field)| Some((i.parse::<usize>().ok()?, field.trim_start_matches('.')))) {
        Some((i, "")) => format!("Task {}: {}.", i + 1, v.description),
        Some((i, field)) => format!("Task {}'s {field}: {}. Fix it.", i + 1, v.description),
        None => format!("{}: {}.", v.field, v.description),
    }
}

/// What to tell the model about an answer that is no JSON at all.
fn not_json(answer: &ChatResponse) -> String {
    if answer.was_cut() {
        format!(
            "Your answer was cut at {} tokens, before its JSON was complete. Answer again with a shorter plan: fewer tasks, and one sentence of instructions each.",
            answer.usage.completion_tokens
        )
    } else if answer.content.trim().is_empty() {
        format!("Your answer was empty. Answer with the plan as JSON only, of the form {ANSWER_SHAPE}.")
    } else {
        format!("Your answer is not JSON. Answer with JSON only, of the form {ANSWER_SHAPE}.")
    }
}

fn seconds(d: Duration) -> String {
    humantime::format_duration(Duration::from_secs(((d.as_millis() + 500) / 1000).max(1) as u64)).to_string()
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

    /// The answer's schema: keys in the order a model should write them
    /// (short ones first, so a cut answer loses instructions, not structure).
    fn plan_schema(&self) -> Value {
        let policy = self.policy();
        let names: Vec<&str> = policy.agents.iter().map(|a| a.name.as_str()).collect();
        let max = policy.planner.max_tasks;
        json!({
            "type": "object",
            "properties": {
                "tasks": {
                    "type": "array", "minItems": 1, "maxItems": max,
                    "items": {
                        "type": "object",
                        "properties": {
                            "title": { "type": "string", "minLength": 1, "maxLength": SCHEMA_MAX_TITLE },
                            "agent": { "type": "string", "enum": names },
                            "after": { "type": "array", "items": { "type": "integer", "minimum": 1, "maximum": max }, "maxItems": max },
                            "instructions": { "type": "string", "minLength": 1, "maxLength": SCHEMA_MAX_INSTRUCTIONS }
                        },
                        "required": ["title", "agent", "after", "instructions"],
                        "additionalProperties": false
                    }
                }
            },
            "required": ["tasks"],
            "additionalProperties": false
        })
    }

    /// An answer as a valid plan and the notes of its normalising, or the
    /// problems to send back, phrased as instructions.
    fn check_answer(
        &self,
        answer: &ChatResponse,
    ) -> std::result::Result<(Vec<TaskSpec>, PlanAnalysis, Vec<String>), Vec<String>> {
        let Some(value) = extract_json(&answer.content) else {
            return Err(vec![not_json(answer)]);
        };
        let policy = self.policy();
        let names: Vec<&str> = policy.agents.iter().map(|a| a.name.as_str()).collect();
        let rules = AnswerRules { agents: &names, max_tasks: policy.planner.max_tasks as usize };
        let normalised = planned::normalise(&value, &rules)?;
        match self.validate_plan(&normalised.tasks) {
            Ok(analysis) => Ok((normalised.tasks, analysis, normalised.notes)),
            Err(Error::InvalidArgument(v)) => Err(v.iter().map(as_instruction).collect()),
            Err(other) => Err(vec![other.to_string()]),
        }
    }

    /// What a PLANNING run may still spend on its next call: Err(reason) when
    /// it may not call at all, else the tokens left (None: no token limit).
    async fn planning_allowance(&self, run_id: &str, revising: bool) -> std::result::Result<Option<u64>, String> {
        let id = run_id.to_string();
        let run = self.store.read(move |c| store::get_run_any(c, &id)).await.map_err(|e| e.to_string())?;
        let expected = if revising { domain::RunStatus::Executing } else { domain::RunStatus::Planning };
        if run.status != expected {
            return Err(format!("the run is {} now", run.status.as_str().to_lowercase()));
        }
        if let Some(ex) = store::budget_exhausted(&run, domain::now_micros()).map_err(|e| e.to_string())? {
            return Err(format!("{} while planning", ex.describe()));
        }
        let spec = store::run_spec(&run).map_err(|e| e.to_string())?;
        let used = (run.prompt_tokens + run.completion_tokens).max(0) as u64;
        Ok((spec.budget.max_tokens > 0).then(|| spec.budget.max_tokens.saturating_sub(used)))
    }

    /// Plans a goal. Nothing is stored but the usage of a stored run's calls.
    pub async fn plan(&self, req: PlanRequest<'_>) -> std::result::Result<Planned, PlanFailure> {
        let mut usage = Usage::default();
        let mut calls = 0;
        let fail = |reason: String, usage: Usage, calls: u32| PlanFailure { reason, usage, calls, timed_out: false };
        let Some(model) = self.model(ModelRole::Utility) else {
            return Err(fail(
                "no planner model is configured (models.utility or models.main in the policy file)".into(),
                usage,
                calls,
            ));
        };
        let policy = self.policy();
        if policy.agents.is_empty() {
            return Err(fail("the policy declares no agents to plan for".into(), usage, calls));
        }
        let started = Instant::now();
        let out_of_time = |usage: Usage, calls: u32| {
            PlanFailure {
            reason: format!(
                "planning took longer than its deadline of {} after {calls} planner call(s) (planner.deadline, or the caller's own)",
                seconds(req.deadline.saturating_duration_since(started))
            ),
            usage,
            calls,
            timed_out: true,
        }
        };
        let schema = self.plan_schema();
        let mut messages = vec![Message::user(self.planner_prompt(req.goal, req.criteria))];
        let tries = policy.planner.max_repairs + 1;
        let mut last = Vec::new();
        while calls < tries {
            let mut max_tokens = policy.planner.max_tokens;
            if let Some(id) = req.run_id {
                match self.planning_allowance(id, req.revising.is_some()).await {
                    Err(reason) => return Err(fail(reason, usage, calls)),
                    Ok(Some(left)) => max_tokens = max_tokens.min(left.min(u32::MAX as u64) as u32),
                    Ok(None) => {}
                }
            }
            if Instant::now() >= req.deadline {
                return Err(out_of_time(usage, calls));
            }
            calls += 1;
            let options = CallOptions { max_tokens: Some(max_tokens), deadline: Some(req.deadline) };
            let answer = match self.traced_chat(&model, &messages, Some(&schema), options, req.parent).await {
                Ok(a) => a,
                Err(LlmError::Deadline(_)) => return Err(out_of_time(usage, calls)),
                Err(e) => return Err(fail(format!("planner call failed: {e}"), usage, calls)),
            };
            usage = usage.plus(&answer.usage);
            if let Some(id) = req.run_id {
                let (id, u, revising) = (id.to_string(), answer.usage, req.revising.map(str::to_string));
                match self.store.write(move |tx| store::charge_planning(tx, &id, u, revising.as_deref())).await {
                    Ok(None) => {}
                    Ok(Some(reason)) => return Err(fail(reason, usage, calls)),
                    Err(e) => return Err(fail(format!("planning could not be charged: {e}"), usage, calls)),
                }
            }
            match self.check_answer(&answer) {
                Ok((tasks, analysis, notes)) => return Ok(Planned { tasks, analysis, usage, calls, notes }),
                Err(problems) => {
                    tracing::info!(
                        call = calls,
                        problems = problems.len(),
                        cut = answer.was_cut(),
                        "planner answer invalid; asking for a repair"
                    );
                    messages.push(Message::assistant(answer.content));
                    messages.push(Message::user(format!(
                        "That plan cannot be used:\n- {}\nAnswer with the whole corrected plan as JSON only.",
                        problems.join("\n- ")
                    )));
                    last = problems;
                }
            }
        }
        Err(fail(
            format!("the planner produced no valid plan in {calls} tries; last problems: {}", last.join(" ")),
            usage,
            calls,
        ))
    }

    /// Plans every PLANNING run that no one in this process is planning yet
    /// (new runs, and runs whose planner died with a previous process).
    pub async fn start_planning(self: &Arc<Self>) -> Result<()> {
        let waiting = self.store.read(store::planning_runs).await?;
        for run in waiting {
            let (key, id) = (run.id.clone(), run.id.clone());
            self.plan_once(key, id, "planning", |engine| async move { engine.plan_stored_run(run).await });
        }
        Ok(())
    }

    /// Runs `work` for a run in the background unless this process runs it
    /// under `key` already; `what` names it in the log when it fails.
    fn plan_once<F, W>(self: &Arc<Self>, key: String, run_id: String, what: &'static str, work: W)
    where
        W: FnOnce(Arc<Engine>) -> F + Send + 'static,
        F: std::future::Future<Output = Result<()>> + Send + 'static,
    {
        if !self.planning.lock().unwrap_or_else(|p| p.into_inner()).insert(key.clone()) {
            return;
        }
        let engine = self.clone();
        tokio::spawn(async move {
            if let Err(e) = work(engine.clone()).await {
                tracing::warn!(run_id = %run_id, error = %e, "{what} did not finish");
            }
            engine.planning.lock().unwrap_or_else(|p| p.into_inner()).remove(&key);
        });
    }

    async fn plan_stored_run(&self, run: store::RunRow) -> Result<()> {
        let spec = store::run_spec(&run)?;
        let parent = SpanParent {
            run_id: run.id.clone(),
            workspace: run.workspace_id.clone(),
            trace_id: run.trace_id.clone(),
            span_id: store::plan_span_id(&run.id),
        };
        let request = PlanRequest {
            goal: &run.goal,
            criteria: &spec.criteria,
            parent: Some(&parent),
            run_id: Some(&run.id),
            deadline: Instant::now() + self.policy().planner.deadline,
            revising: None,
        };
        match self.plan(request).await {
            Ok(p) => {
                let default_retry = spec.policy.default_retry.clone().unwrap_or_default();
                let (tasks, deps) = store::task_rows(
                    &run.workspace_id,
                    &run.id,
                    run.priority,
                    &default_retry,
                    &p.tasks,
                    domain::now_micros(),
                )?;
                let plan_json = serde_json::to_string(&p.tasks)?;
                let id = run.id.clone();
                let done = store::PlanningDone { calls: p.calls, notes: p.notes };
                self.store.write(move |tx| store::install_plan(tx, &id, plan_json, tasks, deps, done)).await
            }
            Err(f) => {
                let id = run.id.clone();
                let reason = format!("planning failed: {}", f.reason);
                self.store.write(move |tx| store::planning_failed(tx, &id, &reason)).await
            }
        }
    }

    /// Hands every run that awaits a revision of its plan (a required task
    /// failed under `on_task_failure: replan`) to the planner, once per
    /// process; a run whose planner died with a previous process is picked
    /// up again.
    pub async fn start_replanning(self: &Arc<Self>) -> Result<()> {
        let waiting = self.store.read(store::replanning_runs).await?;
        for r in waiting {
            let (key, id) = (format!("replan:{}", r.run.id), r.run.id.clone());
            self.plan_once(key, id, "replanning", |engine| async move { engine.replan_stored_run(r).await });
        }
        Ok(())
    }

    async fn replan_stored_run(&self, r: store::Replanning) -> Result<()> {
        let spec = store::run_spec(&r.run)?;
        let failed = r.failed.task_id.clone();
        let goal = revision_goal(&r);
        let parent = SpanParent {
            run_id: r.run.id.clone(),
            workspace: r.run.workspace_id.clone(),
            trace_id: r.run.trace_id.clone(),
            span_id: store::task_span_id(&r.run.id, &failed),
        };
        let request = PlanRequest {
            goal: &goal,
            criteria: &spec.criteria,
            parent: Some(&parent),
            run_id: Some(&r.run.id),
            deadline: Instant::now() + self.policy().planner.deadline,
            revising: Some(&failed),
        };
        let error = r.failed.error.clone().unwrap_or_default();
        let id = r.run.id.clone();
        let planned = self.plan(request).await;
        let (limits, max_plan) = (self.config.limits.run.plan.clone(), self.config.limits.max_message_bytes / 2);
        match planned {
            Ok(p) => {
                let (task, notes) = (failed.clone(), p.notes);
                let revised = self
                    .store
                    .write(move |tx| store::revise_plan(tx, &id, &task, p.tasks, &limits, max_plan, notes))
                    .await;
                match revised {
                    Ok(()) => Ok(()),
                    Err(Error::InvalidArgument(v)) => {
                        let problems: Vec<String> = v.iter().map(as_instruction).collect();
                        let reason = format!(
                            "task {failed:?} failed: {error}; the planner's revision does not fit the run: {}",
                            problems.join(" ")
                        );
                        let id = r.run.id.clone();
                        self.store.write(move |tx| store::replanning_failed(tx, &id, &failed, &reason)).await
                    }
                    Err(e) => Err(e),
                }
            }
            Err(f) => {
                let reason = format!("task {failed:?} failed: {error}; replanning failed: {}", f.reason);
                self.store.write(move |tx| store::replanning_failed(tx, &id, &failed, &reason)).await
            }
        }
    }
}

/// What the planner is shown when it revises a plan: characters of each
/// output (and error), of each title, tasks listed per kind, and the bytes of
/// the whole.
const REVISION_OUTPUT_CHARS: usize = 400;
const REVISION_TITLE_CHARS: usize = 120;
const REVISION_TASKS_SHOWN: usize = 40;
const REVISION_PROMPT_BYTES: usize = 48 * 1024;

/// What the planner is asked when a required task failed: the goal, what
/// succeeded (with outputs, each cut short), what failed and why, what it
/// left undone. Bounded whatever the run's size.
fn revision_goal(r: &store::Replanning) -> String {
    // A task as the planner may name it: its id (a revision may depend on it), and its title.
    let title = |t: &store::TaskRow| {
        let spec = store::task_spec(t).map(|s| s.title).unwrap_or_default();
        match spec.is_empty() {
            true => t.task_id.clone(),
            false => format!("{} ({})", t.task_id, domain::plan::truncate(&spec, REVISION_TITLE_CHARS)),
        }
    };
    let mut out = format!(
        "{}\n\nA plan for this goal was being carried out when a task failed for good. Plan only the work \
         that is left, to reach the goal from here; do not repeat what was done, nor the failed approach as it was. \
         A task of yours may depend on a task done so far by naming its id.\n",
        r.run.goal
    );
    let done: Vec<&store::TaskRow> = r.tasks.iter().filter(|t| t.status == domain::TaskStatus::Succeeded).collect();
    if !done.is_empty() {
        out.push_str("\nDone so far (task: output):\n");
        for t in done.iter().take(REVISION_TASKS_SHOWN) {
            let output = t.output_json.as_deref().unwrap_or("null");
            out.push_str(&format!("- {}: {}\n", title(t), domain::plan::truncate(output, REVISION_OUTPUT_CHARS)));
        }
        if done.len() > REVISION_TASKS_SHOWN {
            out.push_str(&format!("- … and {} more\n", done.len() - REVISION_TASKS_SHOWN));
        }
    }
    out.push_str(&format!(
        "\nFailed: {}: {}\n",
        title(&r.failed),
        domain::plan::truncate(r.failed.error.as_deref().unwrap_or(""), REVISION_OUTPUT_CHARS)
    ));
    let pending = |downstream: bool| -> Vec<String> {
        let mine = |t: &&store::TaskRow| r.downstream.contains(&t.task_id) == downstream;
        let open = |t: &&store::TaskRow| !t.status.is_terminal() && t.task_id != r.failed.task_id;
        r.tasks.iter().filter(open).filter(mine).take(REVISION_TASKS_SHOWN).map(title).collect()
    };
    let (undone, others) = (pending(true), pending(false));
    if !undone.is_empty() {
        out.push_str(&format!("Left undone because they needed it (your plan replaces them): {}\n", undone.join("; ")));
    }
    if !others.is_empty() {
        out.push_str(&format!("Still running or to run anyway (do not plan these again): {}\n", others.join("; ")));
    }
    if r.replans > 0 {
        out.push_str(&format!("The plan was revised {} time(s) before.\n", r.replans));
    }
    // The goal is bounded on its own; so is the whole.
    if out.len() > REVISION_PROMPT_BYTES {
        let mut end = REVISION_PROMPT_BYTES;
        while !out.is_char_boundary(end) {
            end -= 1;
        }
        out.truncate(end);
    }
    out
}
