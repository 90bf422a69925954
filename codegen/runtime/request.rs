//! What an operation sends: the [`Request`] its method builds (path, query, headers, body and
//! the security alternatives it accepts), its [`Body`], and the [`Part`]s of a multipart form.
//! Both clients send the same `Request`; nothing here does I/O.

use crate::json::{BodyJson, Event, JsonError, ToJson, Visitor, Writer};
use crate::path::FieldPath;
use reqwest::header::HeaderMap;

/// The body of a request.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub enum Body {
    /// No body.
    Empty,
    /// Bytes sent with a content type.
    Bytes(&'static str, bytes::Bytes),
    /// A multipart form, rebuilt for every attempt.
    Multipart(Vec<Part>),
}

/// One part of a `multipart/form-data` body: a named field, or a file with a file name and a
/// content type. The client builds the form and sets its boundary; callers never encode it.
///
/// ```
/// # use cloudflare_access_keys::Part;
/// let parts = vec![
///     Part::text("metadata", r#"{"main_module":"worker.js"}"#).with_content_type("application/json"),
///     Part::file("worker.js", "worker.js", "application/javascript+module", "export default {}"),
/// ];
/// assert_eq!(parts[1].file_name.as_deref(), Some("worker.js"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// Field name.
    pub name: String,
    /// Field content.
    pub data: bytes::Bytes,
    /// File name, for file fields.
    pub file_name: Option<String>,
    /// Content type, when known.
    pub content_type: Option<String>,
}

impl Part {
    /// A text field.
    pub fn text(name: impl Into<String>, value: impl Into<String>) -> Self {
        Part {
            name: name.into(),
            data: bytes::Bytes::from(value.into()),
            file_name: None,
            content_type: None,
        }
    }

    /// A file: its field name, file name, content type and contents.
    pub fn file(
        name: impl Into<String>,
        file_name: impl Into<String>,
        content_type: impl Into<String>,
        data: impl Into<bytes::Bytes>,
    ) -> Self {
        Part {
            name: name.into(),
            data: data.into(),
            file_name: Some(file_name.into()),
            content_type: Some(content_type.into()),
        }
    }

    /// The same part with this content type.
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

/// A request, ready to be sent (possibly several times).
#[doc(hidden)]
#[derive(Debug)]
pub struct Request {
    /// HTTP method.
    pub method: reqwest::Method,
    /// Encoded path below the base URL, starting with `/`.
    pub path: String,
    /// Encoded query string, empty or starting with `?`.
    pub query: crate::params::Query,
    /// Header parameters.
    pub headers: HeaderMap,
    /// The body.
    pub body: Body,
    /// The operation's security alternatives, as indices into the schemes of `auth.rs`; the
    /// first complete one is sent (empty: the operation needs no credentials).
    pub security: &'static [&'static [usize]],
}

impl Request {
    /// A request without query, headers or body.
    pub fn new(method: reqwest::Method, path: String) -> Self {
        Request {
            method,
            path,
            query: Default::default(),
            headers: HeaderMap::new(),
            body: Body::Empty,
            security: &[],
        }
    }

    /// Sets a JSON body: `value` as a whole.
    pub fn json(&mut self, value: &dyn ToJson) {
        self.set_json(crate::json::to_vec(value));
    }

    /// Sets a JSON body: the body fields of an operation's params, in declared order.
    pub fn json_fields(&mut self, params: &dyn BodyJson) {
        let mut out = crate::json::Writer::new();
        params.write_body(&mut out);
        self.set_json(out.into_bytes());
    }

    fn set_json(&mut self, bytes: Vec<u8>) {
        self.body = Body::Bytes("application/json", bytes.into());
    }

    /// Whether sending the request twice has the effect of sending it once, by its method:
    /// `GET`, `HEAD`, `PUT`, `DELETE` and `OPTIONS` are; `POST` and `PATCH` are not.
    pub(crate) fn idempotent(&self) -> bool {
        matches!(
            self.method,
            reqwest::Method::GET
                | reqwest::Method::HEAD
                | reqwest::Method::PUT
                | reqwest::Method::DELETE
                | reqwest::Method::OPTIONS
        )
    }
}

/// The reqwest form of `parts`, built anew for every attempt.
pub(crate) fn form(parts: &[Part]) -> reqwest::multipart::Form {
    let mut form = reqwest::multipart::Form::new();
    for part in parts {
        let bytes = || reqwest::multipart::Part::bytes(part.data.to_vec());
        let mut p = match &part.content_type {
            // A content type that is not a valid MIME type is left out rather than failing.
            Some(content_type) => bytes().mime_str(content_type).unwrap_or_else(|_| bytes()),
            None => bytes(),
        };
        if let Some(file_name) = &part.file_name {
            p = p.file_name(file_name.clone());
        }
        form = form.part(part.name.clone(), p);
    }
    form
}

/// A part as JSON, for a params struct that holds parts and is written or read with serde:
/// `{"name", "data", "file_name", "content_type"}`, its data as [`bytes::Bytes`] writes them.
impl ToJson for Part {
    fn write_json(&self, out: &mut Writer) {
        let mut object = out.object();
        object.field("name", &self.name);
        object.field("data", &self.data);
        object.field_some("file_name", &self.file_name);
        object.field_some("content_type", &self.content_type);
        object.end();
    }
}

impl Visitor for Option<Part> {
    fn visit(&mut self, event: Event<'_>, at: &FieldPath<'_>) -> Result<(), JsonError> {
        let fields = crate::json::object(event, at)?;
        let mut name: Option<String> = None;
        let mut data: Option<bytes::Bytes> = None;
        let mut file_name: Option<String> = None;
        let mut content_type: Option<String> = None;
        while let Some(i) = fields.next(&["name", "data", "file_name", "content_type"])? {
            match i {
                0 => fields.value(&mut name)?,
                1 => fields.value(&mut data)?,
                2 => fields.optional(&mut file_name)?,
                3 => fields.optional(&mut content_type)?,
                _ => fields.skip()?,
            }
        }
        *self = Some(Part {
            name: crate::json::required(name, "name", at)?,
            data: crate::json::required(data, "data", at)?,
            file_name,
            content_type,
        });
        Ok(())
    }
}
