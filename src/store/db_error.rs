//! Database errors in the service's terms: the only place that reads diesel's
//! errors (so that `error.rs` knows no diesel).

use crate::error::Error;

impl From<diesel::result::Error> for Error {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error as D};
        match e {
            D::NotFound => Error::NotFound("not found".into()),
            D::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
                Error::Unavailable(info.message().to_string())
            }
            D::DatabaseError(DatabaseErrorKind::SerializationFailure, info) => {
                Error::Contention(info.message().to_string())
            }
            D::DatabaseError(DatabaseErrorKind::Unknown, info) if is_contention(info.message()) => {
                Error::Contention(info.message().to_string())
            }
            // The database's own words name its tables and values: logged, never returned.
            D::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                tracing::debug!(error = info.message(), "unique violation");
                Error::AlreadyExists(match info.table_name() {
                    Some(t) => format!("a row of {t} with that key already exists"),
                    None => "a row with that key already exists".into(),
                })
            }
            other => Error::Internal(other.to_string()),
        }
    }
}

/// Whether a database error (one diesel has no kind for) is a lost race:
/// PostgreSQL's deadlock_detected (40P01), lock_not_available (55P03, NOWAIT or
/// lock_timeout) or SQLite's busy and locked errors. diesel does not expose the
/// SQLSTATE of these, so they are known by the server's message; the test
/// cluster and `initdb`'s default both speak English, and a message in another
/// language is reported as INTERNAL rather than misread.
fn is_contention(message: &str) -> bool {
    const SIGNS: [&str; 5] = [
        "deadlock detected",
        "could not obtain lock",
        "canceling statement due to lock timeout",
        "database is locked",
        "database table is locked",
    ];
    SIGNS.iter().any(|s| message.starts_with(s))
}

impl From<r2d2_error::PoolError> for Error {
    fn from(e: r2d2_error::PoolError) -> Self {
        Error::Unavailable(format!("database connection pool: {e}"))
    }
}

mod r2d2_error {
    pub use diesel::r2d2::PoolError;
}

#[cfg(test)]
mod tests {
    use crate::error::Error;
    use diesel::result::{DatabaseErrorInformation, DatabaseErrorKind, Error as D};

    struct Info(&'static str, Option<&'static str>);

    impl DatabaseErrorInformation for Info {
        fn message(&self) -> &str {
            self.0
        }
        fn details(&self) -> Option<&str> {
            None
        }
        fn hint(&self) -> Option<&str> {
            None
        }
        fn table_name(&self) -> Option<&str> {
            self.1
        }
        fn column_name(&self) -> Option<&str> {
            None
        }
        fn constraint_name(&self) -> Option<&str> {
            None
        }
        fn statement_position(&self) -> Option<i32> {
            None
        }
    }

    fn db(kind: DatabaseErrorKind, message: &'static str, table: Option<&'static str>) -> Error {
        Error::from(D::DatabaseError(kind, Box::new(Info(message, table))))
    }

    #[test]
    fn a_unique_violation_does_not_pass_on_the_databases_words() {
        let raw = "duplicate key value violates unique constraint \"idempotency_keys_pkey\"";
        match db(DatabaseErrorKind::UniqueViolation, raw, Some("idempotency_keys")) {
            Error::AlreadyExists(m) => {
                assert!(!m.contains("duplicate key") && !m.contains("pkey"), "{m}");
                assert_eq!(m, "a row of idempotency_keys with that key already exists");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn lost_races_are_contention_and_unexpected_errors_internal() {
        for (kind, m) in [
            (DatabaseErrorKind::Unknown, "deadlock detected"),
            (DatabaseErrorKind::Unknown, "could not obtain lock on row in relation \"runs\""),
            (DatabaseErrorKind::SerializationFailure, "could not serialize access due to concurrent update"),
        ] {
            assert!(matches!(db(kind, m, None), Error::Contention(_)), "{m}");
        }
        assert!(matches!(db(DatabaseErrorKind::Unknown, "syntax error at or near", None), Error::Internal(_)));
    }
}
