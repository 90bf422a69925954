//! The generator's fixtures (`tests/fixtures/<name>/`): each construct's spec and the full
//! crate generated from it, checked in under `expected/`. A fresh generation must be exactly
//! what is checked in; `CODEGEN_BLESS=1` rewrites the snapshots instead.
//!
//! The expected crates are members of this workspace, so `cargo test --workspace` compiles
//! them (sharing one target directory and one build of the dependencies) and runs their
//! generated example tests and doctests; `.ci/run` lints and documents them with warnings
//! denied. A few targeted assertions below document the rules that matter most, so that a
//! careless bless cannot quietly break them.

use codegen::Generated;
use std::sync::{Mutex, MutexGuard, OnceLock};
use tests::fixtures::{blessing, file, truncate_report, Fixture, BLESS_COMMAND, FIXTURE_ENTRIES};

/// Tests that read `tests/fixtures/` take this, so none sees a fixture half-blessed.
static DISK: Mutex<()> = Mutex::new(());

fn disk() -> MutexGuard<'static, ()> {
    DISK.lock().unwrap_or_else(|e| e.into_inner())
}

/// Every fixture with what the generator makes of it, generated once for all the tests here.
fn all_generated() -> &'static [(Fixture, Generated)] {
    static ALL: OnceLock<Vec<(Fixture, Generated)>> = OnceLock::new();
    ALL.get_or_init(|| {
        Fixture::all()
            .into_iter()
            .map(|f| {
                let generated = f.generate();
                (f, generated)
            })
            .collect()
    })
}

/// The generated files of the fixture called `name`.
fn files_of(name: &str) -> &'static [codegen::GeneratedFile] {
    &all_generated()
        .iter()
        .find(|(f, _)| f.name == name)
        .unwrap_or_else(|| panic!("there is no fixture tests/fixtures/{name}"))
        .1
        .files
}

/// At most this many lines of report per fixture (a runtime change touches every fixture).
const REPORT_LINES: usize = 300;

fn advice() -> String {
    format!(
        "the generated fixture crates differ from tests/fixtures/*/expected/. If the change is \
         intended, rewrite the snapshots with `{BLESS_COMMAND}` (or `CODEGEN_BLESS=1 cargo test`), \
         review them with `git diff tests/fixtures` and commit them"
    )
}

#[test]
fn every_fixture_matches_its_snapshot() {
    let _disk = disk();
    let fixtures = all_generated();
    assert!(!fixtures.is_empty(), "no fixtures under tests/fixtures/");
    let mut failures = String::new();
    for (fixture, generated) in fixtures {
        if blessing() {
            fixture.bless(generated).unwrap_or_else(|e| {
                panic!("cannot write the snapshot of {}: {e}", fixture.display())
            });
            assert_eq!(
                fixture.report(generated),
                "",
                "{} was blessed but still differs",
                fixture.display()
            );
            eprintln!("blessed {}", fixture.display());
            continue;
        }
        let report = fixture.report(generated);
        if !report.is_empty() {
            failures.push_str(&format!(
                "==== {}\n{}\n",
                fixture.display(),
                truncate_report(&report, REPORT_LINES)
            ));
        }
    }
    let advice = advice();
    assert!(failures.is_empty(), "{advice}\n\n{failures}\n{advice}");
}

#[test]
fn fixture_directories_hold_a_spec_and_its_snapshot_only() {
    let _disk = disk();
    for fixture in Fixture::all() {
        let name = &fixture.name;
        assert!(
            name.starts_with(|c: char| c.is_ascii_lowercase())
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{}: name fixtures in lowercase letters, digits and `-`",
            fixture.display()
        );
        assert!(
            fixture.spec().is_file(),
            "{} has no spec.yaml (remove the directory, or add the spec and run `{BLESS_COMMAND}`)",
            fixture.display()
        );
        assert!(
            fixture.expected_dir().join("Cargo.toml").is_file() || blessing(),
            "{} has no snapshot: run `{BLESS_COMMAND}`",
            fixture.display()
        );
        let entries = std::fs::read_dir(&fixture.dir).expect("the fixture directory reads");
        for entry in entries {
            let entry = entry.expect("a directory entry").file_name();
            let entry = entry.to_string_lossy();
            assert!(
                FIXTURE_ENTRIES.contains(&entry.as_ref()),
                "{}/{entry} is neither the spec nor part of its snapshot ({FIXTURE_ENTRIES:?}): \
                 remove it",
                fixture.display()
            );
        }
    }
}

