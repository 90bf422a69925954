//! Objects: `allOf` merged with the schema's own properties into one set of parts, which
//! become a struct, a map (no named properties), or the first member's type (an `allOf` of
//! non-objects, such as a `$ref` plus a description).

use super::norm::{defaultable, merge_constraints, norm};
use super::schema::Ctx;
use super::{Builder, TyInfo, TypeName};
use crate::diagnostic::Diagnostic;
use crate::model::{Constraints, Field, StructDef, Ty, TypeDef, TypeKind, ADDITIONAL_FIELD};
use crate::naming::{join_type, pascal_ident, snake_ident, Namer};
use crate::source::escape;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema};
use std::collections::BTreeSet;

/// The object view of a schema with `allOf` merged.
#[derive(Default)]
pub(super) struct ObjectParts {
    /// Name, schema and pointer of each property; a later member's property replaces an
    /// earlier one of the same name.
    pub props: Vec<(String, ReferenceOr<Box<Schema>>, String)>,
    pub required: BTreeSet<String>,
    pub additional: Option<(AdditionalProperties, String)>,
    /// Members that were not objects (unions, primitives) were merged in.
    pub open: bool,
    /// The unions merged in (an `allOf` member that is a oneOf/anyOf), with their pointers.
    pub unions: Vec<(ReferenceOr<Schema>, String)>,
    pub min_properties: Option<usize>,
    pub max_properties: Option<usize>,
}

impl ObjectParts {
    /// The property called `name`.
    pub fn prop(&self, name: &str) -> Option<&(String, ReferenceOr<Box<Schema>>, String)> {
        self.props.iter().find(|(n, _, _)| n == name)
    }
}

/// Deeper `allOf` nesting than this is taken for a cycle.
const MAX_ALL_OF_DEPTH: usize = 32;

