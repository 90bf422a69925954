//! The plain-data types the emitter reads: types, fields, constraints, operations, resources.
//!
//! Everything here is resolved: names are final and unique, `$ref`s are followed, and other
//! items are referred to by the handles the model hands out ([`PatternId`], [`ResourceId`],
//! [`OperationId`], [`FeatureId`]), never by searching again.

pub use crate::source::HttpMethod;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};

/// A Rust type as the generated code spells it.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i32` (`format: int32`).
    I32,
    /// `i64`.
    I64,
    /// `f64`.
    F64,
    /// `chrono::DateTime<Utc>` (`format: date-time`).
    DateTime,
    /// `chrono::NaiveDate` (`format: date`).
    Date,
    /// `bytes::Bytes` (`format: binary`, binary bodies).
    Bytes,
    /// `Vec<crate::Part>`: the parts of a multipart form that is not a plain object.
    FormParts,
    /// Any JSON.
    Value,
    /// A JSON array.
    Vec(Box<Ty>),
    /// A JSON object used as a map with string keys.
    Map(Box<Ty>),
    /// A type defined in `types.rs`, by its final name.
    Named(String),
    /// May be absent or `null`.
    Option(Box<Ty>),
    /// Boxed to break a cycle of direct references.
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

    /// The type wrapped in `Option` (once).
    pub fn optional(self) -> Ty {
        match self {
            Ty::Option(_) => self,
            other => Ty::Option(Box::new(other)),
        }
    }

    /// `Option<T>` when `nullable`, else the type itself.
    pub fn nullable(self, nullable: bool) -> Ty {
        if nullable {
            self.optional()
        } else {
            self
        }
    }

    /// The type without an outer `Option` or `Box`.
    pub fn base(&self) -> &Ty {
        match self {
            Ty::Option(t) | Ty::Boxed(t) => t.base(),
            t => t,
        }
    }
}

/// A handle to a `pattern` in [`Model::patterns`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PatternId(pub usize);

/// A `pattern` constraint: its source text and its handle in [`Model::patterns`].
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    /// The handle the emitter names the compiled pattern by.
    pub id: PatternId,
    /// The pattern as the spec writes it (ECMA-262).
    pub source: String,
}

/// Constraints from the spec, checked by the generated `validate`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// `minLength`.
    pub min_length: Option<usize>,
    /// `maxLength`.
    pub max_length: Option<usize>,
    /// `minimum` and whether it is exclusive.
    pub minimum: Option<(f64, bool)>,
    /// `maximum` and whether it is exclusive.
    pub maximum: Option<(f64, bool)>,
    /// `multipleOf`.
    pub multiple_of: Option<f64>,
    /// `pattern`.
    pub pattern: Option<Pattern>,
    /// `minItems`.
    pub min_items: Option<usize>,
    /// `maxItems`.
    pub max_items: Option<usize>,
    /// `uniqueItems`.
    pub unique_items: bool,
    /// `minProperties`.
    pub min_properties: Option<usize>,
    /// `maxProperties`.
    pub max_properties: Option<usize>,
    /// `enum` values of a number or boolean (string enums become Rust enums).
    pub allowed: Vec<Value>,
    /// Constraints on the items of an array.
    pub items: Option<Box<Constraints>>,
}

impl Constraints {
    /// Whether there is nothing to check.
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

/// A field of a struct or of an operation's parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The Rust field name.
    pub ident: String,
    /// The name on the wire.
    pub wire: String,
    /// Full type, `Option` included when the field may be absent or null.
    pub ty: Ty,
    /// Whether the spec lists the field as required.
    pub required: bool,
    /// The spec's description.
    pub doc: Option<String>,
    /// What `validate` checks on the value.
    pub constraints: Constraints,
    /// The field's own fields are the object's (`#[serde(flatten)]`): the union an `allOf`
    /// merges with properties, so its variants keep their types.
    pub flatten: bool,
}

/// The field of a struct that keeps the properties its schema does not name.
pub const ADDITIONAL_FIELD: &str = "additional_properties";

