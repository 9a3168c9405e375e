//! `#[oneloop_runtime::oneloop]` works without importing the attribute.
#![deny(warnings, missing_docs, unreachable_pub, clippy::all, clippy::pedantic)]

use axum::{Router, routing::get};
use oneloop_runtime::{LocalVerifier, OneloopLayer};

#[oneloop_runtime::oneloop(scope = "profile", read)]
async fn show_profile() -> &'static str {
    "profile"
}

#[oneloop_runtime::oneloop]
async fn whoami() -> &'static str {
    "any valid key"
}

fn main() {
    let verifier = LocalVerifier::new([]).expect("an empty key list is valid");
    let _app: Router = Router::new()
        .route("/profile", get(show_profile))
        .route("/whoami", get(whoami))
        .layer(OneloopLayer::new(verifier));
}
