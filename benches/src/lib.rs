//! Shared pieces of the benchmarks: a loopback keep-alive HTTP/1.1 server, a hand-written
//! `reqwest` client doing the same work as the generated one, synthetic OpenAPI documents of any
//! size, the large-response bench's body and decoders (generated and serde-derived), and small
//! statistics helpers.
//!
//! The benchmarks themselves live in `benches/` (criterion) and `src/bin/` (allocation counts,
//! generated-code statistics). See `BENCHMARKS.md` at the workspace root.

pub mod dns_anchor;
pub mod large_response;
pub mod plain;
pub mod server;
pub mod synthetic;

use std::time::{Duration, Instant};

/// Builds the update request the way the generated `update_with_response` does (path, request,
/// JSON body), for timing that part alone.
pub fn build_update_request(
    params: &cloudflare_access_keys::AccessKeyUpdateParams,
) -> cloudflare_access_keys::request::Request {
    let mut path = String::with_capacity(54);
    path.push_str("/accounts/");
    cloudflare_access_keys::params::push_path_param(&mut path, "account_id", &params.account_id)
        .expect("a valid id");
    path.push_str("/access/keys");
    let mut request = cloudflare_access_keys::request::Request::new(reqwest::Method::PUT, path);
    request.json_fields(params);
    request
}

/// A mirror of the runtime's (crate-private) success envelope, for timing its decoding alone.
#[derive(serde::Deserialize)]
#[allow(dead_code)]
pub struct RuntimeEnvelope<T> {
    #[serde(default = "default_true")]
    success: bool,
    #[serde(default)]
    errors: Vec<cloudflare_access_keys::ResponseInfo>,
    #[serde(default)]
    messages: Vec<cloudflare_access_keys::ResponseInfo>,
    result: T,
    #[serde(default)]
    result_info: Option<serde_json::Value>,
}

fn default_true() -> bool {
    true
}

/// The account the update request addresses (the documentation page's example).
pub const ACCOUNT_ID: &str = "023e105f4ecef8ad9ca31a8372d0c353";
/// A syntactically valid token; the loopback server ignores it.
pub const API_TOKEN: &str = "Sn3lZJTBX6kkg7OdcBUAxOO963GEIyGQqnFTOFYY";

/// The generated client pointed at the loopback server on `port`.
pub fn generated_client(port: u16) -> cloudflare_access_keys::Client {
    cloudflare_access_keys::Client::builder()
        .api_token(API_TOKEN)
        .base_url(format!("http://127.0.0.1:{port}/client/v4"))
        .build()
        .expect("the generated client builds")
}

/// One `update` call through the generated client.
pub fn generated_update(
    client: &cloudflare_access_keys::Client,
) -> cloudflare_access_keys::AccessKeyUpdateResponse {
    client
        .zero_trust()
        .access()
        .keys()
        .update(cloudflare_access_keys::AccessKeyUpdateParams {
            account_id: ACCOUNT_ID.to_owned(),
            key_rotation_interval_days: 30.0,
        })
        .expect("the generated client's update succeeds")
}

/// The generated async client pointed at the loopback server on `port`.
pub fn generated_async_client(port: u16) -> cloudflare_access_keys::AsyncClient {
    cloudflare_access_keys::AsyncClient::builder()
        .api_token(API_TOKEN)
        .base_url(format!("http://127.0.0.1:{port}/client/v4"))
        .build_async()
        .expect("the generated async client builds")
}

/// One `update` call through the generated async client.
pub async fn generated_update_async(
    client: &cloudflare_access_keys::AsyncClient,
) -> cloudflare_access_keys::AccessKeyUpdateResponse {
    client
        .zero_trust()
        .access()
        .keys()
        .update(cloudflare_access_keys::AccessKeyUpdateParams {
            account_id: ACCOUNT_ID.to_owned(),
            key_rotation_interval_days: 30.0,
        })
        .await
        .expect("the generated async client's update succeeds")
}

/// One `update` call through the hand-written async client.
pub async fn plain_update_async(client: &plain::PlainAsyncClient) -> plain::KeyConfig {
    client
        .update(ACCOUNT_ID, 30.0)
        .await
        .expect("the plain async client's update succeeds")
}

/// One `update` call through the hand-written client.
pub fn plain_update(client: &plain::PlainClient) -> plain::KeyConfig {
    client
        .update(ACCOUNT_ID, 30.0)
        .expect("the plain client's update succeeds")
}

/// The median of `values` (sorted in place); `NaN` when empty.
pub fn median(values: &mut [f64]) -> f64 {
    percentile(values, 0.5)
}

/// The `p` quantile (0..=1) of `values` (sorted in place), linearly interpolated.
pub fn percentile(values: &mut [f64], p: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    let at = p.clamp(0.0, 1.0) * (values.len() - 1) as f64;
    let (lo, hi) = (at.floor() as usize, at.ceil() as usize);
    values[lo] + (values[hi] - values[lo]) * (at - lo as f64)
}

/// Binds this thread, and so every thread and process it starts afterwards, to one CPU (the
/// last one); returns it. Client threads, reqwest's runtime threads and the server then share
/// one core, so that no client gains or loses from where the scheduler happens to put its
/// threads (unpinned, two clients' timings differed by up to 2x from placement alone). `None`
/// when `BENCH_PIN=0` or the call fails.
pub fn pin_to_one_cpu() -> Option<usize> {
    if std::env::var("BENCH_PIN").is_ok_and(|v| v == "0") {
        return None;
    }
    let cpus = std::thread::available_parallelism().map_or(1, usize::from);
    let cpu = cpus - 1;
    // SAFETY: `set` is a zeroed cpu_set_t, changed only through the libc macros; pid 0 is
    // the calling thread.
    let ok = unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(cpu, &mut set);
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set) == 0
    };
    ok.then_some(cpu)
}

