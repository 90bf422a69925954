//! When a failed attempt is tried again, and after how long: the one set of retry rules both
//! clients follow (the crate README's *Retries* table). The transport asks [`should_retry`]
//! after every non-2xx answer and waits [`wait_before_retry`]; nothing else decides a retry.

use crate::request::Request;
use reqwest::header::HeaderMap;
use std::time::{Duration, SystemTime};

/// Retries after the first attempt, unless `ClientBuilder::max_retries` says otherwise.
pub const DEFAULT_MAX_RETRIES: u32 = 2;

const INITIAL_RETRY_DELAY: Duration = Duration::from_millis(500);
const MAX_RETRY_DELAY: Duration = Duration::from_secs(8);
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// Whether a non-2xx response may be retried.
///
/// The server's `x-should-retry` header is honoured within the method rules: `false` stops any
/// retry; `true` allows one for any status, but for `POST` and `PATCH` only where the status
/// says the request was not processed (429), since they must not be repeated once they may have
/// taken effect. Without the header: 429 always, 408, 409 and 5xx for idempotent methods only.
pub(crate) fn should_retry(request: &Request, status: u16, headers: &HeaderMap) -> bool {
    let header = headers
        .get("x-should-retry")
        .and_then(|v| v.to_str().ok())
        .map(str::trim);
    match header {
        Some(v) if v.eq_ignore_ascii_case("false") => false,
        Some(v) if v.eq_ignore_ascii_case("true") => status == 429 || request.idempotent(),
        _ => match status {
            429 => true,
            408 | 409 | 500..=599 => request.idempotent(),
            _ => false,
        },
    }
}

/// Whether an attempt that ended without an answer (it timed out, or the connection failed or
/// broke) may be retried. When nothing was sent (the connection could not be made), always;
/// a request reqwest could not even form, never; otherwise only an idempotent request, since
/// the server may have acted on it.
pub(crate) fn should_retry_unanswered(
    request: &Request,
    nothing_sent: bool,
    unsendable: bool,
) -> bool {
    !unsendable && (nothing_sent || request.idempotent())
}

/// The wait before retry number `retries + 1`: what the server asked for, else [`backoff`].
pub(crate) fn wait_before_retry(retries: u32, asked: Option<Duration>) -> Duration {
    asked.unwrap_or_else(|| backoff(retries))
}

/// 0.5 s x 2^retries, capped at 8 s, minus up to 25% jitter.
fn backoff(retries: u32) -> Duration {
    let base = INITIAL_RETRY_DELAY
        .saturating_mul(1u32 << retries.min(16))
        .min(MAX_RETRY_DELAY);
    base.mul_f64(1.0 - 0.25 * unit_random())
}

/// A number in `[0, 1)` that differs from call to call, for jitter (not for secrets): the
/// standard library's randomly keyed hasher, freshly keyed for every call, applied to the clock.
fn unit_random() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default();
    hasher.write_u128(now.as_nanos());
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// The wait the server asked for with `retry-after-ms` or `Retry-After` (seconds or an HTTP
/// date), when it is between 0 and 60 s.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    let wait = if let Some(ms) = header("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        Duration::try_from_secs_f64(ms / 1000.0).ok()
    } else if let Some(value) = header("retry-after") {
        match value.parse::<f64>() {
            Ok(secs) => Duration::try_from_secs_f64(secs).ok(),
            // An HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`) is an RFC 2822 date.
            Err(_) => chrono::DateTime::parse_from_rfc2822(value).ok().map(|at| {
                SystemTime::from(at)
                    .duration_since(SystemTime::now())
                    .unwrap_or(Duration::ZERO)
            }),
        }
    } else {
        None
    };
    wait.filter(|w| *w <= MAX_RETRY_AFTER)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn backoff_doubles_and_caps_with_jitter() {
        for (n, full) in [(0, 0.5), (1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (10, 8.0)] {
            let d = backoff(n).as_secs_f64();
            assert!(d <= full && d >= full * 0.75, "retry {n}: {d}");
        }
    }

    #[test]
    fn retry_after_forms() {
        let mut h = HeaderMap::new();
        h.insert("retry-after", HeaderValue::from_static("3"));
        assert_eq!(retry_after(&h), Some(Duration::from_secs(3)));
        h.insert("retry-after-ms", HeaderValue::from_static("250"));
        assert_eq!(retry_after(&h), Some(Duration::from_millis(250)));
        let mut h = HeaderMap::new();
        h.insert("retry-after", HeaderValue::from_static("61"));
        assert_eq!(retry_after(&h), None);
        let later = (chrono::Utc::now() + chrono::Duration::seconds(10))
            .format("%a, %d %b %Y %H:%M:%S GMT")
            .to_string();
        h.insert("retry-after", HeaderValue::from_str(&later).unwrap());
        let wait = retry_after(&h).unwrap();
        assert!(wait <= Duration::from_secs(10) && wait >= Duration::from_secs(8));
    }

    #[test]
    fn unit_random_stays_in_range_and_varies() {
        let draws: Vec<f64> = (0..64).map(|_| unit_random()).collect();
        assert!(draws.iter().all(|d| (0.0..1.0).contains(d)));
        assert!(draws.iter().any(|d| *d != draws[0]));
    }
}
