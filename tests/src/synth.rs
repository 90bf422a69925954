//! Schema-valid JSON bodies synthesized from an OpenAPI document (3.0 shapes, as the
//! generator's loader leaves every document), for the conformance test: every operation's
//! success response, decoded into the type the generated crate gives it.
//!
//! One [`Synth`] walks a schema with a [`Mode`] (every property, only the required ones, or
//! every property with `null` wherever the schema allows it) and a `choice`, the index of the
//! member each `oneOf`/`anyOf` picks (modulo its number of members), so that running choices
//! `0..`[`Synth::widest_union`] gives every member of every union at least once. `$ref`s are
//! followed with a guard against cycles, and nesting is cut at a depth limit: past it, or on a
//! cycle, optional properties are left out and arrays are empty.

use serde_json::{json, Map, Value};

/// Which properties a synthesized object holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Every property (and one extra where `additionalProperties` allows it).
    Full,
    /// Only the required properties.
    Required,
    /// Every property, `null` wherever the schema allows `null`.
    Nulls,
}

impl Mode {
    /// Every mode.
    pub const ALL: [Mode; 3] = [Mode::Full, Mode::Required, Mode::Nulls];
}

/// How deep objects and arrays nest before the synthesizer stops adding optional parts.
const MAX_DEPTH: usize = 10;

/// A body synthesizer over one document.
pub struct Synth<'a> {
    doc: &'a Value,
    mode: Mode,
    choice: usize,
    /// A property of the outermost object that is always made (an envelope's `result`).
    always: Option<&'a str>,
    /// The `$ref`s being expanded, for the cycle guard.
    stack: Vec<String>,
    /// Properties an `allOf` requires, by the depth of the object they belong to: one member
    /// may require what another declares.
    required: Vec<(usize, Vec<String>)>,
}

impl<'a> Synth<'a> {
    /// A synthesizer over `doc` (the whole document, for `$ref`s).
    pub fn new(doc: &'a Value, mode: Mode, choice: usize) -> Self {
        Synth {
            doc,
            mode,
            choice,
            always: None,
            stack: Vec::new(),
            required: Vec::new(),
        }
    }

    /// Makes the outermost object's property `name` whatever the mode (the `result` of an
    /// envelope, which the conformance test decodes even where the schema does not require
    /// it).
    pub fn always(mut self, name: &'a str) -> Self {
        self.always = Some(name);
        self
    }

    /// A value of `schema`, or `None` when none can be made (a cycle with no way out).
    pub fn value(&mut self, schema: &Value) -> Option<Value> {
        self.value_at(schema, 0)
    }

    /// The largest number of members of any `oneOf`/`anyOf` reachable from `schema`: how many
    /// choices it takes to give each member once.
    pub fn widest_union(doc: &Value, schema: &Value) -> usize {
        let mut seen = Vec::new();
        widest(doc, schema, &mut seen, 0).max(1)
    }

