//! OpenAPI 3.1 read as 3.0: one JSON-to-JSON pass over the raw document that rewrites the 3.1
//! schema dialect (JSON Schema 2020-12) and the 3.1 document shape into the 3.0 shapes the rest
//! of the generator reads, with a warning for every 3.1 feature it cannot carry.
//!
//! It runs only on documents that declare `openapi: 3.1.x`, after overlays and the `$ref` check
//! and before the typed parse; a 3.0 document is never touched. Each rewrite is one small
//! function over one schema (or the document root):
//!
//! | 3.1 | read as |
//! |---|---|
//! | `type: [T, "null"]` | `type: T`, `nullable: true` |
//! | `type: "null"` (or `["null"]`) | `enum: [null]`, `nullable: true` (a null-only schema) |
//! | `type: [T1, T2, ...]` | `anyOf` of one schema per type, each with that type's keywords and `enum` values; `integer` is dropped next to `number` |
//! | `const: v` | `enum: [v]` |
//! | `oneOf`/`anyOf` whose members are only a `const` each (a documented enum) | `enum` of the values, the members' titles and descriptions listed in the description |
//! | `exclusiveMinimum: n` (a number) | `minimum: n`, `exclusiveMinimum: true` (whichever bound is stricter) |
//! | `examples: [a, ...]` on a schema | `example: a` |
//! | `contentEncoding: base64` / `binary`, `contentMediaType` of binary content | `format: byte` / `binary` |
//! | `$ref` with annotation siblings (`description`, `title`, `default`, `example`, ...) | the bare `$ref`, as 3.0 reads it: the referenced schema keeps its own name and docs |
//! | `$ref` with `nullable: true` | `anyOf: [{$ref}]` with `nullable: true` (the same type, optional) |
//! | `$ref` with constraint or structure siblings (`properties`, `maxLength`, ...) | `allOf: [{$ref}, ...]` with the siblings beside it |
//! | `unevaluatedProperties` with no subschemas | `additionalProperties` (the same meaning there) |
//! | `patternProperties` with one pattern, no `properties` | `additionalProperties` of its schema (keys unchecked; warned) |
//! | boolean schemas `true` / `false` | `{}` / `{not: {}}` (warned) |
//! | `paths` missing, `responses` missing | empty (warned when `paths` is missing) |
//! | path items that `$ref` `components.pathItems` | the referenced path item, inlined |
//! | `mutualTLS` security schemes | left out (warned) |
//!
//! Not supported, warned about with the pointer and otherwise ignored: `prefixItems` and tuple
//! `items` (the items become any JSON value), `if`/`then`/`else`, `dependentSchemas`,
//! `dependentRequired`, `unevaluatedProperties` next to subschemas, `unevaluatedItems`,
//! `contains`, `propertyNames`, `$dynamicRef`, `$id`, other `contentEncoding`s, a non-default
//! `jsonSchemaDialect` or `$schema`, and `webhooks`. `$defs` are read like any schema, so `$ref`s
//! into them work. Documents that declare 3.1 but use 3.0's `nullable` and boolean
//! `exclusiveMinimum` keep working: those are left as they are.

use crate::diagnostic::Diagnostic;
use crate::source::{escape, follow, ref_of, HttpMethod};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// Whether the document declares OpenAPI 3.1.
pub fn is_openapi_31(raw: &Value) -> bool {
    raw.get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v == "3.1" || v.starts_with("3.1."))
}

/// Rewrites a 3.1 document in place into 3.0 shapes; returns the warnings (pointers into the
/// document as written, no file set).
pub fn normalize(raw: &mut Value) -> Vec<Diagnostic> {
    let mut cx = Cx {
        warnings: Vec::new(),
        ref_types: ref_target_types(raw),
    };
    let path_items = path_item_targets(raw);
    let Some(root) = raw.as_object_mut() else {
        return cx.warnings;
    };
    default_paths(root, &mut cx);
    ignore_webhooks(root, &mut cx);
    check_dialect(root, &mut cx);
    drop_mutual_tls(root, &mut cx);
    inline_path_item_refs(root, &path_items);
    walk_document(root, &mut cx);
    cx.warnings
}

/// What the walk carries: the warnings so far and, for each `$ref` target, its types.
struct Cx {
    warnings: Vec<Diagnostic>,
    /// `$ref` string -> the non-null types of the schema it leads to (chains followed).
    ref_types: HashMap<String, Vec<String>>,
}

