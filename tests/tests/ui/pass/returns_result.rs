//! A `Result` return type with `?` in the body is kept as written.
#![deny(warnings, missing_docs, unreachable_pub, clippy::all, clippy::pedantic)]

use std::num::ParseIntError;

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Json, Router, routing::get};
use oneloop_runtime::{LocalVerifier, OneloopLayer, oneloop};
use serde::Serialize;

#[derive(Serialize)]
struct Order {
    id: u64,
}

struct AppError(ParseIntError);

impl From<ParseIntError> for AppError {
    fn from(error: ParseIntError) -> Self {
        Self(error)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        (StatusCode::BAD_REQUEST, self.0.to_string()).into_response()
    }
}

#[oneloop(scope = "orders", read)]
async fn show_order(Path(id): Path<String>) -> Result<Json<Order>, AppError> {
    let id = id.parse()?;
    Ok(Json(Order { id }))
}

fn main() {
    let verifier = LocalVerifier::new([]).expect("an empty key list is valid");
    let _app: Router = Router::new()
        .route("/orders/{id}", get(show_order))
        .layer(OneloopLayer::new(verifier));
}
