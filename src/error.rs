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
    /// The database cannot be reached; retry later.
    #[error("unavailable: {0}")]
    Unavailable(String),
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
            D::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                Error::AlreadyExists(info.message().to_string())
            }
            other => Error::Internal(other.to_string()),
        }
    }
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
