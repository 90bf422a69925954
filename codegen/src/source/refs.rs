//! The one `$ref` resolver: from a reference to the node its chain ends at (a `$ref` whose
//! target is itself only a `$ref` is followed on), with cycles and dangling references told
//! apart.

use super::pointer::resolve_pointer;
use serde_json::Value;

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
    follow_hops(root, reference).1
}

/// [`follow`], with every reference it passed, the first one first (a cycle's repeated
/// reference is listed once).
pub fn follow_hops<'a>(
    root: &'a Value,
    reference: &'a str,
) -> (Vec<&'a str>, Result<Target<'a>, RefError>) {
    let mut hops = Vec::new();
    let mut pointer = reference;
    loop {
        if hops.contains(&pointer) {
            return (hops, Err(RefError::Cycle(pointer.to_owned())));
        }
        hops.push(pointer);
        let Some(node) = resolve_pointer(root, pointer) else {
            return (hops, Err(RefError::Dangling(pointer.to_owned())));
        };
        match ref_of(node) {
            Some(next) => pointer = next,
            None => return (hops, Ok(Target { pointer, node })),
        }
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
        assert_eq!(
            follow_hops(&doc, "#/c/A").0,
            ["#/c/A", "#/c/B", "#/c/C"],
            "every reference passed"
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
            follow_hops(&doc, "#/c/Loop1").0,
            ["#/c/Loop1", "#/c/Loop2", "#/c/Loop3"]
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
