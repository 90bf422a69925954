//! Errors returned by every operation of this crate.
//!
//! One enum, [`Error`], with a variant per failure class so callers can match on what went
//! wrong: bad input caught before any I/O ([`Error::Validation`]), an answer from the API that
//! reports failure ([`Error::Api`]), transport failures ([`Error::Timeout`],
//! [`Error::Connection`]), a body that does not match the documented type ([`Error::Decode`]),
//! a body over the size limit ([`Error::ResponseTooLarge`]), a call that cannot run where it
//! was made ([`Error::AsyncRuntime`]) and a configuration that cannot work ([`Error::Config`]). No variant ever carries a credential.

use crate::json::{Event, JsonError, Visitor};
use crate::path::FieldPath;
use std::fmt;

/// How many characters of a body error messages show.
const SNIPPET_CHARS: usize = 200;

/// Anything that can go wrong when building the client or calling an operation.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The input broke a constraint stated by the API description; nothing was sent.
    Validation(ValidationError),
    /// The API answered with a non-2xx status, or with `"success": false`.
    Api(ApiError),
    /// An attempt did not complete within the configured timeout.
    Timeout(TransportError),
    /// The connection could not be made or broke before a full response arrived.
    Connection(TransportError),
    /// A 2xx response body did not match the documented type. The error keeps the whole body.
    Decode(DecodeError),
    /// The response body is larger than the configured limit
    /// ([`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes), or
    /// [`max_download_bytes`](crate::ClientBuilder::max_download_bytes) for binary
    /// downloads); nothing more of it was read and the request was not retried.
    ResponseTooLarge(ResponseTooLargeError),
    /// **Nothing was sent**: the blocking [`Client`](crate::Client) was called from a task of a
    /// current-thread tokio runtime, where waiting for the answer would stall every other task
    /// of that runtime (and never end if the server runs on it), or an
    /// [`AsyncClient`](crate::AsyncClient) future was polled outside any tokio runtime. Use the
    /// `AsyncClient` inside tokio (or call the blocking client inside
    /// `tokio::task::spawn_blocking`). The message names the request and says so.
    AsyncRuntime(String),
    /// The client could not be built (missing credentials, bad base URL, ...), or a request
    /// could not be formed from its configuration (the operation accepts none of the configured
    /// credentials, say); nothing was sent.
    Config(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Validation(e) => write!(f, "invalid request: {e}"),
            Error::Api(e) => e.fmt(f),
            Error::Timeout(e) => write!(f, "timed out: {e}"),
            Error::Connection(e) => write!(f, "connection failed: {e}"),
            Error::Decode(e) => e.fmt(f),
            Error::ResponseTooLarge(e) => e.fmt(f),
            Error::AsyncRuntime(message) => write!(f, "cannot block inside tokio: {message}"),
            Error::Config(message) => write!(f, "invalid client configuration: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Timeout(e) | Error::Connection(e) => Some(e),
            Error::Validation(e) => Some(e),
            Error::Api(e) => Some(e),
            Error::Decode(e) => Some(e),
            Error::ResponseTooLarge(e) => Some(e),
            Error::AsyncRuntime(_) | Error::Config(_) => None,
        }
    }
}

impl From<ValidationError> for Error {
    fn from(e: ValidationError) -> Self {
        Error::Validation(e)
    }
}

impl Error {
    /// The HTTP status of the response that caused this error, if there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            Error::ResponseTooLarge(e) => Some(e.status),
            _ => None,
        }
    }
}

