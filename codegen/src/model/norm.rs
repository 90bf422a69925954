//! One shape for every schema: openapiv3 parses a schema as one of several `SchemaKind`s (or
//! `Any` when the keywords do not fit one); [`norm`] reads the keywords out of whichever it is.
//! Also the constraint helpers every strategy shares.

use super::{Constraints, Ty};
use openapiv3::{
    AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

/// A schema's keywords, whichever `SchemaKind` openapiv3 parsed it as.
pub(super) struct Norm<'a> {
    pub typ: Option<&'a str>,
    pub format: Option<String>,
    pub enumeration: Vec<Value>,
    pub properties: Option<&'a indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>>,
    pub required: &'a [String],
    pub additional: Option<&'a AdditionalProperties>,
    pub items: Option<&'a ReferenceOr<Box<Schema>>>,
    pub all_of: &'a [ReferenceOr<Schema>],
    pub one_of: &'a [ReferenceOr<Schema>],
    pub any_of: &'a [ReferenceOr<Schema>],
    /// Every constraint but the pattern, which the builder registers.
    pub constraints: Constraints,
    pub pattern: Option<&'a str>,
    pub min_properties: Option<usize>,
    pub max_properties: Option<usize>,
}

impl Norm<'_> {
    /// Whether the schema describes an object (properties, `type: object`, `allOf` or a map).
    pub fn is_objectish(&self) -> bool {
        self.properties.is_some()
            || self.typ == Some("object")
            || !self.all_of.is_empty()
            || (self.typ.is_none() && self.additional.is_some())
    }

    /// Whether `enum` allows only `null`.
    pub fn only_null(&self) -> bool {
        !self.enumeration.is_empty() && self.enumeration.iter().all(Value::is_null)
    }
}

fn fmt_str<T: serde::Serialize>(f: &VariantOrUnknownOrEmpty<T>) -> Option<String> {
    match f {
        VariantOrUnknownOrEmpty::Item(i) => serde_json::to_value(i)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned)),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn values<T: Clone>(items: &[Option<T>], to: impl Fn(T) -> Value) -> Vec<Value> {
    items
        .iter()
        .map(|v| v.clone().map_or(Value::Null, &to))
        .collect()
}

/// The keywords of `schema`.
pub(super) fn norm(schema: &Schema) -> Norm<'_> {
    let empty: &[ReferenceOr<Schema>] = &[];
    let mut n = Norm {
        typ: None,
        format: None,
        enumeration: Vec::new(),
        properties: None,
        required: &[],
        additional: None,
        items: None,
        all_of: empty,
        one_of: empty,
        any_of: empty,
        constraints: Constraints::default(),
        pattern: None,
        min_properties: None,
        max_properties: None,
    };
    let c = &mut n.constraints;
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            n.typ = Some("string");
            n.format = fmt_str(&s.format);
            n.pattern = s.pattern.as_deref();
            c.min_length = s.min_length;
            c.max_length = s.max_length;
            n.enumeration = values(&s.enumeration, Value::String);
        }
        SchemaKind::Type(Type::Number(s)) => {
            n.typ = Some("number");
            n.format = fmt_str(&s.format);
            c.minimum = s.minimum.map(|m| (m, s.exclusive_minimum));
            c.maximum = s.maximum.map(|m| (m, s.exclusive_maximum));
            c.multiple_of = s.multiple_of;
            n.enumeration = values(&s.enumeration, Value::from);
        }
        SchemaKind::Type(Type::Integer(s)) => {
            n.typ = Some("integer");
            n.format = fmt_str(&s.format);
            c.minimum = s.minimum.map(|m| (m as f64, s.exclusive_minimum));
            c.maximum = s.maximum.map(|m| (m as f64, s.exclusive_maximum));
            c.multiple_of = s.multiple_of.map(|m| m as f64);
            n.enumeration = values(&s.enumeration, Value::from);
        }
        SchemaKind::Type(Type::Boolean(s)) => {
            n.typ = Some("boolean");
            n.enumeration = values(&s.enumeration, Value::from);
        }
        SchemaKind::Type(Type::Object(o)) => {
            n.typ = Some("object");
            n.properties = Some(&o.properties);
            n.required = &o.required;
            n.additional = o.additional_properties.as_ref();
            n.min_properties = o.min_properties;
            n.max_properties = o.max_properties;
        }
        SchemaKind::Type(Type::Array(a)) => {
            n.typ = Some("array");
            n.items = a.items.as_ref();
            c.min_items = a.min_items;
            c.max_items = a.max_items;
            c.unique_items = a.unique_items;
        }
        SchemaKind::OneOf { one_of } => n.one_of = one_of,
        SchemaKind::AnyOf { any_of } => n.any_of = any_of,
        SchemaKind::AllOf { all_of } => n.all_of = all_of,
        SchemaKind::Not { .. } => {}
        SchemaKind::Any(a) => {
            n.typ = a.typ.as_deref();
            n.format = a.format.clone();
            n.enumeration = a.enumeration.clone();
            n.properties = (!a.properties.is_empty()).then_some(&a.properties);
            n.required = &a.required;
            n.additional = a.additional_properties.as_ref();
            n.items = a.items.as_ref();
            n.all_of = &a.all_of;
            n.one_of = &a.one_of;
            n.any_of = &a.any_of;
            n.min_properties = a.min_properties;
            n.max_properties = a.max_properties;
            n.pattern = a.pattern.as_deref();
            c.min_length = a.min_length;
            c.max_length = a.max_length;
            c.minimum = a.minimum.map(|m| (m, a.exclusive_minimum.unwrap_or(false)));
            c.maximum = a.maximum.map(|m| (m, a.exclusive_maximum.unwrap_or(false)));
            c.multiple_of = a.multiple_of;
            c.min_items = a.min_items;
            c.max_items = a.max_items;
            c.unique_items = a.unique_items.unwrap_or(false);
        }
    }
    n
}

