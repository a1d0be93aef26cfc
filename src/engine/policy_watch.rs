//! Hot reload of the policy file.
//!
//! The watcher reads the file about once a second and compares the SHA-256
//! of its bytes with the last one it saw. A changed file is parsed and
//! checked in full; a good one replaces the policy whole (see
//! [`Engine::replace_policy`]) and is logged as reloaded, a bad one is logged
//! with each error's line and field while the previous policy stays in
//! force. Polling a hash rather than subscribing to file-system events is a
//! deliberate choice: it is portable, sees through editors that replace the
//! file (rename) or write it in place, works on network and container
//! mounts, and costs one small read per second.

use std::sync::Arc;
use std::time::Duration;

use super::Engine;
use crate::config::workflow;
use crate::config::PolicyFile;

/// Watches `file` until the task is aborted.
pub async fn watch(engine: Arc<Engine>, file: PolicyFile, every: Duration) {
    let mut seen = file.digest.clone();
    let name = file.path.display().to_string();
    tracing::info!(file = %name, "watching the policy file for changes");
    let mut tick = tokio::time::interval(every.max(Duration::from_millis(10)));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let path = file.path.clone();
        let bytes = match tokio::task::spawn_blocking(move || std::fs::read(path)).await {
            Ok(Ok(b)) => b,
            Ok(Err(e)) => {
                let d = format!("unreadable: {e}");
                if d != seen {
                    tracing::warn!(file = %name, error = %e, "cannot read the policy file; keeping the policy in force");
                    seen = d;
                }
                continue;
            }
            Err(_) => continue,
        };
        let digest = workflow::digest(&bytes);
        if digest == seen {
            continue;
        }
        seen = digest;
        let parsed = match String::from_utf8(bytes) {
            Ok(text) => workflow::parse_file(&file.path, &text),
            Err(e) => Err(workflow::PolicyErrors(vec![workflow::PolicyError {
                file: name.clone(),
                line: None,
                column: None,
                field: String::new(),
                message: format!("not UTF-8: {e}"),
            }])),
        };
        match parsed {
            Ok(policy) => {
                let agents = policy.agents.len();
                let restart_only = engine.replace_policy(policy);
                tracing::info!(file = %name, agents, "policy reloaded");
                // Its recipes: a bad one is not kept (the rest of the policy is in force).
                match engine.keep_policy_recipes().await {
                    Ok(problems) => {
                        for p in problems {
                            tracing::error!(file = %name, error = %p, "a recipe of the policy file is not kept");
                        }
                    }
                    Err(e) => tracing::warn!(file = %name, error = %e, "the policy file's recipes could not be kept"),
                }
                for setting in restart_only {
                    tracing::warn!(
                        file = %name,
                        setting = %setting,
                        "this setting changed but applies only at the next start; the running value stays"
                    );
                }
            }
            Err(errors) => {
                for e in &errors.0 {
                    tracing::error!(
                        file = %name,
                        line = e.line.unwrap_or(0),
                        field = %e.field,
                        error = %e,
                        "invalid policy edit; keeping the previous policy"
                    );
                }
            }
        }
    }
}
