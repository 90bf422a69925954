//! Makes N `update` calls with one client, for tools that count what a whole process does:
//! `call-loop <CLIENT> <CALLS>`, where CLIENT is `generated`, `plain`, `plain-configured`, or
//! their async twins `generated-async`, `plain-async`, `plain-async-configured` (each call
//! awaited with `block_on` on one current-thread runtime). The server runs in a child process
//! (this executable again), so a tool that does not follow children (callgrind's default) sees
//! only the client. `BENCHMARKS.md` uses it under `valgrind --tool=callgrind` to count
//! instructions per call, a figure that a busy machine does not disturb.

use benchmarks::plain::{PlainAsyncClient, PlainClient};
use benchmarks::server::{serve_if_child, ChildServer};
use benchmarks::{
    generated_async_client, generated_client, generated_update, generated_update_async,
    plain_update, plain_update_async, API_TOKEN,
};
use std::hint::black_box;
use std::process::ExitCode;

/// The clients this program can run.
const CLIENTS: &str =
    "generated, plain, plain-configured, generated-async, plain-async, plain-async-configured";

fn main() -> ExitCode {
    serve_if_child();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(variant), Some(calls)) = (
        args.first().map(String::as_str),
        args.get(1).and_then(|n| n.parse::<u32>().ok()),
    ) else {
        eprintln!("usage: call-loop <CLIENT> <CALLS>: {CLIENTS}");
        return ExitCode::FAILURE;
    };
    let server = ChildServer::start();
    let base_url = format!("http://127.0.0.1:{}/client/v4", server.port);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let mut call: Box<dyn FnMut()> = match variant {
        "generated" => {
            let client = generated_client(server.port);
            Box::new(move || {
                black_box(generated_update(&client));
            })
        }
        "plain" => {
            let client = PlainClient::new(&base_url, API_TOKEN);
            Box::new(move || {
                black_box(plain_update(&client));
            })
        }
        "plain-configured" => {
            let client = PlainClient::configured_like_generated(&base_url, API_TOKEN);
            Box::new(move || {
                black_box(plain_update(&client));
            })
        }
        "generated-async" => {
            let client = generated_async_client(server.port);
            Box::new(move || {
                black_box(runtime.block_on(generated_update_async(&client)));
            })
        }
        "plain-async" => {
            let client = PlainAsyncClient::new(&base_url, API_TOKEN);
            Box::new(move || {
                black_box(runtime.block_on(plain_update_async(&client)));
            })
        }
        "plain-async-configured" => {
            let client = PlainAsyncClient::configured_like_generated(&base_url, API_TOKEN);
            Box::new(move || {
                black_box(runtime.block_on(plain_update_async(&client)));
            })
        }
        other => {
            eprintln!("unknown client {other:?}: use one of {CLIENTS}");
            return ExitCode::FAILURE;
        }
    };
    for _ in 0..calls {
        call();
    }
    ExitCode::SUCCESS
}
