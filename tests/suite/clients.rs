//! The example clients and agent against a real server: the Python agent
//! (examples/agents/python_agent.py) executes the tasks, while the Python
//! client (examples/python/client.py, on sdk/python) and the Node.js client
//! (examples/node/client.js, on sdk/typescript) create a run and watch it to
//! completion.
//!
//! The tools are set up the way the READMEs say: a virtualenv with
//! examples/python/requirements.txt (kept under the cargo target dir and
//! rebuilt when the requirements change) and the SDK (`pip install
//! ./sdk/python`), and `npm ci` in examples/node (which installs
//! sdk/typescript). A missing python3 venv module, node or npm
//! fails these tests; `.ci/run` installs them.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::{describe, Backend, TestApp, TestDb};
use tokio::sync::OnceCell;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Runs a setup command to its end (from the repo root unless it says otherwise)
/// and fails the test with its output if it fails.
pub(crate) fn setup(cmd: &mut Command, what: &str) {
    if cmd.get_current_dir().is_none() {
        cmd.current_dir(ROOT);
    }
    let o = cmd.stdin(Stdio::null()).output().unwrap_or_else(|e| panic!("{what}: cannot start: {e}"));
    assert!(o.status.success(), "{what} failed:\n{}", describe(&o));
}

static PYTHON: OnceCell<PathBuf> = OnceCell::const_new();

/// The virtualenv's python, with the requirements (grpcio-tools, for the SDK's stubs) and the SDK installed.
pub(crate) async fn python() -> PathBuf {
    PYTHON
        .get_or_init(|| async {
            tokio::task::spawn_blocking(|| {
                let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("examples-venv");
                let requirements = std::fs::read_to_string(Path::new(ROOT).join("examples/python/requirements.txt"))
                    .expect("examples/python/requirements.txt");
                let stamp = venv.join("requirements.stamp");
                if std::fs::read_to_string(&stamp).ok().as_deref() != Some(requirements.as_str()) {
                    let _ = std::fs::remove_dir_all(&venv);
                    setup(
                        Command::new("python3").args(["-m", "venv"]).arg(&venv),
                        "python3 -m venv (install python3 and python3-venv; .ci/run does)",
                    );
                    setup(
                        Command::new(venv.join("bin/pip"))
                            .args(["install", "--quiet", "--disable-pip-version-check", "-r"])
                            .arg("examples/python/requirements.txt"),
                        "pip install -r examples/python/requirements.txt",
                    );
                    std::fs::write(&stamp, &requirements).expect("write the venv stamp");
                }
                // The agent is on the SDK: `pip install ./sdk/python` (again
                // each time, so the checkout's SDK is the one tested; with
                // pytest, for the SDK's own suite in sdk.rs).
                setup(
                    Command::new(venv.join("bin/pip")).args([
                        "install",
                        "--quiet",
                        "--disable-pip-version-check",
                        "./sdk/python[test]",
                    ]),
                    "pip install ./sdk/python[test]",
                );
                venv.join("bin/python")
            })
            .await
            .expect("python setup")
        })
        .await
        .clone()
}

static NODE_MODULES: OnceCell<()> = OnceCell::const_new();

/// `npm ci` in examples/node (which installs a packed copy of
/// sdk/typescript with it), skipped when node_modules matches the lock file
/// and the SDK's built files. Once per test binary: two tests running `npm
/// ci` in one directory at once trip over each other's half-removed
/// node_modules (ENOTEMPTY).
pub(crate) async fn node_modules() {
    NODE_MODULES
        .get_or_init(|| async {
            tokio::task::spawn_blocking(|| {
                let dir = Path::new(ROOT).join("examples/node");
                let lock =
                    std::fs::read_to_string(dir.join("package-lock.json")).expect("examples/node/package-lock.json");
                let want = format!("{lock}\nsdk {:016x}\n", files_digest(&Path::new(ROOT).join("sdk/typescript/dist")));
                let stamp = dir.join("node_modules/.orchestrator-stamp");
                if std::fs::read_to_string(&stamp).ok().as_deref() != Some(want.as_str()) {
                    setup(
                        Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&dir),
                        "npm ci in examples/node (install nodejs and npm; .ci/run does)",
                    );
                    std::fs::write(&stamp, &want).expect("write the node_modules stamp");
                }
            })
            .await
            .expect("npm setup")
        })
        .await;
}

