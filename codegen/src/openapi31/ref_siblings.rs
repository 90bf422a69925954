//! Keywords beside a `$ref`, which 3.1 allows and 3.0 ignores: dropped when they only
//! annotate, read as `nullable` or as an `allOf` when they constrain.

use super::document::non_null_types;
use super::Place;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

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
pub(super) fn ref_siblings(
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
