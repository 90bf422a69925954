//! The large-response bench's body and decoders: a deterministic answer of Cloudflare's
//! `GET /zones/{zone_id}/dns_records` holding 10,000 records (about 5 MB), decoded into the
//! generated `fixture-dns-records` types the way the generated client reads an enveloped list
//! ([`decode_generated`]) and into the hand-written serde anchor ([`decode_anchor`]), with what
//! each decoded counted per record type ([`TypeCounts`]) so that both can be checked to agree.
//!
//! Used by `benches/large_response.rs` (time) and `src/bin/large-response-memory.rs` (peak
//! heap).

use crate::dns_anchor;
use fixture_dns_records::DnsRecordsDnsRecord;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Records in the bench's body.
pub const RECORDS: usize = 10_000;

/// The body: the envelope (`result` first, as the API writes it) around `records` records of
/// mixed types, the same bytes on every run.
pub fn body(records: usize) -> Vec<u8> {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut out = String::with_capacity(records * 520 + 256);
    out.push_str("{\"result\":[");
    for i in 0..records {
        if i > 0 {
            out.push(',');
        }
        write_record(&mut out, i, &mut rng);
    }
    let _ = write!(
        out,
        "],\"success\":true,\"errors\":[],\"messages\":[],\"result_info\":{{\"page\":1,\
         \"per_page\":{records},\"count\":{records},\"total_count\":{records},\"total_pages\":1}}}}"
    );
    out.into_bytes()
}

/// A small deterministic generator (xorshift64*), so the body needs no dependency and never
/// changes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }

    fn hex(&mut self, digits: usize) -> String {
        let mut s = String::with_capacity(digits);
        while s.len() < digits {
            let _ = write!(s, "{:016x}", self.next());
        }
        s.truncate(digits);
        s
    }

    fn base64(&mut self, chars: usize) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        (0..chars)
            .map(|_| ALPHABET[self.below(64) as usize] as char)
            .collect()
    }
}

const ZONE: &str = "example-shop.com";
const LABELS: &[&str] = &[
    "www", "api", "app", "mail", "cdn", "static", "shop", "blog", "status", "auth", "dev",
    "staging", "eu", "us-east", "assets", "img", "vpn", "git", "docs", "admin",
];
const CNAME_TARGETS: &[&str] = &[
    "shops.myshopify.com",
    "ghs.googlehosted.com",
    "cname.vercel-dns.com",
    "d1x8q3v5k2m9zl.cloudfront.net",
    "example-shop.github.io",
    "proxy-ssl.webflow.com",
    "custom.bnc.lt",
    "sendgrid.net",
];
const COMMENTS: &[&str] = &[
    "Managed by Terraform",
    "Domain verification record",
    "Do not delete: used by the billing service",
    "Added for the EU rollout (ticket OPS-4121)",
];
const TAGS: &[&str] = &[
    "owner:dns-team",
    "env:production",
    "env:staging",
    "team:payments",
    "managed:terraform",
];

/// One record as the API sends it: the shared properties around the type's own, with the
/// properties the API sends that the fragment does not declare (`zone_id`, `zone_name`,
/// `locked`, `settings`, `meta.managed_by_*`), which decoders ignore.
fn write_record(out: &mut String, i: usize, rng: &mut Rng) {
    let label = rng.pick(LABELS);
    let name = format!("{label}-{i}.{ZONE}");
    let kind = rng.below(100);
    let id = rng.hex(32);
    let _ = write!(
        out,
        "{{\"id\":\"{id}\",\"zone_id\":\"023e105f4ecef8ad9ca31a8372d0c353\",\"zone_name\":\"{ZONE}\","
    );
    match kind {
        0..=29 => {
            let ip = format!("198.51.{}.{}", rng.below(256), rng.below(256));
            simple(out, "A", &name, &ip, true);
            proxied(out, rng);
        }
        30..=44 => {
            let ip = format!(
                "2400:cb00:2049:{:x}::{:x}",
                rng.below(65536),
                rng.below(65536)
            );
            simple(out, "AAAA", &name, &ip, true);
            proxied(out, rng);
        }
        45..=64 => {
            simple(out, "CNAME", &name, rng.pick(CNAME_TARGETS), true);
            proxied(out, rng);
        }
        65..=79 => txt(out, &name, rng),
        80..=87 => {
            let host = format!("aspmx{}.l.google.com", rng.below(5) + 1);
            simple(out, "MX", ZONE, &host, false);
            let _ = write!(
                out,
                ",\"proxied\":false,\"priority\":{}",
                1 + rng.below(5) * 5
            );
        }
        88..=91 => {
            let host = format!("ns{}.dns-provider.net", rng.below(4) + 1);
            simple(out, "NS", &format!("{label}.{ZONE}"), &host, false);
            out.push_str(",\"proxied\":false");
        }
        92..=95 => srv(out, label, rng),
        _ => caa(out, rng),
    }
    let ttl = [1, 1, 1, 300, 3600, 86400][rng.below(6) as usize];
    let _ = write!(
        out,
        ",\"ttl\":{ttl},\"locked\":false,\"settings\":{{}},\"meta\":{{\"auto_added\":{},\
         \"managed_by_apps\":false,\"managed_by_argo_tunnel\":false,\"source\":\"primary\"}}",
        rng.below(20) == 0
    );
    match rng.below(3) {
        0 => out.push_str(",\"comment\":null,\"tags\":[]"),
        _ => {
            let comment = serde_json::to_string(rng.pick(COMMENTS)).unwrap_or_default();
            let (a, b) = (rng.pick(TAGS), rng.pick(TAGS));
            let _ = write!(out, ",\"comment\":{comment},\"tags\":[\"{a}\",\"{b}\"]");
        }
    }
    let created = timestamp(rng);
    let modified = timestamp(rng);
    let _ = write!(
        out,
        ",\"created_on\":\"{created}\",\"modified_on\":\"{modified}\"}}"
    );
}

