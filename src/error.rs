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
    /// Whether trying again later may succeed (the database, the load, a
    /// lost race, a bug's accident) rather than meet the same refusal.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Error::Unavailable(_)
                | Error::Overloaded(_)
                | Error::Contention(_)
                | Error::Internal(_)
                | Error::DeadlineExceeded(_)
        )
    }

    /// A single-field invalid argument.
    pub fn invalid(field: &str, description: impl Into<String>) -> Self {
        Error::InvalidArgument(vec![Violation::new(field, description)])
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::Internal(format!("stored JSON: {e}"))
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
