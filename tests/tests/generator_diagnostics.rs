//! Malformed or unsupported specs: the generator fails with a message that names the file,
//! the JSON pointer of the offending node (or line and column), what is wrong and what to do.

use codegen::{generate, Options};

/// Generates from `text` (saved as `name`) and returns the diagnostic as displayed.
fn diagnose(name: &str, text: &str) -> String {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("the spec is written");
    let options = Options {
        spec: path,
        spec_display: name.into(),
        crate_name: "broken".into(),
        regenerate: "cargo run -p codegen".into(),
        standalone: true,
        // What one operation or schema gets wrong is a warning that leaves it out; denied
        // here, so every case fails the run and its message can be checked.
        deny_warnings: true,
        ..Default::default()
    };
    match generate(&options) {
        Ok(_) => panic!("{name}: expected a diagnostic, generation succeeded"),
        Err(all) => {
            assert!(all.has_errors(), "{name}: a failure holds an error");
            for d in all.items() {
                assert_eq!(d.file, name, "the diagnostic names the file");
            }
            all.to_string()
        }
    }
}

fn assert_mentions(message: &str, parts: &[&str]) {
    for part in parts {
        assert!(
            message.contains(part),
            "expected {part:?} in the diagnostic:\n{message}"
        );
    }
}

/// A minimal valid document with `paths` and `components` spliced in.
fn spec(paths: &str, components: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths:\n{paths}\ncomponents:\n{components}\n"
    )
}

const KEYS_PUT: &str = "  /accounts/{account_id}/access/keys:
    put:
      operationId: update
      parameters:
        - name: account_id
          in: path
          required: true
          schema: {type: string}
      requestBody:
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/body'
      responses:
        '200': {description: ok}";

#[test]
fn missing_file() {
    let options = Options {
        spec: "/nonexistent/dir/spec.yaml".into(),
        spec_display: "spec.yaml".into(),
        crate_name: "x".into(),
        regenerate: "cargo run -p codegen".into(),
        standalone: true,
        ..Default::default()
    };
    let message = generate(&options).expect_err("no such file").to_string();
    assert_mentions(&message, &["spec.yaml", "cannot read the spec", "help:"]);
}

#[test]
fn invalid_yaml_has_line_and_column() {
    let message = diagnose("bad.yaml", "openapi: 3.0.3\ninfo: {title: t\npaths: {}\n");
    assert_mentions(&message, &["bad.yaml:", "invalid YAML"]);
    let location = message.split(':').nth(2).unwrap_or_default();
    assert!(
        location.trim().parse::<usize>().is_ok(),
        "expected file:line:col, got {message}"
    );
}

#[test]
fn invalid_json_has_line_and_column() {
    let message = diagnose("bad.json", "{\n  \"openapi\": \"3.0.3\",\n  \"info\": }\n");
    assert_mentions(&message, &["bad.json:3:", "invalid JSON"]);
}

#[test]
fn openapi_versions_other_than_3_0_and_3_1_are_refused_by_name() {
    // 3.1 is read (see tests/fixtures/openapi31); anything newer is refused.
    let message = diagnose(
        "v32.yaml",
        "openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
    );
    assert_mentions(
        &message,
        &[
            "#/openapi",
            "\"3.2.0\" is not supported",
            "3.0.x and 3.1.x",
            "help:",
        ],
    );
}

#[test]
fn swagger_2_is_refused() {
    let message = diagnose(
        "v2.yaml",
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n",
    );
    assert_mentions(&message, &["Swagger 2.0", "help:"]);
}

#[test]
fn dangling_ref_names_its_pointer() {
    let message = diagnose("dangling.yaml", &spec(KEYS_PUT, "  schemas: {}"));
    assert_mentions(
        &message,
        &[
            "#/paths/~1accounts~1{account_id}~1access~1keys/put/requestBody/content/application~1json/schema/$ref",
            "#/components/schemas/body",
            "points at nothing",
        ],
    );
}

/// The `$ref` check skips example and default *values* by where they stand, not by key name:
/// a property (or a response, or a media type) called `default`, `example` or `enum` is
/// checked like any other.
#[test]
fn a_dangling_ref_under_a_property_named_like_a_keyword_is_an_error_at_that_ref() {
    for name in ["default", "example", "examples", "enum", "const"] {
        let components = format!(
            "  schemas:
    body:
      type: object
      properties:
        {name}: {{$ref: '#/components/schemas/missing'}}"
        );
        let message = diagnose("keyword.yaml", &spec(KEYS_PUT, &components));
        assert_mentions(
            &message,
            &[
                &format!("at #/components/schemas/body/properties/{name}/$ref:"),
                "\"#/components/schemas/missing\" points at nothing",
            ],
        );
    }
    let default_response = KEYS_PUT.replace(
        "'200': {description: ok}",
        "default: {$ref: '#/components/responses/missing'}",
    );
    let message = diagnose(
        "response.yaml",
        &spec(&default_response, "  schemas: {body: {}}"),
    );
    assert_mentions(
        &message,
        &["at #/paths/~1accounts~1{account_id}~1access~1keys/put/responses/default/$ref:"],
    );
}

