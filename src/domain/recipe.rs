//! Recipes: named, versioned run templates whose text fields may use
//! parameters (`{{name}}`), their parameters' declarations, the binding of
//! a run's parameters to them, and the rendering of a template into the
//! run it makes. Rendering is one pass over the template's strings, and its
//! output is bounded.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::plan::{truncate, valid_id, Criterion, TaskSpec, Violation};
use super::run::RunSpec;

/// Parameters one recipe may declare.
pub const MAX_PARAMS: usize = 64;
/// Bytes of a parameter's name.
pub const MAX_PARAM_NAME: usize = 64;
/// Bytes of a description (a recipe's or a parameter's).
pub const MAX_DESCRIPTION: usize = 4096;
/// Bytes of one parameter value (as JSON).
pub const MAX_PARAM_VALUE: usize = 16 * 1024;

/// A parameter's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamType {
    /// Text.
    #[default]
    String,
    /// Any JSON number.
    Number,
    /// A whole number.
    Integer,
    /// true or false.
    Boolean,
    /// Any JSON value.
    Json,
}

impl ParamType {
    /// The JSON Schema type it is (None: any).
    fn schema_type(self) -> Option<&'static str> {
        match self {
            ParamType::String => Some("string"),
            ParamType::Number => Some("number"),
            ParamType::Integer => Some("integer"),
            ParamType::Boolean => Some("boolean"),
            ParamType::Json => None,
        }
    }

    fn accepts(self, v: &Value) -> bool {
        match self {
            ParamType::String => v.is_string(),
            ParamType::Number => v.is_number(),
            ParamType::Integer => v.is_i64() || v.is_u64(),
            ParamType::Boolean => v.is_boolean(),
            ParamType::Json => true,
        }
    }
}

/// A declared parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct RecipeParam {
    /// Letters, digits and `_`, not starting with a digit.
    pub name: String,
    /// What it is for.
    #[serde(default)]
    pub description: String,
    /// Its type.
    #[serde(default)]
    pub kind: ParamType,
    /// Its value when a run gives none; None: a run must give one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
}

/// One version of a recipe, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct RecipeSpec {
    /// What it is for.
    #[serde(default)]
    pub description: String,
    /// Its parameters.
    #[serde(default)]
    pub parameters: Vec<RecipeParam>,
    /// The run it makes, its text fields with `{{name}}` placeholders.
    pub template: RunSpec,
    /// The run it was made from, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_run_id: Option<String>,
}

/// The recipe a run was made from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecipeRef {
    /// The recipe's name.
    pub name: String,
    /// Its version.
    pub version: u32,
    /// The parameters the run was rendered with (defaults filled in).
    #[serde(default)]
    pub params: Map<String, Value>,
}

fn valid_param_name(n: &str) -> bool {
    !n.is_empty()
        && n.len() <= MAX_PARAM_NAME
        && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !n.starts_with(|c: char| c.is_ascii_digit())
}

/// Whether a recipe name is valid: a task id's alphabet, at most 128 bytes.
pub fn valid_name(n: &str) -> bool {
    n.len() <= 128 && valid_id(n)
}

/// The checks of a recipe version (its template's own checks are a run's):
/// its name, description and parameters, every placeholder of the
/// template declared, and no idempotency key in the template.
pub fn validate(name: &str, spec: &RecipeSpec) -> Vec<Violation> {
    let mut v = Vec::new();
    if !valid_name(name) {
        v.push(Violation::new(
            "name",
            format!(
                "{:?} is not a valid recipe name (letters, digits, '-', '_', '.'; at most 128)",
                truncate(name, 64)
            ),
        ));
    }
    if spec.description.len() > MAX_DESCRIPTION {
        v.push(Violation::new("description", format!("longer than {MAX_DESCRIPTION} bytes")));
    }
    if spec.parameters.len() > MAX_PARAMS {
        v.push(Violation::new("parameters", format!("at most {MAX_PARAMS} parameters")));
        return v;
    }
    let mut seen = BTreeSet::new();
    for (i, p) in spec.parameters.iter().enumerate() {
        let f = format!("parameters[{i}]");
        if !valid_param_name(&p.name) {
            v.push(Violation::new(
                format!("{f}.name"),
                format!(
                    "{:?} is not a parameter name (letters, digits and '_', not starting with a digit; at most {MAX_PARAM_NAME})",
                    truncate(&p.name, 64)
                ),
            ));
        } else if !seen.insert(p.name.as_str()) {
            v.push(Violation::new(format!("{f}.name"), format!("duplicate parameter {:?}", p.name)));
        }
        if p.description.len() > MAX_DESCRIPTION {
            v.push(Violation::new(format!("{f}.description"), format!("longer than {MAX_DESCRIPTION} bytes")));
        }
        if let Some(d) = &p.default {
            if !p.kind.accepts(d) {
                v.push(Violation::new(format!("{f}.default"), format!("not a {}", type_name(p.kind))));
            } else if d.to_string().len() > MAX_PARAM_VALUE {
                v.push(Violation::new(format!("{f}.default"), format!("longer than {MAX_PARAM_VALUE} bytes")));
            }
        }
    }
    if spec.template.request_id.is_some() {
        v.push(Violation::new("template.request_id", "a recipe makes many runs: each run's CreateRun gives its own"));
    }
    let mut used = BTreeSet::new();
    visit_strings(&spec.template, &mut |s| placeholders(s, &mut used));
    for name in used.iter().filter(|n| !seen.contains(n.as_str())) {
        v.push(Violation::new("template", format!("{{{{{name}}}}} names no declared parameter")));
    }
    v
}

