//! Unit tests of the model's strategies, each on a small document: union collapse,
//! discriminators, nullable, allOf merge, name collisions, recursion and left-out operations.

use super::*;
use crate::load::parse;

/// The model of a document whose `components.schemas` are `schemas` (YAML, indented by four)
/// and whose one operation returns `Root`.
fn model_of(schemas: &str) -> (Model, Diagnostics) {
    let text = format!(
        "openapi: 3.0.3
info: {{title: t, version: '1'}}
servers: [{{url: 'https://api.example.com'}}]
paths:
  /x:
    get:
      operationId: getX
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Root'}}
components:
  schemas:
{schemas}"
    );
    model_of_document(&text)
}

/// The model of the whole document `text` (YAML), and what building it reported.
pub(super) fn model_of_document(text: &str) -> (Model, Diagnostics) {
    let (spec, _) = parse(text, "t.yaml", false).expect("the document loads");
    let mut diags = Diagnostics::new();
    let model = build(&spec, &mut diags);
    (model, diags)
}

pub(super) fn type_named<'m>(model: &'m Model, name: &str) -> &'m TypeDef {
    model
        .types
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| {
            panic!(
                "no type {name}: {:?}",
                model.types.iter().map(|t| &t.name).collect::<Vec<_>>()
            )
        })
}

pub(super) fn struct_fields<'m>(model: &'m Model, name: &str) -> &'m [Field] {
    match &type_named(model, name).kind {
        TypeKind::Struct(s) => &s.fields,
        other => panic!("{name} is not a struct: {other:?}"),
    }
}

#[test]
fn a_union_of_one_member_and_null_collapses_into_a_nullable_member() {
    let (model, diags) = model_of(
        "    Root:
      type: object
      properties:
        a:
          oneOf:
            - {type: string, maxLength: 3}
            - {enum: [null]}",
    );
    assert!(diags.is_empty(), "{diags}");
    let a = &struct_fields(&model, "Root")[0];
    assert_eq!(a.ty, Ty::Option(Box::new(Ty::String)));
    assert_eq!(a.constraints.max_length, Some(3));
}

#[test]
fn a_discriminator_tags_variants_by_mapping_or_component_name() {
    let (model, _) = model_of(
        "    Root:
      oneOf:
        - {$ref: '#/components/schemas/Cat'}
        - {$ref: '#/components/schemas/Dog'}
      discriminator:
        propertyName: kind
        mapping: {meow: '#/components/schemas/Cat'}
    Cat: {type: object, properties: {kind: {type: string}}}
    Dog: {type: object, properties: {kind: {type: string}}}",
    );
    let TypeKind::Union(u) = &type_named(&model, "Root").kind else {
        panic!("Root is a union");
    };
    let d = u.discriminator.as_ref().expect("a discriminator");
    assert_eq!(
        (d.property.as_str(), d.source),
        ("kind", DiscriminatorSource::Declared)
    );
    let tags: Vec<(&str, &[String])> = u
        .variants
        .iter()
        .map(|v| (v.ident.as_str(), v.tags.as_slice()))
        .collect();
    assert_eq!(
        tags,
        [
            ("Cat", &["meow".to_owned()][..]),
            ("Dog", &["Dog".to_owned()][..])
        ]
    );
    assert_eq!(u.other, "Other");
}

/// Each variant's tags and the union's discriminator, if any.
fn union_tags(model: &Model, name: &str) -> (Option<Discriminator>, Vec<(String, Vec<String>)>) {
    let TypeKind::Union(u) = &type_named(model, name).kind else {
        panic!("{name} is a union");
    };
    let tags = u
        .variants
        .iter()
        .map(|v| (v.ident.clone(), v.tags.clone()))
        .collect();
    (u.discriminator.clone(), tags)
}

fn inferred(property: &str) -> Option<Discriminator> {
    Some(Discriminator {
        property: property.to_owned(),
        source: DiscriminatorSource::Inferred,
    })
}

fn tagged(pairs: &[(&str, &[&str])]) -> Vec<(String, Vec<String>)> {
    pairs
        .iter()
        .map(|(v, tags)| (v.to_string(), tags.iter().map(|t| t.to_string()).collect()))
        .collect()
}

