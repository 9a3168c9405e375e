//! The caching verifier.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use futures_util::FutureExt;
use futures_util::future::{BoxFuture, Shared};
use moka::Expiry;
use moka::sync::Cache;

use super::builder::CachedVerifierBuilder;
use super::key::CacheKey;
use crate::error::VerifyError;
use crate::local::KeyDigest;
use crate::scope::RequiredScope;
use crate::verdict::{KeyStatus, Verdict};
use crate::verify::{Verify, VerifyRequest};

/// A verifier that remembers verdicts for a bounded time and shares concurrent verifications.
///
/// - Verdicts are keyed by a SHA-256 digest of the key plus the required scopes; the plain key
///   is never stored.
/// - `VALID` verdicts are kept for the valid TTL (default 30 s) and rejecting verdicts for the
///   invalid TTL (default 5 s). A revoked key therefore keeps passing for at most the valid TTL,
///   unless [`invalidate`](Self::invalidate) is called, which takes effect at once.
/// - Verifier errors are never cached, nor are `RATE_LIMITED` and `USAGE_LIMITED` verdicts or any
///   verdict that carries rate-limit information.
/// - Requests that record usage or carry a rate limit ([`VerifyRequest::has_side_effects`])
///   always reach the inner verifier, so Oneloop counts every such call.
/// - Concurrent misses for the same key and scopes share one call to the inner verifier. That
///   call runs on its own Tokio task, so callers that go away do not cancel it for the others.
///   It sends the route of the request that started it, so the routes of callers that join it
///   or hit the cache never reach the inner verifier.
///
/// Needs a Tokio runtime.
pub struct CachedVerifier<V> {
    inner: Arc<Inner<V>>,
}

impl<V> Clone for CachedVerifier<V> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
        }
    }
}

struct Inner<V> {
    verifier: V,
    verdicts: Cache<CacheKey, Arc<Entry>>,
    in_flight: Mutex<HashMap<CacheKey, InFlight>>,
    /// Bumped by every `invalidate`, so a verification that started before it does not store
    /// its verdict or let later callers join it.
    epoch: AtomicU64,
    next_call_id: AtomicU64,
    valid_ttl: Duration,
    invalid_ttl: Duration,
}

struct Entry {
    scopes: Box<[RequiredScope]>,
    verdict: Verdict,
    ttl: Duration,
}

type SharedVerdict = Shared<BoxFuture<'static, Result<Verdict, VerifyError>>>;

struct InFlight {
    id: u64,
    epoch: u64,
    scopes: Box<[RequiredScope]>,
    verdict: SharedVerdict,
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
                epoch: AtomicU64::new(0),
                next_call_id: AtomicU64::new(0),
                valid_ttl: settings.valid_ttl,
                invalid_ttl: settings.invalid_ttl,
            }),
        }
    }

    /// Drops every cached verdict for `key` and stops verifications already running for it from
    /// storing theirs. The next request with the key reaches the inner verifier.
    pub fn invalidate(&self, key: &str) {
        let digest = KeyDigest::of(key);
        self.inner.epoch.fetch_add(1, Ordering::SeqCst);
        self.lock_in_flight()
            .retain(|cache_key, _| cache_key.key != digest);
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

    fn lock_in_flight(&self) -> std::sync::MutexGuard<'_, HashMap<CacheKey, InFlight>> {
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
        if let Some(entry) = self.inner.verdicts.get(&cache_key) {
            if *entry.scopes == *request.scopes() {
                return Ok(entry.verdict.clone());
            }
        }
        self.shared_call(cache_key, &request).await
    }
}

impl<V: Verify> CachedVerifier<V> {
    /// Joins the running verification for this key and scopes, or starts one.
    fn shared_call(&self, cache_key: CacheKey, request: &VerifyRequest<'_>) -> SharedVerdict {
        let mut in_flight = self.lock_in_flight();
        let epoch = self.inner.epoch.load(Ordering::SeqCst);
        if let Some(call) = in_flight.get(&cache_key) {
            if call.epoch == epoch && *call.scopes == *request.scopes() {
                return call.verdict.clone();
            }
        }
        let id = self.inner.next_call_id.fetch_add(1, Ordering::Relaxed);
        let scopes: Box<[RequiredScope]> = request.scopes().into();
        let verdict = self.spawn_call(
            cache_key,
            id,
            epoch,
            request.key().to_owned(),
            scopes.clone(),
            request.route().map(str::to_owned),
        );
        let call = InFlight {
            id,
            epoch,
            scopes,
            verdict: verdict.clone(),
        };
        in_flight.insert(cache_key, call);
        verdict
    }

    fn spawn_call(
        &self,
        cache_key: CacheKey,
        id: u64,
        epoch: u64,
        key: String,
        scopes: Box<[RequiredScope]>,
        route: Option<String>,
    ) -> SharedVerdict {
        let cache = self.clone();
        let task = tokio::spawn(async move {
            let mut request = VerifyRequest::new(&key, &scopes);
            if let Some(route) = &route {
                request = request.with_route(route);
            }
            let result = cache.inner.verifier.verify(request).await;
            if let Ok(verdict) = &result {
                cache.store(cache_key, epoch, scopes, verdict);
            }
            cache.finish_call(cache_key, id);
            result
        });
        task.map(|joined| {
            joined.unwrap_or_else(|error| {
                Err(VerifyError::unavailable(format!(
                    "verification task failed: {error}"
                )))
            })
        })
        .boxed()
        .shared()
    }

    /// Stores a verdict unless an `invalidate` ran since the verification started.
    fn store(
        &self,
        cache_key: CacheKey,
        epoch: u64,
        scopes: Box<[RequiredScope]>,
        verdict: &Verdict,
    ) {
        let Some(ttl) = self.ttl_for(verdict) else {
            return;
        };
        if self.inner.epoch.load(Ordering::SeqCst) != epoch {
            return;
        }
        let entry = Arc::new(Entry {
            scopes,
            verdict: verdict.clone(),
            ttl,
        });
        self.inner.verdicts.insert(cache_key, entry);
        // An `invalidate` between the check above and the insert must still win.
        if self.inner.epoch.load(Ordering::SeqCst) != epoch {
            self.inner.verdicts.invalidate(&cache_key);
        }
    }

    fn ttl_for(&self, verdict: &Verdict) -> Option<Duration> {
        if verdict.rate_limit().is_some() {
            return None;
        }
        match verdict.status() {
            KeyStatus::Valid => Some(self.inner.valid_ttl),
            KeyStatus::RateLimited | KeyStatus::UsageLimited => None,
            _ => Some(self.inner.invalid_ttl),
        }
    }

    fn finish_call(&self, cache_key: CacheKey, id: u64) {
        let mut in_flight = self.lock_in_flight();
        if in_flight.get(&cache_key).is_some_and(|call| call.id == id) {
            in_flight.remove(&cache_key);
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
