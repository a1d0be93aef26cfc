//! The bench's report: figures with their targets, per scenario, as a table and as JSON.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::{json, Value};

use orchestrator::domain::{self};

use super::*;

// ---------------------------------------------------------------- report

/// A goal a figure is held to (from the "Benchmarks" issue).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Target {
    /// value ≥ x.
    AtLeast(f64),
    /// value < x.
    Below(f64),
    /// value ≤ x.
    AtMost(f64),
}

impl Target {
    /// Whether `v` meets the target.
    pub fn met(self, v: f64) -> bool {
        match self {
            Target::AtLeast(x) => v >= x,
            Target::Below(x) => v < x,
            Target::AtMost(x) => v <= x,
        }
    }

    pub(super) fn parts(self) -> (&'static str, f64) {
        match self {
            Target::AtLeast(x) => (">=", x),
            Target::Below(x) => ("<", x),
            Target::AtMost(x) => ("<=", x),
        }
    }

    pub(super) fn text(self, unit: &str) -> String {
        let (op, x) = self.parts();
        let op = match op {
            ">=" => "≥",
            "<=" => "≤",
            other => other,
        };
        let unit = if unit.is_empty() || unit == "×" { String::new() } else { format!(" {unit}") };
        format!("{op} {}{unit}", trim_number(x))
    }
}