/// An RFC 3339 instant in 2024 with microseconds, as the API writes them.
fn timestamp(rng: &mut Rng) -> String {
    let (month, day, second) = (1 + rng.below(12), 1 + rng.below(28), rng.below(86_400));
    format!(
        "2024-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:06}Z",
        second / 3600,
        second / 60 % 60,
        second % 60,
        rng.below(1_000_000)
    )
}

fn simple(out: &mut String, kind: &str, name: &str, content: &str, proxiable: bool) {
    let _ = write!(
        out,
        "\"name\":\"{name}\",\"type\":\"{kind}\",\"content\":\"{content}\",\"proxiable\":{proxiable}"
    );
}

fn proxied(out: &mut String, rng: &mut Rng) {
    let _ = write!(out, ",\"proxied\":{}", rng.below(2) == 0);
}

/// SPF, site verification or a DKIM key (a long one, as they are).
fn txt(out: &mut String, name: &str, rng: &mut Rng) {
    let (name, content) = match rng.below(3) {
        0 => (
            name.to_owned(),
            "v=spf1 include:_spf.google.com include:sendgrid.net ~all".to_owned(),
        ),
        1 => (
            name.to_owned(),
            format!("google-site-verification={}", rng.base64(43)),
        ),
        _ => (
            format!("s{}._domainkey.{ZONE}", rng.below(1000)),
            format!("v=DKIM1; k=rsa; p={}", rng.base64(392)),
        ),
    };
    let content = serde_json::to_string(&content).unwrap_or_default();
    let _ = write!(
        out,
        "\"name\":\"{name}\",\"type\":\"TXT\",\"content\":{content},\"proxiable\":false,\
         \"proxied\":false"
    );
}

fn srv(out: &mut String, label: &str, rng: &mut Rng) {
    let (priority, weight, port) = (rng.below(20), rng.below(100), 5000 + rng.below(1000));
    let target = format!("{label}.{ZONE}");
    let _ = write!(
        out,
        "\"name\":\"_sip._tcp.{label}.{ZONE}\",\"type\":\"SRV\",\
         \"content\":\"{weight} {port} {target}\",\"proxiable\":false,\"proxied\":false,\
         \"priority\":{priority},\"data\":{{\"port\":{port},\"priority\":{priority},\
         \"target\":\"{target}\",\"weight\":{weight}}}"
    );
}

fn caa(out: &mut String, rng: &mut Rng) {
    let (tag, value) = match rng.below(3) {
        0 => ("issue", "letsencrypt.org"),
        1 => ("issuewild", "pki.goog"),
        _ => ("iodef", "mailto:security@example-shop.com"),
    };
    let _ = write!(
        out,
        "\"name\":\"{ZONE}\",\"type\":\"CAA\",\"content\":\"0 {tag} \\\"{value}\\\"\",\
         \"proxiable\":false,\"proxied\":false,\"data\":{{\"flags\":0,\"tag\":\"{tag}\",\
         \"value\":\"{value}\"}}"
    );
}

/// How many records of each type a decoder produced (`Other` for a record the generated union
/// kept in its catch-all).
pub type TypeCounts = BTreeMap<&'static str, usize>;

/// The generated types' answer: what the generated client's `list_dns_records_with_response`
/// keeps (`ApiResponse`'s result, errors, messages and `result_info`).
pub struct GeneratedAnswer {
    /// `result` as the operation's result type.
    pub result: Vec<DnsRecordsDnsRecord>,
}

