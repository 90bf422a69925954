//! Bounded memory and time, over the wire: a body is read as a stream up to
//! `max_response_bytes` (or `max_download_bytes` for binary downloads), and `.timeout(..)` bounds
//! one whole attempt, headers and body. The servers here send too much (a huge `Content-Length`,
//! an endless chunked body) or too slowly (a late head, then a dripped body).
//!
//! No assertion here is about how long something took: slow servers only ever make a timeout
//! more certain, so each test asserts which error came, and the timeouts stay small.

// `Error` is the crate's public error type, returned as is.
#![allow(clippy::result_large_err)]

use cloudflare_access_keys::request::Request;
use cloudflare_access_keys::{
    AccessKeyConfig, AccessKeyGetParams, AccessKeyRotateParams, Client, ClientBuilder, Error,
    ResponseTooLargeError, TransportError,
};
use std::time::Duration;
use tests::{Reply, TestServer, ACCOUNT_ID, TOKEN};

/// Long enough to wait for a server to notice a hang-up; never reached when all is well.
const PATIENCE: Duration = Duration::from_secs(20);

fn builder(server: &TestServer) -> ClientBuilder {
    Client::builder()
        .api_token(TOKEN)
        .base_url(server.base_url())
        .max_retries(0)
}

fn get(client: &Client) -> Result<AccessKeyConfig, Error> {
    client.zero_trust().access().keys().get(AccessKeyGetParams {
        account_id: ACCOUNT_ID.into(),
    })
}

fn rotate(client: &Client) -> Result<AccessKeyConfig, Error> {
    client
        .zero_trust()
        .access()
        .keys()
        .rotate(AccessKeyRotateParams {
            account_id: ACCOUNT_ID.into(),
        })
}

fn too_large<T: std::fmt::Debug>(result: Result<T, Error>) -> ResponseTooLargeError {
    match result {
        Err(Error::ResponseTooLarge(e)) => e,
        other => panic!("expected Error::ResponseTooLarge, got {other:?}"),
    }
}

fn timeout<T: std::fmt::Debug>(result: Result<T, Error>) -> TransportError {
    match result {
        Err(Error::Timeout(e)) => e,
        other => panic!("expected Error::Timeout, got {other:?}"),
    }
}

/// A binary download through the runtime's download path, as a generated operation with a
/// binary response makes it; its bytes.
fn download(client: &Client) -> Result<Vec<u8>, Error> {
    let request = Request::new("GET".parse().expect("a method"), "/download".into());
    client
        .send_bytes(request)
        .map(|response| response.result.to_vec())
}

/// The same request read as text, which is held to `max_response_bytes`.
fn download_text(client: &Client) -> Result<String, Error> {
    let request = Request::new("GET".parse().expect("a method"), "/download".into());
    client.send_text(request).map(|response| response.result)
}

#[test]
fn a_huge_content_length_is_refused_before_the_body_is_read() {
    let server = TestServer::with_replies([Reply::new(200)
        .header("Content-Type", "application/json")
        .header("Content-Length", "1000000000000")
        .drip(vec![b' '; 16 * 1024], Duration::ZERO, None)]);
    // Retries allowed, and GET is idempotent: still one request, since the same request would
    // bring the same body again.
    let client = builder(&server).max_retries(3).build().unwrap();
    let e = too_large(get(&client));
    assert_eq!(
        (e.status, e.limit, e.content_length, e.builder_method),
        (
            200,
            cloudflare_access_keys::client::DEFAULT_MAX_RESPONSE_BYTES,
            Some(1_000_000_000_000),
            "max_response_bytes"
        )
    );
    assert_eq!(
        (e.method.as_str(), e.path.as_str()),
        (
            "GET",
            "/accounts/023e105f4ecef8ad9ca31a8372d0c353/access/keys"
        )
    );
    let shown = Error::ResponseTooLarge(e).to_string();
    assert!(
        shown.contains("Content-Length: 1000000000000")
            && shown.contains("ClientBuilder::max_response_bytes(")
            && shown.contains("67108864"),
        "{shown}"
    );
    assert_eq!(server.request_count(), 1);
    // The client hung up instead of reading the endless body.
    assert!(server.wait_for_cut_short(1, PATIENCE));
}

#[test]
fn an_endless_chunked_body_is_cut_at_the_limit() {
    let server = TestServer::with_replies([
        Reply::new(200).drip(vec![b'{'; 4096], Duration::ZERO, None),
        Reply::new(503).drip(vec![b'x'; 4096], Duration::ZERO, None),
    ]);
    let client = builder(&server)
        .max_response_bytes(64 * 1024)
        .max_retries(2)
        .build()
        .unwrap();
    let e = too_large(get(&client));
    assert_eq!(
        (e.status, e.limit, e.content_length, e.builder_method),
        (200, 64 * 1024, None, "max_response_bytes")
    );
    let shown = e.to_string();
    assert!(
        shown.contains("65536 bytes") && shown.contains("max_response_bytes("),
        "{shown}"
    );
    assert!(server.wait_for_cut_short(1, PATIENCE));
    // A failure status with an endless body is no different, and is not retried either.
    let e = too_large(get(&client));
    assert_eq!((e.status, e.content_length), (503, None));
    assert!(server.wait_for_cut_short(2, PATIENCE));
    assert_eq!(server.request_count(), 2);
}

