//! The layering ARCHITECTURE.md states, checked on the source the way
//! rust-analyzer's tidy tests check theirs: by reading the files.
//!
//! - diesel only in `store/` (the store is the only module that knows the database);
//! - the contract's prost types (`crate::proto`, `pb::`, `prost`, `prost_types`)
//!   only in `api/`, `cli/`, the bench (`bin/orchestrator-bench/`) and `proto.rs` itself;
//! - the bench is not in the library: it is its own binary, a client of the
//!   library's public API;
//! - no `store::` in `api/`: handlers see the engine and the domain;
//! - no store row in `api/` or `telemetry/`: runs, tasks, attempts, events,
//!   spans and keys reach them as domain records.
//!
//! Comments do not count. An exception is listed with its reason in
//! `KNOWN`; the test fails when a listed one is gone too (so the list only
//! shrinks), and names every new violation at once.

use std::path::{Path, PathBuf};

const SRC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src");

/// (rule, file, why) for a file allowed to break a rule for now; the list
/// only shrinks (it is empty: keep it so).
const KNOWN: &[(&str, &str, &str)] = &[];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The file's code lines (comment lines and trailing comments removed).
fn code(text: &str) -> Vec<(usize, String)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim_start().starts_with("//"))
        .map(|(i, l)| {
            // A trailing `// …` outside a string; the sources keep `//` out of strings on code lines.
            let cut = match l.find(" //") {
                Some(at) if !l[..at].contains('"') => &l[..at],
                _ => l,
            };
            (i + 1, cut.to_string())
        })
        .collect()
}

fn words_in(line: &str, needles: &[&str]) -> bool {
    needles.iter().any(|n| {
        line.match_indices(n).any(|(at, _)| {
            // A whole path segment: `store::`, not `restore::` or `my_store::`.
            !line[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_')
        })
    })
}

#[test]
fn every_layer_sees_only_what_architecture_md_lets_it_see() {
    let root = Path::new(SRC);
    let mut files = Vec::new();
    rust_files(root, &mut files);
    files.sort();
    assert!(files.len() > 50, "found only {} source files under {SRC}", files.len());
    let mut found: Vec<(String, String, String)> = Vec::new();
    for path in &files {
        let rel = path.strip_prefix(root).expect("under src").to_string_lossy().replace('\\', "/");
        let text = std::fs::read_to_string(path).expect("read");
        let in_dir = |d: &str| rel.starts_with(d);
        let rules: [(&str, bool, &[&str]); 4] = [
            ("diesel only in store/", !in_dir("store/"), &["diesel"]),
            (
                "prost types only in api/, cli/, the bench",
                !(in_dir("api/") || in_dir("cli/") || in_dir("bin/orchestrator-bench/") || rel == "proto.rs"),
                &["crate::proto", "orchestrator::proto", "pb::", "prost::", "prost_types", "tonic_prost"],
            ),
            ("no store:: in api/", in_dir("api/"), &["store::"]),
            (
                "no store rows in api/ or telemetry/ (they get domain records)",
                in_dir("api/") || in_dir("telemetry/"),
                &["RunRow", "TaskRow", "AttemptRow", "SpanRow", "EventRow", "KeyRow"],
            ),
        ];
        for (rule, applies, needles) in rules {
            if !applies {
                continue;
            }
            for (n, line) in code(&text) {
                if words_in(&line, needles) {
                    found.push((rule.to_string(), rel.clone(), format!("{rel}:{n}: {}", line.trim())));
                }
            }
        }
    }
    let is_known = |rule: &str, file: &str| KNOWN.iter().any(|(r, f, _)| *r == rule && *f == file);
    let new: Vec<&String> = found.iter().filter(|(r, f, _)| !is_known(r, f)).map(|(_, _, l)| l).collect();
    assert!(
        new.is_empty(),
        "layering broken (see ARCHITECTURE.md):\n{}",
        new.iter().map(|l| format!("  {l}")).collect::<Vec<_>>().join("\n")
    );
    let gone: Vec<String> = KNOWN
        .iter()
        .filter(|(r, f, _)| !found.iter().any(|(fr, ff, _)| fr == r && ff == f))
        .map(|(r, f, why)| format!("{r}: {f} ({why})"))
        .collect();
    assert!(gone.is_empty(), "these exceptions no longer exist: remove them from KNOWN:\n{}", gone.join("\n"));
}

/// The bench left the library: no module of the library is the bench, and
/// the bench's binary reaches the library only by its public paths.
#[test]
fn the_bench_is_a_binary_outside_the_library() {
    let lib = std::fs::read_to_string(Path::new(SRC).join("lib.rs")).expect("lib.rs");
    assert!(!code(&lib).iter().any(|(_, l)| l.contains("mod bench")), "lib.rs declares a bench module");
    assert!(!Path::new(SRC).join("bench").exists(), "src/bench is back in the library");
    let mut files = Vec::new();
    rust_files(&Path::new(SRC).join("bin/orchestrator-bench"), &mut files);
    assert!(files.len() >= 5, "the bench binary's files: {files:?}");
    for path in files {
        let text = std::fs::read_to_string(&path).expect("read");
        for (n, line) in code(&text) {
            // `crate::` in the bench is the bench itself; the library is `orchestrator::`.
            assert!(
                !line.contains("crate::proto") && !line.contains("crate::domain"),
                "{}:{n}: {line}",
                path.display()
            );
        }
    }
}

#[test]
fn the_checker_sees_a_violation_and_ignores_comments() {
    let lines = code("use crate::store::Event; // store::x\n/// a doc about store::Event\nlet restore::x = 1;\n");
    let hits: Vec<usize> = lines.iter().filter(|(_, l)| words_in(l, &["store::"])).map(|(n, _)| *n).collect();
    assert_eq!(hits, vec![1], "{lines:?}");
}

/// The suite is one binary (`tests/suite/main.rs`): Cargo makes no test
/// target of a file in its folder, so a file no `mod` line names would
/// compile nowhere and its tests would silently never run.
#[test]
fn every_test_file_is_in_the_suite() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/suite");
    let main = std::fs::read_to_string(dir.join("main.rs")).expect("read the suite's main.rs");
    let declared: Vec<&str> = main.lines().filter_map(|l| l.trim().strip_prefix("mod ")?.strip_suffix(';')).collect();
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("read tests/suite") {
        let path = entry.expect("entry").path();
        let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
        let is_module = path.extension().is_some_and(|e| e == "rs") || path.join("mod.rs").exists();
        if is_module && name != "main" && !declared.contains(&name.as_str()) {
            missing.push(name);
        }
    }
    assert!(missing.is_empty(), "tests/suite files no `mod` line in main.rs names: {missing:?}");
    // And no file left beside the suite, where Cargo would build a binary of its own.
    let loose: Vec<_> = std::fs::read_dir(dir.parent().expect("tests/"))
        .expect("read tests/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    assert!(loose.is_empty(), "test files outside tests/suite, each its own binary: {loose:?}");
}
