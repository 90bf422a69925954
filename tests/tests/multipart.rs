//! Multipart bodies over the wire: a real `multipart/form-data` form whose boundary the client
//! sets, built from typed parts (a file per binary field or array item, text as is, objects as
//! JSON), and typed parts given by the caller when the form's schema is a union. Uses the
//! `bodies` fixture crate.

use fixture_bodies::{
    Client, Part, RecordsImportBodySettings, RecordsImportParams, ScriptsUploadParams,
};
use tests::{Reply, TestServer};

fn client(server: &TestServer) -> Client {
    Client::builder()
        .base_url(server.url())
        .max_retries(0)
        .build()
        .expect("client builds")
}

/// The parts of a multipart body: (headers, content) for each, split on the boundary the
/// request's `Content-Type` names.
fn parts(content_type: &str, body: &[u8]) -> Vec<(String, Vec<u8>)> {
    let boundary = content_type
        .split("boundary=")
        .nth(1)
        .expect("the content type names a boundary")
        .trim_matches('"');
    let delimiter = format!("--{boundary}");
    let text = String::from_utf8_lossy(body).into_owned();
    text.split(&delimiter)
        .filter(|chunk| !chunk.trim().is_empty() && chunk.trim() != "--")
        .map(|chunk| {
            let chunk = chunk.trim_start_matches("\r\n");
            let (head, content) = chunk.split_once("\r\n\r\n").expect("a part has headers");
            (
                head.to_owned(),
                content.trim_end_matches("\r\n").as_bytes().to_vec(),
            )
        })
        .collect()
}

#[test]
fn an_object_form_is_sent_as_typed_parts_with_the_clients_boundary() {
    let server = TestServer::with_replies([Reply::new(204)]);
    client(&server)
        .records()
        .import(RecordsImportParams {
            zone_id: "z1".into(),
            file: bytes::Bytes::from_static(b"zone data"),
            proxied: Some("true".into()),
            attachments: Some(vec![
                bytes::Bytes::from_static(b"a1"),
                bytes::Bytes::from_static(b"a2"),
            ]),
            settings: Some(RecordsImportBodySettings { ttl: Some(60) }),
        })
        .expect("the import succeeds");
    let request = server.single_request();
    let content_type = request
        .header("content-type")
        .expect("a content type")
        .to_owned();
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    let parts = parts(&content_type, &request.body);
    let summary: Vec<(bool, bool, String)> = parts
        .iter()
        .map(|(head, content)| {
            (
                head.contains("filename="),
                head.contains("application/json"),
                String::from_utf8_lossy(content).into_owned(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (true, false, "zone data".to_owned()),
            (false, false, "true".to_owned()),
            (true, false, "a1".to_owned()),
            (true, false, "a2".to_owned()),
            (false, true, r#"{"ttl":60}"#.to_owned()),
        ]
    );
    assert!(parts[0].0.contains(r#"name="file""#), "{}", parts[0].0);
    assert!(
        parts[2].0.contains(r#"name="attachments""#),
        "{}",
        parts[2].0
    );
}

#[test]
fn a_union_form_takes_the_callers_typed_parts() {
    let server = TestServer::with_replies([Reply::new(204)]);
    client(&server)
        .scripts()
        .upload(ScriptsUploadParams {
            name: "worker".into(),
            body: vec![
                Part::text("metadata", r#"{"main_module":"worker.js"}"#)
                    .with_content_type("application/json"),
                Part::file(
                    "worker.js",
                    "worker.js",
                    "application/javascript+module",
                    "export default {}",
                ),
            ],
        })
        .expect("the upload succeeds");
    let request = server.single_request();
    assert_eq!(request.method, "PUT");
    let content_type = request
        .header("content-type")
        .expect("a content type")
        .to_owned();
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    let parts = parts(&content_type, &request.body);
    assert_eq!(parts.len(), 2);
    assert!(parts[0].0.contains(r#"name="metadata""#) && parts[0].0.contains("application/json"));
    assert!(
        parts[1].0.contains(r#"filename="worker.js""#),
        "{}",
        parts[1].0
    );
    assert!(
        parts[1].0.contains("application/javascript+module"),
        "{}",
        parts[1].0
    );
    assert_eq!(parts[1].1, b"export default {}");
}