/// A struct: an object schema with named properties.
#[derive(Debug, Clone, PartialEq)]
pub struct StructDef {
    /// The named properties, in spec order.
    pub fields: Vec<Field>,
    /// Type of `additionalProperties`, kept in a flattened map called [`ADDITIONAL_FIELD`].
    pub additional: Option<Ty>,
    /// Whether every field can derive `Default`.
    pub defaultable: bool,
}

/// One value of a string enum.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// The Rust variant name.
    pub ident: String,
    /// The string on the wire.
    pub wire: String,
}

/// A string enum; unknown values are kept in the `other` variant.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumDef {
    /// The documented values.
    pub variants: Vec<Variant>,
    /// The name of the variant that keeps unknown values.
    pub other: String,
}

/// One member of a oneOf/anyOf.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// The Rust variant name.
    pub ident: String,
    /// The member's type.
    pub ty: Ty,
    /// Discriminator values selecting this variant (another variant may share one when the
    /// discriminator is inferred: the value then selects them all, tried in order).
    pub tags: Vec<String>,
    /// The member's own constraints.
    pub constraints: Constraints,
}

/// oneOf/anyOf: untagged unless a discriminator property names the variant.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionDef {
    /// The members, in spec order.
    pub variants: Vec<UnionVariant>,
    /// The property whose value selects the variant.
    pub discriminator: Option<Discriminator>,
    /// The name of the variant that keeps values of no documented shape.
    pub other: String,
}

/// What a named type is.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with named properties.
    Struct(StructDef),
    /// A string enum.
    Enum(EnumDef),
    /// A oneOf/anyOf.
    Union(UnionDef),
    /// A name for another type (operation results, collections that hold themselves through a
    /// struct).
    Alias(Ty),
    /// A struct wrapping another type, serialised as it: a collection that holds itself with
    /// no struct in between, which an alias cannot express.
    Newtype(Ty),
}

/// The property whose value selects a union's variant.
#[derive(Debug, Clone, PartialEq)]
pub struct Discriminator {
    /// The property's name.
    pub property: String,
    /// Where it comes from, which decides what a value of no variant falls back to.
    pub source: DiscriminatorSource,
}

/// Whether the spec names a union's discriminator, or the members' schemas give it away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiscriminatorSource {
    /// `discriminator: {propertyName}`: a value of no variant tries the variants without one.
    Declared,
    /// No `discriminator`, but every member is an object declaring the property as a one-value
    /// string enum (Cloudflare's DNS records: `type: {enum: [AAAA]}`). A value of no variant,
    /// or none, tries every variant in order, as in a union without a discriminator.
    Inferred,
}

/// A type defined in `types.rs`.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// Its unique name.
    pub name: String,
    /// The spec's description (or a generated one saying what it is).
    pub doc: Option<String>,
    /// What it is.
    pub kind: TypeKind,
}

/// An `example` from the spec, checked by a generated test.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// The test function's name.
    pub test_name: String,
    /// The type the example decodes into.
    pub ty: Ty,
    /// The example as the spec gives it.
    pub value: Value,
    /// Where the spec gives it.
    pub pointer: String,
    /// A request body: the test also validates and encodes it.
    pub request: bool,
    /// The example is a whole response envelope around a value of `ty`.
    pub envelope: bool,
    /// The constraints the value itself must meet (a schema's own example).
    pub constraints: Constraints,
    /// Why the example breaks its own schema, when it does (the generator warns, and the
    /// generated test checks that the constraints do reject it).
    pub breaks: Option<String>,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// A `{placeholder}` of the path.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
    /// A cookie, sent in the `Cookie` header.
    Cookie,
    /// The request body (a property of it, or the whole body).
    Body,
}

/// A field of an operation's params struct and where it is sent.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The field.
    pub field: Field,
    /// Where its value goes.
    pub location: Location,
}

