//! A body extractor stays last, after the guard and the other extractors.
#![deny(warnings, missing_docs, unreachable_pub, clippy::all, clippy::pedantic)]

use axum::extract::Path;
use axum::{Json, Router, routing::put};
use oneloop_runtime::{LocalVerifier, OneloopLayer, oneloop};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, Serialize)]
struct Profile {
    name: String,
}

#[oneloop(scope = "profile", read, update)]
async fn update_profile(Path(id): Path<u64>, Json(profile): Json<Profile>) -> Json<Profile> {
    Json(Profile {
        name: format!("{id}: {}", profile.name),
    })
}

fn main() {
    let verifier = LocalVerifier::new([]).expect("an empty key list is valid");
    let _app: Router = Router::new()
        .route("/profiles/{id}", put(update_profile))
        .layer(OneloopLayer::new(verifier));
}
