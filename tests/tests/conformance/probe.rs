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

/// Chosen for types that decode.
pub trait Decodable {
    /// Decodes `value` as the type.
    fn decode(&self, value: serde_json::Value) -> Decoded;
}

impl<T: serde::de::DeserializeOwned + std::fmt::Debug> Decodable for Probe<T> {
    fn decode(&self, value: serde_json::Value) -> Decoded {
        match serde_json::from_value::<T>(value) {
            Ok(v) => Decoded::Ok(format!("{v:?}")),
            Err(e) => Decoded::Err(e.to_string()),
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
