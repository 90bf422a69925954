//! `Client::from_env()` against a real server. Environment variables are global to the
//! process, so this file (its own test binary) holds a single test that runs every scenario in
//! turn.

use cloudflare_access_keys::{AccessKeyGetParams, Client, Error, DEFAULT_BASE_URL};
use tests::{RecordedRequest, Reply, TestServer, ACCOUNT_ID, API_KEY, EMAIL, TOKEN};

const VARS: [&str; 4] = [
    "CLOUDFLARE_API_TOKEN",
    "CLOUDFLARE_EMAIL",
    "CLOUDFLARE_API_KEY",
    "CLOUDFLARE_BASE_URL",
];

/// Sets exactly the given variables; the other `CLOUDFLARE_*` ones are removed.
fn set_env(vars: &[(&str, &str)]) {
    for name in VARS {
        std::env::remove_var(name);
    }
    for (name, value) in vars {
        assert!(VARS.contains(name), "unexpected variable {name}");
        std::env::set_var(name, value);
    }
}

/// Builds a client from the environment, makes one call, and returns what the server saw.
fn one_request(server: &TestServer) -> RecordedRequest {
    server.clear_requests();
    let client = Client::from_env().expect("a client from the environment");
    assert_eq!(client.base_url(), server.base_url());
    client
        .zero_trust()
        .access()
        .keys()
        .get(AccessKeyGetParams {
            account_id: ACCOUNT_ID.into(),
        })
        .expect("the call succeeds");
    server.single_request()
}

fn assert_bearer(request: &RecordedRequest, token: &str) {
    assert_eq!(
        request.header_all("authorization"),
        [format!("Bearer {token}")]
    );
    assert!(
        !request.has_header_prefix("x-auth-"),
        "{:?}",
        request.headers
    );
}

fn assert_legacy(request: &RecordedRequest) {
    assert_eq!(request.header_all("x-auth-email"), [EMAIL]);
    assert_eq!(request.header_all("x-auth-key"), [API_KEY]);
    assert_eq!(request.header("authorization"), None);
}

fn config_error(result: Result<Client, Error>) -> String {
    match result {
        Err(Error::Config(message)) => message,
        other => panic!("expected Error::Config, got {other:?}"),
    }
}

#[test]
fn from_env_scenarios() {
    let server = TestServer::start();
    server.set_fallback(Reply::ok_config());
    let base = server.base_url();
    let path = format!("/client/v4/accounts/{ACCOUNT_ID}/access/keys");

    // A token and a base URL with the API's path prefix.
    set_env(&[
        ("CLOUDFLARE_API_TOKEN", TOKEN),
        ("CLOUDFLARE_BASE_URL", &base),
    ]);
    let request = one_request(&server);
    assert_eq!(request.target, path);
    assert_bearer(&request, TOKEN);

    // A stray CLOUDFLARE_EMAIL (or a whole legacy pair) does not switch schemes when a token is
    // set.
    set_env(&[
        ("CLOUDFLARE_API_TOKEN", TOKEN),
        ("CLOUDFLARE_EMAIL", EMAIL),
        ("CLOUDFLARE_BASE_URL", &base),
    ]);
    assert_bearer(&one_request(&server), TOKEN);
    set_env(&[
        ("CLOUDFLARE_API_TOKEN", TOKEN),
        ("CLOUDFLARE_EMAIL", EMAIL),
        ("CLOUDFLARE_API_KEY", API_KEY),
        ("CLOUDFLARE_BASE_URL", &base),
    ]);
    assert_bearer(&one_request(&server), TOKEN);

    // Email and key without a token: the legacy scheme.
    set_env(&[
        ("CLOUDFLARE_EMAIL", EMAIL),
        ("CLOUDFLARE_API_KEY", API_KEY),
        ("CLOUDFLARE_BASE_URL", &base),
    ]);
    assert_legacy(&one_request(&server));

    // An empty token counts as unset.
    set_env(&[
        ("CLOUDFLARE_API_TOKEN", ""),
        ("CLOUDFLARE_EMAIL", EMAIL),
        ("CLOUDFLARE_API_KEY", API_KEY),
        ("CLOUDFLARE_BASE_URL", &base),
    ]);
    assert_legacy(&one_request(&server));

    // A base URL with a trailing slash keeps the prefix and adds no empty segment.
    set_env(&[
        ("CLOUDFLARE_API_TOKEN", TOKEN),
        ("CLOUDFLARE_BASE_URL", &format!("{base}/")),
    ]);
    assert_eq!(one_request(&server).target, path);

    // Without CLOUDFLARE_BASE_URL the real API is used.
    set_env(&[("CLOUDFLARE_API_TOKEN", TOKEN)]);
    assert_eq!(
        Some(Client::from_env().unwrap().base_url()),
        DEFAULT_BASE_URL
    );

    // Credentials given to the builder win over the environment's; the environment still fills
    // in what the builder left unset.
    set_env(&[
        ("CLOUDFLARE_EMAIL", EMAIL),
        ("CLOUDFLARE_API_KEY", API_KEY),
        ("CLOUDFLARE_BASE_URL", &base),
    ]);
    let client = Client::builder()
        .api_token("builder-token")
        .from_env()
        .max_retries(0)
        .build()
        .unwrap();
    assert_eq!(client.base_url(), base);
    server.clear_requests();
    client
        .zero_trust()
        .access()
        .keys()
        .get(AccessKeyGetParams {
            account_id: ACCOUNT_ID.into(),
        })
        .unwrap();
    assert_bearer(&server.single_request(), "builder-token");
    // A base URL given to the builder wins too.
    let client = Client::builder()
        .base_url("http://127.0.0.1:9/elsewhere")
        .from_env()
        .build()
        .unwrap();
    assert_eq!(client.base_url(), "http://127.0.0.1:9/elsewhere");

    // Nothing set: a configuration error that says what to set.
    set_env(&[]);
    let message = config_error(Client::from_env());
    assert!(message.contains(".api_token("), "{message}");
    assert!(message.contains("CLOUDFLARE_API_TOKEN"), "{message}");
    set_env(&[("CLOUDFLARE_BASE_URL", &base)]);
    let message = config_error(Client::from_env());
    assert!(message.contains("CLOUDFLARE_API_TOKEN"), "{message}");

    // Half of the legacy pair is an error naming the missing half, never a silent fallback.
    set_env(&[("CLOUDFLARE_EMAIL", EMAIL)]);
    let message = config_error(Client::from_env());
    assert!(message.contains("CLOUDFLARE_API_KEY"), "{message}");
    set_env(&[("CLOUDFLARE_API_KEY", API_KEY)]);
    let message = config_error(Client::from_env());
    assert!(message.contains("CLOUDFLARE_EMAIL"), "{message}");
    assert!(!message.contains(API_KEY), "{message}");

    // A bad CLOUDFLARE_BASE_URL is reported, not ignored.
    set_env(&[
        ("CLOUDFLARE_API_TOKEN", TOKEN),
        ("CLOUDFLARE_BASE_URL", "api.cloudflare.com/client/v4"),
    ]);
    let message = config_error(Client::from_env());
    assert!(
        message.contains("api.cloudflare.com/client/v4"),
        "{message}"
    );
    assert!(!message.contains(TOKEN), "{message}");

    set_env(&[]);
}