pub(super) fn trim_number(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

/// One measured figure.
#[derive(Debug, Clone)]
pub struct Figure {
    /// What it is ("tasks/s", "p99").
    pub name: String,
    /// The value.
    pub value: f64,
    /// Its unit ("ms", "tasks/s", "%", "MiB", "×").
    pub unit: &'static str,
    /// Decimals shown in the table.
    pub precision: usize,
    /// The target, if it sets one for this figure.
    pub target: Option<Target>,
}

impl Figure {
    pub(super) fn new(name: impl Into<String>, value: f64, unit: &'static str, precision: usize) -> Figure {
        Figure { name: name.into(), value, unit, precision, target: None }
    }

    pub(super) fn target(mut self, t: Target) -> Figure {
        self.target = Some(t);
        self
    }

    /// Whether the target is met (None: no target).
    pub fn met(&self) -> Option<bool> {
        self.target.map(|t| t.met(self.value))
    }

    pub(super) fn value_text(&self) -> String {
        let unit = match self.unit {
            "" => String::new(),
            "%" | "×" => self.unit.to_string(),
            u => format!(" {u}"),
        };
        format!("{:.*}{unit}", self.precision, self.value)
    }
}

/// One scenario's outcome.
#[derive(Debug, Clone)]
pub struct ScenarioReport {
    /// Its id (`runs`, `wide`, …).
    pub id: String,
    /// What it measures, with its sizes.
    pub title: String,
    /// Its figures (empty when it failed before measuring anything).
    pub figures: Vec<Figure>,
    /// Why it failed, if it did.
    pub error: Option<String>,
    /// How long it took, server start and stop included.
    pub wall: Duration,
}

/// The machine the bench ran on.
#[derive(Debug, Clone)]
pub struct Machine {
    /// Logical CPUs available.
    pub cpus: usize,
    /// `model name` from /proc/cpuinfo.
    pub cpu_model: String,
    /// MemTotal from /proc/meminfo, in GiB.
    pub memory_gib: f64,
    /// The kernel release.
    pub kernel: String,
}

impl Machine {
    pub(super) fn detect() -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu_model = cpuinfo
            .lines()
            .find(|l| l.starts_with("model name"))
            .and_then(|l| l.split_once(':'))
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_else(|| "unknown".into());
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let memory_gib = meminfo
            .lines()
            .find(|l| l.starts_with("MemTotal:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map(|kb| kb / (1024.0 * 1024.0))
            .unwrap_or(0.0);
        Machine {
            cpus: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
            cpu_model,
            memory_gib,
            kernel: std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default().trim().to_string(),
        }
    }
}

/// Everything the bench measured.
#[derive(Debug, Clone)]
pub struct BenchReport {
    /// sqlite or postgres.
    pub backend: &'static str,
    /// Where the databases were.
    pub database: String,
    /// debug or release (of the bench itself; the server binary is named in `server_bin`).
    pub profile: &'static str,
    /// The server binary started per scenario.
    pub server_bin: PathBuf,
    /// The machine.
    pub machine: Machine,
    /// The scenarios, in the order they ran.
    pub scenarios: Vec<ScenarioReport>,
    /// The whole bench's wall time.
    pub wall: Duration,
    pub(super) sizes: Sizes,
}

impl BenchReport {
    /// Whether every scenario ran to the end (targets aside).
    pub fn all_ran(&self) -> bool {
        self.scenarios.iter().all(|s| s.error.is_none())
    }

    /// Whether every figure with a target met it (None when a scenario failed).
    pub fn targets_met(&self) -> Option<bool> {
        if !self.all_ran() {
            return None;
        }
        Some(self.scenarios.iter().flat_map(|s| &s.figures).all(|f| f.met() != Some(false)))
    }

    /// The report as an aligned text table.
    pub fn table(&self) -> String {
        let m = &self.machine;
        let mut out = format!(
            "orchestrator bench: {} ({}), {} build, wall {:.1} s\nmachine: {} CPUs, {}, {:.1} GiB RAM, Linux {}\nserver: {} (one child process per scenario); agents: {}, watchers: {}\n\n",
            self.backend,
            self.database,
            self.profile,
            self.wall.as_secs_f64(),
            m.cpus,
            m.cpu_model,
            m.memory_gib,
            m.kernel,
            self.server_bin.display(),
            self.sizes.agents,
            self.sizes.watchers,
        );
        let mut rows: Vec<[String; 5]> = Vec::new();
        for s in &self.scenarios {
            let mut first = true;
            let mut title = || {
                if std::mem::take(&mut first) {
                    s.title.clone()
                } else {
                    String::new()
                }
            };
            for f in &s.figures {
                let (target, met) = match f.target {
                    Some(t) => (t.text(f.unit), if t.met(f.value) { "yes" } else { "NO" }.to_string()),
                    None => ("—".to_string(), String::new()),
                };
                rows.push([title(), f.name.clone(), f.value_text(), target, met]);
            }
            if s.error.is_some() {
                rows.push([title(), "FAILED (see below)".into(), String::new(), String::new(), String::new()]);
            }
        }
        let header = ["scenario", "figure", "value", "target", "met"].map(String::from);
        let mut widths = header.clone().map(|h| h.chars().count());
        for r in &rows {
            for (w, c) in widths.iter_mut().zip(r) {
                *w = (*w).max(c.chars().count());
            }
        }
        let line = |r: &[String; 5]| {
            let mut l = String::new();
            for (i, (c, w)) in r.iter().zip(widths).enumerate() {
                let pad = w.saturating_sub(c.chars().count());
                if i == 2 {
                    l.push_str(&" ".repeat(pad));
                    l.push_str(c);
                } else {
                    l.push_str(c);
                    if i < 4 {
                        l.push_str(&" ".repeat(pad));
                    }
                }
                if i < 4 {
                    l.push_str("  ");
                }
            }
            l.trim_end().to_string() + "\n"
        };
        out.push_str(&line(&header));
        out.push_str(&line(&widths.map(|w| "-".repeat(w))));
        for r in &rows {
            out.push_str(&line(r));
        }
        let verdict = match self.targets_met() {
            Some(true) => "every target met".to_string(),
            Some(false) => {
                let missed: Vec<String> = self
                    .scenarios
                    .iter()
                    .flat_map(|s| s.figures.iter().map(move |f| (s, f)))
                    .filter(|(_, f)| f.met() == Some(false))
                    .map(|(s, f)| format!("{} {}", s.id, f.name))
                    .collect();
                format!("targets missed: {}", missed.join(", "))
            }
            None => "some scenarios failed (see FAILED rows)".to_string(),
        };
        for s in &self.scenarios {
            if let Some(e) = &s.error {
                out.push_str(&format!("\n{} FAILED: {}\n", s.id, one_line(e, 2000)));
            }
        }
        out.push_str(&format!("\n{verdict}\n"));
        out
    }

    /// The report as JSON.
    pub fn json(&self) -> Value {
        let m = &self.machine;
        json!({
            "backend": self.backend,
            "database": self.database,
            "profile": self.profile,
            "server_bin": self.server_bin.display().to_string(),
            "machine": {
                "cpus": m.cpus,
                "cpu_model": m.cpu_model,
                "memory_gib": (m.memory_gib * 10.0).round() / 10.0,
                "kernel": m.kernel,
            },
            "sizes": self.sizes.json(),
            "wall_s": self.wall.as_secs_f64(),
            "all_ran": self.all_ran(),
            "targets_met": self.targets_met(),
            "scenarios": self.scenarios.iter().map(|s| json!({
                "id": s.id,
                "title": s.title,
                "ok": s.error.is_none(),
                "error": s.error,
                "wall_s": s.wall.as_secs_f64(),
                "figures": s.figures.iter().map(|f| json!({
                    "key": slug(&f.name),
                    "name": f.name,
                    "value": if f.value.is_finite() { json!(f.value) } else { Value::Null },
                    "unit": f.unit,
                    "target": f.target.map(|t| {
                        let (op, x) = t.parts();
                        json!({ "op": op, "value": x })
                    }),
                    "met": f.met(),
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })
    }
}

/// A figure's name as a stable JSON key: "p99 (CreateRun sent → held)" → "p99_createrun_sent_held".
pub(super) fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_string()
}

pub(super) fn one_line(s: &str, max: usize) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    domain::plan::truncate(&flat, max)
}
