//! The engine: the run lifecycle (coordinator), the agent protocol, the
//! reconciler and the built-in executors. Plain Rust over the store; no
//! tonic types here.

pub mod admin;
pub mod agents;
pub mod cascade;
pub mod children;
pub mod command;
pub mod executors;
pub mod learning;
pub mod llm_exec;
pub mod page;
pub mod planner;
pub mod policy_watch;
pub mod presence;
pub mod recipes;
pub mod reconciler;
pub mod retention;
pub mod schedules;
pub mod trace;
pub mod verification;
pub mod watch;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::config::Config;
use crate::domain::{self, PlanAnalysis, RunSpec, RunStatus, TaskSpec, TaskStatus};
use crate::error::{Error, Result};
use crate::llm::LlmClient;
use crate::store::{self, LabelRow, NewRun, RunRow, Store, TaskRow};

/// A run as the API shows it.
#[derive(Debug, Clone)]
pub struct RunView {
    /// Its stored facts.
    pub run: domain::RunRecord,
    /// The client's request.
    pub spec: RunSpec,
    /// The plan in force.
    pub plan: Option<Vec<TaskSpec>>,
    /// Its labels.
    pub labels: BTreeMap<String, String>,
    /// Tasks per status name.
    pub task_counts: BTreeMap<String, u32>,
    /// Agents its ready tasks wait for that nobody serves (filled by GetRun only).
    pub waiting: Vec<presence::AgentWait>,
    /// For a child run, the task that started it.
    pub parent: Option<domain::RunParent>,
}

impl TaskView {
    /// About how many bytes a task row takes in an answer (its largest parts).
    pub fn approx_row_bytes(t: &TaskRow) -> usize {
        let opt = |s: &Option<String>| s.as_ref().map_or(0, String::len);
        256 + t.spec_json.len() + opt(&t.output_json) + opt(&t.inputs_json) + opt(&t.error)
    }

    /// The view of a stored task, with the attempts given.
    fn of(row: TaskRow, attempts: Vec<domain::Attempt>) -> Result<TaskView> {
        Ok(TaskView { spec: store::task_spec(&row)?, task: row.record()?, attempts })
    }
}

/// A task as the API shows it.
#[derive(Debug, Clone)]
pub struct TaskView {
    /// Its stored facts.
    pub task: domain::TaskRecord,
    /// Its spec.
    pub spec: TaskSpec,
    /// Its attempts (GetTask only).
    pub attempts: Vec<domain::Attempt>,
}

/// The policy in force and what is built from it (the model clients).
/// Replaced whole when the policy file changes; every decision reads the
/// current one.
pub struct Live {
    /// The policy.
    pub policy: Arc<crate::config::Policy>,
    main_model: Option<LlmClient>,
    utility_model: Option<LlmClient>,
    /// `models.cascade`'s clients, cheapest first (empty without one).
    cascade: Vec<LlmClient>,
}

impl Live {
    fn new(policy: crate::config::Policy) -> Live {
        let client = |m: &Option<crate::llm::ModelConfig>| {
            m.clone().and_then(|m| match LlmClient::new(m) {
                Ok(c) => Some(c),
                Err(e) => {
                    tracing::error!(error = %e, "LLM client unavailable");
                    None
                }
            })
        };
        let main_model = client(&policy.models.main);
        let utility_model = client(&policy.models.utility);
        let cascade = match &policy.models.cascade {
            // All or none: a cascade with a model missing would climb to the wrong one.
            Some(c) => {
                c.models.iter().map(|m| client(&Some(m.clone()))).collect::<Option<Vec<_>>>().unwrap_or_default()
            }
            None => Vec::new(),
        };
        Live { policy: Arc::new(policy), main_model, utility_model, cascade }
    }

    /// The client of a model role (the utility role falls back to the main
    /// model; the cascade's is its cheapest, the first an attempt tries).
    fn model(&self, role: crate::config::ModelRole) -> Option<LlmClient> {
        match role {
            crate::config::ModelRole::Main => self.main_model.clone(),
            crate::config::ModelRole::Utility => self.utility_model.clone().or(self.main_model.clone()),
            crate::config::ModelRole::Cascade => self.cascade.first().cloned(),
        }
    }
}