impl Cx {
    fn warn(&mut self, pointer: &str, message: impl Into<String>, hint: &str) {
        self.warnings
            .push(Diagnostic::warning(pointer, message).hint(hint));
    }
}

/// Where a schema sits: alone, or as a member of an `allOf` or a `oneOf`/`anyOf` list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Alone,
    AllOfMember,
    UnionMember,
}

// ---------------------------------------------------------------------------------------------
// Document level

/// `paths` is optional in 3.1; an empty one keeps the typed parse happy.
fn default_paths(root: &mut Map<String, Value>, cx: &mut Cx) {
    if !root.contains_key("paths") {
        root.insert("paths".into(), json!({}));
        cx.warn(
            "#",
            "the document has no `paths`: the generated crate holds the types of its components and no operations",
            "nothing to do for a document of shared models; add the API's operations under `paths` to get methods",
        );
    }
}

/// Webhooks are requests the API sends, not calls a client makes.
fn ignore_webhooks(root: &mut Map<String, Value>, cx: &mut Cx) {
    if let Some(Value::Object(hooks)) = root.get("webhooks") {
        if !hooks.is_empty() {
            let names: Vec<&str> = hooks.keys().map(String::as_str).take(5).collect();
            let more = if hooks.len() > 5 { ", ..." } else { "" };
            cx.warn(
                "#/webhooks",
                format!(
                    "{} webhook(s) ({}{more}) are ignored: the generated client makes calls, it does not receive them",
                    hooks.len(),
                    names.join(", ")
                ),
                "nothing to do for the client; serve webhooks with your own HTTP handler",
            );
        }
    }
}

/// Schemas are read as the OpenAPI 3.1 dialect whatever `jsonSchemaDialect` says.
fn check_dialect(root: &mut Map<String, Value>, cx: &mut Cx) {
    if let Some(dialect) = root.get("jsonSchemaDialect").and_then(Value::as_str) {
        if !is_known_dialect(dialect) {
            cx.warn(
                "#/jsonSchemaDialect",
                format!(
                    "schemas declare the dialect {dialect:?}; they are read as the OpenAPI 3.1 dialect"
                ),
                "remove `jsonSchemaDialect` or check that the schemas mean the same in the OpenAPI 3.1 dialect",
            );
        }
    }
}

fn is_known_dialect(dialect: &str) -> bool {
    dialect.starts_with("https://spec.openapis.org/oas/3.1/dialect/")
        || dialect.trim_end_matches('#') == "https://json-schema.org/draft/2020-12/schema"
}

/// 3.1's `mutualTLS` security scheme has no 3.0 form; the client cannot present certificates.
fn drop_mutual_tls(root: &mut Map<String, Value>, cx: &mut Cx) {
    let Some(Value::Object(schemes)) = root
        .get_mut("components")
        .and_then(|c| c.get_mut("securitySchemes"))
    else {
        return;
    };
    let mutual: Vec<String> = schemes
        .iter()
        .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("mutualTLS"))
        .map(|(name, _)| name.clone())
        .collect();
    for name in mutual {
        schemes.shift_remove(&name);
        cx.warn(
            &format!("#/components/securitySchemes/{}", escape(&name)),
            format!("the mutualTLS security scheme {name:?} is left out: the generated client does not present client certificates"),
            "configure the certificate on your own HTTP client, or remove the scheme",
        );
    }
}

/// Every path item under `paths` that is a `$ref`, with the node it leads to (chains followed;
/// one that loops or dangles is left as it is).
fn path_item_targets(raw: &Value) -> Vec<(String, Value)> {
    let Some(paths) = raw.get("paths").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (path, item) in paths {
        let Some(reference) = ref_of(item) else {
            continue;
        };
        if let Ok(target) = follow(raw, reference) {
            if target.node.is_object() && target.node.get("$ref").is_none() {
                out.push((path.clone(), target.node.clone()));
            }
        }
    }
    out
}

/// Path items that `$ref` another (3.1's `components.pathItems`) are replaced by it; the
/// reference's own `summary` and `description` win.
fn inline_path_item_refs(root: &mut Map<String, Value>, targets: &[(String, Value)]) {
    let Some(Value::Object(paths)) = root.get_mut("paths") else {
        return;
    };
    for (path, target) in targets {
        if let Some(Value::Object(item)) = paths.get_mut(path) {
            let mut inlined = target.as_object().cloned().unwrap_or_default();
            for key in ["summary", "description"] {
                if let Some(v) = item.get(key) {
                    inlined.insert(key.into(), v.clone());
                }
            }
            *item = inlined;
        }
    }
}

