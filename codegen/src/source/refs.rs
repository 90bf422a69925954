//! The one `$ref` resolver: from a reference to the node its chain ends at (a `$ref` whose
//! target is itself only a `$ref` is followed on), with cycles and dangling references told
//! apart.

use super::pointer::resolve_pointer;
use serde_json::Value;
use std::collections::HashSet;

/// Where a chain of `$ref`s ends.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target<'a> {
    /// The last reference followed: the pointer of `node`.
    pub pointer: &'a str,
    /// The node, which holds no `$ref` of its own.
    pub node: &'a Value,
}

/// Why a chain of `$ref`s ends at no node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefError {
    /// This reference names nothing in the document (or is not a local `#/...` pointer).
    Dangling(String),
    /// This reference is reached a second time: the chain leads back to itself.
    Cycle(String),
}

/// The `$ref` of a node, when it is a reference (an object with a string `$ref`).
pub fn ref_of(node: &Value) -> Option<&str> {
    node.get("$ref").and_then(Value::as_str)
}

/// Follows `reference`, and the `$ref` of every node it reaches in turn, to the first node
/// that is not a reference. A chain that comes back to a reference it passed is a
/// [`RefError::Cycle`] naming the first reference seen twice.
pub fn follow<'a>(root: &'a Value, reference: &'a str) -> Result<Target<'a>, RefError> {
    let mut seen = HashSet::new();
    let mut pointer = reference;
    loop {
        if !seen.insert(pointer) {
            return Err(RefError::Cycle(pointer.to_owned()));
        }
        let node =
            resolve_pointer(root, pointer).ok_or_else(|| RefError::Dangling(pointer.to_owned()))?;
        match ref_of(node) {
            Some(next) => pointer = next,
            None => return Ok(Target { pointer, node }),
        }
    }
}

/// `node` itself when it is not a reference, else where its `$ref` chain ends ([`follow`]).
pub fn follow_node<'a>(root: &'a Value, node: &'a Value) -> Result<&'a Value, RefError> {
    match ref_of(node) {
        Some(reference) => follow(root, reference).map(|t| t.node),
        None => Ok(node),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({"c": {
            "A": {"$ref": "#/c/B"},
            "B": {"$ref": "#/c/C"},
            "C": {"type": "string"},
            "Loop1": {"$ref": "#/c/Loop2"},
            "Loop2": {"$ref": "#/c/Loop3"},
            "Loop3": {"$ref": "#/c/Loop2"},
            "Self": {"$ref": "#/c/Self"},
            "Broken": {"$ref": "#/c/Nope"}
        }})
    }

    #[test]
    fn a_chain_ends_at_the_first_node_that_is_not_a_reference() {
        let doc = doc();
        let end = follow(&doc, "#/c/A").expect("the chain ends");
        assert_eq!(end.pointer, "#/c/C");
        assert_eq!(end.node, &json!({"type": "string"}));
        assert_eq!(follow(&doc, "#/c/C").map(|t| t.pointer), Ok("#/c/C"));
        let plain = json!({"type": "integer"});
        assert_eq!(follow_node(&doc, &plain), Ok(&plain));
        assert_eq!(
            follow_node(&doc, &json!({"$ref": "#/c/B"})),
            Ok(&json!({"type": "string"}))
        );
    }

    #[test]
    fn cycles_and_dangling_references_are_told_apart() {
        let doc = doc();
        assert_eq!(
            follow(&doc, "#/c/Loop1"),
            Err(RefError::Cycle("#/c/Loop2".into()))
        );
        assert_eq!(
            follow(&doc, "#/c/Self"),
            Err(RefError::Cycle("#/c/Self".into()))
        );
        assert_eq!(
            follow(&doc, "#/c/Broken"),
            Err(RefError::Dangling("#/c/Nope".into()))
        );
        assert_eq!(
            follow(&doc, "elsewhere.yaml#/c/A"),
            Err(RefError::Dangling("elsewhere.yaml#/c/A".into()))
        );
    }
}