/// Decodes `body` as the generated client does for an enveloped operation: the runtime's
/// `response::decode_enveloped::<Vec<DnsRecordsDnsRecord>>`, the function `enveloped` (what a
/// list call runs on its answer) reads the body with, in one pass over the bytes. Only the HTTP
/// status and headers, which the client moves into the `ApiResponse`, are left out.
pub fn decode_generated(body: &[u8]) -> Result<GeneratedAnswer, String> {
    let result = fixture_dns_records::response::decode_enveloped::<Vec<DnsRecordsDnsRecord>>(body)
        .map_err(|e| e.to_string())?;
    Ok(GeneratedAnswer { result })
}

/// Decodes `body` into the hand-written serde anchor, in one `serde_json::from_slice`.
pub fn decode_anchor(body: &[u8]) -> Result<dns_anchor::ListResponse, String> {
    serde_json::from_slice(body).map_err(|e| e.to_string())
}

/// The type name of a generated record.
pub fn generated_type(record: &DnsRecordsDnsRecord) -> &'static str {
    match record {
        DnsRecordsDnsRecord::DnsRecordsARecord(_) => "A",
        DnsRecordsDnsRecord::DnsRecordsAaaaRecord(_) => "AAAA",
        DnsRecordsDnsRecord::DnsRecordsCaaRecord(_) => "CAA",
        DnsRecordsDnsRecord::DnsRecordsCnameRecord(_) => "CNAME",
        DnsRecordsDnsRecord::DnsRecordsMxRecord(_) => "MX",
        DnsRecordsDnsRecord::DnsRecordsNsRecord(_) => "NS",
        DnsRecordsDnsRecord::DnsRecordsSrvRecord(_) => "SRV",
        DnsRecordsDnsRecord::DnsRecordsTxtRecord(_) => "TXT",
        DnsRecordsDnsRecord::Other(_) => "Other",
    }
}

/// Records per type of the generated answer.
pub fn generated_counts(answer: &GeneratedAnswer) -> TypeCounts {
    let mut counts = TypeCounts::new();
    for record in &answer.result {
        *counts.entry(generated_type(record)).or_default() += 1;
    }
    counts
}

/// Records per type of the anchor's answer.
pub fn anchor_counts(answer: &dns_anchor::ListResponse) -> TypeCounts {
    let mut counts = TypeCounts::new();
    for record in &answer.result {
        *counts.entry(record.type_name()).or_default() += 1;
    }
    counts
}

/// Decodes `body` both ways and checks that both read every record, with the same count per
/// type and no catch-all; returns the counts.
pub fn check_both(body: &[u8], records: usize) -> Result<TypeCounts, String> {
    let generated = generated_counts(&decode_generated(body)?);
    let anchor = anchor_counts(&decode_anchor(body)?);
    let total: usize = generated.values().sum();
    if total != records {
        return Err(format!("generated: {total} records of {records}"));
    }
    if generated.contains_key("Other") {
        return Err(format!(
            "generated: records in the catch-all: {generated:?}"
        ));
    }
    if generated != anchor {
        return Err(format!(
            "per type, generated {generated:?} != anchor {anchor:?}"
        ));
    }
    Ok(generated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_is_the_same_every_time_and_about_500_bytes_a_record() {
        let body = body(2_000);
        assert_eq!(body, super::body(2_000));
        let per_record = body.len() / 2_000;
        assert!(
            (400..=600).contains(&per_record),
            "{per_record} bytes a record"
        );
    }

    #[test]
    fn both_decoders_read_every_record_of_every_type_alike() {
        let body = body(2_000);
        let counts = check_both(&body, 2_000).unwrap_or_else(|e| panic!("{e}"));
        let types: Vec<&str> = counts.keys().copied().collect();
        assert_eq!(
            types,
            ["A", "AAAA", "CAA", "CNAME", "MX", "NS", "SRV", "TXT"]
        );
    }

    #[test]
    fn the_generated_decode_reads_the_envelope_and_the_fields() {
        let answer = decode_generated(&body(50)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(answer.result.len(), 50);
        let srv = answer.result.iter().find_map(|r| match r {
            DnsRecordsDnsRecord::DnsRecordsSrvRecord(srv) => Some(srv),
            _ => None,
        });
        let srv = srv.expect("an SRV record among 50");
        assert!(srv.name.starts_with("_sip._tcp."));
        assert!(srv.data.port.is_some_and(|p| p >= 5000.0));
        assert!(srv.created_on.is_some() && srv.id.as_ref().is_some_and(|id| id.len() == 32));
    }

    #[test]
    fn a_failed_envelope_and_a_broken_record_are_errors_not_panics() {
        let failed = br#"{"success":false,"errors":[{"code":1003,"message":"x"}],"messages":[],"result":null}"#;
        assert!(decode_generated(failed).is_err());
        let broken = br#"{"success":true,"errors":[],"messages":[],"result":[{"type":"MX","name":"a","content":"b"}]}"#;
        let e = decode_generated(broken)
            .err()
            .expect("MX without priority fails");
        assert!(e.contains("priority") && e.contains("result[0]"), "{e}");
        assert!(decode_anchor(broken).is_err());
    }
}
