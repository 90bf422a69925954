//! Every parameter shape, over the wire: arrays and nullable items in the path, headers and the
//! query, cookies in one `Cookie` header, and an ECMA-262 pattern with look-around and a
//! back-reference, checked before anything is sent. Uses the `parameters` fixture crate.

use fixture_parameters::ShapesGetXNullableKindsItem as NullableKind;
use fixture_parameters::{Client, Error, Kind, ShapesGetParams, ShapesGetStatesItem};
use tests::{Reply, TestServer};

fn client(server: &TestServer) -> Client {
    // The description declares no security schemes: no credentials to configure.
    Client::builder()
        .base_url(server.url())
        .max_retries(0)
        .build()
        .expect("client builds")
}

fn params() -> ShapesGetParams {
    ShapesGetParams {
        ids: vec![1, 2],
        x_kinds: Some(vec![Kind::A, Kind::B]),
        x_nullable_kinds: Some(vec![Some(NullableKind::A), None]),
        states: Some(vec![Some(ShapesGetStatesItem::On), None]),
        kinds: vec![Kind::B],
        nothing: None,
        session: "s 1;x=y".into(),
        theme: Some(Kind::A),
        tags: Some(vec!["t1".into(), "t2".into()]),
        code: Some("aabx".into()),
    }
}

#[test]
fn every_shape_is_written_where_the_spec_puts_it() {
    let server = TestServer::with_replies([Reply::new(204)]);
    client(&server)
        .shapes()
        .get(params())
        .expect("the request succeeds");
    let request = server.single_request();
    assert_eq!(request.method, "GET");
    // A path array is `simple` style; the comma is encoded like any reserved character.
    assert_eq!(request.path(), "/shapes/1%2C2");
    // Query arrays send one pair per item; a null item is an empty value.
    assert_eq!(request.query(), Some("states=on&states=&kinds=b&code=aabx"));
    assert_eq!(request.header("x-kinds"), Some("a,b"));
    assert_eq!(request.header("x-nullable-kinds"), Some("a,"));
    // Cookie values are percent-encoded, so `;` and `=` cannot start another cookie.
    assert_eq!(
        request.header("cookie"),
        Some("session=s%201%3Bx%3Dy; theme=a; tags=t1%2Ct2")
    );
}

#[test]
fn optional_cookies_and_headers_are_left_out_when_absent() {
    let server = TestServer::with_replies([Reply::new(204)]);
    let params = ShapesGetParams {
        x_kinds: None,
        x_nullable_kinds: None,
        states: None,
        theme: None,
        tags: None,
        code: None,
        ..params()
    };
    client(&server)
        .shapes()
        .get(params)
        .expect("the request succeeds");
    let request = server.single_request();
    assert_eq!(request.query(), Some("kinds=b"));
    assert_eq!(request.header("x-kinds"), None);
    assert_eq!(request.header("cookie"), Some("session=s%201%3Bx%3Dy"));
}

#[test]
fn an_ecma_pattern_with_look_around_is_checked_before_sending() {
    let server = TestServer::start();
    for bad in ["admin", "abc", "ab"] {
        let params = ShapesGetParams {
            code: Some(bad.into()),
            ..params()
        };
        match client(&server).shapes().get(params) {
            Err(Error::Validation(e)) => {
                assert_eq!(e.field, "code", "{e}");
                assert!(e.constraint.contains("pattern"), "{e}");
            }
            other => panic!("{bad:?} must fail validation, got {other:?}"),
        }
    }
    assert_eq!(server.request_count(), 0, "nothing is sent");
}
