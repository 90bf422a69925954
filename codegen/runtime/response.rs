//! Reading an answer: [`ApiResponse`], the response envelope (`success`, `errors`, `messages`,
//! `result`, `result_info`) of enveloped operations, plain JSON, text, bytes and empty bodies,
//! and the [`ApiError`] a failure body becomes. Both clients read every answer through these
//! functions, on the caller's thread or task, after the transport returned it.

use crate::error::{snippet, ApiError, DecodeError, Error, ResponseInfo};
use crate::json::{FromJson, JsonError};
use crate::request::Request;
use crate::transport::RawResponse;
use crate::validate::FieldPath;
use reqwest::header::HeaderMap;

/// A successful response with everything the API sent besides the result.
#[derive(Debug, Clone)]
pub struct ApiResponse<T> {
    /// The HTTP status (any 2xx).
    pub status: u16,
    /// The response headers.
    pub headers: HeaderMap,
    /// The decoded result: the envelope's `result` for enveloped operations, the body otherwise.
    pub result: T,
    /// The envelope's `messages` (empty without an envelope).
    pub messages: Vec<ResponseInfo>,
    /// The envelope's `errors`; normally empty on success.
    pub errors: Vec<ResponseInfo>,
    /// The envelope's `result_info` (paging details of list operations), when present.
    pub result_info: Option<serde_json::Value>,
}

/// The `result` of the response `response` resolves to: what an async operation's plain method
/// returns, where its `*_with_response` twin returns the whole [`ApiResponse`].
#[doc(hidden)]
pub async fn result_of<T>(
    response: impl std::future::Future<Output = Result<ApiResponse<T>, Error>>,
) -> Result<T, Error> {
    Ok(response.await?.result)
}

/// The response envelope, its `result` still JSON. Its bookkeeping is read leniently:
/// `success` may be missing (read as `true`), `errors`, `messages` and `result_info` may be
/// missing or `null` (read as empty). `result` is what the operation returns; it is converted
/// to its documented type afterwards, so that everything else here is compiled once, not once
/// per operation.
struct Envelope {
    success: bool,
    errors: Vec<ResponseInfo>,
    messages: Vec<ResponseInfo>,
    result: Option<serde_json::Value>,
    result_info: Option<serde_json::Value>,
}

impl FromJson for Envelope {
    fn from_json(value: serde_json::Value, path: &FieldPath<'_>) -> Result<Self, JsonError> {
        let mut fields = crate::json::Fields::new(value, path)?;
        Ok(Envelope {
            result: fields.take("result"),
            success: fields.optional("success")?.unwrap_or(true),
            errors: fields.optional("errors")?.unwrap_or_default(),
            messages: fields.optional("messages")?.unwrap_or_default(),
            result_info: fields.optional("result_info")?,
        })
    }
}

/// The envelope as serde reads it in one pass over the body (no tree of the bookkeeping is
/// built); `result` is kept as JSON, `null` included.
#[derive(serde::Deserialize)]
struct FastEnvelope {
    #[serde(default = "default_true")]
    success: bool,
    #[serde(default, deserialize_with = "crate::error::null_as_default")]
    errors: Vec<ResponseInfo>,
    #[serde(default, deserialize_with = "crate::error::null_as_default")]
    messages: Vec<ResponseInfo>,
    #[serde(default, deserialize_with = "present")]
    result: Option<serde_json::Value>,
    #[serde(default)]
    result_info: Option<serde_json::Value>,
}

fn default_true() -> bool {
    true
}

/// A field that is present, `null` included, is `Some`.
fn present<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<serde_json::Value>, D::Error> {
    <serde_json::Value as serde::Deserialize>::deserialize(deserializer).map(Some)
}

/// Reads an envelope: in one pass when it has the documented shape, and through
/// [`FromJson`] (which names the failing field) when it does not.
fn read_envelope(body: &[u8]) -> Result<Envelope, JsonError> {
    match serde_json::from_slice::<FastEnvelope>(body) {
        Ok(e) => Ok(Envelope {
            success: e.success,
            errors: e.errors,
            messages: e.messages,
            result: e.result,
            result_info: e.result_info,
        }),
        Err(_) => crate::json::from_slice(body),
    }
}

