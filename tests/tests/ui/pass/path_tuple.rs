//! A destructured tuple `Path` extractor follows the guard.
#![deny(warnings, missing_docs, unreachable_pub, clippy::all, clippy::pedantic)]

use axum::extract::Path;
use axum::{Router, routing::get};
use oneloop_runtime::{LocalVerifier, OneloopLayer, oneloop};

#[oneloop(scope = "orders", read)]
async fn show_line(Path((order, line)): Path<(u32, u32)>) -> String {
    format!("order {order}, line {line}")
}

fn main() {
    let verifier = LocalVerifier::new([]).expect("an empty key list is valid");
    let _app: Router = Router::new()
        .route("/orders/{order}/lines/{line}", get(show_line))
        .layer(OneloopLayer::new(verifier));
}
