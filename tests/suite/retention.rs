//! Retention on a real database of each backend: what a prune counts, what
//! it deletes (every row of the run), what it leaves alone (unfinished and
//! recent runs, other workspaces), and the background pruner applying the
//! retention of a WORKFLOW.md.

use crate::common;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use common::{test_config, Backend, TestDb};
use diesel::prelude::*;
use orchestrator::config::workflow::{self, Format};
use orchestrator::domain::{RunSpec, TaskSpec};
use orchestrator::engine::agents::ReadCompletion;
use orchestrator::engine::{retention, Engine};
use orchestrator::store::schema::*;
use orchestrator::store::{Conn, PruneCounts, PruneFilter, Store};
use serde_json::json;

both_backends!(
    a_dry_run_counts_and_a_prune_deletes_every_row_of_old_terminal_runs,
    a_prune_is_scoped_to_its_workspace,
    pruning_goes_in_batches_until_nothing_is_left,
    the_background_pruner_applies_the_retention_of_the_workflow,
);

const DAY: i64 = 86_400 * 1_000_000;

macro_rules! on_conn {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            Conn::Sqlite(inner) => {
                let $c: &mut diesel::SqliteConnection = &mut **inner;
                $body
            }
            Conn::Pg(inner) => {
                let $c: &mut diesel::PgConnection = &mut **inner;
                $body
            }
        }
    };
}

async fn engine(db: &TestDb, policy: Option<&str>) -> Arc<Engine> {
    let mut config = test_config(db);
    if let Some(p) = policy {
        config.policy = workflow::parse("WORKFLOW.md", p, Format::Workflow).expect("valid workflow");
    }
    config.prune_interval = Duration::from_millis(100);
    config.prune_pause = Duration::from_millis(5);
    let store = orchestrator::engine::open_store(&config).await.expect("store");
    Engine::new(store, Arc::new(config))
}

fn spec(goal: &str, request_id: Option<&str>) -> RunSpec {
    let task = |id: &str, deps: &[&str]| TaskSpec {
        id: id.into(),
        title: id.into(),
        agent: "ext".into(),
        depends_on: deps.iter().map(|d| d.to_string()).collect(),
        ..Default::default()
    };
    RunSpec {
        goal: goal.into(),
        criteria: Vec::new(),
        plan: Some(vec![task("a", &[]), task("b", &["a"])]),
        labels: BTreeMap::from([("team".to_string(), "qa".to_string())]),
        request_id: request_id.map(str::to_string),
        ..Default::default()
    }
}

/// A run that an agent completed (two tasks, attempts, events, an old span row).
async fn completed_run(e: &Engine, ws: &str, goal: &str) -> String {
    let (run, _) = e.create_run(ws, spec(goal, Some(goal)), None, "test").await.expect("create");
    for _ in 0..2 {
        let a = e.poll_task(Some(ws), "ext", "t", Duration::from_secs(5)).await.expect("poll").expect("a task");
        e.complete_task(Some(ws), &a.lease_id, ReadCompletion::of(json!("done"), None), 0).await.expect("complete");
    }
    let done = e.get_run(ws, &run.run.id, false).await.expect("get").run;
    assert_eq!(done.status, orchestrator::domain::RunStatus::Completed);
    // A span row, as a run recorded before v2 has (the trace is assembled from
    // events and rows now, but old rows must go with their run).
    let span = orchestrator::store::SpanRow {
        trace_id: done.trace_id.clone(),
        span_id: format!("{:016x}", done.created_at),
        run_id: done.id.clone(),
        workspace_id: ws.to_string(),
        parent_span_id: None,
        name: "llm.chat".into(),
        start_time: done.created_at,
        end_time: Some(done.created_at),
        status_code: "ok".into(),
        status_message: String::new(),
        attributes_json: "{}".into(),
        events_json: "[]".into(),
    };
    e.store()
        .write(move |tx| {
            on_conn!(&mut tx.conn, c => diesel::insert_into(spans::table).values(&span).execute(c))?;
            Ok(())
        })
        .await
        .expect("span");
    run.run.id
}

