//! Converting the generated types to and from JSON.
//!
//! Every generated type is read from a parsed [`serde_json::Value`] by [`FromJson`] and written
//! to one by [`ToJson`]: plain functions, not generic over a serde `Deserializer`, so each type
//! is compiled once rather than once per serde data format (and a union tries its variants on
//! the parsed value instead of buffering the input per variant). The types still implement
//! `serde::Serialize` and `serde::Deserialize`, through these conversions.

use crate::validate::FieldPath;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;

/// Why a JSON value could not be read as a type: where, and what was wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// The path of the value that failed, `result.items[2].id` (`.` for the whole value).
    pub path: String,
    /// What was wrong with it.
    pub message: String,
}

impl JsonError {
    /// An error at `path`.
    pub fn at(path: &FieldPath<'_>, message: impl Into<String>) -> Self {
        JsonError {
            path: path.to_string(),
            message: message.into(),
        }
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at `{}`", self.message, self.path)
    }
}

impl std::error::Error for JsonError {}

/// The outcome of reading JSON.
pub type Result<T> = std::result::Result<T, JsonError>;

/// A type that can be read from JSON.
pub trait FromJson: Sized {
    /// Reads `value`, which sits at `path` in the document.
    fn from_json(value: Value, path: &FieldPath<'_>) -> Result<Self>;
}

/// A type that can be written as JSON.
pub trait ToJson {
    /// The value as JSON.
    fn to_json(&self) -> Value;
}

/// Parses a whole JSON document.
pub fn parse(body: &[u8]) -> Result<Value> {
    serde_json::from_slice(body).map_err(|e| JsonError {
        path: ".".to_owned(),
        message: e.to_string(),
    })
}

/// Reads a whole JSON document as `T`.
pub fn from_slice<T: FromJson>(body: &[u8]) -> Result<T> {
    match parse(body) {
        Ok(value) => T::from_json(value, &FieldPath::Root),
        Err(e) => Err(e),
    }
}

/// What kind of JSON value `value` is, for messages.
fn kind(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(n) => format!("number `{n}`"),
        Value::String(s) if s.len() > 40 => format!("string of {} bytes", s.len()),
        Value::String(s) => format!("string {s:?}"),
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}

/// The error for a value of the wrong kind.
pub fn invalid(path: &FieldPath<'_>, expected: &str, found: &Value) -> JsonError {
    JsonError::at(
        path,
        format!("invalid type: {}, expected {expected}", kind(found)),
    )
}

impl FromJson for Value {
    fn from_json(value: Value, _: &FieldPath<'_>) -> Result<Self> {
        Ok(value)
    }
}

impl ToJson for Value {
    fn to_json(&self) -> Value {
        self.clone()
    }
}

impl FromJson for String {
    fn from_json(value: Value, path: &FieldPath<'_>) -> Result<Self> {
        match value {
            Value::String(s) => Ok(s),
            other => Err(invalid(path, "a string", &other)),
        }
    }
}

impl ToJson for String {
    fn to_json(&self) -> Value {
        Value::String(self.clone())
    }
}

impl FromJson for bool {
    fn from_json(value: Value, path: &FieldPath<'_>) -> Result<Self> {
        match value {
            Value::Bool(b) => Ok(b),
            other => Err(invalid(path, "a boolean", &other)),
        }
    }
}

impl ToJson for bool {
    fn to_json(&self) -> Value {
        Value::Bool(*self)
    }
}

impl FromJson for i64 {
    fn from_json(value: Value, path: &FieldPath<'_>) -> Result<Self> {
        match &value {
            Value::Number(n) => n.as_i64().ok_or_else(|| invalid(path, "an i64", &value)),
            other => Err(invalid(path, "an i64", other)),
        }
    }
}

impl ToJson for i64 {
    fn to_json(&self) -> Value {
        Value::from(*self)
    }
}

impl FromJson for i32 {
    fn from_json(value: Value, path: &FieldPath<'_>) -> Result<Self> {
        match &value {
            Value::Number(n) => n
                .as_i64()
                .and_then(|n| i32::try_from(n).ok())
                .ok_or_else(|| invalid(path, "an i32", &value)),
            other => Err(invalid(path, "an i32", other)),
        }
    }
}

impl ToJson for i32 {
    fn to_json(&self) -> Value {
        Value::from(*self)
    }
}

impl FromJson for f64 {
    fn from_json(value: Value, path: &FieldPath<'_>) -> Result<Self> {
        match &value {
            Value::Number(n) => n.as_f64().ok_or_else(|| invalid(path, "an f64", &value)),
            other => Err(invalid(path, "an f64", other)),
        }
    }
}

impl ToJson for f64 {
    /// A finite number; NaN and the infinities, which JSON cannot carry, become `null`.
    fn to_json(&self) -> Value {
        Value::from(*self)
    }
}

/// Reads a type that keeps its own serde implementation (dates, bytes) from `value`.
fn via_serde<T: serde::de::DeserializeOwned>(value: Value, path: &FieldPath<'_>) -> Result<T> {
    serde_json::from_value(value).map_err(|e| JsonError::at(path, e.to_string()))
}

/// Writes a type that keeps its own serde implementation (dates, bytes) as JSON; these never
/// fail to encode.
fn to_serde_value<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

impl FromJson for chrono::DateTime<chrono::Utc> {
    /// An RFC 3339 date-time, as chrono's serde support reads it.
    fn from_json(value: Value, path: &FieldPath<'_>) -> Result<Self> {
        match &value {
            Value::String(s) => s.parse().map_err(|e| JsonError::at(path, format!("{e}"))),
            other => Err(invalid(path, "a date-time string", other)),
        }
    }
}

impl ToJson for chrono::DateTime<chrono::Utc> {
    fn to_json(&self) -> Value {
        to_serde_value(self)
    }
}

impl FromJson for chrono::NaiveDate {
    /// A `YYYY-MM-DD` date, as chrono's serde support reads it.
    fn from_json(value: Value, path: &FieldPath<'_>) -> Result<Self> {
        match &value {
            Value::String(s) => s.parse().map_err(|e| JsonError::at(path, format!("{e}"))),
            other => Err(invalid(path, "a date string", other)),
        }
    }
}

impl ToJson for chrono::NaiveDate {
    fn to_json(&self) -> Value {
        to_serde_value(self)
    }
}

impl FromJson for bytes::Bytes {
    fn from_json(value: Value, path: &FieldPath<'_>) -> Result<Self> {
        match value {
            // Text stands for its UTF-8 bytes.
            Value::String(s) => Ok(bytes::Bytes::from(s)),
            other => via_serde::<Vec<u8>>(other, path).map(bytes::Bytes::from),
        }
    }
}

impl ToJson for bytes::Bytes {
    fn to_json(&self) -> Value {
        to_serde_value(self)
    }
}

// The generic impls below are compiled once per type they hold, so they stay small: a loop
// and a `match` rather than iterator adapters, closures and `?`.

impl<T: FromJson> FromJson for Option<T> {
    /// `null` is `None`.
    fn from_json(value: Value, path: &FieldPath<'_>) -> Result<Self> {
        if value.is_null() {
            return Ok(None);
        }
        match T::from_json(value, path) {
            Ok(v) => Ok(Some(v)),
            Err(e) => Err(e),
        }
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn to_json(&self) -> Value {
        match self {
            Some(v) => v.to_json(),
            None => Value::Null,
        }
    }
}

impl<T: FromJson> FromJson for Box<T> {
    fn from_json(value: Value, path: &FieldPath<'_>) -> Result<Self> {
        match T::from_json(value, path) {
            Ok(v) => Ok(Box::new(v)),
            Err(e) => Err(e),
        }
    }
}

impl<T: ToJson> ToJson for Box<T> {
    fn to_json(&self) -> Value {
        (**self).to_json()
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: Value, path: &FieldPath<'_>) -> Result<Self> {
        let items = match value {
            Value::Array(items) => items,
            other => return Err(invalid(path, "an array", &other)),
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            match T::from_json(item, &path.index(i)) {
                Ok(v) => out.push(v),
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Value {
        let mut out = Vec::with_capacity(self.len());
        for item in self {
            out.push(item.to_json());
        }
        Value::Array(out)
    }
}

impl<T: FromJson> FromJson for BTreeMap<String, T> {
    fn from_json(value: Value, path: &FieldPath<'_>) -> Result<Self> {
        match value {
            Value::Object(map) => entries(map, path),
            other => Err(invalid(path, "an object", &other)),
        }
    }
}

impl<T: ToJson> ToJson for BTreeMap<String, T> {
    fn to_json(&self) -> Value {
        let mut out = Map::new();
        for (key, value) in self {
            out.insert(key.clone(), value.to_json());
        }
        Value::Object(out)
    }
}

/// Every entry of `map` read as `T`.
fn entries<T: FromJson>(
    map: Map<String, Value>,
    path: &FieldPath<'_>,
) -> Result<BTreeMap<String, T>> {
    let mut out = BTreeMap::new();
    for (key, value) in map {
        match T::from_json(value, &path.key(&key)) {
            Ok(item) => out.insert(key, item),
            Err(e) => return Err(e),
        };
    }
    Ok(out)
}

/// The properties of a JSON object being read into a struct: each field takes its own, and
/// what is left is ignored or kept by a struct that keeps unknown properties.
pub struct Fields<'a> {
    map: Map<String, Value>,
    path: &'a FieldPath<'a>,
}

impl<'a> Fields<'a> {
    /// The properties of `value`, which must be an object.
    pub fn new(value: Value, path: &'a FieldPath<'a>) -> Result<Self> {
        match value {
            Value::Object(map) => Ok(Fields { map, path }),
            other => Err(invalid(path, "an object", &other)),
        }
    }

    /// The property `name` as it is, if present.
    pub fn take(&mut self, name: &str) -> Option<Value> {
        self.map.remove(name)
    }

    /// The property `name`, which must be present.
    pub fn required<T: FromJson>(&mut self, name: &str) -> Result<T> {
        match self.take_required(name) {
            Ok(value) => T::from_json(value, &self.path.field(name)),
            Err(e) => Err(e),
        }
    }

    fn take_required(&mut self, name: &str) -> Result<Value> {
        self.map
            .remove(name)
            .ok_or_else(|| JsonError::at(self.path, format!("missing field `{name}`")))
    }

    /// The property `name`; absent reads as `None` (and so does `null`).
    pub fn optional<T: FromJson>(&mut self, name: &str) -> Result<Option<T>> {
        match self.take_present(name) {
            Some(value) => match T::from_json(value, &self.path.field(name)) {
                Ok(v) => Ok(Some(v)),
                Err(e) => Err(e),
            },
            None => Ok(None),
        }
    }

    /// The property `name` unless it is absent or `null`.
    fn take_present(&mut self, name: &str) -> Option<Value> {
        self.map.remove(name).filter(|value| !value.is_null())
    }

    /// A copy of the properties no field took yet, for a flattened field that is not the last
    /// to read them.
    pub fn leftover(&self) -> Fields<'a> {
        Fields {
            map: self.map.clone(),
            path: self.path,
        }
    }

    /// The properties no field took, each read as `T`.
    pub fn rest<T: FromJson>(self) -> Result<BTreeMap<String, T>> {
        entries(self.map, self.path)
    }

    /// The properties no field took, read as one `T` (a flattened field).
    pub fn flatten<T: FromJson>(self) -> Result<T> {
        T::from_json(Value::Object(self.map), self.path)
    }
}

/// A JSON object being written from a struct, in field order of the map (sorted by name).
#[derive(Default)]
pub struct Object {
    map: Map<String, Value>,
}

impl Object {
    /// An empty object.
    pub fn new() -> Self {
        Object::default()
    }

