//! The HTTP client: configuration, credentials, retries and response decoding.
//!
//! The client is blocking on the outside and asynchronous inside. Every [`Client`] (and all its
//! clones) owns one I/O thread that runs a small tokio runtime with reqwest's async client. A
//! call hands its request to that thread and waits for the outcome on a standard channel, so it
//! never touches the caller's tokio runtime, if there is one: building, using and dropping the
//! client is safe anywhere (see the crate README's *Async programs* section). Each attempt runs
//! under one deadline, [`ClientBuilder::timeout`], that covers connecting, sending, the headers
//! and the whole body, and the body is read as a stream that stops at
//! [`ClientBuilder::max_response_bytes`].

use crate::credentials::{Credential, Credentials};
use crate::error::{
    snippet, ApiError, DecodeError, Error, ResponseInfo, ResponseTooLargeError, TransportError,
};
use reqwest::header::{HeaderMap, HeaderValue};
use crate::json::{FromJson, JsonError, ToJson};
use crate::validate::FieldPath;
use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// The `User-Agent` sent with every request: this crate's name and version.
pub const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));
/// Time allowed for one attempt: connecting, sending, and reading the headers and the whole body.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Time allowed to open a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Retries after the first attempt, unless [`ClientBuilder::max_retries`] says otherwise.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// The largest response body read, 64 MiB, unless [`ClientBuilder::max_response_bytes`] says
/// otherwise; see there for why.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;
/// The largest binary download read, 1 GiB, unless [`ClientBuilder::max_download_bytes`] says
/// otherwise; see there for why.
pub const DEFAULT_MAX_DOWNLOAD_BYTES: u64 = 1024 * 1024 * 1024;
/// Environment variable overriding the base URL.
pub use crate::auth::ENV_BASE_URL;

const INITIAL_RETRY_DELAY: Duration = Duration::from_millis(500);
const MAX_RETRY_DELAY: Duration = Duration::from_secs(8);
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
/// The most memory set aside for a body before any of it arrived, whatever its
/// `Content-Length` claims; more grows as bytes really arrive.
const MAX_PREALLOCATION: u64 = 1024 * 1024;

/// Builds a [`Client`]. Start with [`Client::builder`].
///
/// Credentials are set with the methods named after the API's security schemes (see the
/// crate docs' *Authentication* table); [`ClientBuilder::from_env`] reads them from the
/// environment.
///
/// ```no_run
/// # fn main() -> Result<(), cloudflare_access_keys::Error> {
/// let client = cloudflare_access_keys::Client::builder()
///     .from_env()
///     .timeout(std::time::Duration::from_secs(30))
///     .max_retries(4)
///     .build()?;
/// # let _ = client; Ok(()) }
/// ```
#[derive(Clone, Default)]
pub struct ClientBuilder {
    credentials: Credentials,
    base_url: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    max_retries: Option<u32>,
    max_response_bytes: Option<u64>,
    max_download_bytes: Option<u64>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("credentials", &self.credentials)
            .field("base_url", &self.base_url.as_deref().map(redact_url))
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_retries", &self.max_retries)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("max_download_bytes", &self.max_download_bytes)
            .finish()
    }
}

impl ClientBuilder {
    /// Sets the credential of scheme `index` of the API description; the generated methods
    /// named after the schemes call this (a description without schemes has none).
    #[allow(dead_code)]
    pub(crate) fn with_credential(mut self, index: usize, credential: Credential) -> Self {
        self.credentials.set(index, credential);
        self
    }

    /// Where requests go, [`crate::DEFAULT_BASE_URL`] unless set. A path prefix is kept:
    /// `http://127.0.0.1:8080/prefix` sends to `http://127.0.0.1:8080/prefix/accounts/..`.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Time allowed for each attempt (60 s unless set): connecting, sending the request, and
    /// reading the headers and the **whole** body, under one deadline. A server that sends its
    /// headers in time and then drips the body still fails with [`Error::Timeout`] once the
    /// deadline passes; nothing more is read after it. Whether the attempt is retried follows the
    /// README's retry rules (`GET`, `PUT` and `DELETE` are; `POST` and `PATCH` are not).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Time allowed to open a connection (5 s unless set), within [`Self::timeout`].
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// How many times a failed request may be retried (2 unless set; 0 disables retries).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// The largest response body the client reads, in bytes, for every operation except binary
    /// downloads (see [`Self::max_download_bytes`]); [`DEFAULT_MAX_RESPONSE_BYTES`] (64 MiB)
    /// unless set.
    ///
    /// The body is read as a stream and held in memory whole before it is decoded, so this
    /// bounds the memory a response can take. 64 MiB is generous: the API's JSON answers are an
    /// envelope around one object or one page of a list, from a few hundred bytes to a few MiB,
    /// so an honest answer never comes near it, while a broken proxy or a hostile server sending
    /// without end is stopped long before it exhausts the memory of a small machine (decoded
    /// JSON takes a few times the size of its text).
    ///
    /// A response that declares a larger `Content-Length` is refused before any of its body is
    /// read; one without a length (chunked) is read until it goes over, and nothing more is read
    /// then. Either way the call fails with [`Error::ResponseTooLarge`], which says how to raise
    /// the limit, and it is **not retried**: the same request would bring the same body again.
    pub fn max_response_bytes(mut self, bytes: u64) -> Self {
        self.max_response_bytes = Some(bytes);
        self
    }

