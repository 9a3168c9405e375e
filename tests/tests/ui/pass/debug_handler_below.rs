//! `#[axum::debug_handler]` below `#[oneloop]` checks the handler with the guard inserted.
#![deny(warnings, missing_docs, unreachable_pub, clippy::all, clippy::pedantic)]

use axum::extract::State;
use axum::{Json, Router, routing::post};
use oneloop_runtime::{LocalVerifier, OneloopLayer, oneloop};

#[derive(Clone)]
struct Db {
    name: &'static str,
}

#[oneloop(scope = "profile", read, update)]
#[axum::debug_handler]
async fn update_profile(State(db): State<Db>, Json(name): Json<String>) -> String {
    format!("{name} in {}", db.name)
}

fn main() {
    let verifier = LocalVerifier::new([]).expect("an empty key list is valid");
    let _app: Router = Router::new()
        .route("/profile", post(update_profile))
        .with_state(Db { name: "profiles" })
        .layer(OneloopLayer::new(verifier));
}
