//! Tokens and text: turns the model into the files of the crate. One file per concern: Rust
//! types in `ty.rs`, doc text in `docs.rs`, validation in `validate.rs`, JSON conversions in
//! `json.rs`, `types.rs` in `types.rs`, `resources.rs` in `resources.rs`, the security schemes
//! and credential builder methods in `auth.rs`, feature gates (`#[cfg(feature = ..)]` and the
//! `[features]` table) in `gates.rs`, the example tests in `examples.rs`, and `Cargo.toml` and
//! `lib.rs` in `crate_files.rs`.

mod auth;
mod crate_files;
mod docs;
mod examples;
mod gates;
mod json;
mod resources;
mod ty;
mod types;
mod validate;

use crate::model::Model;
use crate::{GeneratedFile, Options};
use proc_macro2::TokenStream;

/// The client runtime: real Rust source (the crate `codegen/runtime`, where it is formatted,
/// linted and unit-tested), copied into every generated crate without its unit tests.
const RUNTIME: &[(&str, &str)] = &[
    ("src/call.rs", include_str!("../../runtime/call.rs")),
    ("src/client.rs", include_str!("../../runtime/client.rs")),
    (
        "src/credentials.rs",
        include_str!("../../runtime/credentials.rs"),
    ),
    ("src/decode.rs", include_str!("../../runtime/decode.rs")),
    ("src/encode.rs", include_str!("../../runtime/encode.rs")),
    ("src/json.rs", include_str!("../../runtime/json.rs")),
    ("src/json_std.rs", include_str!("../../runtime/json_std.rs")),
    ("src/macros.rs", include_str!("../../runtime/macros.rs")),
    ("src/error.rs", include_str!("../../runtime/error.rs")),
    (
        "src/example_check.rs",
        include_str!("../../runtime/example_check.rs"),
    ),
    ("src/pages.rs", include_str!("../../runtime/pages.rs")),
    ("src/params.rs", include_str!("../../runtime/params.rs")),
    ("src/path.rs", include_str!("../../runtime/path.rs")),
    ("src/request.rs", include_str!("../../runtime/request.rs")),
    ("src/response.rs", include_str!("../../runtime/response.rs")),
    ("src/retry.rs", include_str!("../../runtime/retry.rs")),
    (
        "src/transport.rs",
        include_str!("../../runtime/transport.rs"),
    ),
    ("src/validate.rs", include_str!("../../runtime/validate.rs")),
];

/// Every file of the crate for `model`, in a fixed order, each with its header. Fails only when
/// generated code does not parse (a generator bug), saying where.
pub fn crate_files(model: &Model, options: &Options) -> Result<Vec<GeneratedFile>, String> {
    let header = crate_files::header(options);
    let rust_header: String = header.lines().map(|l| format!("// {l}\n")).collect();
    let mut files = vec![GeneratedFile {
        path: "Cargo.toml".into(),
        contents: crate_files::cargo_toml(&header, options) + &gates::features_toml(model),
    }];
    let mut rust = |path: &str, body: String| {
        files.push(GeneratedFile {
            path: path.to_owned(),
            contents: format!("{rust_header}\n{body}"),
        })
    };
    rust("src/lib.rs", format(crate_files::lib_rs(model, options))?);
    rust(
        "src/auth.rs",
        format(auth::auth_file(&model.auth, options))?,
    );
    // The runtime's doc examples name the checked-in crate; other crates get their own name.
    let crate_path = format!("{}::", options.crate_name.replace('-', "_"));
    for (path, source) in RUNTIME {
        rust(
            path,
            without_unit_tests(source).replace("cloudflare_access_keys::", &crate_path),
        );
    }
    rust("src/types.rs", types::types_file(model)?);
    rust(
        "src/resources.rs",
        format(resources::resources_file(model))?,
    );
    rust(
        "src/example_tests.rs",
        format(examples::example_tests(model))?,
    );
    Ok(files)
}

/// A runtime file without its unit tests: they run once, in the runtime's own crate, not in
/// every generated crate. A file's unit tests are its last item, `#[cfg(test)] mod tests {..}`.
fn without_unit_tests(source: &str) -> &str {
    match source.find("\n#[cfg(test)]\nmod tests {") {
        Some(at) => &source[..=at],
        None => source,
    }
}

/// Puts tokens into a `syn::File` and formats it.
fn format(tokens: TokenStream) -> Result<String, String> {
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("generated code does not parse: {e}"))?;
    Ok(prettyplease::unparse(&file))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtime_files_are_copied_without_their_unit_tests_and_nothing_else() {
        for (path, source) in RUNTIME {
            let copied = without_unit_tests(source);
            assert!(!copied.contains("mod tests {"), "{path} keeps its tests");
            let cut = &source[copied.len()..];
            assert!(
                cut.is_empty() || cut.starts_with("#[cfg(test)]\nmod tests {"),
                "{path}: only the unit tests are cut"
            );
            // The tests are the file's last item: what follows their module is only its end.
            assert!(cut.is_empty() || cut.trim_end().ends_with('}'), "{path}");
        }
        assert!(RUNTIME
            .iter()
            .any(|(_, s)| s.len() > without_unit_tests(s).len()));
    }
}
