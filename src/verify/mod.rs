//! The verifier: checks outputs against criteria.
//!
//! Rule kinds are pure functions of the output; `llm_judge` asks a model
//! (the utility model when configured) to score the output against a rubric.
//! Criteria are checked for well-formedness (parameters, regex size, schema
//! compilation, thresholds) when a run is created and when `Verify` is called,
//! so a bad criterion is an `INVALID_ARGUMENT`, never a surprise at run time.
//!
//! The output is checked as text (a string output as is, anything else as its
//! JSON) and, for the JSON kinds, as JSON (a string output is parsed).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};

use crate::domain::{Criterion, CriterionResult, Usage, Verdict, Violation};
use crate::llm::{extract_json, CallOptions, LlmClient, Message};

/// A parameter of a criterion kind: name, JSON type, required, meaning.
pub type Param = (&'static str, &'static str, bool, &'static str);

/// A criterion kind.
pub struct Kind {
    /// Its name.
    pub name: &'static str,
    /// What it checks.
    pub description: &'static str,
    /// Its parameters.
    pub params: &'static [Param],
    /// Whether it calls a model.
    pub uses_llm: bool,
}

/// Longest regex pattern accepted, in bytes.
const MAX_PATTERN: usize = 1_000;
/// Compiled size limit of a regex (guards against patterns that blow up).
const REGEX_SIZE_LIMIT: usize = 256 * 1024;
/// Cache of the regex's lazy DFA: larger than the crate's default, so that a
/// pattern with many states stays on the fast engine longer.
const REGEX_DFA_LIMIT: usize = 4 << 20;
/// Longest text a regex criterion reads, in bytes. A match costs up to the
/// pattern's states times the text's length; this and the size limit bound it
/// (the worst pattern measured takes about a second here).
pub const MAX_REGEX_INPUT: usize = 256 * 1024;
use crate::domain::jsonpath::parse_json_path;
pub use crate::domain::jsonpath::{same_json, MAX_JSON_PATH, MAX_JSON_PATH_DEPTH};
/// Most time the rule criteria of one verification take together; those not
/// evaluated by then fail with that reason.
pub const RULES_DEADLINE: Duration = Duration::from_secs(5);
/// Rule evaluations running at once in the process. They run on blocking
/// threads, off the async runtime; a slot is held until its thread is done
/// (past the deadline, until the criterion in hand ends), so hostile criteria
/// occupy at most this many threads.
const RULE_SLOTS: usize = 2;
static RULE_SLOTS_FREE: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(RULE_SLOTS);

/// Every kind the verifier knows.
pub const KINDS: &[Kind] = &[
    Kind { name: "not_empty", description: "The output is not empty (text with non-space characters, or a non-empty JSON value).", params: &[], uses_llm: false },
    Kind { name: "contains", description: "The output's text contains a substring.", params: &[("value", "string", true, "the substring"), ("case_sensitive", "boolean", false, "default true")], uses_llm: false },
    Kind { name: "not_contains", description: "The output's text does not contain a substring.", params: &[("value", "string", true, "the substring"), ("case_sensitive", "boolean", false, "default true")], uses_llm: false },
    Kind { name: "regex", description: "The output's text matches a regular expression (Rust regex syntax; at most 1000 bytes; linear time).", params: &[("pattern", "string", true, "the expression"), ("full_match", "boolean", false, "anchor at both ends (default false: a match anywhere)")], uses_llm: false },
    Kind { name: "json_valid", description: "The output is JSON (a string output must parse as JSON).", params: &[], uses_llm: false },
    Kind { name: "json_schema", description: "The output is JSON valid against a JSON Schema (draft 2020-12; no remote $ref; patterns in linear-time regex syntax, without lookaround or backreferences).", params: &[("schema", "object", true, "the schema")], uses_llm: false },
    Kind { name: "json_path_equals", description: "A JSONPath (RFC 9535) into the output selects exactly one value, equal to the expected one.", params: &[("path", "string", true, "e.g. $.result.status"), ("value", "any", true, "the expected value")], uses_llm: false },
    Kind { name: "min_length", description: "The output's text has at least this many characters.", params: &[("value", "integer", true, "characters")], uses_llm: false },
    Kind { name: "max_length", description: "The output's text has at most this many characters.", params: &[("value", "integer", true, "characters")], uses_llm: false },
    Kind { name: "one_of", description: "The output equals one of the values (strings are compared trimmed).", params: &[("values", "array", true, "the allowed values")], uses_llm: false },
    Kind { name: "llm_judge", description: "A model scores the output against a rubric; it passes at or above the threshold. Skipped (and recorded as skipped) when the run is degraded.", params: &[("rubric", "string", true, "what a good output is"), ("threshold", "number", false, "pass mark in [0, 1], default 0.7")], uses_llm: true },
];

fn text_of(output: &Value) -> String {
    match output {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn json_of(output: &Value) -> Option<Value> {
    match output {
        Value::String(s) => serde_json::from_str(s).ok(),
        other => Some(other.clone()),
    }
}

/// The JSON a text output contains: all of it, or the first object or array
/// in it ("JSON: {…}", a fenced block): what `json_schema` and
/// `json_path_equals` check. `json_valid` stays strict.
fn json_in(output: &Value) -> Option<Value> {
    json_of(output).or_else(|| match output {
        Value::String(s) => extract_json(s).filter(|v| v.is_object() || v.is_array()),
        _ => None,
    })
}

fn build_regex(pattern: &str, full: bool) -> Result<regex::Regex, String> {
    if pattern.len() > MAX_PATTERN {
        return Err(format!("the pattern is longer than {MAX_PATTERN} bytes"));
    }
    let p = if full { format!("^(?:{pattern})$") } else { pattern.to_string() };
    regex::RegexBuilder::new(&p)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_DFA_LIMIT)
        .nest_limit(64)
        .build()
        // The regex crate draws the pattern over several lines; one line reads better in a status.
        .map_err(|e| e.to_string().split_whitespace().collect::<Vec<_>>().join(" "))
}

fn compile_schema(schema: &Value) -> Result<jsonschema::Validator, String> {
    // `pattern` and `patternProperties` use the linear-time engine with the same
    // limits as a regex criterion: the default (fancy-regex) backtracks.
    let patterns = jsonschema::PatternOptions::regex().size_limit(REGEX_SIZE_LIMIT).dfa_size_limit(REGEX_DFA_LIMIT);
    jsonschema::draft202012::options().with_pattern_options(patterns).build(schema).map_err(|e| e.to_string())
}

/// Checks criteria for well-formedness; violations name `field[i].params.x`.
pub fn check(field: &str, criteria: &[Criterion], judge_available: bool) -> Vec<Violation> {
    let mut v = Vec::new();
    for (i, c) in criteria.iter().enumerate() {
        let at = |p: &str| format!("{field}[{i}].params.{p}");
        let Some(kind) = KINDS.iter().find(|k| k.name == c.kind) else {
            v.push(Violation::new(
                format!("{field}[{i}].kind"),
                format!("unknown criterion kind {:?}", crate::domain::plan::truncate(&c.kind, 64)),
            ));
            continue;
        };
        for (name, ty, required, _) in kind.params {
            match c.params.get(*name) {
                None if *required => v.push(Violation::new(at(name), format!("required for {}", kind.name))),
                None => {}
                Some(val) => {
                    let ok = match *ty {
                        "string" => val.is_string(),
                        "boolean" => val.is_boolean(),
                        "integer" => val.as_u64().is_some(),
                        "number" => val.is_number(),
                        "object" => val.is_object() || val.is_boolean(),
                        "array" => val.is_array(),
                        _ => true,
                    };
                    if !ok {
                        v.push(Violation::new(at(name), format!("must be of type {ty}")));
                    }
                }
            }
        }
        for key in c.params.keys() {
            if !kind.params.iter().any(|(n, ..)| n == key) {
                v.push(Violation::new(at(key), format!("{} takes no parameter {key:?}", kind.name)));
            }
        }
        match kind.name {
            "regex" => {
                if let Some(p) = c.params.get("pattern").and_then(Value::as_str) {
                    if let Err(e) = build_regex(p, false) {
                        v.push(Violation::new(
                            at("pattern"),
                            format!("invalid regex: {}", crate::domain::plan::truncate(&e, 300)),
                        ));
                    }
                }
            }
            "json_schema" => {
                if let Some(s) = c.params.get("schema") {
                    if let Err(e) = compile_schema(s) {
                        v.push(Violation::new(
                            at("schema"),
                            format!("invalid JSON Schema: {}", crate::domain::plan::truncate(&e, 300)),
                        ));
                    }
                }
            }
            "json_path_equals" => {
                if let Some(p) = c.params.get("path").and_then(Value::as_str) {
                    if let Err(e) = parse_json_path(p) {
                        v.push(Violation::new(at("path"), format!("invalid JSONPath: {e}")));
                    }
                }
            }
            "llm_judge" => {
                if let Some(t) = c.params.get("threshold").and_then(Value::as_f64) {
                    if !(0.0..=1.0).contains(&t) {
                        v.push(Violation::new(at("threshold"), "must be within [0, 1]"));
                    }
                }
                if !judge_available {
                    v.push(Violation::new(
                        format!("{field}[{i}].kind"),
                        "llm_judge needs a model (models.main or models.utility in the policy file)",
                    ));
                }
            }
            _ => {}
        }
    }
    v
}

fn result(c: &Criterion, passed: bool, reason: String) -> CriterionResult {
    CriterionResult {
        criterion_id: c.id.clone(),
        kind: c.kind.clone(),
        passed,
        score: if passed { 1.0 } else { 0.0 },
        reason,
        advisory: c.advisory,
        skipped: false,
        error: false,
    }
}

/// Evaluates one rule criterion (not `llm_judge`); assumes it passed [`check`].
pub fn evaluate_rule(output: &Value, c: &Criterion) -> CriterionResult {
    let p = &c.params;
    let s = |k: &str| p.get(k).and_then(Value::as_str).unwrap_or("");
    let text = text_of(output);
    match c.kind.as_str() {
        "not_empty" => {
            let ok = match output {
                Value::Null => false,
                Value::String(s) => !s.trim().is_empty(),
                Value::Array(a) => !a.is_empty(),
                Value::Object(o) => !o.is_empty(),
                _ => true,
            };
            result(c, ok, if ok { "the output is not empty".into() } else { "the output is empty".into() })
        }
        "contains" | "not_contains" => {
            let needle = s("value");
            let sensitive = p.get("case_sensitive").and_then(Value::as_bool).unwrap_or(true);
            let found =
                if sensitive { text.contains(needle) } else { text.to_lowercase().contains(&needle.to_lowercase()) };
            let want = c.kind == "contains";
            let reason = match (found, want) {
                (true, true) => format!("the output contains {needle:?}"),
                (false, true) => format!("the output does not contain {needle:?}"),
                (true, false) => format!("the output must not contain {needle:?}, but it does"),
                (false, false) => format!("the output does not contain {needle:?}"),
            };
            result(c, found == want, reason)
        }
        "regex" => match build_regex(s("pattern"), p.get("full_match").and_then(Value::as_bool).unwrap_or(false)) {
            Ok(_) if text.len() > MAX_REGEX_INPUT => result(
                c,
                false,
                format!(
                    "the output's text has {} bytes, more than the {MAX_REGEX_INPUT} a regex criterion reads",
                    text.len()
                ),
            ),
            Ok(re) => {
                let ok = re.is_match(&text);
                result(
                    c,
                    ok,
                    if ok {
                        format!("the output matches /{}/", s("pattern"))
                    } else {
                        format!("the output does not match /{}/", s("pattern"))
                    },
                )
            }
            Err(e) => result(c, false, format!("invalid regex: {e}")),
        },
        "json_valid" => match json_of(output) {
            Some(_) => result(c, true, "the output is valid JSON".into()),
            None => result(c, false, "the output is not valid JSON".into()),
        },
        "json_schema" => {
            let Some(doc) = json_in(output) else { return result(c, false, "the output is not JSON".into()) };
            match compile_schema(p.get("schema").unwrap_or(&Value::Bool(true))) {
                Ok(validator) => {
                    let errors: Vec<String> = validator
                        .iter_errors(&doc)
                        .take(5)
                        .map(|e| format!("{} at {}", e, e.instance_path()))
                        .collect();
                    if errors.is_empty() {
                        result(c, true, "the output is valid against the schema".into())
                    } else {
                        result(c, false, format!("the output does not match the schema: {}", errors.join("; ")))
                    }
                }
                Err(e) => result(c, false, format!("invalid schema: {e}")),
            }
        }
        "json_path_equals" => {
            let Some(doc) = json_in(output) else { return result(c, false, "the output is not JSON".into()) };
            let expected = p.get("value").cloned().unwrap_or(Value::Null);
            match parse_json_path(s("path")) {
                Ok(path) => {
                    let found = path.query(&doc).all();
                    match found.as_slice() {
                        [one] if same_json(one, &expected) => result(c, true, format!("{} is {expected}", s("path"))),
                        [one] => result(c, false, format!("{} is {one}, expected {expected}", s("path"))),
                        [] => result(c, false, format!("{} selects nothing", s("path"))),
                        many => result(c, false, format!("{} selects {} values, expected one", s("path"), many.len())),
                    }
                }
                Err(e) => result(c, false, format!("invalid JSONPath: {e}")),
            }
        }
        "min_length" | "max_length" => {
            let n = text.chars().count() as u64;
            let limit = p.get("value").and_then(Value::as_u64).unwrap_or(0);
            let reason = match (c.kind == "min_length", n) {
                (true, n) if n >= limit => format!("the output has {n} characters, at least the {limit} required"),
                (true, n) => format!("the output has {n} characters, fewer than the {limit} required"),
                (false, n) if n <= limit => format!("the output has {n} characters, within the {limit} allowed"),
                (false, n) => format!("the output has {n} characters, more than the {limit} allowed"),
            };
            let ok = if c.kind == "min_length" { n >= limit } else { n <= limit };
            result(c, ok, reason)
        }
        "one_of" => {
            let values = p.get("values").and_then(Value::as_array).cloned().unwrap_or_default();
            let ok = values.iter().any(|v| match (v, output) {
                (Value::String(a), Value::String(b)) => a.trim() == b.trim(),
                (a, b) => same_json(a, b),
            });
            result(
                c,
                ok,
                if ok {
                    "the output is one of the allowed values".into()
                } else {
                    format!(
                        "the output {} is not one of {}",
                        crate::domain::plan::truncate(&text, 100),
                        Value::Array(values)
                    )
                },
            )
        }
        other => result(c, false, format!("{other} is not a rule criterion")),
    }
}

/// Tries of a judge whose answer could not be read (or whose call failed)
/// before the criterion is recorded as an error of the verifier.
const JUDGE_TRIES: u32 = 2;
/// Longest reasons a judge may write (bounded in the schema: reasons come
/// after the score, so a cut answer still has its score).
const JUDGE_MAX_REASONS: u32 = 300;

/// A judge's score, on the scale it was given on, as a score in [0, 1]: a
/// score above 1 is read as out of 10 (up to 10) or out of 100 (up to 100),
/// a negative one as 0; a score as text ("0.8", "8/10", "80%") is read too.
pub fn judge_score(v: &Value) -> Option<(f64, Option<&'static str>)> {
    let raw = match v {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => {
            let s = s.trim();
            if let Some((a, b)) = s.split_once('/') {
                let (a, b): (f64, f64) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
                return (b > 0.0 && a.is_finite() && b.is_finite()).then(|| ((a / b).clamp(0.0, 1.0), None));
            }
            if let Some(p) = s.strip_suffix('%') {
                let p: f64 = p.trim().parse().ok()?;
                return p.is_finite().then(|| ((p / 100.0).clamp(0.0, 1.0), None));
            }
            s.parse().ok()?
        }
        _ => return None,
    };
    match raw {
        r if !r.is_finite() => None,
        r if r < 0.0 => Some((0.0, Some("a negative score, read as 0"))),
        r if r <= 1.0 => Some((r, None)),
        r if r <= 10.0 => Some((r / 10.0, Some("a score out of 10"))),
        r if r <= 100.0 => Some((r / 100.0, Some("a score out of 100"))),
        _ => None,
    }
}

/// The score (and reasons) of a judge's answer: its JSON, or, when the
/// answer was cut before its JSON ended, the `"score": N` it starts with.
fn read_judgement(text: &str) -> Option<(f64, Option<&'static str>, String)> {
    if let Some(v) = extract_json(text) {
        let reasons = v.get("reasons").or_else(|| v.get("reason")).and_then(Value::as_str).unwrap_or("").to_string();
        let (score, scale) = judge_score(v.get("score")?)?;
        return Some((score, scale, reasons));
    }
    let after = &text[text.find("\"score\"")? + "\"score\"".len()..];
    let number: String = after
        .trim_start()
        .strip_prefix(':')?
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | 'e' | 'E' | '+'))
        .collect();
    let (score, scale) = judge_score(&serde_json::from_str::<Value>(&number).ok()?)?;
    Some((score, scale, "(the judge's answer was cut before its reasons)".to_string()))
}

