//! Shared support for the cross-crate tests of `cloudflare-access-keys`.
//!
//! The centre piece is [`TestServer`], a small but real HTTP/1.1 server on `127.0.0.1` that
//! the generated client talks to over TCP, exactly as it would talk to the real API:
//!
//! - it listens on an ephemeral port (port 0) and serves every accepted connection on its own
//!   thread, with keep-alive, `Content-Length` and `Transfer-Encoding: chunked` request bodies;
//! - it records every request ([`RecordedRequest`]: method, target, lowercase headers, body,
//!   the number of the connection it came on and the [`Instant`] it arrived) and counts accepted
//!   connections;
//! - it answers from a scripted queue of [`Reply`]s (status, headers, body, an optional delay,
//!   or closing the connection without an answer), falling back to a fixed reply when the queue
//!   is empty; a reply may [`drip`](Reply::drip) its body piece by piece, slowly or without end,
//!   and the server counts the dripped bodies the client hung up on (by default a `418` failure envelope, which the client never retries, so an
//!   unexpected extra request shows up as a clear failure);
//! - it stops by itself: every loop polls with short timeouts and watches a shutdown flag that
//!   [`Drop`] sets (and a hard lifetime cap), so a failing test never leaves a thread hanging.
//!
//! [`unused_port`] gives a port nothing listens on, for refused-connection tests.
//!
//! [`fixtures`] finds the generator's fixtures under `tests/fixtures/`, generates them and
//! compares them with (or rewrites) their checked-in snapshots; [`snapshot_report`] is the
//! readable diff both snapshot tests print.
//!
//! [`synth`] makes schema-valid response bodies from a document, for the conformance test
//! (`tests/tests/conformance.rs`).

pub mod fixtures;
pub mod synth;

use std::collections::VecDeque;
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The account id of the documentation page's example.
pub const ACCOUNT_ID: &str = "023e105f4ecef8ad9ca31a8372d0c353";
/// The API token of the documentation page's example (treated as a secret by the tests).
pub const TOKEN: &str = "Sn3lZJTBX6kkg7OdcBUAxOO963GEIyGQqnFTOFYY";
/// The email of the documentation page's legacy-scheme example.
pub const EMAIL: &str = "user@example.com";
/// The Global API key of the documentation page's example (treated as a secret by the tests).
pub const API_KEY: &str = "144c9defac04969c7bfad8efaa8ea194";
/// The path prefix of the real API's base URL; [`TestServer::base_url`] includes it.
pub const PREFIX: &str = "/client/v4";

/// The response example of the documentation page of `PUT /accounts/{account_id}/access/keys`
/// (`/work/shared/seed/000_144b7756843709ab.txt`), byte for byte.
pub const SEED_RESPONSE_EXAMPLE: &str = r#"{
  "errors": [
    {
      "code": 1000,
      "message": "message",
      "documentation_url": "documentation_url",
      "source": {
        "pointer": "pointer"
      }
    }
  ],
  "messages": [
    {
      "code": 1000,
      "message": "message",
      "documentation_url": "documentation_url",
      "source": {
        "pointer": "pointer"
      }
    }
  ],
  "success": true,
  "result": {
    "days_until_next_rotation": 1,
    "key_rotation_interval_days": 30,
    "last_key_rotation_at": "2014-01-01T05:20:00.12345Z"
  }
}"#;

/// How long a server may live at most, whatever happens (a safety net: tests drop theirs).
const MAX_LIFETIME: Duration = Duration::from_secs(300);
/// How often blocked reads, accepts and delays look at the shutdown flag.
const POLL: Duration = Duration::from_millis(20);
/// The largest request head accepted.
const MAX_HEAD: usize = 64 * 1024;
/// The largest request body accepted.
const MAX_BODY: usize = 16 * 1024 * 1024;

/// What the server does with a request once it has read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyAction {
    /// Send the scripted response.
    Answer,
    /// Close the connection without sending anything (after the delay, if any).
    CloseWithoutAnswer,
}

