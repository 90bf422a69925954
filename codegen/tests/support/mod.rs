//! What the generator's integration tests share (`mod support;` in each): a spec and its
//! overlays written to a temporary directory and generated as a standalone crate, and the
//! generated files by path. The constructs themselves are covered by the fixtures'
//! snapshots (`tests/fixtures/`); these tests check what a snapshot cannot: failures, the
//! order of several overlays, the command line.

#![allow(dead_code)] // each test crate uses its own part

use codegen::{generate, Diagnostics, Generated, GeneratedFile, Options};

/// Writes the spec (`name`, `text`) and the overlays (file name, text) into a temporary
/// directory and generates from it, the overlays applied in the order given, each named
/// `fixes/<file name>` in messages. The directory lives as long as the returned guard.
pub fn generate_in_temp(
    name: &str,
    text: &str,
    overlays: &[(&str, &str)],
) -> (tempfile::TempDir, Result<Generated, Diagnostics>) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(dir.path().join(name), text).expect("the spec is written");
    for (file, overlay) in overlays {
        std::fs::write(dir.path().join(file), overlay).expect("the overlay is written");
    }
    let options = Options {
        spec: dir.path().join(name),
        spec_display: name.into(),
        crate_name: "fixture".into(),
        regenerate: "cargo run -p codegen".into(),
        standalone: true,
        overlays: overlays.iter().map(|(f, _)| dir.path().join(f)).collect(),
        overlay_displays: overlays.iter().map(|(f, _)| format!("fixes/{f}")).collect(),
        ..Default::default()
    };
    let result = generate(&options);
    (dir, result)
}

/// The diagnostics of a run that must fail, as the command line prints them.
pub fn failure(name: &str, text: &str, overlays: &[(&str, &str)]) -> String {
    match generate_in_temp(name, text, overlays).1 {
        Ok(_) => panic!("{name} generates, but it must fail"),
        Err(all) => all.to_string(),
    }
}

/// The contents of the generated file at `path` (e.g. `src/types.rs`).
pub fn file<'a>(files: &'a [GeneratedFile], path: &str) -> &'a str {
    &files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path} is generated"))
        .contents
}

/// Asserts that `text` holds every one of `needles`, printing the text when one is missing.
pub fn assert_contains(text: &str, needles: &[&str]) {
    for needle in needles {
        assert!(text.contains(needle), "{needle:?} missing in:\n{text}");
    }
}