fn type_name(t: ParamType) -> &'static str {
    match t {
        ParamType::String => "string",
        ParamType::Number => "number",
        ParamType::Integer => "whole number",
        ParamType::Boolean => "boolean",
        ParamType::Json => "JSON value",
    }
}

/// The parameters as a JSON Schema (for clients that generate forms).
pub fn parameters_schema(params: &[RecipeParam]) -> Value {
    let mut props = Map::new();
    for p in params {
        let mut s = Map::new();
        if let Some(t) = p.kind.schema_type() {
            s.insert("type".into(), json!(t));
        }
        if !p.description.is_empty() {
            s.insert("description".into(), json!(p.description));
        }
        if let Some(d) = &p.default {
            s.insert("default".into(), d.clone());
        }
        props.insert(p.name.clone(), Value::Object(s));
    }
    let required: Vec<&str> = params.iter().filter(|p| p.default.is_none()).map(|p| p.name.as_str()).collect();
    json!({"type": "object", "properties": props, "required": required, "additionalProperties": false})
}

/// A run's parameters bound to the declarations: every violation at once
/// (`params.NAME`: unknown, missing, of the wrong type, too long), defaults
/// filled in.
pub fn bind(declared: &[RecipeParam], given: &Map<String, Value>) -> Result<Map<String, Value>, Vec<Violation>> {
    let mut v = Vec::new();
    for name in given.keys().filter(|k| !declared.iter().any(|p| &p.name == *k)) {
        let known: Vec<&str> = declared.iter().map(|p| p.name.as_str()).collect();
        v.push(Violation::new(
            format!("params.{}", truncate(name, 64)),
            format!(
                "no such parameter; the recipe's: {}",
                if known.is_empty() { "none".into() } else { known.join(", ") }
            ),
        ));
    }
    let mut out = Map::new();
    for p in declared {
        let f = format!("params.{}", p.name);
        match given.get(&p.name).or(p.default.as_ref()) {
            None => v.push(Violation::new(f, format!("required ({}): {}", type_name(p.kind), p.description))),
            Some(x) if !p.kind.accepts(x) => v.push(Violation::new(f, format!("must be a {}", type_name(p.kind)))),
            Some(x) if x.to_string().len() > MAX_PARAM_VALUE => {
                v.push(Violation::new(f, format!("longer than {MAX_PARAM_VALUE} bytes")))
            }
            Some(x) => {
                out.insert(p.name.clone(), x.clone());
            }
        }
    }
    if v.is_empty() {
        Ok(out)
    } else {
        Err(v)
    }
}

/// The names of the `{{name}}` placeholders in a string.
fn placeholders(s: &str, out: &mut BTreeSet<String>) {
    let mut rest = s;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { return };
        let name = after[..end].trim();
        if valid_param_name(name) {
            out.insert(name.to_string());
        }
        rest = &after[end + 2..];
    }
}