/// One scripted response.
#[derive(Debug, Clone)]
pub struct Reply {
    /// HTTP status code.
    pub status: u16,
    /// Response headers, sent as given. `Content-Length` is added unless present (and except
    /// for 204 and 304, which never carry a body).
    pub headers: Vec<(String, String)>,
    /// Response body (not sent for 204, 304 or HEAD).
    pub body: Vec<u8>,
    /// Wait this long after reading the request before acting.
    pub delay: Duration,
    /// Answer or hang up.
    pub action: ReplyAction,
    /// Close the connection after answering (sends `Connection: close`).
    pub close: bool,
    /// Send the body piece by piece instead of `body`.
    pub drip: Option<Drip>,
}

/// A body sent piece by piece: after the head, `count` times (or until the client hangs up or
/// the server stops, when `None`) wait `interval`, then send `piece`. Sent with
/// `Transfer-Encoding: chunked` (one chunk per piece), unless the reply's headers give a
/// `Content-Length`, in which case the pieces are sent as they are, whatever that length says.
#[derive(Debug, Clone)]
pub struct Drip {
    /// The bytes of one piece.
    pub piece: Vec<u8>,
    /// The wait before each piece.
    pub interval: Duration,
    /// How many pieces; `None` for no end.
    pub count: Option<usize>,
}

impl Reply {
    /// A response with `status`, no headers and an empty body.
    pub fn new(status: u16) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            delay: Duration::ZERO,
            action: ReplyAction::Answer,
            close: false,
            drip: None,
        }
    }

    /// A response with a JSON body and `Content-Type: application/json`.
    pub fn json(status: u16, body: &serde_json::Value) -> Self {
        Reply::new(status)
            .header("Content-Type", "application/json")
            .body(serde_json::to_vec(body).expect("JSON encodes"))
    }

    /// A `200` success envelope around `result`.
    pub fn ok(result: serde_json::Value) -> Self {
        Reply::json(
            200,
            &serde_json::json!({
                "success": true, "errors": [], "messages": [], "result": result
            }),
        )
    }

    /// A `200` success envelope around the key configuration of the documentation example.
    pub fn ok_config() -> Self {
        Reply::ok(serde_json::json!({
            "days_until_next_rotation": 1,
            "key_rotation_interval_days": 30,
            "last_key_rotation_at": "2014-01-01T05:20:00.12345Z"
        }))
    }

    /// The documentation page's response example, verbatim, with status 200.
    pub fn seed_example() -> Self {
        Reply::new(200)
            .header("Content-Type", "application/json")
            .body(SEED_RESPONSE_EXAMPLE)
    }

    /// A failure envelope (`success: false`) with `status` and the given `(code, message)`
    /// errors.
    pub fn failure(status: u16, errors: &[(i64, &str)]) -> Self {
        let errors: Vec<serde_json::Value> = errors
            .iter()
            .map(|(code, message)| serde_json::json!({"code": code, "message": message}))
            .collect();
        Reply::json(
            status,
            &serde_json::json!({
                "success": false, "errors": errors, "messages": [], "result": null
            }),
        )
    }

    /// Closes the connection without answering.
    pub fn hang_up() -> Self {
        Reply {
            action: ReplyAction::CloseWithoutAnswer,
            ..Reply::new(0)
        }
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Replaces the body.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// Waits `delay` before acting.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// Closes the connection after answering.
    pub fn close(mut self) -> Self {
        self.close = true;
        self
    }

    /// Sends the body as `count` pieces (`None`: without end), each after waiting `interval`,
    /// instead of [`Reply::body`]; see [`Drip`].
    pub fn drip(
        mut self,
        piece: impl Into<Vec<u8>>,
        interval: Duration,
        count: Option<usize>,
    ) -> Self {
        self.drip = Some(Drip {
            piece: piece.into(),
            interval,
            count,
        });
        self
    }
}

/// A request as the server read it.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    /// The method, e.g. `PUT`.
    pub method: String,
    /// The request target as sent: path and query, still percent-encoded.
    pub target: String,
    /// The protocol version, e.g. `HTTP/1.1`.
    pub version: String,
    /// Header names (lowercased) and values, in the order sent.
    pub headers: Vec<(String, String)>,
    /// The body, de-chunked when it came with `Transfer-Encoding: chunked`.
    pub body: Vec<u8>,
    /// Whether the body came chunked.
    pub chunked: bool,
    /// Which accepted connection (0, 1, ..) the request came on.
    pub connection: usize,
    /// When the server finished reading the request.
    pub arrived: Instant,
}