#[test]
fn a_one_value_enum_every_member_declares_is_an_inferred_discriminator() {
    // Cloudflare's DNS records: each an allOf of its own properties and a shared base, told
    // apart by `type`; `proxied` is a one-value enum too but takes a single value.
    let (model, _) = model_of(
        "    Root:
      oneOf:
        - {$ref: '#/components/schemas/A'}
        - {$ref: '#/components/schemas/Aaaa'}
    Base: {type: object, properties: {ttl: {type: number}, proxied: {type: string, enum: [yes]}}}
    Kind: {type: string, enum: [AAAA]}
    A:
      allOf:
        - {type: object, properties: {type: {type: string, enum: [A]}, content: {type: string}}}
        - {$ref: '#/components/schemas/Base'}
    Aaaa:
      allOf:
        - {type: object, properties: {type: {$ref: '#/components/schemas/Kind'}}}
        - {$ref: '#/components/schemas/Base'}",
    );
    assert_eq!(
        union_tags(&model, "Root"),
        (
            inferred("type"),
            tagged(&[("A", &["A"]), ("Aaaa", &["AAAA"])])
        )
    );
}

#[test]
fn members_may_share_an_inferred_value_and_the_widest_property_wins() {
    // Cloudflare's header operations: `remove`, and `set` for a static and a dynamic value.
    // `kind` takes three values where `operation` takes two, so `kind` decides.
    let (model, _) = model_of(
        "    Root:
      oneOf:
        - {type: object, properties: {operation: {enum: [remove]}}}
        - {type: object, properties: {operation: {enum: [set]}, value: {type: string}}}
        - {type: object, properties: {operation: {enum: [set]}, expression: {type: string}}}",
    );
    assert_eq!(
        union_tags(&model, "Root"),
        (
            inferred("operation"),
            tagged(&[
                ("Variant0", &["remove"]),
                ("Variant1", &["set"]),
                ("Variant2", &["set"])
            ])
        )
    );
    let (_, tags) = union_tags(
        &model_of(
            "    Root:
      anyOf:
        - {type: object, properties: {operation: {enum: [a]}, kind: {type: string, enum: [x]}}}
        - {type: object, properties: {operation: {enum: [a]}, kind: {type: string, enum: [y]}}}
        - {type: object, properties: {operation: {enum: [b]}, kind: {type: string, enum: [z]}}}",
        )
        .0,
        "Root",
    );
    assert_eq!(
        tags,
        tagged(&[
            ("Variant0", &["x"]),
            ("Variant1", &["y"]),
            ("Variant2", &["z"])
        ])
    );
}

#[test]
fn no_discriminator_is_inferred_without_a_one_value_enum_in_every_object_member() {
    for schemas in [
        // A member without the property.
        "    Root:
      oneOf:
        - {type: object, properties: {type: {type: string, enum: [a]}}}
        - {type: object, properties: {other: {type: string}}}",
        // A member that is not an object.
        "    Root:
      oneOf:
        - {type: object, properties: {type: {type: string, enum: [a]}}}
        - {type: string}",
        // Every member declares the same value.
        "    Root:
      oneOf:
        - {type: object, properties: {type: {type: string, enum: [a]}, x: {type: string}}}
        - {type: object, properties: {type: {type: string, enum: [a]}, y: {type: string}}}",
        // Two values for a member, or a value that is no string.
        "    Root:
      oneOf:
        - {type: object, properties: {type: {type: string, enum: [a, b]}}}
        - {type: object, properties: {type: {type: string, enum: [c]}}}",
        "    Root:
      oneOf:
        - {type: object, properties: {type: {type: integer, enum: [1]}}}
        - {type: object, properties: {type: {type: integer, enum: [2]}}}",
    ] {
        let (model, _) = model_of(schemas);
        let (discriminator, tags) = union_tags(&model, "Root");
        assert_eq!(discriminator, None, "{schemas}");
        assert!(tags.iter().all(|(_, t)| t.is_empty()), "{schemas}");
    }
}

