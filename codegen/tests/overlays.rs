//! Overlays (OpenAPI Overlay 1.0) applied before the spec is read, beyond what the `overlay`
//! fixture's snapshot shows (`tests/fixtures/overlay/`: `update`, `remove`, a target that
//! selects nothing): several overlays applying in order, a malformed overlay (an error naming
//! the file and the action), the `--overlay` flag end to end, and the `spec/overlays/` folder
//! of the default mode.

mod support;

use codegen::{overlays_in, Diagnostics, Generated};
use std::path::Path;
use std::process::{Command, Output};
use support::{file, generate_in_temp};

const SPEC: &str = r##"{
  "openapi": "3.0.3",
  "info": {"title": "Tiny", "version": "1"},
  "servers": [{"url": "https://tiny.example.com"}],
  "paths": {
    "/things/{id}": {
      "get": {
        "operationId": "things-get",
        "tags": ["Things"],
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}
      }
    }
  },
  "components": {"schemas": {"Thing": {"type": "object", "properties": {
    "name": {"type": "string"},
    "secret": {"type": "string"},
    "enabled": {"type": "boolean", "example": "false"}
  }}}}
}"##;

/// Generates `SPEC` (as `tiny.json`) with the overlays (file name, text) in the order given.
fn run(overlays: &[(&str, &str)]) -> (tempfile::TempDir, Result<Generated, Diagnostics>) {
    generate_in_temp("tiny.json", SPEC, overlays)
}

#[test]
fn overlays_apply_in_order_each_on_what_the_last_left() {
    let first = "overlay: 1.0.0\ninfo: {title: a, version: '1'}\nactions:\n  - target: $.components.schemas\n    update:\n      Extra: {type: object, properties: {x: {type: string}}}\n";
    let second = "overlay: 1.0.0\ninfo: {title: b, version: '1'}\nactions:\n  - target: $.components.schemas.Extra.properties\n    update:\n      y: {type: boolean}\n  - target: $.components.schemas.Thing.properties\n    update:\n      extra: {$ref: '#/components/schemas/Extra'}\n";
    let (_dir, result) = run(&[("1.yaml", first), ("2.yaml", second)]);
    let generated = result.expect("generates");
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
    let types = file(&generated.files, "src/types.rs");
    assert!(types.contains("pub struct Extra {"), "{types}");
    assert!(types.contains("pub y: Option<bool>,"), "{types}");
    assert!(types.contains("pub extra: Option<Extra>,"), "{types}");
    let header = file(&generated.files, "src/lib.rs").lines().next();
    assert!(
        header.is_some_and(|h| h.contains("with overlay(s) fixes/1.yaml, fixes/2.yaml.")),
        "{header:?}"
    );
}

#[test]
fn a_malformed_overlay_is_an_error_naming_the_file_and_the_action() {
    let overlay = "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.info\n    update: {description: fine}\n  - target: \"$.paths[?(\"\n    update: {}\n  - target: $.info\n";
    let (_dir, result) = run(&[("broken.yaml", overlay)]);
    let message = result.expect_err("a broken overlay fails").to_string();
    for needle in [
        "error: fixes/broken.yaml: at #/actions/1/target: action 1: target \"$.paths[?(\" is not a valid JSONPath",
        "error: fixes/broken.yaml: at #/actions/2: action 2 has neither `update` nor `remove: true`",
        "help:",
    ] {
        assert!(message.contains(needle), "{needle:?} missing in:\n{message}");
    }
    let (_dir, result) = run(&[("list.yaml", "- not an overlay\n")]);
    let message = result.expect_err("not an overlay").to_string();
    assert!(
        message.contains("fixes/list.yaml: at #: the overlay is not a mapping"),
        "{message}"
    );
    let (_dir, result) = run(&[("syntax.yaml", "overlay: [1.0.0\n")]);
    let message = result.expect_err("bad YAML").to_string();
    assert!(
        message.contains("fixes/syntax.yaml:") && message.contains("invalid YAML"),
        "{message}"
    );
}

#[test]
fn the_overlays_folder_is_read_in_file_name_order() {
    let root = tempfile::tempdir().expect("a temporary directory");
    assert!(
        overlays_in(root.path(), "spec/overlays").is_empty(),
        "no folder, no overlays"
    );
    let dir = root.path().join("spec/overlays");
    std::fs::create_dir_all(&dir).expect("the folder is created");
    for name in ["20-b.yaml", "10-a.yaml", "README.md", "30-c.json"] {
        std::fs::write(dir.join(name), "").expect("written");
    }
    let found: Vec<String> = overlays_in(root.path(), "spec/overlays")
        .into_iter()
        .map(|(_, display)| display)
        .collect();
    assert_eq!(
        found,
        [
            "spec/overlays/10-a.yaml",
            "spec/overlays/20-b.yaml",
            "spec/overlays/30-c.json"
        ]
    );
}

