//! The generator's fixtures: `tests/fixtures/<name>/` holds one construct's spec (`spec.yaml`),
//! the full crate the generator writes from it (`expected/`, package `fixture-<name>`, a member
//! of this workspace so `cargo test --workspace` builds and tests it with everything else),
//! when the generator warns, its warnings (`warnings.txt`), and, for a fixture about overlays,
//! the overlay applied to the spec (`overlay.yaml`).
//!
//! `tests/tests/fixtures.rs` compares a fresh generation with what is checked in;
//! `CODEGEN_BLESS=1` makes it rewrite the checked-in files instead ([`Fixture::bless`]).

use codegen::{Generated, GeneratedFile, Options};
use std::path::PathBuf;

/// The environment variable that makes the fixture test rewrite the snapshots.
pub const BLESS_VAR: &str = "CODEGEN_BLESS";
/// The command that rewrites every fixture's snapshot.
pub const BLESS_COMMAND: &str = "CODEGEN_BLESS=1 cargo test -p tests --test fixtures";
/// The files and directories a fixture directory may hold.
pub const FIXTURE_ENTRIES: [&str; 4] = [SPEC, OVERLAY, EXPECTED, WARNINGS];

/// Fixtures generated with `--resource-features always`: too small for resource features by
/// default, but they keep the gated output (feature names, `cfg` attributes, `full`) covered.
pub const FEATURES_FORCED: [&str; 1] = ["names"];

const SPEC: &str = "spec.yaml";
const OVERLAY: &str = "overlay.yaml";
const EXPECTED: &str = "expected";
const WARNINGS: &str = "warnings.txt";

/// Whether this run rewrites the snapshots (`CODEGEN_BLESS=1`).
pub fn blessing() -> bool {
    std::env::var_os(BLESS_VAR).is_some_and(|v| v == "1")
}

/// `tests/fixtures/` of this workspace.
pub fn fixtures_dir() -> PathBuf {
    codegen::workspace_root().join("tests").join("fixtures")
}

/// One fixture directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixture {
    /// The directory's name, e.g. `unions`.
    pub name: String,
    /// `tests/fixtures/<name>`.
    pub dir: PathBuf,
}

impl Fixture {
    /// Every directory under `tests/fixtures/`, sorted by name.
    pub fn all() -> Vec<Fixture> {
        let dir = fixtures_dir();
        let entries = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
        let mut all: Vec<Fixture> = entries
            .map(|e| e.expect("a directory entry").path())
            .filter(|p| p.is_dir())
            .map(|dir| Fixture {
                name: dir
                    .file_name()
                    .expect("an entry has a name")
                    .to_string_lossy()
                    .into_owned(),
                dir,
            })
            .collect();
        all.sort_by(|a, b| a.name.cmp(&b.name));
        all
    }

    /// The fixture's directory relative to the workspace, `/`-separated.
    pub fn display(&self) -> String {
        format!("tests/fixtures/{}", self.name)
    }

    /// `spec.yaml`.
    pub fn spec(&self) -> PathBuf {
        self.dir.join(SPEC)
    }

    /// `overlay.yaml`: an overlay applied to the spec before it is read, when there is one.
    pub fn overlay(&self) -> Option<PathBuf> {
        Some(self.dir.join(OVERLAY)).filter(|p| p.is_file())
    }

    /// `expected/`: the generated crate, checked in.
    pub fn expected_dir(&self) -> PathBuf {
        self.dir.join(EXPECTED)
    }

    /// `warnings.txt`: the generator's warnings, present only when there are some.
    pub fn warnings_file(&self) -> PathBuf {
        self.dir.join(WARNINGS)
    }

    /// The package name of the generated crate: `fixture-<name>`.
    pub fn package(&self) -> String {
        format!("fixture-{}", self.name)
    }

    /// How the fixture is generated: a member of this workspace (no `[workspace]` of its own),
    /// with headers that name the spec (and its overlay, if any) relative to the workspace and
    /// the bless command.
    pub fn options(&self) -> Options {
        let overlays: Vec<PathBuf> = self.overlay().into_iter().collect();
        Options {
            spec: self.spec(),
            spec_display: format!("{}/{SPEC}", self.display()),
            overlay_displays: overlays
                .iter()
                .map(|_| format!("{}/{OVERLAY}", self.display()))
                .collect(),
            overlays,
            crate_name: self.package(),
            regenerate: BLESS_COMMAND.to_owned(),
            standalone: false,
            resource_features: if FEATURES_FORCED.contains(&self.name.as_str()) {
                codegen::model::ResourceFeatures::Always
            } else {
                codegen::model::ResourceFeatures::Auto
            },
            ..Options::default()
        }
    }

    /// Generates the fixture; panics with every diagnostic when the generator fails.
    pub fn generate(&self) -> Generated {
        codegen::generate(&self.options()).unwrap_or_else(|all| {
            panic!("the generator failed on {}/{SPEC}:\n{all}", self.display())
        })
    }

    /// What `warnings.txt` holds for `generated`: one warning per line (as the CLI prints
    /// them), or nothing (and no file) when there are none.
    pub fn warnings_text(generated: &Generated) -> String {
        generated
            .warnings
            .iter()
            .map(|w| format!("{w}\n"))
            .collect()
    }

