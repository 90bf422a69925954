//! Rust type tokens for the model's [`Ty`].

use crate::model::Ty;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// Where a type is spelled: inside `types.rs` (named types unqualified) or elsewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// `types.rs`: `Name`.
    Types,
    /// Any other module: `crate::types::Name`.
    Elsewhere,
}

/// The type's tokens as spelled in `scope`.
pub fn ty_tokens(ty: &Ty, scope: Scope) -> TokenStream {
    let inner = |t: &Ty| ty_tokens(t, scope);
    match ty {
        Ty::String => quote!(String),
        Ty::Bool => quote!(bool),
        Ty::I32 => quote!(i32),
        Ty::I64 => quote!(i64),
        Ty::F64 => quote!(f64),
        Ty::DateTime => quote!(chrono::DateTime<chrono::Utc>),
        Ty::Date => quote!(chrono::NaiveDate),
        Ty::Bytes => quote!(bytes::Bytes),
        Ty::FormParts => quote!(Vec<crate::Part>),
        Ty::Value => quote!(serde_json::Value),
        Ty::Vec(t) => {
            let t = inner(t);
            quote!(Vec<#t>)
        }
        Ty::Map(t) => {
            let t = inner(t);
            quote!(std::collections::BTreeMap<String, #t>)
        }
        Ty::Named(n) => {
            let n = format_ident!("{}", n);
            match scope {
                Scope::Types => quote!(#n),
                Scope::Elsewhere => quote!(crate::types::#n),
            }
        }
        Ty::Option(t) => {
            let t = inner(t);
            quote!(Option<#t>)
        }
        Ty::Boxed(t) => {
            let t = inner(t);
            quote!(Box<#t>)
        }
    }
}

/// The type's tokens outside `types.rs`.
pub fn qualified(ty: &Ty) -> TokenStream {
    ty_tokens(ty, Scope::Elsewhere)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_types_are_qualified_outside_types_rs() {
        let ty = Ty::Option(Box::new(Ty::Vec(Box::new(Ty::Named("Key".into())))));
        assert_eq!(
            ty_tokens(&ty, Scope::Types).to_string(),
            "Option < Vec < Key > >"
        );
        assert_eq!(
            qualified(&ty).to_string(),
            "Option < Vec < crate :: types :: Key > >"
        );
    }
}
