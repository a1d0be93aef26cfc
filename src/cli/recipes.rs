//! `recipe …`: create (a recipe file), get, list, run, from-run and delete recipes.

use std::path::PathBuf;

use clap::Subcommand;
use serde_json::Value;

use super::commands::{connect, create_and_watch, parse_label, print_proto_json, ClientArgs};
use super::{exit, fail, rpc_fail, timestamp_text};
use crate::api::convert as cv;
use crate::proto::v1 as pb;

/// `recipe …`: named, versioned run templates.
#[derive(Subcommand, Debug)]
pub enum RecipeCommand {
    /// Create a recipe, or its next version, from a recipe file (a CreateRecipeRequest:
    /// name, description, parameters, template); prints its name and version.
    Create {
        /// The recipe file (YAML or JSON; `-` reads standard input).
        file: PathBuf,
        #[command(flatten)]
        client: ClientArgs,
    },
    /// Show a recipe: its parameters, versions and template.
    Get {
        /// The recipe's name.
        name: String,
        /// Which version (default: the latest).
        #[arg(long)]
        version: Option<u32>,
        #[command(flatten)]
        client: ClientArgs,
    },
    /// List the workspace's recipes by name, each at its latest version.
    List {
        #[command(flatten)]
        client: ClientArgs,
    },
    /// Create a run from a recipe; --watch follows it to its end.
    Run {
        /// The recipe's name.
        name: String,
        /// A parameter NAME=VALUE (repeatable): text for a string parameter, JSON for the others.
        #[arg(long = "param", short = 'p', value_name = "NAME=VALUE", value_parser = parse_label)]
        params: Vec<(String, String)>,
        /// Which version (default: the latest).
        #[arg(long)]
        version: Option<u32>,
        /// Idempotency key: the same key and parameters return the same run.
        #[arg(long)]
        request_id: Option<String>,
        /// A label KEY=VALUE added to the recipe's (repeatable).
        #[arg(long = "label", value_name = "KEY=VALUE", value_parser = parse_label)]
        labels: Vec<(String, String)>,
        /// Then watch the run to its end (exit 0 if it completed).
        #[arg(long)]
        watch: bool,
        /// With --watch: plain lines even on a terminal.
        #[arg(long, requires = "watch")]
        plain: bool,
        #[command(flatten)]
        client: ClientArgs,
    },
    /// Make a recipe (or its next version) of a completed run: its graph as it
    /// ended, each --param literal becoming a string parameter (its default).
    FromRun {
        /// The completed run.
        run_id: String,
        /// The recipe's name.
        name: String,
        /// A parameter NAME=TEXT (repeatable): every occurrence of TEXT in
        /// the run's texts becomes {{NAME}}.
        #[arg(long = "param", short = 'p', value_name = "NAME=TEXT", value_parser = parse_label)]
        params: Vec<(String, String)>,
        /// What the recipe is for.
        #[arg(long, default_value = "")]
        description: String,
        /// Ask the server's utility model which literals to make parameters
        /// and print them (nothing is made without --yes).
        #[arg(long, conflicts_with = "params")]
        suggest: bool,
        /// With --suggest: make the recipe with the proposals as they are.
        #[arg(long, requires = "suggest")]
        yes: bool,
        #[command(flatten)]
        client: ClientArgs,
    },
    /// Delete a recipe (every version); runs made from it are not touched.
    Delete {
        /// The recipe's name.
        name: String,
        #[command(flatten)]
        client: ClientArgs,
    },
}

fn type_name(t: i32) -> &'static str {
    match pb::ParameterType::try_from(t).unwrap_or(pb::ParameterType::Unspecified) {
        pb::ParameterType::Number => "number",
        pb::ParameterType::Integer => "integer",
        pb::ParameterType::Boolean => "boolean",
        pb::ParameterType::Json => "json",
        _ => "string",
    }
}

