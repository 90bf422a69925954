//! `*_auto_paging`: every item of a list operation, page after page. [`Pages`] is the blocking
//! client's iterator, [`AsyncPages`] the async client's stream; both decide where the next page
//! starts with one function, `next_page`, from the page number or the cursor and the page's `result_info`.

use crate::error::Error;
use crate::response::ApiResponse;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Where a page starts.
#[derive(Debug, Clone, PartialEq, Eq)]
enum PageAt {
    /// A page number (`page`).
    Number(u64),
    /// The cursor the previous page handed back (none for the first page).
    Cursor(Option<String>),
}

/// Where the page after the one at `at` starts, when there is one: never after an empty page;
/// by number while `result_info` says more pages follow; by cursor while `result_info.cursor`
/// hands back a new one.
fn next_page<T>(at: PageAt, page: &ApiResponse<Vec<T>>) -> Option<PageAt> {
    let len = page.result.len();
    let info = page.result_info.as_ref();
    if len == 0 {
        return None;
    }
    match at {
        PageAt::Number(number) => has_more(number, len, info).then_some(PageAt::Number(number + 1)),
        PageAt::Cursor(current) => {
            next_cursor(current.as_deref(), info).map(|c| PageAt::Cursor(Some(c)))
        }
    }
}

/// The cursor of the next page: `result_info.cursor` when it is a non-empty string other than
/// the current one (a server repeating a cursor would otherwise loop forever).
fn next_cursor(current: Option<&str>, info: Option<&serde_json::Value>) -> Option<String> {
    let cursor = info?.get("cursor")?.as_str()?;
    (!cursor.is_empty() && Some(cursor) != current).then(|| cursor.to_owned())
}

/// Whether another page follows page `page`, which held `len` items.
fn has_more(page: u64, len: usize, info: Option<&serde_json::Value>) -> bool {
    let number = |key: &str| {
        info.and_then(|i| i.get(key))
            .and_then(serde_json::Value::as_f64)
    };
    if let Some(total_pages) = number("total_pages") {
        return (page as f64) < total_pages;
    }
    match (number("total_count"), number("per_page")) {
        (Some(total), Some(per_page)) => (page as f64) * per_page < total,
        (None, Some(per_page)) => len as f64 >= per_page,
        _ => false,
    }
}

/// A fetch of a page by number, as a fetch of a page by where it starts.
fn numbered<R>(mut fetch: impl FnMut(u64) -> R) -> impl FnMut(&PageAt) -> R {
    move |at: &PageAt| match at {
        PageAt::Number(page) => fetch(*page),
        PageAt::Cursor(_) => fetch(1),
    }
}

/// A fetch of a page by cursor, as a fetch of a page by where it starts.
fn cursored<R>(mut fetch: impl FnMut(Option<String>) -> R) -> impl FnMut(&PageAt) -> R {
    move |at: &PageAt| match at {
        PageAt::Cursor(cursor) => fetch(cursor.clone()),
        PageAt::Number(_) => fetch(None),
    }
}

/// Every item of a paginated list operation, fetching the next page when the current one is
/// used up. Returned by the blocking client's `*_auto_paging` methods.
///
/// The iterator stops after a page that is empty or that `result_info` marks as the last one
/// (`total_pages`, or `total_count` with `per_page`, or a page shorter than `per_page`). An
/// error is returned once and ends the iteration.
///
/// Lists that page with a cursor instead (`result_info.cursor`) fetch the next page with the
/// cursor the last one handed back, until a page comes without one (or with the same one).
pub struct Pages<'a, T> {
    fetch: Box<FetchPage<'a, T>>,
    next: Option<PageAt>,
    items: std::vec::IntoIter<T>,
}

/// Fetches one page.
type FetchPage<'a, T> = dyn FnMut(&PageAt) -> Result<ApiResponse<Vec<T>>, Error> + 'a;

impl<T> fmt::Debug for Pages<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("next", &self.next)
            .field("buffered", &self.items.len())
            .finish()
    }
}

