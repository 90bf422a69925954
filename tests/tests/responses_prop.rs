//! Property tests: whatever the server answers (any status from 200 to 599, any bytes, any JSON,
//! envelope-shaped JSON with well- and ill-formed parts), every operation returns `Ok` or a
//! typed error without panicking, and the outcome is the one the response calls for.
//!
//! Each property runs against one server, reused by all its cases, with retries off.

// `Error` is the crate's public error type, returned as is.
#![allow(clippy::result_large_err)]

use chrono::{DateTime, SecondsFormat, Utc};
use cloudflare_access_keys::{
    AccessKeyConfig, AccessKeyGetParams, AccessKeyRotateParams, AccessKeyUpdateParams, ApiResponse,
    Client, Error, ResponseInfo,
};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::time::Duration;
use tests::{Reply, TestServer, ACCOUNT_ID, TOKEN};

const CASES: u32 = 128;

// ---------------------------------------------------------------------------------------------
// Strategies.

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        3 => 200u16..300,
        1 => Just(204u16),
        4 => 300u16..600,
        2 => prop::sample::select(vec![400u16, 401, 403, 404, 429, 500, 502, 503]),
    ]
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON numbers are finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{0,10}", inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn timestamp() -> impl Strategy<Value = Value> {
    prop_oneof![
        (0i64..4_102_444_800, 0u32..1_000_000_000).prop_map(|(secs, nanos)| {
            let at = DateTime::<Utc>::from_timestamp(secs, nanos).expect("in range");
            Value::from(at.to_rfc3339_opts(SecondsFormat::AutoSi, true))
        }),
        Just(Value::from("2014-01-01T05:20:00.12345Z")),
        Just(Value::from("2014-01-01T07:20:00+02:00")),
        Just(Value::from("2014-01-01")),
        Just(Value::Null),
        arb_json(),
    ]
}

fn number_or_junk() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => (0.0f64..400.0).prop_map(Value::from),
        2 => (0u64..400).prop_map(Value::from),
        1 => Just(Value::Null),
        1 => arb_json(),
    ]
}

/// An object with each of `fields` present or not.
fn object(fields: Vec<(&'static str, BoxedStrategy<Value>)>) -> impl Strategy<Value = Value> {
    let parts: Vec<_> = fields
        .into_iter()
        .map(|(name, value)| prop::option::of(value).prop_map(move |v| v.map(|v| (name, v))))
        .collect();
    parts.prop_map(|parts| {
        Value::Object(
            parts
                .into_iter()
                .flatten()
                .map(|(k, v)| (k.to_owned(), v))
                .collect::<Map<_, _>>(),
        )
    })
}

fn config() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => object(vec![
            ("days_until_next_rotation", number_or_junk().boxed()),
            ("key_rotation_interval_days", number_or_junk().boxed()),
            ("last_key_rotation_at", timestamp().boxed()),
            ("unknown_field", arb_json().boxed()),
        ]),
        1 => arb_json(),
    ]
}

fn info() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => object(vec![
            ("code", prop_oneof![
                4 => any::<i64>().prop_map(Value::from),
                1 => Just(Value::from(81053)),
                1 => arb_json(),
            ].boxed()),
            ("message", prop_oneof![3 => ".{0,20}".prop_map(Value::from), 1 => arb_json()].boxed()),
            ("documentation_url", prop_oneof![Just(Value::from("https://x.test/")), arb_json()].boxed()),
            ("source", prop_oneof![
                "[a-z/]{0,8}".prop_map(|p| serde_json::json!({"pointer": p})),
                arb_json(),
            ].boxed()),
        ]),
        1 => arb_json(),
    ]
}

fn infos() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => prop::collection::vec(info(), 0..3).prop_map(Value::Array),
        1 => arb_json(),
    ]
}

fn valid_timestamp() -> impl Strategy<Value = Value> {
    (0i64..4_102_444_800, 0u32..1_000_000_000, 0usize..3).prop_map(|(secs, nanos, style)| {
        let at = DateTime::<Utc>::from_timestamp(secs, nanos).expect("in range");
        Value::from(match style {
            0 => at.to_rfc3339_opts(SecondsFormat::AutoSi, true),
            1 => at.to_rfc3339_opts(SecondsFormat::Secs, false),
            _ => at.to_rfc3339(),
        })
    })
}

fn valid_config() -> impl Strategy<Value = Value> {
    let number = || prop_oneof![(0.0f64..400.0).prop_map(Value::from), Just(Value::Null)];
    object(vec![
        ("days_until_next_rotation", number().boxed()),
        ("key_rotation_interval_days", number().boxed()),
        ("last_key_rotation_at", valid_timestamp().boxed()),
    ])
}

