//! Operations: planning (SDK names, resources, the public names each operation reserves before
//! any schema can take them), then building each one's parts: parameters, path template, body,
//! response, paging, security and the result's public name. The [`Operation`] itself is made
//! from its parts once the build knows whether its params struct is shared (`dedup.rs`).

use super::cloudflare::{self, SdkNames};
use super::object::field;
use super::{Builder, TyInfo, TypeName};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{
    BodyKind, Location, Operation, OperationId, Pagination, Param, Placement, ResourceId,
    ResponseKind, Segment, Skipped, Ty, TypeDef, TypeKind,
};
use crate::naming::{join_type, pascal_ident, Namer};
use crate::select::{Candidate, Selection};
use crate::source::{escape, operations, HttpMethod};
use openapiv3::{Parameter, ParameterSchemaOrContent, ReferenceOr};
use std::collections::BTreeMap;

/// Where an operation is in the spec, and the spec's own node.
pub(super) struct OperationSite {
    /// The path template.
    pub path: String,
    /// The HTTP method.
    pub http_method: HttpMethod,
    /// JSON pointer of the operation.
    pub pointer: String,
    /// JSON pointer of its path item.
    pub item_pointer: String,
    /// The path item's own parameters (shared by its operations).
    pub item_params: Vec<ReferenceOr<Parameter>>,
    /// The operation.
    pub op: openapiv3::Operation,
}

impl OperationSite {
    /// How messages and the crate docs name the operation (`GET /zones`).
    pub fn what(&self) -> String {
        format!("{} {}", self.http_method.as_upper(), self.path)
    }
}

/// What planning decided for one operation, in spec order.
pub(super) enum Planned {
    /// Build it.
    Build(PlannedOperation),
    /// An earlier pass could not build it (with why): it reserves nothing and is left out.
    Dropped(OperationSite, Diagnostic),
}

/// An operation the first pass of planning found: where it is, and its SDK names or why they
/// cannot be decided.
struct Found {
    site: OperationSite,
    names: Result<SdkNames, Diagnostic>,
}

/// An operation whose names are decided, ready to be built.
pub(super) struct PlannedOperation {
    /// Where it is.
    pub site: OperationSite,
    /// Its SDK names.
    pub names: SdkNames,
    /// The resource its methods live on.
    pub resource: ResourceId,
    /// The method name, unique within the resource.
    pub method: String,
    /// The params struct's name, reserved.
    pub params_type: String,
    /// The result type's name, reserved.
    pub result_type: String,
}

/// An operation built but for one decision, whether its params struct is shared, which waits
/// for every type to be known (`dedup::params_sharing`); [`BuiltOperation::finish`] then makes
/// the [`Operation`].
pub(super) struct BuiltOperation {
    plan: PlannedOperation,
    /// Every parameter, path ones first in spec order, then the body object's properties.
    pub params: Vec<Param>,
    /// Whether every field of the params struct can derive `Default`.
    pub params_defaultable: bool,
    /// How the body is sent.
    pub body: BodyKind,
    segments: Vec<Segment>,
    response: ResponseKind,
    accept: Option<String>,
    result: Ty,
    result_type: Option<String>,
    pagination: Option<Pagination>,
    security: Vec<Vec<usize>>,
}

impl BuiltOperation {
    /// The resource its methods live on.
    pub fn resource(&self) -> ResourceId {
        self.plan.resource
    }

