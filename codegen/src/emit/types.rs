//! `types.rs`: a Rust item per named type (struct, string enum, union, alias), the params
//! struct of every operation, and the compiled patterns.

use super::docs::{constraint_doc, doc_attrs, docs, sanitize_doc};
use super::format;
use super::gates::{cfg_attr, cfg_line, gate_items};
use super::json::{newtype_json, params_json, struct_json, union_json};
use super::ty::{ty_tokens, Scope};
use super::validate::{field_validation, pattern_fns, union_arm_checks, validate_impl};
use crate::model::{
    BodyKind, DiscriminatorSource, EnumDef, Field, Location, Model, Operation, StructDef, Ty,
    TypeDef, TypeKind, TypeUse, UnionDef, UnionVariant, ADDITIONAL_FIELD,
};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// `types.rs`: every schema type, params struct and result alias.
pub fn types_file(model: &Model) -> Result<String, String> {
    let mut out = format(quote! {
        //! Request and response types, with the constraints of the API description.
        // Which of these a crate needs depends on its spec.
        #[allow(unused_imports)]
        use crate::validate::{self as check, Validate};
        #[allow(unused_imports)]
        use crate::path::FieldPath;
        #[allow(unused_imports)]
        use crate::json::{self, ToJson as _};
    })?;
    // Each type is compiled with the features that reach it, and derives and validates only
    // what its use needs (model/features.rs).
    for t in &model.types {
        let gate = [model.gates.type_gate(&t.name)];
        let usage = model.gates.type_use(&t.name);
        let attr = cfg_attr(&gate);
        let tokens = match &t.kind {
            TypeKind::Struct(s) => struct_def(t, s, &usage),
            TypeKind::Enum(e) => {
                out.push_str(&cfg_line(&gate));
                out.push_str(&enum_text(t, e));
                continue;
            }
            TypeKind::Union(u) => union_def(t, u, &usage),
            TypeKind::Alias(ty) => alias_def(t, ty),
            TypeKind::Newtype(ty) => newtype_def(t, ty, &usage),
        };
        out.push_str(&format(gate_items(tokens, &attr)?)?);
    }
    for op in &model.operations {
        // An operation shares a params struct only within its top-level resource, so the
        // struct's gate is every sharer's.
        let gate = model.gates.operation_gate(op);
        let tokens = match op.params_same_as {
            Some(original) => params_alias(op, model.operation(original), model),
            None => params_def(op, model),
        };
        out.push_str(&format(gate_items(tokens, &cfg_attr(&[gate]))?)?);
    }
    out.push_str(&format(pattern_fns(&model.patterns))?);
    Ok(out)
}

fn field_tokens(f: &Field) -> TokenStream {
    let ident = format_ident!("{}", f.ident);
    let ty = ty_tokens(&f.ty, Scope::Types);
    let doc = docs(f.doc.as_deref(), &constraint_doc(&f.constraints));
    quote! {
        #doc
        pub #ident: #ty,
    }
}

fn struct_def(t: &TypeDef, s: &StructDef, usage: &TypeUse) -> TokenStream {
    let name = format_ident!("{}", t.name);
    let doc = docs(t.doc.as_deref(), &[]);
    let fields = s.fields.iter().map(field_tokens);
    let extra = s.additional.as_ref().map(|ty| {
        let ty = ty_tokens(ty, Scope::Types);
        let field = format_ident!("{}", ADDITIONAL_FIELD);
        quote! {
            /// Properties not named above, kept as sent.
            pub #field: std::collections::BTreeMap<String, #ty>,
        }
    });
    let default = if s.defaultable {
        quote!(Default,)
    } else {
        quote!()
    };
    let checks: TokenStream = s
        .fields
        .iter()
        .map(|f| {
            let ident = format_ident!("{}", f.ident);
            field_validation(quote!(self.#ident), f)
        })
        .collect();
    // Only what is sent is validated.
    let validate = if usage.sent {
        validate_impl(&name, checks)
    } else {
        quote!()
    };
    let json = struct_json(&name, s, usage);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #default)]
        pub struct #name {
            #(#fields)*
            #extra
        }
        #json
        #validate
    }
}

