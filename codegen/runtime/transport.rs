//! Sending a request: credentials, the URL, attempts under one deadline each, retries with their
//! waits, and bodies read as a stream up to a limit. [`Transport::send`] is the one code path
//! both clients use: the async client awaits it on the caller's runtime, the blocking client
//! runs it on its own I/O thread ([`IoThread`]).

use crate::call::Exchanged;
use crate::credentials::{Chosen, Prepared};
use crate::error::{snippet, ApiError, Error, ResponseTooLargeError, TransportError};
use crate::request::{Body, Request};
use crate::retry::{retry_after, should_retry, should_retry_unanswered, wait_before_retry};
use reqwest::header::HeaderMap;
use std::fmt;
use std::time::Duration;

/// The most memory set aside for a body before any of it arrived, whatever its
/// `Content-Length` claims; more grows as bytes really arrive.
const MAX_PREALLOCATION: u64 = 1024 * 1024;

/// What both clients share: the HTTP client and the checked configuration.
pub(crate) struct Transport {
    pub(crate) http: reqwest::Client,
    /// The base URL, parsed (without query or fragment).
    pub(crate) base: reqwest::Url,
    pub(crate) credentials: Prepared,
    pub(crate) max_retries: u32,
    pub(crate) timeout: Duration,
    pub(crate) max_response_bytes: u64,
    pub(crate) max_download_bytes: u64,
}

/// Which limit a call's body is held to.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Limit {
    /// `max_response_bytes`: JSON, text and empty answers.
    Response,
    /// `max_download_bytes`: binary downloads.
    Download,
}

/// A response whose status was 2xx, body read in full.
#[doc(hidden)]
pub struct RawResponse {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: bytes::Bytes,
}

/// How an attempt ended.
enum Attempt {
    Done(Result<RawResponse, Error>),
    /// It failed in a way that may be retried, after the wait the server asked for, if any.
    Retry(Error, Option<Duration>),
}

/// Why an exchange stopped short of a whole response.
enum Cut {
    /// reqwest failed: connecting, sending, or reading the body.
    Transport(reqwest::Error),
    /// The body is larger than the limit (`declared` is its `Content-Length`, when it came with one).
    TooLarge { status: u16, declared: Option<u64> },
}

