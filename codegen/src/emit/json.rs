//! The JSON conversions of each type shape, both directions on every type: a `json::Visitor`
//! that reads it in one pass over the bytes, a `json::ToJson` that writes it in declared order,
//! and the `serde` impls that go through them (`runtime/json.rs` says why these replace
//! `#[derive(Serialize, Deserialize)]`), plus the JSON body of an operation's params.

use super::ty::{ty_tokens, Scope};
use crate::model::{
    DiscriminatorSource, Field, StructDef, Ty, TypeUse, UnionDef, ADDITIONAL_FIELD,
};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The cargo feature that gives every type both directions: without it a type is read only
/// when a response reaches it and written only when a request does (tests get both).
pub const BOTH_WAYS: &str = "serde-both-ways";

/// The `cfg` of a direction a type needs (`used`: none) or has only with [`BOTH_WAYS`].
fn direction(used: bool) -> TokenStream {
    if used {
        quote!()
    } else {
        quote!(#[cfg(any(test, feature = #BOTH_WAYS))])
    }
}

/// A type's reader, writer and serde impls, each direction under [`direction`]. The
/// conversions are `#[inline]` so that their machine code is generated where they are used, as
/// for the operation methods (emit/resources.rs).
fn wrap(
    name: &syn::Ident,
    usage: &TypeUse,
    reader: TokenStream,
    writer: TokenStream,
) -> TokenStream {
    let (read, write) = (direction(usage.received), direction(usage.sent));
    quote! {
        #read
        impl json::Visitor for Option<#name> {
            #reader
        }
        #read
        serde_via_json!(Deserialize #name);
        #write
        impl json::ToJson for #name {
            #[inline]
            fn write_json(&self, out: &mut json::Writer) {
                #writer
            }
        }
        #write
        serde_via_json!(Serialize #name);
    }
}

/// The `visit` method of a reader, and `wants_text` when the type reads its value as text.
fn visit_fn(body: TokenStream, wants_text: bool) -> TokenStream {
    let wants_text = if wants_text {
        quote! {
            #[inline]
            fn wants_text(&self) -> bool {
                true
            }
        }
    } else {
        quote!()
    };
    quote! {
        #[inline]
        fn visit(&mut self, event: json::Event<'_>, at: &FieldPath<'_>) -> json::Result<()> {
            #body
        }
        #wants_text
    }
}

/// The local a named field is read into.
fn slot(i: usize) -> syn::Ident {
    format_ident!("f{}", i)
}

/// How the named (not flattened) fields of a struct are read: the slot of each, the loop over
/// the object's properties (`fields`), and each field's value for the struct literal. A field
/// is read as `None` when absent or `null` if its type is an `Option`, and must be present
/// otherwise; unknown properties are skipped, or kept when the struct has `additional`.
struct NamedReads {
    slots: Vec<TokenStream>,
    read_loop: TokenStream,
    values: Vec<TokenStream>,
}

fn named_reads(named: &[&Field], additional: bool) -> NamedReads {
    let mut slots = Vec::new();
    let mut arms = Vec::new();
    let mut values = Vec::new();
    for (i, f) in named.iter().enumerate() {
        let local = slot(i);
        let i = proc_macro2::Literal::usize_unsuffixed(i);
        let ident = format_ident!("{}", f.ident);
        let wire = &f.wire;
        match &f.ty {
            Ty::Option(inner) => {
                let inner = ty_tokens(inner, Scope::Types);
                slots.push(quote!(let mut #local = None::<#inner>;));
                arms.push(quote!(#i => fields.optional(&mut #local),));
                values.push(quote!(#ident: #local));
            }
            ty => {
                let ty = ty_tokens(ty, Scope::Types);
                slots.push(quote!(let mut #local = None::<#ty>;));
                arms.push(quote!(#i => fields.value(&mut #local),));
                values.push(quote!(#ident: tri!(json::required(#local, #wire, at))));
            }
        }
    }
    let unknown = if additional {
        let rest = format_ident!("{}", ADDITIONAL_FIELD);
        slots.push(quote!(let mut #rest = std::collections::BTreeMap::new();));
        values.push(quote!(#rest));
        quote!(json::entry(fields, &mut #rest))
    } else {
        quote!(fields.skip())
    };
    let wires = named.iter().map(|f| &f.wire);
    let read_loop = if arms.is_empty() {
        quote! {
            while tri!(fields.next(&[])).is_some() {
                tri!(#unknown);
            }
        }
    } else {
        quote! {
            const NAMES: &[&str] = &[#(#wires),*];
            while let Some(i) = tri!(fields.next(NAMES)) {
                let read = match i {
                    #(#arms)*
                    _ => #unknown,
                };
                tri!(read);
            }
        }
    };
    NamedReads {
        slots,
        read_loop,
        values,
    }
}

/// How a struct field is written into its object.
fn field_write(f: &Field) -> TokenStream {
    let ident = format_ident!("{}", f.ident);
    let wire = &f.wire;
    if matches!(f.ty, Ty::Option(_)) && !f.required {
        quote!(object.field_some(#wire, &self.#ident);)
    } else {
        quote!(object.field(#wire, &self.#ident);)
    }
}

/// The writer of an object's fields: the named ones in declared order, then the flattened
/// ones' properties but those the named fields wrote (a named field left `None` lets the
/// flattened member's value through), then the unknown properties.
fn object_writes(fields: &[&Field], additional: bool) -> TokenStream {
    let named: Vec<&Field> = fields.iter().copied().filter(|f| !f.flatten).collect();
    let writes = named.iter().map(|f| field_write(f));
    let written: Vec<TokenStream> = named
        .iter()
        .map(|f| {
            let (wire, ident) = (&f.wire, format_ident!("{}", f.ident));
            quote!((#wire, &self.#ident))
        })
        .collect();
    let flattens = fields.iter().filter(|f| f.flatten).map(|f| {
        let ident = format_ident!("{}", f.ident);
        quote!(object.flatten(&self.#ident, &[#(#written),*]);)
    });
    let rest = if additional {
        let rest = format_ident!("{}", ADDITIONAL_FIELD);
        quote!(object.entries(&self.#rest);)
    } else {
        quote!()
    };
    if fields.is_empty() && !additional {
        return quote!(out.object().end(););
    }
    quote! {
        let mut object = out.object();
        #(#writes)*
        #(#flattens)*
        #rest
        object.end();
    }
}

/// The reader of a struct. Without flattened fields, one pass over the object. With them (the
/// union of an `allOf`), each flattened field is read from the whole object first (its members
/// may declare properties the object declares too, or pick their variant by one), then the
/// named fields and the unknown properties from the same text.
fn struct_reader(name: &syn::Ident, s: &StructDef) -> TokenStream {
    let named: Vec<&Field> = s.fields.iter().filter(|f| !f.flatten).collect();
    let flattened: Vec<&Field> = s.fields.iter().filter(|f| f.flatten).collect();
    let NamedReads {
        slots,
        read_loop,
        mut values,
    } = named_reads(&named, s.additional.is_some());
    if flattened.is_empty() {
        return visit_fn(
            quote! {
                let fields = tri!(json::object(event, at));
                #(#slots)*
                #read_loop
                *self = Some(#name { #(#values),* });
                Ok(())
            },
            false,
        );
    }
    let mut flat_reads = Vec::new();
    for (i, f) in flattened.iter().enumerate() {
        let local = format_ident!("g{}", i);
        let ident = format_ident!("{}", f.ident);
        flat_reads.push(quote!(let #local = tri!(json::from_text(&text, at));));
        values.push(quote!(#ident: #local));
    }
    visit_fn(
        quote! {
            let text = tri!(json::text(event, at));
            #(#flat_reads)*
            #(#slots)*
            tri!(json::read_object(&text, at, &mut |fields: &mut dyn json::Fields| {
                #read_loop
                Ok(())
            }));
            *self = Some(#name { #(#values),* });
            Ok(())
        },
        true,
    )
}

/// The conversions of a struct.
pub fn struct_json(name: &syn::Ident, s: &StructDef, usage: &TypeUse) -> TokenStream {
    let fields: Vec<&Field> = s.fields.iter().collect();
    wrap(
        name,
        usage,
        struct_reader(name, s),
        object_writes(&fields, s.additional.is_some()),
    )
}

/// The conversions of a newtype: as its inner value.
pub fn newtype_json(name: &syn::Ident, ty: &Ty, usage: &TypeUse) -> TokenStream {
    let ty = ty_tokens(ty, Scope::Types);
    let reader = visit_fn(
        quote! {
            let mut inner = None::<#ty>;
            tri!(json::Visitor::visit(&mut inner, event, at));
            *self = inner.map(#name);
            Ok(())
        },
        false,
    );
    wrap(name, usage, reader, quote!(self.0.write_json(out);))
}

/// The conversions of a union: each variant as itself. Reading looks at the value's text: the
/// discriminator picks a variant, the variants it cannot pick are tried in order, and anything
/// else is kept in the last variant.
pub fn union_json(name: &syn::Ident, u: &UnionDef, usage: &TypeUse) -> TokenStream {
    let other = format_ident!("{}", u.other);
    let idents: Vec<_> = u
        .variants
        .iter()
        .map(|v| format_ident!("{}", v.ident))
        .collect();
    let writer = quote! {
        match self {
            #(Self::#idents(v) => v.write_json(out),)*
            Self::#other(v) => v.write_json(out),
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
                if let Some(v) = json::attempt::<#ty>(text, at) {
                    break 'read #name::#ident(v);
                }
            }
        })
        .collect();
    let keep = quote!(#name::#other(json::other(text)));
    let (value, labelled) = match &u.discriminator {
        Some(d) if tries.is_empty() => {
            let prop = &d.property;
            let arms = tag_arms(name, u, false);
            let labelled = arms.iter().any(|a| a.breaks);
            let arms = arms.into_iter().map(|a| a.tokens);
            let value = quote! {
                match json::tag(text, #prop).as_deref() {
                    #(#arms)*
                    _ => #keep,
                }
            };
            (value, labelled)
        }
        discriminator => {
            let arms = match discriminator {
                Some(_) => tag_arms(name, u, true),
                None => Vec::new(),
            };
            let labelled = !arms.is_empty() || !tries.is_empty();
            let pick = match discriminator {
                Some(d) if !arms.is_empty() => {
                    let prop = &d.property;
                    let arms = arms.into_iter().map(|a| a.tokens);
                    quote! {
                        match json::tag(text, #prop).as_deref() {
                            #(#arms)*
                            _ => {}
                        }
                    }
                }
                _ => quote!(),
            };
            let value = quote! {
                #pick
                #(#tries)*
                #keep
            };
            (value, labelled)
        }
    };
    let value = if labelled {
        quote!('read: { #value })
    } else {
        quote!({ #value })
    };
    let reader = visit_fn(
        quote! {
            let text = tri!(json::text(event, at));
            let text: &str = &text;
            *self = Some(#value);
            Ok(())
        },
        true,
    );
    wrap(name, usage, reader, writer)
}

/// One arm of a discriminator's `match`, and whether it leaves the labelled block early.
struct TagArm {
    tokens: TokenStream,
    breaks: bool,
}

/// The discriminator's arms, one per set of variants a value selects, in the order the
/// variants first name them (values selecting the same variants share an arm). A value
/// selecting one variant reads it; one selecting several (an inferred discriminator whose
/// members share a value) tries them in order and reads the last, so a value that fits none
/// fails naming what the last one misses. `more` is whether code follows the match (the arms
/// then leave the block with the value).
fn tag_arms(name: &syn::Ident, u: &UnionDef, more: bool) -> Vec<TagArm> {
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
    let ret = if more { quote!(break 'read) } else { quote!() };
    arms.into_iter()
        .filter_map(|(values, picked)| {
            let (last, first) = picked.split_last()?;
            let read = |i: usize| format_ident!("{}", u.variants[i].ident);
            let last = read(*last);
            let read_last = quote!(#name::#last(tri!(json::from_text(text, at))));
            if first.is_empty() {
                return Some(TagArm {
                    tokens: quote!(Some(#(#values)|*) => #ret #read_last,),
                    breaks: more,
                });
            }
            let attempts = first.iter().map(|&i| {
                let ident = read(i);
                let ty = ty_tokens(&u.variants[i].ty, Scope::Types);
                quote! {
                    if let Some(v) = json::attempt::<#ty>(text, at) {
                        break 'read #name::#ident(v);
                    }
                }
            });
            Some(TagArm {
                tokens: quote!(Some(#(#values)|*) => { #(#attempts)* #ret #read_last },),
                breaks: true,
            })
        })
        .collect()
}

/// The conversions of an operation's params struct: serde reads and writes every field by its
/// Rust name (with [`BOTH_WAYS`]) (path, query, header and body alike, as a derive would), and `json::BodyJson`
/// writes the JSON body, when the body fields are the body's properties (`body_fields`), by
/// their names on the wire, a flattened one's properties after the named ones as in
/// [`struct_json`].
pub fn params_json(
    name: &syn::Ident,
    fields: &[Field],
    body_fields: Option<&[&Field]>,
) -> TokenStream {
    let s = StructDef {
        fields: fields
            .iter()
            .map(|f| Field {
                wire: f.ident.trim_start_matches("r#").to_owned(),
                flatten: false,
                ..f.clone()
            })
            .collect(),
        additional: None,
        defaultable: false,
    };
    let by_name_refs: Vec<&Field> = s.fields.iter().collect();
    // Params are never received; serde reads and writes them only with the feature.
    let neither = TypeUse::default();
    let serde = wrap(
        name,
        &neither,
        struct_reader(name, &s),
        object_writes(&by_name_refs, false),
    );
    let body = match body_fields {
        Some(body_fields) => {
            let writes = object_writes(body_fields, false);
            quote! {
                impl json::BodyJson for #name {
                    #[inline]
                    fn write_body(&self, out: &mut json::Writer) {
                        #writes
                    }
                }
            }
        }
        None => quote!(),
    };
    quote! {
        #serde
        #body
    }
}
