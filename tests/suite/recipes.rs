//! Recipes over real gRPC, on both backends: a recipe with two parameters
//! renders, validates and runs; bad parameters are field violations naming
//! them; an edit is a new version while a run of the old one keeps its
//! plan; a deleted recipe makes no more runs and breaks none.

use crate::common;

use common::{create, task, violations, wait_terminal, Backend, TestApp, TestDb};
use orchestrator::api::convert::{json_to_struct, json_to_value};
use orchestrator::proto::v1 as pb;
use orchestrator::proto::v1::recipe_service_client::RecipeServiceClient;
use serde_json::{json, Value};
use tonic::transport::Channel;
use tonic::Code;

both_backends!(
    a_recipe_renders_its_parameters_and_runs,
    bad_parameters_and_bad_recipes_are_named,
    an_edit_is_a_new_version_and_a_deleted_recipe_breaks_no_run,
    a_completed_run_becomes_a_recipe,
    the_utility_model_suggests_parameters_and_the_caller_confirms
);

fn param(name: &str, t: pb::ParameterType, default: Option<Value>) -> pb::RecipeParameter {
    pb::RecipeParameter {
        name: name.into(),
        description: format!("the {name}"),
        r#type: t as i32,
        default_value: default.as_ref().map(json_to_value),
    }
}

/// `triage`: one task whose instructions name the topic and whose metadata
/// carries the count as a number.
fn triage(instructions: &str) -> pb::CreateRecipeRequest {
    let mut t = task("look", "w", &[]);
    t.instructions = instructions.into();
    t.metadata = Some(json_to_struct(json!({"n": "{{n}}", "about": "{{topic}}"}).as_object().expect("object")));
    let mut template = create("Triage {{topic}}", vec![t]);
    template.labels.insert("topic".into(), "{{topic}}".into());
    pb::CreateRecipeRequest {
        name: "triage".into(),
        description: "Triage the newest issues of a topic".into(),
        parameters: vec![
            param("topic", pb::ParameterType::String, None),
            param("n", pb::ParameterType::Integer, Some(json!(3))),
        ],
        template: Some(template),
    }
}

fn from_recipe(version: u32, params: Value) -> pb::CreateRunRequest {
    pb::CreateRunRequest {
        recipe: "triage".into(),
        recipe_version: version,
        params: params.as_object().map(json_to_struct),
        ..Default::default()
    }
}

async fn recipes(app: &TestApp) -> RecipeServiceClient<Channel> {
    RecipeServiceClient::new(app.channel().await)
}

async fn a_recipe_renders_its_parameters_and_runs(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::with_policy(&db, "agents:\n  - name: w\n    executor: agent\n").await;
    let (mut runs, mut rec) = (app.runs().await, recipes(&app).await);
    let r = rec.create_recipe(triage("Read the {{n}} newest issues about {{topic}}")).await.expect("create");
    let r = r.into_inner();
    assert_eq!((r.name.as_str(), r.version), ("triage", 1));
    let schema = orchestrator::api::convert::struct_to_json(r.parameters_schema.as_ref().expect("schema"), "s", 0);
    assert_eq!(schema.expect("json")["required"], json!(["topic"]));
    let run = runs.create_run(from_recipe(0, json!({"topic": "billing"}))).await.expect("run").into_inner();
    let run = run.run.expect("run");
    assert_eq!(run.goal, "Triage billing");
    assert_eq!(run.labels.get("topic").map(String::as_str), Some("billing"));
    let rr = run.recipe.as_ref().expect("the run names its recipe");
    assert_eq!((rr.name.as_str(), rr.version), ("triage", 1));
    let params = orchestrator::api::convert::struct_to_json(rr.params.as_ref().expect("params"), "p", 0);
    assert_eq!(Value::Object(params.expect("json")), json!({"topic": "billing", "n": 3}), "the default filled in");
    let w = common::spawn_agent(app.addr, "w", "w", |a| common::Outcome::Complete(json!({"task": a.task_id})));
    let done = wait_terminal(&mut runs, &run.id, 20).await;
    w.abort();
    assert_eq!(done.status, pb::RunStatus::Completed as i32, "{}", done.failure_reason);
    let t = runs
        .get_task(pb::GetTaskRequest { run_id: run.id.clone(), task_id: "look".into() })
        .await
        .expect("task")
        .into_inner();
    let spec = t.spec.expect("spec");
    assert_eq!(spec.instructions, "Read the 3 newest issues about billing");
    let meta = orchestrator::api::convert::struct_to_json(spec.metadata.as_ref().expect("meta"), "m", 0);
    assert_eq!(
        Value::Object(meta.expect("json")),
        json!({"n": 3, "about": "billing"}),
        "a whole placeholder keeps its type"
    );
    app.stop().await;
}

