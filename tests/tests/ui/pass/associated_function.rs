//! An associated function without a receiver, routed through its type's path.
#![deny(warnings, missing_docs, unreachable_pub, clippy::all, clippy::pedantic)]

use axum::extract::Path;
use axum::{Router, routing::get};
use oneloop_runtime::{LocalVerifier, OneloopLayer, oneloop};

struct Api;

impl Api {
    #[oneloop(scope = "profile", read)]
    async fn show(Path(id): Path<u64>) -> String {
        format!("profile {id}")
    }

    #[oneloop]
    async fn ping() -> &'static str {
        "pong"
    }
}

fn main() {
    let verifier = LocalVerifier::new([]).expect("an empty key list is valid");
    let _app: Router = Router::new()
        .route("/profiles/{id}", get(Api::show))
        .route("/ping", get(Api::ping))
        .layer(OneloopLayer::new(verifier));
}
