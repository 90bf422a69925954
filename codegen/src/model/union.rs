//! oneOf / anyOf: `null` members make the type nullable, a single remaining member collapses
//! into that member's type, and several become an enum that is untagged or dispatched on a
//! discriminator property (declared, or inferred from a property every member declares as a
//! one-value enum), with a last variant keeping values of no documented shape.

use super::norm::{constraints_for, is_null_schema, norm};
use super::object::ObjectParts;
use super::schema::Ctx;
use super::{Builder, TyInfo, TypeName};
use crate::diagnostic::Diagnostic;
use crate::model::{
    Constraints, Discriminator, DiscriminatorSource, Ty, TypeDef, TypeKind, UnionDef, UnionVariant,
};
use crate::naming::{join_type, Namer};
use openapiv3::{ReferenceOr, Schema};
use std::collections::BTreeSet;

impl Builder<'_> {
    /// A oneOf/anyOf without properties of its own: collapsed or an enum. `None` when the
    /// schema has no members, or has properties or allOf besides (the object strategy merges
    /// those); `null` members still make it nullable then.
    pub(super) fn maybe_union(&mut self, cx: &mut Ctx<'_>) -> Result<Option<TyInfo>, Diagnostic> {
        let (members, key) = match (cx.n.one_of, cx.n.any_of) {
            (one_of, _) if !one_of.is_empty() => (one_of, "oneOf"),
            (_, any_of) if !any_of.is_empty() => (any_of, "anyOf"),
            _ => return Ok(None),
        };
        let mut kept = Vec::new();
        for (i, m) in members.iter().enumerate() {
            let (s, _) = self.deref(m, &format!("{}/{key}/{i}", cx.pointer))?;
            if is_null_schema(&s) {
                cx.nullable = true;
            } else {
                kept.push((i, m));
            }
        }
        if cx.n.properties.is_some() {
            return Ok(None);
        }
        if let [(i, member)] = kept[..] {
            return self
                .collapse(cx, member, &format!("{}/{key}/{i}", cx.pointer))
                .map(Some);
        }
        if !cx.n.all_of.is_empty() {
            return Ok(None);
        }
        let members: Vec<_> = kept
            .into_iter()
            .map(|(i, m)| (format!("{}/{key}/{i}", cx.pointer), m))
            .collect();
        self.union(cx, &members).map(Some)
    }

    /// A union of one member (besides `null`) is that member, nullable as the union says.
    fn collapse(
        &mut self,
        cx: &Ctx<'_>,
        member: &ReferenceOr<Schema>,
        at: &str,
    ) -> Result<TyInfo, Diagnostic> {
        let mut info = self.ty_of(member, at, cx.name)?;
        info.nullable |= cx.nullable;
        if info.doc.is_none() {
            info.doc = cx.doc.clone();
        }
        Ok(info)
    }

    /// An enum with a variant per member.
    fn union(
        &mut self,
        cx: &Ctx<'_>,
        members: &[(String, &ReferenceOr<Schema>)],
    ) -> Result<TyInfo, Diagnostic> {
        let name = self.start_named(cx.name, cx.reference);
        let mut variant_names = Namer::default();
        let mut variants = Vec::new();
        for (at, m) in members {
            let index = at.rsplit('/').next().unwrap_or_default();
            let info = self.ty_of(
                m,
                at,
                &TypeName::hint(join_type(&name, &format!("Variant{index}"))),
            )?;
            let ty = info.full_ty();
            let constraints = constraints_for(&ty, info.constraints);
            let ident = variant_names.claim(&variant_ident(&ty, &name));
            variants.push(UnionVariant {
                ident,
                ty,
                tags: Vec::new(),
                constraints,
            });
        }
        let discriminator = match &cx.schema.schema_data.discriminator {
            Some(d) => {
                let refs: Vec<Option<&str>> = members
                    .iter()
                    .map(|(_, m)| match m {
                        ReferenceOr::Reference { reference } => Some(reference.as_str()),
                        ReferenceOr::Item(_) => None,
                    })
                    .collect();
                assign_tags(&mut variants, &refs, &d.mapping);
                self.tag_inline_members(&mut variants, members, &d.property_name);
                Some(Discriminator {
                    property: d.property_name.clone(),
                    source: DiscriminatorSource::Declared,
                })
            }
            None => self
                .inferred_discriminator(members)
                .map(|(property, values)| {
                    for (variant, value) in variants.iter_mut().zip(values) {
                        variant.tags.push(value);
                    }
                    Discriminator {
                        property,
                        source: DiscriminatorSource::Inferred,
                    }
                }),
        };
        let other = variant_names.claim("Other");
        self.push_type(TypeDef {
            name: name.clone(),
            doc: cx.type_doc(),
            kind: TypeKind::Union(UnionDef {
                variants,
                discriminator,
                other,
            }),
        });
        Ok(cx.info(Ty::Named(name), Constraints::default(), cx.nullable))
    }

    /// Members of a declared discriminator that neither the mapping nor a component name gives
    /// a value (inline members) get the one-value enum they declare for the property, if any.
    fn tag_inline_members(
        &mut self,
        variants: &mut [UnionVariant],
        members: &[(String, &ReferenceOr<Schema>)],
        property: &str,
    ) {
        for (variant, (at, member)) in variants.iter_mut().zip(members) {
            if !variant.tags.is_empty() {
                continue;
            }
            let value = self
                .member_object(member, at)
                .and_then(|parts| self.one_value_property(&parts, property));
            variant.tags.extend(value);
        }
    }

    /// The property that tells the members of a union without a discriminator apart, with
    /// each member's value: one that every member (an object) declares as a one-value string
    /// enum (3.1's `const` is one by then), taking at least two values. Of several such
    /// properties, the one with the most distinct values, the first in the first member's
    /// order on a tie. Members may share a value (Cloudflare's header operations: `remove`,
    /// and `set` for a static and a dynamic value); the value then narrows the choice to them.
    fn inferred_discriminator(
        &mut self,
        members: &[(String, &ReferenceOr<Schema>)],
    ) -> Option<(String, Vec<String>)> {
        let objects = members
            .iter()
            .map(|(at, m)| self.member_object(m, at))
            .collect::<Option<Vec<_>>>()?;
        let names: Vec<String> = objects.first()?.props.iter().map(|p| p.0.clone()).collect();
        let mut best: Option<(usize, String, Vec<String>)> = None;
        for name in names {
            let Some(values) = objects
                .iter()
                .map(|o| self.one_value_property(o, &name))
                .collect::<Option<Vec<_>>>()
            else {
                continue;
            };
            let distinct = values.iter().collect::<BTreeSet<_>>().len();
            if distinct >= 2 && best.as_ref().is_none_or(|(most, _, _)| distinct > *most) {
                best = Some((distinct, name, values));
            }
        }
        best.map(|(_, name, values)| (name, values))
    }

    /// A member's properties (its `allOf` merged), or `None` when it is not an object or
    /// cannot be read (its classification reports why).
    fn member_object(&mut self, member: &ReferenceOr<Schema>, at: &str) -> Option<ObjectParts> {
        let (schema, pointer) = self.deref(member, at).ok()?;
        let n = norm(&schema);
        if !n.is_objectish() || n.only_null() {
            return None;
        }
        let mut parts = ObjectParts::default();
        self.collect_object(&schema, &pointer, &mut parts, 0).ok()?;
        Some(parts)
    }

    /// The value of `property` when the object declares it as a one-value string enum.
    fn one_value_property(&mut self, object: &ObjectParts, property: &str) -> Option<String> {
        let (_, schema, at) = object.prop(property)?;
        let schema = match schema {
            ReferenceOr::Item(s) => ReferenceOr::Item((**s).clone()),
            ReferenceOr::Reference { reference } => ReferenceOr::Reference {
                reference: reference.clone(),
            },
        };
        let (schema, _) = self.deref(&schema, at).ok()?;
        let n = norm(&schema);
        match (n.typ, &n.enumeration[..]) {
            (None | Some("string"), [serde_json::Value::String(value)]) => Some(value.clone()),
            _ => None,
        }
    }
}

/// Discriminator values: those the mapping gives a member, else the member's component name.
fn assign_tags(
    variants: &mut [UnionVariant],
    refs: &[Option<&str>],
    mapping: &indexmap::IndexMap<String, String>,
) {
    for (value, target) in mapping {
        if let Some(pos) = refs.iter().position(|r| *r == Some(target.as_str())) {
            variants[pos].tags.push(value.clone());
        }
    }
    for (variant, r) in variants.iter_mut().zip(refs) {
        if let (true, Some(r)) = (variant.tags.is_empty(), r) {
            variant
                .tags
                .push(r.rsplit('/').next().unwrap_or_default().to_owned());
        }
    }
}

/// A variant's name from its type: a named type without the union's name as prefix (when
/// what remains is still a name), or a word for the primitive.
pub(super) fn variant_ident(ty: &Ty, union_name: &str) -> String {
    match ty {
        Ty::Named(n) => n
            .strip_prefix(union_name)
            .filter(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
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
        Ty::FormParts => "Parts".into(),
        Ty::Value => "Json".into(),
        Ty::Vec(t) => format!("{}List", variant_ident(t, union_name)),
        Ty::Map(_) => "Object".into(),
    }
}
