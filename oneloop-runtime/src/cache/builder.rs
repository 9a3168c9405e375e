//! Settings for a [`CachedVerifier`].

use std::time::Duration;

use super::verifier::CachedVerifier;
use crate::verify::Verify;

/// Settings for a [`CachedVerifier`].
#[derive(Debug, Clone)]
pub struct CachedVerifierBuilder {
    pub(crate) max_entries: u64,
    pub(crate) valid_ttl: Duration,
    pub(crate) invalid_ttl: Duration,
}

impl Default for CachedVerifierBuilder {
    fn default() -> Self {
        Self {
            max_entries: 10_000,
            valid_ttl: Duration::from_secs(30),
            invalid_ttl: Duration::from_secs(5),
        }
    }
}

impl CachedVerifierBuilder {
    /// Sets the most verdicts held at once; older ones are evicted past it. Default: 10,000.
    #[must_use]
    pub fn max_entries(mut self, max_entries: u64) -> Self {
        self.max_entries = max_entries;
        self
    }

    /// Sets how long a `VALID` verdict is served from the cache. This bounds how long a revoked
    /// key keeps passing when [`CachedVerifier::invalidate`] is not called. Default: 30 s.
    #[must_use]
    pub fn valid_ttl(mut self, ttl: Duration) -> Self {
        self.valid_ttl = ttl;
        self
    }

    /// Sets how long a rejecting verdict (`INVALID`, `EXPIRED`, `INVALID_SCOPES`, ...) is served
    /// from the cache. Default: 5 s.
    #[must_use]
    pub fn invalid_ttl(mut self, ttl: Duration) -> Self {
        self.invalid_ttl = ttl;
        self
    }

    /// Builds the cache in front of `verifier`.
    pub fn build<V: Verify>(self, verifier: V) -> CachedVerifier<V> {
        CachedVerifier::from_builder(self, verifier)
    }
}
