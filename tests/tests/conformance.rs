//! Conformance: every schema-valid success body decodes into the type the generated crate gives
//! the operation.
//!
//! For each operation with a JSON success response (an envelope or plain JSON), bodies are
//! synthesized from the response schema ([`tests::synth`]) in three modes (every property, only
//! the required ones, `null` wherever the schema allows it) and with as many union choices as
//! the widest `oneOf`/`anyOf` reached has members, so every member of every union is used. Each
//! body (the envelope's `result` for an envelope, which the synthesizer always includes: an
//! envelope without it is the policy tested in `envelope_policy.rs`) is decoded into the
//! operation's result type through its `serde::Deserialize`, the same `FromJson` code the client
//! runs. A body fails when it does not decode, or when it decodes into a catch-all (`Other(..)`
//! of a union, `Unknown(..)` of a string enum): a schema-valid body always has a documented
//! shape. A failure names the operation, the mode, the choice, the failing field and the body.
//!
//! - `fixtures_decode` runs over every fixture crate (compiled as dependencies of this package;
//!   `build.rs` writes the table that decodes by type name). It takes well under a second.
//! - `fragments_decode` runs over Cloudflare's fragments (`../shared/cloudflare/fragments`)
//!   when `CONFORMANCE_FRAGMENTS=1`: it generates each fragment's crate and a small harness
//!   into the target directory and builds and runs it with cargo, which takes minutes, so it is
//!   opt-in (`CONFORMANCE_FRAGMENTS=1 cargo test -p tests --test conformance -- --nocapture`);
//!   `CONFORMANCE_SPECS=a.yaml,b.json` runs it over other documents instead.

use codegen::model::{Model, Operation, ResponseKind, Ty};
use serde_json::Value;
use std::path::{Path, PathBuf};
use tests::fixtures::Fixture;
use tests::synth::{Mode, Synth};

include!("conformance/probe.rs");
include!(concat!(env!("OUT_DIR"), "/fixture_results.rs"));

/// One body to decode: which operation, how it was made, and the value.
struct Case {
    /// `GET /path (resource.method)`.
    operation: String,
    mode: Mode,
    choice: usize,
    /// The operation's result type.
    type_name: String,
    /// Whether the result is an `Option` (a `null` result decodes as `None`).
    optional: bool,
    value: Value,
}

impl Case {
    fn describe(&self, problem: &str) -> String {
        let mut body = self.value.to_string();
        if body.len() > 600 {
            body.truncate(600);
            body.push_str("...");
        }
        format!(
            "{}: {:?} body, union choice {}, as `{}`: {problem}\n    body: {body}",
            self.operation, self.mode, self.choice, self.type_name
        )
    }
}

/// The schema of the success response the generator reads for `op`: the lowest 2xx (else
/// `2XX`, else `default`), its first JSON media type.
fn success_schema<'d>(doc: &'d Value, op: &Operation) -> Option<&'d Value> {
    let node = doc.pointer(op.pointer.strip_prefix('#')?)?;
    let responses = node.get("responses")?.as_object()?;
    let mut codes: Vec<(u16, &Value)> = responses
        .iter()
        .filter_map(|(code, r)| match code.as_str() {
            "2XX" | "2xx" => Some((299, r)),
            c => c
                .parse::<u16>()
                .ok()
                .filter(|c| (200..300).contains(c))
                .map(|c| (c, r)),
        })
        .collect();
    codes.sort_by_key(|(c, _)| *c);
    let mut response = codes
        .first()
        .map(|(_, r)| *r)
        .or_else(|| responses.get("default"))?;
    for _ in 0..8 {
        match response.get("$ref").and_then(Value::as_str) {
            Some(r) => response = doc.pointer(r.strip_prefix('#')?)?,
            None => break,
        }
    }
    let content = response.get("content")?.as_object()?;
    let (_, media) = content
        .iter()
        .find(|(k, _)| k.to_ascii_lowercase().contains("json"))?;
    media.get("schema")
}