/// Every text field of a template a placeholder may be in: the goal, the
/// labels' values, the context's strings, the criteria's string parameters,
/// and of each task (child plans' too) the title, the instructions, the
/// metadata's strings and the criteria's, and a child run's goal.
fn visit_strings(t: &RunSpec, f: &mut dyn FnMut(&str)) {
    f(&t.goal);
    t.labels.values().for_each(|s| f(s));
    t.context.values().for_each(|x| visit_json(x, f));
    t.criteria.iter().for_each(|c| c.params.values().for_each(|x| visit_json(x, f)));
    if let Some(plan) = &t.plan {
        visit_tasks(plan, f);
    }
}

fn visit_tasks(tasks: &[TaskSpec], f: &mut dyn FnMut(&str)) {
    for t in tasks {
        f(&t.title);
        f(&t.instructions);
        t.metadata.values().for_each(|x| visit_json(x, f));
        t.criteria.iter().for_each(|c| c.params.values().for_each(|x| visit_json(x, f)));
        if let Some(c) = &t.child {
            f(&c.goal);
            if let Some(p) = &c.plan {
                visit_tasks(p, f);
            }
        }
    }
}

fn visit_json(v: &Value, f: &mut dyn FnMut(&str)) {
    match v {
        Value::String(s) => f(s),
        Value::Array(a) => a.iter().for_each(|x| visit_json(x, f)),
        Value::Object(o) => o.values().for_each(|x| visit_json(x, f)),
        _ => {}
    }
}

/// Renders a template with bound parameters: each `{{name}}` in a text is
/// the value (a string as itself, any other value as its JSON); a JSON
/// string that is exactly one placeholder becomes the value itself (a
/// number stays a number). Err when the run would pass `max_bytes` of
/// rendered text.
pub fn render(template: &RunSpec, values: &Map<String, Value>, max_bytes: usize) -> Result<RunSpec, String> {
    let mut r = Renderer { values, left: max_bytes };
    let mut t = template.clone();
    t.goal = r.text(&t.goal)?;
    for s in t.labels.values_mut() {
        *s = r.text(s)?;
    }
    for x in t.context.values_mut() {
        r.json(x)?;
    }
    r.criteria(&mut t.criteria)?;
    if let Some(plan) = t.plan.as_mut() {
        r.tasks(plan)?;
    }
    Ok(t)
}

struct Renderer<'a> {
    values: &'a Map<String, Value>,
    left: usize,
}