/// A digest of every file under `dir` (names and contents), to tell when a copy of them is stale.
pub(crate) fn files_digest(dir: &Path) -> u64 {
    use std::hash::{Hash, Hasher};
    fn walk(dir: &Path, h: &mut std::collections::hash_map::DefaultHasher) {
        let mut entries: Vec<_> = std::fs::read_dir(dir).map(|r| r.flatten().collect()).unwrap_or_default();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let path = e.path();
            path.hash(h);
            if path.is_dir() {
                walk(&path, h);
            } else {
                std::fs::read(&path).unwrap_or_default().hash(h);
            }
        }
    }
    let mut h = std::collections::hash_map::DefaultHasher::new();
    walk(dir, &mut h);
    h.finish()
}

/// The Python agent, started with these arguments (killed when dropped).
pub(crate) async fn python_agent<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> tokio::process::Child {
    tokio::process::Command::new(python().await)
        .current_dir(ROOT)
        .arg("examples/agents/python_agent.py")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .expect("start the python agent")
}

/// A server with the example policy and the Python agent polling it.
async fn server_and_agent(db: &TestDb) -> (TestApp, tokio::process::Child) {
    let app = TestApp::with_policy_file(db, &Path::new(ROOT).join("examples/policy.yaml")).await;
    let agent = python_agent(&["--server", &app.addr.to_string()]).await;
    (app, agent)
}