#[test]
fn a_body_exactly_at_the_limit_is_read() {
    let body = br#"{"success":true,"result":{}}"#;
    let server = TestServer::with_replies([
        Reply::new(200).body(&body[..]),
        Reply::new(200).drip(&body[..], Duration::ZERO, Some(1)),
        Reply::new(200).drip(&body[..], Duration::ZERO, Some(2)),
    ]);
    let client = builder(&server)
        .max_response_bytes(body.len() as u64)
        .build()
        .unwrap();
    assert_eq!(get(&client).unwrap(), AccessKeyConfig::default());
    assert_eq!(get(&client).unwrap(), AccessKeyConfig::default());
    let e = too_large(get(&client));
    assert_eq!(e.content_length, None);
}

#[test]
fn downloads_have_their_own_limit() {
    let file: Vec<u8> = (0..20_000u32).map(|i| (i % 251) as u8).collect();
    let server = TestServer::with_replies([
        Reply::new(200)
            .header("Content-Type", "application/octet-stream")
            .drip(file[..10_000].to_vec(), Duration::ZERO, Some(2)),
        Reply::new(200).body(file.clone()),
        Reply::new(200).drip(vec![0u8; 8192], Duration::ZERO, None),
        Reply::new(200)
            .header("Content-Length", "50000")
            .body(vec![1u8; 100]),
    ]);
    let client = builder(&server)
        .max_response_bytes(1000)
        .max_download_bytes(30_000)
        .build()
        .unwrap();
    // Over the response limit, within the download limit: every byte, in order.
    let mut twice = file[..10_000].to_vec();
    twice.extend_from_slice(&file[..10_000]);
    assert_eq!(download(&client).unwrap(), twice);
    // The same body read as text is held to max_response_bytes.
    let e = too_large(download_text(&client));
    assert_eq!(
        (e.limit, e.content_length, e.builder_method),
        (1000, Some(20_000), "max_response_bytes")
    );
    let e = too_large(download(&client));
    assert_eq!(
        (e.limit, e.content_length, e.builder_method),
        (30_000, None, "max_download_bytes")
    );
    assert!(
        e.to_string().contains("ClientBuilder::max_download_bytes("),
        "{e}"
    );
    let e = too_large(download(&client));
    assert_eq!(e.content_length, Some(50_000));
}

#[test]
fn zero_limits_are_a_config_error() {
    let server = TestServer::start();
    for b in [
        builder(&server).max_response_bytes(0),
        builder(&server).max_download_bytes(0),
    ] {
        match b.build() {
            Err(Error::Config(message)) => {
                assert!(message.contains("greater than zero"), "{message}")
            }
            other => panic!("expected Error::Config, got {other:?}"),
        }
    }
}

#[test]
fn the_timeout_covers_the_head_and_the_whole_body() {
    // The head comes after 200 ms and the body drips over 250 ms more: each part alone is within
    // the 300 ms timeout, both together are not.
    let late_and_slow = || {
        Reply::new(200).delay(Duration::from_millis(200)).drip(
            &b" "[..],
            Duration::from_millis(25),
            Some(10),
        )
    };
    let server = TestServer::with_replies([late_and_slow()]);
    let client = builder(&server)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let e = timeout(get(&client));
    assert_eq!((e.method.as_str(), e.attempts), ("GET", 1));
    let shown = e.to_string();
    assert!(
        shown.contains("300ms") && shown.contains("ClientBuilder::timeout"),
        "{shown}"
    );
    // Nothing more is read after the deadline: the client hung up on the drip.
    assert!(server.wait_for_cut_short(1, PATIENCE));
}

#[test]
fn a_body_dripped_past_the_deadline_times_out_with_or_without_a_length() {
    let server = TestServer::with_replies([
        Reply::new(200).drip(&b" "[..], Duration::from_millis(50), Some(40)),
        Reply::new(200).header("Content-Length", "40").drip(
            &b" "[..],
            Duration::from_millis(50),
            Some(40),
        ),
    ]);
    let client = builder(&server)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    timeout(get(&client));
    timeout(get(&client));
    assert!(server.wait_for_cut_short(2, PATIENCE));
}

#[test]
fn a_get_that_times_out_mid_body_is_retried_and_a_post_is_not() {
    let slow = || Reply::new(200).drip(&b" "[..], Duration::from_millis(50), Some(40));
    let server = TestServer::with_replies([slow(), slow(), slow()]);
    let client = builder(&server)
        .timeout(Duration::from_millis(200))
        .max_retries(1)
        .build()
        .unwrap();
    let e = timeout(get(&client));
    assert_eq!(e.attempts, 2);
    assert_eq!(server.request_count(), 2);
    let e = timeout(rotate(&client));
    assert_eq!((e.method.as_str(), e.attempts), ("POST", 1));
    assert_eq!(server.request_count(), 3);
}