/// How the request body is sent. The body object's properties are among the operation's
/// [`Param`]s; a whole body is the field here, the last field of the params struct.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyKind {
    /// No body.
    None,
    /// The body object's properties are fields of the params struct, which serialises as it.
    JsonFields,
    /// The whole body is this field (`body`), sent as JSON.
    Json(Field),
    /// The body object's properties are fields of the params struct, sent as form parts.
    Multipart,
    /// A form whose schema is not a plain object (a union, a map): this field (`body`) is a
    /// list of typed parts (`crate::Part`), sent as `multipart/form-data`.
    MultipartParts(Field),
    /// This field (`body`) is sent as is with this content type.
    Raw {
        /// The content type.
        content_type: String,
        /// The field, text or bytes.
        field: Field,
    },
}

impl BodyKind {
    /// The field that holds the whole body, if one does.
    pub fn whole(&self) -> Option<&Field> {
        match self {
            BodyKind::Json(field)
            | BodyKind::MultipartParts(field)
            | BodyKind::Raw { field, .. } => Some(field),
            BodyKind::None | BodyKind::JsonFields | BodyKind::Multipart => None,
        }
    }

    /// [`BodyKind::whole`], to change.
    pub fn whole_mut(&mut self) -> Option<&mut Field> {
        match self {
            BodyKind::Json(field)
            | BodyKind::MultipartParts(field)
            | BodyKind::Raw { field, .. } => Some(field),
            BodyKind::None | BodyKind::JsonFields | BodyKind::Multipart => None,
        }
    }
}

/// How the success response is read.
#[derive(Debug, Clone, PartialEq)]
pub enum ResponseKind {
    /// Cloudflare's envelope; the result is `result`.
    Envelope,
    /// The whole body is JSON.
    Json,
    /// The body is text.
    Text,
    /// The body is bytes.
    Bytes,
    /// No body.
    Empty,
}

/// A piece of an operation's path.
#[derive(Debug, Clone, PartialEq)]
pub enum Segment {
    /// Text sent as is.
    Literal(String),
    /// Index into the operation's params.
    Param(usize),
}

/// Where a credential goes in a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// `Authorization: Bearer <token>` (http bearer, oauth2, openIdConnect).
    Bearer,
    /// `Authorization: Basic <base64(user:password)>`.
    Basic,
    /// A header with this name.
    Header(String),
    /// A query parameter with this name.
    Query(String),
    /// A cookie with this name.
    Cookie(String),
}

/// One security scheme of the description that the client can send.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityScheme {
    /// The scheme's name in `components.securitySchemes`.
    pub name: String,
    /// The builder method that sets it (the name in snake case).
    pub method: String,
    /// Where it goes.
    pub placement: Placement,
    /// What the environment variables are called after the prefix (`API_TOKEN`; basic schemes
    /// have a user and a password variable).
    pub env_suffixes: Vec<String>,
    /// The scheme's description.
    pub doc: Option<String>,
}

/// Authentication: the schemes, and which combinations the client prefers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Auth {
    /// Every scheme the client can send, in the description's order.
    pub schemes: Vec<SecurityScheme>,
    /// The alternatives (indices into `schemes`) in the order `from_env` tries them.
    pub alternatives: Vec<Vec<usize>>,
    /// The prefix of the environment variables, when a vendor convention fixes it; else the
    /// crate's name in upper snake case.
    pub env_prefix: Option<String>,
    /// Whether every operation needs credentials (so building a client without any fails).
    pub required: bool,
}

/// A handle to a [`Resource`] in [`Model::resources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ResourceId(pub usize);

/// A handle to an [`Operation`] in [`Model::operations`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OperationId(pub usize);