fn valid_info() -> impl Strategy<Value = Value> {
    (
        any::<i64>(),
        ".{0,20}",
        prop::option::of("[a-z:/.]{0,20}"),
        prop::option::of("[a-z/]{0,8}"),
    )
        .prop_map(|(code, message, url, pointer)| {
            let mut info = serde_json::json!({"code": code, "message": message});
            if let Some(url) = url {
                info["documentation_url"] = Value::from(url);
            }
            if let Some(pointer) = pointer {
                info["source"] = serde_json::json!({ "pointer": pointer });
            }
            info
        })
}

/// A success envelope in the documented shape (the `success` flag may be left out).
fn valid_envelope() -> impl Strategy<Value = Value> {
    object(vec![
        ("success", Just(Value::Bool(true)).boxed()),
        (
            "errors",
            prop::collection::vec(valid_info(), 0..3)
                .prop_map(Value::Array)
                .boxed(),
        ),
        (
            "messages",
            prop::collection::vec(valid_info(), 0..3)
                .prop_map(Value::Array)
                .boxed(),
        ),
        ("result_info", arb_json().boxed()),
    ])
    .prop_flat_map(|envelope| {
        valid_config().prop_map(move |config| {
            let mut envelope = envelope.clone();
            envelope["result"] = config;
            envelope
        })
    })
}

fn envelope() -> impl Strategy<Value = Value> {
    object(vec![
        (
            "success",
            prop_oneof![
                3 => Just(Value::Bool(true)),
                3 => Just(Value::Bool(false)),
                1 => arb_json(),
            ]
            .boxed(),
        ),
        ("errors", infos().boxed()),
        ("messages", infos().boxed()),
        ("result", config().boxed()),
        ("result_info", arb_json().boxed()),
    ])
}

// ---------------------------------------------------------------------------------------------
// What the client must make of a response.

/// How a present-or-absent list of `ResponseInfo` reads.
enum List {
    Absent,
    Null,
    Valid(Vec<ResponseInfo>),
    Invalid,
}

fn list(value: Option<&Value>) -> List {
    match value {
        None => List::Absent,
        Some(Value::Null) => List::Null,
        Some(v) => match serde_json::from_value(v.clone()) {
            Ok(infos) => List::Valid(infos),
            Err(_) => List::Invalid,
        },
    }
}

/// The readable entries of a failure envelope's list, and whether any part was unreadable.
fn readable(value: Option<&Value>) -> (Vec<ResponseInfo>, bool) {
    match value {
        None | Some(Value::Null) => (Vec::new(), false),
        Some(Value::Array(items)) => {
            let infos: Vec<ResponseInfo> = items
                .iter()
                .filter_map(|i| serde_json::from_value(i.clone()).ok())
                .collect();
            let damaged = infos.len() != items.len();
            (infos, damaged)
        }
        Some(_) => (Vec::new(), true),
    }
}

/// A failure envelope: what `ApiError` must hold.
fn failure(o: &Map<String, Value>) -> Expected {
    let (errors, errors_damaged) = readable(o.get("errors"));
    let (messages, messages_damaged) = readable(o.get("messages"));
    Expected::Api {
        infos: Some((errors, messages)),
        snippet: Some(errors_damaged || messages_damaged),
    }
}

#[derive(Debug)]
enum Expected {
    /// Success, with what the envelope held.
    Ok {
        result: AccessKeyConfig,
        errors: Vec<ResponseInfo>,
        messages: Vec<ResponseInfo>,
        result_info: Option<Value>,
    },
    /// `Error::Api`; `Some` when the body's errors and messages must be reported exactly, and
    /// whether a snippet of the body is expected.
    Api {
        infos: Option<(Vec<ResponseInfo>, Vec<ResponseInfo>)>,
        snippet: Option<bool>,
    },
    /// `Error::Decode`.
    Decode,
    /// A top-level JSON array: serde may read it as a struct by position, so any typed outcome
    /// goes.
    Any,
}