impl RecordedRequest {
    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of header `name` (any case).
    pub fn header_all(&self, name: &str) -> Vec<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Whether any header's name starts with `prefix` (any case).
    pub fn has_header_prefix(&self, prefix: &str) -> bool {
        let prefix = prefix.to_ascii_lowercase();
        self.headers.iter().any(|(n, _)| n.starts_with(&prefix))
    }

    /// The path part of the target (before `?`), still percent-encoded.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    /// The query part of the target (after `?`), if any.
    pub fn query(&self) -> Option<&str> {
        self.target.split_once('?').map(|(_, q)| q)
    }

    /// The body parsed as JSON; panics with the body when it is not JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "request body is not JSON ({e}): {:?}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }
}

struct State {
    replies: VecDeque<Reply>,
    fallback: Reply,
    requests: Vec<RecordedRequest>,
}

struct Shared {
    state: Mutex<State>,
    changed: Condvar,
    connections: AtomicUsize,
    cut_short: AtomicUsize,
    shutdown: AtomicBool,
    started: Instant,
    handlers: Mutex<Vec<JoinHandle<()>>>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn stopping(&self) -> bool {
        self.shutdown.load(Ordering::SeqCst) || self.started.elapsed() > MAX_LIFETIME
    }
}

/// A scripted HTTP/1.1 server on `127.0.0.1`; see the [crate docs](crate). Stops when dropped.
pub struct TestServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
}

impl TestServer {
    /// Starts a server on an ephemeral port with an empty script.
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let addr = listener.local_addr().expect("local address");
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                replies: VecDeque::new(),
                fallback: Reply::failure(418, &[(418, "test server: no reply scripted")]),
                requests: Vec::new(),
            }),
            changed: Condvar::new(),
            connections: AtomicUsize::new(0),
            cut_short: AtomicUsize::new(0),
            shutdown: AtomicBool::new(false),
            started: Instant::now(),
            handlers: Mutex::new(Vec::new()),
        });
        let acceptor = {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name(format!("test-server-{}", addr.port()))
                .spawn(move || accept_loop(listener, shared))
                .expect("spawn the accept thread")
        };
        TestServer {
            addr,
            shared,
            acceptor: Some(acceptor),
        }
    }

    /// Starts a server with `replies` queued.
    pub fn with_replies(replies: impl IntoIterator<Item = Reply>) -> Self {
        let server = TestServer::start();
        server.push_all(replies);
        server
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port>`, without a path.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `http://127.0.0.1:<port>/client/v4`, like the real API's base URL.
    pub fn base_url(&self) -> String {
        format!("{}{PREFIX}", self.url())
    }

    /// Queues a reply; replies are used in order, one per request.
    pub fn push(&self, reply: Reply) {
        self.shared.lock().replies.push_back(reply);
    }

    /// Queues several replies.
    pub fn push_all(&self, replies: impl IntoIterator<Item = Reply>) {
        self.shared.lock().replies.extend(replies);
    }

    /// The reply used once the queue is empty.
    pub fn set_fallback(&self, reply: Reply) {
        self.shared.lock().fallback = reply;
    }

    /// Drops the queued replies that were not used.
    pub fn clear_replies(&self) {
        self.shared.lock().replies.clear();
    }

    /// How many queued replies are still unused.
    pub fn replies_left(&self) -> usize {
        self.shared.lock().replies.len()
    }

    /// Every request received so far, in arrival order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.lock().requests.clone()
    }

    /// How many requests were received so far.
    pub fn request_count(&self) -> usize {
        self.shared.lock().requests.len()
    }

    /// Forgets the requests received so far (the connection count is kept).
    pub fn clear_requests(&self) {
        self.shared.lock().requests.clear();
    }

    /// The only request received; panics unless exactly one arrived.
    pub fn single_request(&self) -> RecordedRequest {
        let requests = self.requests();
        assert_eq!(
            requests.len(),
            1,
            "expected exactly one request, got {}: {:#?}",
            requests.len(),
            requests
                .iter()
                .map(|r| format!("{} {}", r.method, r.target))
                .collect::<Vec<_>>()
        );
        requests.into_iter().next().expect("one request")
    }

    /// How many dripped bodies ended early because the client closed the connection (the
    /// server could not send the next piece).
    pub fn streams_cut_short(&self) -> usize {
        self.shared.cut_short.load(Ordering::SeqCst)
    }

    /// Waits until at least `n` dripped bodies were cut short by the client or `timeout` passed;
    /// returns whether they were.
    pub fn wait_for_cut_short(&self, n: usize, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        while self.streams_cut_short() < n {
            if Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        true
    }

    /// How many connections were accepted so far.
    pub fn connection_count(&self) -> usize {
        self.shared.connections.load(Ordering::SeqCst)
    }

    /// Waits until at least `n` requests were received or `timeout` passed; returns whether
    /// they were.
    pub fn wait_for_requests(&self, n: usize, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        let mut state = self.shared.lock();
        while state.requests.len() < n {
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            state = self
                .shared
                .changed
                .wait_timeout(state, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        true
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.shared.shutdown.store(true, Ordering::SeqCst);
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
        let handlers = std::mem::take(
            &mut *self
                .shared
                .handlers
                .lock()
                .unwrap_or_else(|e| e.into_inner()),
        );
        for handler in handlers {
            let _ = handler.join();
        }
    }
}

/// A port on `127.0.0.1` that nothing listens on (bound, then released), so connecting to it
/// is refused.
pub fn unused_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let port = listener.local_addr().expect("local address").port();
    drop(listener);
    port
}

fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    while !shared.stopping() {
        match listener.accept() {
            Ok((stream, _)) => {
                let number = shared.connections.fetch_add(1, Ordering::SeqCst);
                let conn_shared = Arc::clone(&shared);
                let spawned = std::thread::Builder::new()
                    .name(format!("test-conn-{number}"))
                    .spawn(move || serve_connection(stream, number, conn_shared));
                if let Ok(handle) = spawned {
                    let mut handlers = shared.handlers.lock().unwrap_or_else(|e| e.into_inner());
                    handlers.retain(|h| !h.is_finished());
                    handlers.push(handle);
                }
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(1))
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => std::thread::sleep(POLL),
        }
    }
}

