//! Authentication from the description, over the wire: each request sends the first of its
//! operation's alternatives whose credentials are all configured, where the scheme says (a
//! bearer or basic `Authorization`, a header, a query pair, a cookie), and nothing else. Uses
//! the `auth` fixture crate, whose description has every kind of scheme.

use fixture_auth::{
    Client, ClientBuilder, Error, HealthParams, PetsCreateParams, PetsListParams, PetsSearchParams,
};
use tests::{Reply, TestServer};

const SECRET: &str = "s3cr3t-value";

fn builder(server: &TestServer) -> ClientBuilder {
    Client::builder().base_url(server.url()).max_retries(0)
}

fn answer(server: &TestServer) {
    server.push(Reply::json(200, &serde_json::json!(["rex"])));
}

#[test]
fn the_first_complete_alternative_is_sent_and_nothing_else() {
    let server = TestServer::start();
    answer(&server);
    let both = builder(&server)
        .api_key("key-1")
        .bearer_token(SECRET)
        .build()
        .expect("client builds");
    both.pets().list(PetsListParams {}).expect("list succeeds");
    let request = server.single_request();
    assert_eq!(request.header("authorization"), Some("Bearer s3cr3t-value"));
    assert_eq!(
        request.header("x-api-key"),
        None,
        "only one alternative is sent"
    );

    server.clear_requests();
    answer(&server);
    let key_only = builder(&server)
        .api_key("key-1")
        .build()
        .expect("client builds");
    key_only
        .pets()
        .list(PetsListParams {})
        .expect("list succeeds");
    let request = server.single_request();
    assert_eq!(request.header("x-api-key"), Some("key-1"));
    assert_eq!(request.header("authorization"), None);
}

#[test]
fn basic_query_and_cookie_schemes_go_where_the_scheme_says() {
    let server = TestServer::with_replies([Reply::new(204), Reply::new(204)]);
    let basic = builder(&server)
        .basic("aladdin", "open sesame")
        .build()
        .unwrap();
    basic
        .pets()
        .create(PetsCreateParams {})
        .expect("create succeeds");
    assert_eq!(
        server.single_request().header("authorization"),
        Some("Basic YWxhZGRpbjpvcGVuIHNlc2FtZQ==")
    );

    server.clear_requests();
    let pair = builder(&server)
        .query_key("k&1")
        .session("abc;def")
        .build()
        .unwrap();
    pair.pets()
        .create(PetsCreateParams {})
        .expect("create succeeds");
    let request = server.single_request();
    assert_eq!(request.query(), Some("key=k%261"));
    assert_eq!(request.header("cookie"), Some("SESSION=abc%3Bdef"));
    assert_eq!(request.header("authorization"), None);
}

#[test]
fn an_operation_whose_alternatives_are_not_configured_is_not_sent() {
    let server = TestServer::start();
    // The query key alone is half of an alternative; building says so.
    let half = builder(&server).query_key("k").build().unwrap_err();
    let message = half.to_string();
    assert!(message.contains(".session(..)"), "{message}");
    assert!(message.contains("FIXTURE_AUTH_SESSION"), "{message}");

    let client = builder(&server).bearer_token(SECRET).build().unwrap();
    match client.pets().create(PetsCreateParams {}) {
        Err(Error::Config(message)) => {
            assert!(message.contains("POST /pets"), "{message}");
            assert!(
                message.contains(".basic(..), or .query_key(..) with .session(..)"),
                "{message}"
            );
            assert!(!message.contains(SECRET), "{message}");
        }
        other => panic!("expected a configuration error, got {other:?}"),
    }
    assert_eq!(server.request_count(), 0, "nothing is sent");
}

#[test]
fn optional_and_absent_security_send_no_credentials_unless_accepted() {
    let server = TestServer::with_replies([Reply::new(204), Reply::new(204), Reply::new(204)]);
    // Every operation that needs none can be called without any credentials.
    let anonymous = builder(&server)
        .build()
        .expect("no operation forces credentials");
    anonymous
        .meta()
        .health(HealthParams {})
        .expect("health succeeds");
    anonymous
        .pets()
        .search(PetsSearchParams {})
        .expect("search succeeds");
    for request in server.requests() {
        assert_eq!(request.header("authorization"), None);
    }
    server.clear_requests();
    // `health` declares `security: []`: a configured token is not sent to it.
    let client = builder(&server).bearer_token(SECRET).build().unwrap();
    client.meta().health(HealthParams {}).unwrap();
    assert_eq!(server.single_request().header("authorization"), None);
    assert!(!format!("{client:?}").contains(SECRET));
}
