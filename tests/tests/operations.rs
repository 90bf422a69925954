//! End-to-end tests of the three operations against a real HTTP server: what goes over the
//! wire, how the documented response decodes, what validation rejects before any I/O, and how
//! failures map to `Error`.

// `Error` is the crate's public error type, returned as is.
#![allow(clippy::result_large_err)]

use chrono::{DateTime, NaiveDate, Utc};
use cloudflare_access_keys::{
    AccessKeyConfig, AccessKeyGetParams, AccessKeyRotateParams, AccessKeyUpdateParams, Client,
    Error, ValidationError,
};
use serde_json::json;
use tests::{
    api, assert_json_same, token_client, RecordedRequest, Reply, TestServer, ACCOUNT_ID, TOKEN,
};

fn keys_path(account: &str) -> String {
    format!("/client/v4/accounts/{account}/access/keys")
}

fn get(client: &Client, account_id: &str) -> Result<AccessKeyConfig, Error> {
    client.zero_trust().access().keys().get(AccessKeyGetParams {
        account_id: account_id.into(),
    })
}

fn update(client: &Client, account_id: &str, days: f64) -> Result<AccessKeyConfig, Error> {
    client
        .zero_trust()
        .access()
        .keys()
        .update(AccessKeyUpdateParams {
            account_id: account_id.into(),
            key_rotation_interval_days: days,
        })
}

fn rotate(client: &Client, account_id: &str) -> Result<AccessKeyConfig, Error> {
    client
        .zero_trust()
        .access()
        .keys()
        .rotate(AccessKeyRotateParams {
            account_id: account_id.into(),
        })
}

/// The configuration of the documentation page's example, built independently of serde.
fn documented_config() -> AccessKeyConfig {
    let at = NaiveDate::from_ymd_opt(2014, 1, 1)
        .unwrap()
        .and_hms_micro_opt(5, 20, 0, 123_450)
        .unwrap()
        .and_utc();
    AccessKeyConfig {
        days_until_next_rotation: Some(1.0),
        key_rotation_interval_days: Some(30.0),
        last_key_rotation_at: Some(at),
    }
}

fn assert_token_auth(request: &RecordedRequest) {
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(request.header_all("authorization").len(), 1);
    assert!(
        !request.has_header_prefix("x-auth-"),
        "token auth must not send x-auth-* headers: {:?}",
        request.headers
    );
}

fn assert_common_headers(request: &RecordedRequest) {
    assert_eq!(request.version, "HTTP/1.1");
    assert_token_auth(request);
    assert_eq!(request.header("accept"), Some("application/json"));
    let agent = request.header("user-agent").expect("a User-Agent");
    assert!(agent.starts_with("cloudflare-access-keys/"), "{agent}");
    assert!(request.header("host").is_some());
}

fn validation(result: Result<AccessKeyConfig, Error>) -> ValidationError {
    match result {
        Err(Error::Validation(e)) => e,
        other => panic!("expected Error::Validation, got {other:?}"),
    }
}

#[test]
fn get_sends_get_to_the_prefixed_path_and_decodes_the_documented_example() {
    let server = TestServer::with_replies([Reply::seed_example()]);
    let config = get(&token_client(&server), ACCOUNT_ID).unwrap();
    assert_eq!(config, documented_config());

    let request = server.single_request();
    assert_eq!(request.method, "GET");
    assert_eq!(request.target, keys_path(ACCOUNT_ID));
    assert_common_headers(&request);
    assert!(request.body.is_empty());
    assert_eq!(request.header("content-type"), None);
}

