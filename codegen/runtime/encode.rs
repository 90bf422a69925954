//! Writing JSON: the [`Writer`] every [`ToJson`] writes its bytes to, properties in the order the
//! type declares them, and the order-keeping tree that `serde::Serialize` goes through.

use crate::json::{Event, JsonError, Number, ToJson, Visitor};
use crate::path::FieldPath;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::Serializer as _;

/// JSON text being written.
#[derive(Debug, Default)]
pub struct Writer {
    bytes: Vec<u8>,
    /// Properties the next object leaves out: the named fields of a struct whose flattened
    /// field is being written into the same object.
    skip: Option<Vec<&'static str>>,
}

impl Writer {
    /// An empty writer, with room for a small body (so that one does not grow it several
    /// times).
    pub fn new() -> Self {
        Writer {
            bytes: Vec::with_capacity(128),
            skip: None,
        }
    }

    /// The text written.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// The text written, as a `String`.
    pub fn into_string(self) -> String {
        match String::from_utf8(self.bytes) {
            Ok(text) => text,
            // Everything written is UTF-8 (strings are `str`, bytes are escaped).
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        }
    }

    /// serde_json's serializer over the bytes, for scalars: its number and string formats.
    fn scalar(&mut self) -> serde_json::Serializer<&mut Vec<u8>> {
        serde_json::Serializer::new(&mut self.bytes)
    }

    /// Writes `null`.
    pub fn null(&mut self) {
        self.bytes.extend_from_slice(b"null");
    }

    /// Writes `true` or `false`.
    pub fn bool(&mut self, value: bool) {
        self.bytes
            .extend_from_slice(if value { b"true" } else { b"false" });
    }

    /// Writes an integer.
    pub fn i64(&mut self, value: i64) {
        // Writing to a `Vec` cannot fail.
        let _ = self.scalar().serialize_i64(value);
    }

    /// Writes an unsigned integer.
    pub fn u64(&mut self, value: u64) {
        let _ = self.scalar().serialize_u64(value);
    }

    /// Writes a number; NaN and the infinities, which JSON cannot carry, become `null`.
    pub fn f64(&mut self, value: f64) {
        let _ = self.scalar().serialize_f64(value);
    }

    /// Writes a string, escaped.
    pub fn str(&mut self, value: &str) {
        // Most strings (every usual property name) have nothing to escape: copied as they are.
        if value.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
            self.bytes.reserve(value.len() + 2);
            self.bytes.push(b'"');
            self.bytes.extend_from_slice(value.as_bytes());
            self.bytes.push(b'"');
        } else {
            let _ = self.scalar().serialize_str(value);
        }
    }

    /// Writes a parsed value; an object leaves out what [`ObjectWriter::flatten`] asked.
    pub fn value(&mut self, value: &serde_json::Value) {
        match (self.skip.take(), value) {
            (Some(skip), serde_json::Value::Object(map)) => {
                let skip = skip.as_slice();
                let mut object = self.object();
                for (key, value) in map {
                    if !skip.contains(&key.as_str()) {
                        object.field(key, value);
                    }
                }
                object.end();
            }
            _ => {
                let _ = serde_json::to_writer(&mut self.bytes, value);
            }
        }
    }

    /// Starts an object; [`ObjectWriter::end`] closes it.
    pub fn object(&mut self) -> ObjectWriter<'_> {
        let skip = self.skip.take();
        self.bytes.push(b'{');
        ObjectWriter {
            out: self,
            first: true,
            skip,
        }
    }

    /// Starts an array.
    pub fn begin_array(&mut self) {
        self.bytes.push(b'[');
    }

    /// Separates two items of an array.
    pub fn comma(&mut self) {
        self.bytes.push(b',');
    }

    /// Ends an array.
    pub fn end_array(&mut self) {
        self.bytes.push(b']');
    }
}

/// An object being written, one property at a time.
pub struct ObjectWriter<'w> {
    out: &'w mut Writer,
    first: bool,
    skip: Option<Vec<&'static str>>,
}

