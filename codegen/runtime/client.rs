//! The two clients and their builder. [`Client`] blocks the calling thread; [`AsyncClient`]
//! returns futures that run on the caller's tokio runtime. Both are built by one
//! [`ClientBuilder`], send through one transport (`transport.rs`: credentials, deadlines, retries, limits)
//! and read answers with the same functions (`response.rs`), so they behave the same; the
//! blocking client only adds its I/O thread, on which it runs the transport.

use crate::call::{Call, Exchanged};
use crate::credentials::{Credential, Credentials, Prepared};
use crate::error::Error;
use crate::json::FromJson;
use crate::request::Request;
use crate::response::{self, ApiResponse};
use crate::retry::DEFAULT_MAX_RETRIES;
use crate::transport::{IoThread, Limit, RawResponse, Transport};
use reqwest::header::{HeaderMap, HeaderValue};
use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// The `User-Agent` sent with every request: this crate's name and version.
pub const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));
/// Time allowed for one attempt: connecting, sending, and reading the headers and the whole body.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Time allowed to open a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The largest response body read, 64 MiB, unless [`ClientBuilder::max_response_bytes`] says
/// otherwise; see there for why.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;
/// The largest binary download read, 1 GiB, unless [`ClientBuilder::max_download_bytes`] says
/// otherwise; see there for why.
pub const DEFAULT_MAX_DOWNLOAD_BYTES: u64 = 1024 * 1024 * 1024;
/// Environment variable overriding the base URL.
pub use crate::auth::ENV_BASE_URL;

/// Builds a [`Client`] or an [`AsyncClient`]: start with [`Client::builder`] (or
/// [`AsyncClient::builder`], the same builder), finish with [`build`](Self::build) or
/// [`build_async`](Self::build_async). Both clients take the same options, credentials and
/// environment variables.
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

    /// Builds the blocking client. Fails when no complete set of credentials was given, when the
    /// base URL is not an absolute http(s) URL, when a limit is zero, or when the TLS stack or
    /// the client's I/O thread cannot start.
    ///
    /// Safe to call anywhere, including inside a tokio runtime: the HTTP stack is built on the
    /// client's own I/O thread.
    pub fn build(self) -> Result<Client, Error> {
        let checked = self.check()?;
        let (http, io) = IoThread::start(checked.http)?;
        Ok(Client {
            inner: AsyncClient::with(http, checked.config),
            io: Arc::new(io),
        })
    }

    /// Builds the async client: the same checks as [`build`](Self::build), without an I/O
    /// thread. Its calls run on the tokio runtime that awaits them (current-thread or
    /// multi-thread, with its I/O and time drivers enabled, as `#[tokio::main]` does).
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), cloudflare_access_keys::Error> {
    /// let client = cloudflare_access_keys::AsyncClient::builder()
    ///     .from_env()
    ///     .timeout(std::time::Duration::from_secs(30))
    ///     .build_async()?;
    /// # let _ = client; Ok(()) }
    /// ```
    pub fn build_async(self) -> Result<AsyncClient, Error> {
        let checked = self.check()?;
        let http = checked
            .http
            .build()
            .map_err(|e| Error::Config(format!("cannot start the HTTP client: {e}")))?;
        Ok(AsyncClient::with(http, checked.config))
    }

    /// The configuration, checked, and the HTTP client to build for it.
    fn check(self) -> Result<Checked, Error> {
        let credentials = self.credentials.prepare()?;
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
        let max_response_bytes = self
            .max_response_bytes
            .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES);
        let max_download_bytes = self
            .max_download_bytes
            .unwrap_or(DEFAULT_MAX_DOWNLOAD_BYTES);
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
            // Redirects are not followed. Following one would resend the credentials (reqwest
            // strips `Authorization` on a cross-origin redirect but not other credential
            // headers) and may turn a PUT into a GET, so a 3xx is returned as an error instead.
            .redirect(reqwest::redirect::Policy::none());
        Ok(Checked {
            http,
            config: Config {
                base: parsed,
                credentials,
                max_retries: self.max_retries.unwrap_or(DEFAULT_MAX_RETRIES),
                timeout,
                max_response_bytes,
                max_download_bytes,
            },
        })
    }
}