#[test]
fn a_declared_discriminator_reads_inline_members_values_from_their_enums() {
    let (model, _) = model_of(
        "    Root:
      oneOf:
        - {type: object, properties: {kind: {type: string, enum: [circle]}}}
        - {type: object, properties: {kind: {type: string}}}
        - {$ref: '#/components/schemas/Square'}
      discriminator: {propertyName: kind}
    Square: {type: object, properties: {kind: {type: string, enum: [sq]}}}",
    );
    let (d, tags) = union_tags(&model, "Root");
    assert_eq!(d.map(|d| d.source), Some(DiscriminatorSource::Declared));
    // A `$ref` member's value is its component name, as the spec says, whatever it declares.
    assert_eq!(
        tags,
        tagged(&[
            ("Variant0", &["circle"]),
            ("Variant1", &[]),
            ("Square", &["Square"])
        ])
    );
}

#[test]
fn a_3_1_const_is_a_one_value_enum_for_inference() {
    let (model, _) = model_of_document(
        "openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /x:
    get:
      operationId: getX
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                oneOf:
                  - {type: object, properties: {type: {const: card}, number: {type: string}}}
                  - {type: object, properties: {type: {const: bank}, iban: {type: string}}}
",
    );
    let name = &model
        .types
        .iter()
        .find(|t| matches!(t.kind, TypeKind::Union(_)))
        .expect("a union")
        .name;
    let (d, tags) = union_tags(&model, name);
    assert_eq!(d, inferred("type"));
    let values: Vec<Vec<String>> = tags.into_iter().map(|(_, t)| t).collect();
    assert_eq!(values, [vec!["card".to_owned()], vec!["bank".to_owned()]]);
}

#[test]
fn a_variant_named_after_the_union_plus_digits_keeps_its_whole_name() {
    // Stripping the union's name from `Root2` would leave `2`, which is no identifier.
    let (model, _) = model_of(
        "    Root: {anyOf: [{$ref: '#/components/schemas/Root2'}, {type: string}]}
    Root2: {type: object, properties: {a: {type: string}}}",
    );
    let TypeKind::Union(u) = &type_named(&model, "Root").kind else {
        panic!("Root is a union");
    };
    let idents: Vec<&str> = u.variants.iter().map(|v| v.ident.as_str()).collect();
    assert_eq!(idents, ["Root2", "String"]);
}

#[test]
fn nullable_and_required_decide_option() {
    let (model, _) = model_of(
        "    Root:
      type: object
      required: [a, b]
      properties:
        a: {type: integer}
        b: {type: integer, nullable: true}
        c: {type: integer}",
    );
    let tys: Vec<&Ty> = struct_fields(&model, "Root")
        .iter()
        .map(|f| &f.ty)
        .collect();
    let opt_i64 = Ty::Option(Box::new(Ty::I64));
    assert_eq!(tys, [&Ty::I64, &opt_i64, &opt_i64]);
}

#[test]
fn all_of_merges_properties_required_and_later_members_win() {
    let (model, _) = model_of(
        "    Base:
      type: object
      required: [id]
      properties:
        id: {type: string}
        size: {type: string}
    Root:
      allOf:
        - {$ref: '#/components/schemas/Base'}
        - type: object
          properties:
            size: {type: integer, minimum: 1}",
    );
    let fields = struct_fields(&model, "Root");
    let summary: Vec<(&str, &Ty, bool)> = fields
        .iter()
        .map(|f| (f.ident.as_str(), &f.ty, f.required))
        .collect();
    assert_eq!(
        summary,
        [
            ("id", &Ty::String, true),
            ("size", &Ty::Option(Box::new(Ty::I64)), false)
        ]
    );
    assert_eq!(fields[1].constraints.minimum, Some((1.0, false)));
}

#[test]
fn all_of_of_a_ref_and_constraints_keeps_every_constraint() {
    let (model, _) = model_of(
        "    Days: {type: number, minimum: 21}
    Root:
      type: object
      properties:
        days:
          allOf:
            - {$ref: '#/components/schemas/Days'}
            - {maximum: 365}",
    );
    let days = &struct_fields(&model, "Root")[0];
    assert_eq!(days.constraints.minimum, Some((21.0, false)));
    assert_eq!(days.constraints.maximum, Some((365.0, false)));
}

