//! RecipeService, and the proto ⇄ domain of recipes.

use std::sync::Arc;

use tonic::{Request, Response, Status};

use super::{caller, convert as cv};
use crate::config::PolicyRecipe;
use crate::domain::recipe::{self, ParamType, RecipeParam, RecipeSpec, ValueParam};
use crate::domain::{RunSpec, Violation};
use crate::engine::recipes::{FromRun, FromRunOutcome, RecipeView};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::proto::v1 as pb;
use crate::proto::v1::recipe_service_server::RecipeService;

/// RecipeService over the engine.
pub struct RecipeApi {
    engine: Arc<Engine>,
}

impl RecipeApi {
    /// A service over an engine.
    pub fn new(engine: Arc<Engine>) -> Self {
        RecipeApi { engine }
    }
}

fn name_in(name: &str) -> Result<()> {
    if name.is_empty() {
        return Err(Error::invalid("name", "required"));
    }
    if name.len() > 128 {
        return Err(Error::invalid("name", "longer than 128 bytes"));
    }
    Ok(())
}

fn param_in(p: &pb::RecipeParameter, field: &str) -> Result<RecipeParam> {
    let kind = match cv::enum_value::<pb::ParameterType>(p.r#type, &format!("{field}.type"))? {
        pb::ParameterType::Number => ParamType::Number,
        pb::ParameterType::Integer => ParamType::Integer,
        pb::ParameterType::Boolean => ParamType::Boolean,
        pb::ParameterType::Json => ParamType::Json,
        _ => ParamType::String,
    };
    Ok(RecipeParam {
        name: p.name.clone(),
        description: p.description.clone(),
        kind,
        default: p
            .default_value
            .as_ref()
            .map(|v| cv::value_to_json(v, &format!("{field}.default_value"), 0))
            .transpose()?,
    })
}

fn param_out(p: &RecipeParam) -> pb::RecipeParameter {
    pb::RecipeParameter {
        name: p.name.clone(),
        description: p.description.clone(),
        r#type: match p.kind {
            ParamType::String => pb::ParameterType::String,
            ParamType::Number => pb::ParameterType::Number,
            ParamType::Integer => pb::ParameterType::Integer,
            ParamType::Boolean => pb::ParameterType::Boolean,
            ParamType::Json => pb::ParameterType::Json,
        } as i32,
        default_value: p.default.as_ref().map(cv::json_to_value),
    }
}

/// A recipe's template (a run spec) as the CreateRunRequest it was given as.
fn template_out(t: &RunSpec) -> pb::CreateRunRequest {
    pb::CreateRunRequest {
        goal: t.goal.clone(),
        criteria: t.criteria.iter().map(cv::criterion_out).collect(),
        plan: t.plan.as_ref().map(|p| pb::Plan { tasks: p.iter().map(cv::task_out).collect() }),
        budget: Some(cv::budget_out(&t.budget)),
        max_parallel: t.max_parallel,
        priority: t.priority,
        labels: t.labels.clone().into_iter().collect(),
        request_id: String::new(),
        policy: Some(cv::policy_out(&t.policy)),
        context: (!t.context.is_empty()).then(|| cv::json_to_struct(&t.context)),
        ..Default::default()
    }
}

fn recipe_out(v: &RecipeView) -> pb::Recipe {
    let schema = recipe::parameters_schema(&v.spec.parameters);
    pb::Recipe {
        name: v.name.clone(),
        version: v.version,
        description: v.spec.description.clone(),
        parameters: v.spec.parameters.iter().map(param_out).collect(),
        parameters_schema: schema.as_object().map(cv::json_to_struct),
        template: Some(template_out(&v.spec.template)),
        versions: v
            .versions
            .iter()
            .map(|(n, at)| pb::RecipeVersion { version: *n, created_at: Some(cv::timestamp(*at)) })
            .collect(),
        created_at: Some(cv::timestamp(v.created_at)),
        created_by: v.created_by.clone(),
        workspace: v.workspace.clone(),
        source_run_id: v.spec.source_run_id.clone().unwrap_or_default(),
    }
}

