//! Per-call overhead of the generated client against a hand-written `reqwest` client, both
//! sending the same `PUT /client/v4/accounts/{id}/access/keys` to a keep-alive loopback server.
//!
//! Four parts:
//! - `components/*`: the pieces of the runtime's per-call work on their own (URL parsing,
//!   header-map clones, JSON decoding with and without path tracking, ...), to see which matter;
//! - `update/generated` and `update/plain`: criterion's own measurement of each client;
//! - `update_cpu/generated` and `update_cpu/plain`: the same with the process's CPU time as the
//!   clock (all its threads: the caller and reqwest's runtime; the server runs in a child
//!   process), which a busy machine disturbs far less;
//! - `update/interleaved`: the clients measured in alternating batches in one loop (generated,
//!   plain, plain configured like the generated client, then the reverse order), so that drift
//!   (other builds on the machine, CPU frequency) weighs on all alike; prints the medians and
//!   the ratios, with 95% confidence intervals, in wall time and in process CPU time;
//! - `update_async/interleaved`: the same for the generated `AsyncClient` against a plain
//!   `reqwest::Client`, each call awaited on one current-thread tokio runtime.
//!
//! The server is this executable started again as a child process, and every thread (and the
//! child) is pinned to one CPU unless `BENCH_PIN=0`; see `benchmarks::pin_to_one_cpu`.
//!
//! `cargo bench -p benchmarks --bench client_overhead`; `BENCH_ROUNDS`, `BENCH_BATCH` and
//! `BENCH_REBUILD_EVERY` tune the interleaved part (default 1,000 rounds of 6 batches of 50
//! calls, with fresh clients every 100 rounds; `BENCH_BUDGET_SECS`, 240 by default, caps its
//! time).

use benchmarks::plain::{PlainAsyncClient, PlainClient};
use benchmarks::server::{serve_if_child, ChildServer, BODY};
use benchmarks::RuntimeEnvelope;
use benchmarks::{
    generated_async_client, generated_client, generated_update, generated_update_async, interleave,
    pin_to_one_cpu, plain_update, plain_update_async, process_cpu_time, Clock, Interleaved,
    ACCOUNT_ID, API_TOKEN,
};
use cloudflare_access_keys::validate::Validate;
use cloudflare_access_keys::{AccessKeyConfig, AccessKeyUpdateParams};
use criterion::measurement::{Measurement, ValueFormatter};
use criterion::{criterion_group, Criterion, Throughput};
use reqwest::header::{HeaderMap, HeaderValue};
use std::hint::black_box;
use std::sync::OnceLock;
use std::time::Duration;

struct Fixture {
    server: ChildServer,
    generated: cloudflare_access_keys::Client,
    plain: PlainClient,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let server = ChildServer::start();
        let generated = generated_client(server.port);
        let base_url = format!("http://127.0.0.1:{}/client/v4", server.port);
        let plain = PlainClient::new(&base_url, API_TOKEN);
        let plain_configured = PlainClient::configured_like_generated(&base_url, API_TOKEN);
        // All must decode the same thing (and open their keep-alive connection).
        let g = generated_update(&generated);
        for p in [plain_update(&plain), plain_update(&plain_configured)] {
            assert_eq!(g.days_until_next_rotation, p.days_until_next_rotation);
            assert_eq!(g.key_rotation_interval_days, p.key_rotation_interval_days);
            assert_eq!(g.last_key_rotation_at, p.last_key_rotation_at);
        }
        Fixture {
            server,
            generated,
            plain,
        }
    })
}

fn components(c: &mut Criterion) {
    let f = fixture();
    let url = format!(
        "http://127.0.0.1:{}/client/v4/accounts/{ACCOUNT_ID}/access/keys",
        f.server.port
    );
    let parsed = reqwest::Url::parse(&url).expect("a valid URL");
    let response_headers = {
        let response = reqwest::blocking::Client::new()
            .get(&url)
            .send()
            .expect("the server answers");
        response.headers().clone()
    };
    let params = AccessKeyUpdateParams {
        account_id: ACCOUNT_ID.to_owned(),
        key_rotation_interval_days: 30.0,
    };
    let body = BODY.as_bytes();

    let mut g = c.benchmark_group("components");
    g.bench_function("url_parse", |b| {
        b.iter(|| reqwest::Url::parse(black_box(&url)))
    });
    g.bench_function("url_clone", |b| b.iter(|| black_box(&parsed).clone()));
    g.bench_function("empty_header_map_clone", |b| {
        let empty = HeaderMap::new();
        b.iter(|| black_box(&empty).clone())
    });
    g.bench_function("response_header_map_clone", |b| {
        b.iter(|| black_box(&response_headers).clone())
    });
    g.bench_function("content_type_from_str", |b| {
        b.iter(|| HeaderValue::from_str(black_box("application/json")))
    });
    g.bench_function("content_type_from_static_bytes", |b| {
        b.iter(|| {
            HeaderValue::from_maybe_shared(bytes::Bytes::from_static(
                black_box("application/json").as_bytes(),
            ))
        })
    });
    g.bench_function("validate_params", |b| {
        b.iter(|| black_box(&params).validate())
    });
    g.bench_function("build_request", |b| {
        b.iter(|| benchmarks::build_update_request(black_box(&params)))
    });
    g.bench_function("decode_serde_json", |b| {
        b.iter(|| {
            serde_json::from_slice::<RuntimeEnvelope<AccessKeyConfig>>(black_box(body))
                .expect("decodes")
        })
    });
    g.bench_function("decode_serde_path_to_error", |b| {
        b.iter(|| {
            let mut de = serde_json::Deserializer::from_slice(black_box(body));
            let v: RuntimeEnvelope<AccessKeyConfig> =
                serde_path_to_error::deserialize(&mut de).expect("decodes");
            de.end().expect("no trailing data");
            v
        })
    });
    g.finish();
}