/// The coordinator: turns requests into transactions on the store.
pub struct Engine {
    store: Store,
    config: Arc<Config>,
    shutdown: tokio::sync::watch::Sender<bool>,
    /// The current policy: a read clones an `Arc` under an uncontended lock;
    /// a reload swaps it whole, so a decision never sees half of each.
    live: std::sync::RwLock<Arc<Live>>,
    /// The built-in executors' workers (command and llm agents).
    pub(crate) executors: executors::Executors,
    /// Runs this process is planning (so the reconciler does not start a second planner).
    planning: std::sync::Mutex<std::collections::HashSet<String>>,
    /// Verdicts this process is computing ("run/task" or "run").
    verifying: std::sync::Mutex<std::collections::HashSet<String>>,
    /// Open WatchRun streams per workspace.
    pub(crate) watchers: WatchCounts,
    /// Which agents this process has seen polling.
    pub(crate) presence: presence::Presence,
    /// How the policy file's recipes are read (set by the API layer).
    recipe_decoder: std::sync::OnceLock<recipes::RecipeDecoder>,
    /// Where the scheduler's next look at buffered fires starts.
    buffered_window: std::sync::atomic::AtomicI64,
    /// Reads of outcome windows (GetStats, Advise) running at once.
    history_reads: tokio::sync::Semaphore,
}

/// Open WatchRun streams per workspace.
pub(crate) type WatchCounts = Arc<std::sync::Mutex<std::collections::HashMap<String, u32>>>;

/// Opens (and migrates) the store off the async executor.
pub async fn open_store(config: &Config) -> Result<Store> {
    let url = config.database.clone();
    let store = tokio::task::spawn_blocking(move || Store::open(&url, crate::hub::Hub::new()))
        .await
        .map_err(|e| Error::Internal(format!("opening the store: {e}")))??
        .with_max_output_bytes(config.limits.max_output_bytes);
    Ok(store)
}

impl Engine {
    /// An engine over a store.
    pub fn new(store: Store, config: Arc<Config>) -> Arc<Engine> {
        let live = Live::new(config.policy.clone());
        Arc::new(Engine {
            store,
            config,
            shutdown: tokio::sync::watch::channel(false).0,
            live: std::sync::RwLock::new(Arc::new(live)),
            executors: Default::default(),
            planning: Default::default(),
            verifying: Default::default(),
            watchers: Default::default(),
            presence: Default::default(),
            recipe_decoder: Default::default(),
            buffered_window: Default::default(),
            history_reads: tokio::sync::Semaphore::new(2),
        })
    }