impl<'a, T: 'a> Pages<'a, T> {
    /// Starts at `first_page`; `fetch` gets one page by number.
    #[doc(hidden)]
    pub fn new(
        first_page: u64,
        fetch: impl FnMut(u64) -> Result<ApiResponse<Vec<T>>, Error> + 'a,
    ) -> Self {
        Pages {
            fetch: Box::new(numbered(fetch)),
            next: Some(PageAt::Number(first_page)),
            items: Vec::new().into_iter(),
        }
    }

    /// Starts at `first_cursor` (none: the first page); `fetch` gets the page a cursor names.
    #[doc(hidden)]
    pub fn with_cursor(
        first_cursor: Option<String>,
        fetch: impl FnMut(Option<String>) -> Result<ApiResponse<Vec<T>>, Error> + 'a,
    ) -> Self {
        Pages {
            fetch: Box::new(cursored(fetch)),
            next: Some(PageAt::Cursor(first_cursor)),
            items: Vec::new().into_iter(),
        }
    }
}

impl<T> Iterator for Pages<'_, T> {
    type Item = Result<T, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.items.next() {
                return Some(Ok(item));
            }
            let at = self.next.take()?;
            match (self.fetch)(&at) {
                Err(e) => return Some(Err(e)),
                Ok(page) => {
                    self.next = next_page(at, &page);
                    self.items = page.result.into_iter();
                }
            }
        }
    }
}

/// One page being fetched by the async client.
type PageFuture<'a, T> =
    Pin<Box<dyn Future<Output = Result<ApiResponse<Vec<T>>, Error>> + Send + 'a>>;

/// Starts fetching one page.
type FetchPageAsync<'a, T> = dyn FnMut(&PageAt) -> PageFuture<'a, T> + Send + 'a;

/// Every item of a paginated list operation, as a [`futures_core::Stream`] that fetches the
/// next page only when it is polled past the items it holds. Returned by the async client's
/// `*_auto_paging` methods; it stops where [`Pages`] stops, and an error ends it the same way.
///
/// Read it with any stream combinator (`futures::StreamExt`, `tokio_stream::StreamExt`), or
/// with its own [`next`](AsyncPages::next), which needs neither:
///
/// ```no_run
/// # async fn run(pages: cloudflare_access_keys::AsyncPages<'_, u64>) -> Result<(), cloudflare_access_keys::Error> {
/// let mut pages = pages;
/// while let Some(item) = pages.next().await {
///     println!("{}", item?);
/// }
/// # Ok(()) }
/// ```
///
/// Dropping it abandons the page being fetched.
pub struct AsyncPages<'a, T> {
    fetch: Box<FetchPageAsync<'a, T>>,
    next: Option<PageAt>,
    pending: Option<(PageAt, PageFuture<'a, T>)>,
    items: std::vec::IntoIter<T>,
}

// Nothing is pinned in place: the page being fetched is boxed.
impl<T> Unpin for AsyncPages<'_, T> {}

impl<T> fmt::Debug for AsyncPages<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncPages")
            .field("next", &self.next)
            .field("fetching", &self.pending.as_ref().map(|(at, _)| at))
            .field("buffered", &self.items.len())
            .finish()
    }
}

impl<'a, T: 'a> AsyncPages<'a, T> {
    /// Starts at `first_page`; `fetch` gets one page by number.
    #[doc(hidden)]
    pub fn new(first_page: u64, fetch: impl FnMut(u64) -> PageFuture<'a, T> + Send + 'a) -> Self {
        Self::starting(PageAt::Number(first_page), Box::new(numbered(fetch)))
    }

    /// Starts at `first_cursor` (none: the first page); `fetch` gets the page a cursor names.
    #[doc(hidden)]
    pub fn with_cursor(
        first_cursor: Option<String>,
        fetch: impl FnMut(Option<String>) -> PageFuture<'a, T> + Send + 'a,
    ) -> Self {
        Self::starting(PageAt::Cursor(first_cursor), Box::new(cursored(fetch)))
    }

    fn starting(at: PageAt, fetch: Box<FetchPageAsync<'a, T>>) -> Self {
        AsyncPages {
            fetch,
            next: Some(at),
            pending: None,
            items: Vec::new().into_iter(),
        }
    }
}

