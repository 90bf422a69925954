//! No input makes the generator panic: real OpenAPI documents, mutated at random, either
//! generate a crate whose every `.rs` file parses, or fail with diagnostics.
//!
//! Each case takes one seed document and applies one to four random mutations to its JSON
//! tree: deleted keys, swapped JSON types, swapped schema `type`s, dangling and retargeted
//! `$ref`s, renamed components, duplicated names (components, operation ids, properties,
//! parameters, paths), weird strings where names go, and junk (random JSON, random schemas)
//! where schemas go. The result is written to a temporary file and handed to
//! [`codegen::generate`] inside `catch_unwind`.
//!
//! Seed documents: a small one built into this file, every `tests/fixtures/*/spec.yaml` and
//! `spec/`, and, when the shared reference data sits beside the workspace (`../shared`),
//! Cloudflare's fragments and access-keys document and the smaller documents of the vendor
//! corpus. OpenAPI 3.1 documents stay 3.1, so the mutations reach the 3.1 rewrite; Swagger 2.0
//! documents are relabelled `3.0.3` so that the mutations reach past the version check. The big documents (Cloudflare's whole schema, the
//! large and gzipped corpus files, anything over 48 KiB) are used only when `FUZZ_BIG=1`.
//!
//! Cases are deterministic: case `n` uses seed `n`, which picks the document and drives every
//! mutation. Environment:
//! - `FUZZ_CASES` (default 64): how many cases;
//! - `FUZZ_SEED`: the first seed (default 0); a failure prints the exact command to rerun it;
//! - `FUZZ_SOURCE`: only the document of that name, or else those whose name contains it
//!   (big ones included);
//! - `FUZZ_BIG=1`: include the big documents;
//! - `FUZZ_TRACE=1`: print each case before running it (to find the one that overflows the
//!   stack or hangs, which `catch_unwind` cannot report).
//!
//! A failing case's document is saved under `target/generator_never_panics/`.

use codegen::{generate, workspace_root, Diagnostics, Generated, Options};
use serde_json::{Map, Number, Value};
use std::cell::{Cell, RefCell};
use std::io::Read;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Once;
use std::time::Instant;

const DEFAULT_CASES: u64 = 64;
/// Documents larger than this (or gzipped) are only used with `FUZZ_BIG=1`.
const SMALL_BYTES: usize = 48 * 1024;
/// The stack of the CLI's main thread, so a case overflows here only when it would there.
const STACK_BYTES: usize = 8 * 1024 * 1024;

/// A small document built into the test, so it exercises something in a fresh clone.
const BUILT_IN: &str = r##"
openapi: 3.0.3
info:
  title: Built-in seed
  description: A small API with the constructs the mutations like to break.
  version: 1.0.0
servers:
  - url: https://api.example.com/v1
paths:
  /zones/{zone_id}/pets:
    parameters:
      - $ref: '#/components/parameters/zone_id'
    get:
      operationId: pets-list
      tags: [Pets]
      x-fern-sdk-group-name: zones.pets
      x-fern-sdk-method-name: list
      parameters:
        - name: kind
          in: query
          schema:
            $ref: '#/components/schemas/kind'
        - name: page
          in: query
          schema: {type: integer, minimum: 1, maximum: 100}
        - name: tag
          in: query
          schema: {type: array, items: {type: string}}
        - name: X-Trace
          in: header
          schema: {type: string, pattern: '^[a-z]+$'}
      responses:
        '200':
          description: The pets.
          content:
            application/json:
              schema:
                allOf:
                  - $ref: '#/components/schemas/envelope'
                  - properties:
                      result:
                        type: array
                        items:
                          $ref: '#/components/schemas/pet'
                      result_info:
                        $ref: '#/components/schemas/result_info'
        4XX:
          $ref: '#/components/responses/failure'
    post:
      operationId: pets-create
      tags: [Pets]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/pet'
      responses:
        '200':
          description: The new pet.
          content:
            application/json:
              schema:
                allOf:
                  - $ref: '#/components/schemas/envelope'
                  - properties:
                      result:
                        $ref: '#/components/schemas/pet'
  /zones/{zone_id}/pets/{pet_id}/photo:
    put:
      operationId: pets-photo
      tags: [Pets]
      parameters:
        - $ref: '#/components/parameters/zone_id'
        - name: pet_id
          in: path
          required: true
          schema: {type: string, format: uuid}
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              required: [file]
              properties:
                file: {type: string, format: binary}
                caption: {type: string, maxLength: 140}
      responses:
        '204':
          description: Stored.
    delete:
      operationId: pets-photo-delete
      parameters:
        - $ref: '#/components/parameters/zone_id'
        - name: pet_id
          in: path
          required: true
          schema: {type: string}
      responses:
        '200':
          description: The raw bytes that were deleted.
          content:
            application/octet-stream:
              schema: {type: string, format: binary}
            text/plain:
              schema: {type: string}