async fn cancelled_run(e: &Engine, ws: &str, goal: &str) -> String {
    let (run, _) = e.create_run(ws, spec(goal, None), None, "test").await.expect("create");
    e.cancel_run(ws, &run.run.id, "test", "test").await.expect("cancel");
    run.run.id
}

/// Moves a run's end (and every other time of it) `days` into the past.
async fn age(store: &Store, run_id: &str, days: i64) {
    let id = run_id.to_string();
    store
        .write(move |tx| {
            on_conn!(&mut tx.conn, c => diesel::update(runs::table.find(&id))
                .set((runs::finished_at.eq(runs::finished_at - days * DAY), runs::created_at.eq(runs::created_at - days * DAY)))
                .execute(c))?;
            Ok(())
        })
        .await
        .expect("age");
}

/// Rows per table that belong to a run.
async fn rows_of(store: &Store, run_id: &str) -> BTreeMap<&'static str, i64> {
    let id = run_id.to_string();
    store
        .read(move |conn| {
            let mut m = BTreeMap::new();
            on_conn!(conn, c => {
                m.insert("runs", runs::table.filter(runs::id.eq(&id)).count().get_result(c)?);
                m.insert("tasks", tasks::table.filter(tasks::run_id.eq(&id)).count().get_result(c)?);
                m.insert("task_deps", task_deps::table.filter(task_deps::run_id.eq(&id)).count().get_result(c)?);
                m.insert("attempts", attempts::table.filter(attempts::run_id.eq(&id)).count().get_result(c)?);
                m.insert("events", events::table.filter(events::run_id.eq(&id)).count().get_result(c)?);
                m.insert("spans", spans::table.filter(spans::run_id.eq(&id)).count().get_result(c)?);
                m.insert("run_labels", run_labels::table.filter(run_labels::run_id.eq(&id)).count().get_result(c)?);
                m.insert(
                    "idempotency_keys",
                    idempotency_keys::table.filter(idempotency_keys::run_id.eq(&id)).count().get_result(c)?,
                );
            });
            Ok(m)
        })
        .await
        .expect("count rows")
}

fn older_than(days: i64) -> PruneFilter {
    PruneFilter {
        finished_before: orchestrator::domain::now_micros() - days * DAY,
        workspace: None,
        exclude: Vec::new(),
    }
}