/// What the body's text looks like once trimmed; `None` when blank.
fn visible_text(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

fn take(list: List) -> Vec<ResponseInfo> {
    match list {
        List::Valid(v) => v,
        _ => Vec::new(),
    }
}

fn expected(status: u16, body: &[u8]) -> Expected {
    let value: Option<Value> = serde_json::from_slice(body).ok();
    if !(200..300).contains(&status) {
        // Any non-2xx is an API error; the envelope's lists are read when there is one, and
        // the body is shown when there is not.
        if let Some(Value::Object(o)) = &value {
            let success = o.get("success").and_then(Value::as_bool);
            let has_errors = o.get("errors").is_some_and(Value::is_array);
            if success.is_some() || has_errors {
                return failure(o);
            }
        }
        return Expected::Api {
            infos: Some((Vec::new(), Vec::new())),
            snippet: Some(visible_text(body).is_some()),
        };
    }
    let o = match &value {
        None => return Expected::Decode,
        Some(Value::Object(o)) => o,
        Some(Value::Array(_)) => return Expected::Any,
        Some(_) => return Expected::Decode,
    };
    match o.get("success") {
        // The API said it failed: never a decoding error.
        Some(Value::Bool(false)) => failure(o),
        None | Some(Value::Bool(true)) => {
            let errors = list(o.get("errors"));
            let messages = list(o.get("messages"));
            let result = o
                .get("result")
                .and_then(|r| serde_json::from_value::<AccessKeyConfig>(r.clone()).ok());
            match (errors, messages, result) {
                // A missing or `null` list reads as empty.
                (
                    e @ (List::Absent | List::Null | List::Valid(_)),
                    m @ (List::Absent | List::Null | List::Valid(_)),
                    Some(result),
                ) => Expected::Ok {
                    result,
                    errors: take(e),
                    messages: take(m),
                    result_info: o.get("result_info").filter(|v| !v.is_null()).cloned(),
                },
                _ => Expected::Decode,
            }
        }
        Some(_) => Expected::Decode,
    }
}

/// Which outcome a call had, for checking that the strategies reach every kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Outcome {
    Ok,
    ApiWithErrors,
    ApiWithSnippet,
    ApiBare,
    Decode,
}

fn check_one(
    status: u16,
    body: &[u8],
    method: &str,
    outcome: Result<ApiResponse<AccessKeyConfig>, Error>,
) -> Result<Outcome, TestCaseError> {
    let expected = expected(status, body);
    let context = || {
        format!(
            "{method} answered {status} {:?}: expected {expected:?}",
            String::from_utf8_lossy(body)
        )
    };
    match (&expected, outcome) {
        (
            Expected::Ok {
                result,
                errors,
                messages,
                result_info,
            },
            Ok(r),
        ) => {
            prop_assert_eq!(r.status, status, "{}", context());
            prop_assert_eq!(&r.result, result, "{}", context());
            prop_assert_eq!(&r.errors, errors, "{}", context());
            prop_assert_eq!(&r.messages, messages, "{}", context());
            prop_assert_eq!(&r.result_info, result_info, "{}", context());
            Ok(Outcome::Ok)
        }
        (Expected::Any, Ok(r)) => {
            prop_assert_eq!(r.status, status, "{}", context());
            Ok(Outcome::Ok)
        }
        (Expected::Api { .. }, Err(Error::Api(e))) | (Expected::Any, Err(Error::Api(e))) => {
            let (infos, snippet) = match &expected {
                Expected::Api { infos, snippet } => (infos.clone(), *snippet),
                _ => (None, None),
            };
            prop_assert_eq!(e.status, status, "{}", context());
            prop_assert_eq!(e.method.as_str(), method, "{}", context());
            // Nothing the server sent is lost.
            prop_assert_eq!(&e.body[..], body, "{}", context());
            if let Some((errors, messages)) = &infos {
                prop_assert_eq!(&e.errors, errors, "{}", context());
                prop_assert_eq!(&e.messages, messages, "{}", context());
            }
            if let Some(expect_snippet) = snippet {
                prop_assert_eq!(
                    e.body_snippet.is_some(),
                    expect_snippet,
                    "{}: {:?}",
                    context(),
                    e
                );
            }
            if let Some(s) = &e.body_snippet {
                prop_assert!(
                    !s.is_empty() && s.chars().count() <= 203,
                    "{}: {:?}",
                    context(),
                    s
                );
                let text = visible_text(body).unwrap_or_default();
                let start = s.strip_suffix("...").unwrap_or(s);
                prop_assert!(text.starts_with(start), "{}: snippet {:?}", context(), s);
            }
            let kind = if !e.errors.is_empty() {
                Outcome::ApiWithErrors
            } else if e.body_snippet.is_some() {
                Outcome::ApiWithSnippet
            } else {
                Outcome::ApiBare
            };
            // Display works and names the request.
            let shown = Error::Api(e).to_string();
            prop_assert!(shown.contains(method) && shown.contains(&status.to_string()));
            Ok(kind)
        }
        (Expected::Decode, Err(Error::Decode(e))) | (Expected::Any, Err(Error::Decode(e))) => {
            prop_assert_eq!(e.status, status, "{}", context());
            prop_assert_eq!(e.method.as_str(), method, "{}", context());
            prop_assert_eq!(&e.body[..], body, "{}", context());
            let shown = Error::Decode(e).to_string();
            prop_assert!(
                shown.len() < 1200,
                "{}: Display too long: {}",
                context(),
                shown
            );
            Ok(Outcome::Decode)
        }
        (_, other) => Err(TestCaseError::fail(format!("{}, got {other:?}", context()))),
    }
}