    /// The largest body of a binary download (an operation whose response is raw bytes,
    /// returned as [`bytes::Bytes`]), in bytes; [`DEFAULT_MAX_DOWNLOAD_BYTES`] (1 GiB) unless set.
    ///
    /// A download is held in memory whole, like every response. It has its own, larger limit
    /// because files, scripts and archives are legitimately far larger than JSON answers; 1 GiB
    /// still keeps a download that never ends from taking all the memory. Raise it for larger
    /// files on a machine that has the memory. Going over it fails the same way as
    /// [`Self::max_response_bytes`]: [`Error::ResponseTooLarge`], checked against
    /// `Content-Length` first and counted while streaming, never retried.
    pub fn max_download_bytes(mut self, bytes: u64) -> Self {
        self.max_download_bytes = Some(bytes);
        self
    }

    /// Fills what is not set yet from the environment: the base URL from
    /// [`ENV_BASE_URL`], and, unless credentials were given to the
    /// builder, the first combination of schemes whose variables are all set (the crate docs'
    /// *Authentication* table names them), so a stray variable never switches schemes.
    pub fn from_env(self) -> Self {
        self.fill_from(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
    }

    fn fill_from(mut self, lookup: impl Fn(&str) -> Option<String>) -> Self {
        self.credentials.fill_from(&lookup);
        if self.base_url.is_none() {
            self.base_url = lookup(ENV_BASE_URL);
        }
        self
    }

    /// Builds the client. Fails when no complete set of credentials was given, when the base URL
    /// is not an absolute http(s) URL, when a limit is zero, or when the TLS stack or the
    /// client's I/O thread cannot start.
    ///
    /// Safe to call anywhere, including inside a tokio runtime: the HTTP stack is built on the
    /// client's own I/O thread.
    pub fn build(self) -> Result<Client, Error> {
        self.credentials.check()?;
        let credentials = self.credentials;
        let Some(base_url) = self
            .base_url
            .or_else(|| crate::DEFAULT_BASE_URL.map(str::to_owned))
        else {
            return Err(Error::Config(format!(
                "no base URL: the API description names no absolute server URL; set one with \
                 `.base_url(..)` or the {ENV_BASE_URL} environment variable (read by \
                 `Client::from_env()`)"
            )));
        };
        // Every message below shows the URL without its userinfo: `user:password@` never
        // reaches an error.
        let shown = redact_url(&base_url);
        let parsed = reqwest::Url::parse(&base_url)
            .map_err(|e| Error::Config(format!("base URL {shown:?} is not a valid URL: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.cannot_be_a_base() {
            return Err(Error::Config(format!(
                "base URL {shown:?} must be an absolute http:// or https:// URL"
            )));
        }
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(Error::Config(
                "the base URL must not contain credentials; use the builder's credential methods"
                    .into(),
            ));
        }
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(Error::Config(format!(
                "base URL {shown:?} must not have a query or fragment"
            )));
        }
        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        if timeout.is_zero() {
            return Err(Error::Config(
                "the timeout must be greater than zero".into(),
            ));
        }
        let max_response_bytes = self.max_response_bytes.unwrap_or(DEFAULT_MAX_RESPONSE_BYTES);
        let max_download_bytes = self.max_download_bytes.unwrap_or(DEFAULT_MAX_DOWNLOAD_BYTES);
        if max_response_bytes == 0 || max_download_bytes == 0 {
            return Err(Error::Config(
                "max_response_bytes and max_download_bytes must be greater than zero".into(),
            ));
        }
        let mut default_headers = HeaderMap::new();
        default_headers.insert(
            reqwest::header::ACCEPT,
            HeaderValue::from_static("application/json"),
        );
        let http = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .default_headers(default_headers)
            .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
            // The API does not redirect. Following one would resend the credentials (reqwest
            // strips `Authorization` on a cross-origin redirect but not `X-Auth-Key`) and may
            // turn a PUT into a GET, so a 3xx is returned as an error instead.
            .redirect(reqwest::redirect::Policy::none());
        let (http, io) = Io::start(http)?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                io,
                base_url: parsed.as_str().trim_end_matches('/').to_owned(),
                credentials,
                max_retries: self.max_retries.unwrap_or(DEFAULT_MAX_RETRIES),
                timeout,
                max_response_bytes,
                max_download_bytes,
            }),
        })
    }
}

/// `url` without its userinfo, for messages and `Debug` output: a URL that parses and has no
/// `user:password@` is shown as given; anything else (including text that is not a URL) has
/// everything between `scheme://` and its last `@` replaced by `<redacted>`, which may hide more
/// than the credentials but never shows them.
fn redact_url(url: &str) -> Cow<'_, str> {
    let clean = reqwest::Url::parse(url).is_ok_and(|u| {
        !u.cannot_be_a_base() && u.username().is_empty() && u.password().is_none()
    });
    if clean {
        return Cow::Borrowed(url);
    }
    let Some(at) = url.rfind('@') else {
        return Cow::Borrowed(url);
    };
    let start = match url.find("://") {
        Some(i) if i + 3 <= at => i + 3,
        _ => 0,
    };
    Cow::Owned(format!("{}<redacted>{}", &url[..start], &url[at..]))
}