/// The non-null types of every `$ref` target, for telling a redundant `type` sibling.
fn ref_target_types(raw: &Value) -> HashMap<String, Vec<String>> {
    fn collect<'a>(node: &'a Value, refs: &mut Vec<&'a str>) {
        match node {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    refs.push(r);
                }
                map.values().for_each(|v| collect(v, refs));
            }
            Value::Array(items) => items.iter().for_each(|v| collect(v, refs)),
            _ => {}
        }
    }
    let mut refs = Vec::new();
    collect(raw, &mut refs);
    let mut out = HashMap::new();
    for r in refs {
        if out.contains_key(r) {
            continue;
        }
        let node = follow(raw, r).ok().map(|t| t.node);
        if let Some(types) = node.and_then(|n| n.get("type")).map(non_null_types) {
            out.insert(r.to_owned(), types);
        }
    }
    out
}

/// The types a `type` value names, without `null`, sorted.
fn non_null_types(ty: &Value) -> Vec<String> {
    let mut types: Vec<String> = match ty {
        Value::String(t) => vec![t.clone()],
        Value::Array(list) => list
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    };
    types.retain(|t| t != "null");
    types.sort();
    types.dedup();
    types
}

// ---------------------------------------------------------------------------------------------
// Where schemas are

fn walk_document(root: &mut Map<String, Value>, cx: &mut Cx) {
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
fn schema(node: &mut Value, pointer: &str, place: Place, cx: &mut Cx) {
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

// ---------------------------------------------------------------------------------------------
// Rewrites of one schema

/// `true` (anything) becomes `{}`; `false` (nothing) becomes `{not: {}}`, which the generator
/// does not check, so it is warned about.
fn boolean_schema(node: &mut Value, pointer: &str, cx: &mut Cx) {
    match node {
        Value::Bool(true) => *node = json!({}),
        Value::Bool(false) => {
            *node = json!({"not": {}});
            cx.warn(
                pointer,
                "the schema `false` (no value is valid) is not checked: any value is accepted here",
                "remove the property or item the schema `false` forbids",
            );
        }
        _ => {}
    }
}

/// `type: [T, "null"]` becomes `type: T` and `nullable: true`; `type: "null"` becomes a
/// null-only schema (`enum: [null]`); several non-null types stay a list for [`type_union`];
/// `integer` next to `number` is dropped (every integer is a number).
fn type_array_nullable(map: &mut Map<String, Value>) {
    let Some(ty) = map.get("type") else {
        return;
    };
    let list: Vec<String> = match ty {
        Value::String(t) if t != "null" => return,
        Value::String(t) => vec![t.clone()],
        Value::Array(list) => list
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => return,
    };
    let null = list.iter().any(|t| t == "null");
    let mut types: Vec<String> = Vec::new();
    for t in list {
        if t != "null" && !types.contains(&t) {
            types.push(t);
        }
    }
    if types.iter().any(|t| t == "number") {
        types.retain(|t| t != "integer");
    }
    if null {
        map.insert("nullable".into(), Value::Bool(true));
    }
    match types.as_slice() {
        [] => {
            map.shift_remove("type");
            if null && !map.contains_key("enum") && !map.contains_key("const") {
                map.insert("enum".into(), json!([null]));
            }
        }
        [one] => {
            map.insert("type".into(), Value::String(one.clone()));
        }
        _ => {
            map.insert(
                "type".into(),
                Value::Array(types.into_iter().map(Value::String).collect()),
            );
        }
    }
}

/// `const: v` becomes `enum: [v]` (a null `const` also makes the schema nullable).
fn const_to_enum(map: &mut Map<String, Value>) {
    if let Some(value) = map.shift_remove("const") {
        if value.is_null() {
            map.insert("nullable".into(), Value::Bool(true));
        }
        map.insert("enum".into(), json!([value]));
    }
}

/// 3.1's numeric `exclusiveMinimum: n` becomes 3.0's `minimum: n` + `exclusiveMinimum: true`
/// when it is the stricter bound (else it is dropped: `minimum` already says more); the same
/// for the maximum. On an integer schema a fractional exclusive bound becomes the inclusive
/// integer bound it implies. Boolean (3.0-style) bounds are left as they are.
fn exclusive_bounds(map: &mut Map<String, Value>) {
    let integer = map.get("type").and_then(Value::as_str) == Some("integer");
    for (exclusive, inclusive, lower) in [
        ("exclusiveMinimum", "minimum", true),
        ("exclusiveMaximum", "maximum", false),
    ] {
        let Some(Value::Number(bound)) = map.get(exclusive).cloned() else {
            continue;
        };
        let b = bound.as_f64().unwrap_or(0.0);
        let stricter = match map.get(inclusive).and_then(Value::as_f64) {
            Some(m) if lower => b >= m,
            Some(m) => b <= m,
            None => true,
        };
        if !stricter {
            map.shift_remove(exclusive);
        } else if integer && b.fract() != 0.0 && b.is_finite() {
            let whole = if lower { b.floor() + 1.0 } else { b.floor() };
            map.shift_remove(exclusive);
            map.insert(inclusive.into(), json!(whole as i64));
        } else {
            map.insert(inclusive.into(), Value::Number(bound));
            map.insert(exclusive.into(), Value::Bool(true));
        }
    }
}

/// A schema's `examples` list gives its first entry as `example` (unless it has one).
fn examples_to_example(map: &mut Map<String, Value>) {
    if let Some(Value::Array(list)) = map.get("examples") {
        let first = list.first().cloned();
        map.shift_remove("examples");
        if let (Some(first), false) = (first, map.contains_key("example")) {
            map.insert("example".into(), first);
        }
    }
}

/// `contentEncoding` and `contentMediaType` say how a string carries bytes: base64 is 3.0's
/// `format: byte`, raw binary content is `format: binary`; a text media type stays a string.
fn content_encoding(map: &mut Map<String, Value>, pointer: &str, cx: &mut Cx) {
    let encoding = map.shift_remove("contentEncoding");
    let media = map.shift_remove("contentMediaType");
    if encoding.is_none() && media.is_none() {
        return;
    }
    let format = match (
        encoding.as_ref().and_then(Value::as_str),
        media.as_ref().and_then(Value::as_str),
    ) {
        (Some("base64" | "base64url"), _) => Some("byte"),
        (Some("binary"), _) => Some("binary"),
        (Some("7bit" | "8bit"), _) => None,
        (Some(other), _) => {
            cx.warn(
                &format!("{pointer}/contentEncoding"),
                format!("contentEncoding {other:?} is not supported: the value is read as a plain string"),
                "decode the string yourself, or use base64 (read as bytes)",
            );
            None
        }
        (None, Some(media)) if is_text_media(media) => None,
        (None, Some(_)) => Some("binary"),
        (None, None) => None,
    };
    let string = map.get("type").and_then(Value::as_str) == Some("string");
    if let (Some(format), true, false) = (format, string, map.contains_key("format")) {
        map.insert("format".into(), Value::String(format.into()));
    }
}

fn is_text_media(media: &str) -> bool {
    let media = media.to_ascii_lowercase();
    media.starts_with("text/")
        || media.contains("json")
        || media.contains("xml")
        || media.starts_with("application/x-www-form-urlencoded")
}

/// `unevaluatedProperties` on a schema without subschemas means `additionalProperties`; next to
/// `allOf`/`anyOf`/`oneOf`/`$ref` it cannot be carried and is ignored.
fn unevaluated_properties(map: &mut Map<String, Value>, pointer: &str, cx: &mut Cx) {
    if !map.contains_key("unevaluatedProperties") {
        return;
    }
    let subschemas = [
        "allOf",
        "anyOf",
        "oneOf",
        "$ref",
        "if",
        "dependentSchemas",
        "patternProperties",
        "additionalProperties",
    ];
    if subschemas.iter().any(|k| map.contains_key(*k)) {
        map.shift_remove("unevaluatedProperties");
        cx.warn(
            &format!("{pointer}/unevaluatedProperties"),
            "`unevaluatedProperties` next to subschemas is not supported and is ignored: properties no subschema names are accepted",
            "use `additionalProperties` on the schema that lists the properties",
        );
    } else if let Some(u) = map.shift_remove("unevaluatedProperties") {
        map.insert("additionalProperties".into(), u);
    }
}

/// One `patternProperties` entry on a schema without `properties` becomes `additionalProperties`
/// (a map whose keys are not checked against the pattern); anything else is ignored. Both warn.
fn pattern_properties(map: &mut Map<String, Value>, pointer: &str, cx: &mut Cx) {
    let Some(patterns) = map.shift_remove("patternProperties") else {
        return;
    };
    let at = format!("{pointer}/patternProperties");
    let single = match &patterns {
        Value::Object(p) if p.len() == 1 => p.iter().next(),
        _ => None,
    };
    match single {
        Some((pattern, s))
            if !map.contains_key("properties") && !map.contains_key("additionalProperties") =>
        {
            map.insert("additionalProperties".into(), s.clone());
            cx.warn(
                &at,
                format!("`patternProperties` is read as a map whose keys are not checked against {pattern:?}"),
                "check the keys yourself if they matter",
            );
        }
        _ => cx.warn(
            &at,
            "`patternProperties` is not supported here and is ignored: properties matching the patterns are not typed",
            "describe the properties under `properties`, or use one pattern on a schema with no `properties`",
        ),
    }
}

/// Tuples (`prefixItems`, or a list under `items`) cannot be carried: the items become any
/// JSON value.
fn tuple_items(map: &mut Map<String, Value>, pointer: &str, cx: &mut Cx) {
    let (at, what) = if map.contains_key("prefixItems") {
        ("prefixItems", "`prefixItems` (a tuple)")
    } else if map.get("items").is_some_and(Value::is_array) {
        ("items", "a list under `items` (a tuple)")
    } else {
        return;
    };
    map.shift_remove("prefixItems");
    map.shift_remove("items");
    cx.warn(
        &format!("{pointer}/{at}"),
        format!("{what} is not supported: the array's items are read as any JSON value"),
        "describe every item with one schema under `items`",
    );
}

/// Keywords with no 3.0 form and no sensible rewrite: warned about, left for nothing to read.
fn unsupported_keywords(map: &mut Map<String, Value>, pointer: &str, cx: &mut Cx) {
    const UNSUPPORTED: [(&str, &str); 9] = [
        ("if", "conditional subschemas (`if`/`then`/`else`) are not supported and are ignored: values are checked against the rest of the schema only"),
        ("dependentSchemas", "`dependentSchemas` is not supported and is ignored"),
        ("dependentRequired", "`dependentRequired` is not supported and is ignored: the dependent properties are not required"),
        ("unevaluatedItems", "`unevaluatedItems` is not supported and is ignored"),
        ("contains", "`contains` is not supported and is ignored: the array's items are not checked for it"),
        ("propertyNames", "`propertyNames` is not supported and is ignored: keys are not checked"),
        ("$dynamicRef", "`$dynamicRef` is not supported and is ignored: the schema is read without it"),
        ("$recursiveRef", "`$recursiveRef` is not supported and is ignored: the schema is read without it"),
        ("additionalItems", "`additionalItems` is not supported and is ignored"),
    ];
    for (key, message) in UNSUPPORTED {
        if map.contains_key(key) {
            cx.warn(
                &format!("{pointer}/{}", escape(key)),
                message,
                "nothing to do if the generated type is acceptable; otherwise rewrite the schema with an overlay",
            );
        }
    }
    if !map.contains_key("if") && (map.contains_key("then") || map.contains_key("else")) {
        cx.warn(
            pointer,
            "`then`/`else` without `if` are ignored",
            "remove them, or add the `if` they belong to",
        );
    }
}

/// `$id` would change how `$ref`s inside resolve, and `$schema` can name another dialect;
/// neither is followed.
fn schema_identity(map: &mut Map<String, Value>, pointer: &str, cx: &mut Cx) {
    if let Some(id) = map.get("$id").and_then(Value::as_str) {
        cx.warn(
            &format!("{pointer}/$id"),
            format!("`$id` {id:?} is ignored: `$ref`s inside this schema are resolved against the whole document"),
            "write `$ref`s as pointers from the document root (`#/components/schemas/...`)",
        );
    }
    if let Some(dialect) = map.get("$schema").and_then(Value::as_str) {
        if !is_known_dialect(dialect) {
            cx.warn(
                &format!("{pointer}/$schema"),
                format!("the schema declares the dialect {dialect:?}; it is read as the OpenAPI 3.1 dialect"),
                "remove `$schema` or check that the schema means the same in the OpenAPI 3.1 dialect",
            );
        }
    }
}

/// A `oneOf`/`anyOf` whose every member is one `const` with annotations (3.1's documented
/// enum) becomes an `enum` of the values; titles and descriptions are listed in the schema's
/// description. Runs after [`const_to_enum`] made each member a one-value `enum`.
fn const_union_to_enum(map: &mut Map<String, Value>) {
    const MEMBER_KEYS: [&str; 6] = [
        "enum",
        "title",
        "description",
        "deprecated",
        "type",
        "$comment",
    ];
    let key = match (map.get("oneOf"), map.get("anyOf")) {
        (Some(_), None) => "oneOf",
        (None, Some(_)) => "anyOf",
        _ => return,
    };
    if map.contains_key("enum") || map.contains_key("$ref") || map.contains_key("properties") {
        return;
    }
    let Some(Value::Array(members)) = map.get(key) else {
        return;
    };
    let mut values = Vec::new();
    let mut lines = Vec::new();
    for m in members {
        let Some(m) = m.as_object() else { return };
        let Some(Value::Array(one)) = m.get("enum") else {
            return;
        };
        if one.len() != 1
            || one[0].is_null()
            || !m
                .keys()
                .all(|k| MEMBER_KEYS.contains(&k.as_str()) || k.starts_with("x-"))
        {
            return;
        }
        let value = &one[0];
        let shown = match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let title = m
            .get("title")
            .and_then(Value::as_str)
            .filter(|t| *t != shown);
        let description = m.get("description").and_then(Value::as_str);
        let text = match (title, description) {
            (Some(t), Some(d)) => format!("{t}: {d}"),
            (Some(t), None) => t.to_owned(),
            (None, Some(d)) => d.to_owned(),
            (None, None) => String::new(),
        };
        if !text.is_empty() {
            // One line per value, so a multi-line description does not break the list.
            lines.push(format!(
                "- `{shown}`: {}",
                text.split_whitespace().collect::<Vec<_>>().join(" ")
            ));
        }
        values.push(value.clone());
    }
    let Some(ty) = value_type(&values) else {
        return;
    };
    if map
        .get("type")
        .and_then(Value::as_str)
        .is_some_and(|t| t != ty && !(t == "number" && ty == "integer"))
    {
        return;
    }
    map.shift_remove(key);
    map.entry("type")
        .or_insert_with(|| Value::String(ty.into()));
    map.insert("enum".into(), Value::Array(values));
    if !lines.is_empty() {
        let list = lines.join("\n");
        let description = match map.get("description").and_then(Value::as_str) {
            Some(d) => format!("{d}\n\n{list}"),
            None => list,
        };
        map.insert("description".into(), Value::String(description));
    }
}

/// The one JSON Schema type every value has, if they share one.
fn value_type(values: &[Value]) -> Option<&'static str> {
    let of = |v: &Value| match v {
        Value::String(_) => Some("string"),
        Value::Bool(_) => Some("boolean"),
        Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
        Value::Number(_) => Some("number"),
        _ => None,
    };
    let mut ty = of(values.first()?)?;
    for v in values {
        match (ty, of(v)?) {
            (a, b) if a == b => {}
            ("integer", "number") | ("number", "integer") => ty = "number",
            _ => return None,
        }
    }
    Some(ty)
}

/// Keywords that apply to one JSON type only.
fn keywords_of(ty: &str) -> &'static [&'static str] {
    match ty {
        "string" => &["minLength", "maxLength", "pattern"],
        "integer" | "number" => &[
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
        "array" => &["items", "minItems", "maxItems", "uniqueItems"],
        "object" => &[
            "properties",
            "required",
            "additionalProperties",
            "minProperties",
            "maxProperties",
        ],
        _ => &[],
    }
}

fn value_fits(ty: &str, v: &Value) -> bool {
    match ty {
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64() || v.as_f64().is_some_and(|f| f.fract() == 0.0),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        _ => false,
    }
}

fn format_fits(ty: &str, format: &str) -> bool {
    let numeric = matches!(format, "int32" | "int64" | "float" | "double");
    match ty {
        "integer" => matches!(format, "int32" | "int64"),
        "number" => numeric,
        "string" => !numeric,
        _ => false,
    }
}

/// `type: [T1, T2, ...]` (several non-null types) becomes `anyOf` of one schema per type,
/// each carrying that type's keywords, `format` and `enum` values (a type no `enum` value has
/// is left out). Next to an existing `oneOf`/`anyOf`, the members already say the shapes, so
/// the type list is dropped.
fn type_union(map: &mut Map<String, Value>) {
    let Some(Value::Array(types)) = map.get("type") else {
        return;
    };
    let types: Vec<String> = types
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    map.shift_remove("type");
    if map.contains_key("oneOf") || map.contains_key("anyOf") {
        return;
    }
    let format = map.get("format").and_then(Value::as_str).map(str::to_owned);
    let values = match map.get("enum") {
        Some(Value::Array(values)) => Some(values.clone()),
        _ => None,
    };
    let mut members = Vec::new();
    for ty in &types {
        let mut member = Map::new();
        member.insert("type".into(), Value::String(ty.clone()));
        if let Some(f) = format.as_deref().filter(|f| format_fits(ty, f)) {
            member.insert("format".into(), Value::String(f.to_owned()));
        }
        for key in keywords_of(ty) {
            if let Some(v) = map.get(*key) {
                member.insert((*key).into(), v.clone());
            }
        }
        if let Some(values) = &values {
            let fitting: Vec<Value> = values
                .iter()
                .filter(|v| value_fits(ty, v))
                .cloned()
                .collect();
            if fitting.is_empty() {
                continue;
            }
            member.insert("enum".into(), Value::Array(fitting));
        }
        members.push(member);
    }
    for ty in &types {
        for key in keywords_of(ty) {
            map.shift_remove(*key);
        }
    }
    if members.is_empty() {
        // No type admits any `enum` value: leave the list of values to say what is allowed.
        return;
    }
    map.shift_remove("enum");
    if format
        .as_deref()
        .is_some_and(|f| types.iter().any(|t| format_fits(t, f)))
    {
        map.shift_remove("format");
    }
    if members.len() == 1 {
        map.extend(members.remove(0));
    } else {
        map.insert(
            "anyOf".into(),
            Value::Array(members.into_iter().map(Value::Object).collect()),
        );
    }
}

/// Annotations: keywords that describe a value without constraining it.
const ANNOTATIONS: [&str; 12] = [
    "description",
    "title",
    "summary",
    "deprecated",
    "readOnly",
    "writeOnly",
    "example",
    "examples",
    "default",
    "externalDocs",
    "$comment",
    "xml",
];

/// 3.1 allows keywords beside `$ref`; 3.0 ignores them. Annotations only: the bare `$ref` (the
/// referenced schema keeps its name and docs). `nullable: true`: `anyOf: [{$ref}]` with
/// `nullable` (the same type, optional; not inside an `allOf`, where it means nothing).
/// Constraints or structure: `allOf: [{$ref}, ...]` with the siblings beside it. A `type` equal
/// to the referenced schema's counts as an annotation.
fn ref_siblings(
    map: &mut Map<String, Value>,
    place: Place,
    ref_types: &HashMap<String, Vec<String>>,
) {
    let Some(Value::String(target)) = map.get("$ref") else {
        return;
    };
    if map.len() == 1 {
        return;
    }
    let target = target.clone();
    let redundant_type = map
        .get("type")
        .is_some_and(|t| ref_types.get(&target) == Some(&non_null_types(t)));
    if redundant_type {
        map.shift_remove("type");
    }
    let structural = map.keys().any(|k| {
        k != "$ref" && k != "nullable" && !ANNOTATIONS.contains(&k.as_str()) && !k.starts_with("x-")
    });
    if structural {
        let all_of = map
            .entry("allOf")
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(members) = all_of {
            members.insert(0, json!({ "$ref": target }));
            map.shift_remove("$ref");
        }
        return;
    }
    let nullable = map.get("nullable") == Some(&Value::Bool(true));
    if nullable && place != Place::AllOfMember {
        map.shift_remove("$ref");
        map.retain(|k, _| k == "nullable" || k == "description" || k == "title");
        map.insert("anyOf".into(), json!([{ "$ref": target }]));
    } else {
        map.retain(|k, _| k == "$ref");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let mut m =
            obj(json!({"type": "integer", "exclusiveMinimum": 1.5, "exclusiveMaximum": 9.5}));
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
        let mut m =
            obj(json!({"type": "object", "properties": {}, "unevaluatedProperties": false}));
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
        let mut m =
            obj(json!({"type": "object", "patternProperties": {"^x-": {"type": "string"}}}));
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
        let mut m = obj(
            json!({"$id": "https://x/a", "$schema": "http://json-schema.org/draft-07/schema#"}),
        );
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
        let props =
            &item["post"]["requestBody"]["content"]["application/json"]["schema"]["properties"];
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
}
