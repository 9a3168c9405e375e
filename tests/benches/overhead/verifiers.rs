//! The verifiers called directly, without a router: what the guard's ratios are made of.

use std::hint::black_box;
use std::time::Instant;

use oneloop_runtime::{CachedVerifier, KeyDigest, RequiredScope, Verify, VerifyRequest};

use crate::routers::{KEY, local_verifier, profile_read};
use crate::stats::median;

const ROUNDS: usize = 9;
const CALLS_PER_ROUND: u32 = 200_000;

async fn per_call<F: AsyncFnMut()>(mut call: F) -> f64 {
    let start = Instant::now();
    for _ in 0..CALLS_PER_ROUND {
        call().await;
    }
    start.elapsed().as_secs_f64() * 1e9 / f64::from(CALLS_PER_ROUND)
}

pub async fn run() {
    let scopes: [RequiredScope; 1] = [profile_read()];
    let local = local_verifier();
    let cached = CachedVerifier::new(local_verifier());
    let request = || VerifyRequest::new(black_box(KEY), &scopes);
    cached.verify(request()).await.expect("warm-up verifies");
    let mut samples: [Vec<f64>; 3] = Default::default();
    for _ in 0..ROUNDS {
        samples[0].push(
            per_call(async || {
                black_box(KeyDigest::of(black_box(KEY)));
            })
            .await,
        );
        samples[1].push(
            per_call(async || {
                let _ = black_box(local.verify(request()).await);
            })
            .await,
        );
        samples[2].push(
            per_call(async || {
                let _ = black_box(cached.verify(request()).await);
            })
            .await,
        );
    }
    println!(
        "verifiers called directly, {ROUNDS} rounds of {CALLS_PER_ROUND} calls, median ns/call:"
    );
    let names = [
        "SHA-256 of the key",
        "LocalVerifier::verify",
        "CachedVerifier::verify, hit",
    ];
    for (name, times) in names.iter().zip(samples.iter_mut()) {
        println!("  {name:<28} {:>6.0} ns", median(times));
    }
}
