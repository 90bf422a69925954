//! The model: what the generated crate contains, named and typed, with nothing left to resolve.
//!
//! [`build`] runs in one direction: read the security schemes, plan the operations (their SDK
//! names, the resource tree and the public names they reserve), build each operation's parts
//! (its parameters, body and response, resolving and classifying every schema they reach), add
//! the component schemas no operation reached, box the fields that close a cycle, alias types
//! identical to an earlier one, decide which params structs are shared, and only then make
//! each [`Operation`], complete; then the crate's authentication and cargo features. What a
//! stage cannot support becomes a warning and the operation or schema is left out; the rest is
//! built. (The checks that read the whole document run while loading: `load_checks.rs`.)
//!
//! One state struct, `Builder`, carries the type registry; its `impl` blocks live in the
//! files of their concern:
//! - `refs.rs`: `$ref`s, looked up in the spec's table (`source::RefTable`, where they are
//!   followed once), and the aliases that let collections refer to themselves;
//! - `schema.rs`: classification, a dispatcher over the strategies in `union.rs`,
//!   `object.rs` and `scalar.rs`, with `norm.rs` giving every schema one shape;
//! - `operation.rs`, `body.rs`, `response.rs`, `examples.rs`: operations;
//! - `resources.rs`: the resource tree; `servers.rs`: the default base URL;
//!   `cloudflare.rs`: Cloudflare's conventions;
//! - `security.rs`: the security schemes, each operation's alternatives and the crate's
//!   authentication; `features.rs`: each operation's, resource's and type's cargo feature, and
//!   whether a type is sent or received;
//! - `left_out.rs`: what the build leaves out, one warning per cause;
//! - `cycles.rs`: boxing; `dedup.rs`: one type per distinct shape;
//! - `ir.rs`: the finished model the emitter reads;
//! - `tests.rs`: unit tests of the strategies; `ref_tests.rs`: of how `$ref`s are read.
//!
//! The model reads the typed document and its `$ref` table only (`Spec::doc`, `Spec::refs`),
//! never the JSON they were parsed from.

mod body;
mod cloudflare;
mod cycles;
mod dedup;
mod examples;
mod features;
mod ir;
mod left_out;
mod norm;
mod object;
mod operation;
mod refs;
mod resources;
mod response;
mod scalar;
mod schema;
mod security;
mod servers;
mod union;

pub use features::{ResourceFeatures, FEATURES_FROM_OPERATIONS, MAX_RESOURCE_FEATURES};
pub use ir::*;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::Spec;
use crate::naming::{Namer, RESERVED_TYPES};
use crate::select::Selection;
use openapiv3::Schema;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

/// Builds the model of `spec`. Errors and warnings go to `diagnostics`; the model is only
/// meaningful when no error was recorded.
pub fn build(spec: &Spec, diagnostics: &mut Diagnostics) -> Model {
    build_selected(spec, &Selection::default(), diagnostics)
}

/// Builds the model of the operations `selection` keeps (see [`crate::select`]). With a
/// selection, only the schemas those operations reach get a type; without one, every
/// component schema does.
///
/// An operation that fails to build is left out with a warning, and nothing of it may remain:
/// not the method name or the resource planning reserved for it (its sibling would be
/// `list_2` beside no `list`, its resource an empty struct), nor the types its build named
/// before it failed. So when a pass drops an operation, the build runs again from the start
/// with that operation left out before planning, its warning given where it was; until a pass
/// drops nothing new (each pass drops at least one more operation, so this ends). A document
/// whose operations all build is built once.
pub fn build_selected(spec: &Spec, selection: &Selection, diagnostics: &mut Diagnostics) -> Model {
    build_with(spec, selection, ResourceFeatures::Auto, diagnostics)
}

/// [`build_selected`], with `features` deciding whether the crate gets a cargo feature per
/// top-level resource (`features.rs`).
pub fn build_with(
    spec: &Spec,
    selection: &Selection,
    features: ResourceFeatures,
    diagnostics: &mut Diagnostics,
) -> Model {
    let mut dropped = BTreeMap::new();
    loop {
        let mut pass = Diagnostics::new();
        let (model, failed) = build_pass(spec, selection, features, &dropped, &mut pass);
        if failed.is_empty() {
            diagnostics.extend(pass);
            return model;
        }
        dropped.extend(failed);
    }
}

