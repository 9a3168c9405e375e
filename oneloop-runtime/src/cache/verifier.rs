//! The caching verifier.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use moka::Expiry;
use moka::sync::Cache;

use super::builder::CachedVerifierBuilder;
use super::in_flight::InFlight;
use super::key::CacheKey;
use crate::error::VerifyError;
use crate::local::KeyDigest;
use crate::scope::RequiredScope;
use crate::unix_time;
use crate::verdict::{KeyStatus, Verdict};
use crate::verify::{Verify, VerifyRequest};

/// A verifier that remembers verdicts for a bounded time and shares concurrent verifications.
///
/// - Verdicts are keyed by a SHA-256 digest of the key plus the required scopes; the plain key
///   is never stored.
/// - `VALID` verdicts are kept for the valid TTL (default 30 s) and rejecting verdicts for the
///   invalid TTL (default 5 s). A revoked key therefore keeps passing for at most the valid TTL,
///   unless [`invalidate`](Self::invalidate) is called, which takes effect at once.
/// - A verdict that reports the key's expiry is kept no longer than until then.
/// - Verifier errors are never cached, nor are `RATE_LIMITED` and `USAGE_LIMITED` verdicts or any
///   verdict that carries rate-limit information.
/// - Requests that record usage or carry a rate limit ([`VerifyRequest::has_side_effects`])
///   always reach the inner verifier, so Oneloop counts every such call.
/// - Concurrent misses for the same key and scopes share one call to the inner verifier. That
///   call runs on its own Tokio task, so callers that go away do not cancel it for the others.
///   It sends the route of the request that started it, so the routes of callers that join it
///   or hit the cache never reach the inner verifier.
///
/// # Panics
///
/// Verifying on a cache miss panics outside a Tokio runtime, because the shared call runs on a
/// Tokio task.
pub struct CachedVerifier<V> {
    pub(super) inner: Arc<Inner<V>>,
}

impl<V> Clone for CachedVerifier<V> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
        }
    }
}

pub(super) struct Inner<V> {
    pub(super) verifier: V,
    verdicts: Cache<CacheKey, Arc<Entry>>,
    pub(super) in_flight: Mutex<HashMap<CacheKey, InFlight>>,
    pub(super) next_call_id: AtomicU64,
    valid_ttl: Duration,
    invalid_ttl: Duration,
}

struct Entry {
    scopes: Box<[RequiredScope]>,
    verdict: Verdict,
    ttl: Duration,
}

struct EntryExpiry;

impl Expiry<CacheKey, Arc<Entry>> for EntryExpiry {
    fn expire_after_create(
        &self,
        _: &CacheKey,
        entry: &Arc<Entry>,
        _: Instant,
    ) -> Option<Duration> {
        Some(entry.ttl)
    }
}

impl CachedVerifier<()> {
    /// Starts a builder for cache settings: `CachedVerifier::builder().valid_ttl(..).build(inner)`.
    #[must_use]
    pub fn builder() -> CachedVerifierBuilder {
        CachedVerifierBuilder::default()
    }
}

impl<V: Verify> CachedVerifier<V> {
    /// Builds a cache with default settings in front of `verifier`.
    pub fn new(verifier: V) -> Self {
        CachedVerifierBuilder::default().build(verifier)
    }

    pub(crate) fn from_builder(settings: CachedVerifierBuilder, verifier: V) -> Self {
        let verdicts = Cache::builder()
            .max_capacity(settings.max_entries)
            .expire_after(EntryExpiry)
            .support_invalidation_closures()
            .build();
        Self {
            inner: Arc::new(Inner {
                verifier,
                verdicts,
                in_flight: Mutex::new(HashMap::new()),
                next_call_id: AtomicU64::new(0),
                valid_ttl: settings.valid_ttl,
                invalid_ttl: settings.invalid_ttl,
            }),
        }
    }

    /// Drops every cached verdict for `key` and stops verifications already running for it from
    /// storing theirs or being joined. The next request with the key reaches the inner verifier.
    pub fn invalidate(&self, key: &str) {
        let digest = KeyDigest::of(key);
        // Cancel running calls before registering the predicate below, so that a call either
        // reads the flag before storing or stores an entry the predicate covers.
        self.lock_in_flight().retain(|cache_key, call| {
            let matches = cache_key.key == digest;
            if matches {
                call.cancel();
            }
            !matches
        });
        // Only fails when closures are not enabled, and the builder enables them.
        let _ = self
            .inner
            .verdicts
            .invalidate_entries_if(move |cache_key, _| cache_key.key == digest);
    }

    /// Returns how many verdicts the cache holds, after pending evictions.
    #[must_use]
    pub fn entry_count(&self) -> u64 {
        self.inner.verdicts.run_pending_tasks();
        self.inner.verdicts.entry_count()
    }

    /// Returns the inner verifier.
    #[must_use]
    pub fn get_ref(&self) -> &V {
        &self.inner.verifier
    }

