//! `WORKFLOW.md`: the server's policy as code.
//!
//! A `WORKFLOW.md` is YAML front matter between two `---` lines (the policy:
//! agents, models, budgets, retries, tools, hooks, limits, retention) and a
//! Markdown body, the planner's prompt template (`{{goal}}`, `{{agents}}`,
//! `{{criteria}}`, `{{max_tasks}}`). Any other file is read as plain YAML
//! (the policy file of earlier versions), with no body.
//!
//! Every error names the file, the line and column in that file (the front
//! matter's lines are offset by the opening `---`), and the field path, e.g.
//! `WORKFLOW.md:14:5: agents[1].concurrency: invalid type: …`. Type errors
//! get their path from `serde_path_to_error`; semantic errors (duplicate
//! agents, a model that is not configured, …) are located by walking the
//! YAML again to the offending node, so they point at a line too.

use std::fmt;
use std::path::Path;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use sha2::{Digest, Sha256};

use super::{ExecutorKind, ModelRole, Period, Policy};

/// Variables the planner's prompt template may use.
pub const TEMPLATE_VARIABLES: &[&str] = &["goal", "agents", "criteria", "max_tasks"];

/// One problem in a policy file, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    /// The file as given (for messages).
    pub file: String,
    /// 1-based line in the file, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// The field path, e.g. `agents[1].concurrency` (empty: the whole file).
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
            if let Some(c) = self.column {
                write!(f, ":{c}")?;
            }
        }
        if !self.field.is_empty() {
            write!(f, ": {}", self.field)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Every problem found in a policy file (at least one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyErrors(pub Vec<PolicyError>);

impl fmt::Display for PolicyErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&lines.join("\n"))
    }
}

impl std::error::Error for PolicyErrors {}

/// How a policy file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// YAML front matter between `---` lines, then the planner's prompt template.
    Workflow,
    /// Plain YAML (no body).
    Yaml,
}

impl Format {
    /// `*.md` and `*.markdown` are WORKFLOW.md files; anything else is plain YAML.
    pub fn of(path: &Path) -> Format {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("md" | "markdown") => Format::Workflow,
            _ => Format::Yaml,
        }
    }
}

/// A policy read from a file, with the digest of the text it came from.
#[derive(Debug, Clone)]
pub struct LoadedPolicy {
    /// The policy.
    pub policy: Policy,
    /// SHA-256 of the file's bytes (the watcher compares it to see a change).
    pub digest: String,
}

/// SHA-256 of a file's bytes, hex.
pub fn digest(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Reads and checks a policy file; Err(errors with lines and fields).
pub fn load(path: &Path) -> Result<LoadedPolicy, PolicyErrors> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| {
        PolicyErrors(vec![PolicyError {
            file: name.clone(),
            line: None,
            column: None,
            field: String::new(),
            message: format!("cannot read the file: {e}"),
        }])
    })?;
    let text = String::from_utf8(bytes.clone()).map_err(|e| {
        PolicyErrors(vec![PolicyError {
            file: name.clone(),
            line: None,
            column: None,
            field: String::new(),
            message: format!("not UTF-8: {e}"),
        }])
    })?;
    let policy = parse_file(path, &text)?;
    Ok(LoadedPolicy { policy, digest: digest(&bytes) })
}

/// Parses the text of the policy file at `path` and anchors its commands to
/// the file's directory (see [`Policy::base_dir`]).
pub fn parse_file(path: &Path, text: &str) -> Result<Policy, PolicyErrors> {
    let mut policy = parse(&path.display().to_string(), text, Format::of(path))?;
    let file = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
    let anchor = |argv: &mut Vec<String>| {
        if let Some(program) = argv.first_mut() {
            // A bare name is looked up in PATH, as a shell would; a path is the file's.
            if program.contains('/') && Path::new(program.as_str()).is_relative() {
                *program = dir.join(program.as_str()).display().to_string();
            }
        }
    };
    for a in &mut policy.agents {
        anchor(&mut a.command);
    }
    anchor(&mut policy.hooks.before_task);
    anchor(&mut policy.hooks.after_task);
    policy.base_dir = Some(dir);
    Ok(policy)
}

