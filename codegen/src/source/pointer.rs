//! JSON pointers (RFC 6901) in the `#/a/b` form `$ref`s and diagnostics use.

use serde_json::Value;

/// Escapes one JSON pointer segment (`~` -> `~0`, `/` -> `~1`).
pub fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// The segment an escaped pointer segment stands for (`~1` -> `/`, `~0` -> `~`).
pub fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// The node a local `#/...` pointer names, if any (`#` names the whole document). One lookup:
/// a `$ref` found there is not followed (that is [`super::follow`]).
pub fn resolve_pointer<'a>(root: &'a Value, target: &str) -> Option<&'a Value> {
    let path = target.strip_prefix('#')?;
    if path.is_empty() {
        return Some(root);
    }
    root.pointer(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn segments_round_trip() {
        for segment in ["a/b", "~1", "plain", "~/~"] {
            assert_eq!(unescape(&escape(segment)), segment);
        }
        assert_eq!(escape("application/json"), "application~1json");
        assert_eq!(escape("~x"), "~0x");
    }

    #[test]
    fn pointers_name_nodes_of_the_document() {
        let doc = json!({"paths": {"/a": {"get": 1}}, "list": [5]});
        assert_eq!(resolve_pointer(&doc, "#"), Some(&doc));
        assert_eq!(resolve_pointer(&doc, "#/paths/~1a/get"), Some(&json!(1)));
        assert_eq!(resolve_pointer(&doc, "#/list/0"), Some(&json!(5)));
        assert_eq!(resolve_pointer(&doc, "#/nope"), None);
        assert_eq!(resolve_pointer(&doc, "other.yaml#/a"), None);
    }
}
