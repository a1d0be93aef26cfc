//! JSONPath (RFC 9535) as the service evaluates it on what a caller sent:
//! a path is bounded in length and nesting before it is parsed (the parser
//! backtracks), and values compare as JSON with numbers by value. The
//! verifier's `json_path_equals` criterion and a task's `when` condition
//! share it.

use serde_json::Value;

/// Longest JSONPath accepted, in bytes.
pub const MAX_JSON_PATH: usize = 512;
/// Deepest nesting of brackets and parentheses in a JSONPath. The parser
/// backtracks: each level of nested filters doubles its time (a depth of 16
/// took a second, 1,000 overflowed the stack), so the path is bounded before
/// it is parsed.
pub const MAX_JSON_PATH_DEPTH: usize = 8;
/// JSON equality with numbers compared by value (`8.0` is `8`), in arrays
/// and objects too: a model writes numbers as it likes.
pub fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64(), x.as_u64(), y.as_u64()) {
            (Some(i), Some(j), ..) => i == j,
            (.., Some(i), Some(j)) => i == j,
            _ => x.as_f64().zip(y.as_f64()).is_some_and(|(p, q)| p == q),
        },
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_json(p, q)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

/// How deep brackets and parentheses nest in a path, outside quoted names
/// (an unclosed quote is an error).
pub fn nesting(path: &str) -> Result<usize, String> {
    let (bare, closed) = unquoted(path);
    if !closed {
        return Err("a quoted name is not closed".into());
    }
    let (mut depth, mut deepest) = (0usize, 0usize);
    for ch in bare.chars() {
        match ch {
            '[' | '(' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ']' | ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(deepest)
}

/// Parses a JSONPath after bounding its length and nesting ([`nesting`]).
pub fn parse_json_path(path: &str) -> Result<serde_json_path::JsonPath, String> {
    if path.len() > MAX_JSON_PATH {
        return Err(format!("the path is longer than {MAX_JSON_PATH} bytes"));
    }
    let deepest = nesting(path)?;
    if deepest > MAX_JSON_PATH_DEPTH {
        return Err(format!(
            "brackets and parentheses nest {deepest} deep, more than the {MAX_JSON_PATH_DEPTH} allowed"
        ));
    }
    serde_json_path::JsonPath::parse(path).map_err(|e| e.to_string())
}

/// The path with its quoted names blanked out (each quoted name becomes `''`),
/// to look for operators without mistaking a name for one.
pub fn outside_quotes(path: &str) -> String {
    unquoted(path).0
}

/// The path without its quoted names, and whether every quote was closed.
fn unquoted(path: &str) -> (String, bool) {
    let (mut out, mut quote, mut escaped) = (String::with_capacity(path.len()), None, false);
    for ch in path.chars() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if ch == '\\' {
                    escaped = true;
                } else if ch == q {
                    quote = None;
                    out.push(q);
                }
            }
            None => {
                if ch == '\'' || ch == '"' {
                    quote = Some(ch);
                }
                out.push(ch);
            }
        }
    }
    (out, quote.is_none())
}
