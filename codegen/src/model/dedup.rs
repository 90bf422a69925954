//! One type per distinct string enum: an enum whose values (and Rust names) equal those of an
//! enum before it becomes an alias of that one. Every name stays usable (`Alias::Variant`
//! works through a type alias), and each shape is compiled once: Cloudflare's document repeats
//! `JSON`/`CSV` 197 times and has 1,612 string enums of 524 shapes.

use super::ir::{Ty, TypeDef, TypeKind};
use std::collections::BTreeMap;

/// What makes two string enums the same type: the variant that keeps unknown values and every
/// variant's Rust name and wire value, in order.
type Shape = (String, Vec<(String, String)>);

/// Turns every string enum identical to an earlier one into an alias of the earlier one; the
/// alias keeps its own name and doc (or, without one, names the enum it is).
pub fn alias_identical_enums(types: &mut [TypeDef]) {
    let mut first: BTreeMap<Shape, String> = BTreeMap::new();
    for t in types.iter_mut() {
        let TypeKind::Enum(e) = &t.kind else {
            continue;
        };
        let shape: Shape = (
            e.other.clone(),
            e.variants
                .iter()
                .map(|v| (v.ident.clone(), v.wire.clone()))
                .collect(),
        );
        match first.get(&shape) {
            Some(name) => {
                if t.doc.is_none() {
                    t.doc = Some(format!("The same values as `{name}`."));
                }
                t.kind = TypeKind::Alias(Ty::Named(name.clone()));
            }
            None => {
                first.insert(shape, t.name.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EnumDef, Variant};

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

    #[test]
    fn an_enum_like_an_earlier_one_becomes_its_alias_and_keeps_its_doc() {
        let mut types = vec![
            string_enum("Format", &["json", "csv"]),
            string_enum("Direction", &["asc", "desc"]),
            string_enum("ExportFormat", &["json", "csv"]),
            string_enum("Reordered", &["csv", "json"]),
        ];
        alias_identical_enums(&mut types);
        assert!(matches!(types[0].kind, TypeKind::Enum(_)));
        assert!(matches!(types[1].kind, TypeKind::Enum(_)));
        assert_eq!(types[2].kind, TypeKind::Alias(Ty::Named("Format".into())));
        assert_eq!(types[2].doc.as_deref(), Some("The ExportFormat."));
        // Another order is another type: variant order is part of the enum.
        assert!(matches!(types[3].kind, TypeKind::Enum(_)));
    }
}
