//! Heap allocations per call: `cargo run --release -p benchmarks --bin alloc-per-call [CALLS]`.
//!
//! A counting global allocator counts every allocation and reallocation of the process except
//! those made on the loopback server's threads, so the figures cover the calling thread and
//! reqwest's runtime thread: all the client-side work of a request. For the generated client and
//! the hand-written one it prints allocations and bytes per call (averaged over CALLS calls,
//! 2,000 by default, after a warm-up) and the peak of live heap bytes above the level before a
//! call; then the same for the runtime's per-call pieces on their own.

use benchmarks::plain::PlainClient;
use benchmarks::server::{Server, BODY};
use benchmarks::RuntimeEnvelope;
use benchmarks::{generated_client, generated_update, plain_update, ACCOUNT_ID, API_TOKEN};
use cloudflare_access_keys::{AccessKeyConfig, AccessKeyUpdateParams};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::hint::black_box;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering::Relaxed};

struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);
static LIVE: AtomicI64 = AtomicI64::new(0);
static PEAK: AtomicI64 = AtomicI64::new(0);

thread_local! {
    static IGNORED: Cell<bool> = const { Cell::new(false) };
}

fn counted() -> bool {
    !IGNORED.try_with(Cell::get).unwrap_or(true)
}

fn record_alloc(size: usize) {
    if counted() {
        ALLOCATIONS.fetch_add(1, Relaxed);
        BYTES.fetch_add(size as u64, Relaxed);
        let live = LIVE.fetch_add(size as i64, Relaxed) + size as i64;
        PEAK.fetch_max(live, Relaxed);
    }
}

fn record_free(size: usize) {
    if counted() {
        LIVE.fetch_sub(size as i64, Relaxed);
    }
}

// SAFETY: every call is forwarded unchanged to the system allocator; the counters only observe.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            record_alloc(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            record_alloc(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.dealloc(ptr, layout) };
        record_free(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            record_free(layout.size());
            record_alloc(new_size);
        }
        p
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocation figures of one function, per call.
struct PerCall {
    allocations: f64,
    bytes: f64,
    peak_median: i64,
    peak_max: i64,
}

fn measure<R>(calls: u32, mut f: impl FnMut() -> R) -> PerCall {
    for _ in 0..calls.min(100) {
        black_box(f());
    }
    let mut peaks = Vec::with_capacity(calls as usize);
    let (a0, b0) = (ALLOCATIONS.load(Relaxed), BYTES.load(Relaxed));
    for _ in 0..calls {
        let before = LIVE.load(Relaxed);
        PEAK.store(before, Relaxed);
        black_box(f());
        peaks.push(PEAK.load(Relaxed) - before);
    }
    let (a1, b1) = (ALLOCATIONS.load(Relaxed), BYTES.load(Relaxed));
    // `peaks` was reserved before counting started, so it adds nothing to the counts.
    peaks.sort_unstable();
    PerCall {
        allocations: (a1 - a0) as f64 / f64::from(calls),
        bytes: (b1 - b0) as f64 / f64::from(calls),
        peak_median: peaks[peaks.len() / 2],
        peak_max: *peaks.last().unwrap_or(&0),
    }
}

fn print(name: &str, p: &PerCall) {
    println!(
        "{name:<40} {:>10.1} {:>12.0} {:>14} {:>12}",
        p.allocations, p.bytes, p.peak_median, p.peak_max
    );
}

fn main() {
    let calls: u32 = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(2000);
    let server = Server::start_with(|| IGNORED.with(|i| i.set(true)));
    let generated = generated_client(server.port);
    let plain = PlainClient::new(
        &format!("http://127.0.0.1:{}/client/v4", server.port),
        API_TOKEN,
    );

    let plain_configured = PlainClient::configured_like_generated(
        &format!("http://127.0.0.1:{}/client/v4", server.port),
        API_TOKEN,
    );

    println!("{calls} calls each, after a warm-up; heap bytes above the level before the call\n");
    println!(
        "{:<40} {:>10} {:>12} {:>14} {:>12}",
        "", "allocs", "bytes", "peak median", "peak max"
    );
    // Twice each, alternating, to show the figures are stable.
    for round in 1..=2 {
        print(
            &format!("update: generated client (run {round})"),
            &measure(calls, || generated_update(&generated)),
        );
        print(
            &format!("update: plain reqwest (run {round})"),
            &measure(calls, || plain_update(&plain)),
        );
        print(
            &format!("update: plain, generated's config ({round})"),
            &measure(calls, || plain_update(&plain_configured)),
        );
    }

    println!("\nper-call pieces of the generated client, on their own:");
    let params = AccessKeyUpdateParams {
        account_id: ACCOUNT_ID.to_owned(),
        key_rotation_interval_days: 30.0,
    };
    let url = format!(
        "http://127.0.0.1:{}/client/v4/accounts/{ACCOUNT_ID}/access/keys",
        server.port
    );
    print(
        "validate params",
        &measure(calls, || {
            cloudflare_access_keys::validate::Validate::validate(black_box(&params))
        }),
    );
    print(
        "path + Request + JSON body",
        &measure(calls, || {
            benchmarks::build_update_request(black_box(&params))
        }),
    );
    print(
        "Url::parse",
        &measure(calls, || reqwest::Url::parse(black_box(&url))),
    );
    let parsed = reqwest::Url::parse(&url).expect("a valid URL");
    print("Url clone", &measure(calls, || black_box(&parsed).clone()));
    let response_headers = reqwest::blocking::Client::new()
        .get(&url)
        .send()
        .expect("the server answers")
        .headers()
        .clone();
    print(
        "response HeaderMap clone",
        &measure(calls, || black_box(&response_headers).clone()),
    );
    print(
        "params (params clone for the call)",
        &measure(calls, || black_box(&params).clone()),
    );
    print(
        "decode envelope: serde_json",
        &measure(calls, || {
            serde_json::from_slice::<RuntimeEnvelope<AccessKeyConfig>>(black_box(BODY.as_bytes()))
                .expect("decodes")
        }),
    );
    print(
        "decode envelope: serde_path_to_error",
        &measure(calls, || {
            let mut de = serde_json::Deserializer::from_slice(black_box(BODY.as_bytes()));
            let v: RuntimeEnvelope<AccessKeyConfig> =
                serde_path_to_error::deserialize(&mut de).expect("decodes");
            de.end().expect("no trailing data");
            v
        }),
    );
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    if let Some(hwm) = status.lines().find(|l| l.starts_with("VmHWM")) {
        println!("\nprocess peak RSS (VmHWM): {}", hwm[6..].trim());
    }
    println!("requests answered: {}", server.requests());
}
