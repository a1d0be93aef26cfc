//! The SQLite writer: one thread owns the only write connection and commits
//! whatever requests have queued up as one transaction (group commit).
//!
//! A group is first run **optimistically**: every request straight on the
//! group's transaction, with no savepoint, each handing its events and run
//! counter changes on to the next (see [`Tx::hand_over`]) so that the last
//! writes the whole group's: one `UPDATE` per run touched and one `INSERT` of
//! events per group, not per request. Nearly every request succeeds; when
//! one fails, the whole group is rolled back and run again **isolated**, each
//! request (and each step of a `write_then`) in a savepoint of its own, so
//! that a failing request rolls back alone (and the next few groups run
//! isolated straight away, since failures come in bursts). Requests can run twice because
//! their closures are `Clone` (PostgreSQL's contention retries need that too)
//! and everything they queue (events, wake-ups) is published only after the
//! commit of the pass that counted.

use std::sync::mpsc as std_mpsc;
use std::sync::Arc;

use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;
use tokio::sync::oneshot;

use super::{publish, Conn, Effects, HandedOver, Tx};
use crate::error::{Error, Result};
use crate::hub::Hub;

/// Most write requests folded into one SQLite transaction.
const MAX_GROUP: usize = 512;

/// How a request runs in the group's transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Pass {
    /// Straight on the transaction: a failure makes the writer redo the group.
    Optimistic,
    /// In savepoints: a failure is the request's own outcome.
    Isolated,
}

/// A request queued for the writer.
pub(super) trait Job: Send {
    /// Runs the request and keeps its outcome. In an optimistic pass, false
    /// means it failed and the group must be rolled back and run isolated.
    /// `handed` is what the requests before it in the group left unwritten;
    /// with [`Then::Another`] it hands that on with its own (the second value),
    /// with [`Then::Nothing`] it writes it.
    fn run(&mut self, c: &mut SqliteConnection, pass: Pass, handed: HandedOver, then: Then) -> (bool, HandedOver);
    /// Hands the kept outcome to the caller once the group's commit is known
    /// (publishing what it queued if the commit succeeded).
    fn finish(self: Box<Self>, commit: Result<()>);
}

/// What every job needs besides its closure.
pub(super) struct JobContext {
    pub hub: Arc<Hub>,
    pub replica: u64,
    pub max_output_bytes: usize,
}

/// [`super::Store::write`]'s request.
pub(super) struct Write<R, F> {
    pub cx: JobContext,
    pub f: F,
    pub done: oneshot::Sender<Result<R>>,
    pub outcome: Option<Result<(R, Effects)>>,
}

