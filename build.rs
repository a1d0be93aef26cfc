//! Compiles the protos with a pure-Rust compiler (protox): no system `protoc`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR")?);
    let mut compiler = protox::Compiler::new(["proto"])?;
    compiler.include_imports(true).include_source_info(true);
    compiler.open_files([
        "orchestrator/v1/types.proto",
        "orchestrator/v1/run.proto",
        "orchestrator/v1/coordinator.proto",
        "orchestrator/v1/verifier.proto",
        "orchestrator/v1/admin.proto",
        "orchestrator/v1/recipe.proto",
        "orchestrator/v1/schedule.proto",
        "orchestrator/v1/guidance.proto",
        // Served by reflection so that grpcurl can decode google.rpc.BadRequest details.
        "google/rpc/error_details.proto",
    ])?;
    std::fs::write(out.join("orchestrator_descriptor.bin"), compiler.encode_file_descriptor_set())?;
    tonic_prost_build::configure().build_server(true).build_client(true).compile_fds(compiler.file_descriptor_set())?;
    println!("cargo:rerun-if-changed=proto");
    Ok(())
}