#[test]
fn update_sends_put_with_the_json_body_and_decodes_the_documented_example() {
    let server = TestServer::with_replies([Reply::seed_example()]);
    let client = token_client(&server);
    let keys = client.zero_trust().access().keys();
    let r = keys
        .update(AccessKeyUpdateParams {
            account_id: "023e105f4ecef8ad9ca31a8372d0c353".into(),
            key_rotation_interval_days: 30.0,
        })
        .unwrap();
    assert_eq!(r.days_until_next_rotation, Some(1.0));
    assert_eq!(format!("{:?}", r.days_until_next_rotation), "Some(1.0)");
    assert_eq!(r, documented_config());

    let request = server.single_request();
    assert_eq!(request.method, "PUT");
    assert_eq!(request.target, keys_path(ACCOUNT_ID));
    assert_common_headers(&request);
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.header("content-length"),
        Some(request.body.len().to_string().as_str())
    );
    // Compared as JSON values: 30 and 30.0 are the same number.
    assert_json_same(&request.json(), &json!({"key_rotation_interval_days": 30}));
    assert_eq!(
        request.json()["key_rotation_interval_days"].as_f64(),
        Some(30.0)
    );
    // Only the body parameter is in the body; the account id goes into the path.
    assert!(!String::from_utf8_lossy(&request.body).contains(ACCOUNT_ID));
}

#[test]
fn rotate_sends_post_without_a_body_and_decodes_the_documented_example() {
    let server = TestServer::with_replies([Reply::seed_example()]);
    let config = rotate(&token_client(&server), ACCOUNT_ID).unwrap();
    assert_eq!(config, documented_config());

    let request = server.single_request();
    assert_eq!(request.method, "POST");
    assert_eq!(request.target, format!("{}/rotate", keys_path(ACCOUNT_ID)));
    assert_common_headers(&request);
    assert!(request.body.is_empty());
    assert_eq!(request.header("content-type"), None);
}

#[test]
fn the_documented_timestamp_keeps_its_fraction() {
    let server = TestServer::with_replies([Reply::seed_example()]);
    let config = get(&token_client(&server), ACCOUNT_ID).unwrap();
    let at = config.last_key_rotation_at.unwrap();
    let expected: DateTime<Utc> = "2014-01-01T05:20:00.12345Z".parse().unwrap();
    assert_eq!(at, expected);
    assert_eq!(at.timestamp(), 1_388_553_600);
    assert_eq!(at.timestamp_subsec_nanos(), 123_450_000);
    assert_eq!(at.to_rfc3339(), "2014-01-01T05:20:00.123450+00:00");
}

#[test]
fn the_with_response_twins_expose_the_whole_documented_envelope() {
    let server = TestServer::with_replies([
        Reply::seed_example(),
        Reply::seed_example(),
        Reply::seed_example(),
    ]);
    let client = token_client(&server);
    let keys = client.zero_trust().access().keys();
    let responses = [
        keys.get_with_response(AccessKeyGetParams {
            account_id: ACCOUNT_ID.into(),
        })
        .unwrap(),
        keys.update_with_response(AccessKeyUpdateParams {
            account_id: ACCOUNT_ID.into(),
            key_rotation_interval_days: 30.0,
        })
        .unwrap(),
        keys.rotate_with_response(AccessKeyRotateParams {
            account_id: ACCOUNT_ID.into(),
        })
        .unwrap(),
    ];
    for r in responses {
        assert_eq!(r.status, 200);
        assert_eq!(r.result, documented_config());
        assert_eq!(
            r.headers.get("content-type").and_then(|v| v.to_str().ok()),
            Some("application/json")
        );
        for infos in [&r.messages, &r.errors] {
            assert_eq!(infos.len(), 1);
            assert_eq!(infos[0].code, 1000);
            assert_eq!(infos[0].message, "message");
            assert_eq!(
                infos[0].documentation_url.as_deref(),
                Some("documentation_url")
            );
            assert_eq!(
                infos[0].source.as_ref().and_then(|s| s.pointer.as_deref()),
                Some("pointer")
            );
        }
        assert_eq!(r.result_info, None);
    }
    assert_eq!(server.request_count(), 3);
}

#[test]
fn a_base_url_with_a_trailing_slash_or_no_prefix_forms_the_right_path() {
    let server = TestServer::start();
    server.set_fallback(Reply::ok_config());
    for (base, expected) in [
        (format!("{}/", server.base_url()), keys_path(ACCOUNT_ID)),
        (
            format!("{}/deeper/prefix/", server.url()),
            format!("/deeper/prefix/accounts/{ACCOUNT_ID}/access/keys"),
        ),
        (server.url(), format!("/accounts/{ACCOUNT_ID}/access/keys")),
    ] {
        server.clear_requests();
        let client = Client::builder()
            .api_token(TOKEN)
            .base_url(&base)
            .max_retries(0)
            .build()
            .unwrap();
        get(&client, ACCOUNT_ID).unwrap();
        assert_eq!(server.single_request().target, expected, "base URL {base}");
    }
}