components:
  parameters:
    zone_id:
      name: zone_id
      in: path
      required: true
      schema: {type: string, maxLength: 32}
  responses:
    failure:
      description: A failure.
      content:
        application/json:
          schema:
            $ref: '#/components/schemas/envelope'
  schemas:
    kind:
      type: string
      enum: [cat, dog, 1st, '']
    pet:
      type: object
      description: A pet.
      required: [id, name]
      properties:
        id: {type: string, readOnly: true}
        name: {type: string, minLength: 1, example: Rex}
        born: {type: string, format: date-time, nullable: true}
        weight: {type: number, format: float, exclusiveMinimum: true, minimum: 0}
        kind:
          $ref: '#/components/schemas/kind'
        tags:
          type: object
          additionalProperties: {type: string}
        parent:
          $ref: '#/components/schemas/pet'
        toy:
          $ref: '#/components/schemas/toy'
        children:
          $ref: '#/components/schemas/litter'
    litter:
      type: array
      items:
        $ref: '#/components/schemas/pet'
    toy:
      oneOf:
        - $ref: '#/components/schemas/ball'
        - $ref: '#/components/schemas/rope'
      discriminator:
        propertyName: shape
        mapping:
          ball: '#/components/schemas/ball'
          rope: '#/components/schemas/rope'
    ball:
      type: object
      required: [shape]
      properties:
        shape: {type: string}
        radius: {type: integer, format: int32}
    rope:
      type: object
      properties:
        shape: {type: string}
        length: {anyOf: [{type: integer}, {type: string}]}
    envelope:
      type: object
      required: [success, errors, messages]
      properties:
        success: {type: boolean}
        errors:
          type: array
          items: {$ref: '#/components/schemas/message'}
        messages:
          type: array
          items: {$ref: '#/components/schemas/message'}
    message:
      type: object
      required: [code, message]
      properties:
        code: {type: integer, minimum: 1000}
        message: {type: string}
    result_info:
      type: object
      properties:
        page: {type: number}
        per_page: {type: number}
        total_count: {type: number}
"##;

/// Reduced inputs that once made the generator panic, each with what went wrong. They run on
/// every `cargo test` and must give an `Ok` with parseable files or diagnostics.
const REGRESSIONS: &[(&str, &str)] = &[(
    // Seed 2476 on fragment 02: a property whose `allOf` merges the schema holding the
    // property was classified inside itself forever (a stack overflow).
    "a property that merges its own schema with allOf",
    "
openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    failure:
      type: object
      properties:
        errors:
          allOf:
            - $ref: '#/components/schemas/failure'
",
)];

// ---------------------------------------------------------------------------------------------
// Running one document.

/// What happened to one document.
enum Outcome {
    Generated,
    Refused,
}

thread_local! {
    /// Whether panics on this thread are being caught by a case (and must stay quiet).
    static CATCHING: Cell<bool> = const { Cell::new(false) };
    /// The message and location of the last caught panic on this thread.
    static CAUGHT: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Keeps the panic message and location of caught panics instead of printing them; other
/// panics (a failing assertion of this file) print as usual.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if CATCHING.with(Cell::get) {
                let message = info
                    .payload_as_str()
                    .unwrap_or("(a panic without a message)");
                let at = info
                    .location()
                    .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()))
                    .unwrap_or_default();
                CAUGHT.with(|c| *c.borrow_mut() = Some(format!("{message} at {at}")));
            } else {
                default(info);
            }
        }));
    });
}

/// Runs `f`, turning a panic into `Err` with its message and location.
fn catching<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    install_panic_hook();
    CATCHING.with(|c| c.set(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    CATCHING.with(|c| c.set(false));
    result.map_err(|_| {
        CAUGHT
            .with(|c| c.borrow_mut().take())
            .unwrap_or_else(|| "a panic".into())
    })
}

/// Generates from `text` and checks the result: no panic; on success every `.rs` file parses
/// with `syn` and the crate has its manifest and `src/lib.rs`; on failure the diagnostics hold
/// an error. `Err` says what broke.
fn run_document(text: &str, json: bool, deny_warnings: bool) -> Result<Outcome, String> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let name = if json { "fuzz.json" } else { "fuzz.yaml" };
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("the document is written");
    let options = Options {
        spec: path,
        spec_display: name.into(),
        crate_name: "fuzzed-client".into(),
        regenerate: "cargo run -p codegen".into(),
        standalone: true,
        deny_warnings,
        ..Options::default()
    };
    let result = catching(|| generate(&options)).map_err(|p| format!("generate panicked: {p}"))?;
    match result {
        Ok(generated) => check_generated(&generated).map(|()| Outcome::Generated),
        Err(diagnostics) => check_refused(&diagnostics).map(|()| Outcome::Refused),
    }
}

fn check_generated(generated: &Generated) -> Result<(), String> {
    let paths: Vec<&str> = generated.files.iter().map(|f| f.path.as_str()).collect();
    for needed in ["Cargo.toml", "src/lib.rs"] {
        if !paths.contains(&needed) {
            return Err(format!("the crate has no {needed}; files: {paths:?}"));
        }
    }
    for file in &generated.files {
        if paths.iter().filter(|p| **p == file.path).count() > 1 {
            return Err(format!("{} is generated twice", file.path));
        }
        if !file.path.ends_with(".rs") {
            continue;
        }
        if let Err(e) = syn::parse_file(&file.contents) {
            return Err(format!(
                "{} does not parse: {e} (regenerate with the CLI from the saved document to see it)",
                file.path
            ));
        }
    }
    for warning in &generated.warnings {
        catching(|| warning.to_string())
            .map_err(|p| format!("displaying a warning panicked: {p}"))?;
    }
    Ok(())
}

fn check_refused(diagnostics: &Diagnostics) -> Result<(), String> {
    if !diagnostics.has_errors() {
        return Err(format!("generate failed without an error:\n{diagnostics}"));
    }
    let shown = catching(|| diagnostics.to_string())
        .map_err(|p| format!("displaying the diagnostics panicked: {p}"))?;
    if !shown.contains("error") {
        return Err(format!("the diagnostics do not show an error:\n{shown}"));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Seed documents.

struct Source {
    name: String,
    doc: Value,
}

fn env_flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0")
}

fn env_number(name: &str) -> Option<u64> {
    let text = std::env::var(name).ok()?;
    Some(
        text.trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name}={text:?} is not a number")),
    )
}

