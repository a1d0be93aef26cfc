//! The processes Orchestrator's integration tests and its bench start, in
//! one place: a server binary as a child process on a free loopback port,
//! healthy before it is handed out, and a temporary PostgreSQL cluster
//! (`initdb` and `pg_ctl`, as `nobody` when running as root, since
//! PostgreSQL refuses to run as root), removed by a watchdog if the process
//! that started it dies first. Errors are plain text: each caller words them
//! its own way (a test panics, the bench reports a failed scenario).

use std::fs::OpenOptions;
use std::io::{Read, Seek, SeekFrom};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

mod postgres;

pub use postgres::{PgCluster, PgSettings};

/// A result whose error is a sentence.
pub type Result<T> = std::result::Result<T, String>;

/// A loopback port free when asked (another process may take it before it is bound).
pub fn free_port() -> Result<u16> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("finding a free loopback port: {e}"))
}

/// Whether this process runs as root (PostgreSQL's tools then run as `nobody`).
pub fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("Uid:")).map(|l| l.split_whitespace().nth(1) == Some("0")))
        .unwrap_or(false)
}

/// A program on PATH or, for PostgreSQL's server tools, which Debian keeps
/// off PATH, in the newest `/usr/lib/postgresql/*/bin`.
pub fn find_program(name: &str) -> Option<PathBuf> {
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

/// The last `max` bytes of a log file, without colours ("" if it cannot be read).
pub fn log_tail(path: &Path, max: u64) -> String {
    let Ok(mut f) = std::fs::File::open(path) else { return String::new() };
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    let _ = f.seek(SeekFrom::Start(len.saturating_sub(max)));
    let mut buf = Vec::new();
    let _ = f.read_to_end(&mut buf);
    strip_ansi(&String::from_utf8_lossy(&buf))
}

/// Text without ANSI escape sequences (the server colours its log even into a file).
pub fn strip_ansi(s: &str) -> String {
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

/// Runs a command to its end; its stderr is the error when it fails.
pub fn run_checked(cmd: &mut Command, what: &str) -> Result<()> {
    let out = cmd.stdin(Stdio::null()).output().map_err(|e| format!("{what}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let stderr: String = stderr.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(500).collect();
        Err(format!("{what} failed ({}): {stderr}", out.status))
    }
}

/// A server (`orchestrator serve`) as a child process on a loopback port,
/// its stdout and stderr appended to a log file; killed when dropped.
pub struct ServerProcess {
    pub child: Child,
    pub addr: SocketAddr,
}

impl ServerProcess {
    /// Starts the command `command(addr)` makes for a free loopback address
    /// and waits until the server there answers its health check. A port
    /// taken between probing and binding is retried on another, twice.
    pub async fn start(
        command: impl Fn(SocketAddr) -> Command,
        log: &Path,
        startup: Duration,
    ) -> Result<ServerProcess> {
        let mut last = String::new();
        for _ in 0..3 {
            let addr = SocketAddr::from(([127, 0, 0, 1], free_port()?));
            let open = || OpenOptions::new().create(true).append(true).open(log);
            let (out, err) = match (open(), open()) {
                (Ok(out), Ok(err)) => (out, err),
                (Err(e), _) | (_, Err(e)) => return Err(format!("server log {}: {e}", log.display())),
            };
            let mut cmd = command(addr);
            cmd.stdin(Stdio::null()).stdout(out).stderr(err);
            let program = cmd.get_program().to_string_lossy().into_owned();
            let child = cmd.spawn().map_err(|e| format!("starting {program}: {e}"))?;
            let mut server = ServerProcess { child, addr };
            match server.wait_healthy(startup).await {
                Ok(()) => return Ok(server),
                Err(e) => last = e,
            }
        }
        Err(format!("the server did not start: {last}"))
    }

    /// Waits until the server answers its health check, or exits, or `within` passes.
    pub async fn wait_healthy(&mut self, within: Duration) -> Result<()> {
        let deadline = Instant::now() + within;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("it exited with {status}"));
            }
            let endpoint = tonic::transport::Endpoint::from_shared(format!("http://{}", self.addr))
                .map_err(|e| e.to_string())?
                .connect_timeout(Duration::from_secs(1))
                .timeout(Duration::from_secs(2));
            if let Ok(channel) = endpoint.connect().await {
                let mut health = tonic_health::pb::health_client::HealthClient::new(channel);
                if health.check(tonic_health::pb::HealthCheckRequest { service: String::new() }).await.is_ok() {
                    return Ok(());
                }
            }
            if Instant::now() >= deadline {
                return Err(format!("not healthy within {} s", within.as_secs()));
            }
            // Waiting for the process to start and migrate: not a measured path.
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGTERM, then up to `grace` for a graceful shutdown; killed after that (on drop).
    pub async fn stop(mut self, grace: Duration) {
        let pid = self.pid().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).stderr(Stdio::null()).status();
        let deadline = Instant::now() + grace;
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// SIGKILL: no chance to clean up.
    pub fn kill(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_tails_lose_their_colours() {
        assert_eq!(strip_ansi("\u{1b}[2mtime\u{1b}[0m \u{1b}[33m WARN\u{1b}[0m text"), "time  WARN text");
    }

    #[test]
    fn a_failing_command_reports_its_stderr_on_one_line() {
        let err = run_checked(Command::new("sh").args(["-c", "echo 'bad\n  thing' >&2; exit 3"]), "the step")
            .expect_err("it fails");
        assert!(err.starts_with("the step failed (exit status: 3): bad thing"), "{err}");
        assert!(run_checked(&mut Command::new("true"), "true").is_ok());
    }
}
