//! Turning parameter values into path segments, query pairs and header values.

use crate::error::ValidationError;
use crate::validate::FieldPath;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything but the RFC 3986 unreserved characters is encoded, so a value can never add a
/// path segment, a query or a fragment.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// A value that can stand in a URL: path parameters and query values.
pub trait ParamValue {
    /// Appends the value's text to `out`.
    fn write_param(&self, out: &mut String);
}

impl ParamValue for String {
    fn write_param(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl ParamValue for str {
    fn write_param(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl ParamValue for bool {
    fn write_param(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

macro_rules! display_param {
    ($($t:ty),*) => {$(
        impl ParamValue for $t {
            fn write_param(&self, out: &mut String) {
                use std::fmt::Write;
                let _ = write!(out, "{self}");
            }
        }
    )*};
}

display_param!(i32, i64, f32, f64, chrono::NaiveDate);

impl ParamValue for chrono::DateTime<chrono::Utc> {
    fn write_param(&self, out: &mut String) {
        out.push_str(&self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true));
    }
}

impl ParamValue for serde_json::Value {
    fn write_param(&self, out: &mut String) {
        match self {
            serde_json::Value::String(s) => out.push_str(s),
            other => out.push_str(&other.to_string()),
        }
    }
}

/// `null` in a parameter (an enum that allows it, an array item) is sent as an empty value.
impl<T: ParamValue> ParamValue for Option<T> {
    fn write_param(&self, out: &mut String) {
        if let Some(v) = self {
            v.write_param(out);
        }
    }
}

/// An array in a path or header is written as `a,b,c` (OpenAPI's `simple` style); in a query,
/// [`push_each`] sends one pair per item instead.
impl<T: ParamValue> ParamValue for Vec<T> {
    fn write_param(&self, out: &mut String) {
        for (i, v) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            v.write_param(out);
        }
    }
}

/// Appends `/` and the percent-encoded `value` of a path parameter to `path`.
///
/// A path parameter must be non-empty and must not be `.` or `..`: either would change which
/// resource the request addresses.
pub fn push_path_param<T: ParamValue + ?Sized>(
    path: &mut String,
    name: &str,
    value: &T,
) -> Result<(), ValidationError> {
    // The value is written in place and re-encoded only when it has something to encode, so
    // the common case (an identifier) copies nothing. On error `path` is left as it was.
    let start = path.len();
    value.write_param(path);
    let at = FieldPath::Root;
    let at = at.field(name);
    match &path[start..] {
        "" => Err(at.error("a non-empty path segment", String::new())),
        "." | ".." => {
            let text = path.split_off(start);
            Err(at.error("a path segment other than `.` and `..`", text))
        }
        _ => {
            encode_tail(path, start);
            Ok(())
        }
    }
}

/// The bytes [`COMPONENT`] leaves as they are: ASCII letters and digits, `-`, `_`, `.`, `~`.
const UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        table[i] = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~');
        i += 1;
    }
    table
};

/// Percent-encodes `text[start..]` in place (a no-op when nothing needs encoding).
fn encode_tail(text: &mut String, start: usize) {
    if !text.as_bytes()[start..]
        .iter()
        .all(|&b| UNRESERVED[usize::from(b)])
    {
        let raw = text.split_off(start);
        text.extend(utf8_percent_encode(&raw, COMPONENT));
    }
}

/// Query pairs being collected for one request, already percent-encoded.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Query(String);

impl Query {
    /// Adds one `name=value` pair (an array as `a,b,c`; [`push_each`] sends one pair per item).
    pub fn push<T: QueryValue + ?Sized>(&mut self, name: &str, value: &T) {
        value.push_query(name, self);
    }

    /// Appends `?name=` or `&name=`; the value follows.
    fn start_pair(&mut self, name: &str) {
        self.0.push(if self.0.is_empty() { '?' } else { '&' });
        self.0.extend(utf8_percent_encode(name, COMPONENT));
        self.0.push('=');
    }

    /// The `?a=b&c=d` suffix, empty when there are no pairs.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A value that can be sent as a query parameter.
pub trait QueryValue {
    /// Adds this value under `name`.
    fn push_query(&self, name: &str, query: &mut Query);
}

impl<T: ParamValue + ?Sized> QueryValue for T {
    fn push_query(&self, name: &str, query: &mut Query) {
        // `name=value`, the value written in place and encoded only when it needs it.
        query.start_pair(name);
        let start = query.0.len();
        self.write_param(&mut query.0);
        encode_tail(&mut query.0, start);
    }
}

/// An optional query parameter is left out when `None`.
pub fn push_optional<T: QueryValue>(query: &mut Query, name: &str, value: &Option<T>) {
    if let Some(v) = value {
        v.push_query(name, query);
    }
}

/// Each item of an array query parameter becomes its own `name=item` pair.
pub fn push_each<T: QueryValue>(query: &mut Query, name: &str, values: &[T]) {
    for v in values {
        v.push_query(name, query);
    }
}

/// A header parameter's value; control characters are rejected rather than sent.
pub fn header_value<T: ParamValue + ?Sized>(
    name: &str,
    value: &T,
) -> Result<reqwest::header::HeaderValue, ValidationError> {
    let mut text = String::new();
    value.write_param(&mut text);
    reqwest::header::HeaderValue::from_str(&text).map_err(|_| {
        FieldPath::Root
            .field(name)
            .error("a header value without control characters", text)
    })
}

/// Adds `name=value` to the `Cookie` header being built in `cookies` (pairs separated by
/// `; `). The value is percent-encoded, so it can never end the pair or start another.
pub fn push_cookie<T: ParamValue + ?Sized>(cookies: &mut String, name: &str, value: &T) {
    if !cookies.is_empty() {
        cookies.push_str("; ");
    }
    cookies.push_str(name);
    cookies.push('=');
    let start = cookies.len();
    value.write_param(cookies);
    encode_tail(cookies, start);
}
