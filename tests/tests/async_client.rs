//! The async client against a real HTTP server: what goes over the wire, validation, retries,
//! deadlines, limits, failures and decode errors, both kinds of tokio runtime, concurrent
//! tasks, cancellation by dropping a future, and paging streams.
//!
//! The retry, limit and failure scenarios run through **both** clients from one table
//! ([`both_clients`]): the blocking client runs the async client's transport on its I/O
//! thread, so each rule lives in one place, and these tests fail for both clients at once when
//! a rule changes.

// `Error` is the crate's public error type, returned as is.
#![allow(clippy::result_large_err)]

use cloudflare_access_keys::{
    AccessKeyConfig, AccessKeyGetParams, AccessKeyRotateParams, AccessKeyUpdateParams, AsyncClient,
    Client, ClientBuilder, Error,
};
use serde_json::json;
use std::future::Future;
use std::time::Duration;
use tests::{api, Reply, TestServer, ACCOUNT_ID, TOKEN};
use tokio::runtime::{Builder, Runtime};

const PATIENCE: Duration = Duration::from_secs(20);

fn multi_thread() -> Runtime {
    Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a multi-thread runtime")
}

fn current_thread() -> Runtime {
    Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime")
}

fn builder(server: &TestServer) -> ClientBuilder {
    AsyncClient::builder()
        .api_token(TOKEN)
        .base_url(server.base_url())
}

fn async_client(server: &TestServer) -> AsyncClient {
    builder(server)
        .build_async()
        .expect("the async client builds")
}

/// The three operations of the crate.
#[derive(Debug, Clone, Copy)]
enum Op {
    Get,
    Update,
    Rotate,
}

async fn call_async(client: &AsyncClient, op: Op) -> Result<AccessKeyConfig, Error> {
    let keys = client.zero_trust().access().keys();
    let account_id = ACCOUNT_ID.to_owned();
    match op {
        Op::Get => keys.get(AccessKeyGetParams { account_id }).await,
        Op::Update => {
            keys.update(AccessKeyUpdateParams {
                account_id,
                key_rotation_interval_days: 30.0,
            })
            .await
        }
        Op::Rotate => keys.rotate(AccessKeyRotateParams { account_id }).await,
    }
}

fn call_blocking(client: &Client, op: Op) -> Result<AccessKeyConfig, Error> {
    let keys = client.zero_trust().access().keys();
    let account_id = ACCOUNT_ID.to_owned();
    match op {
        Op::Get => keys.get(AccessKeyGetParams { account_id }),
        Op::Update => keys.update(AccessKeyUpdateParams {
            account_id,
            key_rotation_interval_days: 30.0,
        }),
        Op::Rotate => keys.rotate(AccessKeyRotateParams { account_id }),
    }
}

/// Runs `op` once through each client, each against its own server scripted with `replies`
/// and a client from `configure(builder)`, and returns both outcomes with the number of
/// requests each server saw: `[(blocking), (async)]`.
fn both_clients(
    replies: &[Reply],
    configure: impl Fn(ClientBuilder) -> ClientBuilder,
    op: Op,
) -> [(Result<AccessKeyConfig, Error>, usize); 2] {
    let blocking = {
        let server = TestServer::with_replies(replies.to_vec());
        let client = configure(builder(&server)).build().expect("client builds");
        let outcome = call_blocking(&client, op);
        (outcome, server.request_count())
    };
    let asynchronous = {
        let server = TestServer::with_replies(replies.to_vec());
        let client = configure(builder(&server))
            .build_async()
            .expect("client builds");
        let outcome = current_thread().block_on(call_async(&client, op));
        (outcome, server.request_count())
    };
    [blocking, asynchronous]
}

/// What kind of outcome, for comparing the two clients.
fn kind(outcome: &Result<AccessKeyConfig, Error>) -> String {
    match outcome {
        Ok(_) => "ok".into(),
        Err(Error::Api(e)) => format!("api {}", e.status),
        Err(Error::Timeout(e)) => format!("timeout after {}", e.attempts),
        Err(Error::Connection(e)) => format!("connection after {}", e.attempts),
        Err(Error::Decode(e)) => format!("decode at {}", e.field),
        Err(Error::ResponseTooLarge(e)) => format!("too large ({})", e.builder_method),
        Err(Error::Validation(e)) => format!("validation of {}", e.field),
        Err(other) => format!("{other:?}"),
    }
}

