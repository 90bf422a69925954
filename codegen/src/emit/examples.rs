//! `example_tests.rs`: a test per example of the spec, decoding it into its type.

use super::gates::cfg_attr;
use super::ty::qualified;
use super::validate::binding_checks;
use crate::model::{Example, Gates, Model};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The tests that decode every example of the spec into its type, encode it again and compare,
/// and check a schema example against its own constraints.
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
        //! Every `example` of the API description: decoded into the type generated for it,
        //! encoded again and compared with the original (so a field the type does not know
        //! fails), and checked against its constraints.
        #![allow(clippy::all, unused_imports)]

        use crate::example_check::{decode, decode_enveloped, parse, round_trip};
        use crate::types::*;
        use crate::validate::{self as check, FieldPath};

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
    if e.envelope {
        let has_result = e.value.get("result").is_some();
        let round_trip = has_result.then(|| quote!(round_trip::<#ty>(&original["result"], #doc);));
        return quote! {
            #[test]
            #cfg
            fn #name() {
                let original = parse(#json, #doc);
                let _: #ty = decode_enveloped(#json, #doc);
                #round_trip
            }
        };
    }
    let request = e.request.then(|| {
        quote! {
            if let Err(e) = crate::validate::Validate::validate(&value) {
                panic!("{}: the example breaks its own constraints: {e}", #doc);
            }
        }
    });
    let value_ident = format_ident!("value_ref");
    let checks = binding_checks(&value_ident, &e.ty, &e.constraints);
    let constraint_check = if checks.is_empty() {
        quote!()
    } else {
        let verdict = match &e.breaks {
            None => quote! {
                if let Err(e) = checked {
                    panic!("{}: the example breaks its own schema: {e}", #doc);
                }
            },
            Some(why) => {
                let message = format!(
                    "{doc}: the generator warned that this example breaks its own schema ({why}), so the constraints must reject it"
                );
                quote!(assert!(checked.is_err(), #message);)
            }
        };
        quote! {
            let path = FieldPath::Root;
            let value_ref = &value;
            let checked = (|| -> Result<(), crate::error::ValidationError> {
                #checks
                Ok(())
            })();
            #verdict
        }
    };
    let binding = if request.is_none() && constraint_check.is_empty() {
        quote!(_value)
    } else {
        quote!(value)
    };
    quote! {
        #[test]
        #cfg
        fn #name() {
            let original = parse(#json, #doc);
            let #binding: #ty = round_trip(&original, #doc);
            #request
            #constraint_check
        }
    }
}
