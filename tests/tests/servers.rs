//! The default base URL comes from the document, over the wire: the `servers` fixture crate
//! defaults to its first server's URL with the variables defaulted, the `no-servers` one has no
//! default and refuses to build until it is given a URL (so credentials never go to a server the
//! document did not name), and Cloudflare's document keeps Cloudflare's API. Environment
//! variables are global to the process, so the one test that sets them is the only one here
//! that reads them.

use tests::{Reply, TestServer};

#[test]
fn the_first_server_with_its_variables_defaulted_is_the_default() {
    assert_eq!(
        fixture_servers::DEFAULT_BASE_URL,
        Some("https://eu.api.example.com:8443/v2")
    );
    let client = fixture_servers::Client::builder()
        .build()
        .expect("a client with the document's default base URL");
    assert_eq!(client.base_url(), "https://eu.api.example.com:8443/v2");

    // `.base_url(..)` still wins, and requests go there.
    let server = TestServer::with_replies([Reply::json(200, &serde_json::json!({"ok": true}))]);
    let client = fixture_servers::Client::builder()
        .base_url(server.url())
        .max_retries(0)
        .build()
        .expect("a client for the test server");
    let status = client
        .status()
        .get(fixture_servers::StatusGetParams {})
        .expect("the call succeeds");
    assert!(status.ok);
    assert_eq!(server.single_request().path(), "/status");
}

#[test]
fn without_servers_there_is_no_default_and_build_says_what_to_set() {
    use fixture_no_servers::{Client, Error, StatusGetParams, DEFAULT_BASE_URL};
    assert_eq!(DEFAULT_BASE_URL, None);

    let server = TestServer::with_replies([
        Reply::json(200, &serde_json::json!({"ok": true})),
        Reply::json(200, &serde_json::json!({"ok": false})),
    ]);
    for var in ["FIXTURE_NO_SERVERS_API_KEY", "FIXTURE_NO_SERVERS_BASE_URL"] {
        std::env::remove_var(var);
    }
    // Credentials but no base URL: nothing is sent, and the error names both ways to give one.
    let refused = Client::builder().api_key("k-1").build();
    let Err(Error::Config(message)) = refused else {
        panic!("expected Error::Config, got {refused:?}");
    };
    assert!(message.contains(".base_url(..)"), "{message}");
    assert!(message.contains("FIXTURE_NO_SERVERS_BASE_URL"), "{message}");
    assert!(
        matches!(
            Client::builder().api_key("k-1").from_env().build(),
            Err(Error::Config(_))
        ),
        "an unset variable gives no URL"
    );
    assert_eq!(server.request_count(), 0);

    // `.base_url(..)` makes it work.
    let client = Client::builder()
        .api_key("k-1")
        .base_url(server.url())
        .max_retries(0)
        .build()
        .expect("a client with a base URL");
    assert!(
        client
            .status()
            .get(StatusGetParams {})
            .expect("the call succeeds")
            .ok
    );
    assert_eq!(server.single_request().header("x-api-key"), Some("k-1"));

    // So does the environment variable the message names.
    server.clear_requests();
    std::env::set_var("FIXTURE_NO_SERVERS_API_KEY", "k-2");
    std::env::set_var("FIXTURE_NO_SERVERS_BASE_URL", server.url());
    let client = Client::from_env().expect("a client from the environment");
    assert_eq!(client.base_url(), server.url());
    assert!(
        !client
            .status()
            .get(StatusGetParams {})
            .expect("the call succeeds")
            .ok
    );
    assert_eq!(server.single_request().header("x-api-key"), Some("k-2"));
}

#[test]
fn cloudflare_documents_keep_cloudflares_api() {
    assert_eq!(
        cloudflare_access_keys::DEFAULT_BASE_URL,
        Some("https://api.cloudflare.com/client/v4")
    );
    let client = cloudflare_access_keys::Client::builder()
        .api_token(tests::TOKEN)
        .build()
        .expect("a client with Cloudflare's default base URL");
    assert_eq!(client.base_url(), "https://api.cloudflare.com/client/v4");
}
