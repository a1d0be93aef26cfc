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
/// Recipe versions (of every recipe) one workspace may keep.
pub const MAX_VERSIONS_PER_WORKSPACE: usize = 10_000;
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

fn bad_param_name(field: String, name: &str) -> Violation {
    Violation::new(
        field,
        format!(
            "{:?} is not a parameter name (letters, digits and '_', not starting with a digit; at most {MAX_PARAM_NAME})",
            truncate(name, 64)
        ),
    )
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
            v.push(bad_param_name(format!("{f}.name"), &p.name));
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
    let used = used_placeholders(&spec.template);
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

/// A text field of a template: a plain string, or a JSON value that is a
/// string (which a whole placeholder may turn into a value of another type).
enum Slot<'a> {
    Text(&'a mut String),
    Json(&'a mut Value),
}

type Visit<'f> = dyn FnMut(Slot<'_>) -> Result<(), String> + 'f;

/// Every text field of a template a placeholder may be in: the goal, the
/// labels' values, the context's strings, the criteria's string parameters,
/// and of each task (child plans' too) the title, the instructions, the
/// metadata's strings and the criteria's, and a child run's goal. Ids,
/// agents and dependencies never.
fn walk(t: &mut RunSpec, f: &mut Visit<'_>) -> Result<(), String> {
    f(Slot::Text(&mut t.goal))?;
    for s in t.labels.values_mut() {
        f(Slot::Text(s))?;
    }
    for x in t.context.values_mut() {
        walk_json(x, f)?;
    }
    walk_criteria(&mut t.criteria, f)?;
    match t.plan.as_mut() {
        Some(plan) => walk_tasks(plan, f),
        None => Ok(()),
    }
}

fn walk_criteria(cs: &mut [Criterion], f: &mut Visit<'_>) -> Result<(), String> {
    for c in cs {
        for x in c.params.values_mut() {
            walk_json(x, f)?;
        }
    }
    Ok(())
}

fn walk_tasks(tasks: &mut [TaskSpec], f: &mut Visit<'_>) -> Result<(), String> {
    for t in tasks {
        f(Slot::Text(&mut t.title))?;
        f(Slot::Text(&mut t.instructions))?;
        for x in t.metadata.values_mut() {
            walk_json(x, f)?;
        }
        walk_criteria(&mut t.criteria, f)?;
        if let Some(c) = t.child.as_mut() {
            f(Slot::Text(&mut c.goal))?;
            if let Some(p) = c.plan.as_mut() {
                walk_tasks(p, f)?;
            }
        }
    }
    Ok(())
}

fn walk_json(v: &mut Value, f: &mut Visit<'_>) -> Result<(), String> {
    match v {
        Value::String(_) => f(Slot::Json(v)),
        Value::Array(a) => a.iter_mut().try_for_each(|x| walk_json(x, f)),
        Value::Object(o) => o.values_mut().try_for_each(|x| walk_json(x, f)),
        _ => Ok(()),
    }
}

/// The placeholders a template uses.
fn used_placeholders(t: &RunSpec) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    let mut t = t.clone();
    let _ = walk(&mut t, &mut |slot| {
        match slot {
            Slot::Text(s) => placeholders(s, &mut used),
            Slot::Json(Value::String(s)) => placeholders(s, &mut used),
            Slot::Json(_) => {}
        }
        Ok(())
    });
    used
}

/// Renders a template with bound parameters: each `{{name}}` in a text is
/// the value (a string as itself, any other value as its JSON); a JSON
/// string that is exactly one placeholder becomes the value itself (a
/// number stays a number). Err when the run would pass `max_bytes` of
/// rendered text.
pub fn render(template: &RunSpec, values: &Map<String, Value>, max_bytes: usize) -> Result<RunSpec, String> {
    let mut r = Renderer { values, left: max_bytes };
    let mut t = template.clone();
    walk(&mut t, &mut |slot| match slot {
        Slot::Text(s) => {
            *s = r.text(s)?;
            Ok(())
        }
        Slot::Json(v) => r.json(v),
    })?;
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

    /// A JSON string: a whole placeholder becomes its value, any other text is rendered.
    fn json(&mut self, v: &mut Value) -> Result<(), String> {
        let Value::String(s) = v else { return Ok(()) };
        let whole = s.strip_prefix("{{").and_then(|x| x.strip_suffix("}}")).map(str::trim);
        match whole.filter(|n| !n.contains("}}")).and_then(|n| self.values.get(n)) {
            Some(x) => {
                self.take(x.to_string().len())?;
                *v = x.clone();
            }
            None => *s = self.text(s)?,
        }
        Ok(())
    }
}

