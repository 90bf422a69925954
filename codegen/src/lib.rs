//! A generator that turns an OpenAPI description (3.0 or 3.1, JSON or YAML) into a typed,
//! validated, blocking Rust client crate. Cloudflare's API is the first-class target.
//!
//! Data flows one way, through four stages:
//!
//! 1. Load: [`load`] reads the file, applies the [`overlay`]s, checks it is an OpenAPI
//!    document and that every `$ref` resolves, reads an OpenAPI 3.1 document as 3.0
//!    ([`openapi31`]), [`repair`]s the defects it tolerates, parses it (spec), and warns about what only the
//!    whole document shows (`load_checks.rs`). What these
//!    share (JSON pointers, the `$ref` resolver, reading text, the HTTP methods) is
//!    [`source`].
//! 2. Model: [`model`] resolves `$ref`s and `allOf`, classifies and names every schema, and
//!    builds the operations (those [`select`] keeps) and the resource tree (model); `naming`
//!    gives the Rust names.
//! 3. Emit: `emit` turns the model into Rust tokens and text, a file per generated file or
//!    concern (tokens).
//! 4. Write: [`write`](mod@write) puts the files in place atomically, or compares them with
//!    what is on disk (files).
//!
//! Every stage reports through the [`Diagnostics`] of the source it reads, created where the
//! source is read and knowing its file: an error fails the run, a warning says what was
//! tolerated, downgraded or left out. [`generate`] runs stages 1 to 3.
#![warn(missing_docs)]
// A `Diagnostic` carries its file, position, pointer, message and hint inline so every stage
// can build and return one directly; failures are not a hot path.
#![allow(clippy::result_large_err)]

pub mod diagnostic;
mod emit;
pub mod load;
mod load_checks;
pub mod model;
mod naming;
pub mod openapi31;
pub mod overlay;
pub mod repair;
pub mod select;
pub mod source;
pub mod write;

pub use diagnostic::{Diagnostic, Diagnostics, Severity};

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

/// What to generate.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The spec file to read.
    pub spec: PathBuf,
    /// How headers and messages name the spec (never an absolute path).
    pub spec_display: String,
    /// The package name of the generated crate.
    pub crate_name: String,
    /// The command that regenerates the crate, quoted in every header.
    pub regenerate: String,
    /// Whether the crate is its own workspace (`--out`) rather than a member of this one.
    pub standalone: bool,
    /// Whether warnings fail the run (`--deny-warnings`).
    pub deny_warnings: bool,
    /// `--include` patterns: the operations to generate (none: every operation).
    pub include: Vec<String>,
    /// `--exclude` patterns: operations left out of what `include` selected.
    pub exclude: Vec<String>,
    /// Overlay files (OpenAPI Overlay 1.0) applied in order to the spec before it is read.
    pub overlays: Vec<PathBuf>,
    /// How headers and messages name each overlay, in the order of `overlays` (never an
    /// absolute path); an overlay without an entry here is named by its file name.
    pub overlay_displays: Vec<String>,
    /// Whether the crate gets a cargo feature per top-level resource (`--resource-features`;
    /// by default from [`model::FEATURES_FROM_OPERATIONS`] operations on).
    pub resource_features: model::ResourceFeatures,
}

impl Options {
    /// Each overlay with the name headers and messages use for it.
    pub fn overlay_sources(&self) -> Vec<(PathBuf, String)> {
        self.overlays
            .iter()
            .enumerate()
            .map(|(i, path)| {
                let display = self.overlay_displays.get(i).cloned().unwrap_or_else(|| {
                    path.file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_else(|| path.display().to_string())
                });
                (path.clone(), display)
            })
            .collect()
    }

    /// The `--include` and `--exclude` patterns as a [`select::Selection`].
    pub fn selection(&self) -> select::Selection {
        select::Selection {
            include: self.include.clone(),
            exclude: self.exclude.clone(),
        }
    }
}

/// One generated file, with its path relative to the crate root (`/`-separated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Where the file goes, relative to the crate root.
    pub path: String,
    /// Its full text.
    pub contents: String,
}

/// What a successful run produced: the files of the crate and what the generator tolerated,
/// downgraded or left out on the way.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    /// Every file of the crate, in a fixed order.
    pub files: Vec<GeneratedFile>,
    /// Warnings, in the order found; empty when the spec needed nothing tolerated.
    pub warnings: Vec<Diagnostic>,
}

/// Reads the spec and returns every file of the crate, in a fixed order, with the warnings.
/// Writes nothing. Fails with every error found (and the warnings seen so far).
pub fn generate(options: &Options) -> Result<Generated, Diagnostics> {
    // One context for the spec: every stage reports through it, so each diagnostic names the
    // spec's file (an overlay's name their overlay).
    let mut diagnostics = Diagnostics::for_file(&options.spec_display);
    // Load stage: overlays, then the spec (3.1 read as 3.0).
    let Some(spec) = load::read(&options.spec, &options.overlay_sources(), &mut diagnostics) else {
        return Err(diagnostics);
    };
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    let model = model::build_with(
        &spec,
        &options.selection(),
        options.resource_features,
        &mut diagnostics,
    );
    if options.deny_warnings {
        diagnostics.deny_warnings();
    }
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    let files = emit::crate_files(&model, options).map_err(|e| {
        let mut all = diagnostics.clone();
        all.push(
            Diagnostic::at("#", e)
                .hint("this is a bug in the generator; please report it with the spec"),
        );
        all
    })?;
    Ok(Generated {
        files,
        warnings: diagnostics.into_vec(),
    })
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
        include: Vec::new(),
        exclude: Vec::new(),
        resource_features: model::ResourceFeatures::Auto,
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
