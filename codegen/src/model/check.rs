//! Cross-cutting checks, run as one pass over the finished operations: what no single
//! operation can see on its own. Each finding is a warning; the crate is still generated.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::{escape, Spec};
use serde_json::Value;
use std::collections::BTreeMap;

/// Runs every check.
pub(super) fn run(spec: &Spec, diags: &mut Diagnostics) {
    duplicate_operation_ids(spec, diags);
    response_keys(spec, diags);
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Every operation of the raw document: its pointer and node.
fn raw_operations(spec: &Spec) -> Vec<(String, &Value)> {
    let Some(paths) = spec.raw.get("paths").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (path, item) in paths {
        for method in METHODS {
            if let Some(op) = item.get(method) {
                out.push((format!("#/paths/{}/{method}", escape(path)), op));
            }
        }
    }
    out
}

/// An operationId must be unique in the document (OpenAPI requires it; tools key on it).
fn duplicate_operation_ids(spec: &Spec, diags: &mut Diagnostics) {
    let mut first: BTreeMap<&str, String> = BTreeMap::new();
    for (pointer, op) in raw_operations(spec) {
        let Some(id) = op.get("operationId").and_then(Value::as_str) else {
            continue;
        };
        match first.get(id) {
            Some(earlier) => diags.push(
                Diagnostic::warning(
                    format!("{pointer}/operationId"),
                    format!("operationId {id:?} is also used by {earlier}"),
                )
                .hint("give every operation its own operationId"),
            ),
            None => {
                first.insert(id, pointer);
            }
        }
    }
}

/// Response keys are status codes (`200`), ranges (`2XX`) or `default`.
fn response_keys(spec: &Spec, diags: &mut Diagnostics) {
    for (pointer, op) in raw_operations(spec) {
        let Some(responses) = op.get("responses").and_then(Value::as_object) else {
            continue;
        };
        for key in responses.keys() {
            if !is_response_key(key) && !key.starts_with("x-") {
                diags.push(
                    Diagnostic::warning(
                        format!("{pointer}/responses/{}", escape(key)),
                        format!("response key {key:?} is neither a status code, a range like `2XX`, nor `default`; the response is ignored"),
                    )
                    .hint("use a three-digit status code"),
                );
            }
        }
    }
}

fn is_response_key(key: &str) -> bool {
    let bytes = key.as_bytes();
    key == "default"
        || (bytes.len() == 3
            && (b'1'..=b'5').contains(&bytes[0])
            && (bytes[1..].iter().all(u8::is_ascii_digit)
                || bytes[1..].eq_ignore_ascii_case(b"XX")))
}

#[cfg(test)]
mod tests {
    use super::is_response_key;

    #[test]
    fn response_keys_are_codes_ranges_or_default() {
        for ok in ["200", "404", "2XX", "5xx", "default"] {
            assert!(is_response_key(ok), "{ok}");
        }
        for bad in ["abcdef", "20", "2000", "6XX", "2X0", ""] {
            assert!(!is_response_key(bad), "{bad}");
        }
    }
}
