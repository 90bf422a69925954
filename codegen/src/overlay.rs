//! Overlays (OpenAPI Overlay Specification 1.0): reading an overlay document, checking it, and
//! applying its actions, in order, to the raw spec before anything else reads the spec.
//!
//! An overlay is a list of actions. Each action selects nodes of the spec with an RFC 9535
//! JSONPath `target` and either merges its `update` into every selected node or, with
//! `remove: true`, removes every selected node from its parent:
//!
//! - an object target: the `update` (an object) is merged into it key by key, recursively;
//!   where both sides hold an object they are merged, where both hold an array the update's
//!   entries are appended, anything else is replaced by the update's value;
//! - an array target: the `update` is appended to it as one new entry (as the Overlay
//!   specification says; to add several entries, target the array in several actions, or target
//!   the object that holds it with an update that holds an array);
//! - a string, number, boolean or null target: the specification allows only objects and arrays,
//!   so an `update` there is an error that says to target the object that holds the value;
//!   `remove` accepts any node.
//!
//! A target that selects nothing is a warning; a malformed overlay is an error naming the
//! overlay file and the action (`#/actions/3/target`).

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::source::{escape, is_json, read_value};
use serde_json::{Map, Value};
use serde_json_path::{JsonPath, PathElement};
use std::path::Path;

/// A checked overlay document, ready to apply.
#[derive(Debug, Clone)]
pub struct Overlay {
    /// How messages name the overlay file.
    pub file: String,
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// The actions, in the order they apply.
    pub actions: Vec<Action>,
}

/// One action of an overlay.
#[derive(Debug, Clone)]
pub struct Action {
    /// The action's position in `actions` (from 0), as in the pointer `#/actions/N`.
    pub index: usize,
    /// The JSONPath as written.
    pub target: String,
    /// The parsed JSONPath.
    path: JsonPath,
    /// `description`, when given.
    pub description: Option<String>,
    /// What the action does to each selected node.
    pub change: Change,
}

/// What an action does to the nodes its target selects.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Merge this value into each selected object, or append it to each selected array.
    Update(Value),
    /// Remove each selected node from the object or array that holds it.
    Remove,
}

/// One step from a node to a child: an object key or an array index.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Key(String),
    Index(usize),
}

/// Reads and checks the overlay at `path`; `display` is how messages name it.
pub fn read(path: &Path, display: &str) -> Result<Overlay, Diagnostics> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Diagnostic::file_error(display, format!("cannot read the overlay: {e}"))
            .hint("pass an existing Overlay 1.0 file with --overlay <file.yaml|file.json>")
    })?;
    parse(&text, display, is_json(path, &text))
}

/// Parses overlay text (JSON when `json`, YAML otherwise) and checks every field, reporting
/// every problem found (not only the first).
pub fn parse(text: &str, display: &str, json: bool) -> Result<Overlay, Diagnostics> {
    let value = read_value(text, display, json)?;
    let mut errors = Diagnostics::for_file(display);
    let overlay = check(&value, &mut errors);
    match overlay {
        Some(overlay) if !errors.has_errors() => Ok(overlay),
        _ => Err(errors),
    }
}

