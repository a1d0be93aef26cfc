//! The `command` executor: local programs named in the server's policy file
//! (never by a client), one process per attempt, the task as JSON on stdin
//! and the answer as JSON on stdout.
//!
//! The answer is `{"output": …, "usage": {…}}`, or `{"error": "…",
//! "retryable": bool}`; any other JSON value is the output itself, and text
//! that is not JSON becomes a string output. A non-zero exit fails the
//! attempt (retryable) with the tail of stderr. The process gets a clean
//! environment (PATH, HOME, LANG and the agent's own `env`), so the server's
//! secrets never reach it; it is killed when its run is cancelled or fails,
//! when its attempt times out, or when its lease is lost.

use std::path::Path;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Map, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::process::{Child, Command};

use super::agents::{Assignment, ReadCompletion};
use super::Engine;
use crate::config::{AgentPolicy, Hooks};
use crate::domain::Directive;
use crate::domain::{now_micros, Usage};
use crate::error::Error;

/// Bytes of stderr kept in the attempt's events.
const STDERR_KEPT: usize = 4 * 1024;

/// The JSON a command reads on stdin.
pub fn task_payload(a: &Assignment) -> Value {
    json!({
        "run_id": a.run_id,
        "task_id": a.task_id,
        "attempt": a.attempt,
        "goal": a.goal,
        "title": a.spec.title,
        "instructions": a.spec.instructions,
        "inputs": a.inputs,
        "feedback": a.feedback,
        "previous_output": a.previous_output,
        "metadata": a.spec.metadata,
        "context": a.context,
        "allowed_tools": a.allowed_tools,
        "trace_context": a.trace_context,
    })
}

/// Starts a policy's program in `dir` (the policy file's directory), with a clean environment.
fn spawn(
    argv: &[String],
    env: &std::collections::BTreeMap<String, String>,
    dir: Option<&Path>,
) -> std::io::Result<Child> {
    let (program, args) = argv.split_first().ok_or_else(|| std::io::Error::other("empty command"))?;
    let mut cmd = Command::new(program);
    if let Some(dir) = dir {
        cmd.current_dir(dir);
    }
    cmd.args(args).env_clear();
    for key in ["PATH", "HOME", "LANG"] {
        if let Ok(v) = std::env::var(key) {
            cmd.env(key, v);
        }
    }
    cmd.envs(env).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).kill_on_drop(true);
    cmd.spawn()
}