/// The client's I/O thread: a current-thread tokio runtime that runs every request of one
/// client and its clones.
///
/// The runtime lives and dies on that thread, never on a caller's, so neither building nor
/// dropping a client can upset a caller's own tokio runtime (reqwest's blocking client panics in
/// both cases). Dropping the last clone drops `stop`, which ends the thread; nothing waits for
/// it to finish.
struct Io {
    handle: tokio::runtime::Handle,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl Io {
    fn start(http: reqwest::ClientBuilder) -> Result<(reqwest::Client, Io), Error> {
        type Ready = Result<
            (
                reqwest::Client,
                tokio::runtime::Handle,
                tokio::sync::oneshot::Sender<()>,
            ),
            String,
        >;
        let (ready_tx, ready_rx) = std::sync::mpsc::sync_channel::<Ready>(1);
        std::thread::Builder::new()
            .name(concat!(env!("CARGO_PKG_NAME"), "-io").into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime,
                    Err(e) => {
                        let _ = ready_tx.send(Err(format!("cannot start the I/O runtime: {e}")));
                        return;
                    }
                };
                let http = {
                    let _entered = runtime.enter();
                    http.build()
                };
                let http = match http {
                    Ok(http) => http,
                    Err(e) => {
                        let _ = ready_tx.send(Err(format!("cannot start the HTTP client: {e}")));
                        return;
                    }
                };
                let (stop_tx, stop_rx) = tokio::sync::oneshot::channel();
                if ready_tx
                    .send(Ok((http, runtime.handle().clone(), stop_tx)))
                    .is_ok()
                {
                    // Ends when the last clone of the client drops `stop_tx`.
                    let _ = runtime.block_on(stop_rx);
                }
            })
            .map_err(|e| Error::Config(format!("cannot start the client's I/O thread: {e}")))?;
        match ready_rx.recv() {
            Ok(Ok((http, handle, stop))) => Ok((
                http,
                Io {
                    handle,
                    _stop: stop,
                },
            )),
            Ok(Err(message)) => Err(Error::Config(message)),
            Err(_) => Err(Error::Config(
                "the client's I/O thread stopped while starting".into(),
            )),
        }
    }
}

/// A blocking client for the API. Cheap to clone: clones share one connection pool and one I/O
/// thread.
///
/// ```no_run
/// # fn main() -> Result<(), cloudflare_access_keys::Error> {
/// // Reads the credentials and the base URL from the environment (see the crate docs).
/// let client = cloudflare_access_keys::Client::from_env()?;
/// # let _ = client; Ok(()) }
/// ```
///
/// Calls block the calling thread until the answer is in. Inside a tokio runtime, call it from
/// `tokio::task::spawn_blocking`; see [`Error::AsyncRuntime`] for what happens otherwise.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    io: Io,
    base_url: String,
    credentials: Credentials,
    max_retries: u32,
    timeout: Duration,
    max_response_bytes: u64,
    max_download_bytes: u64,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &redact_url(&self.inner.base_url))
            .field("credentials", &self.inner.credentials)
            .field("max_retries", &self.inner.max_retries)
            .field("timeout", &self.inner.timeout)
            .field("max_response_bytes", &self.inner.max_response_bytes)
            .field("max_download_bytes", &self.inner.max_download_bytes)
            .finish()
    }
}

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

/// Every item of a paginated list operation, fetching the next page when the current one is
/// used up. Returned by the `*_auto_paging` methods.
///
/// The iterator stops after a page that is empty or that `result_info` marks as the last one
/// (`total_pages`, or `total_count` with `per_page`, or a page shorter than `per_page`). An
/// error is returned once and ends the iteration.
///
/// Lists that page with a cursor instead (`result_info.cursor`) fetch the next page with the
/// cursor the last one handed back, until a page comes without one (or with the same one).
pub struct Pages<'a, T> {
    fetch: Box<FetchPage<'a, T>>,
    next: Option<PageAt>,
    items: std::vec::IntoIter<T>,
}

/// Where a page starts.
#[derive(Debug, Clone, PartialEq, Eq)]
enum PageAt {
    /// A page number (`page`).
    Number(u64),
    /// The cursor the previous page handed back (none for the first page).
    Cursor(Option<String>),
}

/// Fetches one page.
type FetchPage<'a, T> = dyn FnMut(&PageAt) -> Result<ApiResponse<Vec<T>>, Error> + 'a;

impl<T> fmt::Debug for Pages<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("next", &self.next)
            .field("buffered", &self.items.len())
            .finish()
    }
}

impl<'a, T> Pages<'a, T> {
    /// Starts at `first_page`; `fetch` gets one page by number.
    #[doc(hidden)]
    pub fn new(
        first_page: u64,
        mut fetch: impl FnMut(u64) -> Result<ApiResponse<Vec<T>>, Error> + 'a,
    ) -> Self {
        Pages {
            fetch: Box::new(move |at: &PageAt| match at {
                PageAt::Number(page) => fetch(*page),
                PageAt::Cursor(_) => fetch(1),
            }),
            next: Some(PageAt::Number(first_page)),
            items: Vec::new().into_iter(),
        }
    }

