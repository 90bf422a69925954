//! `auth.rs`: the security schemes of the description as a table the runtime's
//! `credentials.rs` reads, the builder method for each scheme, and the environment variables
//! `Client::from_env` reads.

use super::docs::sanitize_doc;
use crate::model::{Auth, Placement, SecurityScheme};
use crate::Options;
use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The prefix of the crate's environment variables: a vendor's (`CLOUDFLARE`), else the
/// crate's name in upper snake case (`my-client` -> `MY_CLIENT`).
pub fn env_prefix(auth: &Auth, options: &Options) -> String {
    auth.env_prefix
        .clone()
        .unwrap_or_else(|| options.crate_name.to_shouty_snake_case())
}

/// The variables of one scheme.
pub fn env_names(scheme: &SecurityScheme, prefix: &str) -> Vec<String> {
    scheme
        .env_suffixes
        .iter()
        .map(|s| format!("{prefix}_{s}"))
        .collect()
}

/// `auth.rs`.
pub fn auth_file(auth: &Auth, options: &Options) -> TokenStream {
    let prefix = env_prefix(auth, options);
    let base_url_env = format!("{prefix}_BASE_URL");
    let schemes = auth.schemes.iter().map(|s| {
        let method = &s.method;
        let env = env_names(s, &prefix);
        let placement = match &s.placement {
            Placement::Bearer => quote!(Placement::Bearer),
            Placement::Basic => quote!(Placement::Basic),
            Placement::Header(h) => {
                let h = h.to_ascii_lowercase();
                quote!(Placement::Header(#h))
            }
            Placement::Query(q) => quote!(Placement::Query(#q)),
            Placement::Cookie(c) => quote!(Placement::Cookie(#c)),
        };
        quote!(Scheme { method: #method, placement: #placement, env: &[#(#env),*] },)
    });
    let alternatives = auth.alternatives.iter().map(|a| {
        let a = a.iter().map(|&i| proc_macro2::Literal::usize_unsuffixed(i));
        quote!(&[#(#a),*],)
    });
    let required = auth.required;
    let methods = auth
        .schemes
        .iter()
        .enumerate()
        .map(|(i, s)| builder_method(i, s, &prefix));
    quote! {
        //! Authentication: the security schemes of the API description, and a builder method
        //! for each. `credentials.rs` decides per request which of them are sent.

        use crate::client::ClientBuilder;
        #[allow(unused_imports)]
        use crate::credentials::{Credential, Placement, Scheme};

        /// Environment variable overriding the base URL (read by `Client::from_env`).
        pub const ENV_BASE_URL: &str = #base_url_env;

        /// The schemes, in the description's order; operations refer to them by index.
        pub(crate) const SCHEMES: &[Scheme] = &[#(#schemes)*];

        /// The combinations of schemes operations accept, in the order `from_env` tries them.
        pub(crate) const ALTERNATIVES: &[&[usize]] = &[#(#alternatives)*];

        /// Whether every operation needs credentials, so a client without any cannot be built.
        pub(crate) const REQUIRED: bool = #required;

        impl ClientBuilder {
            #(#methods)*
        }
    }
}

fn builder_method(index: usize, s: &SecurityScheme, prefix: &str) -> TokenStream {
    let index = proc_macro2::Literal::usize_unsuffixed(index);
    let method = format_ident!("{}", s.method);
    let env = env_names(s, prefix);
    let sent = match &s.placement {
        Placement::Bearer => "Sent as `Authorization: Bearer ..`".to_owned(),
        Placement::Basic => "Sent as `Authorization: Basic ..`".to_owned(),
        Placement::Header(h) => format!("Sent in the `{h}` header"),
        Placement::Query(q) => format!("Sent as the `{q}` query parameter"),
        Placement::Cookie(c) => format!("Sent as the `{c}` cookie"),
    };
    let mut doc = s
        .doc
        .as_deref()
        .map(sanitize_doc)
        .unwrap_or_else(|| format!("The `{}` credential.", s.name));
    doc.push_str(&format!(
        "\n\n{sent}, to operations that accept the `{}` scheme; `Client::from_env` reads `{}`. \
         Never shown in `Debug` output or errors.",
        s.name,
        env.join("` and `")
    ));
    let docs = doc.lines().map(|l| {
        let l = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#[doc = #l])
    });
    match s.placement {
        Placement::Basic => quote! {
            #(#docs)*
            pub fn #method(self, user: impl Into<String>, password: impl Into<String>) -> Self {
                self.with_credential(#index, Credential::Basic { user: user.into(), password: password.into() })
            }
        },
        _ => quote! {
            #(#docs)*
            pub fn #method(self, secret: impl Into<String>) -> Self {
                self.with_credential(#index, Credential::Secret(secret.into()))
            }
        },
    }
}
