//! The rewrites of one schema's own keywords that 3.0 can carry: boolean schemas, type lists
//! with `null`, `const`, numeric exclusive bounds, `examples`, and content encodings.

use super::Cx;
use serde_json::{json, Map, Value};

/// `true` (anything) becomes `{}`; `false` (nothing) becomes `{not: {}}`, which the generator
/// does not check, so it is warned about.
pub(super) fn boolean_schema(node: &mut Value, pointer: &str, cx: &mut Cx) {
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
pub(super) fn type_array_nullable(map: &mut Map<String, Value>) {
    let Some(ty) = map.get("type") else {
        return;
    };
    if ty.as_str().is_some_and(|t| t != "null") {
        return;
    }
    let Some(list) = type_names(ty) else {
        return;
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

/// The types a `type` value names, as written: one for a string, the strings of a list;
/// `None` for any other value.
pub(super) fn type_names(ty: &Value) -> Option<Vec<String>> {
    match ty {
        Value::String(t) => Some(vec![t.clone()]),
        Value::Array(list) => Some(
            list.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
        ),
        _ => None,
    }
}

/// `const: v` becomes `enum: [v]` (a null `const` also makes the schema nullable).
pub(super) fn const_to_enum(map: &mut Map<String, Value>) {
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
pub(super) fn exclusive_bounds(map: &mut Map<String, Value>) {
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
pub(super) fn examples_to_example(map: &mut Map<String, Value>) {
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
pub(super) fn content_encoding(map: &mut Map<String, Value>, pointer: &str, cx: &mut Cx) {
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
