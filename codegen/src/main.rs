//! `cargo run -p codegen`: regenerates `generated/` from `spec/`, or any OpenAPI 3.0 or 3.1
//! document into a standalone crate with `--spec` and `--out`, with `--overlay`s applied first.

use clap::{CommandFactory, FromArgMatches, Parser, ValueEnum};
use codegen::model::ResourceFeatures;
use codegen::write::{stale_files, write_crate};
use codegen::{default_options, generate, workspace_root, Options, DEFAULT_OUT};
use std::path::PathBuf;
use std::process::ExitCode;

/// Generates a typed, validated, blocking Rust client crate from an OpenAPI 3.0 or 3.1 document.
///
/// With no arguments, regenerates the checked-in crate `generated/` from
/// `spec/access-keys.openapi.yaml`, with every overlay in `spec/overlays/` applied in file-name
/// order (paths are found from the workspace, so this works from any directory). With `--spec`
/// and `--out`, writes a complete standalone crate (its own Cargo.toml and src/) for any
/// OpenAPI 3.0 or 3.1 document, JSON or YAML, with the `--overlay`s applied first.
///
/// A crate with at least 200 operations and more than one top-level resource gets a cargo
/// feature per top-level resource (kebab case) and `full`; none is on by default, so a build
/// compiles only the resources it names. A smaller crate compiles everything and has no
/// features (--resource-features forces either way). --include and --exclude generate part of
/// the document.
///
/// Output goes to a temporary directory first and is moved into place only when generation
/// succeeds; on failure the exit code is 1 and the message names the file, the JSON pointer of
/// the offending node, what is wrong and what to do.
#[derive(Parser, Debug)]
#[command(name = "codegen", version)]
struct Args {
    /// The OpenAPI 3.0 or 3.1 document to read (.yaml, .yml or .json). Needs --out.
    #[arg(long, value_name = "FILE", requires = "out")]
    spec: Option<PathBuf>,
    /// An OpenAPI Overlay 1.0 file applied to the --spec document before it is read; repeat to
    /// apply several, in order. (The checked-in crate takes its overlays from spec/overlays/.)
    #[arg(long, value_name = "FILE", requires = "spec")]
    overlay: Vec<PathBuf>,
    /// The directory to write the crate into (replaced as a whole). Needs --spec.
    #[arg(long, value_name = "DIR", requires = "spec")]
    out: Option<PathBuf>,
    /// The generated package's name (default: the --out directory's name).
    #[arg(long, value_name = "CRATE-NAME")]
    name: Option<String>,
    /// Write nothing; exit with 1 and list the stale files when the output differs.
    #[arg(long)]
    check: bool,
    /// Fail when the generator has to tolerate, downgrade or leave out anything (warnings
    /// become errors).
    #[arg(long)]
    deny_warnings: bool,
    /// Generate only the operations PATTERN matches (repeatable; none: every operation). A
    /// pattern matches an operation when it equals one of its tags ('DNS Records for a Zone'),
    /// equals its SDK group or a dotted prefix of it (zero_trust.access), or is a glob of its
    /// operationId (access-key-configuration-*) or path (/accounts/*/access/**; `*` stays in
    /// one segment, `**` crosses segments). Only the schemas the selected operations reach are
    /// generated. A pattern that matches nothing is an error.
    #[arg(long, value_name = "PATTERN")]
    include: Vec<String>,
    /// Leave out the operations PATTERN matches, after the includes (repeatable; same patterns
    /// as --include). A pattern that matches none of the included operations is an error.
    #[arg(long, value_name = "PATTERN")]
    exclude: Vec<String>,
    /// Whether the crate gets a cargo feature per top-level resource (and `full`, none on by
    /// default): `auto` from 200 operations on (smaller crates build whole in seconds),
    /// `always` whenever there is more than one top-level resource, `never` to compile every
    /// resource always.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = FeaturesArg::Auto)]
    resource_features: FeaturesArg,
}

/// `--resource-features`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FeaturesArg {
    Auto,
    Always,
    Never,
}

impl FeaturesArg {
    fn mode(self) -> ResourceFeatures {
        match self {
            FeaturesArg::Auto => ResourceFeatures::Auto,
            FeaturesArg::Always => ResourceFeatures::Always,
            FeaturesArg::Never => ResourceFeatures::Never,
        }
    }