/// One build, with the operations in `dropped` (by pointer, with why) left out before
/// planning. Returns the model and the operations that failed to build in this pass.
fn build_pass(
    spec: &Spec,
    selection: &Selection,
    features: ResourceFeatures,
    dropped: &BTreeMap<String, Diagnostic>,
    diagnostics: &mut Diagnostics,
) -> (Model, BTreeMap<String, Diagnostic>) {
    let mut b = Builder::new(spec);
    // Operations the typed parse refused were left out (and warned about) while loading.
    b.skipped.extend(spec.dropped.iter().map(|d| Skipped {
        what: d.what.clone(),
        reason: d.reason.clone(),
    }));
    b.auth = security::schemes(spec, diagnostics);
    let plans = b.plan_operations(selection, dropped, diagnostics);
    let mut built = Vec::new();
    let mut failed = BTreeMap::new();
    for plan in plans {
        let plan = match plan {
            operation::Planned::Build(plan) => plan,
            operation::Planned::Dropped(site, cause) => {
                b.skip(site.what(), &site.pointer, cause, diagnostics);
                continue;
            }
        };
        let (what, pointer) = (plan.site.what(), plan.site.pointer.clone());
        match b.operation(plan, diagnostics) {
            Ok(op) => built.push(op),
            Err(d) => {
                failed.insert(pointer.clone(), d.clone());
                b.skip(what, &pointer, d, diagnostics);
            }
        }
    }
    if !selection.is_active() {
        b.component_schemas(diagnostics);
    }
    b.box_recursive_fields();
    let originals = dedup::alias_identical_types(&mut b.types);
    let resources = b.resources.finish(built.iter().map(|op| op.resource()));
    let sharing = dedup::params_sharing(&built, &resources, &originals);
    let operations: Vec<Operation> = built
        .into_iter()
        .zip(sharing)
        .map(|(op, same_as)| op.finish(same_as))
        .collect();
    diagnostics.extend(std::mem::take(&mut b.example_warnings));
    let auth = security::crate_auth(std::mem::take(&mut b.auth), &operations);
    // Features (features.rs): the reach of every operation, computed once.
    let gates = features::compute(&b.types, &operations, &resources, &b.examples, features);
    let base_url = servers::default_base_url(spec, diagnostics);
    let doc = &spec.doc;
    let model = Model {
        title: doc.info.title.clone(),
        description: doc.info.description.clone(),
        version: doc.info.version.clone(),
        base_url,
        types: b.types,
        operations,
        resources,
        patterns: b.patterns,
        examples: b.examples,
        skipped: b.skipped,
        auth,
        gates,
    };
    (model, failed)
}

/// How a schema's type is named if it becomes a named type, and the doc it gets when the
/// schema has none of its own.
#[derive(Debug, Clone)]
struct TypeName {
    /// The wanted name.
    name: String,
    /// Already reserved for this schema: taken as is instead of being made unique.
    reserved: bool,
    /// The doc of the named type when the schema has no description.
    fallback_doc: Option<String>,
}

impl TypeName {
    /// A name to make unique (`Name`, `Name2`, ...).
    fn hint(name: impl Into<String>) -> Self {
        TypeName {
            name: name.into(),
            reserved: false,
            fallback_doc: None,
        }
    }

    /// A name reserved for this schema in advance (an operation's result type).
    fn reserved(name: impl Into<String>) -> Self {
        TypeName {
            reserved: true,
            ..TypeName::hint(name)
        }
    }

    /// Sets the doc used when the schema has none.
    fn with_doc(mut self, doc: String) -> Self {
        self.fallback_doc = Some(doc);
        self
    }

    /// A name for a type nested in this one (`{name}{suffix}`), to make unique.
    fn nested(&self, suffix: &str) -> TypeName {
        TypeName::hint(crate::naming::join_type(&self.name, suffix))
    }
}

/// What a schema resolves to where it is used.
#[derive(Debug, Clone)]
struct TyInfo {
    ty: Ty,
    constraints: Constraints,
    doc: Option<String>,
    nullable: bool,
    example: Option<serde_json::Value>,
}

impl TyInfo {
    /// A type with nothing else known about it.
    fn plain(ty: Ty) -> Self {
        TyInfo {
            ty,
            constraints: Constraints::default(),
            doc: None,
            nullable: false,
            example: None,
        }
    }

