//! The future of an async operation ([`Call`]): the transport's exchange, then the decoding of
//! what it brought back, in one plain struct. Each `async fn` layer would hold its own copy of
//! the layer below (arguments and awaited futures are not laid over each other), which made
//! the future of one call about 4.8 KB and had it copied on every move and poll; a `Call` is
//! the size of the exchange plus a function pointer.

use crate::error::Error;
use crate::request::Request;
use crate::response::ApiResponse;
use crate::transport::RawResponse;
use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

/// What the transport's exchange resolves to: the request (for the decoder's messages) and
/// the response, or why there is none.
#[doc(hidden)]
pub type Exchanged = Result<(Request, RawResponse), Error>;

/// How a call reads its answer: one of the decoders of `response.rs`.
#[doc(hidden)]
pub type Decode<T> = fn(&Request, RawResponse) -> Result<T, Error>;

pin_project_lite::pin_project! {
    /// An operation's future on the async client: sends the request (with the client's retries
    /// and deadlines), then decodes the response with `decode`. Dropping it abandons the call.
    #[doc(hidden)]
    #[must_use = "a call does nothing unless it is awaited"]
    pub struct Call<F, T> {
        #[pin]
        exchange: F,
        decode: Decode<T>,
    }
}

impl<F, T> Call<F, T> {
    /// The call that sends through `exchange` and decodes with `decode`.
    pub(crate) fn new(exchange: F, decode: Decode<T>) -> Self {
        Call { exchange, decode }
    }
}

impl<F, T> Call<F, ApiResponse<T>> {
    /// The same call resolving to the response's `result` only: what an operation's plain
    /// method returns, where its `*_with_response` twin returns the whole [`ApiResponse`].
    pub fn result(self) -> ResultOf<F, T> {
        ResultOf { call: self }
    }
}

impl<F: Future<Output = Exchanged>, T> Future for Call<F, T> {
    type Output = Result<T, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let (request, raw) = ready!(this.exchange.poll(cx))?;
        Poll::Ready((this.decode)(&request, raw))
    }
}

pin_project_lite::pin_project! {
    /// A [`Call`] resolving to its response's `result` ([`Call::result`]). The decoder and
    /// this wrapper are plain types, not closures, so that an operation costs the compiler no
    /// trait solving of its own.
    #[doc(hidden)]
    #[must_use = "a call does nothing unless it is awaited"]
    pub struct ResultOf<F, T> {
        #[pin]
        call: Call<F, ApiResponse<T>>,
    }
}

impl<F: Future<Output = Exchanged>, T> Future for ResultOf<F, T> {
    type Output = Result<T, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let response = ready!(self.project().call.poll(cx))?;
        Poll::Ready(Ok(response.result))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::future::ready as done;

    fn raw(body: &'static str) -> RawResponse {
        RawResponse {
            status: 200,
            headers: Default::default(),
            body: bytes::Bytes::from_static(body.as_bytes()),
        }
    }

    fn request() -> Request {
        Request::new(reqwest::Method::GET, "/x".to_owned())
    }

    fn block_on<T>(future: impl Future<Output = T>) -> T {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime")
            .block_on(future)
    }

    #[test]
    fn decodes_what_the_exchange_brought_back() {
        let call = Call::new(
            done(Ok((request(), raw("7")))),
            crate::response::json::<i64>,
        );
        let response = block_on(call).expect("decoded");
        assert_eq!((response.status, response.result), (200, 7));
        let call = Call::new(
            done(Ok((request(), raw("7")))),
            crate::response::json::<i64>,
        );
        assert_eq!(block_on(call.result()).expect("decoded"), 7);
    }

    #[test]
    fn passes_the_exchange_error_through_without_decoding() {
        let failed: Exchanged = Err(Error::Config("not sent".to_owned()));
        fn never(_: &Request, _: RawResponse) -> Result<i64, Error> {
            panic!("nothing to decode")
        }
        let call = Call::new(done(failed), never);
        assert!(matches!(block_on(call), Err(Error::Config(m)) if m == "not sent"));
    }

    #[test]
    fn a_decode_error_keeps_the_body() {
        let call = Call::new(
            done(Ok((request(), raw("\"x\"")))),
            crate::response::json::<i64>,
        );
        match block_on(call) {
            Err(Error::Decode(e)) => assert_eq!(e.body, "\"x\""),
            other => panic!("expected a decode error, got {other:?}"),
        }
    }
}