async fn bad_parameters_and_bad_recipes_are_named(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::with_policy(&db, "agents:\n  - name: w\n    executor: agent\n").await;
    let (mut runs, mut rec) = (app.runs().await, recipes(&app).await);
    rec.create_recipe(triage("about {{topic}}")).await.expect("create");
    // A missing, a wrong type and an unknown parameter, each named.
    let e = runs.create_run(from_recipe(0, json!({"n": "many", "colour": "red"}))).await.expect_err("refused");
    assert_eq!(e.code(), Code::InvalidArgument, "{}", e.message());
    assert_eq!(violations(&e), ["params.colour", "params.topic", "params.n"], "{}", e.message());
    // A recipe's run carries no plan of its own.
    let mut with_goal = from_recipe(0, json!({"topic": "x"}));
    with_goal.goal = "mine".into();
    let e = runs.create_run(with_goal).await.expect_err("refused");
    assert_eq!(violations(&e), ["goal"], "{}", e.message());
    let e = runs.create_run(pb::CreateRunRequest { recipe: "nope".into(), ..Default::default() }).await;
    assert_eq!(e.expect_err("unknown").code(), Code::NotFound);
    let e = runs.create_run(from_recipe(7, json!({"topic": "x"}))).await.expect_err("no version 7");
    assert_eq!(e.code(), Code::NotFound, "{}", e.message());
    // A bad recipe: every mistake at once.
    let mut bad = triage("about {{topic}} and {{ghost}}");
    bad.name = "bad name".into();
    bad.parameters.push(param("n", pb::ParameterType::Boolean, Some(json!("yes"))));
    if let Some(t) = bad.template.as_mut() {
        t.request_id = "once".into();
        if let Some(p) = t.plan.as_mut() {
            p.tasks[0].agent = "ghost-agent".into();
        }
    }
    let e = rec.create_recipe(bad).await.expect_err("refused");
    assert_eq!(e.code(), Code::InvalidArgument);
    let mut fields = violations(&e);
    fields.sort();
    assert_eq!(
        fields,
        [
            "name",
            "parameters[2].default",
            "parameters[2].name",
            "template",
            "template.plan.tasks[0].agent",
            "template.request_id"
        ],
        "{}",
        e.message()
    );
    app.stop().await;
}

