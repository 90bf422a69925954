//! OpenAPI 3.1 documents: generated end to end (type arrays, const, exclusive bounds,
//! examples, `$ref` siblings, path item `$ref`s), every Rust file parses, the expected types
//! are there, and what cannot be carried comes back as located warnings.

use codegen::{generate, Diagnostic, GeneratedFile, Options};

/// A 3.1 document using the 3.1 dialect throughout.
const PETS_31: &str = r##"
openapi: 3.1.0
servers: [{url: 'https://pets.example.com'}]
info:
  title: Pets
  version: '1'
  summary: A 3.1 document
  license: {name: MIT, identifier: MIT}
jsonSchemaDialect: https://spec.openapis.org/oas/3.1/dialect/base
webhooks:
  newPet:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pet'}
      responses:
        '200': {description: ok}
paths:
  /pets/{id}:
    $ref: '#/components/pathItems/PetById'
components:
  pathItems:
    PetById:
      parameters:
        - name: id
          in: path
          required: true
          schema: {type: integer, exclusiveMinimum: 0, examples: [7]}
      get:
        operationId: pets-get
        tags: [Pets]
        responses:
          '200':
            description: ok
            content:
              application/json:
                schema: {$ref: '#/components/schemas/Pet'}
      put:
        operationId: pets-update
        tags: [Pets]
        requestBody:
          required: true
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
        responses:
          '200': {description: ok}
  schemas:
    Pet:
      type: object
      required: [id, kind, name]
      properties:
        id: {type: integer, format: int64, exclusiveMinimum: 0, exclusiveMaximum: 1000000}
        kind: {const: dog}
        name: {type: string, maxLength: 20, examples: [Rex, Fido]}
        nickname: {type: [string, 'null']}
        age: {type: ['integer', 'null'], minimum: 0}
        tag_or_code: {type: [string, integer], description: A tag name or a numeric code}
        owner:
          $ref: '#/components/schemas/Owner'
          description: Who owns the pet (a sibling of $ref)
        previous_owner:
          $ref: '#/components/schemas/Owner'
          nullable: true
        short_code:
          $ref: '#/components/schemas/Code'
          maxLength: 4
        size: {$ref: '#/components/schemas/Size'}
        tuple: {type: array, prefixItems: [{type: string}, {type: integer}]}
        nothing: {type: 'null'}
    Owner:
      type: object
      properties:
        name: {type: string}
    Code: {type: string}
    Size:
      type: integer
      oneOf:
        - {title: SMALL, const: 1}
        - {title: LARGE, const: 2, description: A large pet}
"##;

fn generate_from(name: &str, text: &str) -> Result<(Vec<GeneratedFile>, Vec<Diagnostic>), String> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("the spec is written");
    let options = Options {
        spec: path,
        spec_display: name.into(),
        crate_name: "pets".into(),
        regenerate: "cargo run -p codegen".into(),
        standalone: true,
        ..Default::default()
    };
    generate(&options)
        .map(|g| (g.files, g.warnings))
        .map_err(|e| e.to_string())
}

fn file<'a>(files: &'a [GeneratedFile], path: &str) -> &'a str {
    &files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path} is generated"))
        .contents
}

fn assert_contains(text: &str, needles: &[&str]) {
    for needle in needles {
        assert!(text.contains(needle), "{needle:?} missing in:\n{text}");
    }
}

