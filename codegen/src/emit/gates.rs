//! Printing what `model/features.rs` computed: `#[cfg(feature = ..)]` on gated items, and the `[features]` table of `Cargo.toml`.

use crate::model::{Gate, Model, FULL};
use proc_macro2::TokenStream;
use quote::{quote, ToTokens};

/// A `cfg` predicate, built as data so that its text and its tokens are the same predicate
/// and neither has to be parsed back (a gate can never be lost to a parse).
enum Cfg {
    /// `feature = "name"`.
    Feature(String),
    /// `any(..)`: one of them.
    Any(Vec<Cfg>),
    /// `all(..)`: every one of them.
    All(Vec<Cfg>),
}

impl Cfg {
    /// The predicate as source text (`any(feature = "a", feature = "b")`).
    fn text(&self) -> String {
        let list = |preds: &[Cfg]| preds.iter().map(Cfg::text).collect::<Vec<_>>().join(", ");
        match self {
            Cfg::Feature(f) => format!("feature = {f:?}"),
            Cfg::Any(preds) => format!("any({})", list(preds)),
            Cfg::All(preds) => format!("all({})", list(preds)),
        }
    }

    /// The predicate as tokens.
    fn tokens(&self) -> TokenStream {
        let list = |preds: &[Cfg]| preds.iter().map(Cfg::tokens).collect::<Vec<_>>();
        match self {
            Cfg::Feature(f) => quote!(feature = #f),
            Cfg::Any(preds) => {
                let preds = list(preds);
                quote!(any(#(#preds),*))
            }
            Cfg::All(preds) => {
                let preds = list(preds);
                quote!(all(#(#preds),*))
            }
        }
    }
}

/// The `cfg` predicate that is true when every gate in `gates` is open, or `None` when
/// nothing is gated.
fn cfg_predicate(gates: &[Gate]) -> Option<Cfg> {
    let mut parts: Vec<Cfg> = gates
        .iter()
        .filter_map(|g| match g {
            Gate::Always => None,
            Gate::Any(features) => Some(match features.as_slice() {
                [one] => Cfg::Feature(one.clone()),
                _ => Cfg::Any(features.iter().cloned().map(Cfg::Feature).collect()),
            }),
        })
        .collect();
    match parts.len() {
        0 => None,
        1 => parts.pop(),
        _ => Some(Cfg::All(parts)),
    }
}

/// `#[cfg(..)]` for `gates`, or nothing.
pub fn cfg_attr(gates: &[Gate]) -> TokenStream {
    match cfg_predicate(gates) {
        Some(p) => {
            let p = p.tokens();
            quote!(#[cfg(#p)])
        }
        None => TokenStream::new(),
    }
}

/// `#[cfg(..)]` for `gates` as a line of text, or nothing (for hand-laid-out macro calls).
pub fn cfg_line(gates: &[Gate]) -> String {
    cfg_predicate(gates)
        .map(|p| format!("#[cfg({})]\n", p.text()))
        .unwrap_or_default()
}

/// `items` with `attr` on each top-level item. Fails only when `items` does not parse (a
/// generator bug).
pub fn gate_items(items: TokenStream, attr: &TokenStream) -> Result<TokenStream, String> {
    if attr.is_empty() {
        return Ok(items);
    }
    let attrs = syn::parse::Parser::parse2(syn::Attribute::parse_outer, attr.clone())
        .map_err(|e| format!("a generated cfg attribute does not parse: {e}"))?;
    let mut file: syn::File =
        syn::parse2(items).map_err(|e| format!("generated code does not parse: {e}"))?;
    for item in &mut file.items {
        let item_attrs = match item {
            syn::Item::Struct(i) => &mut i.attrs,
            syn::Item::Enum(i) => &mut i.attrs,
            syn::Item::Impl(i) => &mut i.attrs,
            syn::Item::Type(i) => &mut i.attrs,
            syn::Item::Macro(i) => &mut i.attrs,
            syn::Item::Fn(i) => &mut i.attrs,
            syn::Item::Const(i) => &mut i.attrs,
            syn::Item::Static(i) => &mut i.attrs,
            syn::Item::Mod(i) => &mut i.attrs,
            syn::Item::Use(i) => &mut i.attrs,
            syn::Item::Trait(i) => &mut i.attrs,
            other => {
                return Err(format!(
                    "cannot gate a generated item: {}",
                    other.to_token_stream()
                ))
            }
        };
        item_attrs.splice(0..0, attrs.iter().cloned());
    }
    Ok(file.into_token_stream())
}

/// The `[features]` table (and docs.rs metadata) of a crate with resource features; nothing
/// for a crate with one top-level resource.
pub fn features_toml(model: &Model) -> String {
    let gates = &model.gates;
    let both_ways = format!(
        "# Every type read and written by serde both ways, not only in the direction the API\n\
         # uses it (and params read and written by their Rust field names).\n{:?} = []\n",
        super::json::BOTH_WAYS
    );
    let docs_rs = "\n[package.metadata.docs.rs]\nall-features = true\n";
    if !gates.is_active() {
        return format!("\n[features]\n{both_ways}{docs_rs}");
    }
    let mut out = String::from(
        "\n# One feature per top-level resource; `full` enables every one. None is on by\n\
         # default: enable the resources you call (`features = [\"dns\"]`) and the build\n\
         # compiles only their operations and the types they use.\n[features]\ndefault = []\n",
    );
    let names: Vec<String> = gates
        .features
        .iter()
        .map(|f| format!("{:?}", f.name))
        .collect();
    out.push_str(&format!("{FULL} = [{}]\n", names.join(", ")));
    for f in &gates.features {
        out.push_str(&format!("{:?} = []\n", f.name));
    }
    out.push_str(&both_ways);
    out.push_str(docs_rs);
    out
}

/// The crate docs' section on features; nothing for a crate with one top-level resource.
pub fn features_doc(model: &Model) -> String {
    let gates = &model.gates;
    if !gates.is_active() {
        return String::new();
    }
    let mut text = String::from(
        "## Features\n\n\
         Each top-level resource is a cargo feature, and `full` enables them all. **None is on by \
         default**: a build compiles only the operations of the features it enables and the \
         types they use, so depend on the resources you call \
         (`features = [\"dns\"]`), or on `full` for everything. Defaults are off because a \
         dependency's default features cannot be turned off by the crates above it (cargo \
         unifies features), and the whole API takes several GB of memory to compile, more than \
         a small CI runner has. Types several features use are compiled with any of them; \
         types no operation uses are compiled with `full` only. Types only sent convert to JSON \
         and implement `Validate`; types only received, and types no operation uses, convert from JSON only.\n\n\
         | feature | resources |\n|---|---|\n",
    );
    for f in &gates.features {
        let list: Vec<String> = f.resources.iter().map(|r| format!("`{r}()`")).collect();
        text.push_str(&format!("| `{}` | {} |\n", f.name, list.join(", ")));
    }
    text.push('\n');
    text
}

/// Crate attributes for a crate with features: the operation table links to gated items,
/// which resolve with `full` (as on docs.rs) only.
pub fn crate_attrs(model: &Model) -> TokenStream {
    if !model.gates.is_active() {
        return TokenStream::new();
    }
    quote!(#![cfg_attr(not(feature = "full"), allow(rustdoc::broken_intra_doc_links))])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_attribute_and_the_line_say_the_same_predicate() {
        let any = |f: &[&str]| Gate::Any(f.iter().map(|f| (*f).to_owned()).collect());
        let cases: [(Vec<Gate>, &str); 4] = [
            (vec![Gate::Always], ""),
            (vec![any(&["dns"])], "#[cfg(feature = \"dns\")]\n"),
            (
                vec![any(&["dns"]), Gate::Always, any(&["zero-trust", "full"])],
                "#[cfg(all(feature = \"dns\", any(feature = \"zero-trust\", feature = \"full\")))]\n",
            ),
            // No feature at all: never compiled, as `any()` says.
            (vec![any(&[])], "#[cfg(any())]\n"),
        ];
        for (gates, line) in cases {
            assert_eq!(cfg_line(&gates), line);
            let parsed: TokenStream = line.parse().expect("the line is Rust");
            assert_eq!(cfg_attr(&gates).to_string(), parsed.to_string());
        }
    }
}
