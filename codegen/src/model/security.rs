//! Authentication from the description: `components.securitySchemes` become the schemes the
//! client can send, and each operation's `security` (or the document's) the alternatives it
//! accepts, and together the crate's [`Auth`]. Schemes the client cannot send are a warning,
//! and alternatives needing them are dropped.

use super::cloudflare;
use crate::diagnostic::Diagnostics;
use crate::load::Spec;
use crate::model::{Auth, Operation, Placement, SecurityScheme};
use crate::naming::snake_ident;
use crate::source::{escape, follow_node, resolve_pointer};
use serde_json::Value;

/// The schemes of `spec`, with the document-level alternatives as the preference order.
pub(super) fn schemes(spec: &Spec, diags: &mut Diagnostics) -> Auth {
    let mut schemes = Vec::new();
    let defined = spec
        .raw
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object);
    let mut methods = crate::naming::Namer::with_reserved(BUILDER_METHODS);
    for (name, node) in defined.into_iter().flatten() {
        let at = format!("#/components/securitySchemes/{}", escape(name));
        let node = follow_node(&spec.raw, node).unwrap_or(node);
        match placement(node) {
            Ok(placement) => {
                let method = methods.claim(&snake_ident(name));
                let vendor = cloudflare::env_suffix(&spec.raw, name);
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
                    doc: node
                        .get("description")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
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
        env_prefix: cloudflare::env_prefix(&spec.raw),
        ..Auth::default()
    };
    auth.alternatives = cloudflare::security_alternatives(&spec.raw, &auth)
        .unwrap_or_else(|| alternatives(&auth, spec.raw.get("security")));
    auth
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

/// The alternatives of the operation at `pointer`: its own `security`, else the document's.
pub(super) fn operation_alternatives(spec: &Spec, auth: &Auth, pointer: &str) -> Vec<Vec<usize>> {
    if let Some(fixed) = cloudflare::security_alternatives(&spec.raw, auth) {
        return fixed;
    }
    let own = resolve_pointer(&spec.raw, pointer).and_then(|op| op.get("security"));
    alternatives(auth, own.or_else(|| spec.raw.get("security")))
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
fn placement(node: &Value) -> Result<Placement, String> {
    let field = |k: &str| node.get(k).and_then(Value::as_str);
    match field("type") {
        Some("http") => match field("scheme").map(str::to_ascii_lowercase).as_deref() {
            Some("bearer") => Ok(Placement::Bearer),
            Some("basic") => Ok(Placement::Basic),
            other => Err(format!(
                "http scheme {other:?} is not supported (bearer and basic are)"
            )),
        },
        Some("apiKey") => {
            let name = field("name")
                .filter(|n| !n.is_empty())
                .ok_or("an apiKey scheme needs a `name`")?
                .to_owned();
            match field("in") {
                Some("header") if reqwest_header_name(&name) => Ok(Placement::Header(name)),
                Some("header") => Err(format!("{name:?} is not a valid header name")),
                Some("query") => Ok(Placement::Query(name)),
                Some("cookie") => Ok(Placement::Cookie(name)),
                other => Err(format!("an apiKey `in: {other:?}` is not supported")),
            }
        }
        Some("oauth2" | "openIdConnect") => Ok(Placement::Bearer),
        other => Err(format!("type {other:?} is not supported")),
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
pub(super) fn alternatives(auth: &Auth, security: Option<&Value>) -> Vec<Vec<usize>> {
    let Some(items) = security.and_then(Value::as_array) else {
        return Vec::new();
    };
    let mut out: Vec<Vec<usize>> = Vec::new();
    for item in items {
        let Some(requirement) = item.as_object() else {
            continue;
        };
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