pub(super) fn value_param_out(p: &ValueParam) -> pb::ParameterFromValue {
    pb::ParameterFromValue { name: p.name.clone(), value: p.value.clone(), description: p.description.clone() }
}

/// A CreateRecipeFromRun request, its sizes checked before anything is read.
fn from_run_in(r: pb::CreateRecipeFromRunRequest) -> Result<FromRun> {
    name_in(&r.name)?;
    let mut v = Vec::new();
    if r.run_id.is_empty() || r.run_id.len() > 128 {
        v.push(Violation::new("run_id", "required, at most 128 bytes"));
    }
    if r.description.len() > recipe::MAX_DESCRIPTION {
        v.push(Violation::new("description", format!("longer than {} bytes", recipe::MAX_DESCRIPTION)));
    }
    if r.parameters.len() > recipe::MAX_PARAMS {
        v.push(Violation::new("parameters", format!("at most {} parameters", recipe::MAX_PARAMS)));
    }
    if !v.is_empty() {
        return Err(Error::InvalidArgument(v));
    }
    Ok(FromRun {
        run_id: r.run_id,
        name: r.name,
        description: r.description,
        parameters: r
            .parameters
            .into_iter()
            .map(|p| ValueParam { name: p.name, value: p.value, description: p.description })
            .collect(),
        suggest: r.suggest,
    })
}

/// A CreateRecipe request as a recipe version: every conversion error at once.
fn recipe_in(r: pb::CreateRecipeRequest, limits: &crate::domain::PlanLimits) -> Result<RecipeSpec> {
    let mut violations: Vec<Violation> = Vec::new();
    let mut parameters = Vec::new();
    if r.parameters.len() > recipe::MAX_PARAMS {
        return Err(Error::invalid("parameters", format!("at most {} parameters", recipe::MAX_PARAMS)));
    }
    for (i, p) in r.parameters.iter().enumerate() {
        match param_in(p, &format!("parameters[{i}]")) {
            Ok(p) => parameters.push(p),
            Err(Error::InvalidArgument(v)) => violations.extend(v),
            Err(e) => return Err(e),
        }
    }
    let Some(t) = r.template else { return Err(Error::invalid("template", "required: the run the recipe makes")) };
    if !t.recipe.is_empty() || t.recipe_version != 0 || t.params.is_some() {
        violations.push(Violation::new("template.recipe", "a recipe's template is a run, not another recipe"));
    }
    if !t.advice_id.is_empty() {
        violations.push(Violation::new("template.advice_id", "each run names its own advice"));
    }
    let template = match cv::create_run_in(t, limits) {
        Ok(t) => Some(t),
        Err(Error::InvalidArgument(v)) => {
            violations.extend(v.into_iter().map(|x| x.within("template")));
            None
        }
        Err(e) => return Err(e),
    };
    match template {
        Some(template) if violations.is_empty() => {
            Ok(RecipeSpec { description: r.description, parameters, template, source_run_id: None })
        }
        _ => Err(Error::InvalidArgument(violations)),
    }
}

/// A recipe kept in the policy file, as a recipe version: its fields read as
/// a recipe file's (the proto JSON mapping, unknown fields refused), then
/// converted as CreateRecipe converts a request. Violations are named under
/// the recipe's own fields (`template.plan.tasks[0].agent`).
pub fn policy_recipe_in(r: &PolicyRecipe, limits: &crate::domain::PlanLimits) -> Result<RecipeSpec, Vec<Violation>> {
    let mut fields = r.request.clone();
    fields.insert("name".into(), serde_json::Value::String(r.name.clone()));
    let req: pb::CreateRecipeRequest =
        crate::proto::from_json("orchestrator.v1.CreateRecipeRequest", serde_json::Value::Object(fields))
            .map_err(|e| vec![Violation::new("", e)])?;
    match recipe_in(req, limits) {
        Ok(spec) => Ok(spec),
        Err(Error::InvalidArgument(v)) => Err(v),
        Err(e) => Err(vec![Violation::new("", e.to_string())]),
    }
}

