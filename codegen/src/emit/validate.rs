//! Validation code: the checks of each field's constraints, recursing into generated types, as
//! `Validate` impls, and the compiled patterns they use.

use crate::model::{Constraints, Field, Ty, UnionVariant};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote, ToTokens};

fn lit_f64(v: f64) -> Literal {
    Literal::f64_unsuffixed(v)
}

/// A `usize` literal without suffix.
pub fn lit_usize(v: usize) -> Literal {
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

/// A name for nested bindings: `v`, `v1`, `v2`, ...
fn nested_ident(stem: &str, depth: usize) -> syn::Ident {
    if depth == 0 {
        format_ident!("{stem}")
    } else {
        format_ident!("{stem}{depth}")
    }
}

fn string_checks(c: &Constraints, r: &TokenStream, path: &TokenStream) -> TokenStream {
    let mut out = TokenStream::new();
    if let Some(n) = c.min_length.map(lit_usize) {
        out.extend(quote!(check::min_length(#path, #r, #n)?;));
    }
    if let Some(n) = c.max_length.map(lit_usize) {
        out.extend(quote!(check::max_length(#path, #r, #n)?;));
    }
    if let Some(p) = &c.pattern {
        let f = format_ident!("pattern_{}", p.id.0);
        let source = &p.source;
        out.extend(quote!(check::pattern(#path, #r, #f(), #source)?;));
    }
    out
}

fn number_checks(ty: &Ty, c: &Constraints, v: &Checked, path: &TokenStream) -> TokenStream {
    let (r, val) = (&v.by_ref, &v.by_val);
    let mut out = TokenStream::new();
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
    if let Some(m) = c.multiple_of.map(lit_f64) {
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
    out
}

fn array_checks(item_ty: &Ty, c: &Constraints, v: &Checked, at: &At, depth: usize) -> TokenStream {
    let (r, path) = (&v.by_ref, at.as_ref());
    let mut out = TokenStream::new();
    if let Some(n) = c.min_items.map(lit_usize) {
        out.extend(quote!(check::min_items(#path, #r, #n)?;));
    }
    if let Some(n) = c.max_items.map(lit_usize) {
        out.extend(quote!(check::max_items(#path, #r, #n)?;));
    }
    if c.unique_items {
        out.extend(quote!(check::unique_items(#path, #r)?;));
    }
    let item_c = c.items.as_deref().cloned().unwrap_or_default();
    let (i, item) = (nested_ident("i", depth), nested_ident("item", depth));
    let inner = optional_checks(
        Checked::binding(&item),
        item_ty,
        &item_c,
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
    out
}

/// Checks of the constraints on `v` (of type `ty`, never an `Option`) at `at`; `depth` keeps
/// the names of nested loops apart.
fn value_checks(ty: &Ty, c: &Constraints, v: &Checked, at: &At, depth: usize) -> TokenStream {
    let (r, path) = (&v.by_ref, at.as_ref());
    match ty {
        Ty::String => string_checks(c, r, &path),
        Ty::I32 | Ty::I64 | Ty::F64 => number_checks(ty, c, v, &path),
        Ty::Bool if !c.allowed.is_empty() => {
            let values = c.allowed.iter().filter_map(|a| a.as_bool());
            quote!(check::one_of(#path, #r, &[#(#values),*])?;)
        }
        Ty::Vec(item_ty) => array_checks(item_ty, c, v, at, depth),
        Ty::Map(_) => {
            let mut out = TokenStream::new();
            if let Some(n) = c.min_properties.map(lit_usize) {
                out.extend(quote!(check::min_properties(#path, #r, #n)?;));
            }
            if let Some(n) = c.max_properties.map(lit_usize) {
                out.extend(quote!(check::max_properties(#path, #r, #n)?;));
            }
            out
        }
        _ => TokenStream::new(),
    }
}

/// Checks for `value` of type `ty`, which may be an `Option` (checked when `Some`).
fn optional_checks(value: Checked, ty: &Ty, c: &Constraints, at: &At, depth: usize) -> TokenStream {
    let (base, optional) = match ty {
        Ty::Option(t) => (t.as_ref(), true),
        t => (t, false),
    };
    let base = match base {
        Ty::Boxed(t) => t.as_ref(),
        t => t,
    };
    if !optional {
        return value_checks(base, c, &value, at, depth);
    }
    let bound = nested_ident("v", depth);
    let checks = value_checks(base, c, &Checked::binding(&bound), at, depth);
    if checks.is_empty() {
        return checks;
    }
    let r = &value.by_ref;
    quote!(if let Some(#bound) = #r { #checks })
}

/// Checks of a union variant's own constraints, on the arm's binding `v` at `path`.
pub fn union_arm_checks(v: &UnionVariant) -> TokenStream {
    let binding = Checked::binding(&format_ident!("v"));
    optional_checks(binding, &v.ty, &v.constraints, &At::Ref(quote!(path)), 0)
}

/// Checks of `constraints` on the binding `value` (of type `&ty`), at the `FieldPath` `path`.
pub fn binding_checks(value: &syn::Ident, ty: &Ty, constraints: &Constraints) -> TokenStream {
    optional_checks(
        Checked::binding(value),
        ty,
        constraints,
        &At::Ref(quote!(&path)),
        0,
    )
}

/// Validation of one field: its own constraints, then the types inside it.
pub fn field_validation(access: TokenStream, f: &Field) -> TokenStream {
    if f.flatten {
        // Its fields are the object's own: they sit at the object's path.
        return quote!(Validate::validate_at(&#access, path)?;);
    }
    let wire = &f.wire;
    let at = At::Value(quote!(path.field(#wire)));
    let mut out = optional_checks(
        Checked::place(access.clone()),
        &f.ty,
        &f.constraints,
        &at,
        0,
    );
    if f.ty.has_named() {
        out.extend(quote!(Validate::validate_at(&#access, &path.field(#wire))?;));
    }
    out
}

/// `impl Validate` with `body` as its checks, or `always_valid!` when there are none.
pub fn validate_impl(name: &syn::Ident, body: TokenStream) -> TokenStream {
    if body.is_empty() {
        return quote!(always_valid!(#name););
    }
    quote! {
        impl Validate for #name {
            #[inline]
            fn validate_at(&self, path: &FieldPath<'_>) -> Result<(), crate::error::ValidationError> {
                #body
                Ok(())
            }
        }
    }
}

/// A function per pattern, compiling it once; `pattern_N` for [`crate::model::PatternId`] N.
pub fn pattern_fns(patterns: &[String]) -> TokenStream {
    let fns = patterns.iter().enumerate().map(|(i, p)| {
        let f = format_ident!("pattern_{}", i);
        let doc = format!(" Compiled `pattern` {p:?}.");
        quote! {
            #[doc = #doc]
            // Used by the `Validate` impls of sent types and by the example tests; with resource
            // features, or a pattern only on received types, some are not.
            #[allow(dead_code)]
            pub(crate) fn #f() -> &'static regress::Regex {
                static RE: std::sync::OnceLock<regress::Regex> = std::sync::OnceLock::new();
                RE.get_or_init(|| regress::Regex::new(#p).expect("the generator checked this pattern"))
            }
        }
    });
    quote!(#(#fns)*)
}
