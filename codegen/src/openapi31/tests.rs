//! Unit tests of the 3.1 rewrites: each rewrite on its own, then whole documents.

use super::ref_siblings::ref_siblings;
use super::rewrite::{
    boolean_schema, const_to_enum, content_encoding, examples_to_example, exclusive_bounds,
    type_array_nullable,
};
use super::unions::{const_union_to_enum, type_union};
use super::unsupported::{
    pattern_properties, schema_identity, tuple_items, unevaluated_properties, unsupported_keywords,
};
use super::{is_openapi_31, Cx, Place};
use crate::diagnostic::{Diagnostic, Diagnostics};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// The warnings [`super::normalize`] records for `doc`.
fn normalize(doc: &mut Value) -> Vec<Diagnostic> {
    let mut diagnostics = Diagnostics::new();
    super::normalize(doc, &mut diagnostics);
    diagnostics.into_vec()
}

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => panic!("not an object"),
    }
}

fn cx() -> Cx {
    Cx {
        warnings: Vec::new(),
        ref_types: HashMap::new(),
    }
}

#[test]
fn detects_31() {
    assert!(is_openapi_31(&json!({"openapi": "3.1.0"})));
    assert!(is_openapi_31(&json!({"openapi": "3.1.1"})));
    assert!(!is_openapi_31(&json!({"openapi": "3.0.3"})));
    assert!(!is_openapi_31(&json!({"swagger": "2.0"})));
}

#[test]
fn type_array_with_null_is_nullable() {
    let mut m = obj(json!({"type": ["string", "null"], "maxLength": 3}));
    type_array_nullable(&mut m);
    assert_eq!(
        Value::Object(m),
        json!({"type": "string", "maxLength": 3, "nullable": true})
    );
    let mut m = obj(json!({"type": ["null", "integer", "number"]}));
    type_array_nullable(&mut m);
    assert_eq!(
        Value::Object(m),
        json!({"type": "number", "nullable": true})
    );
    let mut m = obj(json!({"type": "string"}));
    type_array_nullable(&mut m);
    assert_eq!(Value::Object(m), json!({"type": "string"}));
}

#[test]
fn null_type_alone_is_a_null_only_schema() {
    for ty in [json!("null"), json!(["null"])] {
        let mut m = obj(json!({"type": ty, "description": "x"}));
        type_array_nullable(&mut m);
        assert_eq!(
            Value::Object(m),
            json!({"description": "x", "nullable": true, "enum": [null]})
        );
    }
}

#[test]
fn const_becomes_a_one_value_enum() {
    let mut m = obj(json!({"type": "string", "const": "card"}));
    const_to_enum(&mut m);
    assert_eq!(
        Value::Object(m),
        json!({"type": "string", "enum": ["card"]})
    );
    let mut m = obj(json!({"const": null}));
    const_to_enum(&mut m);
    assert_eq!(Value::Object(m), json!({"nullable": true, "enum": [null]}));
}

#[test]
fn numeric_exclusive_bounds_become_30_bounds() {
    let mut m = obj(json!({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 10.5}));
    exclusive_bounds(&mut m);
    assert_eq!(
        Value::Object(m),
        json!({"type": "number", "exclusiveMinimum": true, "exclusiveMaximum": true, "minimum": 0, "maximum": 10.5})
    );
    // The stricter bound wins.
    let mut m =
        obj(json!({"minimum": 5, "exclusiveMinimum": 3, "maximum": 5, "exclusiveMaximum": 5}));
    exclusive_bounds(&mut m);
    assert_eq!(
        Value::Object(m),
        json!({"minimum": 5, "maximum": 5, "exclusiveMaximum": true})
    );
    // 3.0-style booleans stay; fractional bounds on integers become inclusive integers.
    let mut m = obj(json!({"type": "integer", "minimum": 1, "exclusiveMinimum": true}));
    exclusive_bounds(&mut m);
    assert_eq!(
        Value::Object(m),
        json!({"type": "integer", "minimum": 1, "exclusiveMinimum": true})
    );
    let mut m = obj(json!({"type": "integer", "exclusiveMinimum": 1.5, "exclusiveMaximum": 9.5}));
    exclusive_bounds(&mut m);
    assert_eq!(
        Value::Object(m),
        json!({"type": "integer", "minimum": 2, "maximum": 9})
    );
}

#[test]
fn first_example_of_examples() {
    let mut m = obj(json!({"type": "string", "examples": ["a", "b"]}));
    examples_to_example(&mut m);
    assert_eq!(Value::Object(m), json!({"type": "string", "example": "a"}));
    let mut m = obj(json!({"example": "kept", "examples": ["a"]}));
    examples_to_example(&mut m);
    assert_eq!(Value::Object(m), json!({"example": "kept"}));
    let mut m = obj(json!({"examples": []}));
    examples_to_example(&mut m);
    assert_eq!(Value::Object(m), json!({}));
}