/// Programs of `command` agents and hooks that cannot be found, as
/// (field, message, fatal): a missing program is an error; an argument that
/// looks like a relative path but names no file is a warning (it is resolved
/// in the policy file's directory, where the command runs).
pub fn program_problems(policy: &Policy) -> Vec<(String, String, bool)> {
    let dir = policy.base_dir.clone().unwrap_or_else(|| std::env::current_dir().unwrap_or_default());
    let mut out = Vec::new();
    let mut check = |field: String, argv: &[String]| {
        let Some((program, args)) = argv.split_first() else { return };
        if find_program(program, &dir).is_none() {
            let place = if program.contains('/') {
                format!("no executable file {program}")
            } else {
                format!("no program {program:?} in PATH")
            };
            out.push((format!("{field}[0]"), place, true));
        }
        for (i, arg) in args.iter().enumerate() {
            let pathlike = arg.contains('/') && !arg.starts_with('-') && !arg.contains("://") && !arg.contains('=');
            if pathlike && !dir.join(arg).exists() {
                out.push((
                    format!("{field}[{}]", i + 1),
                    format!("no file {} (relative paths are taken from {})", arg, dir.display()),
                    false,
                ));
            }
        }
    };
    for (i, a) in policy.agents.iter().enumerate() {
        if a.executor == ExecutorKind::Command {
            check(format!("agents[{i}].command"), &a.command);
        }
    }
    check("hooks.before_task".into(), &policy.hooks.before_task);
    check("hooks.after_task".into(), &policy.hooks.after_task);
    out
}

/// Where a program would be found: a path (relative to `dir`), or a bare name in PATH.
fn find_program(program: &str, dir: &Path) -> Option<std::path::PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let executable =
        |p: &Path| std::fs::metadata(p).map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0).unwrap_or(false);
    if program.contains('/') {
        let p = dir.join(program);
        return executable(&p).then_some(p);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join(program)).find(|p| executable(p))
}

/// A short description of a policy (for `orchestrator policy check`).
pub fn summary(p: &Policy) -> String {
    let mut out = String::new();
    let agents: Vec<String> = p
        .agents
        .iter()
        .map(|a| {
            let exec = a.executor.as_str();
            match a.concurrency {
                Some(n) => format!("{} ({exec}, concurrency {n})", a.name),
                None => format!("{} ({exec})", a.name),
            }
        })
        .collect();
    out.push_str(&format!(
        "agents: {}\n",
        if agents.is_empty() { "none declared (any out-of-process agent)".into() } else { agents.join(", ") }
    ));
    let mut models: Vec<String> = [("main", &p.models.main), ("utility", &p.models.utility)]
        .into_iter()
        .filter_map(|(role, m)| m.as_ref().map(|m| format!("{role}={}", m.model)))
        .collect();
    if let Some(c) = &p.models.cascade {
        let names: Vec<&str> = c.models.iter().map(|m| m.model.as_str()).collect();
        models.push(format!("cascade={}", names.join(" → ")));
    }
    out.push_str(&format!("models: {}\n", if models.is_empty() { "none".into() } else { models.join(", ") }));
    out.push_str(&format!(
        "planner prompt: {}\n",
        if p.planner.prompt.is_some() { "custom template" } else { "built-in" }
    ));
    let retention = match &p.retention {
        None => "keep forever".to_string(),
        Some(r) => {
            let show = |x: &Period| match x {
                Period::Forever => "forever".to_string(),
                Period::After(d) => short_duration(*d),
            };
            let mut text = format!("{} by default", r.default.as_ref().map(show).unwrap_or("forever".into()));
            for (w, x) in &r.workspaces {
                text.push_str(&format!("; workspace {w}: {}", show(x)));
            }
            text
        }
    };
    out.push_str(&format!("retention: {retention}\n"));
    if !p.recipes.is_empty() {
        let recipes: Vec<String> =
            p.recipes.iter().map(|r| format!("{} (in {})", r.name, r.workspaces().join(", "))).collect();
        out.push_str(&format!("recipes: {}\n", recipes.join(", ")));
    }
    out
}

/// "30d", "12h", "90m" or "45s": the largest unit that divides the duration.
fn short_duration(d: std::time::Duration) -> String {
    let s = d.as_secs();
    for (unit, n) in [("d", 86_400), ("h", 3_600), ("m", 60)] {
        if s > 0 && s.is_multiple_of(n) {
            return format!("{}{unit}", s / n);
        }
    }
    if d.subsec_nanos() == 0 {
        format!("{s}s")
    } else {
        humantime::format_duration(d).to_string()
    }
}

/// The parts of a WORKFLOW.md.
struct Parts<'a> {
    front: &'a str,
    /// Lines of the file before the front matter's first line.
    front_offset: usize,
    body: &'a str,
    /// Lines of the file before the body's first line.
    body_offset: usize,
}