fn update(c: &mut Criterion) {
    let f = fixture();
    let mut g = c.benchmark_group("update");
    g.measurement_time(Duration::from_secs(8));
    g.bench_function("generated", |b| b.iter(|| generated_update(&f.generated)));
    g.bench_function("plain", |b| b.iter(|| plain_update(&f.plain)));
    g.finish();
}

fn env_number(name: &str, default: u32) -> u32 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The interleaved comparison of the blocking clients; prints its own report (criterion has no
/// paired mode).
fn interleaved(_: &mut Criterion) {
    let port = fixture().server.port;
    let base_url = format!("http://127.0.0.1:{port}/client/v4");
    run_interleaved(
        "update/interleaved",
        |k| -> Box<dyn FnMut()> {
            match k {
                0 => {
                    let client = generated_client(port);
                    Box::new(move || {
                        black_box(generated_update(&client));
                    })
                }
                1 => {
                    let client = PlainClient::new(&base_url, API_TOKEN);
                    Box::new(move || {
                        black_box(plain_update(&client));
                    })
                }
                _ => {
                    let client = PlainClient::configured_like_generated(&base_url, API_TOKEN);
                    Box::new(move || {
                        black_box(plain_update(&client));
                    })
                }
            }
        },
        &["generated", "plain", "plain, generated's config"],
        &[
            (0, 1, "generated / plain"),
            (0, 2, "generated / plain with generated's config"),
            (2, 1, "generated's config / plain's"),
        ],
    );
}

/// The interleaved comparison of the async clients: the generated `AsyncClient` against a plain
/// `reqwest::Client` doing the same work, each call awaited on one current-thread runtime
/// (`block_on` per call, the same for both).
fn interleaved_async(_: &mut Criterion) {
    let port = fixture().server.port;
    let base_url = format!("http://127.0.0.1:{port}/client/v4");
    let runtime = std::rc::Rc::new(
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime"),
    );
    run_interleaved(
        "update_async/interleaved",
        |k| -> Box<dyn FnMut()> {
            let runtime = std::rc::Rc::clone(&runtime);
            match k {
                0 => {
                    let client = generated_async_client(port);
                    Box::new(move || {
                        black_box(runtime.block_on(generated_update_async(&client)));
                    })
                }
                1 => {
                    let client = PlainAsyncClient::new(&base_url, API_TOKEN);
                    Box::new(move || {
                        black_box(runtime.block_on(plain_update_async(&client)));
                    })
                }
                _ => {
                    let client = PlainAsyncClient::configured_like_generated(&base_url, API_TOKEN);
                    Box::new(move || {
                        black_box(runtime.block_on(plain_update_async(&client)));
                    })
                }
            }
        },
        &[
            "generated async",
            "plain async",
            "plain async, generated's config",
        ],
        &[
            (0, 1, "generated async / plain async"),
            (
                0,
                2,
                "generated async / plain async with generated's config",
            ),
            (2, 1, "generated's config / plain's"),
        ],
    );
}

/// Runs the clients `make(0)`, `make(1)`, ... (one per name) in interleaved batches and prints
/// the medians and the `ratios`, unless the command line filters `name` out.
fn run_interleaved(
    name: &str,
    mut make: impl FnMut(usize) -> Box<dyn FnMut()>,
    names: &[&'static str],
    ratios: &[(usize, usize, &str)],
) {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let filters: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    if !filters.is_empty() && !filters.iter().any(|f| name.contains(f.as_str())) {
        return;
    }
    let bench_mode = args.iter().any(|a| a == "--bench");
    let (rounds, batch) = if bench_mode {
        (
            env_number("BENCH_ROUNDS", 1000),
            env_number("BENCH_BATCH", 50),
        )
    } else {
        (5, 2)
    };
    let rebuild_every = env_number("BENCH_REBUILD_EVERY", 100).max(1);
    let budget = Duration::from_secs(env_number("BENCH_BUDGET_SECS", 240).into());
    let start = std::time::Instant::now();
    let k = names.len();
    let mut r: Option<Interleaved> = None;
    let mut chunk = 0;
    while r.as_ref().map_or(0, Interleaved::rounds) < rounds as usize {
        // Fresh clients every `rebuild_every` rounds, made in a rotating order: which thread,
        // connection and allocator arena a client gets is then drawn anew, instead of one
        // draw favouring one client for the whole run.
        let mut clients: Vec<Option<Box<dyn FnMut()>>> = (0..k).map(|_| None).collect();
        for i in 0..k {
            let which = (i + chunk) % k;
            clients[which] = Some(make(which));
        }
        let mut clients: Vec<Box<dyn FnMut()>> = clients.into_iter().flatten().collect();
        for _ in 0..20 {
            clients.iter_mut().for_each(|call| call());
        }
        let left = rounds as usize - r.as_ref().map_or(0, Interleaved::rounds);
        let mut functions: Vec<(&'static str, &mut dyn FnMut())> = names
            .iter()
            .zip(clients.iter_mut())
            .map(|(n, c)| (*n, c.as_mut() as &mut dyn FnMut()))
            .collect();
        let part = interleave(
            left.min(rebuild_every as usize),
            batch,
            budget.saturating_sub(start.elapsed()),
            &mut functions,
        );
        match &mut r {
            None => r = Some(part),
            Some(r) => r.extend(part),
        }
        chunk += 1;
        if start.elapsed() > budget {
            break;
        }
    }
    let r = r.expect("at least one chunk");
    println!(
        "{name}: {} rounds of interleaved (rotating) batches of {batch} calls, fresh clients \
         every {rebuild_every} rounds{}",
        r.rounds(),
        match pinned() {
            Some(cpu) => format!(", all threads on CPU {cpu}"),
            None => ", threads not pinned".into(),
        }
    );
    for (clock, clock_name) in [(Clock::Wall, "wall time"), (Clock::Cpu, "process CPU time")] {
        println!("  {clock_name}, median per call:");
        for (i, n) in r.names.iter().enumerate() {
            println!("    {n:<28} {:>9.2} us", r.median(clock, i) / 1e3);
        }
        for &(i, j, what) in ratios {
            let q = r.ratio(clock, i, j);
            println!(
                "    {what:<42} median ratio {:.4}  (95% CI {:.4} .. {:.4})",
                q.median, q.low, q.high
            );
        }
    }
}

/// Criterion measurement: CPU time of the whole process (see
/// [`benchmarks::process_cpu_time`]), which waiting for a busy core does not inflate.
struct ProcessCpuTime;

impl Measurement for ProcessCpuTime {
    type Intermediate = Duration;
    type Value = Duration;

    fn start(&self) -> Duration {
        process_cpu_time()
    }

    fn end(&self, start: Duration) -> Duration {
        process_cpu_time().saturating_sub(start)
    }

    fn add(&self, a: &Duration, b: &Duration) -> Duration {
        *a + *b
    }

    fn zero(&self) -> Duration {
        Duration::ZERO
    }

    fn to_f64(&self, value: &Duration) -> f64 {
        value.as_nanos() as f64
    }

    fn formatter(&self) -> &dyn ValueFormatter {
        &CpuFormatter
    }
}

struct CpuFormatter;

impl ValueFormatter for CpuFormatter {
    fn scale_values(&self, typical_ns: f64, values: &mut [f64]) -> &'static str {
        let (factor, unit) = if typical_ns < 1e3 {
            (1.0, "ns cpu")
        } else if typical_ns < 1e6 {
            (1e-3, "us cpu")
        } else {
            (1e-6, "ms cpu")
        };
        values.iter_mut().for_each(|v| *v *= factor);
        unit
    }

    fn scale_throughputs(
        &self,
        _: f64,
        throughput: &Throughput,
        values: &mut [f64],
    ) -> &'static str {
        let per = match *throughput {
            Throughput::Elements(n)
            | Throughput::Bytes(n)
            | Throughput::BytesDecimal(n)
            | Throughput::Bits(n) => n as f64,
            Throughput::ElementsAndBytes { elements, .. } => elements as f64,
        };
        values.iter_mut().for_each(|v| *v = per * 1e9 / *v);
        "per cpu-second"
    }

    fn scale_for_machines(&self, _: &mut [f64]) -> &'static str {
        "ns"
    }
}

fn update_cpu(c: &mut Criterion<ProcessCpuTime>) {
    let f = fixture();
    let mut g = c.benchmark_group("update_cpu");
    g.measurement_time(Duration::from_secs(8));
    g.bench_function("generated", |b| b.iter(|| generated_update(&f.generated)));
    g.bench_function("plain", |b| b.iter(|| plain_update(&f.plain)));
    g.finish();
}

criterion_group!(benches, components, update, interleaved, interleaved_async);
criterion_group! {
    name = cpu;
    config = Criterion::default().with_measurement(ProcessCpuTime);
    targets = update_cpu
}
fn pinned() -> Option<usize> {
    static PINNED: OnceLock<Option<usize>> = OnceLock::new();
    *PINNED.get_or_init(pin_to_one_cpu)
}

// `criterion_main!` with two steps first: a server child only serves, and the benchmark pins
// itself (and so the server child and reqwest's threads) to one CPU.
fn main() {
    serve_if_child();
    pinned();
    benches();
    cpu();
    Criterion::default().configure_from_args().final_summary();
}
