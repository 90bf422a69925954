//! `example_tests.rs`: a test per example of the spec, decoding it into its type.

use super::gates::cfg_attr;
use super::ty::qualified;
use crate::model::{Example, Gates, Model};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The tests that decode every example of the spec into its type.
pub fn example_tests(model: &Model) -> TokenStream {
    let examples = &model.examples;
    if examples.is_empty() {
        return quote! {
            //! Every `example` of the API description, decoded into the type generated for it
            //! (this description has none).
        };
    }
    let tests = examples.iter().map(|e| example_test(e, &model.gates));
    quote! {
        //! Every `example` of the API description, decoded into the type generated for it.
        #![allow(clippy::all)]

        fn decode<T: serde::de::DeserializeOwned>(json: &str, at: &str) -> T {
            let mut de = serde_json::Deserializer::from_str(json);
            match serde_path_to_error::deserialize(&mut de) {
                Ok(value) => value,
                Err(e) => panic!("{at}: the example does not decode: {} at `{}`", e.inner(), e.path()),
            }
        }

        #(#tests)*
    }
}

fn example_test(e: &Example, gates: &Gates) -> TokenStream {
    // Compiled with the features of the type it decodes into.
    let cfg = cfg_attr(&gates.ty_gates(&e.ty));
    let name = format_ident!("{}", e.test_name);
    let json = serde_json::to_string(&e.value).unwrap_or_default();
    let doc = format!(" Example at `{}`.", e.pointer);
    let ty = qualified(&e.ty);
    let decoded = if e.envelope {
        quote!(let _: crate::client::Envelope<#ty> = decode(#json, #doc);)
    } else {
        quote!(let value: #ty = decode(#json, #doc);)
    };
    let request = if e.request {
        quote! {
            if let Err(e) = crate::validate::Validate::validate(&value) {
                panic!("{}: the example breaks its own constraints: {e}", #doc);
            }
            serde_json::to_vec(&value).expect("a decoded example encodes again");
        }
    } else if e.envelope {
        quote!()
    } else {
        quote!(let _ = value;)
    };
    quote! {
        #[test]
        #cfg
        fn #name() {
            #decoded
            #request
        }
    }
}
