//! The model: what the generated crate contains, named and typed, with nothing left to resolve.
//!
//! [`build`] walks a loaded [`Spec`]: it resolves `$ref`s, merges `allOf`, classifies every
//! schema (struct, string enum, union, primitive, array, map), names inline schemas after their
//! place, and gathers operations with their parameters, body, response and SDK names.

use crate::diagnostic::Diagnostic;
use crate::load::{escape, resolve_pointer, Spec};
use crate::naming::{pascal_ident, singular, snake_ident, Namer, RESERVED_TYPES};
use openapiv3::{
    AdditionalProperties, Parameter, ParameterSchemaOrContent, ReferenceOr, RequestBody, Response,
    Schema, SchemaKind, StatusCode, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::rc::Rc;

/// A Rust type as the generated code spells it.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    String,
    Bool,
    I32,
    I64,
    F64,
    DateTime,
    Date,
    Bytes,
    /// Any JSON.
    Value,
    Vec(Box<Ty>),
    Map(Box<Ty>),
    /// A type defined in `types.rs`.
    Named(String),
    Option(Box<Ty>),
    Boxed(Box<Ty>),
}

impl Ty {
    /// Whether the type contains a generated type (so validation must recurse into it).
    pub fn has_named(&self) -> bool {
        match self {
            Ty::Named(_) => true,
            Ty::Vec(t) | Ty::Map(t) | Ty::Option(t) | Ty::Boxed(t) => t.has_named(),
            _ => false,
        }
    }

    fn optional(self) -> Ty {
        match self {
            Ty::Option(_) => self,
            other => Ty::Option(Box::new(other)),
        }
    }
}

/// Constraints from the spec, checked by the generated `validate`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    /// Bound and whether it is exclusive.
    pub minimum: Option<(f64, bool)>,
    pub maximum: Option<(f64, bool)>,
    pub multiple_of: Option<f64>,
    pub pattern: Option<String>,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
    pub unique_items: bool,
    pub min_properties: Option<usize>,
    pub max_properties: Option<usize>,
    /// `enum` values of a number or boolean (string enums become Rust enums).
    pub allowed: Vec<Value>,
    /// Constraints on the items of an array.
    pub items: Option<Box<Constraints>>,
}

impl Constraints {
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }

    /// The constraints in words, for doc comments.
    pub fn describe(&self) -> Vec<String> {
        let bound = |b: Option<(f64, bool)>, excl: bool| {
            b.filter(|(_, e)| *e == excl).map(|(v, _)| v.to_string())
        };
        let pairs = [
            ("minLength", self.min_length.map(|v| v.to_string())),
            ("maxLength", self.max_length.map(|v| v.to_string())),
            ("minimum", bound(self.minimum, false)),
            ("exclusiveMinimum", bound(self.minimum, true)),
            ("maximum", bound(self.maximum, false)),
            ("exclusiveMaximum", bound(self.maximum, true)),
            ("multipleOf", self.multiple_of.map(|v| v.to_string())),
            ("pattern", self.pattern.as_ref().map(|p| format!("`{p}`"))),
            ("minItems", self.min_items.map(|v| v.to_string())),
            ("maxItems", self.max_items.map(|v| v.to_string())),
            ("minProperties", self.min_properties.map(|v| v.to_string())),
            ("maxProperties", self.max_properties.map(|v| v.to_string())),
        ];
        let mut out: Vec<String> = pairs
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| format!("{k} {v}")))
            .collect();
        if self.unique_items {
            out.push("uniqueItems".into());
        }
        if !self.allowed.is_empty() {
            let values: Vec<String> = self.allowed.iter().map(Value::to_string).collect();
            out.push(format!("one of {}", values.join(", ")));
        }
        if let Some(items) = &self.items {
            for c in items.describe() {
                out.push(format!("each item: {c}"));
            }
        }
        out
    }
}

/// What a schema resolves to where it is used.
#[derive(Debug, Clone)]
pub struct TyInfo {
    pub ty: Ty,
    pub constraints: Constraints,
    pub doc: Option<String>,
    pub nullable: bool,
    pub example: Option<Value>,
}

/// A field of a struct or of an operation's parameters.
#[derive(Debug, Clone)]
pub struct Field {
    pub ident: String,
    pub wire: String,
    /// Full type, `Option` included when the field may be absent or null.
    pub ty: Ty,
    pub required: bool,
    pub doc: Option<String>,
    pub constraints: Constraints,
}

#[derive(Debug, Clone)]
pub struct Variant {
    pub ident: String,
    pub wire: String,
}

#[derive(Debug, Clone)]
pub struct UnionVariant {
    pub ident: String,
    pub ty: Ty,
    /// Discriminator values selecting this variant.
    pub tags: Vec<String>,
    pub constraints: Constraints,
}

#[derive(Debug, Clone)]
pub enum TypeKind {
    Struct {
        fields: Vec<Field>,
        /// Type of `additionalProperties`, kept in a flattened map.
        additional: Option<Ty>,
        defaultable: bool,
    },
    /// A string enum; unknown values are kept in the `other` variant.
    Enum {
        variants: Vec<Variant>,
        other: String,
    },
    /// oneOf/anyOf: untagged unless a discriminator property names the variant.
    Union {
        variants: Vec<UnionVariant>,
        discriminator: Option<String>,
        other: String,
    },
    /// A name for another type (operation results).
    Alias(Ty),
}

#[derive(Debug, Clone)]
pub struct TypeDef {
    pub name: String,
    pub doc: Option<String>,
    pub kind: TypeKind,
}

/// An `example` from the spec, checked by a generated test.
#[derive(Debug, Clone)]
pub struct Example {
    pub test_name: String,
    pub ty: Ty,
    pub value: Value,
    pub pointer: String,
    /// A request body: the test also validates and encodes it.
    pub request: bool,
    /// The example is a whole response envelope around a value of `ty`.
    pub envelope: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Path,
    Query,
    Header,
    Body,
}

#[derive(Debug, Clone)]
pub struct Param {
    pub field: Field,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq)]