    /// Starts at `first_cursor` (none: the first page); `fetch` gets the page a cursor names.
    #[doc(hidden)]
    pub fn with_cursor(
        first_cursor: Option<String>,
        mut fetch: impl FnMut(Option<String>) -> Result<ApiResponse<Vec<T>>, Error> + 'a,
    ) -> Self {
        Pages {
            fetch: Box::new(move |at: &PageAt| match at {
                PageAt::Cursor(cursor) => fetch(cursor.clone()),
                PageAt::Number(_) => fetch(None),
            }),
            next: Some(PageAt::Cursor(first_cursor)),
            items: Vec::new().into_iter(),
        }
    }
}

impl<T> Iterator for Pages<'_, T> {
    type Item = Result<T, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.items.next() {
                return Some(Ok(item));
            }
            let at = self.next.take()?;
            match (self.fetch)(&at) {
                Err(e) => return Some(Err(e)),
                Ok(response) => {
                    let len = response.result.len();
                    let info = response.result_info.as_ref();
                    if len > 0 {
                        self.next = match at {
                            PageAt::Number(page) => {
                                has_more(page, len, info).then_some(PageAt::Number(page + 1))
                            }
                            PageAt::Cursor(current) => next_cursor(current.as_deref(), info)
                                .map(|c| PageAt::Cursor(Some(c))),
                        };
                    }
                    self.items = response.result.into_iter();
                }
            }
        }
    }
}

/// The cursor of the next page: `result_info.cursor` when it is a non-empty string other than
/// the current one (a server repeating a cursor would otherwise loop forever).
fn next_cursor(current: Option<&str>, info: Option<&serde_json::Value>) -> Option<String> {
    let cursor = info?.get("cursor")?.as_str()?;
    (!cursor.is_empty() && Some(cursor) != current).then(|| cursor.to_owned())
}

/// Whether another page follows page `page`, which held `len` items.
fn has_more(page: u64, len: usize, info: Option<&serde_json::Value>) -> bool {
    let number = |key: &str| {
        info.and_then(|i| i.get(key))
            .and_then(serde_json::Value::as_f64)
    };
    if let Some(total_pages) = number("total_pages") {
        return (page as f64) < total_pages;
    }
    match (number("total_count"), number("per_page")) {
        (Some(total), Some(per_page)) => (page as f64) * per_page < total,
        (None, Some(per_page)) => len as f64 >= per_page,
        _ => false,
    }
}

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

    /// Sets a JSON body.
    pub fn json<T: ToJson + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.json_value(&value.to_json())
    }

    /// Sets a JSON body from its value.
    fn json_value(&mut self, value: &serde_json::Value) -> Result<(), Error> {
        let bytes = serde_json::to_vec(value)
            .map_err(|e| Error::Config(format!("cannot encode the request body as JSON: {e}")))?;
        self.body = Body::Bytes("application/json", bytes.into());
        Ok(())
    }

    fn idempotent(&self) -> bool {
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

/// How a failed attempt may be followed up.
enum Attempt {
    Done(Result<RawResponse, Error>),
    Retry(Error, Option<Duration>),
}

/// A response whose status was 2xx, body read in full.
struct RawResponse {
    status: u16,
    headers: HeaderMap,
    body: bytes::Bytes,
}

/// Why an exchange stopped short of a whole response.
enum Cut {
    /// reqwest failed: connecting, sending, or reading the body.
    Transport(reqwest::Error),
    /// The body is larger than the limit (`declared` is its `Content-Length`, when it came with one).
    TooLarge { status: u16, declared: Option<u64> },
}

/// Which limit a call's body is held to.
#[derive(Clone, Copy)]
enum Limit {
    Response,
    Download,
}

/// Cloudflare's response envelope, its `result` still JSON. Its bookkeeping is read leniently:
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
    request: Arc<Request>,
    status: u16,
    headers: HeaderMap,
    body: bytes::Bytes,
    messages: Vec<ResponseInfo>,
    errors: Vec<ResponseInfo>,
    result_info: Option<serde_json::Value>,
    /// The envelope had no `result` (converted from `null`).
    missing: bool,
}

impl Received {
    fn with_result<T>(self, result: T) -> ApiResponse<T> {
        ApiResponse {
            status: self.status,
            headers: self.headers,
            result,
            messages: self.messages,
            errors: self.errors,
            result_info: self.result_info,
        }
    }

