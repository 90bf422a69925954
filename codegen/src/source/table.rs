//! The `$ref` table: every reference the typed document holds, followed once ([`follow_hops`])
//! and its target parsed once into the type the reference's place asks for (a schema, a
//! parameter, a response...), so later stages look references up instead of reading JSON.

use super::pointer::{escape, resolve_pointer};
use super::refs::{follow_hops, RefError};
use super::HttpMethod;
use openapiv3::{
    AdditionalProperties, Example, MediaType, OpenAPI, Operation, Parameter,
    ParameterSchemaOrContent, PathItem, ReferenceOr, RequestBody, Response, Schema, SchemaKind,
    SecurityScheme, Type,
};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::BTreeMap;

/// Where the chain of `$ref`s that starts at one reference ends.
#[derive(Debug, Clone, PartialEq)]
pub struct Chain {
    /// Every reference followed, the first one first (a cycle's repeated one is not listed
    /// twice).
    pub hops: Vec<String>,
    /// The pointer of the node the chain ends at (the reference itself when its node is not a
    /// `$ref`), or why it ends at none.
    pub end: Result<String, RefError>,
}

/// The typed targets of one kind, by the pointer a chain ends at: the parsed node, or why it
/// does not parse as that kind.
type Targets<T> = BTreeMap<String, Result<T, String>>;

/// Every `$ref` of a document with where it ends and what it ends at, typed.
#[derive(Debug, Clone, Default)]
pub struct RefTable {
    chains: BTreeMap<String, Chain>,
    schemas: Targets<Schema>,
    parameters: Targets<Parameter>,
    request_bodies: Targets<RequestBody>,
    responses: Targets<Response>,
    path_items: Targets<PathItem>,
    examples: Targets<Example>,
    security_schemes: Targets<SecurityScheme>,
}

/// Why a reference gives no `T`.
#[derive(Debug, Clone, PartialEq)]
pub enum RefFailure<'a> {
    /// The chain ends at no node (a dangling reference or a cycle).
    Broken(RefError),
    /// The chain ends at `pointer`, whose node is not a valid `T` (`message` says why).
    Invalid {
        /// The pointer of the node the chain ends at.
        pointer: &'a str,
        /// The parse error.
        message: &'a str,
    },
}

/// What a `$ref` can stand for, each kept in its own part of the table.
pub trait RefTarget: DeserializeOwned + Sized {
    /// The targets of this kind.
    fn targets(table: &RefTable) -> &Targets<Self>;
    /// The same, to add to.
    fn targets_mut(table: &mut RefTable) -> &mut Targets<Self>;
    /// Which kind it is, for the walk that finds references.
    const KIND: Kind;
}

/// The kinds of [`RefTarget`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A schema.
    Schema,
    /// A parameter.
    Parameter,
    /// A request body.
    RequestBody,
    /// A response.
    Response,
    /// A path item.
    PathItem,
    /// An example.
    Example,
    /// A security scheme.
    SecurityScheme,
}

macro_rules! ref_target {
    ($ty:ty, $field:ident, $kind:ident) => {
        impl RefTarget for $ty {
            fn targets(table: &RefTable) -> &Targets<Self> {
                &table.$field
            }
            fn targets_mut(table: &mut RefTable) -> &mut Targets<Self> {
                &mut table.$field
            }
            const KIND: Kind = Kind::$kind;
        }
    };
}

ref_target!(Schema, schemas, Schema);
ref_target!(Parameter, parameters, Parameter);
ref_target!(RequestBody, request_bodies, RequestBody);
ref_target!(Response, responses, Response);
ref_target!(PathItem, path_items, PathItem);
ref_target!(Example, examples, Example);
ref_target!(SecurityScheme, security_schemes, SecurityScheme);

/// The references found while walking typed nodes, each with the kind its place asks for.
type Found = Vec<(Kind, String)>;

impl RefTable {
    /// The table of `doc`, whose JSON is `raw`: every reference the typed document holds (and
    /// every component schema's own pointer, as if referenced), followed and parsed once;
    /// targets are walked in turn for the references they hold.
    pub fn build(raw: &Value, doc: &OpenAPI) -> RefTable {
        let mut found = Found::new();
        walk_document(doc, &mut found);
        let mut table = RefTable::default();
        // In document order, so the table is the same whatever the walk's order.
        found.reverse();
        while let Some((kind, reference)) = found.pop() {
            table.add(raw, kind, reference, &mut found);
        }
        table
    }

