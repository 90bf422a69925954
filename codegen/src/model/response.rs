//! Responses: which success response an operation returns, how its body is read (an envelope's
//! `result`, JSON, text, bytes or nothing) and the type it decodes into.

use super::cloudflare;
use super::examples::ExampleUse;
use super::object::ObjectParts;
use super::{Builder, TyInfo, TypeName};
use crate::diagnostic::Diagnostic;
use crate::model::{ResponseKind, Ty};
use crate::source::escape;
use openapiv3::{ReferenceOr, Response, StatusCode};

/// What an operation's success response is.
pub(super) struct SuccessResponse {
    /// How the body is read.
    pub kind: ResponseKind,
    /// The type of the result (the envelope's `result` for an envelope).
    pub info: TyInfo,
    /// An envelope with `result_info`, so the list may page.
    pub paged: bool,
    /// The success response's media types, in spec order.
    pub media_types: Vec<String>,
}

impl SuccessResponse {
    fn without_schema(kind: ResponseKind, ty: Ty) -> Self {
        SuccessResponse {
            kind,
            info: TyInfo::plain(ty),
            paged: false,
            media_types: Vec::new(),
        }
    }
}

impl Builder<'_> {
    /// The lowest 2xx response (or `2XX`, or `default`) of `op`; an inline result type takes
    /// the reserved name `result_name`.
    pub(super) fn response(
        &mut self,
        op: &openapiv3::Operation,
        pointer: &str,
        result_name: &str,
    ) -> Result<SuccessResponse, Diagnostic> {
        let Some((code, response)) = success_response(op) else {
            return Ok(SuccessResponse::without_schema(
                ResponseKind::Empty,
                Ty::Value,
            ));
        };
        let (response, at) =
            self.component(response, &format!("{pointer}/responses/{code}"), "response")?;
        let media_types: Vec<String> = response.content.keys().cloned().collect();
        let json = response
            .content
            .iter()
            .find(|(k, _)| k.to_ascii_lowercase().contains("json"));
        let Some((content_type, media)) = json else {
            let mut plain = match response.content.first() {
                None => SuccessResponse::without_schema(ResponseKind::Empty, Ty::Value),
                Some((k, _)) if k.starts_with("text/") => {
                    SuccessResponse::without_schema(ResponseKind::Text, Ty::String)
                }
                Some(_) => SuccessResponse::without_schema(ResponseKind::Bytes, Ty::Bytes),
            };
            plain.media_types = media_types;
            return Ok(plain);
        };
        let media_at = format!("{at}/content/{}", escape(content_type));
        let schema_at = format!("{media_at}/schema");
        let Some(schema) = &media.schema else {
            return Ok(SuccessResponse::without_schema(
                ResponseKind::Json,
                Ty::Value,
            ));
        };
        let name = TypeName::reserved(result_name);
        let (s, s_at) = self.deref(schema, &schema_at)?;
        let mut parts = ObjectParts::default();
        self.collect_object(&s, &s_at, &mut parts, 0)?;
        let envelope_result = parts
            .prop("result")
            .filter(|_| cloudflare::is_envelope(&parts))
            .cloned();
        let (kind, info, usage) = match envelope_result {
            Some((_, result_schema, result_at)) => (
                ResponseKind::Envelope,
                self.ty_of_boxed(&result_schema, &result_at, &name)?,
                ExampleUse::Envelope,
            ),
            None => (
                ResponseKind::Json,
                self.ty_of(schema, &schema_at, &name)?,
                ExampleUse::Response,
            ),
        };
        let stem = format!("{result_name}_example");
        self.record_media_examples(media, &media_at, &stem, &info.full_ty(), usage);
        let paged = kind == ResponseKind::Envelope && cloudflare::has_result_info(&parts);
        Ok(SuccessResponse {
            kind,
            info,
            paged,
            media_types,
        })
    }
}

/// The `Accept` header for a success response with `media_types`, when the client's default
/// (`application/json`) would not do: those types, then JSON so error bodies stay readable.
pub(super) fn accept(media_types: &[String]) -> Option<String> {
    let is_json = |m: &String| m.eq_ignore_ascii_case("application/json");
    if media_types.is_empty() || media_types.iter().all(is_json) {
        return None;
    }
    // Only media types (a key such as `undefined` is a spec defect that `check.rs` reports),
    // and only what a header value can carry (the generated code uses `from_static`).
    let sendable = |m: &&String| {
        crate::load_checks::is_media_type(m) && m.bytes().all(|b| (0x20..0x7f).contains(&b))
    };
    let mut types: Vec<&str> = media_types
        .iter()
        .filter(sendable)
        .map(String::as_str)
        .collect();
    if types.is_empty() {
        return None;
    }
    if !media_types.iter().any(is_json) {
        types.push("application/json");
    }
    Some(types.join(", "))
}

/// The success response: the lowest 2xx code, the `2XX` range, or `default`.
fn success_response(op: &openapiv3::Operation) -> Option<(String, &ReferenceOr<Response>)> {
    op.responses
        .responses
        .iter()
        .filter_map(|(code, r)| match code {
            StatusCode::Code(c) if (200..300).contains(c) => Some((*c, code, r)),
            StatusCode::Range(2) => Some((299, code, r)),
            _ => None,
        })
        .min_by_key(|(c, _, _)| *c)
        .map(|(_, code, r)| (code.to_string(), r))
        .or_else(|| {
            op.responses
                .default
                .as_ref()
                .map(|r| ("default".to_owned(), r))
        })
}
