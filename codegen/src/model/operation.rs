//! Operations: planning (SDK names, resources, the public names each operation reserves before
//! any schema can take them), then building each one: parameters, path template, body,
//! response, paging and the result's public name.

use super::cloudflare::{self, SdkNames};
use super::object::field;
use super::{Builder, TyInfo, TypeName};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{
    Location, Operation, Param, Placement, ResourceId, ResponseKind, Segment, Skipped, Ty, TypeDef,
    TypeKind,
};
use crate::naming::{join_type, pascal_ident, Namer};
use crate::select::{Candidate, Selection};
use crate::source::escape;
use openapiv3::{Parameter, ParameterSchemaOrContent, ReferenceOr};
use std::collections::BTreeMap;

/// Where an operation is and what the spec calls it: the first pass of planning.
pub(super) struct OperationSite {
    /// The path template.
    pub path: String,
    /// The HTTP method as the spec's key (`get`).
    pub http_method: String,
    /// JSON pointer of the operation.
    pub pointer: String,
    /// JSON pointer of its path item.
    pub item_pointer: String,
    /// The path item's own parameters (shared by its operations).
    pub item_params: Vec<ReferenceOr<Parameter>>,
    /// The operation.
    pub op: openapiv3::Operation,
    /// Its SDK names.
    pub names: SdkNames,
    /// The resource its methods live on.
    pub resource: ResourceId,
}

impl OperationSite {
    /// How messages and the crate docs name the operation (`GET /zones`).
    pub fn what(&self) -> String {
        format!("{} {}", self.http_method.to_uppercase(), self.path)
    }
}

/// What planning decided for one operation, in spec order.
pub(super) enum Planned {
    /// Build it.
    Build(PlannedOperation),
    /// An earlier pass could not build it (with why): it reserves nothing and is left out.
    Dropped(OperationSite, Diagnostic),
}

/// An operation whose names are decided, ready to be built.
pub(super) struct PlannedOperation {
    /// Where it is.
    pub site: OperationSite,
    /// The method name, unique within the resource.
    pub method: String,
    /// The params struct's name, reserved.
    pub params_type: String,
    /// The result type's name, reserved.
    pub result_type: String,
}

