//! Agent presence: when an instance of each agent last polled, so that a run
//! whose ready tasks wait for an agent nobody serves can say so. Each replica
//! keeps its own sightings in memory and writes them here every few seconds
//! (see `engine::presence`), so a poll costs no write.

use std::collections::HashMap;

use diesel::prelude::*;

use super::schema::{agents_seen, tasks};
use super::{with_conn, Conn, Tx};
use crate::domain::{Micros, TaskStatus};
use crate::error::Result;

/// Records sightings: (workspace or `*`, agent, when it last polled).
pub fn mark_agents_seen(tx: &mut Tx<'_>, seen: &[(String, String, Micros)]) -> Result<()> {
    for (ws, agent, at) in seen {
        with_conn!(&mut tx.conn, c => diesel::insert_into(agents_seen::table)
            .values((agents_seen::workspace_id.eq(ws), agents_seen::agent.eq(agent), agents_seen::last_poll_at.eq(at)))
            .on_conflict((agents_seen::workspace_id, agents_seen::agent))
            .do_update()
            .set(agents_seen::last_poll_at.eq(at))
            .execute(c))?;
    }
    Ok(())
}

/// The run's READY tasks, counted per agent.
pub fn ready_by_agent(conn: &mut Conn<'_>, run_id: &str) -> Result<Vec<(String, i64)>> {
    Ok(with_conn!(conn, c => tasks::table
        .filter(tasks::run_id.eq(run_id))
        .filter(tasks::status.eq(TaskStatus::Ready))
        // A ready `run` task waits for the reconciler, not for an agent.
        .filter(tasks::agent.ne(""))
        .group_by(tasks::agent)
        .select((tasks::agent, diesel::dsl::count_star()))
        .load::<(String, i64)>(c))?)
}

/// When each of these agents last polled in the workspace (or, for a
/// built-in executor, anywhere); agents never seen are absent.
pub fn last_polls(conn: &mut Conn<'_>, ws: &str, agents: &[String]) -> Result<HashMap<String, Micros>> {
    let rows: Vec<(String, i64)> = with_conn!(conn, c => agents_seen::table
        .filter(agents_seen::workspace_id.eq_any([ws, "*"]))
        .filter(agents_seen::agent.eq_any(agents))
        .select((agents_seen::agent, agents_seen::last_poll_at))
        .load(c))?;
    let mut out: HashMap<String, Micros> = HashMap::new();
    for (agent, at) in rows {
        let e = out.entry(agent).or_insert(at);
        *e = (*e).max(at);
    }
    Ok(out)
}
