//! Rust names for spec names: case conversion, keywords, leading digits, collisions.

use heck::{ToPascalCase, ToSnakeCase};
use std::collections::BTreeSet;

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true", "type", "unsafe",
    "use", "where", "while", "abstract", "become", "box", "do", "final", "macro", "override",
    "priv", "try", "typeof", "unsized", "virtual", "yield", "union",
];

/// Type names the generated crate defines or uses unqualified; schemas never take them.
pub const RESERVED_TYPES: &[&str] = &[
    "Client",
    "ClientBuilder",
    "Credentials",
    "Error",
    "ApiError",
    "ApiResponse",
    "ResponseInfo",
    "ResponseInfoSource",
    "ValidationError",
    "DecodeError",
    "TransportError",
    "Validate",
    "FieldPath",
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "Vec",
    "String",
    "Box",
    "Self",
    "BTreeMap",
    "Value",
    "Bytes",
    "DateTime",
    "NaiveDate",
    "Utc",
    "Default",
    "Clone",
    "Debug",
    "PartialEq",
    "Serialize",
    "Deserialize",
    "Request",
    "Body",
    "Query",
    "Part",
    "ParamValue",
    "Pages",
    "Iterator",
    "Into",
    "From",
    "ToString",
    "Send",
    "Sync",
    "Copy",
    "Sized",
    "Drop",
    "Fn",
];

/// Splits words the way heck does, after turning separators heck does not know into spaces.
fn words(raw: &str) -> String {
    raw.chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect()
}

/// `snake_case` identifier for a field, method, module or parameter.
pub fn snake_ident(raw: &str) -> String {
    let mut s = words(raw).to_snake_case();
    if s.is_empty() {
        s = "value".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    if KEYWORDS.contains(&s.as_str()) {
        s.push('_');
    }
    s
}

/// `PascalCase` name for a type or variant.
pub fn pascal_ident(raw: &str) -> String {
    let mut s = words(raw).to_pascal_case();
    if s.is_empty() {
        s = "Value".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'V');
    }
    if KEYWORDS.contains(&s.to_lowercase().as_str()) && s == "Self" {
        s.push('_');
    }
    s
}

/// A type name made of `parent` and `suffix`: `Pet` + `Tag` -> `PetTag`. A parent that ends
/// in `_` (the keyword `Self_`) loses it, so the result stays camel case: `SelfHints`.
pub fn join_type(parent: &str, suffix: &str) -> String {
    let stem = parent.trim_end_matches('_');
    let stem = if stem.is_empty() { parent } else { stem };
    format!("{stem}{suffix}")
}

/// A method's twin: `update` + `with_response` -> `update_with_response`; a method that ends
/// in `_` (a keyword, `move_`) keeps one underscore: `move_with_response`.
pub fn suffixed(method: &str, suffix: &str) -> String {
    format!("{}_{suffix}", method.trim_end_matches('_'))
}

/// Singular of an English plural, for resource names (`keys` -> `key`).
pub fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies") {
        format!("{stem}y")
    } else if word.ends_with("sses") || word.ends_with("xes") || word.ends_with("ches") {
        word[..word.len() - 2].to_owned()
    } else if word.ends_with('s') && !word.ends_with("ss") && !word.ends_with("us") {
        word[..word.len() - 1].to_owned()
    } else {
        word.to_owned()
    }
}

/// Hands out unique names in one namespace, deterministically (`Name`, `Name2`, `Name3`, ...).
#[derive(Debug, Default, Clone)]
pub struct Namer {
    used: BTreeSet<String>,
}

impl Namer {
    /// A namer where `reserved` are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Namer {
            used: reserved.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// `wanted` if free, else the first free `wanted2`, `wanted3`, ...; marks it taken.
    pub fn claim(&mut self, wanted: &str) -> String {
        if self.used.insert(wanted.to_owned()) {
            return wanted.to_owned();
        }
        // `Self_` (a keyword) numbers as `Self2`, not `Self_2`, which is not camel case.
        let stem = wanted.trim_end_matches('_');
        let stem = if stem.is_empty() { wanted } else { stem };
        let sep = if stem.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        (2..)
            .map(|n| format!("{stem}{sep}{n}"))
            .find(|candidate| self.used.insert(candidate.clone()))
            .expect("an unbounded range always yields a free name")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idents() {
        assert_eq!(snake_ident("comment.contains"), "comment_contains");
        assert_eq!(snake_ident("type"), "type_");
        assert_eq!(snake_ident("2fa enabled"), "_2fa_enabled");
        assert_eq!(
            snake_ident("keyRotationIntervalDays"),
            "key_rotation_interval_days"
        );
        assert_eq!(pascal_ident("access_key_config"), "AccessKeyConfig");
        assert_eq!(
            pascal_ident("dns-records_dns-record"),
            "DnsRecordsDnsRecord"
        );
        assert_eq!(pascal_ident("1.1.1.1"), "V1111");
        assert_eq!(pascal_ident("user'-s-organizations"), "UserSOrganizations");
        assert_eq!(singular("keys"), "key");
        assert_eq!(singular("policies"), "policy");
        assert_eq!(singular("access"), "access");
    }

    #[test]
    fn namer_is_deterministic() {
        let mut n = Namer::with_reserved(&["Error"]);
        assert_eq!(n.claim("Error"), "Error2");
        assert_eq!(n.claim("Foo"), "Foo");
        assert_eq!(n.claim("Foo"), "Foo2");
        assert_eq!(n.claim("V1"), "V1");
        assert_eq!(n.claim("V1"), "V1_2");
        assert_eq!(n.claim("Self_"), "Self_");
        assert_eq!(n.claim("Self_"), "Self2");
        assert_eq!(suffixed("move_", "with_response"), "move_with_response");
        assert_eq!(join_type("Self_", "Hints"), "SelfHints");
        assert_eq!(join_type("Pet", "Tag"), "PetTag");
        assert_eq!(suffixed("update", "auto_paging"), "update_auto_paging");
    }
}
