//! `--include` / `--exclude`: each kind of pattern, includes then excludes, patterns that match
//! nothing, and only the schemas the selected operations reach. Then resource features: this
//! small document gets none by default (every resource compiled), and with
//! `--resource-features always` a crate with two top-level resources compiles (and passes its
//! example tests, warnings denied) with one feature, and with all of them (one `cargo test` per
//! test, in the target directory the fixture crates share).

use codegen::model::ResourceFeatures;
use codegen::write::write_crate;
use codegen::{generate, workspace_root, GeneratedFile, Options};
use std::process::Command;

/// Two resources (`zones` by tag, `dns.records` by SDK group) and a schema no operation uses.
const SPEC: &str = r##"
openapi: 3.0.3
info: { title: Selection, version: "1" }
paths:
  /zones:
    get:
      operationId: zones-list
      tags: [Zones]
      responses:
        "200": { description: ok, content: { application/json: { schema: { type: array, items: { $ref: "#/components/schemas/Zone" } } } } }
  /zones/{zone_id}/dns_records:
    parameters:
      - { name: zone_id, in: path, required: true, schema: { type: string } }
    get:
      operationId: dns-records-for-a-zone-list
      tags: [DNS Records for a Zone]
      x-fern-sdk-group-name: dns.records
      x-fern-sdk-method-name: list
      responses:
        "200": { description: ok, content: { application/json: { schema: { type: array, items: { $ref: "#/components/schemas/Record" } } } } }
    post:
      operationId: dns-records-for-a-zone-create
      tags: [DNS Records for a Zone]
      x-fern-sdk-group-name: dns.records
      x-fern-sdk-method-name: create
      requestBody:
        content: { application/json: { schema: { $ref: "#/components/schemas/Record" } } }
      responses:
        "200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/Record" } } } }
components:
  schemas:
    Zone: { type: object, properties: { id: { type: string } } }
    Record: { type: object, properties: { name: { type: string }, ttl: { $ref: "#/components/schemas/Ttl" } } }
    Ttl: { type: integer }
    Unused: { type: object, properties: { nothing: { type: string } } }
"##;

fn options(include: &[&str], exclude: &[&str]) -> (tempfile::TempDir, Options) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let spec = dir.path().join("selection.yaml");
    std::fs::write(&spec, SPEC).expect("the spec is written");
    let options = Options {
        spec,
        spec_display: "selection.yaml".into(),
        crate_name: "selection-fixture".into(),
        regenerate: "cargo run -p codegen -- --spec selection.yaml --out <dir>".into(),
        standalone: true,
        include: include.iter().map(|s| s.to_string()).collect(),
        exclude: exclude.iter().map(|s| s.to_string()).collect(),
        // Three operations get no features by default; the feature tests below need them.
        resource_features: ResourceFeatures::Always,
        ..Default::default()
    };
    (dir, options)
}

fn files(include: &[&str], exclude: &[&str]) -> Vec<GeneratedFile> {
    let (_dir, options) = options(include, exclude);
    generate(&options)
        .unwrap_or_else(|e| panic!("{include:?} {exclude:?} generates: {e}"))
        .files
}

fn file<'a>(files: &'a [GeneratedFile], path: &str) -> &'a str {
    &files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path} was not generated"))
        .contents
}

/// The operations generated, by their params type.
fn methods(files: &[GeneratedFile]) -> Vec<&'static str> {
    let types = file(files, "src/types.rs");
    let mut found = Vec::new();
    for (params, name) in [
        ("pub struct ZonesListParams", "zones.list"),
        ("pub struct RecordListParams", "dns.records.list"),
        ("pub struct RecordCreateParams", "dns.records.create"),
    ] {
        if types.contains(params) {
            found.push(name);
        }
    }
    found
}