// ---------------------------------------------------------------------------------------------
// Validation: caught before any I/O.

#[test]
fn invalid_account_ids_are_rejected_before_anything_is_sent() {
    let server = TestServer::start();
    let client = token_client(&server);
    let too_long = "a".repeat(33);
    let cases: [(&str, &str); 4] = [
        ("", "non-empty"),
        (&too_long, "maxLength 32"),
        (".", "`.` and `..`"),
        ("..", "`.` and `..`"),
    ];
    for (account_id, constraint) in cases {
        let results = [
            get(&client, account_id),
            update(&client, account_id, 30.0),
            rotate(&client, account_id),
        ];
        for result in results {
            let e = validation(result);
            assert_eq!(e.field, "account_id", "{e}");
            assert!(e.constraint.contains(constraint), "{e:?}");
            assert_eq!(e.value, format!("{account_id:?}"), "{e:?}");
            let shown = Error::Validation(e.clone()).to_string();
            assert!(
                shown.contains("account_id") && shown.contains(&e.constraint),
                "{shown}"
            );
        }
    }
    assert_eq!(server.request_count(), 0);
    assert_eq!(server.connection_count(), 0);
}

#[test]
fn out_of_range_or_non_finite_intervals_are_rejected_before_anything_is_sent() {
    let server = TestServer::start();
    let client = token_client(&server);
    let cases = [
        (20.9, "minimum 21", "20.9"),
        (-30.0, "minimum 21", "-30.0"),
        (365.1, "maximum 365", "365.1"),
        (1e300, "maximum 365", "1e300"),
        (f64::NAN, "finite", "NaN"),
        (f64::INFINITY, "finite", "inf"),
        (f64::NEG_INFINITY, "finite", "-inf"),
    ];
    for (days, constraint, shown) in cases {
        let e = validation(update(&client, ACCOUNT_ID, days));
        assert_eq!(e.field, "key_rotation_interval_days", "{e:?}");
        assert!(e.constraint.contains(constraint), "{days}: {e:?}");
        assert_eq!(e.value, shown, "{days}: {e:?}");
        let text = e.to_string();
        assert!(
            text.contains("key_rotation_interval_days")
                && text.contains(constraint)
                && text.contains(shown),
            "{text}"
        );
    }
    assert_eq!(server.request_count(), 0);
    assert_eq!(server.connection_count(), 0);
}

#[test]
fn boundary_values_are_accepted_and_sent() {
    let server = TestServer::start();
    server.set_fallback(Reply::ok_config());
    let client = token_client(&server);
    let long_enough = "b".repeat(32);
    update(&client, ACCOUNT_ID, 21.0).unwrap();
    update(&client, ACCOUNT_ID, 365.0).unwrap();
    update(&client, ACCOUNT_ID, 21.5).unwrap();
    get(&client, &long_enough).unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    assert_json_same(
        &requests[0].json(),
        &json!({"key_rotation_interval_days": 21}),
    );
    assert_json_same(
        &requests[1].json(),
        &json!({"key_rotation_interval_days": 365}),
    );
    assert_json_same(
        &requests[2].json(),
        &json!({"key_rotation_interval_days": 21.5}),
    );
    assert_eq!(requests[3].target, keys_path(&long_enough));
}

#[test]
fn a_32_character_id_of_multibyte_characters_is_within_max_length() {
    let server = TestServer::start();
    server.set_fallback(Reply::ok_config());
    let client = token_client(&server);
    let id = "é".repeat(32);
    get(&client, &id).unwrap();
    assert_eq!(
        server.single_request().target,
        keys_path(&"%C3%A9".repeat(32))
    );
    let e = validation(get(&client, &"é".repeat(33)));
    assert!(e.constraint.contains("maxLength 32"), "{e:?}");
    assert_eq!(server.request_count(), 1);
}

