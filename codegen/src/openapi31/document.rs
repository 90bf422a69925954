//! The document-level rewrites: what 3.1 allows at the root that 3.0 does not (no `paths`,
//! `webhooks`, a schema dialect, `mutualTLS`, path items behind a `$ref`), and what the schema
//! rewrites need to know about the whole document (the types each `$ref` leads to).

use super::rewrite::type_names;
use super::Cx;
use crate::source::{escape, follow, ref_of};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// `paths` is optional in 3.1; an empty one keeps the typed parse happy.
pub(super) fn default_paths(root: &mut Map<String, Value>, cx: &mut Cx) {
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
pub(super) fn ignore_webhooks(root: &mut Map<String, Value>, cx: &mut Cx) {
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
pub(super) fn check_dialect(root: &mut Map<String, Value>, cx: &mut Cx) {
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

pub(super) fn is_known_dialect(dialect: &str) -> bool {
    dialect.starts_with("https://spec.openapis.org/oas/3.1/dialect/")
        || dialect.trim_end_matches('#') == "https://json-schema.org/draft/2020-12/schema"
}

/// 3.1's `mutualTLS` security scheme has no 3.0 form; the client cannot present certificates.
pub(super) fn drop_mutual_tls(root: &mut Map<String, Value>, cx: &mut Cx) {
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
pub(super) fn path_item_targets(raw: &Value) -> Vec<(String, Value)> {
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
pub(super) fn inline_path_item_refs(root: &mut Map<String, Value>, targets: &[(String, Value)]) {
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
pub(super) fn ref_target_types(raw: &Value) -> HashMap<String, Vec<String>> {
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
pub(super) fn non_null_types(ty: &Value) -> Vec<String> {
    let mut types = type_names(ty).unwrap_or_default();
    types.retain(|t| t != "null");
    types.sort();
    types.dedup();
    types
}
