//! The processes a bench runs: server binaries on free loopback ports, their logs and work directory, and a temporary PostgreSQL cluster.

use std::fs::OpenOptions;
use std::io::{Read, Seek, SeekFrom};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tonic::transport::Endpoint;

use crate::error::{Error, Result};

use super::*;

// ---------------------------------------------------------------- processes

/// The server as a child process on a loopback port; killed when dropped.
pub(super) struct ServerProcess {
    pub(super) child: Child,
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
        let mut last = String::new();
        // A free port may be taken between probing and binding: try a few.
        for _ in 0..3 {
            let port = free_port()?;
            let addr = SocketAddr::from(([127, 0, 0, 1], port));
            let out = OpenOptions::new()
                .create(true)
                .append(true)
                .open(log)
                .map_err(|e| Error::Internal(format!("server log {}: {e}", log.display())))?;
            let err = out.try_clone().map_err(|e| Error::Internal(format!("server log {}: {e}", log.display())))?;
            let mut cmd = Command::new(bin);
            cmd.args(["serve", "--listen", &addr.to_string(), "--database-url", database_url])
                .args(["--max-running", "0"])
                .arg("--statements-file")
                .arg(statements)
                .env("RUST_LOG", filter)
                .stdin(Stdio::null())
                .stdout(out)
                .stderr(err);
            // The server's own settings from the environment (a policy, limits,
            // auth, TLS) would skew or break the bench.
            for (var, _) in std::env::vars_os() {
                if var.to_string_lossy().starts_with("ORCHESTRATOR_") {
                    cmd.env_remove(var);
                }
            }
            let child = cmd.spawn().map_err(|e| Error::Internal(format!("starting {}: {e}", bin.display())))?;
            let mut server = ServerProcess { child, addr, postmaster: None, replicas: Vec::new() };
            match server.wait_healthy().await {
                Ok(()) => return Ok(server),
                Err(e) => last = e,
            }
        }
        Err(Error::Internal(format!("the server did not start: {last}")))
    }

    pub(super) async fn wait_healthy(&mut self) -> std::result::Result<(), String> {
        let deadline = Instant::now() + STARTUP_TIMEOUT;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("it exited with {status}"));
            }
            let endpoint = Endpoint::from_shared(format!("http://{}", self.addr)).map_err(|e| e.to_string())?;
            let endpoint = endpoint.connect_timeout(Duration::from_secs(1)).timeout(Duration::from_secs(2));
            if let Ok(channel) = endpoint.connect().await {
                let mut health = tonic_health::pb::health_client::HealthClient::new(channel);
                if health.check(tonic_health::pb::HealthCheckRequest { service: String::new() }).await.is_ok() {
                    return Ok(());
                }
            }
            if Instant::now() >= deadline {
                return Err(format!("not healthy within {} s", STARTUP_TIMEOUT.as_secs()));
            }
            // Waiting for the process to start and migrate: not a measured path.
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    pub(super) fn pid(&self) -> u32 {
        self.child.id()
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

    /// SIGTERM, then up to 10 s for a graceful shutdown; killed after that (on drop).
    pub(super) async fn stop(mut self) {
        for replica in std::mem::take(&mut self.replicas) {
            Box::pin(replica.stop()).await;
        }
        let pid = self.pid().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).stderr(Stdio::null()).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

pub(super) fn free_port() -> Result<u16> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| Error::Internal(format!("finding a free loopback port: {e}")))
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
            "no orchestrator binary next to this executable or in target/{release,debug}: build it (cargo build --release --bin orchestrator) or pass --server-bin",
        )
    })
}

pub(super) fn with_log_tail(message: String, log: &Path) -> String {
    let tail = log_tail(log, 1500);
    if tail.trim().is_empty() {
        message
    } else {
        format!("{message}; server log ({}): …{}", log.display(), tail.trim())
    }
}

pub(super) fn log_tail(path: &Path, max: u64) -> String {
    let Ok(mut f) = std::fs::File::open(path) else { return String::new() };
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    let _ = f.seek(SeekFrom::Start(len.saturating_sub(max)));
    let mut buf = Vec::new();
    let _ = f.read_to_end(&mut buf);
    strip_ansi(&String::from_utf8_lossy(&buf))
}

/// Text without ANSI escape sequences (the server colours its log even into a file).
pub(super) fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // ESC [ parameters… final byte in @..~
            if chars.next() == Some('[') {
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
        } else {
            out.push(c);
        }
    }
    out
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

// ---------------------------------------------------------------- PostgreSQL

/// A temporary PostgreSQL cluster on a free loopback port, run as `nobody`
/// when we are root; stopped and removed when dropped, or by its watchdog if
/// this process dies first.
pub(super) struct PgCluster {
    pub(super) dir: PathBuf,
    pub(super) pg_ctl: PathBuf,
    pub(super) createdb: PathBuf,
    pub(super) root: bool,
    pub(super) port: u16,
    pub(super) version: String,
    pub(super) watchdog: Option<Child>,
}

