//! Query pieces diesel lacks.

use diesel::backend::Backend;
use diesel::connection::LoadConnection;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::query_dsl::LoadQuery;
use diesel::sql_types::Untyped;
use diesel::{QueryResult, QueryableByName, RunQueryDsl};

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

/// A statement diesel would prepare afresh on every execution, cached by its SQL text.
///
/// Diesel never caches an `UPDATE`, an upsert, or (on PostgreSQL) an `INSERT`
/// of a row with optional columns, because their SQL can vary with the values
/// (optional changeset fields, `DEFAULT` for `None`). Keyed by the SQL text, a
/// variant is simply another entry: correct, and bounded as long as the query
/// takes a bounded number of forms (never wrap an `IN` list; insert many rows in
/// chunks of a fixed most). On the hot path re-preparing was a fifth of the SQLite
/// writer's time and, on PostgreSQL, an extra round trip per statement.
///
/// Load it (`get_result`, `get_results`) or [`Cached::run`] it. `execute` would
/// not cache: diesel checks the cacheability of `&Cached`, whose blanket
/// implementation asks the wrapped statement again.
#[derive(Debug, Clone, Copy)]
pub struct Cached<Q>(pub Q);

impl<Q> Cached<Q> {
    /// Executes a statement that returns no rows, through the loading path
    /// (which checks this wrapper rather than a reference to it).
    pub fn run<'query, C>(self, conn: &mut C) -> QueryResult<()>
    where
        C: LoadConnection,
        Cached<NoRows<Q>>: LoadQuery<'query, C, NoRow>,
    {
        Cached(NoRows(self.0)).load::<NoRow>(conn).map(drop)
    }
}

/// The row type of a statement that returns none.
#[derive(Debug, QueryableByName)]
pub struct NoRow {}

/// A statement without RETURNING, typed as a query so that it can take the loading path.
#[derive(Debug, Clone, Copy)]
pub struct NoRows<Q>(Q);

impl<Q> QueryId for NoRows<Q> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q> Query for NoRows<Q> {
    type SqlType = Untyped;
}

impl<Q: QueryFragment<DB>, DB: Backend> QueryFragment<DB> for NoRows<Q> {
    fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        self.0.walk_ast(pass)
    }
}

impl<Q> QueryId for Cached<Q> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q: Query> Query for Cached<Q> {
    type SqlType = Q::SqlType;
}

impl<Q: QueryFragment<DB>, DB: Backend> QueryFragment<DB> for Cached<Q> {
    fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        self.0.walk_ast(pass)
    }

    fn is_safe_to_cache_prepared(&self, _backend: &DB) -> QueryResult<bool> {
        Ok(true)
    }
}

impl<Q, C> RunQueryDsl<C> for Cached<Q> {}

/// `.cached()` on a statement: see [`Cached`].
pub trait CachedExt: Sized {
    /// Caches this statement's preparation by its SQL text.
    fn cached(self) -> Cached<Self> {
        Cached(self)
    }
}

impl<Q> CachedExt for Q {}
