//! Tokens: turns the model into Rust items (types, validation, resources, tests).

use crate::model::{
    BodyKind, Constraints, Example, Field, Location, Model, Operation, Resource, ResponseKind,
    Segment, Ty, TypeDef, TypeKind,
};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use std::sync::LazyLock;

/// The type's tokens; named types are referred to unqualified (`types.rs` scope).
pub fn ty_tokens(ty: &Ty) -> TokenStream {
    ty_tokens_in(ty, false)
}

/// The type's tokens; with `qualify`, named types as `crate::types::Name` (other modules).
pub fn ty_tokens_in(ty: &Ty, qualify: bool) -> TokenStream {
    let inner = |t: &Ty| ty_tokens_in(t, qualify);
    match ty {
        Ty::String => quote!(String),
        Ty::Bool => quote!(bool),
        Ty::I32 => quote!(i32),
        Ty::I64 => quote!(i64),
        Ty::F64 => quote!(f64),
        Ty::DateTime => quote!(chrono::DateTime<chrono::Utc>),
        Ty::Date => quote!(chrono::NaiveDate),
        Ty::Bytes => quote!(bytes::Bytes),
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
            if qualify {
                quote!(crate::types::#n)
            } else {
                quote!(#n)
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

static DOC_TOKENS: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"\[[^\]\n]*\]\([^)\s]*\)|https?://[^\s<>()\[\]`]+|[\[\]<>]")
        .expect("a valid constant regex")
});

/// Spec text made safe for rustdoc: no doctests from code fences or indentation, no broken
/// intra-doc links or HTML tags, bare URLs as links.
pub fn sanitize_doc(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            if !in_fence {
                out.push("```text".to_owned());
            } else {
                out.push("```".to_owned());
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(line.to_owned());
            continue;
        }
        let escaped = DOC_TOKENS.replace_all(trimmed.trim_end(), |c: &regex::Captures<'_>| {
            let m = &c[0];
            match m {
                "[" => "\\[".to_owned(),
                "]" => "\\]".to_owned(),
                "<" => "&lt;".to_owned(),
                ">" => "&gt;".to_owned(),
                link if link.starts_with('[') => link.to_owned(),
                url => {
                    let url_end = url.trim_end_matches(['.', ',', ';', ':', '\'', '"']);
                    format!("<{url_end}>{}", &url[url_end.len()..])
                }
            }
        });
        out.push(escaped.into_owned());
    }
    if in_fence {
        out.push("```".to_owned());
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.join("\n")
}

/// `#[doc]` attributes for `text`, one per line.
pub fn doc_attrs(text: &str) -> TokenStream {
    let lines = text.lines().map(|l| {
        let l = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#[doc = #l])
    });
    quote!(#(#lines)*)
}

fn docs(doc: Option<&str>, extra: &[String]) -> TokenStream {
    let mut text = doc.map(sanitize_doc).unwrap_or_default();
    for e in extra {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(e);
    }
    doc_attrs(&text)
}

fn constraint_doc(c: &Constraints) -> Vec<String> {
    let described = c.describe();
    if described.is_empty() {
        Vec::new()
    } else {
        vec![format!(
            "Constraints: {}.",
            sanitize_doc(&described.join(", "))
        )]
    }
}

fn lit_f64(v: f64) -> Literal {
    Literal::f64_unsuffixed(v)
}

fn lit_usize(v: usize) -> Literal {
    Literal::usize_unsuffixed(v)
}

/// A value being checked: `by_ref` is an expression of type `&T`, `by_val` one of type `T`
/// (used for `Copy` numbers), so no emitted expression is a needless `&*` or `*&`.
struct Checked {
    by_ref: TokenStream,
    by_val: TokenStream,
    /// The value as the receiver of a method call (`self.x.iter()`, `v.iter()`).
    receiver: TokenStream,
}

impl Checked {
    /// A place such as `self.x`.
    fn place(place: TokenStream) -> Self {
        Checked {
            by_ref: quote!(&#place),
            by_val: place.clone(),
            receiver: place,
        }
    }

    /// A binding of type `&T`.
    fn binding(name: &syn::Ident) -> Self {
        Checked {
            by_ref: quote!(#name),
            by_val: quote!(*#name),
            receiver: quote!(#name),
        }
    }
}

/// Where the checked value sits: a `FieldPath` value or a `&FieldPath`.
#[derive(Clone)]
enum At {
    Value(TokenStream),
    Ref(TokenStream),
}

impl At {
    fn as_ref(&self) -> TokenStream {
        match self {
            At::Value(e) => quote!(&#e),
            At::Ref(e) => e.clone(),
        }
    }

    fn index(&self, i: &syn::Ident) -> At {
        let base = match self {
            At::Value(e) | At::Ref(e) => e,
        };
        At::Value(quote!(#base.index(#i)))
    }
}

/// Checks of the constraints on `v` (of type `ty`, never an `Option`) at `at`; `depth` keeps
/// the names of nested loops apart.
fn value_checks(
    ty: &Ty,
    c: &Constraints,
    patterns: &[String],
    v: &Checked,
    at: &At,
    depth: usize,
) -> TokenStream {
    let mut out = TokenStream::new();
    let (r, val, path) = (&v.by_ref, &v.by_val, at.as_ref());
    match ty {
        Ty::String => {
            if let Some(n) = c.min_length {
                let n = lit_usize(n);
                out.extend(quote!(check::min_length(#path, #r, #n)?;));
            }
            if let Some(n) = c.max_length {
                let n = lit_usize(n);
                out.extend(quote!(check::max_length(#path, #r, #n)?;));
            }
            if let Some(p) = &c.pattern {
                let idx = patterns.iter().position(|x| x == p).unwrap_or_default();
                let f = format_ident!("pattern_{}", idx);
                out.extend(quote!(check::pattern(#path, #r, #f(), #p)?;));
            }
        }
        Ty::I32 | Ty::I64 | Ty::F64 => {
            if *ty == Ty::F64 {
                out.extend(quote!(check::finite(#path, #val)?;));
            }
            if let Some((b, excl)) = c.minimum {
                let b = lit_f64(b);
                out.extend(quote!(check::minimum(#path, #val, #b, #excl)?;));
            }
            if let Some((b, excl)) = c.maximum {
                let b = lit_f64(b);
                out.extend(quote!(check::maximum(#path, #val, #b, #excl)?;));
            }
            if let Some(m) = c.multiple_of {
                let m = lit_f64(m);
                out.extend(quote!(check::multiple_of(#path, #val, #m)?;));
            }
            if !c.allowed.is_empty() {
                let values = c.allowed.iter().filter_map(|a| {
                    if *ty == Ty::F64 {
                        a.as_f64().map(|x| lit_f64(x).into_token_stream())
                    } else {
                        a.as_i64()
                            .map(|x| Literal::i64_unsuffixed(x).into_token_stream())
                    }
                });
                out.extend(quote!(check::one_of(#path, #r, &[#(#values),*])?;));
            }
        }
        Ty::Bool if !c.allowed.is_empty() => {
            let values = c.allowed.iter().filter_map(|a| a.as_bool());
            out.extend(quote!(check::one_of(#path, #r, &[#(#values),*])?;));
        }
        Ty::Vec(item_ty) => {
            if let Some(n) = c.min_items {
                let n = lit_usize(n);
                out.extend(quote!(check::min_items(#path, #r, #n)?;));
            }
            if let Some(n) = c.max_items {
                let n = lit_usize(n);
                out.extend(quote!(check::max_items(#path, #r, #n)?;));
            }
            if c.unique_items {
                out.extend(quote!(check::unique_items(#path, #r)?;));
            }
            let item_c = c.items.as_deref().cloned().unwrap_or_default();
            let suffix = if depth == 0 {
                String::new()
            } else {
                depth.to_string()
            };
            let (i, item) = (format_ident!("i{suffix}"), format_ident!("item{suffix}"));
            let inner = optional_checks(
                Checked::binding(&item),
                item_ty,
                &item_c,
                patterns,
                &at.index(&i),
                depth + 1,
            );
            if !inner.is_empty() {
                let receiver = &v.receiver;
                out.extend(quote! {
                    for (#i, #item) in #receiver.iter().enumerate() {
                        #inner
                    }
                });
            }
        }
        Ty::Map(_) => {
            if let Some(n) = c.min_properties {
                let n = lit_usize(n);
                out.extend(quote!(check::min_properties(#path, #r, #n)?;));
            }
            if let Some(n) = c.max_properties {
                let n = lit_usize(n);
                out.extend(quote!(check::max_properties(#path, #r, #n)?;));
            }
        }
        _ => {}
    }
    out
}

use quote::ToTokens;

/// Checks for `value` of type `ty`, which may be an `Option` (checked when `Some`).
fn optional_checks(
    value: Checked,
    ty: &Ty,
    c: &Constraints,
    patterns: &[String],
    at: &At,
    depth: usize,
) -> TokenStream {
    let (base, optional) = match ty {
        Ty::Option(t) => (t.as_ref(), true),
        t => (t, false),
    };
    let base = match base {
        Ty::Boxed(t) => t.as_ref(),
        t => t,
    };
    if !optional {
        return value_checks(base, c, patterns, &value, at, depth);
    }
    let bound = format_ident!(
        "v{}",
        if depth == 0 {
            String::new()
        } else {
            depth.to_string()
        }
    );
    let checks = value_checks(base, c, patterns, &Checked::binding(&bound), at, depth);
    if checks.is_empty() {
        return checks;
    }
    let r = &value.by_ref;
    quote!(if let Some(#bound) = #r { #checks })
}

/// Checks of a union variant's own constraints, on the arm's binding `v` at `path`.
fn union_arm_checks(v: &crate::model::UnionVariant, patterns: &[String]) -> TokenStream {
    let binding = Checked::binding(&format_ident!("v"));
    optional_checks(
        binding,
        &v.ty,
        &v.constraints,
        patterns,
        &At::Ref(quote!(path)),
        0,
    )
}

/// Validation of one field: its own constraints, then the types inside it.
fn field_validation(access: TokenStream, f: &Field, patterns: &[String]) -> TokenStream {
    let wire = &f.wire;
    let at = At::Value(quote!(path.field(#wire)));
    let mut out = optional_checks(
        Checked::place(access.clone()),
        &f.ty,
        &f.constraints,
        patterns,
        &at,
        0,
    );
    if f.ty.has_named() {
        out.extend(quote!(Validate::validate_at(&#access, &path.field(#wire))?;));
    }
    out
}

fn validate_impl(name: &syn::Ident, body: TokenStream) -> TokenStream {
    if body.is_empty() {
        return quote!(always_valid!(#name););
    }
    let path_arg = quote!(path);
    quote! {
        impl Validate for #name {
            fn validate_at(&self, #path_arg: &FieldPath<'_>) -> Result<(), crate::error::ValidationError> {
                #body
                Ok(())
            }
        }
    }
}

/// What a field tells serde.
#[derive(Clone, Copy, PartialEq, Eq)]
enum SerdeAttrs {
    /// Its wire name and how absence is handled.
    Wire,
    /// Not part of the serialised form (path, query and header params).
    Skip,
    /// Nothing: the struct does not derive serde.
    None,
}

fn field_tokens(f: &Field, attrs: SerdeAttrs) -> TokenStream {
    let ident = format_ident!("{}", f.ident);
    let ty = ty_tokens(&f.ty);
    let doc = docs(f.doc.as_deref(), &constraint_doc(&f.constraints));
    let wire = &f.wire;
    let mut serde_args = Vec::new();
    if attrs == SerdeAttrs::Skip {
        serde_args.push(quote!(skip));
    } else if attrs == SerdeAttrs::Wire {
        if f.ident != *wire {
            serde_args.push(quote!(rename = #wire));
        }
        if matches!(f.ty, Ty::Option(_)) {
            serde_args.push(quote!(default));
            if !f.required {
                serde_args.push(quote!(skip_serializing_if = "Option::is_none"));
            }
        }
    }
    let serde = if serde_args.is_empty() {
        quote!()
    } else {
        quote!(#[serde(#(#serde_args),*)])
    };
    quote! {
        #doc
        #serde
        pub #ident: #ty,
    }
}

fn type_def(t: &TypeDef, patterns: &[String]) -> TokenStream {
    let name = format_ident!("{}", t.name);
    match &t.kind {
        TypeKind::Struct {
            fields,
            additional,
            defaultable,
        } => {
            let doc = docs(t.doc.as_deref(), &[]);
            let fs = fields.iter().map(|f| field_tokens(f, SerdeAttrs::Wire));
            let extra = additional.as_ref().map(|ty| {
                let ty = ty_tokens(ty);
                quote! {
                    /// Properties not named above, kept as sent.
                    #[serde(flatten)]
                    pub additional_properties: std::collections::BTreeMap<String, #ty>,
                }
            });
            let default = if *defaultable {
                quote!(Default,)
            } else {
                quote!()
            };
            let checks: TokenStream = fields
                .iter()
                .map(|f| {
                    let ident = format_ident!("{}", f.ident);
                    field_validation(quote!(self.#ident), f, patterns)
                })
                .collect();
            let validate = validate_impl(&name, checks);
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, #default serde::Serialize, serde::Deserialize)]
                pub struct #name {
                    #(#fs)*
                    #extra
                }
                #validate
            }
        }
        TypeKind::Enum { .. } => unreachable!("string enums are emitted as text by enum_text"),
        TypeKind::Union {
            variants,
            discriminator,
            other,
        } => {
            let extra = match discriminator {
                Some(p) => format!("The `{p}` property selects the variant; other values are kept in `{other}`."),
                None => format!("Decoding tries each variant in order; a value matching none is kept in `{other}`."),
            };
            let doc = docs(t.doc.as_deref(), &[extra]);
            let idents: Vec<_> = variants
                .iter()
                .map(|v| format_ident!("{}", v.ident))
                .collect();
            let tys: Vec<_> = variants.iter().map(|v| ty_tokens(&v.ty)).collect();
            let other = format_ident!("{}", other);
            let validate_arms: Vec<TokenStream> = variants
                .iter()
                .map(|v| {
                    let ident = format_ident!("{}", v.ident);
                    let checks = union_arm_checks(v, patterns);
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
                })
                .collect();
            // Arms that check nothing ignore their value, and then the path too.
            let uses_path = variants
                .iter()
                .any(|v| v.ty.has_named() || !union_arm_checks(v, patterns).is_empty());
            let path_arg = if uses_path { quote!(path) } else { quote!(_) };
            let (derive_de, custom_de) = match discriminator {
                None => (quote!(serde::Deserialize,), quote!()),
                Some(prop) => {
                    let arms = variants.iter().filter(|v| !v.tags.is_empty()).map(|v| {
                        let ident = format_ident!("{}", v.ident);
                        let tags = &v.tags;
                        quote! {
                            Some(#(#tags)|*) => serde_json::from_value(value).map(Self::#ident).map_err(serde::de::Error::custom),
                        }
                    });
                    (
                        quote!(),
                        quote! {
                            impl<'de> serde::Deserialize<'de> for #name {
                                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                                    let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                                    let tag = value.get(#prop).and_then(serde_json::Value::as_str).map(str::to_owned);
                                    match tag.as_deref() {
                                        #(#arms)*
                                        _ => Ok(Self::#other(value)),
                                    }
                                }
                            }
                        },
                    )
                }
            };
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, serde::Serialize, #derive_de)]
                #[serde(untagged)]
                pub enum #name {
                    #(#idents(#tys),)*
                    /// A value of none of the documented shapes.
                    #other(serde_json::Value),
                }
                #custom_de
                impl Validate for #name {
                    fn validate_at(&self, #path_arg: &FieldPath<'_>) -> Result<(), crate::error::ValidationError> {
                        match self {
                            #(#validate_arms)*
                            Self::#other(_) => Ok(()),
                        }
                    }
                }
            }
        }
        TypeKind::Alias(ty) => {
            let doc = docs(t.doc.as_deref(), &[]);
            let ty = ty_tokens(ty);
            quote! {
                #doc
                pub type #name = #ty;
            }
        }
    }
}

fn location_word(l: Location) -> &'static str {
    match l {
        Location::Path => "Path",
        Location::Query => "Query",
        Location::Header => "Header",
        Location::Body => "Body",
    }
}

/// The params struct of an operation.
fn params_def(op: &Operation, patterns: &[String]) -> TokenStream {
    let name = format_ident!("{}", op.params_type);
    let serializes = op.body == BodyKind::JsonFields;
    let fields = op.params.iter().map(|p| {
        let mut f = p.field.clone();
        let prefix = format!("{} param", location_word(p.location));
        f.doc = Some(match &f.doc {
            Some(d) => format!("{prefix}: {d}"),
            None => format!("{prefix} `{}`.", f.wire),
        });
        let attrs = match (serializes, p.location) {
            (false, _) => SerdeAttrs::None,
            (true, Location::Body) => SerdeAttrs::Wire,
            (true, _) => SerdeAttrs::Skip,
        };
        field_tokens(&f, attrs)
    });
    let checks = op.params.iter().map(|p| {
        let ident = format_ident!("{}", p.field.ident);
        field_validation(quote!(self.#ident), &p.field, patterns)
    });
    let validate = validate_impl(&name, quote!(#(#checks)*));
    let derive_ser = if serializes {
        quote!(serde::Serialize,)
    } else {
        quote!()
    };
    let default = if op.params_defaultable {
        quote!(Default,)
    } else {
        quote!()
    };
    let doc = format!(
        " Parameters of [`{}`](crate::resources::{}::{}).",
        op.method, op.resource_type, op.method
    );
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, #default #derive_ser)]
        pub struct #name {
            #(#fields)*
        }
        #validate
    }
}

fn pattern_fns(patterns: &[String]) -> TokenStream {
    let fns = patterns.iter().enumerate().map(|(i, p)| {
        let f = format_ident!("pattern_{}", i);
        let doc = format!(" Compiled `pattern` {p:?}.");
        quote! {
            #[doc = #doc]
            fn #f() -> &'static regex::Regex {
                static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
                RE.get_or_init(|| regex::Regex::new(#p).expect("the generator checked this pattern"))
            }
        }
    });
    quote!(#(#fns)*)
}

/// A string enum as a `string_enum!` invocation, laid out by hand (formatters leave macro
/// bodies alone).
fn enum_text(t: &TypeDef, variants: &[crate::model::Variant], other: &str) -> String {
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
    out.push_str(&format!("    {}, {other}, [\n", t.name));
    for v in variants {
        let wire = Literal::string(&v.wire).to_string();
        out.push_str(&format!(
            "        /// `{wire}`\n        {} = {wire},\n",
            v.ident
        ));
    }
    out.push_str("    ]\n}\n");
    out
}

/// `types.rs`: every schema type, params struct and result alias.
pub fn types_file(model: &Model) -> Result<String, String> {
    let mut out = format(quote! {
        //! Request and response types, with the constraints of the API description.
        // Which of these a crate needs depends on its spec.
        #[allow(unused_imports)]
        use crate::validate::{self as check, FieldPath, Validate};
    })?;
    for t in &model.types {
        match &t.kind {
            TypeKind::Enum { variants, other } => out.push_str(&enum_text(t, variants, other)),
            _ => out.push_str(&format(type_def(t, &model.patterns))?),
        }
    }
    for op in &model.operations {
        out.push_str(&format(params_def(op, &model.patterns))?);
    }
    out.push_str(&format(pattern_fns(&model.patterns))?);
    Ok(out)
}

/// `resources.rs`: the resource tree and the operation methods.
pub fn resources_file(model: &Model) -> TokenStream {
    let mut items = TokenStream::new();
    resource_items(&model.root, "", model, &mut items);
    quote! {
        //! The API's resources, reached from [`Client`](crate::Client) as in Cloudflare's SDKs.
        #items
    }
}

fn resource_items(node: &Resource, path: &str, model: &Model, out: &mut TokenStream) {
    let is_root = node.type_name == "Client";
    let self_ty = if is_root {
        quote!(crate::Client)
    } else {
        let n = format_ident!("{}", node.type_name);
        quote!(#n<'a>)
    };
    let client_expr = if is_root {
        quote!(self)
    } else {
        quote!(self.client)
    };
    let accessors = node.children.iter().map(|c| {
        let m = format_ident!("{}", c.segment);
        let t = format_ident!("{}", c.type_name);
        let doc = format!(" The `{}{}` resource.", path, c.segment);
        let lt = if is_root { quote!('_) } else { quote!('a) };
        quote! {
            #[doc = #doc]
            pub fn #m(&self) -> #t<#lt> {
                #t { client: #client_expr }
            }
        }
    });
    let methods = node
        .operations
        .iter()
        .map(|&i| operation_methods(&model.operations[i]));
    let impl_generics = if is_root { quote!() } else { quote!(<'a>) };
    if !is_root {
        let t = format_ident!("{}", node.type_name);
        let doc = format!(
            " The `{}` resource: its operations and sub-resources.",
            path.trim_end_matches('.')
        );
        out.extend(quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, Copy)]
            pub struct #t<'a> {
                client: &'a crate::Client,
            }
        });
    }
    out.extend(quote! {
        impl #impl_generics #self_ty {
            #(#accessors)*
            #(#methods)*
        }
    });
    for c in &node.children {
        resource_items(c, &format!("{path}{}.", c.segment), model, out);
    }
}

fn qualified(ty: &Ty) -> TokenStream {
    ty_tokens_in(ty, true)
}

fn operation_methods(op: &Operation) -> TokenStream {
    let method = format_ident!("{}", op.method);
    let with_response = format_ident!("{}_with_response", op.method);
    let params_ty = format_ident!("{}", op.params_type);
    let result = if op.response == ResponseKind::Empty {
        quote!(())
    } else {
        qualified(&op.result)
    };
    let mut extra = vec![format!("`{} {}`", op.http_method, op.path)];
    if op.deprecated {
        extra.push("**Deprecated** by the API.".into());
    }
    if !op.permissions.is_empty() {
        let list: Vec<String> = op
            .permissions
            .iter()
            .map(|p| format!("- {}", sanitize_doc(p)))
            .collect();
        extra.push(format!(
            "Accepted token permissions (at least one):\n{}",
            list.join("\n")
        ));
    }
    extra.push(
        "Parameters are validated before anything is sent; see [`Error`](crate::Error) for what can fail."
            .into(),
    );
    let doc = docs(op.doc.as_deref(), &extra);
    let with_doc = format!(
        " Like [`{0}`](Self::{0}), but also returns the status, headers and the envelope's `messages`.",
        op.method
    );
    let http_method = format_ident!("{}", op.http_method);
    let client = quote!(self.client);

    // Path
    let mut path_code = Vec::new();
    let literal_len: usize = op
        .segments
        .iter()
        .map(|s| match s {
            Segment::Literal(l) => l.len(),
            Segment::Param(_) => 32,
        })
        .sum();
    for seg in &op.segments {
        match seg {
            Segment::Literal(l) => {
                path_code.push(quote!(path.push_str(#l);));
            }
            Segment::Param(i) => {
                let p = &op.params[*i];
                let ident = format_ident!("{}", p.field.ident);
                let wire = &p.field.wire;
                path_code.push(
                    quote!(crate::params::push_path_param(&mut path, #wire, &params.#ident)?;),
                );
            }
        }
    }
    let cap = lit_usize(literal_len);

    // Query and headers
    let mut extras = Vec::new();
    for p in &op.params {
        let ident = format_ident!("{}", p.field.ident);
        let wire = &p.field.wire;
        match p.location {
            Location::Query => extras.push(match &p.field.ty {
                Ty::Option(inner) if matches!(inner.as_ref(), Ty::Vec(_)) => {
                    quote!(if let Some(values) = &params.#ident { crate::params::push_each(&mut request.query, #wire, values); })
                }
                Ty::Option(_) => quote!(crate::params::push_optional(&mut request.query, #wire, &params.#ident);),
                Ty::Vec(_) => quote!(crate::params::push_each(&mut request.query, #wire, &params.#ident);),
                _ => quote!(request.query.push(#wire, &params.#ident);),
            }),
            Location::Header => {
                let lower = wire.to_ascii_lowercase();
                let insert = quote!(request.headers.insert(reqwest::header::HeaderName::from_static(#lower), crate::params::header_value(#wire, value)?););
                extras.push(match &p.field.ty {
                    Ty::Option(_) => quote!(if let Some(value) = &params.#ident { #insert }),
                    _ => quote!({ let value = &params.#ident; #insert }),
                });
            }
            _ => {}
        }
    }
    let body_fields: Vec<_> = op
        .params
        .iter()
        .filter(|p| p.location == Location::Body)
        .collect();
    let body_code = match &op.body {
        BodyKind::None => quote!(),
        BodyKind::JsonFields => quote!(request.json(&params)?;),
        BodyKind::Json => {
            let ident = format_ident!("{}", body_fields[0].field.ident);
            quote!(request.json(&params.#ident)?;)
        }
        BodyKind::Raw(content_type) => {
            let ident = format_ident!("{}", body_fields[0].field.ident);
            match &body_fields[0].field.ty {
                Ty::Option(inner) => {
                    let conv = raw_bytes(inner, quote!(value));
                    quote!(if let Some(value) = params.#ident { request.body = crate::client::Body::Bytes(#content_type, #conv); })
                }
                ty => {
                    let conv = raw_bytes(ty, quote!(params.#ident));
                    quote!(request.body = crate::client::Body::Bytes(#content_type, #conv);)
                }
            }
        }
        BodyKind::Multipart => {
            let parts = body_fields.iter().map(|p| {
                let ident = format_ident!("{}", p.field.ident);
                let wire = &p.field.wire;
                let (inner, optional) = match &p.field.ty {
                    Ty::Option(t) => (t.as_ref(), true),
                    t => (t, false),
                };
                let (data, file_name, content_type) = match inner {
                    Ty::Bytes => (quote!(value.clone()), quote!(Some(#wire.to_owned())), quote!(Some("application/octet-stream"))),
                    Ty::String => (quote!(bytes::Bytes::from(value.clone())), quote!(None), quote!(None)),
                    _ => (
                        quote!(bytes::Bytes::from(serde_json::to_vec(value).map_err(|e| crate::Error::Config(format!("cannot encode `{}` as JSON: {e}", #wire)))?)),
                        quote!(None),
                        quote!(Some("application/json")),
                    ),
                };
                let push = quote!(parts.push(crate::client::Part { name: #wire.to_owned(), data: #data, file_name: #file_name, content_type: #content_type }););
                if optional {
                    quote!(if let Some(value) = &params.#ident { #push })
                } else {
                    quote!({ let value = &params.#ident; #push })
                }
            });
            quote! {
                let mut parts = Vec::new();
                #(#parts)*
                request.body = crate::client::Body::Multipart(parts);
            }
        }
    };
    let send = match op.response {
        ResponseKind::Envelope => quote!(send_enveloped),
        ResponseKind::Json => quote!(send_json),
        ResponseKind::Text => quote!(send_text),
        ResponseKind::Bytes => quote!(send_bytes),
        ResponseKind::Empty => quote!(send_empty),
    };
    let paging = op
        .pagination
        .as_ref()
        .map(|p| auto_paging(op, p, &with_response))
        .unwrap_or_default();
    let mutable_request = if extras.is_empty() && body_code.is_empty() {
        quote!()
    } else {
        quote!(mut)
    };
    quote! {
        #doc
        pub fn #method(&self, params: crate::types::#params_ty) -> Result<#result, crate::Error> {
            self.#with_response(params).map(|response| response.result)
        }

        #[doc = #with_doc]
        pub fn #with_response(&self, params: crate::types::#params_ty) -> Result<crate::ApiResponse<#result>, crate::Error> {
            crate::validate::Validate::validate(&params)?;
            let mut path = String::with_capacity(#cap);
            #(#path_code)*
            let #mutable_request request = crate::client::Request::new(reqwest::Method::#http_method, path);
            #(#extras)*
            #body_code
            #client.#send(request)
        }

        #paging
    }
}

/// `<method>_auto_paging`: an iterator over the items of every page.
fn auto_paging(
    op: &Operation,
    p: &crate::model::Pagination,
    with_response: &syn::Ident,
) -> TokenStream {
    let name = format_ident!("{}_auto_paging", op.method);
    let params_ty = format_ident!("{}", op.params_type);
    let item = qualified(&p.item);
    let field = format_ident!("{}", op.params[p.page_param].field.ident);
    let optional = matches!(op.params[p.page_param].field.ty, Ty::Option(_));
    let as_page = match p.page_ty {
        Ty::F64 => quote!(page as f64),
        Ty::I32 => quote!(i32::try_from(page).unwrap_or(i32::MAX)),
        _ => quote!(i64::try_from(page).unwrap_or(i64::MAX)),
    };
    let first = if optional {
        quote!(params.#field.map_or(1, |p| p.max(1 as _) as u64))
    } else {
        quote!(params.#field.max(1 as _) as u64)
    };
    let set = if optional {
        quote!(Some(#as_page))
    } else {
        as_page
    };
    let doc = format!(
        " Every item of [`{0}`](Self::{0}), fetching page after page (from `params.{1}`, or 1) as the iterator advances, until `result_info` says there are no more.",
        op.method, op.params[p.page_param].field.ident
    );
    quote! {
        #[doc = #doc]
        pub fn #name(&self, params: crate::types::#params_ty) -> crate::client::Pages<'a, #item> {
            let this = *self;
            let first = #first;
            crate::client::Pages::new(first, move |page| {
                let mut params = params.clone();
                params.#field = #set;
                this.#with_response(params)
            })
        }
    }
}

fn raw_bytes(ty: &Ty, value: TokenStream) -> TokenStream {
    match ty {
        Ty::String => quote!(bytes::Bytes::from(#value)),
        _ => quote!(#value),
    }
}

/// The tests that decode every example of the spec into its type.
pub fn example_tests(examples: &[Example]) -> TokenStream {
    let tests = examples.iter().map(|e| {
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
            fn #name() {
                #decoded
                #request
            }
        }
    });
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

/// Puts a model's text into a `syn::File` and formats it.
pub fn format(tokens: TokenStream) -> Result<String, String> {
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("generated code does not parse: {e}"))?;
    Ok(prettyplease::unparse(&file))
}
