//! `Accept` follows each operation's success media types (then JSON, for error bodies), so a
//! server that checks it answers text and binary downloads instead of 406. Uses the
//! `envelopes` fixture crate.

use fixture_envelopes::{Client, ObjectsGetParams, RecordsExportParams};
use tests::{Reply, TestServer};

fn client(server: &TestServer) -> Client {
    // The description declares no security schemes: no credentials to configure.
    Client::builder()
        .base_url(server.url())
        .max_retries(0)
        .build()
        .expect("client builds")
}

#[test]
fn a_text_download_accepts_text_then_json() {
    let server = TestServer::with_replies([Reply::new(200)
        .header("Content-Type", "text/plain")
        .body("zone file")]);
    let text = client(&server)
        .records()
        .export(RecordsExportParams {
            zone_id: "z1".into(),
        })
        .expect("the export succeeds");
    assert_eq!(text, "zone file");
    assert_eq!(
        server.single_request().header("accept"),
        Some("text/plain, application/json")
    );
}

#[test]
fn a_binary_download_accepts_its_media_type_then_json() {
    let server = TestServer::with_replies([Reply::new(200)
        .header("Content-Type", "application/octet-stream")
        .body(vec![0u8, 1, 2])]);
    let bytes = client(&server)
        .objects()
        .get(ObjectsGetParams { key: "k".into() })
        .expect("the download succeeds");
    assert_eq!(&bytes[..], &[0, 1, 2]);
    assert_eq!(
        server.single_request().header("accept"),
        Some("application/octet-stream, application/json")
    );
}

/// The models of every fixture and, when `../shared` is beside the workspace, of Cloudflare's
/// fragments and Access keys document: each document's name, its operations' `Accept` values
/// and the warnings (of loading and of the model).
fn accept_headers() -> Vec<(String, Vec<String>, String)> {
    let root = codegen::workspace_root();
    let mut documents: Vec<std::path::PathBuf> = tests::fixtures::Fixture::all()
        .iter()
        .map(|f| f.spec())
        .collect();
    documents.push(root.join(codegen::DEFAULT_SPEC));
    let shared = root.join("../shared/cloudflare");
    if shared.is_dir() {
        let mut fragments: Vec<_> = std::fs::read_dir(shared.join("fragments"))
            .expect("the fragments folder reads")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.to_string_lossy().ends_with(".openapi.yaml"))
            .collect();
        fragments.sort();
        documents.extend(fragments);
        documents.push(shared.join("access-keys.openapi.yaml"));
    } else {
        println!(
            "note: {} is absent; checking the fixtures and spec/ only",
            shared.display()
        );
    }
    documents
        .iter()
        .map(|path| {
            let name = path.display().to_string();
            let (spec, loaded) = codegen::load::load(path, &name, &[])
                .unwrap_or_else(|e| panic!("{name} loads: {e}"));
            // The warnings of loading (where the whole document is checked), then the model's.
            let mut diagnostics = codegen::Diagnostics::new();
            diagnostics.extend(loaded);
            let model = codegen::model::build(&spec, &mut diagnostics);
            let accepts = model
                .operations
                .iter()
                .filter_map(|op| op.accept.clone())
                .collect();
            (name, accepts, diagnostics.to_string())
        })
        .collect()
}

#[test]
fn every_media_type_written_into_accept_parses_as_a_media_type() {
    let mut checked = 0;
    for (document, accepts, warnings) in accept_headers() {
        for accept in accepts {
            for media_type in accept.split(", ") {
                assert!(
                    media_type.parse::<mime::Mime>().is_ok(),
                    "{document}: `Accept: {accept}` holds {media_type:?}, not a media type"
                );
                checked += 1;
            }
        }
        // Cloudflare's worker download declares `undefined` (and its error response too):
        // warned about where it is written, and never sent.
        if document.ends_with("07-workers-script-multipart.openapi.yaml") {
            assert!(
                warnings.contains(
                    "/content/undefined: response media type \"undefined\" is not `type/subtype`"
                ),
                "{warnings}"
            );
        }
    }
    assert!(checked > 0, "no Accept header was checked");
}
