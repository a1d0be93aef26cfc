//! A connection of either backend, and the macro that compiles one query for both.

use diesel::pg::PgConnection;
use diesel::sqlite::SqliteConnection;

/// A borrowed connection to SQLite or PostgreSQL.
pub enum Conn<'a> {
    /// SQLite.
    Sqlite(&'a mut SqliteConnection),
    /// PostgreSQL.
    Pg(&'a mut PgConnection),
}

/// `with_conn!(conn, c => expr)` evaluates `expr` with `c` bound to the
/// concrete connection; `expr` is type-checked once per backend.
macro_rules! with_conn {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            $crate::store::Conn::Sqlite(inner) => {
                let $c: &mut diesel::sqlite::SqliteConnection = &mut **inner;
                $body
            }
            $crate::store::Conn::Pg(inner) => {
                let $c: &mut diesel::pg::PgConnection = &mut **inner;
                $body
            }
        }
    };
}
pub(crate) use with_conn;
