//! A destructured `State` extractor, and the `VerifiedKey` the guard stores, follow the guard.
#![deny(warnings, missing_docs, unreachable_pub, clippy::all, clippy::pedantic)]

use axum::extract::State;
use axum::{Router, routing::get};
use oneloop_runtime::{LocalVerifier, OneloopLayer, VerifiedKey, oneloop};

#[derive(Clone)]
struct Db {
    name: &'static str,
}

#[oneloop(scope = "profile", read)]
async fn show_profile(State(db): State<Db>, key: VerifiedKey) -> String {
    format!(
        "{} for {}",
        db.name,
        key.customer_id().unwrap_or("anonymous")
    )
}

fn main() {
    let verifier = LocalVerifier::new([]).expect("an empty key list is valid");
    let _app: Router = Router::new()
        .route("/profile", get(show_profile))
        .with_state(Db { name: "profiles" })
        .layer(OneloopLayer::new(verifier));
}