impl Builder<'_> {
    /// Plans the operations `selection` keeps, in spec order. Operations whose names cannot be
    /// decided are left out with a warning; a pattern that matches nothing is an error. The
    /// operations in `dropped` (by pointer) failed to build in an earlier pass: they claim no
    /// resource and no name, and come back as [`Planned::Dropped`] with their cause.
    pub(super) fn plan_operations(
        &mut self,
        selection: &Selection,
        dropped: &BTreeMap<String, Diagnostic>,
        diags: &mut Diagnostics,
    ) -> Vec<Planned> {
        let spec = self.spec;
        // Every operation with its SDK names (or why they cannot be decided), so the
        // selection sees them all before any name or resource is handed out.
        let mut all = Vec::new();
        for (path, item) in spec.doc.paths.paths.iter() {
            let item_pointer = format!("#/paths/{}", escape(path));
            let item = match self
                .component(item, &item_pointer, "path item")
                .map(|(item, _)| item)
            {
                Ok(item) => item,
                Err(d) => {
                    self.skip(
                        format!("every operation of {path}"),
                        &item_pointer,
                        d,
                        diags,
                    );
                    continue;
                }
            };
            for (method, op) in item.iter() {
                let pointer = format!("{item_pointer}/{method}");
                let names = cloudflare::sdk_names(op, method, path, &pointer);
                all.push((
                    path,
                    item_pointer.clone(),
                    item.parameters.clone(),
                    method.to_owned(),
                    op.clone(),
                    pointer,
                    names,
                ));
            }
        }
        // --- selection (select.rs): filter before planning, never after building.
        let groups: Vec<Option<String>> = all
            .iter()
            .map(|(.., names)| names.as_ref().ok().map(|n| n.resource.join(".")))
            .collect();
        let candidates: Vec<Candidate<'_>> = all
            .iter()
            .zip(&groups)
            .map(|((path, _, _, _, op, _, _), group)| Candidate {
                tags: &op.tags,
                group: group.as_deref(),
                operation_id: op.operation_id.as_deref(),
                path: path.as_str(),
            })
            .collect();
        let keep = match selection.apply(&candidates) {
            Ok(keep) => keep,
            Err(errors) => {
                diags.extend(errors);
                return Vec::new();
            }
        };
        let mut found = Vec::new();
        for ((path, item_pointer, item_params, method, op, pointer, names), keep) in
            all.into_iter().zip(keep)
        {
            if !keep {
                continue;
            }
            let names = match names {
                Ok(names) => names,
                Err(d) => {
                    let what = format!("{} {path}", method.to_uppercase());
                    self.skip(what, &pointer, d, diags);
                    continue;
                }
            };
            let cause = dropped.get(&pointer).cloned();
            // A dropped operation creates no resource: one only it would have had must not
            // appear empty in the crate.
            let resource = match cause {
                Some(_) => ResourceId(0),
                None => self.resources.insert(&names.resource),
            };
            let site = OperationSite {
                path: path.clone(),
                http_method: method.clone(),
                pointer,
                item_pointer,
                item_params,
                op,
                names,
                resource,
            };
            found.push((site, cause));
        }
        let mut plans = Vec::new();
        for (site, cause) in found {
            if let Some(cause) = cause {
                plans.push(Planned::Dropped(site, cause));
                continue;
            }
            let (names, pointer) = (&site.names, &site.pointer);
            let (unique, taken_by) =
                self.resources
                    .claim_method(site.resource, &names.method, pointer);
            if let Some(taken_by) = taken_by {
                diags.push(
                    Diagnostic::warning(
                        pointer,
                        format!(
                            "duplicate operation name `{}.{}`, also used by {taken_by}; this one is generated as `{unique}`",
                            names.resource.join("."),
                            names.method
                        ),
                    )
                    .hint("give the operations distinct x-fern-sdk-method-name values (or operationIds)"),
                );
            }
            let params_type = self.names.claim(&join_type(&names.type_prefix, "Params"));
            let result_type = self.names.claim(&join_type(&names.type_prefix, "Response"));
            plans.push(Planned::Build(PlannedOperation {
                site,
                method: unique,
                params_type,
                result_type,
            }));
        }
        plans
    }

    /// Records operations left out (`what`, the node at `at`) and why.
    pub(super) fn skip(&mut self, what: String, at: &str, d: Diagnostic, diags: &mut Diagnostics) {
        self.skipped.push(Skipped {
            what: what.clone(),
            reason: d.message.clone(),
        });
        self.left_out.report(d, &what, at, diags);
    }

    /// Builds one planned operation.
    pub(super) fn operation(
        &mut self,
        plan: PlannedOperation,
        diags: &mut Diagnostics,
    ) -> Result<Operation, Diagnostic> {
        let mut idents = Namer::default();
        let site = &plan.site;
        let mut params = self.parameters(site, &mut idents, diags)?;
        let segments = path_segments(&site.path, &site.pointer, &params)?;
        let body = self.request_body(site, &mut idents, &mut params)?;
        let response = self.response(&site.op, &site.pointer, &plan.result_type)?;
        let pagination = if response.paged {
            cloudflare::page_pagination(&response.info.ty, &params)
        } else {
            None
        };
        // The result gets its stable public name: the type itself or an alias to it. A
        // nullable result is an `Option` of that name.
        let result_type = match &response.info.ty {
            Ty::Named(n) if *n == plan.result_type => Some(plan.result_type),
            Ty::Value if response.kind == ResponseKind::Empty => None,
            other => {
                self.push_type(TypeDef {
                    name: plan.result_type.clone(),
                    doc: Some(format!("What `{}` returns.", plan.method)),
                    kind: TypeKind::Alias(other.clone()),
                });
                Some(plan.result_type)
            }
        };
        let result = match result_type.clone() {
            Some(name) => Ty::Named(name).nullable(response.info.nullable),
            None => response.info.ty,
        };
        let site = plan.site;
        let op = &site.op;
        let doc = match (&op.summary, &op.description) {
            (Some(s), Some(d)) if s != d => Some(format!("{s}\n\n{d}")),
            (Some(s), _) => Some(s.clone()),
            (None, d) => d.clone(),
        };
        Ok(Operation {
            http_method: site.http_method.to_uppercase(),
            segments,
            resource: site.resource,
            method: plan.method,
            doc,
            deprecated: op.deprecated,
            params_type: plan.params_type,
            // Decided once every operation is built (dedup.rs).
            params_same_as: None,
            params_defaultable: params.iter().all(|p| super::norm::defaultable(&p.field.ty)),
            params,
            body,
            response: response.kind,
            accept: super::response::accept(&response.media_types),
            result,
            result_type,
            pagination,
            permissions: cloudflare::permissions(op),
            security: super::security::operation_alternatives(self.spec, &self.auth, &site.pointer),
            pointer: site.pointer,
            path: site.path,
        })
    }

    /// Path-level parameters first, overridden by operation-level ones with the same name and
    /// place; each becomes a field of the params struct.
    fn parameters(
        &mut self,
        plan: &OperationSite,
        idents: &mut Namer,
        diags: &mut Diagnostics,
    ) -> Result<Vec<Param>, Diagnostic> {
        let mut raw_params: Vec<(Parameter, String)> = Vec::new();
        for (i, p) in plan.item_params.iter().enumerate() {
            raw_params.push(self.component(
                p,
                &format!("{}/parameters/{i}", plan.item_pointer),
                "parameter",
            )?);
        }
        for (i, p) in plan.op.parameters.iter().enumerate() {
            let (p, at) =
                self.component(p, &format!("{}/parameters/{i}", plan.pointer), "parameter")?;
            let key = |q: &Parameter| {
                (
                    q.parameter_data_ref().name.clone(),
                    std::mem::discriminant(q),
                )
            };
            match raw_params.iter_mut().find(|(q, _)| key(q) == key(&p)) {
                Some(existing) => *existing = (p, at),
                None => raw_params.push((p, at)),
            }
        }
        let mut params = Vec::new();
        for (p, at) in raw_params {
            let location = match &p {
                Parameter::Path { .. } => Location::Path,
                Parameter::Query { .. } => Location::Query,
                Parameter::Header { .. } => Location::Header,
                Parameter::Cookie { .. } => Location::Cookie,
            };
            let data = p.parameter_data_ref();
            // A credential header is set by the client; a parameter of the same name is left
            // out so it can never replace a credential.
            if location == Location::Header && self.is_credential_header(&data.name) {
                diags.warn(
                    &at,
                    format!("header parameter `{}` is left out: the client sends it from its credentials", data.name),
                    "configure the credential on the client builder instead",
                );
                continue;
            }
            let name = TypeName::hint(join_type(
                &plan.names.type_prefix,
                &pascal_ident(&data.name),
            ));
            let mut info = match &data.format {
                ParameterSchemaOrContent::Schema(s) => {
                    self.ty_of(s, &format!("{at}/schema"), &name)?
                }
                ParameterSchemaOrContent::Content(_) => TyInfo::plain(Ty::String),
            };
            if !self.param_ty_ok(&info.ty) {
                diags.warn(
                    &at,
                    format!(
                        "parameter `{}` has a type that cannot be written into the {}; it is sent as JSON text (`serde_json::Value`)",
                        data.name,
                        location_word(location)
                    ),
                    "use a string, number, boolean, string enum or an array of those",
                );
                info.ty = Ty::Value;
                info.constraints = Default::default();
            }
            if data.description.is_some() {
                info.doc = data.description.clone();
            }
            let required = data.required || location == Location::Path;
            if location == Location::Path {
                // A path segment cannot be absent; `nullable` on one is meaningless.
                info.nullable = false;
            }
            params.push(Param {
                field: field(idents, &data.name, info, required),
                location,
            });
        }
        Ok(params)
    }

    /// Whether the client sends a header of this name from its credentials.
    fn is_credential_header(&self, name: &str) -> bool {
        self.auth.schemes.iter().any(|s| match &s.placement {
            Placement::Bearer | Placement::Basic => name.eq_ignore_ascii_case("authorization"),
            Placement::Header(h) => name.eq_ignore_ascii_case(h),
            Placement::Query(_) | Placement::Cookie(_) => false,
        })
    }

    /// Whether a type can be written into a path, query or header.
    fn param_ty_ok(&self, ty: &Ty) -> bool {
        match ty {
            Ty::String
            | Ty::Bool
            | Ty::I32
            | Ty::I64
            | Ty::F64
            | Ty::DateTime
            | Ty::Date
            | Ty::Value => true,
            Ty::Named(n) => self.enums.contains(n),
            Ty::Vec(t) => !matches!(t.as_ref(), Ty::Vec(_)) && self.param_ty_ok(t),
            Ty::Option(t) => self.param_ty_ok(t),
            _ => false,
        }
    }
}

