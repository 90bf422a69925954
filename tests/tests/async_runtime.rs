//! The blocking client inside async programs: building, calling and dropping it inside tokio
//! runtimes of both kinds never panics and never hangs.
//!
//! - multi-thread runtime: calls work, from the `block_on` future and from spawned tasks;
//! - current-thread runtime: a call from its task fails at once with `Error::AsyncRuntime`,
//!   which says to use `spawn_blocking`, and sends nothing; the same call inside
//!   `spawn_blocking` works;
//! - building and dropping the client inside either kind is safe.

// `Error` is the crate's public error type, returned as is.
#![allow(clippy::result_large_err)]

use cloudflare_access_keys::{AccessKeyConfig, AccessKeyGetParams, Client, Error};
use tests::{Reply, TestServer, ACCOUNT_ID, TOKEN};
use tokio::runtime::{Builder, Runtime};

fn client(server: &TestServer) -> Client {
    Client::builder()
        .api_token(TOKEN)
        .base_url(server.base_url())
        .max_retries(0)
        .build()
        .expect("client builds")
}

fn get(client: &Client) -> Result<AccessKeyConfig, Error> {
    client.zero_trust().access().keys().get(AccessKeyGetParams {
        account_id: ACCOUNT_ID.into(),
    })
}

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

fn replies(n: usize) -> Vec<Reply> {
    (0..n).map(|_| Reply::ok_config()).collect()
}

#[test]
fn a_multi_thread_runtime_builds_calls_and_drops_the_client() {
    let server = TestServer::with_replies(replies(3));
    let runtime = multi_thread();
    let base_url = server.base_url();
    let (from_block_on, from_task) = runtime.block_on(async move {
        // Built, used and dropped inside the `block_on` future...
        let client = Client::builder()
            .api_token(TOKEN)
            .base_url(base_url)
            .max_retries(0)
            .build()
            .expect("builds inside the runtime");
        let from_block_on = get(&client);
        // ...and in a spawned task, which also drops the last clone.
        let clone = client.clone();
        drop(client);
        let from_task = tokio::spawn(async move {
            let result = get(&clone);
            let again = get(&clone);
            drop(clone);
            result.and(again)
        })
        .await
        .expect("the task does not panic");
        (from_block_on, from_task)
    });
    assert!(from_block_on.is_ok(), "{from_block_on:?}");
    assert!(from_task.is_ok(), "{from_task:?}");
    assert_eq!(server.request_count(), 3);
}

#[test]
fn a_current_thread_task_gets_a_clear_error_and_nothing_is_sent() {
    let server = TestServer::start();
    let runtime = current_thread();
    let base_url = server.base_url();
    let (in_block_on, in_task) = runtime.block_on(async move {
        let client = Client::builder()
            .api_token(TOKEN)
            .base_url(base_url)
            .build()
            .expect("builds inside the runtime");
        let in_block_on = get(&client);
        let in_task = tokio::spawn(async move { get(&client) })
            .await
            .expect("the task does not panic");
        (in_block_on, in_task)
    });
    for result in [in_block_on, in_task] {
        match result {
            Err(Error::AsyncRuntime(message)) => {
                assert!(message.contains("tokio::task::spawn_blocking"), "{message}");
                assert!(
                    message.contains("GET /accounts/023e105f4ecef8ad9ca31a8372d0c353/access/keys"),
                    "{message}"
                );
                let shown = Error::AsyncRuntime(message).to_string();
                assert!(shown.contains("current-thread tokio runtime"), "{shown}");
            }
            other => panic!("expected Error::AsyncRuntime, got {other:?}"),
        }
    }
    assert_eq!(server.request_count(), 0);
}

#[test]
fn spawn_blocking_on_a_current_thread_runtime_works() {
    let server = TestServer::with_replies(replies(2));
    let client = client(&server);
    let runtime = current_thread();
    let result = runtime.block_on(async move {
        tokio::task::spawn_blocking(move || get(&client).and_then(|_| get(&client)))
            .await
            .expect("the closure does not panic")
    });
    assert!(result.is_ok(), "{result:?}");
    assert_eq!(server.request_count(), 2);
}

#[test]
fn spawn_blocking_on_a_multi_thread_runtime_works() {
    let server = TestServer::with_replies(replies(1));
    let client = client(&server);
    let result = multi_thread().block_on(async move {
        tokio::task::spawn_blocking(move || get(&client))
            .await
            .expect("the closure does not panic")
    });
    assert!(result.is_ok(), "{result:?}");
}

#[test]
fn a_thread_that_only_entered_a_current_thread_runtime_may_call() {
    // Holding a runtime's context is not running its tasks: waiting here stalls nothing.
    let server = TestServer::with_replies(replies(1));
    let client = client(&server);
    let runtime = current_thread();
    let _entered = runtime.enter();
    assert!(get(&client).is_ok());
}

#[test]
fn building_and_dropping_inside_a_current_thread_runtime_is_safe() {
    let server = TestServer::with_replies(replies(1));
    let outside = client(&server);
    let runtime = current_thread();
    let base_url = server.base_url();
    runtime.block_on(async move {
        for _ in 0..3 {
            let inside = Client::builder()
                .api_token(TOKEN)
                .base_url(base_url.clone())
                .build()
                .expect("builds inside the runtime");
            drop(inside);
        }
        // The last clone of a client built outside, dropped inside a task.
        tokio::spawn(async move { drop(outside) })
            .await
            .expect("the task does not panic");
    });
    drop(runtime);
    // A client built inside a runtime works once it is outside.
    let inside = runtime_built_client(&server);
    assert!(get(&inside).is_ok());
}

/// A client built inside a current-thread runtime's task and handed out of it.
fn runtime_built_client(server: &TestServer) -> Client {
    let base_url = server.base_url();
    current_thread().block_on(async move {
        Client::builder()
            .api_token(TOKEN)
            .base_url(base_url)
            .max_retries(0)
            .build()
            .expect("builds inside the runtime")
    })
}
