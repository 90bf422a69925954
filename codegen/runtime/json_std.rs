//! How the standard types the generated types are made of read and write JSON: strings,
//! booleans, numbers, date-times, dates, bytes, free-form JSON, and `Option`, `Box`, `Vec` and
//! string-keyed maps of them.
//!
//! The generic impls are compiled once per type they hold, so they stay small: a loop and a
//! `match` rather than iterator adapters, closures and `?`.

use crate::json::{invalid, Event, JsonError, Number, Result, ToJson, Visitor, Writer};
use crate::path::FieldPath;
use std::collections::BTreeMap;

impl Visitor for Option<String> {
    fn visit(&mut self, event: Event<'_>, at: &FieldPath<'_>) -> Result<()> {
        match event {
            Event::Str(s) => {
                *self = Some(s.to_owned());
                Ok(())
            }
            other => Err(invalid(at, "a string", &other)),
        }
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut Writer) {
        out.str(self);
    }
}

impl ToJson for str {
    fn write_json(&self, out: &mut Writer) {
        out.str(self);
    }
}

impl Visitor for Option<bool> {
    fn visit(&mut self, event: Event<'_>, at: &FieldPath<'_>) -> Result<()> {
        match event {
            Event::Bool(b) => {
                *self = Some(b);
                Ok(())
            }
            other => Err(invalid(at, "a boolean", &other)),
        }
    }
}

impl ToJson for bool {
    fn write_json(&self, out: &mut Writer) {
        out.bool(*self);
    }
}

/// The integer `event` holds, if it is one within `min..=max`.
fn integer(event: &Event<'_>, min: i64, max: i64) -> Option<i64> {
    let n = match event {
        Event::Number(Number::Unsigned(n)) => i64::try_from(*n).ok()?,
        Event::Number(Number::Signed(n)) => *n,
        _ => return None,
    };
    (min..=max).contains(&n).then_some(n)
}

impl Visitor for Option<i64> {
    fn visit(&mut self, event: Event<'_>, at: &FieldPath<'_>) -> Result<()> {
        match integer(&event, i64::MIN, i64::MAX) {
            Some(n) => {
                *self = Some(n);
                Ok(())
            }
            None => Err(invalid(at, "an i64", &event)),
        }
    }
}

impl ToJson for i64 {
    fn write_json(&self, out: &mut Writer) {
        out.i64(*self);
    }
}

impl Visitor for Option<i32> {
    fn visit(&mut self, event: Event<'_>, at: &FieldPath<'_>) -> Result<()> {
        match integer(&event, i32::MIN.into(), i32::MAX.into()) {
            Some(n) => {
                *self = i32::try_from(n).ok();
                Ok(())
            }
            None => Err(invalid(at, "an i32", &event)),
        }
    }
}

impl ToJson for i32 {
    fn write_json(&self, out: &mut Writer) {
        out.i64((*self).into());
    }
}

impl Visitor for Option<u8> {
    fn visit(&mut self, event: Event<'_>, at: &FieldPath<'_>) -> Result<()> {
        match integer(&event, 0, 255) {
            Some(n) => {
                *self = u8::try_from(n).ok();
                Ok(())
            }
            None => Err(invalid(at, "a byte (0 to 255)", &event)),
        }
    }
}

impl Visitor for Option<f64> {
    fn visit(&mut self, event: Event<'_>, at: &FieldPath<'_>) -> Result<()> {
        let n = match event {
            // Integers beyond 2^53 are rounded, as serde's `f64` reads them.
            Event::Number(Number::Unsigned(n)) => n as f64,
            Event::Number(Number::Signed(n)) => n as f64,
            Event::Number(Number::Float(n)) => n,
            other => return Err(invalid(at, "an f64", &other)),
        };
        *self = Some(n);
        Ok(())
    }
}

impl ToJson for f64 {
    /// A finite number; NaN and the infinities, which JSON cannot carry, become `null`.
    fn write_json(&self, out: &mut Writer) {
        out.f64(*self);
    }
}

impl Visitor for Option<chrono::DateTime<chrono::Utc>> {
    /// An RFC 3339 date-time, as chrono's serde support reads it.
    fn visit(&mut self, event: Event<'_>, at: &FieldPath<'_>) -> Result<()> {
        match event {
            Event::Str(s) => match rfc3339_usual(s).map_or_else(|| s.parse(), Ok) {
                Ok(t) => {
                    *self = Some(t);
                    Ok(())
                }
                Err(e) => Err(JsonError::at(at, format!("{e}: {s:?}"))),
            },
            other => Err(invalid(at, "a date-time string", &other)),
        }
    }
}