fn serve_connection(mut stream: TcpStream, number: usize, shared: Arc<Shared>) {
    if stream.set_nonblocking(false).is_err()
        || stream.set_read_timeout(Some(POLL)).is_err()
        || stream
            .set_write_timeout(Some(Duration::from_secs(5)))
            .is_err()
    {
        return;
    }
    let _ = stream.set_nodelay(true);
    let mut buf = Vec::new();
    while let Some(request) = read_request(&mut stream, &mut buf, number, &shared) {
        let client_closes = request
            .header("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"));
        let is_head = request.method.eq_ignore_ascii_case("HEAD");
        let reply = {
            let mut state = shared.lock();
            state.requests.push(request);
            shared.changed.notify_all();
            match state.replies.pop_front() {
                Some(reply) => reply,
                None => state.fallback.clone(),
            }
        };
        if !sleep_unless_stopping(reply.delay, &shared) {
            break;
        }
        match reply.action {
            ReplyAction::CloseWithoutAnswer => {
                let _ = stream.shutdown(Shutdown::Both);
                break;
            }
            ReplyAction::Answer if reply.drip.is_some() => {
                let close = reply.close || client_closes;
                match send_dripped(&mut stream, &reply, is_head, close, &shared) {
                    Dripped::Whole if !close => {}
                    Dripped::CutShort => {
                        shared.cut_short.fetch_add(1, Ordering::SeqCst);
                        break;
                    }
                    _ => break,
                }
            }
            ReplyAction::Answer => {
                let close = reply.close || client_closes;
                if stream
                    .write_all(&encode_response(&reply, is_head, close))
                    .and_then(|()| stream.flush())
                    .is_err()
                    || close
                {
                    break;
                }
            }
        }
    }
    let _ = stream.shutdown(Shutdown::Both);
}