/// Checks an overlay document's shape; records every problem in `errors` (the overlay's own,
/// which names its file).
fn check(value: &Value, errors: &mut Diagnostics) -> Option<Overlay> {
    const SPEC_HINT: &str =
        "an overlay is a mapping with `overlay: 1.0.0`, `info` (`title`, `version`) and `actions`";
    let Some(root) = value.as_object() else {
        errors.push(Diagnostic::at("#", "the overlay is not a mapping").hint(SPEC_HINT));
        return None;
    };
    match root.get("overlay") {
        Some(Value::String(v)) if v == "1.0.0" || v.starts_with("1.0.") => {}
        Some(Value::String(v)) => errors.push(
            Diagnostic::at(
                "#/overlay",
                format!(
                    "Overlay version {v:?} is not supported; this generator applies Overlay 1.0.x"
                ),
            )
            .hint("write `overlay: 1.0.0` and use only `update` and `remove` actions"),
        ),
        Some(other) => errors.push(
            Diagnostic::at(
                "#/overlay",
                format!("`overlay` must be a version string, not {}", kind(other)),
            )
            .hint("write `overlay: 1.0.0` (quoted in YAML if it reads as a number)"),
        ),
        None => errors.push(
            Diagnostic::at("#", "missing `overlay` version field (is this an overlay?)")
                .hint("add `overlay: 1.0.0` at the top of the overlay"),
        ),
    }
    let mut info_field = |name: &str| -> String {
        match root.get("info").and_then(|i| i.get(name)) {
            Some(Value::String(s)) => s.clone(),
            _ => {
                let at = if root.get("info").is_some_and(Value::is_object) {
                    format!("#/info/{name}")
                } else {
                    "#/info".to_owned()
                };
                errors.push(
                    Diagnostic::at(at, format!("missing `info.{name}` (a string)"))
                        .hint("give the overlay an `info` with a `title` and a `version`"),
                );
                String::new()
            }
        }
    };
    let title = info_field("title");
    let version = info_field("version");
    if let Some(extends) = root.get("extends") {
        if !extends.is_string() {
            errors.push(
                Diagnostic::at("#/extends", "`extends` must be a URL string")
                    .hint("remove `extends` or make it the URL of the document the overlay is for"),
            );
        }
    }
    let actions = match root.get("actions") {
        Some(Value::Array(actions)) if actions.is_empty() => {
            errors.push(
                Diagnostic::at("#/actions", "`actions` is empty")
                    .hint("an overlay needs at least one action with a `target` and an `update` or `remove: true`"),
            );
            Vec::new()
        }
        Some(Value::Array(actions)) => actions
            .iter()
            .enumerate()
            .filter_map(|(index, a)| check_action(index, a, errors))
            .collect(),
        Some(other) => {
            errors.push(
                Diagnostic::at(
                    "#/actions",
                    format!("`actions` must be a list, not {}", kind(other)),
                )
                .hint("write `actions:` followed by a list of `- target: ...` entries"),
            );
            Vec::new()
        }
        None => {
            errors.push(
                Diagnostic::at("#", "missing `actions`")
                    .hint("add `actions:` with at least one `- target: ...` entry"),
            );
            Vec::new()
        }
    };
    Some(Overlay {
        file: errors.file().to_owned(),
        title,
        version,
        actions,
    })
}

/// Checks one action; records every problem in `errors`.
fn check_action(index: usize, action: &Value, errors: &mut Diagnostics) -> Option<Action> {
    let at = format!("#/actions/{index}");
    let Some(map) = action.as_object() else {
        errors.push(
            Diagnostic::at(
                &at,
                format!("action {index} is {}, not a mapping", kind(action)),
            )
            .hint("an action is a mapping with `target` and `update` or `remove: true`"),
        );
        return None;
    };
    let mut ok = true;
    let path = match map.get("target") {
        Some(Value::String(target)) => match parse_target(target) {
            Ok(path) => Some((target.clone(), path)),
            Err(message) => {
                errors.push(
                    Diagnostic::at(
                        format!("{at}/target"),
                        format!("action {index}: target {target:?} is not a valid JSONPath: {message}"),
                    )
                    .hint("write an RFC 9535 JSONPath starting with `$`, e.g. `$.components.schemas['Name']`"),
                );
                None
            }
        },
        Some(other) => {
            errors.push(
                Diagnostic::at(
                    format!("{at}/target"),
                    format!(
                        "action {index}: `target` must be a JSONPath string, not {}",
                        kind(other)
                    ),
                )
                .hint("quote the JSONPath, e.g. `target: \"$.info\"`"),
            );
            None
        }
        None => {
            errors.push(
                Diagnostic::at(&at, format!("action {index} has no `target`"))
                    .hint("add `target:` with a JSONPath selecting the nodes to change"),
            );
            None
        }
    };
    let description = match map.get("description") {
        None => None,
        Some(Value::String(d)) => Some(d.clone()),
        Some(other) => {
            errors.push(
                Diagnostic::at(
                    format!("{at}/description"),
                    format!(
                        "action {index}: `description` must be a string, not {}",
                        kind(other)
                    ),
                )
                .hint("make the description a string or remove it"),
            );
            ok = false;
            None
        }
    };
    let remove = match map.get("remove") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            errors.push(
                Diagnostic::at(
                    format!("{at}/remove"),
                    format!(
                        "action {index}: `remove` must be true or false, not {}",
                        kind(other)
                    ),
                )
                .hint("write `remove: true` to remove the selected nodes"),
            );
            ok = false;
            false
        }
    };
    if map.contains_key("copy") {
        errors.push(
            Diagnostic::at(
                format!("{at}/copy"),
                format!("action {index}: `copy` (Overlay 1.1) is not supported"),
            )
            .hint("write the copied content out in an `update`"),
        );
        ok = false;
    }
    for key in map.keys() {
        let known = ["target", "description", "update", "remove", "copy"];
        if !known.contains(&key.as_str()) && !key.starts_with("x-") {
            errors.push(
                Diagnostic::at(
                    format!("{at}/{}", escape(key)),
                    format!("action {index}: unknown field `{key}`"),
                )
                .hint("an action has `target`, `description`, and `update` or `remove`; extensions start with `x-`"),
            );
            ok = false;
        }
    }
    let change = match (remove, map.get("update")) {
        (true, _) => Some(Change::Remove),
        (false, Some(update)) => Some(Change::Update(update.clone())),
        (false, None) => {
            errors.push(
                Diagnostic::at(
                    &at,
                    format!("action {index} has neither `update` nor `remove: true`"),
                )
                .hint("add `update:` with the fields to merge into the target, or `remove: true`"),
            );
            None
        }
    };
    let (target, path) = path?;
    let change = change?;
    ok.then_some(Action {
        index,
        target,
        path,
        description,
        change,
    })
}