    /// A readable report of how the checked-in snapshot differs from `generated`; empty when
    /// it matches: a unified diff per changed file, and a line per missing or extra file.
    pub fn report(&self, generated: &Generated) -> String {
        let mut report = crate::snapshot_report_as(
            &self.expected_dir(),
            &format!("{}/{EXPECTED}", self.display()),
            &generated.files,
        );
        let fresh = Self::warnings_text(generated);
        let on_disk = std::fs::read_to_string(self.warnings_file()).unwrap_or_default();
        if fresh != on_disk {
            let diff = similar::TextDiff::from_lines(&on_disk, &fresh);
            report.push_str(&format!(
                "{}\n",
                diff.unified_diff().context_radius(3).header(
                    &format!("{}/{WARNINGS} (on disk)", self.display()),
                    &format!("{}/{WARNINGS} (freshly generated)", self.display()),
                )
            ));
        }
        report
    }

    /// Rewrites the snapshot: `expected/` is replaced as a whole by exactly `generated`'s files
    /// (files no longer generated disappear), and `warnings.txt` is written, or removed when
    /// there are no warnings. Deterministic: the same input writes the same bytes.
    pub fn bless(&self, generated: &Generated) -> std::io::Result<()> {
        codegen::write::write_crate(&self.expected_dir(), &generated.files)?;
        let warnings = Self::warnings_text(generated);
        if warnings.is_empty() {
            match std::fs::remove_file(self.warnings_file()) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        } else {
            std::fs::write(self.warnings_file(), warnings)?;
        }
        Ok(())
    }
}

/// The contents of the generated file at `path` (e.g. `src/types.rs`); panics when there is
/// none.
pub fn file<'a>(files: &'a [GeneratedFile], path: &str) -> &'a str {
    &files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| {
            panic!(
                "{path} was not generated; the files are {:?}",
                files.iter().map(|f| &f.path).collect::<Vec<_>>()
            )
        })
        .contents
}

/// Keeps the first `max` lines of `report`, saying how many were left out.
pub fn truncate_report(report: &str, max: usize) -> String {
    let total = report.lines().count();
    if total <= max {
        return report.to_owned();
    }
    let mut kept: String = report.lines().take(max).map(|l| format!("{l}\n")).collect();
    kept.push_str(&format!(
        "... {} more lines; bless and review the whole change with `git diff`\n",
        total - max
    ));
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generated(files: &[(&str, &str)], warnings: &[&str]) -> Generated {
        Generated {
            files: files
                .iter()
                .map(|(path, contents)| GeneratedFile {
                    path: (*path).into(),
                    contents: (*contents).into(),
                })
                .collect(),
            warnings: warnings
                .iter()
                .map(|w| codegen::Diagnostic {
                    file: "spec.yaml".into(),
                    ..codegen::Diagnostic::warning("#/paths", *w)
                })
                .collect(),
        }
    }

    #[test]
    fn bless_rewrites_the_whole_snapshot_and_then_it_matches() {
        let dir = tempfile::tempdir().unwrap();
        let fixture = Fixture {
            name: "demo".into(),
            dir: dir.path().join("demo"),
        };
        std::fs::create_dir_all(fixture.expected_dir().join("src")).unwrap();
        std::fs::write(fixture.expected_dir().join("src/gone.rs"), "old").unwrap();
        std::fs::write(fixture.expected_dir().join("src/lib.rs"), "old").unwrap();

        let first = generated(
            &[("Cargo.toml", "[package]\n"), ("src/lib.rs", "new\n")],
            &["tolerated"],
        );
        let report = fixture.report(&first);
        assert!(
            report.contains("src/gone.rs is on disk but not generated"),
            "{report}"
        );
        assert!(report.contains("-old"), "{report}");
        assert!(report.contains("Cargo.toml is missing"), "{report}");
        assert!(
            report.contains("+warning: spec.yaml: at #/paths: tolerated"),
            "{report}"
        );

        fixture.bless(&first).unwrap();
        assert_eq!(fixture.report(&first), "");
        assert_eq!(
            codegen::write::list_files(&fixture.expected_dir()),
            ["Cargo.toml", "src/lib.rs"]
        );
        assert_eq!(
            std::fs::read_to_string(fixture.warnings_file()).unwrap(),
            "warning: spec.yaml: at #/paths: tolerated\n"
        );
        let entries: Vec<_> = std::fs::read_dir(&fixture.dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            entries
                .iter()
                .all(|e| FIXTURE_ENTRIES.contains(&e.as_str())),
            "no staging directories are left behind: {entries:?}"
        );

        let second = generated(&[("Cargo.toml", "[package]\n")], &[]);
        fixture.bless(&second).unwrap();
        assert_eq!(fixture.report(&second), "");
        assert!(!fixture.warnings_file().exists(), "no warnings, no file");
        assert_eq!(
            codegen::write::list_files(&fixture.expected_dir()),
            ["Cargo.toml"]
        );
    }

    #[test]
    fn reports_are_cut_with_a_count_of_what_was_left_out() {
        let report = "a\nb\nc\nd\n";
        assert_eq!(truncate_report(report, 4), report);
        let cut = truncate_report(report, 2);
        assert!(cut.starts_with("a\nb\n... 2 more lines"), "{cut}");
    }
}
