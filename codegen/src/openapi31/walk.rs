//! Where schemas are: the walk over paths, operations, parameters, bodies, responses,
//! callbacks and components that reaches every schema, and [`schema`], the table of rewrites
//! applied to each one.

use super::ref_siblings::ref_siblings;
use super::rewrite::{
    boolean_schema, const_to_enum, content_encoding, examples_to_example, exclusive_bounds,
    type_array_nullable,
};
use super::unions::{const_union_to_enum, type_union};
use super::unsupported::{
    pattern_properties, schema_identity, tuple_items, unevaluated_properties, unsupported_keywords,
};
use super::{Cx, Place};
use crate::source::{escape, HttpMethod};
use serde_json::{json, Map, Value};

pub(super) fn walk_document(root: &mut Map<String, Value>, cx: &mut Cx) {
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            path_item(item, &format!("#/paths/{}", escape(path)), cx);
        }
    }
    let Some(Value::Object(components)) = root.get_mut("components") else {
        return;
    };
    for (section, walk) in [
        ("schemas", schema_alone as fn(&mut Value, &str, &mut Cx)),
        ("parameters", parameter),
        ("headers", parameter),
        ("requestBodies", request_body),
        ("responses", response),
        ("callbacks", callback),
        ("pathItems", path_item),
    ] {
        if let Some(Value::Object(entries)) = components.get_mut(section) {
            for (name, node) in entries.iter_mut() {
                walk(
                    node,
                    &format!("#/components/{section}/{}", escape(name)),
                    cx,
                );
            }
        }
    }
}

fn schema_alone(node: &mut Value, pointer: &str, cx: &mut Cx) {
    schema(node, pointer, Place::Alone, cx);
}

fn path_item(node: &mut Value, pointer: &str, cx: &mut Cx) {
    let Some(item) = node.as_object_mut() else {
        return;
    };
    if item.contains_key("$ref") {
        return;
    }
    parameters(item, pointer, cx);
    for method in HttpMethod::ALL {
        if let Some(op) = item.get_mut(method.as_str()) {
            operation(op, &format!("{pointer}/{}", method.as_str()), cx);
        }
    }
}

fn parameters(owner: &mut Map<String, Value>, pointer: &str, cx: &mut Cx) {
    if let Some(Value::Array(list)) = owner.get_mut("parameters") {
        for (i, p) in list.iter_mut().enumerate() {
            parameter(p, &format!("{pointer}/parameters/{i}"), cx);
        }
    }
}

fn operation(node: &mut Value, pointer: &str, cx: &mut Cx) {
    let Some(op) = node.as_object_mut() else {
        return;
    };
    parameters(op, pointer, cx);
    if let Some(body) = op.get_mut("requestBody") {
        request_body(body, &format!("{pointer}/requestBody"), cx);
    }
    // `responses` is optional in 3.1.
    let responses = op.entry("responses").or_insert_with(|| json!({}));
    if let Value::Object(responses) = responses {
        for (code, r) in responses.iter_mut() {
            response(r, &format!("{pointer}/responses/{}", escape(code)), cx);
        }
    }
    if let Some(Value::Object(callbacks)) = op.get_mut("callbacks") {
        for (name, c) in callbacks.iter_mut() {
            callback(c, &format!("{pointer}/callbacks/{}", escape(name)), cx);
        }
    }
}

/// A parameter or a header: a `schema` or a `content` map.
fn parameter(node: &mut Value, pointer: &str, cx: &mut Cx) {
    let Some(p) = node.as_object_mut() else {
        return;
    };
    if p.contains_key("$ref") {
        return;
    }
    if let Some(s) = p.get_mut("schema") {
        schema(s, &format!("{pointer}/schema"), Place::Alone, cx);
    }
    content(p, pointer, cx);
}

fn request_body(node: &mut Value, pointer: &str, cx: &mut Cx) {
    if let Some(b) = node.as_object_mut() {
        if !b.contains_key("$ref") {
            content(b, pointer, cx);
        }
    }
}