/// Parses an RFC 9535 JSONPath; the overlay schema also requires it to start with `$`.
fn parse_target(target: &str) -> Result<JsonPath, String> {
    if !target.trim_start().starts_with('$') {
        return Err("a JSONPath starts with `$` (the document root)".to_owned());
    }
    JsonPath::parse(target).map_err(|e| e.to_string())
}

/// A value's JSON kind, for messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// A JSON pointer (`#/a/0`) for a list of steps.
fn pointer(steps: &[Step]) -> String {
    let mut out = String::from("#");
    for step in steps {
        out.push('/');
        match step {
            Step::Key(k) => out.push_str(&escape(k)),
            Step::Index(i) => out.push_str(&i.to_string()),
        }
    }
    out
}

fn node_mut<'a>(root: &'a mut Value, steps: &[Step]) -> Option<&'a mut Value> {
    let mut node = root;
    for step in steps {
        node = match (node, step) {
            (Value::Object(map), Step::Key(k)) => map.get_mut(k)?,
            (Value::Array(items), Step::Index(i)) => items.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(node)
}

impl Overlay {
    /// Applies every action, in order, to `doc`; records in `diagnostics` a warning for each
    /// target that selects nothing and an error for each update that cannot apply, each naming
    /// the overlay's file.
    pub fn apply(&self, doc: &mut Value, diagnostics: &mut Diagnostics) {
        let mut own = Diagnostics::for_file(&self.file);
        for action in &self.actions {
            action.apply(doc, &mut own);
        }
        diagnostics.extend(own);
    }
}

impl Action {
    /// The nodes the target selects, as steps from the root, each once, in document order.
    fn select(&self, doc: &Value) -> Vec<Vec<Step>> {
        let mut found: Vec<Vec<Step>> = self
            .path
            .query_located(doc)
            .iter()
            .map(|node| {
                node.location()
                    .iter()
                    .map(|e| match e {
                        PathElement::Name(k) => Step::Key((*k).to_owned()),
                        PathElement::Index(i) => Step::Index(*i),
                    })
                    .collect()
            })
            .collect();
        found.sort();
        found.dedup();
        found
    }

    /// Applies this action to `doc`, reporting to `diagnostics`, the overlay's own.
    pub fn apply(&self, doc: &mut Value, diagnostics: &mut Diagnostics) {
        let at = format!("#/actions/{}/target", self.index);
        let selected = self.select(doc);
        if selected.is_empty() {
            diagnostics.push(
                Diagnostic::warning(
                    &at,
                    format!(
                        "action {}: target {:?} selects nothing; the action changed nothing",
                        self.index, self.target
                    ),
                )
                .hint("check the JSONPath against the spec as the overlays before this action left it"),
            );
            return;
        }
        match &self.change {
            Change::Remove => {
                // Children and later array entries first, so every other location stays valid.
                for steps in selected.iter().rev() {
                    let Some((last, parent)) = steps.split_last() else {
                        diagnostics.push(
                            Diagnostic::at(
                                &at,
                                format!(
                                    "action {}: target {:?} selects the whole document, which cannot be removed",
                                    self.index, self.target
                                ),
                            )
                            .hint("target the nodes inside the document to remove"),
                        );
                        continue;
                    };
                    match (node_mut(doc, parent), last) {
                        (Some(Value::Object(map)), Step::Key(k)) => {
                            map.shift_remove(k);
                        }
                        (Some(Value::Array(items)), Step::Index(i)) if *i < items.len() => {
                            items.remove(*i);
                        }
                        // Already gone with a removed ancestor.
                        _ => {}
                    }
                }
            }
            Change::Update(update) => {
                for steps in &selected {
                    match node_mut(doc, steps) {
                        Some(Value::Object(target)) => match update {
                            Value::Object(update) => merge_object(target, update),
                            other => diagnostics.push(
                                Diagnostic::at(
                                    format!("#/actions/{}/update", self.index),
                                    format!(
                                        "action {}: the target selects a mapping at {}, and `update` is {}; only a mapping can be merged into a mapping",
                                        self.index,
                                        pointer(steps),
                                        kind(other)
                                    ),
                                )
                                .hint("make `update` a mapping of the fields to set, or target the node's parent"),
                            ),
                        },
                        Some(Value::Array(items)) => items.push(update.clone()),
                        Some(other) => diagnostics.push(
                            Diagnostic::at(
                                &at,
                                format!(
                                    "action {}: target {:?} selects {} at {}; an update merges into mappings or appends to lists only",
                                    self.index,
                                    self.target,
                                    kind(other),
                                    pointer(steps)
                                ),
                            )
                            .hint("target the mapping that holds the value and update that field, e.g. target `$.a` with update `{b: new}` instead of target `$.a.b`"),
                        ),
                        // Replaced by an earlier update of an ancestor in this same action.
                        None => {}
                    }
                }
            }
        }
    }
}

/// Merges `update` into `target`: objects recursively, arrays appended, anything else replaced.
pub fn merge_object(target: &mut Map<String, Value>, update: &Map<String, Value>) {
    for (key, value) in update {
        match (target.get_mut(key), value) {
            (Some(Value::Object(t)), Value::Object(u)) => merge_object(t, u),
            (Some(Value::Array(t)), Value::Array(u)) => t.extend(u.iter().cloned()),
            (Some(existing), _) => *existing = value.clone(),
            (None, _) => {
                target.insert(key.clone(), value.clone());
            }
        }
    }
}

/// Reads every overlay (path, display name) and applies them in order to `doc`, reporting to
/// `diagnostics` (each diagnostic names its overlay). Overlays are all read and checked before
/// any applies, so every malformed one is reported at once, and none applies.
pub fn apply_files(
    doc: &mut Value,
    overlays: &[(std::path::PathBuf, String)],
    diagnostics: &mut Diagnostics,
) {
    let mut read_ok = Vec::new();
    let mut malformed = false;
    for (path, display) in overlays {
        match read(path, display) {
            Ok(overlay) => read_ok.push(overlay),
            Err(errors) => {
                malformed = true;
                diagnostics.extend(errors);
            }
        }
    }
    if malformed {
        return;
    }
    for overlay in &read_ok {
        overlay.apply(doc, diagnostics);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn overlay(actions: Value) -> Overlay {
        let doc =
            json!({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": actions});
        parse(&doc.to_string(), "o.yaml", true).expect("a valid overlay")
    }

    fn errors_of(text: &str) -> String {
        parse(text, "o.yaml", false)
            .expect_err("a malformed overlay")
            .to_string()
    }

    #[test]
    fn update_merges_objects_recursively_and_appends_arrays() {
        let mut doc = json!({"a": {"b": {"c": 1, "d": [1]}, "e": "x"}});
        let o =
            overlay(json!([{"target": "$.a", "update": {"b": {"d": [2], "f": true}, "e": "y"}}]));
        let mut d = Diagnostics::new();
        o.apply(&mut doc, &mut d);
        assert!(d.is_empty(), "{d}");
        assert_eq!(
            doc,
            json!({"a": {"b": {"c": 1, "d": [1, 2], "f": true}, "e": "y"}})
        );
    }

    #[test]
    fn update_of_an_array_appends_one_entry_to_each_selected_array() {
        let mut doc = json!({"p": {"x": {"tags": ["a"]}, "y": {"tags": []}}});
        let o = overlay(json!([{"target": "$.p.*.tags", "update": "new"}]));
        let mut d = Diagnostics::new();
        o.apply(&mut doc, &mut d);
        assert_eq!(
            doc,
            json!({"p": {"x": {"tags": ["a", "new"]}, "y": {"tags": ["new"]}}})
        );
    }

    #[test]
    fn update_of_a_primitive_is_an_error_naming_the_action() {
        let mut doc = json!({"info": {"title": "t"}});
        let o = overlay(json!([{"target": "$.info.title", "update": "new"}]));
        let mut d = Diagnostics::new();
        o.apply(&mut doc, &mut d);
        let text = d.to_string();
        assert!(d.has_errors());
        assert!(text.contains("o.yaml: at #/actions/0/target"), "{text}");
        assert!(text.contains("#/info/title"), "{text}");
    }

    #[test]
    fn remove_takes_every_selected_node_out_of_its_parent() {
        let mut doc = json!({"list": [0, 1, 2, 3], "m": {"a": {"x-internal": true}, "b": {}, "c": {"x-internal": true}}});
        let o = overlay(json!([
            {"target": "$.list[1,3]", "remove": true},
            {"target": "$.m[?@['x-internal'] == true]", "remove": true}
        ]));
        let mut d = Diagnostics::new();
        o.apply(&mut doc, &mut d);
        assert!(d.is_empty(), "{d}");
        assert_eq!(doc, json!({"list": [0, 2], "m": {"b": {}}}));
    }

    #[test]
    fn remove_of_nested_matches_and_of_the_root() {
        let mut doc = json!({"a": {"description": "x", "b": {"description": "y"}}});
        let o = overlay(json!([{"target": "$..description", "remove": true}]));
        let mut d = Diagnostics::new();
        o.apply(&mut doc, &mut d);
        assert_eq!(doc, json!({"a": {"b": {}}}));
        let o = overlay(json!([{"target": "$", "remove": true}]));
        o.apply(&mut doc, &mut d);
        assert!(d.has_errors());
        assert!(d.to_string().contains("whole document"), "{d}");
    }

    #[test]
    fn a_target_that_selects_nothing_is_a_warning() {
        let mut doc = json!({"a": 1});
        let o = overlay(json!([{"target": "$.nope", "update": {"x": 1}}]));
        let mut d = Diagnostics::new();
        o.apply(&mut doc, &mut d);
        assert!(!d.has_errors());
        assert_eq!(d.warnings().count(), 1);
        let text = d.to_string();
        assert!(
            text.starts_with("warning: o.yaml: at #/actions/0/target: action 0: target \"$.nope\" selects nothing"),
            "{text}"
        );
        assert_eq!(doc, json!({"a": 1}));
    }

    #[test]
    fn malformed_overlays_name_the_file_and_every_broken_action() {
        let text = errors_of(
            "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.a\n    update: {x: 1}\n  - target: '$.['\n    update: {}\n  - target: $.b\n  - update: {}\n  - target: $.c\n    remove: 'yes'\n",
        );
        for needle in [
            "error: o.yaml: at #/actions/1/target: action 1: target \"$.[\" is not a valid JSONPath",
            "error: o.yaml: at #/actions/2: action 2 has neither `update` nor `remove: true`",
            "error: o.yaml: at #/actions/3: action 3 has no `target`",
            "error: o.yaml: at #/actions/4/remove",
            "help:",
        ] {
            assert!(text.contains(needle), "{needle:?} missing in:\n{text}");
        }
        assert!(!text.contains("#/actions/0"), "{text}");
    }

    #[test]
    fn malformed_documents() {
        let text = errors_of("info: {title: t}\n");
        assert!(text.contains("missing `overlay`"), "{text}");
        assert!(text.contains("#/info/version"), "{text}");
        assert!(text.contains("missing `actions`"), "{text}");
        let text = errors_of("overlay: 2.0.0\ninfo: {title: t, version: '1'}\nactions: []\n");
        assert!(text.contains("not supported"), "{text}");
        assert!(text.contains("`actions` is empty"), "{text}");
        let text = errors_of("- just a list\n");
        assert!(text.contains("not a mapping"), "{text}");
        let text = errors_of("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: a.b\n    remove: true\n");
        assert!(text.contains("starts with `$`"), "{text}");
        let text = errors_of("overlay: [\n");
        assert!(
            text.contains("o.yaml:") && text.contains("invalid YAML"),
            "{text}"
        );
    }
}
