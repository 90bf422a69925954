//! Unit tests of how the model reads `$ref`s through the spec's table: alias chains, cycles,
//! and the references of security schemes and path items.

use super::tests::{model_of_document, struct_fields};
use super::*;

/// A document with `paths` and `components` (YAML, each indented by two).
fn document(paths: &str, components: &str) -> String {
    format!(
        "openapi: 3.0.3
info: {{title: t, version: '1'}}
servers: [{{url: 'https://api.example.com'}}]
paths:
{paths}
components:
{components}"
    )
}

/// One `GET` operation at `path` answering the schema at `reference`.
fn get(path: &str, id: &str, reference: &str) -> String {
    format!(
        "  {path}:
    get:
      operationId: {id}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{$ref: '{reference}'}}"
    )
}

#[test]
fn a_chain_of_aliases_to_a_recursive_schema_is_that_schema() {
    // `Node` refers to itself through the chain `Alias -> Alias2 -> Node`, and `Alias` comes
    // first in the document: the chain is followed to `Node` before anything is built.
    let text = document(
        &get("/n", "getN", "#/components/schemas/Alias"),
        "  schemas:
    Alias: {$ref: '#/components/schemas/Alias2'}
    Alias2: {$ref: '#/components/schemas/Node'}
    Node:
      type: object
      properties:
        next: {$ref: '#/components/schemas/Alias'}",
    );
    let (model, diags) = model_of_document(&text);
    assert_eq!(diags.len(), 0, "{diags}");
    let next = &struct_fields(&model, "Node")[0];
    assert_eq!(
        next.ty,
        Ty::Option(Box::new(Ty::Boxed(Box::new(Ty::Named("Node".into())))))
    );
    assert_eq!(model.operations.len(), 1);
}

#[test]
fn a_ref_cycle_is_reported_at_the_first_reference_seen_twice_for_every_schema_on_it() {
    let text = document(
        &get("/c", "getC", "#/components/schemas/C1"),
        "  schemas:
    C1: {$ref: '#/components/schemas/C2'}
    C2: {$ref: '#/components/schemas/C3'}
    C3: {$ref: '#/components/schemas/C2'}
    User:
      type: object
      properties:
        c: {$ref: '#/components/schemas/C3'}",
    );
    let (model, diags) = model_of_document(&text);
    let warnings: Vec<&Diagnostic> = diags.warnings().collect();
    assert_eq!(warnings.len(), 1, "{diags}");
    assert_eq!(
        warnings[0].pointer.as_deref(),
        Some("#/components/schemas/C2")
    );
    assert!(warnings[0].message.contains("$ref cycle"), "{diags}");
    let hint = warnings[0].hint.as_deref().unwrap_or_default();
    for left_out in ["GET /c", "`C1`", "`C2`", "`C3`", "`User`"] {
        assert!(hint.contains(left_out), "{left_out} in {hint}");
    }
    assert!(model.operations.is_empty());
}

#[test]
fn security_scheme_refs_and_path_item_refs_are_followed() {
    let text = document(
        "  /a: {$ref: '#/components/x-items/A'}
  /b:
    get: {operationId: getB, responses: {'204': {description: ok}}}",
        "  x-items:
    A:
      get:
        operationId: getA
        security: [{key: []}]
        responses: {'204': {description: ok}}
  schemas:
    Thing: {type: object}
  securitySchemes:
    tok: {type: http, scheme: bearer}
    key: {$ref: '#/components/x-schemes/Key'}
    bad: {$ref: '#/components/schemas/Thing'}
  x-schemes:
    Key: {type: apiKey, in: header, name: X-Key}",
    )
    .replace(
        "servers: [{url: 'https://api.example.com'}]",
        "servers: [{url: 'https://api.example.com'}]\nsecurity: [{tok: []}]",
    );
    let (model, diags) = model_of_document(&text);
    let names: Vec<(&str, &Placement)> = model
        .auth
        .schemes
        .iter()
        .map(|s| (s.name.as_str(), &s.placement))
        .collect();
    assert_eq!(
        names,
        [
            ("tok", &Placement::Bearer),
            ("key", &Placement::Header("X-Key".into()))
        ]
    );
    let warnings: Vec<&Diagnostic> = diags.warnings().collect();
    assert_eq!(warnings.len(), 1, "{diags}");
    assert_eq!(
        warnings[0].pointer.as_deref(),
        Some("#/components/securitySchemes/bad")
    );
    assert!(
        warnings[0]
            .message
            .contains("ends at #/components/schemas/Thing, which is not a security scheme"),
        "{diags}"
    );
    // The operation under the path item `$ref` has its own `security`; the other inherits
    // the document's.
    let security = |path: &str| {
        let op = model.operations.iter().find(|op| op.path == path);
        op.map(|op| op.security.clone())
    };
    assert_eq!(security("/a"), Some(vec![vec![1]]));
    assert_eq!(security("/b"), Some(vec![vec![0]]));
}