/// An operation: one method on a resource (and its `*_with_response` twin).
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// JSON pointer of the operation in the spec.
    pub pointer: String,
    /// The HTTP method (emit writes it `GET`, `PUT`, ...).
    pub http_method: HttpMethod,
    /// The path template as the spec writes it.
    pub path: String,
    /// The path split into literal text and parameters.
    pub segments: Vec<Segment>,
    /// The resource the methods live on.
    pub resource: ResourceId,
    /// The method name.
    pub method: String,
    /// Summary and description.
    pub doc: Option<String>,
    /// Whether the spec marks it deprecated.
    pub deprecated: bool,
    /// Name of the params struct.
    pub params_type: String,
    /// The earlier operation whose params struct this one's equals (the same fields, places,
    /// docs and constraints, sent the same way): `params_type` is then an alias of that
    /// operation's `params_type` instead of a struct of its own.
    pub params_same_as: Option<OperationId>,
    /// Every parameter, path ones first in spec order, then the body object's properties
    /// (a whole body is a field of [`Operation::body`] instead; [`Operation::fields`] lists
    /// both).
    pub params: Vec<Param>,
    /// Whether every param can derive `Default`.
    pub params_defaultable: bool,
    /// How the body is sent.
    pub body: BodyKind,
    /// How the success response is read.
    pub response: ResponseKind,
    /// The `Accept` header when it is not the client's default `application/json`: the
    /// success response's media types, then JSON for error bodies.
    pub accept: Option<String>,
    /// What the plain method returns.
    pub result: Ty,
    /// Name of the alias or type for `result`, when it has one.
    pub result_type: Option<String>,
    /// Set for list operations that page with `page` and `result_info`.
    pub pagination: Option<Pagination>,
    /// API token permissions that allow the operation (any one of them).
    pub permissions: Vec<String>,
    /// The security alternatives, as indices into [`Auth::schemes`]: the first one whose
    /// schemes are all configured is sent. An empty alternative means credentials are optional;
    /// no alternatives at all, that the operation needs none.
    pub security: Vec<Vec<usize>>,
}

/// How a list operation pages: which params field says where a page starts, how, and the type
/// of one item.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// Index into the operation's params of the page number or cursor.
    pub page_param: usize,
    /// A page number of this type, or `Ty::String` for a cursor.
    pub page_ty: Ty,
    /// Whether the param is a cursor that `result_info.cursor` hands back.
    pub cursor: bool,
    /// The type of one item of the result list.
    pub item: Ty,
}

/// A node of the resource tree (`client.zero_trust().access().keys()`).
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// The accessor method's name on the parent (empty for the root).
    pub segment: String,
    /// The segments from the root to here (`["zero_trust", "access", "keys"]`).
    pub path: Vec<String>,
    /// The struct the methods live on (`Client` for the root).
    pub type_name: String,
    /// Sub-resources, in the order first seen.
    pub children: Vec<ResourceId>,
    /// Operations on this resource, in spec order.
    pub operations: Vec<OperationId>,
}

/// An operation the spec declares but the generated crate leaves out, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    /// `GET /path`.
    pub what: String,
    /// Why it is left out.
    pub reason: String,
}

/// The feature that enables every resource feature.
pub const FULL: &str = "full";

/// A handle to a [`Feature`] in [`Gates::features`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FeatureId(pub usize);

/// A cargo feature of the generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feature {
    /// The feature's name (`zero-trust`).
    pub name: String,
    /// The top-level resources it enables (their accessor names, `zero_trust`).
    pub resources: Vec<String>,
}

/// How a type is used by the selected operations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TypeUse {
    /// The features whose operations reach the type.
    pub features: BTreeSet<FeatureId>,
    /// A parameter or request body reaches it: it needs `Serialize` and `Validate`.
    pub sent: bool,
    /// A response reaches it: it needs `Deserialize`.
    pub received: bool,
}

/// When an item is compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gate {
    /// Always.
    Always,
    /// With any of these features.
    Any(Vec<String>),
}

/// Features, and what each operation, resource and type needs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Gates {
    /// The resource features, in the order of the top-level resources; empty when the crate
    /// has at most one top-level resource or too few operations (then nothing is gated).
    pub features: Vec<Feature>,
    /// The feature of each resource (by [`ResourceId`]); `None` for the root.
    pub(super) resources: Vec<Option<FeatureId>>,
    /// How each reached named type is used, by name.
    pub(super) types: HashMap<String, TypeUse>,
}

impl Gates {
    /// Whether the crate has resource features.
    pub fn is_active(&self) -> bool {
        !self.features.is_empty()
    }

    /// The feature behind a handle.
    pub fn feature(&self, id: FeatureId) -> &Feature {
        &self.features[id.0]
    }