/// Reads a whole envelope whose `result` is a `T` (the example tests).
#[cfg(test)]
pub(crate) fn decode_enveloped<T: FromJson>(body: &[u8]) -> Result<T, JsonError> {
    let (value, missing) = result_value(read_envelope(body)?.result);
    T::from_json(value, &RESULT).map_err(|e| if missing { missing_result() } else { e })
}

/// A successful enveloped response whose `result` is being converted, with what a failed
/// conversion reports.
struct Received {
    raw: RawResponse,
    messages: Vec<ResponseInfo>,
    errors: Vec<ResponseInfo>,
    result_info: Option<serde_json::Value>,
    /// The envelope had no `result` (converted from `null`).
    missing: bool,
}

/// The answer of an enveloped operation: the envelope's `result` as a `T`.
///
/// Only the conversion of `result` depends on `T`; reading the envelope is compiled once for all
/// operations.
pub(crate) fn enveloped<T: FromJson>(
    request: &Request,
    raw: RawResponse,
) -> Result<ApiResponse<T>, Error> {
    let (value, received) = read_success_envelope(request, raw)?;
    match T::from_json(value, &RESULT) {
        Ok(result) => Ok(ApiResponse {
            status: received.raw.status,
            headers: received.raw.headers,
            result,
            messages: received.messages,
            errors: received.errors,
            result_info: received.result_info,
        }),
        Err(e) => {
            // An absent `result` fails as missing, whatever its type would have said of `null`.
            let e = if received.missing {
                missing_result()
            } else {
                e
            };
            Err(decode_error(request, received.raw, e))
        }
    }
}

/// Reads the envelope of a successful answer, returning its `result` (`null` when absent) and
/// the rest: the failure the envelope reports (`"success": false`), or a body that is no
/// envelope, is an error.
fn read_success_envelope(
    request: &Request,
    raw: RawResponse,
) -> Result<(serde_json::Value, Received), Error> {
    match read_envelope(&raw.body) {
        Ok(envelope) if envelope.success => {
            let (value, missing) = result_value(envelope.result);
            let received = Received {
                raw,
                messages: envelope.messages,
                errors: envelope.errors,
                result_info: envelope.result_info,
                missing,
            };
            Ok((value, received))
        }
        Ok(envelope) => Err(Error::Api(ApiError {
            method: request.method.to_string(),
            path: request.path.clone(),
            status: raw.status,
            errors: envelope.errors,
            messages: envelope.messages,
            body_snippet: None,
            body: raw.body,
        })),
        Err(e) => {
            // A body that says `"success": false` is a failure even when its bookkeeping
            // does not have the documented shape.
            if let Some(api) = failure_from_body(request, raw.status, &raw.body) {
                return Err(Error::Api(api));
            }
            Err(decode_error(request, raw, e))
        }
    }
}

/// An envelope's `result` to convert (`null` when absent), and whether it was absent.
fn result_value(result: Option<serde_json::Value>) -> (serde_json::Value, bool) {
    match result {
        Some(value) => (value, false),
        None => (serde_json::Value::Null, true),
    }
}

/// The error for an envelope without the `result` its operation needs.
fn missing_result() -> JsonError {
    JsonError::at(&FieldPath::Root, "missing field `result`")
}

/// The path of an envelope's `result`.
const RESULT: FieldPath<'static> = FieldPath::Field(&FieldPath::Root, "result");

/// The answer of an operation whose whole body is JSON, as a `T` (an empty body reads as
/// `null`).
pub(crate) fn json<T: FromJson>(
    request: &Request,
    raw: RawResponse,
) -> Result<ApiResponse<T>, Error> {
    let value = match parse_json(&raw.body) {
        Ok(value) => value,
        Err(e) => return Err(decode_error(request, raw, e)),
    };
    match T::from_json(value, &FieldPath::Root) {
        Ok(result) => Ok(plain(raw.status, raw.headers, result)),
        Err(e) => Err(decode_error(request, raw, e)),
    }
}

