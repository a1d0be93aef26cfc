//! Orchestrator: a gRPC service that turns a goal into a persistent,
//! budgeted, verified and traced run of agent tasks.
//!
//! # Layout
//!
//! - [`api`]: tonic service implementations; proto ⇄ domain conversions and
//!   the one error → `Status` map. The only module that sees prost types.
//! - [`engine`]: the coordinator (run lifecycle), the agent protocol with
//!   long-poll, the reconciler, and the built-in executors.
//! - [`domain`]: runs, tasks, plans, budgets, retries: plain types and rules.
//! - [`store`]: diesel schema and queries for SQLite and PostgreSQL. The only
//!   module that sees diesel.
//! - [`hub`]: in-process fan-out of committed events and wake-ups.
//! - [`telemetry`]: logging and OpenTelemetry setup.
//! - [`server`] (in `api/`): wiring: `serve(listener, shutdown, config)`.
//!
//! `orchestrator bench` is its own binary (`src/bin/orchestrator-bench/`), a
//! client of this library.

pub mod api;
pub mod auth;
pub mod cli;
pub mod config;
pub mod domain;
pub mod engine;
pub mod error;
pub mod hub;
pub mod llm;
pub mod proto;
pub mod store;
pub mod telemetry;
pub mod verify;

pub use api::server;
pub use error::{Error, Result};