#[test]
fn content_encodings_become_formats() {
    let mut c = cx();
    let mut m = obj(json!({"type": "string", "contentEncoding": "base64"}));
    content_encoding(&mut m, "#/s", &mut c);
    assert_eq!(
        Value::Object(m),
        json!({"type": "string", "format": "byte"})
    );
    let mut m = obj(json!({"type": "string", "contentMediaType": "image/png"}));
    content_encoding(&mut m, "#/s", &mut c);
    assert_eq!(
        Value::Object(m),
        json!({"type": "string", "format": "binary"})
    );
    let mut m = obj(json!({"type": "string", "contentMediaType": "application/json"}));
    content_encoding(&mut m, "#/s", &mut c);
    assert_eq!(Value::Object(m), json!({"type": "string"}));
    assert!(c.warnings.is_empty());
    let mut m = obj(json!({"type": "string", "contentEncoding": "base32"}));
    content_encoding(&mut m, "#/s", &mut c);
    assert_eq!(Value::Object(m), json!({"type": "string"}));
    assert_eq!(c.warnings.len(), 1);
    assert_eq!(
        c.warnings[0].pointer.as_deref(),
        Some("#/s/contentEncoding")
    );
}

#[test]
fn multi_type_becomes_any_of_with_each_types_keywords() {
    let mut m = obj(json!({
        "type": ["string", "integer"], "description": "id", "maxLength": 4, "minimum": 1,
        "format": "int64", "nullable": true
    }));
    type_union(&mut m);
    assert_eq!(
        Value::Object(m),
        json!({"description": "id", "nullable": true, "anyOf": [
            {"type": "string", "maxLength": 4},
            {"type": "integer", "format": "int64", "minimum": 1}
        ]})
    );
    // enum values go to the type they fit; a type with none is left out.
    let mut m = obj(json!({"type": ["string", "integer", "boolean"], "enum": ["a", 1]}));
    type_union(&mut m);
    assert_eq!(
        Value::Object(m),
        json!({"anyOf": [{"type": "string", "enum": ["a"]}, {"type": "integer", "enum": [1]}]})
    );
    let mut m = obj(json!({"type": ["string", "integer"], "enum": ["a"]}));
    type_union(&mut m);
    assert_eq!(Value::Object(m), json!({"type": "string", "enum": ["a"]}));
    let mut m = obj(json!({"type": ["string", "object"], "oneOf": [{"type": "string"}]}));
    type_union(&mut m);
    assert_eq!(Value::Object(m), json!({"oneOf": [{"type": "string"}]}));
}

#[test]
fn documented_const_union_becomes_an_enum() {
    let mut m = obj(json!({"type": "integer", "oneOf": [
        {"title": "ONE_MINUTE", "enum": [60]},
        {"title": "FIVE", "description": "Five\nminutes", "enum": [300]}
    ]}));
    const_union_to_enum(&mut m);
    assert_eq!(
        Value::Object(m),
        json!({"type": "integer", "enum": [60, 300], "description": "- `60`: ONE_MINUTE\n- `300`: FIVE: Five minutes"})
    );
    let mut m = obj(json!({"anyOf": [{"enum": ["a"], "title": "a"}, {"enum": ["b"]}]}));
    const_union_to_enum(&mut m);
    assert_eq!(
        Value::Object(m),
        json!({"type": "string", "enum": ["a", "b"]})
    );
    // A member with structure is a real union.
    let original = json!({"oneOf": [{"enum": ["a"]}, {"type": "object", "properties": {}}]});
    let mut m = obj(original.clone());
    const_union_to_enum(&mut m);
    assert_eq!(Value::Object(m), original);
}

