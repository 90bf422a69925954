//! A generator that turns an OpenAPI 3.0 description of Cloudflare's API into a typed,
//! validated, blocking Rust client crate.
//!
//! Data flows one way: [`load`] reads and checks the spec, [`model`] resolves it into named
//! types and operations, [`emit`] turns the model into tokens, [`write`](mod@write) formats them into
//! files and puts the files in place.

pub mod diagnostic;
pub mod emit;
pub mod load;
pub mod model;
pub mod naming;
pub mod write;

pub use diagnostic::{Diagnostic, Diagnostics, Severity};
pub use write::{generate, GeneratedFile, Options};

use std::path::{Path, PathBuf};

/// The workspace this generator lives in (found from the crate's location, not the current
/// directory, so `cargo run -p codegen` works from anywhere).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The spec `cargo run -p codegen` reads, relative to the workspace.
pub const DEFAULT_SPEC: &str = "spec/access-keys.openapi.yaml";
/// Where `cargo run -p codegen` writes, relative to the workspace.
pub const DEFAULT_OUT: &str = "generated";
/// The name of the checked-in crate.
pub const DEFAULT_CRATE: &str = "cloudflare-access-keys";

/// Options that regenerate the checked-in crate `generated/` from `spec/`.
pub fn default_options() -> Options {
    Options {
        spec: workspace_root().join(DEFAULT_SPEC),
        spec_display: DEFAULT_SPEC.to_owned(),
        crate_name: DEFAULT_CRATE.to_owned(),
        regenerate: "cargo run -p codegen".to_owned(),
        standalone: false,
    }
}
