//! OpenAPI 3.1 read as 3.0: one JSON-to-JSON pass over the raw document that rewrites the 3.1
//! schema dialect (JSON Schema 2020-12) and the 3.1 document shape into the 3.0 shapes the rest
//! of the generator reads, with a warning for every 3.1 feature it cannot carry.
//!
//! It runs only on documents that declare `openapi: 3.1.x`, after overlays and the `$ref` check
//! and before the typed parse; a 3.0 document is never touched. Each rewrite is one small
//! function over one schema (or the document root), called in order from one table (`schema`
//! in `walk.rs`):
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
//!
//! The files, by concern:
//! - `document.rs`: the document root (`paths`, `webhooks`, the dialect, `mutualTLS`, path items
//!   behind a `$ref`) and the types each `$ref` leads to;
//! - `walk.rs`: where schemas are, and the table of rewrites applied to each;
//! - `rewrite.rs`: one schema's own keywords (booleans, type lists with `null`, `const`, bounds,
//!   `examples`, content encodings);
//! - `unions.rs`: unions of `const`s as enums, type lists as `anyOf`;
//! - `ref_siblings.rs`: keywords beside a `$ref`;
//! - `unsupported.rs`: what 3.0 cannot carry, warned about;
//! - `tests.rs`: the unit tests.

mod document;
mod ref_siblings;
mod rewrite;
#[cfg(test)]
mod tests;
mod unions;
mod unsupported;
mod walk;

use crate::diagnostic::{Diagnostic, Diagnostics};
use document::{
    check_dialect, default_paths, drop_mutual_tls, ignore_webhooks, inline_path_item_refs,
    path_item_targets, ref_target_types,
};
use serde_json::Value;
use std::collections::HashMap;
use walk::walk_document;

/// Whether the document declares OpenAPI 3.1.
pub fn is_openapi_31(raw: &Value) -> bool {
    raw.get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v == "3.1" || v.starts_with("3.1."))
}

/// Rewrites a 3.1 document in place into 3.0 shapes; records the warnings in `diagnostics`,
/// the document's own (pointers into the document as written).
pub fn normalize(raw: &mut Value, diagnostics: &mut Diagnostics) {
    let mut cx = Cx {
        warnings: Vec::new(),
        ref_types: ref_target_types(raw),
    };
    let path_items = path_item_targets(raw);
    let Some(root) = raw.as_object_mut() else {
        return;
    };
    default_paths(root, &mut cx);
    ignore_webhooks(root, &mut cx);
    check_dialect(root, &mut cx);
    drop_mutual_tls(root, &mut cx);
    inline_path_item_refs(root, &path_items);
    walk_document(root, &mut cx);
    diagnostics.extend(cx.warnings);
}

/// What the walk carries: the warnings so far (in the order found) and, for each `$ref`
/// target, its types.
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