    /// How the type `name` is used; a type no operation reaches counts as received.
    pub fn type_use(&self, name: &str) -> TypeUse {
        self.types.get(name).cloned().unwrap_or(TypeUse {
            features: BTreeSet::new(),
            sent: false,
            received: true,
        })
    }

    /// When the type `name` is compiled.
    pub fn type_gate(&self, name: &str) -> Gate {
        if !self.is_active() {
            return Gate::Always;
        }
        let features = self.type_use(name).features;
        if features.is_empty() {
            Gate::Any(vec![FULL.to_owned()])
        } else if features.len() == self.features.len() {
            Gate::Always
        } else {
            Gate::Any(
                features
                    .iter()
                    .map(|&f| self.feature(f).name.clone())
                    .collect(),
            )
        }
    }

    /// When the resource `id` (its struct, methods and accessor) is compiled.
    pub fn resource_gate(&self, id: ResourceId) -> Gate {
        match self.resources.get(id.0).copied().flatten() {
            Some(f) if self.is_active() => Gate::Any(vec![self.feature(f).name.clone()]),
            _ => Gate::Always,
        }
    }

    /// When the operation `op` (its params type) is compiled.
    pub fn operation_gate(&self, op: &Operation) -> Gate {
        self.resource_gate(op.resource)
    }

    /// The gates of the named types in `ty`, each of which must be on (for an item that uses
    /// the types, such as an example test).
    pub fn ty_gates(&self, ty: &Ty) -> Vec<Gate> {
        let mut names = BTreeSet::new();
        named_in(ty, &mut names);
        let mut gates: Vec<Gate> = names
            .iter()
            .map(|n| self.type_gate(n))
            .filter(|g| *g != Gate::Always)
            .collect();
        gates.dedup();
        gates
    }
}

/// The names of the generated types `ty` spells directly.
pub(super) fn named_in<'t>(ty: &'t Ty, out: &mut BTreeSet<&'t str>) {
    match ty {
        Ty::Named(n) => {
            out.insert(n);
        }
        Ty::Vec(t) | Ty::Map(t) | Ty::Option(t) | Ty::Boxed(t) => named_in(t, out),
        _ => {}
    }
}

/// Everything the generated crate contains.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// `info.title`.
    pub title: String,
    /// `info.description`.
    pub description: Option<String>,
    /// `info.version`.
    pub version: String,
    /// The default base URL (the first server's URL with its variables defaulted, without a
    /// trailing `/`); `None` when the document names no absolute URL (`servers.rs`).
    pub base_url: Option<String>,
    /// Every named type, in the order defined (dependencies first).
    pub types: Vec<TypeDef>,
    /// Every operation, in spec order.
    pub operations: Vec<Operation>,
    /// The resource tree; index 0 is the root (`Client`).
    pub resources: Vec<Resource>,
    /// Every distinct `pattern`, indexed by [`PatternId`].
    pub patterns: Vec<String>,
    /// Every example, in the order found.
    pub examples: Vec<Example>,
    /// Operations left out, with the reason.
    pub skipped: Vec<Skipped>,
    /// Authentication.
    pub auth: Auth,
    /// Cargo features, and which of them each operation, resource and type needs; whether
    /// each type is sent, received or both.
    pub gates: Gates,
}

impl Operation {
    /// Every field of the params struct, in order, with where it is sent: the parameters, then
    /// the field that holds a whole body.
    pub fn fields(&self) -> impl Iterator<Item = (&Field, Location)> {
        let params = self.params.iter().map(|p| (&p.field, p.location));
        params.chain(self.body.whole().map(|f| (f, Location::Body)))
    }
}

impl Model {
    /// The root resource (`Client`).
    pub const ROOT: ResourceId = ResourceId(0);

    /// The resource behind a handle.
    pub fn resource(&self, id: ResourceId) -> &Resource {
        &self.resources[id.0]
    }

    /// The operation behind a handle.
    pub fn operation(&self, id: OperationId) -> &Operation {
        &self.operations[id.0]
    }
}
