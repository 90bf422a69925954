//! Reach: which cargo feature each operation, resource and type belongs to, and whether each
//! type is sent, received or both. Computed once from the finished model into the [`Gates`]
//! (a plain type of ir.rs), so the emitter only prints attributes.
//!
//! - A crate with at least [`FEATURES_FROM_OPERATIONS`] operations and more than one top-level
//!   resource gets a cargo feature per top-level resource (its name in kebab case:
//!   `zero_trust` -> `zero-trust`) and `full`, which enables them all. A smaller crate
//!   compiles everything and has no features: building it whole costs a few seconds, and
//!   features would only hide its resources. [`ResourceFeatures`] forces either way.
//!   Past [`MAX_RESOURCE_FEATURES`] top-level resources, neighbours (in name order) share a
//!   feature named after the first of them, so the crate stays under crates.io's limit of 300.
//! - A type belongs to every feature whose operations reach it (through fields, variants,
//!   aliases and newtypes). A type reached by every feature needs no gate; a type no operation
//!   reaches (a component schema emitted for completeness) is compiled with `full` only.
//! - A type is *sent* when a parameter, a request body or a request example reaches it and
//!   *received* when a response reaches it. Types no operation reaches cannot be passed to any operation, so
//!   they count as received (decodable, e.g. from a webhook), as does what they reach.

use super::ir::{
    named_in, Feature, FeatureId, Gates, Model, Operation, OperationId, Resource, Ty, TypeDef,
    TypeKind, TypeUse, FULL,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// At most this many resource features; `full` makes one more.
pub const MAX_RESOURCE_FEATURES: usize = 299;

/// From this many operations on, a crate with several top-level resources gets resource
/// features (unless [`ResourceFeatures`] says otherwise). Below it, every crate measured built
/// whole in at most 10 s of CPU, at most 5 s more than its runtime alone; from about 250
/// operations on, the whole crate took 15 to 44 s (the README's figures).
pub const FEATURES_FROM_OPERATIONS: usize = 200;

/// Whether a crate gets a cargo feature per top-level resource (`--resource-features`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ResourceFeatures {
    /// From [`FEATURES_FROM_OPERATIONS`] operations on.
    #[default]
    Auto,
    /// Whenever there is more than one top-level resource.
    Always,
    /// Never: every resource is always compiled.
    Never,
}

impl ResourceFeatures {
    /// Whether a crate with `operations` operations gets resource features (when it has more
    /// than one top-level resource).
    pub fn wanted(self, operations: usize) -> bool {
        match self {
            ResourceFeatures::Auto => operations >= FEATURES_FROM_OPERATIONS,
            ResourceFeatures::Always => true,
            ResourceFeatures::Never => false,
        }
    }
}

/// A cargo feature name for a resource accessor (`zero_trust` -> `zero-trust`), never one of
/// cargo's own (`default`) or [`FULL`].
fn feature_name(segment: &str) -> String {
    let name = segment.trim_start_matches("r#").replace('_', "-");
    let name = name.trim_matches('-');
    match name {
        "" => "resource".to_owned(),
        "default" | FULL => format!("{name}-resource"),
        other => other.to_owned(),
    }
}

/// The features for the top-level resources `segments`: one each, or, past
/// [`MAX_RESOURCE_FEATURES`], neighbours in name order sharing one named after the first.
fn plan_features(segments: &[&str]) -> (Vec<Feature>, Vec<FeatureId>) {
    if segments.len() <= 1 {
        return (Vec::new(), Vec::new());
    }
    if segments.len() <= MAX_RESOURCE_FEATURES {
        let features = segments
            .iter()
            .map(|s| Feature {
                name: feature_name(s),
                resources: vec![(*s).to_owned()],
            })
            .collect();
        return (features, (0..segments.len()).map(FeatureId).collect());
    }
    let mut order: Vec<usize> = (0..segments.len()).collect();
    order.sort_by_key(|&i| segments[i]);
    let per = segments.len().div_ceil(MAX_RESOURCE_FEATURES);
    let mut of = vec![FeatureId(0); segments.len()];
    let mut features: Vec<Feature> = Vec::new();
    for chunk in order.chunks(per) {
        for &i in chunk {
            of[i] = FeatureId(features.len());
        }
        features.push(Feature {
            name: feature_name(segments[chunk[0]]),
            resources: chunk.iter().map(|&i| segments[i].to_owned()).collect(),
        });
    }
    (features, of)
}

