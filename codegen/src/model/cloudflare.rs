//! Cloudflare's conventions, in one place: SDK names from `x-fern-sdk-group-name` /
//! `x-fern-sdk-method-name`, token permissions from `x-api-token-group` /
//! `x-cfPermissionsRequired`, the `{success, errors, messages, result}` envelope, paging with
//! a `page` query parameter and `result_info`, and the default base URL of its API. Documents
//! without them get the generic behaviour each function describes.

use super::object::ObjectParts;
use crate::diagnostic::Diagnostic;
use crate::model::{Location, Pagination, Param, Ty};
use crate::naming::{join_type, pascal_ident, singular, snake_ident};
use crate::source::HttpMethod;
use openapiv3::{OpenAPI, Operation};
use serde_json::Value;

const GROUP_EXT: &str = "x-fern-sdk-group-name";
const METHOD_EXT: &str = "x-fern-sdk-method-name";

/// How users reach an operation, and the prefix of its types.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct SdkNames {
    /// The resource path (`["zero_trust", "access", "keys"]`).
    pub resource: Vec<String>,
    /// The method name.
    pub method: String,
    /// What the operation's type names start with (`AccessKeyUpdate`).
    pub type_prefix: String,
}

/// SDK naming data from `x-fern-sdk-group-name` / `x-fern-sdk-method-name` when present; else
/// the first tag (or first path segment) as resource and the operationId as method.
pub(super) fn sdk_names(
    op: &Operation,
    method: HttpMethod,
    path: &str,
    pointer: &str,
) -> Result<SdkNames, Diagnostic> {
    let ext = |k: &str| op.extensions.get(k);
    match (ext(GROUP_EXT), ext(METHOD_EXT)) {
        (Some(group), Some(name)) => fern_names(group, name, pointer),
        (None, None) => Ok(generic_names(op, method, path)),
        _ => Err(Diagnostic::at(
            pointer,
            format!("{GROUP_EXT} and {METHOD_EXT} must be given together"),
        )
        .hint("add the missing extension or remove the other")),
    }
}

/// Like Cloudflare's SDKs: the first group is the package, the rest (last one singular)
/// prefixes the types: `zero_trust.access.keys` + `update` -> `AccessKeyUpdate`.
fn fern_names(group: &Value, name: &Value, pointer: &str) -> Result<SdkNames, Diagnostic> {
    let group: Vec<String> = match group {
        Value::String(s) => s.split('.').map(snake_ident).collect(),
        Value::Array(items) => items
            .iter()
            .filter_map(Value::as_str)
            .map(snake_ident)
            .collect(),
        _ => Vec::new(),
    };
    let name = name.as_str().map(snake_ident).filter(|s| !s.is_empty());
    let (Some(name), false) = (name, group.is_empty()) else {
        return Err(Diagnostic::at(
            pointer,
            format!("{GROUP_EXT} must be a dotted string and {METHOD_EXT} a string"),
        )
        .hint(format!(
            "e.g. `{GROUP_EXT}: zero_trust.access.keys` and `{METHOD_EXT}: get`"
        )));
    };
    let mut prefix_parts: Vec<String> = if group.len() > 1 {
        group[1..].to_vec()
    } else {
        group.clone()
    };
    if let Some(last) = prefix_parts.last_mut() {
        *last = singular(last);
    }
    let type_prefix = join_type(&pascal_ident(&prefix_parts.join("_")), &pascal_ident(&name));
    Ok(SdkNames {
        resource: group,
        method: name,
        type_prefix,
    })
}

/// The first tag (or first literal path segment) is the resource; the operationId (or the
/// method and path) without the resource's name is the method.
fn generic_names(op: &Operation, method: HttpMethod, path: &str) -> SdkNames {
    let resource = op
        .tags
        .first()
        .map(|t| snake_ident(t))
        .or_else(|| {
            path.split('/')
                .find(|s| !s.is_empty() && !s.starts_with('{'))
                .map(snake_ident)
        })
        .unwrap_or_else(|| "default".into());
    let id = op
        .operation_id
        .clone()
        .unwrap_or_else(|| format!("{} {path}", method.as_str()));
    let full = snake_ident(&id);
    let method_name = full
        .strip_prefix(&format!("{resource}_"))
        .filter(|m| !m.is_empty())
        .map(snake_ident)
        .unwrap_or(full);
    SdkNames {
        resource: vec![resource],
        type_prefix: pascal_ident(&id),
        method: method_name,
    }
}

