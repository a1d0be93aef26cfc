//! Agent presence: when an instance of each agent last polled, so that a run
//! whose ready tasks wait for an agent nobody serves can say so. Each replica
//! keeps its own sightings in memory and writes them here every few seconds
//! (see `engine::presence`), so a poll costs no write.

use std::collections::HashMap;

use diesel::prelude::*;

use super::schema::{agent_instances, agents_seen, attempts, outcomes, tasks};
use super::{with_conn, Conn, Tx};
use crate::domain::fleet::{FleetFacts, Sighting};
use crate::domain::{AttemptStatus, Micros, TaskStatus};
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

/// Records instance sightings (replaces each instance's row).
pub fn mark_instances_seen(tx: &mut Tx<'_>, seen: &[(String, Sighting)]) -> Result<()> {
    for (ws, s) in seen {
        with_conn!(&mut tx.conn, c => diesel::insert_into(agent_instances::table)
            .values((
                agent_instances::workspace_id.eq(ws),
                agent_instances::agent.eq(&s.agent),
                agent_instances::instance.eq(&s.instance),
                agent_instances::sdk.eq(&s.sdk),
                agent_instances::peer.eq(&s.peer),
                agent_instances::replica.eq(&s.replica),
                agent_instances::last_poll_at.eq(s.last_poll),
            ))
            .on_conflict((agent_instances::workspace_id, agent_instances::agent, agent_instances::instance))
            .do_update()
            .set((
                agent_instances::sdk.eq(&s.sdk),
                agent_instances::peer.eq(&s.peer),
                agent_instances::replica.eq(&s.replica),
                agent_instances::last_poll_at.eq(s.last_poll),
            ))
            .execute(c))?;
    }
    Ok(())
}

/// Forgets instances not seen since `before`.
pub fn forget_instances(tx: &mut Tx<'_>, before: Micros) -> Result<usize> {
    Ok(
        with_conn!(&mut tx.conn, c => diesel::delete(agent_instances::table.filter(agent_instances::last_poll_at.lt(before)))
        .execute(c))?,
    )
}

/// Rows of each kind a fleet read takes at most.
const FLEET_ROWS: i64 = 10_000;

/// What the store knows of a workspace's agents: instances seen since
/// `seen_since` (the built-in executors' too), agents' last polls, running
/// attempts per instance, ready tasks per agent, and the attempts finished
/// since `finished_since` per agent and outcome (each read bounded).
pub fn fleet_facts(conn: &mut Conn<'_>, ws: &str, seen_since: Micros, finished_since: Micros) -> Result<FleetFacts> {
    let wss = [ws, "*"];
    let sightings: Vec<(String, String, String, String, String, i64)> = with_conn!(conn, c => agent_instances::table
        .filter(agent_instances::workspace_id.eq_any(wss))
        .filter(agent_instances::last_poll_at.ge(seen_since))
        .order(agent_instances::last_poll_at.desc())
        .limit(FLEET_ROWS)
        .select((
            agent_instances::agent,
            agent_instances::instance,
            agent_instances::sdk,
            agent_instances::peer,
            agent_instances::replica,
            agent_instances::last_poll_at,
        ))
        .load(c))?;
    let last_polls: Vec<(String, i64)> = with_conn!(conn, c => agents_seen::table
        .filter(agents_seen::workspace_id.eq_any(wss))
        .filter(agents_seen::last_poll_at.ge(seen_since))
        .limit(FLEET_ROWS)
        .select((agents_seen::agent, agents_seen::last_poll_at))
        .load(c))?;
    // A running task's live attempt is its latest (tasks.attempts).
    let held: Vec<(String, String)> = with_conn!(conn, c => tasks::table
        .inner_join(attempts::table.on(attempts::run_id.eq(tasks::run_id)
            .and(attempts::task_id.eq(tasks::task_id))
            .and(attempts::number.eq(tasks::attempts))))
        .filter(tasks::workspace_id.eq(ws))
        .filter(tasks::status.eq(TaskStatus::Running))
        .filter(attempts::status.eq(AttemptStatus::Running))
        .select((tasks::agent, attempts::agent_instance))
        .limit(FLEET_ROWS)
        .load(c))?;
    let mut counted: HashMap<(String, String), i64> = HashMap::new();
    for key in held {
        *counted.entry(key).or_default() += 1;
    }
    let running: Vec<(String, String, i64)> = counted.into_iter().map(|((a, i), n)| (a, i, n)).collect();
    let ready: Vec<(String, i64)> = with_conn!(conn, c => tasks::table
        .filter(tasks::workspace_id.eq(ws))
        .filter(tasks::status.eq(TaskStatus::Ready))
        .filter(tasks::agent.ne(""))
        .group_by(tasks::agent)
        .select((tasks::agent, diesel::dsl::count_star()))
        .limit(FLEET_ROWS)
        .load(c))?;
    let finished: Vec<(String, bool, i64)> = with_conn!(conn, c => outcomes::table
        .filter(outcomes::workspace_id.eq(ws))
        .filter(outcomes::finished_at.ge(finished_since))
        .group_by((outcomes::agent, outcomes::passed))
        .select((outcomes::agent, outcomes::passed, diesel::dsl::count_star()))
        .limit(FLEET_ROWS)
        .load(c))?;
    let n = |v: i64| v.clamp(0, u32::MAX as i64) as u32;
    Ok(FleetFacts {
        sightings: sightings
            .into_iter()
            .map(|(agent, instance, sdk, peer, replica, last_poll)| Sighting {
                agent,
                instance,
                sdk,
                peer,
                replica,
                last_poll,
            })
            .collect(),
        last_polls,
        running: running.into_iter().map(|(a, i, c)| (a, i, n(c))).collect(),
        ready: ready.into_iter().map(|(a, c)| (a, n(c))).collect(),
        finished: finished.into_iter().map(|(a, p, c)| (a, p, c.max(0) as u64)).collect(),
    })
}
