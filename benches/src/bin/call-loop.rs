//! Makes N `update` calls with one client, for tools that count what a whole process does:
//! `call-loop <generated|plain|plain-configured> <CALLS>`. The server runs in a child process
//! (this executable again), so a tool that does not follow children (callgrind's default) sees
//! only the client. `BENCHMARKS.md` uses it under `valgrind --tool=callgrind` to count
//! instructions per call, a figure that a busy machine does not disturb.

use benchmarks::plain::PlainClient;
use benchmarks::server::{serve_if_child, ChildServer};
use benchmarks::{generated_client, generated_update, plain_update, API_TOKEN};
use std::hint::black_box;
use std::process::ExitCode;

fn main() -> ExitCode {
    serve_if_child();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(variant), Some(calls)) = (
        args.first().map(String::as_str),
        args.get(1).and_then(|n| n.parse::<u32>().ok()),
    ) else {
        eprintln!("usage: call-loop <generated|plain|plain-configured> <CALLS>");
        return ExitCode::FAILURE;
    };
    let server = ChildServer::start();
    let base_url = format!("http://127.0.0.1:{}/client/v4", server.port);
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
        other => {
            eprintln!("unknown client {other:?}: use generated, plain or plain-configured");
            return ExitCode::FAILURE;
        }
    };
    for _ in 0..calls {
        call();
    }
    ExitCode::SUCCESS
}