fn split(text: &str) -> Result<Parts<'_>, (usize, String)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut pos = 0;
    let mut open = None;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let end = pos + line.len();
        let bare = line.trim_end_matches(['\n', '\r']).trim_end();
        match open {
            None => {
                if bare != "---" {
                    return Err((
                        i + 1,
                        "a WORKFLOW.md starts with YAML front matter: a line `---`, the policy, and a closing `---`"
                            .into(),
                    ));
                }
                open = Some(end);
            }
            Some(start) if bare == "---" => {
                return Ok(Parts { front: &text[start..pos], front_offset: 1, body: &text[end..], body_offset: i + 1 });
            }
            Some(_) => {}
        }
        pos = end;
    }
    Err((1, "the front matter is not closed by a `---` line".into()))
}

/// Parses and checks policy text. `file` names it in errors.
pub fn parse(file: &str, text: &str, format: Format) -> Result<Policy, PolicyErrors> {
    let err = |line: Option<usize>, column: Option<usize>, field: &str, message: String| PolicyError {
        file: file.to_string(),
        line,
        column,
        field: field.to_string(),
        message,
    };
    let (front, front_offset, body, body_offset) = match format {
        Format::Yaml => (text, 0, "", 0),
        Format::Workflow => match split(text) {
            Ok(p) => (p.front, p.front_offset, p.body, p.body_offset),
            Err((line, message)) => return Err(PolicyErrors(vec![err(Some(line), None, "", message)])),
        },
    };
    let typed = |front: &str, front_offset: usize| -> Result<Policy, PolicyError> {
        if front.trim().is_empty() {
            return Ok(Policy::default());
        }
        let de = serde_yaml_ng::Deserializer::from_str(front);
        serde_path_to_error::deserialize(de).map_err(|e| {
            let mut path = e.path().to_string();
            let inner = e.into_inner();
            let loc = inner.location();
            let mut message = clean_message(&inner.to_string(), front_offset);
            // serde_yaml prefixes its own path (sometimes the parent's): the caller shows ours.
            if let Some((token, rest)) = message.split_once(": ") {
                if !token.is_empty() && !token.contains(char::is_whitespace) && path.starts_with(token) {
                    message = rest.to_string();
                }
            }
            // An unknown key: name it in the path, not only in the message.
            if let Some(key) = message.strip_prefix("unknown field `").and_then(|m| m.split('`').next()) {
                if path == "." || path.is_empty() {
                    path = key.to_string();
                } else if !path.ends_with(key) {
                    path = format!("{path}.{key}");
                }
            }
            if path == "." {
                path.clear();
            }
            err(loc.as_ref().map(|l| l.line() + front_offset), loc.as_ref().map(|l| l.column()), &path, message)
        })
    };
    // A type error stops serde at the first one; so that a file with several is
    // fixed in one pass, each top-level section is then read on its own.
    let mut policy = match typed(front, front_offset) {
        Ok(p) => p,
        Err(first) => {
            let mut errors: Vec<PolicyError> = top_level_sections(front)
                .into_iter()
                .filter_map(|(text, line)| typed(text, front_offset + line).err())
                .collect();
            if errors.is_empty() {
                errors.push(first);
            }
            errors.sort_by_key(|e| e.line.unwrap_or(0));
            return Err(PolicyErrors(errors));
        }
    };

    let mut errors = Vec::new();
    let locate_err = |field: &str, message: String| {
        let at = locate(front, field);
        err(at.map(|(l, _)| l + front_offset), at.map(|(_, c)| c), field, message)
    };
    for (field, message) in semantic_problems(&policy) {
        errors.push(locate_err(&field, message));
    }
    if let Some(prompt) = &policy.planner.prompt {
        match check_template(prompt) {
            Ok(t) => policy.planner.prompt = Some(t),
            Err(problems) => {
                for (_, _, m) in problems {
                    errors.push(locate_err("planner.prompt", m));
                }
            }
        }
    }
    if !body.trim().is_empty() {
        if policy.planner.prompt.is_some() {
            errors.push(locate_err(
                "planner.prompt",
                "the prompt template is set twice: here and in the Markdown body; keep one".into(),
            ));
        }
        match check_template(body) {
            Ok(t) => policy.planner.prompt = Some(t.trim().to_string()),
            Err(problems) => {
                for (line, column, m) in problems {
                    errors.push(err(Some(line + body_offset), Some(column), "(body)", m));
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(policy)
    } else {
        errors.sort_by_key(|e| e.line.unwrap_or(0));
        Err(PolicyErrors(errors))
    }
}

/// The top-level sections of block YAML (a key at column 0 and the lines under
/// it), each with the number of lines before it; empty when the text has no
/// such shape (then only the whole document's first error is reported).
fn top_level_sections(front: &str) -> Vec<(&str, usize)> {
    let mut starts = Vec::new();
    let mut pos = 0;
    for (i, line) in front.split_inclusive('\n').enumerate() {
        let starts_key = line.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_') && line.contains(':');
        if starts_key {
            starts.push((pos, i));
        }
        pos += line.len();
    }
    if starts.len() < 2 {
        return Vec::new();
    }
    let mut out = Vec::with_capacity(starts.len());
    for (k, &(begin, line)) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map(|&(b, _)| b).unwrap_or(front.len());
        out.push((&front[begin..end], line));
    }
    out
}

/// serde_yaml's message without its own " at line L column C" (the caller
/// shows the location), and with any other location offset to file lines.
fn clean_message(message: &str, offset: usize) -> String {
    let mut out = String::new();
    let mut rest = message;
    let mut first = true;
    while let Some(i) = rest.find("line ") {
        let (before, after) = rest.split_at(i);
        let mut parts = after["line ".len()..].splitn(2, ' ');
        let (Some(num), Some(tail)) = (parts.next(), parts.next()) else { break };
        let Ok(n) = num.trim_end_matches(',').parse::<usize>() else {
            out.push_str(before);
            out.push_str("line ");
            rest = &after["line ".len()..];
            continue;
        };
        let Some(col_rest) = tail.strip_prefix("column ") else {
            out.push_str(before);
            out.push_str(&format!("line {}", n + offset));
            rest = &after["line ".len() + num.len()..];
            continue;
        };
        let col_len = col_rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(col_rest.len());
        let column = &col_rest[..col_len];
        let consumed = "line ".len() + num.len() + 1 + "column ".len() + col_len;
        if first && before.ends_with(" at ") {
            out.push_str(&before[..before.len() - " at ".len()]);
        } else {
            out.push_str(before);
            out.push_str(&format!("line {} column {column}", n + offset));
        }
        first = false;
        rest = &after[consumed..];
    }
    out.push_str(rest);
    out
}

/// Rules the types cannot express. Returns (field path, problem).
fn semantic_problems(p: &Policy) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut names = std::collections::HashMap::new();
    for (i, r) in p.recipes.iter().enumerate() {
        if !crate::domain::recipe::valid_name(&r.name) {
            out.push((
                format!("recipes[{i}].name"),
                "a recipe name: letters, digits, '-', '_' and '.', at most 128 bytes".into(),
            ));
        } else if let Some(first) = names.insert(r.name.as_str(), i) {
            out.push((
                format!("recipes[{i}].name"),
                format!("duplicate recipe {:?} (first as recipes[{first}])", r.name),
            ));
        }
        for (j, w) in r.workspaces.iter().enumerate() {
            if w.trim().is_empty() || w.len() > 128 {
                out.push((format!("recipes[{i}].workspaces[{j}]"), "a workspace id (1–128 bytes)".into()));
            }
        }
        if !r.request.contains_key("template") {
            out.push((format!("recipes[{i}].template"), "required: the run the recipe makes".into()));
        }
    }
    let mut seen = std::collections::HashMap::new();
    for (i, a) in p.agents.iter().enumerate() {
        if a.name.trim().is_empty() {
            out.push((format!("agents[{i}].name"), "an agent needs a name".into()));
        } else if let Some(first) = seen.insert(a.name.as_str(), i) {
            out.push((
                format!("agents[{i}].name"),
                format!("duplicate agent {:?} (first declared as agents[{first}])", a.name),
            ));
        }
        if a.executor == ExecutorKind::Command && a.command.is_empty() {
            out.push((format!("agents[{i}].command"), "a command agent needs a command".into()));
        }
        if a.executor != ExecutorKind::Command && !a.command.is_empty() {
            out.push((
                format!("agents[{i}].command"),
                format!("only command agents run a command; this one is {:?}", a.executor).to_lowercase(),
            ));
        }
        if a.concurrency == Some(0) {
            out.push((format!("agents[{i}].concurrency"), "at least 1 (leave it out for the default)".into()));
        }
        if a.executor == ExecutorKind::Llm {
            let configured = match a.model {
                ModelRole::Main => p.models.main.is_some(),
                ModelRole::Utility => p.models.utility.is_some() || p.models.main.is_some(),
                ModelRole::Cascade => p.models.cascade.is_some(),
            };
            if !configured {
                let why = match a.model {
                    ModelRole::Main => "unknown model \"main\": models.main is not configured",
                    ModelRole::Utility => {
                        "unknown model \"utility\": neither models.utility nor models.main is configured"
                    }
                    ModelRole::Cascade => "unknown model \"cascade\": models.cascade is not configured",
                };
                out.push((format!("agents[{i}].model"), why.to_string()));
            }
        }
    }
    let mut models: Vec<(String, &crate::llm::ModelConfig)> =
        [("main", &p.models.main), ("utility", &p.models.utility)]
            .into_iter()
            .filter_map(|(role, m)| m.as_ref().map(|m| (role.to_string(), m)))
            .collect();
    if let Some(c) = &p.models.cascade {
        if c.models.is_empty() || c.models.len() > super::MAX_CASCADE_MODELS {
            out.push((
                "models.cascade.models".into(),
                format!("1 to {} models, cheapest first; found {}", super::MAX_CASCADE_MODELS, c.models.len()),
            ));
        }
        if !(0.0..=1.0).contains(&c.min_pass_rate) {
            out.push(("models.cascade.min_pass_rate".into(), "must be within [0, 1]".into()));
        }
        if c.min_samples == 0 || c.min_samples > super::MAX_CASCADE_SAMPLES {
            // More than a kind's outcomes the cascade reads would never skip a model.
            out.push(("models.cascade.min_samples".into(), format!("1 to {} outcomes", super::MAX_CASCADE_SAMPLES)));
        }
        if c.window.is_zero() {
            out.push(("models.cascade.window".into(), "longer than 0s".into()));
        }
        let mut seen = std::collections::HashSet::new();
        for (i, m) in c.models.iter().enumerate() {
            if !seen.insert(m.model.as_str()) {
                // Outcomes tell the models apart by name.
                out.push((format!("models.cascade.models[{i}].model"), format!("{:?} is named twice", m.model)));
            }
            models.push((format!("cascade.models[{i}]"), m));
        }
    }
    for (role, m) in models {
        if m.prompt_price_per_mtok < 0.0 || m.completion_price_per_mtok < 0.0 {
            out.push((format!("models.{role}"), "prices cannot be negative".into()));
        }
        if m.temperature.is_some_and(|t| !(0.0..=2.0).contains(&t)) {
            out.push((format!("models.{role}.temperature"), "must be within [0, 2]".into()));
        }
        if m.top_p.is_some_and(|p| !(p > 0.0 && p <= 1.0)) {
            out.push((format!("models.{role}.top_p"), "must be within (0, 1]".into()));
        }
    }
    if let Some(b) = &p.default_budget {
        if b.max_cost_usd < 0.0 {
            out.push(("default_budget.max_cost_usd".into(), "cannot be negative".into()));
        }
    }
    if let Some(r) = &p.default_retry {
        if r.max_attempts == Some(0) {
            out.push(("default_retry.max_attempts".into(), "at least 1".into()));
        }
    }
    if p.planner.max_tasks == 0 {
        out.push(("planner.max_tasks".into(), "at least 1".into()));
    }
    if p.planner.max_tokens == 0 {
        out.push(("planner.max_tokens".into(), "at least 1".into()));
    }
    if p.planner.deadline.is_zero() {
        out.push(("planner.deadline".into(), "longer than 0s".into()));
    }
    if let Some(r) = &p.retention {
        if r.default == Some(Period::After(std::time::Duration::ZERO)) {
            out.push(("retention.default".into(), "a retention of 0 would delete runs as they finish".into()));
        }
        for (ws, period) in &r.workspaces {
            if *period == Period::After(std::time::Duration::ZERO) {
                out.push((
                    format!("retention.workspaces.{ws}"),
                    "a retention of 0 would delete runs as they finish".into(),
                ));
            }
        }
    }
    if p.planner.max_replans == 0 || p.planner.max_replans > crate::domain::run::MAX_REPLANS_LIMIT {
        out.push(("planner.max_replans".into(), format!("between 1 and {}", crate::domain::run::MAX_REPLANS_LIMIT)));
    }
    if p.continuation.delay > std::time::Duration::from_secs(3600) {
        out.push(("continuation.delay".into(), "at most 1h".into()));
    }
    if p.continuation.max_turns == 0 || p.continuation.max_turns > crate::domain::plan::MAX_TURNS_LIMIT {
        out.push(("continuation.max_turns".into(), format!("between 1 and {}", crate::domain::plan::MAX_TURNS_LIMIT)));
    }
    if p.limits.default_max_parallel == Some(0) {
        out.push(("limits.default_max_parallel".into(), "at least 1".into()));
    }
    if p.limits.max_running.is_some_and(|n| n < 0) {
        out.push(("limits.max_running".into(), "0 (unlimited) or more".into()));
    }
    out
}

/// Checks a prompt template: every `{{name}}` must be a known variable.
/// Returns the template with `{{ name }}` normalised to `{{name}}`, or
/// (1-based line, column, problem) for each mistake.
pub fn check_template(t: &str) -> Result<String, Vec<(usize, usize, String)>> {
    let mut out = String::with_capacity(t.len());
    let mut problems = Vec::new();
    let mut rest = t;
    let mut consumed = 0;
    let position = |offset: usize| {
        let before = &t[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
        (line, column)
    };
    while let Some(i) = rest.find("{{") {
        out.push_str(&rest[..i]);
        let start = consumed + i;
        let after = &rest[i + 2..];
        let Some(j) = after.find("}}") else {
            let (l, c) = position(start);
            problems.push((l, c, "`{{` is not closed by `}}`".to_string()));
            out.push_str(&rest[i..]);
            rest = "";
            break;
        };
        let name = after[..j].trim();
        if TEMPLATE_VARIABLES.contains(&name) {
            out.push_str(&format!("{{{{{name}}}}}"));
        } else {
            let (l, c) = position(start);
            problems.push((
                l,
                c,
                format!(
                    "unknown template variable {{{{{}}}}}; known: {}",
                    crate::domain::plan::truncate(name, 40),
                    TEMPLATE_VARIABLES.iter().map(|v| format!("{{{{{v}}}}}")).collect::<Vec<_>>().join(", ")
                ),
            ));
            out.push_str(&rest[i..i + 2 + j + 2]);
        }
        consumed += i + 2 + j + 2;
        rest = &after[j + 2..];
    }
    out.push_str(rest);
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// A step of a field path.
#[derive(Debug, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

fn steps(path: &str) -> Vec<Step> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, mut idx) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            out.push(Step::Key(key.to_string()));
        }
        while let Some(close) = idx.find(']') {
            if let Ok(n) = idx[1..close].parse() {
                out.push(Step::Index(n));
            }
            idx = &idx[close + 1..];
        }
    }
    out
}