/// The bodies of every operation of `model` (over the raw document `doc`), and how many
/// operations have none to check (no JSON result).
fn cases(doc: &Value, model: &Model) -> (Vec<Case>, usize) {
    let mut out = Vec::new();
    let mut unchecked = 0;
    for op in &model.operations {
        let enveloped = match op.response {
            ResponseKind::Envelope => true,
            ResponseKind::Json => false,
            _ => {
                unchecked += 1;
                continue;
            }
        };
        let (Some(type_name), Some(schema)) = (&op.result_type, success_schema(doc, op)) else {
            unchecked += 1;
            continue;
        };
        let resource = model.resource(op.resource).path.join(".");
        let operation = format!("{} {} ({resource}.{})", op.http_method, op.path, op.method);
        let choices = Synth::widest_union(doc, schema);
        for mode in Mode::ALL {
            for choice in 0..choices {
                let synth = Synth::new(doc, mode, choice);
                let synth = if enveloped {
                    synth.always("result")
                } else {
                    synth
                };
                let Some(body) = { synth }.value(schema) else {
                    continue;
                };
                let value = if enveloped {
                    body.get("result").cloned().unwrap_or(Value::Null)
                } else {
                    body
                };
                out.push(Case {
                    operation: operation.clone(),
                    mode,
                    choice,
                    type_name: type_name.clone(),
                    optional: matches!(op.result, Ty::Option(_)),
                    value,
                });
            }
        }
    }
    (out, unchecked)
}

/// The problem with what decoding a case gave, if any.
fn problem(case: &Case, decoded: Option<Decoded>) -> Option<String> {
    if case.value.is_null() && case.optional {
        return None;
    }
    match decoded {
        None => Some("the decode table has no such type (tests/build.rs missed it)".to_owned()),
        Some(Decoded::NotDecodable) => Some("the type has no Deserialize".to_owned()),
        Some(Decoded::Err(e)) => Some(format!("does not decode: {e}")),
        Some(Decoded::Ok(debug)) => catch_all(&debug).map(|(c, at)| {
            let start = debug.floor_char_boundary(at.saturating_sub(240));
            let end = debug.floor_char_boundary(at + 80);
            format!(
                "decodes into a catch-all variant `{c}(..)`: ...{}...",
                &debug[start..end]
            )
        }),
    }
}

/// The catch-all variant (`Other`, `Other2`, `Unknown`...) in a value's `Debug` text, and
/// where it is, if any.
fn catch_all(debug: &str) -> Option<(String, usize)> {
    for stem in ["Other", "Unknown"] {
        let mut rest = debug;
        while let Some(at) = rest.find(stem) {
            let before = rest[..at].chars().next_back();
            let after: String = rest[at + stem.len()..]
                .chars()
                .skip_while(char::is_ascii_digit)
                .take(1)
                .collect();
            if !before.is_some_and(|c| c.is_alphanumeric() || c == '_') && after == "(" {
                return Some((stem.to_owned(), debug.len() - rest.len() + at));
            }
            rest = &rest[at + stem.len()..];
        }
    }
    None
}

/// The raw document and the model the generator builds from `spec` with `overlays` applied.
fn model_of(spec: &Path, display: &str, overlays: &[(PathBuf, String)]) -> (Value, Model) {
    let (spec, _) = codegen::load::load(spec, display, overlays)
        .unwrap_or_else(|e| panic!("{display} does not load:\n{e}"));
    let mut diagnostics = codegen::Diagnostics::new();
    let model = codegen::model::build(&spec, &mut diagnostics);
    (spec.into_raw(), model)
}