fn union_def(t: &TypeDef, u: &UnionDef, usage: &TypeUse) -> TokenStream {
    let name = format_ident!("{}", t.name);
    let extra = union_doc(u);
    let doc = docs(t.doc.as_deref(), &[extra]);
    let idents: Vec<_> = u
        .variants
        .iter()
        .map(|v| format_ident!("{}", v.ident))
        .collect();
    let tys: Vec<_> = u
        .variants
        .iter()
        .map(|v| ty_tokens(&v.ty, Scope::Types))
        .collect();
    let variant_docs = u.variants.iter().map(|v| variant_doc(u, v));
    let other = format_ident!("{}", u.other);
    let arm_checks: Vec<TokenStream> = u.variants.iter().map(union_arm_checks).collect();
    let validate_arms = u.variants.iter().zip(&arm_checks).map(|(v, checks)| {
        let ident = format_ident!("{}", v.ident);
        let nested = if v.ty.has_named() {
            quote!(Validate::validate_at(v, path)?;)
        } else {
            quote!()
        };
        if checks.is_empty() && nested.is_empty() {
            quote!(Self::#ident(_) => Ok(()),)
        } else {
            quote!(Self::#ident(v) => { #checks #nested Ok(()) })
        }
    });
    // Arms that check nothing ignore their value, and then the path too.
    let uses_path = u
        .variants
        .iter()
        .zip(&arm_checks)
        .any(|(v, checks)| v.ty.has_named() || !checks.is_empty());
    let path_arg = if uses_path { quote!(path) } else { quote!(_) };
    let validate = if usage.sent {
        quote! {
        impl Validate for #name {
            #[inline]
            fn validate_at(&self, #path_arg: &FieldPath<'_>) -> Result<(), crate::error::ValidationError> {
                match self {
                    #(#validate_arms)*
                    Self::#other(_) => Ok(()),
                }
            }
        }
        }
    } else {
        quote!()
    };
    let json = union_json(&name, u, usage);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variant_docs #idents(#tys),)*
            /// A value of none of the documented shapes.
            #other(serde_json::Value),
        }
        #json
        #validate
    }
}

/// How a union's variant is picked, for its doc.
fn union_doc(u: &UnionDef) -> String {
    let other = &u.other;
    let Some(d) = &u.discriminator else {
        return format!(
            "Decoding tries each variant in order; a value matching none is kept in `{other}`."
        );
    };
    let p = &d.property;
    match d.source {
        DiscriminatorSource::Inferred => format!(
            "The `{p}` property tells the variants apart: each declares it with one value, and \
             that value selects the variant (several that share a value are tried in order). \
             Without it, or with a value no variant declares, decoding tries each variant in \
             order; a value matching none is kept in `{other}`."
        ),
        DiscriminatorSource::Declared if u.variants.iter().any(|v| v.tags.is_empty()) => {
            format!(
                "The `{p}` property selects the variant; the variants it has no value for are \
                 tried in order, and other values are kept in `{other}`."
            )
        }
        DiscriminatorSource::Declared => {
            format!("The `{p}` property selects the variant; other values are kept in `{other}`.")
        }
    }
}

/// A variant's doc: the discriminator values that select it, when there are any.
fn variant_doc(u: &UnionDef, v: &UnionVariant) -> TokenStream {
    match &u.discriminator {
        Some(d) if !v.tags.is_empty() => {
            let values: Vec<String> = v
                .tags
                .iter()
                .map(|t| code_span(&format!("{t:?}")))
                .collect();
            doc_attrs(&format!(
                "Selected by `{}`: {}.",
                d.property,
                values.join(" or ")
            ))
        }
        _ => quote!(),
    }
}

