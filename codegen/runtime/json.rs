//! JSON for the generated types, read and written in one pass over the bytes: the traits a type
//! implements ([`Visitor`] to be read, [`ToJson`] to be written), the entry points, and the
//! `serde` impls that go through them.
//!
//! Why not serde's derives: a derived `Deserialize` is a visitor generic over every serde data
//! format, compiled again per type and per format, and it made a crate for a large API take
//! minutes to build. Here each type has one non-generic reader, reached through
//! `&mut dyn Visitor` (miniserde's design), and one non-generic writer. The only generic code is
//! the adapter from a serde `Deserializer` to the visitors (`decode.rs`), compiled once per
//! format, and the impls for `Option`, `Vec`, `Box` and maps (`json_std.rs`), kept to a few
//! lines each.

use crate::path::FieldPath;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

pub use crate::decode::{capture, drive, Seed};
pub use crate::encode::{ObjectWriter, Writer};

/// Why JSON could not be read as a type: where, and what was wrong.
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

/// A JSON number as the parser read it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// An integer of 0 or more.
    Unsigned(u64),
    /// A negative integer.
    Signed(i64),
    /// A number with a fraction or an exponent.
    Float(f64),
}

/// One JSON value as the reader meets it: a scalar, or the start of an array or object whose
/// contents the visitor reads on.
pub enum Event<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string.
    Str(&'a str),
    /// An array: its items are read from here.
    Array(&'a mut dyn Items),
    /// An object: its properties are read from here.
    Object(&'a mut dyn Fields),
    /// A whole value's JSON text, for a visitor that asked for it ([`Visitor::wants_text`]).
    Text(&'a str),
}

/// A place one value is read into. Every type that can be read implements it for
/// `Option<Self>`: `None` until the value is read, `Some` once [`Visitor::visit`] succeeded.
pub trait Visitor {
    /// Reads the value `event` starts, which sits at `at`.
    fn visit(&mut self, event: Event<'_>, at: &FieldPath<'_>) -> Result<()>;

    /// Whether the value is wanted as its JSON text ([`Event::Text`]) where the reader can give
    /// it: unions, which look at a value more than once.
    fn wants_text(&self) -> bool {
        false
    }
}

/// The properties of an object being read, one at a time.
pub trait Fields {
    /// The next property: its index in `names`, `names.len()` when it is none of them (its
    /// name is then [`Fields::key`]), `None` after the last.
    fn next(&mut self, names: &[&str]) -> Result<Option<usize>>;

    /// The name of the property [`Fields::next`] returned.
    fn key(&self) -> &str;

    /// Reads the property's value, a field of a struct.
    fn value(&mut self, into: &mut dyn Visitor) -> Result<()>;

    /// Reads the property's value unless it is `null`, which leaves `into` untouched.
    fn optional(&mut self, into: &mut dyn Visitor) -> Result<()>;

    /// Reads the property's value, an entry of a map (its path is `["key"]`).
    fn entry(&mut self, into: &mut dyn Visitor) -> Result<()>;

    /// Skips the property's value.
    fn skip(&mut self) -> Result<()>;
}

/// The items of an array being read, one at a time.
pub trait Items {
    /// Reads the next item into `into`; `false` after the last.
    fn next(&mut self, into: &mut dyn Visitor) -> Result<bool>;

    /// How many items are left, when known (for the capacity of a `Vec`).
    fn size_hint(&self) -> usize;
}

/// A type that can be read from JSON: every `T` whose `Option<T>` is a [`Visitor`].
pub trait FromJson: Sized {
    /// The place to read a value into.
    fn visitor(slot: &mut Option<Self>) -> &mut dyn Visitor;
}

impl<T> FromJson for T
where
    Option<T>: Visitor,
{
    #[inline]
    fn visitor(slot: &mut Option<Self>) -> &mut dyn Visitor {
        slot
    }
}

/// A type that can be written as JSON.
pub trait ToJson {
    /// Writes the value.
    fn write_json(&self, out: &mut Writer);

    /// Whether an optional field holding it is left out (`None`).
    fn is_absent(&self) -> bool {
        false
    }
}

/// The JSON body of an operation whose body's properties are fields of its params struct: those
/// fields, by their names on the wire, in declared order.
pub trait BodyJson {
    /// Writes the body.
    fn write_body(&self, out: &mut Writer);
}

/// Reads a whole JSON document as `T`.
pub fn from_slice<T: FromJson>(body: &[u8]) -> Result<T> {
    read_at(body, &FieldPath::Root)
}

/// Reads the JSON document `body` into `into`; the document sits at `at`.
pub fn read_slice(body: &[u8], into: &mut dyn Visitor, at: &FieldPath<'_>) -> Result<()> {
    crate::decode::read_slice(body, into, at)
}

/// Reads `value`, which sits at `at`, as `T`.
pub fn from_value<T: FromJson>(value: &Value, at: &FieldPath<'_>) -> Result<T> {
    let mut slot = None;
    match drive(value, T::visitor(&mut slot), at) {
        Ok(()) => filled(slot, at),
        Err(e) => Err(e),
    }
}

/// Reads the JSON text `text`, which sits at `at`, as `T`.
pub fn from_text<T: FromJson>(text: &str, at: &FieldPath<'_>) -> Result<T> {
    read_at(text.as_bytes(), at)
}

/// Reads the JSON text `body`, which sits at `at`, as `T`.
fn read_at<T: FromJson>(body: &[u8], at: &FieldPath<'_>) -> Result<T> {
    let mut slot = None;
    match read_slice(body, T::visitor(&mut slot), at) {
        Ok(()) => filled(slot, at),
        Err(e) => Err(e),
    }
}

/// A union's variant: `T` read from `text`, or `None` when it does not fit.
pub fn attempt<T: FromJson>(text: &str, at: &FieldPath<'_>) -> Option<T> {
    from_text(text, at).ok()
}

/// The value a visitor that succeeded left in its slot.
fn filled<T>(slot: Option<T>, at: &FieldPath<'_>) -> Result<T> {
    match slot {
        Some(value) => Ok(value),
        None => Err(JsonError::at(at, "no value was read")),
    }
}

/// A required field's value, read or missing.
#[inline]
pub fn required<T>(slot: Option<T>, name: &str, at: &FieldPath<'_>) -> Result<T> {
    match slot {
        Some(value) => Ok(value),
        None => Err(missing(name, at)),
    }
}

/// Reads the current property of `fields`, one a struct does not declare, into its map of
/// unknown properties.
pub fn entry<T: FromJson>(fields: &mut dyn Fields, map: &mut BTreeMap<String, T>) -> Result<()> {
    let mut slot = None;
    fields.entry(T::visitor(&mut slot))?;
    if let Some(value) = slot {
        map.insert(fields.key().to_owned(), value);
    }
    Ok(())
}

/// Reads the object in the JSON text `text`, which sits at `at`, property by property with
/// `read` (a struct with a flattened field, which reads the same object twice).
pub fn read_object(
    text: &str,
    at: &FieldPath<'_>,
    read: &mut dyn FnMut(&mut dyn Fields) -> Result<()>,
) -> Result<()> {
    let mut reader = ObjectReader { read, done: false };
    match read_slice(text.as_bytes(), &mut reader, at) {
        Ok(()) if reader.done => Ok(()),
        Ok(()) => Err(JsonError::at(at, "no object was read")),
        Err(e) => Err(e),
    }
}

/// The visitor of [`read_object`].
struct ObjectReader<'r> {
    read: &'r mut dyn FnMut(&mut dyn Fields) -> Result<()>,
    done: bool,
}

impl Visitor for ObjectReader<'_> {
    fn visit(&mut self, event: Event<'_>, at: &FieldPath<'_>) -> Result<()> {
        let fields = object(event, at)?;
        (self.read)(fields)?;
        self.done = true;
        Ok(())
    }
}

/// The error for a required field that is absent.
pub fn missing(name: &str, at: &FieldPath<'_>) -> JsonError {
    JsonError::at(at, format!("missing field `{name}`"))
}

/// The properties of the object `event` starts, or the error for a value that is none.
pub fn object<'e>(event: Event<'e>, at: &FieldPath<'_>) -> Result<&'e mut dyn Fields> {
    match event {
        Event::Object(fields) => Ok(fields),
        other => Err(invalid(at, "an object", &other)),
    }
}

/// The JSON text of the value `event` starts, for a union: as received when the reader kept it,
/// written out again otherwise.
pub fn text<'e>(event: Event<'e>, at: &FieldPath<'_>) -> Result<Cow<'e, str>> {
    match event {
        Event::Text(text) => Ok(Cow::Borrowed(text)),
        other => match capture(other, at) {
            Ok(value) => Ok(Cow::Owned(value.to_string())),
            Err(e) => Err(e),
        },
    }
}

/// The string value of the top-level property `property` of the JSON text `text`, which picks a
/// union's variant (`None` when absent, not a string, or `text` is no object).
pub fn tag<'t>(text: &'t str, property: &str) -> Option<Cow<'t, str>> {
    crate::decode::tag(text, property)
}

