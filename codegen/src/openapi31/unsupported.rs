//! The 3.1 keywords 3.0 cannot carry: read in the nearest 3.0 form where there is one
//! (`unevaluatedProperties`, one `patternProperties` entry), else ignored; every one warned
//! about with its pointer.

use super::document::is_known_dialect;
use super::Cx;
use crate::source::escape;
use serde_json::{Map, Value};

/// `unevaluatedProperties` on a schema without subschemas means `additionalProperties`; next to
/// `allOf`/`anyOf`/`oneOf`/`$ref` it cannot be carried and is ignored.
pub(super) fn unevaluated_properties(map: &mut Map<String, Value>, pointer: &str, cx: &mut Cx) {
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
pub(super) fn pattern_properties(map: &mut Map<String, Value>, pointer: &str, cx: &mut Cx) {
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
pub(super) fn tuple_items(map: &mut Map<String, Value>, pointer: &str, cx: &mut Cx) {
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
pub(super) fn unsupported_keywords(map: &mut Map<String, Value>, pointer: &str, cx: &mut Cx) {
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
pub(super) fn schema_identity(map: &mut Map<String, Value>, pointer: &str, cx: &mut Cx) {
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
