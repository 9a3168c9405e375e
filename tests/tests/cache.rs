//! `CachedVerifier` in front of a `Oneloop` client, checked by counting the calls that reach a
//! `wiremock` stand-in rather than by timing. The tests cover shared cold misses, revocation
//! with and without `invalidate`, abandoned callers, pooled connections, a bounded size under a
//! flood of keys, and the verdicts the cache must never keep.
//!
//! The router tests drive the app in process with `tower::ServiceExt::oneshot`, so 500
//! concurrent requests need no sockets; only the `Oneloop` client speaks HTTP.

mod common;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use common::{
    KEY, VERIFY_PATH, app_routes, client_for, json_response, response_with_status, valid_response,
    verify_mock, verify_mock_for, wait_for_requests, wire,
};
use oneloop_runtime::{
    CachedVerifier, KeyStatus, LocalVerifier, Oneloop, OneloopLayer, Permissions, RateLimitConfig,
    RequiredScope, Usage, Verify, VerifyRequest,
};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;
use tower::ServiceExt;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PROFILE_READ: [RequiredScope; 1] = [RequiredScope::new("profile", Permissions::READ)];

/// Sends `GET /profile` with the test key to `app` in process and returns the status.
async fn status_of(app: Router) -> u16 {
    let request = http::Request::get("/profile")
        .header("authorization", format!("Bearer {KEY}"))
        .body(Body::empty())
        .expect("request builds");
    let response = app.oneshot(request).await.expect("router is infallible");
    response.status().as_u16()
}

/// Returns the app behind `cache`.
fn app_with(cache: &CachedVerifier<Oneloop>) -> Router {
    app_routes().layer(OneloopLayer::new(cache.clone()))
}

/// Returns how many requests the stand-in has received.
async fn received(mock: &MockServer) -> usize {
    mock.received_requests()
        .await
        .expect("recording is on")
        .len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_cold_misses_share_one_call() {
    let mock = MockServer::start().await;
    let slow = json_response(valid_response()).set_delay(Duration::from_millis(200));
    verify_mock(slow).expect(1).mount(&mock).await;
    let cache = CachedVerifier::new(client_for(&mock.uri()));
    let app = app_with(&cache);

    let mut requests = JoinSet::new();
    for _ in 0..500 {
        requests.spawn(status_of(app.clone()));
    }
    let statuses = requests.join_all().await;

    assert_eq!(statuses.len(), 500);
    assert!(statuses.iter().all(|&status| status == 200), "{statuses:?}");
    assert_eq!(received(&mock).await, 1);
}

#[tokio::test]
async fn invalidate_applies_revocation_at_once() {
    let mock = MockServer::start().await;
    let valid = verify_mock(json_response(valid_response()))
        .expect(1)
        .mount_as_scoped(&mock)
        .await;
    let cache = CachedVerifier::new(client_for(&mock.uri()));
    let app = app_with(&cache);
    assert_eq!(status_of(app.clone()).await, 200, "first request");
    assert_eq!(status_of(app.clone()).await, 200, "cached request");
    drop(valid);

    verify_mock(json_response(response_with_status("DISABLED")))
        .expect(1)
        .mount(&mock)
        .await;
    let before_invalidate = status_of(app.clone()).await;
    cache.invalidate(KEY);
    let after_invalidate = status_of(app.clone()).await;
    let cached_rejection = status_of(app).await;

    assert_eq!(before_invalidate, 200, "revoked key served from the cache");
    assert_eq!(after_invalidate, 401, "revoked key after invalidate");
    assert_eq!(cached_rejection, 401, "revoked key served from the cache");
}

#[tokio::test]
async fn revocation_applies_after_valid_ttl() {
    let mock = MockServer::start().await;
    let valid = verify_mock(json_response(valid_response()))
        .expect(1)
        .mount_as_scoped(&mock)
        .await;
    let cache = CachedVerifier::builder()
        .valid_ttl(Duration::from_millis(300))
        .build(client_for(&mock.uri()));
    let app = app_with(&cache);
    assert_eq!(status_of(app.clone()).await, 200, "first request");
    drop(valid);

    verify_mock(json_response(response_with_status("DISABLED")))
        .expect(1)
        .mount(&mock)
        .await;
    tokio::time::sleep(Duration::from_millis(600)).await;

    assert_eq!(status_of(app).await, 401, "revoked key after the TTL");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalidate_during_verification_discards_it() {
    let mock = MockServer::start().await;
    let slow_valid = json_response(valid_response()).set_delay(Duration::from_millis(300));
    verify_mock(slow_valid)
        .up_to_n_times(1)
        .with_priority(1)
        .expect(1)
        .mount(&mock)
        .await;
    let cache = CachedVerifier::new(client_for(&mock.uri()));
    let app = app_with(&cache);

    let started = tokio::spawn(status_of(app.clone()));
    wait_for_requests(&mock, 1).await;
    cache.invalidate(KEY);
    verify_mock(json_response(response_with_status("DISABLED")))
        .with_priority(2)
        .expect(1)
        .mount(&mock)
        .await;
    let after_invalidate = status_of(app.clone()).await;
    let started = started.await.expect("request task completes");
    let after_both = status_of(app).await;

    assert_eq!(
        after_invalidate, 401,
        "request after invalidate joined the old call"
    );
    assert_eq!(started, 200, "request that started before the revocation");
    assert_eq!(after_both, 401, "the discarded VALID verdict was cached");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn abandoned_caller_keeps_shared_call() {
    let mock = MockServer::start().await;
    let slow = json_response(valid_response()).set_delay(Duration::from_millis(300));
    verify_mock(slow).expect(1).mount(&mock).await;
    let cache = CachedVerifier::new(client_for(&mock.uri()));
    let app = app_with(&cache);

    let first = tokio::spawn(status_of(app.clone()));
    wait_for_requests(&mock, 1).await;
    first.abort();
    let aborted = first.await.expect_err("the first request was aborted");
    let mut others = JoinSet::new();
    for _ in 0..2 {
        others.spawn(status_of(app.clone()));
    }
    let statuses = others.join_all().await;

    assert!(aborted.is_cancelled(), "{aborted}");
    assert_eq!(statuses, [200, 200]);
    assert_eq!(received(&mock).await, 1);
}

/// Forwards loopback TCP connections to `target` and counts the ones it accepts.
async fn counting_proxy(target: SocketAddr) -> (SocketAddr, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("local address");
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        while let Ok((mut inbound, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut outbound = TcpStream::connect(target).await.expect("stand-in is up");
                let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
            });
        }
    });
    (address, accepted)
}

