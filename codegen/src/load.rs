//! Reading the spec: file -> JSON value -> overlays applied -> checked -> (3.1 normalised) ->
//! typed OpenAPI 3.0 document.
//!
//! Every failure becomes a [`Diagnostic`] naming the file, the JSON pointer of the offending
//! node, what is wrong and what to do about it. The spec's [`Diagnostics`] are created where
//! it is read ([`load`]) or handed in ([`read`]) and passed down to the overlays, the 3.1
//! rewrite and the repairs, so each diagnostic names its file when it is recorded; the model
//! stage reports through the same one. What loading tolerated (an overlay target that
//! selected nothing, a 3.1 keyword left out) is a warning.
//!
//! What every reader of a document shares (JSON pointers, the `$ref` resolver, reading text,
//! the HTTP methods) is in [`crate::source`].

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::source::{escape, is_json, read_value, resolve_pointer, HttpMethod, RefTable};
use crate::{load_checks, openapi31, overlay, repair};
use openapiv3::OpenAPI;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A parsed spec: the typed document and its `$ref`s, resolved into typed targets. The model
/// reads only these; the JSON they were read from stays with the load stage ([`Spec::into_raw`]).
pub struct Spec {
    /// The file as the user named it, for messages and headers.
    pub file: String,
    /// The typed document.
    pub doc: OpenAPI,
    /// Every `$ref` of `doc`, followed once and its target parsed once.
    pub refs: RefTable,
    /// The same document as plain JSON (after overlays and, for 3.1, in 3.0 shapes).
    raw: Value,
    /// Operations left out because the typed parse refused them, each with why.
    pub dropped: Vec<Dropped>,
}

impl Spec {
    /// The document as plain JSON (after overlays and, for 3.1, in 3.0 shapes), for tools that
    /// read it as it was parsed. It takes the spec: whatever holds a `&Spec`, as the model
    /// does, reads the typed document only.
    pub fn into_raw(self) -> Value {
        self.raw
    }
}

/// An operation the typed parse refused, left out of the document with a warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dropped {
    /// `GET /path`.
    pub what: String,
    /// Why it is left out.
    pub reason: String,
}

/// Reads the spec at `path` (`display` is how messages name it), applies the overlays (each a
/// path and its display name) in order, then checks and parses it.
///
/// On success, returns the spec and the warnings (each naming its file: the spec or an
/// overlay). On failure, returns every error found, with the warnings seen before it.
pub fn load(
    path: &Path,
    display: &str,
    overlays: &[(PathBuf, String)],
) -> Result<(Spec, Vec<Diagnostic>), Diagnostics> {
    let mut diagnostics = Diagnostics::for_file(display);
    match read(path, overlays, &mut diagnostics) {
        Some(spec) if !diagnostics.has_errors() => Ok((spec, diagnostics.into_vec())),
        _ => Err(diagnostics),
    }
}

/// [`load`], reporting to `diagnostics`, the spec's own ([`Diagnostics::for_file`] with the
/// name messages give the spec). `None` when the spec cannot be read or parsed (the errors
/// say why); the warnings and errors of overlays keep their own file.
pub fn read(
    path: &Path,
    overlays: &[(PathBuf, String)],
    diagnostics: &mut Diagnostics,
) -> Option<Spec> {
    let display = diagnostics.file().to_owned();
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => {
            diagnostics.push(
                Diagnostic::file_error(&display, format!("cannot read the spec: {e}"))
                    .hint("pass an existing OpenAPI file with --spec <file.yaml|file.json>"),
            );
            return None;
        }
    };
    let mut raw = read_value(&text, &display, is_json(path, &text))
        .map_err(|e| diagnostics.push(e))
        .ok()?;
    overlay::apply_files(&mut raw, overlays, diagnostics);
    if diagnostics.has_errors() {
        return None;
    }
    from_value(raw, diagnostics)
}

/// Parses spec text (JSON when `json`, YAML otherwise) and checks it; no overlays. Returns the
/// spec and its warnings, or every diagnostic when it fails.
pub fn parse(
    text: &str,
    display: &str,
    json: bool,
) -> Result<(Spec, Vec<Diagnostic>), Diagnostics> {
    let mut diagnostics = Diagnostics::for_file(display);
    let spec = match read_value(text, display, json) {
        Ok(raw) => from_value(raw, &mut diagnostics),
        Err(e) => {
            diagnostics.push(e);
            None
        }
    };
    match spec {
        Some(spec) if !diagnostics.has_errors() => Ok((spec, diagnostics.into_vec())),
        _ => Err(diagnostics),
    }
}