#[test]
fn colliding_names_are_numbered_and_reserved_names_avoided() {
    let (model, _) = model_of(
        "    Root: {type: object, properties: {a: {$ref: '#/components/schemas/Error'}}}
    Error: {type: object, properties: {code: {type: integer}}}
    GetXResponse: {type: object, properties: {x: {type: string}}}",
    );
    let names: Vec<&str> = model.types.iter().map(|t| t.name.as_str()).collect();
    // `Error` is the crate's error type; the operation's result name was reserved first.
    assert!(names.contains(&"Error2"), "{names:?}");
    assert!(names.contains(&"GetXResponse"), "{names:?}");
    assert!(names.contains(&"GetXResponse2"), "{names:?}");
    let op = &model.operations[0];
    assert_eq!(op.params_type, "GetXParams");
    assert_eq!(op.result_type.as_deref(), Some("GetXResponse"));
}

#[test]
fn recursion_boxes_direct_cycles_and_names_self_holding_collections() {
    let (model, diags) = model_of(
        "    Root: {type: object, properties: {next: {$ref: '#/components/schemas/Root'}}}
    Grid: {type: array, items: {type: object, additionalProperties: {$ref: '#/components/schemas/Grid'}}}",
    );
    assert!(diags.is_empty(), "{diags}");
    let next = &struct_fields(&model, "Root")[0];
    assert_eq!(
        next.ty,
        Ty::Option(Box::new(Ty::Boxed(Box::new(Ty::Named("Root".into())))))
    );
    assert!(matches!(
        type_named(&model, "Grid").kind,
        TypeKind::Newtype(_)
    ));
}

#[test]
fn a_broken_operation_is_left_out_with_a_warning_and_listed() {
    let text = "openapi: 3.0.3
info: {title: t, version: '1'}
servers: [{url: 'https://api.example.com'}]
paths:
  /a/{id}:
    get:
      operationId: broken
      responses: {'200': {description: ok}}
  /b:
    get:
      operationId: fine
      responses: {'200': {description: ok}}
";
    let (model, diags) = model_of_document(text);
    assert!(!diags.has_errors(), "{diags}");
    assert_eq!(diags.warnings().count(), 1, "{diags}");
    assert_eq!(model.operations.len(), 1);
    assert_eq!(model.operations[0].method, "fine");
    assert_eq!(model.skipped.len(), 1);
    assert_eq!(model.skipped[0].what, "GET /a/{id}");
}

#[test]
fn duplicate_method_names_are_numbered_with_a_warning() {
    let text = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get:
      x-fern-sdk-group-name: things
      x-fern-sdk-method-name: list
      responses: {'200': {description: ok}}
  /b:
    get:
      x-fern-sdk-group-name: things
      x-fern-sdk-method-name: list
      responses: {'200': {description: ok}}
";
    let (model, diags) = model_of_document(text);
    let methods: Vec<&str> = model.operations.iter().map(|o| o.method.as_str()).collect();
    assert_eq!(methods, ["list", "list_2"]);
    assert!(
        diags.to_string().contains("also used by #/paths/~1a/get"),
        "{diags}"
    );
}

#[test]
fn a_dropped_operation_leaves_no_name_resource_or_type_behind() {
    let text = "openapi: 3.0.3
info: {title: t, version: '1'}
servers: [{url: 'https://api.example.com'}]
paths:
  /a/{id}:
    get:
      x-fern-sdk-group-name: things
      x-fern-sdk-method-name: list
      parameters:
        - {name: status, in: query, schema: {type: string, enum: [on, off]}}
      responses: {'200': {description: ok}}
  /a:
    get:
      x-fern-sdk-group-name: things
      x-fern-sdk-method-name: list
      responses: {'200': {description: ok}}
  /b/{id}:
    get:
      x-fern-sdk-group-name: others
      x-fern-sdk-method-name: get
      responses: {'200': {description: ok}}
";
    let (model, diags) = model_of_document(text);
    assert!(!diags.has_errors(), "{diags}");
    let methods: Vec<&str> = model.operations.iter().map(|o| o.method.as_str()).collect();
    assert_eq!(methods, ["list"], "the sibling keeps its plain name");
    assert!(
        !diags.to_string().contains("duplicate operation name"),
        "{diags}"
    );
    let resources: Vec<&str> = model
        .resources
        .iter()
        .map(|r| r.type_name.as_str())
        .collect();
    assert_eq!(resources, ["Client", "Things"], "no empty `Others`");
    let types: Vec<&str> = model.types.iter().map(|t| t.name.as_str()).collect();
    assert!(
        !types
            .iter()
            .any(|t| t.contains("Status") || t.ends_with('2')),
        "the dropped operation's enum and numbered names are gone: {types:?}"
    );
    assert_eq!(model.operations[0].params_type, "ThingListParams");
    assert_eq!(model.skipped.len(), 2);
    assert_eq!(diags.warnings().count(), 2, "{diags}");
}

