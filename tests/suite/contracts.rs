//! The contract in proto/ stays clean and compatible: `buf lint` with the
//! rules of buf.yaml, `buf breaking` against the previous commit, and a
//! grpcurl cookbook that shows every RPC.
//!
//! buf comes from the npm registry (`npx --yes @bufbuild/buf@VERSION`), so
//! these tests need node and npm (.ci/run installs them) and fail without.

use crate::common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::describe;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
/// The buf CLI release the suite runs (pinned, so a new lint rule can't break the build unannounced).
const BUF: &str = "@bufbuild/buf@1.75.0";

/// One buf at a time: the first `npx --yes` installs the package into npm's
/// cache, and two installs racing in one cache fail (ENOTEMPTY), as two
/// `npm ci` in one directory do.
static BUF_LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn buf(args: &[&str]) -> Output {
    let _one_at_a_time = BUF_LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    Command::new("npx")
        .args(["--yes", BUF])
        .args(args)
        .current_dir(ROOT)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("npx (from npm) is needed to run buf: {e}; install nodejs and npm (.ci/run does)"))
}

fn git(args: &[&str]) -> Option<String> {
    let o = Command::new("git").args(args).current_dir(ROOT).output().ok()?;
    o.status.success().then(|| String::from_utf8_lossy(&o.stdout).trim().to_string())
}

#[test]
fn the_protos_pass_buf_lint() {
    let o = buf(&["lint"]);
    assert!(o.status.success(), "buf lint (rules in buf.yaml):\n{}", describe(&o));
}

/// The reference is the previous commit, read with today's buf.yaml (the
/// module rooted at proto/, vendored google/ excluded), so a commit that adds
/// or changes buf.yaml still compares like with like. On main, after a merge,
/// HEAD~1 is main before the merge: the whole merged change is checked.
#[test]
fn the_protos_have_no_breaking_change_since_the_previous_commit() {
    let Some(_) = git(&["rev-parse", "--git-dir"]) else {
        panic!("not a git checkout: the breaking-change check compares against the previous commit");
    };
    if git(&["rev-parse", "--verify", "--quiet", "HEAD~1"]).is_none() {
        assert_ne!(
            git(&["rev-parse", "--is-shallow-repository"]).as_deref(),
            Some("true"),
            "a shallow clone has no previous commit to compare the protos with: fetch it (git fetch --deepen=1)"
        );
        eprintln!("the first commit has no previous one: nothing to compare the protos with");
        return;
    }
    let o = buf(&["breaking", "--against", ".git#ref=HEAD~1", "--against-config", "buf.yaml"]);
    assert!(o.status.success(), "buf breaking against HEAD~1:\n{}", describe(&o));
}

/// Every `rpc` of every service, as "orchestrator.v1.Service/Method".
fn every_rpc() -> Vec<String> {
    let mut out = vec![];
    let dir = Path::new(ROOT).join("proto/orchestrator/v1");
    for entry in std::fs::read_dir(&dir).expect("proto dir") {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("proto file");
        let mut service = None;
        for line in text.lines().map(str::trim) {
            if let Some(rest) = line.strip_prefix("service ") {
                service = rest.split_whitespace().next().map(str::to_string);
            } else if let (Some(rest), Some(s)) = (line.strip_prefix("rpc "), &service) {
                let name: String = rest.chars().take_while(|c| c.is_alphanumeric()).collect();
                out.push(format!("orchestrator.v1.{s}/{name}"));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn the_grpcurl_cookbook_calls_every_rpc() {
    let cookbook = std::fs::read_to_string(Path::new(ROOT).join("examples/grpcurl/README.md")).expect("cookbook");
    let rpcs = every_rpc();
    assert!(rpcs.len() >= 22, "the parser found the services: {rpcs:?}");
    let missing: Vec<&String> = rpcs
        .iter()
        .filter(|rpc| !cookbook.lines().any(|l| l.contains("grpcurl") && l.contains(rpc.as_str())))
        .collect();
    assert!(missing.is_empty(), "RPCs without a grpcurl call in examples/grpcurl/README.md: {missing:?}");
}