async fn an_edit_is_a_new_version_and_a_deleted_recipe_breaks_no_run(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::with_policy(&db, "agents:\n  - name: w\n    executor: agent\n").await;
    let (mut runs, mut rec) = (app.runs().await, recipes(&app).await);
    rec.create_recipe(triage("v1 about {{topic}}")).await.expect("v1");
    let first = runs.create_run(from_recipe(0, json!({"topic": "a"}))).await.expect("run v1").into_inner();
    let first = first.run.expect("run");
    let v2 = rec.create_recipe(triage("v2 about {{topic}}")).await.expect("v2").into_inner();
    assert_eq!(v2.version, 2);
    assert_eq!(v2.versions.iter().map(|v| v.version).collect::<Vec<_>>(), [1, 2]);
    let latest = runs.create_run(from_recipe(0, json!({"topic": "b"}))).await.expect("run v2").into_inner();
    let older = runs.create_run(from_recipe(1, json!({"topic": "c"}))).await.expect("run v1 again").into_inner();
    let instructions = |r: &pb::Run| r.plan.as_ref().map(|p| p.tasks[0].instructions.clone()).unwrap_or_default();
    assert_eq!(instructions(latest.run.as_ref().expect("run")), "v2 about b");
    assert_eq!(instructions(older.run.as_ref().expect("run")), "v1 about c");
    let got = runs.get_run(pb::GetRunRequest { run_id: first.id.clone(), ..Default::default() }).await.expect("get");
    assert_eq!(instructions(&got.into_inner()), "v1 about a", "the v1 run keeps its plan");
    // One recipe in the list, at its latest version; another workspace's are not there (see tests/suite/security.rs).
    let list = rec.list_recipes(pb::ListRecipesRequest::default()).await.expect("list").into_inner();
    assert_eq!(list.recipes.iter().map(|r| (r.name.as_str(), r.version)).collect::<Vec<_>>(), [("triage", 2)]);
    assert_eq!(list.recipes[0].versions.iter().map(|v| v.version).collect::<Vec<_>>(), [1, 2]);
    let old = rec.get_recipe(pb::GetRecipeRequest { name: "triage".into(), version: 1 }).await.expect("v1");
    assert_eq!(
        old.into_inner().template.and_then(|t| t.plan).map(|p| p.tasks[0].instructions.clone()),
        Some("v1 about {{topic}}".into())
    );
    // Pages by name, one to a page; bad page sizes and tokens are named.
    let mut other = triage("other about {{topic}}");
    other.name = "alpha".into();
    rec.create_recipe(other).await.expect("a second recipe");
    let page = rec.list_recipes(pb::ListRecipesRequest { page_size: 1, ..Default::default() }).await.expect("page 1");
    let page = page.into_inner();
    assert_eq!(page.recipes.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["alpha"]);
    let next = pb::ListRecipesRequest { page_size: 1, page_token: page.next_page_token };
    let page = rec.list_recipes(next).await.expect("page 2").into_inner();
    assert_eq!(page.recipes.iter().map(|r| (r.name.as_str(), r.version)).collect::<Vec<_>>(), [("triage", 2)]);
    assert_eq!(page.recipes[0].versions.len(), 2);
    for bad in [
        pb::ListRecipesRequest { page_size: 501, ..Default::default() },
        pb::ListRecipesRequest { page_token: "not a token".into(), ..Default::default() },
    ] {
        let e = rec.list_recipes(bad).await.expect_err("refused");
        assert_eq!(e.code(), Code::InvalidArgument, "{}", e.message());
    }
    // Deleted: no more runs from it, and the runs it made are as they were.
    let d = rec.delete_recipe(pb::DeleteRecipeRequest { name: "triage".into() }).await.expect("delete");
    assert_eq!(d.into_inner().versions, 2);
    let e = runs.create_run(from_recipe(0, json!({"topic": "d"}))).await.expect_err("deleted");
    assert_eq!(e.code(), Code::NotFound);
    let e = rec.get_recipe(pb::GetRecipeRequest { name: "triage".into(), version: 0 }).await.expect_err("deleted");
    assert_eq!(e.code(), Code::NotFound);
    let got = runs.get_run(pb::GetRunRequest { run_id: first.id.clone(), ..Default::default() }).await.expect("get");
    assert_eq!(got.into_inner().recipe.map(|r| (r.name, r.version)), Some(("triage".into(), 1)));
    // Made again: its numbers go on after the deleted ones.
    let again = rec.create_recipe(triage("v3 about {{topic}}")).await.expect("again").into_inner();
    assert_eq!((again.version, again.versions.len()), (3, 1));
    app.stop().await;
}

// ---------------------------------------------------------------- recipe from a run

fn from_run(run_id: &str, name: &str, literals: &[(&str, &str)]) -> pb::CreateRecipeFromRunRequest {
    pb::CreateRecipeFromRunRequest {
        run_id: run_id.into(),
        name: name.into(),
        description: "made from a run".into(),
        parameters: literals
            .iter()
            .map(|(n, v)| pb::ParameterFromValue {
                name: n.to_string(),
                value: v.to_string(),
                description: format!("the {n}"),
            })
            .collect(),
        suggest: false,
    }
}

/// `split` → `join`, about databases; `split` spawns a reader and re-points
/// `join` at it. Runs to completion with an agent over real gRPC.
async fn research_run(app: &TestApp) -> pb::Run {
    let (mut runs, mut coord) = (app.runs().await, app.coord().await);
    let mut split = task("split", "w", &[]);
    split.instructions = "Find sources about databases".into();
    let mut join = task("join", "w", &["split"]);
    join.title = "Summarise what was read about databases".into();
    let mut req = create("Research databases", vec![split, join]);
    req.labels.insert("topic".into(), "databases".into());
    let run = common::create_run(&mut runs, req).await;
    let a = crate::adaptive::next_assignment(&mut coord, "w", 20).await;
    assert_eq!(a.task_id, "split");
    let mut reader = task("read-0", "w", &["split"]);
    reader.instructions = "Read the first source on databases".into();
    coord
        .complete_task(pb::CompleteTaskRequest {
            lease_id: a.lease_id,
            output: Some(json_to_value(&json!({"found": 1}))),
            spawn: vec![reader],
            repoint: vec![pb::Repoint { task_id: "join".into(), depends_on: vec!["split".into(), "read-0".into()] }],
            ..Default::default()
        })
        .await
        .expect("spawned");
    let w = common::spawn_agent(app.addr, "w", "w", |a| common::Outcome::Complete(json!({"task": a.task_id})));
    let done = wait_terminal(&mut runs, &run.id, 20).await;
    w.abort();
    assert_eq!(done.status, pb::RunStatus::Completed as i32, "{}", done.failure_reason);
    done
}