/// Token permissions from `x-api-token-group` (newer schemas) or `x-cfPermissionsRequired`
/// (`{enum: [..]}`, the 2024 schema).
pub(super) fn permissions(op: &Operation) -> Vec<String> {
    let strings = |v: &Value| -> Vec<String> {
        match v {
            Value::String(s) => vec![s.clone()],
            Value::Array(items) => items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            _ => Vec::new(),
        }
    };
    if let Some(v) = op.extensions.get("x-api-token-group") {
        return strings(v);
    }
    op.extensions
        .get("x-cfPermissionsRequired")
        .and_then(|v| v.get("enum"))
        .map(strings)
        .unwrap_or_default()
}

/// Whether a success body is Cloudflare's envelope: a `result` beside `success` or `errors`.
pub(super) fn is_envelope(parts: &ObjectParts) -> bool {
    parts.prop("result").is_some()
        && (parts.prop("success").is_some() || parts.prop("errors").is_some())
}

/// Whether an envelope pages with `result_info`.
pub(super) fn has_result_info(parts: &ObjectParts) -> bool {
    parts.prop("result_info").is_some()
}

/// Paging of an envelope with `result_info` around a list: by a numeric `page` query
/// parameter, else by a string `cursor` query parameter that `result_info.cursor` hands back.
pub(super) fn page_pagination(result: &Ty, params: &[Param]) -> Option<Pagination> {
    let Ty::Vec(item) = result else { return None };
    let query = |name: &str| {
        params
            .iter()
            .position(|p| p.location == Location::Query && p.field.wire == name)
    };
    let numbered = query("page").and_then(|i| {
        let page_ty = params[i].field.ty.base().clone();
        matches!(page_ty, Ty::I32 | Ty::I64 | Ty::F64).then_some((i, page_ty, false))
    });
    let cursor = || {
        query("cursor")
            .filter(|&i| *params[i].field.ty.base() == Ty::String)
            .map(|i| (i, Ty::String, true))
    };
    let (page_param, page_ty, cursor) = numbered.or_else(cursor)?;
    Some(Pagination {
        page_param,
        page_ty,
        cursor,
        item: item.as_ref().clone(),
    })
}

/// Whether the document is Cloudflare's API (its first server is `api.cloudflare.com`).
fn is_cloudflare(doc: &OpenAPI) -> bool {
    doc.servers
        .first()
        .is_some_and(|s| s.url.contains("://api.cloudflare.com"))
}

/// Cloudflare's API, where its SDKs send requests unless told otherwise.
const CLOUDFLARE_API: &str = "https://api.cloudflare.com/client/v4";

/// The default base URL of Cloudflare's documents: its API, as in its SDKs. Any other
/// document's default comes from its own `servers` (`servers.rs`).
pub(super) fn base_url(doc: &OpenAPI) -> Option<&'static str> {
    is_cloudflare(doc).then_some(CLOUDFLARE_API)
}

/// Cloudflare's SDKs read `CLOUDFLARE_*` variables, whatever the crate is called.
pub(super) fn env_prefix(doc: &OpenAPI) -> Option<String> {
    is_cloudflare(doc).then(|| "CLOUDFLARE".to_owned())
}

/// The variable Cloudflare's SDKs read for a scheme (after the prefix): `CLOUDFLARE_EMAIL`
/// for `api_email`, not `CLOUDFLARE_API_EMAIL`.
pub(super) fn env_suffix(doc: &OpenAPI, scheme: &str) -> Option<String> {
    if !is_cloudflare(doc) {
        return None;
    }
    let suffix = match scheme {
        "api_token" => "API_TOKEN",
        "api_email" => "EMAIL",
        "api_key" => "API_KEY",
        "user_service_key" => "API_USER_SERVICE_KEY",
        _ => return None,
    };
    Some(suffix.to_owned())
}

/// Cloudflare's per-operation `security` lists are unreliable (hundreds of operations list
/// `api_email`, `api_key` and `api_token` as one requirement, or only the legacy pair, while
/// the API takes a token for them), and its SDKs send whichever one scheme is configured. So
/// every operation of Cloudflare's document accepts the same alternatives, in the SDKs' order of
/// preference: a token, then email and key, then a user service key.
pub(super) fn security_alternatives(
    doc: &OpenAPI,
    auth: &crate::model::Auth,
) -> Option<Vec<Vec<usize>>> {
    if !is_cloudflare(doc) {
        return None;
    }
    let index = |name: &str| auth.schemes.iter().position(|s| s.name == name);
    let mut out = Vec::new();
    if let Some(token) = index("api_token") {
        out.push(vec![token]);
    }
    if let (Some(email), Some(key)) = (index("api_email"), index("api_key")) {
        out.push(vec![email, key]);
    }
    if let Some(service) = index("user_service_key") {
        out.push(vec![service]);
    }
    (!out.is_empty()).then_some(out)
}