/// An input value broke a constraint; the request was not sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// Where the value sits in the parameters, e.g. `key_rotation_interval_days` or `rules[2].id`.
    pub field: String,
    /// The constraint that failed, e.g. `minimum 21`, `maxLength 32`.
    pub constraint: String,
    /// The offending value, rendered for humans (long values are cut).
    pub value: String,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` must satisfy {}, got {}",
            self.field, self.constraint, self.value
        )
    }
}

impl std::error::Error for ValidationError {}

/// One entry of the `errors` or `messages` array of a response envelope.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ResponseInfo {
    /// The API's numeric code for it, e.g. 10000.
    pub code: i64,
    /// Human-readable description (empty when the API sent none, or `null`).
    #[serde(default, deserialize_with = "null_as_default")]
    pub message: String,
    /// A page that explains the code, when the API gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub documentation_url: Option<String>,
    /// Which part of the request the entry is about, when the API says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<ResponseInfoSource>,
}

/// Reads `null` as the type's default, like a missing field: for the envelope's bookkeeping
/// (`errors`, `messages`, an entry's `message`), which the runtime treats as optional.
pub(crate) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + serde::Deserialize<'de>,
{
    use serde::Deserialize as _;
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

impl Visitor for Option<ResponseInfo> {
    fn visit(&mut self, event: Event<'_>, at: &FieldPath<'_>) -> Result<(), JsonError> {
        let fields = crate::json::object(event, at)?;
        let mut code: Option<i64> = None;
        let mut message: Option<String> = None;
        let mut documentation_url: Option<String> = None;
        let mut source: Option<ResponseInfoSource> = None;
        while let Some(i) = fields.next(&["code", "message", "documentation_url", "source"])? {
            match i {
                0 => fields.value(&mut code)?,
                1 => fields.optional(&mut message)?,
                2 => fields.optional(&mut documentation_url)?,
                3 => fields.optional(&mut source)?,
                _ => fields.skip()?,
            }
        }
        *self = Some(ResponseInfo {
            code: crate::json::required(code, "code", at)?,
            message: message.unwrap_or_default(),
            documentation_url,
            source,
        });
        Ok(())
    }
}

/// The `source` of a [`ResponseInfo`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ResponseInfoSource {
    /// A JSON pointer into the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
}

impl Visitor for Option<ResponseInfoSource> {
    fn visit(&mut self, event: Event<'_>, at: &FieldPath<'_>) -> Result<(), JsonError> {
        let fields = crate::json::object(event, at)?;
        let mut pointer: Option<String> = None;
        while let Some(i) = fields.next(&["pointer"])? {
            match i {
                0 => fields.optional(&mut pointer)?,
                _ => fields.skip()?,
            }
        }
        *self = Some(ResponseInfoSource { pointer });
        Ok(())
    }
}

/// The API reported a failure.
///
/// Nothing the server sent is lost: `body` holds the whole body as received, whatever it was.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// HTTP method of the failed request.
    pub method: String,
    /// Request path below the base URL (never contains credentials).
    pub path: String,
    /// HTTP status code (a 2xx when the body said `"success": false`).
    pub status: u16,
    /// The envelope's `errors`; empty when the body was not an envelope.
    pub errors: Vec<ResponseInfo>,
    /// The envelope's `messages`; empty when the body was not an envelope.
    pub messages: Vec<ResponseInfo>,
    /// The start of the body (at most 200 characters, `...` marking a cut) when it was not an
    /// envelope (an HTML error page, say) or when parts of the envelope could not be read;
    /// `None` when the body was a readable envelope or blank.
    pub body_snippet: Option<String>,
    /// The whole body as received (empty when there was none): an HTML error page, say, or an
    /// envelope with more than the fields above. Sharing it costs no copy.
    pub body: bytes::Bytes,
}

impl ApiError {
    /// Whether any of the envelope's errors carries `code`.
    pub fn has_code(&self, code: i64) -> bool {
        self.errors.iter().any(|e| e.code == code)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} failed with HTTP {}",
            self.method, self.path, self.status
        )?;
        for (i, e) in self.errors.iter().enumerate() {
            let sep = if i == 0 { ": " } else { "; " };
            write!(f, "{sep}[{}] {}", e.code, e.message)?;
        }
        if let Some(snippet) = &self.body_snippet {
            write!(f, ": body starts with {snippet:?}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// A transport failure: the request timed out or the connection failed.
#[derive(Debug)]
pub struct TransportError {
    /// HTTP method of the failed request.
    pub method: String,
    /// Request path below the base URL.
    pub path: String,
    /// How many attempts were made in all.
    pub attempts: u32,
    source: Box<dyn std::error::Error + Send + Sync>,
}

impl TransportError {
    /// `source` never holds a URL: reqwest's errors are passed `without_url()` (the URL holds
    /// no credential, but errors stay short).
    pub(crate) fn new(
        method: &str,
        path: &str,
        attempts: u32,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        TransportError {
            method: method.to_owned(),
            path: path.to_owned(),
            attempts,
            source: source.into(),
        }
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} after {} attempt(s): {}",
            self.method, self.path, self.attempts, self.source
        )?;
        let mut cause = self.source.source();
        while let Some(c) = cause {
            write!(f, ": {c}")?;
            cause = c.source();
        }
        Ok(())
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

/// A response body did not match the documented type.
///
/// Nothing the server sent is lost: `body` holds the whole body, so a caller can still read
/// what the documented type could not hold, e.g. with
/// `serde_json::from_slice::<serde_json::Value>(&e.body)`. This is also what happens when a
/// field the API description marks as required is missing or `null`: the call fails here,
/// naming the field, rather than inventing a value. (An optional field that is `null` reads as
/// absent, unknown fields are ignored and unknown enum values are kept, so those never fail.)
#[derive(Debug, Clone, PartialEq)]
pub struct DecodeError {
    /// HTTP method of the request.
    pub method: String,
    /// Request path below the base URL.
    pub path: String,
    /// HTTP status of the response.
    pub status: u16,
    /// Where in the body decoding failed, e.g. `result.last_key_rotation_at` (`.` for the root).
    pub field: String,
    /// Why it failed.
    pub message: String,
    /// The whole body as received. [`Display`](fmt::Display) shows only its start.
    pub body: bytes::Bytes,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The field path and serde's message can quote the body (a long string of the wrong
        // type, say), so both are bounded like the body's snippet.
        write!(
            f,
            "could not decode the HTTP {} response of {} {} at `{}`: {}",
            self.status,
            self.method,
            self.path,
            bounded(&self.field),
            bounded(&self.message)
        )?;
        match snippet(&self.body) {
            Some(start) => write!(
                f,
                "; the body ({} bytes) starts with {start:?}",
                self.body.len()
            ),
            None => write!(f, "; the body was empty"),
        }
    }
}

impl std::error::Error for DecodeError {}

/// A response body went over the configured size limit. Nothing more of it was read, and the
/// request was not retried (the same request would bring the same body again).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseTooLargeError {
    /// HTTP method of the request.
    pub method: String,
    /// Request path below the base URL.
    pub path: String,
    /// HTTP status of the response.
    pub status: u16,
    /// The limit in force, in bytes.
    pub limit: u64,
    /// The `Content-Length` the response declared, when it declared one (a larger one is
    /// refused before any of the body is read); `None` for a body sent without a length, which
    /// was read until it went over.
    pub content_length: Option<u64>,
    /// The [`ClientBuilder`](crate::ClientBuilder) method that sets the limit:
    /// `max_response_bytes`, or `max_download_bytes` for binary downloads.
    pub builder_method: &'static str,
}

impl fmt::Display for ResponseTooLargeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the HTTP {} response of {} {} is larger than the limit of {} bytes",
            self.status, self.method, self.path, self.limit
        )?;
        match self.content_length {
            Some(length) => write!(f, " (Content-Length: {length}); none of the body was read")?,
            None => write!(f, "; reading stopped there")?,
        }
        write!(
            f,
            "; raise the limit with ClientBuilder::{}(..) if such a body is expected",
            self.builder_method
        )
    }
}

impl std::error::Error for ResponseTooLargeError {}

/// `text` cut to `SNIPPET_CHARS` characters, `...` marking a cut.
fn bounded(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(SNIPPET_CHARS) {
        None => std::borrow::Cow::Borrowed(text),
        Some((end, _)) => std::borrow::Cow::Owned(format!("{}...", &text[..end])),
    }
}

/// The start of a body, for error messages: at most `SNIPPET_CHARS` characters after any
/// leading blank space, ending in `...` when the body goes on; `None` for a blank body.
pub(crate) fn snippet(body: &[u8]) -> Option<String> {
    let start = body.iter().position(|b| !b.is_ascii_whitespace())?;
    let body = &body[start..];
    let end = body.len().min(SNIPPET_CHARS * 4);
    let text = String::from_utf8_lossy(&body[..end]);
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let mut out: String = text.chars().take(SNIPPET_CHARS).collect();
    if out.len() < text.len() || body[end..].iter().any(|b| !b.is_ascii_whitespace()) {
        out.push_str("...");
    }
    Some(out)
}