/// What a finished process said.
struct Finished {
    status: std::process::ExitStatus,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

/// Why a process was stopped before it finished.
enum Stopped {
    Cancelled,
    LeaseLost(String),
    TimedOut(u64),
}

/// Runs a hook to completion (with a 60s cap); Err(reason) on failure.
async fn run_hook(
    argv: &[String],
    env: &std::collections::BTreeMap<String, String>,
    dir: Option<&Path>,
    stdin: &[u8],
) -> Result<(), String> {
    if argv.is_empty() {
        return Ok(());
    }
    let mut child = spawn(argv, env, dir).map_err(|e| format!("cannot start hook {:?}: {e}", argv[0]))?;
    if let Some(mut i) = child.stdin.take() {
        let _ = i.write_all(stdin).await;
    }
    match tokio::time::timeout(Duration::from_secs(60), child.wait_with_output()).await {
        Ok(Ok(out)) if out.status.success() => Ok(()),
        Ok(Ok(out)) => Err(format!("hook {:?} exited with {}: {}", argv[0], out.status, tail(&out.stderr))),
        Ok(Err(e)) => Err(format!("hook {:?} failed: {e}", argv[0])),
        Err(_) => Err(format!("hook {:?} timed out after 60s", argv[0])),
    }
}

fn tail(bytes: &[u8]) -> String {
    let start = bytes.len().saturating_sub(STDERR_KEPT);
    String::from_utf8_lossy(&bytes[start..]).trim().to_string()
}

/// Runs one attempt of a command agent (the worker loop is `executors::worker`).
pub(super) async fn execute(
    engine: &Arc<Engine>,
    agent: &AgentPolicy,
    hooks: &Hooks,
    dir: Option<&Path>,
    a: Assignment,
) {
    let payload = task_payload(&a).to_string().into_bytes();
    if let Err(why) = run_hook(&hooks.before_task, &agent.env, dir, &payload).await {
        report_fail(engine, &a.lease_id, &format!("before_task {why}"), true).await;
        return;
    }
    let outcome = run_process(engine, agent, &a, dir, &payload).await;
    let summary = match outcome {
        Ok(fin) => {
            if !fin.stderr.is_empty() {
                let mut data = Map::new();
                data.insert("stream".into(), "stderr".into());
                data.insert("bytes".into(), fin.stderr.len().into());
                let _ = engine.attempt_note(&a.lease_id, tail(&fin.stderr), data).await;
            }
            report(engine, &a, fin).await
        }
        Err(Stopped::Cancelled) => "cancelled".to_string(),
        Err(Stopped::LeaseLost(why)) => format!("lease lost: {why}"),
        Err(Stopped::TimedOut(ms)) => {
            report_fail(engine, &a.lease_id, &format!("attempt timed out after {ms} ms; the process was killed"), true)
                .await;
            "timed out".to_string()
        }
    };
    tracing::info!(agent = %agent.name, outcome = %summary, "attempt finished");
    if !hooks.after_task.is_empty() {
        let mut after = task_payload(&a);
        after["outcome"] = Value::String(summary);
        if let Err(why) = run_hook(&hooks.after_task, &agent.env, dir, after.to_string().as_bytes()).await {
            tracing::warn!(run_id = %a.run_id, task_id = %a.task_id, "after_task {why}");
        }
    }
}

async fn run_process(
    engine: &Arc<Engine>,
    agent: &AgentPolicy,
    a: &Assignment,
    dir: Option<&Path>,
    payload: &[u8],
) -> Result<Finished, Stopped> {
    let mut child = match spawn(&agent.command, &agent.env, dir) {
        Ok(c) => c,
        Err(e) => {
            let why = format!("cannot start {:?}: {e}", agent.command.first().map(String::as_str).unwrap_or(""));
            report_fail(engine, &a.lease_id, &why, false).await;
            return Err(Stopped::LeaseLost(why));
        }
    };
    let mut stdin = child.stdin.take();
    let payload = payload.to_vec();
    let writer = tokio::spawn(async move {
        if let Some(i) = stdin.as_mut() {
            let _ = i.write_all(&payload).await;
        }
        drop(stdin);
    });
    let max_out = engine.config().limits.max_output_bytes as u64 + 1;
    let mut stdout = child.stdout.take();
    let mut stderr = child.stderr.take();
    let out_reader = tokio::spawn(async move {
        let mut buf = Vec::new();
        if let Some(o) = stdout.as_mut() {
            let _ = o.take(max_out).read_to_end(&mut buf).await;
        }
        buf
    });
    let err_reader = tokio::spawn(async move {
        let mut buf = Vec::new();
        if let Some(e) = stderr.as_mut() {
            let _ = e.take(1024 * 1024).read_to_end(&mut buf).await;
        }
        buf
    });
    let timeout_ms = a.spec.timeout_ms.unwrap_or(engine.config().default_task_timeout.as_millis() as u64);
    let deadline = tokio::time::Instant::now() + Duration::from_millis(timeout_ms);
    let beat_every = (engine.config().lease / 3).max(Duration::from_millis(100));
    let mut beat = tokio::time::interval_at(tokio::time::Instant::now() + beat_every, beat_every);
    let mut run_events = crate::hub::RunSubscription::new(engine.store().hub().clone(), &a.run_id);
    let stopped = loop {
        tokio::select! {
            status = child.wait() => {
                let _ = writer.await;
                let stdout = out_reader.await.unwrap_or_default();
                let stderr = err_reader.await.unwrap_or_default();
                return match status {
                    Ok(status) => Ok(Finished { status, stdout, stderr }),
                    Err(e) => {
                        let why = format!("waiting for the process: {e}");
                        report_fail(engine, &a.lease_id, &why, true).await;
                        Err(Stopped::LeaseLost(why))
                    }
                };
            }
            _ = tokio::time::sleep_until(deadline) => break Stopped::TimedOut(timeout_ms),
            _ = beat.tick() => {
                match engine.heartbeat(None, &a.lease_id, Default::default()).await {
                    Ok(b) if b.directive == Directive::Cancel => break Stopped::Cancelled,
                    Ok(_) => {}
                    Err(e @ Error::FailedPrecondition(_)) => break Stopped::LeaseLost(e.to_string()),
                    Err(e) => tracing::warn!(error = %e, "heartbeat failed; retrying at the next tick"),
                }
            }
            signal = run_events.recv() => {
                // The run's own end reaches the process at once, not at the next heartbeat.
                if let Ok(Some(e)) = signal {
                    if super::watch::is_terminal_event(&e) {
                        break Stopped::Cancelled;
                    }
                }
            }
        }
    };
    let _ = child.start_kill();
    let _ = child.wait().await;
    Err(stopped)
}

async fn report(engine: &Arc<Engine>, a: &Assignment, fin: Finished) -> String {
    if !fin.status.success() {
        let why = format!("process exited with {}: {}", fin.status, tail(&fin.stderr));
        report_fail(engine, &a.lease_id, &why, true).await;
        return why;
    }
    if fin.stdout.len() > engine.config().limits.max_output_bytes {
        let why = format!("output exceeds {} bytes", engine.config().limits.max_output_bytes);
        report_fail(engine, &a.lease_id, &why, false).await;
        return why;
    }
    let text = String::from_utf8_lossy(&fin.stdout).trim().to_string();
    let answer: Value = serde_json::from_str(&text).unwrap_or(Value::String(text));
    let (output, usage) = match answer {
        Value::Object(mut m) if m.contains_key("error") => {
            let why =
                m.remove("error").map(|e| e.as_str().map(str::to_string).unwrap_or(e.to_string())).unwrap_or_default();
            let retryable = m.get("retryable").and_then(Value::as_bool).unwrap_or(true);
            report_fail(engine, &a.lease_id, &why, retryable).await;
            return format!("failed: {why}");
        }
        Value::Object(mut m) if m.contains_key("output") => {
            let usage = m
                .remove("usage")
                .and_then(|u| serde_json::from_value::<UsageAnswer>(u).ok())
                .map(UsageAnswer::into_usage);
            (m.remove("output").unwrap_or(Value::Null), usage)
        }
        other => (other, None),
    };
    match engine.complete_task(None, &a.lease_id, ReadCompletion::of(output, usage), 0).await {
        Ok(done) => format!("completed: {}", done.status),
        Err(e) => {
            tracing::warn!(run_id = %a.run_id, task_id = %a.task_id, error = %e, "completion not recorded");
            format!("completion not recorded: {e}")
        }
    }
}

#[derive(serde::Deserialize)]
struct UsageAnswer {
    #[serde(default)]
    prompt_tokens: i64,
    #[serde(default)]
    completion_tokens: i64,
    #[serde(default)]
    tool_calls: i64,
    #[serde(default)]
    cost_usd: f64,
}

impl UsageAnswer {
    fn into_usage(self) -> Usage {
        Usage {
            prompt_tokens: self.prompt_tokens.max(0),
            completion_tokens: self.completion_tokens.max(0),
            tool_calls: self.tool_calls.max(0),
            cost_micros: (self.cost_usd.max(0.0) * 1e6) as i64,
        }
    }
}

async fn report_fail(engine: &Arc<Engine>, lease: &str, why: &str, retryable: bool) {
    if let Err(e) = engine.fail_task(None, lease, why, retryable, None).await {
        tracing::warn!(error = %e, at = now_micros(), "failure not recorded");
    }
}
