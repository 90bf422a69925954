//! Cursor paging over the wire: `*_auto_paging` of a list whose envelope hands back
//! `result_info.cursor` sends each cursor as the `cursor` query parameter and stops at a page
//! without one. Uses the `pagination` fixture crate.

use fixture_pagination::{Client, KeysListParams};
use serde_json::json;
use tests::{Reply, TestServer};

fn page(names: &[&str], cursor: &str) -> Reply {
    let result: Vec<_> = names.iter().map(|n| json!({ "name": n })).collect();
    Reply::json(
        200,
        &json!({
            "success": true, "errors": [], "messages": [],
            "result": result,
            "result_info": { "count": names.len(), "cursor": cursor }
        }),
    )
}

#[test]
fn auto_paging_follows_the_cursor_until_a_page_has_none() {
    let server = TestServer::with_replies([
        page(&["a", "b"], "c2"),
        page(&["c"], "c3"),
        page(&["d"], ""),
    ]);
    let client = Client::builder()
        .base_url(server.url())
        .max_retries(0)
        .build()
        .expect("client builds");
    let names: Vec<String> = client
        .keys()
        .list_auto_paging(KeysListParams {
            namespace_id: "ns".into(),
            limit: Some(2),
            ..Default::default()
        })
        .map(|item| item.expect("each page arrives").name.unwrap_or_default())
        .collect();
    assert_eq!(names, ["a", "b", "c", "d"]);
    let queries: Vec<Option<String>> = server
        .requests()
        .iter()
        .map(|r| r.query().map(str::to_owned))
        .collect();
    assert_eq!(
        queries,
        [
            Some("limit=2".to_owned()),
            Some("cursor=c2&limit=2".to_owned()),
            Some("cursor=c3&limit=2".to_owned()),
        ]
    );
}