/// A reply that asks for a retry almost at once, so retry tests don't wait for the backoff.
fn retry_soon(status: u16) -> Reply {
    Reply::failure(status, &[(10000, "try again")]).header("retry-after-ms", "5")
}

#[test]
fn an_async_update_sends_the_method_path_token_and_body_and_returns_the_result() {
    let server = TestServer::with_replies([Reply::seed_example()]);
    let client = async_client(&server);
    let config = multi_thread()
        .block_on(call_async(&client, Op::Update))
        .expect("the update succeeds");
    assert_eq!(config.key_rotation_interval_days, Some(30.0));
    assert_eq!(config.days_until_next_rotation, Some(1.0));
    let request = server.single_request();
    assert_eq!(request.method, "PUT");
    assert_eq!(
        request.path(),
        "/client/v4/accounts/023e105f4ecef8ad9ca31a8372d0c353/access/keys"
    );
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.header("x-auth-key"), None);
    assert_eq!(
        request.header("user-agent"),
        Some(cloudflare_access_keys::client::USER_AGENT)
    );
    assert_eq!(request.json(), json!({"key_rotation_interval_days": 30.0}));
}

#[test]
fn an_async_call_with_bad_params_fails_before_anything_is_sent() {
    let server = TestServer::start();
    let client = async_client(&server);
    let outcome = current_thread().block_on(async {
        client
            .zero_trust()
            .access()
            .keys()
            .update(AccessKeyUpdateParams {
                account_id: ACCOUNT_ID.into(),
                key_rotation_interval_days: 400.0,
            })
            .await
    });
    match outcome {
        Err(Error::Validation(e)) => assert_eq!(e.field, "key_rotation_interval_days"),
        other => panic!("expected Error::Validation, got {other:?}"),
    }
    assert_eq!(server.request_count(), 0);
}

#[test]
fn both_clients_retry_the_same_failures_for_the_same_methods() {
    // (operation, replies, requests the server sees, outcome)
    let ok = Reply::seed_example;
    let table: Vec<(Op, Vec<Reply>, usize, &str)> = vec![
        (Op::Get, vec![retry_soon(503), ok()], 2, "ok"),
        (Op::Update, vec![retry_soon(502), ok()], 2, "ok"),
        (Op::Rotate, vec![retry_soon(503), ok()], 1, "api 503"),
        (Op::Rotate, vec![retry_soon(429), ok()], 2, "ok"),
        (Op::Get, vec![retry_soon(429), ok()], 2, "ok"),
        (Op::Get, vec![retry_soon(400), ok()], 1, "api 400"),
        (Op::Get, vec![retry_soon(409), ok()], 2, "ok"),
        (
            Op::Get,
            vec![retry_soon(503).header("x-should-retry", "false"), ok()],
            1,
            "api 503",
        ),
        (
            Op::Get,
            vec![retry_soon(400).header("x-should-retry", "true"), ok()],
            2,
            "ok",
        ),
        (
            Op::Rotate,
            vec![retry_soon(503).header("x-should-retry", "true"), ok()],
            1,
            "api 503",
        ),
        (
            Op::Get,
            vec![retry_soon(503), retry_soon(503), retry_soon(503), ok()],
            3,
            "api 503",
        ),
        (Op::Get, vec![Reply::hang_up(), ok()], 2, "ok"),
        (
            Op::Rotate,
            vec![Reply::hang_up(), ok()],
            1,
            "connection after 1",
        ),
    ];
    for (op, replies, requests, outcome) in table {
        let [blocking, asynchronous] = both_clients(&replies, |b| b, op);
        for (which, (result, seen)) in [("blocking", blocking), ("async", asynchronous)] {
            assert_eq!(
                (kind(&result).as_str(), seen),
                (outcome, requests),
                "{which} client, {op:?} with replies {:?}",
                replies.iter().map(|r| r.status).collect::<Vec<_>>()
            );
        }
    }
}

