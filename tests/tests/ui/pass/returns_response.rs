//! A plain `Response` return type is kept as written.
#![deny(warnings, missing_docs, unreachable_pub, clippy::all, clippy::pedantic)]

use axum::response::{IntoResponse, Response};
use axum::{Router, routing::get};
use oneloop_runtime::{LocalVerifier, OneloopLayer, oneloop};

#[oneloop(scope = "profile", read)]
async fn show_profile() -> Response {
    "profile".into_response()
}

fn main() {
    let verifier = LocalVerifier::new([]).expect("an empty key list is valid");
    let _app: Router = Router::new()
        .route("/profile", get(show_profile))
        .layer(OneloopLayer::new(verifier));
}