#[test]
fn each_kind_of_pattern_selects() {
    let all = ["zones.list", "dns.records.list", "dns.records.create"];
    assert_eq!(methods(&files(&[], &[])), all);
    // A tag, exactly.
    assert_eq!(
        methods(&files(&["DNS Records for a Zone"], &[])),
        ["dns.records.list", "dns.records.create"]
    );
    // An SDK group or a dotted prefix of it; a generic operation's group is its resource.
    assert_eq!(
        methods(&files(&["dns"], &[])),
        ["dns.records.list", "dns.records.create"]
    );
    assert_eq!(methods(&files(&["zones"], &[])), ["zones.list"]);
    // An operationId glob.
    assert_eq!(methods(&files(&["*-create"], &[])), ["dns.records.create"]);
    // A path glob: `*` within a segment, `**` across.
    assert_eq!(
        methods(&files(&["/zones/*/dns_records"], &[])),
        ["dns.records.list", "dns.records.create"]
    );
    assert_eq!(methods(&files(&["/zones/**"], &[])), all);
    assert_eq!(methods(&files(&["/*"], &[])), ["zones.list"]);
}

#[test]
fn excludes_apply_after_includes() {
    assert_eq!(
        methods(&files(&["dns.records"], &["dns-records-for-a-zone-list"])),
        ["dns.records.create"]
    );
    assert_eq!(
        methods(&files(&[], &["Zones"])),
        ["dns.records.list", "dns.records.create"]
    );
}

#[test]
fn a_pattern_that_matches_nothing_is_an_error_naming_it() {
    for (include, exclude, expected) in [
        (
            &["dnz"][..],
            &[][..],
            "--include \"dnz\" matches no operation",
        ),
        (
            &["dns.rec"][..],
            &[][..],
            "--include \"dns.rec\" matches no operation",
        ),
        (
            &["Zones"][..],
            &["dns"][..],
            "--exclude \"dns\" matches no operation the includes kept",
        ),
        (
            &["Zones"][..],
            &["Zones"][..],
            "the selection leaves no operation",
        ),
    ] {
        let (_dir, options) = options(include, exclude);
        let error = generate(&options)
            .expect_err("the selection fails")
            .to_string();
        assert!(error.contains(expected), "{error}");
        assert!(error.contains("help:"), "{error}");
    }
}

#[test]
fn with_a_selection_only_reached_schemas_are_emitted() {
    let everything = files(&[], &[]);
    let types = file(&everything, "src/types.rs");
    assert!(types.contains("pub struct Unused"));
    assert!(types.contains("pub struct Zone"));

    let dns = files(&["dns"], &[]);
    let types = file(&dns, "src/types.rs");
    assert!(types.contains("pub struct Record"), "{types}");
    assert!(types.contains("pub ttl: Option<i64>,"), "{types}");
    assert!(!types.contains("pub struct Unused"), "{types}");
    assert!(!types.contains("pub struct Zone "), "{types}");
    // The crate docs and the regenerate command in every header record the selection.
    let lib = file(&dns, "src/lib.rs");
    assert!(lib.contains("`--include dns`"), "{lib}");
    let (_dir, mut options) = options(&["DNS Records for a Zone"], &["*-list"]);
    options.regenerate.push_str(&options.selection().to_args());
    let files = generate(&options).expect("generates").files;
    assert!(
        file(&files, "Cargo.toml")
            .contains("--include 'DNS Records for a Zone' --exclude '*-list'"),
        "{}",
        file(&files, "Cargo.toml")
    );
}