/// `text`, a value no variant of a union fits, as JSON.
pub fn other(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

/// What kind of JSON value `event` is, for messages.
fn kind(event: &Event<'_>) -> String {
    match event {
        Event::Null => "null".to_owned(),
        Event::Bool(b) => format!("boolean `{b}`"),
        Event::Number(Number::Unsigned(n)) => format!("number `{n}`"),
        Event::Number(Number::Signed(n)) => format!("number `{n}`"),
        Event::Number(Number::Float(n)) => format!("number `{n}`"),
        Event::Str(s) if s.len() > 40 => format!("string of {} bytes", s.len()),
        Event::Str(s) => format!("string {s:?}"),
        Event::Array(_) => "an array".to_owned(),
        Event::Object(_) => "an object".to_owned(),
        Event::Text(_) => "a value".to_owned(),
    }
}

/// The error for a value of the wrong kind.
pub fn invalid(at: &FieldPath<'_>, expected: &str, found: &Event<'_>) -> JsonError {
    JsonError::at(
        at,
        format!("invalid type: {}, expected {expected}", kind(found)),
    )
}

/// The JSON text of `value`, properties in declared order.
pub fn to_vec<T: ToJson + ?Sized>(value: &T) -> Vec<u8> {
    let mut out = Writer::new();
    value.write_json(&mut out);
    out.into_bytes()
}

/// The JSON text of `value`, as a `String`.
pub fn to_string<T: ToJson + ?Sized>(value: &T) -> String {
    let mut out = Writer::new();
    value.write_json(&mut out);
    out.into_string()
}

/// `serde::Serialize` through [`ToJson`], properties in declared order.
pub fn serialize<T: ToJson, S: serde::Serializer>(
    value: &T,
    serializer: S,
) -> std::result::Result<S::Ok, S::Error> {
    match crate::encode::tree(value) {
        Ok(tree) => serde::Serialize::serialize(&tree, serializer),
        Err(e) => Err(serde::ser::Error::custom(e)),
    }
}

/// `serde::Deserialize` through the type's [`Visitor`], from any self-describing format.
pub fn deserialize<'de, T: FromJson, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<T, D::Error> {
    let mut slot = None;
    match crate::decode::deserialize_into(deserializer, T::visitor(&mut slot)) {
        Ok(()) => filled(slot, &FieldPath::Root).map_err(serde::de::Error::custom),
        Err(e) => Err(e),
    }
}
