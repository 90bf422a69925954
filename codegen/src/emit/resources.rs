//! `resources.rs`: a struct per resource with its accessors and operation methods; each method
//! validates the params, builds the path, query, headers and body, and sends the request.

use super::docs::{docs, sanitize_doc};
use super::gates::cfg_attr;
use super::ty::qualified;
use super::validate::lit_usize;
use crate::model::{
    BodyKind, Location, Model, Operation, Pagination, Param, Resource, ResourceId, ResponseKind,
    Segment, Ty,
};
use crate::naming::suffixed;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `resources.rs`: the resource tree and the operation methods.
pub fn resources_file(model: &Model) -> TokenStream {
    let mut items = TokenStream::new();
    resource_items(Model::ROOT, model, &mut items);
    quote! {
        //! The API's resources, reached from [`Client`](crate::Client) as in Cloudflare's SDKs.
        #items
    }
}

fn resource_items(id: ResourceId, model: &Model, out: &mut TokenStream) {
    let node = model.resource(id);
    let is_root = id == Model::ROOT;
    let self_ty = if is_root {
        quote!(crate::Client)
    } else {
        let n = format_ident!("{}", node.type_name);
        quote!(#n<'a>)
    };
    let client_expr = if is_root {
        quote!(self)
    } else {
        quote!(self.client)
    };
    let accessors = node.children.iter().map(|&c| {
        let child = model.resource(c);
        let m = format_ident!("{}", child.segment);
        let t = format_ident!("{}", child.type_name);
        let doc = format!(" The `{}` resource.", child.path.join("."));
        let lt = if is_root { quote!('_) } else { quote!('a) };
        // With resource features, a top-level resource exists with its feature only.
        let cfg = cfg_attr(&[model.gates.resource_gate(c)]);
        quote! {
            #[doc = #doc]
            #cfg
            #[inline]
            pub fn #m(&self) -> #t<#lt> {
                #t { client: #client_expr }
            }
        }
    });
    let methods = node
        .operations
        .iter()
        .map(|&i| operation_methods(model.operation(i)));
    let impl_generics = if is_root { quote!() } else { quote!(<'a>) };
    let cfg = cfg_attr(&[model.gates.resource_gate(id)]);
    if !is_root {
        out.extend(quote!(#cfg));
        out.extend(resource_struct(node));
    }
    out.extend(quote! {
        #cfg
        impl #impl_generics #self_ty {
            #(#accessors)*
            #(#methods)*
        }
    });
    for &c in &node.children {
        resource_items(c, model, out);
    }
}

fn resource_struct(node: &Resource) -> TokenStream {
    let t = format_ident!("{}", node.type_name);
    let doc = format!(
        " The `{}` resource: its operations and sub-resources.",
        node.path.join(".")
    );
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Copy)]
        pub struct #t<'a> {
            client: &'a crate::Client,
        }
    }
}

