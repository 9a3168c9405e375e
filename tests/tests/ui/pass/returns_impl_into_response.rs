//! An `impl IntoResponse` return type is kept as written.
#![deny(warnings, missing_docs, unreachable_pub, clippy::all, clippy::pedantic)]

use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::{Router, routing::delete};
use oneloop_runtime::{LocalVerifier, OneloopLayer, oneloop};

#[oneloop(scope = "profile", delete)]
async fn delete_profile() -> impl IntoResponse {
    (StatusCode::NO_CONTENT, "deleted")
}

fn main() {
    let verifier = LocalVerifier::new([]).expect("an empty key list is valid");
    let _app: Router = Router::new()
        .route("/profile", delete(delete_profile))
        .layer(OneloopLayer::new(verifier));
}
