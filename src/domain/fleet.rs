//! The fleet of agents: which agents a workspace has, which instances serve
//! them, what they are doing, and which agents tasks wait for with nobody
//! polling. Made from the store's facts (sightings, running attempts, ready
//! tasks, last hour's outcomes) and the policy's declared agents.

use std::collections::BTreeMap;

use super::Micros;

/// Most agents listed.
pub const MAX_AGENTS: usize = 1_000;
/// Most instances listed per agent (the latest).
pub const MAX_INSTANCES: usize = 100;

/// An instance's sighting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sighting {
    pub agent: String,
    pub instance: String,
    pub sdk: String,
    pub peer: String,
    pub replica: String,
    pub last_poll: Micros,
}

/// What the store knows of a workspace's agents.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FleetFacts {
    /// Instances seen lately, any order.
    pub sightings: Vec<Sighting>,
    /// When each agent was last seen polling (any instance, any replica).
    pub last_polls: Vec<(String, Micros)>,
    /// Running attempts per (agent, instance).
    pub running: Vec<(String, String, u32)>,
    /// Ready tasks per agent.
    pub ready: Vec<(String, u32)>,
    /// Attempts finished in the last hour per (agent, succeeded).
    pub finished: Vec<(String, bool, u64)>,
}

/// An instance as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instance {
    pub sighting: Sighting,
    pub running: u32,
}

/// An agent as listed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgentStatus {
    pub name: String,
    pub executor: String,
    pub instances: Vec<Instance>,
    pub last_poll: Option<Micros>,
    pub served: bool,
    pub running: u32,
    pub ready: u32,
    pub succeeded_last_hour: u64,
    pub failed_last_hour: u64,
    pub warning: String,
}

/// Merges this replica's sightings (not yet written, so the freshest of
/// their instances) into the store's.
pub fn merge_sightings(stored: &mut Vec<Sighting>, local: Vec<Sighting>) {
    let mut at: std::collections::HashMap<(String, String), usize> =
        stored.iter().enumerate().map(|(i, s)| ((s.agent.clone(), s.instance.clone()), i)).collect();
    for s in local {
        match at.get(&(s.agent.clone(), s.instance.clone())) {
            Some(&i) if stored[i].last_poll >= s.last_poll => {}
            Some(&i) => stored[i] = s,
            None => {
                at.insert((s.agent.clone(), s.instance.clone()), stored.len());
                stored.push(s);
            }
        }
    }
}