    /// The chain that starts at `reference`; `None` when the document holds no such
    /// reference.
    pub fn chain(&self, reference: &str) -> Option<&Chain> {
        self.chains.get(reference)
    }

    /// The `T` the node at `pointer` (the end of a chain) parses as, or why it does not;
    /// `None` when no reference of that kind ends there.
    pub fn target<T: RefTarget>(&self, pointer: &str) -> Option<Result<&T, &str>> {
        T::targets(self)
            .get(pointer)
            .map(|t| t.as_ref().map_err(String::as_str))
    }

    /// The `T` a reference's chain ends at, with the pointer of its node.
    pub fn resolve<T: RefTarget>(&self, reference: &str) -> Result<(&str, &T), RefFailure<'_>> {
        let dangling = || RefFailure::Broken(RefError::Dangling(reference.to_owned()));
        let chain = self.chain(reference).ok_or_else(dangling)?;
        let end = chain
            .end
            .as_ref()
            .map_err(|e| RefFailure::Broken(e.clone()))?;
        match self.target::<T>(end) {
            Some(Ok(target)) => Ok((end, target)),
            Some(Err(message)) => Err(RefFailure::Invalid {
                pointer: end,
                message,
            }),
            None => Err(RefFailure::Broken(RefError::Dangling(end.clone()))),
        }
    }

    /// Follows `reference` (once) and parses where it ends as `kind` (once per kind).
    fn add(&mut self, raw: &Value, kind: Kind, reference: String, found: &mut Found) {
        let chain = self
            .chains
            .entry(reference)
            .or_insert_with_key(|reference| chain_of(raw, reference));
        let Ok(end) = chain.end.clone() else {
            return;
        };
        match kind {
            Kind::Schema => self.parse::<Schema>(raw, end, found, walk_schema),
            Kind::Parameter => self.parse::<Parameter>(raw, end, found, walk_parameter),
            Kind::RequestBody => self
                .parse::<RequestBody>(raw, end, found, |b, found| walk_content(&b.content, found)),
            Kind::Response => {
                self.parse::<Response>(raw, end, found, |r, found| walk_content(&r.content, found))
            }
            Kind::PathItem => self.parse::<PathItem>(raw, end, found, walk_path_item),
            Kind::Example => self.parse::<Example>(raw, end, found, |_, _| {}),
            Kind::SecurityScheme => self.parse::<SecurityScheme>(raw, end, found, |_, _| {}),
        }
    }

    /// Parses the node at `end` as a `T` unless that is done, and walks it for references.
    fn parse<T: RefTarget>(
        &mut self,
        raw: &Value,
        end: String,
        found: &mut Found,
        walk: fn(&T, &mut Found),
    ) {
        if T::targets(self).contains_key(&end) {
            return;
        }
        let Some(node) = resolve_pointer(raw, &end) else {
            return;
        };
        let parsed = serde_json::from_value::<T>(node.clone()).map_err(|e| e.to_string());
        if let Ok(target) = &parsed {
            // Pushed in reverse so the references come off the stack in document order.
            let mut inner = Found::new();
            walk(target, &mut inner);
            found.extend(inner.into_iter().rev());
        }
        T::targets_mut(self).insert(end, parsed);
    }
}

/// The chain of `$ref`s from `reference` ([`follow_hops`]), owned.
fn chain_of(raw: &Value, reference: &str) -> Chain {
    let (hops, end) = follow_hops(raw, reference);
    Chain {
        hops: hops.into_iter().map(str::to_owned).collect(),
        end: end.map(|target| target.pointer.to_owned()),
    }
}

/// A reference of kind `T` found in a typed node; an inline node is walked.
fn walk_ref<T: RefTarget>(item: &ReferenceOr<T>, found: &mut Found, walk: fn(&T, &mut Found)) {
    match item {
        ReferenceOr::Item(item) => walk(item, found),
        ReferenceOr::Reference { reference } => found.push((T::KIND, reference.clone())),
    }
}