#[test]
fn both_clients_keep_a_retried_attempts_count_and_the_last_error() {
    let replies = [
        Reply::failure(503, &[(1, "first")]).header("retry-after-ms", "5"),
        Reply::failure(503, &[(2, "last")]).header("retry-after-ms", "5"),
    ];
    for (result, seen) in both_clients(&replies, |b| b.max_retries(1), Op::Get) {
        let e = api(result);
        assert_eq!((e.status, e.errors[0].code, seen), (503, 2, 2));
    }
}

#[test]
fn both_clients_time_out_a_body_dripped_past_the_deadline_and_hang_up() {
    let drip = || Reply::new(200).drip(&b" "[..], Duration::from_millis(50), Some(40));
    let replies = [drip(), drip()];
    for (result, seen) in both_clients(
        &replies,
        |b| b.timeout(Duration::from_millis(300)).max_retries(0),
        Op::Get,
    ) {
        assert_eq!((kind(&result).as_str(), seen), ("timeout after 1", 1));
    }
    // A GET is retried after a timeout, a POST is not; the async client's deadline covers the
    // whole attempt, and it hangs up on the drip. (On a multi-thread runtime, whose workers go
    // on closing the connections between the calls; a current-thread runtime closes them when it
    // runs again.)
    let server = TestServer::with_replies([drip(), drip(), drip()]);
    let client = builder(&server)
        .timeout(Duration::from_millis(200))
        .max_retries(1)
        .build_async()
        .unwrap();
    let runtime = multi_thread();
    let get = runtime.block_on(call_async(&client, Op::Get));
    assert_eq!(kind(&get), "timeout after 2");
    let rotate = runtime.block_on(call_async(&client, Op::Rotate));
    assert_eq!(kind(&rotate), "timeout after 1");
    assert_eq!(server.request_count(), 3);
    assert!(server.wait_for_cut_short(3, PATIENCE));
}

#[test]
fn both_clients_refuse_a_body_over_the_limit_without_retrying() {
    let huge = || {
        Reply::new(200)
            .header("Content-Type", "application/json")
            .header("Content-Length", "1000000000000")
            .drip(vec![b' '; 16 * 1024], Duration::ZERO, None)
    };
    let chunked = || Reply::new(200).drip(vec![b' '; 1024], Duration::ZERO, None);
    for replies in [vec![huge(), huge()], vec![chunked(), chunked()]] {
        for (result, seen) in both_clients(
            &replies,
            |b| b.max_retries(3).max_response_bytes(64 * 1024),
            Op::Get,
        ) {
            assert_eq!(
                (kind(&result).as_str(), seen),
                ("too large (max_response_bytes)", 1)
            );
        }
    }
}

#[test]
fn both_clients_report_a_2xx_that_says_success_false_as_an_api_error() {
    let replies = [Reply::failure(200, &[(7003, "Could not route")])];
    for (result, seen) in both_clients(&replies, |b| b, Op::Get) {
        let e = api(result);
        assert_eq!((e.status, e.errors[0].code, seen), (200, 7003, 1));
    }
}

#[test]
fn both_clients_keep_the_whole_body_in_a_decode_error() {
    let body = json!({
        "success": true, "errors": [], "messages": [],
        "result": {"days_until_next_rotation": "soon"}
    });
    let replies = [Reply::json(200, &body)];
    for (result, _) in both_clients(&replies, |b| b, Op::Get) {
        match result {
            Err(Error::Decode(e)) => {
                assert_eq!(e.field, "result.days_until_next_rotation");
                let kept: serde_json::Value = serde_json::from_slice(&e.body).unwrap();
                assert_eq!(kept, body);
            }
            other => panic!("expected Error::Decode, got {other:?}"),
        }
    }
}

#[test]
fn the_async_client_works_on_both_kinds_of_runtime_built_inside_or_outside() {
    let server = TestServer::with_replies((0..4).map(|_| Reply::ok_config()));
    // Built outside any runtime, used on each kind.
    let client = async_client(&server);
    assert!(current_thread()
        .block_on(call_async(&client, Op::Get))
        .is_ok());
    assert!(multi_thread()
        .block_on(call_async(&client, Op::Get))
        .is_ok());
    // Built, used and dropped inside each kind.
    for runtime in [current_thread(), multi_thread()] {
        let base_url = server.base_url();
        let outcome = runtime.block_on(async move {
            let client = AsyncClient::builder()
                .api_token(TOKEN)
                .base_url(base_url)
                .build_async()
                .expect("builds inside a runtime");
            let outcome = call_async(&client, Op::Get).await;
            drop(client);
            outcome
        });
        assert!(outcome.is_ok(), "{outcome:?}");
    }
    assert_eq!(server.request_count(), 4);
}