/// Answers all three operations with `status` and `body`, checks each outcome and tallies it.
fn check(
    server: &TestServer,
    client: &Client,
    status: u16,
    body: &[u8],
    seen: &RefCell<BTreeSet<Outcome>>,
) -> Result<(), TestCaseError> {
    server.clear_replies();
    server.clear_requests();
    for _ in 0..3 {
        server.push(
            Reply::new(status)
                .header("Content-Type", "application/json")
                .body(body.to_vec()),
        );
    }
    // 204 and 304 never carry a body.
    let sent: &[u8] = if matches!(status, 204 | 304) {
        b""
    } else {
        body
    };
    let keys = client.zero_trust().access().keys();
    let get = keys.get_with_response(AccessKeyGetParams {
        account_id: ACCOUNT_ID.into(),
    });
    let outcome = check_one(status, sent, "GET", get)?;
    seen.borrow_mut().insert(outcome);
    let update = keys.update_with_response(AccessKeyUpdateParams {
        account_id: ACCOUNT_ID.into(),
        key_rotation_interval_days: 30.0,
    });
    let outcome = check_one(status, sent, "PUT", update)?;
    seen.borrow_mut().insert(outcome);
    let rotate = keys.rotate_with_response(AccessKeyRotateParams {
        account_id: ACCOUNT_ID.into(),
    });
    let outcome = check_one(status, sent, "POST", rotate)?;
    seen.borrow_mut().insert(outcome);
    prop_assert_eq!(
        server.request_count(),
        3,
        "one request per operation, no retries"
    );
    Ok(())
}

fn runner() -> TestRunner {
    TestRunner::new(Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    })
}

fn client(server: &TestServer) -> Client {
    Client::builder()
        .api_token(TOKEN)
        .base_url(server.base_url())
        .max_retries(0)
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client builds")
}

#[test]
fn arbitrary_bytes_never_panic_and_map_to_the_right_outcome() {
    let server = TestServer::start();
    let client = client(&server);
    let bodies = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..300),
        "[ \t\r\n]{0,3}".prop_map(String::into_bytes),
        ".{0,100}".prop_map(String::into_bytes),
        "[ \t\r\n]{0,4}<html>[a-z ]{0,40}</html>[ \t\r\n]{0,4}".prop_map(String::into_bytes),
    ];
    let seen = RefCell::new(BTreeSet::new());
    runner()
        .run(&(status(), bodies), |(status, body)| {
            check(&server, &client, status, &body, &seen)
        })
        .unwrap();
    let seen = seen.into_inner();
    for kind in [Outcome::ApiWithSnippet, Outcome::ApiBare, Outcome::Decode] {
        assert!(seen.contains(&kind), "no case gave {kind:?}: {seen:?}");
    }
}

#[test]
fn arbitrary_json_never_panics_and_maps_to_the_right_outcome() {
    let server = TestServer::start();
    let client = client(&server);
    let bodies = prop_oneof![
        1 => arb_json(),
        3 => envelope(),
        2 => valid_envelope(),
    ];
    let seen = RefCell::new(BTreeSet::new());
    runner()
        .run(&(status(), bodies), |(status, body)| {
            let bytes = serde_json::to_vec(&body).expect("JSON encodes");
            check(&server, &client, status, &bytes, &seen)
        })
        .unwrap();
    let seen = seen.into_inner();
    for kind in [
        Outcome::Ok,
        Outcome::ApiWithErrors,
        Outcome::ApiWithSnippet,
        Outcome::ApiBare,
        Outcome::Decode,
    ] {
        assert!(seen.contains(&kind), "no case gave {kind:?}: {seen:?}");
    }
}

#[test]
fn the_oracle_agrees_with_the_documented_cases() {
    let seed = tests::SEED_RESPONSE_EXAMPLE.as_bytes();
    assert!(matches!(expected(200, seed), Expected::Ok { .. }));
    assert!(matches!(expected(201, seed), Expected::Ok { .. }));
    assert!(matches!(
        expected(404, seed),
        Expected::Api {
            infos: Some(_),
            snippet: Some(false)
        }
    ));
    assert!(matches!(expected(200, b"<html>"), Expected::Decode));
    assert!(matches!(
        expected(502, b"<html>"),
        Expected::Api {
            snippet: Some(true),
            ..
        }
    ));
    assert!(matches!(
        expected(200, br#"{"success":false,"errors":[]}"#),
        Expected::Api { infos: Some(_), .. }
    ));
    assert!(matches!(
        expected(200, br#"{"errors":null,"messages":null,"result":{}}"#),
        Expected::Ok { .. }
    ));
}
