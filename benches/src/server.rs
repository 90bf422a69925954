//! A keep-alive HTTP/1.1 server on 127.0.0.1 that answers every request with the same 200 JSON
//! envelope (the documentation page's example). One thread per connection; it lives as long as
//! the process. [`ChildServer`] runs it in a child process instead, so that the CPU time of the
//! benchmark process is the clients' alone.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// The body of every response.
pub const BODY: &str = r#"{"errors":[],"messages":[],"success":true,"result":{"days_until_next_rotation":1,"key_rotation_interval_days":30,"last_key_rotation_at":"2014-01-01T05:20:00.12345Z"}}"#;

/// A running server.
#[derive(Debug, Clone)]
pub struct Server {
    /// The port it listens on.
    pub port: u16,
    requests: Arc<AtomicU64>,
}

impl Server {
    /// Starts listening on an ephemeral port of 127.0.0.1.
    pub fn start() -> Server {
        Server::start_with(|| {})
    }

    /// Like [`Server::start`]; `on_thread` runs first on every server thread (the allocation
    /// counter uses it to leave the server's own allocations out).
    pub fn start_with(on_thread: fn()) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let port = listener.local_addr().expect("local address").port();
        let requests = Arc::new(AtomicU64::new(0));
        let response: Arc<[u8]> = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{BODY}",
            BODY.len()
        )
        .into_bytes()
        .into();
        let counter = Arc::clone(&requests);
        std::thread::Builder::new()
            .name("bench-server".into())
            .spawn(move || {
                on_thread();
                for stream in listener.incoming() {
                    let Ok(stream) = stream else { continue };
                    let response = Arc::clone(&response);
                    let counter = Arc::clone(&counter);
                    let _ =
                        std::thread::Builder::new()
                            .name("bench-conn".into())
                            .spawn(move || {
                                on_thread();
                                let _ = serve(stream, &response, &counter);
                            });
                }
            })
            .expect("spawn the server thread");
        Server { port, requests }
    }

    /// Requests read so far (each is counted just before its answer is sent).
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }
}

/// Set in the environment of a child process that should only serve; see [`ChildServer`].
pub const CHILD_ENV: &str = "BENCHMARKS_SERVER_CHILD";

/// The server in a child process: the running executable started again with [`CHILD_ENV`] set.
/// Such an executable must call [`serve_if_child`] first thing in `main`. The child serves until
/// its standard input closes, which happens at the latest when this process exits.
#[derive(Debug)]
pub struct ChildServer {
    /// The port it listens on.
    pub port: u16,
    child: Child,
}

impl ChildServer {
    /// Starts the child and waits until it listens.
    pub fn start() -> ChildServer {
        let exe = std::env::current_exe().expect("the path of the running executable");
        let mut child = Command::new(exe)
            .env(CHILD_ENV, "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the server process");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("piped stdout"))
            .read_line(&mut line)
            .expect("read the server's port");
        let port = line.trim().parse().expect("the server prints its port");
        ChildServer { port, child }
    }
}

impl Drop for ChildServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// In a process started by [`ChildServer::start`]: serves, prints the port, and exits when
/// standard input closes; never returns. Elsewhere: returns at once.
pub fn serve_if_child() {
    if std::env::var_os(CHILD_ENV).is_none() {
        return;
    }
    let server = Server::start();
    println!("{}", server.port);
    let _ = std::io::stdout().flush();
    let mut sink = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut sink);
    std::process::exit(0);
}

/// Answers the requests of one connection until the client closes it.
fn serve(stream: TcpStream, response: &[u8], counter: &AtomicU64) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    let mut body = Vec::new();
    loop {
        // Request line; EOF ends the connection.
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let mut content_length = 0usize;
        let mut close = false;
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                return Ok(());
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                let value = value.trim();
                if name.eq_ignore_ascii_case("content-length") {
                    content_length = value.parse().unwrap_or(0);
                } else if name.eq_ignore_ascii_case("connection") {
                    close = value.eq_ignore_ascii_case("close");
                }
            }
        }
        body.resize(content_length, 0);
        reader.read_exact(&mut body)?;
        // Counted before answering, so a client that has its answer sees it counted.
        counter.fetch_add(1, Ordering::Relaxed);
        writer.write_all(response)?;
        if close {
            return Ok(());
        }
    }
}