/// Asks a model to judge an output against a rubric; (result, usage). A
/// judge that cannot be asked, or whose answer has no score, is asked again;
/// then the result is an error of the verifier (`error`), not a failure of
/// the output.
async fn judge(output: &Value, c: &Criterion, model: &LlmClient) -> (CriterionResult, Usage) {
    let rubric = c.params.get("rubric").and_then(Value::as_str).unwrap_or("");
    let threshold = c.params.get("threshold").and_then(Value::as_f64).unwrap_or(0.7);
    // Score first: the grammar a local server makes of this writes keys in order.
    let schema = json!({
        "type": "object",
        "properties": {
            "score": { "type": "number", "minimum": 0, "maximum": 1 },
            "reasons": { "type": "string", "maxLength": JUDGE_MAX_REASONS }
        },
        "required": ["score", "reasons"],
        "additionalProperties": false
    });
    let messages = [
        Message::system("You are a strict reviewer. Score how well the output satisfies the rubric, from 0 (not at all) to 1 (fully), then give your reasons in one sentence. Answer with JSON only: {\"score\": number from 0 to 1, \"reasons\": string}."),
        Message::user(format!("Rubric:\n{rubric}\n\nOutput to judge:\n{}", crate::domain::plan::truncate(&text_of(output), 20_000))),
    ];
    let mut usage = Usage::default();
    let mut last_problem = String::new();
    for _ in 0..JUDGE_TRIES {
        let options = CallOptions { max_tokens: Some(JUDGE_MAX_REASONS / 2 + 40), deadline: None };
        match model.chat_with(&messages, Some(&schema), options).await {
            Ok(answer) => {
                usage = usage.plus(&answer.usage);
                match read_judgement(&answer.content) {
                    Some((score, scale, reasons)) => {
                        let scale = scale.map(|s| format!(", {s}")).unwrap_or_default();
                        let r = CriterionResult {
                            passed: score >= threshold,
                            score,
                            reason: format!(
                                "judge scored {score:.2}{scale} (pass mark {threshold:.2}): {}",
                                crate::domain::plan::truncate(&reasons, JUDGE_MAX_REASONS as usize)
                            ),
                            ..result(c, false, String::new())
                        };
                        return (r, usage);
                    }
                    None => {
                        last_problem = format!(
                            "the judge's answer had no score: {}",
                            crate::domain::plan::truncate(&answer.content, 200)
                        )
                    }
                }
            }
            Err(e) => last_problem = format!("the judge could not be asked: {e}"),
        }
    }
    let r = CriterionResult { error: true, ..result(c, false, format!("verifier error: {last_problem}")) };
    (r, usage)
}

