//! The default base URL: the document's first `servers` URL with its variables filled with
//! their defaults, or Cloudflare's API for Cloudflare's documents (decided in `cloudflare.rs`).
//! A document without a usable absolute URL gets no default, with a warning: the client then
//! needs a base URL from its user, and never sends credentials anywhere the document did not
//! name.

use super::cloudflare;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::Spec;
use openapiv3::Server;

/// What users are told to do when the crate has no default base URL.
const UNTIL_THEN: &str = "until then the crate has no default base URL and `build()` fails \
                          unless `.base_url(..)` or the crate's `*_BASE_URL` environment \
                          variable gives one";

/// The crate's default base URL (without a trailing `/`), or `None` with a warning that says
/// why.
pub(super) fn default_base_url(spec: &Spec, diags: &mut Diagnostics) -> Option<String> {
    if let Some(url) = cloudflare::base_url(&spec.doc) {
        return Some(url.to_owned());
    }
    let Some(server) = spec.doc.servers.first() else {
        diags.push(
            Diagnostic::warning("#", "the document names no server (`servers` is missing or empty)")
                .hint(format!(
                    "add `servers: [{{url: https://api.example.com/v1}}]` with the API's absolute URL; {UNTIL_THEN}"
                )),
        );
        return None;
    };
    match resolve(server) {
        Ok(url) => Some(url),
        Err((pointer, message)) => {
            diags.push(Diagnostic::warning(pointer, message).hint(format!(
                "make the first server an absolute http(s) URL, or give the client one; {UNTIL_THEN}"
            )));
            None
        }
    }
}

/// The first server's URL with `{variables}` replaced by their defaults, checked to be an
/// absolute `http(s)` URL the client accepts; else where and why not.
fn resolve(server: &Server) -> Result<String, (String, String)> {
    let at = "#/servers/0/url".to_owned();
    let mut url = String::new();
    let mut rest = server.url.as_str();
    while let Some(open) = rest.find('{') {
        url.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            return Err((
                at,
                format!("server URL {:?} has an unclosed `{{`", server.url),
            ));
        };
        let name = &rest[open + 1..open + close];
        let Some(variable) = server.variables.as_ref().and_then(|v| v.get(name)) else {
            return Err((
                at,
                format!(
                    "server URL {:?} uses the variable {{{name}}}, which `variables` does not declare",
                    server.url
                ),
            ));
        };
        url.push_str(&variable.default);
        rest = &rest[open + close + 1..];
    }
    url.push_str(rest);
    let url = url.trim_end_matches('/').to_owned();
    let Some((scheme, after)) = url.split_once("://") else {
        return Err((
            at,
            format!(
                "server URL {:?} is relative: the client cannot tell what it is relative to",
                server.url
            ),
        ));
    };
    let host = after.split('/').next().unwrap_or_default();
    let problem = if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        Some("is not an http:// or https:// URL")
    } else if host.is_empty() {
        Some("has no host")
    } else if host.contains('@') {
        Some("holds credentials")
    } else if url.contains(['?', '#']) {
        Some("has a query or a fragment")
    } else if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Some("holds white space")
    } else {
        None
    };
    match problem {
        Some(problem) => Err((at, format!("server URL {:?} {problem}", server.url))),
        None => Ok(url),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::parse;

    /// The default base URL of a document with `servers` (YAML, or empty for none), and the
    /// warnings.
    fn default_of(servers: &str) -> (Option<String>, Diagnostics) {
        let text =
            format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\n{servers}\npaths: {{}}\n");
        let (spec, _) = parse(&text, "t.yaml", false).expect("the document loads");
        let mut diags = Diagnostics::new();
        (default_base_url(&spec, &mut diags), diags)
    }

    #[test]
    fn the_first_server_with_its_variables_defaulted_is_the_default() {
        let (url, diags) = default_of(
            "servers:
  - url: https://{region}.example.com/{v}/
    variables:
      region: {default: eu, enum: [eu, us]}
      v: {default: v2}
  - url: https://other.example.com",
        );
        assert_eq!(url.as_deref(), Some("https://eu.example.com/v2"));
        assert_eq!(diags.warnings().count(), 0, "{diags}");
    }

    #[test]
    fn no_server_or_an_unusable_url_is_a_located_warning_and_no_default() {
        for (servers, pointer, says) in [
            ("", "#", "names no server"),
            ("servers: []", "#", "names no server"),
            (
                "servers: [{url: /api/v3}]",
                "#/servers/0/url",
                "is relative",
            ),
            (
                "servers: [{url: 'api.example.com'}]",
                "#/servers/0/url",
                "is relative",
            ),
            (
                "servers: [{url: 'https://{host}/v1'}]",
                "#/servers/0/url",
                "does not declare",
            ),
            (
                "servers: [{url: 'https://x.example.com/{v'}]",
                "#/servers/0/url",
                "unclosed",
            ),
            (
                "servers: [{url: 'ftp://x.example.com'}]",
                "#/servers/0/url",
                "not an http",
            ),
            (
                "servers: [{url: 'https://u:p@x.example.com'}]",
                "#/servers/0/url",
                "credentials",
            ),
            (
                "servers: [{url: 'https://x.example.com/?a=1'}]",
                "#/servers/0/url",
                "query",
            ),
            (
                "servers: [{url: 'https:///v1'}]",
                "#/servers/0/url",
                "no host",
            ),
        ] {
            let (url, diags) = default_of(servers);
            assert_eq!(url, None, "{servers}");
            let warning = diags
                .warnings()
                .next()
                .unwrap_or_else(|| panic!("{servers}: no warning"));
            assert_eq!(warning.pointer.as_deref(), Some(pointer), "{servers}");
            assert!(warning.message.contains(says), "{servers}: {warning}");
            assert!(
                warning
                    .hint
                    .as_deref()
                    .is_some_and(|h| h.contains(".base_url(..)")),
                "{servers}: {warning}"
            );
        }
    }

    #[test]
    fn cloudflares_documents_default_to_cloudflares_api() {
        let (url, diags) = default_of(
            "servers: [{url: 'https://api.cloudflare.com/client/v4/', description: Client API}]",
        );
        assert_eq!(url.as_deref(), Some("https://api.cloudflare.com/client/v4"));
        assert_eq!(diags.warnings().count(), 0, "{diags}");
    }
}
