//! Verifying keys over HTTP with the hosted Oneloop service.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::header::{AUTHORIZATION, RETRY_AFTER};
use http::{HeaderValue, StatusCode};

use super::builder::{API_KEY_VAR, BASE_URL_VAR, BuildError, OneloopBuilder};
use super::wire::{WireError, WireRequest, WireResponse};
use crate::error::VerifyError;
use crate::verdict::Verdict;
use crate::verify::{Verify, VerifyRequest};

/// The Oneloop verify client: one pooled connection set, cheap to clone.
///
/// ```no_run
/// # fn main() -> Result<(), oneloop_runtime::BuildError> {
/// use std::time::Duration;
/// use oneloop_runtime::Oneloop;
///
/// let from_env = Oneloop::from_env()?;
/// let from_code = Oneloop::builder("sk_live_...")
///     .timeout(Duration::from_secs(2))
///     .build()?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Oneloop {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    verify_url: reqwest::Url,
    authorization: HeaderValue,
}

impl fmt::Debug for Oneloop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Oneloop")
            .field("verify_url", &self.inner.verify_url.as_str())
            .field("sdk_key", &"<redacted>")
            .finish()
    }
}

impl Oneloop {
    /// Builds a client for the hosted service with default settings.
    ///
    /// # Errors
    ///
    /// See [`OneloopBuilder::build`].
    pub fn new(sdk_key: impl Into<String>) -> Result<Self, BuildError> {
        Self::builder(sdk_key).build()
    }

    /// Starts a builder for a client with `sdk_key`.
    pub fn builder(sdk_key: impl Into<String>) -> OneloopBuilder {
        OneloopBuilder::new(sdk_key.into())
    }

    /// Builds a client from `ONELOOP_API_KEY` and, if set, `ONELOOP_BASE_URL`.
    ///
    /// # Errors
    ///
    /// [`BuildError::MissingApiKey`] when `ONELOOP_API_KEY` is unset, and the errors of
    /// [`OneloopBuilder::build`].
    pub fn from_env() -> Result<Self, BuildError> {
        let sdk_key = std::env::var(API_KEY_VAR).map_err(|_| BuildError::MissingApiKey)?;
        let mut builder = Self::builder(sdk_key);
        if let Ok(base_url) = std::env::var(BASE_URL_VAR) {
            builder = builder.base_url(base_url);
        }
        builder.build()
    }

    pub(crate) fn from_parts(
        http: reqwest::Client,
        verify_url: reqwest::Url,
        authorization: HeaderValue,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                http,
                verify_url,
                authorization,
            }),
        }
    }

    async fn send(&self, request: &VerifyRequest<'_>) -> Result<Verdict, VerifyError> {
        let body = serde_json::to_vec(&WireRequest::new(request))
            .map_err(|error| VerifyError::misconfigured(format!("encoding request: {error}")))?;
        let response = self
            .inner
            .http
            .post(self.inner.verify_url.clone())
            .header(AUTHORIZATION, self.inner.authorization.clone())
            .header(http::header::CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await
            .map_err(transport_error)?;
        let status = response.status();
        let retry_after = retry_after(response.headers());
        let bytes = read_body(response).await?;
        // Oneloop responds 200 for every key, good or bad, so any other 2xx is not the documented
        // response.
        if status == StatusCode::OK {
            return decode_verdict(&bytes);
        }
        Err(status_error(status, &bytes, retry_after))
    }

    /// Returns the SDK key from the prepared `Authorization` header.
    fn sdk_key(&self) -> Option<&str> {
        self.inner
            .authorization
            .to_str()
            .ok()?
            .strip_prefix("Bearer ")
    }
}

impl Verify for Oneloop {
    async fn verify(&self, request: VerifyRequest<'_>) -> Result<Verdict, VerifyError> {
        // Oneloop's error messages may quote the request or the SDK key, and they go to logs.
        self.send(&request).await.map_err(|error| {
            let error = error.redact(request.key());
            match self.sdk_key() {
                Some(sdk_key) => error.redact(sdk_key),
                None => error,
            }
        })
    }
}

/// The largest response body read from Oneloop. A verify response is well under 4 KiB, so a
/// larger one is not the documented JSON, and reading it whole would let a broken proxy make
/// every request hold megabytes.
const MAX_RESPONSE_BYTES: usize = 64 * 1024;

async fn read_body(mut response: reqwest::Response) -> Result<Vec<u8>, VerifyError> {
    let too_large = || {
        VerifyError::unavailable(format!(
            "Oneloop response body is larger than {MAX_RESPONSE_BYTES} bytes"
        ))
    };
    let declared = response.content_length().unwrap_or(0);
    if declared > MAX_RESPONSE_BYTES as u64 {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(transport_error)? {
        if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn decode_verdict(body: &[u8]) -> Result<Verdict, VerifyError> {
    match WireResponse::parse(body) {
        Ok(response) => Ok(response.into_verdict()),
        Err(error) => Err(VerifyError::unavailable(format!(
            "Oneloop responded 200 with a body that is not the documented JSON: {error}"
        ))),
    }
}

/// Maps a non-2xx response. A redirect (never followed, since it would resend the caller's key)
/// or a 4xx other than 408 and 429 means this service is misconfigured. Everything else,
/// 408, 429, 5xx and a 2xx other than 200 included, means Oneloop is unavailable for now.
fn status_error(status: StatusCode, body: &[u8], retry_after: Option<Duration>) -> VerifyError {
    let message = WireError::message(body).unwrap_or_else(|| "no error message".to_owned());
    if status.is_redirection() {
        return VerifyError::misconfigured(format!(
            "Oneloop responded {status}, a redirect; check the base URL (ONELOOP_BASE_URL)"
        ));
    }
    let transient = status.is_server_error()
        || status == StatusCode::TOO_MANY_REQUESTS
        || status == StatusCode::REQUEST_TIMEOUT;
    if !transient && status.is_client_error() {
        return VerifyError::misconfigured(format!("Oneloop responded {status}: {message}"));
    }
    let error = VerifyError::unavailable(format!("Oneloop responded {status}: {message}"));
    match retry_after {
        Some(delay) => error.with_retry_after(delay),
        None => error,
    }
}

fn transport_error(error: reqwest::Error) -> VerifyError {
    let what = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "connection failed"
    } else {
        "request failed"
    };
    VerifyError::unavailable(format!("Oneloop {what}: {error}"))
}

fn retry_after(headers: &http::HeaderMap) -> Option<Duration> {
    let seconds = headers
        .get(RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    Some(Duration::from_secs(seconds))
}