/// `text` as inline code, delimited so that backticks inside it stay inside.
fn code_span(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

fn alias_def(t: &TypeDef, ty: &Ty) -> TokenStream {
    let name = format_ident!("{}", t.name);
    let doc = docs(t.doc.as_deref(), &[]);
    let ty = ty_tokens(ty, Scope::Types);
    quote! {
        #doc
        pub type #name = #ty;
    }
}

fn newtype_def(t: &TypeDef, ty: &Ty, usage: &TypeUse) -> TokenStream {
    let name = format_ident!("{}", t.name);
    let doc = docs(t.doc.as_deref(), &[]);
    let inner = ty_tokens(ty, Scope::Types);
    let validate = if ty.has_named() {
        quote!(Validate::validate_at(&self.0, path))
    } else {
        quote!(Ok(()))
    };
    let path_arg = if ty.has_named() {
        quote!(path)
    } else {
        quote!(_)
    };
    let validate = if usage.sent {
        quote! {
            impl Validate for #name {
                #[inline]
                fn validate_at(&self, #path_arg: &FieldPath<'_>) -> Result<(), crate::error::ValidationError> {
                    #validate
                }
            }
        }
    } else {
        quote!()
    };
    let json = newtype_json(&name, ty, usage);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct #name(pub #inner);
        #json
        #validate
    }
}

/// A string enum as a `string_enum!` invocation, laid out by hand (formatters leave macro
/// bodies alone).
fn enum_text(t: &TypeDef, e: &EnumDef) -> String {
    let mut doc = t.doc.as_deref().map(sanitize_doc).unwrap_or_default();
    if !doc.is_empty() {
        doc.push_str("\n\n");
    }
    doc.push_str(
        "Values this crate does not know are kept in the last variant; they are never sent.",
    );
    let mut out = String::from("string_enum! {\n");
    for line in doc.lines() {
        out.push_str(&format!(
            "    ///{}{line}\n",
            if line.is_empty() { "" } else { " " }
        ));
    }
    out.push_str(&format!("    {}, {}, [\n", t.name, e.other));
    for v in &e.variants {
        let wire = Literal::string(&v.wire).to_string();
        out.push_str(&format!(
            "        /// `{wire}`\n        {} = {wire},\n",
            v.ident
        ));
    }
    out.push_str("    ]\n}\n");
    out
}

fn location_word(l: Location) -> &'static str {
    match l {
        Location::Path => "Path",
        Location::Query => "Query",
        Location::Header => "Header",
        Location::Cookie => "Cookie",
        Location::Body => "Body",
    }
}

/// The first line of a params type's doc: the method it is for.
fn params_doc(op: &Operation, model: &Model) -> String {
    format!(
        " Parameters of [`{}`](crate::resources::{}::{}).",
        op.method,
        model.resource(op.resource).type_name,
        op.method
    )
}

/// The params type of an operation whose params equal an earlier one's: an alias of its struct.
fn params_alias(op: &Operation, original: &Operation, model: &Model) -> TokenStream {
    let name = format_ident!("{}", op.params_type);
    let target = format_ident!("{}", original.params_type);
    let doc = docs(
        Some(params_doc(op, model).trim_start()),
        &[format!("The same struct as [`{}`].", original.params_type)],
    );
    quote! {
        #doc
        pub type #name = #target;
    }
}

/// The params struct of an operation.
fn params_def(op: &Operation, model: &Model) -> TokenStream {
    let name = format_ident!("{}", op.params_type);
    let serializes = op.body == BodyKind::JsonFields;
    let fields = op.fields().map(|(f, location)| {
        let mut f = f.clone();
        let prefix = format!("{} param", location_word(location));
        f.doc = Some(match &f.doc {
            Some(d) => format!("{prefix}: {d}"),
            None => format!("{prefix} `{}`.", f.wire),
        });
        field_tokens(&f)
    });
    let checks = op.fields().map(|(f, _)| {
        let ident = format_ident!("{}", f.ident);
        field_validation(quote!(self.#ident), f)
    });
    let validate = validate_impl(&name, quote!(#(#checks)*));
    let all_fields: Vec<Field> = op.fields().map(|(f, _)| f.clone()).collect();
    let body_fields: Vec<&Field> = op
        .params
        .iter()
        .filter(|p| p.location == Location::Body)
        .map(|p| &p.field)
        .collect();
    let json = params_json(
        &name,
        &all_fields,
        serializes.then_some(body_fields.as_slice()),
    );
    let default = if op.params_defaultable {
        quote!(Default,)
    } else {
        quote!()
    };
    let doc = params_doc(op, model);
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, #default)]
        pub struct #name {
            #(#fields)*
        }
        #json
        #validate
    }
}