/// CPU time used so far by the whole process (all threads: the caller, reqwest's runtime thread
/// and the loopback server alike). Unlike wall time it does not count time spent waiting for a
/// core, so it stays meaningful on a machine that is busy with other work.
pub fn process_cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant the kernel knows.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Wall time and process CPU time per call, in nanoseconds, of `calls` runs of `f`.
pub fn time_per_call<R>(calls: u32, mut f: impl FnMut() -> R) -> (f64, f64) {
    let cpu = process_cpu_time();
    let start = Instant::now();
    for _ in 0..calls {
        std::hint::black_box(f());
    }
    let wall = start.elapsed().as_nanos() as f64 / f64::from(calls);
    let cpu = (process_cpu_time() - cpu).as_nanos() as f64 / f64::from(calls);
    (wall, cpu)
}

/// Which clock a figure of [`Interleaved`] comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// Wall-clock time.
    Wall,
    /// CPU time of the whole process (see [`process_cpu_time`]).
    Cpu,
}

/// A ratio's median over rounds, with a distribution-free 95% confidence interval.
#[derive(Debug, Clone, Copy)]
pub struct Ratio {
    /// Median of the per-round ratios.
    pub median: f64,
    /// Lower end of the 95% confidence interval of that median.
    pub low: f64,
    /// Upper end of the 95% confidence interval of that median.
    pub high: f64,
}

/// Per-call times of several functions measured in interleaved batches; see [`interleave`].
#[derive(Debug, Clone)]
pub struct Interleaved {
    /// Names of the functions, in the order given.
    pub names: Vec<&'static str>,
    /// Wall time per call (ns) of each function, one entry per round.
    pub wall: Vec<Vec<f64>>,
    /// Process CPU time per call (ns) of each function, one entry per round.
    pub cpu: Vec<Vec<f64>>,
}

impl Interleaved {
    /// Rounds measured.
    pub fn rounds(&self) -> usize {
        self.wall.first().map_or(0, Vec::len)
    }

    fn series(&self, clock: Clock) -> &[Vec<f64>] {
        match clock {
            Clock::Wall => &self.wall,
            Clock::Cpu => &self.cpu,
        }
    }

    /// Appends the rounds of `other`, a measurement of the same functions.
    pub fn extend(&mut self, other: Interleaved) {
        assert_eq!(self.names, other.names, "the same functions");
        for (mine, theirs) in self.wall.iter_mut().zip(other.wall) {
            mine.extend(theirs);
        }
        for (mine, theirs) in self.cpu.iter_mut().zip(other.cpu) {
            mine.extend(theirs);
        }
    }

    /// Median time per call (ns) of function `i`.
    pub fn median(&self, clock: Clock, i: usize) -> f64 {
        median(&mut self.series(clock)[i].clone())
    }

    /// Function `i`'s time over function `j`'s, round by round: median and its 95% interval
    /// (order statistics n/2 -/+ 0.98 sqrt(n)).
    pub fn ratio(&self, clock: Clock, i: usize, j: usize) -> Ratio {
        let s = self.series(clock);
        let mut r: Vec<f64> = s[i].iter().zip(&s[j]).map(|(a, b)| a / b).collect();
        let n = r.len();
        let m = median(&mut r);
        if n == 0 {
            return Ratio {
                median: m,
                low: m,
                high: m,
            };
        }
        let half = 0.98 * (n as f64).sqrt();
        let low = ((n as f64 / 2.0 - half).floor().max(0.0)) as usize;
        let high = ((n as f64 / 2.0 + half).ceil() as usize).min(n - 1);
        Ratio {
            median: m,
            low: r[low],
            high: r[high],
        }
    }
}

/// Measures the functions interleaved: each round runs a batch of `batch` calls of each in
/// order, then again in reverse order (ABC CBA, so a slow drift weighs on all alike; the order
/// rotates from round to round: BCA ACB, CAB BAC, ...), for
/// `rounds` rounds or until `budget` has passed (at least 5 rounds). A function's figure for a
/// round is the mean over its two batches.
pub fn interleave(
    rounds: usize,
    batch: u32,
    budget: Duration,
    functions: &mut [(&'static str, &mut dyn FnMut())],
) -> Interleaved {
    let k = functions.len();
    let mut wall = vec![Vec::with_capacity(rounds); k];
    let mut cpu = vec![Vec::with_capacity(rounds); k];
    let start = Instant::now();
    let mut sums = vec![(0.0, 0.0); k];
    for round in 0..rounds {
        if round >= 5 && start.elapsed() > budget {
            break;
        }
        sums.iter_mut().for_each(|s| *s = (0.0, 0.0));
        // Rotated every round, so that over the rounds each function takes every position
        // (first after a switch, next to itself, ...) equally often.
        let forward = (0..k).map(|j| (j + round) % k);
        let order = forward.clone().chain(forward.rev());
        for i in order {
            let (w, c) = time_per_call(batch, &mut *functions[i].1);
            sums[i].0 += w / 2.0;
            sums[i].1 += c / 2.0;
        }
        for (i, (w, c)) in sums.iter().enumerate() {
            wall[i].push(*w);
            cpu[i].push(*c);
        }
    }
    Interleaved {
        names: functions.iter().map(|(n, _)| *n).collect(),
        wall,
        cpu,
    }
}