pub enum BodyKind {
    None,
    /// The body object's properties are fields of the params struct, which serialises as it.
    JsonFields,
    /// The whole body is the `body` field, sent as JSON.
    Json,
    /// The `body` field's properties... are fields of the params struct, sent as form parts.
    Multipart,
    /// The `body` field is sent as is with this content type.
    Raw(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum ResponseKind {
    /// Cloudflare's envelope; the result is `result`.
    Envelope,
    Json,
    Text,
    Bytes,
    Empty,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Segment {
    Literal(String),
    /// Index into the operation's params.
    Param(usize),
}

#[derive(Debug, Clone)]
pub struct Operation {
    pub pointer: String,
    pub http_method: String,
    pub path: String,
    pub segments: Vec<Segment>,
    pub resource: Vec<String>,
    pub method: String,
    pub doc: Option<String>,
    pub deprecated: bool,
    pub params_type: String,
    pub params: Vec<Param>,
    pub body: BodyKind,
    pub response: ResponseKind,
    /// What the plain method returns.
    pub result: Ty,
    /// Name of the alias or type for `result`, when it has one.
    pub result_type: Option<String>,
    pub params_defaultable: bool,
    /// The resource struct the methods live on (set by the resource tree).
    pub resource_type: String,
    /// Set for list operations that page with `page` and `result_info`.
    pub pagination: Option<Pagination>,
    /// API token permissions that allow the operation (any one of them).
    pub permissions: Vec<String>,
}

/// How a list operation pages: which params field holds the page number and its type, and
/// the type of one item.
#[derive(Debug, Clone)]
pub struct Pagination {
    pub page_param: usize,
    pub page_ty: Ty,
    pub item: Ty,
}

/// A node of the resource tree (`client.zero_trust().access().keys()`).
#[derive(Debug, Clone, Default)]
pub struct Resource {
    pub segment: String,
    pub type_name: String,
    pub children: Vec<Resource>,
    pub operations: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Model {
    pub title: String,
    pub description: Option<String>,
    pub version: String,
    pub base_url: String,
    pub types: Vec<TypeDef>,
    pub operations: Vec<Operation>,
    pub root: Resource,
    pub patterns: Vec<String>,
    pub examples: Vec<Example>,
}

/// Builds the model of `spec`.
pub fn build(spec: &Spec) -> Result<Model, Diagnostic> {
    let mut b = Builder::new(spec);
    let mut operations = b.operations()?;
    let root = resource_tree(&mut operations)?;
    b.box_recursive_fields();
    let doc = &spec.doc;
    Ok(Model {
        title: doc.info.title.clone(),
        description: doc.info.description.clone(),
        version: doc.info.version.clone(),
        base_url: doc
            .servers
            .first()
            .map(|s| s.url.trim_end_matches('/').to_owned())
            .unwrap_or_else(|| "https://api.cloudflare.com/client/v4".into()),
        types: b.types,
        operations,
        root,
        patterns: b.patterns,
        examples: b.examples,
    })
}

/// The object view of a schema with `allOf` merged.
#[derive(Default)]
struct ObjectParts {
    props: Vec<(String, ReferenceOr<Box<Schema>>, String)>,
    required: BTreeSet<String>,
    additional: Option<(AdditionalProperties, String)>,
    /// Members that were not objects (unions, primitives) were merged in.
    open: bool,
    min_properties: Option<usize>,
    max_properties: Option<usize>,
}

/// A schema's keywords, whichever `SchemaKind` openapiv3 parsed it as.
struct Norm<'a> {
    typ: Option<&'a str>,
    format: Option<&'a str>,
    enumeration: Vec<Value>,
    properties: Option<&'a indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>>,
    required: &'a [String],
    additional: Option<&'a AdditionalProperties>,
    items: Option<&'a ReferenceOr<Box<Schema>>>,
    all_of: &'a [ReferenceOr<Schema>],
    one_of: &'a [ReferenceOr<Schema>],
    any_of: &'a [ReferenceOr<Schema>],
    constraints: Constraints,
    min_properties: Option<usize>,
    max_properties: Option<usize>,
}

fn fmt_str<T: serde::Serialize>(f: &VariantOrUnknownOrEmpty<T>) -> Option<String> {
    match f {
        VariantOrUnknownOrEmpty::Item(i) => serde_json::to_value(i)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned)),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn norm<'a>(schema: &'a Schema, formats: &'a mut Option<String>) -> Norm<'a> {
    let empty: &'a [ReferenceOr<Schema>] = &[];
    let mut n = Norm {
        typ: None,
        format: None,
        enumeration: Vec::new(),
        properties: None,
        required: &[],
        additional: None,
        items: None,
        all_of: empty,
        one_of: empty,
        any_of: empty,
        constraints: Constraints::default(),
        min_properties: None,
        max_properties: None,
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            n.typ = Some("string");
            *formats = fmt_str(&s.format);
            n.constraints.pattern = s.pattern.clone();
            n.constraints.min_length = s.min_length;
            n.constraints.max_length = s.max_length;
            n.enumeration = s
                .enumeration
                .iter()
                .map(|v| v.clone().map_or(Value::Null, Value::String))
                .collect();
        }
        SchemaKind::Type(Type::Number(s)) => {
            n.typ = Some("number");
            *formats = fmt_str(&s.format);
            n.constraints.minimum = s.minimum.map(|m| (m, s.exclusive_minimum));
            n.constraints.maximum = s.maximum.map(|m| (m, s.exclusive_maximum));
            n.constraints.multiple_of = s.multiple_of;
            n.enumeration = s
                .enumeration
                .iter()
                .map(|v| v.map_or(Value::Null, Value::from))
                .collect();
        }
        SchemaKind::Type(Type::Integer(s)) => {
            n.typ = Some("integer");
            *formats = fmt_str(&s.format);
            n.constraints.minimum = s.minimum.map(|m| (m as f64, s.exclusive_minimum));
            n.constraints.maximum = s.maximum.map(|m| (m as f64, s.exclusive_maximum));
            n.constraints.multiple_of = s.multiple_of.map(|m| m as f64);
            n.enumeration = s
                .enumeration
                .iter()
                .map(|v| v.map_or(Value::Null, Value::from))
                .collect();
        }
        SchemaKind::Type(Type::Boolean(s)) => {
            n.typ = Some("boolean");
            n.enumeration = s
                .enumeration
                .iter()
                .map(|v| v.map_or(Value::Null, Value::from))
                .collect();
        }
        SchemaKind::Type(Type::Object(o)) => {
            n.typ = Some("object");
            n.properties = Some(&o.properties);
            n.required = &o.required;
            n.additional = o.additional_properties.as_ref();
            n.min_properties = o.min_properties;
            n.max_properties = o.max_properties;
        }
        SchemaKind::Type(Type::Array(a)) => {
            n.typ = Some("array");
            n.items = a.items.as_ref();
            n.constraints.min_items = a.min_items;
            n.constraints.max_items = a.max_items;
            n.constraints.unique_items = a.unique_items;
        }
        SchemaKind::OneOf { one_of } => n.one_of = one_of,
        SchemaKind::AnyOf { any_of } => n.any_of = any_of,
        SchemaKind::AllOf { all_of } => n.all_of = all_of,
        SchemaKind::Not { .. } => {}
        SchemaKind::Any(a) => {
            n.typ = a.typ.as_deref();
            *formats = a.format.clone();
            n.enumeration = a.enumeration.clone();
            n.properties = (!a.properties.is_empty()).then_some(&a.properties);
            n.required = &a.required;
            n.additional = a.additional_properties.as_ref();
            n.items = a.items.as_ref();
            n.all_of = &a.all_of;
            n.one_of = &a.one_of;
            n.any_of = &a.any_of;
            n.min_properties = a.min_properties;
            n.max_properties = a.max_properties;
            let c = &mut n.constraints;
            c.pattern = a.pattern.clone();
            c.min_length = a.min_length;
            c.max_length = a.max_length;
            c.minimum = a.minimum.map(|m| (m, a.exclusive_minimum.unwrap_or(false)));
            c.maximum = a.maximum.map(|m| (m, a.exclusive_maximum.unwrap_or(false)));
            c.multiple_of = a.multiple_of;
            c.min_items = a.min_items;
            c.max_items = a.max_items;
            c.unique_items = a.unique_items.unwrap_or(false);
        }
    }
    n.format = formats.as_deref();
    n
}

/// Keeps only the constraints that apply to a value of type `ty` (Cloudflare puts
/// `minLength` on arrays and `uniqueItems` on objects now and then).
fn constraints_for(ty: &Ty, mut c: Constraints) -> Constraints {
    let base = match ty {
        Ty::Option(t) | Ty::Boxed(t) => t.as_ref(),
        t => t,
    };
    let keep = Constraints::default();
    match base {
        Ty::String => Constraints {
            min_length: c.min_length,
            max_length: c.max_length,
            pattern: c.pattern.take(),
            ..keep
        },
        Ty::I32 | Ty::I64 | Ty::F64 => Constraints {
            minimum: c.minimum,
            maximum: c.maximum,
            multiple_of: c.multiple_of,
            allowed: c.allowed,
            ..keep
        },
        Ty::Bool => Constraints {
            allowed: c.allowed,
            ..keep
        },
        Ty::Vec(_) => Constraints {
            min_items: c.min_items,
            max_items: c.max_items,
            unique_items: c.unique_items,
            items: c.items,
            ..keep
        },
        Ty::Map(_) => Constraints {
            min_properties: c.min_properties,
            max_properties: c.max_properties,
            ..keep
        },
        _ => keep,
    }
}

struct Builder<'s> {
    spec: &'s Spec,
    types: Vec<TypeDef>,
    names: Namer,
    /// Resolved `$ref` targets by pointer.
    cache: HashMap<String, TyInfo>,
    /// Named types being built, by pointer, so recursive references find their name.
    building_named: HashMap<String, String>,
    /// `$ref`s being resolved, to catch cycles that no type can represent.
    resolving: HashSet<String>,
    /// Aliases named for collections that contain themselves, by pointer.
    pending_alias: HashMap<String, String>,
    schemas: HashMap<String, Rc<Schema>>,
    patterns: Vec<String>,
    examples: Vec<Example>,
    example_names: Namer,
    /// Names of string enums, which can be used as parameters.
    enums: HashSet<String>,
}

impl<'s> Builder<'s> {
    fn new(spec: &'s Spec) -> Self {
        Builder {
            spec,
            types: Vec::new(),
            names: Namer::with_reserved(RESERVED_TYPES),
            cache: HashMap::new(),
            building_named: HashMap::new(),
            resolving: HashSet::new(),
            pending_alias: HashMap::new(),
            schemas: HashMap::new(),
            patterns: Vec::new(),
            examples: Vec::new(),
            example_names: Namer::default(),
            enums: HashSet::new(),
        }
    }

