//! Load stage: the checks that read the whole document where it is read, what no single
//! operation can see on its own (an operationId used twice, a response key or media type that
//! is not one). Each finding is a warning; the crate is still generated.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::source::{escape, HttpMethod};
use serde_json::Value;
use std::collections::BTreeMap;

/// Runs every check on the document `raw` (as the typed parse read it: overlays applied,
/// 3.1 in 3.0 shapes, refused operations left out); returns the warnings.
pub(crate) fn run(raw: &Value) -> Diagnostics {
    let mut diags = Diagnostics::new();
    duplicate_operation_ids(raw, &mut diags);
    response_keys(raw, &mut diags);
    response_media_types(raw, &mut diags);
    diags
}

/// Every operation of the document: its pointer and node.
fn raw_operations(raw: &Value) -> Vec<(String, &Value)> {
    let Some(paths) = raw.get("paths").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (path, item) in paths {
        for method in HttpMethod::ALL {
            if let Some(op) = item.get(method.as_str()) {
                let pointer = format!("#/paths/{}/{}", escape(path), method.as_str());
                out.push((pointer, op));
            }
        }
    }
    out
}

/// An operationId must be unique in the document (OpenAPI requires it; tools key on it).
fn duplicate_operation_ids(raw: &Value, diags: &mut Diagnostics) {
    let mut first: BTreeMap<&str, String> = BTreeMap::new();
    for (pointer, op) in raw_operations(raw) {
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
fn response_keys(raw: &Value, diags: &mut Diagnostics) {
    for (pointer, op) in raw_operations(raw) {
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

/// Every response's media-type keys are `type/subtype`: anything else (Cloudflare's worker
/// download declares `undefined`) is a defect, reported once where the response is written
/// (inline in an operation, or in `components.responses`) and kept out of `Accept`
/// (the model's `response::accept`).
fn response_media_types(raw: &Value, diags: &mut Diagnostics) {
    let mut responses: Vec<(String, &Value)> = Vec::new();
    for (pointer, op) in raw_operations(raw) {
        if let Some(all) = op.get("responses").and_then(Value::as_object) {
            for (key, response) in all {
                responses.push((format!("{pointer}/responses/{}", escape(key)), response));
            }
        }
    }
    if let Some(all) = raw
        .pointer("/components/responses")
        .and_then(Value::as_object)
    {
        for (name, response) in all {
            responses.push((format!("#/components/responses/{}", escape(name)), response));
        }
    }
    for (pointer, response) in responses {
        let Some(content) = response.get("content").and_then(Value::as_object) else {
            continue;
        };
        for media_type in content.keys() {
            if !is_media_type(media_type) {
                diags.push(
                    Diagnostic::warning(
                        format!("{pointer}/content/{}", escape(media_type)),
                        format!(
                            "response media type {media_type:?} is not `type/subtype`; it is left out of the `Accept` header"
                        ),
                    )
                    .hint("name the media type the server sends, such as `application/octet-stream` or `text/plain`"),
                );
            }
        }
    }
}

/// Whether `text` is a media type or range as HTTP writes them (RFC 9110 8.3.1, 12.5.1):
/// `type/subtype` (tokens; `*` is one), then `; name=value` parameters, the value a token or a
/// quoted string.
pub(crate) fn is_media_type(text: &str) -> bool {
    fn token(t: &str) -> bool {
        !t.is_empty()
            && t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
    }
    fn quoted(v: &str) -> bool {
        let Some(inner) = v.strip_prefix('"').and_then(|v| v.strip_suffix('"')) else {
            return false;
        };
        let mut escaped = false;
        for b in inner.bytes() {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => return false,
                b'\t' | 0x20..=0x7e => {}
                _ => return false,
            }
        }
        !escaped
    }
    let mut parts = text.split(';');
    let essence = parts.next().unwrap_or_default().trim();
    let Some((kind, subtype)) = essence.split_once('/') else {
        return false;
    };
    token(kind)
        && token(subtype)
        && parts.all(|p| {
            let p = p.trim();
            p.is_empty()
                || p.split_once('=')
                    .is_some_and(|(name, value)| token(name) && (token(value) || quoted(value)))
        })
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
    use super::{is_media_type, is_response_key};

    #[test]
    fn a_media_type_that_is_not_one_is_warned_about_and_never_sent() {
        let text = "openapi: 3.0.3
info: {title: t, version: '1'}
servers: [{url: 'https://api.example.com'}]
paths:
  /script:
    get:
      operationId: download
      responses:
        '200': {description: ok, content: {undefined: {schema: {type: string}}, text/plain: {}}}
        '4XX': {$ref: '#/components/responses/Failure'}
components:
  responses:
    Failure: {description: no, content: {string: {}}}
";
        let (spec, loaded) = crate::load::parse(text, "t.yaml", false).expect("the document loads");
        let mut diags = crate::diagnostic::Diagnostics::new();
        let model = crate::model::build(&spec, &mut diags);
        // Reported once, while loading: the model adds nothing.
        assert_eq!(diags.warnings().count(), 0, "{diags}");
        let warnings: Vec<String> = loaded
            .iter()
            .map(|d| d.pointer.clone().unwrap_or_default())
            .collect();
        assert_eq!(
            warnings,
            [
                "#/paths/~1script/get/responses/200/content/undefined",
                "#/components/responses/Failure/content/string"
            ],
            "{loaded:?}"
        );
        assert_eq!(
            model.operations[0].accept.as_deref(),
            Some("text/plain, application/json")
        );
    }

    #[test]
    fn media_types_are_type_slash_subtype_with_parameters() {
        for ok in [
            "application/json",
            "text/plain; charset=utf-8",
            "application/vnd.api+json",
            "*/*",
            "text/*",
            "multipart/form-data; boundary=\"a b\"",
            "application/json;",
        ] {
            assert!(is_media_type(ok), "{ok}");
        }
        for bad in [
            "undefined",
            "string",
            "",
            "/json",
            "text/",
            "text/plain/extra",
            "text/pl ain",
            "text/plain; charset",
            "text/plain; =utf-8",
            "text/plain; a=\"unclosed",
            "t\u{e9}xt/plain",
        ] {
            assert!(!is_media_type(bad), "{bad}");
        }
    }

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