fn codegen(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_codegen"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("codegen runs")
}

#[test]
fn the_overlay_flag_end_to_end() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(dir.path().join("tiny.json"), SPEC).expect("the spec is written");
    std::fs::create_dir_all(dir.path().join("fixes")).expect("fixes/");
    std::fs::write(
        dir.path().join("fixes/a.yaml"),
        "overlay: 1.0.0\ninfo: {title: a, version: '1'}\nactions:\n  - target: $.components.schemas.Thing.properties.secret\n    remove: true\n",
    )
    .expect("written");
    std::fs::write(
        dir.path().join("fixes/b.yaml"),
        "overlay: 1.0.0\ninfo: {title: b, version: '1'}\nactions:\n  - target: $.components.schemas.Gone\n    remove: true\n",
    )
    .expect("written");
    let args = [
        "--spec",
        "tiny.json",
        "--overlay",
        "fixes/a.yaml",
        "--overlay",
        "fixes/b.yaml",
        "--out",
        "tiny-client",
    ];
    let out = codegen(&args, dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("warning: fixes/b.yaml: at #/actions/0/target: action 0: target \"$.components.schemas.Gone\" selects nothing"),
        "{stderr}"
    );
    let lib = std::fs::read_to_string(dir.path().join("tiny-client/src/lib.rs")).expect("lib.rs");
    assert!(
        lib.starts_with("// @generated by codegen from tiny.json with overlay(s) fixes/a.yaml, fixes/b.yaml. Do not edit by hand.\n// Regenerate with `cargo run -p codegen -- --spec <tiny.json> --overlay <fixes/a.yaml> --overlay <fixes/b.yaml> --out <dir> --name tiny-client`."),
        "{}",
        lib.lines().take(2).collect::<Vec<_>>().join("\n")
    );
    let types =
        std::fs::read_to_string(dir.path().join("tiny-client/src/types.rs")).expect("types.rs");
    assert!(!types.contains("secret"));

    // --check with the same overlays: up to date; --deny-warnings turns the stale target into an error.
    let mut check = args.to_vec();
    check.push("--check");
    assert!(codegen(&check, dir.path()).status.success());
    check.push("--deny-warnings");
    assert_eq!(codegen(&check, dir.path()).status.code(), Some(1));

    // A missing overlay file fails without touching the output.
    let out = codegen(
        &[
            "--spec",
            "tiny.json",
            "--overlay",
            "nope.yaml",
            "--out",
            "tiny-client",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("nope.yaml: cannot read the overlay"),
        "{stderr}"
    );
    assert!(dir.path().join("tiny-client/src/lib.rs").exists());

    // --overlay needs --spec (the checked-in crate takes spec/overlays/).
    let out = codegen(&["--overlay", "fixes/a.yaml"], dir.path());
    assert_eq!(out.status.code(), Some(2));
}

/// The README's overlay (the Cloudflare example fix) parses and does what the README says.
#[test]
fn the_readme_overlay_fixes_the_boolean_examples() {
    let readme = include_str!("../../README.md");
    let section = readme
        .split("## Overlays")
        .nth(1)
        .expect("the README has an Overlays section");
    let overlay = section
        .split("```yaml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the Overlays section shows an overlay");
    let overlay = codegen::overlay::parse(overlay, "README.md", false).expect("it parses");
    let mut doc = serde_json::json!({"components": {"schemas": {
        "access_allow_authenticate_via_warp": {"type": "boolean", "example": "false"},
        "access_is_ui_read_only": {"type": "boolean", "example": "false"},
        "access_other": {"type": "boolean", "example": "false"}
    }}});
    let mut diagnostics = codegen::Diagnostics::new();
    overlay.apply(&mut doc, &mut diagnostics);
    assert!(diagnostics.is_empty(), "{diagnostics}");
    let schemas = &doc["components"]["schemas"];
    assert_eq!(
        schemas["access_allow_authenticate_via_warp"]["example"],
        false
    );
    assert_eq!(schemas["access_is_ui_read_only"]["example"], false);
    assert_eq!(
        schemas["access_other"]["example"], "false",
        "only the two are touched"
    );
}
