//! A run's event log: events stamped and numbered inside the transaction that
//! made them, read back in pages.

use std::collections::HashMap;

use diesel::prelude::*;
use serde_json::Value;

use super::models::*;
use super::schema::*;
use super::sql::CachedExt;
use super::{with_conn, Conn, Effects};
use crate::domain::{Event, Micros, NewEvent};
use crate::error::Result;

// ---------------------------------------------------------------- events

/// Numbers and inserts the events a transaction appended, one sequence
/// update per run (which also writes the run's pending counter changes), and
/// records them for publication after the commit.
pub(super) fn flush_events(
    conn: &mut Conn<'_>,
    now: Micros,
    pending: Vec<(String, String, NewEvent)>,
    counters: Vec<super::RunCounters>,
    effects: &mut Effects,
    replica: u64,
) -> Result<()> {
    let counters_of = |run: &str| counters.iter().find(|c| c.run_id == run).cloned().unwrap_or_default();
    for c in counters.iter().filter(|c| !pending.iter().any(|(r, _, _)| *r == c.run_id)) {
        if c.running != 0 || c.open_tasks != 0 {
            with_conn!(conn, c_ => diesel::update(runs::table.find(&c.run_id))
                .set((runs::running.eq(runs::running + c.running), runs::open_tasks.eq(runs::open_tasks + c.open_tasks)))
                .cached().run(c_))?;
        }
    }
    let mut order: Vec<String> = Vec::new();
    let mut by_run: HashMap<String, Vec<(String, NewEvent)>> = HashMap::new();
    for (run, ws, ev) in pending {
        if !by_run.contains_key(&run) {
            order.push(run.clone());
        }
        by_run.entry(run).or_default().push((ws, ev));
    }
    let mut notes: Vec<String> = Vec::new();
    let mut numbered: Vec<Event> = Vec::new();
    for run in order {
        let evs = by_run.remove(&run).unwrap_or_default();
        let n = evs.len() as i64;
        let counted = counters_of(&run);
        let last: i64 = with_conn!(conn, c => diesel::update(runs::table.find(&run))
            .set((
                runs::last_seq.eq(runs::last_seq + n),
                runs::updated_at.eq(now),
                runs::running.eq(runs::running + counted.running),
                runs::open_tasks.eq(runs::open_tasks + counted.open_tasks),
            ))
            .returning(runs::last_seq)
            .cached().get_result(c))?;
        // Stamped now, under the run's lock, rather than at the transaction's start:
        // the lock orders a run's transactions, so a later sequence number never gets
        // an earlier time (up to clock skew between replicas).
        let stamped = crate::domain::now_micros().max(now);
        let first = last - n + 1;
        let rows: Vec<Event> = evs
            .into_iter()
            .enumerate()
            .map(|(i, (ws, e))| Event {
                run_id: run.clone(),
                seq: first + i as i64,
                workspace_id: ws,
                kind: e.kind.as_str().to_string(),
                task_id: e.task_id,
                attempt: e.attempt,
                from_status: e.from_status,
                to_status: e.to_status,
                message: e.message,
                data_json: Value::Object(e.data).to_string(),
                created_at: stamped,
            })
            .collect();
        notes.push(format!("run\t{run}\t{replica}"));
        numbered.extend(rows);
    }
    // Every run's events in one INSERT (in chunks).
    insert_events(conn, &numbered)?;
    effects.events.extend(numbered);
    if let Conn::Pg(c) = conn {
        for (ws, agent, wake) in &effects.wake_agents {
            notes.push(format!("agent\t{ws}\t{agent}\t{wake}\t{replica}"));
        }
        if effects.wake_reconciler {
            notes.push("reconcile".into());
        }
        notify_pg(c, &notes)?;
    }
    Ok(())
}

/// Rows per events INSERT: one cached statement per row count up to this.
pub(super) const EVENTS_PER_INSERT: usize = 32;

/// Inserts events, many rows per statement.
pub(super) fn insert_events(conn: &mut Conn<'_>, rows: &[Event]) -> Result<()> {
    match conn {
        Conn::Sqlite(c) => {
            for chunk in rows.chunks(EVENTS_PER_INSERT) {
                insert_events_sqlite(c, chunk)?;
            }
            Ok(())
        }
        Conn::Pg(c) => insert_events_pg(c, rows),
    }
}

