//! The verifier trait the guard calls.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::error::VerifyError;
use crate::scope::RequiredScope;
use crate::verdict::Verdict;

/// Usage to record against the key's billing meter on this call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Usage {
    /// The amount to record; sent to Oneloop as a string of decimal digits.
    pub amount: u64,
    /// The meter's name.
    pub meter: String,
}

/// A per-call rate limit for Oneloop to apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimitConfig {
    /// The limit's name.
    pub id: String,
    /// Calls allowed in the window; must be above zero.
    pub limit: u32,
}

/// One request to verify a key against a list of required scopes.
#[derive(Clone, Copy)]
pub struct VerifyRequest<'a> {
    key: &'a str,
    scopes: &'a [RequiredScope],
    route: Option<&'a str>,
    usage: Option<&'a Usage>,
    rate_limit: Option<&'a RateLimitConfig>,
}

impl<'a> VerifyRequest<'a> {
    /// Builds a request for `key`, without any `Bearer ` prefix, and the scopes it must hold.
    #[must_use]
    pub fn new(key: &'a str, scopes: &'a [RequiredScope]) -> Self {
        Self {
            key,
            scopes,
            route: None,
            usage: None,
            rate_limit: None,
        }
    }

    /// Sets the route being accessed, sent to Oneloop as `route`.
    #[must_use]
    pub fn with_route(mut self, route: &'a str) -> Self {
        self.route = Some(route);
        self
    }

    /// Sets usage to record on this call. A cache never serves or stores such a request.
    #[must_use]
    pub fn with_usage(mut self, usage: &'a Usage) -> Self {
        self.usage = Some(usage);
        self
    }

    /// Sets a rate limit to apply on this call. A cache never serves or stores such a request.
    #[must_use]
    pub fn with_rate_limit(mut self, rate_limit: &'a RateLimitConfig) -> Self {
        self.rate_limit = Some(rate_limit);
        self
    }

    /// Returns the caller's key. Never log it.
    #[must_use]
    pub fn key(&self) -> &'a str {
        self.key
    }

    /// Returns the scopes the key must hold.
    #[must_use]
    pub fn scopes(&self) -> &'a [RequiredScope] {
        self.scopes
    }

    /// Returns the route, if set.
    #[must_use]
    pub fn route(&self) -> Option<&'a str> {
        self.route
    }

    /// Returns the usage to record, if set.
    #[must_use]
    pub fn usage(&self) -> Option<&'a Usage> {
        self.usage
    }

    /// Returns the rate limit to apply, if set.
    #[must_use]
    pub fn rate_limit(&self) -> Option<&'a RateLimitConfig> {
        self.rate_limit
    }

    /// Returns whether the call changes what the verifier counts, so it must reach the verifier.
    #[must_use]
    pub fn has_side_effects(&self) -> bool {
        self.usage.is_some() || self.rate_limit.is_some()
    }
}

impl fmt::Debug for VerifyRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifyRequest")
            .field("key", &"<redacted>")
            .field("scopes", &self.scopes)
            .field("route", &self.route)
            .field("usage", &self.usage)
            .field("rate_limit", &self.rate_limit)
            .finish()
    }
}

/// Decides whether a key may pass with a list of required scopes.
///
/// Implemented by [`Oneloop`](crate::Oneloop), [`LocalVerifier`](crate::LocalVerifier) and
/// [`CachedVerifier`](crate::CachedVerifier); implement it for your own verifier with an
/// `async fn`:
///
/// ```
/// use oneloop_runtime::{KeyStatus, Verdict, Verify, VerifyError, VerifyRequest};
///
/// struct AllowOne;
///
/// impl Verify for AllowOne {
///     async fn verify(&self, request: VerifyRequest<'_>) -> Result<Verdict, VerifyError> {
///         let status = if request.key() == "let-me-in" { KeyStatus::Valid } else { KeyStatus::Invalid };
///         Ok(Verdict::new(status))
///     }
/// }
/// ```
pub trait Verify: Send + Sync + 'static {
    /// Verifies one key. A bad key is an `Ok` verdict; an `Err` means no decision was reached.
    fn verify(
        &self,
        request: VerifyRequest<'_>,
    ) -> impl Future<Output = Result<Verdict, VerifyError>> + Send;

    /// Returns the verdict without waiting when it is already at hand, as in an in-memory store
    /// or on a cache hit, and `None` when [`verify`](Self::verify) must run.
    ///
    /// The guard calls this first and skips allocating a future when it returns a verdict. When it
    /// returns a verdict, that verdict must be the one `verify` would give. The default returns
    /// `None`.
    fn verify_now(&self, request: &VerifyRequest<'_>) -> Option<Result<Verdict, VerifyError>> {
        let _ = request;
        None
    }
}

/// A boxed verification future.
pub(crate) type VerifyFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Verdict, VerifyError>> + Send + 'a>>;

/// The object-safe form of [`Verify`], so a router can hold any verifier behind one pointer.
pub(crate) trait DynVerify: Send + Sync + 'static {
    fn verify_now(&self, request: &VerifyRequest<'_>) -> Option<Result<Verdict, VerifyError>>;

    fn verify_boxed<'a>(&'a self, request: VerifyRequest<'a>) -> VerifyFuture<'a>;
}

impl<V: Verify> DynVerify for V {
    fn verify_now(&self, request: &VerifyRequest<'_>) -> Option<Result<Verdict, VerifyError>> {
        Verify::verify_now(self, request)
    }

    fn verify_boxed<'a>(&'a self, request: VerifyRequest<'a>) -> VerifyFuture<'a> {
        Box::pin(self.verify(request))
    }
}

impl<V: Verify> Verify for Arc<V> {
    fn verify(
        &self,
        request: VerifyRequest<'_>,
    ) -> impl Future<Output = Result<Verdict, VerifyError>> + Send {
        V::verify(self, request)
    }

    fn verify_now(&self, request: &VerifyRequest<'_>) -> Option<Result<Verdict, VerifyError>> {
        V::verify_now(self, request)
    }
}
