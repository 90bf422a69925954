//! Examples: every `example` of a schema, request body or response becomes an [`Example`] that
//! a generated test decodes into its type.

use super::{Builder, TyInfo};
use crate::load::{escape, resolve_pointer};
use crate::model::{Example, Ty};
use crate::naming::snake_ident;
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
            self.examples.push(Example {
                test_name,
                ty: info.full_ty(),
                value: value.clone(),
                pointer: pointer.to_owned(),
                request: false,
                envelope: false,
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
                    resolve_pointer(&self.spec.raw, reference)
                        .and_then(|n| n.get("value"))
                        .cloned(),
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