impl Renderer<'_> {
    fn take(&mut self, n: usize) -> Result<(), String> {
        self.left = self.left.checked_sub(n).ok_or("the rendered run is larger than the server's message limit")?;
        Ok(())
    }

    fn text(&mut self, s: &str) -> Result<String, String> {
        if !s.contains("{{") {
            return Ok(s.to_string());
        }
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(start) = rest.find("{{") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find("}}") else {
                out.push_str(&rest[start..]);
                rest = "";
                break;
            };
            match self.values.get(after[..end].trim()) {
                Some(Value::String(v)) => out.push_str(v),
                Some(v) => out.push_str(&v.to_string()),
                // Not a declared parameter (validation saw to that): kept as it is.
                None => out.push_str(&rest[start..start + 2 + end + 2]),
            }
            rest = &after[end + 2..];
        }
        out.push_str(rest);
        self.take(out.len())?;
        Ok(out)
    }

    fn json(&mut self, v: &mut Value) -> Result<(), String> {
        match v {
            Value::String(s) => {
                let whole = s.strip_prefix("{{").and_then(|x| x.strip_suffix("}}")).map(str::trim);
                match whole.filter(|n| !n.contains("}}")).and_then(|n| self.values.get(n)) {
                    Some(x) => {
                        self.take(x.to_string().len())?;
                        *v = x.clone();
                    }
                    None => *s = self.text(s)?,
                }
            }
            Value::Array(a) => {
                for x in a {
                    self.json(x)?;
                }
            }
            Value::Object(o) => {
                for x in o.values_mut() {
                    self.json(x)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn criteria(&mut self, cs: &mut [Criterion]) -> Result<(), String> {
        for c in cs {
            for x in c.params.values_mut() {
                self.json(x)?;
            }
        }
        Ok(())
    }

    fn tasks(&mut self, tasks: &mut [TaskSpec]) -> Result<(), String> {
        for t in tasks {
            t.title = self.text(&t.title)?;
            t.instructions = self.text(&t.instructions)?;
            for x in t.metadata.values_mut() {
                self.json(x)?;
            }
            self.criteria(&mut t.criteria)?;
            if let Some(c) = t.child.as_mut() {
                c.goal = self.text(&c.goal)?;
                if let Some(p) = c.plan.as_mut() {
                    self.tasks(p)?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> RecipeSpec {
        let mut template = RunSpec {
            goal: "Triage {{ topic }} issues".into(),
            criteria: Vec::new(),
            plan: Some(vec![TaskSpec {
                id: "t".into(),
                agent: "w".into(),
                instructions: "Look at the {{n}} newest about {{topic}}; {{not closed".into(),
                metadata: json!({"n": "{{n}}", "say": "n={{n}}"}).as_object().cloned().unwrap_or_default(),
                ..Default::default()
            }]),
            ..Default::default()
        };
        template.labels.insert("topic".into(), "{{topic}}".into());
        RecipeSpec {
            description: "d".into(),
            parameters: vec![
                RecipeParam { name: "topic".into(), kind: ParamType::String, ..Default::default() },
                RecipeParam {
                    name: "n".into(),
                    kind: ParamType::Integer,
                    default: Some(json!(3)),
                    ..Default::default()
                },
            ],
            template,
            source_run_id: None,
        }
    }

    #[test]
    fn a_template_renders_texts_and_typed_values() {
        let s = spec();
        assert!(validate("triage", &s).is_empty(), "{:?}", validate("triage", &s));
        let given = json!({"topic": "db"}).as_object().cloned().unwrap_or_default();
        let values = bind(&s.parameters, &given).expect("bound");
        assert_eq!(values.get("n"), Some(&json!(3)), "the default filled in");
        let run = render(&s.template, &values, 1 << 20).expect("rendered");
        assert_eq!(run.goal, "Triage db issues");
        assert_eq!(run.labels["topic"], "db");
        let t = &run.plan.as_ref().expect("plan")[0];
        assert_eq!(t.instructions, "Look at the 3 newest about db; {{not closed");
        assert_eq!(t.metadata["n"], json!(3), "a whole placeholder keeps its type");
        assert_eq!(t.metadata["say"], json!("n=3"));
    }

    #[test]
    fn parameters_are_bound_with_every_violation() {
        let s = spec();
        let given = json!({"n": "three", "bogus": 1}).as_object().cloned().unwrap_or_default();
        let v = bind(&s.parameters, &given).expect_err("refused");
        let fields: Vec<&str> = v.iter().map(|v| v.field.as_str()).collect();
        assert_eq!(fields, ["params.bogus", "params.topic", "params.n"]);
    }

    #[test]
    fn a_bad_declaration_and_an_undeclared_placeholder_are_named() {
        let mut s = spec();
        s.parameters.push(RecipeParam { name: "9x".into(), ..Default::default() });
        s.parameters.push(RecipeParam { name: "n".into(), ..Default::default() });
        s.parameters[1].default = Some(json!("x"));
        s.template.goal.push_str(" {{ghost}}");
        s.template.request_id = Some("r".into());
        let fields: Vec<String> = validate("bad name!", &s).into_iter().map(|v| v.field).collect();
        assert_eq!(
            fields,
            [
                "name",
                "parameters[1].default",
                "parameters[2].name",
                "parameters[3].name",
                "template.request_id",
                "template"
            ]
        );
    }

    #[test]
    fn rendering_is_bounded() {
        let s = spec();
        let big = "x".repeat(MAX_PARAM_VALUE - 2);
        let values = bind(&s.parameters, json!({"topic": big}).as_object().expect("object")).expect("bound");
        assert!(render(&s.template, &values, 40_000).is_err(), "three copies pass 40 KB");
        assert!(render(&s.template, &values, 1 << 20).is_ok());
    }

    #[test]
    fn values_and_declarations_are_bounded() {
        let s = spec();
        let long = json!({"topic": "x".repeat(MAX_PARAM_VALUE)});
        let v = bind(&s.parameters, long.as_object().expect("object")).expect_err("too long");
        assert_eq!(v[0].field, "params.topic");
        let mut many = spec();
        many.parameters =
            (0..=MAX_PARAMS).map(|i| RecipeParam { name: format!("p{i}"), ..Default::default() }).collect();
        assert_eq!(validate("many", &many)[0].field, "parameters");
    }

    #[test]
    fn the_schema_says_what_is_required() {
        let schema = parameters_schema(&spec().parameters);
        assert_eq!(schema["required"], json!(["topic"]));
        assert_eq!(schema["properties"]["n"], json!({"type": "integer", "default": 3}));
    }
}
