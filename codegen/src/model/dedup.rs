//! One type per distinct shape: a string enum, struct or union equal to one before it (same
//! fields, names, wire names, docs and constraints, or same values) becomes an alias of that
//! one. Every name stays usable (`Alias::Variant` and `Alias { .. }` work through a type
//! alias) and keeps its own doc, and each shape is compiled once. Cloudflare's document has
//! 1,612 string enums of 524 shapes (`JSON`/`CSV` 197 times) and repeats many small inline
//! objects (`{start_time, end_time}` 112 times).
//!
//! Params structs merge the same way within a top-level resource: an operation whose
//! parameters equal an earlier operation's there (same fields, places, docs and constraints,
//! sent the same way) gets an alias of that operation's struct. 322 of Cloudflare's 1,533
//! operations do (a get and a delete both taking `{account_id, id}`, say).

use super::ir::{OperationId, Resource, Ty, TypeDef, TypeKind};
use super::operation::BuiltOperation;
use std::collections::BTreeMap;

/// Turns every type equal to an earlier one into an alias of the earlier one. Equality is
/// checked after the types a shape refers to are replaced by their own originals, so repeated
/// nested shapes merge from the inside out; it runs until nothing more merges. Returns the
/// original of each merged name.
pub fn alias_identical_types(types: &mut [TypeDef]) -> BTreeMap<String, String> {
    let mut original: BTreeMap<String, String> = BTreeMap::new();
    loop {
        let mut first: BTreeMap<String, String> = BTreeMap::new();
        let mut merged = false;
        for t in types.iter_mut() {
            let Some(shape) = shape(&t.kind, &original) else {
                continue;
            };
            match first.get(&shape) {
                Some(name) => {
                    if t.doc.is_none() {
                        t.doc = Some(format!("The same type as `{name}`."));
                    }
                    t.kind = TypeKind::Alias(Ty::Named(name.clone()));
                    original.insert(t.name.clone(), name.clone());
                    merged = true;
                }
                None => {
                    first.insert(shape, t.name.clone());
                }
            }
        }
        if !merged {
            return original;
        }
    }
}

/// For each operation (in order, so by [`OperationId`]), the earlier operation whose params
/// struct its own equals, if any: its `params_same_as`. The fields' types are compared through
/// their originals (`originals`, from [`alias_identical_types`]); what is sent as the body is
/// part of the shape, since it decides the struct's `ToJson`.
pub(super) fn params_sharing(
    operations: &[BuiltOperation],
    resources: &[Resource],
    originals: &BTreeMap<String, String>,
) -> Vec<Option<OperationId>> {
    let mut first: BTreeMap<String, OperationId> = BTreeMap::new();
    let mut same_as = Vec::with_capacity(operations.len());
    for (i, op) in operations.iter().enumerate() {
        let mut params = op.params.clone();
        for p in &mut params {
            p.field.ty = renamed(&p.field.ty, originals);
        }
        let mut body = op.body.clone();
        if let Some(f) = body.whole_mut() {
            f.ty = renamed(&f.ty, originals);
        }
        // Only within a top-level resource: an alias names a struct of its own part of the
        // API (`AccessKeyRotateParams = AccessKeyGetParams`), and the struct needs no other
        // cargo feature than its sharers' one.
        let top = resources[op.resource().0].path.first();
        let shape = format!("{top:?} {params:?} {:?} {body:?}", op.params_defaultable);
        same_as.push(match first.get(&shape) {
            Some(&earlier) => Some(earlier),
            None => {
                first.insert(shape, OperationId(i));
                None
            }
        });
    }
    same_as
}

