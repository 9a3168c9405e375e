//! Verifications shared by concurrent cache misses for the same key and scopes.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use futures_util::FutureExt;
use futures_util::future::{BoxFuture, Shared};

use super::key::CacheKey;
use super::verifier::CachedVerifier;
use crate::error::VerifyError;
use crate::scope::RequiredScope;
use crate::verdict::Verdict;
use crate::verify::{Verify, VerifyRequest};

pub(super) type SharedVerdict = Shared<BoxFuture<'static, Result<Verdict, VerifyError>>>;

/// A verification running on its own task, which later misses may join.
pub(super) struct InFlight {
    id: u64,
    scopes: Box<[RequiredScope]>,
    /// Set by `invalidate`: the call must not store its verdict.
    cancelled: Arc<AtomicBool>,
    verdict: SharedVerdict,
}

impl InFlight {
    pub(super) fn cancel(&self) {
        self.cancelled.store(true, Ordering::SeqCst);
    }

    /// Returns whether a miss for `scopes` may wait for this call's verdict.
    fn can_join(&self, scopes: &[RequiredScope]) -> bool {
        *self.scopes == *scopes && self.verdict.peek().is_none()
    }
}

/// The owned inputs of a spawned call, which outlives the request that started it.
struct Call {
    cache_key: CacheKey,
    id: u64,
    key: String,
    scopes: Box<[RequiredScope]>,
    route: Option<String>,
    cancelled: Arc<AtomicBool>,
}

/// Removes a call from the in-flight map when its task ends, whether it returns, panics or is
/// cancelled, so no later miss waits on a call that will never return again.
struct Finish<V: Verify> {
    cache: CachedVerifier<V>,
    cache_key: CacheKey,
    id: u64,
}

impl<V: Verify> Drop for Finish<V> {
    fn drop(&mut self) {
        let mut in_flight = self.cache.lock_in_flight();
        if in_flight
            .get(&self.cache_key)
            .is_some_and(|call| call.id == self.id)
        {
            in_flight.remove(&self.cache_key);
        }
    }
}

impl<V: Verify> CachedVerifier<V> {
    /// Joins the running verification for this key and scopes, or starts one.
    pub(super) fn shared_call(
        &self,
        cache_key: CacheKey,
        request: &VerifyRequest<'_>,
    ) -> SharedVerdict {
        let mut in_flight = self.lock_in_flight();
        if let Some(call) = in_flight.get(&cache_key) {
            if call.can_join(request.scopes()) {
                return call.verdict.clone();
            }
        }
        let call = Call {
            cache_key,
            id: self.inner.next_call_id.fetch_add(1, Ordering::Relaxed),
            key: request.key().to_owned(),
            scopes: request.scopes().into(),
            route: request.route().map(str::to_owned),
            cancelled: Arc::default(),
        };
        let entry = InFlight {
            id: call.id,
            scopes: call.scopes.clone(),
            cancelled: call.cancelled.clone(),
            verdict: self.spawn_call(call),
        };
        let verdict = entry.verdict.clone();
        in_flight.insert(cache_key, entry);
        verdict
    }

    fn spawn_call(&self, call: Call) -> SharedVerdict {
        let cache = self.clone();
        let task = tokio::spawn(async move {
            let _finish = Finish {
                cache: cache.clone(),
                cache_key: call.cache_key,
                id: call.id,
            };
            let mut request = VerifyRequest::new(&call.key, &call.scopes);
            if let Some(route) = &call.route {
                request = request.with_route(route);
            }
            let result = cache.inner.verifier.verify(request).await;
            if let Ok(verdict) = &result {
                cache.store(
                    call.cache_key,
                    &call.cancelled,
                    call.scopes.clone(),
                    verdict,
                );
            }
            result
        });
        task.map(|joined| {
            joined.unwrap_or_else(|error| {
                // The panic payload may quote the key, so only the kind of failure is reported.
                let what = if error.is_panic() {
                    "panicked"
                } else {
                    "was cancelled"
                };
                Err(VerifyError::unavailable(format!(
                    "verification task {what}"
                )))
            })
        })
        .boxed()
        .shared()
    }
}