    /// The error for a `result` that does not read as its type; an absent `result` fails as
    /// missing.
    fn decode_error(self, error: JsonError) -> Error {
        let error = if self.missing {
            missing_result()
        } else {
            error
        };
        let raw = RawResponse {
            status: self.status,
            headers: self.headers,
            body: self.body,
        };
        decode_error(&self.request, raw, error)
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

impl Client {
    /// A builder with nothing configured.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment: [`ClientBuilder::from_env`], then
    /// [`ClientBuilder::build`].
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::default().from_env().build()
    }

    /// The base URL requests go to, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends `request` and decodes the envelope's `result` as `T`.
    ///
    /// Only the conversion of `result` depends on `T`; sending and reading the envelope are
    /// compiled once for all operations.
    #[doc(hidden)]
    pub fn send_enveloped<T: FromJson>(
        &self,
        request: Request,
    ) -> Result<ApiResponse<T>, Error> {
        let (value, received) = self.send_for_envelope(request)?;
        match T::from_json(value, &RESULT) {
            Ok(result) => Ok(received.with_result(result)),
            Err(e) => Err(received.decode_error(e)),
        }
    }

    /// Sends `request` and reads the envelope of a successful answer, returning its `result`
    /// (`null` when absent) and the rest: the failure the envelope reports
    /// (`"success": false`), or a body that is no envelope, is an error.
    fn send_for_envelope(
        &self,
        request: Request,
    ) -> Result<(serde_json::Value, Received), Error> {
        let request = self.authenticate(request)?;
        let raw = self.send(&request, Limit::Response)?;
        match read_envelope(&raw.body) {
            Ok(envelope) if envelope.success => {
                let (value, missing) = result_value(envelope.result);
                let received = Received {
                    request,
                    status: raw.status,
                    headers: raw.headers,
                    body: raw.body,
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
                if let Some(api) = failure_from_body(&request, raw.status, &raw.body) {
                    return Err(Error::Api(api));
                }
                Err(decode_error(&request, raw, e))
            }
        }
    }

    /// Sends `request` and decodes the whole body as `T`.
    #[doc(hidden)]
    pub fn send_json<T: FromJson>(
        &self,
        request: Request,
    ) -> Result<ApiResponse<T>, Error> {
        let (request, raw, value) = self.send_for_json(request)?;
        match T::from_json(value, &FieldPath::Root) {
            Ok(result) => Ok(plain(raw.status, raw.headers, result)),
            Err(e) => Err(decode_error(&request, raw, e)),
        }
    }

    /// Sends `request` and parses the body as JSON (an empty body as `null`).
    fn send_for_json(
        &self,
        request: Request,
    ) -> Result<(Arc<Request>, RawResponse, serde_json::Value), Error> {
        let request = self.authenticate(request)?;
        let raw = self.send(&request, Limit::Response)?;
        let body = if raw.body.is_empty() {
            &b"null"[..]
        } else {
            &raw.body[..]
        };
        match crate::json::parse(body) {
            Ok(value) => Ok((request, raw, value)),
            Err(e) => Err(decode_error(&request, raw, e)),
        }
    }

    /// Sends `request` and returns the body as text.
    #[doc(hidden)]
    pub fn send_text(&self, request: Request) -> Result<ApiResponse<String>, Error> {
        let request = self.authenticate(request)?;
        let raw = self.send(&request, Limit::Response)?;
        match std::str::from_utf8(&raw.body) {
            Ok(text) => {
                let text = text.to_owned();
                Ok(plain(raw.status, raw.headers, text))
            }
            Err(e) => {
                let message = format!("not UTF-8 text: {e}");
                Err(decode_error(&request, raw, JsonError { path: ".".into(), message }))
            }
        }
    }

    /// Sends `request` and returns the body's bytes, held to
    /// [`ClientBuilder::max_download_bytes`].
    #[doc(hidden)]
    pub fn send_bytes(&self, request: Request) -> Result<ApiResponse<bytes::Bytes>, Error> {
        let raw = self.send(&self.authenticate(request)?, Limit::Download)?;
        Ok(plain(raw.status, raw.headers, raw.body))
    }

    /// Sends `request` and ignores the body.
    #[doc(hidden)]
    pub fn send_empty(&self, request: Request) -> Result<ApiResponse<()>, Error> {
        let raw = self.send(&self.authenticate(request)?, Limit::Response)?;
        Ok(plain(raw.status, raw.headers, ()))
    }

    /// Adds the credentials the operation accepts, ready to send (possibly several times).
    fn authenticate(&self, mut request: Request) -> Result<Arc<Request>, Error> {
        self.inner.credentials.apply(&mut request)?;
        Ok(Arc::new(request))
    }

    /// Sends with retries on the I/O thread and waits for the outcome: the first 2xx response,
    /// or the last error.
    fn send(&self, request: &Arc<Request>, limit: Limit) -> Result<RawResponse, Error> {
        if blocking_would_stall_runtime() {
            return Err(Error::AsyncRuntime(format!(
                "{} {} was not sent: it was called from a task of a current-thread tokio \
                 runtime, where waiting for the answer would stop every other task of that \
                 runtime (and never end if the server runs on it); call the client inside \
                 tokio::task::spawn_blocking(move || ..) instead, or use a multi-thread runtime",
                request.method, request.path
            )));
        }
        let mut text = String::with_capacity(
            self.inner.base_url.len() + request.path.len() + request.query.as_str().len(),
        );
        text.push_str(&self.inner.base_url);
        text.push_str(&request.path);
        text.push_str(request.query.as_str());
        let url = reqwest::Url::parse(&text)
            .map_err(|e| Error::Config(format!("cannot form a URL for {}: {e}", request.path)))?;
        let (done_tx, done_rx) = std::sync::mpsc::sync_channel(1);
        let inner = Arc::clone(&self.inner);
        let task_request = Arc::clone(request);
        self.inner.io.handle.spawn(async move {
            let outcome = inner.send(&task_request, url, limit).await;
            let _ = done_tx.send(outcome);
        });
        // The task always answers (every attempt has a deadline and every wait an end); the
        // channel only closes without an answer if the I/O thread is gone.
        done_rx.recv().unwrap_or_else(|_| {
            Err(Error::Connection(TransportError::new(
                request.method.as_str(),
                &request.path,
                0,
                "the client's I/O thread stopped before answering",
            )))
        })
    }
}

/// Whether waiting here would block a thread that runs the tasks of a tokio runtime which
/// nothing else would run meanwhile: the thread of a current-thread runtime while it polls a
/// task (or the future given to `block_on`).
///
/// Outside any runtime, on a thread of a multi-thread runtime (the other workers go on), and on
/// a thread of `spawn_blocking` (meant for waiting), waiting is fine. To tell a current-thread
/// runtime's own thread from its `spawn_blocking` threads, which both see the runtime's handle,
/// this looks at tokio's cooperative budget, the public measure of "a task is being polled by
/// the scheduler": tokio gives every task poll a budget of 128 units and runs blocking closures
/// without one. Taking units one by one until tokio says "yield" therefore means a task is
/// being polled; the units are then handed back, newest first, so the budget is left exactly as
/// it was.
fn blocking_would_stall_runtime() -> bool {
    use std::task::{Context, Poll, Waker};
    let Ok(handle) = tokio::runtime::Handle::try_current() else {
        return false;
    };
    if handle.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread {
        return false;
    }
    let mut cx = Context::from_waker(Waker::noop());
    let mut taken = Vec::with_capacity(129);
    let mut budgeted = false;
    for _ in 0..=128 {
        match tokio::task::coop::poll_proceed(&mut cx) {
            Poll::Ready(unit) => taken.push(unit),
            Poll::Pending => {
                budgeted = true;
                break;
            }
        }
    }
    while let Some(unit) = taken.pop() {
        drop(unit);
    }
    budgeted
}

impl Inner {
    /// Sends with retries; returns the first 2xx response, or the last error.
    async fn send(
        &self,
        request: &Request,
        url: reqwest::Url,
        limit: Limit,
    ) -> Result<RawResponse, Error> {
        let limit = match limit {
            Limit::Response => (self.max_response_bytes, "max_response_bytes"),
            Limit::Download => (self.max_download_bytes, "max_download_bytes"),
        };
        let mut retries = 0;
        loop {
            match self.attempt(request, url.clone(), retries + 1, limit).await {
                Attempt::Done(result) => return result,
                Attempt::Retry(error, _) if retries >= self.max_retries => return Err(error),
                Attempt::Retry(_, wait) => {
                    tokio::time::sleep(wait.unwrap_or_else(|| backoff(retries))).await;
                    retries += 1;
                }
            }
        }
    }

    /// One attempt, under one deadline for everything: connecting, sending, headers and body.
    async fn attempt(
        &self,
        request: &Request,
        url: reqwest::Url,
        attempts: u32,
        (limit, limit_method): (u64, &'static str),
    ) -> Attempt {
        let exchange = async {
            let mut response = self
                .request(request, url)
                .send()
                .await
                .map_err(Cut::Transport)?;
            let status = response.status().as_u16();
            // Moved out rather than cloned: reading the body does not look at the headers.
            let headers = std::mem::take(response.headers_mut());
            let body = read_body(&mut response, status, limit).await?;
            Ok::<_, Cut>((status, headers, body))
        };
        let method = request.method.as_str();
        let (status, headers, body) = match tokio::time::timeout(self.timeout, exchange).await {
            Ok(Ok(response)) => response,
            Err(_elapsed) => {
                let error = Error::Timeout(TransportError::new(
                    method,
                    &request.path,
                    attempts,
                    AttemptTimedOut(self.timeout),
                ));
                // The request may have been sent and acted on: only idempotent methods repeat.
                return if request.idempotent() {
                    Attempt::Retry(error, None)
                } else {
                    Attempt::Done(Err(error))
                };
            }
            Ok(Err(Cut::Transport(e))) => {
                let timed_out = e.is_timeout();
                // A failed connect means nothing was sent, so even a POST may be retried.
                let retry = e.is_connect() || (request.idempotent() && !e.is_builder());
                let error = TransportError::new(method, &request.path, attempts, e.without_url());
                let error = if timed_out {
                    Error::Timeout(error)
                } else {
                    Error::Connection(error)
                };
                return if retry {
                    Attempt::Retry(error, None)
                } else {
                    Attempt::Done(Err(error))
                };
            }
            Ok(Err(Cut::TooLarge { status, declared })) => {
                // Never retried: the same request would bring the same body again.
                return Attempt::Done(Err(Error::ResponseTooLarge(ResponseTooLargeError {
                    method: method.to_owned(),
                    path: request.path.clone(),
                    status,
                    limit,
                    content_length: declared,
                    builder_method: limit_method,
                })));
            }
        };
        if (200..300).contains(&status) {
            return Attempt::Done(Ok(RawResponse {
                status,
                headers,
                body,
            }));
        }
        let api = failure_from_body(request, status, &body).unwrap_or_else(|| ApiError {
            method: method.to_owned(),
            path: request.path.clone(),
            status,
            errors: Vec::new(),
            messages: Vec::new(),
            body_snippet: snippet(&body),
            body,
        });
        if should_retry(request, status, &headers) {
            Attempt::Retry(Error::Api(api), retry_after(&headers))
        } else {
            Attempt::Done(Err(Error::Api(api)))
        }
    }

    fn request(&self, request: &Request, url: reqwest::Url) -> reqwest::RequestBuilder {
        let mut builder = self.http.request(request.method.clone(), url);
        if !request.headers.is_empty() {
            builder = builder.headers(request.headers.clone());
        }
        match &request.body {
            Body::Empty => builder,
            Body::Bytes(content_type, bytes) => {
                // A `&'static str` becomes a header value without copying; one that is not a
                // valid value takes the copying path, which reports the same error as before.
                let static_value = reqwest::header::HeaderValue::from_maybe_shared(
                    bytes::Bytes::from_static(content_type.as_bytes()),
                );
                match static_value {
                    Ok(value) => builder.header(reqwest::header::CONTENT_TYPE, value),
                    Err(_) => builder.header(reqwest::header::CONTENT_TYPE, *content_type),
                }
                .body(bytes.clone())
            }
            Body::Multipart(parts) => builder.multipart(multipart_form(parts)),
        }
    }
}

/// Whether a non-2xx response may be retried.
///
/// The server's `x-should-retry` header is honoured as Cloudflare's SDKs do, within the method
/// rules: `false` stops any retry; `true` allows one for any status, but for `POST` and `PATCH`
/// only where the status says the request was not processed (429), since they must not be
/// repeated once they may have taken effect. Without the header: 429 always, 408, 409 and 5xx
/// for idempotent methods only.
fn should_retry(request: &Request, status: u16, headers: &HeaderMap) -> bool {
    let header = headers
        .get("x-should-retry")
        .and_then(|v| v.to_str().ok())
        .map(str::trim);
    match header {
        Some(v) if v.eq_ignore_ascii_case("false") => false,
        Some(v) if v.eq_ignore_ascii_case("true") => status == 429 || request.idempotent(),
        _ => match status {
            429 => true,
            408 | 409 | 500..=599 => request.idempotent(),
            _ => false,
        },
    }
}

/// Reads the body as a stream, at most `limit` bytes: a larger `Content-Length` is refused
/// before anything is read, and reading stops as soon as the count goes over.
async fn read_body(
    response: &mut reqwest::Response,
    status: u16,
    limit: u64,
) -> Result<bytes::Bytes, Cut> {
    let declared = response.content_length();
    if declared.is_some_and(|length| length > limit) {
        return Err(Cut::TooLarge { status, declared });
    }
    // The usual body arrives in one chunk, which is kept as it is; more chunks are gathered.
    let mut first: Option<bytes::Bytes> = None;
    let mut gathered: Vec<u8> = Vec::new();
    let mut total: u64 = 0;
    while let Some(chunk) = response.chunk().await.map_err(Cut::Transport)? {
        total = total.saturating_add(chunk.len() as u64);
        if total > limit {
            return Err(Cut::TooLarge { status, declared });
        }
        if let Some(previous) = first.take() {
            // A second chunk: gather from here on, setting aside what `Content-Length`
            // announces, but never more than `MAX_PREALLOCATION` ahead of what arrived.
            let expected = declared.unwrap_or(total).min(MAX_PREALLOCATION).max(total);
            gathered.reserve(usize::try_from(expected).unwrap_or(0));
            gathered.extend_from_slice(&previous);
            gathered.extend_from_slice(&chunk);
        } else if gathered.is_empty() {
            first = Some(chunk);
        } else {
            gathered.extend_from_slice(&chunk);
        }
    }
    Ok(match first {
        Some(only) => only,
        None => gathered.into(),
    })
}

/// The cause of [`Error::Timeout`] when an attempt's deadline passed.
#[derive(Debug)]
struct AttemptTimedOut(Duration);

impl fmt::Display for AttemptTimedOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "no complete response within the timeout of {:?} (it covers connecting, sending, \
             the headers and the whole body of one attempt; raise it with \
             ClientBuilder::timeout)",
            self.0
        )
    }
}

