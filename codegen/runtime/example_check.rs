//! Support for the generated example tests (compiled only for tests): an example is decoded
//! into its type, encoded again, and must come back as it was, so a field the type does not
//! know (renamed, or missing from the description) fails instead of being dropped silently.

// The example tests that call these may all sit behind resource features that are off.
#![allow(dead_code)]

use crate::json::{FromJson, ToJson};
use serde_json::Value;

/// Decodes `json` into `T`, panicking with the failing field's path.
pub(crate) fn decode<T: FromJson>(json: &str, at: &str) -> T {
    match crate::json::from_slice(json.as_bytes()) {
        Ok(value) => value,
        Err(e) => panic!(
            "{at}: the example does not decode: {} at `{}`",
            e.message, e.path
        ),
    }
}

/// Decodes `json` as a response envelope whose `result` is a `T`, panicking with the failing
/// field's path.
pub(crate) fn decode_enveloped<T: FromJson>(json: &str, at: &str) -> T {
    match crate::response::decode_enveloped(json.as_bytes()) {
        Ok(value) => value,
        Err(e) => panic!(
            "{at}: the example does not decode: {} at `{}`",
            e.message, e.path
        ),
    }
}

/// Decodes `original` into `T`, encodes it again, and panics listing every difference.
pub(crate) fn round_trip<T: FromJson + ToJson>(original: &Value, at: &str) -> T {
    let value: T = decode(&original.to_string(), at);
    let encoded: Value = serde_json::from_slice(&crate::json::to_vec(&value))
        .unwrap_or_else(|e| panic!("{at}: the encoded value is not JSON: {e}"));
    let mut found = Vec::new();
    differences("", original, &encoded, &mut found);
    if !found.is_empty() {
        panic!(
            "{at}: the example does not survive decoding and encoding again:\n  {}",
            found.join("\n  ")
        );
    }
    value
}

/// Parses an example's JSON text.
pub(crate) fn parse(json: &str, at: &str) -> Value {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{at}: not JSON: {e}"))
}

fn differences(path: &str, original: &Value, encoded: &Value, out: &mut Vec<String>) {
    let here = if path.is_empty() { "the value" } else { path };
    match (original, encoded) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let at = format!("{path}.{key}");
                match b.get(key) {
                    Some(other) => differences(&at, value, other, out),
                    // An optional field sent as `null` reads as absent.
                    None if value.is_null() => {}
                    None => out.push(format!(
                        "`{}` was dropped: the type has no such field (renamed, or missing from the description?)",
                        at.trim_start_matches('.')
                    )),
                }
            }
            for (key, value) in b {
                if !a.contains_key(key) && !value.is_null() {
                    let at = format!("{path}.{key}");
                    out.push(format!(
                        "`{}` appeared: {value}",
                        at.trim_start_matches('.')
                    ));
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                differences(&format!("{path}[{i}]"), x, y, out);
            }
        }
        (Value::Number(a), Value::Number(b)) if same_number(a, b) => {}
        (Value::String(a), Value::String(b)) if a == b || same_instant(a, b) => {}
        (a, b) if a == b => {}
        (a, b) => out.push(format!("{here}: {a} came back as {b}")),
    }
}

/// Numbers compared exactly: integers as integers (so 2^64-1 and 2^64-2 differ), and an
/// integer equals a float only when the float is that integer.
fn same_number(a: &serde_json::Number, b: &serde_json::Number) -> bool {
    if let (Some(x), Some(y)) = (a.as_i64(), b.as_i64()) {
        return x == y;
    }
    if let (Some(x), Some(y)) = (a.as_u64(), b.as_u64()) {
        return x == y;
    }
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53: every integer below is exact in f64.
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y && x.abs() <= EXACT,
        _ => false,
    }
}

/// Two RFC 3339 date-times naming the same instant (`.12345Z` comes back as `.123450Z`).
fn same_instant(a: &str, b: &str) -> bool {
    match (
        chrono::DateTime::parse_from_rfc3339(a),
        chrono::DateTime::parse_from_rfc3339(b),
    ) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_are_found_exactly() {
        let mut out = Vec::new();
        let original: Value = serde_json::from_str(
            r#"{"a": 18446744073709551615, "b": null, "c": "2014-01-01T05:20:00.12345Z", "gone": 1, "n": 30}"#,
        )
        .unwrap();
        let encoded: Value = serde_json::from_str(
            r#"{"a": 18446744073709551614, "c": "2014-01-01T05:20:00.123450Z", "n": 30.0}"#,
        )
        .unwrap();
        differences("", &original, &encoded, &mut out);
        assert_eq!(out.len(), 2, "{out:?}");
        assert!(
            out[0].starts_with(".a: 18446744073709551615 came back as"),
            "{out:?}"
        );
        assert!(out[1].contains("`gone` was dropped"), "{out:?}");
    }
}