#[test]
fn fixtures_decode() {
    let mut failures = Vec::new();
    let (mut bodies, mut operations, mut unchecked) = (0, 0, 0);
    for fixture in Fixture::all() {
        let (doc, model) = model_of(
            &fixture.spec(),
            &fixture.display(),
            &fixture.options().overlay_sources(),
        );
        let (cases, skipped) = cases(&doc, &model);
        operations += model.operations.len();
        unchecked += skipped;
        for case in &cases {
            bodies += 1;
            let decoded = decode_fixture_type(&fixture.name, &case.type_name, case.value.clone());
            if let Some(p) = problem(case, decoded) {
                failures.push(format!("{}: {}", fixture.name, case.describe(&p)));
            }
        }
    }
    println!(
        "conformance: {operations} operations over the fixtures, {unchecked} without a JSON \
         result, {bodies} bodies decoded"
    );
    assert!(bodies > 100, "too few bodies: {bodies}");
    assert!(
        failures.is_empty(),
        "{} of {bodies} bodies do not decode:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_synthesized_bodies_cover_every_union_member_of_a_fixture() {
    // The unions fixture's `rules-create` answers a map of the discriminated `rule` union:
    // both of its members must appear among the bodies, tagged as the mapping says.
    let fixture = Fixture::all()
        .into_iter()
        .find(|f| f.name == "unions")
        .expect("the unions fixture");
    let (doc, model) = model_of(
        &fixture.spec(),
        &fixture.display(),
        &fixture.options().overlay_sources(),
    );
    let (cases, _) = cases(&doc, &model);
    let actions: std::collections::BTreeSet<String> = cases
        .iter()
        .filter(|c| c.type_name == "RulesCreateResponse")
        .filter_map(|c| {
            c.value
                .get("extra_key")?
                .get("action")?
                .as_str()
                .map(str::to_owned)
        })
        .collect();
    assert_eq!(
        actions.into_iter().collect::<Vec<_>>(),
        ["block", "log"],
        "every member of the rule union"
    );
}

// ---------------------------------------------------------------------------------------------
// Generated crates that are not dependencies: Cloudflare's fragments, opt-in.

/// The documents of the opt-in run: `CONFORMANCE_SPECS`, else the fragments when
/// `CONFORMANCE_FRAGMENTS=1`; `None` (with the reason) when the run is not asked for.
fn opt_in_specs() -> Result<Vec<PathBuf>, String> {
    if let Ok(list) = std::env::var("CONFORMANCE_SPECS") {
        return Ok(list.split(',').map(PathBuf::from).collect());
    }
    if std::env::var_os("CONFORMANCE_FRAGMENTS").is_none_or(|v| v != "1") {
        return Err("set CONFORMANCE_FRAGMENTS=1 to run it over Cloudflare's fragments".into());
    }
    let dir = codegen::workspace_root().join("../shared/cloudflare/fragments");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Err(format!("{} is absent", dir.display()));
    };
    let mut specs: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    specs.sort();
    Ok(specs)
}

/// Where the generated crates and harnesses go: under the target directory, so their builds
/// reuse the dependencies already compiled there.
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| codegen::workspace_root().join("target"))
}

/// The harness's `main.rs`: reads a JSON list of `[type, value]` and prints one line per entry,
/// `ok`, `err <message>`, `catch <debug>` or `none`.
fn harness_main(krate: &str, type_names: &[String]) -> String {
    let arms: String = type_names
        .iter()
        .map(|n| format!("        {n:?} => probe!({krate}::{n}, value),\n"))
        .collect();
    format!(
        "{probe}\n\
         fn decode(name: &str, value: serde_json::Value) -> Option<Decoded> {{\n    match name {{\n{arms}        _ => None,\n    }}\n}}\n\n\
         fn main() {{\n\
         \x20   let path = std::env::args().nth(1).expect(\"the bodies file\");\n\
         \x20   let cases: Vec<(String, serde_json::Value)> =\n\
         \x20       serde_json::from_slice(&std::fs::read(path).expect(\"reads\")).expect(\"JSON\");\n\
         \x20   for (name, value) in cases {{\n\
         \x20       let line = match decode(&name, value) {{\n\
         \x20           Some(Decoded::Ok(debug)) => format!(\"ok {{}}\", debug.replace('\\n', \" \")),\n\
         \x20           Some(Decoded::Err(e)) => format!(\"err {{}}\", e.replace('\\n', \" \")),\n\
         \x20           Some(Decoded::NotDecodable) => \"nodecode\".to_owned(),\n\
         \x20           None => \"none\".to_owned(),\n\
         \x20       }};\n\
         \x20       println!(\"{{line}}\");\n\
         \x20   }}\n\
         }}\n",
        probe = include_str!("conformance/probe.rs"),
    )
}