/// Where (1-based line, column in `yaml`) the node at `path` starts, or the
/// nearest ancestor that exists.
fn locate(yaml: &str, path: &str) -> Option<(usize, usize)> {
    let steps = steps(path);
    for n in (0..=steps.len()).rev() {
        let de = serde_yaml_ng::Deserializer::from_str(yaml);
        if let Err(e) = (Locate { steps: &steps[..n] }).deserialize(de) {
            if e.to_string().contains(LOCATED) {
                return e.location().map(|l| (l.line(), l.column()));
            }
        }
    }
    None
}

const LOCATED: &str = "\u{1}located";

/// Walks to a node and fails there, so that serde_yaml marks the error with its position.
struct Locate<'a> {
    steps: &'a [Step],
}

impl<'de> DeserializeSeed<'de> for Locate<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        match self.steps.first() {
            None => d.deserialize_any(Here),
            Some(Step::Key(_)) => d.deserialize_map(Walk { steps: self.steps }),
            Some(Step::Index(_)) => d.deserialize_seq(Walk { steps: self.steps }),
        }
    }
}

struct Here;

impl<'de> Visitor<'de> for Here {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("anything")
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        Err(E::custom(LOCATED))
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        Err(E::custom(LOCATED))
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
        Err(E::custom(LOCATED))
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        Err(E::custom(LOCATED))
    }
    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<(), E> {
        Err(E::custom(LOCATED))
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        Err(E::custom(LOCATED))
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<(), E> {
        Err(E::custom(LOCATED))
    }
    fn visit_some<D: Deserializer<'de>>(self, _: D) -> Result<(), D::Error> {
        Err(serde::de::Error::custom(LOCATED))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(serde::de::Error::custom(LOCATED))
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(serde::de::Error::custom(LOCATED))
    }
}

