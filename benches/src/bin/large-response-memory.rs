//! Peak heap of decoding the large response:
//! `cargo run --release -p benchmarks --bin large-response-memory [RUNS]`.
//!
//! A counting global allocator (as in `alloc-per-call`) tracks the live heap bytes of the
//! process and their peak. The body (`benchmarks::large_response::body`: 10,000 DNS records,
//! about 5 MB) is built and checked first; then, for each decoder, the peak is reset to the live
//! level before the decode, and what the decode adds on top is its peak extra memory: every
//! byte it had live at its worst moment beyond the body itself, the decoded answer included
//! (the answer is dropped after the reading). Printed per decoder with that peak over the body
//! size, the bytes still live when the decode returned (the answer), and the allocations made.
//! Each decoder runs RUNS times (2 by default), alternating, to show the figure is stable.

use benchmarks::large_response::{body, check_both, decode_anchor, decode_generated, RECORDS};
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering::Relaxed};

struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static LIVE: AtomicI64 = AtomicI64::new(0);
static PEAK: AtomicI64 = AtomicI64::new(0);

fn record_alloc(size: usize) {
    ALLOCATIONS.fetch_add(1, Relaxed);
    let live = LIVE.fetch_add(size as i64, Relaxed) + size as i64;
    PEAK.fetch_max(live, Relaxed);
}

fn record_free(size: usize) {
    LIVE.fetch_sub(size as i64, Relaxed);
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

/// What one decode did to the heap.
struct Heap {
    /// The highest live level during the decode, above the level before it.
    peak_extra: i64,
    /// Live bytes when it returned (the answer), above the level before it.
    retained: i64,
    allocations: u64,
}

fn measure<R>(f: impl FnOnce() -> R) -> Heap {
    let before = LIVE.load(Relaxed);
    PEAK.store(before, Relaxed);
    let allocations = ALLOCATIONS.load(Relaxed);
    let answer = black_box(f());
    let heap = Heap {
        peak_extra: PEAK.load(Relaxed) - before,
        retained: LIVE.load(Relaxed) - before,
        allocations: ALLOCATIONS.load(Relaxed) - allocations,
    };
    drop(answer);
    heap
}

fn mb(bytes: i64) -> f64 {
    bytes as f64 / 1e6
}

fn print(name: &str, heap: &Heap, body: i64) {
    println!(
        "{name:<34} {:>14.2} {:>10.2} {:>14.2} {:>12}",
        mb(heap.peak_extra),
        heap.peak_extra as f64 / body as f64,
        mb(heap.retained),
        heap.allocations
    );
}

fn main() {
    let runs: u32 = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(2);
    let body = body(RECORDS);
    let counts = check_both(&body, RECORDS).unwrap_or_else(|e| panic!("{e}"));
    let size = body.len() as i64;
    println!(
        "body: {size} bytes ({:.2} MB), {RECORDS} records, per type {counts:?}\n",
        mb(size)
    );
    println!(
        "{:<34} {:>14} {:>10} {:>14} {:>12}",
        "", "peak extra MB", "/ body", "answer MB", "allocations"
    );
    for run in 1..=runs {
        let generated = measure(|| decode_generated(&body).expect("decodes"));
        print(
            &format!("generated (client's path) (run {run})"),
            &generated,
            size,
        );
        let anchor = measure(|| decode_anchor(&body).expect("decodes"));
        print(&format!("anchor (serde derive) (run {run})"), &anchor, size);
        let value = measure(|| serde_json::from_slice::<serde_json::Value>(&body).expect("parses"));
        print(&format!("serde_json::Value only (run {run})"), &value, size);
    }
}
