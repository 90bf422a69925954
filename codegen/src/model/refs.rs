//! `$ref`s: looking them up in the spec's table (`source::RefTable`, where they are followed
//! and cycles caught), caching the types they resolve to, and naming the collections that
//! contain themselves so their items can refer back to them.

use super::norm::is_collection;
use super::{Builder, TyInfo, TypeName};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{Ty, TypeDef, TypeKind};
use crate::naming::pascal_ident;
use crate::source::{escape, unescape, RefError, RefFailure, RefTarget};
use openapiv3::{ReferenceOr, Schema};
use std::rc::Rc;

impl Builder<'_> {
    /// Gives every component schema its type, whether an operation reached it or not (models
    /// users build themselves, webhook payloads). One that cannot be built is left out with a
    /// warning.
    pub(super) fn component_schemas(&mut self, diags: &mut Diagnostics) {
        let spec = self.spec;
        let Some(components) = &spec.doc.components else {
            return;
        };
        for name in components.schemas.keys() {
            let reference = format!("#/components/schemas/{}", escape(name));
            if let Err(d) = self.ty_of_ref(&reference) {
                let what = format!("the schema `{name}`");
                self.left_out.report(d, &what, &reference, diags);
            }
        }
    }

    /// A parameter, request body, response or path item, following a `$ref` to a component;
    /// with the pointer of where it is defined. `what` names the object in messages.
    pub(super) fn component<T: RefTarget + Clone>(
        &self,
        item: &ReferenceOr<T>,
        at: &str,
        what: &str,
    ) -> Result<(T, String), Diagnostic> {
        let reference = match item {
            ReferenceOr::Item(item) => return Ok((item.clone(), at.to_owned())),
            ReferenceOr::Reference { reference } => reference,
        };
        match self.spec.refs.resolve::<T>(reference) {
            Ok((pointer, target)) => Ok((target.clone(), pointer.to_owned())),
            Err(RefFailure::Broken(RefError::Dangling(_))) => Err(Diagnostic::at(
                at,
                format!("$ref {reference:?} points at nothing"),
            )),
            Err(RefFailure::Broken(RefError::Cycle(pointer))) => Err(ref_cycle(&pointer)),
            Err(RefFailure::Invalid { pointer, message }) => Err(Diagnostic::at(
                pointer,
                format!("not a valid {what}: {message}"),
            )
            .hint(format!("compare the node with the OpenAPI {what} object"))),
        }
    }

    /// The schema a chain of `$ref`s ends at (its pointer), from the spec's table.
    pub(super) fn schema_at(&mut self, pointer: &str) -> Result<Rc<Schema>, Diagnostic> {
        if let Some(s) = self.schemas.get(pointer) {
            return Ok(s.clone());
        }
        let schema = match self.spec.refs.target::<Schema>(pointer) {
            Some(Ok(schema)) => schema.clone(),
            Some(Err(message)) => {
                return Err(
                    Diagnostic::at(pointer, format!("not a valid schema: {message}"))
                        .hint("compare the node with the OpenAPI schema object"),
                )
            }
            None => return Err(dangling(pointer)),
        };
        let schema = Rc::new(schema);
        self.schemas.insert(pointer.to_owned(), schema.clone());
        Ok(schema)
    }

    /// Follows a `$ref` chain (the spec's table) to a schema and its pointer.
    pub(super) fn deref(
        &mut self,
        schema: &ReferenceOr<Schema>,
        pointer: &str,
    ) -> Result<(Rc<Schema>, String), Diagnostic> {
        let reference = match schema {
            ReferenceOr::Item(s) => return Ok((Rc::new(s.clone()), pointer.to_owned())),
            ReferenceOr::Reference { reference } => reference,
        };
        let spec = self.spec;
        let end = match spec.refs.chain(reference).map(|c| &c.end) {
            Some(Ok(end)) => end,
            Some(Err(e)) => return Err(ref_error(e)),
            None => return Err(dangling(reference)),
        };
        Ok((self.schema_at(end)?, end.clone()))
    }

    /// The type of the schema at `pointer`; `name` names it if it becomes a named type.
    pub(super) fn ty_of(
        &mut self,
        schema: &ReferenceOr<Schema>,
        pointer: &str,
        name: &TypeName,
    ) -> Result<TyInfo, Diagnostic> {
        match schema {
            ReferenceOr::Item(s) => self.ty_of_schema(s, pointer, name, None),
            ReferenceOr::Reference { reference } => self.ty_of_ref(reference),
        }
    }

    /// [`Builder::ty_of`] for the boxed schemas of properties and items.
    pub(super) fn ty_of_boxed(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        pointer: &str,
        name: &TypeName,
    ) -> Result<TyInfo, Diagnostic> {
        match schema {
            ReferenceOr::Item(s) => self.ty_of_schema(s, pointer, name, None),
            ReferenceOr::Reference { reference } => self.ty_of_ref(reference),
        }
    }

    /// The type of a component: resolved once, named after the component.
    pub(super) fn ty_of_ref(&mut self, reference: &str) -> Result<TyInfo, Diagnostic> {
        if let Some(t) = self.cache.get(reference) {
            return Ok(t.clone());
        }
        if let Some(d) = self.failed.get(reference) {
            return Err(d.clone());
        }
        if let Some(name) = self.building_named.get(reference) {
            return Ok(TyInfo::plain(Ty::Named(name.clone())));
        }
        if self.resolving.contains(reference) {
            // Used inside itself, with no named type in between.
            return self.recursive_use(reference);
        }
        let result = self.resolve_ref(reference);
        // Whatever happened, nothing is being built under this reference any more.
        self.building_named.remove(reference);
        self.pending_alias.remove(reference);
        match &result {
            Ok(info) => {
                self.cache.insert(reference.to_owned(), info.clone());
            }
            Err(d) => {
                self.failed.insert(reference.to_owned(), d.clone());
            }
        }
        result
    }

    fn resolve_ref(&mut self, reference: &str) -> Result<TyInfo, Diagnostic> {
        // A reference whose node is only a `$ref` to another has the type of where its chain
        // ends; a chain that ends nowhere fails every reference it passed.
        let spec = self.spec;
        let Some(chain) = spec.refs.chain(reference) else {
            return Err(dangling(reference));
        };
        match &chain.end {
            Ok(end) if end != reference => return self.ty_of_ref(end),
            Ok(_) => {}
            Err(e) => {
                let d = ref_error(e);
                for hop in &chain.hops {
                    self.failed.insert(hop.clone(), d.clone());
                }
                return Err(d);
            }
        }
        self.resolving.insert(reference.to_owned());
        let schema = self.schema_at(reference);
        let info = schema.and_then(|schema| {
            let name = component_type_name(reference);
            self.ty_of_schema(&schema, reference, &name, Some(reference))
        });
        self.resolving.remove(reference);
        let mut info = info?;
        if let Some(alias) = self.pending_alias.remove(reference) {
            // `type A = Vec<A>` is not Rust; a collection that holds itself with no struct in
            // between becomes a newtype instead.
            let kind = if self.holds_directly(&info.ty, &alias) {
                TypeKind::Newtype(info.ty.clone())
            } else {
                TypeKind::Alias(info.ty.clone())
            };
            self.push_type(TypeDef {
                name: alias.clone(),
                doc: info.doc.clone(),
                kind,
            });
            info.ty = Ty::Named(alias);
        }
        Ok(info)
    }

    /// Whether `ty` contains the type `name` through collections and aliases only (no struct,
    /// enum or union in between).
    fn holds_directly(&self, ty: &Ty, name: &str) -> bool {
        match ty {
            Ty::Named(n) if n == name => true,
            Ty::Named(n) => match self.type_def(n).map(|d| &d.kind) {
                Some(TypeKind::Alias(inner)) => self.holds_directly(inner, name),
                _ => false,
            },
            Ty::Vec(t) | Ty::Map(t) | Ty::Option(t) | Ty::Boxed(t) => self.holds_directly(t, name),
            _ => false,
        }
    }

    /// A component used inside itself before it has a name (a chain of `$ref`s never is: it
    /// is followed to its end first). Recursion through an array or map gives the collection
    /// an alias so the inner reference has something to point at (the item struct or a map
    /// breaks the cycle).
    fn recursive_use(&mut self, reference: &str) -> Result<TyInfo, Diagnostic> {
        let schema = self.schema_at(reference)?;
        if !is_collection(&schema) {
            return Err(Diagnostic::at(
                reference,
                "$ref cycle that no Rust type can represent (the schema contains itself without an object or array in between)",
            )
            .hint("make the recursion go through an object property or array items"));
        }
        let alias = match self.pending_alias.get(reference) {
            Some(alias) => alias.clone(),
            None => {
                let alias = self.names.claim(&component_type_name(reference).name);
                self.pending_alias
                    .insert(reference.to_owned(), alias.clone());
                alias
            }
        };
        Ok(TyInfo::plain(Ty::Named(alias)))
    }
}

/// A component's type is named after the last segment of its pointer.
fn component_type_name(reference: &str) -> TypeName {
    let last = reference.rsplit('/').next().unwrap_or("Type");
    TypeName::hint(pascal_ident(&unescape(last)))
}

fn dangling(at: &str) -> Diagnostic {
    Diagnostic::at(at, "$ref points at nothing in this document")
}

/// Why a chain of `$ref`s ends at no node.
fn ref_error(e: &RefError) -> Diagnostic {
    match e {
        RefError::Dangling(at) => dangling(at),
        RefError::Cycle(at) => ref_cycle(at),
    }
}

fn ref_cycle(at: &str) -> Diagnostic {
    Diagnostic::at(at, "$ref cycle: the reference leads back to itself")
        .hint("break the cycle; a schema cannot be only a reference to itself")
}