/// Keeps only the constraints that apply to a value of type `ty` (Cloudflare puts
/// `minLength` on arrays and `uniqueItems` on objects now and then).
pub(super) fn constraints_for(ty: &Ty, mut c: Constraints) -> Constraints {
    let keep = Constraints::default();
    match ty.base() {
        Ty::String => Constraints {
            min_length: c.min_length,
            max_length: c.max_length,
            pattern: c.pattern.take(),
            ..keep
        },
        Ty::I32 | Ty::I64 | Ty::F64 => Constraints {
            minimum: c.minimum,
            maximum: c.maximum,
            multiple_of: c.multiple_of,
            allowed: c.allowed,
            ..keep
        },
        Ty::Bool => Constraints {
            allowed: c.allowed,
            ..keep
        },
        Ty::Vec(_) => Constraints {
            min_items: c.min_items,
            max_items: c.max_items,
            unique_items: c.unique_items,
            items: c.items,
            ..keep
        },
        Ty::Map(_) => Constraints {
            min_properties: c.min_properties,
            max_properties: c.max_properties,
            ..keep
        },
        _ => keep,
    }
}

/// Adds the constraints of `extra` to `into`; a bound `extra` sets replaces the one in `into`.
pub(super) fn merge_constraints(into: &mut Constraints, extra: Constraints) {
    macro_rules! take { ($($f:ident),*) => {$( if extra.$f.is_some() { into.$f = extra.$f.clone(); } )*} }
    take!(
        min_length,
        max_length,
        minimum,
        maximum,
        multiple_of,
        pattern,
        min_items,
        max_items,
        min_properties,
        max_properties
    );
    into.unique_items |= extra.unique_items;
}

/// An array, or a map without named properties.
pub(super) fn is_collection(s: &Schema) -> bool {
    let n = norm(s);
    n.one_of.is_empty()
        && n.any_of.is_empty()
        && n.all_of.is_empty()
        && n.properties.is_none_or(|p| p.is_empty())
        && (n.typ == Some("array") || n.items.is_some() || n.additional.is_some())
}

/// A schema that only allows `null` (`enum: [null]`), as a oneOf member says "or null".
pub(super) fn is_null_schema(s: &Schema) -> bool {
    match &s.schema_kind {
        SchemaKind::Any(a) => !a.enumeration.is_empty() && a.enumeration.iter().all(Value::is_null),
        _ => false,
    }
}

/// Whether a field of this type can derive `Default` (generated types do not implement it).
pub(super) fn defaultable(ty: &Ty) -> bool {
    !matches!(ty, Ty::Named(_) | Ty::Boxed(_))
}
