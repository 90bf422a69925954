//! Reading an answer: [`ApiResponse`], the response envelope (`success`, `errors`, `messages`,
//! `result`, `result_info`) of enveloped operations, plain JSON, text, bytes and empty bodies,
//! and the [`ApiError`] a failure body becomes. Both clients read every answer through these
//! functions, on the caller's thread or task, after the transport returned it.

use crate::error::{snippet, ApiError, DecodeError, Error, ResponseInfo};
use crate::json::{Event, FromJson, JsonError, Visitor};
use crate::path::FieldPath;
use crate::request::Request;
use crate::transport::RawResponse;
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

/// The response envelope, read in one pass over the body: the bookkeeping here, and `result`
/// straight into the operation's result type through the visitor `result`, so that reading the
/// envelope is compiled once for all operations. The bookkeeping is read leniently: `success`
/// may be missing (read as `true`), `errors`, `messages` and `result_info` may be missing or
/// `null` (read as empty).
struct Envelope<'r> {
    result: &'r mut dyn Visitor,
    has_result: bool,
    success: Option<bool>,
    errors: Option<Vec<ResponseInfo>>,
    messages: Option<Vec<ResponseInfo>>,
    result_info: Option<serde_json::Value>,
}

/// The envelope's property names, in the order [`Envelope`] matches them.
const ENVELOPE_FIELDS: &[&str] = &["result", "success", "errors", "messages", "result_info"];

impl Visitor for Envelope<'_> {
    fn visit(&mut self, event: Event<'_>, at: &FieldPath<'_>) -> Result<(), JsonError> {
        let fields = crate::json::object(event, at)?;
        while let Some(i) = fields.next(ENVELOPE_FIELDS)? {
            match i {
                0 => {
                    self.has_result = true;
                    fields.value(&mut *self.result)?;
                }
                1 => fields.optional(&mut self.success)?,
                2 => fields.optional(&mut self.errors)?,
                3 => fields.optional(&mut self.messages)?,
                4 => fields.optional(&mut self.result_info)?,
                _ => fields.skip()?,
            }
        }
        Ok(())
    }
}

/// What an envelope said besides its `result`.
struct Bookkeeping {
    success: bool,
    errors: Vec<ResponseInfo>,
    messages: Vec<ResponseInfo>,
    result_info: Option<serde_json::Value>,
}

/// Reads an envelope, its `result` into `result`. An absent `result` is read as `null`, and
/// fails as missing when its type does not take `null`.
fn read_envelope(body: &[u8], result: &mut dyn Visitor) -> Result<Bookkeeping, JsonError> {
    let mut envelope = Envelope {
        result,
        has_result: false,
        success: None,
        errors: None,
        messages: None,
        result_info: None,
    };
    crate::json::read_slice(body, &mut envelope, &FieldPath::Root)?;
    if !envelope.has_result && envelope.result.visit(Event::Null, &RESULT).is_err() {
        return Err(missing_result());
    }
    Ok(Bookkeeping {
        success: envelope.success.unwrap_or(true),
        errors: envelope.errors.unwrap_or_default(),
        messages: envelope.messages.unwrap_or_default(),
        result_info: envelope.result_info,
    })
}

/// Reads a whole enveloped answer (`{"result": ..., "success": true, ...}`) whose `result` is a
/// `T`, as the client reads a successful answer: for a body obtained some other way (a cache, a
/// recorded fixture, a webhook). A body saying `"success": false` is an error.
pub fn decode_enveloped<T: FromJson>(body: &[u8]) -> Result<T, JsonError> {
    let mut slot = None;
    let bookkeeping = read_envelope(body, T::visitor(&mut slot))?;
    if !bookkeeping.success {
        return Err(JsonError::at(
            &FieldPath::Field(&FieldPath::Root, "success"),
            "the envelope says `success: false`",
        ));
    }
    slot.ok_or_else(missing_result)
}

/// The answer of an enveloped operation: the envelope's `result` as a `T`.
///
/// Only the slot the result is read into depends on `T`; reading the envelope is compiled once
/// for all operations.
pub(crate) fn enveloped<T: FromJson>(
    request: &Request,
    raw: RawResponse,
) -> Result<ApiResponse<T>, Error> {
    let mut slot = None;
    let (raw, bookkeeping) = read_success_envelope(request, raw, T::visitor(&mut slot))?;
    match slot {
        Some(result) => Ok(ApiResponse {
            status: raw.status,
            headers: raw.headers,
            result,
            messages: bookkeeping.messages,
            errors: bookkeeping.errors,
            result_info: bookkeeping.result_info,
        }),
        None => Err(decode_error(request, raw, missing_result())),
    }
}

/// Reads the envelope of a successful answer, its `result` into `result`: the failure the
/// envelope reports (`"success": false`), or a body that is no envelope of the documented shape,
/// is an error.
fn read_success_envelope(
    request: &Request,
    raw: RawResponse,
    result: &mut dyn Visitor,
) -> Result<(RawResponse, Bookkeeping), Error> {
    match read_envelope(&raw.body, result) {
        Ok(bookkeeping) if bookkeeping.success => Ok((raw, bookkeeping)),
        Ok(bookkeeping) => Err(Error::Api(ApiError {
            method: request.method.to_string(),
            path: request.path.clone(),
            status: raw.status,
            errors: bookkeeping.errors,
            messages: bookkeeping.messages,
            body_snippet: None,
            body: raw.body,
        })),
        Err(e) => {
            // A body that says `"success": false` is a failure even when its bookkeeping
            // does not have the documented shape, or its `result` not the success's type.
            if let Some(api) = failure_from_body(request, raw.status, &raw.body) {
                return Err(Error::Api(api));
            }
            Err(decode_error(request, raw, e))
        }
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
    let body: &[u8] = if raw.body.is_empty() {
        b"null"
    } else {
        &raw.body
    };
    match crate::json::from_slice(body) {
        Ok(result) => Ok(plain(raw.status, raw.headers, result)),
        Err(e) => Err(decode_error(request, raw, e)),
    }
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

/// The answer of an operation whose body is raw bytes (never fails: every body is bytes).
pub(crate) fn bytes(_: &Request, raw: RawResponse) -> Result<ApiResponse<bytes::Bytes>, Error> {
    Ok(plain(raw.status, raw.headers, raw.body))
}

/// The answer of an operation without a documented body (whatever came is ignored; never
/// fails).
pub(crate) fn empty(_: &Request, raw: RawResponse) -> Result<ApiResponse<()>, Error> {
    Ok(plain(raw.status, raw.headers, ()))
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