/// The multi-row INSERT written out, since diesel runs a multi-row insert on
/// SQLite as one statement per row. Its SQL depends only on the row count.
pub(super) fn insert_events_sqlite(c: &mut diesel::SqliteConnection, rows: &[Event]) -> Result<()> {
    use diesel::sql_types::{BigInt, Integer, Nullable, Text};
    const ROW: &str = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    let mut sql = String::from(
        "INSERT INTO events (run_id, seq, workspace_id, kind, task_id, attempt, from_status, to_status, message, \
         data_json, created_at) VALUES ",
    );
    sql.push_str(&vec![ROW; rows.len()].join(", "));
    let mut q = diesel::sql_query(sql).into_boxed::<diesel::sqlite::Sqlite>();
    for e in rows {
        q = q
            .bind::<Text, _>(&e.run_id)
            .bind::<BigInt, _>(e.seq)
            .bind::<Text, _>(&e.workspace_id)
            .bind::<Text, _>(&e.kind)
            .bind::<Nullable<Text>, _>(&e.task_id)
            .bind::<Nullable<Integer>, _>(e.attempt)
            .bind::<Nullable<Text>, _>(&e.from_status)
            .bind::<Nullable<Text>, _>(&e.to_status)
            .bind::<Text, _>(&e.message)
            .bind::<Text, _>(&e.data_json)
            .bind::<BigInt, _>(e.created_at);
    }
    q.cached().run(c)?;
    Ok(())
}

/// Written as `column = value` tuples rather than the `Event` struct, so that
/// a `None` is a bound NULL and not `DEFAULT`: the SQL then depends only on
/// the number of rows.
pub(super) fn insert_events_pg(c: &mut diesel::PgConnection, rows: &[Event]) -> Result<()> {
    let values: Vec<_> = rows
        .iter()
        .map(|e| {
            (
                events::run_id.eq(&e.run_id),
                events::seq.eq(e.seq),
                events::workspace_id.eq(&e.workspace_id),
                events::kind.eq(&e.kind),
                events::task_id.eq(e.task_id.as_deref()),
                events::attempt.eq(e.attempt),
                events::from_status.eq(e.from_status.as_deref()),
                events::to_status.eq(e.to_status.as_deref()),
                events::message.eq(&e.message),
                events::data_json.eq(&e.data_json),
                events::created_at.eq(e.created_at),
            )
        })
        .collect();
    for chunk in values.chunks(EVENTS_PER_INSERT) {
        diesel::insert_into(events::table).values(chunk).cached().run(c)?;
    }
    Ok(())
}

/// Sends the transaction's notifications (delivered at its commit), several
/// per statement: each statement is a round trip made while the run is locked.
pub(super) fn notify_pg(c: &mut diesel::PgConnection, payloads: &[String]) -> Result<()> {
    use diesel::sql_types::Text;
    for chunk in payloads.chunks(16) {
        let calls: Vec<String> = (0..chunk.len()).map(|i| format!("pg_notify($1, ${})", i + 2)).collect();
        let mut q = diesel::sql_query(format!("SELECT {}", calls.join(", ")))
            .into_boxed::<diesel::pg::Pg>()
            .bind::<Text, _>(super::PG_CHANNEL);
        for p in chunk {
            q = q.bind::<Text, _>(p);
        }
        q.cached().run(c)?;
    }
    Ok(())
}

/// A page of a run's events after `after_seq`.
pub fn list_events(conn: &mut Conn<'_>, ws: &str, run_id: &str, after_seq: i64, limit: i64) -> Result<Vec<Event>> {
    Ok(with_conn!(conn, c => events::table
        .filter(events::run_id.eq(run_id))
        .filter(events::workspace_id.eq(ws))
        .filter(events::seq.gt(after_seq))
        .order(events::seq.asc())
        .limit(limit)
        .select(EventRow::as_select())
        .load::<EventRow>(c))?
    .into_iter()
    .map(Event::from)
    .collect())
}
