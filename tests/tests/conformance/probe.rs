// Decoding a JSON value as a type named at run time, for the conformance test: included as code
// by `tests/tests/conformance.rs` and as text into the harness it writes for generated crates.

/// What decoding one body gave.
#[derive(Debug)]
pub enum Decoded {
    /// It decoded; the value's `Debug` text.
    Ok(String),
    /// It did not: the error, naming the field.
    Err(String),
    /// The type has no `Deserialize` (it is only sent).
    NotDecodable,
}

/// A type to decode into, for the autoref choice below.
pub struct Probe<T>(pub std::marker::PhantomData<T>);

/// Chosen for types that decode (and, with the crate's `serde-both-ways` feature, encode).
pub trait Decodable {
    /// Decodes `value` as the type.
    fn decode(&self, value: serde_json::Value) -> Decoded;
}

impl<T> Decodable for Probe<T>
where
    T: serde::de::DeserializeOwned + serde::Serialize + PartialEq + std::fmt::Debug,
{
    /// Decodes `value`, then writes the result with serde and reads it back: the two must be
    /// equal (what a user caching or forwarding a result relies on).
    fn decode(&self, value: serde_json::Value) -> Decoded {
        let v = match serde_json::from_value::<T>(value) {
            Ok(v) => v,
            Err(e) => return Decoded::Err(e.to_string()),
        };
        let text = match serde_json::to_string(&v) {
            Ok(text) => text,
            Err(e) => return Decoded::Err(format!("does not encode again: {e}")),
        };
        match serde_json::from_str::<T>(&text) {
            Ok(again) if again == v => Decoded::Ok(format!("{v:?}")),
            Ok(again) => Decoded::Err(format!("does not round-trip: {text} reads as {again:?}")),
            Err(e) => Decoded::Err(format!("its own encoding {text} does not decode: {e}")),
        }
    }
}

/// Chosen (one autoref later) for types that do not.
pub trait NotDecodable {
    /// Says the type cannot be decoded.
    fn decode(&self, _value: serde_json::Value) -> Decoded {
        Decoded::NotDecodable
    }
}

impl<T> NotDecodable for &Probe<T> {}

/// `probe!(Type, value)`: `Some` of what decoding `value` as `Type` gave.
macro_rules! probe {
    ($t:ty, $value:expr) => {
        Some((&Probe::<$t>(std::marker::PhantomData)).decode($value))
    };
}