impl std::error::Error for AttemptTimedOut {}

fn multipart_form(parts: &[Part]) -> reqwest::multipart::Form {
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
fn failure_from_body(request: &Request, status: u16, body: &bytes::Bytes) -> Option<ApiError> {
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

/// 0.5 s x 2^retries, capped at 8 s, minus up to 25% jitter.
fn backoff(retries: u32) -> Duration {
    let base = INITIAL_RETRY_DELAY
        .saturating_mul(1u32 << retries.min(16))
        .min(MAX_RETRY_DELAY);
    base.mul_f64(1.0 - 0.25 * unit_random())
}

/// A number in `[0, 1)` that differs from call to call, for jitter (not for secrets): the
/// standard library's randomly keyed hasher, freshly keyed for every call, applied to the clock.
fn unit_random() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default();
    hasher.write_u128(now.as_nanos());
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// The wait the server asked for with `retry-after-ms` or `Retry-After` (seconds or an HTTP
/// date), when it is between 0 and 60 s.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    let wait = if let Some(ms) = header("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        Duration::try_from_secs_f64(ms / 1000.0).ok()
    } else if let Some(value) = header("retry-after") {
        match value.parse::<f64>() {
            Ok(secs) => Duration::try_from_secs_f64(secs).ok(),
            // An HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`) is an RFC 2822 date.
            Err(_) => chrono::DateTime::parse_from_rfc2822(value).ok().map(|at| {
                SystemTime::from(at)
                    .duration_since(SystemTime::now())
                    .unwrap_or(Duration::ZERO)
            }),
        }
    } else {
        None
    };
    wait.filter(|w| *w <= MAX_RETRY_AFTER)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_caps_with_jitter() {
        for (n, full) in [(0, 0.5), (1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (10, 8.0)] {
            let d = backoff(n).as_secs_f64();
            assert!(d <= full && d >= full * 0.75, "retry {n}: {d}");
        }
    }

    #[test]
    fn retry_after_forms() {
        let mut h = HeaderMap::new();
        h.insert("retry-after", HeaderValue::from_static("3"));
        assert_eq!(retry_after(&h), Some(Duration::from_secs(3)));
        h.insert("retry-after-ms", HeaderValue::from_static("250"));
        assert_eq!(retry_after(&h), Some(Duration::from_millis(250)));
        let mut h = HeaderMap::new();
        h.insert("retry-after", HeaderValue::from_static("61"));
        assert_eq!(retry_after(&h), None);
        let later = (chrono::Utc::now() + chrono::Duration::seconds(10))
            .format("%a, %d %b %Y %H:%M:%S GMT")
            .to_string();
        h.insert("retry-after", HeaderValue::from_str(&later).unwrap());
        let wait = retry_after(&h).unwrap();
        assert!(wait <= Duration::from_secs(10) && wait >= Duration::from_secs(8));
    }

    #[test]
    fn pages_walk_until_result_info_says_stop() {
        let fetched = std::cell::RefCell::new(Vec::new());
        let pages = Pages::new(1, |page| {
            fetched.borrow_mut().push(page);
            let items: Vec<u64> = (0..2).map(|i| page * 10 + i).collect();
            Ok(plain(200, HeaderMap::new(), items)).map(|mut r| {
                r.result_info = Some(serde_json::json!({"page": page, "total_pages": 3}));
                r
            })
        });
        let all: Vec<u64> = pages.map(Result::unwrap).collect();
        assert_eq!(all, vec![10, 11, 20, 21, 30, 31]);
        assert_eq!(*fetched.borrow(), vec![1, 2, 3]);
        assert!(!has_more(1, 5, None));
        assert!(has_more(1, 20, Some(&serde_json::json!({"per_page": 20}))));
        assert!(!has_more(
            2,
            20,
            Some(&serde_json::json!({"per_page": 20, "total_count": 40}))
        ));
    }

    #[test]
    fn cursor_pages_follow_result_info_cursor_until_it_ends_or_repeats() {
        let fetched = std::cell::RefCell::new(Vec::new());
        let pages = Pages::with_cursor(None, |cursor| {
            fetched.borrow_mut().push(cursor.clone());
            let (items, next) = match cursor.as_deref() {
                None => (vec![1, 2], "c2"),
                Some("c2") => (vec![3], "c3"),
                _ => (vec![4], ""),
            };
            Ok(plain(200, HeaderMap::new(), items)).map(|mut r| {
                r.result_info = Some(serde_json::json!({"cursor": next}));
                r
            })
        });
        let all: Vec<u32> = pages.map(Result::unwrap).collect();
        assert_eq!(all, vec![1, 2, 3, 4]);
        assert_eq!(
            *fetched.borrow(),
            vec![None, Some("c2".to_owned()), Some("c3".to_owned())]
        );
        let info = serde_json::json!({"cursor": "same"});
        assert_eq!(next_cursor(Some("same"), Some(&info)), None);
        assert_eq!(next_cursor(None, Some(&info)).as_deref(), Some("same"));
    }

    #[test]
    fn redact_url_hides_userinfo_and_keeps_clean_urls() {
        assert_eq!(
            redact_url("ftp://user:SECRETPW@api.cloudflare.com/"),
            "ftp://<redacted>@api.cloudflare.com/"
        );
        assert_eq!(redact_url("user:SECRETPW@host/x"), "<redacted>@host/x");
        assert_eq!(redact_url("https://u:pa#ss@host"), "https://<redacted>@host");
        assert_eq!(redact_url("https://u:pa/ss@host"), "https://<redacted>@host");
        assert_eq!(redact_url("https://host/a@b"), "https://host/a@b");
        assert_eq!(redact_url("not a url"), "not a url");
    }

    #[test]
    fn unit_random_stays_in_range_and_varies() {
        let draws: Vec<f64> = (0..64).map(|_| unit_random()).collect();
        assert!(draws.iter().all(|d| (0.0..1.0).contains(d)));
        assert!(draws.iter().any(|d| *d != draws[0]));
    }
}