/// How a dripped body ended.
enum Dripped {
    /// Every piece was sent.
    Whole,
    /// The client closed the connection before the last piece.
    CutShort,
    /// The server began stopping.
    Stopped,
}

/// Sends the head of `reply`, then its [`Drip`] pieces.
fn send_dripped(
    stream: &mut TcpStream,
    reply: &Reply,
    is_head: bool,
    close: bool,
    shared: &Shared,
) -> Dripped {
    let Some(drip) = &reply.drip else {
        return Dripped::Whole;
    };
    let raw = reply
        .headers
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("content-length"));
    let bytes = if raw {
        encode_head(reply, None, close)
    } else {
        encode_head(
            &reply.clone().header("Transfer-Encoding", "chunked"),
            None,
            close,
        )
    };
    if stream
        .write_all(&bytes)
        .and_then(|()| stream.flush())
        .is_err()
    {
        return Dripped::CutShort;
    }
    if is_head {
        return Dripped::Whole;
    }
    let mut sent = 0;
    while drip.count.is_none_or(|count| sent < count) {
        if !sleep_unless_stopping(drip.interval, shared) {
            return Dripped::Stopped;
        }
        let piece = if raw {
            drip.piece.clone()
        } else {
            let mut framed = format!("{:x}\r\n", drip.piece.len()).into_bytes();
            framed.extend_from_slice(&drip.piece);
            framed.extend_from_slice(b"\r\n");
            framed
        };
        if stream
            .write_all(&piece)
            .and_then(|()| stream.flush())
            .is_err()
        {
            return Dripped::CutShort;
        }
        sent += 1;
    }
    if !raw && stream.write_all(b"0\r\n\r\n").is_err() {
        return Dripped::CutShort;
    }
    Dripped::Whole
}

/// Sleeps `delay` in short steps; false when the server began stopping meanwhile.
fn sleep_unless_stopping(delay: Duration, shared: &Shared) -> bool {
    let end = Instant::now() + delay;
    loop {
        if shared.stopping() {
            return false;
        }
        let now = Instant::now();
        if now >= end {
            return true;
        }
        std::thread::sleep((end - now).min(POLL));
    }
}