#[test]
fn a_broken_schema_used_twice_is_one_warning_naming_what_it_left_out() {
    let text = "openapi: 3.0.3
info: {title: t, version: '1'}
servers: [{url: 'https://api.example.com'}]
paths:
  /a:
    get:
      operationId: getA
      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Loop'}}}}}
  /b:
    get:
      operationId: getB
      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Loop'}}}}}
components:
  schemas:
    Loop:
      allOf: [{$ref: '#/components/schemas/Loop'}]
";
    let (model, diags) = model_of_document(text);
    assert!(model.operations.is_empty());
    assert_eq!(diags.len(), 1, "one cause, printed once: {diags}");
    let hint = diags.items()[0].hint.as_deref().unwrap_or_default();
    assert!(
        hint.ends_with("until then GET /a, GET /b and the schema `Loop` are left out of the crate"),
        "{hint}"
    );
}

#[test]
fn accept_names_the_success_media_types_then_json() {
    use super::response::accept;
    let types = |t: &[&str]| t.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(accept(&types(&[])), None);
    assert_eq!(accept(&types(&["application/json"])), None);
    assert_eq!(
        accept(&types(&["application/octet-stream"])).as_deref(),
        Some("application/octet-stream, application/json")
    );
    assert_eq!(
        accept(&types(&["text/plain", "application/json"])).as_deref(),
        Some("text/plain, application/json")
    );
    assert_eq!(accept(&types(&["text/\u{7f}bad"])), None);
}

#[test]
fn a_union_merged_with_properties_stays_typed_as_a_flattened_field() {
    let (model, diags) = model_of(
        "    Root:
      allOf:
        - oneOf:
            - {$ref: '#/components/schemas/Block'}
            - {$ref: '#/components/schemas/Log'}
        - type: object
          properties:
            position: {type: integer}
    Block: {type: object, properties: {action: {type: string}, status: {type: integer}}}
    Log: {type: object, properties: {action: {type: string}, logging: {type: boolean}}}",
    );
    assert!(diags.is_empty(), "{diags}");
    let TypeKind::Struct(s) = &type_named(&model, "Root").kind else {
        panic!("Root is a struct");
    };
    assert_eq!(
        s.additional, None,
        "no free-form map: the union keeps the rest"
    );
    let variant = s
        .fields
        .iter()
        .find(|f| f.flatten)
        .expect("a flattened field");
    assert_eq!(variant.ty, Ty::Named("RootVariant".into()));
    assert!(matches!(
        type_named(&model, "RootVariant").kind,
        TypeKind::Union(_)
    ));
}

#[test]
fn equal_params_within_a_top_level_resource_share_one_struct() {
    let text = "openapi: 3.0.3
info: {title: t, version: '1'}
servers: [{url: 'https://api.example.com'}]
paths:
  /a/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string, maxLength: 8}}
    get: {operationId: getA, tags: [A], responses: {'204': {description: ok}}}
    delete: {operationId: deleteA, tags: [A], responses: {'204': {description: ok}}}
    put:
      operationId: putA
      tags: [A]
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, properties: {n: {type: integer}}}
      responses: {'204': {description: ok}}
  /b/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string, maxLength: 8}}
    get: {operationId: getB, tags: [B], responses: {'204': {description: ok}}}
";
    let (model, _) = model_of_document(text);
    let same_as = |method: &str, path: &str| {
        let op = model
            .operations
            .iter()
            .find(|op| op.http_method.as_upper() == method && op.path == path)
            .expect("the operation is built");
        op.params_same_as
            .map(|id| model.operation(id).params_type.clone())
    };
    let get_a = model.operations[0].params_type.clone();
    assert_eq!(same_as("GET", "/a/{id}"), None);
    assert_eq!(same_as("DELETE", "/a/{id}"), Some(get_a));
    // A body makes other params; another top-level resource keeps its own struct.
    assert_eq!(same_as("PUT", "/a/{id}"), None);
    assert_eq!(same_as("GET", "/b/{id}"), None);
}
