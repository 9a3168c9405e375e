//! Stacked attributes, whether imported or written with their full path, merge into one guard.
#![deny(warnings, missing_docs, unreachable_pub, clippy::all, clippy::pedantic)]

use axum::{Router, routing::put};
use oneloop_runtime::{LocalVerifier, OneloopLayer, oneloop};

#[oneloop(scope = "profile", read, update)]
#[oneloop(scope = "billing", read)]
#[oneloop_runtime::oneloop(scope = "audit.log", create)]
async fn update_profile(body: String) -> String {
    body
}

fn main() {
    let verifier = LocalVerifier::new([]).expect("an empty key list is valid");
    let _app: Router = Router::new()
        .route("/profile", put(update_profile))
        .layer(OneloopLayer::new(verifier));
}