/// (id, agent, dependencies, title, instructions) of every task, in plan order.
type Shape = Vec<(String, String, Vec<String>, String, String)>;

fn shape(tasks: &[pb::TaskSpec]) -> Shape {
    tasks
        .iter()
        .map(|t| (t.id.clone(), t.agent.clone(), t.depends_on.clone(), t.title.clone(), t.instructions.clone()))
        .collect()
}

async fn final_shape(app: &TestApp, run_id: &str) -> Shape {
    let mut runs = app.runs().await;
    let req = pb::ListTasksRequest { run_id: run_id.into(), page_size: 100, ..Default::default() };
    let tasks = runs.list_tasks(req).await.expect("tasks").into_inner().tasks;
    shape(&tasks.into_iter().filter_map(|t| t.spec).collect::<Vec<_>>())
}

/// A completed run (with a spawned task) becomes a recipe of its graph as
/// it ended; run with the same params it makes the same graph, with other
/// params the named texts change. A run not completed, bad literals and a
/// suggestion without a model are refused.
async fn a_completed_run_becomes_a_recipe(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::with_policy(&db, "agents:\n  - name: w\n    executor: agent\n").await;
    let (mut runs, mut rec) = (app.runs().await, recipes(&app).await);
    let pending = common::create_run(&mut runs, create("Not done yet", vec![task("a", "w", &[])])).await;
    let e = rec.create_recipe_from_run(from_run(&pending.id, "early", &[])).await.expect_err("not completed");
    assert_eq!(e.code(), Code::FailedPrecondition, "{}", e.message());
    runs.cancel_run(pb::CancelRunRequest { run_id: pending.id.clone(), ..Default::default() }).await.expect("cancel");
    let run = research_run(&app).await;
    // Every bad literal at once: empty, a bad name, found nowhere, given twice.
    let bad = from_run(&run.id, "research", &[("a", ""), ("9x", "databases"), ("c", "nowhere"), ("d", "databases")]);
    let e = rec.create_recipe_from_run(bad).await.expect_err("refused");
    assert_eq!(e.code(), Code::InvalidArgument, "{}", e.message());
    assert_eq!(violations(&e), ["parameters[0].value", "parameters[1].name", "parameters[3].value"], "{}", e.message());
    let e = rec.create_recipe_from_run(from_run(&run.id, "research", &[("c", "nowhere")])).await.expect_err("absent");
    assert_eq!(violations(&e), ["parameters[0].value"], "{}", e.message());
    let e = rec.create_recipe_from_run(from_run("no-such-run", "research", &[])).await.expect_err("unknown");
    assert_eq!(e.code(), Code::NotFound, "{}", e.message());
    let mut ask = from_run(&run.id, "research", &[]);
    ask.suggest = true;
    let e = rec.create_recipe_from_run(ask).await.expect_err("no model");
    assert_eq!(e.code(), Code::FailedPrecondition, "{}", e.message());

    let made = rec.create_recipe_from_run(from_run(&run.id, "research", &[("topic", "databases")])).await;
    let r = made.expect("recipe").into_inner().recipe.expect("a recipe");
    assert_eq!((r.name.as_str(), r.version, r.source_run_id.as_str()), ("research", 1, run.id.as_str()));
    assert_eq!(r.parameters.len(), 1);
    assert_eq!(r.parameters[0].default_value, Some(json_to_value(&json!("databases"))), "the literal is the default");
    let template = r.template.expect("template");
    assert_eq!(template.goal, "Research {{topic}}");
    assert_eq!(template.labels.get("topic").map(String::as_str), Some("{{topic}}"));
    let ended = final_shape(&app, &run.id).await;
    assert_eq!(
        ended.iter().map(|t| (t.0.as_str(), t.2.clone())).collect::<Vec<_>>(),
        [("split", vec![]), ("join", vec!["split".to_string(), "read-0".into()]), ("read-0", vec!["split".into()])],
        "the graph as it ended: the spawned reader and the re-pointed join"
    );
    // The same params: the same graph, as a plan of its own.
    let again = runs.create_run(from_recipe_named("research", json!({"topic": "databases"}))).await.expect("again");
    let again = again.into_inner().run.expect("run");
    assert_eq!(shape(&again.plan.as_ref().expect("plan").tasks), ended);
    assert_eq!(again.goal, run.goal);
    // Other params: the named texts change, nothing else.
    let other = runs.create_run(from_recipe_named("research", json!({"topic": "networks"}))).await.expect("other");
    let other = other.into_inner().run.expect("run");
    assert_eq!(other.goal, "Research networks");
    assert_eq!(other.labels.get("topic").map(String::as_str), Some("networks"));
    let want: Shape = ended
        .iter()
        .map(|t| {
            (
                t.0.clone(),
                t.1.clone(),
                t.2.clone(),
                t.3.replace("databases", "networks"),
                t.4.replace("databases", "networks"),
            )
        })
        .collect();
    assert_eq!(shape(&other.plan.as_ref().expect("plan").tasks), want);
    assert!(want.iter().any(|t| t.4 == "Read the first source on networks"), "{want:?}");
    // A second recipe of the same run under the name is its next version.
    let v2 = rec.create_recipe_from_run(from_run(&run.id, "research", &[])).await.expect("v2").into_inner();
    assert_eq!(v2.recipe.map(|r| (r.version, r.parameters.len())), Some((2, 0)));
    app.stop().await;
}

