//! The integration tests, in one binary: one link of the library and its
//! dependencies instead of one per file (a clean build's `target/` was 8.8 GB
//! with a binary per file), and one PostgreSQL cluster for the whole suite.
//!
//! Each module is one concern, run as `cargo test --test suite MODULE::`.
//! `layering::every_test_file_is_in_the_suite` fails on a file here that no
//! `mod` line names, so no test can silently stop running.

#[macro_use]
mod common;

mod adaptive;
mod admin;
mod api;
mod batched;
mod bench_smoke;
mod cascade;
mod children;
mod cli;
mod clients;
mod contention;
mod contracts;
mod engine;
mod fleet;
mod hostile;
mod layering;
mod learning;
mod llm;
mod newcomer;
mod policy;
mod real_models;
mod recipes;
mod retention;
mod schedules;
mod sdk;
mod security;
mod trace;
mod verify;