impl ObjectWriter<'_> {
    /// Writes the property `name`.
    pub fn field(&mut self, name: &str, value: &dyn ToJson) {
        if let Some(skip) = &self.skip {
            if skip.contains(&name) {
                return;
            }
        }
        self.key(name);
        value.write_json(self.out);
    }

    /// Writes the property `name` unless `value` is absent (`None`).
    pub fn field_some(&mut self, name: &str, value: &dyn ToJson) {
        if !value.is_absent() {
            self.field(name, value);
        }
    }

    fn key(&mut self, name: &str) {
        if !self.first {
            self.out.bytes.push(b',');
        }
        self.first = false;
        self.out.str(name);
        self.out.bytes.push(b':');
    }

    /// Writes the properties of `value` (a flattened field), but those the struct writes itself:
    /// the `named` fields that are not absent. A value that is not an object adds nothing.
    pub fn flatten(&mut self, value: &dyn ToJson, named: &[(&'static str, &dyn ToJson)]) {
        let mut skip = Vec::with_capacity(named.len());
        for (name, field) in named {
            if !field.is_absent() {
                skip.push(*name);
            }
        }
        let mut inner = Writer {
            bytes: Vec::new(),
            skip: Some(skip),
        };
        value.write_json(&mut inner);
        let bytes = inner.bytes;
        if bytes.len() > 2 && bytes.first() == Some(&b'{') {
            if !self.first {
                self.out.bytes.push(b',');
            }
            self.first = false;
            self.out.bytes.extend_from_slice(&bytes[1..bytes.len() - 1]);
        }
    }

    /// Writes every entry of `map` (a struct's unknown properties).
    pub fn entries<T: ToJson>(&mut self, map: &std::collections::BTreeMap<String, T>) {
        for (key, value) in map {
            self.field(key, value);
        }
    }

    /// Closes the object.
    pub fn end(self) {
        self.out.bytes.push(b'}');
    }
}

/// A JSON value that keeps the order of its properties, which `serde_json::Value` does not:
/// what a generated type's `serde::Serialize` writes to the caller's serializer.
pub(crate) enum Tree {
    Null,
    Bool(bool),
    Number(Number),
    Str(String),
    Array(Vec<Tree>),
    Object(Vec<(String, Tree)>),
}

/// `value` as a [`Tree`]: written as JSON, then read back.
pub(crate) fn tree(value: &dyn ToJson) -> Result<Tree, JsonError> {
    let mut out = Writer::new();
    value.write_json(&mut out);
    let mut slot: Option<Tree> = None;
    crate::decode::read_slice(&out.bytes, &mut slot, &FieldPath::Root)?;
    Ok(slot.unwrap_or(Tree::Null))
}

impl Visitor for Option<Tree> {
    fn visit(&mut self, event: Event<'_>, at: &FieldPath<'_>) -> crate::json::Result<()> {
        let tree = match event {
            Event::Null => Tree::Null,
            Event::Bool(b) => Tree::Bool(b),
            Event::Number(n) => Tree::Number(n),
            Event::Str(s) => Tree::Str(s.to_owned()),
            Event::Text(text) => return crate::decode::read_slice(text.as_bytes(), self, at),
            Event::Array(items) => {
                let mut out = Vec::new();
                loop {
                    let mut slot: Option<Tree> = None;
                    if !items.next(&mut slot)? {
                        break;
                    }
                    out.push(slot.unwrap_or(Tree::Null));
                }
                Tree::Array(out)
            }
            Event::Object(fields) => {
                let mut out = Vec::new();
                while fields.next(&[])?.is_some() {
                    let key = fields.key().to_owned();
                    let mut slot: Option<Tree> = None;
                    fields.value(&mut slot)?;
                    out.push((key, slot.unwrap_or(Tree::Null)));
                }
                Tree::Object(out)
            }
        };
        *self = Some(tree);
        Ok(())
    }
}

impl serde::Serialize for Tree {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Tree::Null => serializer.serialize_unit(),
            Tree::Bool(b) => serializer.serialize_bool(*b),
            Tree::Number(Number::Unsigned(n)) => serializer.serialize_u64(*n),
            Tree::Number(Number::Signed(n)) => serializer.serialize_i64(*n),
            Tree::Number(Number::Float(n)) => serializer.serialize_f64(*n),
            Tree::Str(s) => serializer.serialize_str(s),
            Tree::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Tree::Object(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (key, value) in entries {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}