    /// The type, as `Option` when nullable.
    fn full_ty(&self) -> Ty {
        self.ty.clone().nullable(self.nullable)
    }
}

/// The state of one build: the type registry and what the stages hand each other.
struct Builder<'s> {
    spec: &'s Spec,
    /// Every named type, in the order finished.
    types: Vec<TypeDef>,
    /// Index of each type in `types` by name.
    type_index: HashMap<String, usize>,
    /// Type names handed out.
    names: Namer,
    /// Resolved `$ref` targets by pointer.
    cache: HashMap<String, TyInfo>,
    /// `$ref`s that failed, with why, so every use reports the same reason.
    failed: HashMap<String, Diagnostic>,
    /// Named types being built, by pointer, so recursive references find their name.
    building_named: HashMap<String, String>,
    /// `$ref`s being resolved, to catch cycles that no type can represent.
    resolving: BTreeSet<String>,
    /// Aliases named for collections that contain themselves, by pointer.
    pending_alias: BTreeMap<String, String>,
    /// Inline schemas being classified, by pointer, with how many `$ref`s were being resolved
    /// when each started: meeting one again inside itself with no new `$ref` in between is a
    /// cycle through `allOf` merging that would never end.
    classifying: HashMap<String, usize>,
    /// Parsed schemas by pointer.
    schemas: HashMap<String, Rc<Schema>>,
    /// Every distinct pattern.
    patterns: Vec<String>,
    /// Every example found.
    examples: Vec<Example>,
    /// Test names handed out.
    example_names: Namer,
    /// Where the recorded schema examples are.
    example_pointers: BTreeSet<String>,
    /// Examples that break their own schema, reported when the build ends.
    example_warnings: Vec<Diagnostic>,
    /// Names of string enums, which can be used as parameters.
    enums: BTreeSet<String>,
    /// The resource tree, built while planning.
    resources: resources::ResourceTree,
    /// Operations left out, with why.
    skipped: Vec<Skipped>,
    /// What was left out, by cause, so each cause is reported once.
    left_out: left_out::LeftOut,
    /// The security schemes, read first.
    auth: Auth,
}

impl<'s> Builder<'s> {
    fn new(spec: &'s Spec) -> Self {
        Builder {
            spec,
            types: Vec::new(),
            type_index: HashMap::new(),
            names: Namer::with_reserved(RESERVED_TYPES),
            cache: HashMap::new(),
            failed: HashMap::new(),
            building_named: HashMap::new(),
            resolving: BTreeSet::new(),
            pending_alias: BTreeMap::new(),
            classifying: HashMap::new(),
            schemas: HashMap::new(),
            patterns: Vec::new(),
            examples: Vec::new(),
            example_names: Namer::default(),
            example_pointers: BTreeSet::new(),
            example_warnings: Vec::new(),
            enums: BTreeSet::new(),
            resources: resources::ResourceTree::new(),
            skipped: Vec::new(),
            left_out: left_out::LeftOut::default(),
            auth: Auth::default(),
        }
    }

    /// Takes the name for a type about to be built under `reference` (if it is a component).
    fn start_named(&mut self, name: &TypeName, reference: Option<&str>) -> String {
        let name = if name.reserved {
            name.name.clone()
        } else {
            self.names.claim(&name.name)
        };
        if let Some(r) = reference {
            self.building_named.insert(r.to_owned(), name.clone());
        }
        name
    }

    /// Registers a finished named type.
    fn push_type(&mut self, def: TypeDef) {
        self.type_index.insert(def.name.clone(), self.types.len());
        self.types.push(def);
    }

    /// The named type called `name`, if it is finished.
    fn type_def(&self, name: &str) -> Option<&TypeDef> {
        self.type_index.get(name).map(|&i| &self.types[i])
    }

    /// The handle of `pattern`, registering it the first time.
    fn intern_pattern(&mut self, pattern: &str) -> Pattern {
        let index = match self.patterns.iter().position(|p| p == pattern) {
            Some(i) => i,
            None => {
                self.patterns.push(pattern.to_owned());
                self.patterns.len() - 1
            }
        };
        Pattern {
            id: PatternId(index),
            source: pattern.to_owned(),
        }
    }
}

#[cfg(test)]
mod ref_tests;
#[cfg(test)]
mod tests;
