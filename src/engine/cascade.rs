//! The model an `llm` attempt runs on, chosen when its call starts and
//! recorded on the attempt (so outcomes name the model that did the work,
//! whatever the policy says later). A `model: cascade` agent's attempt
//! climbs the cascade one model past the one the task's last call ran on,
//! passing over the models its task's kind has learned to skip
//! (`domain::cascade`), and says so in a `cascade.step` event.

use super::agents::Assignment;
use super::{Engine, Live};
use crate::config::{AgentPolicy, ModelRole};
use crate::domain::cascade::{self, Rules};
use crate::domain::{now_micros, stats, EventKind, NewEvent};
use crate::error::{Error, Result};
use crate::llm::LlmClient;
use crate::store;

impl Engine {
    /// The model attempt `a` of `agent` calls (the utility model in a
    /// degraded run, or a cascade's cheapest when there is none), recorded
    /// on the attempt; None when none is configured. FAILED_PRECONDITION
    /// when the lease is no longer live.
    pub(crate) async fn model_for_attempt(
        &self,
        agent: &AgentPolicy,
        a: &Assignment,
        degraded: bool,
    ) -> Result<Option<LlmClient>> {
        // One policy in force for the whole choice.
        let live = self.live();
        let (model, event) = match (degraded, agent.model) {
            (false, ModelRole::Cascade) => match self.cascade_step(&live, agent, a).await? {
                Some((m, e)) => (m, Some(e)),
                None => return Ok(None),
            },
            (true, role) => {
                let fallback = || (role == ModelRole::Cascade).then(|| live.model(ModelRole::Cascade)).flatten();
                match live.model(ModelRole::Utility).or_else(fallback) {
                    Some(m) => (m, None),
                    None => return Ok(None),
                }
            }
            (false, role) => match live.model(role) {
                Some(m) => (m, None),
                None => return Ok(None),
            },
        };
        let (lease, name) = (a.lease_id.clone(), model.config().model.clone());
        self.store.write(move |tx| store::note_attempt_model(tx, &lease, &name, event)).await?;
        Ok(Some(model))
    }

    /// The cascade's model for attempt `a`, and its `cascade.step` event;
    /// the models and their rules from one policy in force.
    async fn cascade_step(
        &self,
        live: &Live,
        agent: &AgentPolicy,
        a: &Assignment,
    ) -> Result<Option<(LlmClient, NewEvent)>> {
        let Some(c) = live.policy.models.cascade.as_ref() else { return Ok(None) };
        if live.cascade.is_empty() {
            return Ok(None);
        }
        let kind = stats::task_kind(&agent.name, &a.spec.title, &a.spec.instructions);
        let since = now_micros().saturating_sub(i64::try_from(c.window.as_micros()).unwrap_or(i64::MAX)).max(0);
        let (ws, run, task) = (a.workspace.clone(), a.run_id.clone(), a.task_id.clone());
        let (record, previous) = self
            .store
            .read(move |conn| {
                Ok((store::kind_record(conn, &ws, &kind, since)?, store::previous_model(conn, &run, &task)?))
            })
            .await?;
        let names: Vec<&str> = live.cascade.iter().map(|m| m.config().model.as_str()).collect();
        let rules = Rules { min_pass_rate: c.min_pass_rate, min_samples: u64::from(c.min_samples) };
        let step = cascade::step(&names, previous.as_deref(), &record, rules);
        let model =
            live.cascade.get(step.index).cloned().ok_or_else(|| Error::Internal("cascade step out of range".into()))?;
        let name = model.config().model.clone();
        let mut event = NewEvent::new(EventKind::CascadeStep, step.message(a.attempt, &name));
        if let serde_json::Value::Object(data) = step.data(&name) {
            event.data = data;
        }
        Ok(Some((model, event)))
    }
}