async fn a_dry_run_counts_and_a_prune_deletes_every_row_of_old_terminal_runs(backend: Backend) {
    let db = TestDb::new(backend);
    let e = engine(&db, None).await;
    let store = e.store().clone();
    let old_done = completed_run(&e, "default", "old-done").await;
    let old_cancelled = cancelled_run(&e, "default", "old-cancelled").await;
    let recent = completed_run(&e, "default", "recent").await;
    age(&store, &old_done, 40).await;
    age(&store, &old_cancelled, 40).await;
    // Unfinished runs, however old: one executing with a task leased, one paused.
    let (running, _) = e.create_run("default", spec("running", None), None, "t").await.expect("create");
    let leased = e.poll_task(Some("default"), "ext", "t", Duration::from_secs(5)).await.expect("poll");
    assert!(leased.is_some());
    let (paused, _) = e.create_run("default", spec("paused", None), None, "t").await.expect("create");
    e.pause_run("default", &paused.run.id, "hold", "t").await.expect("pause");
    for id in [&running.run.id, &paused.run.id] {
        age(&store, id, 400).await;
    }

    let before = rows_of(&store, &old_done).await;
    assert!(before.values().all(|n| *n > 0), "every table has rows of a completed run: {before:?}");
    let cancelled_rows = rows_of(&store, &old_cancelled).await;

    let counted = retention::count(&store, &older_than(30)).await.expect("dry run");
    assert_eq!(counted.runs, 2);
    assert_eq!(counted.tasks as i64, before["tasks"] + cancelled_rows["tasks"]);
    assert_eq!(counted.attempts as i64, before["attempts"] + cancelled_rows["attempts"]);
    assert_eq!(counted.events as i64, before["events"] + cancelled_rows["events"]);
    assert_eq!(counted.spans as i64, before["spans"] + cancelled_rows["spans"]);
    assert_eq!(rows_of(&store, &old_done).await, before, "a dry run deletes nothing");

    let pruned = retention::prune(&store, &older_than(30), Duration::from_millis(1)).await.expect("prune");
    assert_eq!(pruned, counted, "a prune removes what the dry run counted");
    for id in [&old_done, &old_cancelled] {
        let left = rows_of(&store, id).await;
        assert!(left.values().all(|n| *n == 0), "rows of {id} left behind: {left:?}");
    }
    for id in [&recent, &running.run.id, &paused.run.id] {
        assert_eq!(rows_of(&store, id).await["runs"], 1, "{id} must stay");
    }
    assert_eq!(
        e.get_run("default", &paused.run.id, false).await.expect("paused run").run.status,
        orchestrator::domain::RunStatus::Paused
    );
    assert_eq!(
        e.get_run("default", &running.run.id, false).await.expect("running run").run.status,
        orchestrator::domain::RunStatus::Executing
    );
    // The request id of a pruned run is free again.
    assert!(!e.create_run("default", spec("old-done", Some("old-done")), None, "t").await.expect("again").1);
    assert_eq!(retention::count(&store, &older_than(30)).await.expect("count"), PruneCounts::default());
}

async fn a_prune_is_scoped_to_its_workspace(backend: Backend) {
    let db = TestDb::new(backend);
    let e = engine(&db, None).await;
    let store = e.store().clone();
    store.write(|tx| orchestrator::store::create_workspace(tx, "acme")).await.expect("workspace");
    let ours = cancelled_run(&e, "acme", "ours").await;
    let theirs = cancelled_run(&e, "default", "theirs").await;
    age(&store, &ours, 10).await;
    age(&store, &theirs, 10).await;

    let acme = PruneFilter { workspace: Some("acme".into()), ..older_than(5) };
    assert_eq!(retention::count(&store, &acme).await.expect("count").runs, 1);
    assert_eq!(retention::prune(&store, &acme, Duration::ZERO).await.expect("prune").runs, 1);
    assert_eq!(rows_of(&store, &ours).await["runs"], 0);
    assert_eq!(rows_of(&store, &theirs).await["runs"], 1, "another workspace's run stays");

    let all_but_default = PruneFilter { exclude: vec!["default".into()], ..older_than(5) };
    assert_eq!(retention::count(&store, &all_but_default).await.expect("count").runs, 0);
}

async fn pruning_goes_in_batches_until_nothing_is_left(backend: Backend) {
    let db = TestDb::new(backend);
    let e = engine(&db, None).await;
    let store = e.store().clone();
    let n = retention::BATCH as usize * 2 + 17;
    for i in 0..n {
        let (run, _) = e.create_run("default", spec(&format!("r{i}"), None), None, "t").await.expect("create");
        e.cancel_run("default", &run.run.id, "", "t").await.expect("cancel");
    }
    store
        .write(|tx| {
            on_conn!(&mut tx.conn, c => diesel::update(runs::table).set(runs::finished_at.eq(runs::finished_at - 2 * DAY)).execute(c))?;
            Ok(())
        })
        .await
        .expect("age all");
    let pruned = retention::prune(&store, &older_than(1), Duration::from_millis(1)).await.expect("prune");
    assert_eq!(pruned.runs as usize, n);
    assert_eq!(pruned.tasks as usize, 2 * n);
    let left: i64 =
        store.read(|conn| Ok(on_conn!(conn, c => runs::table.count().get_result(c))?)).await.expect("count");
    assert_eq!(left, 0);
}

