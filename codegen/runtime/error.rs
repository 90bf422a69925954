//! Errors returned by every operation of this crate.
//!
//! One enum, [`Error`], with a variant per failure class so callers can match on what went
//! wrong: bad input caught before any I/O ([`Error::Validation`]), an answer from the API that
//! reports failure ([`Error::Api`]), transport failures ([`Error::Timeout`],
//! [`Error::Connection`]), a body that does not match the documented type ([`Error::Decode`])
//! and a client that cannot be built ([`Error::Config`]). No variant ever carries a credential.

use std::fmt;

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
    /// A 2xx response body did not match the documented type.
    Decode(DecodeError),
    /// The client could not be built (missing credentials, bad base URL, ...).
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
            Error::Config(_) => None,
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

/// One entry of the `errors` or `messages` array of Cloudflare's response envelope.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ResponseInfo {
    /// Cloudflare's numeric code, e.g. 10000 (authentication error) or 81053.
    pub code: i64,
    /// Human-readable description.
    #[serde(default)]
    pub message: String,
    /// A page that explains the code, when the API gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub documentation_url: Option<String>,
    /// Which part of the request the entry is about, when the API says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<ResponseInfoSource>,
}

/// The `source` of a [`ResponseInfo`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ResponseInfoSource {
    /// A JSON pointer into the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
}

/// The API reported a failure.
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
    source: reqwest::Error,
}

impl TransportError {
    pub(crate) fn new(method: &str, path: &str, attempts: u32, source: reqwest::Error) -> Self {
        TransportError {
            method: method.to_owned(),
            path: path.to_owned(),
            attempts,
            // The URL holds no credential, but drop it anyway so errors stay short.
            source: source.without_url(),
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
        let mut cause = std::error::Error::source(&self.source);
        while let Some(c) = cause {
            write!(f, ": {c}")?;
            cause = c.source();
        }
        Ok(())
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// A response body did not match the documented type.
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
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not decode the HTTP {} response of {} {} at `{}`: {}",
            self.status, self.method, self.path, self.field, self.message
        )
    }
}

impl std::error::Error for DecodeError {}
