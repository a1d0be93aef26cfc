//! A task's condition (`when`): a JSONPath predicate over its dependencies'
//! outputs, checked when they are all done. A task whose condition does not
//! hold is SKIPPED with the reason instead of running; what follows is the
//! usual rule for a skipped task (an optional one releases its dependents, a
//! required one's dependents are skipped too).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::jsonpath::{nesting, outside_quotes, parse_json_path, same_json};
use super::plan::{truncate, Violation};

/// Largest expected value of a condition, as JSON bytes.
pub const MAX_CONDITION_VALUE: usize = 4 * 1024;
/// What a condition's path may not use: a condition is evaluated inside the
/// run's write transaction, over inputs of up to the output limit, so its
/// work must stay near one pass over them. A descendant segment (`..`)
/// nested in filters multiplies the passes, and `match`/`search` compile a
/// regular expression for every string they visit.
const FORBIDDEN: &[(&str, &str)] = &[
    ("..", "descendant segments (..) are not allowed in a condition; name the path from $"),
    ("match(", "match() is not allowed in a condition (it compiles a regex per value); use == or a criterion"),
    ("search(", "search() is not allowed in a condition (it compiles a regex per value); use == or a criterion"),
];

/// Deepest nesting of a condition's path. A condition is parsed again when
/// its task becomes ready, inside the run's write transaction, and the
/// parser's time doubles with each level (8 levels, the verifier's bound,
/// took about 1 ms in a test build here; 4 took 0.14 ms).
pub const MAX_CONDITION_DEPTH: usize = 4;

/// When a task runs, over its inputs: an object of its dependencies'
/// outputs by id (`$.classify.label` reads the `label` of task `classify`'s output).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Condition {
    /// A JSONPath (RFC 9535) into the inputs.
    pub path: String,
    /// When set, one of the values the path selects must equal it (numbers by
    /// value); unset, the path must select something.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equals: Option<Value>,
    /// The task runs when the condition does *not* hold instead.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub negate: bool,
}

impl Condition {
    /// Ok when the task runs on these inputs; otherwise why it is skipped.
    /// The path was validated with its plan; one that no longer parses (a
    /// stored spec) is an error too, so the task does not run unchecked.
    pub fn check(&self, inputs: &Value) -> Result<(), String> {
        let path = parse_json_path(&self.path).map_err(|e| format!("its condition's path is invalid: {e}"))?;
        let found = path.query(inputs).all();
        let shown = |v: &Value| truncate(&v.to_string(), 200);
        let (holds, what) = match (&self.equals, found.as_slice()) {
            (None, []) => (false, format!("{} selects nothing", self.path)),
            (None, [one, ..]) => (true, format!("{} is {}", self.path, shown(one))),
            (Some(want), all) if all.iter().any(|v| same_json(v, want)) => {
                (true, format!("{} is {}", self.path, shown(want)))
            }
            (Some(want), []) => (false, format!("{} selects nothing, not {}", self.path, shown(want))),
            (Some(want), [one]) => (false, format!("{} is {}, not {}", self.path, shown(one), shown(want))),
            (Some(want), many) => {
                (false, format!("{} selects {} values, none of them {}", self.path, many.len(), shown(want)))
            }
        };
        match (holds, self.negate) {
            (true, false) | (false, true) => Ok(()),
            (false, false) => Err(format!("its condition does not hold: {what}")),
            (true, true) => Err(format!("its condition (negated) does not hold: {what}")),
        }
    }
}

