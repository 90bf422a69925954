//! The `codegen` command line: help, both modes, `--check`, and that a failure leaves the
//! output directory as it was.

use std::path::Path;
use std::process::{Command, Output};

fn codegen(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_codegen"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("codegen runs")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

const SPEC: &str = r#"{
  "openapi": "3.0.3",
  "info": {"title": "Tiny", "version": "1"},
  "paths": {
    "/things/{id}": {
      "get": {
        "operationId": "things-get",
        "tags": ["Things"],
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object", "properties": {"name": {"type": "string"}}}}}}}
      }
    }
  }
}"#;

#[test]
fn help_explains_both_modes() {
    let out = codegen(&["--help"], Path::new("."));
    assert!(out.status.success());
    let help = text(&out);
    for needle in [
        "--spec",
        "--out",
        "--name",
        "--check",
        "generated/",
        "standalone",
    ] {
        assert!(help.contains(needle), "--help lacks {needle}:\n{help}");
    }
}

#[test]
fn json_spec_to_a_standalone_crate() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("tiny.json");
    std::fs::write(&spec, SPEC).unwrap();
    let out_dir = dir.path().join("tiny-client");
    let out = codegen(
        &[
            "--spec",
            "tiny.json",
            "--out",
            "tiny-client",
            "--name",
            "tiny-client",
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", text(&out));
    let manifest = std::fs::read_to_string(out_dir.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"tiny-client\""));
    assert!(
        manifest.contains("[workspace]"),
        "a standalone crate is its own workspace"
    );
    assert!(
        !manifest.contains(".workspace = true"),
        "no workspace inheritance"
    );
    let resources = std::fs::read_to_string(out_dir.join("src/resources.rs")).unwrap();
    assert!(resources.contains("pub fn things(&self)"));
    assert!(resources.contains("pub fn get("));

    // --check: up to date now, stale after a change, and it writes nothing.
    let check = |cwd: &Path| {
        codegen(
            &[
                "--spec",
                "tiny.json",
                "--out",
                "tiny-client",
                "--name",
                "tiny-client",
                "--check",
            ],
            cwd,
        )
    };
    assert!(check(dir.path()).status.success());
    std::fs::write(out_dir.join("src/types.rs"), "// edited by hand\n").unwrap();
    std::fs::write(out_dir.join("src/extra.rs"), "").unwrap();
    let stale = check(dir.path());
    assert_eq!(stale.status.code(), Some(1));
    let message = text(&stale);
    assert!(message.contains("src/types.rs (differs)"), "{message}");
    assert!(
        message.contains("src/extra.rs (not generated)"),
        "{message}"
    );
    assert_eq!(
        std::fs::read_to_string(out_dir.join("src/types.rs")).unwrap(),
        "// edited by hand\n",
        "--check writes nothing"
    );
}

#[test]
fn failure_leaves_the_output_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("client");
    std::fs::create_dir_all(out_dir.join("src")).unwrap();
    std::fs::write(out_dir.join("src/lib.rs"), "// previous output\n").unwrap();
    let spec = dir.path().join("broken.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a/{id}:\n    get:\n      responses:\n        '200': {description: ok}\n",
    )
    .unwrap();
    let out = codegen(
        &[
            "--spec",
            "broken.yaml",
            "--out",
            "client",
            "--deny-warnings",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let message = text(&out);
    assert!(
        message.contains("error: broken.yaml: at #/paths/~1a~1{id}/get"),
        "{message}"
    );
    assert!(message.contains("denied by --deny-warnings"), "{message}");
    assert_eq!(
        std::fs::read_to_string(out_dir.join("src/lib.rs")).unwrap(),
        "// previous output\n"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".codegen"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging directories left behind: {leftovers:?}"
    );
}

#[test]
fn a_broken_operation_is_left_out_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("partly.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a/{id}:\n    get:\n      operationId: broken\n      responses:\n        '200': {description: ok}\n  /b:\n    get:\n      operationId: fine\n      responses:\n        '200': {description: ok}\n",
    )
    .unwrap();
    let out = codegen(&["--spec", "partly.yaml", "--out", "client"], dir.path());
    let message = text(&out);
    assert!(out.status.success(), "{message}");
    assert!(
        message.contains("warning: partly.yaml: at #/paths/~1a~1{id}/get: path parameter {id}"),
        "{message}"
    );
    assert!(message.contains("it is left out of the crate"), "{message}");
    let lib = std::fs::read_to_string(dir.path().join("client/src/lib.rs")).unwrap();
    assert!(lib.contains("## Not generated"), "{lib}");
    assert!(lib.contains("| `GET /a/{id}` |"), "{lib}");
    assert!(
        lib.contains("client.default().fine(..)") || lib.contains(".fine(..)"),
        "{lib}"
    );
}

#[test]
fn missing_spec_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = codegen(&["--spec", "nope.yaml", "--out", "x"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let message = text(&out);
    assert!(
        message.contains("nope.yaml: cannot read the spec"),
        "{message}"
    );
    assert!(!dir.path().join("x").exists());
}

#[test]
fn default_mode_works_from_any_directory() {
    let dir = tempfile::tempdir().unwrap();
    let out = codegen(&["--check"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
}