    /// The finished operation; `params_same_as` is the earlier operation whose params struct
    /// this one's equals, if any.
    pub fn finish(self, params_same_as: Option<OperationId>) -> Operation {
        let BuiltOperation {
            plan,
            params,
            params_defaultable,
            body,
            segments,
            response,
            accept,
            result,
            result_type,
            pagination,
            security,
        } = self;
        let site = plan.site;
        let op = site.op;
        let doc = match (&op.summary, &op.description) {
            (Some(s), Some(d)) if s != d => Some(format!("{s}\n\n{d}")),
            (Some(s), _) => Some(s.clone()),
            (None, d) => d.clone(),
        };
        Operation {
            http_method: site.http_method,
            segments,
            resource: plan.resource,
            method: plan.method,
            doc,
            deprecated: op.deprecated,
            params_type: plan.params_type,
            params_same_as,
            params_defaultable,
            params,
            body,
            response,
            accept,
            result,
            result_type,
            pagination,
            permissions: cloudflare::permissions(&op),
            security,
            pointer: site.pointer,
            path: site.path,
        }
    }
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
        let all = self.find_operations(diags);
        // --- selection (select.rs): filter before planning, never after building.
        let Some(selected) = select(all, selection, diags) else {
            return Vec::new();
        };
        // Every resource first (a dropped operation creates none: one only it would have had
        // must not appear empty in the crate), so that methods never take a sub-resource's name.
        let mut named = Vec::new();
        for Found { site, names } in selected {
            let names = match names {
                Ok(names) => names,
                Err(d) => {
                    self.skip(site.what(), &site.pointer, d, diags);
                    continue;
                }
            };
            let resource = match dropped.get(&site.pointer) {
                Some(cause) => Err(cause.clone()),
                None => Ok(self.resources.insert(&names.resource)),
            };
            named.push((site, names, resource));
        }
        named
            .into_iter()
            .map(|(site, names, resource)| match resource {
                Ok(resource) => Planned::Build(self.plan(site, names, resource, diags)),
                Err(cause) => Planned::Dropped(site, cause),
            })
            .collect()
    }

    /// Every operation of the document with its SDK names (or why they cannot be decided), so
    /// the selection sees them all before any name or resource is handed out. A path item that
    /// cannot be read leaves its operations out.
    fn find_operations(&mut self, diags: &mut Diagnostics) -> Vec<Found> {
        let spec = self.spec;
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
            for (method, op) in operations(&item) {
                let pointer = format!("{item_pointer}/{}", method.as_str());
                let names = cloudflare::sdk_names(op, method, path, &pointer);
                let site = OperationSite {
                    path: path.clone(),
                    http_method: method,
                    pointer,
                    item_pointer: item_pointer.clone(),
                    item_params: item.parameters.clone(),
                    op: op.clone(),
                };
                all.push(Found { site, names });
            }
        }
        all
    }

    /// The names of the operation at `site` on `resource`: its method, unique within the
    /// resource (a clash is a warning), and its params and result types, reserved.
    fn plan(
        &mut self,
        site: OperationSite,
        names: SdkNames,
        resource: ResourceId,
        diags: &mut Diagnostics,
    ) -> PlannedOperation {
        let pointer = &site.pointer;
        let (unique, taken_by) = self
            .resources
            .claim_method(resource, &names.method, pointer);
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
        PlannedOperation {
            site,
            names,
            resource,
            method: unique,
            params_type,
            result_type,
        }
    }

    /// Records operations left out (`what`, the node at `at`) and why.
    pub(super) fn skip(&mut self, what: String, at: &str, d: Diagnostic, diags: &mut Diagnostics) {
        self.skipped.push(Skipped {
            what: what.clone(),
            reason: d.message.clone(),
        });
        self.left_out.report(d, &what, at, diags);
    }

    /// Builds the parts of one planned operation.
    pub(super) fn operation(
        &mut self,
        plan: PlannedOperation,
        diags: &mut Diagnostics,
    ) -> Result<BuiltOperation, Diagnostic> {
        let mut idents = Namer::default();
        let site = &plan.site;
        let mut params = self.parameters(&plan, &mut idents, diags)?;
        let segments = path_segments(&site.path, &site.pointer, &params)?;
        let body = self.request_body(&plan, &mut idents, &mut params)?;
        let response = self.response(&site.op, &site.pointer, &plan.result_type)?;
        let pagination = if response.paged {
            cloudflare::page_pagination(&response.info.ty, &params)
        } else {
            None
        };
        // The result gets its stable public name: the type itself or an alias to it. A
        // nullable result is an `Option` of that name.
        let result_type = match &response.info.ty {
            Ty::Named(n) if *n == plan.result_type => Some(plan.result_type.clone()),
            Ty::Value if response.kind == ResponseKind::Empty => None,
            other => {
                self.push_type(TypeDef {
                    name: plan.result_type.clone(),
                    doc: Some(format!("What `{}` returns.", plan.method)),
                    kind: TypeKind::Alias(other.clone()),
                });
                Some(plan.result_type.clone())
            }
        };
        let result = match result_type.clone() {
            Some(name) => Ty::Named(name).nullable(response.info.nullable),
            None => response.info.ty,
        };
        let security = super::security::operation_alternatives(self.spec, &self.auth, &site.op);
        let params_defaultable = params
            .iter()
            .map(|p| &p.field)
            .chain(body.whole())
            .all(|f| super::norm::defaultable(&f.ty));
        Ok(BuiltOperation {
            plan,
            params_defaultable,
            params,
            body,
            segments,
            response: response.kind,
            accept: super::response::accept(&response.media_types),
            result,
            result_type,
            pagination,
            security,
        })
    }

    /// Path-level parameters first, overridden by operation-level ones with the same name and
    /// place; each becomes a field of the params struct.
    fn parameters(
        &mut self,
        plan: &PlannedOperation,
        idents: &mut Namer,
        diags: &mut Diagnostics,
    ) -> Result<Vec<Param>, Diagnostic> {
        let (names, plan) = (&plan.names, &plan.site);
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
            let name = TypeName::hint(join_type(&names.type_prefix, &pascal_ident(&data.name)));
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

/// The operations `selection` keeps, in spec order; `None` when a pattern is wrong (the errors
/// are in `diags`).
fn select(all: Vec<Found>, selection: &Selection, diags: &mut Diagnostics) -> Option<Vec<Found>> {
    let groups: Vec<Option<String>> = all
        .iter()
        .map(|found| found.names.as_ref().ok().map(|n| n.resource.join(".")))
        .collect();
    let candidates: Vec<Candidate<'_>> = all
        .iter()
        .zip(&groups)
        .map(|(Found { site, .. }, group)| Candidate {
            tags: &site.op.tags,
            group: group.as_deref(),
            operation_id: site.op.operation_id.as_deref(),
            path: site.path.as_str(),
        })
        .collect();
    let keep = match selection.apply(&candidates) {
        Ok(keep) => keep,
        Err(errors) => {
            diags.extend(errors);
            return None;
        }
    };
    let kept = all.into_iter().zip(keep).filter(|(_, keep)| *keep);
    Some(kept.map(|(found, _)| found).collect())
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