/// Concurrent verification loops in the pooled-connection tests.
const WORKERS: usize = 8;

/// Runs 5,000 verifications with distinct keys, `WORKERS` at a time, through one `Oneloop`
/// client, and returns how many TCP connections the stand-in accepted.
async fn connections_for_5000_calls() -> usize {
    const PER_WORKER: usize = 625;
    let mock = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(VERIFY_PATH))
        .respond_with(json_response(wire("verify-response-minimal.json")))
        .expect(5_000)
        .mount(&mock)
        .await;
    let (proxy, accepted) = counting_proxy(*mock.address()).await;
    let client = client_for(&format!("http://{proxy}"));

    let mut workers = JoinSet::new();
    for worker in 0..WORKERS {
        let client = client.clone();
        workers.spawn(async move {
            let mut decided = 0;
            for call in 0..PER_WORKER {
                let key = format!("sk_live_{worker}_{call}");
                let verdict = client
                    .verify(VerifyRequest::new(&key, &PROFILE_READ))
                    .await
                    .expect("stand-in responses");
                decided += usize::from(*verdict.status() == KeyStatus::InvalidScopes);
            }
            decided
        });
    }
    let decided: usize = workers.join_all().await.into_iter().sum();
    assert_eq!(decided, WORKERS * PER_WORKER, "verdicts decoded");
    accepted.load(Ordering::SeqCst)
}

/// On a current-thread runtime every measured run opened exactly one connection per worker,
/// because a finished connection is back in the pool before the worker's next call checks out.
#[tokio::test]
async fn client_reuses_pooled_connections() {
    let connections = connections_for_5000_calls().await;

    assert!(connections <= WORKERS, "{connections} connections");
}

/// NOTE: on a multi-thread runtime hyper-util 0.1.21 puts a connection back into the pool from
/// a background task after the response is read, and a call that checks out in that window
/// opens a new connection. Twenty runs on two workers measured 8 to 10 connections. A new one
/// opens only while no idle connection exists, so the count stays near one per worker, and the
/// bound allows two per worker: one in use and one on its way back to the pool.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn threaded_client_reuses_connections() {
    let connections = connections_for_5000_calls().await;

    assert!(connections <= 2 * WORKERS, "{connections} connections");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flood_of_keys_stays_bounded() {
    const MAX_ENTRIES: u64 = 1_000;
    let cache = CachedVerifier::builder()
        .max_entries(MAX_ENTRIES)
        .build(LocalVerifier::new([]).expect("empty store"));

    let mut invalid = 0_u32;
    for index in 0..100_000 {
        let key = format!("sk_flood_{index}");
        let verdict = cache
            .verify(VerifyRequest::new(&key, &PROFILE_READ))
            .await
            .expect("the local store always decides");
        invalid += u32::from(*verdict.status() == KeyStatus::Invalid);
    }

    assert_eq!(invalid, 100_000);
    let entries = cache.entry_count();
    assert!(entries <= MAX_ENTRIES, "{entries} entries");
}

/// Sends the plain one-scope request for [`KEY`] through `cache` twice.
async fn verify_twice(cache: &CachedVerifier<Oneloop>) {
    for _ in 0..2 {
        let _ = cache.verify(VerifyRequest::new(KEY, &PROFILE_READ)).await;
    }
}

/// Returns how many of two identical requests reach a stand-in that returns `response`.
async fn upstream_calls_for_two(response: ResponseTemplate) -> usize {
    let mock = MockServer::start().await;
    verify_mock(response).mount(&mock).await;
    verify_twice(&CachedVerifier::new(client_for(&mock.uri()))).await;
    received(&mock).await
}