/// The fleet: `declared` are the policy's agents (name, executor; the
/// built-in executors serve without polling), `served_after` the time after
/// which a poll counts as the agent being served, `describe_time` how a
/// warning writes a time.
pub fn summarise(
    declared: &[(String, String)],
    facts: FleetFacts,
    served_after: Micros,
    describe_time: &dyn Fn(Micros) -> String,
) -> Vec<AgentStatus> {
    let mut agents: BTreeMap<String, AgentStatus> = BTreeMap::new();
    fn entry<'a>(agents: &'a mut BTreeMap<String, AgentStatus>, name: &str) -> Option<&'a mut AgentStatus> {
        if !agents.contains_key(name) && agents.len() >= MAX_AGENTS {
            return None;
        }
        Some(agents.entry(name.to_string()).or_insert_with(|| AgentStatus { name: name.into(), ..Default::default() }))
    }
    for (name, executor) in declared {
        if let Some(a) = entry(&mut agents, name) {
            a.executor = executor.clone();
        }
    }
    for (name, at) in &facts.last_polls {
        if let Some(a) = entry(&mut agents, name) {
            a.last_poll = a.last_poll.max(Some(*at));
        }
    }
    for s in facts.sightings {
        if let Some(a) = entry(&mut agents, &s.agent) {
            a.last_poll = a.last_poll.max(Some(s.last_poll));
            a.instances.push(Instance { sighting: s, running: 0 });
        }
    }
    for (agent, instance, n) in &facts.running {
        if let Some(a) = entry(&mut agents, agent) {
            a.running += n;
            if let Some(i) = a.instances.iter_mut().find(|i| i.sighting.instance == *instance) {
                i.running += n;
            }
        }
    }
    for (agent, n) in &facts.ready {
        if let Some(a) = entry(&mut agents, agent) {
            a.ready += n;
        }
    }
    for (agent, succeeded, n) in &facts.finished {
        if let Some(a) = entry(&mut agents, agent) {
            if *succeeded {
                a.succeeded_last_hour += n;
            } else {
                a.failed_last_hour += n;
            }
        }
    }
    let mut out: Vec<AgentStatus> = agents.into_values().collect();
    for a in &mut out {
        a.instances.sort_by_key(|i| std::cmp::Reverse(i.sighting.last_poll));
        a.instances.truncate(MAX_INSTANCES);
        let built_in = matches!(a.executor.as_str(), "command" | "llm");
        a.served = built_in || a.last_poll.is_some_and(|t| t >= served_after);
        if a.ready > 0 && !a.served {
            let since = match a.last_poll {
                Some(t) => format!("no instance has polled since {}", describe_time(t)),
                None => "no instance has ever polled".to_string(),
            };
            let tasks = if a.ready == 1 { "1 task".to_string() } else { format!("{} tasks", a.ready) };
            a.warning = format!("{tasks} waiting for agent `{}`: {since}", a.name);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(agent: &str, instance: &str, at: Micros) -> Sighting {
        Sighting {
            agent: agent.into(),
            instance: instance.into(),
            sdk: "python/0.1.0".into(),
            peer: "127.0.0.1".into(),
            replica: "r1".into(),
            last_poll: at,
        }
    }

    #[test]
    fn agents_are_listed_with_their_instances_work_and_warnings() {
        let declared = vec![("writer".to_string(), "agent".to_string()), ("shell".to_string(), "command".to_string())];
        let facts = FleetFacts {
            sightings: vec![seen("reader", "a", 100), seen("reader", "b", 300), seen("writer", "w", 10)],
            last_polls: vec![("writer".into(), 20)],
            running: vec![("reader".into(), "b".into(), 2), ("reader".into(), "gone".into(), 1)],
            ready: vec![("writer".into(), 3), ("ghost".into(), 1), ("shell".into(), 2)],
            finished: vec![("reader".into(), true, 5), ("reader".into(), false, 1)],
        };
        let fleet = summarise(&declared, facts, 200, &|t| format!("t{t}"));
        let names: Vec<&str> = fleet.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["ghost", "reader", "shell", "writer"]);
        let reader = &fleet[1];
        assert!(reader.served);
        assert_eq!((reader.running, reader.succeeded_last_hour, reader.failed_last_hour), (3, 5, 1));
        let ids: Vec<(&str, u32)> =
            reader.instances.iter().map(|i| (i.sighting.instance.as_str(), i.running)).collect();
        assert_eq!(ids, [("b", 2), ("a", 0)], "the latest first, each with its own attempts");
        assert_eq!(fleet[3].warning, "3 tasks waiting for agent `writer`: no instance has polled since t20");
        assert_eq!(fleet[0].warning, "1 task waiting for agent `ghost`: no instance has ever polled");
        assert!(fleet[2].served && fleet[2].warning.is_empty(), "a built-in executor serves without polling");
    }

    #[test]
    fn a_local_sighting_wins_when_it_is_newer() {
        let mut stored = vec![seen("a", "x", 10), seen("a", "y", 50)];
        merge_sightings(&mut stored, vec![seen("a", "x", 20), seen("a", "y", 40), seen("b", "z", 5)]);
        let got: Vec<(&str, i64)> = stored.iter().map(|s| (s.instance.as_str(), s.last_poll)).collect();
        assert_eq!(got, [("x", 20), ("y", 50), ("z", 5)]);
    }

    #[test]
    fn the_list_is_bounded() {
        let facts = FleetFacts {
            ready: (0..MAX_AGENTS + 10).map(|i| (format!("a{i:05}"), 1)).collect(),
            sightings: (0..MAX_INSTANCES + 5).map(|i| seen("a00000", &format!("i{i}"), i as i64)).collect(),
            ..Default::default()
        };
        let fleet = summarise(&[], facts, 0, &|t| t.to_string());
        assert_eq!(fleet.len(), MAX_AGENTS);
        assert_eq!(fleet[0].instances.len(), MAX_INSTANCES);
        assert_eq!(fleet[0].instances[0].sighting.instance, format!("i{}", MAX_INSTANCES + 4));
    }
}