fn location_word(l: Location) -> &'static str {
    match l {
        Location::Path => "path",
        Location::Query => "query string",
        Location::Header => "header",
        Location::Cookie => "cookie",
        Location::Body => "body",
    }
}

/// The path template split into text and parameters; the template and the `in: path`
/// parameters must agree.
fn path_segments(path: &str, pointer: &str, params: &[Param]) -> Result<Vec<Segment>, Diagnostic> {
    let mut segments = Vec::new();
    let mut rest = path;
    let mut placeholders = Vec::new();
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}').map(|c| c + open).ok_or_else(|| {
            Diagnostic::at(pointer, format!("path {path:?} has an unclosed `{{`"))
                .hint("close the placeholder with `}`")
        })?;
        if open > 0 {
            segments.push(Segment::Literal(rest[..open].to_owned()));
        }
        let name = &rest[open + 1..close];
        placeholders.push(name.to_owned());
        let idx = params
            .iter()
            .position(|p| p.location == Location::Path && p.field.wire == name)
            .ok_or_else(|| {
                Diagnostic::at(pointer, format!("path parameter {{{name}}} appears in the path but no `in: path` parameter declares it"))
                    .hint(format!("add a parameter with `name: {name}`, `in: path`, `required: true`"))
            })?;
        segments.push(Segment::Param(idx));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        segments.push(Segment::Literal(rest.to_owned()));
    }
    if let Some(p) = params
        .iter()
        .find(|p| p.location == Location::Path && !placeholders.contains(&p.field.wire))
    {
        return Err(Diagnostic::at(
            format!("{pointer}/parameters"),
            format!(
                "path parameter {:?} is declared but {path:?} has no {{{}}} placeholder",
                p.field.wire, p.field.wire
            ),
        )
        .hint("remove the parameter or add the placeholder to the path"));
    }
    Ok(segments)
}