    /// The flag that repeats this choice in the regenerate command (none for the default).
    fn to_args(self) -> &'static str {
        match self {
            FeaturesArg::Auto => "",
            FeaturesArg::Always => " --resource-features always",
            FeaturesArg::Never => " --resource-features never",
        }
    }
}

fn main() -> ExitCode {
    let help = format!(
        "Workspace used without --spec: {} (from the CARGO_MANIFEST_DIR that `cargo run` sets, \
         else the one this binary was built in).",
        workspace_root().display()
    );
    let matches = Args::command().after_help(help).get_matches();
    let args = match Args::from_arg_matches(&matches) {
        Ok(args) => args,
        Err(e) => e.exit(),
    };
    let (options, out) = match (&args.spec, &args.out) {
        (Some(spec), Some(out)) => {
            let name = args.name.clone().unwrap_or_else(|| {
                out.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "generated-client".into())
            });
            let display = spec
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| spec.display().to_string());
            let overlay_displays: Vec<String> = args.overlay.iter().map(|p| shown(p)).collect();
            let overlay_args: String = overlay_displays
                .iter()
                .map(|d| format!(" --overlay <{d}>"))
                .collect();
            let options = Options {
                spec: spec.clone(),
                spec_display: display,
                crate_name: name.clone(),
                regenerate: format!(
                    "cargo run -p codegen -- --spec <{}>{overlay_args} --out <dir> --name {name}",
                    spec.file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default()
                ),
                standalone: true,
                deny_warnings: args.deny_warnings,
                overlays: args.overlay.clone(),
                overlay_displays,
                include: args.include.clone(),
                exclude: args.exclude.clone(),
                resource_features: args.resource_features.mode(),
            };
            (options, out.clone())
        }
        _ => {
            let mut options = default_options();
            options.deny_warnings = args.deny_warnings;
            options.include = args.include.clone();
            options.exclude = args.exclude.clone();
            options.resource_features = args.resource_features.mode();
            if !options.include.is_empty()
                || !options.exclude.is_empty()
                || args.resource_features != FeaturesArg::Auto
            {
                options.regenerate.push_str(" --");
            }
            if let Some(name) = &args.name {
                options.crate_name = name.clone();
            }
            (options, workspace_root().join(DEFAULT_OUT))
        }
    };
    // The header's regenerate command repeats the selection and the features choice, so
    // `--check` and a rerun agree.
    let mut options = options;
    options.regenerate.push_str(&options.selection().to_args());
    options
        .regenerate
        .push_str(args.resource_features.to_args());
    if !valid_crate_name(&options.crate_name) {
        eprintln!(
            "error: {:?} is not a valid crate name\n  help: use letters, digits, `-` and `_`, starting with a letter",
            options.crate_name
        );
        return ExitCode::FAILURE;
    }
    let files = match generate(&options) {
        Ok(generated) => {
            for warning in &generated.warnings {
                eprintln!("{warning}");
            }
            if !generated.warnings.is_empty() {
                eprintln!(
                    "{} warning(s); `--deny-warnings` turns them into errors",
                    generated.warnings.len()
                );
            }
            generated.files
        }
        Err(all) => {
            eprintln!("{all}");
            return ExitCode::FAILURE;
        }
    };
    if args.check {
        let stale = stale_files(&out, &files);
        if stale.is_empty() {
            println!("{} is up to date ({} files)", out.display(), files.len());
            return ExitCode::SUCCESS;
        }
        eprintln!(
            "error: {} is out of date with {}:",
            out.display(),
            options.spec_display
        );
        for s in stale {
            eprintln!("  {s}");
        }
        eprintln!("  help: run `{}` and commit the result", options.regenerate);
        return ExitCode::FAILURE;
    }
    match write_crate(&out, &files) {
        Ok(()) => {
            println!("wrote {} files to {}", files.len(), out.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", out.display());
            ExitCode::FAILURE
        }
    }
}

/// How headers and messages name a file given on the command line: as given when relative
/// (`fixes/cf.yaml`), by its file name when absolute (headers never hold absolute paths).
fn shown(path: &std::path::Path) -> String {
    if path.is_relative() {
        path.display().to_string()
    } else {
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string())
    }
}

fn valid_crate_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}