#[test]
fn a_31_document_generates_parseable_code_with_the_expected_types() {
    let (files, warnings) = generate_from("pets.yaml", PETS_31).expect("3.1 generates");
    for f in files.iter().filter(|f| f.path.ends_with(".rs")) {
        syn::parse_file(&f.contents).unwrap_or_else(|e| panic!("{} does not parse: {e}", f.path));
    }
    let types = file(&files, "src/types.rs");
    assert_contains(
        types,
        &[
            "pub struct Pet {",
            // numeric exclusive bounds -> 3.0 bounds, exclusive (a received type documents
            // them; only sent types are checked before sending)
            "pub id: i64,",
            "Constraints: exclusiveMinimum 0, exclusiveMaximum 1000000.",
            // const -> a one-value enum
            "pub kind: PetKind,",
            "Dog = \"dog\"",
            // type arrays with null -> optional
            "pub nickname: Option<String>,",
            "pub age: Option<i64>,",
            // several types -> a union of them
            "pub tag_or_code: Option<PetTagOrCode>,",
            "pub enum PetTagOrCode {",
            "String(String),",
            "Integer(i64),",
            // $ref with an annotation sibling: the referenced type itself
            "pub owner: Option<Owner>,",
            // $ref with nullable: the same type
            "pub previous_owner: Option<Owner>,",
            // $ref with a constraint sibling: the type with the constraint
            "pub short_code: Option<String>,",
            "check::max_length(&path.field(\"short_code\")",
            // a union of documented consts -> the values, documented
            "/// - `2`: LARGE: A large pet",
            "pub size: Option<i64>,",
            // prefixItems -> any JSON items (warned)
            "pub tuple: Option<Vec<serde_json::Value>>,",
        ],
    );
    assert!(!types.contains("struct Pet2"), "no copy of Pet:\n{types}");
    // The path item behind a $ref is inlined into operations.
    let resources = file(&files, "src/resources.rs");
    assert_contains(
        resources,
        &["pub fn pets(&self)", "pub fn get(", "pub fn update("],
    );
    // `examples` -> example tests.
    let examples = file(&files, "src/example_tests.rs");
    assert_contains(examples, &["Rex", "parse(\"7\""]);

    let shown: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(warnings.len(), 2, "{shown:#?}");
    assert_eq!(warnings[0].pointer.as_deref(), Some("#/webhooks"));
    assert_eq!(
        warnings[1].pointer.as_deref(),
        Some("#/components/schemas/Pet/properties/tuple/prefixItems")
    );
    for w in &warnings {
        assert!(!w.is_error());
        assert_eq!(w.file, "pets.yaml");
        assert!(w.hint.is_some(), "{w}");
    }
}

#[test]
fn a_31_document_written_with_30_nullable_still_works() {
    let spec = r#"{
      "openapi": "3.1.0",
      "info": {"title": "t", "version": "1"},
      "servers": [{"url": "https://api.example.com"}],
      "paths": {"/things/{id}": {"get": {
        "operationId": "things-get", "tags": ["Things"],
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
          "type": "object", "required": ["name", "count"],
          "properties": {
            "name": {"type": "string", "nullable": true},
            "count": {"type": "integer", "minimum": 1, "exclusiveMinimum": true}
          }
        }}}}}
      }}}
    }"#;
    let (files, warnings) = generate_from("old-style.json", spec).expect("generates");
    assert!(warnings.is_empty(), "{warnings:?}");
    let types = file(&files, "src/types.rs");
    assert_contains(
        types,
        &[
            "pub name: Option<String>,",
            "pub count: i64,",
            "Constraints: exclusiveMinimum 1.",
        ],
    );
}

#[test]
fn unsupported_31_keywords_are_located_warnings_not_failures() {
    let spec = r#"
openapi: 3.1.1
info: {title: t, version: '1'}
servers: [{url: 'https://api.example.com'}]
paths:
  /a:
    get:
      operationId: a-get
      tags: [A]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  when: {if: {type: string}, then: {minLength: 1}}
                  extra: {type: object, patternProperties: {'^x-': {type: string}}}
                  keys: {type: object, propertyNames: {pattern: '^a'}}
                  blob: {type: string, contentEncoding: base32}
"#;
    let (_, warnings) = generate_from("u.yaml", spec).expect("warnings, not a failure");
    let pointers: Vec<&str> = warnings
        .iter()
        .filter_map(|w| w.pointer.as_deref())
        .collect();
    let at = "#/paths/~1a/get/responses/200/content/application~1json/schema/properties";
    assert_eq!(
        pointers,
        [
            format!("{at}/when/if"),
            format!("{at}/extra/patternProperties"),
            format!("{at}/keys/propertyNames"),
            format!("{at}/blob/contentEncoding"),
        ]
    );
}

#[test]
fn versions_other_than_30_and_31_are_refused_clearly() {
    let swagger = generate_from(
        "s.json",
        r#"{"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}}"#,
    )
    .expect_err("Swagger 2.0 is refused");
    assert_contains(&swagger, &["s.json: at #/swagger", "Swagger 2.0", "help:"]);
    let future = generate_from("f.yaml", "openapi: 3.2.0\ninfo: {title: t, version: '1'}\n")
        .expect_err("3.2 is refused");
    assert_contains(
        &future,
        &["f.yaml: at #/openapi", "\"3.2.0\"", "3.1", "help:"],
    );
}

#[test]
fn an_anchor_reference_is_an_error_that_says_to_use_a_pointer() {
    let spec = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$anchor: a, type: string}\n    B: {$ref: '#a'}\n";
    let message = generate_from("anchor.yaml", spec).expect_err("anchors are refused");
    assert_contains(
        &message,
        &[
            "anchor.yaml: at #/components/schemas/B/$ref",
            "anchor",
            "help:",
        ],
    );
}