/// What `policy check` says of a policy file's recipes without a server:
/// each one read, its own checks and its plan's against the policy's
/// agents, as "recipes[i] (name): field: problem".
pub fn policy_recipe_problems(policy: &crate::config::Policy, limits: &crate::domain::run::RunLimits) -> Vec<String> {
    let judge = policy.models.main.is_some() || policy.models.utility.is_some();
    let mut out = Vec::new();
    for (i, r) in policy.recipes.iter().enumerate() {
        let violations = match policy_recipe_in(r, &limits.plan) {
            Err(v) => v,
            Ok(spec) => {
                let mut v = recipe::validate(&r.name, &spec);
                let run = crate::engine::run_violations(policy, limits, judge, &spec.template);
                v.extend(run.into_iter().map(|x| x.within("template")));
                v
            }
        };
        out.extend(violations.iter().map(|v| format!("recipes[{i}] ({}): {}: {}", r.name, v.field, v.description)));
    }
    out
}

#[tonic::async_trait]
impl RecipeService for RecipeApi {
    async fn create_recipe(&self, req: Request<pb::CreateRecipeRequest>) -> Result<Response<pb::Recipe>, Status> {
        let who = caller(&req);
        let r = req.into_inner();
        name_in(&r.name)?;
        let name = r.name.clone();
        let spec = recipe_in(r, &self.engine.config().limits.run.plan)?;
        let view = self.engine.create_recipe(&who.workspace, &name, spec, &who.key_id).await?;
        Ok(Response::new(recipe_out(&view)))
    }

    async fn get_recipe(&self, req: Request<pb::GetRecipeRequest>) -> Result<Response<pb::Recipe>, Status> {
        let who = caller(&req);
        let r = req.into_inner();
        name_in(&r.name)?;
        let version = (r.version > 0).then_some(r.version);
        Ok(Response::new(recipe_out(&self.engine.get_recipe(&who.workspace, &r.name, version).await?)))
    }

    async fn list_recipes(
        &self,
        req: Request<pb::ListRecipesRequest>,
    ) -> Result<Response<pb::ListRecipesResponse>, Status> {
        let who = caller(&req);
        let r = req.into_inner();
        let (views, next) = self.engine.list_recipes(&who.workspace, r.page_size, &r.page_token).await?;
        Ok(Response::new(pb::ListRecipesResponse {
            recipes: views.iter().map(recipe_out).collect(),
            next_page_token: next,
        }))
    }

    async fn delete_recipe(
        &self,
        req: Request<pb::DeleteRecipeRequest>,
    ) -> Result<Response<pb::DeleteRecipeResponse>, Status> {
        let who = caller(&req);
        let r = req.into_inner();
        name_in(&r.name)?;
        let n = self.engine.delete_recipe(&who.workspace, &r.name).await?;
        Ok(Response::new(pb::DeleteRecipeResponse { versions: n as u32 }))
    }

    async fn create_recipe_from_run(
        &self,
        req: Request<pb::CreateRecipeFromRunRequest>,
    ) -> Result<Response<pb::CreateRecipeFromRunResponse>, Status> {
        let who = caller(&req);
        let r = from_run_in(req.into_inner())?;
        let out = match self.engine.create_recipe_from_run(&who.workspace, r, &who.key_id).await? {
            FromRunOutcome::Created(view) => {
                pb::CreateRecipeFromRunResponse { recipe: Some(recipe_out(&view)), suggestions: Vec::new() }
            }
            FromRunOutcome::Suggested(s) => {
                pb::CreateRecipeFromRunResponse { recipe: None, suggestions: s.iter().map(value_param_out).collect() }
            }
        };
        Ok(Response::new(out))
    }
}
