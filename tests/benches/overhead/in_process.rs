//! Requests driven through each router in-process with `tower::ServiceExt`, no sockets.

use std::time::Instant;

use axum::Router;
use axum::body::Body;
use http::Request;
use tower::ServiceExt;

use crate::routers::{CASES, KEY, Routers};
use crate::stats::median;

const ROUNDS: usize = 15;
const REQUESTS_PER_ROUND: u32 = 20_000;

fn request() -> Request<Body> {
    Request::get("/")
        .header("authorization", format!("Bearer {KEY}"))
        .body(Body::empty())
        .expect("valid request")
}

/// Returns nanoseconds per request over one round.
async fn round(router: &Router) -> f64 {
    let start = Instant::now();
    for _ in 0..REQUESTS_PER_ROUND {
        let response = router.clone().oneshot(request()).await.expect("infallible");
        assert!(
            response.status().is_success(),
            "bench request rejected: {}",
            response.status()
        );
    }
    start.elapsed().as_secs_f64() * 1e9 / f64::from(REQUESTS_PER_ROUND)
}

pub async fn run(routers: &Routers) {
    for router in &routers.all {
        round(router).await; // warm-up: caches, allocator, branch predictors
    }
    let mut samples: Vec<Vec<f64>> = vec![Vec::new(); CASES.len()];
    // Interleaved rounds, so drift in machine load touches every case alike.
    for _ in 0..ROUNDS {
        for (router, times) in routers.all.iter().zip(samples.iter_mut()) {
            times.push(round(router).await);
        }
    }
    println!("in-process, {ROUNDS} rounds of {REQUESTS_PER_ROUND} requests, median ns/request:");
    let baseline = median(&mut samples[0].clone());
    for (name, times) in CASES.iter().zip(samples.iter_mut()) {
        let value = median(times);
        println!(
            "  {name:<24} {value:>9.0} ns   ratio {:.2}x",
            value / baseline
        );
    }
}
