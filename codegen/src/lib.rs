//! A generator that turns an OpenAPI 3.0 description of Cloudflare's API into a typed,
//! validated, blocking Rust client crate.
//!
//! Data flows one way: [`load`] reads the spec, applies the [`overlay`]s, reads an OpenAPI 3.1
//! document as 3.0 ([`openapi31`]) and checks it, [`model`] resolves it into named
//! types and operations, [`emit`] turns the model into tokens, [`write`](mod@write) formats them into
//! files and puts the files in place.

// A `Diagnostic` carries its file, position, pointer, message and hint inline so every stage
// can build and return one directly; failures are not a hot path.
#![allow(clippy::result_large_err)]

pub mod diagnostic;
pub mod emit;
pub mod load;
pub mod model;
pub mod naming;
pub mod openapi31;
pub mod overlay;
pub mod write;

pub use diagnostic::{Diagnostic, Diagnostics, Severity};
pub use write::{generate, Generated, GeneratedFile, Options};

use std::path::{Path, PathBuf};

/// The workspace this generator lives in, so `cargo run -p codegen` works from any directory.
///
/// Cargo sets `CARGO_MANIFEST_DIR` when it runs the binary (`cargo run`, `cargo test`), and that
/// names the workspace that was asked for. The directory compiled into the binary is only the
/// fallback: cargo reuses one built binary for identical workspaces in different folders when
/// they share a target directory, so the compiled path may name another clone.
pub fn workspace_root() -> PathBuf {
    workspace_root_from(std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from))
}

/// [`workspace_root`] given the run-time `CARGO_MANIFEST_DIR`, if any: the parent of the
/// `codegen` package directory.
fn workspace_root_from(run_time_manifest_dir: Option<PathBuf>) -> PathBuf {
    let compiled = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest_dir = run_time_manifest_dir
        .filter(|dir| dir.join("Cargo.toml").is_file())
        .unwrap_or_else(|| compiled.to_path_buf());
    manifest_dir
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

/// Where `cargo run -p codegen` finds overlays for the default spec, relative to the workspace.
pub const DEFAULT_OVERLAYS: &str = "spec/overlays";

/// Options that regenerate the checked-in crate `generated/` from `spec/`, with every overlay
/// in `spec/overlays/` applied in file-name order.
pub fn default_options() -> Options {
    let (overlays, overlay_displays) = overlays_in(&workspace_root(), DEFAULT_OVERLAYS)
        .into_iter()
        .unzip();
    Options {
        spec: workspace_root().join(DEFAULT_SPEC),
        spec_display: DEFAULT_SPEC.to_owned(),
        crate_name: DEFAULT_CRATE.to_owned(),
        regenerate: "cargo run -p codegen".to_owned(),
        standalone: false,
        deny_warnings: false,
        overlays,
        overlay_displays,
    }
}

/// The overlay files (`*.yaml`, `*.yml`, `*.json`) in `root/dir`, sorted by file name, each
/// with its display name `dir/NAME`; none when the folder does not exist.
pub fn overlays_in(root: &Path, dir: &str) -> Vec<(PathBuf, String)> {
    let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
        return Vec::new();
    };
    let mut found: Vec<(PathBuf, String)> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            )
        })
        .filter_map(|p| {
            let name = p.file_name()?.to_string_lossy().into_owned();
            Some((p, format!("{dir}/{name}")))
        })
        .collect();
    found.sort_by(|a, b| a.1.cmp(&b.1));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_run_time_manifest_dir_wins_over_the_compiled_one() {
        let clone = tempfile::tempdir().expect("a temporary directory");
        let codegen_dir = clone.path().join("codegen");
        std::fs::create_dir_all(&codegen_dir).expect("codegen/ is created");
        std::fs::write(codegen_dir.join("Cargo.toml"), "").expect("Cargo.toml is written");
        assert_eq!(workspace_root_from(Some(codegen_dir)), clone.path());
    }

    #[test]
    fn without_a_usable_run_time_dir_the_compiled_one_is_used() {
        let compiled = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .map(Path::to_path_buf);
        assert_eq!(Some(workspace_root_from(None)), compiled);
        let missing = PathBuf::from("/nonexistent/codegen");
        assert_eq!(Some(workspace_root_from(Some(missing))), compiled);
    }
}