    fn live(&self) -> Arc<Live> {
        self.live.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The policy in force now.
    pub fn policy(&self) -> Arc<crate::config::Policy> {
        self.live().policy.clone()
    }

    /// Puts a new policy in force for every decision from now on (dispatch,
    /// planning, budgets, tools, hooks), and starts or stops built-in
    /// workers to match it. Returns the settings that changed but apply only
    /// at the next start.
    pub fn replace_policy(self: &Arc<Self>, policy: crate::config::Policy) -> Vec<String> {
        let mut restart_only = Vec::new();
        let live = Arc::new(Live::new(policy));
        let old = std::mem::replace(&mut *self.live.write().unwrap_or_else(|p| p.into_inner()), live.clone());
        if old.policy.limits != live.policy.limits {
            restart_only.push("limits".to_string());
        }
        self.sync_executors();
        // Idle workers of removed agents notice at once; pollers re-check their agent.
        self.store.hub().wake_all_agents();
        restart_only
    }

    /// The client of a model role in the policy in force (see `Live::model`).
    pub fn model(&self, role: crate::config::ModelRole) -> Option<LlmClient> {
        self.live().model(role)
    }

    /// Ends long polls and watch streams so that a graceful shutdown can finish.
    pub fn begin_shutdown(&self) {
        self.shutdown.send_replace(true);
    }

    /// Whether shutdown has begun.
    pub fn is_shutting_down(&self) -> bool {
        *self.shutdown.borrow()
    }

    /// Resolves when shutdown has begun.
    pub async fn shutting_down(&self) {
        let mut rx = self.shutdown.subscribe();
        let _ = rx.wait_for(|s| *s).await;
    }

    /// Database statements this engine's store has run since it opened.
    pub fn statements_run(&self) -> u64 {
        self.store.statements().get()
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The configuration.
    pub fn config(&self) -> &Arc<Config> {
        &self.config
    }

    /// Validates a plan as CreateRun does and describes its shape; every
    /// violation (structure and agents) is reported together.
    pub fn validate_plan(&self, tasks: &[TaskSpec]) -> Result<PlanAnalysis> {
        let judge = self.model(crate::config::ModelRole::Utility).is_some();
        validate_plan_with(&self.policy(), &self.config.limits.run.plan, judge, tasks)
    }

    /// [`Engine::validate_plan`] on a blocking thread: a plan of 10,000 tasks,
    /// each with regexes and schemas to compile, is milliseconds to seconds of
    /// work that must not hold an async worker.
    pub async fn validate_plan_off_runtime(&self, tasks: Arc<Vec<TaskSpec>>) -> Result<PlanAnalysis> {
        let judge = self.model(crate::config::ModelRole::Utility).is_some();
        let (policy, config) = (self.policy(), self.config.clone());
        tokio::task::spawn_blocking(move || validate_plan_with(&policy, &config.limits.run.plan, judge, &tasks))
            .await
            .map_err(|e| Error::Internal(format!("plan validation: {e}")))?
    }

    /// A new run's fields and plan checked (every violation at once, the plan
    /// off the async threads): its plan, or none for the planner to make.
    pub(crate) async fn checked_plan(&self, spec: &RunSpec) -> Result<Vec<TaskSpec>> {
        let judge = self.model(crate::config::ModelRole::Utility).is_some();
        let (policy, config, s) = (self.policy(), self.config.clone(), Arc::new(spec.clone()));
        let checked = s.clone();
        let violations =
            tokio::task::spawn_blocking(move || run_violations(&policy, &config.limits.run, judge, &checked))
                .await
                .map_err(|e| Error::Internal(format!("plan validation: {e}")))?;
        if spec.plan.is_none() && violations.is_empty() && !judge {
            return Err(Error::FailedPrecondition(
                "this run has no plan and the server has no planner model configured (models.utility or models.main in the policy file): pass plan.tasks".into(),
            ));
        }
        if !violations.is_empty() {
            return Err(Error::InvalidArgument(violations));
        }
        Ok(Arc::unwrap_or_clone(s).plan.unwrap_or_default())
    }

    /// Creates (and starts) a run; with a known request id, returns the earlier run.
    pub async fn create_run(
        &self,
        ws: &str,
        spec: RunSpec,
        parent: Option<domain::TraceParent>,
        by: &str,
    ) -> Result<(RunView, bool)> {
        if spec.request_id.as_deref().is_some_and(|r| r.starts_with(domain::schedule::RUN_REQUEST_PREFIX)) {
            return Err(Error::invalid(
                "request_id",
                format!("ids starting {:?} are the runs schedules start", domain::schedule::RUN_REQUEST_PREFIX),
            ));
        }
        let (new, stored_spec, plan) = self.prepare_run(ws, &spec, parent, by).await?;
        // Shared, not copied, when the store runs the transaction again.
        let new = Arc::new(new);
        let created = self.store.write(move |tx| store::create_run(tx, &new)).await?;
        if created.row.status == RunStatus::Planning {
            // The reconciler starts the planner (and restarts it after a crash).
            self.store.hub().reconcile.notify_one();
        }
        let dedup = created.deduplicated;
        let Some(counts) = created.task_counts else {
            return Ok((self.fresh_view(created.row).await?, dedup));
        };
        // The run as its transaction left it: no read after the commit.
        let view = RunView {
            run: created.row.record(domain::now_micros())?,
            spec: stored_spec,
            plan: (!plan.is_empty()).then_some(plan),
            labels: spec.labels,
            task_counts: counts.into_iter().map(|(s, n)| (s.as_str().to_string(), n as u32)).collect(),
            waiting: Vec::new(),
            parent: None,
        };
        Ok((view, dedup))
    }

    /// The rows of a new run, every check CreateRun makes before its
    /// transaction passed (the plan, the workspace's limit of unfinished
    /// runs): what `store::create_run` inserts, with the spec it stores and its plan.
    pub(crate) async fn prepare_run(
        &self,
        ws: &str,
        spec: &RunSpec,
        parent: Option<domain::TraceParent>,
        by: &str,
    ) -> Result<(NewRun, RunSpec, Vec<TaskSpec>)> {
        let tasks = self.checked_plan(spec).await?;
        // A retry of a CreateRun that was accepted is answered (deduplicated), even
        // when that run brought the workspace to its limit.
        let (in_flight, known) = {
            let (w, rid) = (ws.to_string(), spec.request_id.clone());
            self.store
                .read(move |c| {
                    let known = match &rid {
                        Some(r) => store::find_idempotency(c, &w, r)?.is_some(),
                        None => false,
                    };
                    Ok((store::runs_in_flight(c, &w)?, known))
                })
                .await?
        };
        if !known && in_flight >= i64::from(self.config.limits.max_runs_in_flight) {
            return Err(Error::ResourceExhausted(format!(
                "workspace {ws:?} has {in_flight} unfinished runs, its limit; wait for some to finish or cancel them"
            )));
        }
        let (mut new, stored_spec, plan) = self.new_run_rows(ws, spec, &tasks)?;
        new.created_by = by.to_string();
        if let Some(p) = parent {
            new.run.trace_id = p.trace_id;
            new.run.parent_span_id = Some(p.span_id);
            new.run.tracestate = p.tracestate;
        }
        Ok((new, stored_spec, plan))
    }

    /// The rows of a new run, with the spec it stores and its plan (the
    /// tasks with the run's retry defaults filled in).
    fn new_run_rows(&self, ws: &str, spec: &RunSpec, tasks: &[TaskSpec]) -> Result<(NewRun, RunSpec, Vec<TaskSpec>)> {
        let now = domain::now_micros();
        let id = domain::new_run_id();
        let hash = {
            let mut body = spec.clone();
            body.request_id = None;
            hex::encode(Sha256::digest(serde_json::to_vec(&body)?))
        };
        let max_parallel = if spec.max_parallel == 0 { self.config.default_max_parallel } else { spec.max_parallel };
        let server_retry = self.policy().default_retry.as_ref().map(|r| r.to_policy()).unwrap_or_default();
        let default_retry = match &spec.policy.default_retry {
            Some(r) => r.or_defaults(&server_retry),
            None => server_retry,
        };
        let filled = domain::plan::with_retry_defaults(tasks, &default_retry);
        let tasks = &filled[..];
        let mut stored_spec = spec.clone();
        stored_spec.policy.default_retry = Some(default_retry.clone());
        // What a required failure does is settled now, as the policy says it today.
        let policy = self.policy();
        stored_spec.policy.on_task_failure = Some(spec.policy.on_task_failure.unwrap_or(policy.on_task_failure));
        stored_spec.policy.max_replans = Some(spec.policy.max_replans.unwrap_or(policy.planner.max_replans));
        stored_spec.plan = None;
        stored_spec.budget = self.budget_with_defaults(&spec.budget);
        let run = RunRow {
            id: id.clone(),
            workspace_id: ws.to_string(),
            request_id: spec.request_id.clone(),
            goal: spec.goal.clone(),
            spec_json: serde_json::to_string(&stored_spec)?,
            status: if tasks.is_empty() { RunStatus::Planning } else { RunStatus::Created },
            priority: spec.priority,
            max_parallel: max_parallel as i32,
            running: 0,
            open_tasks: tasks.len() as i32,
            trace_id: domain::new_trace_id(),
            root_span_id: domain::new_span_id(),
            parent_span_id: None,
            output_json: None,
            failure_reason: None,
            verdict_json: None,
            prompt_tokens: 0,
            completion_tokens: 0,
            tool_calls: 0,
            cost_micros: 0,
            last_seq: 0,
            created_at: now,
            updated_at: now,
            started_at: None,
            finished_at: None,
            deadline_at: None,
            degraded: false,
            tracestate: None,
            trace_exported: false,
            stopped_at: None,
            stopped_micros: 0,
        };
        let (task_rows, deps) = store::task_rows(ws, &id, spec.priority, &default_retry, tasks, now)?;
        let labels = spec
            .labels
            .iter()
            .map(|(k, v)| LabelRow {
                run_id: id.clone(),
                workspace_id: ws.to_string(),
                key: k.clone(),
                value: v.clone(),
            })
            .collect();
        let new = NewRun {
            run,
            plan_json: if tasks.is_empty() { None } else { Some(serde_json::to_string(tasks)?) },
            tasks: task_rows,
            deps,
            labels,
            idempotency: spec.request_id.clone().map(|r| (r, hash)),
            created_by: String::new(),
            starts_at_once: domain::decide::starts_at_once(tasks),
            max_duration_ms: stored_spec.budget.max_duration_ms,
            advice: spec.advice_id.clone().map(|id| (id, spec.recipe.as_ref().map(|r| r.name.clone()))),
        };
        Ok((new, stored_spec, filled))
    }

    /// Fills a budget's unset limits from the policy's default budget.
    fn budget_with_defaults(&self, b: &domain::Budget) -> domain::Budget {
        let Some(d) = self.policy().default_budget.as_ref().map(|d| d.to_budget()) else { return b.clone() };
        let pick = |x: u64, y: u64| if x == 0 { y } else { x };
        domain::Budget {
            max_tokens: pick(b.max_tokens, d.max_tokens),
            max_tool_calls: pick(b.max_tool_calls, d.max_tool_calls),
            max_duration_ms: pick(b.max_duration_ms, d.max_duration_ms),
            max_cost_micros: pick(b.max_cost_micros, d.max_cost_micros),
            on_exhausted: if *b == domain::Budget::default() { d.on_exhausted } else { b.on_exhausted },
        }
    }

    /// The view of a run as committed (a row returned from inside a write
    /// predates the events its transaction numbered at commit).
    async fn fresh_view(&self, row: RunRow) -> Result<RunView> {
        let (ws, id) = (row.workspace_id.clone(), row.id.clone());
        let row = self.store.read(move |c| store::get_run(c, &ws, &id)).await?;
        self.view(row).await
    }

    async fn view(&self, row: RunRow) -> Result<RunView> {
        let mut views = self.views(vec![row], true).await?;
        views.pop().ok_or_else(|| Error::Internal("run view vanished".into()))
    }

    async fn views(&self, rows: Vec<RunRow>, with_plans: bool) -> Result<Vec<RunView>> {
        let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
        // A child run's span has a parent (its task's attempt): only such runs are looked up.
        let nested: Vec<String> = rows.iter().filter(|r| r.parent_span_id.is_some()).map(|r| r.id.clone()).collect();
        let (labels, counts, mut plans, parents) = self
            .store
            .read(move |c| {
                let labels = store::labels_of(c, &ids)?;
                let plans = if with_plans { store::plans_of(c, &ids)? } else { HashMap::new() };
                let mut counts = store::task_counts_of(c, &ids)?;
                let counts: Vec<_> = ids.iter().map(|id| counts.remove(id).unwrap_or_default()).collect();
                let parents = if nested.is_empty() { Vec::new() } else { store::parents_of(c, &nested)? };
                Ok((labels, counts, plans, parents))
            })
            .await?;
        let mut parents: HashMap<String, domain::RunParent> = parents.into_iter().collect();
        let mut labels = labels;
        let now = domain::now_micros();
        rows.into_iter()
            .zip(counts)
            .map(|(row, counts)| {
                let spec = store::run_spec(&row)?;
                let plan = match plans.remove(&row.id) {
                    Some(p) => Some(serde_json::from_str(&p)?),
                    None => None,
                };
                Ok(RunView {
                    parent: parents.remove(&row.id),
                    labels: labels.remove(&row.id).unwrap_or_default(),
                    task_counts: counts.into_iter().map(|(s, n)| (s.as_str().to_string(), n as u32)).collect(),
                    spec,
                    plan,
                    run: row.record(now)?,
                    waiting: Vec::new(),
                })
            })
            .collect()
    }

    /// Reads a run, with its plan or without.
    pub async fn get_run(&self, ws: &str, run_id: &str, with_plan: bool) -> Result<RunView> {
        let (ws, id) = (ws.to_string(), run_id.to_string());
        let row = self.store.read(move |c| store::get_run(c, &ws, &id)).await?;
        let waits = row.status == RunStatus::Executing;
        let mut views = self.views(vec![row], with_plan).await?;
        let mut view = views.pop().ok_or_else(|| Error::Internal("run view vanished".into()))?;
        if waits {
            view.waiting = self.agent_waits(&view.run.workspace_id, &view.run.id).await?;
        }
        Ok(view)
    }

    /// Lists runs, newest first.
    pub async fn list_runs(
        &self,
        ws: &str,
        filter: domain::RunFilter,
        page_size: u32,
        page_token: &str,
        with_plans: bool,
    ) -> Result<(Vec<RunView>, String)> {
        let limit = page::size(page_size, 50, self.config.limits.max_runs_page, "page_size")?;
        let cursor = page::decode_run_cursor(page_token)?;
        let mut v = Vec::new();
        domain::run::validate_labels("labels", &filter.labels, &self.config.limits.run, &mut v);
        if filter.parent_run_id.as_ref().is_some_and(|p| p.len() > 128) {
            v.push(domain::Violation::new("parent_run_id", "longer than 128 bytes"));
        }
        if !v.is_empty() {
            return Err(Error::InvalidArgument(v));
        }
        let ws = ws.to_string();
        // JSON bytes; an answer's protobuf encoding of them can be a few times larger.
        let budget = self.config.limits.max_message_bytes / 2;
        let (rows, cut) = self
            .store
            .read(move |c| store::list_runs(c, &ws, &filter, limit as i64 + 1, cursor, budget, with_plans))
            .await?;
        let (rows, next) = if cut {
            let next = rows.last().map(|r| page::encode_run_cursor(r.created_at, &r.id)).unwrap_or_default();
            (rows, next)
        } else {
            page::split(rows, limit, |r: &RunRow| page::encode_run_cursor(r.created_at, &r.id))
        };
        Ok((self.views(rows, with_plans).await?, next))
    }

    /// Lists a run's tasks in plan order.
    pub async fn list_tasks(
        &self,
        ws: &str,
        run_id: &str,
        statuses: Vec<TaskStatus>,
        page_size: u32,
        page_token: &str,
    ) -> Result<(Vec<TaskView>, String)> {
        let limit = page::size(page_size, 100, self.config.limits.max_events_page, "page_size")?;
        let after = page::decode_position(page_token)?;
        let (ws, id) = (ws.to_string(), run_id.to_string());
        let rows = self.store.read(move |c| store::list_tasks(c, &ws, &id, &statuses, limit as i64 + 1, after)).await?;
        let (mut rows, mut next) = page::split(rows, limit, |t: &TaskRow| page::encode_position(t.position));
        // JSON bytes; an answer's protobuf encoding of them can be a few times larger.
        let budget = self.config.limits.max_message_bytes / 2;
        if let Some(keep) = page::cut_to_size(&rows, budget, TaskView::approx_row_bytes) {
            rows.truncate(keep);
            next = rows.last().map(|t| page::encode_position(t.position)).unwrap_or_default();
        }
        let views = rows.into_iter().map(|row| TaskView::of(row, Vec::new())).collect::<Result<Vec<_>>>()?;
        Ok((views, next))
    }

    /// Reads a task with its attempts.
    pub async fn get_task(&self, ws: &str, run_id: &str, task_id: &str) -> Result<TaskView> {
        let (ws, id, t) = (ws.to_string(), run_id.to_string(), task_id.to_string());
        let (row, mut attempts) = self.store.read(move |c| store::get_task(c, &ws, &id, &t)).await?;
        // Up to 100 attempts of up to 2 MiB each: older outputs (and checkpoints) give way to the budget.
        let mut left = (self.config.limits.max_message_bytes / 2).saturating_sub(TaskView::approx_row_bytes(&row));
        let mut full = false;
        for (i, a) in attempts.iter_mut().rev().enumerate() {
            let len = |s: &Option<String>| s.as_ref().map_or(0, String::len);
            let n = len(&a.output_json) + len(&a.verdict_json) + len(&a.checkpoint_json);
            full = full || (i > 0 && n > left);
            if full {
                a.output_json = None;
                a.checkpoint_json = None;
            }
            left = left.saturating_sub(n);
        }
        TaskView::of(row, attempts.into_iter().map(domain::Attempt::from).collect())
    }

    /// A page of a run's events.
    pub async fn list_events(
        &self,
        ws: &str,
        run_id: &str,
        after_seq: u64,
        page_size: u32,
        page_token: &str,
    ) -> Result<(Vec<domain::Event>, String)> {
        let limit = page::size(page_size, 100, self.config.limits.max_events_page, "page_size")?;
        let after = if page_token.is_empty() { after_seq as i64 } else { page::decode_seq(page_token)? };
        let (ws, id) = (ws.to_string(), run_id.to_string());
        let events = self
            .store
            .read(move |c| {
                store::get_run(c, &ws, &id)?;
                store::list_events(c, &ws, &id, after, limit as i64 + 1)
            })
            .await?;
        let (mut events, mut next) = page::split(events, limit, |e: &domain::Event| page::encode_seq(e.seq));
        let size = |e: &domain::Event| 128 + e.message.len() + e.data_json.len();
        if let Some(keep) = page::cut_to_size(&events, self.config.limits.max_message_bytes / 2, size) {
            events.truncate(keep);
            next = events.last().map(|e| page::encode_seq(e.seq)).unwrap_or_default();
        }
        Ok((events, next))
    }

    /// Cancels a run.
    pub async fn cancel_run(&self, ws: &str, run_id: &str, reason: &str, by: &str) -> Result<RunView> {
        let (ws, id, reason, by) = (ws.to_string(), run_id.to_string(), reason.to_string(), by.to_string());
        let row = self.store.write(move |tx| store::cancel_run(tx, &ws, &id, &reason, &by)).await?;
        // Its child runs are cancelled by the reconciler's next pass, at once.
        self.store.hub().reconcile.notify_one();
        self.fresh_view(row).await
    }

    /// Pauses a run.
    pub async fn pause_run(&self, ws: &str, run_id: &str, reason: &str, by: &str) -> Result<RunView> {
        let (ws, id, reason, by) = (ws.to_string(), run_id.to_string(), reason.to_string(), by.to_string());
        let row = self.store.write(move |tx| store::pause_run(tx, &ws, &id, &reason, &by)).await?;
        // Its child runs are paused by the reconciler's next pass, at once.
        self.store.hub().reconcile.notify_one();
        self.fresh_view(row).await
    }

    /// Resumes a paused run, optionally replacing its budget.
    pub async fn resume_run(&self, ws: &str, run_id: &str, change: domain::BudgetChange, by: &str) -> Result<RunView> {
        // Merged field by field: raising one limit keeps the others.
        let new_spec = if change.is_empty() {
            None
        } else {
            let view = self.get_run(ws, run_id, false).await?;
            if let Some(p) = &view.parent {
                return Err(Error::FailedPrecondition(format!(
                    "run {run_id} is a child run: its budget is carved out of run {}'s; change that run's budget and retry its task {:?} instead",
                    p.run_id, p.task_id
                )));
            }
            let mut spec = view.spec;
            spec.budget = change.apply(&spec.budget);
            Some(serde_json::to_string(&spec)?)
        };
        let (ws, id, by) = (ws.to_string(), run_id.to_string(), by.to_string());
        let row = self.store.write(move |tx| store::resume_run(tx, &ws, &id, new_spec, &by)).await?;
        // What its pause paused of its child runs goes on at the reconciler's next pass.
        self.store.hub().reconcile.notify_one();
        self.fresh_view(row).await
    }

    /// Re-opens a failed task and resumes its run.
    pub async fn retry_task(&self, ws: &str, run_id: &str, task_id: &str, by: &str) -> Result<TaskView> {
        let (ws, id, t, by) = (ws.to_string(), run_id.to_string(), task_id.to_string(), by.to_string());
        let row = self.store.write(move |tx| store::retry_task(tx, &ws, &id, &t, &by)).await?;
        TaskView::of(row, Vec::new())
    }

    /// Approves or rejects a task at its approval gate.
    pub async fn decide_approval(
        &self,
        ws: &str,
        run_id: &str,
        task_id: &str,
        approve: bool,
        who: &str,
        comment: &str,
    ) -> Result<TaskView> {
        if comment.len() > 4096 {
            return Err(Error::invalid("comment", "longer than 4096 bytes"));
        }
        let (ws, id, t, who, comment) =
            (ws.to_string(), run_id.to_string(), task_id.to_string(), who.to_string(), comment.to_string());
        let row = self.store.write(move |tx| store::decide_approval(tx, &ws, &id, &t, approve, &who, &comment)).await?;
        TaskView::of(row, Vec::new())
    }
}

/// Everything wrong with a run as CreateRun would take it: its own fields,
/// its criteria and its plan (against the limits and the policy's agents;
/// `judge`: whether `llm_judge` has a model). Pure, and work for a blocking
/// thread with a large plan: CreateRun's checks and `policy check`'s of the
/// policy file's recipes.
pub fn run_violations(
    policy: &crate::config::Policy,
    limits: &domain::run::RunLimits,
    judge: bool,
    spec: &RunSpec,
) -> Vec<domain::Violation> {
    let mut violations = domain::run::validate_run_fields(spec, limits);
    violations.extend(crate::verify::check("criteria", &spec.criteria, judge));
    if let Some(Err(Error::InvalidArgument(v))) =
        spec.plan.as_ref().map(|tasks| validate_plan_with(policy, &limits.plan, judge, tasks))
    {
        violations.extend(v);
    }
    violations
}

/// Validates a plan against the limits and the policy's agents, with its
/// criteria (`judge`: whether `llm_judge` has a model).
fn validate_plan_with(
    policy: &crate::config::Policy,
    limits: &domain::PlanLimits,
    judge: bool,
    tasks: &[TaskSpec],
) -> Result<PlanAnalysis> {
    let structure = domain::plan::validate(tasks, limits);
    let mut violations = Vec::new();
    policy_violations(policy, judge, "plan.tasks", tasks, 1, &mut violations);
    match structure {
        Ok(analysis) if violations.is_empty() => Ok(analysis),
        Ok(_) => Err(Error::InvalidArgument(violations)),
        Err(mut v) => {
            v.append(&mut violations);
            Err(Error::InvalidArgument(v))
        }
    }
}

/// What only the policy can tell about a plan and the plans of its child
/// runs: unknown agents, criteria the verifier cannot check, a child to
/// plan without a planner. `nest` stops at the plan validation's own bound.
fn policy_violations(
    policy: &crate::config::Policy,
    judge: bool,
    at: &str,
    tasks: &[TaskSpec],
    nest: u32,
    out: &mut Vec<domain::Violation>,
) {
    out.extend(agent_violations(policy, at, tasks));
    for (i, t) in tasks.iter().enumerate() {
        out.extend(crate::verify::check(&format!("{at}[{i}].criteria"), &t.criteria, judge));
        let Some(child) = &t.child else { continue };
        match &child.plan {
            Some(plan) if nest < domain::child::MAX_NESTING_READ => {
                policy_violations(policy, judge, &format!("{at}[{i}].child.plan.tasks"), plan, nest + 1, out)
            }
            None if !judge => out.push(domain::Violation::new(
                format!("{at}[{i}].child.plan"),
                "a child run without a plan needs the planner, and the server has no planner model configured (models.utility or models.main in the policy file): pass child.plan",
            )),
            _ => {}
        }
    }
}

/// Every agent task must name an agent the server can serve: a declared
/// one, or (with no agents declared) any out-of-process agent.
pub(crate) fn agent_violations(
    policy: &crate::config::Policy,
    prefix: &str,
    tasks: &[TaskSpec],
) -> Vec<domain::Violation> {
    if policy.agents.is_empty() {
        return Vec::new();
    }
    tasks
        .iter()
        .enumerate()
        .filter(|(_, t)| t.kind == domain::TaskKind::Agent && !t.agent.is_empty() && policy.agent(&t.agent).is_none())
        .map(|(i, t)| {
            domain::Violation::new(
                format!("{prefix}[{i}].agent"),
                format!(
                    "unknown agent {:?}; known agents: {}",
                    domain::plan::truncate(&t.agent, 64),
                    policy.agents.iter().map(|a| a.name.as_str()).collect::<Vec<_>>().join(", ")
                ),
            )
        })
        .collect()
}