/// What is wrong with a literal to make a parameter, if anything.
fn literal_problem(value: &str) -> Option<String> {
    if value.is_empty() {
        Some("required: the text of the run that becomes the parameter".into())
    } else if value.len() > MAX_PARAM_VALUE {
        Some(format!("longer than {MAX_PARAM_VALUE} bytes"))
    } else if value.contains("{{") || value.contains("}}") {
        Some("may not contain \"{{\" or \"}}\"".into())
    } else {
        None
    }
}

/// The run with each literal replaced by its placeholder (the longest first
/// where two overlap, in one pass over every text), and how often each was
/// found. The run's own request id and recipe are dropped.
fn replace_literals(run: &RunSpec, given: &[ValueParam], max_growth: usize) -> Result<(RunSpec, Vec<usize>), String> {
    let mut template = run.clone();
    template.request_id = None;
    template.recipe = None;
    let mut found = vec![0usize; given.len()];
    if given.is_empty() {
        return Ok((template, found));
    }
    let finder = aho_corasick::AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostLongest)
        .build(given.iter().map(|p| p.value.as_str()))
        .map_err(|e| e.to_string())?;
    let placeholders: Vec<String> = given.iter().map(|p| format!("{{{{{}}}}}", p.name)).collect();
    // A short literal under a long name grows the text: bounded as it is built.
    let mut grown = 0usize;
    let mut replace = |s: &mut String| -> Result<(), String> {
        if finder.find(s.as_str()).is_none() {
            return Ok(());
        }
        let mut out = String::with_capacity(s.len());
        finder.replace_all_with(s, &mut out, |m, _, dst| {
            let i = m.pattern().as_usize();
            found[i] += 1;
            grown += placeholders[i].len().saturating_sub(m.len());
            dst.push_str(&placeholders[i]);
            grown <= max_growth
        });
        if grown > max_growth {
            return Err(format!(
                "the placeholders would make the recipe more than {max_growth} bytes larger than the run"
            ));
        }
        *s = out;
        Ok(())
    };
    walk(&mut template, &mut |slot| match slot {
        Slot::Text(s) => replace(s),
        Slot::Json(Value::String(s)) => replace(s),
        Slot::Json(_) => Ok(()),
    })?;
    Ok((template, found))
}

/// A literal of a run that a recipe made from it takes as a parameter.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ValueParam {
    /// The parameter's name.
    pub name: String,
    /// The text that becomes `{{name}}` wherever it occurs.
    pub value: String,
    /// What it is for.
    pub description: String,
}

/// A run's spec made a template: every occurrence of each literal in its
/// text fields (the ones a placeholder may be in) becomes `{{name}}`, the
/// longest literal first where two overlap; each parameter a string whose
/// default is its literal (so the recipe run without params is the run
/// again). Every violation at once: a literal empty, too long, with braces,
/// given twice or found nowhere. Linear in the template's text.
pub fn parameterize(
    run: &RunSpec,
    given: &[ValueParam],
    max_growth: usize,
) -> Result<(RunSpec, Vec<RecipeParam>), Vec<Violation>> {
    let mut v = Vec::new();
    if given.len() > MAX_PARAMS {
        return Err(vec![Violation::new("parameters", format!("at most {MAX_PARAMS} parameters"))]);
    }
    let (mut seen, mut names) = (BTreeSet::new(), BTreeSet::new());
    for (i, p) in given.iter().enumerate() {
        if !valid_param_name(&p.name) {
            v.push(bad_param_name(format!("parameters[{i}].name"), &p.name));
        } else if !names.insert(p.name.as_str()) {
            v.push(Violation::new(format!("parameters[{i}].name"), format!("duplicate parameter {:?}", p.name)));
        }
        if p.description.len() > MAX_DESCRIPTION {
            v.push(Violation::new(
                format!("parameters[{i}].description"),
                format!("longer than {MAX_DESCRIPTION} bytes"),
            ));
        }
        let f = format!("parameters[{i}].value");
        if let Some(why) = literal_problem(&p.value) {
            v.push(Violation::new(f, why));
        } else if !seen.insert(p.value.as_str()) {
            v.push(Violation::new(f, format!("{:?} is another parameter's value too", truncate(&p.value, 64))));
        }
    }
    if !v.is_empty() {
        return Err(v);
    }
    let (template, found) =
        replace_literals(run, given, max_growth).map_err(|e| vec![Violation::new("parameters", e)])?;
    for (i, p) in given.iter().enumerate().filter(|(i, _)| found[*i] == 0) {
        v.push(Violation::new(
            format!("parameters[{i}].value"),
            format!(
                "{:?} occurs in none of the run's texts (goal, labels, context, criteria, task titles, instructions, metadata)",
                truncate(&p.value, 64)
            ),
        ));
    }
    if !v.is_empty() {
        return Err(v);
    }
    let params = given
        .iter()
        .map(|p| RecipeParam {
            name: p.name.clone(),
            description: p.description.clone(),
            kind: ParamType::String,
            default: Some(Value::String(p.value.clone())),
        })
        .collect();
    Ok((template, params))
}