#[test]
fn ref_siblings_by_kind() {
    let types: HashMap<String, Vec<String>> =
        [("#/c/S".to_owned(), vec!["string".to_owned()])].into();
    // Annotations only: the bare $ref.
    let mut m = obj(json!({"$ref": "#/c/S", "description": "d", "type": "string", "x-a": 1}));
    ref_siblings(&mut m, Place::Alone, &types);
    assert_eq!(Value::Object(m), json!({"$ref": "#/c/S"}));
    // nullable: the same type, optional.
    let mut m = obj(json!({"$ref": "#/c/S", "nullable": true, "description": "d"}));
    ref_siblings(&mut m, Place::Alone, &types);
    assert_eq!(
        Value::Object(m),
        json!({"nullable": true, "description": "d", "anyOf": [{"$ref": "#/c/S"}]})
    );
    let mut m = obj(json!({"$ref": "#/c/S", "nullable": true}));
    ref_siblings(&mut m, Place::AllOfMember, &types);
    assert_eq!(Value::Object(m), json!({"$ref": "#/c/S"}));
    // Constraints: allOf with the siblings beside it.
    let mut m = obj(json!({"$ref": "#/c/S", "maxLength": 3, "description": "d"}));
    ref_siblings(&mut m, Place::Alone, &types);
    assert_eq!(
        Value::Object(m),
        json!({"maxLength": 3, "description": "d", "allOf": [{"$ref": "#/c/S"}]})
    );
    // A type that differs from the target's is a constraint.
    let mut m = obj(json!({"$ref": "#/c/S", "type": "boolean"}));
    ref_siblings(&mut m, Place::Alone, &types);
    assert_eq!(
        Value::Object(m),
        json!({"type": "boolean", "allOf": [{"$ref": "#/c/S"}]})
    );
}

#[test]
fn boolean_schemas() {
    let mut c = cx();
    let mut v = json!(true);
    boolean_schema(&mut v, "#/a", &mut c);
    assert_eq!(v, json!({}));
    assert!(c.warnings.is_empty());
    let mut v = json!(false);
    boolean_schema(&mut v, "#/a", &mut c);
    assert_eq!(v, json!({"not": {}}));
    assert_eq!(c.warnings.len(), 1);
}

#[test]
fn unevaluated_and_pattern_properties() {
    let mut c = cx();
    let mut m = obj(json!({"type": "object", "properties": {}, "unevaluatedProperties": false}));
    unevaluated_properties(&mut m, "#/s", &mut c);
    assert_eq!(
        Value::Object(m),
        json!({"type": "object", "properties": {}, "additionalProperties": false})
    );
    assert!(c.warnings.is_empty());
    let mut m = obj(json!({"allOf": [], "unevaluatedProperties": false}));
    unevaluated_properties(&mut m, "#/s", &mut c);
    assert_eq!(Value::Object(m), json!({"allOf": []}));
    assert_eq!(c.warnings.len(), 1);
    assert_eq!(
        c.warnings[0].pointer.as_deref(),
        Some("#/s/unevaluatedProperties")
    );

    let mut c = cx();
    let mut m = obj(json!({"type": "object", "patternProperties": {"^x-": {"type": "string"}}}));
    pattern_properties(&mut m, "#/s", &mut c);
    assert_eq!(
        Value::Object(m),
        json!({"type": "object", "additionalProperties": {"type": "string"}})
    );
    let mut m = obj(json!({"properties": {}, "patternProperties": {"a": {}, "b": {}}}));
    pattern_properties(&mut m, "#/t", &mut c);
    assert_eq!(Value::Object(m), json!({"properties": {}}));
    assert_eq!(c.warnings.len(), 2);
    assert_eq!(
        c.warnings[1].pointer.as_deref(),
        Some("#/t/patternProperties")
    );
}

#[test]
fn tuples_and_unsupported_keywords_warn_with_pointers() {
    let mut c = cx();
    let mut m = obj(json!({"type": "array", "prefixItems": [{}], "items": false}));
    tuple_items(&mut m, "#/s", &mut c);
    assert_eq!(Value::Object(m), json!({"type": "array"}));
    let mut m = obj(json!({"type": "array", "items": [{}, {}]}));
    tuple_items(&mut m, "#/u", &mut c);
    assert_eq!(Value::Object(m), json!({"type": "array"}));
    let mut m = obj(
        json!({"if": {}, "then": {}, "dependentSchemas": {}, "propertyNames": {}, "contains": {}}),
    );
    unsupported_keywords(&mut m, "#/v", &mut c);
    let pointers: Vec<_> = c
        .warnings
        .iter()
        .filter_map(|w| w.pointer.clone())
        .collect();
    assert_eq!(
        pointers,
        [
            "#/s/prefixItems",
            "#/u/items",
            "#/v/if",
            "#/v/dependentSchemas",
            "#/v/contains",
            "#/v/propertyNames"
        ]
    );
    assert!(c.warnings.iter().all(|w| !w.is_error() && w.hint.is_some()));
}

#[test]
fn schema_identity_warns() {
    let mut c = cx();
    let mut m =
        obj(json!({"$id": "https://x/a", "$schema": "http://json-schema.org/draft-07/schema#"}));
    schema_identity(&mut m, "#/s", &mut c);
    assert_eq!(c.warnings.len(), 2);
    let mut m = obj(json!({"$schema": "https://json-schema.org/draft/2020-12/schema"}));
    schema_identity(&mut m, "#/s", &mut c);
    assert_eq!(c.warnings.len(), 2);
}

