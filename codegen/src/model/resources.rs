//! The resource tree (`client.zero_trust().access().keys()`): built from the operations' SDK
//! names while planning, so every operation knows its resource before it is built, and method
//! names are made unique within their resource.

use crate::model::{Model, OperationId, Resource, ResourceId};
use crate::naming::{pascal_ident, suffixed, Namer};
use std::collections::BTreeMap;

/// The names an operation's method brings with it on its resource: `<method>_with_response`,
/// `<method>_auto_paging` (lists that page) and `<method>_request` (the private function both
/// clients' methods build the request with).
const TWINS: [&str; 3] = ["with_response", "auto_paging", "request"];

/// The tree under construction: resources in the order first seen, root first.
pub(super) struct ResourceTree {
    resources: Vec<Resource>,
    type_names: Namer,
    /// Member names taken in each resource (by [`ResourceId`], like `resources`): what took
    /// each name (a sub-resource, or the pointer of an operation).
    members: Vec<BTreeMap<String, String>>,
}

impl ResourceTree {
    /// A tree with only the root, `Client`.
    pub fn new() -> Self {
        ResourceTree {
            resources: vec![Resource {
                segment: String::new(),
                path: Vec::new(),
                type_name: "Client".into(),
                children: Vec::new(),
                operations: Vec::new(),
            }],
            type_names: Namer::with_reserved(&["Client"]),
            members: vec![BTreeMap::new()],
        }
    }

    /// The resource at `path` (`["zero_trust", "access", "keys"]`), created with its parents
    /// when new.
    pub fn insert(&mut self, path: &[String]) -> ResourceId {
        let mut node = Model::ROOT;
        for (depth, segment) in path.iter().enumerate() {
            let found = self.resources[node.0]
                .children
                .iter()
                .find(|c| self.resources[c.0].segment == *segment)
                .copied();
            node = match found {
                Some(child) => child,
                None => {
                    let prefix = &path[..=depth];
                    let id = ResourceId(self.resources.len());
                    let type_name = self.type_names.claim(&pascal_ident(&prefix.join("_")));
                    self.resources.push(Resource {
                        segment: segment.clone(),
                        path: prefix.to_vec(),
                        type_name,
                        children: Vec::new(),
                        operations: Vec::new(),
                    });
                    self.members.push(BTreeMap::new());
                    self.resources[node.0].children.push(id);
                    self.members[node.0]
                        .insert(segment.clone(), format!("the sub-resource `{segment}`"));
                    id
                }
            };
        }
        node
    }

    /// A method name on `resource`: `wanted` when it and its twins (`TWINS`) are free (not a
    /// sub-resource, not another method), else the first free `wanted_2`, `wanted_3`, ...
    /// Call after every [`ResourceTree::insert`], so sub-resources keep their names. Returns
    /// the name, and what took `wanted` when it was not free.
    pub fn claim_method(
        &mut self,
        resource: ResourceId,
        wanted: &str,
        pointer: &str,
    ) -> (String, Option<String>) {
        let taken = &mut self.members[resource.0];
        let names = |method: &str| -> Vec<String> {
            std::iter::once(method.to_owned())
                .chain(TWINS.iter().map(|suffix| suffixed(method, suffix)))
                .collect()
        };
        let taken_by = names(wanted)
            .into_iter()
            .find_map(|name| taken.get(&name).cloned());
        let mut n = 1;
        loop {
            let candidate = match n {
                1 => wanted.to_owned(),
                n => format!("{wanted}_{n}"),
            };
            if names(&candidate)
                .iter()
                .all(|name| !taken.contains_key(name))
            {
                for name in names(&candidate) {
                    taken.insert(name, pointer.to_owned());
                }
                return (candidate, taken_by);
            }
            n += 1;
        }
    }

    /// The finished tree, with each resource's operations in spec order: `operations` gives
    /// the resource of each operation, by [`OperationId`].
    pub fn finish(mut self, operations: impl IntoIterator<Item = ResourceId>) -> Vec<Resource> {
        for (i, resource) in operations.into_iter().enumerate() {
            self.resources[resource.0].operations.push(OperationId(i));
        }
        self.resources
    }
}