#[test]
fn reserved_characters_in_the_account_id_stay_inside_one_path_segment() {
    let server = TestServer::start();
    server.set_fallback(Reply::ok_config());
    let client = token_client(&server);
    let cases = [
        ("a/b", "a%2Fb"),
        ("a?b=c", "a%3Fb%3Dc"),
        ("a#b", "a%23b"),
        ("100%", "100%25"),
        ("%2e%2e", "%252e%252e"),
        ("a b", "a%20b"),
        ("../x", "..%2Fx"),
        ("...", "..."),
        ("a+b&c;d", "a%2Bb%26c%3Bd"),
    ];
    for (account_id, encoded) in cases {
        server.clear_requests();
        get(&client, account_id).unwrap();
        update(&client, account_id, 30.0).unwrap();
        rotate(&client, account_id).unwrap();
        let requests = server.requests();
        assert_eq!(requests.len(), 3);
        for request in &requests {
            assert!(
                request.target.starts_with(&keys_path(encoded)),
                "{account_id:?} -> {}",
                request.target
            );
            assert_eq!(
                request.query(),
                None,
                "{account_id:?} -> {}",
                request.target
            );
            let segments: Vec<&str> = request.path().split('/').collect();
            // "", "client", "v4", "accounts", <id>, "access", "keys"[, "rotate"]
            assert_eq!(segments[4], encoded);
            assert!(segments.len() == 7 || segments.len() == 8, "{segments:?}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Failures reported by the API.

#[test]
fn a_4xx_envelope_becomes_an_api_error_with_its_codes_and_messages() {
    let server = TestServer::with_replies([Reply::json(
        403,
        &json!({
            "success": false,
            "errors": [
                {"code": 10000, "message": "Authentication error",
                 "documentation_url": "https://developers.cloudflare.com/", "source": {"pointer": "/x"}},
                {"code": 9106, "message": "Missing X-Auth-Key"}
            ],
            "messages": [{"code": 1, "message": "see the docs"}],
            "result": null
        }),
    )]);
    let e = api(update(&token_client(&server), ACCOUNT_ID, 30.0));
    assert_eq!(e.status, 403);
    assert_eq!(e.method, "PUT");
    assert_eq!(e.path, format!("/accounts/{ACCOUNT_ID}/access/keys"));
    let codes: Vec<(i64, &str)> = e
        .errors
        .iter()
        .map(|i| (i.code, i.message.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            (10000, "Authentication error"),
            (9106, "Missing X-Auth-Key")
        ]
    );
    assert_eq!(
        e.errors[0].documentation_url.as_deref(),
        Some("https://developers.cloudflare.com/")
    );
    assert_eq!(
        e.errors[0].source.as_ref().unwrap().pointer.as_deref(),
        Some("/x")
    );
    assert_eq!(e.messages.len(), 1);
    assert_eq!(
        (e.messages[0].code, e.messages[0].message.as_str()),
        (1, "see the docs")
    );
    assert!(e.has_code(9106) && !e.has_code(1));
    assert_eq!(e.body_snippet, None);
    assert_eq!(server.request_count(), 1);
}

#[test]
fn every_operation_maps_a_404_envelope_to_an_api_error() {
    let server = TestServer::start();
    server.set_fallback(Reply::failure(404, &[(7003, "Could not route")]));
    let client = token_client(&server);
    for (result, method, suffix) in [
        (get(&client, ACCOUNT_ID), "GET", ""),
        (update(&client, ACCOUNT_ID, 30.0), "PUT", ""),
        (rotate(&client, ACCOUNT_ID), "POST", "/rotate"),
    ] {
        let e = api(result);
        assert_eq!((e.status, e.method.as_str()), (404, method));
        assert_eq!(
            e.path,
            format!("/accounts/{ACCOUNT_ID}/access/keys{suffix}")
        );
        assert!(e.has_code(7003));
        assert_eq!(Error::Api(e.clone()).status(), Some(404));
    }
}

#[test]
fn a_2xx_with_success_false_is_an_api_error() {
    let server = TestServer::with_replies([
        Reply::json(
            200,
            &json!({"success": false, "errors": [{"code": 1001, "message": "nope"}],
                    "messages": [], "result": null}),
        ),
        // Even when the result has the documented shape.
        Reply::json(
            200,
            &json!({"success": false, "errors": [{"code": 1002, "message": "still nope"}],
                    "messages": [{"code": 5, "message": "m"}],
                    "result": {"key_rotation_interval_days": 30}}),
        ),
        Reply::json(201, &json!({"success": false, "errors": []})),
    ]);
    let client = token_client(&server);
    let e = api(get(&client, ACCOUNT_ID));
    assert_eq!(e.status, 200);
    assert!(e.has_code(1001));
    let e = api(update(&client, ACCOUNT_ID, 30.0));
    assert_eq!(e.status, 200);
    assert!(e.has_code(1002));
    assert_eq!(e.messages[0].code, 5);
    let e = api(rotate(&client, ACCOUNT_ID));
    assert_eq!(e.status, 201);
    assert!(e.errors.is_empty());
    assert_eq!(server.request_count(), 3);
}

#[test]
fn any_2xx_status_is_a_success() {
    let server = TestServer::start();
    let client = token_client(&server);
    for status in [200, 201, 202, 299] {
        server.push(Reply {
            status,
            ..Reply::ok_config()
        });
        let r = client
            .zero_trust()
            .access()
            .keys()
            .get_with_response(AccessKeyGetParams {
                account_id: ACCOUNT_ID.into(),
            })
            .unwrap();
        assert_eq!(r.status, status);
        assert_eq!(r.result, documented_config());
    }
}

#[test]
fn an_html_error_page_becomes_an_api_error_with_a_bounded_snippet() {
    let page = format!(
        "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body>{}</body></html>",
        "<p>cloudflare</p>".repeat(500)
    );
    let server = TestServer::with_replies([
        Reply::new(502)
            .header("Content-Type", "text/html")
            .body(page.clone()),
        Reply::new(400)
            .header("Content-Type", "text/html")
            .body("  <h1>Bad request</h1>\n"),
        Reply::new(400),
    ]);
    let client = token_client(&server);
    let e = api(rotate(&client, ACCOUNT_ID));
    assert_eq!(e.status, 502);
    assert!(e.errors.is_empty() && e.messages.is_empty());
    // The whole page is kept, byte for byte; only the snippet is bounded.
    assert_eq!(&e.body[..], page.as_bytes());
    let snippet = e.body_snippet.clone().expect("a snippet of the page");
    assert!(snippet.starts_with("<!DOCTYPE html>"), "{snippet}");
    assert!(
        snippet.chars().count() <= 203,
        "{} chars",
        snippet.chars().count()
    );
    assert!(snippet.ends_with("..."), "{snippet}");
    assert!(page.starts_with(snippet.trim_end_matches("...")));
    let shown = e.to_string();
    assert!(
        shown.contains("502") && shown.contains("<!DOCTYPE html>"),
        "{shown}"
    );
    assert!(
        shown.len() < 600,
        "Display must stay short: {} bytes",
        shown.len()
    );

    let e = api(get(&client, ACCOUNT_ID));
    assert_eq!(e.status, 400);
    assert_eq!(e.body_snippet.as_deref(), Some("<h1>Bad request</h1>"));

    let e = api(get(&client, ACCOUNT_ID));
    assert_eq!((e.status, e.body_snippet.clone()), (400, None));
    assert!(e.errors.is_empty() && e.body.is_empty());
}

#[test]
fn large_error_codes_keep_their_value() {
    let big = 1i64 << 40;
    let server = TestServer::with_replies([Reply::failure(
        400,
        &[
            (
                81053,
                "An A, AAAA, or CNAME record with that host already exists.",
            ),
            (65536, "just above u16"),
            (4_294_967_296, "just above u32"),
            (big, "huge"),
        ],
    )]);
    let e = api(get(&token_client(&server), ACCOUNT_ID));
    let codes: Vec<i64> = e.errors.iter().map(|i| i.code).collect();
    assert_eq!(codes, [81053, 65536, 4_294_967_296, big]);
    assert!(e.has_code(81053));
    let shown = e.to_string();
    assert!(
        shown.contains("[81053]") && shown.contains(&format!("[{big}]")),
        "{shown}"
    );
}

#[test]
fn a_2xx_body_that_does_not_match_the_documented_type_is_a_decode_error() {
    let replies = [
        Reply::ok(json!({"last_key_rotation_at": "yesterday"})),
        Reply::ok(json!({"days_until_next_rotation": "one"})),
        Reply::new(200).body("<html>not json</html>"),
        Reply::json(200, &json!({"success": true})),
    ];
    let mut bodies = replies.iter().map(|r| r.body.clone());
    let server = TestServer::with_replies(replies.clone());
    let client = token_client(&server);
    let fields = [
        "result.last_key_rotation_at",
        "result.days_until_next_rotation",
        ".",
        "",
    ];
    for field in fields {
        match get(&client, ACCOUNT_ID) {
            Err(Error::Decode(e)) => {
                assert_eq!(e.status, 200);
                assert_eq!(e.method, "GET");
                if !field.is_empty() {
                    assert_eq!(e.field, field, "{e}");
                }
                assert!(e.to_string().contains("200"), "{e}");
                // Nothing the server sent is lost.
                assert_eq!(e.body.to_vec(), bodies.next().unwrap());
            }
            other => panic!("expected Error::Decode, got {other:?}"),
        }
    }
}

#[test]
fn unknown_and_missing_result_fields_are_tolerated() {
    let server = TestServer::with_replies([
        Reply::ok(json!({"key_rotation_interval_days": 45, "new_field": [1, 2]})),
        Reply::json(200, &json!({"result": {}})),
    ]);
    let client = token_client(&server);
    let config = get(&client, ACCOUNT_ID).unwrap();
    assert_eq!(
        config,
        AccessKeyConfig {
            key_rotation_interval_days: Some(45.0),
            ..Default::default()
        }
    );
    assert_eq!(
        get(&client, ACCOUNT_ID).unwrap(),
        AccessKeyConfig::default()
    );
}

/// The policy for responses that drift from the spec: a field the spec marks as required that
/// is missing or `null` fails the call with `Error::Decode` naming the field, and the error keeps
/// the whole body, so nothing the server sent is lost and the caller can still read it.
#[test]
fn a_missing_or_null_required_field_is_a_decode_error_that_keeps_the_body() {
    let filler = "x".repeat(50_000);
    let cases = [
        // The envelope's `result` is required.
        (
            json!({"success": true, "errors": [], "messages": []}),
            "",
            "missing field `result`",
        ),
        (
            json!({"success": true, "result": null, "note": filler}),
            "result",
            "null",
        ),
        // So is `code` in every entry of `errors` and `messages`.
        (
            json!({"success": true, "result": {}, "messages": [{"code": null, "message": "m"}]}),
            "messages[0].code",
            "null",
        ),
        (
            json!({"success": true, "result": {}, "errors": [{"message": "no code"}]}),
            "errors[0]",
            "missing field `code`",
        ),
        // Not a missing field, but the same error: a long string where a number belongs, which
        // serde's message quotes; Display stays short all the same.
        (
            json!({"success": true, "result": {"days_until_next_rotation": filler}}),
            "result.days_until_next_rotation",
            "invalid type: string",
        ),
    ];
    let server = TestServer::with_replies(cases.iter().map(|(body, _, _)| Reply::json(200, body)));
    let client = token_client(&server);
    for (body, field, why) in &cases {
        match get(&client, ACCOUNT_ID) {
            Err(Error::Decode(e)) => {
                if !field.is_empty() {
                    assert_eq!(e.field, *field, "{e}");
                }
                assert!(e.message.contains(why), "{e}");
                assert_eq!(e.body, serde_json::to_vec(body).unwrap());
                let kept: serde_json::Value = serde_json::from_slice(&e.body).unwrap();
                assert_json_same(&kept, body);
                // Display names the field and shows a bounded start of the body, however long.
                let shown = e.to_string();
                assert!(shown.contains(&format!("`{}`", e.field)), "{shown}");
                assert!(shown.contains(r#"starts with "{"#), "{shown}");
                assert!(
                    shown.len() < 700,
                    "Display must stay short: {} bytes",
                    shown.len()
                );
            }
            other => panic!("expected Error::Decode for {body}, got {other:?}"),
        }
    }
}

/// The rest of the drift policy: `null` for an optional field reads as absent and unknown fields
/// are ignored, at every level of the envelope.
#[test]
fn null_optional_fields_and_unknown_fields_are_tolerated() {
    let body = json!({
        "success": true,
        "errors": null,
        "messages": [{"code": 1, "message": null, "documentation_url": null, "new": true}],
        "result": {
            "days_until_next_rotation": null,
            "key_rotation_interval_days": 30,
            "last_key_rotation_at": null,
            "added_later": {"nested": [1, 2, 3]}
        },
        "result_info": null,
        "brand_new_envelope_field": "ignored"
    });
    let server = TestServer::with_replies([Reply::json(200, &body)]);
    let response = token_client(&server)
        .zero_trust()
        .access()
        .keys()
        .get_with_response(AccessKeyGetParams {
            account_id: ACCOUNT_ID.into(),
        })
        .unwrap();
    assert_eq!(
        response.result,
        AccessKeyConfig {
            key_rotation_interval_days: Some(30.0),
            ..Default::default()
        }
    );
    assert!(response.errors.is_empty() && response.result_info.is_none());
    assert_eq!(response.messages[0].code, 1);
    assert_eq!(response.messages[0].message, "");
}

#[test]
fn a_failure_envelope_with_malformed_entries_is_still_an_api_error() {
    let body = json!({
        "success": false,
        "errors": [{"message": "no code"}, {"code": 1003, "message": "readable"}, "junk"],
        "messages": {"not": "a list"},
        "result": null
    });
    let server = TestServer::with_replies([Reply::json(200, &body), Reply::json(400, &body)]);
    let client = token_client(&server);
    for status in [200, 400] {
        let e = api(get(&client, ACCOUNT_ID));
        assert_eq!(e.status, status);
        // The readable entries are kept, and the raw body is shown for the rest.
        let codes: Vec<i64> = e.errors.iter().map(|i| i.code).collect();
        assert_eq!(codes, [1003], "{e:?}");
        assert!(e.messages.is_empty());
        let snippet = e
            .body_snippet
            .as_deref()
            .expect("a snippet of the damaged envelope");
        assert!(snippet.starts_with(r#"{"success":false"#), "{snippet}");
        assert!(e.to_string().contains("[1003] readable"), "{e}");
    }
}

#[test]
fn an_error_envelope_without_success_is_read_on_a_non_2xx() {
    let server = TestServer::with_replies([
        Reply::json(
            429,
            &json!({"errors": [{"code": 971, "message": "rate limited"}]}),
        ),
        Reply::json(500, &json!({"success": false})),
        Reply::json(500, &json!({"result": null})),
    ]);
    let client = token_client(&server);
    let e = api(rotate(&client, ACCOUNT_ID));
    assert_eq!(
        (e.status, e.errors[0].code, e.body_snippet.clone()),
        (429, 971, None)
    );
    let e = api(rotate(&client, ACCOUNT_ID));
    assert_eq!(
        (e.status, e.errors.len(), e.body_snippet.clone()),
        (500, 0, None)
    );
    // Not an envelope at all: the body is shown instead.
    let e = api(rotate(&client, ACCOUNT_ID));
    assert_eq!(e.body_snippet.as_deref(), Some(r#"{"result":null}"#));
}

#[test]
fn the_snippet_skips_any_amount_of_leading_blank_space_and_marks_any_cut() {
    let padded = format!("{}<html>Bad gateway</html>\n", " \r\n".repeat(400));
    let wide = "\u{1F600}".repeat(300);
    let exact = "x".repeat(200);
    let server = TestServer::with_replies([
        Reply::new(502).body(padded),
        Reply::new(502).body(wide.clone()),
        Reply::new(502).body(format!("{exact}   \n")),
    ]);
    let client = token_client(&server);
    let e = api(get(&client, ACCOUNT_ID));
    assert_eq!(e.body_snippet.as_deref(), Some("<html>Bad gateway</html>"));
    let e = api(get(&client, ACCOUNT_ID));
    let expected = format!("{}...", "\u{1F600}".repeat(200));
    assert_eq!(e.body_snippet.as_deref(), Some(expected.as_str()));
    let e = api(get(&client, ACCOUNT_ID));
    assert_eq!(e.body_snippet.as_deref(), Some(exact.as_str()));
}