/// The doc of an operation's plain method.
fn method_doc(op: &Operation) -> TokenStream {
    let mut extra = vec![format!("`{} {}`", op.http_method, op.path)];
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

/// The method, its `*_with_response` twin and, for lists that page, `*_auto_paging`.
fn operation_methods(op: &Operation) -> TokenStream {
    let method = format_ident!("{}", op.method);
    let with_response = format_ident!("{}", suffixed(&op.method, "with_response"));
    let params_ty = format_ident!("{}", op.params_type);
    let result = if op.response == ResponseKind::Empty {
        quote!(())
    } else {
        qualified(&op.result)
    };
    let doc = method_doc(op);
    let with_doc = format!(
        " Like [`{0}`](Self::{0}), but also returns the status, headers and the envelope's `messages`.",
        op.method
    );
    let http_method = format_ident!("{}", op.http_method);
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
    let send = match op.response {
        ResponseKind::Envelope => quote!(send_enveloped),
        ResponseKind::Json => quote!(send_json),
        ResponseKind::Text => quote!(send_text),
        ResponseKind::Bytes => quote!(send_bytes),
        ResponseKind::Empty => quote!(send_empty),
    };
    let paging = op
        .pagination
        .as_ref()
        .map(|p| auto_paging(op, p, &with_response))
        .unwrap_or_default();
    let mutable_request = if extras.is_empty() && body_code.is_empty() {
        quote!()
    } else {
        quote!(mut)
    };
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
    // `#[inline]`, like the conversions of the types (emit/json.rs): a non-generic function
    // that is not inline is compiled to machine code in this crate whether or not anyone
    // calls it, an inline one in the crate that calls it. An application then pays code
    // generation for the operations it calls, not for every operation of its features.
    quote! {
        #doc
        #[inline]
        pub fn #method(&self, params: crate::types::#params_ty) -> Result<#result, crate::Error> {
            #plain_body
        }

        #[doc = #with_doc]
        #[inline]
        pub fn #with_response(&self, params: crate::types::#params_ty) -> Result<crate::ApiResponse<#result>, crate::Error> {
            crate::validate::Validate::validate(&params)?;
            let mut path = String::with_capacity(#cap);
            #(#path_code)*
            let #mutable_request request = crate::client::Request::new(reqwest::Method::#http_method, path);
            #(#extras)*
            #body_code
            self.client.#send(request)
        }

        #paging
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
    let body_fields: Vec<&Param> = op
        .params
        .iter()
        .filter(|p| p.location == Location::Body)
        .collect();
    let whole_body = || {
        body_fields
            .first()
            .map(|p| (format_ident!("{}", p.field.ident), &p.field.ty))
    };
    match &op.body {
        BodyKind::None => quote!(),
        BodyKind::JsonFields => quote!(request.json(&params)?;),
        BodyKind::Json => match whole_body() {
            Some((ident, _)) => quote!(request.json(&params.#ident)?;),
            None => quote!(),
        },
        BodyKind::Raw(content_type) => match whole_body() {
            Some((ident, Ty::Option(inner))) => {
                let conv = raw_bytes(inner, quote!(value));
                quote!(if let Some(value) = params.#ident { request.body = crate::client::Body::Bytes(#content_type, #conv); })
            }
            Some((ident, ty)) => {
                let conv = raw_bytes(ty, quote!(params.#ident));
                quote!(request.body = crate::client::Body::Bytes(#content_type, #conv);)
            }
            None => quote!(),
        },
        BodyKind::MultipartParts => match whole_body() {
            Some((ident, Ty::Option(_))) => {
                quote!(if let Some(parts) = params.#ident { request.body = crate::client::Body::Multipart(parts); })
            }
            Some((ident, _)) => {
                quote!(request.body = crate::client::Body::Multipart(params.#ident);)
            }
            None => quote!(),
        },
        BodyKind::Multipart => {
            let parts = body_fields.iter().map(|p| multipart_part(p));
            quote! {
                let mut parts = Vec::new();
                #(#parts)*
                request.body = crate::client::Body::Multipart(parts);
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
                quote!(crate::Part::text(#wire, crate::json::ToJson::to_json(#value).to_string()).with_content_type("application/json"))
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

/// `<method>_auto_paging`: an iterator over the items of every page.
fn auto_paging(op: &Operation, p: &Pagination, with_response: &syn::Ident) -> TokenStream {
    let name = format_ident!("{}", suffixed(&op.method, "auto_paging"));
    let params_ty = format_ident!("{}", op.params_type);
    let item = qualified(&p.item);
    let page_field = &op.params[p.page_param].field;
    let field = format_ident!("{}", page_field.ident);
    let optional = matches!(page_field.ty, Ty::Option(_));
    if p.cursor {
        return cursor_paging(op, page_field, with_response, &name, &params_ty, &item);
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
        " Every item of [`{0}`](Self::{0}), fetching page after page (from `params.{1}`, or 1) as the iterator advances, until `result_info` says there are no more.",
        op.method, page_field.ident
    );
    let pages = PagingMethod {
        name: &name,
        params_ty: &params_ty,
        item: &item,
        with_response,
        field: &field,
    };
    pages.tokens(&doc, quote!(new), quote!(page), first, set)
}

/// What the two kinds of `*_auto_paging` method share: a `Pages` that clones the params, sets
/// the page field, and calls the `*_with_response` twin for each page.
struct PagingMethod<'t> {
    name: &'t syn::Ident,
    params_ty: &'t syn::Ident,
    item: &'t TokenStream,
    with_response: &'t syn::Ident,
    field: &'t syn::Ident,
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
        } = self;
        quote! {
            #[doc = #doc]
            #[inline]
            pub fn #name(&self, params: crate::types::#params_ty) -> crate::client::Pages<'a, #item> {
                let this = *self;
                let first = #first;
                crate::client::Pages::#constructor(first, move |#arg| {
                    let mut params = params.clone();
                    params.#field = #set;
                    this.#with_response(params)
                })
            }
        }
    }
}

/// `<method>_auto_paging` for a list that pages with `result_info.cursor`.
fn cursor_paging(
    op: &Operation,
    page_field: &crate::model::Field,
    with_response: &syn::Ident,
    name: &syn::Ident,
    params_ty: &syn::Ident,
    item: &TokenStream,
) -> TokenStream {
    let field = format_ident!("{}", page_field.ident);
    let (first, set) = if matches!(page_field.ty, Ty::Option(_)) {
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
    let pages = PagingMethod {
        name,
        params_ty,
        item,
        with_response,
        field: &field,
    };
    pages.tokens(&doc, quote!(with_cursor), quote!(cursor), first, set)
}

fn raw_bytes(ty: &Ty, value: TokenStream) -> TokenStream {
    match ty {
        Ty::String => quote!(bytes::Bytes::from(#value)),
        _ => quote!(#value),
    }
}
