//! Classification: which Rust shape a schema becomes, as a short dispatcher over named
//! strategies tried in order (union, object, enum, then the primitive fallback), and the checks
//! every classified schema's constraints get.

use super::norm::{constraints_for, norm, Norm};
use super::{Builder, TyInfo, TypeName};
use crate::diagnostic::Diagnostic;
use crate::model::Constraints;
use openapiv3::Schema;
use serde_json::Value;

/// What every strategy knows about the schema being classified.
pub(super) struct Ctx<'a> {
    pub schema: &'a Schema,
    pub n: Norm<'a>,
    pub pointer: &'a str,
    pub name: &'a TypeName,
    /// The component pointer when the schema is a component (recursive references find it).
    pub reference: Option<&'a str>,
    pub doc: Option<String>,
    pub nullable: bool,
    pub example: Option<Value>,
}

impl Ctx<'_> {
    /// A result of type `ty` with the schema's doc, example and the constraints that apply.
    pub fn info(&self, ty: super::Ty, constraints: Constraints, nullable: bool) -> TyInfo {
        TyInfo {
            constraints: constraints_for(&ty, constraints),
            ty,
            doc: self.doc.clone(),
            nullable,
            example: self.example.clone(),
        }
    }

    /// The doc a named type built from this schema gets.
    pub fn type_doc(&self) -> Option<String> {
        self.doc.clone().or_else(|| self.name.fallback_doc.clone())
    }
}

impl Builder<'_> {
    /// Classifies a schema (not a `$ref`), checks its constraints and records its example.
    pub(super) fn ty_of_schema(
        &mut self,
        schema: &Schema,
        pointer: &str,
        name: &TypeName,
        reference: Option<&str>,
    ) -> Result<TyInfo, Diagnostic> {
        // An inline property whose object merges (through `allOf`) the schema that holds the
        // property meets itself again; without a `$ref` resolved in between, nothing names a
        // type that could end the recursion, which would otherwise overflow the stack.
        let depth = self.resolving.len();
        let outer = match reference {
            Some(_) => None,
            None => match self.classifying.insert(pointer.to_owned(), depth) {
                Some(d) if d == depth => {
                    self.classifying.insert(pointer.to_owned(), d);
                    return Err(Diagnostic::at(
                        pointer,
                        "this schema contains itself through an allOf member, with no $ref in between that could name the recursive type",
                    )
                    .hint("refer to the schema that holds it with a plain $ref instead of merging it with allOf"));
                }
                other => Some(other),
            },
        };
        let info = self.classify(schema, pointer, name, reference);
        match outer {
            Some(Some(d)) => {
                self.classifying.insert(pointer.to_owned(), d);
            }
            Some(None) => {
                self.classifying.remove(pointer);
            }
            None => {}
        }
        let info = info?;
        check_bounds(&info.constraints, pointer)?;
        self.record_example(pointer, &info);
        Ok(info)
    }

    /// The strategies, in order; the first that applies decides.
    fn classify(
        &mut self,
        schema: &Schema,
        pointer: &str,
        name: &TypeName,
        reference: Option<&str>,
    ) -> Result<TyInfo, Diagnostic> {
        let data = &schema.schema_data;
        let n = norm(schema);
        let nullable = data.nullable || n.enumeration.iter().any(Value::is_null);
        let mut cx = Ctx {
            schema,
            n,
            pointer,
            name,
            reference,
            doc: data.description.clone().or_else(|| data.title.clone()),
            nullable,
            example: data.example.clone(),
        };
        if let Some(info) = self.maybe_union(&mut cx)? {
            return Ok(info);
        }
        if let Some(info) = self.maybe_object(&cx)? {
            return Ok(info);
        }
        if let Some(info) = self.maybe_string_enum(&cx)? {
            return Ok(info);
        }
        self.primitive(&cx)
    }

    /// The constraints of a schema that apply to a value of type `ty`; a pattern (which only
    /// applies to strings) is checked and registered.
    pub(super) fn constraints_of(
        &mut self,
        n: &Norm<'_>,
        ty: &super::Ty,
        pointer: &str,
    ) -> Result<Constraints, Diagnostic> {
        let mut c = n.constraints.clone();
        if let (Some(p), super::Ty::String) = (n.pattern, ty.base()) {
            check_pattern(p, pointer)?;
            c.pattern = Some(self.intern_pattern(p));
        }
        Ok(constraints_for(ty, c))
    }
}

/// A pattern must compile as the generated crate compiles it: OpenAPI patterns are ECMA-262
/// regular expressions (look-around and back-references included).
fn check_pattern(p: &str, pointer: &str) -> Result<(), Diagnostic> {
    match regress::Regex::new(p) {
        Ok(_) => Ok(()),
        Err(e) => Err(Diagnostic::at(
            pointer,
            format!("pattern {p:?} is not a valid ECMA-262 regular expression: {e}"),
        )
        .hint("fix the pattern so an ECMA-262 (JavaScript) engine accepts it")),
    }
}

/// Bounds no value can satisfy, and a `multipleOf` that is not a positive number.
fn check_bounds(c: &Constraints, pointer: &str) -> Result<(), Diagnostic> {
    let contradiction = |what: String| {
        Err(
            Diagnostic::at(pointer, format!("contradictory bounds: {what}"))
                .hint("no value can satisfy both; fix one of the bounds"),
        )
    };
    if let (Some(a), Some(b)) = (c.min_length, c.max_length) {
        if a > b {
            return contradiction(format!("minLength {a} > maxLength {b}"));
        }
    }
    if let (Some((a, ea)), Some((b, eb))) = (c.minimum, c.maximum) {
        if a > b || (a == b && (ea || eb)) {
            return contradiction(format!("minimum {a} > maximum {b}"));
        }
    }
    if let (Some(a), Some(b)) = (c.min_items, c.max_items) {
        if a > b {
            return contradiction(format!("minItems {a} > maxItems {b}"));
        }
    }
    if let Some(m) = c.multiple_of {
        if m <= 0.0 || !m.is_finite() {
            return Err(Diagnostic::at(
                pointer,
                format!("multipleOf must be a positive number, got {m}"),
            )
            .hint("use a positive number or remove multipleOf"));
        }
    }
    Ok(())
}