#[test]
fn two_top_level_resources_become_features() {
    let files = files(&[], &[]);
    let manifest = file(&files, "Cargo.toml");
    assert!(manifest.contains("default = []"), "{manifest}");
    assert!(
        manifest.contains("full = [\"zones\", \"dns\"]"),
        "{manifest}"
    );
    assert!(manifest.contains("all-features = true"), "{manifest}");
    let types = file(&files, "src/types.rs");
    assert!(
        types.contains("#[cfg(feature = \"dns\")]\n#[derive"),
        "{types}"
    );
    // Reached by no operation: compiled with `full` only.
    assert!(
        types.contains("#[cfg(feature = \"full\")]\n#[derive(Debug, Clone, PartialEq, Default)]\npub struct Unused"),
        "{types}"
    );
    assert!(
        types.contains("#[cfg(feature = \"full\")]\nimpl json::Visitor for Option<Unused>"),
        "{types}"
    );
    // Only received: written (and `Serialize`) only with `serde-both-ways` (and in tests,
    // where examples are encoded again); no `Validate`, which only what is sent needs.
    assert!(
        types.contains("#[cfg(feature = \"zones\")]\nimpl json::Visitor for Option<Zone> {"),
        "{types}"
    );
    assert!(
        types.contains("#[cfg(feature = \"zones\")]\n#[cfg(any(test, feature = \"serde-both-ways\"))]\nimpl json::ToJson for Zone {"),
        "{types}"
    );
    assert!(
        types.contains("#[cfg(feature = \"zones\")]\n#[cfg(any(test, feature = \"serde-both-ways\"))]\nserde_via_json!(Serialize Zone);"),
        "{types}"
    );
    assert!(!types.contains("impl Validate for Zone "), "{types}");
    // One resource: no features.
    let one = self::files(&["dns"], &[]);
    assert!(!file(&one, "Cargo.toml").contains("full = ["));
    assert!(!file(&one, "src/types.rs").contains("#[cfg(feature"));
}

#[test]
fn a_small_api_compiles_every_resource_by_default() {
    let (_dir, mut options) = options(&[], &[]);
    for mode in [ResourceFeatures::Auto, ResourceFeatures::Never] {
        options.resource_features = mode;
        let files = generate(&options).expect("generates").files;
        let manifest = file(&files, "Cargo.toml");
        assert!(!manifest.contains("full = ["), "{mode:?}: {manifest}");
        for path in ["src/types.rs", "src/resources.rs", "src/lib.rs"] {
            let text = file(&files, path);
            assert!(!text.contains("#[cfg(feature"), "{mode:?}: {path}: {text}");
            assert!(
                !text.contains("feature = \"full\""),
                "{mode:?}: {path}: {text}"
            );
        }
        // Both top-level resources and the schema no operation uses are always there.
        let resources = file(&files, "src/resources.rs");
        assert!(resources.contains("pub fn zones(&self)"), "{resources}");
        assert!(resources.contains("pub fn dns(&self)"), "{resources}");
        assert!(file(&files, "src/types.rs").contains("pub struct Unused"));
    }
}

/// Writes the whole crate and runs `cargo test` in it with `features`, warnings denied.
fn cargo_test_with(name: &str, features: &[&str]) {
    let (_spec_dir, mut options) = options(&[], &[]);
    options.crate_name = name.into();
    let generated = generate(&options).expect("the spec generates").files;
    let crate_dir = tempfile::tempdir().expect("a temporary directory");
    write_crate(crate_dir.path(), &generated).expect("the crate is written");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .arg("test")
        .args(features)
        .current_dir(crate_dir.path())
        // The target directory every fixture crate shares, so dependencies build once.
        .env(
            "CARGO_TARGET_DIR",
            workspace_root().join("target").join("fixture-crates"),
        )
        .env("RUSTFLAGS", "-D warnings")
        .env("RUSTDOCFLAGS", "-D warnings")
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "`cargo test {features:?}` failed:\n{stdout}\n{stderr}"
    );
}

#[test]
fn a_crate_with_one_feature_compiles_and_passes_its_tests() {
    cargo_test_with(
        "features-one",
        &["--no-default-features", "--features", "dns"],
    );
}

#[test]
fn a_crate_with_all_features_compiles_and_passes_its_tests() {
    cargo_test_with("features-all", &["--all-features"]);
}