impl<R, F> Job for Write<R, F>
where
    R: Send + 'static,
    F: FnOnce(&mut Tx<'_>) -> Result<R> + Clone + Send + 'static,
{
    fn run(&mut self, c: &mut SqliteConnection, pass: Pass, handed: HandedOver, then: Then) -> (bool, HandedOver) {
        match step(c, pass, &self.cx, handed, then, self.f.clone()) {
            Ok((r, effects, carried)) => {
                self.outcome = Some(Ok((r, effects)));
                (true, carried)
            }
            Err(e) => {
                self.outcome = Some(Err(e));
                (pass == Pass::Isolated, HandedOver::default())
            }
        }
    }

    fn finish(self: Box<Self>, commit: Result<()>) {
        let result = match (commit, self.outcome) {
            (Ok(()), Some(Ok((r, effects)))) => {
                publish(&self.cx.hub, effects);
                Ok(r)
            }
            (Err(e), _) | (Ok(()), Some(Err(e))) => Err(e),
            (Ok(()), None) => Err(Error::Internal("a write request was not run".into())),
        };
        let _ = self.done.send(result);
    }
}

/// The outcome of [`WriteThen`]: the first step's, and the second's if the first succeeded.
type ThenOutcome<R1, R2> = (Result<(R1, Effects)>, Option<Result<(R2, Effects)>>);

/// [`super::Store::write_then`]'s request: two steps, the second given the
/// first's result and the run rows it remembered (on the one writer nothing
/// can change them in between, and a claim after a completion then reads its
/// run no second time).
pub(super) struct WriteThen<R1, R2, F1, F2> {
    pub cx: JobContext,
    pub first: F1,
    pub then: F2,
    pub done: oneshot::Sender<Result<(R1, Option<Result<R2>>)>>,
    pub outcome: Option<ThenOutcome<R1, R2>>,
}

impl<R1, R2, F1, F2> Job for WriteThen<R1, R2, F1, F2>
where
    R1: Send + 'static,
    R2: Send + 'static,
    F1: FnOnce(&mut Tx<'_>) -> Result<R1> + Clone + Send + 'static,
    F2: FnOnce(&R1, &mut Tx<'_>) -> Result<R2> + Clone + Send + 'static,
{
    fn run(&mut self, c: &mut SqliteConnection, pass: Pass, handed: HandedOver, then: Then) -> (bool, HandedOver) {
        let (one, carried) = match step(c, pass, &self.cx, handed, Then::Another, self.first.clone()) {
            Ok((r, effects, carried)) => (Ok((r, effects)), carried),
            Err(e) => (Err(e), HandedOver::default()),
        };
        let mut handed_on = HandedOver::default();
        let two = match &one {
            Ok((r1, _)) => {
                let second = self.then.clone();
                Some(step(c, pass, &self.cx, carried, then, |tx| second(r1, tx)).map(|(r, effects, carried)| {
                    handed_on = carried;
                    (r, effects)
                }))
            }
            Err(_) => None,
        };
        let ok = one.is_ok() && two.as_ref().is_some_and(|t| t.is_ok());
        self.outcome = Some((one, two));
        (ok || pass == Pass::Isolated, handed_on)
    }

    fn finish(self: Box<Self>, commit: Result<()>) {
        let result = match (commit, self.outcome) {
            (Ok(()), Some((Ok((r1, e1)), two))) => {
                publish(&self.cx.hub, e1);
                let r2 = two.map(|t| {
                    t.map(|(r2, e2)| {
                        publish(&self.cx.hub, e2);
                        r2
                    })
                });
                Ok((r1, r2))
            }
            (Err(e), _) | (Ok(()), Some((Err(e), _))) => Err(e),
            (Ok(()), None) => Err(Error::Internal("a write request was not run".into())),
        };
        let _ = self.done.send(result);
    }
}

/// Whether another step follows this one on the same transaction (of the
/// same request, or the group's next request in an optimistic pass).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Then {
    Another,
    Nothing,
}

/// Runs one step of a request: straight on the group's transaction, or in a
/// savepoint of it (a failing step rolls back alone, so it writes its own
/// events). `handed` is what the steps before it left: in an optimistic pass
/// their events and counter changes too (the request's first step, or the
/// group's requests before it), handed on again with this step's when
/// another step follows ([`Then::Another`]) or written with them (one
/// `UPDATE` per run, one `INSERT`); in an isolated one only the run rows the
/// request's first step remembered (on the one writer nothing can change
/// them in between, and a claim after a completion then reads its run no
/// second time).
fn step<R>(
    c: &mut SqliteConnection,
    pass: Pass,
    cx: &JobContext,
    handed: HandedOver,
    then: Then,
    f: impl FnOnce(&mut Tx<'_>) -> Result<R>,
) -> Result<(R, Effects, HandedOver)> {
    let body = |c: &mut SqliteConnection| {
        let mut tx = Tx::new(Conn::Sqlite(c), cx.max_output_bytes);
        tx.optimistic = pass == Pass::Optimistic;
        tx.take_over(handed);
        let r = f(&mut tx)?;
        if (pass, then) == (Pass::Optimistic, Then::Another) {
            let (effects, handed) = tx.hand_over();
            return Ok((r, effects, handed));
        }
        let (effects, runs) = tx.finish_keeping_runs(cx.replica)?;
        Ok((r, effects, HandedOver { runs, ..HandedOver::default() }))
    };
    match pass {
        Pass::Optimistic => body(c),
        Pass::Isolated => c.transaction::<_, Error, _>(body),
    }
}

/// The writer thread: takes what has queued up and commits it as one
/// transaction, optimistically first (see the module's documentation).
pub(super) fn run_writer(mut conn: SqliteConnection, rx: std_mpsc::Receiver<Box<dyn Job>>) {
    let mut isolated_left: u32 = 0;
    while let Ok(first) = rx.recv() {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match rx.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        let start = if isolated_left > 0 { Pass::Isolated } else { Pass::Optimistic };
        isolated_left = isolated_left.saturating_sub(1);
        let (commit, redone) = commit_group(&mut conn, &mut group, start);
        if redone {
            isolated_left = ISOLATED_AFTER_A_FAILURE;
        }
        for job in group {
            job.finish(commit.clone());
        }
    }
}

/// Groups run isolated straight away after one had to be run again: failures
/// come in bursts (a run cancelled with many tasks in flight refuses each of
/// their completions), and each would otherwise run its whole group twice.
const ISOLATED_AFTER_A_FAILURE: u32 = 16;

/// Runs a group as one transaction, from `start`: optimistically, then, if a
/// request failed, again with each request isolated. The commit's outcome,
/// and whether the group had to be run again.
fn commit_group(conn: &mut SqliteConnection, group: &mut [Box<dyn Job>], start: Pass) -> (Result<()>, bool) {
    let mut redo = start == Pass::Isolated;
    let mut commit = Ok(());
    if !redo {
        commit = conn.transaction::<_, Error, _>(|c| {
            // Each request hands its events and counter changes on; the last writes them all.
            let mut handed = HandedOver::default();
            let last = group.len().saturating_sub(1);
            for (i, job) in group.iter_mut().enumerate() {
                let then = if i == last { Then::Nothing } else { Then::Another };
                let (ok, carried) = job.run(c, Pass::Optimistic, handed, then);
                if !ok {
                    redo = true;
                    return Err(Error::Internal("a request of the group failed".into()));
                }
                handed = carried;
            }
            Ok(())
        });
    }
    let redone = redo && start == Pass::Optimistic;
    if redo {
        if redone {
            tracing::debug!(requests = group.len(), "a request of the group failed: running it again, isolated");
        }
        commit = conn.transaction::<_, Error, _>(|c| {
            for job in group.iter_mut() {
                job.run(c, Pass::Isolated, HandedOver::default(), Then::Nothing);
            }
            Ok(())
        });
    }
    if let Err(e) = &commit {
        tracing::error!(error = %e, "SQLite group commit failed");
    }
    (commit, redone)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{keys, DatabaseUrl, Store};

    fn write_job<F>(f: F) -> (Box<dyn Job>, oneshot::Receiver<Result<()>>)
    where
        F: FnOnce(&mut Tx<'_>) -> Result<()> + Clone + Send + 'static,
    {
        let (done, rx) = oneshot::channel();
        let cx = JobContext { hub: Hub::new(), replica: 1, max_output_bytes: 1 << 20 };
        (Box::new(Write { cx, f, done, outcome: None }), rx)
    }

    /// A migrated SQLite file's connection, its statements counted.
    fn counted_connection() -> (tempfile::TempDir, SqliteConnection, crate::store::StatementCount) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("w.db").display().to_string();
        Store::migrate(&DatabaseUrl::Sqlite(path.clone())).expect("migrate");
        let mut conn = SqliteConnection::establish(&path).expect("connect");
        let counted = crate::store::StatementCount::default();
        conn.set_instrumentation(counted.counting());
        (dir, conn, counted)
    }

    /// A group whose middle request fails commits the others, each once, and
    /// nothing of the failed one; a group with no failure needs no savepoint.
    #[test]
    fn a_failing_request_rolls_back_alone_and_the_rest_commit_once() {
        let (_dir, mut conn, counted) = counted_connection();

        let (a, a_rx) = write_job(|tx| keys::create_workspace(tx, "first"));
        let (b, b_rx) = write_job(|tx| {
            keys::create_workspace(tx, "undone")?;
            tx.wake_reconciler();
            Err(Error::FailedPrecondition("refused".into()))
        });
        let (c, c_rx) = write_job(|tx| keys::create_workspace(tx, "third"));
        let mut group = vec![a, b, c];
        let (commit, redone) = commit_group(&mut conn, &mut group, Pass::Optimistic);
        commit.expect("the group commits");
        assert!(redone, "the failure made the group run again");
        for job in group {
            job.finish(Ok(()));
        }
        assert!(a_rx.blocking_recv().expect("answer").is_ok());
        assert!(matches!(b_rx.blocking_recv().expect("answer"), Err(Error::FailedPrecondition(_))));
        assert!(c_rx.blocking_recv().expect("answer").is_ok());
        let names = keys::list_workspaces(&mut Conn::Sqlite(&mut conn), None).expect("workspaces");
        let names: Vec<&str> = names.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names.iter().filter(|n| **n == "first").count(), 1, "{names:?}");
        assert!(names.contains(&"third") && !names.contains(&"undone"), "{names:?}");

        let before = counted.get();
        let (d, d_rx) = write_job(|tx| keys::create_workspace(tx, "fourth"));
        let mut group = vec![d];
        let (commit, redone) = commit_group(&mut conn, &mut group, Pass::Optimistic);
        commit.expect("the group commits");
        assert!(!redone);
        let statements = counted.get() - before;
        group.pop().expect("job").finish(Ok(()));
        assert!(d_rx.blocking_recv().expect("answer").is_ok());
        // BEGIN, the lookup, the insert, COMMIT: no SAVEPOINT, no RELEASE.
        assert_eq!(statements, 4, "statements of a one-request group");
    }

    /// The requests of an optimistic group hand their events and counter
    /// changes on: the last writes them all, one UPDATE of the run and one
    /// INSERT of events for the group, numbered in the requests' order. When
    /// a request fails, the isolated pass numbers the others' events alike.
    #[test]
    fn a_group_writes_its_events_and_counters_once() {
        use crate::domain::{EventKind, NewEvent};
        use crate::store::schema::{events, runs};
        let (_dir, mut conn, counted) = counted_connection();
        let ev = |m: &str| NewEvent::new(EventKind::RunCreated, m);

        for (fail_middle, run_id) in [(false, "run_a"), (true, "run_b")] {
            let (a, a_rx) = write_job(move |tx| {
                let Conn::Sqlite(c) = &mut tx.conn else { panic!("the writer is SQLite's") };
                diesel::insert_into(runs::table)
                    .values(&crate::store::models::RunRow::example(run_id, "default"))
                    .execute(&mut **c)?;
                tx.event(run_id, "default", ev("first"));
                tx.add_run_counters(run_id, 1, 2);
                Ok(())
            });
            let (b, b_rx) = write_job(move |tx| {
                tx.event(run_id, "default", ev("second"));
                tx.add_run_counters(run_id, 1, 0);
                if fail_middle {
                    return Err(Error::FailedPrecondition("refused".into()));
                }
                Ok(())
            });
            let (c, c_rx) = write_job(move |tx| {
                tx.event(run_id, "default", ev("third"));
                tx.add_run_counters(run_id, -1, -1);
                Ok(())
            });
            let before = counted.get();
            let mut group = vec![a, b, c];
            let (commit, redone) = commit_group(&mut conn, &mut group, Pass::Optimistic);
            commit.expect("the group commits");
            assert_eq!(redone, fail_middle);
            let statements = counted.get() - before;
            for job in group {
                job.finish(Ok(()));
            }
            assert!(a_rx.blocking_recv().expect("answer").is_ok());
            assert_eq!(b_rx.blocking_recv().expect("answer").is_err(), fail_middle);
            assert!(c_rx.blocking_recv().expect("answer").is_ok());
            let messages: Vec<(i64, String)> = events::table
                .filter(events::run_id.eq(run_id))
                .order(events::seq)
                .select((events::seq, events::message))
                .load(&mut conn)
                .expect("events");
            let (running, open, last): (i32, i32, i64) = runs::table
                .find(run_id)
                .select((runs::running, runs::open_tasks, runs::last_seq))
                .first(&mut conn)
                .expect("run");
            if fail_middle {
                assert_eq!(messages, vec![(1, "first".to_string()), (2, "third".to_string())]);
                assert_eq!((running, open, last), (0, 1, 2));
            } else {
                let want: Vec<(i64, String)> = ["first", "second", "third"]
                    .iter()
                    .enumerate()
                    .map(|(i, m)| (i as i64 + 1, m.to_string()))
                    .collect();
                assert_eq!(messages, want);
                assert_eq!((running, open, last), (1, 1, 3));
                // BEGIN, the run's INSERT, one UPDATE of the run, one INSERT of events, COMMIT.
                assert_eq!(statements, 5, "statements of a three-request group");
            }
        }
    }
}