/// A recipe for people: name, version, parameters, versions.
fn summary(r: &pb::Recipe) -> String {
    let mut out = format!("recipe {} v{}  {}\n", r.name, r.version, r.description);
    for p in &r.parameters {
        let default = p.default_value.as_ref().and_then(|v| cv::value_to_json(v, "d", 0).ok());
        let default = default.map(|d| format!(" (default {d})")).unwrap_or_else(|| " (required)".into());
        out.push_str(&format!("  param {}: {}{default}  {}\n", p.name, type_name(p.r#type), p.description));
    }
    let versions: Vec<String> =
        r.versions.iter().map(|v| format!("v{} {}", v.version, timestamp_text(&v.created_at))).collect();
    out.push_str(&format!("  versions: {}\n", versions.join(", ")));
    out
}

/// A parameter's value as its declared type wants it: a string parameter's
/// text as it is, JSON for the others (and for a name the recipe lacks,
/// which the server then names).
fn param_value(recipe: &pb::Recipe, name: &str, text: &str) -> Result<Value, String> {
    let declared = recipe.parameters.iter().find(|p| p.name == name);
    match declared.map(|p| type_name(p.r#type)) {
        Some("string") => Ok(Value::String(text.to_string())),
        Some(t) => serde_json::from_str(text).map_err(|e| format!("--param {name}: not a valid {t} ({e})")),
        None => Ok(serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_string()))),
    }
}

/// Connects, or returns the exit code from the enclosing function.
macro_rules! connected {
    ($args:expr) => {
        match connect($args).await {
            Ok(c) => c,
            Err(code) => return code,
        }
    };
}

/// Runs a `recipe …` command; returns the exit code.
pub async fn recipe_command(cmd: RecipeCommand) -> i32 {
    match cmd {
        RecipeCommand::Create { file, client } => {
            let req = match super::plan_file::load_recipe(&file) {
                Ok(r) => r,
                Err(e) => return fail(exit::USAGE, e),
            };
            let mut c = connected!(&client);
            match c.recipes.create_recipe(req).await {
                Ok(r) if client.json() => print_proto_json("orchestrator.v1.Recipe", &r.into_inner()),
                Ok(r) => {
                    let r = r.into_inner();
                    println!("{} v{}", r.name, r.version);
                    exit::OK
                }
                Err(s) => rpc_fail(&s),
            }
        }
        RecipeCommand::Get { name, version, client } => {
            let mut c = connected!(&client);
            match c.recipes.get_recipe(pb::GetRecipeRequest { name, version: version.unwrap_or(0) }).await {
                Ok(r) if client.json() => print_proto_json("orchestrator.v1.Recipe", &r.into_inner()),
                Ok(r) => {
                    print!("{}", summary(&r.into_inner()));
                    exit::OK
                }
                Err(s) => rpc_fail(&s),
            }
        }
        RecipeCommand::List { client } => {
            let mut c = connected!(&client);
            let mut token = String::new();
            loop {
                let req = pb::ListRecipesRequest { page_size: 500, page_token: std::mem::take(&mut token) };
                let page = match c.recipes.list_recipes(req).await {
                    Ok(p) => p.into_inner(),
                    Err(s) => return rpc_fail(&s),
                };
                for r in &page.recipes {
                    if client.json() {
                        print_proto_json("orchestrator.v1.Recipe", r);
                    } else {
                        println!("{:<32} v{:<4} {}", r.name, r.version, r.description.lines().next().unwrap_or(""));
                    }
                }
                if page.next_page_token.is_empty() {
                    return exit::OK;
                }
                token = page.next_page_token;
            }
        }
        RecipeCommand::Run { name, params, version, request_id, labels, watch, plain, client } => {
            let mut c = connected!(&client);
            let recipe = match c
                .recipes
                .get_recipe(pb::GetRecipeRequest { name: name.clone(), version: version.unwrap_or(0) })
                .await
            {
                Ok(r) => r.into_inner(),
                Err(s) => return rpc_fail(&s),
            };
            let mut values = serde_json::Map::new();
            for (k, text) in &params {
                match param_value(&recipe, k, text) {
                    Ok(v) => {
                        values.insert(k.clone(), v);
                    }
                    Err(e) => return fail(exit::USAGE, e),
                }
            }
            let req = pb::CreateRunRequest {
                recipe: name,
                recipe_version: recipe.version,
                params: Some(cv::json_to_struct(&values)),
                request_id: request_id.unwrap_or_default(),
                labels: labels.into_iter().collect(),
                ..Default::default()
            };
            create_and_watch(&mut c, req, &client, watch, plain).await
        }
        RecipeCommand::FromRun { run_id, name, params, description, suggest, yes, client } => {
            let mut c = connected!(&client);
            let mut req = pb::CreateRecipeFromRunRequest {
                run_id,
                name,
                description,
                parameters: params
                    .into_iter()
                    .map(|(name, value)| pb::ParameterFromValue { name, value, description: String::new() })
                    .collect(),
                suggest,
            };
            if suggest {
                let proposals = match c.recipes.create_recipe_from_run(req.clone()).await {
                    Ok(r) => r.into_inner().suggestions,
                    Err(s) => return rpc_fail(&s),
                };
                if !yes {
                    if proposals.is_empty() {
                        println!("the model proposes no parameters");
                    }
                    for p in &proposals {
                        println!("--param {}={:?}  # {}", p.name, p.value, p.description);
                    }
                    return exit::OK;
                }
                req.suggest = false;
                req.parameters = proposals;
            }
            match c.recipes.create_recipe_from_run(req).await {
                Ok(r) => match r.into_inner().recipe {
                    Some(r) if client.json() => print_proto_json("orchestrator.v1.Recipe", &r),
                    Some(r) => {
                        println!("{} v{} from run {}", r.name, r.version, r.source_run_id);
                        print!("{}", summary(&r).lines().skip(1).map(|l| format!("{l}\n")).collect::<String>());
                        exit::OK
                    }
                    None => fail(exit::SERVER, "the server made no recipe"),
                },
                Err(s) => rpc_fail(&s),
            }
        }
        RecipeCommand::Delete { name, client } => {
            let mut c = connected!(&client);
            match c.recipes.delete_recipe(pb::DeleteRecipeRequest { name: name.clone() }).await {
                Ok(r) => {
                    println!("deleted {name} ({} versions)", r.into_inner().versions);
                    exit::OK
                }
                Err(s) => rpc_fail(&s),
            }
        }
    }
}
