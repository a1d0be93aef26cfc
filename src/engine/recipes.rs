//! Recipes in the engine: a version checked (its declarations, its
//! placeholders, its template as CreateRun checks a run) and stored; a run
//! made from one (its parameters bound, its template rendered, the run
//! naming the recipe and version it came from).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::{page, Engine, RunView};
use crate::config::PolicyRecipe;
use crate::domain::recipe::{self, RecipeRef, RecipeSpec, ValueParam};
use crate::domain::{Micros, PlanLimits, RunSpec, RunStatus, TaskSpec, TraceParent, Violation};
use crate::error::{Error, Result};
use crate::llm::{CallOptions, Message};
use crate::store::{self, RecipeRow};

/// A version of a recipe, as answered.
#[derive(Debug, Clone)]
pub struct RecipeView {
    /// Its name.
    pub name: String,
    /// Its version.
    pub version: u32,
    /// Its description, parameters and template.
    pub spec: RecipeSpec,
    /// Its workspace.
    pub workspace: String,
    /// When it was made, and by whom.
    pub created_at: Micros,
    pub created_by: String,
    /// The recipe's versions that are not deleted, oldest first.
    pub versions: Vec<(u32, Micros)>,
}

/// What a CreateRun from a recipe asks for besides its parameters.
#[derive(Debug, Clone, Default)]
pub struct RecipeRun {
    /// The recipe.
    pub name: String,
    /// Its version (None: the latest).
    pub version: Option<u32>,
    /// The run's parameters.
    pub params: Map<String, Value>,
    /// The request's idempotency key.
    pub request_id: Option<String>,
    /// Labels added to the recipe's.
    pub labels: BTreeMap<String, String>,
    /// Overrides when set (non-zero).
    pub priority: i32,
    pub max_parallel: u32,
    /// The advice the run follows, if any.
    pub advice_id: Option<String>,
}

/// Reads a recipe kept in the policy file (the API layer knows its format).
pub type RecipeDecoder = fn(&PolicyRecipe, &PlanLimits) -> std::result::Result<RecipeSpec, Vec<Violation>>;

/// Who a policy file's recipe versions are made by.
const BY_POLICY: &str = "policy";

impl Engine {
    /// Adds a version of a recipe, checked whole (every violation at once).
    pub async fn create_recipe(&self, ws: &str, name: &str, spec: RecipeSpec, by: &str) -> Result<RecipeView> {
        let json = self.checked_recipe(name, &spec).await?;
        let (w, n, b) = (ws.to_string(), name.to_string(), by.to_string());
        let row = self.store.write(move |tx| store::add_recipe_version(tx, &w, &n, &json, &b)).await?;
        self.recipe_view(row).await
    }

    /// A recipe version's checks (its own, and its template's as a run's);
    /// its stored JSON.
    async fn checked_recipe(&self, name: &str, spec: &RecipeSpec) -> Result<String> {
        let mut violations = recipe::validate(name, spec);
        match self.checked_plan(&spec.template).await {
            Ok(_) => {}
            Err(Error::InvalidArgument(v)) => violations.extend(v.into_iter().map(|x| x.within("template"))),
            Err(e) => return Err(e),
        }
        if !violations.is_empty() {
            return Err(Error::InvalidArgument(violations));
        }
        Ok(serde_json::to_string(spec)?)
    }

    /// Sets how the policy file's recipes are read (once, by the server).
    pub fn set_recipe_decoder(&self, decode: RecipeDecoder) {
        let _ = self.recipe_decoder.set(decode);
    }

