//! Generated protobuf and gRPC code.

#![allow(missing_docs, clippy::all, clippy::pedantic)]

/// `orchestrator.v1`.
pub mod v1 {
    tonic::include_proto!("orchestrator.v1");
}

/// The encoded file descriptor set, for server reflection.
pub const FILE_DESCRIPTOR_SET: &[u8] = tonic::include_file_descriptor_set!("orchestrator_descriptor");