/// Verifies an output; `skip_judges` records `llm_judge` criteria as skipped (degraded runs).
pub async fn verify(
    output: &Value,
    criteria: &[Criterion],
    judge_model: Option<&LlmClient>,
    skip_judges: bool,
) -> (Verdict, Usage) {
    match verify_within(output, criteria, judge_model, skip_judges, None).await {
        Ok(v) => v,
        // Without a slot wait there is no giving up; should it happen all the same,
        // the rules are reported as not evaluated.
        Err(Busy) => verify_unevaluated(criteria),
    }
}

fn verify_unevaluated(criteria: &[Criterion]) -> (Verdict, Usage) {
    let results = criteria.iter().map(|c| result(c, false, "not evaluated: the verifier was busy".into())).collect();
    (Verdict::of(results), Usage::default())
}

/// [`verify`], giving up with [`Busy`] when no evaluation slot frees up within
/// `slot_wait` (the Verify RPC: its caller can retry).
pub async fn verify_within(
    output: &Value,
    criteria: &[Criterion],
    judge_model: Option<&LlmClient>,
    skip_judges: bool,
    slot_wait: Option<Duration>,
) -> Result<(Verdict, Usage), Busy> {
    let rules: Vec<Criterion> = criteria.iter().filter(|c| c.kind != "llm_judge").cloned().collect();
    let mut ruled = evaluate_rules(output, rules, slot_wait).await?.into_iter();
    let mut results = Vec::with_capacity(criteria.len());
    let mut usage = Usage::default();
    for c in criteria {
        if c.kind != "llm_judge" {
            // One result per rule, in order; a missing one is a bug, reported as a failure.
            results.push(ruled.next().unwrap_or_else(|| result(c, false, "not evaluated".into())));
            continue;
        }
        match (skip_judges, judge_model) {
            (true, _) => results.push(CriterionResult {
                skipped: true,
                passed: true,
                score: 0.0,
                ..result(c, true, "skipped: the run is degraded after exhausting its budget".into())
            }),
            (false, None) => results.push(CriterionResult {
                error: true,
                ..result(c, false, "verifier error: no judge model is configured".into())
            }),
            (false, Some(m)) => {
                let (r, u) = judge(output, c, m).await;
                usage = usage.plus(&u);
                results.push(CriterionResult { reason: bounded_reason(r.reason.clone()), ..r });
            }
        }
    }
    Ok((Verdict::of(results), usage))
}