#[test]
fn document_level_rewrites() {
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1", "summary": "s", "license": {"name": "MIT", "identifier": "MIT"}},
        "jsonSchemaDialect": "https://example.com/dialect",
        "webhooks": {"newPet": {"post": {"responses": {"200": {"description": "ok"}}}}},
        "components": {
            "securitySchemes": {"tls": {"type": "mutualTLS"}, "key": {"type": "apiKey", "in": "header", "name": "k"}},
            "pathItems": {"Pets": {"get": {"operationId": "list"}}}
        }
    });
    let warnings = normalize(&mut doc);
    let pointers: Vec<_> = warnings.iter().filter_map(|w| w.pointer.clone()).collect();
    assert_eq!(
        pointers,
        [
            "#",
            "#/webhooks",
            "#/jsonSchemaDialect",
            "#/components/securitySchemes/tls"
        ]
    );
    assert_eq!(doc["paths"], json!({}));
    assert!(doc["components"]["securitySchemes"].get("tls").is_none());

    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/pets": {"$ref": "#/components/pathItems/Pets", "summary": "Pets"}},
        "components": {"pathItems": {"Pets": {"get": {"operationId": "list"}}}}
    });
    assert!(normalize(&mut doc).is_empty());
    assert_eq!(
        doc["paths"]["/pets"],
        json!({"get": {"operationId": "list", "responses": {}}, "summary": "Pets"})
    );
}

#[test]
fn whole_walk_reaches_every_schema_place_and_keeps_pointers_as_written() {
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": ["integer", "null"], "exclusiveMinimum": 0}}],
            "post": {
                "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {
                    "kind": {"const": "a"},
                    "tuple": {"type": "array", "prefixItems": [{"type": "string"}]},
                    "either": {"type": ["string", "integer"], "examples": ["x"]}
                }}}}},
                "responses": {"200": {"description": "ok", "headers": {"X-Rate": {"schema": {"type": ["integer", "null"]}}}}}
            }
        }},
        "components": {"schemas": {
            "Thing": {"type": "object", "properties": {"n": {"$ref": "#/components/schemas/N", "description": "d"}}},
            "N": {"type": "integer", "$defs": {"inner": {"type": ["string", "null"]}}}
        }}
    });
    let warnings = normalize(&mut doc);
    let pointers: Vec<_> = warnings.iter().filter_map(|w| w.pointer.clone()).collect();
    assert_eq!(
        pointers,
        ["#/paths/~1a~1{id}/post/requestBody/content/application~1json/schema/properties/tuple/prefixItems"]
    );
    let item = &doc["paths"]["/a/{id}"];
    assert_eq!(
        item["parameters"][0]["schema"],
        json!({"type": "integer", "exclusiveMinimum": true, "nullable": true, "minimum": 0})
    );
    let props = &item["post"]["requestBody"]["content"]["application/json"]["schema"]["properties"];
    assert_eq!(props["kind"], json!({"enum": ["a"]}));
    assert_eq!(
        props["either"],
        json!({"example": "x", "anyOf": [{"type": "string"}, {"type": "integer"}]})
    );
    assert_eq!(
        item["post"]["responses"]["200"]["headers"]["X-Rate"]["schema"],
        json!({"type": "integer", "nullable": true})
    );
    let schemas = &doc["components"]["schemas"];
    assert_eq!(
        schemas["Thing"]["properties"]["n"],
        json!({"$ref": "#/components/schemas/N"})
    );
    assert_eq!(
        schemas["N"]["$defs"]["inner"],
        json!({"type": "string", "nullable": true})
    );
}

#[test]
fn hostile_shapes_do_not_panic() {
    for mut doc in [
        json!(null),
        json!([]),
        json!({"openapi": "3.1.0", "paths": []}),
        json!({"openapi": "3.1.0", "paths": {"/a": {"$ref": "#/paths/~1a"}}}),
        json!({"openapi": "3.1.0", "paths": {"/a": {"get": {"parameters": {"x": 1}, "responses": []}}}}),
        json!({"openapi": "3.1.0", "components": {"schemas": {"a": {"type": [1, null], "allOf": 3, "properties": [], "const": {}, "exclusiveMinimum": "x"}}}}),
        json!({"openapi": "3.1.0", "components": {"schemas": {"a": {"$ref": 3, "type": []}, "b": {"$ref": "#/x", "allOf": {}, "minLength": 1}}}}),
    ] {
        let _ = normalize(&mut doc);
    }
}