/// Example and default values may hold anything, `$ref`-shaped objects too: they are data.
#[test]
fn ref_shaped_example_and_default_values_are_not_checked() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("values.yaml");
    let components = "  schemas:
    body:
      type: object
      default: {$ref: '#/nowhere/1'}
      example: {$ref: '#/nowhere/2'}
      properties:
        link: {type: object, enum: [{$ref: '#/nowhere/3'}]}";
    let put = KEYS_PUT
        .replace(
            "      responses:",
            "      x-examples: {}
      responses:",
        )
        .replace(
            "              $ref: '#/components/schemas/body'",
            "              $ref: '#/components/schemas/body'
            examples:
              one: {value: {$ref: '#/nowhere/4'}}",
        );
    std::fs::write(&path, spec(&put, components)).expect("the spec is written");
    let options = Options {
        spec: path,
        spec_display: "values.yaml".into(),
        crate_name: "values".into(),
        regenerate: "cargo run -p codegen".into(),
        standalone: true,
        ..Default::default()
    };
    if let Err(all) = generate(&options) {
        panic!("values are not references:\n{all}");
    }
}

#[test]
fn external_ref_is_refused() {
    let message = diagnose(
        "external.yaml",
        &spec(
            KEYS_PUT,
            "  schemas:\n    body:\n      $ref: 'other.yaml#/components/schemas/x'",
        ),
    );
    assert_mentions(
        &message,
        &[
            "#/components/schemas/body/$ref",
            "external reference",
            "bundle",
        ],
    );
}

#[test]
fn unrepresentable_ref_cycle() {
    let message = diagnose(
        "cycle.yaml",
        &spec(
            KEYS_PUT,
            "  schemas:\n    body:\n      $ref: '#/components/schemas/other'\n    other:\n      $ref: '#/components/schemas/body'",
        ),
    );
    assert_mentions(&message, &["$ref cycle", "#/components/schemas/"]);
}

#[test]
fn path_parameter_missing_from_the_list() {
    let paths = "  /zones/{zone_id}/x:
    get:
      responses:
        '200': {description: ok}";
    let message = diagnose("noparam.yaml", &spec(paths, "  schemas: {}"));
    assert_mentions(
        &message,
        &["#/paths/~1zones~1{zone_id}~1x/get", "{zone_id}", "in: path"],
    );
}

#[test]
fn path_parameter_missing_from_the_path() {
    let paths = "  /zones:
    get:
      parameters:
        - {name: zone_id, in: path, required: true, schema: {type: string}}
      responses:
        '200': {description: ok}";
    let message = diagnose("noplaceholder.yaml", &spec(paths, "  schemas: {}"));
    assert_mentions(
        &message,
        &[
            "#/paths/~1zones/get/parameters",
            "\"zone_id\"",
            "placeholder",
        ],
    );
}

#[test]
fn duplicate_operation_names() {
    let paths = "  /a:
    get:
      x-fern-sdk-group-name: things
      x-fern-sdk-method-name: list
      responses:
        '200': {description: ok}
  /b:
    get:
      x-fern-sdk-group-name: things
      x-fern-sdk-method-name: list
      responses:
        '200': {description: ok}";
    let message = diagnose("dupe.yaml", &spec(paths, "  schemas: {}"));
    assert_mentions(
        &message,
        &[
            "#/paths/~1b/get",
            "duplicate operation name `things.list`",
            "#/paths/~1a/get",
        ],
    );
}

#[test]
fn invalid_type() {
    let message = diagnose(
        "badtype.yaml",
        &spec(KEYS_PUT, "  schemas:\n    body:\n      type: strnig"),
    );
    assert_mentions(&message, &["#/components/schemas/body", "strnig"]);
}

#[test]
fn invalid_pattern() {
    // Look-around and back-references are ECMA-262 and accepted; an unclosed class is not.
    let message = diagnose(
        "pattern.yaml",
        &spec(
            KEYS_PUT,
            "  schemas:\n    body:\n      type: object\n      properties:\n        name:\n          type: string\n          pattern: '^[a-z+$'",
        ),
    );
    assert_mentions(
        &message,
        &[
            "#/components/schemas/body/properties/name",
            "not a valid ECMA-262 regular expression",
            "help:",
        ],
    );
}

#[test]
fn contradictory_bounds() {
    let message = diagnose(
        "bounds.yaml",
        &spec(
            KEYS_PUT,
            "  schemas:\n    body:\n      type: object\n      properties:\n        days:\n          type: number\n          minimum: 365\n          maximum: 21",
        ),
    );
    assert_mentions(
        &message,
        &[
            "#/components/schemas/body/properties/days",
            "contradictory bounds",
            "minimum 365 > maximum 21",
        ],
    );
}

#[test]
fn not_an_openapi_document() {
    let message = diagnose("list.yaml", "- just\n- a list\n");
    assert_mentions(&message, &["#", "not a mapping"]);
    let message = diagnose(
        "noversion.yaml",
        "info: {title: t, version: '1'}\npaths: {}\n",
    );
    assert_mentions(&message, &["missing `openapi`", "openapi: 3.0.3"]);
}

#[test]
fn structural_errors_are_located() {
    let message = diagnose(
        "structure.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 7\n",
    );
    assert_mentions(
        &message,
        &[
            "#/paths/~1a/get/responses",
            "not a valid OpenAPI 3.0 document",
        ],
    );
}
