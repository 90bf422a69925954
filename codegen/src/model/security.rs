//! Authentication from the description: `components.securitySchemes` become the schemes the
//! client can send, and each operation's `security` (or the document's) the alternatives it
//! accepts, and together the crate's [`Auth`]. Schemes the client cannot send are a warning,
//! and alternatives needing them are dropped.

use super::cloudflare;
use crate::diagnostic::Diagnostics;
use crate::load::Spec;
use crate::model::{Auth, Operation, Placement, SecurityScheme};
use crate::naming::snake_ident;
use crate::source::{escape, RefFailure};
use openapiv3::{APIKeyLocation, ReferenceOr, SecurityRequirement};

/// The schemes of `spec`, with the document-level alternatives as the preference order.
pub(super) fn schemes(spec: &Spec, diags: &mut Diagnostics) -> Auth {
    let mut schemes = Vec::new();
    let defined = spec.doc.components.iter().flat_map(|c| &c.security_schemes);
    let mut methods = crate::naming::Namer::with_reserved(BUILDER_METHODS);
    for (name, item) in defined {
        let at = format!("#/components/securitySchemes/{}", escape(name));
        match scheme_of(spec, item).and_then(|s| Ok((placement(s)?, s))) {
            Ok((placement, scheme)) => {
                let method = methods.claim(&snake_ident(name));
                let vendor = cloudflare::env_suffix(&spec.doc, name);
                let stem = vendor
                    .unwrap_or_else(|| snake_ident(name).trim_end_matches('_').to_uppercase());
                let env_suffixes = match placement {
                    Placement::Basic => {
                        vec![format!("{stem}_USERNAME"), format!("{stem}_PASSWORD")]
                    }
                    _ => vec![stem],
                };
                schemes.push(SecurityScheme {
                    name: name.clone(),
                    method,
                    placement,
                    env_suffixes,
                    doc: description(scheme).map(str::to_owned),
                });
            }
            Err(why) => diags.warn(
                at,
                format!("security scheme {name:?} is left out: {why}"),
                "operations that accept another scheme still work; configure that one",
            ),
        }
    }
    let mut auth = Auth {
        schemes,
        env_prefix: cloudflare::env_prefix(&spec.doc),
        ..Auth::default()
    };
    auth.alternatives = cloudflare::security_alternatives(&spec.doc, &auth)
        .unwrap_or_else(|| alternatives(&auth, spec.doc.security.as_deref()));
    auth
}

/// The scheme an entry of `components.securitySchemes` is, its `$ref` followed; else why the
/// client cannot use it.
fn scheme_of<'s>(
    spec: &'s Spec,
    item: &'s ReferenceOr<openapiv3::SecurityScheme>,
) -> Result<&'s openapiv3::SecurityScheme, String> {
    let reference = match item {
        ReferenceOr::Item(scheme) => return Ok(scheme),
        ReferenceOr::Reference { reference } => reference,
    };
    match spec.refs.resolve::<openapiv3::SecurityScheme>(reference) {
        Ok((_, scheme)) => Ok(scheme),
        Err(RefFailure::Broken(e)) => {
            Err(format!("its $ref {reference:?} ends at no node ({e:?})"))
        }
        Err(RefFailure::Invalid { pointer, message }) => Err(format!(
            "its $ref ends at {pointer}, which is not a security scheme ({message})"
        )),
    }
}

/// A scheme's description.
fn description(scheme: &openapiv3::SecurityScheme) -> Option<&str> {
    use openapiv3::SecurityScheme as S;
    match scheme {
        S::APIKey { description, .. }
        | S::HTTP { description, .. }
        | S::OAuth2 { description, .. }
        | S::OpenIDConnect { description, .. } => description.as_deref(),
    }
}

/// The crate's authentication: the schemes read first (`schemes`), with the preference order
/// extended by every alternative an operation accepts, and whether every operation needs
/// credentials (so building a client without any fails).
pub(super) fn crate_auth(schemes: Auth, operations: &[Operation]) -> Auth {
    let mut auth = schemes;
    for op in operations {
        for alternative in &op.security {
            if !auth.alternatives.contains(alternative) {
                auth.alternatives.push(alternative.clone());
            }
        }
    }
    auth.required = !operations.is_empty()
        && operations
            .iter()
            .all(|op| !op.security.is_empty() && op.security.iter().all(|a| !a.is_empty()));
    auth
}

/// The alternatives of the operation `op`: its own `security`, else the document's.
pub(super) fn operation_alternatives(
    spec: &Spec,
    auth: &Auth,
    op: &openapiv3::Operation,
) -> Vec<Vec<usize>> {
    if let Some(fixed) = cloudflare::security_alternatives(&spec.doc, auth) {
        return fixed;
    }
    let own = op.security.as_deref();
    alternatives(auth, own.or(spec.doc.security.as_deref()))
}

/// Builder methods that exist whatever the schemes; a scheme never takes one of their names.
const BUILDER_METHODS: &[&str] = &[
    "base_url",
    "timeout",
    "connect_timeout",
    "max_retries",
    "max_response_bytes",
    "max_download_bytes",
    "from_env",
    "build",
    "credential",
];

/// Where a scheme's credential goes, or why the client cannot send it.
fn placement(scheme: &openapiv3::SecurityScheme) -> Result<Placement, String> {
    use openapiv3::SecurityScheme as S;
    match scheme {
        S::HTTP { scheme, .. } => match scheme.to_ascii_lowercase().as_str() {
            "bearer" => Ok(Placement::Bearer),
            "basic" => Ok(Placement::Basic),
            other => Err(format!(
                "http scheme {:?} is not supported (bearer and basic are)",
                Some(other)
            )),
        },
        S::APIKey { location, name, .. } => {
            if name.is_empty() {
                return Err("an apiKey scheme needs a `name`".to_owned());
            }
            let name = name.clone();
            match location {
                APIKeyLocation::Header if reqwest_header_name(&name) => Ok(Placement::Header(name)),
                APIKeyLocation::Header => Err(format!("{name:?} is not a valid header name")),
                APIKeyLocation::Query => Ok(Placement::Query(name)),
                APIKeyLocation::Cookie => Ok(Placement::Cookie(name)),
            }
        }
        S::OAuth2 { .. } | S::OpenIDConnect { .. } => Ok(Placement::Bearer),
    }
}

/// A header name the client can send (an RFC 9110 token).
fn reqwest_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// The alternatives of a `security` array, as scheme indices; alternatives naming a scheme the
/// client cannot send are dropped, and `{}` is an empty alternative (credentials optional).
pub(super) fn alternatives(
    auth: &Auth,
    security: Option<&[SecurityRequirement]>,
) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    for requirement in security.unwrap_or_default() {
        let indices: Option<Vec<usize>> = requirement
            .keys()
            .map(|k| auth.schemes.iter().position(|s| s.name == *k))
            .collect();
        if let Some(indices) = indices {
            if !out.contains(&indices) {
                out.push(indices);
            }
        }
    }
    out
}