impl Builder<'_> {
    /// Objects, `allOf` and maps. `None` when the schema is not object-like.
    pub(super) fn maybe_object(&mut self, cx: &Ctx<'_>) -> Result<Option<TyInfo>, Diagnostic> {
        if !cx.n.is_objectish() || cx.n.only_null() {
            return Ok(None);
        }
        let mut parts = ObjectParts::default();
        self.collect_object(cx.schema, cx.pointer, &mut parts, 0)?;
        let plain_all_of =
            parts.props.is_empty() && parts.additional.is_none() && cx.n.properties.is_none();
        if let (true, Some((first, rest))) = (plain_all_of, cx.n.all_of.split_first()) {
            return self.all_of_passthrough(cx, first, rest).map(Some);
        }
        if parts.props.is_empty() {
            return self.map(cx, &parts).map(Some);
        }
        self.struct_type(cx, parts).map(Some)
    }

    /// An `allOf` of non-objects: the first member's type, constrained by every member and by
    /// the schema itself.
    fn all_of_passthrough(
        &mut self,
        cx: &Ctx<'_>,
        first: &ReferenceOr<Schema>,
        rest: &[ReferenceOr<Schema>],
    ) -> Result<TyInfo, Diagnostic> {
        let mut info = self.ty_of(first, &format!("{}/allOf/0", cx.pointer), cx.name)?;
        info.nullable |= cx.nullable;
        if cx.doc.is_some() {
            info.doc = cx.doc.clone();
        }
        for (i, member) in rest.iter().enumerate() {
            let (s, at) = self.deref(member, &format!("{}/allOf/{}", cx.pointer, i + 1))?;
            let c = self.constraints_of(&norm(&s), &info.ty, &at)?;
            merge_constraints(&mut info.constraints, c);
        }
        let own = self.constraints_of(&cx.n, &info.ty, cx.pointer)?;
        merge_constraints(&mut info.constraints, own);
        Ok(info)
    }

    /// An object without named properties: a map of its `additionalProperties`.
    fn map(&mut self, cx: &Ctx<'_>, parts: &ObjectParts) -> Result<TyInfo, Diagnostic> {
        let value_ty = match &parts.additional {
            Some((AdditionalProperties::Schema(s), at)) => {
                self.ty_of(s, at, &cx.name.nested("Value"))?.full_ty()
            }
            _ => Ty::Value,
        };
        let c = Constraints {
            min_properties: parts.min_properties,
            max_properties: parts.max_properties,
            ..Constraints::default()
        };
        Ok(cx.info(Ty::Map(Box::new(value_ty)), c, cx.nullable))
    }

    /// A struct with a field per property, and a flattened map for other properties when the
    /// schema allows them.
    fn struct_type(&mut self, cx: &Ctx<'_>, parts: ObjectParts) -> Result<TyInfo, Diagnostic> {
        let name = self.start_named(cx.name, cx.reference);
        // One union merged with properties (`allOf: [{oneOf: ..}, {properties: ..}]`) keeps its
        // variants typed as a flattened field, instead of a map of whatever else was sent.
        let union = match (&parts.unions[..], &parts.additional) {
            ([(schema, at)], None) => {
                let info = self.ty_of(schema, at, &TypeName::hint(join_type(&name, "Variant")))?;
                matches!(info.ty, Ty::Named(_)).then_some(info)
            }
            _ => None,
        };
        let keeps_others = match &parts.additional {
            Some((AdditionalProperties::Any(allowed), _)) => *allowed,
            Some((AdditionalProperties::Schema(_), _)) => true,
            None => parts.open && union.is_none(),
        };
        // The flattened map's field name is taken first, so no property can take it.
        let mut idents = if keeps_others {
            Namer::with_reserved(&[ADDITIONAL_FIELD])
        } else {
            Namer::default()
        };
        let mut fields = Vec::new();
        for (prop, s, at) in &parts.props {
            let field_name = TypeName::hint(join_type(&name, &pascal_ident(prop)));
            let info = self.ty_of_boxed(s, at, &field_name)?;
            let required = parts.required.contains(prop);
            fields.push(field(&mut idents, prop, info, required));
        }
        let additional = match &parts.additional {
            Some((AdditionalProperties::Schema(s), at)) => {
                let value_name = TypeName::hint(join_type(&name, "Value"));
                Some(self.ty_of(s, at, &value_name)?.full_ty())
            }
            Some((AdditionalProperties::Any(true), _)) => Some(Ty::Value),
            Some((AdditionalProperties::Any(false), _)) => None,
            None if keeps_others => Some(Ty::Value),
            None => None,
        };
        if let Some(info) = union {
            fields.push(Field {
                ident: idents.claim("variant"),
                wire: String::new(),
                ty: info.ty,
                required: true,
                doc: Some(
                    "The fields of one of the shapes this object may take, flattened into it."
                        .to_owned(),
                ),
                constraints: Constraints::default(),
                flatten: true,
            });
        }
        let defaultable = fields.iter().all(|f| defaultable(&f.ty));
        self.push_type(TypeDef {
            name: name.clone(),
            doc: cx.type_doc(),
            kind: TypeKind::Struct(StructDef {
                fields,
                additional,
                defaultable,
            }),
        });
        Ok(cx.info(Ty::Named(name), Constraints::default(), cx.nullable))
    }

    /// Merges the object parts of `schema` (its own properties and every `allOf` member).
    pub(super) fn collect_object(
        &mut self,
        schema: &Schema,
        pointer: &str,
        parts: &mut ObjectParts,
        depth: usize,
    ) -> Result<(), Diagnostic> {
        if depth > MAX_ALL_OF_DEPTH {
            return Err(Diagnostic::at(
                pointer,
                format!(
                    "allOf nesting deeper than {MAX_ALL_OF_DEPTH} levels (a cycle through allOf?)"
                ),
            )
            .hint("an allOf member must not contain the schema itself"));
        }
        let n = norm(schema);
        for (i, member) in n.all_of.iter().enumerate() {
            let (s, at) = self.deref(member, &format!("{pointer}/allOf/{i}"))?;
            let mn = norm(&s);
            let is_object = mn.properties.is_some()
                || mn.typ == Some("object")
                || !mn.all_of.is_empty()
                || mn.additional.is_some();
            if is_object {
                self.collect_object(&s, &at, parts, depth + 1)?;
            } else if !mn.one_of.is_empty() || !mn.any_of.is_empty() {
                parts.open = true;
                parts.unions.push((member.clone(), at));
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
}

/// A struct or params field: optional unless required and not nullable.
pub(super) fn field(idents: &mut Namer, wire: &str, info: TyInfo, required: bool) -> Field {
    let ty = if required && !info.nullable {
        info.ty
    } else {
        info.ty.optional()
    };
    Field {
        ident: idents.claim(&snake_ident(wire)),
        wire: wire.to_owned(),
        constraints: super::norm::constraints_for(&ty, info.constraints),
        ty,
        required,
        doc: info.doc,
        flatten: false,
    }
}
