//! Whether retries after a failed verdict rescue tasks, per workspace, agent
//! and model: one row each, counted when a verified task ends.

use diesel::prelude::*;

use super::schema::{attempts, retry_outcomes};
use super::{with_conn, Conn, Tx};
pub use crate::domain::decide::VerifiedEnd;
use crate::error::Result;

/// One row of counts.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = retry_outcomes)]
pub struct RetryOutcomeRow {
    /// The agent.
    pub agent: String,
    /// The model that did the work ("" for an agent's own).
    pub model: String,
    /// Tasks verified to their end.
    pub verified_tasks: i64,
    /// Of those, passed at the first attempt.
    pub passed_first_try: i64,
    /// Of those, retried after a failed verdict.
    pub retried_tasks: i64,
    /// Of the retried, passed in the end.
    pub rescued_tasks: i64,
    /// Tokens of the attempts after the first, of retried tasks.
    pub retry_tokens: i64,
}

/// Counts a verified task's end.
pub fn count_verified_end(
    tx: &mut Tx<'_>,
    (ws, run_id, task_id): (&str, &str, &str),
    agent: &str,
    model: &str,
    end: VerifiedEnd,
) -> Result<()> {
    let retried = matches!(end, VerifiedEnd::Rescued | VerifiedEnd::NotRescued);
    let retry_tokens: i64 = if retried {
        let used: Vec<(i64, i64)> = with_conn!(&mut tx.conn, c => attempts::table
            .filter(attempts::run_id.eq(run_id))
            .filter(attempts::task_id.eq(task_id))
            .filter(attempts::number.gt(1))
            .select((attempts::prompt_tokens, attempts::completion_tokens))
            .load(c))?;
        used.iter().map(|(p, c)| p + c).sum()
    } else {
        0
    };
    let (first, rescued) = (i64::from(end == VerifiedEnd::PassedFirstTry), i64::from(end == VerifiedEnd::Rescued));
    let retried = i64::from(retried);
    let now = tx.now;
    with_conn!(&mut tx.conn, c => diesel::insert_into(retry_outcomes::table)
        .values((
            retry_outcomes::workspace_id.eq(ws),
            retry_outcomes::agent.eq(agent),
            retry_outcomes::model.eq(model),
            retry_outcomes::verified_tasks.eq(1i64),
            retry_outcomes::passed_first_try.eq(first),
            retry_outcomes::retried_tasks.eq(retried),
            retry_outcomes::rescued_tasks.eq(rescued),
            retry_outcomes::retry_tokens.eq(retry_tokens),
            retry_outcomes::updated_at.eq(now),
        ))
        .on_conflict((retry_outcomes::workspace_id, retry_outcomes::agent, retry_outcomes::model))
        .do_update()
        .set((
            retry_outcomes::verified_tasks.eq(retry_outcomes::verified_tasks + 1i64),
            retry_outcomes::passed_first_try.eq(retry_outcomes::passed_first_try + first),
            retry_outcomes::retried_tasks.eq(retry_outcomes::retried_tasks + retried),
            retry_outcomes::rescued_tasks.eq(retry_outcomes::rescued_tasks + rescued),
            retry_outcomes::retry_tokens.eq(retry_outcomes::retry_tokens + retry_tokens),
            retry_outcomes::updated_at.eq(now),
        ))
        .execute(c))?;
    Ok(())
}

/// A workspace's counts (of one agent when given), by agent then model.
pub fn retry_outcomes(conn: &mut Conn<'_>, ws: &str, agent: Option<&str>) -> Result<Vec<RetryOutcomeRow>> {
    Ok(with_conn!(conn, c => {
        let mut q = retry_outcomes::table
            .filter(retry_outcomes::workspace_id.eq(ws))
            .order((retry_outcomes::agent.asc(), retry_outcomes::model.asc()))
            .limit(1000)
            .select(RetryOutcomeRow::as_select())
            .into_boxed();
        if let Some(a) = agent {
            q = q.filter(retry_outcomes::agent.eq(a));
        }
        q.load(c)
    })?)
}
