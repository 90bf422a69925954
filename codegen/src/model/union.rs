//! oneOf / anyOf: `null` members make the type nullable, a single remaining member collapses
//! into that member's type, and several become an enum that is untagged or dispatched on a
//! discriminator property, with a last variant keeping values of no documented shape.

use super::norm::{constraints_for, is_null_schema};
use super::schema::Ctx;
use super::{Builder, TyInfo, TypeName};
use crate::diagnostic::Diagnostic;
use crate::model::{Constraints, Ty, TypeDef, TypeKind, UnionDef, UnionVariant};
use crate::naming::{join_type, Namer};
use openapiv3::{ReferenceOr, Schema};

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
        let discriminator = cx.schema.schema_data.discriminator.as_ref().map(|d| {
            let refs: Vec<Option<&str>> = members
                .iter()
                .map(|(_, m)| match m {
                    ReferenceOr::Reference { reference } => Some(reference.as_str()),
                    ReferenceOr::Item(_) => None,
                })
                .collect();
            assign_tags(&mut variants, &refs, &d.mapping);
            d.property_name.clone()
        });
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