/// Parses a seed document and relabels it OpenAPI 3.0.3 when it is neither 3.0 nor 3.1 (a
/// Swagger 2.0 document).
fn parse_source(name: &str, text: &str) -> Source {
    let json = text.trim_start().starts_with('{');
    let mut doc: Value = if json {
        serde_json::from_str(text).unwrap_or_else(|e| panic!("{name} is not JSON: {e}"))
    } else {
        serde_yaml::from_str(text).unwrap_or_else(|e| panic!("{name} is not YAML: {e}"))
    };
    let mut name = name.to_owned();
    let root = doc.as_object_mut().expect("a seed document is a mapping");
    let version = root
        .get("openapi")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    if !version.starts_with("3.0") && !version.starts_with("3.1") {
        let was = root
            .remove("swagger")
            .map(|v| format!("swagger {}", v.as_str().unwrap_or("?")))
            .unwrap_or_else(|| format!("openapi {version}"));
        root.insert("openapi".into(), Value::String("3.0.3".into()));
        name.push_str(&format!(" (relabelled from {was})"));
    }
    Source { name, doc }
}

/// The seed documents: built in, in the repository, and in `../shared` when it is there.
/// With a `filter`, only the documents whose name contains it (big ones included); a name that
/// equals it exactly wins over the others.
fn sources(big: bool, filter: Option<&str>) -> Vec<Source> {
    let found = all_sources(big || filter.is_some(), filter);
    let Some(filter) = filter else {
        return found;
    };
    let exact = |s: &Source| s.name.split(" (").next() == Some(filter);
    if found.iter().any(exact) {
        found.into_iter().filter(exact).collect()
    } else {
        found
    }
}

fn all_sources(big: bool, filter: Option<&str>) -> Vec<Source> {
    let root = workspace_root();
    let wanted = |name: &str| filter.is_none_or(|f| name.contains(f));
    let mut found = Vec::new();
    if wanted("built-in") {
        found.push(parse_source("built-in", BUILT_IN));
    }
    // Every fixture's spec (one construct each) and the checked-in crate's spec.
    let mut repo_files: Vec<String> = std::fs::read_dir(root.join("tests/fixtures"))
        .expect("tests/fixtures")
        .flatten()
        .filter(|e| e.path().join("spec.yaml").is_file())
        .map(|e| {
            format!(
                "tests/fixtures/{}/spec.yaml",
                e.file_name().to_string_lossy()
            )
        })
        .collect();
    repo_files.sort();
    repo_files.push("spec/access-keys.openapi.yaml".to_owned());
    for repo_file in &repo_files {
        if wanted(repo_file) {
            let text = std::fs::read_to_string(root.join(repo_file)).expect("a repository file");
            found.push(parse_source(repo_file, &text));
        }
    }
    let shared = root.join("../shared");
    if !shared.is_dir() {
        println!(
            "note: {} is absent; mutating only the built-in and repository documents",
            shared.display()
        );
        return found;
    }
    let mut files = Vec::new();
    let list = |dir: &Path| -> Vec<PathBuf> {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .map(|entries| entries.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        paths.sort();
        paths
    };
    files.extend(list(&shared.join("cloudflare/fragments")));
    files.push(shared.join("cloudflare/access-keys.openapi.yaml"));
    files.push(shared.join("cloudflare/openapi.json"));
    files.extend(list(&shared.join("corpus")));
    let mut skipped = Vec::new();
    for path in files {
        let file_name = path.file_name().unwrap_or_default().to_string_lossy();
        let is_doc = [".yaml", ".json", ".yaml.gz", ".json.gz"]
            .iter()
            .any(|ext| file_name.ends_with(ext));
        if !is_doc || !path.is_file() {
            continue;
        }
        let name = path
            .strip_prefix(&shared)
            .unwrap_or(&path)
            .to_string_lossy()
            .into_owned();
        if !wanted(&format!("shared/{name}")) {
            continue;
        }
        let gzipped = file_name.ends_with(".gz");
        let size = std::fs::metadata(&path)
            .map(|m| m.len() as usize)
            .unwrap_or(0);
        if !big && (gzipped || size > SMALL_BYTES) {
            skipped.push(name);
            continue;
        }
        let bytes = std::fs::read(&path).expect("a shared document is readable");
        let text = if gzipped {
            let mut text = String::new();
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_string(&mut text)
                .unwrap_or_else(|e| panic!("{name} does not decompress: {e}"));
            text
        } else {
            String::from_utf8(bytes).unwrap_or_else(|e| panic!("{name} is not UTF-8: {e}"))
        };
        found.push(parse_source(&format!("shared/{name}"), &text));
    }
    if !skipped.is_empty() {
        println!(
            "note: big documents left out (FUZZ_BIG=1 includes them): {}",
            skipped.join(", ")
        );
    }
    found
}

// ---------------------------------------------------------------------------------------------
// Walking the document.

fn pointer(path: &[String]) -> String {
    let mut out = String::from("#");
    for segment in path {
        out.push('/');
        out.push_str(&codegen::source::escape(segment));
    }
    out
}

fn node_mut<'a>(doc: &'a mut Value, path: &[String]) -> &'a mut Value {
    let mut node = doc;
    for segment in path {
        node = match node {
            Value::Object(map) => map.get_mut(segment).expect("the path exists"),
            Value::Array(items) => {
                let i: usize = segment.parse().expect("an array index");
                &mut items[i]
            }
            _ => unreachable!("a path goes through objects and arrays"),
        };
    }
    node
}

