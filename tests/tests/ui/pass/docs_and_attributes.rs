//! Doc comments and other attributes on both sides of `#[oneloop]` are kept, in order.
#![deny(warnings, missing_docs, unreachable_pub, clippy::all, clippy::pedantic)]

use axum::{Router, routing::get};
use oneloop_runtime::{LocalVerifier, OneloopLayer, oneloop};

/// Returns the caller's profile.
#[allow(clippy::unused_async)]
#[oneloop(scope = "profile", read)]
/// Reads nothing but the scope.
#[cfg_attr(all(), allow(unused_variables))]
#[inline]
async fn show_profile() -> &'static str {
    let unused = "kept silent by the cfg_attr above";
    "profile"
}

fn main() {
    let verifier = LocalVerifier::new([]).expect("an empty key list is valid");
    let _app: Router = Router::new()
        .route("/profile", get(show_profile))
        .layer(OneloopLayer::new(verifier));
}