/// The output of a client that watched the python-agent plan: every event and the agent's work.
fn assert_completed_with_the_agents_output(o: &Output) {
    assert_eq!(o.status.code(), Some(0), "{}", describe(o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("run.created"), "{out}");
    assert!(out.contains("EXECUTING -> COMPLETED"), "{out}");
    assert!(out.lines().any(|l| l.starts_with("run run_") && l.ends_with(" COMPLETED")), "{out}");
    // Python prints `"value": "…"`, Node `"value":"…"`.
    assert!(out.replace("\": \"", "\":\"").contains(r#""value":"HELLO FROM THE PYTHON AGENT""#), "{out}");
    assert!(out.contains("desserts"), "the reversed word from the agent: {out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_python_client_watches_a_run_of_the_python_agent_to_completion() {
    let db = TestDb::new(Backend::Sqlite);
    let (app, mut agent) = server_and_agent(&db).await;
    let o = tokio::process::Command::new(python().await)
        .current_dir(ROOT)
        .args(["examples/python/client.py", "--server", &app.addr.to_string()])
        .stdin(Stdio::null())
        .output();
    let o = tokio::time::timeout(std::time::Duration::from_secs(120), o).await.expect("in time").expect("client");
    assert_completed_with_the_agents_output(&o);
    // SIGTERM: the agent (the SDK's worker) stops polling and exits cleanly.
    let pid = agent.id().expect("the agent's pid").to_string();
    setup(Command::new("kill").args(["-TERM", &pid]), "kill -TERM the agent");
    let status = tokio::time::timeout(std::time::Duration::from_secs(30), agent.wait()).await;
    assert!(matches!(status, Ok(Ok(s)) if s.success()), "the agent exits cleanly: {status:?}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_node_client_watches_a_run_of_the_python_agent_to_completion() {
    node_modules().await;
    let db = TestDb::new(Backend::Sqlite);
    let (app, _agent) = server_and_agent(&db).await;
    let o = tokio::process::Command::new("node")
        .current_dir(ROOT)
        .args(["examples/node/client.js", "--server", &app.addr.to_string()])
        .stdin(Stdio::null())
        .output();
    let o = tokio::time::timeout(std::time::Duration::from_secs(120), o).await.expect("in time").expect("node client");
    assert_completed_with_the_agents_output(&o);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_python_client_exits_3_without_a_server() {
    let python = python().await;
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
    // Nothing listens on the port any more: the first call fails fast.
    let o = tokio::process::Command::new(python)
        .current_dir(ROOT)
        .args(["examples/python/client.py", "--server", &format!("127.0.0.1:{port}")])
        .stdin(Stdio::null())
        .output()
        .await
        .expect("client");
    assert_eq!(o.status.code(), Some(3), "{}", describe(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("UNAVAILABLE"), "{}", describe(&o));
}

/// Makes a workspace and a key of `role` in the database (as an operator
/// would, with the binary) and returns the key.
fn make_key(db: &TestDb, role: &str) -> String {
    let run = |args: &[&str]| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_orchestrator"))
            .args(args)
            .args(["--database-url", &db.raw_url, "--create"])
            .output()
            .expect("run the orchestrator binary");
        assert!(o.status.success(), "{args:?}: {}", describe(&o));
        String::from_utf8_lossy(&o.stdout).trim().to_string()
    };
    let _ = std::process::Command::new(env!("CARGO_BIN_EXE_orchestrator"))
        .args(["workspace", "create", "team", "--database-url", &db.raw_url, "--create"])
        .output();
    run(&["key", "create", "--workspace", "team", "--role", role])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_agent_the_clients_and_the_cli_log_in_over_mutual_tls() {
    node_modules().await;
    let db = TestDb::new(Backend::Sqlite);
    let agent_key = make_key(&db, "agent");
    let operator_key = make_key(&db, "operator");
    let pki = common::TestPki::new();
    let mut config = common::test_config(&db);
    config.auth_required = true;
    config.tls = Some(pki.server_tls());
    config.policy =
        orchestrator::config::workflow::load(&Path::new(ROOT).join("examples/policy.yaml")).expect("policy").policy;
    let app = TestApp::start_tls(config, pki.client_tls()).await;
    let server = format!("https://localhost:{}", app.addr.port());
    let (ca, cert, key) = (pki.path("ca.pem"), pki.path("client.pem"), pki.path("client.key"));
    let tls: Vec<String> = vec![
        "--tls-ca".into(),
        ca.display().to_string(),
        "--tls-cert".into(),
        cert.display().to_string(),
        "--tls-key".into(),
        key.display().to_string(),
    ];
    let mut args: Vec<String> = ["--server", &server, "--api-key", &agent_key].iter().map(|s| s.to_string()).collect();
    args.extend(tls.iter().cloned());
    let mut agent = python_agent(&args).await;
    for (program, script) in [
        (python().await.display().to_string(), "examples/python/client.py"),
        ("node".into(), "examples/node/client.js"),
    ] {
        let o = tokio::process::Command::new(&program)
            .current_dir(ROOT)
            .args([script, "--server", &server, "--api-key", &operator_key])
            .args(&tls)
            .stdin(Stdio::null())
            .output();
        let o = tokio::time::timeout(std::time::Duration::from_secs(120), o).await.expect("in time").expect("client");
        assert_completed_with_the_agents_output(&o);
        // Without the key the server refuses the client (exit 3).
        let o = tokio::process::Command::new(&program)
            .current_dir(ROOT)
            .args([script, "--server", &server])
            .args(&tls)
            .env_remove("ORCHESTRATOR_API_KEY")
            .stdin(Stdio::null())
            .output()
            .await
            .expect("client");
        assert_eq!(o.status.code(), Some(3), "{script} without a key: {}", describe(&o));
    }
    // The CLI: the same flags; without the client certificate the server will not talk to it.
    let bin = env!("CARGO_BIN_EXE_orchestrator");
    let o = tokio::process::Command::new(bin)
        .args(["run", "list", "--server", &server, "--api-key", &operator_key])
        .args(&tls)
        .output()
        .await
        .expect("cli");
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).lines().filter(|l| l.starts_with("run_")).count(),
        2,
        "{}",
        describe(&o)
    );
    let o = tokio::process::Command::new(bin)
        .args(["run", "list", "--server", &server, "--api-key", &operator_key, "--tls-ca", &ca.display().to_string()])
        .output()
        .await
        .expect("cli");
    assert_eq!(o.status.code(), Some(3), "no client certificate: {}", describe(&o));
    // Plain text to a TLS server fails; a key in clear to a remote host earns a warning.
    let o = tokio::process::Command::new(bin)
        .args(["run", "list", "--server", "http://192.0.2.1:1", "--api-key", &operator_key])
        .output()
        .await
        .expect("cli");
    assert!(String::from_utf8_lossy(&o.stderr).contains("in clear"), "{}", describe(&o));
    agent.kill().await.ok();
    app.stop().await;
}

/// The CLI against `app`: its stdout (the command must exit 0).
async fn cli(app: &TestApp, args: &[&str]) -> String {
    let o = tokio::process::Command::new(env!("CARGO_BIN_EXE_orchestrator"))
        .current_dir(ROOT)
        .args(args)
        .env("ORCHESTRATOR_SERVER", format!("http://{}", app.addr))
        .env_remove("ORCHESTRATOR_API_KEY")
        .stdin(Stdio::null())
        .output();
    let o = tokio::time::timeout(std::time::Duration::from_secs(120), o).await.expect("in time").expect("cli");
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The run id in a `run create --watch` summary.
fn run_id(out: &str) -> String {
    out.lines().find_map(|l| l.strip_prefix("run ")?.split_whitespace().next()).expect("run id").to_string()
}

/// The turns example: the Python agent counts to three in three turns of one
/// attempt (ContinueTask), and the CLI's trace shows each turn.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_python_agent_works_in_turns() {
    let db = TestDb::new(Backend::Sqlite);
    let (app, _agent) = server_and_agent(&db).await;
    let out = cli(&app, &["run", "create", "--plan", "examples/plans/turns.yaml", "--watch"]).await;
    assert!(out.replace("\": ", "\":").contains(r#""steps":3"#), "{out}");
    assert_eq!(out.matches("attempt.continued").count(), 2, "{out}");
    let tree = cli(&app, &["run", "trace", &run_id(&out)]).await;
    for turn in ["turn 1", "turn 2", "turn 3"] {
        assert!(tree.contains(turn), "no {turn} in\n{tree}");
    }
    assert!(tree.contains("ended=continued") && tree.contains("ended=SUCCEEDED"), "{tree}");
    app.stop().await;
}

/// The fan-out example: the Python agent's `split` spawns a task per word and
/// re-points the join at them; the join echoes all five, and the trace has
/// the spawned tasks under `split`.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_python_agent_fans_out_at_run_time() {
    let db = TestDb::new(Backend::Sqlite);
    let (app, _agent) = server_and_agent(&db).await;
    let out = cli(&app, &["run", "create", "--plan", "examples/plans/fanout.yaml", "--watch"]).await;
    assert!(out.contains("plan.extended"), "{out}");
    assert!(out.contains("split added 5 tasks and re-pointed 1 task"), "{out}");
    let flat = out.replace("\": ", "\":");
    for word in ["THE", "QUICK", "BROWN", "FOX", "JUMPS"] {
        assert!(flat.contains(&format!(r#""value":"{word}""#)), "no {word} in {out}");
    }
    let tree = cli(&app, &["run", "trace", &run_id(&out)]).await;
    // split-0 … split-4 are drawn one level below split.
    let depth = |line: &str| line.find(|c: char| c.is_alphanumeric()).unwrap_or(0);
    let split = tree.lines().find(|l| l.contains("task split ")).unwrap_or_else(|| panic!("no split in\n{tree}"));
    let child = tree.lines().find(|l| l.contains("task split-3")).unwrap_or_else(|| panic!("no split-3 in\n{tree}"));
    assert!(depth(child) > depth(split), "{tree}");
    app.stop().await;
}