#[test]
fn a_future_polled_outside_a_runtime_fails_without_panicking_or_sending() {
    use std::task::{Context, Poll, Waker};
    let server = TestServer::start();
    let client = async_client(&server);
    let mut future = Box::pin(call_async(&client, Op::Get));
    let mut cx = Context::from_waker(Waker::noop());
    match future.as_mut().poll(&mut cx) {
        Poll::Ready(Err(Error::AsyncRuntime(message))) => {
            assert!(message.contains("tokio runtime"), "{message}")
        }
        other => panic!("expected Error::AsyncRuntime at once, got {other:?}"),
    }
    assert_eq!(server.request_count(), 0);
}

#[test]
fn spawned_tasks_share_one_client_and_its_futures_are_send() {
    fn assert_send<T: Send>(value: T) -> T {
        value
    }
    let server = TestServer::with_replies((0..8).map(|_| Reply::ok_config()));
    let client = async_client(&server);
    let runtime = multi_thread();
    let results = runtime.block_on(async {
        let tasks: Vec<_> = (0..8)
            .map(|i| {
                let client = client.clone();
                let op = [Op::Get, Op::Update][i % 2];
                tokio::spawn(async move { assert_send(call_async(&client, op)).await })
            })
            .collect();
        let mut results = Vec::new();
        for task in tasks {
            results.push(task.await.expect("the task does not panic"));
        }
        results
    });
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(server.request_count(), 8);
}

#[test]
fn dropping_the_future_abandons_the_call_and_nothing_more_is_sent() {
    // The first answer asks for a retry in 1 s; the call's future is dropped (its task aborted)
    // once the server has seen the first request.
    let server = TestServer::with_replies([
        Reply::failure(503, &[(1, "later")]).header("retry-after-ms", "1000"),
        Reply::ok_config(),
    ]);
    let client = builder(&server).max_retries(2).build_async().unwrap();
    let runtime = multi_thread();
    let task = {
        let client = client.clone();
        runtime.spawn(async move { call_async(&client, Op::Get).await })
    };
    assert!(server.wait_for_requests(1, PATIENCE));
    task.abort();
    let outcome = runtime.block_on(task);
    assert!(
        outcome.is_err_and(|e| e.is_cancelled()),
        "the call was still waiting to retry"
    );
    // The runtime keeps running past the time of the retry; the abandoned call never comes back.
    runtime.block_on(async { tokio::time::sleep(Duration::from_millis(1500)).await });
    assert_eq!(server.request_count(), 1);

    // The same mid-body, through `tokio::time::timeout`: the connection is let go.
    let server = TestServer::with_replies([Reply::new(200).drip(
        &b" "[..],
        Duration::from_millis(50),
        Some(200),
    )]);
    let client = builder(&server).build_async().unwrap();
    let outcome = runtime.block_on(async {
        tokio::time::timeout(Duration::from_millis(600), call_async(&client, Op::Get)).await
    });
    assert!(outcome.is_err(), "the body takes 10 s");
    assert!(server.wait_for_cut_short(1, PATIENCE));
    assert_eq!(server.request_count(), 1);
}

fn zone_page(ids: &[&str], page: u32, total_pages: u32) -> Reply {
    let result: Vec<_> = ids.iter().map(|id| json!({ "id": id })).collect();
    Reply::json(
        200,
        &json!({
            "success": true, "errors": [], "messages": [], "result": result,
            "result_info": { "page": page, "per_page": 2, "total_pages": total_pages }
        }),
    )
}

fn key_page(names: &[&str], cursor: &str) -> Reply {
    let result: Vec<_> = names.iter().map(|n| json!({ "name": n })).collect();
    Reply::json(
        200,
        &json!({
            "success": true, "errors": [], "messages": [], "result": result,
            "result_info": { "count": names.len(), "cursor": cursor }
        }),
    )
}