#[tokio::test]
async fn valid_and_invalid_verdicts_are_cached() {
    let valid = upstream_calls_for_two(json_response(valid_response())).await;
    let invalid = upstream_calls_for_two(json_response(response_with_status("INVALID"))).await;

    assert_eq!(valid, 1, "VALID");
    assert_eq!(invalid, 1, "INVALID");
}

#[tokio::test]
async fn limited_verdicts_are_not_cached() {
    let mut rate_limited = response_with_status("RATE_LIMITED");
    rate_limited["rateLimit"] = serde_json::json!({ "remaining": 0, "resetAt": 1 });
    let cases = [
        ("VALID with rateLimit", wire("verify-response-valid.json")),
        ("RATE_LIMITED", response_with_status("RATE_LIMITED")),
        ("RATE_LIMITED with rateLimit", rate_limited),
        ("USAGE_LIMITED", response_with_status("USAGE_LIMITED")),
    ];
    for (case, body) in cases {
        let calls = upstream_calls_for_two(json_response(body)).await;
        assert_eq!(calls, 2, "{case}");
    }
}

#[tokio::test]
async fn verifier_errors_are_not_cached() {
    let mock = MockServer::start().await;
    verify_mock(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&mock)
        .await;
    verify_mock(json_response(valid_response()))
        .with_priority(2)
        .mount(&mock)
        .await;
    let cache = CachedVerifier::new(client_for(&mock.uri()));

    let first = cache.verify(VerifyRequest::new(KEY, &PROFILE_READ)).await;
    let second = cache.verify(VerifyRequest::new(KEY, &PROFILE_READ)).await;

    assert!(first.is_err(), "{first:?}");
    let second = second.expect("the stand-in recovered");
    assert!(second.status().is_valid(), "{second:?}");
    assert_eq!(received(&mock).await, 2);
}

#[tokio::test]
async fn side_effect_requests_skip_cache() {
    let mock = MockServer::start().await;
    let all_options = wire("verify-request-all-options.json");
    let mut usage_only = all_options.clone();
    usage_only["rateLimitConfig"].take();
    let usage_only = strip_nulls(usage_only);
    let mut limit_only = all_options.clone();
    limit_only["billing"].take();
    let limit_only = strip_nulls(limit_only);
    for body in [all_options, usage_only, limit_only] {
        verify_mock_for(body, json_response(valid_response()))
            .expect(2)
            .mount(&mock)
            .await;
    }
    let cache = CachedVerifier::new(client_for(&mock.uri()));
    let usage = Usage {
        amount: 3,
        meter: "scrape".to_owned(),
    };
    let limit = RateLimitConfig {
        id: "rl-1".to_owned(),
        limit: 10,
    };
    let base = VerifyRequest::new(KEY, &[]).with_route("/profile");
    let requests = [
        base.with_usage(&usage).with_rate_limit(&limit),
        base.with_usage(&usage),
        base.with_rate_limit(&limit),
    ];

    for request in requests {
        for _ in 0..2 {
            let verdict = cache.verify(request).await.expect("stand-in responses");
            assert!(verdict.status().is_valid(), "{request:?}: {verdict:?}");
        }
    }

    assert_eq!(received(&mock).await, 6);
}

/// Removes members set to `null` by `Value::take`.
fn strip_nulls(mut body: serde_json::Value) -> serde_json::Value {
    body.as_object_mut()
        .expect("request capture is an object")
        .retain(|_, value| !value.is_null());
    body
}

#[tokio::test]
async fn scopes_are_part_of_cache_key() {
    let mock = MockServer::start().await;
    verify_mock(json_response(valid_response()))
        .expect(1)
        .mount(&mock)
        .await;
    let mut update_request = wire("verify-request-one-scope.json");
    update_request["requestedScopes"][0]["read"] = false.into();
    update_request["requestedScopes"][0]["update"] = true.into();
    verify_mock_for(update_request, json_response(valid_response()))
        .expect(1)
        .mount(&mock)
        .await;
    let cache = CachedVerifier::new(client_for(&mock.uri()));
    let profile_update = [RequiredScope::new("profile", Permissions::UPDATE)];

    verify_twice(&cache).await;
    for _ in 0..2 {
        let verdict = cache
            .verify(VerifyRequest::new(KEY, &profile_update))
            .await
            .expect("stand-in responses");
        assert!(verdict.status().is_valid(), "{verdict:?}");
    }

    assert_eq!(received(&mock).await, 2);
}

#[tokio::test]
async fn miss_passes_route_to_oneloop() {
    let mock = MockServer::start().await;
    let mut request = wire("verify-request-one-scope.json");
    request["route"] = "/profile".into();
    verify_mock_for(request, json_response(valid_response()))
        .expect(1)
        .mount(&mock)
        .await;
    let cache = CachedVerifier::new(client_for(&mock.uri()));

    let verdict = cache
        .verify(VerifyRequest::new(KEY, &PROFILE_READ).with_route("/profile"))
        .await
        .expect("stand-in responses");

    assert!(verdict.status().is_valid(), "{verdict:?}");
}
