//! Examples: every `example` of a schema, request body or response becomes an [`Example`] that
//! a generated test decodes into its type.

use super::{Builder, TyInfo};
use crate::model::{Example, Ty};
use crate::naming::snake_ident;
use crate::source::escape;
use openapiv3::{MediaType, ReferenceOr};
use serde_json::Value;

/// What an example of a media type is checked as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ExampleUse {
    /// A request body: decoded, validated and encoded again.
    Request,
    /// A response body, decoded.
    Response,
    /// A whole response envelope around the result.
    Envelope,
}

impl Builder<'_> {
    /// Records the schema's own `example`, if it has one, once per place in the spec (a
    /// property merged into several structs by `allOf` is classified once for each).
    pub(super) fn record_example(&mut self, pointer: &str, info: &TyInfo) {
        if let Some(value) = &info.example {
            if !self.example_pointers.insert(pointer.to_owned()) {
                return;
            }
            let test_name = self
                .example_names
                .claim(&snake_ident(pointer.trim_start_matches("#/")));
            let breaks = breaks_constraints(value, info);
            if let Some(why) = &breaks {
                self.example_warnings.push(
                    crate::diagnostic::Diagnostic::warning(
                        format!("{pointer}/example"),
                        format!("the example breaks its own schema: {why}"),
                    )
                    .hint("fix the example or the constraint; the generated test checks that the constraint rejects it"),
                );
            }
            self.examples.push(Example {
                test_name,
                ty: info.full_ty(),
                value: value.clone(),
                pointer: pointer.to_owned(),
                request: false,
                envelope: false,
                constraints: info.constraints.clone(),
                breaks,
            });
        }
    }

    /// Records the `example` and every `examples` entry of a media type at `at`, named after
    /// `test_stem`, as values of `ty`.
    pub(super) fn record_media_examples(
        &mut self,
        media: &MediaType,
        at: &str,
        test_stem: &str,
        ty: &Ty,
        usage: ExampleUse,
    ) {
        for (value, pointer) in self.media_examples(media, at) {
            let test_name = self.example_names.claim(&snake_ident(test_stem));
            self.examples.push(Example {
                test_name,
                ty: ty.clone(),
                value,
                pointer,
                request: usage == ExampleUse::Request,
                envelope: usage == ExampleUse::Envelope,
                constraints: Default::default(),
                breaks: None,
            });
        }
    }

    /// The `example` and every `examples` entry of a media type, `$ref`s resolved.
    fn media_examples(&self, media: &MediaType, at: &str) -> Vec<(Value, String)> {
        let mut out = Vec::new();
        if let Some(v) = &media.example {
            out.push((v.clone(), format!("{at}/example")));
        }
        for (name, example) in &media.examples {
            let (value, pointer) = match example {
                ReferenceOr::Item(e) => {
                    (e.value.clone(), format!("{at}/examples/{}", escape(name)))
                }
                ReferenceOr::Reference { reference } => (
                    self.spec
                        .refs
                        .resolve::<openapiv3::Example>(reference)
                        .ok()
                        .and_then(|(_, example)| example.value.clone()),
                    reference.clone(),
                ),
            };
            if let Some(value) = value {
                out.push((value, pointer));
            }
        }
        out
    }
}

/// Why `value` breaks the constraints of `info` (checked as the generated `validate` does), if
/// it does. Values of the wrong JSON type are left to the decoding test.
fn breaks_constraints(value: &Value, info: &TyInfo) -> Option<String> {
    let c = &info.constraints;
    match value {
        Value::Null => None,
        Value::Number(n) => {
            let x = n.as_f64()?;
            if let Some((min, exclusive)) = c.minimum {
                if x < min || (exclusive && x == min) {
                    return Some(format!("{x} is below the minimum {min}"));
                }
            }
            if let Some((max, exclusive)) = c.maximum {
                if x > max || (exclusive && x == max) {
                    return Some(format!("{x} is above the maximum {max}"));
                }
            }
            if let Some(m) = c.multiple_of {
                let q = x / m;
                if (q - q.round()).abs() > 1e-9 {
                    return Some(format!("{x} is not a multiple of {m}"));
                }
            }
            if !c.allowed.is_empty() && !c.allowed.iter().any(|a| a.as_f64() == Some(x)) {
                return Some(format!("{x} is not one of the allowed values"));
            }
            None
        }
        Value::String(s) => {
            let len = s.chars().count();
            if let Some(min) = c.min_length.filter(|&m| len < m) {
                return Some(format!("{len} characters, fewer than minLength {min}"));
            }
            if let Some(max) = c.max_length.filter(|&m| len > m) {
                return Some(format!("{len} characters, more than maxLength {max}"));
            }
            let pattern = c.pattern.as_ref()?;
            let re = regress::Regex::new(&pattern.source).ok()?;
            re.find(s)
                .is_none()
                .then(|| format!("{s:?} does not match the pattern {:?}", pattern.source))
        }
        Value::Array(items) => {
            if let Some(min) = c.min_items.filter(|&m| items.len() < m) {
                return Some(format!("{} items, fewer than minItems {min}", items.len()));
            }
            if let Some(max) = c.max_items.filter(|&m| items.len() > m) {
                return Some(format!("{} items, more than maxItems {max}", items.len()));
            }
            None
        }
        _ => None,
    }
}