/// What makes two types the same (their whole definition, with the names it refers to
/// replaced by their originals), or `None` for kinds that are never merged (aliases, and
/// newtypes, which exist to name a recursion).
fn shape(kind: &TypeKind, original: &BTreeMap<String, String>) -> Option<String> {
    let kind = match kind {
        TypeKind::Alias(_) | TypeKind::Newtype(_) => return None,
        TypeKind::Enum(_) => kind.clone(),
        TypeKind::Struct(s) => {
            let mut s = s.clone();
            for f in &mut s.fields {
                f.ty = renamed(&f.ty, original);
            }
            s.additional = s.additional.map(|t| renamed(&t, original));
            TypeKind::Struct(s)
        }
        TypeKind::Union(u) => {
            let mut u = u.clone();
            for v in &mut u.variants {
                v.ty = renamed(&v.ty, original);
            }
            TypeKind::Union(u)
        }
    };
    Some(format!("{kind:?}"))
}

/// `ty` with every named type replaced by its original.
fn renamed(ty: &Ty, original: &BTreeMap<String, String>) -> Ty {
    let inner = |t: &Ty| Box::new(renamed(t, original));
    match ty {
        Ty::Named(n) => Ty::Named(original.get(n).unwrap_or(n).clone()),
        Ty::Vec(t) => Ty::Vec(inner(t)),
        Ty::Map(t) => Ty::Map(inner(t)),
        Ty::Option(t) => Ty::Option(inner(t)),
        Ty::Boxed(t) => Ty::Boxed(inner(t)),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Constraints, EnumDef, Field, StructDef, Variant};

    fn string_enum(name: &str, values: &[&str]) -> TypeDef {
        TypeDef {
            name: name.into(),
            doc: Some(format!("The {name}.")),
            kind: TypeKind::Enum(EnumDef {
                variants: values
                    .iter()
                    .map(|v| Variant {
                        ident: v.to_uppercase(),
                        wire: (*v).into(),
                    })
                    .collect(),
                other: "Other".into(),
            }),
        }
    }

    fn object(name: &str, field: &str, ty: Ty) -> TypeDef {
        TypeDef {
            name: name.into(),
            doc: None,
            kind: TypeKind::Struct(StructDef {
                fields: vec![Field {
                    ident: field.into(),
                    wire: field.into(),
                    ty,
                    required: true,
                    doc: None,
                    constraints: Constraints::default(),
                    flatten: false,
                }],
                additional: None,
                defaultable: true,
            }),
        }
    }

    #[test]
    fn an_enum_like_an_earlier_one_becomes_its_alias_and_keeps_its_doc() {
        let mut types = vec![
            string_enum("Format", &["json", "csv"]),
            string_enum("Direction", &["asc", "desc"]),
            string_enum("ExportFormat", &["json", "csv"]),
            string_enum("Reordered", &["csv", "json"]),
        ];
        alias_identical_types(&mut types);
        assert!(matches!(types[0].kind, TypeKind::Enum(_)));
        assert!(matches!(types[1].kind, TypeKind::Enum(_)));
        assert_eq!(types[2].kind, TypeKind::Alias(Ty::Named("Format".into())));
        assert_eq!(types[2].doc.as_deref(), Some("The ExportFormat."));
        // Another order is another type: variant order is part of the enum.
        assert!(matches!(types[3].kind, TypeKind::Enum(_)));
    }

    #[test]
    fn nested_repeats_merge_from_the_inside_out() {
        let named = |n: &str| Ty::Vec(Box::new(Ty::Named(n.into())));
        let mut types = vec![
            object("OuterA", "items", named("InnerA")),
            object("InnerA", "id", Ty::String),
            object("OuterB", "items", named("InnerB")),
            object("InnerB", "id", Ty::String),
            object("Other", "id", Ty::I64),
        ];
        alias_identical_types(&mut types);
        assert_eq!(types[3].kind, TypeKind::Alias(Ty::Named("InnerA".into())));
        assert_eq!(types[3].doc.as_deref(), Some("The same type as `InnerA`."));
        // Only equal once `InnerB` is known to be `InnerA`.
        assert_eq!(types[2].kind, TypeKind::Alias(Ty::Named("OuterA".into())));
        assert!(matches!(types[4].kind, TypeKind::Struct(_)));
    }
}