/// Checks a spec already read into a value (version, `$ref`s), reads a 3.1 document as 3.0,
/// repairs what it tolerates ([`repair`]) and parses it into the typed document, leaving out
/// an operation the parse refuses. Reports to `diagnostics`, the spec's own; `None` when the
/// document is refused (an error says why).
pub fn from_value(mut raw: Value, diagnostics: &mut Diagnostics) -> Option<Spec> {
    if let Err(error) =
        check_version(&raw).and_then(|()| check_refs(&raw, &raw, &mut String::from("#")))
    {
        diagnostics.push(error);
        return None;
    }
    let is_31 = openapi31::is_openapi_31(&raw);
    if is_31 {
        openapi31::normalize(&mut raw, diagnostics);
    }
    repair::repair(&mut raw, diagnostics);
    let mut dropped = Vec::new();
    // An operation the typed parse refuses is left out with a warning and the parse is tried
    // again (each round removes one operation, so this ends); anything else refuses the
    // document.
    let doc: OpenAPI = loop {
        let e = match serde_path_to_error::deserialize(&raw) {
            Ok(doc) => break doc,
            Err(e) => e,
        };
        if let Some(failing) = failing_operation(&raw) {
            diagnostics.push(failing.leave_out(&mut raw, is_31));
            dropped.push(Dropped {
                what: failing.what(),
                reason: failing.message,
            });
            continue;
        }
        let (pointer, message) = narrow(&raw).unwrap_or_else(|| {
            (
                path_to_pointer(&e.path().to_string()),
                e.inner().to_string(),
            )
        });
        let (what, hint) = refusal(is_31);
        diagnostics.push(Diagnostic::at(pointer, format!("{what}: {message}")).hint(hint));
        return None;
    };
    // The checks that read the whole document (load_checks.rs), on what the model will read.
    diagnostics.extend(load_checks::run(&raw));
    let refs = RefTable::build(&raw, &doc);
    Some(Spec {
        file: diagnostics.file().to_owned(),
        doc,
        refs,
        raw,
        dropped,
    })
}

/// What a document the typed parse refuses is not, and what to compare it with.
fn refusal(is_31: bool) -> (&'static str, &'static str) {
    if is_31 {
        (
            "not a valid OpenAPI 3.1 document (read in 3.0 shapes)",
            "compare the node with the OpenAPI 3.1 specification",
        )
    } else {
        (
            "not a valid OpenAPI 3.0 document",
            "compare the node with the OpenAPI 3.0.3 specification",
        )
    }
}

/// An operation the typed parse refuses: where it is, and the innermost node that fails.
struct FailingOperation {
    path: String,
    method: HttpMethod,
    /// The pointer of the failing node inside the operation.
    pointer: String,
    message: String,
}

impl FailingOperation {
    fn what(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    /// Removes the operation from `raw`; the warning that says so.
    fn leave_out(&self, raw: &mut Value, is_31: bool) -> Diagnostic {
        if let Some(Value::Object(item)) = raw.get_mut("paths").and_then(|p| p.get_mut(&self.path))
        {
            item.remove(self.method.as_str());
        }
        let (what, hint) = refusal(is_31);
        Diagnostic::warning(&self.pointer, format!("{what}: {}", self.message)).hint(format!(
            "{hint}; until then {} is left out of the crate",
            self.what()
        ))
    }
}

/// The first operation (in document order) that does not parse on its own.
fn failing_operation(raw: &Value) -> Option<FailingOperation> {
    for (path, item) in raw.get("paths")?.as_object()?.iter() {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (key, op) in item {
            let Some(method) = HttpMethod::from_key(key) else {
                continue;
            };
            let at = format!(
                "#/paths/{}/{method}",
                escape(path),
                method = method.as_str()
            );
            if let Some((pointer, message)) = failure::<openapiv3::Operation>(op, &at) {
                return Some(FailingOperation {
                    path: path.clone(),
                    method,
                    pointer,
                    message,
                });
            }
        }
    }
    None
}

/// Why `node` (at `at`) does not parse as a `T`: the pointer of the innermost failing node and
/// the message; `None` when it parses.
fn failure<T: serde::de::DeserializeOwned>(node: &Value, at: &str) -> Option<(String, String)> {
    let e = serde_path_to_error::deserialize::<_, T>(node).err()?;
    let inner = path_to_pointer(&e.path().to_string());
    Some((
        format!("{at}{}", inner.trim_start_matches('#')),
        e.inner().to_string(),
    ))
}

fn check_version(raw: &Value) -> Result<(), Diagnostic> {
    let Some(root) = raw.as_object() else {
        return Err(Diagnostic::at("#", "the document is not a mapping")
            .hint("an OpenAPI document is an object with `openapi`, `info` and `paths`"));
    };
    match root.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0.") || v == "3.0" => Ok(()),
        Some(v) if v.starts_with("3.1.") || v == "3.1" => Ok(()),
        Some(v) => Err(Diagnostic::at(
            "#/openapi",
            format!("OpenAPI version {v:?} is not supported; this generator reads OpenAPI 3.0.x and 3.1.x"),
        )
        .hint("convert the document to OpenAPI 3.1 or 3.0.3")),
        None if root.contains_key("swagger") => Err(Diagnostic::at(
            "#/swagger",
            "this is a Swagger 2.0 document; this generator reads OpenAPI 3.0.x and 3.1.x",
        )
        .hint("convert it to OpenAPI 3.0.3 first (for example with swagger2openapi)")),
        None => Err(Diagnostic::at("#", "missing `openapi` version field")
            .hint("add `openapi: 3.0.3` at the top of the document")),
    }
}

