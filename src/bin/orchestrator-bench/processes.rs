//! The processes a bench runs: server binaries on free loopback ports (the
//! harness's, shared with the integration tests), their logs and work
//! directory. The temporary PostgreSQL cluster is the harness's too.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use orchestrator::error::{Error, Result};
use orchestrator_harness as harness;

use super::*;

/// The server as a child process on a loopback port; killed when dropped.
pub(super) struct ServerProcess {
    process: harness::ServerProcess,
    pub(super) addr: SocketAddr,
    /// The PostgreSQL postmaster of a temporary cluster, whose processes' CPU is counted too.
    pub(super) postmaster: Option<u32>,
    /// Further servers on the same database (`--replicas`), stopped with this one.
    pub(super) replicas: Vec<ServerProcess>,
}

impl ServerProcess {
    /// Starts `serve` on a free port, logging at `filter`; it writes its
    /// statement count to `statements` when it stops.
    pub(super) async fn start(
        bin: &Path,
        database_url: &str,
        log: &Path,
        statements: &Path,
        filter: &str,
    ) -> Result<ServerProcess> {
        let command = |addr: SocketAddr| {
            let mut cmd = Command::new(bin);
            cmd.args(["serve", "--listen", &addr.to_string(), "--database-url", database_url])
                .args(["--max-running", "0"])
                .arg("--statements-file")
                .arg(statements)
                .env("RUST_LOG", filter);
            // The server's own settings from the environment (a policy, limits,
            // auth, TLS) would skew or break the bench.
            for (var, _) in std::env::vars_os() {
                if var.to_string_lossy().starts_with("ORCHESTRATOR_") {
                    cmd.env_remove(var);
                }
            }
            cmd
        };
        let process = harness::ServerProcess::start(command, log, STARTUP_TIMEOUT).await.map_err(Error::Internal)?;
        Ok(ServerProcess { addr: process.addr, process, postmaster: None, replicas: Vec::new() })
    }

    pub(super) fn pid(&self) -> u32 {
        self.process.pid()
    }

    pub(super) fn cpu_ticks(&self) -> Option<u64> {
        cpu_ticks(&self.pid().to_string())
    }

    /// A `kB` line of /proc/PID/status (VmRSS, VmHWM).
    pub(super) fn status_kb(&self, key: &str) -> Result<u64> {
        let path = format!("/proc/{}/status", self.pid());
        let status = std::fs::read_to_string(&path).map_err(|e| Error::Internal(format!("reading {path}: {e}")))?;
        status
            .lines()
            .find(|l| l.starts_with(key) && l[key.len()..].starts_with(':'))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| Error::Internal(format!("no {key} in {path}")))
    }

    /// This server's address, then its replicas'.
    pub(super) fn addrs(&self) -> Vec<SocketAddr> {
        std::iter::once(self.addr).chain(self.replicas.iter().map(|r| r.addr)).collect()
    }

    /// SIGTERM, then up to 10 s for a graceful shutdown (replicas first); killed after that.
    pub(super) async fn stop(mut self) {
        for replica in std::mem::take(&mut self.replicas) {
            Box::pin(replica.stop()).await;
        }
        self.process.stop(Duration::from_secs(10)).await;
    }
}

/// The `orchestrator` binary: `--server-bin`, else next to this executable
/// (or one level up, for `target/*/examples/`), else target/{profile}/.
pub(super) fn find_server_bin(explicit: Option<&Path>) -> Result<PathBuf> {
    if let Some(p) = explicit {
        return if p.is_file() {
            Ok(p.to_path_buf())
        } else {
            Err(Error::invalid("server_bin", format!("{} is not a file", p.display())))
        };
    }
    let name = format!("orchestrator{}", std::env::consts::EXE_SUFFIX);
    let mut candidates = Vec::new();
    if let Ok(exe) = std::env::current_exe() {
        if let Some(dir) = exe.parent() {
            candidates.push(dir.join(&name));
            if let Some(up) = dir.parent() {
                candidates.push(up.join(&name));
            }
        }
    }
    let profiles = if cfg!(debug_assertions) { ["debug", "release"] } else { ["release", "debug"] };
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("target"));
    for p in profiles {
        candidates.push(target.join(p).join(&name));
    }
    candidates.into_iter().find(|c| c.is_file()).ok_or_else(|| {
        Error::invalid(
            "server_bin",
            "no orchestrator binary next to this executable or in target/{release,debug}: build it (cargo build --release) or pass --server-bin",
        )
    })
}

pub(super) fn with_log_tail(message: String, log: &Path) -> String {
    let tail = harness::log_tail(log, 1500);
    if tail.trim().is_empty() {
        message
    } else {
        format!("{message}; server log ({}): …{}", log.display(), tail.trim())
    }
}

/// A temporary directory, removed when dropped.
pub(super) struct WorkDir {
    pub(super) path: PathBuf,
    pub(super) keep: bool,
}

impl WorkDir {
    pub(super) fn create() -> Result<WorkDir> {
        let nanos =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
        let path = std::env::temp_dir().join(format!("orchestrator-bench-{}-{nanos}", std::process::id()));
        std::fs::create_dir(&path)
            .map_err(|e| Error::Internal(format!("creating the temporary directory {}: {e}", path.display())))?;
        Ok(WorkDir { path, keep: false })
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}