/// Generates `spec`'s crate and a harness beside it, runs the harness over every case, and
/// returns the failures (and the number of bodies).
fn run_generated(spec: &Path, work: &Path) -> Result<(usize, Vec<String>), String> {
    let stem = spec
        .file_stem()
        .map(|s| s.to_string_lossy().replace(['.', '_'], "-"))
        .unwrap_or_default()
        .to_ascii_lowercase();
    let display = spec.display().to_string();
    let (doc, model) = model_of(spec, &display, &[]);
    let (cases, _) = cases(&doc, &model);
    let crate_name = format!("conformance-{stem}");
    let options = codegen::Options {
        spec: spec.to_path_buf(),
        spec_display: display.clone(),
        crate_name: crate_name.clone(),
        regenerate: "tests/tests/conformance.rs".into(),
        standalone: true,
        ..codegen::Options::default()
    };
    let generated = codegen::generate(&options).map_err(|e| format!("{display}: {e}"))?;
    let client_dir = work.join(&stem).join("client");
    let harness_dir = work.join(&stem).join("harness");
    codegen::write::write_crate(&client_dir, &generated.files).map_err(|e| e.to_string())?;
    let has_full = generated
        .files
        .iter()
        .any(|f| f.path == "Cargo.toml" && f.contents.contains("full = ["));
    // Both serde directions, so that every result is also written and read back.
    let features = if has_full {
        ", features = [\"full\", \"serde-both-ways\"]"
    } else {
        ", features = [\"serde-both-ways\"]"
    };
    std::fs::create_dir_all(harness_dir.join("src")).map_err(|e| e.to_string())?;
    let manifest = format!(
        "[package]\nname = \"{crate_name}-harness\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\n{crate_name} = {{ path = \"../client\"{features} }}\n\
         serde = \"1\"\nserde_json = \"1\"\n\n[workspace]\n"
    );
    let mut type_names: Vec<String> = cases.iter().map(|c| c.type_name.clone()).collect();
    type_names.sort();
    type_names.dedup();
    let krate = crate_name.replace('-', "_");
    let write = |path: PathBuf, text: String| std::fs::write(path, text).map_err(|e| e.to_string());
    write(harness_dir.join("Cargo.toml"), manifest)?;
    write(
        harness_dir.join("src/main.rs"),
        harness_main(&krate, &type_names),
    )?;
    // The workspace's lock file pins the dependencies to the versions already built.
    let lock = codegen::workspace_root().join("Cargo.lock");
    std::fs::copy(&lock, harness_dir.join("Cargo.lock")).map_err(|e| e.to_string())?;
    let input: Vec<(&str, &Value)> = cases
        .iter()
        .map(|c| (c.type_name.as_str(), &c.value))
        .collect();
    let bodies = harness_dir.join("bodies.json");
    write(bodies.clone(), serde_json::to_string(&input).expect("JSON"))?;
    let output = std::process::Command::new(std::env::var("CARGO").unwrap_or("cargo".into()))
        .args(["run", "-q", "--offline", "--manifest-path"])
        .arg(harness_dir.join("Cargo.toml"))
        .arg("--")
        .arg(&bodies)
        .env("CARGO_TARGET_DIR", target_dir())
        .output()
        .map_err(|e| format!("cargo does not run: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "{display}: the harness failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut failures = Vec::new();
    for (case, line) in cases.iter().zip(stdout.lines()) {
        let decoded = match line.split_once(' ').unwrap_or((line, "")) {
            ("ok", debug) => Some(Decoded::Ok(debug.to_owned())),
            ("err", e) => Some(Decoded::Err(e.to_owned())),
            ("nodecode", _) => Some(Decoded::NotDecodable),
            _ => None,
        };
        if let Some(p) = problem(case, decoded) {
            failures.push(format!("{stem}: {}", case.describe(&p)));
        }
    }
    Ok((cases.len(), failures))
}

#[test]
fn fragments_decode() {
    let specs = match opt_in_specs() {
        Ok(specs) => specs,
        Err(why) => {
            println!("conformance over generated crates skipped: {why}");
            return;
        }
    };
    let work = target_dir().join("conformance");
    let mut failures = Vec::new();
    for spec in &specs {
        match run_generated(spec, &work) {
            Ok((bodies, found)) => {
                println!(
                    "conformance: {}: {bodies} bodies, {} failures",
                    spec.display(),
                    found.len()
                );
                failures.extend(found);
            }
            Err(e) => failures.push(e),
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