    fn resolve(&self, reference: &str) -> Option<&'a Value> {
        let pointer = reference.strip_prefix('#')?;
        self.doc.pointer(pointer)
    }

    fn value_at(&mut self, schema: &Value, depth: usize) -> Option<Value> {
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            if self.stack.iter().any(|r| r == reference) || depth > 3 * MAX_DEPTH {
                return None;
            }
            let target = self.resolve(reference)?;
            self.stack.push(reference.to_owned());
            let out = self.value_at(target, depth);
            self.stack.pop();
            return out;
        }
        if self.mode == Mode::Nulls && allows_null(self.doc, schema) {
            return Some(Value::Null);
        }
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            let values: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
            if !values.is_empty() {
                return Some(values[self.choice % values.len()].clone());
            }
        }
        let mut out = self.base_value(schema, depth);
        if let Some(all_of) = schema.get("allOf").and_then(Value::as_array) {
            let mut required = Vec::new();
            collect_required(self.doc, schema, &mut required, 0);
            self.required.push((depth, required));
            for member in all_of {
                // A member that only adds constraints or words (`{minimum: 60}`) adds no value.
                if is_unconstrained(follow(self.doc, member)) {
                    continue;
                }
                if let Some(v) = self.value_at(member, depth) {
                    out = Some(merge(out, v));
                }
            }
            self.required.pop();
        }
        if let Some(v) = self.union_value(schema, depth) {
            out = Some(merge(out, v));
        }
        match out {
            Some(v) => Some(v),
            // A schema that says nothing (besides `allOf`/unions that gave nothing): any value.
            None if is_unconstrained(schema) => Some(json!("any")),
            None => None,
        }
    }

    /// The value of the schema's own `type`/`properties` (not its `allOf` or union).
    fn base_value(&mut self, schema: &Value, depth: usize) -> Option<Value> {
        let ty = schema_type(schema);
        match ty.as_deref() {
            Some("object") => Some(self.object(schema, depth)),
            None if schema.get("properties").is_some()
                || schema.get("additionalProperties").is_some() =>
            {
                Some(self.object(schema, depth))
            }
            Some("array") => Some(self.array(schema, depth)),
            Some("string") => Some(string_value(schema)),
            Some("integer") => Some(json!(integer_value(schema))),
            Some("number") => Some(json!(number_value(schema))),
            Some("boolean") => Some(json!(true)),
            _ => None,
        }
    }

    fn object(&mut self, schema: &Value, depth: usize) -> Value {
        let mut out = Map::new();
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            for (name, prop) in props {
                let is_required = required.contains(&name.as_str())
                    || (depth == 0 && self.always == Some(name.as_str()))
                    || self
                        .required
                        .iter()
                        .any(|(d, names)| *d == depth && names.contains(name));
                let wanted = is_required || (self.mode != Mode::Required && depth < MAX_DEPTH);
                if !wanted || is_write_only(self.doc, prop) {
                    continue;
                }
                if let Some(v) = self.value_at(prop, depth + 1) {
                    out.insert(name.clone(), v);
                }
            }
        }
        match schema.get("additionalProperties") {
            Some(Value::Object(extra)) if self.mode != Mode::Required && depth < MAX_DEPTH => {
                let extra = Value::Object(extra.clone());
                if let Some(v) = self.value_at(&extra, depth + 1) {
                    out.insert("extra_key".to_owned(), v);
                }
            }
            _ => {}
        }
        Value::Object(out)
    }

    fn array(&mut self, schema: &Value, depth: usize) -> Value {
        let min_items = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0);
        if depth >= MAX_DEPTH && min_items == 0 {
            return json!([]);
        }
        let items = schema.get("items").cloned().unwrap_or(json!({}));
        match self.value_at(&items, depth + 1) {
            Some(v) => {
                let count = min_items.max(1) as usize;
                Value::Array(vec![v; count])
            }
            None => json!([]),
        }
    }

    /// The chosen member of a `oneOf`/`anyOf` (not a `null` one), with its discriminator value.
    fn union_value(&mut self, schema: &Value, depth: usize) -> Option<Value> {
        let members = schema
            .get("oneOf")
            .or_else(|| schema.get("anyOf"))
            .and_then(Value::as_array)?;
        let members: Vec<&Value> = members
            .iter()
            .filter(|m| !is_null_schema(self.doc, m))
            .collect();
        if members.is_empty() {
            return None;
        }
        let start = self.choice % members.len();
        // The chosen member, or the next one that can be made (a cycle may rule one out).
        for offset in 0..members.len() {
            let member = members[(start + offset) % members.len()];
            if let Some(mut v) = self.value_at(member, depth) {
                if let (Some(d), Value::Object(object)) = (schema.get("discriminator"), &mut v) {
                    if let Some(tag) = discriminator_tag(d, member) {
                        let property = d.get("propertyName").and_then(Value::as_str);
                        object.insert(property.unwrap_or("type").to_owned(), json!(tag));
                    }
                }
                return Some(v);
            }
        }
        None
    }
}

/// The value a discriminator gives `member`: the mapping key that names it, else the name of
/// the schema it refers to; `None` for an inline member.
fn discriminator_tag(discriminator: &Value, member: &Value) -> Option<String> {
    let reference = member.get("$ref").and_then(Value::as_str)?;
    let mapped = discriminator
        .get("mapping")
        .and_then(Value::as_object)
        .and_then(|m| {
            m.iter()
                .find(|(_, target)| target.as_str() == Some(reference))
        });
    match mapped {
        Some((key, _)) => Some(key.clone()),
        None => reference.rsplit('/').next().map(str::to_owned),
    }
}

/// Every `required` name of `schema` and of its `allOf` members, at any nesting of `allOf`.
fn collect_required(doc: &Value, schema: &Value, out: &mut Vec<String>, depth: usize) {
    let schema = follow(doc, schema);
    if depth > 32 {
        return;
    }
    if let Some(names) = schema.get("required").and_then(Value::as_array) {
        out.extend(names.iter().filter_map(Value::as_str).map(str::to_owned));
    }
    for member in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        collect_required(doc, member, out, depth + 1);
    }
}