/// `cargo test --workspace`, clippy and rustdoc reach the expected crates only as workspace
/// members: each one must be a member, under its own package name.
#[test]
fn every_expected_crate_is_a_workspace_member() {
    let _disk = disk();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = std::process::Command::new(cargo)
        .args([
            "metadata",
            "--no-deps",
            "--format-version",
            "1",
            "--offline",
        ])
        .current_dir(codegen::workspace_root())
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "cargo metadata failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON");
    let members: Vec<(String, std::path::PathBuf)> = metadata["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|p| {
            let name = p["name"].as_str().expect("a package name").to_owned();
            let manifest = p["manifest_path"].as_str().expect("a manifest path");
            (name, std::path::PathBuf::from(manifest))
        })
        .collect();
    for fixture in Fixture::all() {
        let manifest = fixture.expected_dir().join("Cargo.toml");
        if !manifest.is_file() {
            continue; // reported by the layout test
        }
        let manifest = manifest.canonicalize().expect("the manifest resolves");
        assert!(
            members.iter().any(|(name, path)| *name == fixture.package()
                && path.canonicalize().is_ok_and(|p| p == manifest)),
            "{}/expected is not the workspace member {}: the root Cargo.toml's members must \
             include \"tests/fixtures/*/expected\"",
            fixture.display(),
            fixture.package()
        );
    }
}

#[test]
fn output_is_deterministic_and_marked_generated() {
    let root = codegen::workspace_root().to_string_lossy().into_owned();
    for (fixture, a) in all_generated() {
        let b = fixture.generate();
        assert_eq!(
            *a,
            b,
            "{}: two runs must give byte-identical output",
            fixture.display()
        );
        let header = format!("@generated by codegen from {}/spec.yaml", fixture.display());
        for f in &a.files {
            let first = f.contents.lines().next().unwrap_or_default();
            assert!(
                first.contains(&header),
                "{}: {} lacks the header: {first}",
                fixture.display(),
                f.path
            );
            assert!(
                f.contents.contains(BLESS_COMMAND),
                "{}: {} does not say how to regenerate it",
                fixture.display(),
                f.path
            );
            assert!(
                !f.contents.contains(&root),
                "{}: {} contains an absolute path",
                fixture.display(),
                f.path
            );
        }
        let manifest = file(&a.files, "Cargo.toml");
        assert!(
            manifest.contains(&format!("name = \"{}\"", fixture.package())),
            "{}: the package is named {}",
            fixture.display(),
            fixture.package()
        );
        assert!(
            !manifest.contains("[workspace]"),
            "{}: a fixture crate is a member of this workspace, not its own",
            fixture.display()
        );
    }
}

// Targeted rules. The snapshots show everything; these say what must never change by accident.

/// An inline result type takes the operation's public name (`<Prefix>Response`), never a
/// numbered one, and a nullable result is an `Option` of it.
#[test]
fn inline_results_take_their_public_name() {
    let files = files_of("envelopes");
    let types = file(files, "src/types.rs");
    let resources = file(files, "src/resources.rs");
    assert!(types.contains("pub struct RecordsDeleteRecordsResponse {"));
    assert!(resources
        .contains("Result<Option<crate::types::RecordsDeleteRecordsResponse>, crate::Error>"));
    for (fixture, generated) in all_generated() {
        assert!(
            !file(&generated.files, "src/types.rs").contains("Response2"),
            "{}: no numbered result names",
            fixture.display()
        );
    }
}

/// A body field named like a path parameter is renamed in Rust and keeps its wire name.
#[test]
fn a_body_field_that_collides_with_a_path_parameter_is_renamed_not_lost() {
    let files = files_of("bodies");
    let types = file(files, "src/types.rs");
    assert!(types.contains("    pub body_zone_id: Option<String>,"));
    assert!(types.contains("object.field_some(\"zone_id\", &self.body_zone_id);"));
}

/// String enums keep values this crate does not know, so a new value on the server never
/// breaks decoding.
#[test]
fn string_enums_keep_unknown_values() {
    let files = files_of("enums");
    let types = file(files, "src/types.rs");
    assert!(types.contains("RecordType, Unknown, ["));
}