    fn schema_at(&mut self, pointer: &str) -> Result<Rc<Schema>, Diagnostic> {
        if let Some(s) = self.schemas.get(pointer) {
            return Ok(s.clone());
        }
        let node = resolve_pointer(&self.spec.raw, pointer)
            .ok_or_else(|| Diagnostic::at(pointer, "$ref points at nothing in this document"))?;
        let schema: Schema = serde_json::from_value(node.clone())
            .map_err(|e| Diagnostic::at(pointer, format!("not a valid schema: {e}")))?;
        let schema = Rc::new(schema);
        self.schemas.insert(pointer.to_owned(), schema.clone());
        Ok(schema)
    }

    /// Follows `$ref` chains to a schema and its pointer.
    fn deref(
        &mut self,
        schema: &ReferenceOr<Schema>,
        pointer: &str,
    ) -> Result<(Rc<Schema>, String), Diagnostic> {
        let mut seen = HashSet::new();
        let mut current = match schema {
            ReferenceOr::Item(s) => return Ok((Rc::new(s.clone()), pointer.to_owned())),
            ReferenceOr::Reference { reference } => reference.clone(),
        };
        loop {
            if !seen.insert(current.clone()) {
                return Err(Diagnostic::at(
                    current,
                    "$ref cycle: the reference leads back to itself",
                )
                .hint("break the cycle; a schema cannot be only a reference to itself"));
            }
            let s = self.schema_at(&current)?;
            let node = resolve_pointer(&self.spec.raw, &current);
            match node.and_then(|n| n.get("$ref")).and_then(Value::as_str) {
                Some(next) => current = next.to_owned(),
                None => return Ok((s, current)),
            }
        }
    }

    fn pattern_index(&mut self, pattern: &str) -> usize {
        match self.patterns.iter().position(|p| p == pattern) {
            Some(i) => i,
            None => {
                self.patterns.push(pattern.to_owned());
                self.patterns.len() - 1
            }
        }
    }

    /// The type of the schema at `pointer`; `hint` names it if it becomes a named type.
    fn ty_of(
        &mut self,
        schema: &ReferenceOr<Schema>,
        pointer: &str,
        hint: &str,
    ) -> Result<TyInfo, Diagnostic> {
        match schema {
            ReferenceOr::Item(s) => self.ty_of_schema(s, pointer, hint, None),
            ReferenceOr::Reference { reference } => self.ty_of_ref(reference),
        }
    }

    fn ty_of_boxed(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        pointer: &str,
        hint: &str,
    ) -> Result<TyInfo, Diagnostic> {
        match schema {
            ReferenceOr::Item(s) => self.ty_of_schema(s, pointer, hint, None),
            ReferenceOr::Reference { reference } => self.ty_of_ref(reference),
        }
    }