    /// Writes the property `name`.
    pub fn put<T: ToJson + ?Sized>(&mut self, name: &str, value: &T) {
        self.insert(name, value.to_json());
    }

    fn insert(&mut self, name: &str, value: Value) {
        self.map.insert(name.to_owned(), value);
    }

    /// Writes the property `name` when `value` is `Some`; `None` leaves it out.
    pub fn put_some<T: ToJson>(&mut self, name: &str, value: &Option<T>) {
        if let Some(value) = value {
            self.put(name, value);
        }
    }

    /// Writes every entry of `map` as a property (a struct's unknown properties).
    pub fn put_all<T: ToJson>(&mut self, map: &BTreeMap<String, T>) {
        for (key, value) in map {
            self.put(key, value);
        }
    }

    /// Writes the properties of `value` (a flattened field); a value that is not an object
    /// adds nothing.
    pub fn merge<T: ToJson>(&mut self, value: &T) {
        self.merge_value(value.to_json());
    }

    fn merge_value(&mut self, value: Value) {
        if let Value::Object(map) = value {
            self.map.extend(map);
        }
    }

    /// The finished object.
    pub fn finish(self) -> Value {
        Value::Object(self.map)
    }
}

/// A variant of an untagged union: `T` read from a copy of `value`, or `None` when it does not
/// fit.
pub fn attempt<T: FromJson>(value: &Value, path: &FieldPath<'_>) -> Option<T> {
    T::from_json(value.clone(), path).ok()
}

/// The string value of `property` in `value`, which picks a discriminated union's variant.
pub fn tag<'v>(value: &'v Value, property: &str) -> Option<&'v str> {
    value.get(property).and_then(Value::as_str)
}

/// `serde::Serialize` through [`ToJson`].
pub fn serialize<T: ToJson + ?Sized, S: serde::Serializer>(
    value: &T,
    serializer: S,
) -> std::result::Result<S::Ok, S::Error> {
    serde::Serialize::serialize(&value.to_json(), serializer)
}

/// `serde::Deserialize` through [`FromJson`].
pub fn deserialize<'de, T: FromJson, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<T, D::Error> {
    let value = <Value as serde::Deserialize>::deserialize(deserializer)?;
    T::from_json(value, &FieldPath::Root).map_err(serde::de::Error::custom)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_the_failing_value() {
        let body = br#"{"items": [{"id": 1}, {"id": "x"}]}"#;
        let err = from_slice::<BTreeMap<String, Vec<BTreeMap<String, i64>>>>(body).unwrap_err();
        assert_eq!(err.path, r#"["items"][1]["id"]"#);
        assert_eq!(err.message, r#"invalid type: string "x", expected an i64"#);
    }

    #[test]
    fn fields_take_their_properties_and_leave_the_rest() {
        let value = serde_json::json!({"a": 1, "b": null, "c": true});
        let mut fields = Fields::new(value, &FieldPath::Root).unwrap();
        assert_eq!(fields.required::<i64>("a"), Ok(1));
        assert_eq!(fields.optional::<String>("b"), Ok(None));
        assert_eq!(fields.optional::<String>("z"), Ok(None));
        let missing = fields.required::<i64>("a").unwrap_err();
        assert_eq!(missing.message, "missing field `a`");
        let rest = fields.rest::<Value>().unwrap();
        assert_eq!(rest.keys().collect::<Vec<_>>(), ["c"]);
    }

    #[test]
    fn a_flattened_field_and_unknown_properties_both_see_what_is_left() {
        let value = serde_json::json!({"name": "n", "kind": "a", "x": 1});
        let mut fields = Fields::new(value, &FieldPath::Root).unwrap();
        assert_eq!(fields.required::<String>("name"), Ok("n".to_owned()));
        let flattened: Value = fields.leftover().flatten().unwrap();
        assert_eq!(flattened, serde_json::json!({"kind": "a", "x": 1}));
        let rest = fields.rest::<Value>().unwrap();
        assert_eq!(rest.keys().collect::<Vec<_>>(), ["kind", "x"]);
    }

    #[test]
    fn numbers_are_checked_for_their_range() {
        let big = serde_json::json!(3_000_000_000_i64);
        assert!(i32::from_json(big.clone(), &FieldPath::Root).is_err());
        assert_eq!(i64::from_json(big, &FieldPath::Root), Ok(3_000_000_000));
        assert_eq!(
            f64::from_json(serde_json::json!(2), &FieldPath::Root),
            Ok(2.0)
        );
        assert!(i64::from_json(serde_json::json!(1.5), &FieldPath::Root).is_err());
    }

    #[test]
    fn objects_written_skip_absent_options() {
        let mut object = Object::new();
        object.put("a", &1_i64);
        object.put_some::<String>("b", &None);
        object.put("c", &Option::<String>::None);
        assert_eq!(object.finish(), serde_json::json!({"a": 1, "c": null}));
    }
}