/// The prompt that asks the utility model which literals of a run to make
/// parameters: the run's distinct texts, at most `max_bytes` of them.
pub fn suggestion_prompt(run: &RunSpec, max_bytes: usize) -> String {
    let mut texts: Vec<String> = Vec::new();
    let mut seen = BTreeSet::new();
    let mut left = max_bytes;
    let mut t = run.clone();
    let _ = walk(&mut t, &mut |slot| {
        let s = match slot {
            Slot::Text(s) => s.clone(),
            Slot::Json(Value::String(s)) => s.clone(),
            Slot::Json(_) => return Ok(()),
        };
        if !s.trim().is_empty() && s.len() <= left && seen.insert(s.clone()) {
            left -= s.len();
            texts.push(s);
        }
        Ok(())
    });
    let listed: Vec<String> = texts.iter().map(|s| format!("- {}", serde_json::json!(s))).collect();
    format!(
        "These are the texts of a run that went well (its goal, labels, task titles and instructions):\n{}\n\n\
         It will become a reusable template. Which literal values in these texts would change from one use \
         to the next (a topic, a name, a date, a repository, a number of items)? Answer JSON only: \
         {{\"parameters\": [{{\"name\": \"snake_case_name\", \"value\": \"the exact text as it appears\", \
         \"description\": \"what it is\"}}]}}, at most 8, each value copied exactly from the texts. \
         Leave out what every use shares.",
        listed.join("\n")
    )
}

/// The JSON Schema of the model's answer to [`suggestion_prompt`].
pub fn suggestion_schema() -> Value {
    json!({
        "type": "object",
        "properties": {"parameters": {"type": "array", "maxItems": 8, "items": {
            "type": "object",
            "properties": {"name": {"type": "string"}, "value": {"type": "string"}, "description": {"type": "string"}},
            "required": ["name", "value"]
        }}},
        "required": ["parameters"]
    })
}

