//! The model an `llm` attempt runs on, chosen when its call starts and
//! recorded on the attempt (so outcomes name the model that did the work,
//! whatever the policy says later). A `model: cascade` agent's attempt
//! climbs the cascade one model per attempt, past the models its task's
//! kind has learned to skip (`domain::cascade`), and says so in a
//! `cascade.step` event.

use super::agents::Assignment;
use super::Engine;
use crate::config::{AgentPolicy, ModelRole};
use crate::domain::cascade::{self, Rules};
use crate::domain::{now_micros, stats, EventKind, NewEvent};
use crate::error::{Error, Result};
use crate::llm::LlmClient;
use crate::store;

impl Engine {
    /// The model attempt `a` of `agent` calls (the utility model in a
    /// degraded run), recorded on the attempt; None when none is configured.
    /// FAILED_PRECONDITION when the lease is no longer live.
    pub(crate) async fn model_for_attempt(
        &self,
        agent: &AgentPolicy,
        a: &Assignment,
        degraded: bool,
    ) -> Result<Option<LlmClient>> {
        let role = if degraded { ModelRole::Utility } else { agent.model };
        let (model, event) = if role == ModelRole::Cascade {
            match self.cascade_step(agent, a).await? {
                Some((m, e)) => (m, Some(e)),
                None => return Ok(None),
            }
        } else {
            match self.model(role) {
                Some(m) => (m, None),
                None => return Ok(None),
            }
        };
        let (lease, name) = (a.lease_id.clone(), model.config().model.clone());
        self.store.write(move |tx| store::note_attempt_model(tx, &lease, &name, event)).await?;
        Ok(Some(model))
    }

    /// The cascade's model for attempt `a`, and its `cascade.step` event.
    async fn cascade_step(&self, agent: &AgentPolicy, a: &Assignment) -> Result<Option<(LlmClient, NewEvent)>> {
        let models = self.cascade_models();
        let Some(c) = self.policy().models.cascade.clone() else { return Ok(None) };
        if models.is_empty() {
            return Ok(None);
        }
        let kind = stats::task_kind(&agent.name, &a.spec.title, &a.spec.instructions);
        let since = now_micros() - i64::try_from(c.window.as_micros()).unwrap_or(i64::MAX);
        let ws = a.workspace.clone();
        let record = self.store.read(move |conn| store::kind_record(conn, &ws, &kind, since.max(0))).await?;
        let names: Vec<&str> = models.iter().map(|m| m.config().model.as_str()).collect();
        let rules = Rules { min_pass_rate: c.min_pass_rate, min_samples: u64::from(c.min_samples) };
        let step = cascade::step(&names, a.attempt, &record, rules);
        let model =
            models.get(step.index).cloned().ok_or_else(|| Error::Internal("cascade step out of range".into()))?;
        let name = model.config().model.clone();
        let mut event = NewEvent::new(EventKind::CascadeStep, step.message(a.attempt, &name));
        if let serde_json::Value::Object(data) = step.data(&name) {
            event.data = data;
        }
        Ok(Some((model, event)))
    }
}