struct Walk<'a> {
    steps: &'a [Step],
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a mapping or a sequence")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Some((Step::Key(want), rest)) = self.steps.split_first() else { return Ok(()) };
        while let Some(k) = map.next_key::<serde_yaml_ng::Value>()? {
            let matches = match &k {
                serde_yaml_ng::Value::String(s) => s == want,
                other => serde_yaml_ng::to_string(other).map(|s| s.trim() == want).unwrap_or(false),
            };
            if matches {
                return map.next_value_seed(Locate { steps: rest });
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Some((Step::Index(want), rest)) = self.steps.split_first() else { return Ok(()) };
        for _ in 0..*want {
            if seq.next_element::<IgnoredAny>()?.is_none() {
                return Ok(());
            }
        }
        seq.next_element_seed(Locate { steps: rest }).map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<PolicyError> {
        parse("WORKFLOW.md", text, Format::Workflow).expect_err("invalid").0
    }

    #[test]
    fn recipes_are_named_once_with_a_template() {
        let e = errors(
            "---\nrecipes:\n  - name: a\n    template: {goal: x}\n  - name: a\n    template: {goal: y}\n  - name: bad name\n    workspaces: ['']\n---\n",
        );
        let fields: Vec<&str> = e.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["recipes[1].name", "recipes[2].name", "recipes[2].template", "recipes[2].workspaces[0]"]);
        let ok = parse("WORKFLOW.md", "---\nrecipes:\n  - name: a\n    template: {goal: x}\n---\n", Format::Workflow);
        let ok = ok.expect("valid");
        assert_eq!(ok.recipes[0].workspaces(), ["default"]);
        assert_eq!(ok.recipes[0].request.get("template"), Some(&serde_json::json!({"goal": "x"})));
    }

    const VALID: &str = "---
agents:
  - name: text
    description: Splits words.
    capabilities: [words]
    executor: command
    command: [cat]
    concurrency: 2
  - name: writer
    executor: llm
    model: utility
models:
  main: {base_url: 'http://127.0.0.1:1/v1', model: m, prompt_price_per_mtok: 0.1}
retention: {default: 30d, workspaces: {acme: 7d, keep: forever}}
limits: {lease: 10s, max_running: 4}
---
# Planning

Plan {{goal}} with {{ agents }} under {{criteria}}.
";

    #[test]
    fn a_valid_workflow_parses_with_its_body_as_the_prompt() {
        let p = parse("WORKFLOW.md", VALID, Format::Workflow).expect("valid");
        assert_eq!(p.agents.len(), 2);
        assert_eq!(p.agent("text").and_then(|a| a.concurrency), Some(2));
        let prompt = p.planner.prompt.expect("prompt from the body");
        assert!(prompt.starts_with("# Planning"), "{prompt}");
        assert!(prompt.contains("with {{agents}} under"), "normalised: {prompt}");
        let r = p.retention.expect("retention");
        assert_eq!(r.default, Some(Period::After(std::time::Duration::from_secs(30 * 86400))));
        assert_eq!(r.workspaces.get("keep"), Some(&Period::Forever));
        assert_eq!(p.limits.lease, Some(std::time::Duration::from_secs(10)));
    }

    #[test]
    fn an_empty_body_keeps_the_built_in_prompt() {
        let p = parse("WORKFLOW.md", "---\nagents: [{name: a}]\n---\n\n  \n", Format::Workflow).expect("valid");
        assert_eq!(p.planner.prompt, None);
    }

    #[test]
    fn yaml_syntax_errors_point_at_the_file_line() {
        let e = errors("---\nagents:\n  - name: a\n  bad: : x\n---\nbody\n");
        assert_eq!(e.len(), 1);
        assert_eq!((e[0].line, e[0].column), (Some(4), Some(3)), "{}", e[0]);
        assert!(e[0].message.contains("did not find expected '-' indicator"), "{}", e[0]);
        // The parser's context is given in file lines too (front matter line 2 is file line 3).
        assert!(e[0].message.ends_with("while parsing a block collection at line 3 column 3"), "{}", e[0]);
    }

    #[test]
    fn an_unknown_key_names_its_path_and_line() {
        let e = errors("---\nagents:\n  - name: a\n  - name: b\n    concurrenci: 2\n---\n");
        assert_eq!(e[0].line, Some(5), "{}", e[0]);
        assert_eq!(e[0].field, "agents[1].concurrenci", "{}", e[0]);
        let e = errors("---\nagentz: []\n---\n");
        assert_eq!((e[0].line, e[0].field.as_str()), (Some(2), "agentz"), "{}", e[0]);
    }

    #[test]
    fn a_wrong_type_names_its_path_and_line() {
        let e = errors("---\n# comment\nagents:\n  - name: a\n  - name: b\n    concurrency: many\n---\n");
        assert_eq!(e[0].line, Some(6), "{}", e[0]);
        assert_eq!(e[0].column, Some(18), "{}", e[0]);
        assert_eq!(e[0].field, "agents[1].concurrency");
        assert!(e[0].message.starts_with("invalid type"), "{}", e[0]);
        assert!(e[0].to_string().starts_with("WORKFLOW.md:6:18: agents[1].concurrency: invalid type"), "{}", e[0]);
        let e = errors("---\nretention: {default: soon}\n---\n");
        assert_eq!((e[0].line, e[0].field.as_str()), (Some(2), "retention.default"), "{}", e[0]);
    }

    #[test]
    fn semantic_errors_point_at_the_offending_node() {
        let e = errors("---\nagents:\n  - name: a\n  - name: b\n  - name: a\n    executor: llm\n---\n");
        let fields: Vec<(&str, Option<usize>)> = e.iter().map(|e| (e.field.as_str(), e.line)).collect();
        assert_eq!(fields, vec![("agents[2].name", Some(5)), ("agents[2].model", Some(5))], "{e:?}");
        assert!(e[0].message.contains("duplicate agent"), "{}", e[0]);
        assert!(e[1].message.contains("unknown model"), "{}", e[1]);
        let e = errors("---\nagents:\n  - name: w\n    executor: llm\n    model: utility\n---\n");
        assert_eq!((e[0].field.as_str(), e[0].line), ("agents[0].model", Some(5)), "{}", e[0]);
    }

    #[test]
    fn a_cascade_is_checked_model_by_model() {
        let e = errors("---\nagents:\n  - name: w\n    executor: llm\n    model: cascade\n---\n");
        assert_eq!((e[0].field.as_str(), e[0].line), ("agents[0].model", Some(5)), "{}", e[0]);
        assert!(e[0].message.contains("models.cascade is not configured"), "{}", e[0]);
        let m = |name: &str, t: f64| format!("{{base_url: http://x, model: {name}, temperature: {t}}}");
        let text = format!(
            "---\nmodels:\n  cascade:\n    min_pass_rate: 2\n    min_samples: 0\n    window: 0s\n    models: [{}, {}]\n---\n",
            m("a", 0.0),
            m("a", 3.0)
        );
        let fields: Vec<String> = errors(&text).into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "models.cascade.min_pass_rate",
                "models.cascade.min_samples",
                "models.cascade.window",
                "models.cascade.models[1].model",
                "models.cascade.models[1].temperature"
            ]
        );
        let e = errors("---\nmodels:\n  cascade:\n    models: []\n---\n");
        assert!(e[0].message.contains("1 to 8 models"), "{}", e[0]);
        let ok = "---\nmodels:\n  cascade:\n    window: 7d\n    models: [{base_url: http://x, model: a}]\nagents:\n  - {name: w, executor: llm, model: cascade}\n---\n";
        let p = parse("WORKFLOW.md", ok, Format::Workflow).expect("a cascade of one");
        let c = p.models.cascade.expect("cascade");
        assert_eq!((c.min_pass_rate, c.min_samples, c.window.as_secs()), (0.5, 5, 7 * 24 * 3600));
    }

    #[test]
    fn unknown_template_variables_point_at_the_body_line() {
        let e = errors("---\nagents: [{name: a}]\n---\nPlan {{goal}}.\n\nUse {{agent}} and {{criteria}}.\n");
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!((e[0].line, e[0].column), (Some(6), Some(5)), "{}", e[0]);
        assert!(e[0].message.contains("{{agent}}"), "{}", e[0]);
        let e = errors("---\nplanner:\n  max_repairs: 1\n  prompt: 'Plan {{goal}} {{x}}'\n---\n");
        assert_eq!((e[0].field.as_str(), e[0].line), ("planner.prompt", Some(4)), "{}", e[0]);
        let e = errors("---\nagents: [{name: a}]\n---\nPlan {{goal\n");
        assert!(e[0].message.contains("not closed"), "{}", e[0]);
    }

    #[test]
    fn front_matter_must_open_and_close() {
        let e = errors("# Title\n---\n");
        assert_eq!(e[0].line, Some(1));
        let e = errors("---\nagents: []\n");
        assert!(e[0].message.contains("not closed"), "{}", e[0]);
    }

    #[test]
    fn plain_yaml_is_read_without_offset() {
        let e = parse("policy.yaml", "agents:\n  - name: x\n    bogus: 1\n", Format::Yaml).expect_err("unknown").0;
        assert_eq!(e[0].to_string(), e[0].to_string());
        assert_eq!((e[0].line, e[0].column), (Some(3), Some(5)), "{}", e[0]);
        assert!(e[0].to_string().starts_with("policy.yaml:3:5: agents[0].bogus: unknown field `bogus`"), "{}", e[0]);
    }

    #[test]
    fn templates_accept_known_variables_only() {
        assert_eq!(check_template("{{ goal }} {{max_tasks}}").expect("ok"), "{{goal}} {{max_tasks}}");
        let e = check_template("a\n  {{nope}}").expect_err("unknown");
        assert_eq!((e[0].0, e[0].1), (2, 3));
    }
}