/// The model's proposals that hold, in its order: a parameter name, a
/// literal that is valid and found in the run on its own (not only inside a
/// longer one), no name or value twice, at most [`MAX_PARAMS`].
pub fn checked_suggestions(run: &RunSpec, answer: &Value, max_growth: usize) -> Vec<ValueParam> {
    let items = answer.get("parameters").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let (mut names, mut values) = (BTreeSet::new(), BTreeSet::new());
    let mut kept: Vec<ValueParam> = Vec::new();
    for item in items.iter().take(MAX_PARAMS) {
        let text = |k: &str| item.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
        let p = ValueParam { name: text("name"), value: text("value"), description: text("description") };
        if valid_param_name(&p.name)
            && literal_problem(&p.value).is_none()
            && p.description.len() <= MAX_DESCRIPTION
            && !names.contains(&p.name)
            && !values.contains(&p.value)
        {
            names.insert(p.name.clone());
            values.insert(p.value.clone());
            kept.push(p);
        }
    }
    // Dropping a literal found nowhere only lets the others match more, so
    // this settles in a pass or two.
    for _ in 0..4 {
        let Ok((_, found)) = replace_literals(run, &kept, max_growth) else { return Vec::new() };
        if found.iter().all(|n| *n > 0) {
            return kept;
        }
        kept = kept.into_iter().zip(found).filter(|(_, n)| *n > 0).map(|(p, _)| p).collect();
    }
    Vec::new()
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

    fn literal(name: &str, value: &str) -> ValueParam {
        ValueParam { name: name.into(), value: value.into(), description: String::new() }
    }

    #[test]
    fn a_run_becomes_a_template_that_renders_it_again() {
        let s = spec();
        let values = bind(&s.parameters, json!({"topic": "databases"}).as_object().expect("object")).expect("bound");
        let run = render(&s.template, &values, 1 << 20).expect("rendered");
        let given = [literal("area", "data"), literal("topic", "databases"), literal("count", "3")];
        let v = parameterize(&run, &given, 1 << 20).expect_err("data is only ever inside databases");
        assert_eq!(v[0].field, "parameters[0].value", "the longest literal wins where two overlap");
        let (template, params) = parameterize(&run, &given[1..], 1 << 20).expect("parameterized");
        assert_eq!(template.goal, "Triage {{topic}} issues");
        let t = &template.plan.as_ref().expect("plan")[0];
        assert_eq!(t.id, "t", "ids are never touched");
        assert_eq!(t.instructions, "Look at the {{count}} newest about {{topic}}; {{not closed");
        assert_eq!(params[0].default, Some(json!("databases")), "the literal is the default");
        let spec = RecipeSpec { template: template.clone(), parameters: params.clone(), ..Default::default() };
        let again = bind(&params, &Map::new()).expect("defaults");
        // "{{not closed" was in the run itself, not a placeholder.
        assert!(validate("from-run", &spec).is_empty(), "{:?}", validate("from-run", &spec));
        let rerun = render(&template, &again, 1 << 20).expect("rendered");
        assert_eq!(rerun.goal, run.goal);
        assert_eq!(
            rerun.plan.as_ref().expect("plan")[0].instructions,
            run.plan.as_ref().expect("plan")[0].instructions
        );
        let other = bind(&params, json!({"topic": "networks"}).as_object().expect("object")).expect("bound");
        assert_eq!(render(&template, &other, 1 << 20).expect("rendered").goal, "Triage networks issues");
    }

    #[test]
    fn literals_are_checked_with_every_violation() {
        let run = render(&spec().template, &json!({"topic": "db", "n": 3}).as_object().cloned().expect("o"), 1 << 20)
            .expect("rendered");
        let given =
            [literal("a", ""), literal("b", "x{{y"), literal("c", "db"), literal("d", "db"), literal("e", "absent")];
        let v = parameterize(&run, &given, 1 << 20).expect_err("refused");
        let fields: Vec<&str> = v.iter().map(|v| v.field.as_str()).collect();
        assert_eq!(fields, ["parameters[0].value", "parameters[1].value", "parameters[3].value"]);
        let v = parameterize(&run, &[literal("e", "absent")], 1 << 20).expect_err("refused");
        assert!(v[0].description.contains("occurs in none"), "{v:?}");
    }

    #[test]
    fn a_template_grows_only_so_far() {
        let run = RunSpec { goal: "a ".repeat(1000), ..Default::default() };
        let long = literal(&"n".repeat(MAX_PARAM_NAME), "a");
        let v = parameterize(&run, std::slice::from_ref(&long), 10_000).expect_err("68 bytes for each of 1000");
        assert!(v[0].description.contains("larger than the run"), "{v:?}");
        assert!(parameterize(&run, &[long], 100_000).is_ok());
    }

    #[test]
    fn only_suggestions_that_hold_are_kept() {
        let run =
            render(&spec().template, &json!({"topic": "databases", "n": 3}).as_object().cloned().expect("o"), 1 << 20)
                .expect("rendered");
        let answer = json!({"parameters": [
            {"name": "area", "value": "data"},
            {"name": "topic", "value": "databases", "description": "d"},
            {"name": "topic", "value": "newest"},
            {"name": "bad name", "value": "Look"},
            {"name": "n", "value": 3},
            {"name": "ghost", "value": "elsewhere"}
        ]});
        let kept = checked_suggestions(&run, &answer, 1 << 20);
        assert_eq!(kept.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["topic"], "{kept:?}");
        assert!(checked_suggestions(&run, &json!("nonsense"), 1 << 20).is_empty());
    }

    #[test]
    fn the_schema_says_what_is_required() {
        let schema = parameters_schema(&spec().parameters);
        assert_eq!(schema["required"], json!(["topic"]));
        assert_eq!(schema["properties"]["n"], json!({"type": "integer", "default": 3}));
    }
}
