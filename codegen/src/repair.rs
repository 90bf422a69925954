//! Repairs, on the raw JSON before the typed parse, the defects real documents have that would
//! otherwise make the parse refuse the whole document over one node: each is tolerated in the
//! way the author evidently meant, with a located warning.
//!
//! | defect | read as |
//! |---|---|
//! | a parameter's `required` that is not a boolean (`required: "optional"`) | `true` for `"true"`, `"yes"` and `"required"`, else `false` |
//! | a document without `paths` (required in 3.0) | no operations: a types-only crate |
//! | an operation without `responses` (required in 3.0) | no documented response (the method returns `()`) |
//!
//! It runs after the 3.1 rewrite ([`crate::openapi31`], where a missing `responses` is legal
//! and filled in, `paths` with its own warning), so a 3.1 document is warned only about what 3.1 forbids too. What
//! still fails the parse inside one operation leaves that operation out
//! ([`crate::load`]).

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::source::{escape, HttpMethod};
use serde_json::{json, Map, Value};

/// Repairs every known defect in `raw`; one warning per repaired node, recorded in `warnings`
/// (the document's own diagnostics).
pub fn repair(raw: &mut Value, warnings: &mut Diagnostics) {
    missing_paths(raw, warnings);
    if let Some(Value::Object(params)) = raw.pointer_mut("/components/parameters") {
        for (name, param) in params.iter_mut() {
            let at = format!("#/components/parameters/{}", escape(name));
            parameter(param, &at, warnings);
        }
    }
    let Some(Value::Object(paths)) = raw.get_mut("paths") else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Value::Object(item) = item else {
            continue;
        };
        let at = format!("#/paths/{}", escape(path));
        parameters(item, &at, warnings);
        for (method, op) in item.iter_mut() {
            if HttpMethod::from_key(method).is_none() {
                continue;
            }
            let Value::Object(op) = op else {
                continue;
            };
            let at = format!("{at}/{}", escape(method));
            parameters(op, &at, warnings);
            missing_responses(op, &at, warnings);
        }
    }
}

/// A document without `paths` (a document of shared models): read as one with no operations.
fn missing_paths(raw: &mut Value, warnings: &mut Diagnostics) {
    let Value::Object(root) = raw else {
        return;
    };
    if root.contains_key("paths") {
        return;
    }
    root.insert("paths".into(), json!({}));
    warnings.push(
        Diagnostic::warning(
            "#",
            "the document has no `paths` (required in OpenAPI 3.0): the generated crate holds the types of its components and no operations",
        )
        .hint("nothing to do for a document of shared models; add the API's operations under `paths` to get methods"),
    );
}

/// The `parameters` list of a path item or operation.
fn parameters(owner: &mut Map<String, Value>, at: &str, warnings: &mut Diagnostics) {
    if let Some(Value::Array(params)) = owner.get_mut("parameters") {
        for (i, param) in params.iter_mut().enumerate() {
            parameter(param, &format!("{at}/parameters/{i}"), warnings);
        }
    }
}

/// One parameter (a `$ref` is repaired where it points).
fn parameter(param: &mut Value, at: &str, warnings: &mut Diagnostics) {
    let Value::Object(param) = param else {
        return;
    };
    let Some(required) = param.get("required") else {
        return;
    };
    if required.is_boolean() {
        return;
    }
    let read_as = matches!(
        required.as_str().map(str::to_ascii_lowercase).as_deref(),
        Some("true" | "yes" | "required")
    );
    warnings.push(
        Diagnostic::warning(
            format!("{at}/required"),
            format!("`required` is {required}, not a boolean; read as `{read_as}`"),
        )
        .hint(format!(
            "write `required: {read_as}` (or the other boolean)"
        )),
    );
    param.insert("required".into(), Value::Bool(read_as));
}

/// An operation without `responses`: read as one that documents none.
fn missing_responses(op: &mut Map<String, Value>, at: &str, warnings: &mut Diagnostics) {
    if op.contains_key("responses") {
        return;
    }
    op.insert("responses".into(), json!({}));
    warnings.push(
        Diagnostic::warning(
            at,
            "the operation has no `responses` (required in OpenAPI 3.0); read as documenting none: its method returns `()` and ignores the body",
        )
        .hint("add `responses` with the success status and its content"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The warnings [`super::repair`] records for `raw`.
    fn repair(raw: &mut Value) -> Vec<Diagnostic> {
        let mut warnings = Diagnostics::new();
        super::repair(raw, &mut warnings);
        warnings.into_vec()
    }

    #[test]
    fn a_string_for_required_is_read_as_the_boolean_it_means() {
        let mut raw = json!({"paths": {"/a": {
            "parameters": [{"name": "p", "in": "query", "required": "Required"}],
            "get": {"responses": {}, "parameters": [
                {"name": "q", "in": "query", "required": "optional"},
                {"name": "r", "in": "query", "required": true},
            ]},
        }}});
        let warnings = repair(&mut raw);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert_eq!(
            warnings[0].pointer.as_deref(),
            Some("#/paths/~1a/parameters/0/required")
        );
        assert_eq!(raw["paths"]["/a"]["parameters"][0]["required"], true);
        assert_eq!(
            raw["paths"]["/a"]["get"]["parameters"][0]["required"],
            false
        );
        assert!(warnings[1].message.contains("\"optional\""), "{warnings:?}");
    }

    #[test]
    fn a_document_without_paths_has_no_operations() {
        let mut raw = json!({"openapi": "3.0.3", "components": {}});
        let warnings = repair(&mut raw);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(raw["paths"], json!({}));
        assert!(repair(&mut raw).is_empty(), "repaired once");
    }

    #[test]
    fn an_operation_without_responses_documents_none() {
        let mut raw = json!({"paths": {"/a": {"get": {}, "post": {"responses": {}}}}});
        let warnings = repair(&mut raw);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(warnings[0].pointer.as_deref(), Some("#/paths/~1a/get"));
        assert_eq!(raw["paths"]["/a"]["get"]["responses"], json!({}));
    }
}
