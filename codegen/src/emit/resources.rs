//! `resources.rs`: the resource tree, reached from both clients, and the operation methods.
//! Each resource is one struct, generic over the client (`ZeroTrust<'a>` for [`Client`],
//! `ZeroTrust<'a, AsyncClient>` for the async one), with three blocks: what both clients share
//! (accessors of sub-resources, and one function per operation that validates the params and
//! builds the request), the blocking methods, and the async ones, which send that same request.

use super::docs::{docs, sanitize_doc};
use super::gates::cfg_attr;
use super::ty::qualified;
use super::validate::lit_usize;
use crate::model::{
    BodyKind, Field, Location, Model, Operation, Pagination, Param, Resource, ResourceId,
    ResponseKind, Segment, Ty,
};
use crate::naming::suffixed;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `resources.rs`: the resource tree and the operation methods.
pub fn resources_file(model: &Model) -> TokenStream {
    let mut items = TokenStream::new();
    resource_items(Model::ROOT, model, &mut items);
    quote! {
        //! The API's resources, reached from [`Client`](crate::Client) and
        //! [`AsyncClient`](crate::AsyncClient): `client.zero_trust().access().keys()`. Each
        //! resource has the same methods for both clients; the async client's return futures.
        #items
    }
}

/// Which client a block of methods is for.
#[derive(Clone, Copy, PartialEq)]
enum Flavor {
    Blocking,
    Async,
}

fn resource_items(id: ResourceId, model: &Model, out: &mut TokenStream) {
    let node = model.resource(id);
    let cfg = cfg_attr(&[model.gates.resource_gate(id)]);
    let ops: Vec<&Operation> = node
        .operations
        .iter()
        .map(|&i| model.operation(i))
        .collect();
    let builders = ops.iter().map(|op| request_fn(op));
    let blocking = ops.iter().map(|op| operation_methods(op, Flavor::Blocking));
    let asynchronous = ops.iter().map(|op| operation_methods(op, Flavor::Async));
    if id == Model::ROOT {
        // The root is the clients themselves, with an accessor per top-level resource. The
        // model puts every operation on a resource (an SDK group, a tag or the path's first
        // segment), never on the root.
        let blocking_accessors = node
            .children
            .iter()
            .map(|&c| root_accessor(model, c, Flavor::Blocking));
        let async_accessors = node
            .children
            .iter()
            .map(|&c| root_accessor(model, c, Flavor::Async));
        out.extend(quote! {
            impl crate::Client {
                #(#blocking_accessors)*
            }
            impl crate::AsyncClient {
                #(#async_accessors)*
            }
        });
    } else {
        let t = format_ident!("{}", node.type_name);
        let accessors = node.children.iter().map(|&c| accessor(model, c));
        let doc = format!(
            " The `{}` resource: its operations and sub-resources.",
            node.path.join(".")
        );
        out.extend(quote! {
            #cfg
            resource! {
                #[doc = #doc]
                #t
            }
            #cfg
            impl<'a, C> #t<'a, C> {
                #(#accessors)*
                #(#builders)*
            }
        });
        if !ops.is_empty() {
            out.extend(quote! {
                #cfg
                impl<'a> #t<'a> {
                    #(#blocking)*
                }
                #cfg
                impl<'a> #t<'a, crate::AsyncClient> {
                    #(#asynchronous)*
                }
            });
        }
    }
    for &c in &node.children {
        resource_items(c, model, out);
    }
}

/// The doc of an accessor.
fn accessor_doc(child: &Resource) -> String {
    format!(" The `{}` resource.", child.path.join("."))
}

/// A top-level resource, on a client.
fn root_accessor(model: &Model, c: ResourceId, flavor: Flavor) -> TokenStream {
    let child = model.resource(c);
    let m = format_ident!("{}", child.segment);
    let t = format_ident!("{}", child.type_name);
    let doc = accessor_doc(child);
    // With resource features, a top-level resource exists with its feature only.
    let cfg = cfg_attr(&[model.gates.resource_gate(c)]);
    let ty = match flavor {
        Flavor::Blocking => quote!(#t<'_>),
        Flavor::Async => quote!(#t<'_, crate::AsyncClient>),
    };
    quote! {
        #[doc = #doc]
        #cfg
        #[inline]
        pub fn #m(&self) -> #ty {
            #t { client: self }
        }
    }
}

/// A sub-resource, on its parent, for either client.
fn accessor(model: &Model, c: ResourceId) -> TokenStream {
    let child = model.resource(c);
    let m = format_ident!("{}", child.segment);
    let t = format_ident!("{}", child.type_name);
    let doc = accessor_doc(child);
    quote! {
        #[doc = #doc]
        #[inline]
        pub fn #m(&self) -> #t<'a, C> {
            #t { client: self.client }
        }
    }
}