/// Objects merge property by property (the later value wins); anything else is replaced.
fn merge(base: Option<Value>, next: Value) -> Value {
    match (base, next) {
        (Some(Value::Object(mut a)), Value::Object(b)) => {
            for (k, v) in b {
                let merged = merge(a.remove(&k), v);
                a.insert(k, merged);
            }
            Value::Object(a)
        }
        (_, next) => next,
    }
}

/// The schema's `type`, the first that is not `null` when it is a list.
fn schema_type(schema: &Value) -> Option<String> {
    match schema.get("type")? {
        Value::String(s) => Some(s.clone()),
        Value::Array(types) => types
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .map(str::to_owned),
        _ => None,
    }
}

/// Whether the schema constrains nothing a value could break.
fn is_unconstrained(schema: &Value) -> bool {
    [
        "type",
        "properties",
        "items",
        "enum",
        "oneOf",
        "anyOf",
        "allOf",
        "$ref",
    ]
    .iter()
    .all(|k| schema.get(k).is_none())
}

/// Whether `schema` accepts `null`: `nullable`, a `null` type or enum value, or a `oneOf` /
/// `anyOf` with a `null` member.
pub fn allows_null(doc: &Value, schema: &Value) -> bool {
    let schema = follow(doc, schema);
    if schema.get("nullable") == Some(&Value::Bool(true)) {
        return true;
    }
    if let Some(Value::Array(types)) = schema.get("type") {
        if types.iter().any(|t| t == "null") {
            return true;
        }
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        if values.iter().any(Value::is_null) {
            return true;
        }
    }
    ["oneOf", "anyOf"].iter().any(|key| {
        schema
            .get(key)
            .and_then(Value::as_array)
            .is_some_and(|members| members.iter().any(|m| is_null_schema(doc, m)))
    })
}

/// Whether `schema` admits only `null` (`type: null`, or `enum: [null]`).
fn is_null_schema(doc: &Value, schema: &Value) -> bool {
    let schema = follow(doc, schema);
    if schema.get("type").and_then(Value::as_str) == Some("null") {
        return true;
    }
    schema
        .get("enum")
        .and_then(Value::as_array)
        .is_some_and(|values| !values.is_empty() && values.iter().all(Value::is_null))
}

fn is_write_only(doc: &Value, schema: &Value) -> bool {
    follow(doc, schema).get("writeOnly") == Some(&Value::Bool(true))
}

/// `schema` with its `$ref`s followed (a few levels, for the checks above).
fn follow<'v>(doc: &'v Value, mut schema: &'v Value) -> &'v Value {
    for _ in 0..8 {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(r) => match r.strip_prefix('#').and_then(|p| doc.pointer(p)) {
                Some(target) => schema = target,
                None => return schema,
            },
            None => return schema,
        }
    }
    schema
}

/// A string in the schema's `format`, long enough for its `minLength`.
fn string_value(schema: &Value) -> Value {
    let text = match schema.get("format").and_then(Value::as_str) {
        Some("date-time") => "2024-01-02T03:04:05Z".to_owned(),
        Some("date") => "2024-01-02".to_owned(),
        Some("time") => "03:04:05".to_owned(),
        Some("uuid") => "bcf48806-b317-4351-9ee7-36e7d557d4de".to_owned(),
        Some("email") => "user@example.com".to_owned(),
        Some("uri" | "url") => "https://example.com/".to_owned(),
        Some("hostname") => "example.com".to_owned(),
        Some("ipv4") => "192.0.2.1".to_owned(),
        Some("ipv6") => "2001:db8::1".to_owned(),
        Some("byte") => "aGVsbG8=".to_owned(),
        _ => "text".to_owned(),
    };
    let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    if text.len() >= min {
        json!(text)
    } else {
        json!("x".repeat(min))
    }
}

fn integer_value(schema: &Value) -> i64 {
    let min = schema.get("minimum").and_then(Value::as_f64);
    let max = schema.get("maximum").and_then(Value::as_f64);
    match (min, max) {
        (Some(min), _) => min.ceil() as i64 + 1,
        (None, Some(max)) => max.floor() as i64 - 1,
        (None, None) => 1,
    }
    .clamp(i64::from(i32::MIN), i64::from(i32::MAX))
}

