//! A temporary PostgreSQL cluster on a free loopback port.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use super::{find_program, free_port, is_root, run_checked, Result};

/// How a temporary cluster runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PgSettings {
    /// PostgreSQL's default (each commit waits for its WAL flush), or off.
    pub synchronous_commit: bool,
    /// Off for tests: nothing written needs to survive a crash of the machine.
    pub fsync: bool,
    pub max_connections: u32,
}

impl PgSettings {
    /// For tests: no flush at all, room for many servers' pools at once.
    pub fn for_tests() -> PgSettings {
        PgSettings { synchronous_commit: false, fsync: false, max_connections: 400 }
    }

    /// For a bench: flushed as PostgreSQL flushes, each commit waiting for
    /// its WAL when `durable` (the default durability), or not.
    pub fn for_bench(durable: bool) -> PgSettings {
        PgSettings { synchronous_commit: durable, fsync: true, max_connections: 200 }
    }
}

/// A temporary PostgreSQL cluster in `dir`, run as `nobody` when we are
/// root; stopped and removed when dropped or, if this process dies first
/// (or the cluster lives in a static that is never dropped), by its watchdog.
pub struct PgCluster {
    pub dir: PathBuf,
    pub port: u16,
    /// The server's major version (its PG_VERSION).
    pub version: String,
    pg_ctl: PathBuf,
    createdb: PathBuf,
    root: bool,
    watchdog: Option<Child>,
}

impl PgCluster {
    /// Makes and starts a cluster in `dir` (created if missing).
    pub fn start(dir: PathBuf, settings: PgSettings) -> Result<PgCluster> {
        let initdb = find_program("initdb").ok_or(
            "PostgreSQL server binaries (initdb, pg_ctl) not found on PATH or in /usr/lib/postgresql/*/bin: install PostgreSQL or name a server with a database URL",
        )?;
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
        let pg_ctl = sibling("pg_ctl").ok_or("pg_ctl not found next to initdb")?;
        let createdb = sibling("createdb").ok_or("createdb not found next to initdb")?;
        let root = is_root();
        let data = dir.join("data");
        std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
        let mut cluster =
            PgCluster { dir: dir.clone(), port: 0, version: String::new(), pg_ctl, createdb, root, watchdog: None };
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
        let on = |b: bool| if b { "on" } else { "off" };
        let mut opts = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c synchronous_commit={} -c max_connections={}",
            cluster.port,
            dir.display(),
            on(settings.synchronous_commit),
            settings.max_connections
        );
        if !settings.fsync {
            opts.push_str(" -c fsync=off -c full_page_writes=off");
        }
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
        // If this process ends without dropping the cluster, the watchdog stops it and removes it.
        let script = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; {stop} >/dev/null 2>&1; rm -rf '{dir}'",
            pid = std::process::id(),
            stop = cluster.stop_command_line(),
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

    /// `postgres://postgres@127.0.0.1:PORT` (a database name follows).
    pub fn base_url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}", self.port)
    }

    /// The postmaster's pid (the first line of postmaster.pid).
    pub fn postmaster(&self) -> Option<u32> {
        let text = std::fs::read_to_string(self.dir.join("data").join("postmaster.pid")).ok()?;
        text.lines().next()?.trim().parse().ok()
    }

    /// Creates database `name` (with `createdb`); its URL.
    pub fn create_database(&self, name: &str) -> Result<String> {
        run_checked(
            Command::new(&self.createdb)
                .args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", "postgres", name])
                .env("PGCONNECT_TIMEOUT", "10"),
            "createdb",
        )?;
        Ok(format!("{}/{name}", self.base_url()))
    }

    fn as_pg_user(&self, bin: &Path) -> Command {
        if self.root {
            let mut c = Command::new("runuser");
            c.args(["-u", "nobody", "--"]).arg(bin);
            c
        } else {
            Command::new(bin)
        }
    }

    /// The cluster is thrown away: no checkpoint is worth waiting for.
    fn stop_command_line(&self) -> String {
        let cmd =
            format!("'{}' -D '{}' stop -m immediate -w -t 30", self.pg_ctl.display(), self.dir.join("data").display());
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
            .args(["stop", "-m", "immediate", "-w", "-t", "30"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