    fn ty_of_ref(&mut self, reference: &str) -> Result<TyInfo, Diagnostic> {
        if let Some(t) = self.cache.get(reference) {
            return Ok(t.clone());
        }
        if let Some(name) = self.building_named.get(reference) {
            return Ok(TyInfo {
                ty: Ty::Named(name.clone()),
                constraints: Constraints::default(),
                doc: None,
                nullable: false,
                example: None,
            });
        }
        // A component that is only a `$ref` to another: follow it (catching cycles).
        let next = resolve_pointer(&self.spec.raw, reference)
            .and_then(|n| n.get("$ref"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        if let Some(next) = next {
            if !self.resolving.insert(reference.to_owned()) {
                return Err(Diagnostic::at(
                    reference,
                    "$ref cycle: the reference leads back to itself",
                )
                .hint("break the cycle; a schema cannot be only a reference to itself"));
            }
            let info = self.ty_of_ref(&next);
            self.resolving.remove(reference);
            let info = info?;
            self.cache.insert(reference.to_owned(), info.clone());
            return Ok(info);
        }
        let schema = self.schema_at(reference)?;
        let last = reference.rsplit('/').next().unwrap_or("Type");
        let hint = pascal_ident(&last.replace("~1", "/").replace("~0", "~"));
        if !self.resolving.insert(reference.to_owned()) {
            // Recursion through an array or map: name the collection with an alias so the
            // inner reference has something to point at (the item struct breaks the cycle).
            if is_collection(&schema) {
                let name = self.names.claim(&hint);
                self.pending_alias
                    .insert(reference.to_owned(), name.clone());
                return Ok(TyInfo {
                    ty: Ty::Named(name),
                    constraints: Constraints::default(),
                    doc: None,
                    nullable: false,
                    example: None,
                });
            }
            return Err(Diagnostic::at(
                reference,
                "$ref cycle that no Rust type can represent (the schema contains itself without an object or array in between)",
            )
            .hint("make the recursion go through an object property or array items"));
        }
        let info = self.ty_of_schema(&schema, reference, &hint, Some(reference));
        self.resolving.remove(reference);
        let mut info = info?;
        if let Some(name) = self.pending_alias.remove(reference) {
            self.types.push(TypeDef {
                name: name.clone(),
                doc: info.doc.clone(),
                kind: TypeKind::Alias(info.ty.clone()),
            });
            info.ty = Ty::Named(name);
        }
        self.cache.insert(reference.to_owned(), info.clone());
        Ok(info)
    }

    fn record_example(&mut self, pointer: &str, info: &TyInfo) {
        if let Some(value) = &info.example {
            let ty = if info.nullable {
                info.ty.clone().optional()
            } else {
                info.ty.clone()
            };
            let test_name = self
                .example_names
                .claim(&snake_ident(pointer.trim_start_matches("#/")));
            self.examples.push(Example {
                test_name,
                ty,
                value: value.clone(),
                pointer: pointer.to_owned(),
                request: false,
                envelope: false,
            });
        }
    }

    /// Claims a type name and registers the type being built under `reference`.
    fn start_named(&mut self, hint: &str, reference: Option<&str>) -> String {
        let name = self.names.claim(hint);
        if let Some(r) = reference {
            self.building_named.insert(r.to_owned(), name.clone());
        }
        name
    }

    fn finish_named(&mut self, def: TypeDef, reference: Option<&str>) {
        if let Some(r) = reference {
            self.building_named.remove(r);
        }
        self.types.push(def);
    }

    fn ty_of_schema(
        &mut self,
        schema: &Schema,
        pointer: &str,
        hint: &str,
        reference: Option<&str>,
    ) -> Result<TyInfo, Diagnostic> {
        let info = self.classify(schema, pointer, hint, reference)?;
        self.check_constraints(&info.constraints, pointer)?;
        self.record_example(pointer, &info);
        Ok(info)
    }

    fn check_constraints(&mut self, c: &Constraints, pointer: &str) -> Result<(), Diagnostic> {
        let contradiction = |what: &str| {
            Err(
                Diagnostic::at(pointer, format!("contradictory bounds: {what}"))
                    .hint("no value can satisfy both; fix one of the bounds"),
            )
        };
        if let (Some(a), Some(b)) = (c.min_length, c.max_length) {
            if a > b {
                return contradiction(&format!("minLength {a} > maxLength {b}"));
            }
        }
        if let (Some((a, ea)), Some((b, eb))) = (c.minimum, c.maximum) {
            if a > b || (a == b && (ea || eb)) {
                return contradiction(&format!("minimum {a} > maximum {b}"));
            }
        }
        if let (Some(a), Some(b)) = (c.min_items, c.max_items) {
            if a > b {
                return contradiction(&format!("minItems {a} > maxItems {b}"));
            }
        }
        if let Some(m) = c.multiple_of {
            if m <= 0.0 || !m.is_finite() {
                return Err(Diagnostic::at(
                    pointer,
                    format!("multipleOf must be a positive number, got {m}"),
                ));
            }
        }
        if let Some(p) = &c.pattern {
            if let Err(e) = regex::Regex::new(p) {
                return Err(Diagnostic::at(pointer, format!("pattern {p:?} is not a valid regular expression: {e}"))
                    .hint("write the pattern in the common ECMA 262 / Rust regex subset (no look-around or back-references)"));
            }
            self.pattern_index(p);
        }
        Ok(())
    }

    fn classify(
        &mut self,
        schema: &Schema,
        pointer: &str,
        hint: &str,
        reference: Option<&str>,
    ) -> Result<TyInfo, Diagnostic> {
        let data = &schema.schema_data;
        let mut format_buf = None;
        let n = norm(schema, &mut format_buf);
        let doc = data.description.clone().or_else(|| data.title.clone());
        let mut nullable = data.nullable || n.enumeration.iter().any(Value::is_null);
        let example = data.example.clone();
        let base = |ty: Ty, constraints: Constraints, nullable: bool| TyInfo {
            constraints: constraints_for(&ty, constraints),
            ty,
            doc: doc.clone(),
            nullable,
            example: example.clone(),
        };

        // oneOf / anyOf
        if !n.one_of.is_empty() || !n.any_of.is_empty() {
            let (members, key) = if !n.one_of.is_empty() {
                (n.one_of, "oneOf")
            } else {
                (n.any_of, "anyOf")
            };
            let mut kept = Vec::new();
            for (i, m) in members.iter().enumerate() {
                let (s, _) = self.deref(m, &format!("{pointer}/{key}/{i}"))?;
                if is_null_schema(&s) {
                    nullable = true;
                } else {
                    kept.push((i, m));
                }
            }
            if n.properties.is_none() && kept.len() == 1 {
                let (i, m) = kept[0];
                let mut info = self.ty_of(m, &format!("{pointer}/{key}/{i}"), hint)?;
                info.nullable |= nullable;
                if info.doc.is_none() {
                    info.doc = doc;
                }
                return Ok(info);
            }
            if n.properties.is_none() && n.all_of.is_empty() {
                let name = self.start_named(hint, reference);
                let mut variant_names = Namer::default();
                let mut variants = Vec::new();
                let mut member_refs = Vec::new();
                for (i, m) in kept {
                    let at = format!("{pointer}/{key}/{i}");
                    let info = self.ty_of(m, &at, &format!("{name}Variant{i}"))?;
                    let ty = if info.nullable {
                        info.ty.optional()
                    } else {
                        info.ty
                    };
                    let constraints = constraints_for(&ty, info.constraints);
                    let ident = variant_names.claim(&variant_ident(&ty, &name));
                    member_refs.push(match m {
                        ReferenceOr::Reference { reference } => Some(reference.clone()),
                        ReferenceOr::Item(_) => None,
                    });
                    variants.push(UnionVariant {
                        ident,
                        ty,
                        tags: Vec::new(),
                        constraints,
                    });
                }
                let mut discriminator = None;
                if let Some(d) = &data.discriminator {
                    for (value, target) in &d.mapping {
                        if let Some(pos) = member_refs
                            .iter()
                            .position(|r| r.as_deref() == Some(target.as_str()))
                        {
                            variants[pos].tags.push(value.clone());
                        }
                    }
                    for (pos, r) in member_refs.iter().enumerate() {
                        if variants[pos].tags.is_empty() {
                            if let Some(r) = r {
                                variants[pos]
                                    .tags
                                    .push(r.rsplit('/').next().unwrap_or_default().to_owned());
                            }
                        }
                    }
                    discriminator = Some(d.property_name.clone());
                }
                let other = variant_names.claim("Other");
                self.finish_named(
                    TypeDef {
                        name: name.clone(),
                        doc: doc.clone(),
                        kind: TypeKind::Union {
                            variants,
                            discriminator,
                            other,
                        },
                    },
                    reference,
                );
                return Ok(base(Ty::Named(name), Constraints::default(), nullable));
            }
        }

        // allOf, or object properties: a struct (or a pass-through of a single non-object member)
        let objectish = n.properties.is_some()
            || n.typ == Some("object")
            || !n.all_of.is_empty()
            || (n.typ.is_none() && n.additional.is_some());
        let only_null = !n.enumeration.is_empty() && n.enumeration.iter().all(Value::is_null);
        if objectish && !only_null {
            let mut parts = ObjectParts::default();
            self.collect_object(schema, pointer, &mut parts, 0)?;
            let plain_all_of =
                parts.props.is_empty() && parts.additional.is_none() && n.properties.is_none();
            if let (true, Some((first, rest))) = (plain_all_of, n.all_of.split_first()) {
                // allOf of non-objects (a $ref plus a description, a union, ...): the first
                // member's type, constrained by every member and by the schema itself.
                let mut info = self.ty_of(first, &format!("{pointer}/allOf/0"), hint)?;
                info.nullable |= nullable;
                if doc.is_some() {
                    info.doc = doc;
                }
                for (i, member) in rest.iter().enumerate() {
                    let (s, _) = self.deref(member, &format!("{pointer}/allOf/{}", i + 1))?;
                    let mut format_buf = None;
                    let c = norm(&s, &mut format_buf).constraints;
                    merge_constraints(&mut info.constraints, constraints_for(&info.ty, c));
                }
                let own = constraints_for(&info.ty, n.constraints.clone());
                merge_constraints(&mut info.constraints, own);
                return Ok(info);
            }
            if parts.props.is_empty() {
                let value_ty = match &parts.additional {
                    Some((AdditionalProperties::Schema(s), at)) => {
                        let at = at.clone();
                        let info = self.ty_of(s, &at, &format!("{hint}Value"))?;
                        if info.nullable {
                            info.ty.optional()
                        } else {
                            info.ty
                        }
                    }
                    _ => Ty::Value,
                };
                let c = Constraints {
                    min_properties: parts.min_properties,
                    max_properties: parts.max_properties,
                    ..Constraints::default()
                };
                return Ok(base(Ty::Map(Box::new(value_ty)), c, nullable));
            }
            let name = self.start_named(hint, reference);
            let mut idents = Namer::default();
            let mut fields = Vec::new();
            for (prop, s, at) in std::mem::take(&mut parts.props) {
                let info = self.ty_of_boxed(&s, &at, &format!("{name}{}", pascal_ident(&prop)))?;
                let required = parts.required.contains(&prop);
                fields.push(self.field(&mut idents, &prop, info, required));
            }
            let additional = match &parts.additional {
                Some((AdditionalProperties::Schema(s), at)) => {
                    let at = at.clone();
                    let info = self.ty_of(s, &at, &format!("{name}Value"))?;
                    Some(if info.nullable {
                        info.ty.optional()
                    } else {
                        info.ty
                    })
                }
                Some((AdditionalProperties::Any(true), _)) => Some(Ty::Value),
                Some((AdditionalProperties::Any(false), _)) => None,
                None if parts.open => Some(Ty::Value),
                None => None,
            };
            if additional.is_some() {
                idents.claim("additional_properties");
            }
            let defaultable = fields.iter().all(|f| defaultable(&f.ty));
            self.finish_named(
                TypeDef {
                    name: name.clone(),
                    doc: doc.clone(),
                    kind: TypeKind::Struct {
                        fields,
                        additional,
                        defaultable,
                    },
                },
                reference,
            );
            return Ok(base(Ty::Named(name), Constraints::default(), nullable));
        }

        // enums
        let values: Vec<&Value> = n.enumeration.iter().filter(|v| !v.is_null()).collect();
        if !n.enumeration.is_empty() && values.is_empty() {
            // `enum: [null]`: only null is allowed.
            return Ok(base(Ty::Value, Constraints::default(), true));
        }
        if !values.is_empty()
            && values.iter().all(|v| v.is_string())
            && matches!(n.typ, None | Some("string"))
        {
            let name = self.start_named(hint, reference);
            let mut idents = Namer::default();
            let mut variants = Vec::new();
            let mut seen = HashSet::new();
            for v in values {
                let wire = v.as_str().unwrap_or_default().to_owned();
                if !seen.insert(wire.clone()) {
                    continue;
                }
                let ident = idents.claim(&if wire.is_empty() {
                    "Empty".to_owned()
                } else {
                    pascal_ident(&wire)
                });
                variants.push(Variant { ident, wire });
            }
            let other = idents.claim("Unknown");
            self.enums.insert(name.clone());
            self.finish_named(
                TypeDef {
                    name: name.clone(),
                    doc: doc.clone(),
                    kind: TypeKind::Enum { variants, other },
                },
                reference,
            );
            return Ok(base(Ty::Named(name), Constraints::default(), nullable));
        }

        let mut constraints = n.constraints.clone();
        let typ = n.typ.or_else(|| {
            // Infer from the enum values or the keywords present.
            match values.first() {
                Some(Value::Bool(_)) => Some("boolean"),
                Some(Value::Number(x)) if x.is_i64() || x.is_u64() => Some("integer"),
                Some(Value::Number(_)) => Some("number"),
                Some(Value::String(_)) => Some("string"),
                _ if n.items.is_some() => Some("array"),
                _ if constraints.pattern.is_some()
                    || constraints.max_length.is_some()
                    || constraints.min_length.is_some()
                    || n.format.is_some() =>
                {
                    Some("string")
                }
                _ if constraints.minimum.is_some() || constraints.maximum.is_some() => {
                    Some("number")
                }
                _ => None,
            }
        });
        if !values.is_empty() {
            constraints.allowed = values.into_iter().cloned().collect();
        }
        let ty = match typ {
            Some("string") => match n.format {
                Some("date-time") => Ty::DateTime,
                Some("date") => Ty::Date,
                Some("binary") => Ty::Bytes,
                _ => Ty::String,
            },
            Some("integer") => match n.format {
                Some("int32") => Ty::I32,
                _ => Ty::I64,
            },
            Some("number") => Ty::F64,
            Some("boolean") => Ty::Bool,
            Some("array") => {
                let item = match n.items {
                    Some(items) => {
                        let info = self.ty_of_boxed(
                            items,
                            &format!("{pointer}/items"),
                            &format!("{hint}Item"),
                        )?;
                        if !info.constraints.is_empty() {
                            constraints.items = Some(Box::new(info.constraints.clone()));
                        }
                        if info.nullable {
                            info.ty.optional()
                        } else {
                            info.ty
                        }
                    }
                    None => Ty::Value,
                };
                Ty::Vec(Box::new(item))
            }
            Some("object") => Ty::Map(Box::new(Ty::Value)),
            Some(other)
                if !["string", "integer", "number", "boolean", "array", "object"]
                    .contains(&other) =>
            {
                return Err(Diagnostic::at(
                    format!("{pointer}/type"),
                    format!("invalid type {other:?}"),
                )
                .hint("use one of string, number, integer, boolean, array, object"));
            }
            _ => Ty::Value,
        };
        Ok(base(ty, constraints, nullable))
    }

    fn field(&mut self, idents: &mut Namer, wire: &str, info: TyInfo, required: bool) -> Field {
        let ty = if required && !info.nullable {
            info.ty
        } else {
            info.ty.optional()
        };
        Field {
            ident: idents.claim(&snake_ident(wire)),
            wire: wire.to_owned(),
            constraints: constraints_for(&ty, info.constraints),
            ty,
            required,
            doc: info.doc,
        }
    }

    /// Merges the object parts of `schema` (its own properties and every `allOf` member).
    fn collect_object(
        &mut self,
        schema: &Schema,
        pointer: &str,
        parts: &mut ObjectParts,
        depth: usize,
    ) -> Result<(), Diagnostic> {
        if depth > 32 {
            return Err(Diagnostic::at(
                pointer,
                "allOf nesting deeper than 32 levels (a cycle through allOf?)",
            )
            .hint("an allOf member must not contain the schema itself"));
        }
        let mut format_buf = None;
        let n = norm(schema, &mut format_buf);
        for (i, member) in n.all_of.iter().enumerate() {
            let at = format!("{pointer}/allOf/{i}");
            let (s, at) = self.deref(member, &at)?;
            let mut fb = None;
            let mn = norm(&s, &mut fb);
            let is_object = mn.properties.is_some()
                || mn.typ == Some("object")
                || !mn.all_of.is_empty()
                || mn.additional.is_some();
            if is_object {
                self.collect_object(&s, &at, parts, depth + 1)?;
            } else if !mn.one_of.is_empty() || !mn.any_of.is_empty() {
                parts.open = true;
            }
        }
        if let Some(props) = n.properties {
            for (name, s) in props {
                let at = format!("{pointer}/properties/{}", escape(name));
                match parts.props.iter_mut().find(|(p, _, _)| p == name) {
                    Some(existing) => *existing = (name.clone(), s.clone(), at),
                    None => parts.props.push((name.clone(), s.clone(), at)),
                }
            }
        }
        parts.required.extend(n.required.iter().cloned());
        if let Some(a) = n.additional {
            parts.additional = Some((a.clone(), format!("{pointer}/additionalProperties")));
        }
        parts.min_properties = parts.min_properties.or(n.min_properties);
        parts.max_properties = parts.max_properties.or(n.max_properties);
        if n.properties.is_none() && (!n.one_of.is_empty() || !n.any_of.is_empty()) && depth > 0 {
            parts.open = true;
        }
        Ok(())
    }

    /// Boxes struct fields that close a cycle of direct (non-collection) references.
    fn box_recursive_fields(&mut self) {
        let index: HashMap<String, usize> = self
            .types
            .iter()
            .enumerate()
            .map(|(i, t)| (t.name.clone(), i))
            .collect();
        let direct = |ty: &Ty| -> Option<String> {
            match ty {
                Ty::Named(n) => Some(n.clone()),
                Ty::Option(t) => match t.as_ref() {
                    Ty::Named(n) => Some(n.clone()),
                    _ => None,
                },
                _ => None,
            }
        };
        let edges: Vec<Vec<(usize, usize)>> = self
            .types
            .iter()
            .map(|t| match &t.kind {
                TypeKind::Struct { fields, .. } => fields
                    .iter()
                    .enumerate()
                    .filter_map(|(fi, f)| {
                        direct(&f.ty).and_then(|n| index.get(&n).map(|&ti| (fi, ti)))
                    })
                    .collect(),
                TypeKind::Union { variants, .. } => variants
                    .iter()
                    .enumerate()
                    .filter_map(|(vi, v)| {
                        direct(&v.ty).and_then(|n| index.get(&n).map(|&ti| (vi, ti)))
                    })
                    .collect(),
                _ => Vec::new(),
            })
            .collect();
        // Iterative DFS; an edge to a node on the stack is a back edge and gets a Box.
        let mut state = vec![0u8; self.types.len()];
        let mut to_box = Vec::new();
        for start in 0..self.types.len() {
            if state[start] != 0 {
                continue;
            }
            let mut stack = vec![(start, 0usize)];
            state[start] = 1;
            while let Some((node, next)) = stack.pop() {
                if next < edges[node].len() {
                    stack.push((node, next + 1));
                    let (slot, target) = edges[node][next];
                    match state[target] {
                        0 => {
                            state[target] = 1;
                            stack.push((target, 0));
                        }
                        1 => to_box.push((node, slot)),
                        _ => {}
                    }
                } else {
                    state[node] = 2;
                }
            }
        }
        for (node, slot) in to_box {
            let boxed = |ty: &mut Ty| {
                let inner = std::mem::replace(ty, Ty::Value);
                *ty = match inner {
                    Ty::Option(t) => Ty::Option(Box::new(Ty::Boxed(t))),
                    t => Ty::Boxed(Box::new(t)),
                };
            };
            match &mut self.types[node].kind {
                TypeKind::Struct { fields, .. } => boxed(&mut fields[slot].ty),
                TypeKind::Union { variants, .. } => boxed(&mut variants[slot].ty),
                _ => {}
            }
        }
    }

    fn operations(&mut self) -> Result<Vec<Operation>, Diagnostic> {
        let spec = self.spec;
        let mut ops = Vec::new();
        // Reserve the names users see first, so no schema can take them.
        let mut planned = Vec::new();
        for (path, item) in spec.doc.paths.paths.iter() {
            let item_ptr = format!("#/paths/{}", escape(path));
            let item = match item {
                ReferenceOr::Item(i) => i,
                ReferenceOr::Reference { .. } => {
                    return Err(
                        Diagnostic::at(item_ptr, "path item $refs are not supported")
                            .hint("inline the path item"),
                    );
                }
            };
            for (method, op) in item.iter() {
                let pointer = format!("{item_ptr}/{method}");
                let names = sdk_names(op, method, path, &pointer)?;
                let params_type = self.names.claim(&format!("{}Params", names.type_prefix));
                let result_type = self.names.claim(&format!("{}Response", names.type_prefix));
                planned.push((
                    path,
                    item,
                    method,
                    op,
                    pointer,
                    names,
                    params_type,
                    result_type,
                ));
            }
        }
        for (path, item, method, op, pointer, names, params_type, result_type) in planned {
            ops.push(self.operation(
                path,
                item,
                method,
                op,
                pointer,
                names,
                params_type,
                result_type,
            )?);
        }
        Ok(ops)
    }

    fn parameter(
        &mut self,
        p: &ReferenceOr<Parameter>,
        at: &str,
    ) -> Result<(Parameter, String), Diagnostic> {
        match p {
            ReferenceOr::Item(p) => Ok((p.clone(), at.to_owned())),
            ReferenceOr::Reference { reference } => {
                let node = resolve_pointer(&self.spec.raw, reference).ok_or_else(|| {
                    Diagnostic::at(at, format!("$ref {reference:?} points at nothing"))
                })?;
                let p: Parameter = serde_json::from_value(node.clone()).map_err(|e| {
                    Diagnostic::at(reference.clone(), format!("not a valid parameter: {e}"))
                })?;
                Ok((p, reference.clone()))
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn operation(
        &mut self,
        path: &str,
        item: &openapiv3::PathItem,
        method: &str,
        op: &openapiv3::Operation,
        pointer: String,
        names: SdkNames,
        params_type: String,
        result_type: String,
    ) -> Result<Operation, Diagnostic> {
        let mut idents = Namer::default();
        let mut params: Vec<Param> = Vec::new();
        // Path-level parameters first, overridden by operation-level ones with the same name and place.
        let mut raw_params: Vec<(Parameter, String)> = Vec::new();
        let item_ptr = pointer
            .rsplit_once('/')
            .map(|(a, _)| a.to_owned())
            .unwrap_or_default();
        for (i, p) in item.parameters.iter().enumerate() {
            raw_params.push(self.parameter(p, &format!("{item_ptr}/parameters/{i}"))?);
        }
        for (i, p) in op.parameters.iter().enumerate() {
            let (p, at) = self.parameter(p, &format!("{pointer}/parameters/{i}"))?;
            let key = |q: &Parameter| {
                (
                    q.parameter_data_ref().name.clone(),
                    std::mem::discriminant(q),
                )
            };
            if let Some(existing) = raw_params.iter_mut().find(|(q, _)| key(q) == key(&p)) {
                *existing = (p, at);
            } else {
                raw_params.push((p, at));
            }
        }
        for (p, at) in raw_params {
            let location = match &p {
                Parameter::Path { .. } => Location::Path,
                Parameter::Query { .. } => Location::Query,
                Parameter::Header { .. } => Location::Header,
                Parameter::Cookie { .. } => {
                    return Err(Diagnostic::at(at, "cookie parameters are not supported")
                        .hint("remove the parameter or pass it as a header"));
                }
            };
            let data = p.parameter_data_ref();
            let hint = format!("{}{}", names.type_prefix, pascal_ident(&data.name));
            let mut info = match &data.format {
                ParameterSchemaOrContent::Schema(s) => {
                    self.ty_of(s, &format!("{at}/schema"), &hint)?
                }
                ParameterSchemaOrContent::Content(_) => TyInfo {
                    ty: Ty::String,
                    constraints: Constraints::default(),
                    doc: None,
                    nullable: false,
                    example: None,
                },
            };
            if !self.param_ty_ok(&info.ty) {
                info.ty = Ty::Value;
                info.constraints = Constraints::default();
            }
            if data.description.is_some() {
                info.doc = data.description.clone();
            }
            let required = data.required || location == Location::Path;
            if location == Location::Path {
                // A path segment cannot be absent; `nullable` on one is meaningless.
                info.nullable = false;
            }
            if location == Location::Header && data.name.eq_ignore_ascii_case("authorization") {
                continue;
            }
            let field = self.field(&mut idents, &data.name, info, required);
            params.push(Param { field, location });
        }

        // The path template and its parameters must agree.
        let mut segments = Vec::new();
        let mut rest = path;
        let mut placeholders = Vec::new();
        while let Some(open) = rest.find('{') {
            let close = rest[open..].find('}').map(|c| c + open).ok_or_else(|| {
                Diagnostic::at(&pointer, format!("path {path:?} has an unclosed `{{`"))
            })?;
            if open > 0 {
                segments.push(Segment::Literal(rest[..open].to_owned()));
            }
            let name = &rest[open + 1..close];
            placeholders.push(name.to_owned());
            let idx = params
                .iter()
                .position(|p| p.location == Location::Path && p.field.wire == name)
                .ok_or_else(|| {
                    Diagnostic::at(&pointer, format!("path parameter {{{name}}} appears in the path but no `in: path` parameter declares it"))
                        .hint(format!("add a parameter with `name: {name}`, `in: path`, `required: true`"))
                })?;
            segments.push(Segment::Param(idx));
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            segments.push(Segment::Literal(rest.to_owned()));
        }
        for p in &params {
            if p.location == Location::Path && !placeholders.contains(&p.field.wire) {
                return Err(Diagnostic::at(
                    format!("{pointer}/parameters"),
                    format!(
                        "path parameter {:?} is declared but {path:?} has no {{{}}} placeholder",
                        p.field.wire, p.field.wire
                    ),
                )
                .hint("remove the parameter or add the placeholder to the path"));
            }
        }

        let body = self.request_body(op, &pointer, &names, &mut idents, &mut params)?;
        // The result's public name was reserved first; an inline result type takes it itself.
        self.names.release(&result_type);
        let (response, result, nullable, paged) = self.response(op, &pointer, &result_type)?;
        let pagination = match (&result, paged) {
            (Ty::Vec(item), true) => params
                .iter()
                .position(|p| p.location == Location::Query && p.field.wire == "page")
                .and_then(|i| {
                    let base = match &params[i].field.ty {
                        Ty::Option(t) => t.as_ref().clone(),
                        t => t.clone(),
                    };
                    matches!(base, Ty::I32 | Ty::I64 | Ty::F64).then(|| Pagination {
                        page_param: i,
                        page_ty: base,
                        item: item.as_ref().clone(),
                    })
                }),
            _ => None,
        };
        // The result gets its stable public name: the type itself or an alias to it. A
        // nullable result is an `Option` of that name.
        let result_type = match &result {
            Ty::Named(n) if *n == result_type => Some(result_type),
            Ty::Value if response == ResponseKind::Empty => None,
            other => {
                let name = self.names.claim(&result_type);
                self.types.push(TypeDef {
                    name: name.clone(),
                    doc: Some(format!("What `{}` returns.", names.method)),
                    kind: TypeKind::Alias(other.clone()),
                });
                Some(name)
            }
        };
        let result = match result_type.clone() {
            Some(name) if nullable => Ty::Option(Box::new(Ty::Named(name))),
            Some(name) => Ty::Named(name),
            None => result,
        };
        let params_defaultable = params.iter().all(|p| defaultable(&p.field.ty));
        let doc = match (&op.summary, &op.description) {
            (Some(s), Some(d)) if s != d => Some(format!("{s}\n\n{d}")),
            (Some(s), _) => Some(s.clone()),
            (None, d) => d.clone(),
        };
        let permissions = permissions(op);
        Ok(Operation {
            pointer,
            http_method: method.to_uppercase(),
            path: path.to_owned(),
            segments,
            resource: names.resource,
            method: names.method,
            doc,
            deprecated: op.deprecated,
            params_type,
            params,
            body,
            response,
            result,
            result_type,
            params_defaultable,
            resource_type: String::new(),
            pagination,
            permissions,
        })
    }

    /// Whether a type can be written into a path, query or header.
    fn param_ty_ok(&self, ty: &Ty) -> bool {
        match ty {
            Ty::String
            | Ty::Bool
            | Ty::I32
            | Ty::I64
            | Ty::F64
            | Ty::DateTime
            | Ty::Date
            | Ty::Value => true,
            Ty::Named(n) => self.enums.contains(n),
            Ty::Vec(t) => !matches!(t.as_ref(), Ty::Vec(_)) && self.param_ty_ok(t),
            Ty::Option(t) => self.param_ty_ok(t),
            _ => false,
        }
    }

    fn request_body(
        &mut self,
        op: &openapiv3::Operation,
        pointer: &str,
        names: &SdkNames,
        idents: &mut Namer,
        params: &mut Vec<Param>,
    ) -> Result<BodyKind, Diagnostic> {
        let Some(rb) = &op.request_body else {
            return Ok(BodyKind::None);
        };
        let mut at = format!("{pointer}/requestBody");
        let body: RequestBody = match rb {
            ReferenceOr::Item(b) => b.clone(),
            ReferenceOr::Reference { reference } => {
                let node = resolve_pointer(&self.spec.raw, reference).ok_or_else(|| {
                    Diagnostic::at(&at, format!("$ref {reference:?} points at nothing"))
                })?;
                at = reference.clone();
                serde_json::from_value(node.clone()).map_err(|e| {
                    Diagnostic::at(reference.clone(), format!("not a valid request body: {e}"))
                })?
            }
        };
        let Some((choice, content_type, media)) = pick_media(&body.content) else {
            return Ok(BodyKind::None);
        };
        let media_at = format!("{at}/content/{}", escape(content_type));
        let body_doc = body.description.clone();
        let raw = |ty: Ty, this: &mut Self, params: &mut Vec<Param>, idents: &mut Namer| {
            this.push_body_param(idents, params, ty, body.required, body.description.clone());
            Ok(BodyKind::Raw(content_type.clone()))
        };
        match choice {
            Media::Text => return raw(Ty::String, self, params, idents),
            Media::Bytes => return raw(Ty::Bytes, self, params, idents),
            Media::Json | Media::Multipart => {}
        }
        let Some(schema) = &media.schema else {
            self.push_body_param(idents, params, Ty::Value, body.required, body_doc);
            return Ok(BodyKind::Json);
        };
        let hint = format!("{}Body", names.type_prefix);
        let info = self.ty_of(schema, &format!("{media_at}/schema"), &hint)?;
        // An inline body type without a description says what it is.
        if let (ReferenceOr::Item(_), Ty::Named(name)) = (schema, &info.ty) {
            if let Some(def) = self
                .types
                .iter_mut()
                .find(|t| &t.name == name && t.doc.is_none())
            {
                def.doc = Some(format!(
                    "The request body of `{}.{}`.",
                    names.resource.join("."),
                    names.method
                ));
            }
        }
        for (example, example_at) in self.media_examples(media, &media_at) {
            let test_name = self
                .example_names
                .claim(&snake_ident(&format!("{}_request", names.type_prefix)));
            self.examples.push(Example {
                test_name,
                ty: info.ty.clone(),
                value: example,
                pointer: example_at,
                request: true,
                envelope: false,
            });
        }
        // The properties of an object body become fields of the params struct (an optional
        // JSON body stays one optional field, so "no body" can still be said).
        let flatten = choice == Media::Multipart || body.required;
        if let Some(fields) = self.struct_fields(&info.ty).filter(|_| flatten) {
            for mut f in fields {
                let clash = params.iter().any(|p| p.field.ident == f.ident);
                let wanted = if clash {
                    format!("body_{}", f.ident)
                } else {
                    f.ident.clone()
                };
                f.ident = idents.claim(&wanted);
                params.push(Param {
                    field: f,
                    location: Location::Body,
                });
            }
            return Ok(match choice {
                Media::Multipart => BodyKind::Multipart,
                _ => BodyKind::JsonFields,
            });
        }
        if choice == Media::Multipart {
            // A form that is not an object: the caller supplies the encoded form.
            return raw(Ty::Bytes, self, params, idents);
        }
        let ty = if info.nullable {
            info.ty.optional()
        } else {
            info.ty
        };
        self.push_body_param(idents, params, ty, body.required, body_doc.or(info.doc));
        Ok(BodyKind::Json)
    }

    /// The `example` and every `examples` entry of a media type, `$ref`s resolved.
    fn media_examples(&self, media: &openapiv3::MediaType, at: &str) -> Vec<(Value, String)> {
        let mut out = Vec::new();
        if let Some(v) = &media.example {
            out.push((v.clone(), format!("{at}/example")));
        }
        for (name, example) in &media.examples {
            let (value, pointer) = match example {
                ReferenceOr::Item(e) => {
                    (e.value.clone(), format!("{at}/examples/{}", escape(name)))
                }
                ReferenceOr::Reference { reference } => (
                    resolve_pointer(&self.spec.raw, reference)
                        .and_then(|n| n.get("value"))
                        .cloned(),
                    reference.clone(),
                ),
            };
            if let Some(value) = value {
                out.push((value, pointer));
            }
        }
        out
    }

    fn struct_fields(&self, ty: &Ty) -> Option<Vec<Field>> {
        let Ty::Named(name) = ty else { return None };
        let def = self.types.iter().find(|t| &t.name == name)?;
        match &def.kind {
            TypeKind::Struct {
                fields,
                additional: None,
                ..
            } => Some(fields.clone()),
            _ => None,
        }
    }

    fn push_body_param(
        &mut self,
        idents: &mut Namer,
        params: &mut Vec<Param>,
        ty: Ty,
        required: bool,
        doc: Option<String>,
    ) {
        let ty = if required { ty } else { ty.optional() };
        params.push(Param {
            field: Field {
                ident: idents.claim("body"),
                wire: "body".into(),
                ty,
                required,
                doc: doc.or_else(|| Some("The request body.".into())),
                constraints: Constraints::default(),
            },
            location: Location::Body,
        });
    }

    fn response(
        &mut self,
        op: &openapiv3::Operation,
        pointer: &str,
        result_name: &str,
    ) -> Result<(ResponseKind, Ty, bool, bool), Diagnostic> {
        let success = op
            .responses
            .responses
            .iter()
            .filter_map(|(code, r)| match code {
                StatusCode::Code(c) if (200..300).contains(c) => Some((*c, code, r)),
                StatusCode::Range(2) => Some((299, code, r)),
                _ => None,
            })
            .min_by_key(|(c, _, _)| *c)
            .map(|(_, code, r)| (code.to_string(), r))
            .or_else(|| {
                op.responses
                    .default
                    .as_ref()
                    .map(|r| ("default".to_owned(), r))
            });
        let Some((code, response)) = success else {
            return Ok((ResponseKind::Empty, Ty::Value, false, false));
        };
        let mut at = format!("{pointer}/responses/{code}");
        let response: Response = match response {
            ReferenceOr::Item(r) => r.clone(),
            ReferenceOr::Reference { reference } => {
                let node = resolve_pointer(&self.spec.raw, reference).ok_or_else(|| {
                    Diagnostic::at(&at, format!("$ref {reference:?} points at nothing"))
                })?;
                at = reference.clone();
                serde_json::from_value(node.clone()).map_err(|e| {
                    Diagnostic::at(reference.clone(), format!("not a valid response: {e}"))
                })?
            }
        };
        let json = response
            .content
            .iter()
            .find(|(k, _)| k.to_ascii_lowercase().contains("json"));
        let Some((content_type, media)) = json else {
            return Ok(match response.content.first() {
                None => (ResponseKind::Empty, Ty::Value, false, false),
                Some((k, _)) if k.starts_with("text/") => {
                    (ResponseKind::Text, Ty::String, false, false)
                }
                Some(_) => (ResponseKind::Bytes, Ty::Bytes, false, false),
            });
        };
        let media_at = format!("{at}/content/{}/schema", escape(content_type));
        let Some(schema) = &media.schema else {
            return Ok((ResponseKind::Json, Ty::Value, false, false));
        };
        // Cloudflare's envelope: {success, errors, messages, result}; the result is what users want.
        let (s, s_at) = self.deref(schema, &media_at)?;
        let mut parts = ObjectParts::default();
        self.collect_object(&s, &s_at, &mut parts, 0)?;
        let is_envelope = parts.props.iter().any(|(n, _, _)| n == "result")
            && parts
                .props
                .iter()
                .any(|(n, _, _)| n == "success" || n == "errors");
        let (kind, info) = if is_envelope {
            let (_, result_schema, result_at) = parts
                .props
                .iter()
                .find(|(n, _, _)| n == "result")
                .cloned()
                .expect("checked above");
            let info = self.ty_of_boxed(&result_schema, &result_at, result_name)?;
            (ResponseKind::Envelope, info)
        } else {
            (
                ResponseKind::Json,
                self.ty_of(schema, &media_at, result_name)?,
            )
        };
        for (example, example_at) in self.media_examples(media, &media_at) {
            let test_name = self
                .example_names
                .claim(&snake_ident(&format!("{result_name}_example")));
            let ty = if info.nullable {
                info.ty.clone().optional()
            } else {
                info.ty.clone()
            };
            let envelope = kind == ResponseKind::Envelope;
            self.examples.push(Example {
                test_name,
                ty,
                value: example,
                pointer: example_at,
                request: false,
                envelope,
            });
        }
        let paged = is_envelope && parts.props.iter().any(|(n, _, _)| n == "result_info");
        Ok((kind, info.ty, info.nullable, paged))
    }
}

fn merge_constraints(into: &mut Constraints, extra: Constraints) {
    macro_rules! take { ($($f:ident),*) => {$( if extra.$f.is_some() { into.$f = extra.$f.clone(); } )*} }
    take!(
        min_length,
        max_length,
        minimum,
        maximum,
        multiple_of,
        pattern,
        min_items,
        max_items,
        min_properties,
        max_properties
    );
    into.unique_items |= extra.unique_items;
}

/// An array, or a map without named properties.
fn is_collection(s: &Schema) -> bool {
    let mut format_buf = None;
    let n = norm(s, &mut format_buf);
    n.one_of.is_empty()
        && n.any_of.is_empty()
        && n.all_of.is_empty()
        && n.properties.is_none()
        && (n.typ == Some("array") || n.items.is_some() || n.additional.is_some())
}

fn is_null_schema(s: &Schema) -> bool {
    match &s.schema_kind {
        SchemaKind::Any(a) => !a.enumeration.is_empty() && a.enumeration.iter().all(Value::is_null),
        SchemaKind::Type(Type::Object(_)) => false,
        _ => false,
    }
}

/// Whether a field of this type can derive `Default` (generated types do not implement it).
fn defaultable(ty: &Ty) -> bool {
    !matches!(ty, Ty::Named(_) | Ty::Boxed(_))
}

fn variant_ident(ty: &Ty, union_name: &str) -> String {
    match ty {
        Ty::Named(n) => n
            .strip_prefix(union_name)
            .filter(|s| !s.is_empty())
            .unwrap_or(n)
            .to_owned(),
        Ty::Option(t) | Ty::Boxed(t) => variant_ident(t, union_name),
        Ty::String => "String".into(),
        Ty::Bool => "Bool".into(),
        Ty::I32 | Ty::I64 => "Integer".into(),
        Ty::F64 => "Number".into(),
        Ty::DateTime => "DateTime".into(),
        Ty::Date => "Date".into(),
        Ty::Bytes => "Bytes".into(),
        Ty::Value => "Json".into(),
        Ty::Vec(t) => format!("{}List", variant_ident(t, union_name)),
        Ty::Map(_) => "Object".into(),
    }
}

/// How a request body is sent, by content type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Media {
    Json,
    Multipart,
    Text,
    Bytes,
}

/// The content type to send: JSON if offered, else a form, else text, else the first.
fn pick_media(
    content: &indexmap::IndexMap<String, openapiv3::MediaType>,
) -> Option<(Media, &String, &openapiv3::MediaType)> {
    let find =
        |pred: &dyn Fn(&str) -> bool| content.iter().find(|(k, _)| pred(&k.to_ascii_lowercase()));
    let textual =
        |k: &str| k.starts_with("text/") || k.contains("javascript") || k.contains("ndjson");
    let (media, (k, m)) = find(&|k| k.contains("json") && !k.contains("ndjson"))
        .map(|c| (Media::Json, c))
        .or_else(|| find(&|k| k.starts_with("multipart/form-data")).map(|c| (Media::Multipart, c)))
        .or_else(|| find(&textual).map(|c| (Media::Text, c)))
        .or_else(|| content.first().map(|c| (Media::Bytes, c)))?;
    Some((media, k, m))
}

/// Token permissions from `x-api-token-group` (newer schemas) or `x-cfPermissionsRequired`
/// (`{enum: [..]}`, the 2024 schema).
fn permissions(op: &openapiv3::Operation) -> Vec<String> {
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

/// How users reach an operation, and the prefix of its types.
struct SdkNames {
    resource: Vec<String>,
    method: String,
    type_prefix: String,
}

const GROUP_EXT: &str = "x-fern-sdk-group-name";
const METHOD_EXT: &str = "x-fern-sdk-method-name";

/// SDK naming data from `x-fern-sdk-group-name` / `x-fern-sdk-method-name` when present; else
/// the first tag (or first path segment) as resource and the operationId as method.
fn sdk_names(
    op: &openapiv3::Operation,
    method: &str,
    path: &str,
    pointer: &str,
) -> Result<SdkNames, Diagnostic> {
    let ext = |k: &str| op.extensions.get(k);
    match (ext(GROUP_EXT), ext(METHOD_EXT)) {
        (Some(group), Some(name)) => {
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
            // Like Cloudflare's SDKs: the first group is the package, the rest (last one
            // singular) prefixes the types: zero_trust.access.keys + update -> AccessKeyUpdate.
            let mut prefix_parts: Vec<String> = if group.len() > 1 {
                group[1..].to_vec()
            } else {
                group.clone()
            };
            if let Some(last) = prefix_parts.last_mut() {
                *last = singular(last);
            }
            let type_prefix = format!(
                "{}{}",
                pascal_ident(&prefix_parts.join("_")),
                pascal_ident(&name)
            );
            Ok(SdkNames {
                resource: group,
                method: name,
                type_prefix,
            })
        }
        (None, None) => {
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
                .unwrap_or_else(|| format!("{method} {path}"));
            let full = snake_ident(&id);
            let method_name = full
                .strip_prefix(&format!("{resource}_"))
                .filter(|m| !m.is_empty())
                .map(snake_ident)
                .unwrap_or(full);
            Ok(SdkNames {
                resource: vec![resource],
                type_prefix: pascal_ident(&id),
                method: method_name,
            })
        }
        _ => Err(Diagnostic::at(
            pointer,
            format!("{GROUP_EXT} and {METHOD_EXT} must be given together"),
        )
        .hint("add the missing extension or remove the other")),
    }
}

/// Groups operations into the resource tree; two operations with one name in one resource are
/// an error when the spec named them, and get numbered otherwise.
fn resource_tree(ops: &mut [Operation]) -> Result<Resource, Diagnostic> {
    let mut root = Resource {
        type_name: "Client".into(),
        ..Resource::default()
    };
    let mut type_names = Namer::with_reserved(&["Client"]);
    let mut op_types = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        let mut node = &mut root;
        let mut path = Vec::new();
        for seg in &op.resource {
            path.push(seg.clone());
            let pos = match node.children.iter().position(|c| &c.segment == seg) {
                Some(p) => p,
                None => {
                    let type_name = type_names.claim(&pascal_ident(&path.join("_")));
                    node.children.push(Resource {
                        segment: seg.clone(),
                        type_name,
                        ..Resource::default()
                    });
                    node.children.len() - 1
                }
            };
            node = &mut node.children[pos];
        }
        node.operations.push(i);
        op_types.push((i, node.type_name.clone()));
    }
    for (i, t) in op_types {
        ops[i].resource_type = t;
    }
    check_names(&root, ops)?;
    Ok(root)
}

fn check_names(node: &Resource, ops: &[Operation]) -> Result<(), Diagnostic> {
    let mut seen: HashMap<String, &Operation> = HashMap::new();
    for child in &node.children {
        seen.insert(child.segment.clone(), &ops[0]);
    }
    for &i in &node.operations {
        let op = &ops[i];
        for name in [op.method.clone(), format!("{}_with_response", op.method)] {
            if let Some(other) = seen.get(&name) {
                let what = if node.children.iter().any(|c| c.segment == name) {
                    format!(
                        "operation name `{name}` is also a sub-resource of `{}`",
                        op.resource.join(".")
                    )
                } else {
                    format!(
                        "duplicate operation name `{}.{name}`, also used by {}",
                        op.resource.join("."),
                        other.pointer
                    )
                };
                return Err(Diagnostic::at(&op.pointer, what).hint(
                    "give the operations distinct x-fern-sdk-method-name values (or operationIds)",
                ));
            }
            seen.insert(name, op);
        }
    }
    for child in &node.children {
        check_names(child, ops)?;
    }
    Ok(())
}