/// What a JSON object is, by where it stands in the document: that decides whether a key
/// such as `default` is a keyword holding a plain value (skipped by the `$ref` check: an
/// example may hold anything) or a name chosen by the author (a property, a response, a
/// media type), whose value is checked like any other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Position {
    /// An OpenAPI or schema object: its keys are keywords.
    Keywords,
    /// A map from names to objects (`properties`, `responses`, `components.schemas`, ...).
    Names,
    /// A map from names to Example objects (`examples` of a parameter or media type).
    ExampleNames,
    /// An Example object: its `value` is a plain value.
    Example,
}

/// Keywords whose value is a plain JSON value, not part of the document's structure.
const VALUE_KEYWORDS: [&str; 4] = ["example", "default", "enum", "const"];

/// Keywords whose value maps names (chosen by the author) to objects.
const NAME_MAPS: [&str; 21] = [
    "properties",
    "patternProperties",
    "dependentSchemas",
    "$defs",
    "definitions",
    "paths",
    "webhooks",
    "schemas",
    "responses",
    "parameters",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "pathItems",
    "content",
    "encoding",
    "variables",
    "mapping",
    "scopes",
];

/// Where the value of `key` in an object at `position` stands; `None` for a plain value the
/// check skips.
fn position_of(position: Position, key: &str, value: &Value) -> Option<Position> {
    match position {
        Position::Names => Some(Position::Keywords),
        Position::ExampleNames => Some(Position::Example),
        Position::Example if key == "value" => None,
        Position::Keywords | Position::Example => {
            if VALUE_KEYWORDS.contains(&key) {
                None
            } else if key == "examples" {
                // A list (a 3.1 schema's `examples`) holds values; a map holds Example objects.
                value.is_object().then_some(Position::ExampleNames)
            } else if NAME_MAPS.contains(&key) && value.is_object() {
                Some(Position::Names)
            } else {
                Some(Position::Keywords)
            }
        }
    }
}

/// Every `$ref` must point inside this document, at a node that exists.
fn check_refs(root: &Value, node: &Value, pointer: &mut String) -> Result<(), Diagnostic> {
    check_refs_at(root, node, Position::Keywords, pointer)
}

fn check_refs_at(
    root: &Value,
    node: &Value,
    position: Position,
    pointer: &mut String,
) -> Result<(), Diagnostic> {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$ref") {
                check_ref(root, target, &format!("{pointer}/$ref"))?;
            }
            for (key, value) in map {
                let Some(inner) = position_of(position, key, value) else {
                    continue;
                };
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&escape(key));
                check_refs_at(root, value, inner, pointer)?;
                pointer.truncate(len);
            }
            Ok(())
        }
        Value::Array(items) => {
            for (i, value) in items.iter().enumerate() {
                let len = pointer.len();
                pointer.push_str(&format!("/{i}"));
                check_refs_at(root, value, position, pointer)?;
                pointer.truncate(len);
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// One `$ref` (at `here`): a pointer into this document, at a node that exists.
fn check_ref(root: &Value, target: &str, here: &str) -> Result<(), Diagnostic> {
    if target.starts_with('#') && !target.starts_with("#/") && target != "#" {
        return Err(Diagnostic::at(
            here,
            format!("$ref {target:?} names an anchor; only JSON pointer references are supported"),
        )
        .hint("write the reference as a pointer from the document root, e.g. `#/components/schemas/Name`"));
    }
    if !target.starts_with('#') {
        return Err(Diagnostic::at(
            here,
            format!("external reference {target:?} is not supported"),
        )
        .hint("bundle the document first so every $ref starts with `#/`"));
    }
    if resolve_pointer(root, target).is_none() {
        return Err(Diagnostic::at(
            here,
            format!("$ref {target:?} points at nothing in this document"),
        )
        .hint("fix the reference or add the missing component"));
    }
    Ok(())
}

/// Finds the innermost node that fails to parse, for a precise pointer: serde stops at the
/// `paths` or `components` map, so each path item and component schema is tried on its own
/// (an operation that fails on its own has been left out before this is asked).
fn narrow(raw: &Value) -> Option<(String, String)> {
    for (path, item) in raw.get("paths")?.as_object()?.iter() {
        let at = format!("#/paths/{}", escape(path));
        if let Some(found) = failure::<openapiv3::ReferenceOr<openapiv3::PathItem>>(item, &at) {
            return Some(found);
        }
    }
    let schemas = raw
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    for (name, schema) in schemas.into_iter().flatten() {
        let at = format!("#/components/schemas/{}", escape(name));
        if let Some(found) = failure::<openapiv3::ReferenceOr<openapiv3::Schema>>(schema, &at) {
            return Some(found);
        }
    }
    None
}

fn path_to_pointer(path: &str) -> String {
    if path == "." || path.is_empty() {
        return "#".into();
    }
    let mut out = String::from("#");
    for seg in path.split('.') {
        let seg = seg.trim_end_matches(']');
        for part in seg.split('[') {
            if !part.is_empty() {
                out.push('/');
                out.push_str(&escape(part));
            }
        }
    }
    out
}
