//! A `mut` binding keeps its mutability after the guard is inserted before it.
#![deny(warnings, missing_docs, unreachable_pub, clippy::all, clippy::pedantic)]

use axum::extract::Query;
use axum::{Router, routing::get};
use oneloop_runtime::{LocalVerifier, OneloopLayer, oneloop};
use serde::Deserialize;

#[derive(Deserialize)]
struct Page {
    number: u32,
    size: Option<u32>,
}

#[oneloop(scope = "profile", read)]
async fn list_profiles(mut page: Query<Page>) -> String {
    page.size = Some(page.size.unwrap_or(20).min(100));
    format!("page {} of size {:?}", page.number, page.size)
}

fn main() {
    let verifier = LocalVerifier::new([]).expect("an empty key list is valid");
    let _app: Router = Router::new()
        .route("/profiles", get(list_profiles))
        .layer(OneloopLayer::new(verifier));
}
