//! Scalars and arrays: string enums become Rust enums that keep unknown values; everything
//! else is a primitive (its type inferred from the keywords when `type` is missing), an array
//! of its items, or any JSON.

use super::schema::Ctx;
use super::{Builder, TyInfo};
use crate::diagnostic::Diagnostic;
use crate::model::{Constraints, EnumDef, Ty, TypeDef, TypeKind, Variant};
use crate::naming::{pascal_ident, Namer};
use serde_json::Value;
use std::collections::BTreeSet;

/// The `type` values OpenAPI knows.
const TYPES: [&str; 6] = ["string", "integer", "number", "boolean", "array", "object"];

impl Builder<'_> {
    /// A string `enum`: an enum with a variant per value. `None` for other schemas.
    pub(super) fn maybe_string_enum(&mut self, cx: &Ctx<'_>) -> Result<Option<TyInfo>, Diagnostic> {
        let values: Vec<&str> =
            cx.n.enumeration
                .iter()
                .filter(|v| !v.is_null())
                .map(Value::as_str)
                .collect::<Option<_>>()
                .unwrap_or_default();
        if values.is_empty() || !matches!(cx.n.typ, None | Some("string")) {
            return Ok(None);
        }
        let name = self.start_named(cx.name, cx.reference);
        let mut idents = Namer::default();
        let mut seen = BTreeSet::new();
        let mut variants = Vec::new();
        for wire in values {
            if !seen.insert(wire) {
                continue;
            }
            let wanted = if wire.is_empty() {
                "Empty".to_owned()
            } else {
                pascal_ident(wire)
            };
            variants.push(Variant {
                ident: idents.claim(&wanted),
                wire: wire.to_owned(),
            });
        }
        let other = idents.claim("Unknown");
        self.enums.insert(name.clone());
        self.push_type(TypeDef {
            name: name.clone(),
            doc: cx.type_doc(),
            kind: TypeKind::Enum(EnumDef { variants, other }),
        });
        Ok(Some(cx.info(
            Ty::Named(name),
            Constraints::default(),
            cx.nullable,
        )))
    }

    /// The fallback: a primitive, an array, or any JSON.
    pub(super) fn primitive(&mut self, cx: &Ctx<'_>) -> Result<TyInfo, Diagnostic> {
        let values: Vec<&Value> = cx.n.enumeration.iter().filter(|v| !v.is_null()).collect();
        if cx.n.only_null() {
            // `enum: [null]`: only null is allowed.
            return Ok(cx.info(Ty::Value, Constraints::default(), true));
        }
        let typ = cx.n.typ.or_else(|| infer_type(cx, values.first().copied()));
        let (ty, item_constraints) = match typ {
            Some("array") => {
                let (item, c) = self.items(cx)?;
                (Ty::Vec(Box::new(item)), c)
            }
            Some(other) => (scalar_ty(other, cx.n.format.as_deref(), cx.pointer)?, None),
            None => (Ty::Value, None),
        };
        let mut constraints = self.constraints_of(&cx.n, &ty, cx.pointer)?;
        constraints.items = item_constraints.map(Box::new);
        if !values.is_empty() && matches!(ty, Ty::I32 | Ty::I64 | Ty::F64 | Ty::Bool) {
            constraints.allowed = values.into_iter().cloned().collect();
        }
        Ok(cx.info(ty, constraints, cx.nullable))
    }

    /// An array's item type, and the items' constraints when they have any.
    fn items(&mut self, cx: &Ctx<'_>) -> Result<(Ty, Option<Constraints>), Diagnostic> {
        let Some(items) = cx.n.items else {
            return Ok((Ty::Value, None));
        };
        let info = self.ty_of_boxed(
            items,
            &format!("{}/items", cx.pointer),
            &cx.name.nested("Item"),
        )?;
        let constraints = (!info.constraints.is_empty()).then(|| info.constraints.clone());
        Ok((info.full_ty(), constraints))
    }
}

/// The type of a schema without `type`, from its enum values or the keywords it has.
fn infer_type(cx: &Ctx<'_>, first_value: Option<&Value>) -> Option<&'static str> {
    let c = &cx.n.constraints;
    match first_value {
        Some(Value::Bool(_)) => Some("boolean"),
        Some(Value::Number(x)) if x.is_i64() || x.is_u64() => Some("integer"),
        Some(Value::Number(_)) => Some("number"),
        Some(Value::String(_)) => Some("string"),
        _ if cx.n.items.is_some() => Some("array"),
        _ if cx.n.pattern.is_some()
            || c.max_length.is_some()
            || c.min_length.is_some()
            || cx.n.format.is_some() =>
        {
            Some("string")
        }
        _ if c.minimum.is_some() || c.maximum.is_some() => Some("number"),
        _ => None,
    }
}

/// The Rust type of a non-array `type` with its `format`.
fn scalar_ty(typ: &str, format: Option<&str>, pointer: &str) -> Result<Ty, Diagnostic> {
    Ok(match (typ, format) {
        ("string", Some("date-time")) => Ty::DateTime,
        ("string", Some("date")) => Ty::Date,
        ("string", Some("binary")) => Ty::Bytes,
        ("string", _) => Ty::String,
        ("integer", Some("int32")) => Ty::I32,
        ("integer", _) => Ty::I64,
        ("number", _) => Ty::F64,
        ("boolean", _) => Ty::Bool,
        ("object", _) => Ty::Map(Box::new(Ty::Value)),
        (other, _) if !TYPES.contains(&other) => {
            return Err(Diagnostic::at(
                format!("{pointer}/type"),
                format!("invalid type {other:?}"),
            )
            .hint("use one of string, number, integer, boolean, array, object"));
        }
        _ => Ty::Value,
    })
}
