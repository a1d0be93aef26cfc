//! Query pieces diesel lacks.

use diesel::backend::Backend;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::{QueryResult, RunQueryDsl};

/// `query LIMIT N` with `N` written into the SQL text instead of bound.
///
/// SQLite (3.46 on) reads a bound `LIMIT` while planning and marks the
/// statement expired whenever that parameter is bound again, so every
/// execution of a cached `.limit(n)` query is prepared afresh. A literal keeps
/// the statement in diesel's cache.
#[derive(Debug, Clone, Copy)]
pub struct LimitN<Q, const N: u32>(pub Q);

impl<Q: QueryId, const N: u32> QueryId for LimitN<Q, N> {
    type QueryId = LimitN<Q::QueryId, N>;
    const HAS_STATIC_QUERY_ID: bool = Q::HAS_STATIC_QUERY_ID;
}

impl<Q: Query, const N: u32> Query for LimitN<Q, N> {
    type SqlType = Q::SqlType;
}

impl<Q: QueryFragment<DB>, DB: Backend, const N: u32> QueryFragment<DB> for LimitN<Q, N> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        self.0.walk_ast(out.reborrow())?;
        out.push_sql(" LIMIT ");
        out.push_sql(&N.to_string());
        Ok(())
    }
}

impl<Q, C, const N: u32> RunQueryDsl<C> for LimitN<Q, N> {}
