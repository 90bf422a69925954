//! Decoding a large answer: Cloudflare's DNS records list with 10,000 records (about 5 MB,
//! built deterministically by `benchmarks::large_response::body`), from bytes already in
//! memory.
//!
//! - `large_response/generated`: the generated `fixture-dns-records` types, read the way the
//!   generated client reads an enveloped answer (`benchmarks::large_response::decode_generated`:
//!   the runtime's `response::enveloped` steps, the envelope by serde with `result` as a
//!   `serde_json::Value`, then `FromJson` of that tree);
//! - `large_response/anchor`: the hand-written serde-derive types of the same shape
//!   (`benchmarks::dns_anchor`, an internally tagged enum), one `serde_json::from_slice`;
//! - `large_response/value_only`: `serde_json::from_slice::<serde_json::Value>` of the body,
//!   the tree alone, to show what part of the generated decode it is;
//! - `large_response/interleaved`: the first two measured in alternating order in one loop
//!   (AB BA, rotated every round), so that load from other work on the machine weighs on both
//!   alike; prints each median and the median of the per-round ratios generated / anchor with a
//!   95% confidence interval, in wall time and in process CPU time.
//!
//! Before measuring, both decoders must read all 10,000 records with the same count per type
//! (and none in the generated union's catch-all).
//!
//! `cargo bench -p benchmarks --bench large_response`; `BENCH_ROUNDS` (default 60) and
//! `BENCH_BUDGET_SECS` (default 120) tune the interleaved part.

use benchmarks::large_response::{body, check_both, decode_anchor, decode_generated, RECORDS};
use benchmarks::{interleave, Clock};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::sync::OnceLock;
use std::time::Duration;

/// The body, built and checked once.
fn checked_body() -> &'static [u8] {
    static BODY: OnceLock<Vec<u8>> = OnceLock::new();
    BODY.get_or_init(|| {
        let body = body(RECORDS);
        let counts = check_both(&body, RECORDS).unwrap_or_else(|e| panic!("{e}"));
        println!(
            "body: {} bytes, {RECORDS} records, per type {counts:?}; both decoders agree",
            body.len()
        );
        body
    })
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn criterion_runs(c: &mut Criterion) {
    let body = checked_body();
    let mut g = c.benchmark_group("large_response");
    g.throughput(Throughput::Bytes(body.len() as u64));
    g.sample_size(20);
    g.measurement_time(Duration::from_secs(10));
    g.bench_function("generated", |b| {
        b.iter(|| decode_generated(black_box(body)).expect("decodes"))
    });
    g.bench_function("anchor", |b| {
        b.iter(|| decode_anchor(black_box(body)).expect("decodes"))
    });
    g.bench_function("value_only", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(body)).expect("parses"))
    });
    g.finish();
}

fn interleaved(_: &mut Criterion) {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let filters: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let name = "large_response/interleaved";
    if !filters.is_empty() && !filters.iter().any(|f| name.contains(f.as_str())) {
        return;
    }
    // `cargo test --benches` runs each bench once, without `--bench`: a few rounds then.
    let bench_mode = args.iter().any(|a| a == "--bench");
    let body = checked_body();
    let rounds = if bench_mode {
        env_number("BENCH_ROUNDS", 60) as usize
    } else {
        5
    };
    let budget = Duration::from_secs(env_number("BENCH_BUDGET_SECS", 120));
    let mut generated = || {
        black_box(decode_generated(black_box(body)).expect("decodes"));
    };
    let mut anchor = || {
        black_box(decode_anchor(black_box(body)).expect("decodes"));
    };
    let m = interleave(
        rounds,
        1,
        budget,
        &mut [("generated", &mut generated), ("anchor", &mut anchor)],
    );
    println!("\n{name}: {} rounds, {} bytes", m.rounds(), body.len());
    for clock in [Clock::Wall, Clock::Cpu] {
        let (g, a) = (m.median(clock, 0), m.median(clock, 1));
        let r = m.ratio(clock, 0, 1);
        println!(
            "  {clock:?}: generated {:.2} ms, anchor {:.2} ms; generated / anchor {:.3} \
             (95% CI {:.3} .. {:.3})",
            g / 1e6,
            a / 1e6,
            r.median,
            r.low,
            r.high
        );
    }
}

criterion_group!(benches, criterion_runs, interleaved);
criterion_main!(benches);
