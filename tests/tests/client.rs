//! The client's behaviour against a real HTTP server: authentication, configuration, retries,
//! timeouts, transport failures, secrets in output, and sharing one client between threads.

// `Error` is the crate's public error type, returned as is.
#![allow(clippy::result_large_err)]

use cloudflare_access_keys::{
    AccessKeyConfig, AccessKeyGetParams, AccessKeyRotateParams, AccessKeyUpdateParams, Client,
    ClientBuilder, Credential, Error, TransportError,
};
use serde_json::json;
use std::time::Duration;
use tests::{
    api, assert_json_same, token_client, unused_port, RecordedRequest, Reply, TestServer,
    ACCOUNT_ID, API_KEY, EMAIL, TOKEN,
};

fn get(client: &Client) -> Result<AccessKeyConfig, Error> {
    client.zero_trust().access().keys().get(AccessKeyGetParams {
        account_id: ACCOUNT_ID.into(),
    })
}

fn update(client: &Client) -> Result<AccessKeyConfig, Error> {
    client
        .zero_trust()
        .access()
        .keys()
        .update(AccessKeyUpdateParams {
            account_id: ACCOUNT_ID.into(),
            key_rotation_interval_days: 30.0,
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

fn builder(server: &TestServer) -> ClientBuilder {
    Client::builder()
        .api_token(TOKEN)
        .base_url(server.base_url())
}

fn config_error(result: Result<Client, Error>) -> String {
    match result {
        Err(Error::Config(message)) => message,
        Err(other) => panic!("expected Error::Config, got {other:?}"),
        Ok(client) => panic!("expected Error::Config, got a client: {client:?}"),
    }
}

/// A reply that asks for a retry almost at once, so retry tests don't wait for the backoff.
fn retry_soon(status: u16, code: i64) -> Reply {
    Reply::failure(status, &[(code, "try again")]).header("retry-after-ms", "5")
}

/// Asserts that none of the secrets of the documentation examples is in `text`.
#[track_caller]
fn assert_no_secret(what: &str, text: &str) {
    for secret in [TOKEN, API_KEY] {
        assert!(!text.contains(secret), "{what} leaks a secret: {text}");
    }
}

/// Display and Debug of an error and of every error in its source chain hold no secret.
#[track_caller]
fn assert_error_has_no_secret(error: &Error) {
    assert_no_secret("Display", &error.to_string());
    assert_no_secret("Debug", &format!("{error:?}"));
    assert_no_secret("alternate Debug", &format!("{error:#?}"));
    let mut source = std::error::Error::source(error);
    while let Some(e) = source {
        assert_no_secret("a source's Display", &e.to_string());
        assert_no_secret("a source's Debug", &format!("{e:?}"));
        source = e.source();
    }
}

fn gap(requests: &[RecordedRequest], i: usize) -> Duration {
    requests[i].arrived.duration_since(requests[i - 1].arrived)
}

// ---------------------------------------------------------------------------------------------
// Authentication and configuration.

#[test]
fn a_token_is_sent_as_bearer_and_nothing_else() {
    let server = TestServer::with_replies([Reply::ok_config()]);
    get(&token_client(&server)).unwrap();
    let request = server.single_request();
    assert_eq!(
        request.header_all("authorization"),
        [format!("Bearer {TOKEN}")]
    );
    assert!(
        !request.has_header_prefix("x-auth-"),
        "{:?}",
        request.headers
    );
}

#[test]
fn email_and_key_are_sent_as_x_auth_headers_and_nothing_else() {
    let server = TestServer::with_replies([Reply::ok_config()]);
    let client = Client::builder()
        .api_email(EMAIL)
        .api_key(API_KEY)
        .base_url(server.base_url())
        .build()
        .unwrap();
    update(&client).unwrap();
    let request = server.single_request();
    assert_eq!(request.header_all("x-auth-email"), [EMAIL]);
    assert_eq!(request.header_all("x-auth-key"), [API_KEY]);
    assert_eq!(request.header("authorization"), None);
}

#[test]
fn a_token_wins_when_both_schemes_are_given() {
    let server = TestServer::start();
    server.set_fallback(Reply::ok_config());
    let builders = [
        Client::builder()
            .api_token(TOKEN)
            .api_email(EMAIL)
            .api_key(API_KEY),
        Client::builder()
            .api_email(EMAIL)
            .api_key(API_KEY)
            .api_token(TOKEN),
        Client::builder().api_email(EMAIL).api_token(TOKEN),
    ];
    for b in builders {
        server.clear_requests();
        let client = b.base_url(server.base_url()).build().unwrap();
        rotate(&client).unwrap();
        let request = server.single_request();
        assert_eq!(
            request.header_all("authorization"),
            [format!("Bearer {TOKEN}")]
        );
        assert!(
            !request.has_header_prefix("x-auth-"),
            "{:?}",
            request.headers
        );
    }
}

#[test]
fn building_without_credentials_says_how_to_give_them() {
    let message = config_error(Client::builder().build());
    assert!(message.contains(".api_token("), "{message}");
    assert!(message.contains("CLOUDFLARE_API_TOKEN"), "{message}");
    let shown = Error::Config(message).to_string();
    assert!(shown.contains(".api_token(") && shown.contains("CLOUDFLARE_API_TOKEN"));

    let message = config_error(Client::builder().api_email(EMAIL).build());
    assert!(
        message.contains(".api_key(") && message.contains("CLOUDFLARE_API_KEY"),
        "{message}"
    );
    let message = config_error(Client::builder().api_key(API_KEY).build());
    assert!(
        message.contains(".api_email(") && message.contains("CLOUDFLARE_EMAIL"),
        "{message}"
    );
    assert_no_secret("config error", &message);
}

#[test]
fn bad_configuration_is_a_config_error() {
    let bad_urls = [
        "not a url",
        "ftp://127.0.0.1/client/v4",
        "mailto:someone@example.com",
        "http://user:secret@127.0.0.1/client/v4",
        "http://127.0.0.1/client/v4?x=1",
        "http://127.0.0.1/client/v4#frag",
    ];
    for url in bad_urls {
        let message = config_error(Client::builder().api_token(TOKEN).base_url(url).build());
        assert!(message.contains("URL"), "{url}: {message}");
        assert_no_secret("config error", &message);
    }
    let message = config_error(
        Client::builder()
            .api_token(TOKEN)
            .timeout(Duration::ZERO)
            .build(),
    );
    assert!(message.contains("timeout"), "{message}");
    // Secrets that cannot go into a header are refused without being echoed.
    for token in [
        format!("{TOKEN}\n"),
        format!("{TOKEN}\u{7f}"),
        format!("\0{TOKEN}"),
    ] {
        let e = Client::builder().api_token(token).build().unwrap_err();
        assert!(matches!(e, Error::Config(_)), "{e:?}");
        assert_error_has_no_secret(&e);
    }
    let e = Client::builder()
        .api_email(EMAIL)
        .api_key(format!("{API_KEY}\r\nX-Injected: 1"))
        .build()
        .unwrap_err();
    assert!(matches!(e, Error::Config(_)), "{e:?}");
    assert_error_has_no_secret(&e);
}

#[test]
fn a_base_url_with_userinfo_is_never_shown_with_it() {
    const PASSWORD: &str = "SECRETPW";
    let urls = [
        // Each fails a different check of build(): scheme, credentials, parse, query.
        "ftp://user:SECRETPW@api.cloudflare.com/",
        "https://user:SECRETPW@api.cloudflare.com/client/v4",
        "https://SECRETPW@api.cloudflare.com/client/v4",
        "http://user:SECRETPW@[::1/client/v4",
        "https://user:SECRETPW#x@api.cloudflare.com/",
        "user:SECRETPW@api.cloudflare.com/client/v4",
        "mailto:user:SECRETPW@example.com",
        "https://user:SECRETPW@api.cloudflare.com/client/v4?x=1",
    ];
    for url in urls {
        let builder = Client::builder().api_token(TOKEN).base_url(url);
        for shown in [format!("{builder:?}"), format!("{builder:#?}")] {
            assert!(
                !shown.contains(PASSWORD),
                "ClientBuilder Debug shows {url}: {shown}"
            );
            assert!(shown.contains("<redacted>"), "{shown}");
        }
        let e = builder.build().unwrap_err();
        assert!(matches!(e, Error::Config(_)), "{url}: {e:?}");
        for shown in [e.to_string(), format!("{e:?}"), format!("{e:#?}")] {
            assert!(
                !shown.contains(PASSWORD),
                "the error of {url} shows it: {shown}"
            );
            assert_no_secret("config error", &shown);
        }
    }
    // The scheme error still names the URL, without the password, so it says what is wrong.
    let message = config_error(
        Client::builder()
            .api_token(TOKEN)
            .base_url("ftp://user:SECRETPW@api.cloudflare.com/")
            .build(),
    );
    assert!(
        message.contains("ftp://<redacted>@api.cloudflare.com/") && message.contains("http"),
        "{message}"
    );
    // A URL without userinfo is shown as given.
    let builder = Client::builder().base_url("http://127.0.0.1:9/client/v4/@me");
    assert!(format!("{builder:?}").contains("http://127.0.0.1:9/client/v4/@me"));
}

#[test]
fn the_defaults_point_at_the_real_api() {
    let client = Client::builder().api_token(TOKEN).build().unwrap();
    assert_eq!(client.base_url(), "https://api.cloudflare.com/client/v4");
    // A Cloudflare document keeps Cloudflare's API as its default (model/cloudflare.rs).
    assert_eq!(
        cloudflare_access_keys::DEFAULT_BASE_URL,
        Some(client.base_url())
    );
}

#[test]
fn the_user_agent_names_the_crate_and_its_version() {
    let server = TestServer::with_replies([Reply::ok_config(), Reply::ok_config()]);
    let client = token_client(&server);
    get(&client).unwrap();
    update(&client).unwrap();
    for request in server.requests() {
        assert_eq!(
            request.header_all("user-agent"),
            ["cloudflare-access-keys/0.1.0"]
        );
        assert!(
            !request.has_header_prefix("x-stainless"),
            "{:?}",
            request.headers
        );
    }
}

#[test]
fn with_response_exposes_status_headers_messages_and_result_info() {
    let server = TestServer::with_replies([Reply::json(
        201,
        &json!({
            "success": true,
            "errors": [],
            "messages": [{"code": 10, "message": "rotation scheduled"},
                         {"code": 11, "message": "second"}],
            "result": {"key_rotation_interval_days": 60},
            "result_info": {"page": 1, "count": 1}
        }),
    )
    .header("CF-Ray", "8a1b2c3d4e5f-SJC")
    .header("X-Custom", "one")
    .header("X-Custom", "two")]);
    let client = token_client(&server);
    let r = client
        .zero_trust()
        .access()
        .keys()
        .rotate_with_response(AccessKeyRotateParams {
            account_id: ACCOUNT_ID.into(),
        })
        .unwrap();
    assert_eq!(r.status, 201);
    assert_eq!(
        r.headers.get("cf-ray").and_then(|v| v.to_str().ok()),
        Some("8a1b2c3d4e5f-SJC")
    );
    let custom: Vec<&str> = r
        .headers
        .get_all("x-custom")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert_eq!(custom, ["one", "two"]);
    let messages: Vec<(i64, &str)> = r
        .messages
        .iter()
        .map(|m| (m.code, m.message.as_str()))
        .collect();
    assert_eq!(messages, [(10, "rotation scheduled"), (11, "second")]);
    assert!(r.errors.is_empty());
    assert_json_same(
        r.result_info.as_ref().unwrap(),
        &json!({"page": 1, "count": 1}),
    );
    assert_eq!(r.result.key_rotation_interval_days, Some(60.0));
    assert_eq!(r.result.last_key_rotation_at, None);
}

#[test]
fn an_api_error_display_names_the_request_status_and_every_code() {
    let server = TestServer::with_replies([Reply::failure(
        403,
        &[
            (10000, "Authentication error"),
            (81053, "Record already exists"),
        ],
    )]);
    let e = api(update(&token_client(&server)));
    let shown = e.to_string();
    for part in [
        "PUT",
        &format!("/accounts/{ACCOUNT_ID}/access/keys"),
        "403",
        "10000",
        "Authentication error",
        "81053",
        "Record already exists",
    ] {
        assert!(shown.contains(part), "{shown:?} lacks {part:?}");
    }
    assert_no_secret("ApiError", &shown);
    let error = Error::Api(e);
    assert_eq!(error.to_string(), shown);
    assert_error_has_no_secret(&error);
}

// ---------------------------------------------------------------------------------------------
// Retries.

#[test]
fn a_503_on_get_is_retried_after_a_backoff() {
    let server = TestServer::with_replies([
        Reply::failure(503, &[(1001, "unavailable")]),
        Reply::ok_config(),
    ]);
    let client = builder(&server).build().unwrap();
    get(&client).unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    // The first backoff is 0.5 s minus up to 25% jitter.
    assert!(
        gap(&requests, 1) >= Duration::from_millis(370),
        "{:?}",
        gap(&requests, 1)
    );
}

#[test]
fn a_503_on_post_rotate_is_not_retried() {
    let server = TestServer::with_replies([
        Reply::failure(503, &[(1001, "unavailable")]),
        Reply::ok_config(),
    ]);
    let client = builder(&server).max_retries(5).build().unwrap();
    let e = api(rotate(&client));
    assert_eq!(e.status, 503);
    assert!(e.has_code(1001));
    assert_eq!(server.request_count(), 1);
    assert_eq!(server.replies_left(), 1);
}

#[test]
fn which_statuses_are_retried_for_which_methods() {
    for status in [408, 409, 500, 502, 503, 504] {
        let server = TestServer::with_replies([retry_soon(status, 1), Reply::ok_config()]);
        let client = builder(&server).build().unwrap();
        get(&client).unwrap_or_else(|e| panic!("GET after {status}: {e}"));
        assert_eq!(server.request_count(), 2, "GET after {status}");

        let server = TestServer::with_replies([retry_soon(status, 1), Reply::ok_config()]);
        let client = builder(&server).build().unwrap();
        update(&client).unwrap_or_else(|e| panic!("PUT after {status}: {e}"));
        assert_eq!(server.request_count(), 2, "PUT after {status}");

        let server = TestServer::with_replies([retry_soon(status, 1), Reply::ok_config()]);
        let client = builder(&server).build().unwrap();
        assert_eq!(api(rotate(&client)).status, status);
        assert_eq!(server.request_count(), 1, "POST after {status}");
    }
    for status in [400, 401, 403, 404, 405, 422] {
        let server = TestServer::with_replies([retry_soon(status, 1), Reply::ok_config()]);
        let client = builder(&server).build().unwrap();
        assert_eq!(api(get(&client)).status, status);
        assert_eq!(server.request_count(), 1, "GET after {status}");
    }
}

#[test]
fn a_429_on_post_rotate_is_retried() {
    let server = TestServer::with_replies([retry_soon(429, 971), Reply::ok_config()]);
    let client = builder(&server).build().unwrap();
    rotate(&client).unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|r| r.method == "POST"));
}

#[test]
fn a_400_is_not_retried() {
    let server = TestServer::with_replies([
        Reply::failure(400, &[(7003, "bad identifier")]).header("retry-after", "0"),
        Reply::ok_config(),
    ]);
    let client = builder(&server).max_retries(3).build().unwrap();
    let e = api(get(&client));
    assert_eq!(e.status, 400);
    assert!(e.has_code(7003));
    assert_eq!(server.request_count(), 1);
}

#[test]
fn x_should_retry_is_honoured_within_the_method_rules() {
    // (status, x-should-retry, method, whether a second request follows)
    let cases: &[(u16, &str, &str, bool)] = &[
        // `false` stops retries the status alone would allow.
        (503, "false", "GET", false),
        (429, "false", "GET", false),
        (429, "false", "POST", false),
        (409, " FALSE ", "PUT", false),
        // `true` retries what the status alone would not, for idempotent methods.
        (400, "true", "GET", true),
        (404, "True", "PUT", true),
        (503, "true", "GET", true),
        // A POST that may have taken effect is not repeated, whatever the header says.
        (503, "true", "POST", false),
        (500, "true", "POST", false),
        (400, "true", "POST", false),
        // A POST that was not processed (429) is retried either way.
        (429, "true", "POST", true),
        // Anything else is no answer: the status decides.
        (400, "maybe", "GET", false),
        (503, "", "GET", true),
    ];
    for &(status, header, method, retried) in cases {
        let server = TestServer::with_replies([
            retry_soon(status, 1).header("x-should-retry", header),
            Reply::ok_config(),
        ]);
        let client = builder(&server).max_retries(3).build().unwrap();
        let result = match method {
            "GET" => get(&client),
            "PUT" => update(&client),
            _ => rotate(&client),
        };
        let case = format!("{method} answered {status} with x-should-retry: {header:?}");
        if retried {
            result.unwrap_or_else(|e| panic!("{case}: {e}"));
            assert_eq!(server.request_count(), 2, "{case}");
        } else {
            assert_eq!(api(result).status, status, "{case}");
            assert_eq!(server.request_count(), 1, "{case}");
        }
        assert!(
            server.requests().iter().all(|r| r.method == method),
            "{case}"
        );
    }
}

#[test]
fn max_retries_zero_sends_once() {
    let server = TestServer::with_replies([retry_soon(503, 1), Reply::ok_config()]);
    let client = builder(&server).max_retries(0).build().unwrap();
    assert_eq!(api(get(&client)).status, 503);
    assert_eq!(server.request_count(), 1);
}

#[test]
fn exhausted_retries_return_the_last_error() {
    let server = TestServer::with_replies([
        retry_soon(500, 1),
        retry_soon(502, 2),
        retry_soon(503, 3),
        Reply::ok_config(),
    ]);
    let client = builder(&server).max_retries(2).build().unwrap();
    let e = api(get(&client));
    assert_eq!(e.status, 503);
    let codes: Vec<i64> = e.errors.iter().map(|i| i.code).collect();
    assert_eq!(codes, [3]);
    assert_eq!(server.request_count(), 3);
    assert_eq!(server.replies_left(), 1);
}

#[test]
fn two_retries_by_default() {
    let server = TestServer::with_replies([
        retry_soon(429, 1),
        retry_soon(429, 2),
        retry_soon(429, 3),
        Reply::ok_config(),
    ]);
    let client = builder(&server).build().unwrap();
    let e = api(rotate(&client));
    assert_eq!((e.status, e.errors[0].code), (429, 3));
    assert_eq!(server.request_count(), 3);
}

#[test]
fn retry_after_seconds_is_honoured() {
    let server = TestServer::with_replies([
        Reply::failure(429, &[(971, "rate limited")]).header("Retry-After", "1"),
        Reply::ok_config(),
    ]);
    let client = builder(&server).build().unwrap();
    rotate(&client).unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert!(
        gap(&requests, 1) >= Duration::from_secs(1),
        "{:?}",
        gap(&requests, 1)
    );
}

#[test]
fn retry_after_ms_is_honoured_and_wins_over_retry_after() {
    // Three waits of 100 ms: with the backoff instead (0.5 s, 1 s, 2 s, less 25% jitter at
    // most) they would take at least 2.6 s, and with `Retry-After: 3` at least 9 s.
    let slow = || {
        Reply::failure(429, &[(971, "rate limited")])
            .header("retry-after-ms", "100")
            .header("Retry-After", "3")
    };
    let server = TestServer::with_replies([slow(), slow(), slow(), Reply::ok_config()]);
    let client = builder(&server).max_retries(3).build().unwrap();
    get(&client).unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    for i in 1..4 {
        assert!(
            gap(&requests, i) >= Duration::from_millis(100),
            "{:?}",
            gap(&requests, i)
        );
    }
    let total = requests[3].arrived.duration_since(requests[0].arrived);
    assert!(
        total < Duration::from_secs(2),
        "the server's wait was not used: {total:?}"
    );
}

#[test]
fn retry_after_zero_and_past_dates_retry_at_once() {
    let server = TestServer::with_replies([
        Reply::failure(429, &[(971, "rate limited")]).header("retry-after", "0"),
        Reply::failure(429, &[(971, "rate limited")])
            .header("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"),
        Reply::ok_config(),
    ]);
    let client = builder(&server).build().unwrap();
    get(&client).unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    // With the backoff instead, the two waits would take at least 0.375 s + 0.75 s.
    let total = requests[2].arrived.duration_since(requests[0].arrived);
    assert!(
        total < Duration::from_millis(1100),
        "the server's wait was not used: {total:?}"
    );
}

#[test]
fn a_retry_resends_the_same_request() {
    let server = TestServer::with_replies([retry_soon(503, 1), Reply::ok_config()]);
    let client = builder(&server).build().unwrap();
    update(&client).unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let (first, second) = (&requests[0], &requests[1]);
    assert_eq!(first.method, "PUT");
    assert_eq!(second.method, "PUT");
    assert_eq!(first.target, second.target);
    assert!(!first.body.is_empty());
    assert_eq!(first.body, second.body);
    assert_json_same(&second.json(), &json!({"key_rotation_interval_days": 30}));
    for name in [
        "authorization",
        "content-type",
        "content-length",
        "user-agent",
        "accept",
    ] {
        assert_eq!(first.header(name), second.header(name), "{name}");
    }
}

// ---------------------------------------------------------------------------------------------
// Timeouts and transport failures.

const SHORT_TIMEOUT: Duration = Duration::from_millis(200);
const LONG_DELAY: Duration = Duration::from_millis(1500);

fn transport(result: Result<AccessKeyConfig, Error>, timeout: bool) -> TransportError {
    match (result, timeout) {
        (Err(Error::Timeout(e)), true) | (Err(Error::Connection(e)), false) => e,
        (other, true) => panic!("expected Error::Timeout, got {other:?}"),
        (other, false) => panic!("expected Error::Connection, got {other:?}"),
    }
}

#[test]
fn a_slow_answer_is_a_timeout() {
    let server = TestServer::with_replies([Reply::ok_config().delay(LONG_DELAY)]);
    let client = builder(&server)
        .timeout(SHORT_TIMEOUT)
        .max_retries(0)
        .build()
        .unwrap();
    let e = transport(get(&client), true);
    assert_eq!((e.method.as_str(), e.attempts), ("GET", 1));
    assert_eq!(e.path, format!("/accounts/{ACCOUNT_ID}/access/keys"));
    assert_eq!(server.request_count(), 1);
    assert_error_has_no_secret(&Error::Timeout(e));
}

#[test]
fn get_and_put_are_retried_after_a_timeout() {
    let server = TestServer::with_replies([
        Reply::ok_config().delay(LONG_DELAY),
        Reply::ok_config(),
        Reply::ok_config().delay(LONG_DELAY),
        Reply::ok_config(),
    ]);
    let client = builder(&server)
        .timeout(SHORT_TIMEOUT)
        .max_retries(1)
        .build()
        .unwrap();
    get(&client).unwrap();
    update(&client).unwrap();
    let requests = server.requests();
    let methods: Vec<&str> = requests.iter().map(|r| r.method.as_str()).collect();
    assert_eq!(methods, ["GET", "GET", "PUT", "PUT"]);
    assert_eq!(requests[2].body, requests[3].body);
}

#[test]
fn post_is_not_retried_after_a_timeout() {
    let server =
        TestServer::with_replies([Reply::ok_config().delay(LONG_DELAY), Reply::ok_config()]);
    let client = builder(&server)
        .timeout(SHORT_TIMEOUT)
        .max_retries(2)
        .build()
        .unwrap();
    let e = transport(rotate(&client), true);
    assert_eq!((e.method.as_str(), e.attempts), ("POST", 1));
    assert_eq!(server.request_count(), 1);
    assert_eq!(server.replies_left(), 1);
}

#[test]
fn exhausted_timeouts_count_every_attempt() {
    let server = TestServer::with_replies([
        Reply::ok_config().delay(LONG_DELAY),
        Reply::ok_config().delay(LONG_DELAY),
    ]);
    let client = builder(&server)
        .timeout(SHORT_TIMEOUT)
        .max_retries(1)
        .build()
        .unwrap();
    let e = transport(get(&client), true);
    assert_eq!(e.attempts, 2);
    assert_eq!(server.request_count(), 2);
}

#[test]
fn a_dropped_connection_is_a_connection_error_and_only_get_retries_it() {
    let server = TestServer::with_replies([Reply::hang_up(), Reply::ok_config()]);
    let client = builder(&server).max_retries(3).build().unwrap();
    let e = transport(rotate(&client), false);
    assert_eq!((e.method.as_str(), e.attempts), ("POST", 1));
    assert_eq!(server.request_count(), 1);
    assert_error_has_no_secret(&Error::Connection(e));

    let server = TestServer::with_replies([Reply::hang_up(), Reply::ok_config()]);
    let client = builder(&server).max_retries(1).build().unwrap();
    get(&client).unwrap();
    assert_eq!(server.request_count(), 2);
}

#[test]
fn a_refused_connection_is_a_connection_error() {
    let base = format!("http://127.0.0.1:{}/client/v4", unused_port());
    let client = Client::builder()
        .api_token(TOKEN)
        .base_url(&base)
        .max_retries(0)
        .build()
        .unwrap();
    let e = transport(get(&client), false);
    assert_eq!((e.method.as_str(), e.attempts), ("GET", 1));
    let shown = Error::Connection(e).to_string();
    assert!(
        shown.contains("GET") && shown.contains("/access/keys"),
        "{shown}"
    );
    assert_no_secret("connection error", &shown);
}

#[test]
fn a_refused_connection_is_retried_even_for_post() {
    // Nothing was sent, so retrying a rotation cannot apply it twice.
    let base = format!("http://127.0.0.1:{}/client/v4", unused_port());
    let client = Client::builder()
        .api_token(TOKEN)
        .base_url(&base)
        .max_retries(1)
        .build()
        .unwrap();
    let e = transport(rotate(&client), false);
    assert_eq!((e.method.as_str(), e.attempts), ("POST", 2));
}

// ---------------------------------------------------------------------------------------------
// Secrets.

#[test]
fn debug_output_never_shows_a_secret() {
    let token_builder = Client::builder().api_token(TOKEN).max_retries(1);
    let legacy_builder = Client::builder().api_email(EMAIL).api_key(API_KEY);
    let both = Client::builder()
        .api_email(EMAIL)
        .api_key(API_KEY)
        .api_token(TOKEN);
    for b in [&token_builder, &legacy_builder, &both] {
        assert_no_secret("ClientBuilder", &format!("{b:?}"));
        assert_no_secret("ClientBuilder", &format!("{b:#?}"));
        let client = b.clone().build().unwrap();
        assert_no_secret("Client", &format!("{client:?}"));
        assert_no_secret("Client", &format!("{client:#?}"));
        let keys = client.zero_trust().access().keys();
        assert_no_secret("resource", &format!("{keys:?}"));
    }
    let credentials = [
        Credential::Secret(TOKEN.into()),
        Credential::Basic {
            user: "user".into(),
            password: API_KEY.into(),
        },
    ];
    for c in &credentials {
        assert_no_secret("Credential", &format!("{c:?}"));
        assert_no_secret("Credential", &format!("{c:#?}"));
    }
    // What is not secret is still shown, so the output stays useful: which schemes are set
    // (by their builder methods), a basic scheme's user, the other settings.
    assert!(format!("{:?}", credentials[1]).contains("user"));
    assert!(format!("{legacy_builder:?}").contains("api_email"));
    assert!(format!("{legacy_builder:?}").contains("api_key"));
    assert!(format!("{token_builder:?}").contains("api_token"));
    assert!(format!("{token_builder:?}").contains("max_retries"));
}

#[test]
fn no_error_kind_shows_a_secret() {
    let server = TestServer::start();
    for client in [
        builder(&server)
            .timeout(SHORT_TIMEOUT)
            .max_retries(0)
            .build()
            .unwrap(),
        Client::builder()
            .api_email(EMAIL)
            .api_key(API_KEY)
            .base_url(server.base_url())
            .timeout(SHORT_TIMEOUT)
            .max_retries(0)
            .build()
            .unwrap(),
    ] {
        server.clear_requests();
        server.push_all([
            Reply::failure(401, &[(10000, "Authentication error")]),
            Reply::ok(json!({"last_key_rotation_at": 5})),
            Reply::new(500).body(format!("<html>{}</html>", "x".repeat(1000))),
            Reply::ok_config().delay(LONG_DELAY),
            Reply::hang_up(),
        ]);
        let errors = [
            update(&client),
            get(&client),
            get(&client),
            get(&client),
            rotate(&client),
            client.zero_trust().access().keys().get(AccessKeyGetParams {
                account_id: String::new(),
            }),
        ];
        let kinds: Vec<&str> = errors
            .iter()
            .map(|r| match r {
                Err(Error::Api(_)) => "api",
                Err(Error::Decode(_)) => "decode",
                Err(Error::Timeout(_)) => "timeout",
                Err(Error::Connection(_)) => "connection",
                Err(Error::Validation(_)) => "validation",
                other => panic!("unexpected {other:?}"),
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "api",
                "decode",
                "api",
                "timeout",
                "connection",
                "validation"
            ]
        );
        for e in &errors {
            assert_error_has_no_secret(e.as_ref().unwrap_err());
        }
    }
    let refused = Client::builder()
        .api_token(TOKEN)
        .base_url(format!("http://127.0.0.1:{}", unused_port()))
        .max_retries(0)
        .build()
        .unwrap();
    assert_error_has_no_secret(&get(&refused).unwrap_err());
    assert_error_has_no_secret(&Client::builder().api_email(EMAIL).build().unwrap_err());
}

#[test]
fn credentials_do_not_follow_a_redirect_to_another_origin() {
    let elsewhere = TestServer::start();
    elsewhere.set_fallback(Reply::ok_config());
    let to_elsewhere = || {
        Reply::new(307).header(
            "Location",
            &format!(
                "{}/client/v4/accounts/{ACCOUNT_ID}/access/keys",
                elsewhere.url()
            ),
        )
    };
    let server = TestServer::with_replies([to_elsewhere(), to_elsewhere()]);
    let token = token_client(&server);
    let legacy = Client::builder()
        .api_email(EMAIL)
        .api_key(API_KEY)
        .base_url(server.base_url())
        .max_retries(0)
        .build()
        .unwrap();
    let results = [get(&token), get(&legacy)];
    assert_eq!(server.request_count(), 2);
    for request in elsewhere.requests() {
        assert_eq!(
            request.header("authorization"),
            None,
            "{:?}",
            request.headers
        );
        assert_eq!(request.header("x-auth-key"), None, "{:?}", request.headers);
    }
    // The API never redirects: a 3xx is reported, not followed.
    assert_eq!(elsewhere.request_count(), 0);
    for result in results {
        let e = api(result);
        assert_eq!(e.status, 307);
        assert_error_has_no_secret(&Error::Api(e));
    }
}

// ---------------------------------------------------------------------------------------------
// Sharing.

#[test]
fn the_client_is_clone_send_sync_and_static() {
    fn assert_shareable<T: Clone + Send + Sync + 'static>() {}
    assert_shareable::<Client>();
    assert_shareable::<ClientBuilder>();
    fn assert_error<T: std::error::Error + Send + Sync + 'static>() {}
    assert_error::<Error>();
}

#[test]
fn one_client_on_four_threads_reuses_a_few_connections() {
    const THREADS: usize = 4;
    const PER_THREAD: usize = 25;
    let server = TestServer::start();
    server.set_fallback(Reply::ok_config());
    let client = token_client(&server);
    std::thread::scope(|scope| {
        for _ in 0..THREADS {
            let client = client.clone();
            scope.spawn(move || {
                for _ in 0..PER_THREAD {
                    assert_eq!(get(&client).unwrap().key_rotation_interval_days, Some(30.0));
                }
            });
        }
    });
    let requests = server.requests();
    assert_eq!(requests.len(), THREADS * PER_THREAD);
    // One connection per thread is the norm. hyper's pool may also finish a connection it began
    // opening when none was idle, even if another one freed up meanwhile, so on a busy machine
    // a few more appear (5 or 6 of 100 runs under load); never one per request.
    let connections = server.connection_count();
    assert!(
        (1..=2 * THREADS).contains(&connections),
        "{connections} connections for {} requests",
        requests.len()
    );
    let busiest = (0..connections)
        .map(|c| requests.iter().filter(|r| r.connection == c).count())
        .max()
        .unwrap_or(0);
    assert!(
        busiest >= PER_THREAD / 2,
        "no connection was kept alive: {busiest}"
    );

    // With idle connections in the pool, further calls open none.
    for _ in 0..20 {
        rotate(&client).unwrap();
    }
    assert_eq!(server.connection_count(), connections);
    assert_eq!(server.request_count(), THREADS * PER_THREAD + 20);
}