/// Every constraint kind the generator documents is checked by the generated `validate`.
#[test]
fn every_constraint_kind_is_checked() {
    let files = files_of("objects");
    let types = file(files, "src/types.rs");
    for check in [
        "min_length(",
        "max_length(",
        "pattern(",
        "minimum(",
        "maximum(",
        "multiple_of(",
        "min_items(",
        "max_items(",
        "unique_items(",
        "min_properties(",
        "max_properties(",
    ] {
        assert!(
            types.contains(&format!("check::{check}")),
            "no check::{check} in the objects fixture"
        );
    }
    assert!(file(files_of("enums"), "src/types.rs").contains("check::one_of("));
}

/// Doc text from the spec never becomes a doctest: indented text loses its indent and fences
/// become `text` blocks, so no doc comment line outside a fence is indented by four spaces.
#[test]
fn doc_text_never_becomes_a_doctest() {
    for (fixture, generated) in all_generated() {
        for f in &generated.files {
            let mut fenced = false;
            for line in f.contents.lines() {
                let doc = line
                    .trim_start()
                    .strip_prefix("///")
                    .or_else(|| line.trim_start().strip_prefix("//!"));
                let Some(doc) = doc else { continue };
                let text = doc.strip_prefix(' ').unwrap_or(doc);
                if text.trim_start().starts_with("```") {
                    fenced = !fenced;
                    continue;
                }
                assert!(
                    fenced || !text.starts_with("    "),
                    "{}: {}: indented doc text becomes a doctest: {line:?}",
                    fixture.display(),
                    f.path
                );
            }
        }
    }
    let files = files_of("docs");
    let resources = file(files, "src/resources.rs");
    assert!(resources.contains("/// Indented text must not become a doctest."));
    assert!(resources.contains("/// ```text\n    /// fenced text must not become a doctest"));
}

#[test]
fn a_crate_for_another_vendor_never_mentions_cloudflare() {
    // Vendor conventions and words live in the generator's files that decide them
    // (`model/cloudflare.rs`); a document that is not Cloudflare's gets none of them.
    let mut checked = 0;
    for (fixture, generated) in all_generated() {
        let spec = std::fs::read_to_string(fixture.spec()).expect("the spec reads");
        if spec.to_ascii_lowercase().contains("cloudflare") {
            continue;
        }
        checked += 1;
        for f in &generated.files {
            if let Some(line) = f
                .contents
                .lines()
                .find(|l| l.to_ascii_lowercase().contains("cloudflare"))
            {
                panic!(
                    "fixture {}: {} mentions Cloudflare: {line}",
                    fixture.name, f.path
                );
            }
        }
    }
    assert!(checked > 5, "only {checked} fixtures are not Cloudflare's");
}

#[test]
fn a_dropped_operation_leaves_nothing_behind() {
    let fixture = all_generated()
        .iter()
        .find(|(f, _)| f.name == "dropped-operations")
        .expect("the dropped-operations fixture");
    let files = &fixture.1.files;
    let resources = file(files, "src/resources.rs");
    let types = file(files, "src/types.rs");
    assert!(resources.contains("pub fn list("), "{resources}");
    assert!(
        !resources.contains("list_2"),
        "the sibling keeps its plain name"
    );
    assert!(
        !resources.contains("Orphans"),
        "no resource only dropped operations had"
    );
    assert!(!resources.contains("loops"), "{resources}");
    assert!(
        !types.contains("Status"),
        "no type the dropped operation named"
    );
    assert!(!types.contains("Params2"), "{types}");
    assert!(!file(files, "Cargo.toml").contains("full = ["));
    let warnings: Vec<String> = fixture.1.warnings.iter().map(|w| w.to_string()).collect();
    let cycles = warnings.iter().filter(|w| w.contains("Ouroboros")).count();
    assert_eq!(cycles, 1, "one cause, printed once: {warnings:#?}");
}

/// Constraints are stated with the spec's values in code spans, where rustdoc shows them
/// exactly: no backslash before a bracket, a longer fence around a pattern with backticks.
#[test]
fn patterns_are_documented_exactly_as_written() {
    let types = file(files_of("docs"), "src/types.rs");
    assert!(types.contains("/// Constraints: pattern `^[a-z0-9_][a-z0-9-_]*$`."));
    assert!(types.contains("/// Constraints: pattern ``^`[a-z_*]+`<\\d>$``."));
    assert!(!types.contains("pattern `^\\["), "{types}");
}