/// The boxed schemas of properties and items.
fn walk_boxed(item: &ReferenceOr<Box<Schema>>, found: &mut Found) {
    match item {
        ReferenceOr::Item(schema) => walk_schema(schema, found),
        ReferenceOr::Reference { reference } => found.push((Kind::Schema, reference.clone())),
    }
}

fn walk_document(doc: &OpenAPI, found: &mut Found) {
    for item in doc.paths.paths.values() {
        walk_ref(item, found, walk_path_item);
    }
    let Some(components) = &doc.components else {
        return;
    };
    for (name, schema) in &components.schemas {
        // Every component schema gets a type, referenced or not: its pointer is a start too.
        found.push((
            Kind::Schema,
            format!("#/components/schemas/{}", escape(name)),
        ));
        walk_ref(schema, found, walk_schema);
    }
    for response in components.responses.values() {
        walk_ref(response, found, |r, found| walk_content(&r.content, found));
    }
    for parameter in components.parameters.values() {
        walk_ref(parameter, found, walk_parameter);
    }
    for body in components.request_bodies.values() {
        walk_ref(body, found, |b, found| walk_content(&b.content, found));
    }
    for example in components.examples.values() {
        walk_ref(example, found, |_, _| {});
    }
    for scheme in components.security_schemes.values() {
        walk_ref(scheme, found, |_, _| {});
    }
}

fn walk_path_item(item: &PathItem, found: &mut Found) {
    for parameter in &item.parameters {
        walk_ref(parameter, found, walk_parameter);
    }
    for method in HttpMethod::ALL {
        if let Some(op) = method.operation_of(item) {
            walk_operation(op, found);
        }
    }
}

fn walk_operation(op: &Operation, found: &mut Found) {
    for parameter in &op.parameters {
        walk_ref(parameter, found, walk_parameter);
    }
    if let Some(body) = &op.request_body {
        walk_ref(body, found, |b, found| walk_content(&b.content, found));
    }
    let responses = op.responses.default.iter();
    for response in responses.chain(op.responses.responses.values()) {
        walk_ref(response, found, |r, found| walk_content(&r.content, found));
    }
}

fn walk_parameter(parameter: &Parameter, found: &mut Found) {
    let data = parameter.parameter_data_ref();
    match &data.format {
        ParameterSchemaOrContent::Schema(schema) => walk_ref(schema, found, walk_schema),
        ParameterSchemaOrContent::Content(content) => walk_content(content, found),
    }
    for example in data.examples.values() {
        walk_ref(example, found, |_, _| {});
    }
}

fn walk_content(content: &indexmap::IndexMap<String, MediaType>, found: &mut Found) {
    for media in content.values() {
        if let Some(schema) = &media.schema {
            walk_ref(schema, found, walk_schema);
        }
        for example in media.examples.values() {
            walk_ref(example, found, |_, _| {});
        }
    }
}

