//! Enums and type lists: a union of documented `const`s becomes an `enum`, and a list of
//! several types becomes an `anyOf` of one schema per type, each with that type's keywords.

use serde_json::{Map, Value};

/// A `oneOf`/`anyOf` whose every member is one `const` with annotations (3.1's documented
/// enum) becomes an `enum` of the values; titles and descriptions are listed in the schema's
/// description. Runs after [`const_to_enum`] made each member a one-value `enum`.
pub(super) fn const_union_to_enum(map: &mut Map<String, Value>) {
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
pub(super) fn type_union(map: &mut Map<String, Value>) {
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