/// Computes the gates from the model's finished types, operations, resources and examples;
/// `mode` says whether the crate gets resource features.
pub fn compute(
    model_types: &[TypeDef],
    operations: &[Operation],
    model_resources: &[Resource],
    examples: &[crate::model::Example],
    mode: ResourceFeatures,
) -> Gates {
    let root = &model_resources[Model::ROOT.0];
    let segments: Vec<&str> = root
        .children
        .iter()
        .map(|&c| model_resources[c.0].segment.as_str())
        .collect();
    let (features, feature_of_top) = if mode.wanted(operations.len()) {
        plan_features(&segments)
    } else {
        (Vec::new(), Vec::new())
    };
    let top_feature: HashMap<&str, FeatureId> = segments
        .iter()
        .zip(&feature_of_top)
        .map(|(s, &f)| (*s, f))
        .collect();
    let resources: Vec<Option<FeatureId>> = model_resources
        .iter()
        .map(|r: &Resource| {
            r.path
                .first()
                .and_then(|s| top_feature.get(s.as_str()).copied())
        })
        .collect();
    let defs: HashMap<&str, &TypeDef> = model_types.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut types: HashMap<String, TypeUse> = HashMap::new();

    let sent_roots =
        |op: &Operation| -> Vec<Ty> { op.fields().map(|(f, _)| f.ty.clone()).collect() };
    let received_roots = |op: &Operation| -> Vec<Ty> {
        let mut roots = vec![op.result.clone()];
        roots.extend(op.pagination.as_ref().map(|p| p.item.clone()));
        roots
    };
    // A request example's test validates and encodes it, like a request.
    let request_examples = examples.iter().filter(|e| e.request).map(|e| e.ty.clone());
    let sent = reach(
        &defs,
        operations
            .iter()
            .flat_map(sent_roots)
            .chain(request_examples),
    );
    let mut received = reach(&defs, operations.iter().flat_map(received_roots));
    // What no operation reaches is decodable only, and so is everything it refers to.
    let unreached: Vec<Ty> = model_types
        .iter()
        .filter(|t| !sent.contains(&t.name) && !received.contains(&t.name))
        .map(|t| Ty::Named(t.name.clone()))
        .collect();
    received.extend(reach(&defs, unreached));
    for name in &sent {
        types.entry(name.clone()).or_default().sent = true;
    }
    for name in &received {
        types.entry(name.clone()).or_default().received = true;
    }
    if !features.is_empty() {
        let mut by_feature: BTreeMap<FeatureId, Vec<OperationId>> = BTreeMap::new();
        for (i, op) in operations.iter().enumerate() {
            if let Some(f) = resources[op.resource.0] {
                by_feature.entry(f).or_default().push(OperationId(i));
            }
        }
        for (f, ops) in by_feature {
            let roots = ops.iter().flat_map(|&id| {
                let op = &operations[id.0];
                let mut roots = sent_roots(op);
                roots.extend(received_roots(op));
                roots
            });
            for name in reach(&defs, roots) {
                types.entry(name).or_default().features.insert(f);
            }
        }
    }
    Gates {
        features,
        resources,
        types,
    }
}

/// The names of every named type `roots` reach, following fields, variants, aliases and
/// newtypes.
fn reach(defs: &HashMap<&str, &TypeDef>, roots: impl IntoIterator<Item = Ty>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<Ty> = roots.into_iter().collect();
    while let Some(ty) = stack.pop() {
        let mut names = BTreeSet::new();
        named_in(&ty, &mut names);
        for name in names {
            if !seen.insert(name.to_owned()) {
                continue;
            }
            let Some(def) = defs.get(name) else { continue };
            match &def.kind {
                TypeKind::Struct(s) => {
                    stack.extend(s.fields.iter().map(|f| f.ty.clone()));
                    stack.extend(s.additional.clone());
                }
                TypeKind::Union(u) => stack.extend(u.variants.iter().map(|v| v.ty.clone())),
                TypeKind::Alias(t) | TypeKind::Newtype(t) => stack.push(t.clone()),
                TypeKind::Enum(_) => {}
            }
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feature_names_are_kebab_case_and_never_cargos_own() {
        assert_eq!(feature_name("zero_trust"), "zero-trust");
        assert_eq!(
            feature_name("access_key_configuration"),
            "access-key-configuration"
        );
        assert_eq!(feature_name("r#type"), "type");
        assert_eq!(feature_name("default"), "default-resource");
        assert_eq!(feature_name("full"), "full-resource");
    }

    /// The gates of a document with `operations` operations, half tagged `a` and half `b`.
    fn gates_of(operations: usize, mode: ResourceFeatures) -> Gates {
        let mut text = String::from(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n\
             servers: [{url: 'https://api.example.com'}]\npaths:\n",
        );
        for i in 0..operations {
            let tag = if i % 2 == 0 { "a" } else { "b" };
            text.push_str(&format!(
                "  /{tag}/op{i}:\n    get:\n      operationId: op{i}\n      tags: [{tag}]\n      \
                 responses: {{'200': {{description: ok}}}}\n"
            ));
        }
        let (spec, _) = crate::load::parse(&text, "t.yaml", false).expect("the document loads");
        let mut diags = crate::diagnostic::Diagnostics::new();
        let model = crate::model::build_with(
            &spec,
            &crate::select::Selection::default(),
            mode,
            &mut diags,
        );
        assert!(!diags.has_errors(), "{diags}");
        assert_eq!(model.operations.len(), operations);
        model.gates
    }

    #[test]
    fn features_start_at_the_threshold_unless_forced() {
        let names = |g: &Gates| {
            g.features
                .iter()
                .map(|f| f.name.clone())
                .collect::<Vec<_>>()
        };
        let big = FEATURES_FROM_OPERATIONS;
        assert_eq!(names(&gates_of(big, ResourceFeatures::Auto)), ["a", "b"]);
        assert!(!gates_of(big - 1, ResourceFeatures::Auto).is_active());
        assert!(!gates_of(big, ResourceFeatures::Never).is_active());
        assert_eq!(names(&gates_of(2, ResourceFeatures::Always)), ["a", "b"]);
        assert!(!gates_of(2, ResourceFeatures::Auto).is_active());
    }

    #[test]
    fn one_top_level_resource_has_no_features() {
        assert_eq!(plan_features(&["zero_trust"]), (Vec::new(), Vec::new()));
    }

    #[test]
    fn past_the_limit_neighbours_share_a_feature() {
        let names: Vec<String> = (0..650).map(|i| format!("r{i:03}")).collect();
        let segments: Vec<&str> = names.iter().map(String::as_str).collect();
        let (features, of) = plan_features(&segments);
        assert!(features.len() <= MAX_RESOURCE_FEATURES);
        assert_eq!(features[0].name, "r000");
        assert_eq!(features[0].resources, ["r000", "r001", "r002"]);
        assert_eq!(of[2], FeatureId(0));
        assert_eq!(of[3], FeatureId(1));
        let covered: usize = features.iter().map(|f| f.resources.len()).sum();
        assert_eq!(covered, 650);
    }
}
