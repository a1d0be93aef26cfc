//! The one map from [`Error`] to `tonic::Status`.
//!
//! Policy:
//! - `InvalidArgument` → `INVALID_ARGUMENT`, with a `google.rpc.BadRequest`
//!   carrying one field violation per problem (every problem, not the first).
//! - `NotFound` → `NOT_FOUND` (also for another workspace's run: no hint that it exists).
//! - `AlreadyExists` → `ALREADY_EXISTS`; `FailedPrecondition` → `FAILED_PRECONDITION`
//!   (stale or expired leases, illegal state changes).
//! - `ResourceExhausted`, `PermissionDenied`, `Unauthenticated`, `Unimplemented`
//!   → the codes of the same name.
//! - `Unavailable` (database unreachable, pool exhausted) and `Contention` (a
//!   deadlock or serialization failure that the store's own retries did not
//!   get past) → `UNAVAILABLE`: retry. `Overloaded` (the verifier's slots
//!   taken) → `UNAVAILABLE` with its message. The database's message is logged, not returned.
//! - `Internal` → logged with its details, returned as `INTERNAL` without them.

use tonic::{Code, Status};
use tonic_types::{ErrorDetails, StatusExt};

use crate::error::Error;

impl From<Error> for Status {
    fn from(e: Error) -> Status {
        match e {
            Error::InvalidArgument(violations) => {
                let mut details = ErrorDetails::new();
                for v in &violations {
                    details.add_bad_request_violation(v.field.clone(), v.description.clone());
                }
                let message = violations
                    .iter()
                    .take(5)
                    .map(|v| format!("{}: {}", v.field, v.description))
                    .collect::<Vec<_>>()
                    .join("; ");
                let more =
                    if violations.len() > 5 { format!(" (and {} more)", violations.len() - 5) } else { String::new() };
                Status::with_error_details(Code::InvalidArgument, format!("{message}{more}"), details)
            }
            Error::NotFound(m) => Status::not_found(m),
            Error::AlreadyExists(m) => Status::already_exists(m),
            Error::FailedPrecondition(m) => Status::failed_precondition(m),
            Error::ResourceExhausted(m) => Status::resource_exhausted(m),
            Error::PermissionDenied(m) => Status::permission_denied(m),
            Error::Unauthenticated(m) => Status::unauthenticated(m),
            Error::Unimplemented(m) => Status::unimplemented(m),
            Error::DeadlineExceeded(m) => Status::deadline_exceeded(m),
            Error::Unavailable(m) => {
                tracing::warn!(error = %m, "store unavailable");
                Status::unavailable("the database is unavailable; retry later")
            }
            Error::Overloaded(m) => Status::unavailable(m),
            Error::Contention(m) => {
                tracing::warn!(error = %m, "transaction lost a race after retries");
                Status::unavailable("the database is busy; retry")
            }
            Error::Internal(m) => {
                tracing::error!(error = %m, "internal error");
                Status::internal("internal error")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lost_races_and_database_failures_reach_a_client_as_retryable_without_the_databases_words() {
        for e in [Error::Contention("deadlock detected".into()), Error::Unavailable("connection refused".into())] {
            let s = Status::from(e);
            assert_eq!(s.code(), Code::Unavailable);
            assert!(!s.message().contains("deadlock") && !s.message().contains("refused"), "{}", s.message());
        }
        let s = Status::from(Error::Internal("syntax error at or near".into()));
        assert_eq!((s.code(), s.message()), (Code::Internal, "internal error"));
    }
}