impl Transport {
    /// Sends `request` with its credentials, retrying what the rules allow (`retry.rs`), and
    /// returns it with the first 2xx response, or the last error. A request that could not be
    /// built (`Err`: its params failed validation) fails here, unsent. Dropping the future
    /// abandons the call: nothing runs after that, so nothing is retried.
    pub(crate) async fn send(&self, request: Result<Request, Error>, limit: Limit) -> Exchanged {
        let mut request = request?;
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(Error::AsyncRuntime(format!(
                "{} {} was not sent: the async client must be awaited inside a tokio runtime \
                 (with its I/O and time drivers enabled, as #[tokio::main] does); outside one, \
                 use the blocking Client",
                request.method, request.path
            )));
        }
        let chosen = self.credentials.apply(&mut request)?;
        let limit = match limit {
            Limit::Response => (self.max_response_bytes, "max_response_bytes"),
            Limit::Download => (self.max_download_bytes, "max_download_bytes"),
        };
        let mut retries = 0;
        loop {
            match self.attempt(&request, chosen, retries + 1, limit).await {
                Attempt::Done(result) => return result.map(|raw| (request, raw)),
                Attempt::Retry(error, _) if retries >= self.max_retries => return Err(error),
                Attempt::Retry(_, asked) => {
                    tokio::time::sleep(wait_before_retry(retries, asked)).await;
                    retries += 1;
                }
            }
        }
    }

    /// The base URL requests go to, without a trailing `/`.
    pub(crate) fn base_url(&self) -> &str {
        self.base.as_str().trim_end_matches('/')
    }

    /// The URL of `request`: the base URL, its path and its query.
    fn url(&self, request: &Request) -> reqwest::Url {
        url_below(&self.base, &request.path, request.query.as_str())
    }

    /// One attempt, under one deadline for everything: connecting, sending, headers and body.
    async fn attempt(
        &self,
        request: &Request,
        chosen: Chosen,
        attempts: u32,
        (limit, limit_method): (u64, &'static str),
    ) -> Attempt {
        let exchange = async {
            let outgoing = self.request(request, chosen).map_err(Cut::Transport)?;
            let mut response = self.http.execute(outgoing).await.map_err(Cut::Transport)?;
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
                // The request may have been sent and acted on.
                return unanswered(should_retry_unanswered(request, false, false), error);
            }
            Ok(Err(Cut::Transport(e))) => {
                let timed_out = e.is_timeout();
                // A failed connect means nothing was sent.
                let retry = should_retry_unanswered(request, e.is_connect(), e.is_builder());
                let error = TransportError::new(method, &request.path, attempts, e.without_url());
                let error = if timed_out {
                    Error::Timeout(error)
                } else {
                    Error::Connection(error)
                };
                return unanswered(retry, error);
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
        let api = crate::response::failure_from_body(request, status, &body).unwrap_or_else(|| {
            ApiError {
                method: method.to_owned(),
                path: request.path.clone(),
                status,
                errors: Vec::new(),
                messages: Vec::new(),
                body_snippet: snippet(&body),
                body,
            }
        });
        if should_retry(request, status, &headers) {
            Attempt::Retry(Error::Api(api), retry_after(&headers))
        } else {
            Attempt::Done(Err(Error::Api(api)))
        }
    }

    /// The HTTP request of one attempt: `request` at its URL, with its body, its header
    /// parameters, and the header credentials of `chosen` last, replacing header parameters of
    /// the same name. Built again for every attempt, since sending consumes it.
    fn request(
        &self,
        request: &Request,
        chosen: Chosen,
    ) -> Result<reqwest::Request, reqwest::Error> {
        let url = self.url(request);
        let mut outgoing = match &request.body {
            Body::Empty => reqwest::Request::new(request.method.clone(), url),
            Body::Bytes(content_type, bytes) => {
                // A `&'static str` becomes a header value without copying; one that is not a
                // valid value goes through reqwest's builder, which reports it as an error.
                let shared = bytes::Bytes::from_static(content_type.as_bytes());
                let Ok(value) = reqwest::header::HeaderValue::from_maybe_shared(shared) else {
                    return self
                        .http
                        .request(request.method.clone(), url)
                        .header(reqwest::header::CONTENT_TYPE, *content_type)
                        .build();
                };
                let mut outgoing = reqwest::Request::new(request.method.clone(), url);
                outgoing
                    .headers_mut()
                    .insert(reqwest::header::CONTENT_TYPE, value);
                *outgoing.body_mut() = Some(bytes.clone().into());
                outgoing
            }
            Body::Multipart(parts) => self
                .http
                .request(request.method.clone(), url)
                .multipart(crate::request::form(parts))
                .build()?,
        };
        let headers = outgoing.headers_mut();
        for (name, value) in &request.headers {
            headers.append(name.clone(), value.clone());
        }
        for (name, value) in self.credentials.headers(chosen) {
            headers.insert(name.clone(), value.clone());
        }
        Ok(outgoing)
    }
}

/// `base` with `path` (encoded, starting with `/`) appended to its path, and `query` (encoded,
/// empty or starting with `?`). The base was parsed when the client was built; only the path
/// and the query are parsed here (parsing the host again, for every request, would cost more
/// than the rest of the URL). Nothing in `path` can change the host: it is set as a path.
fn url_below(base: &reqwest::Url, path: &str, query: &str) -> reqwest::Url {
    let mut url = base.clone();
    let base_path = base.path().trim_end_matches('/');
    let mut full = String::with_capacity(base_path.len() + path.len());
    full.push_str(base_path);
    full.push_str(path);
    url.set_path(&full);
    url.set_query(query.strip_prefix('?'));
    url
}

/// An attempt that got no answer: retried or done, as decided.
fn unanswered(retry: bool, error: Error) -> Attempt {
    if retry {
        Attempt::Retry(error, None)
    } else {
        Attempt::Done(Err(error))
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

/// The blocking client's I/O thread: a current-thread tokio runtime that runs every request of
/// one client and its clones.
///
/// The runtime lives and dies on that thread, never on a caller's, so neither building nor
/// dropping a blocking client can upset a caller's own tokio runtime (reqwest's blocking client
/// panics in both cases). Dropping the last clone drops `stop`, which ends the thread; nothing
/// waits for it to finish.
pub(crate) struct IoThread {
    handle: tokio::runtime::Handle,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl IoThread {
    /// Starts the thread and builds the HTTP client on its runtime.
    pub(crate) fn start(
        http: reqwest::ClientBuilder,
    ) -> Result<(reqwest::Client, IoThread), Error> {
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
                IoThread {
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

    /// Runs [`Transport::send`] on the I/O thread and waits for its outcome. Refuses, sending
    /// nothing, where waiting would stall a current-thread tokio runtime.
    pub(crate) fn send(
        &self,
        transport: &std::sync::Arc<Transport>,
        request: Request,
        limit: Limit,
    ) -> Result<(Request, RawResponse), Error> {
        if blocking_would_stall_runtime() {
            return Err(Error::AsyncRuntime(format!(
                "{} {} was not sent: it was called from a task of a current-thread tokio \
                 runtime, where waiting for the answer would stop every other task of that \
                 runtime (and never end if the server runs on it); use the AsyncClient there, \
                 or call this client inside tokio::task::spawn_blocking(move || ..)",
                request.method, request.path
            )));
        }
        let method = request.method.clone();
        let (done_tx, done_rx) = std::sync::mpsc::sync_channel(1);
        let transport = std::sync::Arc::clone(transport);
        self.handle.spawn(async move {
            let outcome = transport.send(Ok(request), limit).await;
            let _ = done_tx.send(outcome);
        });
        // The task always answers (every attempt has a deadline and every wait an end); the
        // channel only closes without an answer if the I/O thread is gone.
        done_rx.recv().unwrap_or_else(|_| {
            Err(Error::Connection(TransportError::new(
                method.as_str(),
                "",
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

#[cfg(test)]
mod tests {
    use super::url_below;

    fn below(base: &str, path: &str, query: &str) -> String {
        let base = reqwest::Url::parse(base).expect("a base URL");
        url_below(&base, path, query).to_string()
    }

    #[test]
    fn the_path_goes_below_the_base_path() {
        let base = "https://api.example.com/client/v4";
        assert_eq!(
            below(base, "/accounts/a%2Fb/keys", ""),
            "https://api.example.com/client/v4/accounts/a%2Fb/keys"
        );
        assert_eq!(
            below("https://api.example.com/client/v4/", "/x", "?a=1&b=%20"),
            "https://api.example.com/client/v4/x?a=1&b=%20"
        );
        assert_eq!(
            below("http://127.0.0.1:8080", "/x", ""),
            "http://127.0.0.1:8080/x"
        );
    }

    #[test]
    fn the_same_url_as_parsing_it_whole() {
        let base = "https://api.example.com:8443/v1";
        for (path, query) in [("/a/b", ""), ("/", "?q=%C3%A9"), ("/a%20b/~c", "?x=")] {
            let whole = reqwest::Url::parse(&format!("{base}{path}{query}")).expect("a URL");
            assert_eq!(below(base, path, query), whole.to_string());
        }
    }

    #[test]
    fn a_path_never_changes_the_host() {
        let url = below("https://api.example.com", "//evil.example/x", "");
        assert_eq!(url, "https://api.example.com//evil.example/x");
    }
}
