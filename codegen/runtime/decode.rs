//! Feeding JSON to [`Visitor`]s: from a serde `Deserializer` (serde_json's parser over a body,
//! or any self-describing format through `Deserialize`) and from a parsed `serde_json::Value`.
//! The adapter is generic over the format only, so it is compiled once per format, never per
//! type.

use crate::json::{Event, Fields, Items, JsonError, Number, Result, Visitor};
use crate::path::FieldPath;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess};
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;

/// One value read from a serde `Deserializer` into a visitor.
///
/// A visitor's error is kept in `error`, with its path, while serde carries a copy of its text
/// up to where the reading started; that is where the kept error is taken back.
pub struct Seed<'v, 'p> {
    into: &'v mut dyn Visitor,
    at: &'p FieldPath<'p>,
    /// `null` leaves `into` untouched (an optional field).
    nullable: bool,
    /// The format is JSON text that can be handed out as it is ([`Event::Text`]).
    text: bool,
    error: &'v mut Option<JsonError>,
}

impl Seed<'_, '_> {
    /// Hands `event` to the visitor, keeping its error.
    fn emit<E: de::Error>(self, event: Event<'_>) -> std::result::Result<(), E> {
        finish(self.into.visit(event, self.at), self.error)
    }
}

/// The kept error if a visitor failed, or the format's own error (bad syntax), at `at`.
fn located(error: &mut Option<JsonError>, at: &FieldPath<'_>, e: impl fmt::Display) -> JsonError {
    match error.take() {
        Some(kept) => kept,
        None => JsonError::at(at, e.to_string()),
    }
}

impl<'de> DeserializeSeed<'de> for Seed<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> std::result::Result<(), D::Error> {
        if self.text && self.into.wants_text() {
            let raw = <&'de serde_json::value::RawValue as serde::Deserialize>::deserialize(
                deserializer,
            )?;
            if self.nullable && raw.get() == "null" {
                return Ok(());
            }
            return self.emit(Event::Text(raw.get()));
        }
        deserializer.deserialize_any(self)
    }
}