/// The usual form of an RFC 3339 date-time, `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` with at
/// most nine fractional digits, read without chrono's general parser (which costs about ten
/// times as much). `None` for anything else (other separators, leap seconds, longer fractions,
/// invalid dates), which then goes to chrono: what is accepted, and what it means, is chrono's.
fn rfc3339_usual(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let b = s.as_bytes();
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let number = |digits: &[u8]| -> Option<u32> {
        digits.iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let mut end = 19;
    let mut nanos = 0;
    if b[end] == b'.' {
        let digits = b[20..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 || digits > 9 {
            return None;
        }
        end = 20 + digits;
        nanos = number(&b[20..end])? * 10u32.pow(9 - digits as u32);
    }
    let offset_seconds = match &b[end..] {
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let (hours, minutes) = (number(&[*h1, *h2])?, number(&[*m1, *m2])?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let seconds = i64::from(hours * 3600 + minutes * 60);
            if *sign == b'-' {
                -seconds
            } else {
                seconds
            }
        }
        _ => return None,
    };
    let second = number(&b[17..19])?;
    if second > 59 {
        return None;
    }
    let date = chrono::NaiveDate::from_ymd_opt(
        i32::try_from(number(&b[0..4])?).ok()?,
        number(&b[5..7])?,
        number(&b[8..10])?,
    )?;
    let time = chrono::NaiveTime::from_hms_nano_opt(
        number(&b[11..13])?,
        number(&b[14..16])?,
        second,
        nanos,
    )?;
    let local = chrono::NaiveDateTime::new(date, time);
    let utc = local.checked_sub_signed(chrono::TimeDelta::seconds(offset_seconds))?;
    Some(utc.and_utc())
}

impl ToJson for chrono::DateTime<chrono::Utc> {
    /// RFC 3339 with as many fractional digits as the instant needs, as chrono's serde writes it.
    fn write_json(&self, out: &mut Writer) {
        out.str(&self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true));
    }
}

impl Visitor for Option<chrono::NaiveDate> {
    /// A `YYYY-MM-DD` date, as chrono's serde support reads it.
    fn visit(&mut self, event: Event<'_>, at: &FieldPath<'_>) -> Result<()> {
        match event {
            Event::Str(s) => match s.parse() {
                Ok(d) => {
                    *self = Some(d);
                    Ok(())
                }
                Err(e) => Err(JsonError::at(at, format!("{e}: {s:?}"))),
            },
            other => Err(invalid(at, "a date string", &other)),
        }
    }
}

impl ToJson for chrono::NaiveDate {
    fn write_json(&self, out: &mut Writer) {
        out.str(&self.to_string());
    }
}

impl Visitor for Option<bytes::Bytes> {
    /// A string stands for its UTF-8 bytes; an array of numbers is the bytes themselves.
    fn visit(&mut self, event: Event<'_>, at: &FieldPath<'_>) -> Result<()> {
        match event {
            Event::Str(s) => {
                *self = Some(bytes::Bytes::copy_from_slice(s.as_bytes()));
                Ok(())
            }
            event @ Event::Array(_) => {
                let mut items: Option<Vec<u8>> = None;
                items.visit(event, at)?;
                *self = items.map(bytes::Bytes::from);
                Ok(())
            }
            other => Err(invalid(at, "a string or an array of bytes", &other)),
        }
    }
}

impl ToJson for bytes::Bytes {
    /// The string the bytes are read from when they are UTF-8 (so they round-trip), an array of
    /// numbers otherwise.
    fn write_json(&self, out: &mut Writer) {
        match std::str::from_utf8(self) {
            Ok(text) => out.str(text),
            Err(_) => {
                out.begin_array();
                for (i, byte) in self.iter().enumerate() {
                    if i > 0 {
                        out.comma();
                    }
                    out.u64((*byte).into());
                }
                out.end_array();
            }
        }
    }
}

impl Visitor for Option<serde_json::Value> {
    fn visit(&mut self, event: Event<'_>, at: &FieldPath<'_>) -> Result<()> {
        match crate::json::capture(event, at) {
            Ok(value) => {
                *self = Some(value);
                Ok(())
            }
            Err(e) => Err(e),
        }
    }
}

impl ToJson for serde_json::Value {
    fn write_json(&self, out: &mut Writer) {
        out.value(self);
    }
}

impl<T> Visitor for Option<Option<T>>
where
    Option<T>: Visitor,
{
    /// `null` is `None`.
    fn visit(&mut self, event: Event<'_>, at: &FieldPath<'_>) -> Result<()> {
        if let Event::Null = event {
            *self = Some(None);
            return Ok(());
        }
        let mut inner: Option<T> = None;
        match inner.visit(event, at) {
            Ok(()) => {
                *self = Some(inner);
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    fn wants_text(&self) -> bool {
        None::<T>.wants_text()
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut Writer) {
        match self {
            Some(value) => value.write_json(out),
            None => out.null(),
        }
    }

    fn is_absent(&self) -> bool {
        self.is_none()
    }
}

impl<T> Visitor for Option<Box<T>>
where
    Option<T>: Visitor,
{
    fn visit(&mut self, event: Event<'_>, at: &FieldPath<'_>) -> Result<()> {
        let mut inner: Option<T> = None;
        match inner.visit(event, at) {
            Ok(()) => {
                *self = inner.map(Box::new);
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    fn wants_text(&self) -> bool {
        None::<T>.wants_text()
    }
}

impl<T: ToJson + ?Sized> ToJson for Box<T> {
    fn write_json(&self, out: &mut Writer) {
        (**self).write_json(out);
    }
}

impl<T> Visitor for Option<Vec<T>>
where
    Option<T>: Visitor,
{
    fn visit(&mut self, event: Event<'_>, at: &FieldPath<'_>) -> Result<()> {
        let items = match event {
            Event::Array(items) => items,
            other => return Err(invalid(at, "an array", &other)),
        };
        let mut out = Vec::with_capacity(items.size_hint().min(4096));
        loop {
            let mut slot: Option<T> = None;
            match items.next(&mut slot) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => return Err(e),
            }
            match slot {
                Some(item) => out.push(item),
                None => return Err(JsonError::at(at, "an item was not read")),
            }
        }
        *self = Some(out);
        Ok(())
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut Writer) {
        out.begin_array();
        let mut first = true;
        for item in self {
            if !first {
                out.comma();
            }
            first = false;
            item.write_json(out);
        }
        out.end_array();
    }
}

impl<T> Visitor for Option<BTreeMap<String, T>>
where
    Option<T>: Visitor,
{
    fn visit(&mut self, event: Event<'_>, at: &FieldPath<'_>) -> Result<()> {
        let fields = crate::json::object(event, at)?;
        let mut out = BTreeMap::new();
        loop {
            match fields.next(&[]) {
                Ok(Some(_)) => {}
                Ok(None) => break,
                Err(e) => return Err(e),
            }
            crate::json::entry(fields, &mut out)?;
        }
        *self = Some(out);
        Ok(())
    }
}

impl<T: ToJson> ToJson for BTreeMap<String, T> {
    fn write_json(&self, out: &mut Writer) {
        let mut object = out.object();
        for (key, value) in self {
            object.field(key, value);
        }
        object.end();
    }
}

#[cfg(test)]
mod tests {
    use crate::json::{from_slice, to_string, Writer};
    use bytes::Bytes;
    use std::collections::BTreeMap;

    #[test]
    fn paths_name_the_failing_value() {
        let body = br#"{"items": [{"id": 1}, {"id": "x"}]}"#;
        let err = from_slice::<BTreeMap<String, Vec<BTreeMap<String, i64>>>>(body).unwrap_err();
        assert_eq!(err.path, r#"["items"][1]["id"]"#);
        assert_eq!(err.message, r#"invalid type: string "x", expected an i64"#);
    }

    #[test]
    fn syntax_errors_name_where_the_parser_stopped() {
        let err = from_slice::<Vec<i64>>(b"[1, 2,").unwrap_err();
        assert_eq!(err.path, "[2]");
        assert!(err.message.contains("EOF"), "{}", err.message);
    }

    #[test]
    fn strings_are_written_as_serde_json_writes_them() {
        for text in [
            "plain",
            "",
            "quote \" and \\ slash",
            "tab\t and \u{1} and \u{7f}",
            "é ✓",
        ] {
            let expected = serde_json::to_string(text).expect("a string serializes");
            assert_eq!(to_string(&text.to_owned()), expected, "{text:?}");
        }
    }

    #[test]
    fn usual_date_times_are_read_as_chrono_reads_them() {
        use chrono::{DateTime, Utc};
        let same = |s: &str| {
            let fast = super::rfc3339_usual(s);
            let chrono = s.parse::<DateTime<Utc>>();
            if let Some(fast) = fast {
                assert_eq!(Ok(fast), chrono, "{s:?}");
            }
            (fast.is_some(), chrono.is_ok())
        };
        for s in [
            "2014-01-01T05:20:00.12345Z",
            "2014-01-01T05:20:00Z",
            "2024-02-29T23:59:59.999999999+05:30",
            "0000-01-01T00:00:00-00:00",
            "9999-12-31T23:59:59-23:59",
            "1970-01-01T00:00:00.1+23:59",
        ] {
            assert_eq!(same(s), (true, true), "{s:?}");
        }
        // Not the usual form: chrono decides.
        for s in [
            "2014-01-01t05:20:00z",
            "2014-01-01 05:20:00Z",
            "2016-12-31T23:59:60Z",
            "2014-01-01T05:20:00.1234567891Z",
            "2014-01-01T05:20:00.Z",
            "2014-01-01T05:20:00",
            "2014-01-01T05:20:00+0530",
            "2014-01-01T05:20:00+24:00",
            "2023-02-29T00:00:00Z",
            "2014-13-01T00:00:00Z",
            "2014-01-01T24:00:00Z",
            "2014-01-01T05:60:00Z",
            "2014-01-01T05:20:00Zjunk",
            "２014-01-01T05:20:00Z",
            "+2014-01-01T05:20:00Z",
        ] {
            assert!(!same(s).0, "{s:?} is not the usual form");
        }
        // Every field over and past its range, against chrono.
        for (month, day, hour, minute, second) in [
            (0, 1, 0, 0, 0),
            (12, 31, 23, 59, 59),
            (2, 30, 0, 0, 0),
            (4, 31, 1, 2, 3),
            (6, 0, 0, 0, 0),
        ] {
            for fraction in ["", ".5", ".123456789"] {
                for offset in ["Z", "+01:00", "-12:45", "+00:60"] {
                    let s = format!("2001-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}{fraction}{offset}");
                    let (fast, chrono) = same(&s);
                    assert!(!fast || chrono, "{s:?}");
                    let valid = (1..=12).contains(&month)
                        && day >= 1
                        && !matches!((month, day), (2, 30) | (4, 31))
                        && offset != "+00:60";
                    assert_eq!(fast, valid, "{s:?}");
                }
            }
        }
    }

    #[test]
    fn numbers_are_checked_for_their_range() {
        assert!(from_slice::<i32>(b"3000000000").is_err());
        assert_eq!(from_slice::<i64>(b"3000000000"), Ok(3_000_000_000));
        assert_eq!(from_slice::<i64>(b"-5"), Ok(-5));
        assert_eq!(from_slice::<f64>(b"2"), Ok(2.0));
        assert!(from_slice::<i64>(b"1.5").is_err());
        assert!(from_slice::<i64>(b"18446744073709551615").is_err());
    }

    #[test]
    fn null_reads_as_none_and_none_writes_null() {
        assert_eq!(from_slice::<Option<String>>(b"null"), Ok(None));
        assert_eq!(
            from_slice::<Vec<Option<i64>>>(b"[1,null]"),
            Ok(vec![Some(1), None])
        );
        assert_eq!(to_string(&vec![Some(1_i64), None]), "[1,null]");
    }

    #[test]
    fn bytes_round_trip_through_their_string_form() {
        let text = Bytes::from_static(b"hello \"world\"");
        let json = to_string(&text);
        assert_eq!(json, r#""hello \"world\"""#);
        assert_eq!(from_slice::<Bytes>(json.as_bytes()), Ok(text));
        let binary = Bytes::from_static(&[0xff, 0, 7]);
        let json = to_string(&binary);
        assert_eq!(json, "[255,0,7]");
        assert_eq!(from_slice::<Bytes>(json.as_bytes()), Ok(binary));
    }

    #[test]
    fn date_times_round_trip_as_instants() {
        let json = r#""2024-02-29T12:30:00.250+02:00""#;
        let t = from_slice::<chrono::DateTime<chrono::Utc>>(json.as_bytes()).unwrap();
        assert_eq!(to_string(&t), r#""2024-02-29T10:30:00.250Z""#);
        let again = from_slice::<chrono::DateTime<chrono::Utc>>(to_string(&t).as_bytes());
        assert_eq!(again, Ok(t));
    }

    #[test]
    fn maps_keep_every_entry_and_write_in_key_order() {
        let map = from_slice::<BTreeMap<String, f64>>(br#"{"b": 1, "a": 2.5}"#).unwrap();
        assert_eq!(to_string(&map), r#"{"a":2.5,"b":1.0}"#);
    }

    #[test]
    fn a_tag_is_found_wherever_it_sits() {
        let text = r#"{"a": [1, {"type": "x"}], "type": "MX", "b": {"c": null}}"#;
        assert_eq!(crate::json::tag(text, "type").as_deref(), Some("MX"));
        assert_eq!(crate::json::tag(r#"{"type": 1}"#, "type"), None);
        assert_eq!(crate::json::tag(r#"{"kind": "x"}"#, "type"), None);
        assert_eq!(crate::json::tag("[1]", "type"), None);
    }

    #[test]
    fn free_form_json_is_kept_whole() {
        let body = br#"{"x": [1, -2, 3.5, "s", null, {"y": true}]}"#;
        let value = from_slice::<serde_json::Value>(body).unwrap();
        assert_eq!(
            value,
            serde_json::from_slice::<serde_json::Value>(body).unwrap()
        );
        let mut out = Writer::new();
        crate::json::ToJson::write_json(&value, &mut out);
        assert_eq!(out.into_string(), r#"{"x":[1,-2,3.5,"s",null,{"y":true}]}"#);
    }
}
