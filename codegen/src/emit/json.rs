//! The JSON conversions of each type shape: `FromJson` for what is received, `ToJson` for what
//! is sent (both in tests, for the examples), and the `serde` impls that go through them.
//!
//! They replace `#[derive(Serialize, Deserialize)]`: a derive expands to a visitor generic over
//! every serde data format, compiled again for each format the runtime uses, where these are
//! plain functions over `serde_json::Value`, a few lines per type.

use super::ty::{ty_tokens, Scope};
use crate::model::{
    DiscriminatorSource, Field, StructDef, Ty, TypeUse, UnionDef, ADDITIONAL_FIELD,
};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// Which conversions a type gets, from how it is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Always compiled.
    Always,
    /// Compiled in tests only, where every example is decoded and encoded again.
    TestOnly,
}

impl Presence {
    fn attr(self) -> TokenStream {
        match self {
            Presence::Always => quote!(),
            Presence::TestOnly => quote!(#[cfg(test)]),
        }
    }
}

/// `ToJson` when the type is sent, `FromJson` when it is received; tests get both.
pub fn presence(usage: &TypeUse) -> (Presence, Presence) {
    let pick = |used: bool| {
        if used {
            Presence::Always
        } else {
            Presence::TestOnly
        }
    };
    (pick(usage.sent), pick(usage.received))
}

/// Both conversions and their serde impls, each under its presence. The conversions are
/// `#[inline]` so that their machine code is generated where they are used, as for the
/// operation methods (emit/resources.rs).
fn wrap(
    name: &syn::Ident,
    usage: &TypeUse,
    to_body: TokenStream,
    from_body: TokenStream,
) -> TokenStream {
    let (to, from) = presence(usage);
    let (to, from) = (to.attr(), from.attr());
    quote! {
        #to
        impl json::ToJson for #name {
            #[inline]
            fn to_json(&self) -> serde_json::Value {
                #to_body
            }
        }
        #to
        serde_via_json!(Serialize #name);
        #from
        impl json::FromJson for #name {
            #[inline]
            fn from_json(value: serde_json::Value, path: &FieldPath<'_>) -> json::Result<Self> {
                #from_body
            }
        }
        #from
        serde_via_json!(Deserialize #name);
    }
}

/// How a named (not flattened) struct field is read from the object `reader`.
fn field_read(f: &Field, reader: &syn::Ident) -> TokenStream {
    let wire = &f.wire;
    if matches!(f.ty, Ty::Option(_)) {
        quote!(tri!(#reader.optional(#wire)))
    } else {
        quote!(tri!(#reader.required(#wire)))
    }
}

/// The name of the local that reads a struct's object: `fields`, with `_` appended while a
/// field of the struct (which gets a local of its own name) has it.
fn reader_ident(s: &StructDef) -> syn::Ident {
    let mut name = "fields".to_owned();
    while s.fields.iter().any(|f| f.ident == name) {
        name.push('_');
    }
    format_ident!("{}", name)
}

/// How a struct field is written into its object.
fn field_write(f: &Field) -> TokenStream {
    let ident = format_ident!("{}", f.ident);
    let wire = &f.wire;
    if f.flatten {
        quote!(object.merge(&self.#ident);)
    } else if matches!(f.ty, Ty::Option(_)) && !f.required {
        quote!(object.put_some(#wire, &self.#ident);)
    } else {
        quote!(object.put(#wire, &self.#ident);)
    }
}

/// The conversions of a struct: named properties by name, then the flattened field and the
/// unknown properties from what is left.
pub fn struct_json(name: &syn::Ident, s: &StructDef, usage: &TypeUse) -> TokenStream {
    let fields = || s.fields.iter().filter(|f| !f.flatten);
    let flattened: Vec<&Field> = s.fields.iter().filter(|f| f.flatten).collect();
    // The flattened field is written first and the named properties over it: a property both
    // declare (`allOf: [{properties: {strategy}}, {oneOf: [{properties: {strategy}}]}]`) is
    // the named field's, the object's own view of it, whenever that field has a value.
    let writes = flattened.iter().copied().chain(fields()).map(field_write);
    let additional = format_ident!("{}", ADDITIONAL_FIELD);
    let write_rest = s
        .additional
        .as_ref()
        .map(|_| quote!(object.put_all(&self.#additional);));
    let to_body = quote! {
        let mut object = json::Object::new();
        #(#writes)*
        #write_rest
        object.finish()
    };
    // Each property is read into a local, and the struct is built from the locals once every
    // read succeeded. (Reads inside the struct literal would leave every earlier field a
    // temporary to drop at every later `return`: code quadratic in the number of fields, 34k
    // LLVM lines for one struct of 90 fields where this is 2.5k.) A flattened field (the union
    // of an `allOf`) is read first, from a copy of every property: the union's members may
    // declare properties the object declares too (or pick their variant by one), and the whole
    // object is what each member must match. The named properties come next, then the unknown
    // ones from what they left.
    let reader = reader_ident(s);
    let named = fields().count();
    let consumers = flattened.len() + usize::from(s.additional.is_some());
    let mut reads: Vec<TokenStream> = Vec::new();
    for (i, f) in flattened.iter().enumerate() {
        let ident = format_ident!("{}", f.ident);
        let read = if named == 0 && i + 1 == consumers {
            quote!(tri!(#reader.flatten()))
        } else {
            quote!(tri!(#reader.leftover().flatten()))
        };
        reads.push(quote!(let #ident = #read;));
    }
    reads.extend(fields().map(|f| {
        let ident = format_ident!("{}", f.ident);
        let read = field_read(f, &reader);
        quote!(let #ident = #read;)
    }));
    if s.additional.is_some() {
        reads.push(quote!(let #additional = tri!(#reader.rest());));
    }
    let idents = fields()
        .chain(flattened.iter().copied())
        .map(|f| format_ident!("{}", f.ident))
        .chain(s.additional.as_ref().map(|_| additional.clone()));
    let binding = if s.fields.is_empty() && s.additional.is_none() {
        quote!(tri!(json::Fields::new(value, path));)
    } else {
        quote!(let mut #reader = tri!(json::Fields::new(value, path));)
    };
    let from_body = quote! {
        #binding
        #(#reads)*
        Ok(Self { #(#idents),* })
    };
    wrap(name, usage, to_body, from_body)
}

/// The conversions of a newtype: as its inner value.
pub fn newtype_json(name: &syn::Ident, usage: &TypeUse) -> TokenStream {
    wrap(
        name,
        usage,
        quote!(self.0.to_json()),
        quote!(json::FromJson::from_json(value, path).map(Self)),
    )
}

/// The conversions of a union: each variant as itself; reading lets the discriminator pick a
/// variant, tries the variants it cannot pick in order, and keeps anything else in the last
/// variant.
pub fn union_json(name: &syn::Ident, u: &UnionDef, usage: &TypeUse) -> TokenStream {
    let other = format_ident!("{}", u.other);
    let idents: Vec<_> = u
        .variants
        .iter()
        .map(|v| format_ident!("{}", v.ident))
        .collect();
    let to_body = quote! {
        match self {
            #(Self::#idents(v) => v.to_json(),)*
            Self::#other(v) => v.clone(),
        }
    };
    // What a value the discriminator does not pick falls back to: the variants it has no
    // value for when declared, every variant when inferred (as in a union without one).
    let source = u.discriminator.as_ref().map(|d| d.source);
    let tries: Vec<TokenStream> = u
        .variants
        .iter()
        .filter(|v| match source {
            None | Some(DiscriminatorSource::Inferred) => true,
            Some(DiscriminatorSource::Declared) => v.tags.is_empty(),
        })
        .map(|v| {
            let ident = format_ident!("{}", v.ident);
            let ty = ty_tokens(&v.ty, Scope::Types);
            quote! {
                if let Some(v) = json::attempt::<#ty>(&value, path) {
                    return Ok(Self::#ident(v));
                }
            }
        })
        .collect();
    let from_body = match &u.discriminator {
        Some(d) if tries.is_empty() => {
            let prop = &d.property;
            let arms = tag_arms(u, &quote!());
            quote! {
                match json::tag(&value, #prop) {
                    #(#arms)*
                    _ => Ok(Self::#other(value)),
                }
            }
        }
        discriminator => {
            let arms = match discriminator {
                Some(_) => tag_arms(u, &quote!(return)),
                None => Vec::new(),
            };
            let pick = match (discriminator, arms.is_empty()) {
                (Some(d), false) => {
                    let prop = &d.property;
                    quote! {
                        match json::tag(&value, #prop) {
                            #(#arms)*
                            _ => {}
                        }
                    }
                }
                _ => quote!(),
            };
            let unused_path = if tries.is_empty() && arms.is_empty() {
                quote!(let _ = path;)
            } else {
                quote!()
            };
            quote! {
                #unused_path
                #pick
                #(#tries)*
                Ok(Self::#other(value))
            }
        }
    };
    wrap(name, usage, to_body, from_body)
}

/// The discriminator's arms, one per set of variants a value selects, in the order the
/// variants first name them (values selecting the same variants share an arm). A value
/// selecting one variant reads it; one selecting several (an inferred discriminator whose
/// members share a value) tries them in order and reads the last, so a value that fits none
/// fails naming what the last one misses. `ret` is `return` when code follows the match.
fn tag_arms(u: &UnionDef, ret: &TokenStream) -> Vec<TokenStream> {
    let mut arms: Vec<(Vec<&str>, Vec<usize>)> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for tag in u.variants.iter().flat_map(|v| &v.tags) {
        if !seen.insert(tag.as_str()) {
            continue;
        }
        let picked: Vec<usize> = (0..u.variants.len())
            .filter(|&i| u.variants[i].tags.contains(tag))
            .collect();
        match arms.iter_mut().find(|(_, p)| *p == picked) {
            Some((values, _)) => values.push(tag),
            None => arms.push((vec![tag], picked)),
        }
    }
    arms.into_iter()
        .map(|(values, picked)| {
            let (last, first) = picked.split_last().expect("a value picks a variant");
            let read = |i: usize| format_ident!("{}", u.variants[i].ident);
            let last = read(*last);
            let read_last = quote!(json::FromJson::from_json(value, path).map(Self::#last));
            if first.is_empty() {
                return quote!(Some(#(#values)|*) => #ret #read_last,);
            }
            let attempts = first.iter().map(|&i| {
                let ident = read(i);
                let ty = ty_tokens(&u.variants[i].ty, Scope::Types);
                quote! {
                    if let Some(v) = json::attempt::<#ty>(&value, path) {
                        return Ok(Self::#ident(v));
                    }
                }
            });
            quote!(Some(#(#values)|*) => { #(#attempts)* #ret #read_last },)
        })
        .collect()
}

/// `ToJson` of an operation's params struct whose fields are the JSON body: the body fields
/// only (path, query and header parameters travel elsewhere), a flattened one first as in
/// [`struct_json`].
pub fn params_to_json(name: &syn::Ident, body_fields: &[&Field]) -> TokenStream {
    let flattened = body_fields.iter().filter(|f| f.flatten);
    let named = body_fields.iter().filter(|f| !f.flatten);
    let writes = flattened.chain(named).map(|f| field_write(f));
    quote! {
        impl json::ToJson for #name {
            #[inline]
            fn to_json(&self) -> serde_json::Value {
                let mut object = json::Object::new();
                #(#writes)*
                object.finish()
            }
        }
    }
}
