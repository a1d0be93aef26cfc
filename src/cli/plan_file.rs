//! Plan and verify files: the proto's own JSON mapping, written in YAML or JSON.
//!
//! A plan file is a `CreateRunRequest` (goal, plan.tasks, criteria, budget,
//! policy, labels, …) and a verify file a `VerifyRequest` (output, criteria),
//! exactly as grpcurl and every generated client send them: field names in
//! lowerCamelCase or as in the .proto, enums by name (`TASK_KIND_AGGREGATE`),
//! durations as `"30s"`. The file is read through the descriptor set the
//! server serves by reflection, so the format cannot drift from the API:
//! there is no second, hand-kept schema. YAML is a superset of JSON, so one
//! reader serves both.

use std::path::Path;

use prost_reflect::{DeserializeOptions, DynamicMessage, MessageDescriptor, SerializeOptions};

use crate::proto::v1 as pb;

/// Largest file read (a plan is at most a few MiB on the wire).
const MAX_FILE: u64 = 16 * 1024 * 1024;

fn descriptor(name: &str) -> Result<MessageDescriptor, String> {
    crate::proto::descriptor(name)
}

fn read(path: &Path) -> Result<String, String> {
    if path.as_os_str() == "-" {
        use std::io::Read;
        let mut s = String::new();
        // One byte past the limit tells a large input from one that fits.
        std::io::stdin()
            .take(MAX_FILE + 1)
            .read_to_string(&mut s)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        if s.len() as u64 > MAX_FILE {
            return Err(format!("standard input: more than {MAX_FILE} bytes; a file is at most that"));
        }
        return Ok(s);
    }
    let size = std::fs::metadata(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?.len();
    if size > MAX_FILE {
        return Err(format!("{}: {size} bytes; a file is at most {MAX_FILE}", path.display()));
    }
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// Parses `text` as the JSON mapping of the message `name`; errors name the
/// field path and, from YAML, the line.
fn parse<M: prost::Message + Default>(name: &str, file: &str, text: &str) -> Result<M, String> {
    let desc = descriptor(name)?;
    let mut track = serde_path_to_error::Track::new();
    let de = serde_yaml_ng::Deserializer::from_str(text);
    let options = DeserializeOptions::new().deny_unknown_fields(true);
    let parsed = DynamicMessage::deserialize_with_options(
        desc,
        serde_path_to_error::Deserializer::new(de, &mut track),
        &options,
    );
    let message = parsed.map_err(|e| {
        let path = track.path().to_string();
        let at = if path.is_empty() || path == "." { String::new() } else { format!(" at {path}") };
        format!("{file}{at}: {e}")
    })?;
    message.transcode_to::<M>().map_err(|e| format!("{file}: {e}"))
}

/// Reads a plan file: a `CreateRunRequest` in its JSON mapping (YAML or JSON).
pub fn load_run(path: &Path) -> Result<pb::CreateRunRequest, String> {
    let text = read(path)?;
    let file = path.display().to_string();
    parse("orchestrator.v1.CreateRunRequest", &file, &text).map_err(|e| hint_old_format(e, &text))
}

/// Reads a recipe file: a `CreateRecipeRequest` (`name`, `description`,
/// `parameters`, `template`: a run as a plan file has it).
pub fn load_recipe(path: &Path) -> Result<pb::CreateRecipeRequest, String> {
    let text = read(path)?;
    parse("orchestrator.v1.CreateRecipeRequest", &path.display().to_string(), &text)
}

/// Reads a verify file: a `VerifyRequest` (`output`, `criteria`).
pub fn load_verify(path: &Path) -> Result<pb::VerifyRequest, String> {
    let text = read(path)?;
    parse("orchestrator.v1.VerifyRequest", &path.display().to_string(), &text)
}

/// Plan files of the first releases had `tasks` at the top: say where they go now.
fn hint_old_format(error: String, text: &str) -> String {
    let old = text.lines().any(|l| l.starts_with("tasks:"));
    if old && error.contains("tasks") {
        format!(
            "{error}\n  (a plan file is a CreateRunRequest: the tasks go under `plan:` as `plan: {{tasks: [...]}}`; \
             see README.md, \"Plan files\")"
        )
    } else {
        error
    }
}

/// A message as its canonical JSON mapping, on one line (what grpcurl `-d` takes).
pub fn to_json<M: prost::Message>(name: &str, message: &M) -> Result<String, String> {
    let desc = descriptor(name)?;
    let dynamic = DynamicMessage::decode(desc, message.encode_to_vec().as_slice()).map_err(|e| e.to_string())?;
    let mut out = serde_json::Serializer::new(Vec::new());
    dynamic
        .serialize_with_options(&mut out, &SerializeOptions::new().skip_default_fields(true))
        .map_err(|e| e.to_string())?;
    String::from_utf8(out.into_inner()).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Result<pb::CreateRunRequest, String> {
        parse("orchestrator.v1.CreateRunRequest", "plan.yaml", text)
    }

    #[test]
    fn a_plan_file_is_the_proto_json_mapping_in_yaml() {
        let r =
            run("goal: g\nmaxParallel: 2\nplan:\n  tasks:\n    - id: a\n      agent: x\n      timeout: 30s\n      \
             kind: TASK_KIND_AGENT\n      depends_on: []\n      metadata: {op: upper}\ncriteria:\n  - kind: not_empty\n\
             policy:\n  toolsDenied: [shell]\nbudget:\n  maxTokens: 500\n  onExhausted: BUDGET_POLICY_PAUSE\n")
            .expect("valid");
        assert_eq!(r.goal, "g");
        assert_eq!(r.max_parallel, 2);
        let t = &r.plan.as_ref().expect("plan").tasks[0];
        assert_eq!((t.id.as_str(), t.agent.as_str()), ("a", "x"));
        assert_eq!(t.timeout.map(|d| d.seconds), Some(30));
        assert_eq!(r.criteria[0].kind, "not_empty");
        assert_eq!(r.policy.as_ref().expect("policy").tools_denied, vec!["shell".to_string()]);
        assert_eq!(
            r.budget.as_ref().map(|b| (b.max_tokens, b.on_exhausted)),
            Some((500, pb::BudgetPolicy::Pause as i32))
        );
        // The same in JSON.
        let j = run(r#"{"goal": "g", "plan": {"tasks": [{"id": "a", "agent": "x"}]}}"#).expect("json");
        assert_eq!(j.plan.expect("plan").tasks[0].id, "a");
    }

    #[test]
    fn mistakes_name_the_field() {
        let e = run("goal: g\nplan:\n  tasks:\n    - {id: a, agnet: x}\n").expect_err("typo");
        assert!(e.contains("plan.tasks[0]") && e.contains("agnet"), "{e}");
        let e = run("goal: g\nplan:\n  tasks:\n    - {id: a, kind: aggregate}\n").expect_err("enum");
        assert!(e.contains("plan.tasks[0].kind"), "{e}");
        let e = super::hint_old_format(run("goal: g\ntasks: []\n").expect_err("old"), "goal: g\ntasks: []\n");
        assert!(e.contains("under `plan:`"), "{e}");
    }

    #[test]
    fn to_json_round_trips() {
        let r = run("goal: g\nplan:\n  tasks:\n    - {id: a, agent: x, timeout: 1.5s}\n").expect("valid");
        let json = to_json("orchestrator.v1.CreateRunRequest", &r).expect("json");
        assert!(json.contains(r#""timeout":"1.500s""#), "{json}");
        assert_eq!(run(&json).expect("again"), r);
    }
}
