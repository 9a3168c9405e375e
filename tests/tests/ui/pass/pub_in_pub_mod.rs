//! A `pub` handler in a `pub mod` exposes the guard type in its signature without a
//! `private_interfaces` or `unreachable_pub` warning.
#![deny(warnings, missing_docs, unreachable_pub, clippy::all, clippy::pedantic)]

use axum::{Router, routing::get};
use oneloop_runtime::{LocalVerifier, OneloopLayer};

/// Profile handlers.
pub mod profile {
    use oneloop_runtime::oneloop;

    /// Returns the caller's profile.
    #[oneloop(scope = "profile", read)]
    pub async fn show_profile() -> &'static str {
        "profile"
    }
}

fn main() {
    let verifier = LocalVerifier::new([]).expect("an empty key list is valid");
    let _app: Router = Router::new()
        .route("/profile", get(profile::show_profile))
        .layer(OneloopLayer::new(verifier));
}