/// Reads more bytes into `buf`; false on end of stream, error, or shutdown.
fn fill(stream: &mut TcpStream, buf: &mut Vec<u8>, shared: &Shared) -> bool {
    let mut chunk = [0u8; 8192];
    loop {
        if shared.stopping() {
            return false;
        }
        match stream.read(&mut chunk) {
            Ok(0) => return false,
            Ok(n) => {
                buf.extend_from_slice(&chunk[..n]);
                return true;
            }
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted
                ) => {}
            Err(_) => return false,
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Reads one request from `stream`, keeping bytes of the next one in `buf`. `None` when the
/// connection ends or is malformed, or the server stops.
fn read_request(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
    connection: usize,
    shared: &Shared,
) -> Option<RecordedRequest> {
    let head_end = loop {
        if let Some(i) = find(buf, b"\r\n\r\n") {
            break i;
        }
        if buf.len() > MAX_HEAD || !fill(stream, buf, shared) {
            return None;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    buf.drain(..head_end + 4);
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let target = request_line.next()?.to_owned();
    let version = request_line.next()?.to_owned();
    let mut headers = Vec::new();
    for line in lines {
        let (name, value) = line.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let chunked =
        header("transfer-encoding").is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    let body = if chunked {
        loop {
            match decode_chunked(buf) {
                Chunked::Done(body, used) => {
                    buf.drain(..used);
                    break body;
                }
                Chunked::Invalid => return None,
                Chunked::Incomplete => {
                    if buf.len() > MAX_BODY || !fill(stream, buf, shared) {
                        return None;
                    }
                }
            }
        }
    } else {
        let length: usize = match header("content-length") {
            Some(v) => v.parse().ok()?,
            None => 0,
        };
        if length > MAX_BODY {
            return None;
        }
        while buf.len() < length {
            if !fill(stream, buf, shared) {
                return None;
            }
        }
        buf.drain(..length).collect()
    };
    Some(RecordedRequest {
        method,
        target,
        version,
        headers,
        body,
        chunked,
        connection,
        arrived: Instant::now(),
    })
}

enum Chunked {
    Done(Vec<u8>, usize),
    Incomplete,
    Invalid,
}

/// Decodes a chunked body at the start of `data`: the body and how many bytes it used.
fn decode_chunked(data: &[u8]) -> Chunked {
    let mut body = Vec::new();
    let mut at = 0;
    loop {
        let Some(line_len) = find(&data[at..], b"\r\n") else {
            return Chunked::Incomplete;
        };
        let line = String::from_utf8_lossy(&data[at..at + line_len]);
        let size_text = line.split(';').next().unwrap_or("").trim();
        let Ok(size) = usize::from_str_radix(size_text, 16) else {
            return Chunked::Invalid;
        };
        at += line_len + 2;
        if size == 0 {
            // Trailers, each ending in CRLF, then an empty line.
            loop {
                let Some(len) = find(&data[at..], b"\r\n") else {
                    return Chunked::Incomplete;
                };
                at += len + 2;
                if len == 0 {
                    return Chunked::Done(body, at);
                }
            }
        }
        if data.len() < at + size + 2 {
            return Chunked::Incomplete;
        }
        body.extend_from_slice(&data[at..at + size]);
        if &data[at + size..at + size + 2] != b"\r\n" {
            return Chunked::Invalid;
        }
        at += size + 2;
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        418 => "I'm a teapot",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Whatever",
    }
}

fn encode_response(reply: &Reply, is_head: bool, close: bool) -> Vec<u8> {
    let bodiless = matches!(reply.status, 100..=199 | 204 | 304);
    let length = (!bodiless).then_some(reply.body.len());
    let mut bytes = encode_head(reply, length, close);
    if !bodiless && !is_head {
        bytes.extend_from_slice(&reply.body);
    }
    bytes
}

/// The status line and headers of `reply`, with `Content-Length: length` when `length` is given
/// and the headers have none.
fn encode_head(reply: &Reply, length: Option<usize>, close: bool) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
    let mut has_length = false;
    for (name, value) in &reply.headers {
        has_length |= name.eq_ignore_ascii_case("content-length");
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    if let Some(length) = length.filter(|_| !has_length) {
        out.push_str(&format!("Content-Length: {length}\r\n"));
    }
    if close {
        out.push_str("Connection: close\r\n");
    }
    out.push_str("\r\n");
    out.into_bytes()
}

/// A client for `server` with the API token of the documentation example and no retries.
pub fn token_client(server: &TestServer) -> cloudflare_access_keys::Client {
    cloudflare_access_keys::Client::builder()
        .api_token(TOKEN)
        .base_url(server.base_url())
        .max_retries(0)
        .build()
        .expect("client builds")
}

/// Whether two JSON values are equal, numbers compared by value (`30` equals `30.0`).
pub fn json_same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(x), Some(y)) => x == y,
            _ => x.as_f64() == y.as_f64(),
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_same(v, w)))
        }
        _ => a == b,
    }
}

/// Asserts that `actual` equals `expected` as JSON, numbers compared by value.
#[track_caller]
pub fn assert_json_same(actual: &serde_json::Value, expected: &serde_json::Value) {
    assert!(
        json_same(actual, expected),
        "JSON differs:\n  actual: {actual}\nexpected: {expected}"
    );
}

/// Compares generated `files` with what is under `dir`: a readable report (unified diffs of
/// differing files, missing files, files on disk that are not generated), empty when they agree.
pub fn snapshot_report(dir: &std::path::Path, files: &[codegen::GeneratedFile]) -> String {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    snapshot_report_as(dir, &name, files)
}

