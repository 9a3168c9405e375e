//! `CachedVerifier` after its inner verifier panics, around key expiry, and with invalidations
//! of other keys: each case counts calls to a counting inner verifier.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use oneloop_runtime::{
    CachedVerifier, GrantedScope, KeyDigest, KeyStatus, LocalKey, LocalVerifier, Permissions,
    RequiredScope, Verdict, Verify, VerifyError, VerifyRequest,
};

const SCOPES: [RequiredScope; 1] = [RequiredScope::new("profile", Permissions::READ)];

/// Counts calls, optionally waits, and panics on the first call when asked to.
struct Counting {
    inner: LocalVerifier,
    calls: Arc<AtomicUsize>,
    delay: Duration,
    panic_first: bool,
}

impl Verify for Counting {
    async fn verify(&self, request: VerifyRequest<'_>) -> Result<Verdict, VerifyError> {
        let call = self.calls.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(self.delay).await;
        if self.panic_first && call == 0 {
            panic!("inner verifier failed");
        }
        self.inner.verify(request).await
    }
}

fn key(id: &str, secret: &str) -> LocalKey {
    LocalKey::new(id, KeyDigest::of(secret)).scope(GrantedScope::new("profile", Permissions::READ))
}

fn counting(
    keys: Vec<LocalKey>,
    delay: Duration,
    panic_first: bool,
) -> (Counting, Arc<AtomicUsize>) {
    let calls = Arc::new(AtomicUsize::new(0));
    let verifier = Counting {
        inner: LocalVerifier::new(keys).unwrap(),
        calls: calls.clone(),
        delay,
        panic_first,
    };
    (verifier, calls)
}

async fn status(cache: &CachedVerifier<Counting>, secret: &str) -> Result<KeyStatus, VerifyError> {
    let verdict = cache.verify(VerifyRequest::new(secret, &SCOPES)).await?;
    Ok(verdict.status().clone())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn panicking_call_is_not_joined_later() {
    let (verifier, calls) = counting(vec![key("k1", "sk_1")], Duration::ZERO, true);
    let cache = CachedVerifier::new(verifier);

    let first = status(&cache, "sk_1").await;
    let second = status(&cache, "sk_1").await;

    let error = first.unwrap_err();
    assert!(error.is_unavailable());
    assert!(
        !error.message().contains("inner verifier failed"),
        "{error}"
    );
    assert_eq!(second.unwrap(), KeyStatus::Valid);
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cached_valid_ends_at_key_expiry() {
    let expires = SystemTime::now() + Duration::from_millis(1500);
    let (verifier, calls) = counting(
        vec![key("k1", "sk_1").expires_at(expires)],
        Duration::ZERO,
        false,
    );
    let cache = CachedVerifier::builder()
        .valid_ttl(Duration::from_secs(60))
        .build(verifier);

    assert_eq!(status(&cache, "sk_1").await.unwrap(), KeyStatus::Valid);
    tokio::time::sleep(Duration::from_millis(2200)).await;
    let after_expiry = status(&cache, "sk_1").await.unwrap();

    assert_eq!(after_expiry, KeyStatus::Expired);
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalidating_other_key_keeps_this_verdict() {
    let keys = vec![key("k1", "sk_1"), key("k2", "sk_2")];
    let (verifier, calls) = counting(keys, Duration::from_millis(300), false);
    let cache = CachedVerifier::new(verifier);

    let running = tokio::spawn({
        let cache = cache.clone();
        async move { status(&cache, "sk_1").await }
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    cache.invalidate("sk_2");
    assert_eq!(running.await.unwrap().unwrap(), KeyStatus::Valid);
    assert_eq!(status(&cache, "sk_1").await.unwrap(), KeyStatus::Valid);

    assert_eq!(calls.load(Ordering::SeqCst), 1);
}