impl PgCluster {
    /// Starts a temporary cluster; `durable` keeps PostgreSQL's default
    /// `synchronous_commit=on` (each commit waits for its WAL flush) instead of off.
    pub(super) fn start(dir: PathBuf, durable: bool) -> Result<PgCluster> {
        let initdb = find_program("initdb").ok_or_else(|| {
            Error::Internal(
                "PostgreSQL server binaries (initdb, pg_ctl) not found on PATH or in /usr/lib/postgresql/*/bin: install PostgreSQL or pass --database-url postgres://…".into(),
            )
        })?;
        // /usr/local/bin/initdb may be a link into the versioned directory with the other tools.
        let initdb = std::fs::canonicalize(&initdb).unwrap_or(initdb);
        let sibling = |name: &str| {
            let p = initdb.with_file_name(name);
            if p.is_file() {
                Some(p)
            } else {
                find_program(name)
            }
        };
        let pg_ctl = sibling("pg_ctl").ok_or_else(|| Error::Internal("pg_ctl not found next to initdb".into()))?;
        let createdb =
            sibling("createdb").ok_or_else(|| Error::Internal("createdb not found next to initdb".into()))?;
        let root = is_root();
        let data = dir.join("data");
        std::fs::create_dir_all(&dir).map_err(|e| Error::Internal(format!("creating {}: {e}", dir.display())))?;
        let mut cluster =
            PgCluster { dir: dir.clone(), pg_ctl, createdb, root, port: 0, version: String::new(), watchdog: None };
        if root {
            run_checked(Command::new("chown").args(["-R", "nobody"]).arg(&dir), "chown of the cluster directory")?;
        }
        run_checked(
            cluster.as_pg_user(&initdb).arg("-D").arg(&data).args([
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync",
                "-E",
                "UTF8",
            ]),
            "initdb",
        )?;
        cluster.version = std::fs::read_to_string(data.join("PG_VERSION")).unwrap_or_default().trim().to_string();
        cluster.port = free_port()?;
        let opts = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c synchronous_commit={} -c max_connections=200",
            cluster.port,
            dir.display(),
            if durable { "on" } else { "off" }
        );
        let pg_ctl = cluster.pg_ctl.clone();
        run_checked(
            cluster
                .as_pg_user(&pg_ctl)
                .arg("-D")
                .arg(&data)
                .args(["-o", &opts, "-l"])
                .arg(dir.join("log"))
                .args(["-w", "-t", "60", "start"]),
            "pg_ctl start",
        )?;
        // If this process is killed, the watchdog stops the cluster and removes it.
        let stop = cluster.stop_command_line();
        let script = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; {stop} >/dev/null 2>&1; rm -rf '{dir}'",
            pid = std::process::id(),
            dir = dir.display()
        );
        cluster.watchdog = Command::new("sh")
            .args(["-c", &script])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok();
        Ok(cluster)
    }

    /// The postmaster's pid (the first line of postmaster.pid).
    pub(super) fn postmaster(&self) -> Option<u32> {
        let text = std::fs::read_to_string(self.dir.join("data").join("postmaster.pid")).ok()?;
        text.lines().next()?.trim().parse().ok()
    }

    pub(super) fn as_pg_user(&self, bin: &Path) -> Command {
        if self.root {
            let mut c = Command::new("runuser");
            c.args(["-u", "nobody", "--"]).arg(bin);
            c
        } else {
            Command::new(bin)
        }
    }

    pub(super) fn stop_command_line(&self) -> String {
        let cmd = format!("'{}' -D '{}' stop -m fast -w -t 30", self.pg_ctl.display(), self.dir.join("data").display());
        if self.root {
            format!("runuser -u nobody -- {cmd}")
        } else {
            cmd
        }
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        if let Some(mut w) = self.watchdog.take() {
            let _ = w.kill();
            let _ = w.wait();
        }
        let data = self.dir.join("data");
        let _ = self
            .as_pg_user(&self.pg_ctl.clone())
            .arg("-D")
            .arg(&data)
            .args(["stop", "-m", "fast", "-w", "-t", "30"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub(super) fn create_database(createdb: &Path, port: u16, name: &str) -> Result<String> {
    run_checked(
        Command::new(createdb)
            .args(["-h", "127.0.0.1", "-p", &port.to_string(), "-U", "postgres", name])
            .env("PGCONNECT_TIMEOUT", "10"),
        "createdb",
    )?;
    Ok(format!("postgres://postgres@127.0.0.1:{port}/{name}"))
}

pub(super) fn run_checked(cmd: &mut Command, what: &str) -> Result<()> {
    let out = cmd.stdin(Stdio::null()).output().map_err(|e| Error::Internal(format!("{what}: {e}")))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(Error::Internal(format!(
            "{what} failed ({}): {}",
            out.status,
            one_line(&String::from_utf8_lossy(&out.stderr), 500)
        )))
    }
}

pub(super) fn find_program(name: &str) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("PATH") {
        if let Some(p) = std::env::split_paths(&path).map(|d| d.join(name)).find(|p| p.is_file()) {
            return Some(p);
        }
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("bin").join(name))
        .filter(|p| p.is_file())
        .collect();
    found.sort();
    found.pop()
}

pub(super) fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("Uid:")).map(|l| l.split_whitespace().nth(1) == Some("0")))
        .unwrap_or(false)
}