/// A checked configuration and the HTTP client still to build for it.
struct Checked {
    http: reqwest::ClientBuilder,
    config: Config,
}

/// What [`ClientBuilder::check`] settled, before the HTTP client exists.
struct Config {
    base: reqwest::Url,
    credentials: Prepared,
    max_retries: u32,
    timeout: Duration,
    max_response_bytes: u64,
    max_download_bytes: u64,
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
/// Calls block the calling thread until the answer is in. In async code, use [`AsyncClient`];
/// see [`Error::AsyncRuntime`] for what happens when this client is called from a task of a
/// current-thread tokio runtime.
#[derive(Clone)]
pub struct Client {
    /// What sends and reads, run on `io`.
    inner: AsyncClient,
    io: Arc<IoThread>,
}

/// An async client for the API, for programs that run on tokio. Cheap to clone: clones share
/// one connection pool. It has no thread of its own: its calls run on the runtime that awaits
/// them, and every future it returns is `Send`.
///
/// ```no_run
/// # async fn run() -> Result<(), cloudflare_access_keys::Error> {
/// // Reads the credentials and the base URL from the environment (see the crate docs).
/// let client = cloudflare_access_keys::AsyncClient::from_env()?;
/// # let _ = client; Ok(()) }
/// ```
///
/// It has the same resources, methods, params, results and errors as [`Client`], each method
/// returning a future (the params are validated when the method is called), and follows the
/// same rules (retries, deadlines, limits). Dropping a future abandons its call: nothing more
/// is sent or retried for it.
#[derive(Clone)]
pub struct AsyncClient {
    transport: Arc<Transport>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.transport.debug("Client", f)
    }
}

impl fmt::Debug for AsyncClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.transport.debug("AsyncClient", f)
    }
}

impl Transport {
    /// The clients' `Debug`: the configuration, credentials redacted.
    fn debug(&self, name: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct(name)
            .field("base_url", &redact_url(self.base_url()))
            .field("credentials", &self.credentials)
            .field("max_retries", &self.max_retries)
            .field("timeout", &self.timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("max_download_bytes", &self.max_download_bytes)
            .finish()
    }
}

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
        self.inner.base_url()
    }

    /// Sends `request` on the I/O thread and waits for the answer.
    fn exchange(&self, request: Request, limit: Limit) -> Result<(Request, RawResponse), Error> {
        self.io.send(&self.inner.transport, request, limit)
    }

    /// Sends `request` and decodes the envelope's `result` as `T`.
    #[doc(hidden)]
    pub fn send_enveloped<T: FromJson>(&self, request: Request) -> Result<ApiResponse<T>, Error> {
        let (request, raw) = self.exchange(request, Limit::Response)?;
        response::enveloped(&request, raw)
    }

    /// Sends `request` and decodes the whole body as `T`.
    #[doc(hidden)]
    pub fn send_json<T: FromJson>(&self, request: Request) -> Result<ApiResponse<T>, Error> {
        let (request, raw) = self.exchange(request, Limit::Response)?;
        response::json(&request, raw)
    }

    /// Sends `request` and returns the body as text.
    #[doc(hidden)]
    pub fn send_text(&self, request: Request) -> Result<ApiResponse<String>, Error> {
        let (request, raw) = self.exchange(request, Limit::Response)?;
        response::text(&request, raw)
    }

    /// Sends `request` and returns the body's bytes, held to
    /// [`ClientBuilder::max_download_bytes`].
    #[doc(hidden)]
    pub fn send_bytes(&self, request: Request) -> Result<ApiResponse<bytes::Bytes>, Error> {
        let (request, raw) = self.exchange(request, Limit::Download)?;
        response::bytes(&request, raw)
    }

    /// Sends `request` and ignores the body.
    #[doc(hidden)]
    pub fn send_empty(&self, request: Request) -> Result<ApiResponse<()>, Error> {
        let (request, raw) = self.exchange(request, Limit::Response)?;
        response::empty(&request, raw)
    }
}