fn number_value(schema: &Value) -> f64 {
    let min = schema.get("minimum").and_then(Value::as_f64);
    let max = schema.get("maximum").and_then(Value::as_f64);
    match (min, max) {
        (Some(min), Some(max)) => (min + max) / 2.0,
        (Some(min), None) => min + 1.5,
        (None, Some(max)) => max - 1.5,
        (None, None) => 1.5,
    }
}

fn widest(doc: &Value, schema: &Value, seen: &mut Vec<String>, depth: usize) -> usize {
    if depth > 64 {
        return 1;
    }
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        if seen.iter().any(|r| r == reference) {
            return 1;
        }
        seen.push(reference.to_owned());
        return match reference.strip_prefix('#').and_then(|p| doc.pointer(p)) {
            Some(target) => widest(doc, target, seen, depth + 1),
            None => 1,
        };
    }
    let mut most = 1;
    for key in ["oneOf", "anyOf"] {
        if let Some(members) = schema.get(key).and_then(Value::as_array) {
            most = most.max(members.len());
        }
    }
    let children = ["oneOf", "anyOf", "allOf"]
        .iter()
        .filter_map(|k| schema.get(k).and_then(Value::as_array))
        .flatten()
        .chain(
            schema
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flat_map(|p| p.values()),
        )
        .chain(schema.get("items"))
        .chain(schema.get("additionalProperties").filter(|a| a.is_object()));
    for child in children.collect::<Vec<_>>() {
        most = most.max(widest(doc, child, seen, depth + 1));
    }
    most
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_choose_properties_and_nulls() {
        let doc = json!({});
        let schema = json!({
            "type": "object",
            "required": ["a"],
            "properties": {
                "a": {"type": "string", "format": "date"},
                "b": {"type": "integer", "nullable": true},
                "c": {"type": "array", "items": {"type": "number", "minimum": 1, "maximum": 3}}
            }
        });
        let full = Synth::new(&doc, Mode::Full, 0).value(&schema).unwrap();
        assert_eq!(full, json!({"a": "2024-01-02", "b": 1, "c": [2.0]}));
        let required = Synth::new(&doc, Mode::Required, 0).value(&schema).unwrap();
        assert_eq!(required, json!({"a": "2024-01-02"}));
        let nulls = Synth::new(&doc, Mode::Nulls, 0).value(&schema).unwrap();
        assert_eq!(nulls, json!({"a": "2024-01-02", "b": null, "c": [2.0]}));
    }

    #[test]
    fn choices_cover_every_member_and_set_the_discriminator() {
        let doc = json!({"components": {"schemas": {
            "cat": {"type": "object", "properties": {"kind": {"type": "string"}, "purrs": {"type": "boolean"}}},
            "dog": {"type": "object", "properties": {"kind": {"type": "string"}, "barks": {"type": "boolean"}}}
        }}});
        let schema = json!({
            "oneOf": [{"$ref": "#/components/schemas/cat"}, {"$ref": "#/components/schemas/dog"}],
            "discriminator": {"propertyName": "kind", "mapping": {"woof": "#/components/schemas/dog"}}
        });
        assert_eq!(Synth::widest_union(&doc, &schema), 2);
        let first = Synth::new(&doc, Mode::Full, 0).value(&schema).unwrap();
        assert_eq!(first, json!({"kind": "cat", "purrs": true}));
        let second = Synth::new(&doc, Mode::Full, 1).value(&schema).unwrap();
        assert_eq!(second, json!({"kind": "woof", "barks": true}));
    }

    #[test]
    fn cycles_end_and_all_of_merges() {
        let doc = json!({"components": {"schemas": {
            "node": {"type": "object", "required": ["name"], "properties": {
                "name": {"type": "string"},
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/node"}},
                "parent": {"$ref": "#/components/schemas/node"}
            }}
        }}});
        let node = json!({"$ref": "#/components/schemas/node"});
        let v = Synth::new(&doc, Mode::Full, 0).value(&node).unwrap();
        assert_eq!(v, json!({"name": "text", "children": []}));
        let all_of = json!({"allOf": [
            {"type": "object", "properties": {"s": {"type": "string"}}},
            {"oneOf": [{"type": "object", "required": ["s"], "properties": {"s": {"enum": ["p"]}}}]}
        ]});
        let v = Synth::new(&doc, Mode::Required, 0).value(&all_of).unwrap();
        assert_eq!(v, json!({"s": "p"}));
    }
}
