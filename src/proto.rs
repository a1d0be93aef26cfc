//! Generated protobuf and gRPC code.

#![allow(missing_docs, clippy::all, clippy::pedantic)]

/// `orchestrator.v1`.
pub mod v1 {
    tonic::include_proto!("orchestrator.v1");
}

/// The encoded file descriptor set, for server reflection.
pub const FILE_DESCRIPTOR_SET: &[u8] = tonic::include_file_descriptor_set!("orchestrator_descriptor");

use std::sync::OnceLock;

use prost_reflect::{DescriptorPool, DeserializeOptions, DynamicMessage, MessageDescriptor};

/// The descriptor set as a pool (decoded once), for the proto JSON mapping
/// of files: plan, recipe and verify files, and recipes in the policy file.
pub fn pool() -> Result<&'static DescriptorPool, String> {
    static POOL: OnceLock<Result<DescriptorPool, String>> = OnceLock::new();
    POOL.get_or_init(|| DescriptorPool::decode(FILE_DESCRIPTOR_SET).map_err(|e| format!("the descriptor set: {e}")))
        .as_ref()
        .map_err(Clone::clone)
}

/// The descriptor of a message by its full name.
pub fn descriptor(name: &str) -> Result<MessageDescriptor, String> {
    pool()?.get_message_by_name(name).ok_or_else(|| format!("{name} is not in the descriptor set"))
}

/// A message from its JSON mapping already parsed (unknown fields refused);
/// an error names the field path.
pub fn from_json<M: prost::Message + Default>(name: &str, value: serde_json::Value) -> Result<M, String> {
    let desc = descriptor(name)?;
    let mut track = serde_path_to_error::Track::new();
    let options = DeserializeOptions::new().deny_unknown_fields(true);
    let parsed = DynamicMessage::deserialize_with_options(
        desc,
        serde_path_to_error::Deserializer::new(value, &mut track),
        &options,
    );
    let message = parsed.map_err(|e| {
        let path = track.path().to_string();
        if path.is_empty() || path == "." {
            e.to_string()
        } else {
            format!("at {path}: {e}")
        }
    })?;
    message.transcode_to::<M>().map_err(|e| e.to_string())
}