async fn the_background_pruner_applies_the_retention_of_the_workflow(backend: Backend) {
    let db = TestDb::new(backend);
    let e = engine(&db, Some("---\nretention:\n  default: 30d\n  workspaces:\n    acme: 7d\n    keep: forever\n---\n"))
        .await;
    let store = e.store().clone();
    for ws in ["acme", "keep"] {
        let w = ws.to_string();
        store.write(move |tx| orchestrator::store::create_workspace(tx, &w)).await.expect("workspace");
    }
    let old_default = completed_run(&e, "default", "old").await;
    let young_default = cancelled_run(&e, "default", "young").await;
    let acme = cancelled_run(&e, "acme", "acme").await;
    let kept = cancelled_run(&e, "keep", "kept").await;
    age(&store, &old_default, 40).await;
    age(&store, &young_default, 10).await;
    age(&store, &acme, 10).await;
    age(&store, &kept, 400).await;

    let pruner = tokio::spawn(e.clone().run_pruner());
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while rows_of(&store, &old_default).await["runs"] + rows_of(&store, &acme).await["runs"] > 0 {
        assert!(tokio::time::Instant::now() < deadline, "the pruner did not prune in time");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // One more pass has certainly run by now; what the policy keeps is still there.
    tokio::time::sleep(Duration::from_millis(300)).await;
    pruner.abort();
    assert!(rows_of(&store, &old_default).await.values().all(|n| *n == 0));
    assert_eq!(rows_of(&store, &young_default).await["runs"], 1, "10 days < the default 30d");
    assert_eq!(rows_of(&store, &kept).await["runs"], 1, "`forever` overrides the default");
}

fn orchestrator(args: &[&str]) -> (Option<i32>, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_orchestrator")).args(args).output().expect("run");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_prune_command_reports_what_it_would_remove_then_removes_it() {
    let db = TestDb::new(Backend::Sqlite);
    let e = engine(&db, None).await;
    let store = e.store().clone();
    store.write(|tx| orchestrator::store::create_workspace(tx, "acme")).await.expect("workspace");
    let old = completed_run(&e, "default", "old").await;
    let other = cancelled_run(&e, "acme", "other").await;
    age(&store, &old, 40).await;
    age(&store, &other, 40).await;
    let expected = rows_of(&store, &old).await;
    let url = db.raw_url.as_str();

    let (code, out, err) =
        orchestrator(&["prune", "--older-than", "30d", "--dry-run", "--workspace", "default", "--database-url", url]);
    assert_eq!(code, Some(0), "{err}");
    let counts = format!(
        "1 runs, {} tasks, {} attempts, {} events, {} spans",
        expected["tasks"], expected["attempts"], expected["events"], expected["spans"]
    );
    assert!(out.starts_with(&format!("would prune {counts} (terminal runs finished before ")), "{out}");
    assert!(out.contains("in workspace default"), "{out}");
    assert_eq!(rows_of(&store, &old).await, expected, "a dry run deletes nothing");

    let (code, out, err) =
        orchestrator(&["prune", "--older-than", "30d", "--workspace", "default", "--database-url", url]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.starts_with(&format!("pruned {counts}")), "{out}");
    assert!(rows_of(&store, &old).await.values().all(|n| *n == 0));
    assert_eq!(rows_of(&store, &other).await["runs"], 1, "another workspace's run stays");

    let (code, out, _) = orchestrator(&["prune", "--older-than", "30d", "--database-url", url]);
    assert_eq!(code, Some(0));
    assert!(out.starts_with("pruned 1 runs"), "{out}");
    let (code, _, _) = orchestrator(&["prune", "--older-than", "soon", "--database-url", url]);
    assert_eq!(code, Some(2), "a bad duration is a usage error");
}