    /// Keeps the policy file's recipes: each one that differs from its
    /// latest version in a workspace of it becomes its next version there
    /// (made by "policy"); one that is the same is left alone, so a restart
    /// or a reload adds nothing, and two replicas add it once. Returns every
    /// problem as "recipes[i]: …" (nothing of a bad recipe is stored).
    pub async fn keep_policy_recipes(&self) -> Result<Vec<String>> {
        let Some(decode) = self.recipe_decoder.get() else { return Ok(Vec::new()) };
        let policy = self.policy();
        let mut problems = Vec::new();
        for (i, r) in policy.recipes.iter().enumerate() {
            let checked = match decode(r, &self.config.limits.run.plan) {
                Ok(spec) => self.checked_recipe(&r.name, &spec).await,
                Err(v) => Err(Error::InvalidArgument(v)),
            };
            let json = match checked {
                Ok(json) => json,
                Err(Error::InvalidArgument(v)) => {
                    let each = v.iter().map(|v| format!("recipes[{i}] ({}): {}: {}", r.name, v.field, v.description));
                    problems.extend(each);
                    continue;
                }
                // A recipe that cannot be a recipe here (a goal for a planner the policy lacks).
                Err(Error::FailedPrecondition(m)) => {
                    problems.push(format!("recipes[{i}] ({}): {m}", r.name));
                    continue;
                }
                Err(e) => return Err(e),
            };
            for ws in r.workspaces() {
                let (w, n, j) = (ws.to_string(), r.name.clone(), json.clone());
                match self.store.write(move |tx| store::add_recipe_version_if_changed(tx, &w, &n, &j, BY_POLICY)).await
                {
                    Ok(Some(row)) => {
                        tracing::info!(recipe = %r.name, workspace = ws, version = row.version, "recipe from the policy file")
                    }
                    Ok(None) => {}
                    // One workspace's state (its quota full) stops neither the others nor a start.
                    Err(e) if !e.is_transient() => {
                        tracing::error!(recipe = %r.name, workspace = ws, error = %e, "a recipe of the policy file is not kept here")
                    }
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(problems)
    }

    /// A version of a recipe (None: its latest).
    pub async fn get_recipe(&self, ws: &str, name: &str, version: Option<u32>) -> Result<RecipeView> {
        let (w, n) = (ws.to_string(), name.to_string());
        let row = self.store.read(move |c| store::get_recipe(c, &w, &n, version)).await?;
        self.recipe_view(row).await
    }

    /// A page of a workspace's recipes by name, each one's latest version.
    pub async fn list_recipes(&self, ws: &str, page_size: u32, token: &str) -> Result<(Vec<RecipeView>, String)> {
        let limit = page::size(page_size, 50, 500, "page_size")?;
        let after = page::decode_name(token)?;
        let w = ws.to_string();
        let rows = self.store.read(move |c| store::list_recipes(c, &w, &after, limit as i64 + 1)).await?;
        let (mut rows, mut next) = page::split(rows, limit, |(r, _): &(RecipeRow, _)| page::encode_name(&r.name));
        // JSON bytes; an answer's protobuf encoding of them can be a few times larger.
        let budget = self.config.limits.max_message_bytes / 2;
        if let Some(keep) = page::cut_to_size(&rows, budget, |(r, _): &(RecipeRow, _)| 256 + r.spec_json.len()) {
            rows.truncate(keep);
            next = rows.last().map(|(r, _)| page::encode_name(&r.name)).unwrap_or_default();
        }
        let views = rows
            .into_iter()
            .map(|(row, versions)| view_of(row, versions.into_iter().map(|(v, t)| (v as u32, t)).collect()))
            .collect::<Result<Vec<_>>>()?;
        Ok((views, next))
    }

    /// Deletes a recipe (every version); returns how many it had.
    pub async fn delete_recipe(&self, ws: &str, name: &str) -> Result<usize> {
        let (w, n) = (ws.to_string(), name.to_string());
        self.store.write(move |tx| store::delete_recipe(tx, &w, &n)).await
    }

    /// Creates a run from a recipe: its parameters bound (`params.NAME`
    /// violations), its template rendered (within the message limit), the
    /// run naming the recipe and version; then as CreateRun.
    pub async fn create_run_from_recipe(
        &self,
        ws: &str,
        r: RecipeRun,
        parent: Option<TraceParent>,
        by: &str,
    ) -> Result<(RunView, bool)> {
        let spec = self.render_recipe_run(ws, r).await?;
        self.create_run(ws, spec, parent, by).await
    }

    /// The run a recipe makes with a run's parameters: bound, rendered,
    /// naming the recipe and version.
    pub(crate) async fn render_recipe_run(&self, ws: &str, r: RecipeRun) -> Result<RunSpec> {
        let view = self.get_recipe(ws, &r.name, r.version).await?;
        let params = recipe::bind(&view.spec.parameters, &r.params).map_err(Error::InvalidArgument)?;
        let mut spec: RunSpec = recipe::render(&view.spec.template, &params, self.config.limits.max_message_bytes)
            .map_err(|e| Error::invalid("params", e))?;
        spec.request_id = r.request_id;
        spec.labels.extend(r.labels);
        if r.priority != 0 {
            spec.priority = r.priority;
        }
        if r.max_parallel != 0 {
            spec.max_parallel = r.max_parallel;
        }
        spec.recipe = Some(RecipeRef { name: view.name, version: view.version, params });
        spec.advice_id = r.advice_id;
        Ok(spec)
    }

    /// Makes a recipe of a succeeded run (see `recipe::parameterize`), or
    /// with `suggest` answers the utility model's checked proposals.
    pub async fn create_recipe_from_run(&self, ws: &str, r: FromRun, by: &str) -> Result<FromRunOutcome> {
        if r.suggest && !r.parameters.is_empty() {
            return Err(Error::invalid("suggest", "proposes the parameters: pass either it or parameters"));
        }
        let view = self.get_run(ws, &r.run_id, false).await?;
        if view.run.status != RunStatus::Completed {
            return Err(Error::FailedPrecondition(format!(
                "run {} is {}: only a completed run becomes a recipe",
                view.run.id,
                view.run.status.as_str()
            )));
        }
        let (w, id) = (ws.to_string(), r.run_id.clone());
        let (tasks, left_out) = self.store.read(move |c| store::final_graph(c, &w, &id)).await?;
        let run = template_of(view.spec, tasks, &left_out);
        if r.suggest {
            return Ok(FromRunOutcome::Suggested(self.suggest_parameters(&run).await?));
        }
        let given = r.parameters;
        let max = self.config.limits.max_message_bytes;
        let (template, parameters) = tokio::task::spawn_blocking(move || recipe::parameterize(&run, &given, max))
            .await
            .map_err(|e| Error::Internal(format!("parameterize: {e}")))?
            .map_err(Error::InvalidArgument)?;
        let spec = RecipeSpec { description: r.description, parameters, template, source_run_id: Some(r.run_id) };
        Ok(FromRunOutcome::Created(Box::new(self.create_recipe(ws, &r.name, spec, by).await?)))
    }

    /// The utility model's proposals of literals to make parameters, each
    /// checked against the run (kept only when it holds alone).
    async fn suggest_parameters(&self, run: &RunSpec) -> Result<Vec<ValueParam>> {
        let Some(model) = self.model(crate::config::ModelRole::Utility) else {
            return Err(Error::FailedPrecondition(
                "suggest needs a model (models.utility or models.main in the policy file): name the parameters instead"
                    .into(),
            ));
        };
        let prompt = recipe::suggestion_prompt(run, SUGGESTION_PROMPT_BYTES);
        let deadline = tokio::time::Instant::now() + self.policy().planner.deadline;
        let options = CallOptions { max_tokens: Some(1024), deadline: Some(deadline) };
        let schema = recipe::suggestion_schema();
        let answer = model
            .chat_with(&[Message::user(prompt)], Some(&schema), options)
            .await
            .map_err(|e| Error::Unavailable(format!("the utility model: {e}")))?;
        tracing::info!(tokens = answer.usage.tokens(), "parameters suggested for a recipe");
        let Some(answer) = crate::llm::extract_json(&answer.content) else {
            return Err(Error::Unavailable("the utility model's answer was not JSON; try again".into()));
        };
        let run = run.clone();
        let max = self.config.limits.max_message_bytes;
        tokio::task::spawn_blocking(move || recipe::checked_suggestions(&run, &answer, max))
            .await
            .map_err(|e| Error::Internal(format!("suggestions: {e}")))
    }

    async fn recipe_view(&self, row: RecipeRow) -> Result<RecipeView> {
        let (w, names) = (row.workspace_id.clone(), vec![row.name.clone()]);
        let versions = self.store.read(move |c| store::recipe_versions(c, &w, &names)).await?;
        view_of(row, versions.into_iter().map(|(_, v, t)| (v as u32, t)).collect())
    }
}

/// Bytes of the run's texts a suggestion prompt shows the model.
const SUGGESTION_PROMPT_BYTES: usize = 16 * 1024;

/// A CreateRecipeFromRun request.
#[derive(Debug, Clone, Default)]
pub struct FromRun {
    pub run_id: String,
    pub name: String,
    pub description: String,
    pub parameters: Vec<ValueParam>,
    pub suggest: bool,
}

/// What CreateRecipeFromRun did.
#[derive(Debug, Clone)]
pub enum FromRunOutcome {
    /// The recipe version made.
    Created(Box<RecipeView>),
    /// The model's proposals; nothing stored.
    Suggested(Vec<ValueParam>),
}

/// A run's request with its graph as it ended: the tasks a revision
/// answered or replaced left out (and the edges to them), no request id,
/// no recipe of its own.
pub(super) fn template_of(mut spec: RunSpec, tasks: Vec<TaskSpec>, left_out: &[String]) -> RunSpec {
    let gone: std::collections::HashSet<&str> = left_out.iter().map(String::as_str).collect();
    let kept: Vec<TaskSpec> = tasks
        .into_iter()
        .filter(|t| !gone.contains(t.id.as_str()))
        .map(|mut t| {
            t.depends_on.retain(|d| !gone.contains(d.as_str()));
            t
        })
        .collect();
    spec.plan = Some(kept);
    spec.request_id = None;
    spec.recipe = None;
    spec.advice_id = None;
    spec
}

fn view_of(row: RecipeRow, versions: Vec<(u32, Micros)>) -> Result<RecipeView> {
    Ok(RecipeView {
        spec: serde_json::from_str(&row.spec_json)?,
        name: row.name,
        version: row.version.max(0) as u32,
        workspace: row.workspace_id,
        created_at: row.created_at,
        created_by: row.created_by,
        versions,
    })
}