#[test]
fn a_paging_stream_fetches_numbered_pages_only_when_polled() {
    use fixture_pagination::{AsyncClient, ZonesListParams};
    let server =
        TestServer::with_replies([zone_page(&["a", "b"], 1, 2), zone_page(&["c", "d"], 2, 2)]);
    let client = AsyncClient::builder()
        .base_url(server.url())
        .max_retries(0)
        .build_async()
        .unwrap();
    let ids = current_thread().block_on(async {
        let mut pages = client.zones().list_auto_paging(ZonesListParams::default());
        assert_eq!(
            server.request_count(),
            0,
            "nothing is fetched before polling"
        );
        let mut ids = Vec::new();
        while let Some(zone) = pages.next().await {
            ids.push(zone.expect("each page arrives").id.unwrap_or_default());
            // The second page is fetched only once the first one's items are used up.
            let expected = if ids.len() <= 2 { 1 } else { 2 };
            assert_eq!(server.request_count(), expected, "after {ids:?}");
        }
        ids
    });
    assert_eq!(ids, ["a", "b", "c", "d"]);
    let queries: Vec<Option<String>> = server
        .requests()
        .iter()
        .map(|r| r.query().map(str::to_owned))
        .collect();
    assert_eq!(
        queries,
        [Some("page=1".to_owned()), Some("page=2".to_owned())]
    );
}

#[test]
fn a_paging_stream_follows_the_cursor_and_is_a_send_stream() {
    use fixture_pagination::{AsyncClient, KeysListParams};
    fn assert_send_stream<S: futures_core::Stream + Send + Unpin>(stream: S) -> S {
        stream
    }
    let server = TestServer::with_replies([
        key_page(&["a", "b"], "c2"),
        key_page(&["c"], "c3"),
        key_page(&["d"], ""),
    ]);
    let client = AsyncClient::builder()
        .base_url(server.url())
        .max_retries(0)
        .build_async()
        .unwrap();
    let names = multi_thread().block_on(async {
        // Read in a spawned task, as a web handler would; the stream borrows the client the
        // task owns.
        let task = tokio::spawn(async move {
            let mut pages = assert_send_stream(client.keys().list_auto_paging(KeysListParams {
                namespace_id: "ns".into(),
                limit: Some(2),
                ..Default::default()
            }));
            let mut names = Vec::new();
            while let Some(key) = pages.next().await {
                names.push(key.expect("each page arrives").name.unwrap_or_default());
            }
            names
        });
        task.await.expect("the task does not panic")
    });
    assert_eq!(names, ["a", "b", "c", "d"]);
    let queries: Vec<Option<String>> = server
        .requests()
        .iter()
        .map(|r| r.query().map(str::to_owned))
        .collect();
    assert_eq!(
        queries,
        [
            Some("limit=2".to_owned()),
            Some("cursor=c2&limit=2".to_owned()),
            Some("cursor=c3&limit=2".to_owned()),
        ]
    );
}

#[test]
fn the_async_client_is_clone_send_sync_static_and_debug_hides_the_token() {
    fn assert_traits<T: Clone + Send + Sync + std::fmt::Debug + 'static>() {}
    assert_traits::<AsyncClient>();
    let server = TestServer::start();
    let client = async_client(&server);
    let shown = format!("{client:?}");
    assert!(shown.starts_with("AsyncClient"), "{shown}");
    assert!(!shown.contains(TOKEN), "{shown}");
}

#[test]
fn from_env_builds_an_async_client_from_the_same_variables() {
    // Only this test of this binary touches the environment.
    let server = TestServer::with_replies([Reply::ok_config()]);
    std::env::set_var("CLOUDFLARE_API_TOKEN", TOKEN);
    std::env::set_var("CLOUDFLARE_BASE_URL", server.base_url());
    let client = AsyncClient::from_env();
    std::env::remove_var("CLOUDFLARE_API_TOKEN");
    std::env::remove_var("CLOUDFLARE_BASE_URL");
    let client = client.expect("from_env builds");
    assert_eq!(client.base_url(), server.base_url().trim_end_matches('/'));
    current_thread()
        .block_on(call_async(&client, Op::Get))
        .expect("the call succeeds");
    assert_eq!(
        server.single_request().header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
}