/// The body as JSON, an empty body as `null`.
fn parse_json(body: &[u8]) -> Result<serde_json::Value, JsonError> {
    crate::json::parse(if body.is_empty() { b"null" } else { body })
}

/// The answer of an operation whose body is text.
pub(crate) fn text(request: &Request, raw: RawResponse) -> Result<ApiResponse<String>, Error> {
    match std::str::from_utf8(&raw.body) {
        Ok(text) => {
            let text = text.to_owned();
            Ok(plain(raw.status, raw.headers, text))
        }
        Err(e) => {
            let message = format!("not UTF-8 text: {e}");
            Err(decode_error(
                request,
                raw,
                JsonError {
                    path: ".".into(),
                    message,
                },
            ))
        }
    }
}

/// The answer of an operation whose body is raw bytes.
pub(crate) fn bytes(raw: RawResponse) -> ApiResponse<bytes::Bytes> {
    plain(raw.status, raw.headers, raw.body)
}

/// The answer of an operation without a documented body (whatever came is ignored).
pub(crate) fn empty(raw: RawResponse) -> ApiResponse<()> {
    plain(raw.status, raw.headers, ())
}

/// A response without an envelope.
fn plain<T>(status: u16, headers: HeaderMap, result: T) -> ApiResponse<T> {
    ApiResponse {
        status,
        headers,
        result,
        messages: Vec::new(),
        errors: Vec::new(),
        result_info: None,
    }
}

/// A [`DecodeError`] that keeps the whole body, so nothing the server sent is lost.
fn decode_error(request: &Request, raw: RawResponse, error: JsonError) -> Error {
    Error::Decode(DecodeError {
        method: request.method.to_string(),
        path: request.path.clone(),
        status: raw.status,
        field: error.path,
        message: error.message,
        body: raw.body,
    })
}

/// An [`ApiError`] from a body that is a failure envelope: an object with `"success": false`,
/// or, on a non-2xx status, with a boolean `success` or an `errors` list. `None` when the body
/// is not one. The envelope is read leniently: entries of `errors` and `messages` that cannot
/// be read are skipped and the start of the body is kept in `body_snippet` instead (and the whole
/// body in `body`), so the API saying "failure" is never turned into a decoding error and nothing
/// it said is lost.
pub(crate) fn failure_from_body(
    request: &Request,
    status: u16,
    body: &bytes::Bytes,
) -> Option<ApiError> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let object = value.as_object()?;
    let success = object.get("success").and_then(serde_json::Value::as_bool);
    let has_errors = object
        .get("errors")
        .is_some_and(serde_json::Value::is_array);
    let is_failure = success == Some(false)
        || (!(200..300).contains(&status) && (success.is_some() || has_errors));
    if !is_failure {
        return None;
    }
    let (errors, errors_damaged) = lenient_infos(object.get("errors"));
    let (messages, messages_damaged) = lenient_infos(object.get("messages"));
    Some(ApiError {
        method: request.method.to_string(),
        path: request.path.clone(),
        status,
        errors,
        messages,
        body_snippet: if errors_damaged || messages_damaged {
            snippet(body)
        } else {
            None
        },
        body: body.clone(),
    })
}

/// The readable entries of an `errors` or `messages` list, and whether anything was unreadable.
fn lenient_infos(value: Option<&serde_json::Value>) -> (Vec<ResponseInfo>, bool) {
    match value {
        None | Some(serde_json::Value::Null) => (Vec::new(), false),
        Some(serde_json::Value::Array(items)) => {
            let infos: Vec<ResponseInfo> = items
                .iter()
                .filter_map(|item| serde_json::from_value(item.clone()).ok())
                .collect();
            let damaged = infos.len() < items.len();
            (infos, damaged)
        }
        Some(_) => (Vec::new(), true),
    }
}