/// [`snapshot_report`], naming the files as `name/<path>` (e.g. `tests/fixtures/enums/expected`).
pub fn snapshot_report_as(
    dir: &std::path::Path,
    name: &str,
    files: &[codegen::GeneratedFile],
) -> String {
    use std::fmt::Write as _;
    let mut report = String::new();
    for file in files {
        match std::fs::read_to_string(dir.join(&file.path)) {
            Ok(on_disk) if on_disk == file.contents => {}
            Ok(on_disk) => {
                let diff = similar::TextDiff::from_lines(&on_disk, &file.contents);
                let _ = writeln!(
                    report,
                    "{}",
                    diff.unified_diff().context_radius(3).header(
                        &format!("{name}/{} (on disk)", file.path),
                        &format!("{name}/{} (freshly generated)", file.path),
                    )
                );
            }
            Err(e) => {
                let _ = writeln!(report, "{name}/{} is missing ({e})", file.path);
            }
        }
    }
    for on_disk in codegen::write::list_files(dir) {
        if !files.iter().any(|f| f.path == on_disk) {
            let _ = writeln!(
                report,
                "{name}/{on_disk} is on disk but not generated (delete it, or regenerate)"
            );
        }
    }
    report
}

/// Sends raw bytes to `addr` and reads the answer until the server closes the connection or
/// `timeout` passes. For testing the server itself.
pub fn raw_exchange(addr: SocketAddr, request: &[u8], timeout: Duration) -> Vec<u8> {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(timeout)).expect("timeout");
    stream.write_all(request).expect("write");
    let mut out = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return out,
            Ok(n) => out.extend_from_slice(&chunk[..n]),
        }
    }
}

#[cfg(test)]
mod server_tests {
    use super::*;

    const SHORT: Duration = Duration::from_secs(2);

    #[test]
    fn keep_alive_content_length_and_chunked_bodies() {
        let server = TestServer::with_replies([
            Reply::new(200).body("one"),
            Reply::new(201).body("two").close(),
        ]);
        let request = b"POST /a?x=1 HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nX-Mixed-Case: V\r\n\r\nhelloPUT /b HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nTrailer: x\r\n\r\n";
        let answer = String::from_utf8(raw_exchange(server.addr(), request, SHORT)).unwrap();
        assert!(
            answer.starts_with("HTTP/1.1 200 OK\r\n") && answer.contains("\r\n\r\none"),
            "{answer}"
        );
        assert!(answer.contains("HTTP/1.1 201 Created\r\n"), "{answer}");
        assert!(answer.contains("Connection: close") && answer.ends_with("two"));
        let requests = server.requests();
        assert_eq!(requests.len(), 2);
        assert_eq!(requests[0].method, "POST");
        assert_eq!(requests[0].path(), "/a");
        assert_eq!(requests[0].query(), Some("x=1"));
        assert_eq!(requests[0].header("X-MIXED-CASE"), Some("V"));
        assert_eq!(requests[0].body, b"hello");
        assert!(!requests[0].chunked);
        assert_eq!(requests[1].body, b"abcde");
        assert!(requests[1].chunked);
        assert_eq!(requests[0].connection, requests[1].connection);
        assert!(requests[0].arrived <= requests[1].arrived);
        assert_eq!(server.connection_count(), 1);
    }

    #[test]
    fn fallback_hang_up_delay_and_no_body_statuses() {
        let server = TestServer::with_replies([
            Reply::new(204).body("dropped"),
            Reply::hang_up().delay(Duration::from_millis(50)),
        ]);
        let request = b"GET / HTTP/1.1\r\nHost: t\r\n\r\nGET / HTTP/1.1\r\nHost: t\r\n\r\n";
        let answer = String::from_utf8(raw_exchange(server.addr(), request, SHORT)).unwrap();
        assert_eq!(answer, "HTTP/1.1 204 No Content\r\n\r\n");
        let answer = raw_exchange(
            server.addr(),
            b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n",
            SHORT,
        );
        let answer = String::from_utf8(answer).unwrap();
        assert!(answer.starts_with("HTTP/1.1 418 "), "{answer}");
        assert!(answer.contains("no reply scripted"), "{answer}");
        assert_eq!(server.request_count(), 3);
        assert_eq!(server.connection_count(), 2);
        assert!(server.wait_for_requests(3, SHORT));
        assert!(!server.wait_for_requests(4, Duration::from_millis(10)));
    }