/// Every node of the document, as paths from the root (the root itself left out).
fn all_paths(doc: &Value) -> Vec<Vec<String>> {
    fn walk(node: &Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
        match node {
            Value::Object(map) => {
                for (key, value) in map {
                    path.push(key.clone());
                    out.push(path.clone());
                    walk(value, path, out);
                    path.pop();
                }
            }
            Value::Array(items) => {
                for (i, value) in items.iter().enumerate() {
                    path.push(i.to_string());
                    out.push(path.clone());
                    walk(value, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(doc, &mut Vec::new(), &mut out);
    out
}

/// Whether the node at `path` is where a schema goes.
fn is_schema_position(path: &[String]) -> bool {
    let n = path.len();
    let last = |i: usize| path.get(n.wrapping_sub(i)).map(String::as_str);
    matches!(
        last(1),
        Some("schema" | "items" | "additionalProperties" | "not")
    ) || matches!(last(2), Some("properties" | "allOf" | "oneOf" | "anyOf"))
        || (n == 3 && path[0] == "components" && path[1] == "schemas")
}

/// Whether the node at `path` (or its key) becomes a Rust name, a string in the code, or text.
fn is_name_position(path: &[String]) -> bool {
    let n = path.len();
    let last = |i: usize| path.get(n.wrapping_sub(i)).map(String::as_str);
    matches!(
        last(1),
        Some(
            "operationId"
                | "name"
                | "title"
                | "version"
                | "url"
                | "propertyName"
                | "x-fern-sdk-group-name"
                | "x-fern-sdk-method-name"
        )
    ) || matches!(
        last(2),
        Some("properties" | "schemas" | "enum" | "tags" | "required" | "mapping" | "content")
    ) || (n == 2 && path[0] == "paths")
}

fn pick<'a, T>(rng: &mut fastrand::Rng, items: &'a [T]) -> Option<&'a T> {
    if items.is_empty() {
        None
    } else {
        Some(&items[rng.usize(..items.len())])
    }
}

// ---------------------------------------------------------------------------------------------
// Random values.

const WEIRD_STRINGS: &[&str] = &[
    "",
    " ",
    "_",
    "__",
    "-",
    "0",
    "1st",
    "123",
    "self",
    "Self",
    "super",
    "crate",
    "type",
    "r#type",
    "fn",
    "async",
    "None",
    "Some",
    "Ok",
    "Err",
    "Result",
    "Option",
    "String",
    "Vec",
    "Box",
    "Client",
    "Error",
    "a b",
    "a-b",
    "a.b",
    "a/b",
    "{",
    "}",
    "{}",
    "{id}",
    "}{",
    "a{b",
    "ÄÖÜ",
    "日本語",
    "🚀",
    "é",
    "\u{0}",
    "\n",
    "\"",
    "\\",
    "'",
    "`",
    "*/",
    "/*",
    "/**",
    "#[",
    "]]",
    "r#\"",
    "\"#",
    "#",
    "$",
    "%",
    "\u{feff}",
    "CamelCase",
    "snake_case",
    "SCREAMING_CASE",
    "ABC123def",
    "a__b",
    "_1",
    "self_",
    "Type",
    "ID",
    "id",
    "Id",
    "result",
    "errors",
    "application/json",
    "*/*",
    "2XX",
    "default",
    "200",
    "(",
    "[a-",
    "^\\d+$",
    "date-time",
    "int64",
    "binary",
    "x-fern-sdk-group-name",
];

fn weird_string(rng: &mut fastrand::Rng) -> String {
    match rng.u8(..10) {
        0 => "x".repeat(rng.usize(200..400)),
        1 => {
            let a = pick(rng, WEIRD_STRINGS).copied().unwrap_or_default();
            let b = pick(rng, WEIRD_STRINGS).copied().unwrap_or_default();
            format!("{a}{b}")
        }
        _ => pick(rng, WEIRD_STRINGS)
            .copied()
            .unwrap_or_default()
            .to_owned(),
    }
}

fn random_number(rng: &mut fastrand::Rng) -> Value {
    match rng.u8(..7) {
        0 => Value::from(0),
        1 => Value::from(-rng.i64(1..1000)),
        2 => Value::from(u64::MAX),
        3 => Value::from(i64::MIN),
        4 => Number::from_f64(1e308).map_or(Value::Null, Value::Number),
        5 => Number::from_f64(rng.f64() * 10.0 - 5.0).map_or(Value::Null, Value::Number),
        _ => Value::from(rng.u64(1..1_000_000)),
    }
}

/// Any JSON value, at most `depth` levels deep.
fn random_json(rng: &mut fastrand::Rng, depth: u32) -> Value {
    let kinds = if depth == 0 { 4 } else { 6 };
    match rng.u8(..kinds) {
        0 => Value::Null,
        1 => Value::Bool(rng.bool()),
        2 => random_number(rng),
        3 => Value::String(weird_string(rng)),
        4 => Value::Array(
            (0..rng.usize(..4))
                .map(|_| random_json(rng, depth - 1))
                .collect(),
        ),
        _ => Value::Object(
            (0..rng.usize(..4))
                .map(|_| (weird_string(rng), random_json(rng, depth - 1)))
                .collect(),
        ),
    }
}

const TYPES: &[&str] = &[
    "string", "number", "integer", "boolean", "array", "object", "null", "file", "", "strnig",
];
const FORMATS: &[&str] = &[
    "date-time",
    "date",
    "time",
    "int32",
    "int64",
    "float",
    "double",
    "binary",
    "byte",
    "uuid",
    "email",
    "uri",
    "ipv4",
    "password",
    "",
    "int8",
    "decimal",
];

/// A schema-shaped object with random keywords, mostly well-typed so it gets past parsing,
/// with `$ref`s to the document's own components.
fn random_schema(rng: &mut fastrand::Rng, depth: u32, refs: &[String]) -> Value {
    if depth == 0 || rng.u8(..4) == 0 {
        if let (true, Some(target)) = (rng.bool(), pick(rng, refs)) {
            return serde_json::json!({ "$ref": target });
        }
    }
    let mut schema = Map::new();
    let keywords = rng.usize(1..6);
    for _ in 0..keywords {
        let child = |rng: &mut fastrand::Rng| {
            if depth == 0 {
                serde_json::json!({ "type": pick(rng, TYPES).copied().unwrap_or("string") })
            } else {
                random_schema(rng, depth - 1, refs)
            }
        };
        match rng.u8(..20) {
            0..=3 => {
                let t = pick(rng, TYPES).copied().unwrap_or("string");
                schema.insert("type".into(), t.into());
            }
            4 => {
                let f = pick(rng, FORMATS).copied().unwrap_or("int32");
                schema.insert("format".into(), f.into());
            }
            5 => {
                schema.insert("nullable".into(), rng.bool().into());
            }
            6 => {
                let values = (0..rng.usize(..4)).map(|_| random_json(rng, 1)).collect();
                schema.insert("enum".into(), Value::Array(values));
            }
            7 | 8 => {
                let properties: Map<String, Value> = (0..rng.usize(..4))
                    .map(|_| (weird_string(rng), child(rng)))
                    .collect();
                let mut required: Vec<Value> = properties
                    .keys()
                    .filter(|_| rng.bool())
                    .map(|k| Value::String(k.clone()))
                    .collect();
                if rng.u8(..4) == 0 {
                    required.push(Value::String(weird_string(rng)));
                }
                schema.insert("properties".into(), Value::Object(properties));
                schema.insert("required".into(), Value::Array(required));
            }
            9 => {
                schema.insert("items".into(), child(rng));
            }
            10 => {
                let extra = if rng.bool() {
                    Value::Bool(rng.bool())
                } else {
                    child(rng)
                };
                schema.insert("additionalProperties".into(), extra);
            }
            11..=13 => {
                let key = pick(rng, &["allOf", "oneOf", "anyOf"])
                    .copied()
                    .unwrap_or("allOf");
                let parts = (0..rng.usize(..4)).map(|_| child(rng)).collect();
                schema.insert(key.into(), Value::Array(parts));
                if key != "allOf" && rng.bool() {
                    let mut mapping = Map::new();
                    if let Some(target) = pick(rng, refs) {
                        mapping.insert(weird_string(rng), Value::String(target.clone()));
                    }
                    schema.insert(
                        "discriminator".into(),
                        serde_json::json!({ "propertyName": weird_string(rng), "mapping": mapping }),
                    );
                }
            }
            14 => {
                let key = pick(rng, &["minimum", "maximum", "multipleOf"])
                    .copied()
                    .unwrap_or("minimum");
                schema.insert(key.into(), random_number(rng));
                schema.insert("exclusiveMinimum".into(), rng.bool().into());
            }
            15 => {
                let key = pick(
                    rng,
                    &[
                        "minLength",
                        "maxLength",
                        "minItems",
                        "maxItems",
                        "minProperties",
                        "maxProperties",
                    ],
                )
                .copied()
                .unwrap_or("minLength");
                let n = if rng.bool() { rng.u64(..5) } else { u64::MAX };
                schema.insert(key.into(), n.into());
            }
            16 => {
                schema.insert("pattern".into(), weird_string(rng).into());
            }
            17 => {
                let key = pick(rng, &["default", "example"])
                    .copied()
                    .unwrap_or("example");
                schema.insert(key.into(), random_json(rng, 2));
            }
            18 => {
                let key = pick(rng, &["description", "title"])
                    .copied()
                    .unwrap_or("title");
                schema.insert(key.into(), weird_string(rng).into());
            }
            _ => {
                schema.insert("not".into(), child(rng));
            }
        }
    }
    Value::Object(schema)
}

// ---------------------------------------------------------------------------------------------
// Mutations. Each changes the document and says what it did, or returns `None` when the
// document has nothing it applies to.

/// The `#/components/<kind>/<name>` pointer of every component.
fn component_refs(doc: &Value) -> Vec<String> {
    let mut refs = Vec::new();
    if let Some(components) = doc.get("components").and_then(Value::as_object) {
        for (kind, entries) in components {
            for name in entries.as_object().into_iter().flat_map(|m| m.keys()) {
                refs.push(pointer(&["components".into(), kind.clone(), name.clone()]));
            }
        }
    }
    refs
}

/// Every `$ref` string in the document, as the path of the `$ref` key.
fn ref_paths(paths: &[Vec<String>]) -> Vec<&Vec<String>> {
    paths
        .iter()
        .filter(|p| p.last().is_some_and(|s| s == "$ref"))
        .collect()
}

fn replace_refs(node: &mut Value, from: &str, to: &str) {
    match node {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                match value {
                    Value::String(s) if (key == "$ref" || s.starts_with("#/")) && s == from => {
                        *s = to.to_owned();
                    }
                    _ => replace_refs(value, from, to),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| replace_refs(v, from, to)),
        _ => {}
    }
}

/// Inserts `key: value` into the object at `path`, after the key it was copied from when
/// given (so the order of the document is kept).
fn insert_key(doc: &mut Value, path: &[String], key: String, value: Value) {
    if let Value::Object(map) = node_mut(doc, path) {
        map.insert(key, value);
    }
}

/// Names that collide with `name` once turned into Rust names.
fn colliding_name(rng: &mut fastrand::Rng, name: &str) -> String {
    let snake: String = name
        .chars()
        .flat_map(|c| {
            if c.is_uppercase() {
                vec!['_', c.to_ascii_lowercase()]
            } else {
                vec![c]
            }
        })
        .collect();
    match rng.u8(..7) {
        0 => name.to_uppercase(),
        1 => name.to_lowercase(),
        2 => snake.trim_start_matches('_').to_owned(),
        3 => name.replace('_', "-"),
        4 => format!("{name}."),
        5 => format!("{name}_"),
        _ => {
            let mut chars = name.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_else(|| "_".into())
        }
    }
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "patch", "head", "options", "trace",
];

fn mutate(rng: &mut fastrand::Rng, doc: &mut Value) -> Option<String> {
    let paths = all_paths(doc);
    match rng.u8(..11) {
        // Delete a key, favouring the ones the generator relies on.
        0 => {
            const KEY: &[&str] = &[
                "type",
                "items",
                "properties",
                "$ref",
                "schema",
                "required",
                "name",
                "in",
                "content",
                "responses",
                "components",
                "paths",
                "discriminator",
                "mapping",
                "propertyName",
                "allOf",
                "oneOf",
                "anyOf",
                "parameters",
                "requestBody",
                "schemas",
                "info",
                "servers",
                "operationId",
                "additionalProperties",
                "enum",
            ];
            let favoured: Vec<&Vec<String>> = paths
                .iter()
                .filter(|p| p.last().is_some_and(|k| KEY.contains(&k.as_str())))
                .collect();
            let path = if rng.bool() && !favoured.is_empty() {
                (*pick(rng, &favoured)?).clone()
            } else {
                pick(rng, &paths)?.clone()
            };
            let (key, parent) = path.split_last()?;
            match node_mut(doc, parent) {
                Value::Object(map) => {
                    map.shift_remove(key);
                }
                Value::Array(items) => {
                    items.remove(key.parse::<usize>().ok()?);
                }
                _ => return None,
            }
            Some(format!("deleted {}", pointer(&path)))
        }
        // Swap a node's JSON type, keeping something of its content.
        1 => {
            let path = pick(rng, &paths)?.clone();
            let node = node_mut(doc, &path);
            let old = std::mem::take(node);
            let kind = |v: &Value| match v {
                Value::Null => "null",
                Value::Bool(_) => "boolean",
                Value::Number(_) => "number",
                Value::String(_) => "string",
                Value::Array(_) => "array",
                Value::Object(_) => "object",
            };
            let was = kind(&old);
            *node = match (rng.u8(..4), old) {
                (0, Value::String(s)) => Value::from(s.len()),
                (1, Value::String(s)) => Value::Array(vec![Value::String(s)]),
                (_, Value::String(s)) => serde_json::json!({ s.clone(): s }),
                (0, Value::Array(items)) => Value::Object(
                    items
                        .into_iter()
                        .enumerate()
                        .map(|(i, v)| (i.to_string(), v))
                        .collect(),
                ),
                (1, Value::Array(mut items)) if !items.is_empty() => items.swap_remove(0),
                (_, Value::Array(items)) => Value::String(format!("{} items", items.len())),
                (0, Value::Object(map)) => Value::Array(map.into_iter().map(|(_, v)| v).collect()),
                (1, Value::Object(map)) => {
                    Value::String(map.keys().next().cloned().unwrap_or_default())
                }
                (_, Value::Object(map)) => Value::from(map.len()),
                (0, other) => Value::String(other.to_string()),
                (1, other) => Value::Array(vec![other]),
                (_, other) => serde_json::json!({ "value": other }),
            };
            Some(format!("{} {was} -> {}", pointer(&path), kind(node)))
        }
        // Swap a schema's `type`.
        2 => {
            let typed: Vec<&Vec<String>> = paths
                .iter()
                .filter(|p| p.last().is_some_and(|k| k == "type"))
                .collect();
            let path = (*pick(rng, &typed)?).clone();
            let new = match rng.u8(..8) {
                0 => serde_json::json!(["string", "null"]),
                1 => serde_json::json!(7),
                _ => Value::from(pick(rng, TYPES).copied().unwrap_or("object")),
            };
            let node = node_mut(doc, &path);
            let description = format!("{}: {node} -> {new}", pointer(&path));
            *node = new;
            Some(description)
        }
        // Point a `$ref` at nothing.
        3 => {
            let path = (*pick(rng, &ref_paths(&paths))?).clone();
            const DANGLING: &[&str] = &[
                "#/components/schemas/does_not_exist",
                "#/components/schemas/",
                "#/nowhere",
                "",
                "other.yaml#/components/schemas/pet",
                "#components/schemas",
                "#/components/schemas/a~2b",
            ];
            let new = pick(rng, DANGLING).copied().unwrap_or("#/nowhere");
            *node_mut(doc, &path) = Value::String(new.into());
            Some(format!("{} -> dangling {new:?}", pointer(&path)))
        }
        // Point a `$ref` at another node that exists: another component (of any kind), the
        // root, an ancestor (a cycle), or any node at all.
        4 => {
            let path = (*pick(rng, &ref_paths(&paths))?).clone();
            let target = match rng.u8(..4) {
                0 => pick(rng, &component_refs(doc))?.clone(),
                1 => "#".to_owned(),
                2 => pointer(&path[..rng.usize(..path.len())]),
                _ => pointer(pick(rng, &paths)?),
            };
            *node_mut(doc, &path) = Value::String(target.clone());
            Some(format!("{} -> {target:?}", pointer(&path)))
        }
        // Rename a component, updating the references to it or not.
        5 => {
            let from = pick(rng, &component_refs(doc))?.clone();
            let mut segments: Vec<String> = from
                .trim_start_matches("#/")
                .split('/')
                .map(|s| s.replace("~1", "/").replace("~0", "~"))
                .collect();
            let old_name = segments.pop()?;
            let new_name = if rng.bool() {
                weird_string(rng)
            } else {
                colliding_name(rng, &old_name)
            };
            let Value::Object(map) = node_mut(doc, &segments) else {
                return None;
            };
            let value = map.shift_remove(&old_name)?;
            map.insert(new_name.clone(), value);
            segments.push(new_name.clone());
            let to = pointer(&segments);
            let update = rng.bool();
            if update {
                replace_refs(doc, &from, &to);
            }
            Some(format!(
                "renamed {from} to {new_name:?}, {} the references",
                if update { "updating" } else { "not updating" }
            ))
        }
        // Duplicate a name: a component under a colliding name, an operation id, a property,
        // a parameter, or a path with differently named parameters.
        6 => match rng.u8(..5) {
            0 => {
                let from = pick(rng, &component_refs(doc))?.clone();
                let segments: Vec<String> = from
                    .trim_start_matches("#/")
                    .split('/')
                    .map(|s| s.replace("~1", "/").replace("~0", "~"))
                    .collect();
                let (name, parent) = segments.split_last()?;
                let copy = colliding_name(rng, name);
                let value = node_mut(doc, &segments).clone();
                insert_key(doc, parent, copy.clone(), value);
                Some(format!("copied {from} to {copy:?}"))
            }
            1 => {
                let ids: Vec<&Vec<String>> = paths
                    .iter()
                    .filter(|p| p.last().is_some_and(|k| k == "operationId"))
                    .collect();
                let a = (*pick(rng, &ids)?).clone();
                let b = (*pick(rng, &ids)?).clone();
                let id = node_mut(doc, &a).clone();
                *node_mut(doc, &b) = id.clone();
                Some(format!(
                    "{} takes the operationId {id} of {}",
                    pointer(&b),
                    pointer(&a)
                ))
            }
            2 => {
                let properties: Vec<&Vec<String>> = paths
                    .iter()
                    .filter(|p| p.len() >= 2 && p[p.len() - 2] == "properties")
                    .collect();
                let path = (*pick(rng, &properties)?).clone();
                let (name, parent) = path.split_last()?;
                let copy = colliding_name(rng, name);
                let value = node_mut(doc, &path).clone();
                insert_key(doc, parent, copy.clone(), value);
                Some(format!(
                    "copied the property {} to {copy:?}",
                    pointer(&path)
                ))
            }
            3 => {
                let lists: Vec<&Vec<String>> = paths
                    .iter()
                    .filter(|p| p.last().is_some_and(|k| k == "parameters"))
                    .collect();
                let path = (*pick(rng, &lists)?).clone();
                let Value::Array(items) = node_mut(doc, &path) else {
                    return None;
                };
                let first = items.first()?.clone();
                items.push(first);
                Some(format!(
                    "duplicated the first parameter of {}",
                    pointer(&path)
                ))
            }
            _ => {
                let map = doc.get_mut("paths")?.as_object_mut()?;
                let keys: Vec<String> = map.keys().cloned().collect();
                let key = pick(rng, &keys)?.clone();
                let copy = if key.contains('{') {
                    key.replace('{', "{renamed_")
                } else {
                    format!("{key}/")
                };
                let value = map.get(&key)?.clone();
                map.insert(copy.clone(), value);
                Some(format!("copied the path {key:?} to {copy:?}"))
            }
        },
        // Junk where a schema goes.
        7 | 8 => {
            let positions: Vec<&Vec<String>> =
                paths.iter().filter(|p| is_schema_position(p)).collect();
            let path = (*pick(rng, &positions)?).clone();
            let refs = component_refs(doc);
            let junk = if rng.u8(..3) == 0 {
                random_json(rng, 3)
            } else {
                random_schema(rng, 2, &refs)
            };
            let description = format!("{} := {junk}", pointer(&path));
            *node_mut(doc, &path) = junk;
            Some(description)
        }
        // A weird string where a name, an id, a value or a text goes.
        9 => {
            // Half the time where names come from: property, component and path names,
            // operation ids, parameter names, enum values, tags, SDK names, titles.
            let named: Vec<&Vec<String>> = paths.iter().filter(|p| is_name_position(p)).collect();
            let path = if rng.bool() && !named.is_empty() {
                (*pick(rng, &named)?).clone()
            } else {
                pick(rng, &paths)?.clone()
            };
            let new = weird_string(rng);
            let (key, parent) = path.split_last()?;
            let node = node_mut(doc, &path);
            if node.is_string() && rng.bool() {
                *node = Value::String(new.clone());
                return Some(format!("{} := {new:?}", pointer(&path)));
            }
            let Value::Object(map) = node_mut(doc, parent) else {
                *node_mut(doc, &path) = Value::String(new.clone());
                return Some(format!("{} := {new:?}", pointer(&path)));
            };
            // Rename the key in place, keeping the order.
            let entries = std::mem::take(map);
            *map = entries
                .into_iter()
                .map(|(k, v)| if &k == key { (new.clone(), v) } else { (k, v) })
                .collect();
            Some(format!("renamed the key {} to {new:?}", pointer(&path)))
        }
        // An operation moved to another method or a method key that is not one.
        _ => {
            let ops: Vec<&Vec<String>> = paths
                .iter()
                .filter(|p| p.len() == 3 && p[0] == "paths" && METHODS.contains(&p[2].as_str()))
                .collect();
            let path = (*pick(rng, &ops)?).clone();
            let method = pick(rng, METHODS).copied().unwrap_or("get");
            let op = node_mut(doc, &path).clone();
            insert_key(doc, &path[..2], method.into(), op);
            Some(format!("copied {} to {method}", pointer(&path)))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Cases.

/// Mixes a seed (splitmix64) so neighbouring seeds pick unrelated documents.
fn mix(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

struct Failure {
    seed: u64,
    source: String,
    mutations: Vec<String>,
    problem: String,
    saved: PathBuf,
}

/// Runs the case of `seed` on one of `sources`; `Err` when it fails.
fn run_case(seed: u64, sources: &[Source], trace: bool) -> Result<bool, Failure> {
    let source = &sources[(mix(seed) % sources.len() as u64) as usize];
    // The document is chosen by `mix(seed)`, the mutations by `seed` alone, so that
    // `FUZZ_SOURCE=<name> FUZZ_SEED=<seed>` replays the same case.
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut doc = source.doc.clone();
    let mut mutations = Vec::new();
    let wanted = rng.usize(1..=4);
    let mut attempts = 0;
    while mutations.len() < wanted && attempts < 20 {
        attempts += 1;
        if let Some(done) = mutate(&mut rng, &mut doc) {
            mutations.push(done);
        }
    }
    let deny_warnings = rng.u8(..4) == 0;
    if trace {
        println!("case {seed}: {} {mutations:?}", source.name);
    }
    let text = serde_json::to_string(&doc).expect("a document serializes");
    let started = Instant::now();
    let outcome = run_document(&text, true, deny_warnings);
    if trace {
        let what = match &outcome {
            Ok(Outcome::Generated) => "generated",
            Ok(Outcome::Refused) => "refused",
            Err(_) => "FAILED",
        };
        println!("  {what} in {:.1?}", started.elapsed());
    }
    match outcome {
        Ok(outcome) => Ok(matches!(outcome, Outcome::Generated)),
        Err(problem) => {
            let dir = workspace_root().join("target/generator_never_panics");
            let saved = dir.join(format!("seed-{seed}.json"));
            let _ = std::fs::create_dir_all(&dir);
            let _ = std::fs::write(&saved, &text);
            Err(Failure {
                seed,
                source: source.name.clone(),
                mutations,
                problem,
                saved,
            })
        }
    }
}

/// Runs the cases on a thread with the CLI's stack size and reports every failure.
fn fuzz(sources: Vec<Source>, first: u64, cases: u64) {
    let trace = env_flag("FUZZ_TRACE");
    let worker = std::thread::Builder::new()
        .stack_size(STACK_BYTES)
        .spawn(move || {
            let started = Instant::now();
            let mut failures = Vec::new();
            let mut generated = 0;
            for seed in first..first + cases {
                match run_case(seed, &sources, trace) {
                    Ok(true) => generated += 1,
                    Ok(false) => {}
                    Err(failure) => failures.push(failure),
                }
            }
            println!(
                "{cases} cases (seeds {first}..{}) on {} documents in {:.1?}: {generated} generated a crate, {} were refused, {} failed",
                first + cases,
                sources.len(),
                started.elapsed(),
                cases - generated - failures.len() as u64,
                failures.len()
            );
            failures
        })
        .expect("the worker thread starts");
    let failures = worker.join().expect("the worker does not panic");
    if failures.is_empty() {
        return;
    }
    let mut report = format!("{} case(s) failed:\n", failures.len());
    for f in &failures {
        report.push_str(&format!(
            "\nseed {} on {}\n  mutations:\n{}  problem: {}\n  document: {}\n  rerun: FUZZ_SOURCE='{}' FUZZ_SEED={} FUZZ_CASES=1 cargo test -p tests --test generator_never_panics mutated_documents -- --nocapture\n",
            f.seed,
            f.source,
            f.mutations.iter().map(|m| format!("    - {m}\n")).collect::<String>(),
            f.problem,
            f.saved.display(),
            f.source.split(" (").next().unwrap_or(&f.source),
            f.seed,
        ));
    }
    panic!("{report}");
}

#[test]
fn mutated_documents_never_make_the_generator_panic() {
    let cases = env_number("FUZZ_CASES").unwrap_or(DEFAULT_CASES);
    let first = env_number("FUZZ_SEED").unwrap_or(0);
    let filter = std::env::var("FUZZ_SOURCE").ok();
    let sources = sources(env_flag("FUZZ_BIG"), filter.as_deref());
    assert!(
        !sources.is_empty(),
        "no seed document matches FUZZ_SOURCE={filter:?}"
    );
    fuzz(sources, first, cases);
}

#[test]
fn the_seed_documents_generate_unmutated() {
    // Only the small ones: each must load and go through without a panic, and the ones in
    // the repository must generate, so that the mutations start from something that works.
    for source in sources(false, None) {
        let text = serde_json::to_string(&source.doc).expect("a document serializes");
        let outcome = run_document(&text, true, false)
            .unwrap_or_else(|problem| panic!("{}: {problem}", source.name));
        if !source.name.starts_with("shared/") {
            assert!(
                matches!(outcome, Outcome::Generated),
                "{} does not generate",
                source.name
            );
        }
    }
}

#[test]
fn reduced_regressions_do_not_panic() {
    for (what, text) in REGRESSIONS {
        run_document(text, false, false).unwrap_or_else(|problem| panic!("{what}: {problem}"));
    }
}

#[test]
fn the_checks_catch_what_they_are_for() {
    // A panic is caught and reported with its message and location.
    let caught = catching(|| panic!("boom")).expect_err("the panic is caught");
    assert!(
        caught.starts_with("boom at ") && caught.contains(file!()),
        "{caught}"
    );
    // Output that does not parse is reported with the file and position.
    let broken = Generated {
        files: vec![
            codegen::GeneratedFile {
                path: "Cargo.toml".into(),
                contents: "[package]\n".into(),
            },
            codegen::GeneratedFile {
                path: "src/lib.rs".into(),
                contents: "pub fn f() {\n    let = 1;\n}\n".into(),
            },
        ],
        warnings: Vec::new(),
    };
    let problem = check_generated(&broken).expect_err("the file does not parse");
    assert!(
        problem.starts_with("src/lib.rs does not parse"),
        "{problem}"
    );
    // A mutation changes the document, and the same seed changes it the same way.
    let source = parse_source("built-in", BUILT_IN);
    let run = |seed| {
        let mut rng = fastrand::Rng::with_seed(seed);
        let mut doc = source.doc.clone();
        let what: Vec<String> = (0..8).filter_map(|_| mutate(&mut rng, &mut doc)).collect();
        (doc, what)
    };
    let (a, what) = run(7);
    assert!(!what.is_empty());
    assert_ne!(a, source.doc);
    assert_eq!(run(7), (a, what));
}
