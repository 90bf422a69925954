//! Request bodies: which content type is sent, and how the body appears in the params struct
//! (its properties as fields, one `body` field, or bytes sent as they are).

use super::examples::ExampleUse;
use super::operation::PlannedOperation;
use super::{Builder, TypeName};
use crate::diagnostic::Diagnostic;
use crate::model::{BodyKind, Constraints, Field, Location, Param, StructDef, Ty, TypeKind};
use crate::naming::{join_type, Namer};
use crate::source::escape;
use openapiv3::MediaType;

/// How a request body is sent, by content type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Media {
    Json,
    Multipart,
    Text,
    Bytes,
}

impl Builder<'_> {
    /// The body of `plan`: its properties are added to `params`, or one field holds it whole.
    pub(super) fn request_body(
        &mut self,
        plan: &PlannedOperation,
        idents: &mut Namer,
        params: &mut Vec<Param>,
    ) -> Result<BodyKind, Diagnostic> {
        let site = &plan.site;
        let Some(rb) = &site.op.request_body else {
            return Ok(BodyKind::None);
        };
        let (body, at) =
            self.component(rb, &format!("{}/requestBody", site.pointer), "request body")?;
        let Some((choice, content_type, media)) = pick_media(&body.content) else {
            return Ok(BodyKind::None);
        };
        let media_at = format!("{at}/content/{}", escape(content_type));
        let required = body.required;
        let schema = match (choice, &media.schema) {
            (Media::Text | Media::Bytes, _) => {
                let ty = if choice == Media::Text {
                    Ty::String
                } else {
                    Ty::Bytes
                };
                return Ok(BodyKind::Raw {
                    content_type: content_type.clone(),
                    field: body_field(idents, ty, required, body.description.clone()),
                });
            }
            (_, None) => {
                let description = body.description.clone();
                return Ok(BodyKind::Json(body_field(
                    idents,
                    Ty::Value,
                    required,
                    description,
                )));
            }
            (_, Some(schema)) => schema,
        };
        let names = &plan.names;
        // An inline body type without a description says what it is.
        let name = TypeName::hint(join_type(&names.type_prefix, "Body")).with_doc(format!(
            "The request body of `{}.{}`.",
            names.resource.join("."),
            names.method
        ));
        let info = self.ty_of(schema, &format!("{media_at}/schema"), &name)?;
        let stem = format!("{}_request", names.type_prefix);
        self.record_media_examples(media, &media_at, &stem, &info.ty, ExampleUse::Request);
        // The properties of an object body become fields of the params struct (an optional
        // JSON body stays one optional field, so "no body" can still be said).
        let flatten = choice == Media::Multipart || body.required;
        if let Some(fields) = self.struct_fields(&info.ty).filter(|_| flatten) {
            for mut f in fields {
                let clash = params.iter().any(|p| p.field.ident == f.ident);
                let wanted = if clash {
                    format!("body_{}", f.ident)
                } else {
                    f.ident.clone()
                };
                f.ident = idents.claim(&wanted);
                params.push(Param {
                    field: f,
                    location: Location::Body,
                });
            }
            return Ok(match choice {
                Media::Multipart => BodyKind::Multipart,
                _ => BodyKind::JsonFields,
            });
        }
        if choice == Media::Multipart {
            // A form that is not a plain object (a union of forms, a map): the caller gives
            // typed parts, and the client encodes them and sets the boundary.
            let what = format!(
                "The form's parts; {} says what they may be.",
                type_name(&info.ty)
            );
            let doc = match body.description.clone().or(info.doc.clone()) {
                Some(d) => format!("{d}\n\n{what}"),
                None => what,
            };
            let field = body_field(idents, Ty::FormParts, required, Some(doc));
            return Ok(BodyKind::MultipartParts(field));
        }
        let doc = body.description.clone().or(info.doc.clone());
        Ok(BodyKind::Json(body_field(
            idents,
            info.full_ty(),
            required,
            doc,
        )))
    }

    /// The fields of a struct without extra properties, which can be flattened into params.
    fn struct_fields(&self, ty: &Ty) -> Option<Vec<Field>> {
        let Ty::Named(name) = ty else { return None };
        match &self.type_def(name)?.kind {
            TypeKind::Struct(StructDef {
                fields,
                additional: None,
                ..
            }) => Some(fields.clone()),
            _ => None,
        }
    }
}

/// A type's name for docs: a link to a named type, else the description.
fn type_name(ty: &Ty) -> String {
    match ty {
        Ty::Named(n) => format!("[`{n}`]"),
        _ => "the API description".to_owned(),
    }
}

/// The `body` field that holds the whole body.
fn body_field(idents: &mut Namer, ty: Ty, required: bool, doc: Option<String>) -> Field {
    let ty = if required { ty } else { ty.optional() };
    Field {
        ident: idents.claim("body"),
        wire: "body".into(),
        ty,
        required,
        doc: doc.or_else(|| Some("The request body.".into())),
        constraints: Constraints::default(),
        flatten: false,
    }
}

/// The content type to send: JSON if offered, else a form, else text, else the first.
fn pick_media(
    content: &indexmap::IndexMap<String, MediaType>,
) -> Option<(Media, &String, &MediaType)> {
    let find =
        |pred: &dyn Fn(&str) -> bool| content.iter().find(|(k, _)| pred(&k.to_ascii_lowercase()));
    let textual =
        |k: &str| k.starts_with("text/") || k.contains("javascript") || k.contains("ndjson");
    let (media, (k, m)) = find(&|k| k.contains("json") && !k.contains("ndjson"))
        .map(|c| (Media::Json, c))
        .or_else(|| find(&|k| k.starts_with("multipart/form-data")).map(|c| (Media::Multipart, c)))
        .or_else(|| find(&textual).map(|c| (Media::Text, c)))
        .or_else(|| content.first().map(|c| (Media::Bytes, c)))?;
    Some((media, k, m))
}
