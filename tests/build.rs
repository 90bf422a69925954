//! Writes `$OUT_DIR/fixture_results.rs` for the conformance test (`tests/tests/conformance.rs`):
//! one `match` that decodes a JSON value as an operation's result type, named at run time by
//! fixture and type name, for every fixture crate this package depends on.
//!
//! The names are read from each fixture's checked-in `expected/src/types.rs`: every type whose
//! name ends in `Response` (optionally numbered), which is how the generator names what an
//! operation returns. Reading the checked-in text keeps this script free of dependencies (the
//! generator itself would be compiled a second time, as a build dependency); the test checks
//! that every operation's result type is in the table, so a name this scan missed fails there.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest = root.join("Cargo.toml");
    println!("cargo:rerun-if-changed={}", manifest.display());
    let manifest = std::fs::read_to_string(&manifest).expect("tests/Cargo.toml reads");
    let mut fixtures: Vec<String> = manifest
        .lines()
        .filter_map(|l| l.strip_prefix("fixture-"))
        .filter_map(|l| l.split_once(' ').map(|(name, _)| name.to_owned()))
        .collect();
    fixtures.sort();
    let mut arms = String::new();
    for fixture in &fixtures {
        let types = root.join(format!("fixtures/{fixture}/expected/src/types.rs"));
        println!("cargo:rerun-if-changed={}", types.display());
        let text = std::fs::read_to_string(&types).unwrap_or_default();
        let krate = format!("fixture_{}", fixture.replace('-', "_"));
        for name in result_type_names(&text) {
            writeln!(
                arms,
                "        ({fixture:?}, {name:?}) => probe!({krate}::{name}, value),"
            )
            .expect("a String takes any text");
        }
    }
    let code = format!(
        "/// Decodes `value` as the type `name` of the fixture crate of `fixture`; `None` when the\n\
         /// table has no such type.\n\
         pub fn decode_fixture_type(fixture: &str, name: &str, value: serde_json::Value) -> Option<Decoded> {{\n\
         \x20   match (fixture, name) {{\n{arms}        _ => None,\n    }}\n}}\n"
    );
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("fixture_results.rs");
    std::fs::write(out, code).expect("OUT_DIR is writable");
}

/// The names of the types of a generated `types.rs` that end in `Response` (or `Response2`...).
fn result_type_names(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for line in text.lines() {
        let declared = ["pub struct ", "pub enum ", "pub type "]
            .iter()
            .find_map(|kw| line.strip_prefix(kw))
            // A string enum is declared by a macro: `    Name, Unknown, [`.
            .or_else(|| {
                line.strip_prefix("    ")
                    .filter(|rest| rest.ends_with(", ["))
            });
        let Some(rest) = declared else { continue };
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let stem = name.trim_end_matches(|c: char| c.is_ascii_digit());
        if stem.ends_with("Response") && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}
