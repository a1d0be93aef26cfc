//! Percentiles and CPU time (from /proc) of the bench's measurements.

use std::collections::HashMap;
use std::process::Command;
use std::time::{Duration, Instant};

use super::*;

// ---------------------------------------------------------------- statistics

pub(super) fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

pub(super) fn sorted(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(f64::total_cmp);
    v
}

/// Nearest-rank percentile of sorted values (NaN when empty).
pub(super) fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// CPU used by the server (in all and per thread name) and by this process
/// over a window, in % of one CPU.
pub(super) struct CpuWindow {
    pub(super) started: Instant,
    pub(super) server: Option<u64>,
    pub(super) threads: HashMap<String, (String, u64)>,
    pub(super) bench: Option<u64>,
    pub(super) postgres: Option<HashMap<u32, u64>>,
}

/// What a [`CpuWindow`] saw.
pub(super) struct CpuUse {
    pub(super) secs: f64,
    pub(super) server: f64,
    pub(super) bench: f64,
    /// Server threads grouped by name (tokio-runtime-w, sqlite-writer, …), busiest first.
    pub(super) threads: Vec<(String, f64)>,
    /// The temporary PostgreSQL cluster's processes (postmaster and backends).
    pub(super) postgres: Option<f64>,
}

impl CpuWindow {
    pub(super) fn start(server: &ServerProcess) -> CpuWindow {
        CpuWindow {
            started: Instant::now(),
            server: server.cpu_ticks(),
            threads: thread_ticks(server.pid()),
            bench: cpu_ticks("self"),
            postgres: server.postmaster.map(process_tree_ticks),
        }
    }

    pub(super) fn finish(&self, server: &ServerProcess) -> CpuUse {
        let secs = self.started.elapsed().as_secs_f64().max(1e-9);
        let tick = clock_ticks_per_second();
        let pct = |ticks: u64| ticks as f64 / tick / secs * 100.0;
        let diff = |a: Option<u64>, b: Option<u64>| match (a, b) {
            (Some(a), Some(b)) => pct(b.saturating_sub(a)),
            _ => f64::NAN,
        };
        let mut by_name: HashMap<String, u64> = HashMap::new();
        for (tid, (name, ticks)) in thread_ticks(server.pid()) {
            let before = self.threads.get(&tid).map(|(_, t)| *t).unwrap_or(0);
            *by_name.entry(name).or_default() += ticks.saturating_sub(before);
        }
        let mut threads: Vec<(String, f64)> = by_name.into_iter().map(|(n, t)| (n, pct(t))).collect();
        threads.sort_by(|a, b| b.1.total_cmp(&a.1));
        let postgres = match (&self.postgres, server.postmaster) {
            (Some(before), Some(pm)) => {
                // A backend started in the window counts from zero; one that ended is lost (the pool keeps them).
                let ticks: u64 = process_tree_ticks(pm)
                    .into_iter()
                    .map(|(pid, t)| t.saturating_sub(before.get(&pid).copied().unwrap_or(0)))
                    .sum();
                Some(pct(ticks))
            }
            _ => None,
        };
        CpuUse {
            secs,
            server: diff(self.server, server.cpu_ticks()),
            bench: diff(self.bench, cpu_ticks("self")),
            threads,
            postgres,
        }
    }
}

impl CpuUse {
    /// Server CPU, its busiest thread groups, and this process's CPU.
    pub(super) fn figures(&self, bench_does: &str) -> Vec<Figure> {
        let mut f = vec![Figure::new("server CPU", self.server, "%", 0)];
        for (name, pct) in self.threads.iter().filter(|(_, p)| *p >= 2.0).take(3) {
            f.push(Figure::new(format!("  of which threads {name:?}"), *pct, "%", 0));
        }
        if let Some(pg) = self.postgres {
            f.push(Figure::new("postgres CPU (all its processes)", pg, "%", 0));
        }
        f.push(Figure::new(format!("bench CPU ({bench_does})"), self.bench, "%", 0));
        f
    }
}

/// utime + stime of a process and its children (a postmaster and its backends), by pid.
pub(super) fn process_tree_ticks(root: u32) -> HashMap<u32, u64> {
    let mut out = HashMap::new();
    let Ok(dir) = std::fs::read_dir("/proc") else { return out };
    for e in dir.filter_map(|e| e.ok()) {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Ok(stat) = std::fs::read_to_string(e.path().join("stat")) else { continue };
        let ppid = stat.rfind(')').and_then(|i| stat[i + 1..].split_whitespace().nth(1)?.parse::<u32>().ok());
        if pid == root || ppid == Some(root) {
            if let Some(t) = stat_ticks(&stat) {
                out.insert(pid, t);
            }
        }
    }
    out
}

/// utime + stime of each thread of a process, with the thread's name, by thread id.
pub(super) fn thread_ticks(pid: u32) -> HashMap<String, (String, u64)> {
    let Ok(dir) = std::fs::read_dir(format!("/proc/{pid}/task")) else { return HashMap::new() };
    dir.filter_map(|e| e.ok())
        .filter_map(|e| {
            let tid = e.file_name().to_string_lossy().into_owned();
            let stat = std::fs::read_to_string(e.path().join("stat")).ok()?;
            let name = stat.get(stat.find('(')? + 1..stat.rfind(')')?)?.to_string();
            Some((tid, (name, stat_ticks(&stat)?)))
        })
        .collect()
}

/// utime + stime of a process, in clock ticks.
pub(super) fn cpu_ticks(pid: &str) -> Option<u64> {
    stat_ticks(&std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?)
}

/// utime + stime from a /proc stat line.
pub(super) fn stat_ticks(stat: &str) -> Option<u64> {
    // The command name may hold spaces; the fields after it are plain.
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

pub(super) fn clock_ticks_per_second() -> f64 {
    static TICKS: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *TICKS.get_or_init(|| {
        Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse::<f64>().ok())
            .filter(|t| *t > 0.0)
            .unwrap_or(100.0)
    })
}