/// The condition of task field `field` whose task has `deps` dependencies.
pub fn validate(field: &str, c: &Condition, deps: usize, out: &mut Vec<Violation>) {
    if deps == 0 {
        out.push(Violation::new(
            field.to_string(),
            "a condition reads the task's dependencies' outputs: the task needs at least one dependency",
        ));
    }
    if c.path.trim().is_empty() {
        out.push(Violation::new(format!("{field}.path"), "a condition needs a JSONPath, e.g. $.classify.label"));
    } else {
        let bare = outside_quotes(&c.path);
        for (op, why) in FORBIDDEN {
            if bare.contains(op) {
                out.push(Violation::new(format!("{field}.path"), *why));
            }
        }
        match nesting(&c.path) {
            Ok(d) if d > MAX_CONDITION_DEPTH => out.push(Violation::new(
                format!("{field}.path"),
                format!(
                    "brackets and parentheses nest {d} deep, more than the {MAX_CONDITION_DEPTH} a condition allows"
                ),
            )),
            _ => {
                if let Err(e) = parse_json_path(&c.path) {
                    out.push(Violation::new(format!("{field}.path"), format!("invalid JSONPath: {e}")));
                }
            }
        }
    }
    if let Some(v) = &c.equals {
        let bytes = v.to_string().len();
        if bytes > MAX_CONDITION_VALUE {
            out.push(Violation::new(
                format!("{field}.equals"),
                format!("{bytes} bytes of JSON, more than the {MAX_CONDITION_VALUE} allowed"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn when(path: &str, equals: Option<Value>, negate: bool) -> Condition {
        Condition { path: path.into(), equals, negate }
    }

    #[test]
    fn a_condition_holds_when_its_path_selects_the_value_or_anything() {
        let inputs = json!({"classify": {"label": "spam", "score": 0.9, "tags": ["a", "b"]}});
        assert_eq!(when("$.classify.label", Some(json!("spam")), false).check(&inputs), Ok(()));
        assert_eq!(when("$.classify.score", Some(json!(0.90)), false).check(&inputs), Ok(()));
        assert_eq!(when("$.classify.tags[*]", Some(json!("b")), false).check(&inputs), Ok(()));
        assert_eq!(when("$[?@.score > 0.5]", None, false).check(&inputs), Ok(()));
        assert_eq!(
            when("$.classify.label", Some(json!("ham")), false).check(&inputs),
            Err("its condition does not hold: $.classify.label is \"spam\", not \"ham\"".into())
        );
        assert_eq!(
            when("$.other", None, false).check(&inputs),
            Err("its condition does not hold: $.other selects nothing".into())
        );
        assert_eq!(
            when("$.classify.tags[*]", Some(json!("c")), false).check(&inputs),
            Err("its condition does not hold: $.classify.tags[*] selects 2 values, none of them \"c\"".into())
        );
    }

    #[test]
    fn a_negated_condition_runs_the_task_when_the_predicate_is_false() {
        let inputs = json!({"classify": {"label": "ham"}});
        assert_eq!(when("$.classify.label", Some(json!("spam")), true).check(&inputs), Ok(()));
        assert_eq!(when("$.missing", None, true).check(&inputs), Ok(()));
        assert_eq!(
            when("$.classify.label", Some(json!("ham")), true).check(&inputs),
            Err("its condition (negated) does not hold: $.classify.label is \"ham\"".into())
        );
    }

    #[test]
    fn a_condition_is_validated_with_its_plan() {
        let mut v = Vec::new();
        validate("plan.tasks[1].when", &when("$.a", None, false), 1, &mut v);
        assert!(v.is_empty(), "{v:?}");
        validate("plan.tasks[1].when", &when("$[", Some(json!("x".repeat(5000))), false), 0, &mut v);
        let fields: Vec<&str> = v.iter().map(|x| x.field.as_str()).collect();
        assert_eq!(fields, ["plan.tasks[1].when", "plan.tasks[1].when.path", "plan.tasks[1].when.equals"], "{v:?}");
        let mut v = Vec::new();
        let deep = |n: usize| format!("$.a{}{}", "[?@.b".repeat(n), "]".repeat(n));
        validate("w", &when(&deep(MAX_CONDITION_DEPTH), None, false), 1, &mut v);
        assert!(v.is_empty(), "at the bound: {v:?}");
        validate("w", &when(&deep(MAX_CONDITION_DEPTH + 1), None, false), 1, &mut v);
        assert!(v[0].description.contains("nest 5 deep, more than the 4 a condition allows"), "{v:?}");
        // Work beyond one pass over the inputs is refused; a quoted name is no operator.
        let mut v = Vec::new();
        validate("w", &when("$..a", None, false), 1, &mut v);
        validate("w", &when("$[?search(@.a, 'x+')]", None, false), 1, &mut v);
        validate("w", &when("$['a..b'][?@ == 'match(']", None, false), 1, &mut v);
        let why: Vec<&str> = v.iter().map(|x| x.description.as_str()).collect();
        assert_eq!(why.len(), 2, "{why:?}");
        assert!(why[0].starts_with("descendant segments") && why[1].starts_with("search()"), "{why:?}");
        // A stored path that no longer parses does not let the task run.
        assert!(when("$[", None, true).check(&json!({})).is_err());
    }
}