impl AsyncClient {
    /// A builder with nothing configured; finish it with [`ClientBuilder::build_async`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment: [`ClientBuilder::from_env`], then
    /// [`ClientBuilder::build_async`].
    pub fn from_env() -> Result<AsyncClient, Error> {
        ClientBuilder::default().from_env().build_async()
    }

    fn with(http: reqwest::Client, config: Config) -> AsyncClient {
        AsyncClient {
            transport: Arc::new(Transport {
                http,
                base: config.base,
                credentials: config.credentials,
                max_retries: config.max_retries,
                timeout: config.timeout,
                max_response_bytes: config.max_response_bytes,
                max_download_bytes: config.max_download_bytes,
            }),
        }
    }

    /// The base URL requests go to, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        self.transport.base_url()
    }

    /// Sends `request` (a request that could not be built fails here, unsent).
    fn exchange(
        &self,
        request: Result<Request, Error>,
        limit: Limit,
    ) -> impl Future<Output = Exchanged> + Send + '_ {
        self.transport.send(request, limit)
    }

    // The operation methods return these futures as they are, so that an operation costs the
    // compiler a plain function, not a future of its own; they take the request already built
    // (or why it could not be), so the params are validated when the method is called.

    /// Sends `request` and decodes the envelope's `result` as `T`.
    #[doc(hidden)]
    pub fn send_enveloped<T: FromJson>(
        &self,
        request: Result<Request, Error>,
    ) -> Call<impl Future<Output = Exchanged> + Send + '_, ApiResponse<T>> {
        Call::new(
            self.exchange(request, Limit::Response),
            response::enveloped::<T>,
        )
    }

    /// Sends `request` and decodes the whole body as `T`.
    #[doc(hidden)]
    pub fn send_json<T: FromJson>(
        &self,
        request: Result<Request, Error>,
    ) -> Call<impl Future<Output = Exchanged> + Send + '_, ApiResponse<T>> {
        Call::new(self.exchange(request, Limit::Response), response::json::<T>)
    }

    /// Sends `request` and returns the body as text.
    #[doc(hidden)]
    pub fn send_text(
        &self,
        request: Result<Request, Error>,
    ) -> Call<impl Future<Output = Exchanged> + Send + '_, ApiResponse<String>> {
        Call::new(self.exchange(request, Limit::Response), response::text)
    }

    /// Sends `request` and returns the body's bytes, held to
    /// [`ClientBuilder::max_download_bytes`].
    #[doc(hidden)]
    pub fn send_bytes(
        &self,
        request: Result<Request, Error>,
    ) -> Call<impl Future<Output = Exchanged> + Send + '_, ApiResponse<bytes::Bytes>> {
        Call::new(self.exchange(request, Limit::Download), response::bytes)
    }

    /// Sends `request` and ignores the body.
    #[doc(hidden)]
    pub fn send_empty(
        &self,
        request: Result<Request, Error>,
    ) -> Call<impl Future<Output = Exchanged> + Send + '_, ApiResponse<()>> {
        Call::new(self.exchange(request, Limit::Response), response::empty)
    }
}

/// `url` without its userinfo, for messages and `Debug` output: a URL that parses and has no
/// `user:password@` is shown as given; anything else (including text that is not a URL) has
/// everything between `scheme://` and its last `@` replaced by `<redacted>`, which may hide more
/// than the credentials but never shows them.
fn redact_url(url: &str) -> Cow<'_, str> {
    let clean = reqwest::Url::parse(url)
        .is_ok_and(|u| !u.cannot_be_a_base() && u.username().is_empty() && u.password().is_none());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_url_hides_userinfo_and_keeps_clean_urls() {
        assert_eq!(
            redact_url("ftp://user:SECRETPW@api.cloudflare.com/"),
            "ftp://<redacted>@api.cloudflare.com/"
        );
        assert_eq!(redact_url("user:SECRETPW@host/x"), "<redacted>@host/x");
        assert_eq!(
            redact_url("https://u:pa#ss@host"),
            "https://<redacted>@host"
        );
        assert_eq!(
            redact_url("https://u:pa/ss@host"),
            "https://<redacted>@host"
        );
        assert_eq!(redact_url("https://host/a@b"), "https://host/a@b");
        assert_eq!(redact_url("not a url"), "not a url");
    }
}