fn from_recipe_named(name: &str, params: Value) -> pb::CreateRunRequest {
    pb::CreateRunRequest { recipe: name.into(), params: params.as_object().map(json_to_struct), ..Default::default() }
}

/// With `suggest`, the utility model (a real HTTP server) sees the run's
/// texts and proposes literals; only those that hold come back and nothing
/// is stored; the caller confirms them by passing them back.
async fn the_utility_model_suggests_parameters_and_the_caller_confirms(b: Backend) {
    let answer = json!({"parameters": [
        {"name": "topic", "value": "databases", "description": "what is researched"},
        {"name": "ghost", "value": "not in the run", "description": "made up"},
        {"name": "9bad", "value": "Research", "description": "a bad name"},
        {"name": "topic", "value": "sources", "description": "a name twice"}
    ]})
    .to_string();
    let llm = common::fake_llm::FakeLlm::start(move |_, _| common::fake_llm::Reply::answer(&answer, 50, 20)).await;
    let policy = format!(
        "models:\n  utility:\n    base_url: {}\n    model: fake-utility\n    timeout: 3s\n    max_retries: 0\n\
agents:\n  - name: w\n    executor: agent\n",
        llm.base_url()
    );
    let db = TestDb::new(b);
    let app = TestApp::with_policy(&db, &policy).await;
    let mut rec = recipes(&app).await;
    let run = research_run(&app).await;
    let mut ask = from_run(&run.id, "research", &[]);
    ask.suggest = true;
    let out = rec.create_recipe_from_run(ask.clone()).await.expect("suggested").into_inner();
    assert!(out.recipe.is_none(), "nothing is made with suggest");
    let got: Vec<(&str, &str)> = out.suggestions.iter().map(|p| (p.name.as_str(), p.value.as_str())).collect();
    assert_eq!(got, [("topic", "databases")], "only the proposals that hold");
    let asked = common::fake_llm::prompt_text(&llm.requests()[0]);
    assert!(asked.contains("Read the first source on databases"), "the model sees the run's texts: {asked}");
    let e = rec.get_recipe(pb::GetRecipeRequest { name: "research".into(), version: 0 }).await.expect_err("none");
    assert_eq!(e.code(), Code::NotFound);
    // Suggest and parameters together: refused.
    ask.parameters = out.suggestions.clone();
    let e = rec.create_recipe_from_run(ask).await.expect_err("either");
    assert_eq!(violations(&e), ["suggest"], "{}", e.message());
    let mut confirm = from_run(&run.id, "research", &[]);
    confirm.parameters = out.suggestions;
    let r = rec.create_recipe_from_run(confirm).await.expect("confirmed").into_inner().recipe.expect("recipe");
    assert_eq!(r.template.map(|t| t.goal), Some("Research {{topic}}".into()));
    app.stop().await;
}