/// The doc of an operation's plain method.
fn method_doc(op: &Operation) -> TokenStream {
    let mut extra = vec![format!("`{} {}`", op.http_method.as_upper(), op.path)];
    if op.deprecated {
        extra.push("**Deprecated** by the API.".into());
    }
    if !op.permissions.is_empty() {
        let list: Vec<String> = op
            .permissions
            .iter()
            .map(|p| format!("- {}", sanitize_doc(p)))
            .collect();
        extra.push(format!(
            "Accepted token permissions (at least one):\n{}",
            list.join("\n")
        ));
    }
    extra.push(
        "Parameters are validated before anything is sent; see [`Error`](crate::Error) for what can fail."
            .into(),
    );
    docs(op.doc.as_deref(), &extra)
}

/// The function both clients' methods start with: validates the params and builds the request.
fn request_fn(op: &Operation) -> TokenStream {
    let name = format_ident!("{}", suffixed(&op.method, "request"));
    let params_ty = format_ident!("{}", op.params_type);
    let http_method = format_ident!("{}", op.http_method.as_upper());
    let (cap, path_code) = path_code(op);
    let mut extras: Vec<TokenStream> = op.params.iter().filter_map(query_or_header_code).collect();
    extras.extend(cookie_code(op));
    if !op.security.is_empty() {
        let alternatives = op.security.iter().map(|a| {
            let a = a.iter().map(|&i| proc_macro2::Literal::usize_unsuffixed(i));
            quote!(&[#(#a),*])
        });
        extras.push(quote!(request.security = &[#(#alternatives),*];));
    }
    if let Some(accept) = &op.accept {
        extras.push(quote!(request.headers.insert(reqwest::header::ACCEPT, reqwest::header::HeaderValue::from_static(#accept));));
    }
    let body_code = body_code(op);
    let mutable_request = if extras.is_empty() && body_code.is_empty() {
        quote!()
    } else {
        quote!(mut)
    };
    quote! {
        #[inline]
        fn #name(params: crate::types::#params_ty) -> Result<crate::request::Request, crate::Error> {
            crate::validate::Validate::validate(&params)?;
            let mut path = String::with_capacity(#cap);
            #(#path_code)*
            let #mutable_request request = crate::request::Request::new(reqwest::Method::#http_method, path);
            #(#extras)*
            #body_code
            Ok(request)
        }
    }
}

/// What an operation's methods are written from, the same for both clients.
struct MethodParts {
    method: syn::Ident,
    with_response: syn::Ident,
    request: syn::Ident,
    params_ty: syn::Ident,
    /// What the plain method returns.
    result: TokenStream,
    /// The client's `send_*` for the operation's response.
    send: TokenStream,
    doc: TokenStream,
    with_doc: String,
}

impl MethodParts {
    fn of(op: &Operation) -> MethodParts {
        MethodParts {
            method: format_ident!("{}", op.method),
            with_response: format_ident!("{}", suffixed(&op.method, "with_response")),
            request: format_ident!("{}", suffixed(&op.method, "request")),
            params_ty: format_ident!("{}", op.params_type),
            result: if op.response == ResponseKind::Empty {
                quote!(())
            } else {
                qualified(&op.result)
            },
            send: match op.response {
                ResponseKind::Envelope => quote!(send_enveloped),
                ResponseKind::Json => quote!(send_json),
                ResponseKind::Text => quote!(send_text),
                ResponseKind::Bytes => quote!(send_bytes),
                ResponseKind::Empty => quote!(send_empty),
            },
            doc: method_doc(op),
            with_doc: format!(
                " Like [`{0}`](Self::{0}), but also returns the status, headers and the envelope's `messages`.",
                op.method
            ),
        }
    }
}

/// The method, its `*_with_response` twin and, for lists that page, `*_auto_paging`, for one
/// client.
fn operation_methods(op: &Operation, flavor: Flavor) -> TokenStream {
    let parts = MethodParts::of(op);
    let paging = op
        .pagination
        .as_ref()
        .map(|p| auto_paging(op, p, &parts.with_response, flavor))
        .unwrap_or_default();
    let methods = match flavor {
        Flavor::Blocking => blocking_methods(op, &parts),
        Flavor::Async => async_methods(&parts),
    };
    quote! {
        #methods
        #paging
    }
}

/// The blocking client's methods. `#[inline]`, like the conversions of the types
/// (emit/json.rs): a non-generic function that is not inline is compiled to machine code in
/// this crate whether or not anyone calls it, an inline one in the crate that calls it. An
/// application then pays code generation for the operations it calls, not for every operation
/// of its features.
fn blocking_methods(op: &Operation, parts: &MethodParts) -> TokenStream {
    let MethodParts {
        method,
        with_response,
        request,
        params_ty,
        result,
        send,
        doc,
        with_doc,
    } = parts;
    // `?` rather than `.map(|response| ..)`: no closure, so no generic instantiation per
    // operation.
    let plain_body = if op.response == ResponseKind::Empty {
        quote! {
            self.#with_response(params)?;
            Ok(())
        }
    } else {
        quote!(Ok(self.#with_response(params)?.result))
    };
    quote! {
        #doc
        #[inline]
        pub fn #method(&self, params: crate::types::#params_ty) -> Result<#result, crate::Error> {
            #plain_body
        }

        #[doc = #with_doc]
        #[inline]
        pub fn #with_response(&self, params: crate::types::#params_ty) -> Result<crate::ApiResponse<#result>, crate::Error> {
            self.client.#send(Self::#request(params)?)
        }
    }
}

/// The async client's methods: plain functions that build the request at once (so the params
/// are validated when the method is called) and return the runtime's future for it, rather than
/// `async fn`s, each of which would be one more future type for the compiler to lay out per
/// operation. They take `self` (a resource is `Copy`), so their futures borrow the client only,
/// not a temporary resource.
fn async_methods(parts: &MethodParts) -> TokenStream {
    let MethodParts {
        method,
        with_response,
        request,
        params_ty,
        result,
        send,
        doc,
        with_doc,
    } = parts;
    quote! {
        #doc
        #[inline]
        pub fn #method(self, params: crate::types::#params_ty) -> impl std::future::Future<Output = Result<#result, crate::Error>> + 'a {
            self.client.#send(Self::#request(params)).result()
        }

        #[doc = #with_doc]
        #[inline]
        pub fn #with_response(self, params: crate::types::#params_ty) -> impl std::future::Future<Output = Result<crate::ApiResponse<#result>, crate::Error>> + 'a {
            self.client.#send(Self::#request(params))
        }
    }
}

/// The statements that build the path, and a capacity guess for it.
fn path_code(op: &Operation) -> (proc_macro2::Literal, Vec<TokenStream>) {
    let literal_len: usize = op
        .segments
        .iter()
        .map(|s| match s {
            Segment::Literal(l) => l.len(),
            Segment::Param(_) => 32,
        })
        .sum();
    let code = op
        .segments
        .iter()
        .map(|seg| match seg {
            Segment::Literal(l) if l.chars().count() == 1 => {
                let c = l.chars().next().unwrap_or('/');
                quote!(path.push(#c);)
            }
            Segment::Literal(l) => quote!(path.push_str(#l);),
            Segment::Param(i) => {
                let p = &op.params[*i];
                let ident = format_ident!("{}", p.field.ident);
                let wire = &p.field.wire;
                quote!(crate::params::push_path_param(&mut path, #wire, &params.#ident)?;)
            }
        })
        .collect();
    (lit_usize(literal_len), code)
}

/// The statement that adds a query or header parameter to the request.
fn query_or_header_code(p: &Param) -> Option<TokenStream> {
    let ident = format_ident!("{}", p.field.ident);
    let wire = &p.field.wire;
    match p.location {
        Location::Query => Some(match &p.field.ty {
            Ty::Option(inner) if matches!(inner.as_ref(), Ty::Vec(_)) => {
                quote!(if let Some(values) = &params.#ident { crate::params::push_each(&mut request.query, #wire, values); })
            }
            Ty::Option(_) => {
                quote!(crate::params::push_optional(&mut request.query, #wire, &params.#ident);)
            }
            Ty::Vec(_) => {
                quote!(crate::params::push_each(&mut request.query, #wire, &params.#ident);)
            }
            _ => quote!(request.query.push(#wire, &params.#ident);),
        }),
        Location::Header => {
            let lower = wire.to_ascii_lowercase();
            let insert = quote!(request.headers.insert(reqwest::header::HeaderName::from_static(#lower), crate::params::header_value(#wire, value)?););
            Some(match &p.field.ty {
                Ty::Option(_) => quote!(if let Some(value) = &params.#ident { #insert }),
                _ => quote!({ let value = &params.#ident; #insert }),
            })
        }
        Location::Path | Location::Cookie | Location::Body => None,
    }
}

/// The statements that send the cookie parameters in one `Cookie` header.
fn cookie_code(op: &Operation) -> Option<TokenStream> {
    let pushes: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| p.location == Location::Cookie)
        .map(|p| {
            let ident = format_ident!("{}", p.field.ident);
            let wire = &p.field.wire;
            match &p.field.ty {
                Ty::Option(_) => quote!(if let Some(value) = &params.#ident { crate::params::push_cookie(&mut cookies, #wire, value); }),
                _ => quote!(crate::params::push_cookie(&mut cookies, #wire, &params.#ident);),
            }
        })
        .collect();
    if pushes.is_empty() {
        return None;
    }
    Some(quote! {
        let mut cookies = String::new();
        #(#pushes)*
        if !cookies.is_empty() {
            request.headers.insert(reqwest::header::COOKIE, crate::params::header_value("Cookie", cookies.as_str())?);
        }
    })
}

/// The statements that set the request body.
fn body_code(op: &Operation) -> TokenStream {
    let ident = |f: &Field| format_ident!("{}", f.ident);
    match &op.body {
        BodyKind::None => quote!(),
        BodyKind::JsonFields => quote!(request.json_fields(&params);),
        BodyKind::Json(field) => {
            let ident = ident(field);
            quote!(request.json(&params.#ident);)
        }
        BodyKind::Raw {
            content_type,
            field,
        } => {
            let ident = ident(field);
            match &field.ty {
                Ty::Option(inner) => {
                    let conv = raw_bytes(inner, quote!(value));
                    quote!(if let Some(value) = params.#ident { request.body = crate::request::Body::Bytes(#content_type, #conv); })
                }
                ty => {
                    let conv = raw_bytes(ty, quote!(params.#ident));
                    quote!(request.body = crate::request::Body::Bytes(#content_type, #conv);)
                }
            }
        }
        BodyKind::MultipartParts(field) => {
            let ident = ident(field);
            match &field.ty {
                Ty::Option(_) => {
                    quote!(if let Some(parts) = params.#ident { request.body = crate::request::Body::Multipart(parts); })
                }
                _ => quote!(request.body = crate::request::Body::Multipart(params.#ident);),
            }
        }
        BodyKind::Multipart => {
            let parts = op
                .params
                .iter()
                .filter(|p| p.location == Location::Body)
                .map(multipart_part);
            quote! {
                let mut parts = Vec::new();
                #(#parts)*
                request.body = crate::request::Body::Multipart(parts);
            }
        }
    }
}

/// The statement that adds the form parts of one field: a file per binary value, text as is,
/// anything else as JSON.
fn multipart_part(p: &Param) -> TokenStream {
    let ident = format_ident!("{}", p.field.ident);
    let wire = &p.field.wire;
    let (inner, optional) = match &p.field.ty {
        Ty::Option(t) => (t.as_ref(), true),
        t => (t, false),
    };
    let push = |value: TokenStream, ty: &Ty| -> TokenStream {
        let part = match ty {
            Ty::Bytes => {
                quote!(crate::Part::file(#wire, #wire, "application/octet-stream", #value.clone()))
            }
            Ty::String => quote!(crate::Part::text(#wire, #value.clone())),
            _ => {
                quote!(crate::Part::text(#wire, crate::json::to_string(#value)).with_content_type("application/json"))
            }
        };
        quote!(parts.push(#part);)
    };
    let body = match inner {
        // An array of files or texts is one part per item, under the same name.
        Ty::Vec(item) if matches!(item.as_ref(), Ty::Bytes | Ty::String) => {
            let one = push(quote!(item), item);
            quote!(for item in value.iter() { #one })
        }
        other => push(quote!(value), other),
    };
    if optional {
        quote!(if let Some(value) = &params.#ident { #body })
    } else {
        quote!({ let value = &params.#ident; #body })
    }
}

/// `<method>_auto_paging`: an iterator (blocking) or a stream (async) over the items of every
/// page.
fn auto_paging(
    op: &Operation,
    p: &Pagination,
    with_response: &syn::Ident,
    flavor: Flavor,
) -> TokenStream {
    let page_field = &op.params[p.page_param].field;
    let optional = matches!(page_field.ty, Ty::Option(_));
    let field = format_ident!("{}", page_field.ident);
    let method = PagingMethod {
        name: format_ident!("{}", suffixed(&op.method, "auto_paging")),
        params_ty: format_ident!("{}", op.params_type),
        item: qualified(&p.item),
        with_response,
        field: field.clone(),
        flavor,
    };
    if p.cursor {
        let (first, set) = if optional {
            (quote!(params.#field.clone()), quote!(cursor))
        } else {
            (
                quote!(Some(params.#field.clone()).filter(|c| !c.is_empty())),
                quote!(cursor.unwrap_or_default()),
            )
        };
        let doc = format!(
            " Every item of [`{0}`](Self::{0}), fetching page after page (from `params.{1}`, or the first page) with the cursor each page's `result_info` hands back, until one comes without a cursor.",
            op.method, page_field.ident
        );
        return method.tokens(&doc, quote!(with_cursor), quote!(cursor), first, set);
    }
    let as_page = match p.page_ty {
        Ty::F64 => quote!(page as f64),
        Ty::I32 => quote!(i32::try_from(page).unwrap_or(i32::MAX)),
        _ => quote!(i64::try_from(page).unwrap_or(i64::MAX)),
    };
    let first = if optional {
        quote!(params.#field.map_or(1, |p| p.max(1 as _) as u64))
    } else {
        quote!(params.#field.max(1 as _) as u64)
    };
    let set = if optional {
        quote!(Some(#as_page))
    } else {
        as_page
    };
    let doc = format!(
        " Every item of [`{0}`](Self::{0}), fetching page after page (from `params.{1}`, or 1) as it is read, until `result_info` says there are no more.",
        op.method, page_field.ident
    );
    method.tokens(&doc, quote!(new), quote!(page), first, set)
}

/// What every `*_auto_paging` method is made of: a `Pages` (blocking) or `AsyncPages` that
/// clones the params, sets the page field, and calls the `*_with_response` twin for each page.
struct PagingMethod<'t> {
    name: syn::Ident,
    params_ty: syn::Ident,
    item: TokenStream,
    with_response: &'t syn::Ident,
    field: syn::Ident,
    flavor: Flavor,
}

impl PagingMethod<'_> {
    /// The method, built with `Pages::#constructor`, whose closure takes `#arg`.
    fn tokens(
        &self,
        doc: &str,
        constructor: TokenStream,
        arg: TokenStream,
        first: TokenStream,
        set: TokenStream,
    ) -> TokenStream {
        let PagingMethod {
            name,
            params_ty,
            item,
            with_response,
            field,
            flavor,
        } = self;
        let (pages, receiver, this, fetch) = match flavor {
            Flavor::Blocking => (
                quote!(crate::Pages),
                quote!(&self),
                quote!(*self),
                quote!(this.#with_response(params)),
            ),
            Flavor::Async => (
                quote!(crate::AsyncPages),
                quote!(self),
                quote!(self),
                quote!(Box::pin(this.#with_response(params))),
            ),
        };
        quote! {
            #[doc = #doc]
            #[inline]
            pub fn #name(#receiver, params: crate::types::#params_ty) -> #pages<'a, #item> {
                let this = #this;
                let first = #first;
                #pages::#constructor(first, move |#arg| {
                    let mut params = params.clone();
                    params.#field = #set;
                    #fetch
                })
            }
        }
    }
}

fn raw_bytes(ty: &Ty, value: TokenStream) -> TokenStream {
    match ty {
        Ty::String => quote!(bytes::Bytes::from(#value)),
        _ => quote!(#value),
    }
}