fn response(node: &mut Value, pointer: &str, cx: &mut Cx) {
    let Some(r) = node.as_object_mut() else {
        return;
    };
    if r.contains_key("$ref") {
        return;
    }
    if let Some(Value::Object(headers)) = r.get_mut("headers") {
        for (name, h) in headers.iter_mut() {
            parameter(h, &format!("{pointer}/headers/{}", escape(name)), cx);
        }
    }
    content(r, pointer, cx);
}

fn callback(node: &mut Value, pointer: &str, cx: &mut Cx) {
    if let Some(c) = node.as_object_mut() {
        if c.contains_key("$ref") {
            return;
        }
        for (expression, item) in c.iter_mut() {
            path_item(item, &format!("{pointer}/{}", escape(expression)), cx);
        }
    }
}

/// The `content` map of a parameter, header, request body or response.
fn content(owner: &mut Map<String, Value>, pointer: &str, cx: &mut Cx) {
    let Some(Value::Object(media)) = owner.get_mut("content") else {
        return;
    };
    for (kind, m) in media.iter_mut() {
        let at = format!("{pointer}/content/{}", escape(kind));
        let Some(m) = m.as_object_mut() else {
            continue;
        };
        if let Some(s) = m.get_mut("schema") {
            schema(s, &format!("{at}/schema"), Place::Alone, cx);
        }
        if let Some(Value::Object(encodings)) = m.get_mut("encoding") {
            for (field, e) in encodings.iter_mut() {
                if let Some(Value::Object(headers)) = e.get_mut("headers") {
                    for (name, h) in headers.iter_mut() {
                        let here =
                            format!("{at}/encoding/{}/headers/{}", escape(field), escape(name));
                        parameter(h, &here, cx);
                    }
                }
            }
        }
    }
}

/// One schema: its own keywords first, then its subschemas, then the rewrites that restructure
/// it (so warnings inside name pointers of the document as written).
pub(super) fn schema(node: &mut Value, pointer: &str, place: Place, cx: &mut Cx) {
    boolean_schema(node, pointer, cx);
    let Value::Object(map) = node else {
        return;
    };
    type_array_nullable(map);
    const_to_enum(map);
    exclusive_bounds(map);
    examples_to_example(map);
    content_encoding(map, pointer, cx);
    unevaluated_properties(map, pointer, cx);
    pattern_properties(map, pointer, cx);
    tuple_items(map, pointer, cx);
    unsupported_keywords(map, pointer, cx);
    schema_identity(map, pointer, cx);
    subschemas(map, pointer, cx);
    const_union_to_enum(map);
    type_union(map);
    ref_siblings(map, place, &cx.ref_types);
}

fn subschemas(map: &mut Map<String, Value>, pointer: &str, cx: &mut Cx) {
    for key in ["properties", "$defs", "definitions"] {
        if let Some(Value::Object(entries)) = map.get_mut(key) {
            for (name, s) in entries.iter_mut() {
                let at = format!("{pointer}/{key}/{}", escape(name));
                schema(s, &at, Place::Alone, cx);
            }
        }
    }
    for key in ["additionalProperties", "items", "not"] {
        match map.get_mut(key) {
            // `additionalProperties: true/false` means the same in 3.0.
            Some(Value::Bool(_)) if key == "additionalProperties" => {}
            Some(s) => schema(s, &format!("{pointer}/{key}"), Place::Alone, cx),
            None => {}
        }
    }
    for (key, place) in [
        ("allOf", Place::AllOfMember),
        ("anyOf", Place::UnionMember),
        ("oneOf", Place::UnionMember),
    ] {
        if let Some(Value::Array(members)) = map.get_mut(key) {
            for (i, s) in members.iter_mut().enumerate() {
                schema(s, &format!("{pointer}/{key}/{i}"), place, cx);
            }
        }
    }
}