/// The process's rule-evaluation slots were all taken for longer than the
/// caller would wait (only with a `slot_wait`): retry later.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy;

/// Sets the stop flag when the evaluation is abandoned (deadline or caller gone).
struct StopOnDrop(Arc<AtomicBool>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Evaluates rule criteria on a blocking thread, never on the async runtime;
/// one result per criterion, in order. The wait for a slot is the process's
/// load, not the criteria's fault, so it is not counted against them: without
/// `slot_wait` it waits its turn (slots are handed out first come, first
/// served); with one, it gives up after it ([`Busy`]). Once evaluating, the
/// criteria get [`RULES_DEADLINE`] together.
pub async fn evaluate_rules(
    output: &Value,
    rules: Vec<Criterion>,
    slot_wait: Option<Duration>,
) -> Result<Vec<CriterionResult>, Busy> {
    if rules.is_empty() {
        return Ok(Vec::new());
    }
    let slot = match slot_wait {
        Some(wait) => match tokio::time::timeout(wait, RULE_SLOTS_FREE.acquire()).await {
            Ok(Ok(slot)) => slot,
            _ => return Err(Busy),
        },
        None => RULE_SLOTS_FREE.acquire().await.map_err(|_| Busy)?,
    };
    let started = std::time::Instant::now();
    let deadline = tokio::time::Instant::from_std(started + RULES_DEADLINE);
    let stop = StopOnDrop(Arc::new(AtomicBool::new(false)));
    let (output, work, stop_seen) = (output.clone(), rules.clone(), stop.0.clone());
    let job = tokio::task::spawn_blocking(move || {
        let _slot = slot;
        let mut done = Vec::with_capacity(work.len());
        for c in &work {
            if stop_seen.load(Ordering::Relaxed) || started.elapsed() >= RULES_DEADLINE {
                break;
            }
            done.push(evaluate_rule(&output, c));
        }
        done
    });
    let (mut done, why) = match tokio::time::timeout_at(deadline, job).await {
        Ok(Ok(done)) => (done, format!("not evaluated: the criteria took longer than {} s", RULES_DEADLINE.as_secs())),
        Ok(Err(e)) => {
            tracing::error!(error = %e, "rule evaluation panicked");
            (Vec::new(), "not evaluated: the evaluation failed".to_string())
        }
        Err(_) => (Vec::new(), format!("not evaluated: the criteria took longer than {} s", RULES_DEADLINE.as_secs())),
    };
    drop(stop);
    for c in &rules[done.len()..] {
        done.push(result(c, false, why.clone()));
    }
    for r in &mut done {
        r.reason = bounded_reason(std::mem::take(&mut r.reason));
    }
    Ok(done)
}

/// Longest reason kept for a criterion's result (a schema error quotes the
/// output it judged; the reason is stored, evented and fed back).
pub const MAX_REASON: usize = 1_000;

fn bounded_reason(reason: String) -> String {
    if reason.len() <= MAX_REASON {
        return reason;
    }
    format!("{}…", crate::domain::plan::truncate(&reason, MAX_REASON))
}

#[cfg(test)]
mod tests;
