//! The gRPC surface: thin handlers that convert proto ⇄ domain, call the
//! engine, and map errors to `Status` in one place ([`status`]).
//!
//! Architecture invariant: this is the only module that sees prost types.

mod admin;
pub mod convert;
mod coordinator;
mod guidance;
mod recipes;
mod runs;
mod schedules;
pub mod server;
pub mod status;
pub mod timeout;
mod verifier;

pub use admin::AdminApi;
pub use coordinator::CoordinatorApi;
pub use guidance::GuidanceApi;
pub use recipes::{policy_recipe_problems, RecipeApi};
pub use runs::RunApi;
pub use schedules::ScheduleApi;
pub use verifier::VerifierApi;

use crate::domain::DEFAULT_WORKSPACE;

/// Who is calling: set by the authentication layer as a request extension.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The workspace every query is scoped to.
    pub workspace: String,
    /// The key id, for audit ("local" without authentication).
    pub key_id: String,
}

impl Caller {
    /// The caller when authentication is off.
    pub fn local() -> Caller {
        Caller { workspace: DEFAULT_WORKSPACE.into(), key_id: "local".into() }
    }
}

/// The caller of a request.
pub fn caller<T>(req: &tonic::Request<T>) -> Caller {
    req.extensions().get::<Caller>().cloned().unwrap_or_else(Caller::local)
}