impl<'de> de::Visitor<'de> for Seed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> std::result::Result<(), E> {
        self.emit(Event::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<(), E> {
        match u64::try_from(v) {
            Ok(u) => self.emit(Event::Number(Number::Unsigned(u))),
            Err(_) => self.emit(Event::Number(Number::Signed(v))),
        }
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<(), E> {
        self.emit(Event::Number(Number::Unsigned(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<(), E> {
        self.emit(Event::Number(Number::Float(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<(), E> {
        self.emit(Event::Str(v))
    }

    fn visit_unit<E: de::Error>(self) -> std::result::Result<(), E> {
        if self.nullable {
            return Ok(());
        }
        self.emit(Event::Null)
    }

    fn visit_none<E: de::Error>(self) -> std::result::Result<(), E> {
        self.visit_unit()
    }

    fn visit_some<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> std::result::Result<(), D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> std::result::Result<(), A::Error> {
        let mut items = SeqItems {
            seq,
            at: self.at,
            index: 0,
            text: self.text,
            error: &mut *self.error,
        };
        let outcome = self.into.visit(Event::Array(&mut items), self.at);
        finish(outcome, self.error)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> std::result::Result<(), A::Error> {
        let mut fields = MapFields {
            map,
            at: self.at,
            key: Cow::Borrowed(""),
            text: self.text,
            error: &mut *self.error,
        };
        let outcome = self.into.visit(Event::Object(&mut fields), self.at);
        finish(outcome, self.error)
    }
}

/// A visitor's outcome as serde's: its error is kept, serde gets a copy of the text.
fn finish<E: de::Error>(
    outcome: Result<()>,
    error: &mut Option<JsonError>,
) -> std::result::Result<(), E> {
    match outcome {
        Ok(()) => Ok(()),
        Err(e) => {
            let message = E::custom(&e);
            *error = Some(e);
            Err(message)
        }
    }
}

/// The items of an array, from serde.
struct SeqItems<'a, 'p, A> {
    seq: A,
    at: &'p FieldPath<'p>,
    index: usize,
    text: bool,
    error: &'a mut Option<JsonError>,
}

impl<'de, A: SeqAccess<'de>> Items for SeqItems<'_, '_, A> {
    fn next(&mut self, into: &mut dyn Visitor) -> Result<bool> {
        let at = self.at.index(self.index);
        let seed = Seed {
            into,
            at: &at,
            nullable: false,
            text: self.text,
            error: &mut *self.error,
        };
        match self.seq.next_element_seed(seed) {
            Ok(Some(())) => {
                self.index += 1;
                Ok(true)
            }
            Ok(None) => Ok(false),
            Err(e) => Err(located(self.error, &at, e)),
        }
    }

    fn size_hint(&self) -> usize {
        self.seq.size_hint().unwrap_or(0)
    }
}

/// The properties of an object, from serde.
struct MapFields<'a, 'p, 'de, A> {
    map: A,
    at: &'p FieldPath<'p>,
    /// The name of the current property, borrowed from the input where it can be.
    key: Cow<'de, str>,
    text: bool,
    error: &'a mut Option<JsonError>,
}

impl<'de, A: MapAccess<'de>> MapFields<'_, '_, 'de, A> {
    /// Reads the current property's value into `into`: a struct field (`.name`) or a map entry
    /// (`["name"]`).
    fn read(&mut self, into: &mut dyn Visitor, nullable: bool, entry: bool) -> Result<()> {
        let at = if entry {
            self.at.key(&self.key)
        } else {
            self.at.field(&self.key)
        };
        let seed = Seed {
            into,
            at: &at,
            nullable,
            text: self.text,
            error: &mut *self.error,
        };
        match self.map.next_value_seed(seed) {
            Ok(()) => Ok(()),
            Err(e) => Err(located(self.error, &at, e)),
        }
    }
}

impl<'de, A: MapAccess<'de>> Fields for MapFields<'_, '_, 'de, A> {
    fn next(&mut self, names: &[&str]) -> Result<Option<usize>> {
        match self.map.next_key_seed(KeySeed) {
            Ok(Some(key)) => {
                let index = position(names, &key);
                self.key = key;
                Ok(Some(index))
            }
            Ok(None) => Ok(None),
            Err(e) => Err(located(self.error, self.at, e)),
        }
    }

    fn key(&self) -> &str {
        &self.key
    }

    fn value(&mut self, into: &mut dyn Visitor) -> Result<()> {
        self.read(into, false, false)
    }

    fn optional(&mut self, into: &mut dyn Visitor) -> Result<()> {
        self.read(into, true, false)
    }

    fn entry(&mut self, into: &mut dyn Visitor) -> Result<()> {
        self.read(into, false, true)
    }

    fn skip(&mut self) -> Result<()> {
        match self.map.next_value::<de::IgnoredAny>() {
            Ok(_) => Ok(()),
            Err(e) => Err(located(self.error, &self.at.field(&self.key), e)),
        }
    }
}

/// The index of `key` in `names`, `names.len()` when absent.
fn position(names: &[&str], key: &str) -> usize {
    match names.iter().position(|name| *name == key) {
        Some(index) => index,
        None => names.len(),
    }
}

/// A property name, borrowed from the input when it has no escapes.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> std::result::Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> de::Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> std::result::Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> std::result::Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

/// Reads the JSON text `body` into `into`; the text sits at `at`.
pub(crate) fn read_slice(body: &[u8], into: &mut dyn Visitor, at: &FieldPath<'_>) -> Result<()> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let mut error = None;
    let seed = Seed {
        into,
        at,
        nullable: false,
        text: true,
        error: &mut error,
    };
    match seed.deserialize(&mut deserializer) {
        Ok(()) => match deserializer.end() {
            Ok(()) => Ok(()),
            Err(e) => Err(JsonError::at(at, e.to_string())),
        },
        Err(e) => Err(located(&mut error, at, e)),
    }
}

/// Reads one value from any serde `Deserializer` into `into`.
pub(crate) fn deserialize_into<'de, D: de::Deserializer<'de>>(
    deserializer: D,
    into: &mut dyn Visitor,
) -> std::result::Result<(), D::Error> {
    let mut error = None;
    let seed = Seed {
        into,
        at: &FieldPath::Root,
        nullable: false,
        text: false,
        error: &mut error,
    };
    seed.deserialize(deserializer)
}

/// The string value of the top-level property `property` of the JSON text `text`.
pub(crate) fn tag<'t>(text: &'t str, property: &str) -> Option<Cow<'t, str>> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let mut found = None;
    let visitor = TagVisitor {
        property,
        found: &mut found,
    };
    // Reading stops at the tag with an error (serde_json checks that an object it handed out
    // was read to its end), so the rest of the object is not scanned.
    let _ = de::Deserializer::deserialize_any(&mut deserializer, visitor);
    found.flatten()
}

/// Looks for one property's value, stopping there.
struct TagVisitor<'a, 'de> {
    property: &'a str,
    found: &'a mut Option<Option<Cow<'de, str>>>,
}

impl<'de> de::Visitor<'de> for TagVisitor<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        while let Some(key) = map.next_key_seed(KeySeed)? {
            if key == self.property {
                *self.found = Some(map.next_value::<TagValue<'de>>()?.0);
                return Err(de::Error::custom("found"));
            }
            map.next_value::<de::IgnoredAny>()?;
        }
        Ok(())
    }
}

/// A discriminator's value: a string (borrowed from the input when it can be), or `None` for
/// any other JSON value.
struct TagValue<'de>(Option<Cow<'de, str>>);

impl<'de> serde::Deserialize<'de> for TagValue<'de> {
    fn deserialize<D: de::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        deserializer.deserialize_any(TagValueVisitor)
    }
}

struct TagValueVisitor;

impl<'de> de::Visitor<'de> for TagValueVisitor {
    type Value = TagValue<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> std::result::Result<Self::Value, E> {
        Ok(TagValue(Some(Cow::Borrowed(v))))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Self::Value, E> {
        Ok(TagValue(Some(Cow::Owned(v.to_owned()))))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> std::result::Result<Self::Value, E> {
        Ok(TagValue(None))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> std::result::Result<Self::Value, E> {
        Ok(TagValue(None))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> std::result::Result<Self::Value, E> {
        Ok(TagValue(None))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> std::result::Result<Self::Value, E> {
        Ok(TagValue(None))
    }

    fn visit_unit<E: de::Error>(self) -> std::result::Result<Self::Value, E> {
        Ok(TagValue(None))
    }

    fn visit_seq<A: SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<Self::Value, A::Error> {
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        Ok(TagValue(None))
    }

    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Self::Value, A::Error> {
        while map
            .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
            .is_some()
        {}
        Ok(TagValue(None))
    }
}

/// Feeds the parsed `value`, which sits at `at`, to `into`.
pub fn drive(value: &Value, into: &mut dyn Visitor, at: &FieldPath<'_>) -> Result<()> {
    if into.wants_text() {
        return into.visit(Event::Text(&value.to_string()), at);
    }
    match value {
        Value::Null => into.visit(Event::Null, at),
        Value::Bool(b) => into.visit(Event::Bool(*b), at),
        Value::Number(n) => into.visit(Event::Number(number(n)), at),
        Value::String(s) => into.visit(Event::Str(s), at),
        Value::Array(items) => {
            let mut items = ValueItems {
                items: items.iter(),
                at,
                index: 0,
            };
            into.visit(Event::Array(&mut items), at)
        }
        Value::Object(map) => {
            let mut fields = ValueFields {
                entries: map.iter(),
                current: None,
                at,
            };
            into.visit(Event::Object(&mut fields), at)
        }
    }
}

/// A parsed number as the parser read it.
fn number(n: &serde_json::Number) -> Number {
    if let Some(u) = n.as_u64() {
        Number::Unsigned(u)
    } else if let Some(i) = n.as_i64() {
        Number::Signed(i)
    } else {
        Number::Float(n.as_f64().unwrap_or(f64::NAN))
    }
}

/// The items of a parsed array.
struct ValueItems<'v, 'p> {
    items: std::slice::Iter<'v, Value>,
    at: &'p FieldPath<'p>,
    index: usize,
}

impl Items for ValueItems<'_, '_> {
    fn next(&mut self, into: &mut dyn Visitor) -> Result<bool> {
        match self.items.next() {
            Some(item) => {
                let at = self.at.index(self.index);
                self.index += 1;
                drive(item, into, &at).map(|()| true)
            }
            None => Ok(false),
        }
    }

    fn size_hint(&self) -> usize {
        self.items.len()
    }
}

/// The properties of a parsed object.
struct ValueFields<'v, 'p> {
    entries: serde_json::map::Iter<'v>,
    current: Option<(&'v String, &'v Value)>,
    at: &'p FieldPath<'p>,
}

impl ValueFields<'_, '_> {
    fn read(&mut self, into: &mut dyn Visitor, nullable: bool, entry: bool) -> Result<()> {
        let Some((key, value)) = self.current else {
            return Err(JsonError::at(
                self.at,
                "a value was read before its property",
            ));
        };
        if nullable && value.is_null() {
            return Ok(());
        }
        let at = if entry {
            self.at.key(key)
        } else {
            self.at.field(key)
        };
        drive(value, into, &at)
    }
}

impl Fields for ValueFields<'_, '_> {
    fn next(&mut self, names: &[&str]) -> Result<Option<usize>> {
        self.current = self.entries.next();
        Ok(self.current.map(|(key, _)| position(names, key)))
    }

    fn key(&self) -> &str {
        match self.current {
            Some((key, _)) => key,
            None => "",
        }
    }

    fn value(&mut self, into: &mut dyn Visitor) -> Result<()> {
        self.read(into, false, false)
    }

    fn optional(&mut self, into: &mut dyn Visitor) -> Result<()> {
        self.read(into, true, false)
    }

    fn entry(&mut self, into: &mut dyn Visitor) -> Result<()> {
        self.read(into, false, true)
    }

    fn skip(&mut self) -> Result<()> {
        Ok(())
    }
}

/// The value `event` starts, read whole as a `serde_json::Value`.
pub fn capture(event: Event<'_>, at: &FieldPath<'_>) -> Result<Value> {
    match event {
        Event::Null => Ok(Value::Null),
        Event::Bool(b) => Ok(Value::Bool(b)),
        Event::Number(Number::Unsigned(n)) => Ok(Value::from(n)),
        Event::Number(Number::Signed(n)) => Ok(Value::from(n)),
        Event::Number(Number::Float(n)) => Ok(Value::from(n)),
        Event::Str(s) => Ok(Value::String(s.to_owned())),
        Event::Text(text) => {
            serde_json::from_str(text).map_err(|e| JsonError::at(at, e.to_string()))
        }
        Event::Array(items) => {
            let mut out = Vec::with_capacity(items.size_hint());
            loop {
                let mut slot: Option<Value> = None;
                match items.next(&mut slot) {
                    Ok(true) => out.push(slot.unwrap_or(Value::Null)),
                    Ok(false) => return Ok(Value::Array(out)),
                    Err(e) => return Err(e),
                }
            }
        }
        Event::Object(fields) => {
            let mut out = serde_json::Map::new();
            loop {
                match fields.next(&[]) {
                    Ok(Some(_)) => {}
                    Ok(None) => return Ok(Value::Object(out)),
                    Err(e) => return Err(e),
                }
                let key = fields.key().to_owned();
                let mut slot: Option<Value> = None;
                fields.value(&mut slot)?;
                out.insert(key, slot.unwrap_or(Value::Null));
            }
        }
    }
}