fn walk_schema(schema: &Schema, found: &mut Found) {
    let walk_all = |list: &[ReferenceOr<Schema>], found: &mut Found| {
        for member in list {
            walk_ref(member, found, walk_schema);
        }
    };
    let walk_additional = |extra: &Option<AdditionalProperties>, found: &mut Found| {
        if let Some(AdditionalProperties::Schema(schema)) = extra {
            walk_ref(schema, found, walk_schema);
        }
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => {
            object
                .properties
                .values()
                .for_each(|p| walk_boxed(p, found));
            walk_additional(&object.additional_properties, found);
        }
        SchemaKind::Type(Type::Array(array)) => {
            array.items.iter().for_each(|i| walk_boxed(i, found));
        }
        SchemaKind::Type(_) => {}
        SchemaKind::OneOf { one_of: list }
        | SchemaKind::AllOf { all_of: list }
        | SchemaKind::AnyOf { any_of: list } => walk_all(list, found),
        SchemaKind::Not { not } => walk_ref(not, found, walk_schema),
        SchemaKind::Any(any) => {
            any.properties.values().for_each(|p| walk_boxed(p, found));
            walk_additional(&any.additional_properties, found);
            any.items.iter().for_each(|i| walk_boxed(i, found));
            walk_all(&any.one_of, found);
            walk_all(&any.all_of, found);
            walk_all(&any.any_of, found);
            if let Some(not) = &any.not {
                walk_ref(not, found, walk_schema);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn table_of(raw: Value) -> RefTable {
        let doc: OpenAPI = serde_json::from_value(raw.clone()).expect("a typed document");
        RefTable::build(&raw, &doc)
    }

    fn document() -> Value {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {
                "parameters": [{"$ref": "#/components/parameters/Id"}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Alias"},
                    "examples": {"one": {"$ref": "#/components/examples/One"}}
                }}}}
            }}},
            "components": {
                "schemas": {
                    "Alias": {"$ref": "#/components/schemas/Thing"},
                    "Thing": {"type": "object", "properties": {
                        "inner": {"$ref": "#/x-elsewhere/Inner"}
                    }},
                    "Loop1": {"$ref": "#/components/schemas/Loop2"},
                    "Loop2": {"$ref": "#/components/schemas/Loop1"}
                },
                "parameters": {"Id": {"name": "id", "in": "query", "schema": {"type": "string"}}},
                "examples": {"One": {"value": {"n": 1}}}
            },
            "x-elsewhere": {"Inner": {"type": "integer"}}
        })
    }

    #[test]
    fn a_reference_is_followed_to_its_typed_target() {
        let table = table_of(document());
        let (end, schema) = table
            .resolve::<Schema>("#/components/schemas/Alias")
            .expect("the alias ends at Thing");
        assert_eq!(end, "#/components/schemas/Thing");
        assert!(matches!(
            schema.schema_kind,
            SchemaKind::Type(Type::Object(_))
        ));
        let chain = table.chain("#/components/schemas/Alias").expect("found");
        assert_eq!(
            chain.hops,
            ["#/components/schemas/Alias", "#/components/schemas/Thing"]
        );
        let (_, parameter) = table
            .resolve::<Parameter>("#/components/parameters/Id")
            .expect("a parameter");
        assert_eq!(parameter.parameter_data_ref().name, "id");
        let (_, example) = table
            .resolve::<Example>("#/components/examples/One")
            .expect("an example");
        assert_eq!(example.value, Some(json!({"n": 1})));
    }

    #[test]
    fn targets_are_walked_for_the_references_they_hold() {
        let table = table_of(document());
        let (end, schema) = table
            .resolve::<Schema>("#/x-elsewhere/Inner")
            .expect("found inside Thing, outside components");
        assert_eq!(end, "#/x-elsewhere/Inner");
        assert!(matches!(
            schema.schema_kind,
            SchemaKind::Type(Type::Integer(_))
        ));
    }

    #[test]
    fn cycles_wrong_kinds_and_unknown_references_are_failures() {
        let table = table_of(document());
        assert_eq!(
            table
                .resolve::<Schema>("#/components/schemas/Loop1")
                .map(|_| ()),
            Err(RefFailure::Broken(RefError::Cycle(
                "#/components/schemas/Loop1".into()
            )))
        );
        assert_eq!(
            table
                .chain("#/components/schemas/Loop2")
                .map(|c| &c.hops[..]),
            Some(
                &[
                    "#/components/schemas/Loop2".to_owned(),
                    "#/components/schemas/Loop1".to_owned()
                ][..]
            )
        );
        assert_eq!(
            table.resolve::<Schema>("#/nowhere").map(|_| ()),
            Err(RefFailure::Broken(RefError::Dangling("#/nowhere".into())))
        );
        // Referenced as a schema only: no parameter was parsed there.
        assert!(table
            .resolve::<Parameter>("#/components/schemas/Thing")
            .is_err());
    }

    #[test]
    fn a_target_that_is_not_of_its_kind_says_why() {
        let mut raw = document();
        raw["paths"]["/a"]["get"]["parameters"] = json!([{"$ref": "#/components/schemas/Thing"}]);
        let table = table_of(raw);
        match table.resolve::<Parameter>("#/components/schemas/Thing") {
            Err(RefFailure::Invalid { pointer, message }) => {
                assert_eq!(pointer, "#/components/schemas/Thing");
                assert!(message.contains("missing field"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }
}