    #[test]
    fn dripped_bodies_are_chunked_or_raw_and_hang_ups_are_counted() {
        let server = TestServer::with_replies([
            Reply::new(200).drip("ab", Duration::from_millis(5), Some(3)),
            Reply::new(200)
                .header("Content-Length", "4")
                .drip("xy", Duration::ZERO, Some(2))
                .close(),
        ]);
        let request = b"GET / HTTP/1.1\r\nHost: t\r\n\r\nGET / HTTP/1.1\r\nHost: t\r\n\r\n";
        let answer = String::from_utf8(raw_exchange(server.addr(), request, SHORT)).unwrap();
        let first = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n2\r\nab\r\n2\r\nab\r\n0\r\n\r\n";
        assert!(answer.starts_with(first), "{answer}");
        assert!(
            answer.ends_with("Content-Length: 4\r\nConnection: close\r\n\r\nxyxy"),
            "{answer}"
        );
        assert_eq!(server.streams_cut_short(), 0);

        server.push(Reply::new(200).drip(vec![b'z'; 64 * 1024], Duration::ZERO, None));
        let mut stream = TcpStream::connect(server.addr()).unwrap();
        stream
            .write_all(b"GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            .unwrap();
        let mut some = [0u8; 1024];
        stream.read_exact(&mut some).unwrap();
        drop(stream);
        assert!(server.wait_for_cut_short(1, Duration::from_secs(10)));
    }

    #[test]
    fn json_same_compares_numbers_by_value() {
        use serde_json::json;
        assert!(json_same(
            &json!({"a": [30, {"b": 1.5}]}),
            &json!({"a": [30.0, {"b": 1.5}]})
        ));
        assert!(!json_same(&json!({"a": 30}), &json!({"a": 31})));
        assert!(!json_same(&json!({"a": 30}), &json!({"a": 30, "b": null})));
        assert!(!json_same(&json!([1, 2]), &json!([2, 1])));
        assert!(!json_same(&json!("30"), &json!(30)));
        assert!(json_same(&json!(u64::MAX), &json!(u64::MAX)));
    }

    #[test]
    fn snapshot_report_names_differing_missing_and_extra_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("crate");
        std::fs::create_dir_all(root.join("src")).unwrap();
        std::fs::write(root.join("same.txt"), "a\n").unwrap();
        std::fs::write(root.join("src/changed.rs"), "one\ntwo\nthree\n").unwrap();
        std::fs::write(root.join("src/extra.rs"), "x").unwrap();
        let file = |path: &str, contents: &str| codegen::GeneratedFile {
            path: path.into(),
            contents: contents.into(),
        };
        let files = [
            file("same.txt", "a\n"),
            file("src/changed.rs", "one\n2\nthree\n"),
            file("src/missing.rs", ""),
        ];
        let report = snapshot_report(&root, &files);
        assert!(
            report.contains("--- crate/src/changed.rs (on disk)"),
            "{report}"
        );
        assert!(
            report.contains("+++ crate/src/changed.rs (freshly generated)"),
            "{report}"
        );
        assert!(report.contains("\n-two\n+2\n"), "{report}");
        assert!(
            report.contains("crate/src/missing.rs is missing"),
            "{report}"
        );
        assert!(
            report.contains("crate/src/extra.rs is on disk but not generated"),
            "{report}"
        );
        assert!(!report.contains("same.txt"), "{report}");
        assert_eq!(snapshot_report(&root, &files[..1]).lines().count(), 2);
    }

    #[test]
    fn unused_port_refuses() {
        let port = unused_port();
        assert!(TcpStream::connect(("127.0.0.1", port)).is_err());
    }

    #[test]
    fn drop_stops_with_idle_connections_open() {
        let server = TestServer::start();
        let _idle = TcpStream::connect(server.addr()).unwrap();
        assert!(server.wait_for_requests(0, SHORT));
        let started = Instant::now();
        drop(server);
        assert!(started.elapsed() < Duration::from_secs(5));
    }
}

/// The [`ApiError`](cloudflare_access_keys::ApiError) of a call that must fail with one.
pub fn api<T: std::fmt::Debug>(
    result: Result<T, cloudflare_access_keys::Error>,
) -> cloudflare_access_keys::ApiError {
    match result {
        Err(cloudflare_access_keys::Error::Api(e)) => e,
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

/// The workspace README, compiled as doctests so its examples keep matching the crate.
#[doc = include_str!("../../README.md")]
pub mod readme {}