    pub(super) fn lock_in_flight(&self) -> MutexGuard<'_, HashMap<CacheKey, InFlight>> {
        self.inner
            .in_flight
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl<V: Verify> Verify for CachedVerifier<V> {
    async fn verify(&self, request: VerifyRequest<'_>) -> Result<Verdict, VerifyError> {
        if request.has_side_effects() {
            return self.inner.verifier.verify(request).await;
        }
        let cache_key = CacheKey::new(request.key(), request.scopes());
        match self.cached(&cache_key, &request) {
            Some(verdict) => Ok(verdict),
            None => self.shared_call(cache_key, &request).await,
        }
    }

    /// Returns the cached verdict only. A miss returns `None`, so that `verify` shares the call.
    fn verify_now(&self, request: &VerifyRequest<'_>) -> Option<Result<Verdict, VerifyError>> {
        if request.has_side_effects() {
            return None;
        }
        let cache_key = CacheKey::new(request.key(), request.scopes());
        self.cached(&cache_key, request).map(Ok)
    }
}

impl<V: Verify> CachedVerifier<V> {
    /// Returns the cached verdict for this key and these exact scopes, if there is one.
    fn cached(&self, cache_key: &CacheKey, request: &VerifyRequest<'_>) -> Option<Verdict> {
        let entry = self.inner.verdicts.get(cache_key)?;
        (*entry.scopes == *request.scopes()).then(|| entry.verdict.clone())
    }
}

impl<V: Verify> CachedVerifier<V> {
    /// Stores a verdict unless `cancelled` was set by an `invalidate` for its key.
    pub(super) fn store(
        &self,
        cache_key: CacheKey,
        cancelled: &AtomicBool,
        scopes: Box<[RequiredScope]>,
        verdict: &Verdict,
    ) {
        let Some(ttl) = self.ttl_for(verdict) else {
            return;
        };
        if cancelled.load(Ordering::SeqCst) {
            return;
        }
        let entry = Arc::new(Entry {
            scopes,
            verdict: verdict.clone(),
            ttl,
        });
        self.inner.verdicts.insert(cache_key, entry);
        // An `invalidate` between the check above and the insert registered its predicate before
        // this entry existed, so the predicate does not cover it: remove it here.
        if cancelled.load(Ordering::SeqCst) {
            self.inner.verdicts.invalidate(&cache_key);
        }
    }

    /// Returns how long `verdict` may be served, or `None` if it must not be cached.
    fn ttl_for(&self, verdict: &Verdict) -> Option<Duration> {
        if verdict.rate_limit().is_some() {
            return None;
        }
        let ttl = match verdict.status() {
            KeyStatus::Valid => self.inner.valid_ttl,
            KeyStatus::RateLimited | KeyStatus::UsageLimited => return None,
            _ => self.inner.invalid_ttl,
        };
        // A key that expires sooner than the TTL must stop passing when it expires.
        let until_expiry = verdict.details().expires_at.and_then(unix_time::until);
        match until_expiry {
            Some(left) if left.is_zero() => None,
            Some(left) => Some(ttl.min(left)),
            None => Some(ttl),
        }
    }
}

impl<V: fmt::Debug> fmt::Debug for CachedVerifier<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachedVerifier")
            .field("verifier", &self.inner.verifier)
            .field("valid_ttl", &self.inner.valid_ttl)
            .field("invalid_ttl", &self.inner.invalid_ttl)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::local::{LocalKey, LocalVerifier};
    use crate::scope::{GrantedScope, Permissions};
    use crate::verify::Usage;

    const PROFILE_READ: [RequiredScope; 1] = [RequiredScope::new("profile", Permissions::READ)];

    fn cache() -> CachedVerifier<LocalVerifier> {
        let key = LocalKey::new("k1", KeyDigest::of("sk_1"))
            .scope(GrantedScope::new("profile", Permissions::READ));
        CachedVerifier::new(LocalVerifier::new([key]).unwrap())
    }

    #[tokio::test]
    async fn verify_now_answers_only_hits() {
        let cache = cache();
        let request = VerifyRequest::new("sk_1", &PROFILE_READ);
        assert!(cache.verify_now(&request).is_none());

        let verified = cache.verify(request).await.unwrap();
        let now = cache.verify_now(&request).unwrap().unwrap();

        assert_eq!(now, verified);
        assert!(now.status().is_valid());
    }

    #[tokio::test]
    async fn verify_now_skips_calls_with_side_effects() {
        let cache = cache();
        let plain = VerifyRequest::new("sk_1", &PROFILE_READ);
        cache.verify(plain).await.unwrap();
        let usage = Usage {
            amount: 1,
            meter: "calls".to_owned(),
        };
        assert!(cache.verify_now(&plain.with_usage(&usage)).is_none());
    }

    #[tokio::test]
    async fn verify_now_checks_exact_scopes() {
        let cache = cache();
        cache
            .verify(VerifyRequest::new("sk_1", &PROFILE_READ))
            .await
            .unwrap();
        let other = [RequiredScope::new("profile", Permissions::UPDATE)];
        assert!(
            cache
                .verify_now(&VerifyRequest::new("sk_1", &other))
                .is_none()
        );
    }
}
