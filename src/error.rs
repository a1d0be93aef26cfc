//! The one error type of the service's domain, engine and store.
//!
//! Each variant is a meaning, not a source: the API maps each to exactly one
//! gRPC code (see `api::status`). Errors are `Clone` because one failed group
//! commit is reported to every request in the group.

use crate::domain::Violation;

/// What went wrong, in terms a caller can act on.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    /// The request is malformed; every violation is named.
    #[error("invalid argument: {}", .0.iter().map(|v| format!("{}: {}", v.field, v.description)).collect::<Vec<_>>().join("; "))]
    InvalidArgument(Vec<Violation>),
    /// The thing asked for does not exist (or is another workspace's).
    #[error("{0}")]
    NotFound(String),
    /// A different thing already exists under that key.
    #[error("{0}")]
    AlreadyExists(String),
    /// The thing is not in a state that allows the request.
    #[error("{0}")]
    FailedPrecondition(String),
    /// A quota or budget is used up.
    #[error("{0}")]
    ResourceExhausted(String),
    /// The caller may not do this.
    #[error("{0}")]
    PermissionDenied(String),
    /// The caller is not known.
    #[error("{0}")]
    Unauthenticated(String),
    /// Not built yet.
    #[error("{0}")]
    Unimplemented(String),
    /// The work did not finish within its deadline (our own words).
    #[error("{0}")]
    DeadlineExceeded(String),
    /// The database cannot be reached; retry later.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// The server is busy with other work of this kind (our own words, safe to
    /// show); retry later.
    #[error("overloaded: {0}")]
    Overloaded(String),
    /// The transaction lost a race with another (a deadlock, a serialization
    /// failure, a run lock it must not wait for). The store retries it a few
    /// times itself; one that still loses reaches the caller as retryable.
    #[error("contention: {0}")]
    Contention(String),
    /// A bug or an unexpected failure; details are logged, not returned.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// A single-field invalid argument.
    pub fn invalid(field: &str, description: impl Into<String>) -> Self {
        Error::InvalidArgument(vec![Violation::new(field, description)])
    }
}

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

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::Internal(format!("stored JSON: {e}"))
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

mod r2d2_error {
    pub use diesel::r2d2::PoolError;
}

#[cfg(test)]
mod tests {
    use super::*;
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
        // And both reach a client as retryable, never with the database's text.
        let s = tonic::Status::from(db(DatabaseErrorKind::Unknown, "deadlock detected", None));
        assert_eq!(s.code(), tonic::Code::Unavailable);
        assert!(!s.message().contains("deadlock"), "{}", s.message());
    }
}
