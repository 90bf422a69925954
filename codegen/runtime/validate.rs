//! Client-side checks of the constraints the API description states.
//!
//! Every parameter and request type implements [`Validate`]; operations call it before any I/O,
//! so a value the API would reject never leaves the process.

use crate::error::ValidationError;
use std::collections::BTreeMap;
use std::fmt;

pub use crate::path::FieldPath;

impl FieldPath<'_> {
    /// A [`ValidationError`] at this path.
    pub fn error(&self, constraint: impl Into<String>, value: impl fmt::Debug) -> ValidationError {
        let mut value = format!("{value:?}");
        if value.len() > 80 {
            let mut cut = 77;
            while !value.is_char_boundary(cut) {
                cut -= 1;
            }
            value.truncate(cut);
            value.push_str("...");
        }
        ValidationError {
            field: self.to_string(),
            constraint: constraint.into(),
            value,
        }
    }
}

/// A value that can check itself against the constraints of the API description.
pub trait Validate {
    /// Checks the value, which sits at `path`; the first broken constraint is returned.
    fn validate_at(&self, path: &FieldPath<'_>) -> Result<(), ValidationError>;

    /// Checks the value as a whole request.
    fn validate(&self) -> Result<(), ValidationError> {
        self.validate_at(&FieldPath::Root)
    }
}

macro_rules! always_valid {
    ($($t:ty),*) => {$(
        impl Validate for $t {
            fn validate_at(&self, _: &FieldPath<'_>) -> Result<(), ValidationError> {
                Ok(())
            }
        }
    )*};
}

always_valid!(
    String,
    bool,
    i32,
    i64,
    f64,
    (),
    serde_json::Value,
    bytes::Bytes,
    chrono::DateTime<chrono::Utc>,
    chrono::NaiveDate
);

impl Validate for f32 {
    fn validate_at(&self, path: &FieldPath<'_>) -> Result<(), ValidationError> {
        f64::from(*self).validate_at(path)
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate_at(&self, path: &FieldPath<'_>) -> Result<(), ValidationError> {
        match self {
            Some(v) => v.validate_at(path),
            None => Ok(()),
        }
    }
}

impl<T: Validate> Validate for Box<T> {
    fn validate_at(&self, path: &FieldPath<'_>) -> Result<(), ValidationError> {
        (**self).validate_at(path)
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_at(&self, path: &FieldPath<'_>) -> Result<(), ValidationError> {
        for (i, item) in self.iter().enumerate() {
            item.validate_at(&path.index(i))?;
        }
        Ok(())
    }
}

impl<T: Validate> Validate for BTreeMap<String, T> {
    fn validate_at(&self, path: &FieldPath<'_>) -> Result<(), ValidationError> {
        for (key, item) in self {
            item.validate_at(&path.key(key))?;
        }
        Ok(())
    }
}

/// A number that bounds can be checked on.
pub trait Number: Copy + fmt::Debug {
    /// The value as `f64` for comparison with the bounds of the description.
    fn as_f64(self) -> f64;
}

impl Number for f64 {
    fn as_f64(self) -> f64 {
        self
    }
}

impl Number for f32 {
    fn as_f64(self) -> f64 {
        f64::from(self)
    }
}

impl Number for i64 {
    fn as_f64(self) -> f64 {
        self as f64
    }
}

impl Number for i32 {
    fn as_f64(self) -> f64 {
        f64::from(self)
    }
}

/// Rejects NaN and infinities, which JSON cannot carry.
pub fn finite<N: Number>(path: &FieldPath<'_>, value: N) -> Result<(), ValidationError> {
    if value.as_f64().is_finite() {
        Ok(())
    } else {
        Err(path.error("a finite number", value))
    }
}

/// `minimum` (or `exclusiveMinimum` when `exclusive`).
pub fn minimum<N: Number>(
    path: &FieldPath<'_>,
    value: N,
    bound: f64,
    exclusive: bool,
) -> Result<(), ValidationError> {
    let v = value.as_f64();
    let ok = if exclusive { v > bound } else { v >= bound };
    if ok {
        Ok(())
    } else if exclusive {
        Err(path.error(
            format!("exclusiveMinimum {bound} (greater than {bound})"),
            value,
        ))
    } else {
        Err(path.error(format!("minimum {bound} (at least {bound})"), value))
    }
}

/// `maximum` (or `exclusiveMaximum` when `exclusive`).
pub fn maximum<N: Number>(
    path: &FieldPath<'_>,
    value: N,
    bound: f64,
    exclusive: bool,
) -> Result<(), ValidationError> {
    let v = value.as_f64();
    let ok = if exclusive { v < bound } else { v <= bound };
    if ok {
        Ok(())
    } else if exclusive {
        Err(path.error(
            format!("exclusiveMaximum {bound} (less than {bound})"),
            value,
        ))
    } else {
        Err(path.error(format!("maximum {bound} (at most {bound})"), value))
    }
}

/// `multipleOf`.
pub fn multiple_of<N: Number>(
    path: &FieldPath<'_>,
    value: N,
    factor: f64,
) -> Result<(), ValidationError> {
    let q = value.as_f64() / factor;
    if (q - q.round()).abs() < 1e-9 {
        Ok(())
    } else {
        Err(path.error(format!("multipleOf {factor}"), value))
    }
}

/// `minLength`, counted in characters.
pub fn min_length(path: &FieldPath<'_>, value: &str, min: usize) -> Result<(), ValidationError> {
    // A UTF-8 character takes 1 to 4 bytes, so the byte length often settles it uncounted.
    if value.len() / 4 >= min || (value.len() >= min && value.chars().count() >= min) {
        Ok(())
    } else {
        Err(path.error(
            format!("minLength {min} (at least {min} characters)"),
            value,
        ))
    }
}

/// `maxLength`, counted in characters.
pub fn max_length(path: &FieldPath<'_>, value: &str, max: usize) -> Result<(), ValidationError> {
    // No more bytes than `max` means no more characters; only longer strings are counted.
    if value.len() <= max || value.chars().count() <= max {
        Ok(())
    } else {
        Err(path.error(format!("maxLength {max} (at most {max} characters)"), value))
    }
}

/// `pattern`, an ECMA-262 regular expression as OpenAPI says (look-around and
/// back-references included); `regex` is its compiled form. Like JSON Schema, it matches
/// anywhere in the value unless anchored.
pub fn pattern(
    path: &FieldPath<'_>,
    value: &str,
    regex: &regress::Regex,
    pattern: &str,
) -> Result<(), ValidationError> {
    if regex.find(value).is_some() {
        Ok(())
    } else {
        Err(path.error(format!("pattern {pattern:?}"), value))
    }
}

/// `minItems`.
pub fn min_items<T>(path: &FieldPath<'_>, value: &[T], min: usize) -> Result<(), ValidationError> {
    if value.len() >= min {
        Ok(())
    } else {
        Err(path.error(
            format!("minItems {min}"),
            format!("{} item(s)", value.len()),
        ))
    }
}

/// `maxItems`.
pub fn max_items<T>(path: &FieldPath<'_>, value: &[T], max: usize) -> Result<(), ValidationError> {
    if value.len() <= max {
        Ok(())
    } else {
        Err(path.error(
            format!("maxItems {max}"),
            format!("{} item(s)", value.len()),
        ))
    }
}

/// `uniqueItems: true`.
pub fn unique_items<T: PartialEq>(
    path: &FieldPath<'_>,
    value: &[T],
) -> Result<(), ValidationError> {
    for (i, a) in value.iter().enumerate() {
        if value[..i].contains(a) {
            return Err(path.error("uniqueItems", format!("item {i} repeats an earlier item")));
        }
    }
    Ok(())
}

/// `minProperties`.
pub fn min_properties<T>(
    path: &FieldPath<'_>,
    value: &BTreeMap<String, T>,
    min: usize,
) -> Result<(), ValidationError> {
    if value.len() >= min {
        Ok(())
    } else {
        Err(path.error(
            format!("minProperties {min}"),
            format!("{} entries", value.len()),
        ))
    }
}

/// `maxProperties`.
pub fn max_properties<T>(
    path: &FieldPath<'_>,
    value: &BTreeMap<String, T>,
    max: usize,
) -> Result<(), ValidationError> {
    if value.len() <= max {
        Ok(())
    } else {
        Err(path.error(
            format!("maxProperties {max}"),
            format!("{} entries", value.len()),
        ))
    }
}

/// `enum` on a value that is not a generated Rust enum (numbers, booleans).
pub fn one_of<T: PartialEq + fmt::Debug>(
    path: &FieldPath<'_>,
    value: &T,
    allowed: &[T],
) -> Result<(), ValidationError> {
    if allowed.contains(value) {
        Ok(())
    } else {
        Err(path.error(format!("enum {allowed:?}"), value))
    }
}

/// A value of a generated enum that this crate version does not know; such values may be
/// decoded from responses but are never sent.
pub fn known_variant(
    path: &FieldPath<'_>,
    value: &str,
    allowed: &[&str],
) -> Result<(), ValidationError> {
    Err(path.error(format!("enum {allowed:?}"), value))
}
