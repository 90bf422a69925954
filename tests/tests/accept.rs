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
