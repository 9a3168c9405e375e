//! `#[utoipa::path]` works above and below `#[oneloop]`, and both routes reach the OpenAPI
//! document.
#![deny(warnings, missing_docs, unreachable_pub, clippy::all, clippy::pedantic)]

use axum::{Router, routing::get};
use oneloop_runtime::{LocalVerifier, OneloopLayer, oneloop};
use utoipa::OpenApi;

/// Returns the profile.
#[utoipa::path(get, path = "/profile", responses((status = 200, description = "the profile")))]
#[oneloop(scope = "profile", read)]
async fn show_profile() -> &'static str {
    "profile"
}

/// Returns the billing details.
#[oneloop(scope = "billing", read)]
#[utoipa::path(get, path = "/billing", responses((status = 200, description = "billing")))]
async fn show_billing() -> &'static str {
    "billing"
}

#[derive(OpenApi)]
#[openapi(paths(show_profile, show_billing))]
struct ApiDoc;

fn main() {
    let verifier = LocalVerifier::new([]).expect("an empty key list is valid");
    let _app: Router = Router::new()
        .route("/profile", get(show_profile))
        .route("/billing", get(show_billing))
        .layer(OneloopLayer::new(verifier));
    let paths = ApiDoc::openapi().paths.paths;
    assert!(paths.contains_key("/profile"), "the OpenAPI document lacks /profile");
    assert!(paths.contains_key("/billing"), "the OpenAPI document lacks /billing");
}