impl<T> AsyncPages<'_, T> {
    /// The next item, fetching the next page first when the ones held are used up; `None` at
    /// the end. The same as `StreamExt::next`.
    #[allow(clippy::should_implement_trait)]
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        std::future::poll_fn(|cx| self.poll_item(cx)).await
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T, Error>>> {
        loop {
            if let Some(item) = self.items.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            // The page being fetched, else the next one started, else the end.
            let (at, mut future) = match self.pending.take() {
                Some(pending) => pending,
                None => match self.next.take() {
                    Some(at) => {
                        let future = (self.fetch)(&at);
                        (at, future)
                    }
                    None => return Poll::Ready(None),
                },
            };
            match future.as_mut().poll(cx) {
                Poll::Pending => {
                    self.pending = Some((at, future));
                    return Poll::Pending;
                }
                Poll::Ready(Err(e)) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Ok(page)) => {
                    self.next = next_page(at, &page);
                    self.items = page.result.into_iter();
                }
            }
        }
    }
}

impl<T> futures_core::Stream for AsyncPages<'_, T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderMap;

    fn page<T>(items: Vec<T>, info: serde_json::Value) -> Result<ApiResponse<Vec<T>>, Error> {
        Ok(ApiResponse {
            status: 200,
            headers: HeaderMap::new(),
            result: items,
            messages: Vec::new(),
            errors: Vec::new(),
            result_info: Some(info),
        })
    }

    #[test]
    fn pages_walk_until_result_info_says_stop() {
        let fetched = std::cell::RefCell::new(Vec::new());
        let pages = Pages::new(1, |n| {
            fetched.borrow_mut().push(n);
            let items: Vec<u64> = (0..2).map(|i| n * 10 + i).collect();
            page(items, serde_json::json!({"page": n, "total_pages": 3}))
        });
        let all: Vec<u64> = pages.map(Result::unwrap).collect();
        assert_eq!(all, vec![10, 11, 20, 21, 30, 31]);
        assert_eq!(*fetched.borrow(), vec![1, 2, 3]);
        assert!(!has_more(1, 5, None));
        assert!(has_more(1, 20, Some(&serde_json::json!({"per_page": 20}))));
        assert!(!has_more(
            2,
            20,
            Some(&serde_json::json!({"per_page": 20, "total_count": 40}))
        ));
    }

    #[test]
    fn cursor_pages_follow_result_info_cursor_until_it_ends_or_repeats() {
        let fetched = std::cell::RefCell::new(Vec::new());
        let pages = Pages::with_cursor(None, |cursor| {
            fetched.borrow_mut().push(cursor.clone());
            let (items, next) = match cursor.as_deref() {
                None => (vec![1, 2], "c2"),
                Some("c2") => (vec![3], "c3"),
                _ => (vec![4], ""),
            };
            page(items, serde_json::json!({ "cursor": next }))
        });
        let all: Vec<u32> = pages.map(Result::unwrap).collect();
        assert_eq!(all, vec![1, 2, 3, 4]);
        assert_eq!(
            *fetched.borrow(),
            vec![None, Some("c2".to_owned()), Some("c3".to_owned())]
        );
        let info = serde_json::json!({"cursor": "same"});
        assert_eq!(next_cursor(Some("same"), Some(&info)), None);
        assert_eq!(next_cursor(None, Some(&info)).as_deref(), Some("same"));
    }

    #[test]
    fn async_pages_fetch_a_page_only_when_polled_past_the_items_held() {
        let fetched = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = std::sync::Arc::clone(&fetched);
        let mut pages = AsyncPages::new(1, move |n| {
            log.lock().unwrap().push(n);
            Box::pin(async move {
                page(
                    vec![n * 10, n * 10 + 1],
                    serde_json::json!({"total_pages": 2}),
                )
            })
        });
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        runtime.block_on(async {
            assert!(
                fetched.lock().unwrap().is_empty(),
                "nothing is fetched before polling"
            );
            assert_eq!(pages.next().await.unwrap().unwrap(), 10);
            assert_eq!(pages.next().await.unwrap().unwrap(), 11);
            assert_eq!(*fetched.lock().unwrap(), vec![1]);
            assert_eq!(pages.next().await.unwrap().unwrap(), 20);
            assert_eq!(pages.next().await.unwrap().unwrap(), 21);
            assert!(pages.next().await.is_none());
            assert!(pages.next().await.is_none());
        });
        assert_eq!(*fetched.lock().unwrap(), vec![1, 2]);
    }
}
