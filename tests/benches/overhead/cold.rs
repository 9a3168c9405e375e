//! The cold path: every request reaches a loopback Oneloop stand-in that waits 1 ms.
//!
//! The stand-in spins for its delay on a thread of its own. A timer would end the wait on a
//! millisecond tick. Because the requests run back to back, each would arrive at nearly the same
//! phase of the tick, and the tick would absorb or exaggerate the time added before it.
//!
//! The added latency is the protected request's latency minus a direct call to the same
//! stand-in with the same kind of client, so it is what the guard, the client and the router add
//! beyond the verifier's own work.

use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::routing::{get, post};
use http::Request;
use oneloop_runtime::{Oneloop, OneloopLayer, oneloop};
use tower::ServiceExt;

use crate::routers::KEY;
use crate::stats::{micros, percentile};

const DELAY: Duration = Duration::from_millis(1);
const SAMPLES: usize = 1_500;

#[oneloop(scope = "profile", read)]
async fn protected() -> &'static str {
    "ok"
}

/// Returns `VALID` for every verification after spinning for [`DELAY`].
async fn spin_then_answer() -> axum::Json<serde_json::Value> {
    let start = Instant::now();
    while start.elapsed() < DELAY {
        std::hint::spin_loop();
    }
    axum::Json(serde_json::json!({ "status": "VALID", "apiKeyId": "ak_bench" }))
}

/// Starts the stand-in on its own thread and single-threaded runtime; returns its base URL.
fn stand_in() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    listener.set_nonblocking(true).expect("non-blocking");
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("stand-in runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
            let app = Router::new().route("/api/v1/api-key/verify", post(spin_then_answer));
            axum::serve(listener, app).await.expect("stand-in serves");
        });
    });
    format!("http://{address}")
}

async fn direct(client: &reqwest::Client, url: &str) -> Duration {
    let start = Instant::now();
    let body = r#"{"key":"k","requestedScopes":[]}"#;
    let response = client.post(url).body(body).send().await.expect("send");
    response.bytes().await.expect("body");
    start.elapsed()
}

async fn protected_call(router: &Router) -> Duration {
    let request = Request::get("/")
        .header("authorization", format!("Bearer {KEY}"))
        .body(Body::empty())
        .expect("request");
    let start = Instant::now();
    let response = router.clone().oneshot(request).await.expect("infallible");
    assert!(
        response.status().is_success(),
        "rejected: {}",
        response.status()
    );
    start.elapsed()
}

pub async fn run() {
    let base_url = stand_in();
    let oneloop = Oneloop::builder("sk_bench_sdk")
        .base_url(&base_url)
        .build()
        .expect("client");
    let router = Router::new()
        .route("/", get(protected))
        .layer(OneloopLayer::new(oneloop));
    let direct_client = reqwest::Client::new();
    let url = format!("{base_url}/api/v1/api-key/verify");
    let mut direct_us = Vec::with_capacity(SAMPLES);
    let mut protected_us = Vec::with_capacity(SAMPLES);
    for _ in 0..100 {
        direct(&direct_client, &url).await;
        protected_call(&router).await;
    }
    for _ in 0..SAMPLES {
        direct_us.push(micros(direct(&direct_client, &url).await));
        protected_us.push(micros(protected_call(&router).await));
    }
    let delay_us = micros(DELAY);
    println!("cold path over Oneloop, stand-in delay {delay_us:.0} us, {SAMPLES} requests each:");
    for (label, q) in [("p50", 0.5), ("p99", 0.99)] {
        let base = percentile(&mut direct_us, q);
        let total = percentile(&mut protected_us, q);
        let added = total - base;
        println!(
            "  {label}: direct call {base:>7.0} us, protected request {total:>7.0} us, \
             added {added:>5.0} us = {:.1}% of the delay",
            added / delay_us * 100.0
        );
    }
}
