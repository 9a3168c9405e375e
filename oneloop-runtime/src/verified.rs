//! The extractor a protected handler takes to learn who called.

use std::collections::BTreeMap;

use axum::extract::FromRequestParts;
use axum::response::{IntoResponse, Response};
use http::request::Parts;

use crate::failure_log::MISSING_GUARD;
use crate::guard::route;
use crate::layer::shared_for;
use crate::rejection::Rejection;
use crate::scope::GrantedScope;
use crate::verdict::{RateLimit, Verdict};

/// The key that passed the `#[oneloop]` check on this request.
///
/// Take it as any argument after the ones that need the request body's absence:
///
/// ```
/// use oneloop_runtime::{VerifiedKey, oneloop};
///
/// #[oneloop(scope = "profile", read)]
/// async fn show_profile(key: VerifiedKey) -> String {
///     format!("hello, {}", key.customer_id().unwrap_or("anonymous"))
/// }
/// ```
///
/// On a handler without `#[oneloop]` it responds 500 and logs an error, because no check ran.
#[derive(Debug, Clone)]
pub struct VerifiedKey {
    verdict: Verdict,
}

impl VerifiedKey {
    pub(crate) fn new(verdict: Verdict) -> Self {
        Self { verdict }
    }

    /// Returns the key's id, if the verifier reported one.
    #[must_use]
    pub fn key_id(&self) -> Option<&str> {
        self.verdict.key_id()
    }

    /// Returns the customer the key belongs to, if the verifier reported one.
    #[must_use]
    pub fn customer_id(&self) -> Option<&str> {
        self.verdict.customer_id()
    }

    /// Returns the scopes the key holds.
    #[must_use]
    pub fn scopes(&self) -> &[GrantedScope] {
        self.verdict.scopes()
    }

    /// Returns the key's metadata.
    #[must_use]
    pub fn metadata(&self) -> &BTreeMap<String, String> {
        self.verdict.metadata()
    }

    /// Returns the rate-limit information, if the verifier applied a rate limit.
    #[must_use]
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.verdict.rate_limit()
    }

    /// Returns the whole verdict.
    #[must_use]
    pub fn verdict(&self) -> &Verdict {
        &self.verdict
    }
}

impl<State: Send + Sync> FromRequestParts<State> for VerifiedKey {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &State) -> Result<Self, Response> {
        if let Some(key) = parts.extensions.get::<Self>() {
            return Ok(key.clone());
        }
        MISSING_GUARD.record_setup(
            route(parts),
            "VerifiedKey is taken by a handler without #[oneloop]; add the attribute; answering 500",
        );
        let response = match shared_for(&parts.extensions) {
            Some(shared) => shared.respond(Rejection::MissingGuard),
            None => Rejection::MissingGuard.into_response(),
        };
        Err(response)
    }
}
